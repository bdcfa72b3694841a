//! Signature algorithms under OpenSSL's names (`sigalgs`).

use rustls::SignatureScheme;

use super::openssl_list;
use crate::TlsError;

/// The signature algorithms Node 26's OpenSSL (3.5) takes by their own name in
/// `sigalgs` (compared without regard to case), with their TLS code points.
pub(super) const SIGALG_NAMES: &[(&str, u16)] = &[
    ("ecdsa_secp256r1_sha256", 0x0403),
    ("ecdsa_secp384r1_sha384", 0x0503),
    ("ecdsa_secp521r1_sha512", 0x0603),
    ("ecdsa_sha224", 0x0303),
    ("ecdsa_sha1", 0x0203),
    ("ed25519", 0x0807),
    ("ed448", 0x0808),
    ("ecdsa_brainpoolP256r1tls13_sha256", 0x081a),
    ("ecdsa_brainpoolP384r1tls13_sha384", 0x081b),
    ("ecdsa_brainpoolP512r1tls13_sha512", 0x081c),
    ("ecdsa_brainpoolP256r1_sha256", 0x081a),
    ("ecdsa_brainpoolP384r1_sha384", 0x081b),
    ("ecdsa_brainpoolP512r1_sha512", 0x081c),
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
    ("dsa_sha1", 0x0202),
    ("dsa_sha224", 0x0302),
    ("dsa_sha256", 0x0402),
    ("dsa_sha384", 0x0502),
    ("dsa_sha512", 0x0602),
    ("mldsa44", 0x0904),
    ("mldsa65", 0x0905),
    ("mldsa87", 0x0906),
    ("ML-DSA-44", 0x0904),
    ("ML-DSA-65", 0x0905),
    ("ML-DSA-87", 0x0906),
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
    // Key words in any case; a digest by its OpenSSL short or long name only.
    const KEYS: &[(&str, Option<u8>)] = &[
        ("RSA", Some(1)),
        ("DSA", Some(2)),
        ("ECDSA", Some(3)),
        ("RSA-PSS", None),
        ("PSS", None),
    ];
    if let Some((_, key)) = KEYS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(word))
    {
        return Some(SigalgWord::Key(*key));
    }
    Some(SigalgWord::Hash(match word {
        "SHA1" | "sha1" => 2,
        "SHA224" | "sha224" => 3,
        "SHA256" | "sha256" => 4,
        "SHA384" | "sha384" => 5,
        "SHA512" | "sha512" => 6,
        _ => return None,
    }))
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
        .find(|(name, _)| name.eq_ignore_ascii_case(item))
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
        // OpenSSL 3.5: `?` before a name lets it pass when unknown; a second
        // `?` is a bad argument.
        let (optional, name) = match item.strip_prefix('?') {
            Some(rest) if rest.starts_with('?') => return Err(invalid_argument()),
            Some(rest) => (true, rest),
            None => (false, item),
        };
        let Some(id) = sigalg(name) else {
            if optional {
                continue;
            }
            return Err(sigalgs_failed());
        };
        // A scheme named twice counts once, where it was first named.
        let scheme = SignatureScheme::from(id);
        if !schemes.contains(&scheme) {
            schemes.push(scheme);
        }
    }
    if schemes.is_empty() {
        return Err(invalid_argument());
    }
    Ok(schemes)
}

/// OpenSSL's error for a list whose syntax it refuses, or that names nothing.
fn invalid_argument() -> TlsError {
    TlsError::ssl(0x80106, "passed invalid argument")
}

/// Node's error for a `sigalgs` list OpenSSL refuses: a plain Error with no
/// code (so the code is empty) and OpenSSL's empty error queue as its message.
pub(crate) fn sigalgs_failed() -> TlsError {
    TlsError::new("", "error:00000000:lib(0)::reason(0)")
}
