//! The secure context's option rules, asked of Node where it answers.

use super::*;
use rustls::client::danger::ServerCertVerifier;
use rustls::{NamedGroup, ProtocolVersion};

/// The context for `options`, without credentials.
fn context_of(options: &ContextOptions) -> Result<SecureContext, TlsError> {
    SecureContext::new(options, &Credentials::default())
}

/// The versions a context built from `options` allows, newest first, or its error code.
fn versions_of(options: ContextOptions) -> Result<Vec<String>, String> {
    match context_of(&options) {
        Ok(_) => Ok(version_range(&options)
            .unwrap()
            .iter()
            .map(|v| names::protocol_name(v.version))
            .collect()),
        Err(err) => Err(err.code),
    }
}

/// `Ok` with these version names.
fn only(names: &[&str]) -> Result<Vec<String>, String> {
    Ok(names.iter().map(|n| n.to_string()).collect())
}

fn with_method(method: &str) -> ContextOptions {
    ContextOptions {
        secure_protocol: Some(method.into()),
        ..Default::default()
    }
}

fn with_bits(bits: u64) -> ContextOptions {
    ContextOptions {
        secure_options: Some(bits as f64),
        ..Default::default()
    }
}

/// What Node 20 negotiated against its own server (TLS 1.0 to 1.3), as seen
/// on this machine; TLS 1.0 and 1.1 leave nothing here.
#[test]
fn secure_protocol_sets_the_versions() {
    assert_eq!(
        versions_of(with_method("TLS_method")),
        only(&["TLSv1.3", "TLSv1.2"])
    );
    assert_eq!(
        versions_of(with_method("TLS_client_method")),
        only(&["TLSv1.3", "TLSv1.2"])
    );
    assert_eq!(
        versions_of(with_method("SSLv23_method")),
        only(&["TLSv1.2"])
    );
    assert_eq!(
        versions_of(with_method("TLSv1_2_method")),
        only(&["TLSv1.2"])
    );
    for legacy in ["TLSv1_method", "TLSv1_1_client_method"] {
        assert_eq!(
            versions_of(with_method(legacy)),
            Err("ERR_SSL_NO_PROTOCOLS_AVAILABLE".into()),
            "{legacy}"
        );
    }
    let err = context_of(&with_method("TLS_server_method")).unwrap_err();
    assert_eq!(err.code, "ERR_SSL_CALLED_A_FUNCTION_YOU_SHOULD_NOT_CALL");
    assert_eq!(
        err.message,
        "error:0A0C0101:SSL routines::called a function you should not call"
    );
}

/// `SSL_OP_NO_TLSv1_*` bits, with OpenSSL's rule that the lowest run of
/// versions wins (seen in Node 20: `minVersion: 'TLSv1'` with
/// `SSL_OP_NO_TLSv1_2` negotiated TLS 1.1).
#[test]
fn secure_options_take_versions_out() {
    const NO_TLS1: u64 = 0x0400_0000;
    const NO_TLS1_2: u64 = 0x0800_0000;
    const NO_TLS1_3: u64 = 0x2000_0000;
    assert_eq!(versions_of(with_bits(NO_TLS1_3)), only(&["TLSv1.2"]));
    assert_eq!(versions_of(with_bits(NO_TLS1_2)), only(&["TLSv1.3"]));
    assert_eq!(
        versions_of(with_bits(NO_TLS1)),
        only(&["TLSv1.3", "TLSv1.2"])
    );
    let none = Err("ERR_SSL_NO_PROTOCOLS_AVAILABLE".to_owned());
    assert_eq!(versions_of(with_bits(NO_TLS1_2 | NO_TLS1_3)), none);
    let mut options = with_bits(NO_TLS1_2);
    options.min_version = Some("TLSv1".into());
    assert_eq!(versions_of(options), none);
    let mut options = with_bits(NO_TLS1_2);
    options.secure_protocol = Some("TLS_method".into());
    assert_eq!(versions_of(options), none);
    let mut options = with_bits(NO_TLS1_2);
    options.secure_protocol = Some("TLSv1_2_method".into());
    assert_eq!(versions_of(options), none);
    let options = ContextOptions {
        secure_options: Some(-1.0),
        ..Default::default()
    };
    assert_eq!(versions_of(options), none);
    // Bits above 32 are other OpenSSL options: the low ones still count.
    assert_eq!(
        versions_of(with_bits((1 << 32) | NO_TLS1_3)),
        only(&["TLSv1.2"])
    );
}

