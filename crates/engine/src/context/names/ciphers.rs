//! Cipher suites under OpenSSL's and IANA's names, and OpenSSL's
//! cipher-list syntax as Node's `ciphers` option takes it.

use rustls::{CipherSuite, SupportedCipherSuite};

use crate::javascript::inspect_empty_strings;
use crate::TlsError;

/// One cipher suite rustls can offer, with its OpenSSL and IANA names and the
/// attributes OpenSSL's cipher-list keywords select on.
pub(super) struct SuiteName {
    id: u16,
    openssl: &'static str,
    iana: &'static str,
    /// ECDSA (true) or RSA (false) authentication; TLS 1.3 suites have none.
    ecdsa: bool,
    aead: &'static str,
}

/// Every suite of rustls's ring provider, and the DHE-RSA suites built beside
/// them (`context::kx`). TLS 1.3 suites first.
pub(super) const SUITES: &[SuiteName] = &[
    SuiteName {
        id: 0x1301,
        openssl: "TLS_AES_128_GCM_SHA256",
        iana: "TLS_AES_128_GCM_SHA256",
        ecdsa: false,
        aead: "AES128GCM",
    },
    SuiteName {
        id: 0x1302,
        openssl: "TLS_AES_256_GCM_SHA384",
        iana: "TLS_AES_256_GCM_SHA384",
        ecdsa: false,
        aead: "AES256GCM",
    },
    SuiteName {
        id: 0x1303,
        openssl: "TLS_CHACHA20_POLY1305_SHA256",
        iana: "TLS_CHACHA20_POLY1305_SHA256",
        ecdsa: false,
        aead: "CHACHA20",
    },
    SuiteName {
        id: 0xC02B,
        openssl: "ECDHE-ECDSA-AES128-GCM-SHA256",
        iana: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        ecdsa: true,
        aead: "AES128GCM",
    },
    SuiteName {
        id: 0xC02C,
        openssl: "ECDHE-ECDSA-AES256-GCM-SHA384",
        iana: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        ecdsa: true,
        aead: "AES256GCM",
    },
    SuiteName {
        id: 0xCCA9,
        openssl: "ECDHE-ECDSA-CHACHA20-POLY1305",
        iana: "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        ecdsa: true,
        aead: "CHACHA20",
    },
    SuiteName {
        id: 0xC02F,
        openssl: "ECDHE-RSA-AES128-GCM-SHA256",
        iana: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        ecdsa: false,
        aead: "AES128GCM",
    },
    SuiteName {
        id: 0xC030,
        openssl: "ECDHE-RSA-AES256-GCM-SHA384",
        iana: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        ecdsa: false,
        aead: "AES256GCM",
    },
    SuiteName {
        id: 0xCCA8,
        openssl: "ECDHE-RSA-CHACHA20-POLY1305",
        iana: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        ecdsa: false,
        aead: "CHACHA20",
    },
    SuiteName {
        id: 0x009E,
        openssl: "DHE-RSA-AES128-GCM-SHA256",
        iana: "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
        ecdsa: false,
        aead: "AES128GCM",
    },
    SuiteName {
        id: 0x009F,
        openssl: "DHE-RSA-AES256-GCM-SHA384",
        iana: "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        ecdsa: false,
        aead: "AES256GCM",
    },
    SuiteName {
        id: 0xCCAA,
        openssl: "DHE-RSA-CHACHA20-POLY1305",
        iana: "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        ecdsa: false,
        aead: "CHACHA20",
    },
];

fn is_tls13(id: u16) -> bool {
    id >> 8 == 0x13
}

/// The finite-field DHE suites, which OpenSSL's ECDHE keywords leave out.
fn is_dhe(id: u16) -> bool {
    matches!(id, 0x009E | 0x009F | 0xCCAA)
}

fn entry(id: u16) -> Option<&'static SuiteName> {
    SUITES.iter().find(|s| s.id == id)
}

