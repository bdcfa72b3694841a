//! The name tables against Node and OpenSSL.

use super::ciphers::{parse_cipher_list, DEFAULT_ORDER, SUITES};
use super::groups::GROUP_NAMES;
use super::sigalgs::SIGALG_NAMES;
use super::*;
use crate::TlsError;
use rustls::{CipherSuite, NamedGroup, SignatureScheme};
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
    if !test_pki::require(&["node"]) {
        return;
    }
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
            // OpenSSL 3.5's list: any case, prefixes, tuples, DEFAULT.
            "x25519mlkem768",
            "SECP256R1MLKEM768",
            "X25519:X25519",
            "P-256:p-256",
            "DEFAULT",
            "default",
            "DEFAULT:-X25519",
            "DEFAULT:-bogus",
            "DEFAULT:-?bogus",
            "DEFAULT:DEFAULT",
            "P-256/DEFAULT",
            "*DEFAULT",
            "?DEFAULT",
            "-DEFAULT",
            "DEFAULT_SUITE_B",
            "DEFAULTX",
            "-X25519",
            "X25519:-X25519",
            "?",
            "*",
            ":",
            " ",
            "?bogus",
            "?*X25519",
            "*?X25519",
            "**X25519",
            "??X25519",
            "--X25519",
            "-?X25519:X25519",
            "X25519:?-P-256",
            "X25519/P-256",
            "X25519 /P-256",
            "X25519//P-256",
            "/X25519",
            "X25519/",
            "*P-256:*X25519:*X448:*P-384",
            "*P-256:*X25519:*X448:*P-384:*P-521",
            "*P-256:*X25519:*X448:*P-384:*P-256",
            "*P-256:*X25519:*X448:*P-384:-P-384:*P-521",
            "GC256A",
            "?GC256A",
            "MLKEM512:MLKEM768:MLKEM1024",
            "X25519MLKEM768xx",
        ]
        .map(str::to_owned),
    );
    assert_errors_match("ecdhCurve", &values, ecdh_groups);
}

/// Aliases of one group are one group to OpenSSL: naming two of them fails.
#[test]
fn ecdh_curve_aliases_are_one_group_as_in_node() {
    if !test_pki::require(&["node"]) {
        return;
    }
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
    if !test_pki::require(&["node"]) {
        return;
    }
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
            // OpenSSL 3.5: any case, `?`, names counted once, ML-DSA.
            "rsa+SHA1",
            "rsa-pss+sha256",
            "ECDSA_SECP256R1_SHA256:ecdsa+sha256",
            "RSA+SHA1:?bogus",
            "?RSA+SHA256",
            "?",
            "?bogus",
            "?:RSA+SHA256",
            "??RSA+SHA256",
            "RSA+SHA256:?",
            "RSA+SHA256:-RSA+SHA256",
            "*RSA+SHA256",
            "mldsa65:ML-DSA-44",
            "RSA+MD5",
            "RSA-PSS+SHA1",
            "brainpoolP256r1+SHA256",
        ]
        .map(str::to_owned),
    );
    assert_errors_match("sigalgs", &values, sigalg_schemes);
}

/// A scheme named twice fails: the pairs OpenSSL refuses show which names
/// and `KEY+HASH` forms are one scheme to it.
#[test]
fn sigalg_forms_name_the_same_schemes_as_in_node() {
    if !test_pki::require(&["node"]) {
        return;
    }
    let accepted: Vec<String> = sigalg_candidates()
        .into_iter()
        .filter(|v| sigalg_schemes(v).is_ok())
        .collect();
    let accepted: Vec<&str> = accepted.iter().map(String::as_str).collect();
    assert_errors_match("sigalgs", &pairs(&accepted), sigalg_schemes);
}

#[test]
fn sigalg_names_are_rustls_schemes() {
    let list = "rsa_pss_rsae_sha256:ECDSA+SHA256:ed25519:RSA+SHA384:sha1+ECDSA:ed448:PSS+SHA512";
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
    if !test_pki::require(&["node"]) {
        return;
    }
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

/// Lists Node's `tls.createSecureContext({ciphers})` refuses with
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

/// Lists with TLS 1.3 names and exclusions, separators alone, and spaces:
/// ours fails where Node fails, with its code and message.
#[test]
fn cipher_lists_fail_where_node_fails() {
    if !test_pki::require(&["node"]) {
        return;
    }
    let values: Vec<String> = [
        ":",
        "::",
        ":::::",
        "::::::",
        ":::::::",
        &":".repeat(19),
        &":".repeat(27),
        &":".repeat(99),
        &":".repeat(119),
        ":DEFAULT",
        "DEFAULT:",
        " ",
        "!TLS_CHACHA20_POLY1305_SHA256",
        "DEFAULT:!TLS_CHACHA20_POLY1305_SHA256",
        "TLS_AES_128_GCM_SHA256:!TLS_CHACHA20_POLY1305_SHA256",
        "-TLS_AES_128_GCM_SHA256",
        "DEFAULT:-TLS_AES_128_GCM_SHA256",
        "!ECDHE-RSA-AES128-GCM-SHA256",
        "TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256",
        "HIGH:!TLS_AES_128_GCM_SHA256",
        "TLS_AES_256_GCM_SHA384:HIGH:!TLS_AES_128_GCM_SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256:!TLS_AES_128_GCM_SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256 ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES128-GCM-SHA256,ECDHE-RSA-AES256-GCM-SHA384",
        "HIGH:!TLS_CHACHA20_POLY1305_SHA256",
        "DEFAULT:-TLS_CHACHA20_POLY1305_SHA256",
        "DEFAULT:!TLS_BOGUS",
        "DEFAULT:!BOGUS",
        "TLS_AES_128_GCM_SHA256:DEFAULT:!TLS_CHACHA20_POLY1305_SHA256",
        "!TLS_CHACHA20_POLY1305_SHA256:DEFAULT",
        "DEFAULT:!TLS",
        "DEFAULT:!TLSv1.2",
    ]
    .map(str::to_owned)
    .to_vec();
    let provider = rustls::crypto::ring::default_provider();
    assert_errors_match("ciphers", &values, |list| {
        select_suites(Some(list), &provider.cipher_suites)
    });
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
    assert_eq!(
        got,
        vec![0x1303, 0x1302, 0x1301, 0xC02F, 0xC030, 0x009E, 0x009F]
    );
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