#[test]
fn no_ticket_bit_sets_no_tickets() {
    let context = |bits| context_of(&with_bits(bits)).unwrap();
    assert!(context(names::SSL_OP_NO_TICKET).no_tickets);
    assert!(context(names::SSL_OP_NO_TICKET | 0x2000_0000).no_tickets);
    assert!(!context(0x2000_0000).no_tickets);
    assert!(!context_of(&ContextOptions::default()).unwrap().no_tickets);
}

/// Node's errors for `secureProtocol` with `minVersion` or `maxVersion`, and
/// which comes first when several options are wrong, asked of Node 20.
#[test]
fn version_conflicts_fail_as_in_node() {
    if !test_pki::require(&["node"]) {
        return;
    }
    let cases: Vec<serde_json::Value> = serde_json::from_str(
        r#"[
          {"secureProtocol": "TLSv1_2_method", "minVersion": "TLSv1.2"},
          {"secureProtocol": "TLSv1_2_method", "maxVersion": "TLSv1.3"},
          {"secureProtocol": "TLS_method", "minVersion": "TLSv1.2", "maxVersion": "TLSv1.3"},
          {"secureProtocol": "bogus", "minVersion": "TLSv1.2"},
          {"secureProtocol": "TLSv1_2_method", "minVersion": "TLSv9"},
          {"secureProtocol": "TLSv1_2_method", "minVersion": ""},
          {"secureProtocol": "TLSv1_2_method", "maxVersion": "a\"b\\c\n"},
          {"secureProtocol": "", "minVersion": "TLSv1.2"},
          {"secureProtocol": "", "minVersion": "TLSv9"},
          {"secureProtocol": "SSLv3_method", "minVersion": "TLSv1.2"},
          {"secureProtocol": "SSLv3_method"},
          {"secureProtocol": "bogus", "secureOptions": 0.5},
          {"secureProtocol": "TLSv1_2_method", "secureOptions": 0.5},
          {"secureOptions": 0.5, "sigalgs": "nope"},
          {"sigalgs": "nope", "ciphers": "BOGUS"},
          {"sigalgs": "", "ciphers": "BOGUS"},
          {"sigalgs": "nope", "ecdhCurve": "nope"},
          {"ciphers": "BOGUS", "ecdhCurve": "nope"},
          {"ecdhCurve": "nope"},
          {"secureProtocol": "TLSv1_2_method"}
        ]"#,
    )
    .unwrap();
    const SCRIPT: &str = r#"
        const tls = require('tls');
        for (const options of JSON.parse(process.argv[1])) {
          try { tls.createSecureContext(options); console.log('null'); }
          catch (e) { console.log(JSON.stringify([e.code ?? '', e.message])); }
        }"#;
    let json = serde_json::to_string(&cases).unwrap();
    let out = test_pki::node::run(SCRIPT, &[std::ffi::OsStr::new(&json)]);
    for (case, line) in cases.iter().zip(out.lines()) {
        let text = |key: &str| case.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        let options = ContextOptions {
            secure_protocol: text("secureProtocol"),
            min_version: text("minVersion"),
            max_version: text("maxVersion"),
            sigalgs: text("sigalgs"),
            ciphers: text("ciphers"),
            ecdh_curve: text("ecdhCurve"),
            secure_options: case.get("secureOptions").and_then(|v| v.as_f64()),
            ..Default::default()
        };
        let node: Option<(String, String)> = serde_json::from_str(line).unwrap();
        let ours = context_of(&options).err().map(|e| (e.code, e.message));
        assert_eq!(ours, node, "{case}");
    }
}

