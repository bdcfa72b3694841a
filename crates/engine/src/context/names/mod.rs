//! Name tables: protocol versions and methods, cipher suites, key-exchange
//! groups and signature algorithms under the names Node and OpenSSL use, mapped
//! to what rustls offers.

use rustls::{CipherSuite, NamedGroup, ProtocolVersion, SignatureScheme, SupportedCipherSuite};

use crate::TlsError;

/// A TLS version as Node names it, ordered oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Version {
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
pub(crate) const DEFAULT_MIN_VERSION: Version = Version::Tls12;

/// Node's `tls.DEFAULT_MAX_VERSION`.
pub(crate) const DEFAULT_MAX_VERSION: Version = Version::Tls13;

impl Version {
    /// The name Node gives this version: `'TLSv1.2'`.
    pub(crate) fn node_name(self) -> &'static str {
        match self {
            Version::Tls10 => "TLSv1",
            Version::Tls11 => "TLSv1.1",
            Version::Tls12 => "TLSv1.2",
            Version::Tls13 => "TLSv1.3",
        }
    }

    /// Parses a `minVersion`/`maxVersion` value; `bound` is "minimum" or "maximum"
    /// for Node's error message.
    pub(crate) fn parse(name: &str, bound: &str) -> Result<Self, TlsError> {
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
pub(crate) fn protocol_name(version: ProtocolVersion) -> String {
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
/// about four times faster than AES-GCM (DESIGN.md), then Node's AES order.
const DEFAULT_ORDER: &[u16] = &[
    0x1303, 0x1302, 0x1301, // TLS 1.3
    0xCCA9, 0xCCA8, 0xC02B, 0xC02F, 0xC02C, 0xC030, // TLS 1.2
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
/// DEFAULT, ALL, HIGH, ECDHE, EECDH, aECDSA, ECDSA, aRSA, AESGCM, AES128, AES256,
/// CHACHA20. Other tokens select nothing, as OpenSSL ignores unknown names in a list.
pub(crate) fn select_suites(
    ciphers: Option<&str>,
    available: &[SupportedCipherSuite],
) -> Result<Vec<SupportedCipherSuite>, TlsError> {
    let order = match ciphers {
        // Node treats an empty list as none given (it is falsy there).
        None | Some("") => DEFAULT_ORDER.to_vec(),
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
pub(crate) fn no_cipher_match() -> TlsError {
    TlsError::new(
        "ERR_SSL_NO_CIPHER_MATCH",
        "error:0A0000B9:SSL routines::no cipher match",
    )
}

/// Trims OpenSSL's whitespace (C's `isspace`) around one item of a
/// colon-separated list: OpenSSL's list parser takes `'X25519 : P-256'`.
fn trim_openssl_space(item: &str) -> &str {
    item.trim_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r'])
}

/// The items of an OpenSSL colon-separated list, each trimmed; `None` when an
/// item is empty, as OpenSSL refuses `''`, `'a:'` and `'a::b'`.
fn openssl_list(list: &str) -> Option<Vec<&str>> {
    list.split(':')
        .map(trim_openssl_space)
        .map(|item| (!item.is_empty()).then_some(item))
        .collect()
}

/// Every key-exchange group Node 20's OpenSSL (3.0) takes in `ecdhCurve`, under
/// each name it accepts (names are case-sensitive), with its TLS code point.
/// rustls's ring provider has three of them: X25519, P-256 and P-384.
const GROUP_NAMES: &[(&str, u16)] = &[
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

/// The signature algorithms OpenSSL 3.0 takes by their own name in `sigalgs`,
/// with their TLS code points. Others (DSA, ECDSA with SHA-1 or SHA-224) have
/// only the `KEY+HASH` form.
const SIGALG_NAMES: &[(&str, u16)] = &[
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

/// What an OpenSSL method name (Node's `secureProtocol`) allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ProtocolMethod {
    /// The lowest version.
    pub min: Version,
    /// The highest version.
    pub max: Version,
    /// False for the `*_server_method` names, with which a client cannot connect.
    pub client: bool,
}

/// Node's reading of `secureProtocol`: `TLS_method` (any version),
/// `SSLv23_method` (Node's default minimum up to TLS 1.2), `TLSv1_2_method`,
/// `TLSv1_1_method` and `TLSv1_method` (that version only), each also with
/// `_client_method` and `_server_method`. SSLv2 and SSLv3 names are refused
/// as disabled, anything else as unknown.
pub(crate) fn protocol_method(name: &str) -> Result<ProtocolMethod, TlsError> {
    let (base, client) = if let Some(base) = name.strip_suffix("_client_method") {
        (base, true)
    } else if let Some(base) = name.strip_suffix("_server_method") {
        (base, false)
    } else {
        (name.strip_suffix("_method").unwrap_or_default(), true)
    };
    let (min, max) = match base {
        "TLS" => (Version::Tls10, Version::Tls13),
        "SSLv23" => (DEFAULT_MIN_VERSION, Version::Tls12),
        "TLSv1_2" => (Version::Tls12, Version::Tls12),
        "TLSv1_1" => (Version::Tls11, Version::Tls11),
        "TLSv1" => (Version::Tls10, Version::Tls10),
        "SSLv3" | "SSLv2" => {
            return Err(invalid_protocol_method(&format!("{base} methods disabled")))
        }
        _ => return Err(invalid_protocol_method(&format!("Unknown method: {name}"))),
    };
    Ok(ProtocolMethod { min, max, client })
}

/// Node's `ERR_TLS_INVALID_PROTOCOL_METHOD` with its message.
fn invalid_protocol_method(message: &str) -> TlsError {
    TlsError::new("ERR_TLS_INVALID_PROTOCOL_METHOD", message)
}

/// OpenSSL's `SSL_OP_NO_TICKET`: no session tickets.
pub(crate) const SSL_OP_NO_TICKET: u64 = 0x4000;

/// OpenSSL's `SSL_OP_NO_TLSv1`, `_NO_TLSv1_1`, `_NO_TLSv1_2` and `_NO_TLSv1_3` bits.
pub(crate) fn disabling_bit(version: Version) -> u64 {
    match version {
        Version::Tls10 => 0x0400_0000,
        Version::Tls11 => 0x1000_0000,
        Version::Tls12 => 0x0800_0000,
        Version::Tls13 => 0x2000_0000,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    fn ids(list: &str) -> Vec<u16> {
        parse_cipher_list(list).unwrap()
    }

    /// What Node's `tls.createSecureContext({[option]: value})` does with each
    /// value: `None` when it takes it, else the error's code (empty when it has
    /// none) and message.
    fn node_context_errors(option: &str, values: &[String]) -> Vec<Option<(String, String)>> {
        const SCRIPT: &str = r#"
            const tls = require('tls');
            const [option, values] = [process.argv[1], JSON.parse(process.argv[2])];
            for (const value of values) {
              try { tls.createSecureContext({ [option]: value }); console.log('null'); }
              catch (e) { console.log(JSON.stringify([e.code ?? '', e.message])); }
            }"#;
        // In batches: one argument may hold 128 KiB at most.
        let mut answers = Vec::with_capacity(values.len());
        for batch in values.chunks(400) {
            let json = serde_json::to_string(batch).unwrap();
            let out = test_pki::node::run(SCRIPT, &[OsStr::new(option), OsStr::new(&json)]);
            answers.extend(out.lines().map(|line| serde_json::from_str(line).unwrap()));
        }
        answers
    }

    /// Asserts that `ours` fails exactly where Node fails, with Node's code and message.
    fn assert_errors_match<T>(
        option: &str,
        values: &[String],
        ours: impl Fn(&str) -> Result<T, TlsError>,
    ) {
        let node = node_context_errors(option, values);
        assert_eq!(node.len(), values.len());
        for (value, node) in values.iter().zip(node) {
            let ours = ours(value).err().map(|e| (e.code, e.message));
            assert_eq!(ours, node, "{option}: {value:?}");
        }
    }

    /// Every pair "a:b" of `names`: OpenSSL refuses a list naming one thing twice.
    fn pairs(names: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                out.push(format!("{a}:{b}"));
            }
        }
        out
    }

    #[test]
    fn ecdh_curve_fails_where_node_fails() {
        let curves = test_pki::node::run(
            "console.log(require('crypto').getCurves().join('\\n'))",
            &[],
        );
        let mut values: Vec<String> = curves.lines().map(str::to_owned).collect();
        values.extend(GROUP_NAMES.iter().map(|(name, _)| name.to_string()));
        values.extend(
            [
                "auto",
                "AUTO",
                " auto",
                "",
                "nope",
                "p-256",
                "prime256V1",
                "X25519:",
                ":X25519",
                "X25519::P-256",
                "X25519 ",
                " X25519\t",
                "X25519 : P-256",
                "X 25519",
                "X25519,P-256",
                "auto:X25519",
                "brainpoolP256r1tls13",
                "X25519: ",
            ]
            .map(str::to_owned),
        );
        assert_errors_match("ecdhCurve", &values, ecdh_groups);
    }

    /// Aliases of one group are one group to OpenSSL: naming two of them fails.
    #[test]
    fn ecdh_curve_aliases_are_one_group_as_in_node() {
        let names: Vec<&str> = GROUP_NAMES.iter().map(|(name, _)| *name).collect();
        assert_errors_match("ecdhCurve", &pairs(&names), ecdh_groups);
    }

    #[test]
    fn ecdh_curve_names_are_rustls_groups() {
        let groups = ecdh_groups("X25519:P-256:secp384r1:X448:P-521:ffdhe2048")
            .unwrap()
            .unwrap();
        assert_eq!(
            groups,
            [
                NamedGroup::X25519,
                NamedGroup::secp256r1,
                NamedGroup::secp384r1,
                NamedGroup::X448,
                NamedGroup::secp521r1,
                NamedGroup::FFDHE2048,
            ]
        );
        assert_eq!(ecdh_groups("auto").unwrap(), None);
        let err = ecdh_groups("nope").unwrap_err();
        assert_eq!(err.code, "ERR_CRYPTO_OPERATION_FAILED");
        assert_eq!(err.message, "Failed to set ECDH curve");
    }

    /// Every name and `KEY+HASH` form, each alone, in both orders, and with words
    /// OpenSSL does not pair.
    fn sigalg_candidates() -> Vec<String> {
        let keys = [
            "RSA", "RSA-PSS", "PSS", "ECDSA", "DSA", "EC", "ED25519", "rsa",
        ];
        let hashes = [
            "SHA1", "sha1", "SHA224", "sha224", "SHA256", "sha256", "SHA384", "sha384", "SHA512",
            "sha512", "MD5", "SHA3-256", "Sha256",
        ];
        let mut values: Vec<String> = SIGALG_NAMES.iter().map(|(n, _)| n.to_string()).collect();
        for key in keys {
            for hash in hashes {
                values.push(format!("{key}+{hash}"));
                values.push(format!("{hash}+{key}"));
            }
        }
        values
    }

    #[test]
    fn sigalgs_fail_where_node_fails() {
        let mut values = sigalg_candidates();
        values.extend(
            [
                "",
                " ",
                ":",
                "nope",
                "ecdsa_sha1",
                "ED25519",
                "ed25519 ",
                " ed25519\t",
                "ed25519:",
                "ed25519::ed448",
                "RSA + SHA256",
                "RSA+SHA256 ",
                "RSA+RSA",
                "SHA256+SHA256",
                "RSA+",
                "+SHA256",
                "RSA+SHA256+",
                "ECDSA+SHA256,RSA+SHA256",
                "ED25519+SHA256",
                "gost2012_256",
                "ecdsa_brainpoolP256r1_sha256",
            ]
            .map(str::to_owned),
        );
        assert_errors_match("sigalgs", &values, sigalg_schemes);
    }

    /// A scheme named twice fails: the pairs OpenSSL refuses show which names
    /// and `KEY+HASH` forms are one scheme to it.
    #[test]
    fn sigalg_forms_name_the_same_schemes_as_in_node() {
        let accepted: Vec<String> = sigalg_candidates()
            .into_iter()
            .filter(|v| sigalg_schemes(v).is_ok())
            .collect();
        let accepted: Vec<&str> = accepted.iter().map(String::as_str).collect();
        assert_errors_match("sigalgs", &pairs(&accepted), sigalg_schemes);
    }

    #[test]
    fn sigalg_names_are_rustls_schemes() {
        let list =
            "rsa_pss_rsae_sha256:ECDSA+SHA256:ed25519:RSA+SHA384:sha1+ECDSA:ed448:PSS+SHA512";
        assert_eq!(
            sigalg_schemes(list).unwrap(),
            [
                SignatureScheme::RSA_PSS_SHA256,
                SignatureScheme::ECDSA_NISTP256_SHA256,
                SignatureScheme::ED25519,
                SignatureScheme::RSA_PKCS1_SHA384,
                SignatureScheme::ECDSA_SHA1_Legacy,
                SignatureScheme::ED448,
                SignatureScheme::RSA_PSS_SHA512,
            ]
        );
        let err = sigalg_schemes("").unwrap_err();
        assert_eq!(err.code, "ERR_INVALID_ARG_VALUE");
        assert_eq!(
            err.message,
            "The property 'options.sigalgs' is invalid. Received ''"
        );
    }

    /// Every method name Node knows or refuses, with the versions it allows:
    /// Node's own `getMinProto()`/`getMaxProto()` (0: the lowest there is).
    #[test]
    fn protocol_methods_follow_node() {
        let mut names = vec![
            "bogus".to_owned(),
            String::new(),
            "tls_method".to_owned(),
            "TLS_METHOD".to_owned(),
            "_method".to_owned(),
        ];
        for base in [
            "TLS", "SSLv23", "TLSv1_3", "TLSv1_2", "TLSv1_1", "TLSv1", "SSLv3", "SSLv2", "DTLS",
            "DTLSv1",
        ] {
            for suffix in ["_method", "_client_method", "_server_method"] {
                names.push(format!("{base}{suffix}"));
            }
        }
        assert_errors_match("secureProtocol", &names, protocol_method);
        const RANGES: &str = r#"
            const tls = require('tls');
            for (const name of JSON.parse(process.argv[1])) {
              const c = tls.createSecureContext({ secureProtocol: name }).context;
              console.log(JSON.stringify([c.getMinProto(), c.getMaxProto()]));
            }"#;
        let known: Vec<&String> = names
            .iter()
            .filter(|n| protocol_method(n).is_ok())
            .collect();
        let json = serde_json::to_string(&known).unwrap();
        let out = test_pki::node::run(RANGES, &[OsStr::new(&json)]);
        let version = |v: u16| match v {
            0 | 0x0301 => Version::Tls10,
            0x0302 => Version::Tls11,
            0x0303 => Version::Tls12,
            _ => Version::Tls13,
        };
        for (name, line) in known.iter().zip(out.lines()) {
            let (min, max): (u16, u16) = serde_json::from_str(line).unwrap();
            let method = protocol_method(name).unwrap();
            assert_eq!(
                (method.min, method.max),
                (version(min), version(max)),
                "{name}"
            );
            assert_eq!(method.client, !name.ends_with("_server_method"), "{name}");
        }
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

    /// Node 20 and 26: `ciphers: ''` is the default list, and OpenSSL's
    /// `@SECLEVEL=n` / `@STRENGTH` suffixes leave the names they follow.
    #[test]
    fn empty_list_and_openssl_directives() {
        let provider = rustls::crypto::ring::default_provider();
        let all = &provider.cipher_suites;
        let ids = |list: Option<&str>| -> Vec<u16> {
            select_suites(list, all)
                .unwrap()
                .iter()
                .map(|s| u16::from(s.suite()))
                .collect()
        };
        assert_eq!(ids(Some("")), ids(None));
        assert_eq!(ids(Some("DEFAULT@SECLEVEL=0")), ids(Some("DEFAULT")));
        assert_eq!(
            ids(Some("ECDHE-ECDSA-AES128-GCM-SHA256:@STRENGTH")),
            ids(Some("ECDHE-ECDSA-AES128-GCM-SHA256"))
        );
    }
}
