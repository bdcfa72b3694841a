//! Key-exchange groups under OpenSSL's names (`ecdhCurve`).

use rustls::NamedGroup;

use super::{openssl_list, trim_openssl_space};
use crate::TlsError;

/// Every key-exchange group Node 26's OpenSSL (3.5) takes in `ecdhCurve`,
/// under each name it accepts (compared without regard to case), with its TLS
/// code point. We can offer X25519, P-256, P-384, X448, the ffdhe groups and
/// the ML-KEM groups (`context::kx`).
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
    ("brainpoolP256r1tls13", 31),
    ("brainpoolP384r1tls13", 32),
    ("brainpoolP512r1tls13", 33),
    ("MLKEM512", 0x0200),
    ("MLKEM768", 0x0201),
    ("MLKEM1024", 0x0202),
    ("SecP256r1MLKEM768", 0x11eb),
    ("X25519MLKEM768", 0x11ec),
    ("SecP384r1MLKEM1024", 0x11ed),
];

/// Node's `DEFAULT_ECDH_CURVE`: the provider chooses its own groups.
pub(crate) const AUTO_ECDH_CURVE: &str = "auto";

/// OpenSSL 3.5's pseudo groups, each standing for a list: `DEFAULT` is its own
/// list (tuples split by `/`, `*` asks for a key share, `?` lets an unknown
/// name pass), `DEFAULT_SUITE_B` the Suite B curves.
const PSEUDO_GROUPS: &[(&str, &str)] = &[
    (
        "DEFAULT",
        "?*X25519MLKEM768 / ?*X25519:?secp256r1 / ?X448:?secp384r1:?secp521r1 / ?ffdhe2048:?ffdhe3072",
    ),
    ("DEFAULT_SUITE_B", "secp256r1:secp384r1"),
];

/// OpenSSL sends at most this many key shares; a list asking for more fails.
const MAX_KEY_SHARES: usize = 4;

/// A group name longer than this is a syntax error to OpenSSL.
const MAX_NAME_LEN: usize = 63;

/// The groups Node's `ecdhCurve` names, in order; `None` for `'auto'`. The
/// list is read as OpenSSL 3.5 reads it: groups split by `:` and tuples by
/// `/`; each name may carry the prefixes `*` (send a key share), `?` (ignore
/// it if unknown) and `-` (remove it from the list so far), each once;
/// `DEFAULT` stands for OpenSSL's own list; a group named twice counts once.
/// An empty result is valid here and fails when connecting, as in Node.
/// Whether rustls has a group is not judged here.
pub(crate) fn ecdh_groups(curve: &str) -> Result<Option<Vec<NamedGroup>>, TlsError> {
    if curve == AUTO_ECDH_CURVE {
        return Ok(None);
    }
    let mut list = GroupList::default();
    let list_text = trim_openssl_space(curve);
    if !list_text.is_empty() {
        list.add_tuples(list_text, false)
            .ok_or_else(ecdh_curve_failed)?;
    }
    if list.key_shares.len() > MAX_KEY_SHARES {
        return Err(ecdh_curve_failed());
    }
    Ok(Some(
        list.groups.into_iter().map(NamedGroup::from).collect(),
    ))
}

/// The groups and key shares of a list read so far.
#[derive(Default)]
struct GroupList {
    groups: Vec<u16>,
    key_shares: Vec<u16>,
}

impl GroupList {
    /// Adds the tuples of `text`; `None` on a syntax error or an unknown name.
    /// Within `DEFAULT` (`in_default`) unknown names pass.
    fn add_tuples(&mut self, text: &str, in_default: bool) -> Option<()> {
        for tuple in text.split('/') {
            for item in openssl_list(tuple)? {
                self.add_item(item, in_default)?;
            }
        }
        Some(())
    }

    /// One item: its prefixes, then a name or `DEFAULT`.
    fn add_item(&mut self, item: &str, in_default: bool) -> Option<()> {
        let (mut key_share, mut remove, mut ignore_unknown) = (false, false, false);
        let mut name = item;
        loop {
            let flag = match name.as_bytes().first() {
                Some(b'*') => &mut key_share,
                Some(b'-') => &mut remove,
                Some(b'?') => &mut ignore_unknown,
                _ => break,
            };
            if std::mem::replace(flag, true) {
                return None;
            }
            name = &name[1..];
        }
        if let Some((_, list)) = PSEUDO_GROUPS
            .iter()
            .find(|(pseudo, _)| pseudo.eq_ignore_ascii_case(name))
        {
            if remove || ignore_unknown {
                return None;
            }
            // OpenSSL puts a `*` before a pseudo group in front of its list:
            // DEFAULT's first item then has two (`*?*X25519MLKEM768`), a
            // syntax error.
            if key_share && !list.starts_with('*') {
                return self.add_tuples(&format!("*{list}"), true);
            }
            return self.add_tuples(list, true);
        }
        if name.is_empty() || name.len() > MAX_NAME_LEN {
            return None;
        }
        let Some(id) = group_id(name) else {
            return (ignore_unknown || in_default).then_some(());
        };
        if remove {
            self.groups.retain(|group| *group != id);
            self.key_shares.retain(|group| *group != id);
        } else if !self.groups.contains(&id) {
            self.groups.push(id);
            if key_share {
                self.key_shares.push(id);
            }
        }
        Some(())
    }
}

/// The code point of a group OpenSSL 3.5 knows by `name`, in any case.
fn group_id(name: &str) -> Option<u16> {
    GROUP_NAMES
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(name))
        .map(|(_, id)| *id)
}

/// OpenSSL's error (as Node reports it when connecting) when no group is left.
pub(crate) fn no_suitable_groups() -> TlsError {
    TlsError::ssl(0x127, "no suitable groups")
}

/// Node's error for an `ecdhCurve` OpenSSL refuses.
pub(crate) fn ecdh_curve_failed() -> TlsError {
    TlsError::new("ERR_CRYPTO_OPERATION_FAILED", "Failed to set ECDH curve")
}
