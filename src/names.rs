//! Name tables: protocol versions and cipher suites under the names Node and
//! OpenSSL use, mapped to what rustls offers.

use rustls::{CipherSuite, ProtocolVersion, SupportedCipherSuite};

use crate::TlsError;

/// A TLS version as Node names it, ordered oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    /// 'TLSv1'
    Tls10,
    /// 'TLSv1.1'
    Tls11,
    /// 'TLSv1.2'
    Tls12,
    /// 'TLSv1.3'
    Tls13,
}

/// Node's `tls.DEFAULT_MIN_VERSION`.
pub const DEFAULT_MIN_VERSION: Version = Version::Tls12;

/// Node's `tls.DEFAULT_MAX_VERSION`.
pub const DEFAULT_MAX_VERSION: Version = Version::Tls13;

impl Version {
    /// The name Node gives this version: `'TLSv1.2'`.
    pub fn node_name(self) -> &'static str {
        match self {
            Version::Tls10 => "TLSv1",
            Version::Tls11 => "TLSv1.1",
            Version::Tls12 => "TLSv1.2",
            Version::Tls13 => "TLSv1.3",
        }
    }

    /// Parses a `minVersion`/`maxVersion` value; `bound` is "minimum" or "maximum"
    /// for Node's error message.
    pub fn parse(name: &str, bound: &str) -> Result<Self, TlsError> {
        match name {
            "TLSv1" => Ok(Version::Tls10),
            "TLSv1.1" => Ok(Version::Tls11),
            "TLSv1.2" => Ok(Version::Tls12),
            "TLSv1.3" => Ok(Version::Tls13),
            _ => Err(TlsError::new(
                "ERR_TLS_INVALID_PROTOCOL_VERSION",
                format!("\"{name}\" is not a valid {bound} TLS protocol version"),
            )),
        }
    }
}

/// Node's name for a negotiated protocol version (`getProtocol()`).
pub fn protocol_name(version: ProtocolVersion) -> String {
    match version {
        ProtocolVersion::TLSv1_3 => "TLSv1.3".to_owned(),
        ProtocolVersion::TLSv1_2 => "TLSv1.2".to_owned(),
        ProtocolVersion::TLSv1_1 => "TLSv1.1".to_owned(),
        ProtocolVersion::TLSv1_0 => "TLSv1".to_owned(),
        _ => "unknown".to_owned(),
    }
}

/// One cipher suite rustls can offer, with its OpenSSL and IANA names and the
/// attributes OpenSSL's cipher-list keywords select on.
struct SuiteName {
    id: u16,
    openssl: &'static str,
    iana: &'static str,
    /// ECDSA (true) or RSA (false) authentication; TLS 1.3 suites have none.
    ecdsa: bool,
    aead: &'static str,
}

/// Every suite of rustls's ring provider. TLS 1.3 suites first.
const SUITES: &[SuiteName] = &[
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
];

fn is_tls13(id: u16) -> bool {
    id >> 8 == 0x13
}

fn entry(id: u16) -> Option<&'static SuiteName> {
    SUITES.iter().find(|s| s.id == id)
}

