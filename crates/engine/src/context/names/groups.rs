//! Key-exchange groups under OpenSSL's names (`ecdhCurve`).

use rustls::NamedGroup;

use super::openssl_list;
use crate::TlsError;

/// Every key-exchange group Node 20's OpenSSL (3.0) takes in `ecdhCurve`, under
/// each name it accepts (names are case-sensitive), with its TLS code point.
/// rustls's ring provider has three of them: X25519, P-256 and P-384.
pub(super) const GROUP_NAMES: &[(&str, u16)] = &[
    ("sect163k1", 1),
    ("sect163r1", 2),
    ("sect163r2", 3),
    ("sect193r1", 4),
    ("sect193r2", 5),
    ("sect233k1", 6),
    ("sect233r1", 7),
    ("sect239k1", 8),
    ("sect283k1", 9),
    ("sect283r1", 10),
    ("sect409k1", 11),
    ("sect409r1", 12),
    ("sect571k1", 13),
    ("sect571r1", 14),
    ("secp160k1", 15),
    ("secp160r1", 16),
    ("secp160r2", 17),
    ("secp192k1", 18),
    ("secp192r1", 19),
    ("prime192v1", 19),
    ("P-192", 19),
    ("secp224k1", 20),
    ("secp224r1", 21),
    ("P-224", 21),
    ("secp256k1", 22),
    ("secp256r1", 23),
    ("prime256v1", 23),
    ("P-256", 23),
    ("secp384r1", 24),
    ("P-384", 24),
    ("secp521r1", 25),
    ("P-521", 25),
    ("brainpoolP256r1", 26),
    ("brainpoolP384r1", 27),
    ("brainpoolP512r1", 28),
    ("x25519", 29),
    ("X25519", 29),
    ("x448", 30),
    ("X448", 30),
    ("ffdhe2048", 256),
    ("ffdhe3072", 257),
    ("ffdhe4096", 258),
    ("ffdhe6144", 259),
    ("ffdhe8192", 260),
];

/// Node's `DEFAULT_ECDH_CURVE`: the provider chooses its own groups.
pub(crate) const AUTO_ECDH_CURVE: &str = "auto";

/// The groups Node's `ecdhCurve` names, in order; `None` for `'auto'`. Each item
/// must be a name OpenSSL knows, named once (two aliases of one group count
/// as twice); anything else fails as Node does. Whether rustls has the group is
/// not judged here.
pub(crate) fn ecdh_groups(curve: &str) -> Result<Option<Vec<NamedGroup>>, TlsError> {
    if curve == AUTO_ECDH_CURVE {
        return Ok(None);
    }
    let items = openssl_list(curve).ok_or_else(ecdh_curve_failed)?;
    let mut groups = Vec::with_capacity(items.len());
    for item in items {
        let group = GROUP_NAMES
            .iter()
            .find(|(name, _)| *name == item)
            .map(|(_, id)| NamedGroup::from(*id))
            .ok_or_else(ecdh_curve_failed)?;
        if groups.contains(&group) {
            return Err(ecdh_curve_failed());
        }
        groups.push(group);
    }
    Ok(Some(groups))
}

/// Node's error for an `ecdhCurve` OpenSSL refuses.
pub(crate) fn ecdh_curve_failed() -> TlsError {
    TlsError::new("ERR_CRYPTO_OPERATION_FAILED", "Failed to set ECDH curve")
}