/// The groups rustls offers for `ecdhCurve`: those it has, in the order
/// named; a list of groups it lacks only fails as Node fails on a bad name.
#[test]
fn ecdh_curve_restricts_the_groups() {
    let groups = |curve: &str| {
        let options = ContextOptions {
            ecdh_curve: Some(curve.into()),
            ..Default::default()
        };
        context_of(&options).map(|context| {
            // Those named in the ClientHello: the TLS 1.2 DHE parameters,
            // always present, are never named.
            context
                .config
                .crypto_provider()
                .kx_groups
                .iter()
                .filter(|g| g.usable_for_version(ProtocolVersion::TLSv1_3))
                .map(|g| g.name())
                .collect::<Vec<_>>()
        })
    };
    assert_eq!(
        groups("auto").unwrap(),
        [
            NamedGroup::X25519MLKEM768,
            NamedGroup::X25519,
            NamedGroup::secp256r1,
            NamedGroup::X448,
            NamedGroup::secp384r1,
            NamedGroup::FFDHE2048,
            NamedGroup::FFDHE3072,
        ]
    );
    assert_eq!(groups("P-384").unwrap(), [NamedGroup::secp384r1]);
    assert_eq!(
        groups("DEFAULT:-x25519mlkem768").unwrap(),
        [
            NamedGroup::X25519,
            NamedGroup::secp256r1,
            NamedGroup::X448,
            NamedGroup::secp384r1,
            NamedGroup::FFDHE2048,
            NamedGroup::FFDHE3072,
        ]
    );
    assert_eq!(
        groups("SecP256r1MLKEM768:mlkem1024").unwrap(),
        [NamedGroup::secp256r1MLKEM768, NamedGroup::MLKEM1024]
    );
    // Valid lists that leave no group fail when connecting, as in Node.
    for empty in ["?nope", "-X25519", "X25519:-X25519", " ", ""] {
        let err = groups(empty).unwrap_err();
        assert_eq!(err.code, "ERR_SSL_NO_SUITABLE_GROUPS", "{empty}");
    }
    assert_eq!(
        groups("X448:secp384r1:ffdhe8192:secp521r1:x25519").unwrap(),
        [
            NamedGroup::X448,
            NamedGroup::secp384r1,
            NamedGroup::FFDHE8192,
            NamedGroup::X25519
        ]
    );
    for refused in [
        "secp521r1",
        "secp521r1:brainpoolP256r1",
        "nope",
        "X25519:nope",
    ] {
        let err = groups(refused).unwrap_err();
        assert_eq!(err.code, "ERR_CRYPTO_OPERATION_FAILED", "{refused}");
        assert_eq!(err.message, "Failed to set ECDH curve");
    }
}

/// The schemes offered for `sigalgs`: those the verifier has, in the order
/// named; a list of schemes it lacks only fails as Node fails on a bad list.
#[test]
fn sigalgs_restrict_the_offered_schemes() {
    let offered = |list: &str| {
        let options = ContextOptions {
            sigalgs: Some(list.into()),
            ..Default::default()
        };
        context_of(&options).map(|context| context.verifier.supported_verify_schemes())
    };
    assert_eq!(
        offered("ed448:rsa_pss_rsae_sha256:ECDSA+SHA256:RSA+SHA1").unwrap(),
        [
            SignatureScheme::RSA_PSS_SHA256,
            SignatureScheme::ECDSA_NISTP256_SHA256
        ]
    );
    for refused in ["ed448", "ecdsa_secp521r1_sha512:DSA+SHA256", "nope"] {
        let err = offered(refused).unwrap_err();
        assert_eq!(err.code, "", "{refused}");
        assert_eq!(err.message, "error:00000000:lib(0)::reason(0)");
    }
    assert_eq!(offered("").unwrap_err().code, "ERR_INVALID_ARG_VALUE");
    let all = context_of(&ContextOptions::default()).unwrap();
    assert_eq!(
        all.verifier.supported_verify_schemes(),
        signatures::ALGORITHMS.supported_schemes()
    );
}

