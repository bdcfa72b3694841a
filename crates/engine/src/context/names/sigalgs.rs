//! Signature algorithms under OpenSSL's names (`sigalgs`).

use rustls::SignatureScheme;

use super::openssl_list;
use crate::TlsError;

/// The signature algorithms OpenSSL 3.0 takes by their own name in `sigalgs`,
/// with their TLS code points. Others (DSA, ECDSA with SHA-1 or SHA-224) have
/// only the `KEY+HASH` form.
pub(super) const SIGALG_NAMES: &[(&str, u16)] = &[
    ("ecdsa_secp256r1_sha256", 0x0403),
    ("ecdsa_secp384r1_sha384", 0x0503),
    ("ecdsa_secp521r1_sha512", 0x0603),
    ("ed25519", 0x0807),
    ("ed448", 0x0808),
    ("rsa_pss_pss_sha256", 0x0809),
    ("rsa_pss_pss_sha384", 0x080a),
    ("rsa_pss_pss_sha512", 0x080b),
    ("rsa_pss_rsae_sha256", 0x0804),
    ("rsa_pss_rsae_sha384", 0x0805),
    ("rsa_pss_rsae_sha512", 0x0806),
    ("rsa_pkcs1_sha256", 0x0401),
    ("rsa_pkcs1_sha384", 0x0501),
    ("rsa_pkcs1_sha512", 0x0601),
    ("rsa_pkcs1_sha224", 0x0301),
    ("rsa_pkcs1_sha1", 0x0201),
];

/// One word of OpenSSL's `KEY+HASH` sigalg form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SigalgWord {
    /// A key type: TLS 1.2's signature byte (RSA 1, DSA 2, ECDSA 3), or `None` for RSA-PSS.
    Key(Option<u8>),
    /// A hash: TLS 1.2's hash byte (SHA-1 2 ... SHA-512 6).
    Hash(u8),
}

/// A word of the `KEY+HASH` form: OpenSSL's key names, and hashes by OpenSSL's
/// short or long object name; either may come first.
fn sigalg_word(word: &str) -> Option<SigalgWord> {
    Some(match word {
        "RSA" => SigalgWord::Key(Some(1)),
        "DSA" => SigalgWord::Key(Some(2)),
        "ECDSA" => SigalgWord::Key(Some(3)),
        "RSA-PSS" | "PSS" => SigalgWord::Key(None),
        "SHA1" | "sha1" => SigalgWord::Hash(2),
        "SHA224" | "sha224" => SigalgWord::Hash(3),
        "SHA256" | "sha256" => SigalgWord::Hash(4),
        "SHA384" | "sha384" => SigalgWord::Hash(5),
        "SHA512" | "sha512" => SigalgWord::Hash(6),
        _ => return None,
    })
}

/// The code point of `KEY+HASH` (or `HASH+KEY`). RSA, DSA and ECDSA pair with
/// any of the five hashes as in TLS 1.2; RSA-PSS means the rsae schemes, which
/// exist for SHA-256, -384 and -512 only.
fn sigalg_pair(item: &str) -> Option<u16> {
    let (first, second) = item.split_once('+')?;
    let (key, hash) = match (sigalg_word(first)?, sigalg_word(second)?) {
        (SigalgWord::Key(key), SigalgWord::Hash(hash))
        | (SigalgWord::Hash(hash), SigalgWord::Key(key)) => (key, hash),
        _ => return None,
    };
    match key {
        Some(signature) => Some(u16::from_be_bytes([hash, signature])),
        // rsa_pss_rsae_sha256 is 0x0804: SHA-256's hash byte is 4.
        None if (4..=6).contains(&hash) => Some(0x0800 | u16::from(hash)),
        None => None,
    }
}

/// The code point of one `sigalgs` item: a name, or the `KEY+HASH` form.
fn sigalg(item: &str) -> Option<u16> {
    SIGALG_NAMES
        .iter()
        .find(|(name, _)| *name == item)
        .map(|(_, id)| *id)
        .or_else(|| sigalg_pair(item))
}

/// The signature schemes Node's `sigalgs` names, in order. `''` is Node's
/// `ERR_INVALID_ARG_VALUE`; an item OpenSSL does not know, or a scheme named
/// twice, fails as in Node. Whether this engine can verify a scheme is not
/// judged here.
pub(crate) fn sigalg_schemes(list: &str) -> Result<Vec<SignatureScheme>, TlsError> {
    if list.is_empty() {
        return Err(TlsError::invalid_arg_value("sigalgs", "''"));
    }
    let items = openssl_list(list).ok_or_else(sigalgs_failed)?;
    let mut schemes = Vec::with_capacity(items.len());
    for item in items {
        let scheme = SignatureScheme::from(sigalg(item).ok_or_else(sigalgs_failed)?);
        if schemes.contains(&scheme) {
            return Err(sigalgs_failed());
        }
        schemes.push(scheme);
    }
    Ok(schemes)
}

/// Node's error for a `sigalgs` list OpenSSL refuses: a plain Error with no
/// code (so the code is empty) and OpenSSL's empty error queue as its message.
pub(crate) fn sigalgs_failed() -> TlsError {
    TlsError::new("", "error:00000000:lib(0)::reason(0)")
}
