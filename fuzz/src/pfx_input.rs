//! Target `pfx`: PKCS#12 bundles (Node's `pfx`) with passphrases, through the
//! engine's decoding (`credentials::pkcs12::decode`) and the key options
//! (`credentials::client_identity`), both reached through
//! `tls_connect_engine::fuzzing`. No input may panic; every error is Node's (a
//! Node code, or no code and OpenSSL's reason string); a bundle that decodes
//! gives a chain and a PKCS#8 key.
//!
//! The first byte picks the mode (modulo 3) and the passphrase (bits 2-3), the
//! rest is the mode's data:
//! 0. a whole bundle, decoded with the passphrase;
//! 1. an authSafe's contents (`SEQUENCE OF ContentInfo`), wrapped here in a
//!    bundle without a MAC and decoded without a passphrase, as OpenSSL allows:
//!    the fuzzer reaches the safes, bags and ciphers behind the MAC this way;
//! 2. a whole bundle as the `pfx` option, the passphrase as `passphrase`, with a
//!    `cert` and `key` it replaces.
//!
//! Passphrases (bits 2-3): none, empty, `s3cret` (the seeds'), or the text of
//! the next byte's length after it.
//!
//! cargo-fuzz builds with `cfg(fuzzing)`, which keeps the engine's limits on
//! key derivation low (`KdfLimits::PFX`), so no input is a slow unit.

use test_pki::hostile::der_element;
use tls_connect_engine::fuzzing::{self, Identity};
use tls_connect_engine::{Credentials, KeyEntry, Pem, PfxEntry, TlsError};

use crate::check_error;
use crate::pki::PKI;

/// Mode values of the first byte (modulo 3).
pub mod mode {
    /// A whole bundle.
    pub const BUNDLE: u8 = 0;
    /// An authSafe's contents, wrapped without a MAC.
    pub const AUTH_SAFE: u8 = 1;
    /// A bundle as the `pfx` option.
    pub const OPTIONS: u8 = 2;
}

/// Passphrase values of bits 2-3 of the first byte.
pub mod passphrase {
    /// No passphrase.
    pub const NONE: u8 = 0;
    /// The empty passphrase.
    pub const EMPTY: u8 = 1;
    /// The seeds' passphrase, `s3cret`.
    pub const SEEDS: u8 = 2;
    /// A length byte and that much text.
    pub const GIVEN: u8 = 3;
}

/// The first byte for `mode` and `passphrase`.
pub fn header(mode: u8, passphrase: u8) -> u8 {
    mode | (passphrase << 2)
}

/// A bundle without a MAC around `auth_safe` (the contents of its `data`):
/// `SEQUENCE { 3, ContentInfo { data, [0] OCTET STRING } }`.
pub fn wrap(auth_safe: &[u8]) -> Vec<u8> {
    const DATA: &[u8] = &[
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
    ];
    let octets = der_element(0x04, &[auth_safe]);
    let content_info = der_element(0x30, &[DATA, &der_element(0xa0, &[&octets])]);
    der_element(0x30, &[&[0x02, 0x01, 0x03], &content_info])
}

/// The contents of a bundle's authSafe (for seeds): the `data` octets of its
/// first ContentInfo. `None` for anything else.
pub fn auth_safe_of(pfx: &[u8]) -> Option<Vec<u8>> {
    let (pfx, _) = split(pfx, 0x30)?;
    let (_, rest) = split(pfx, 0x02)?;
    let (content_info, _) = split(rest, 0x30)?;
    let (_, rest) = split(content_info, 0x06)?;
    let (explicit, _) = split(rest, 0xa0)?;
    let (octets, _) = split(explicit, 0x04)?;
    Some(octets.to_vec())
}

/// A DER element with definite length: its contents and what follows.
fn split(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&first, rest) = input.split_first()?;
    if first != tag {
        return None;
    }
    let (&len, rest) = rest.split_first()?;
    let (len, rest) = if len < 0x80 {
        (usize::from(len), rest)
    } else {
        let (digits, rest) = rest.split_at_checked(usize::from(len & 0x7f))?;
        let len = digits.iter().try_fold(0usize, |acc, &d| {
            acc.checked_mul(256)?.checked_add(usize::from(d))
        })?;
        (len, rest)
    };
    rest.split_at_checked(len)
}

/// Runs one input.
pub fn run(bytes: &[u8]) {
    let Some((&first, mut data)) = bytes.split_first() else {
        return;
    };
    let given;
    let passphrase = match (first >> 2) & 3 {
        passphrase::NONE => None,
        passphrase::EMPTY => Some(""),
        passphrase::SEEDS => Some("s3cret"),
        _ => {
            let (&len, rest) = data.split_first().unwrap_or((&0, &[]));
            let (text, rest) = rest.split_at(usize::from(len).min(rest.len()));
            data = rest;
            given = String::from_utf8_lossy(text).into_owned();
            Some(given.as_str())
        }
    };
    match first % 3 {
        mode::BUNDLE => check(fuzzing::pkcs12_decode(data, passphrase)),
        mode::AUTH_SAFE => check(fuzzing::pkcs12_decode(&wrap(data), None)),
        _ => options(data, passphrase),
    }
}

/// A decoded bundle has a chain and a PKCS#8 key; an error is Node's.
fn check(result: Result<Identity, TlsError>) {
    match result {
        Ok(identity) => {
            assert!(
                !identity.chain.is_empty(),
                "a bundle without a leaf decoded"
            );
            let rustls::pki_types::PrivateKeyDer::Pkcs8(key) = &identity.key else {
                panic!("a bundle's key that is not PKCS#8");
            };
            assert_eq!(
                key.secret_pkcs8_der().first(),
                Some(&0x30),
                "a bundle's key that is not a PrivateKeyInfo"
            );
        }
        Err(err) => check_error(&err),
    }
}

/// The bundle as the `pfx` option, replacing a `cert` and `key`.
fn options(data: &[u8], passphrase: Option<&str>) {
    let credentials = Credentials {
        cert: Some(vec![Pem::Text(PKI.client_pem.clone())]),
        key: Some(vec![KeyEntry {
            pem: Pem::Text(PKI.client_key_pem.clone()),
            passphrase: None,
        }]),
        passphrase: passphrase.map(str::to_owned),
        pfx: Some(vec![PfxEntry {
            buf: data.to_vec(),
            passphrase: None,
        }]),
    };
    match fuzzing::client_identity(&credentials) {
        Ok(found) => {
            let identity = found.expect("a cert and key, or the bundle's");
            assert!(!identity.chain.is_empty(), "an identity without a leaf");
        }
        Err(err) => check_error(&err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_auth_safe_is_found_again() {
        let auth_safe = vec![0x30, 0x00];
        assert_eq!(auth_safe_of(&wrap(&auth_safe)), Some(auth_safe));
        let long = vec![0x30; 300];
        assert_eq!(auth_safe_of(&wrap(&long)), Some(long));
    }

    #[test]
    fn errors_are_nodes() {
        for input in [&b"\x00junk"[..], b"\x01\x30\x00", b"\x02", b"\x0c\x05ab"] {
            run(input);
        }
    }
}