/// `getCipher().name` and `.standardName` for a negotiated suite.
pub(crate) fn cipher_names(suite: CipherSuite) -> (String, String) {
    let id = u16::from(suite);
    match entry(id) {
        Some(s) => (s.openssl.to_owned(), s.iana.to_owned()),
        None => {
            let fallback = format!("{suite:?}");
            (fallback.clone(), fallback)
        }
    }
}

/// The guest's default preference: ChaCha20-Poly1305 first, because in wasm it runs
/// about four times faster than AES-GCM (ARCHITECTURE.md, "Measured"), then Node's AES order;
/// the DHE-RSA suites last, in the order Node's default list gives them.
pub(super) const DEFAULT_ORDER: &[u16] = &[
    0x1303, 0x1302, 0x1301, // TLS 1.3
    0xCCA9, 0xCCA8, 0xC02B, 0xC02F, 0xC02C, 0xC030, // TLS 1.2 ECDHE
    0x009E, 0x009F, 0xCCAA, // TLS 1.2 DHE
];

/// `tls.DEFAULT_CIPHERS` for this engine: the default preference as a cipher list
/// (IANA names for TLS 1.3, OpenSSL names for TLS 1.2, as Node writes its own).
pub(crate) fn default_cipher_list() -> String {
    let names: Vec<&str> = DEFAULT_ORDER
        .iter()
        .filter_map(|id| entry(*id))
        .map(|s| s.openssl)
        .collect();
    names.join(":")
}

/// `tls.getCiphers()`: every suite's OpenSSL name in lowercase, sorted, as Node lists them.
pub(crate) fn supported_cipher_names() -> Vec<String> {
    let mut names: Vec<String> = SUITES.iter().map(|s| s.openssl.to_lowercase()).collect();
    names.sort();
    names
}

/// Orders and filters `available` per Node's `ciphers` option (OpenSSL cipher-list
/// syntax; `TLS_` names choose the TLS 1.3 suites). `None`: the guest's default.
///
/// Understood: exact OpenSSL and IANA names, `!`/`-` exclusions, and the keywords
/// DEFAULT, ALL, HIGH, ECDHE, EECDH, DHE, EDH, aECDSA, ECDSA, aRSA, AESGCM,
/// AES128, AES256, CHACHA20. Other tokens select nothing, as OpenSSL ignores unknown names in a list.
pub(crate) fn select_suites(
    ciphers: Option<&str>,
    available: &[SupportedCipherSuite],
) -> Result<Vec<SupportedCipherSuite>, TlsError> {
    let order = match ciphers {
        // Node treats an empty list as none given (it is falsy there).
        None | Some("") => DEFAULT_ORDER.to_vec(),
        // Node splits the list at `:` first; with every item empty there is
        // no TLS 1.2 list and no TLS 1.3 list, which it refuses itself.
        Some(list) if list.split(':').all(str::is_empty) => {
            return Err(TlsError::invalid_arg_value(
                "ciphers",
                &inspect_empty_strings(list.split(':').count()),
            ))
        }
        Some(list) => parse_cipher_list(list)?,
    };
    Ok(order
        .iter()
        .filter_map(|id| {
            available
                .iter()
                .find(|s| u16::from(s.suite()) == *id)
                .copied()
        })
        .collect())
}