#[test]
fn versions_below_tls12_only_leave_no_protocol() {
    let options = ContextOptions {
        max_version: Some("TLSv1.1".into()),
        ..Default::default()
    };
    let err = context_of(&options).unwrap_err();
    assert_eq!(err.code, "ERR_SSL_NO_PROTOCOLS_AVAILABLE");
    let options = ContextOptions {
        min_version: Some("TLSv1".into()),
        max_version: Some("TLSv1.2".into()),
        ..Default::default()
    };
    assert_eq!(version_range(&options).unwrap().len(), 1);
}

/// Key-log lines (Node's `'keylog'` event) are never written unless asked,
/// and nothing asks yet: rustls's default key log discards every secret.
#[test]
fn no_key_log_unless_asked() {
    let context = context_of(&ContextOptions::default()).unwrap();
    for label in [
        "CLIENT_RANDOM",
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
        "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        "CLIENT_TRAFFIC_SECRET_0",
        "SERVER_TRAFFIC_SECRET_0",
        "EXPORTER_SECRET",
    ] {
        assert!(!context.config.key_log.will_log(label), "{label}");
    }
}

/// A version 1 client certificate (openssl signs one without extensions) with
/// its key makes a context, as in Node; another key fails as in Node. webpki,
/// which rustls's own key check uses, reads only version 3 certificates.
#[test]
fn version_1_client_certificates_load_as_in_node() {
    use crate::credentials::fixtures::{as_node, file, node_context, pki};
    use crate::options::{KeyEntry, Pem};
    if !test_pki::require(&["node", "openssl"]) {
        return;
    }
    for algorithm in ["ec", "rsa:2048"] {
        let dir = pki(algorithm);
        for key in ["client.key", "ca.key"] {
            let credentials = Credentials {
                cert: Some(vec![Pem::Bytes(dir.read("client.pem"))]),
                key: Some(vec![KeyEntry {
                    pem: Pem::Bytes(dir.read(key)),
                    passphrase: None,
                }]),
                ..Default::default()
            };
            let ours = as_node(SecureContext::new(&ContextOptions::default(), &credentials));
            let node = node_context(&serde_json::json!({
                "cert": file(&dir.path("client.pem")),
                "key": file(&dir.path(key)),
            }));
            assert_eq!(ours, node, "{algorithm} with {key}");
        }
    }
}

/// A TLS 1.2 server's DHE parameters are taken whatever `ecdhCurve` names,
/// as OpenSSL's client takes them: RFC 7919's groups and the RFC 3526 prime
/// Node's `dhparam: 'auto'` sends. A TLS 1.2 suite no group serves is dropped
/// rather than refused by rustls.
#[test]
fn dhe_parameters_and_suites_follow_the_groups() {
    let provider_for = |curve: &str| {
        let options = ContextOptions {
            ecdh_curve: Some(curve.into()),
            ..Default::default()
        };
        context_of(&options)
            .unwrap()
            .config
            .crypto_provider()
            .clone()
    };
    let provider = provider_for("X25519");
    let primes: Vec<_> = (provider.kx_groups.iter())
        .filter_map(|g| g.ffdhe_group())
        .map(|params| params.p[..12].to_vec())
        .collect();
    assert_eq!(primes.len(), 10);
    // ffdhe2048's and RFC 3526's 2048-bit prime.
    assert!(primes.contains(&b"\xff\xff\xff\xff\xff\xff\xff\xff\xad\xf8\x54\x58".to_vec()));
    assert!(primes.contains(&b"\xff\xff\xff\xff\xff\xff\xff\xff\xc9\x0f\xda\xa2".to_vec()));
    let suite_ids = |provider: &rustls::crypto::CryptoProvider| {
        (provider.cipher_suites.iter())
            .map(|s| u16::from(s.suite()))
            .filter(|id| id >> 8 != 0x13)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        suite_ids(&provider),
        [0xCCA9, 0xCCA8, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0x009E, 0x009F, 0xCCAA]
    );
    assert_eq!(
        suite_ids(&provider_for("ffdhe2048")),
        [0x009E, 0x009F, 0xCCAA]
    );
}
