//! Node's `key` option: one PEM private key, as OpenSSL's decoders take it.
//! Plain PKCS#8, PKCS#1 and SEC1 keys go to rustls's PEM reader; encrypted
//! PKCS#8 and OpenSSL's traditional encrypted keys are decrypted first, with
//! the entry's passphrase or the `passphrase` option.

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::PrivateKeyDer;
use zeroize::Zeroizing;

use super::errors::decoder_unsupported;
use super::{encrypted_pkcs8, legacy, pem};
use crate::options::KeyEntry;
use crate::TlsError;

#[cfg(test)]
mod tests;

/// A decoded private key, wiped when dropped.
pub(crate) type SecretKey = Zeroizing<PrivateKeyDer<'static>>;

/// Decodes one PEM private key, the first key block of the text: PKCS#8,
/// PKCS#1, SEC1, encrypted PKCS#8, or a traditional encrypted PKCS#1 or SEC1
/// key, with the entry's passphrase, else the `passphrase` option.
pub(super) fn private_key(
    entry: &KeyEntry,
    passphrase: Option<&str>,
) -> Result<SecretKey, TlsError> {
    let pem = entry.pem.as_bytes();
    let passphrase = entry.passphrase.as_deref().or(passphrase);
    if let Some(block) = pem::first_key_block(pem) {
        if block.label == "ENCRYPTED PRIVATE KEY" {
            let der = block.decode_body().ok_or_else(decoder_unsupported)?;
            let plain = encrypted_pkcs8::decrypt(&der, passphrase)?;
            return Ok(secret(plain, |der| PrivateKeyDer::Pkcs8(der.into())));
        }
        if !block.header.is_empty() {
            let kind: Option<fn(Vec<u8>) -> PrivateKeyDer<'static>> = match block.label {
                "RSA PRIVATE KEY" => Some(|der| PrivateKeyDer::Pkcs1(der.into())),
                "EC PRIVATE KEY" => Some(|der| PrivateKeyDer::Sec1(der.into())),
                _ => None,
            };
            if let Some(kind) = kind {
                let plain = legacy::decrypt(&block, passphrase)?;
                return Ok(secret(plain, kind));
            }
        }
    }
    PrivateKeyDer::from_pem_slice(pem)
        .map(Zeroizing::new)
        .map_err(|_| decoder_unsupported())
}

/// A decrypted key's DER as the kind of key `kind` makes of it. Moved out, not
/// copied: the emptied buffer is what `plain` wipes.
fn secret(
    mut plain: Zeroizing<Vec<u8>>,
    kind: impl FnOnce(Vec<u8>) -> PrivateKeyDer<'static>,
) -> SecretKey {
    Zeroizing::new(kind(std::mem::take(&mut *plain)))
}