/// `getCipher().name` and `.standardName` for a negotiated suite.
pub fn cipher_names(suite: CipherSuite) -> (String, String) {
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
/// about four times faster than AES-GCM (DESIGN.md), then Node's AES order.
const DEFAULT_ORDER: &[u16] = &[
    0x1303, 0x1302, 0x1301, // TLS 1.3
    0xCCA9, 0xCCA8, 0xC02B, 0xC02F, 0xC02C, 0xC030, // TLS 1.2
];

/// `tls.DEFAULT_CIPHERS` for this engine: the default preference as a cipher list
/// (IANA names for TLS 1.3, OpenSSL names for TLS 1.2, as Node writes its own).
pub fn default_cipher_list() -> String {
    let names: Vec<&str> = DEFAULT_ORDER
        .iter()
        .filter_map(|id| entry(*id))
        .map(|s| s.openssl)
        .collect();
    names.join(":")
}

/// `tls.getCiphers()`: every suite's OpenSSL name in lowercase, sorted, as Node lists them.
pub fn supported_cipher_names() -> Vec<String> {
    let mut names: Vec<String> = SUITES.iter().map(|s| s.openssl.to_lowercase()).collect();
    names.sort();
    names
}

/// Orders and filters `available` per Node's `ciphers` option (OpenSSL cipher-list
/// syntax; `TLS_` names choose the TLS 1.3 suites). `None`: the guest's default.
///
/// Understood: exact OpenSSL and IANA names, `!`/`-` exclusions, and the keywords
/// DEFAULT, ALL, HIGH, ECDHE, EECDH, aECDSA, ECDSA, aRSA, AESGCM, AES128, AES256,
/// CHACHA20. Other tokens select nothing, as OpenSSL ignores unknown names in a list.
pub fn select_suites(
    ciphers: Option<&str>,
    available: &[SupportedCipherSuite],
) -> Result<Vec<SupportedCipherSuite>, TlsError> {
    let order = match ciphers {
        None => DEFAULT_ORDER.to_vec(),
        Some("") => {
            return Err(TlsError::invalid_arg_value("ciphers", "''"));
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
fn parse_cipher_list(list: &str) -> Result<Vec<u16>, TlsError> {
    let mut tls12: Vec<u16> = Vec::new();
    let mut tls13: Vec<u16> = Vec::new();
    // `!` removes suites for good; `-` removes them until a later token adds them back.
    let mut banned: Vec<u16> = Vec::new();
    let mut named_tls13 = false;
    let mut named_tls12 = false;
    for token in list.split([':', ',', ' ']).filter(|t| !t.is_empty()) {
        let (op, name) = match token.strip_prefix(['!', '-', '+']) {
            Some(rest) => (&token[..1], rest),
            None => ("", token),
        };
        // Node hands `TLS_` names to OpenSSL's TLS 1.3 list, the rest to its cipher list.
        if name.starts_with("TLS_") && op.is_empty() {
            named_tls13 = true;
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
        "DEFAULT" | "ALL" | "HIGH" | "ECDHE" | "EECDH" | "kECDHE" | "AEAD" => DEFAULT_ORDER
            .iter()
            .copied()
            .filter(|id| !is_tls13(*id))
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
pub fn no_cipher_match() -> TlsError {
    TlsError::new(
        "ERR_SSL_NO_CIPHER_MATCH",
        "error:0A0000B9:SSL routines::no cipher match",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &str) -> Vec<u16> {
        parse_cipher_list(list).unwrap()
    }

    /// Lists Node 20's `tls.createSecureContext({ciphers})` refuses with
    /// ERR_SSL_NO_CIPHER_MATCH, and lists it takes, as asked of Node on this machine.
    #[test]
    fn no_cipher_match_where_node_finds_none() {
        for refused in [
            "BOGUS",
            "!ALL",
            "ALL:!ALL",
            "TLS_BOGUS",
            "TLS_BOGUS:BOGUS",
            "TLS_AES_128_GCM_SHA256:BOGUS",
            "TLS_BOGUS:ECDHE-RSA-AES128-GCM-SHA256",
        ] {
            let err = parse_cipher_list(refused).expect_err(refused);
            assert_eq!(err.code, "ERR_SSL_NO_CIPHER_MATCH", "{refused}");
        }
        for taken in [
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_128_GCM_SHA256:TLS_BOGUS",
            "ECDHE-RSA-AES128-GCM-SHA256:BOGUS",
            "-ALL:ECDHE-RSA-AES128-GCM-SHA256",
            "HIGH",
            "DEFAULT:!CHACHA20",
        ] {
            assert!(parse_cipher_list(taken).is_ok(), "{taken}");
        }
    }

    #[test]
    fn exact_names_keep_their_order_after_default_tls13() {
        let got = ids("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305");
        assert_eq!(got, vec![0x1303, 0x1302, 0x1301, 0xC02F, 0xCCA9]);
    }

    #[test]
    fn a_suite_named_twice_is_offered_once() {
        let got = ids("TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256");
        assert_eq!(got, vec![0x1301, 0x1303]);
    }

    #[test]
    fn tls_names_replace_the_tls13_list() {
        let got = ids("TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES256-GCM-SHA384");
        assert_eq!(got, vec![0x1301, 0xC030]);
    }

    #[test]
    fn exclusions_remove_suites() {
        let got = ids("HIGH:!CHACHA20:!aECDSA");
        assert_eq!(got, vec![0x1303, 0x1302, 0x1301, 0xC02F, 0xC030]);
    }

    #[test]
    fn unknown_names_are_ignored_but_nothing_matching_fails() {
        assert_eq!(
            ids("FOO:ECDHE-ECDSA-AES128-GCM-SHA256").last(),
            Some(&0xC02B)
        );
        let err = parse_cipher_list("TLS_BOGUS").unwrap_err();
        assert_eq!(err.code, "ERR_SSL_NO_CIPHER_MATCH");
        assert_eq!(err.message, "error:0A0000B9:SSL routines::no cipher match");
    }

    #[test]
    fn default_offers_chacha_first() {
        let provider = rustls::crypto::ring::default_provider();
        let suites = select_suites(None, &provider.cipher_suites).unwrap();
        assert_eq!(
            suites[0].suite(),
            CipherSuite::TLS13_CHACHA20_POLY1305_SHA256
        );
        assert_eq!(suites.len(), provider.cipher_suites.len());
    }

    #[test]
    fn default_list_selects_the_default_order() {
        let list = default_cipher_list();
        assert!(list.starts_with("TLS_CHACHA20_POLY1305_SHA256:"), "{list}");
        assert_eq!(ids(&list), DEFAULT_ORDER.to_vec());
    }

    #[test]
    fn cipher_names_are_lowercase_and_sorted() {
        let names = supported_cipher_names();
        assert_eq!(names.len(), SUITES.len());
        assert!(names.windows(2).all(|w| w[0] < w[1]));
        assert!(names.contains(&"tls_chacha20_poly1305_sha256".to_owned()));
        assert!(names.contains(&"ecdhe-rsa-aes128-gcm-sha256".to_owned()));
    }

    #[test]
    fn version_names_follow_node() {
        assert_eq!(
            Version::parse("TLSv1.2", "minimum").unwrap(),
            Version::Tls12
        );
        let err = Version::parse("TLSv9", "minimum").unwrap_err();
        assert_eq!(err.code, "ERR_TLS_INVALID_PROTOCOL_VERSION");
        assert_eq!(
            err.message,
            "\"TLSv9\" is not a valid minimum TLS protocol version"
        );
    }
}