/// The suite ids a cipher list selects, in order. TLS 1.3 suites default to
/// `DEFAULT_ORDER`'s when the list names none, as Node keeps OpenSSL's TLS 1.3 list.
pub(super) fn parse_cipher_list(list: &str) -> Result<Vec<u16>, TlsError> {
    let mut tls12: Vec<u16> = Vec::new();
    let mut tls13: Vec<u16> = Vec::new();
    // `!` removes suites for good; `-` removes them until a later token adds them back.
    let mut banned: Vec<u16> = Vec::new();
    let mut named_tls13 = false;
    // Node hands `TLS_` and `!TLS_` items to OpenSSL's TLS 1.3 list, and every
    // other non-empty `:` item to its cipher list, whitespace included.
    let mut named_tls12 = list
        .split(':')
        .any(|item| !item.is_empty() && !is_tls13_item(item));
    for token in list.split([':', ',', ' ']) {
        // `@SECLEVEL=n` and `@STRENGTH` steer OpenSSL's own checks and ordering,
        // which rustls does not have: the name before them is what counts.
        let token = token.split('@').next().unwrap_or_default();
        if token.is_empty() {
            continue;
        }
        let (op, name) = match token.strip_prefix(['!', '-', '+']) {
            Some(rest) => (&token[..1], rest),
            None => ("", token),
        };
        if is_tls13_item(token) {
            // In OpenSSL's TLS 1.3 list, `!TLS_...` is a name it does not
            // know: ignored, as every unknown name there.
            named_tls13 = true;
            if !op.is_empty() {
                continue;
            }
            if let Some(s) = SUITES.iter().find(|s| is_tls13(s.id) && s.iana == name) {
                // A suite named twice is offered once, where it was first named.
                if !tls13.contains(&s.id) {
                    tls13.push(s.id);
                }
            }
            continue;
        }
        named_tls12 = true;
        let ids = keyword_suites(name);
        match op {
            "!" => {
                banned.extend(&ids);
                tls12.retain(|id| !ids.contains(id));
            }
            "-" => tls12.retain(|id| !ids.contains(id)),
            _ => {
                for id in ids {
                    if !banned.contains(&id) && !tls12.contains(&id) {
                        tls12.push(id);
                    }
                }
            }
        }
    }
    // OpenSSL refuses a TLS 1.3 list with no suite it knows, and a cipher list
    // that leaves no suite; each is checked only when given.
    if (named_tls13 && tls13.is_empty()) || (named_tls12 && tls12.is_empty()) {
        return Err(no_cipher_match());
    }
    if !named_tls13 {
        tls13 = DEFAULT_ORDER
            .iter()
            .copied()
            .filter(|id| is_tls13(*id))
            .collect();
    }
    tls13.extend(tls12);
    Ok(tls13)
}

/// Whether Node gives this item of a `ciphers` list to OpenSSL's TLS 1.3
/// list: a `TLS_` name, or one after `!`.
fn is_tls13_item(item: &str) -> bool {
    item.strip_prefix('!').unwrap_or(item).starts_with("TLS_")
}

/// The TLS 1.2 suites one cipher-list token stands for.
fn keyword_suites(name: &str) -> Vec<u16> {
    let tls12 = SUITES.iter().filter(|s| !is_tls13(s.id));
    let pick = |keep: &dyn Fn(&SuiteName) -> bool| -> Vec<u16> {
        SUITES
            .iter()
            .filter(|s| !is_tls13(s.id) && keep(s))
            .map(|s| s.id)
            .collect()
    };
    match name {
        "DEFAULT" | "ALL" | "HIGH" | "AEAD" => DEFAULT_ORDER
            .iter()
            .copied()
            .filter(|id| !is_tls13(*id))
            .collect(),
        "ECDHE" | "EECDH" | "kECDHE" => DEFAULT_ORDER
            .iter()
            .copied()
            .filter(|id| !is_tls13(*id) && !is_dhe(*id))
            .collect(),
        "DHE" | "EDH" | "kDHE" | "kEDH" | "DH" => DEFAULT_ORDER
            .iter()
            .copied()
            .filter(|id| is_dhe(*id))
            .collect(),
        "aECDSA" | "ECDSA" => pick(&|s| s.ecdsa),
        "aRSA" | "RSA" => pick(&|s| !s.ecdsa),
        "AESGCM" => pick(&|s| s.aead.starts_with("AES")),
        "AES128" => pick(&|s| s.aead == "AES128GCM"),
        "AES256" => pick(&|s| s.aead == "AES256GCM"),
        "CHACHA20" => pick(&|s| s.aead == "CHACHA20"),
        exact => tls12
            .filter(|s| s.openssl == exact || s.iana == exact)
            .map(|s| s.id)
            .collect(),
    }
}

/// OpenSSL's "no cipher match", as Node reports it.
pub(crate) fn no_cipher_match() -> TlsError {
    TlsError::ssl(0xB9, "no cipher match")
}
