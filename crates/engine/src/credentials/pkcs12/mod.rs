//! PKCS#12 (`pfx`) bundles, read as OpenSSL 3's `d2i_PKCS12_bio` and
//! `PKCS12_parse` read them for Node's `loadPKCS12`: the MAC checked with the
//! passphrase, the `data` and `encryptedData` safes opened, the first private
//! key taken (keyBag or pkcs8ShroudedKeyBag) and every X.509 certBag; the
//! certificate whose public key is the key's leads the chain, the others follow
//! in the bundle's order.
//!
//! Errors are Node's: OpenSSL's reason string as the message and no code
//! ("mac verify failure"), or Node's own `ERR_CRYPTO_*` errors. Work is bounded
//! by [`KdfLimits::PFX`], lengths are checked, and nesting is capped as in
//! OpenSSL, so no input can trap the guest.
//!
//! - [`asn1`] and [`well_formed`]: BER read as OpenSSL reads it;
//! - [`pfx`] and [`content`]: the outer structure, its MAC and its safes;
//! - [`password`], [`hash`] and [`kdf`]: PKCS#12's key derivation;
//! - [`decrypt`] and [`pbes2_params`]: encrypted safes and keys;
//! - [`bags`], [`certificate`] and [`private_key`]: what the safes hold;
//! - [`bundle`]: the chain and key made of it.

mod asn1;
mod bags;
mod bundle;
mod certificate;
mod content;
mod decrypt;
mod errors;
mod hash;
mod kdf;
mod oid;
mod password;
mod pbes2_params;
mod pfx;
mod private_key;
#[cfg(test)]
mod tests;
mod well_formed;

use crate::credentials::pbe::{KdfBudget, KdfLimits};
use crate::TlsError;
pub(crate) use bundle::Bundle;
use bundle::Found;
use errors::reason;
use pfx::Pfx;

/// Decodes a bundle with Node's passphrase (none and empty are both tried, as
/// OpenSSL does) into the chain and key the client presents.
pub(crate) fn decode(der: &[u8], passphrase: Option<&str>) -> Result<Bundle, TlsError> {
    decode_with_limits(der, passphrase, KdfLimits::PFX)
}

/// [`decode`] with other caps on key derivation (the fuzzer keeps them low).
pub(crate) fn decode_with_limits(
    der: &[u8],
    passphrase: Option<&str>,
    limits: KdfLimits,
) -> Result<Bundle, TlsError> {
    let mut budget = KdfBudget::new(limits);
    let pfx = asn1::outer_object(der)
        .and_then(Pfx::parse)
        .map_err(reason)?;
    // Node hands OpenSSL a C string: the passphrase ends at its first NUL.
    let given = passphrase.and_then(|p| p.split('\0').next());
    let password = pfx.password(given, &mut budget)?;
    let mut found = Found::default();
    for safe in pfx.safes()?.iter() {
        found.read_safe(safe, &password, &mut budget)?;
    }
    found.into_bundle()
}
