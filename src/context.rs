//! The secure context: Node's `createSecureContext` options (ca, cert, key,
//! passphrase, ciphers, versions, secureProtocol, secureOptions, ecdhCurve,
//! sigalgs) and ALPN turned into a rustls `ClientConfig`.

use std::sync::Arc;

use rustls::crypto::{CryptoProvider, SupportedKxGroup};
use rustls::{ClientConfig, SignatureScheme, SupportedProtocolVersion};

use crate::names::{self, select_suites, Version};
use crate::options::{AlpnProtocols, ConnectOptions};
use crate::verify::{AcceptChainVerifier, TrustStore};
use crate::TlsError;
use crate::{keys, record_crypto, session, signatures};

/// What a connection needs from its secure context: the rustls config and the
/// trust store its chain is judged against.
#[derive(Debug, Clone)]
pub struct SecureContext {
    /// The rustls configuration.
    pub config: Arc<ClientConfig>,
    /// The trusted roots.
    pub trust: TrustStore,
    /// The handshake verifier; each connection gets its own copy that keeps the OCSP response.
    pub verifier: Arc<AcceptChainVerifier>,
    /// `SSL_OP_NO_TICKET`: TLS 1.2 resumes by session id only.
    pub no_tickets: bool,
}

impl SecureContext {
    /// Builds the context from the options, applying Node's defaults and checks.
    /// `send_sni` turns the SNI extension on (Node sends it only for `servername`).
    pub fn from_options(options: &ConnectOptions, send_sni: bool) -> Result<Self, TlsError> {
        // Node's order: versions (with secureProtocol and secureOptions), then
        // ciphers, sigalgs and ecdhCurve; "no protocols" only when connecting.
        let versions = version_range(options)?;
        let base = rustls::crypto::ring::default_provider();
        let cipher_suites = record_crypto::host_first(select_suites(
            options.ciphers.as_deref(),
            &base.cipher_suites,
        )?);
        let schemes = offered_schemes(options.sigalgs.as_deref())?;
        let kx_groups = kx_groups(options.ecdh_curve.as_deref(), &base.kx_groups)?;
        let provider = Arc::new(CryptoProvider {
            cipher_suites,
            kx_groups,
            signature_verification_algorithms: signatures::ALGORITHMS,
            ..base
        });
        if versions.is_empty() {
            return Err(no_protocols_available());
        }
        // Shared with every context offering the same schemes, and the resolver
        // below with every context of the same client chain: rustls resumes a
        // session only under the verifier and resolver that made it.
        let verifier = session::shared_verifier(&Arc::new(AcceptChainVerifier::new(
            provider.signature_verification_algorithms,
            schemes,
        )));
        let builder = ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&versions)
            .map_err(|_| no_ciphers_available())?
            .dangerous()
            .with_custom_certificate_verifier(verifier.clone());
        let keys = keys::client_identity(options)?;
        let mut config = match keys.identity {
            // rustls takes its own copy and wipes it once loaded; ours is wiped on drop.
            Some(identity) => builder
                .with_client_auth_cert(identity.chain, identity.key.clone_key())
                .map_err(|_| key_values_mismatch())?,
            None => builder.with_no_client_auth(),
        };
        config.client_auth_cert_resolver =
            session::shared_resolver(&config.client_auth_cert_resolver);
        config.enable_sni = send_sni;
        if let Some(alpn) = &options.alpn_protocols {
            config.alpn_protocols = alpn_list(alpn)?;
        }
        Ok(Self {
            config: Arc::new(config),
            trust: TrustStore::from_ca(options.ca.as_deref())
                .with_extra_certificates(&keys.pfx_authorities)
                .with_partial_chains(options.allow_partial_trust_chain.unwrap_or(false))
                .with_crls(options.crl.as_deref())?,
            verifier,
            no_tickets: options.secure_option_bits()? & names::SSL_OP_NO_TICKET != 0,
        })
    }
}

/// The versions rustls may use, newest first, within Node's
/// `minVersion`..`maxVersion` (default TLSv1.2..TLSv1.3). rustls has no TLS 1.0
/// or 1.1: the list is empty when OpenSSL would allow only those, or nothing,
/// and connecting then fails as OpenSSL does when no version is left.
///
/// As in Node: `secureProtocol` conflicts with an explicit `minVersion` or
/// `maxVersion` and otherwise replaces them (see [`names::protocol_method`]);
/// then `secureOptions`' `SSL_OP_NO_TLSv1*` bits take versions out, and where
/// that leaves two runs of versions OpenSSL keeps the lower one (`minVersion`
/// TLSv1 with `SSL_OP_NO_TLSv1_2` means TLS 1.0 to 1.1, so nothing here).
fn version_range(
    options: &ConnectOptions,
) -> Result<Vec<&'static SupportedProtocolVersion>, TlsError> {
    check_version_conflict(options)?;
    let mut min = match &options.min_version {
        Some(name) => Version::parse(name, "minimum")?,
        None => names::DEFAULT_MIN_VERSION,
    };
    let mut max = match &options.max_version {
        Some(name) => Version::parse(name, "maximum")?,
        None => names::DEFAULT_MAX_VERSION,
    };
    if let Some(name) = &options.secure_protocol {
        let method = names::protocol_method(name)?;
        if !method.client {
            return Err(server_method());
        }
        (min, max) = (method.min, method.max);
    }
    let bits = options.secure_option_bits()?;
    let allowed = |v: Version| min <= v && v <= max && bits & names::disabling_bit(v) == 0;
    Ok(lowest_run(allowed)
        .into_iter()
        .filter_map(|v| match v {
            Version::Tls13 => Some(&rustls::version::TLS13),
            Version::Tls12 => Some(&rustls::version::TLS12),
            Version::Tls10 | Version::Tls11 => None,
        })
        .collect())
}

/// OpenSSL's choice among the allowed versions: walking down from the newest,
/// a version allowed after one that is not starts the range afresh, so the
/// lowest run of adjacent allowed versions wins. Newest first.
fn lowest_run(allowed: impl Fn(Version) -> bool) -> Vec<Version> {
    let mut run = Vec::new();
    let mut in_gap = true;
    for version in [
        Version::Tls13,
        Version::Tls12,
        Version::Tls11,
        Version::Tls10,
    ] {
        if !allowed(version) {
            in_gap = true;
            continue;
        }
        if in_gap {
            run.clear();
            in_gap = false;
        }
        run.push(version);
    }
    run
}

/// Node's `ERR_TLS_PROTOCOL_VERSION_CONFLICT`: a non-empty `secureProtocol`
/// with `minVersion` or `maxVersion` given (whatever their value; checked first).
fn check_version_conflict(options: &ConnectOptions) -> Result<(), TlsError> {
    let Some(method) = options.secure_protocol.as_deref().filter(|m| !m.is_empty()) else {
        return Ok(());
    };
    match options
        .min_version
        .as_deref()
        .or(options.max_version.as_deref())
    {
        Some(version) => Err(TlsError::new(
            "ERR_TLS_PROTOCOL_VERSION_CONFLICT",
            format!(
                "TLS protocol version {} conflicts with secureProtocol {}",
                json_string(version),
                json_string(method)
            ),
        )),
        None => Ok(()),
    }
}

/// `JSON.stringify` of a string, as Node's `%j` shows it in messages.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// OpenSSL's error for a server-only method (`TLS_server_method`) used to
/// connect; Node reports it when the connection starts, before any byte is sent.
fn server_method() -> TlsError {
    TlsError::new(
        "ERR_SSL_CALLED_A_FUNCTION_YOU_SHOULD_NOT_CALL",
        "error:0A0C0101:SSL routines::called a function you should not call",
    )
}

/// OpenSSL's error when no protocol version is left.
fn no_protocols_available() -> TlsError {
    TlsError::new(
        "ERR_SSL_NO_PROTOCOLS_AVAILABLE",
        "error:0A0000BF:SSL routines::no protocols available",
    )
}

/// The signature schemes to offer for Node's `sigalgs` (`None`: every scheme
/// the verifier has). OpenSSL knows schemes ring cannot verify (Ed448, P-521,
/// RSA-PSS with PSS keys, DSA, SHA-1 and SHA-224): a list naming at least one
/// scheme the verifier has offers those and drops the others; a list of only
/// such schemes fails as Node fails on a list it cannot use. Names OpenSSL does
/// not know fail as in Node.
fn offered_schemes(sigalgs: Option<&str>) -> Result<Option<Vec<SignatureScheme>>, TlsError> {
    let Some(list) = sigalgs else {
        return Ok(None);
    };
    let supported = signatures::ALGORITHMS.supported_schemes();
    let schemes: Vec<_> = names::sigalg_schemes(list)?
        .into_iter()
        .filter(|scheme| supported.contains(scheme))
        .collect();
    if schemes.is_empty() {
        return Err(names::sigalgs_failed());
    }
    Ok(Some(schemes))
}

/// The key-exchange groups to offer for Node's `ecdhCurve`, in its order
/// (`None` or 'auto': the provider's own, X25519, P-256, P-384). OpenSSL knows
/// groups rustls's ring provider lacks (X448, P-521, brainpool, the ffdhe
/// groups, ...): a list naming at least one group rustls has offers those and
/// drops the others; a list of only such groups fails with Node's "Failed to set
/// ECDH curve", what Node says of a group its OpenSSL cannot set. Names OpenSSL
/// does not know fail as in Node.
fn kx_groups(
    curve: Option<&str>,
    available: &[&'static dyn SupportedKxGroup],
) -> Result<Vec<&'static dyn SupportedKxGroup>, TlsError> {
    let Some(wanted) = names::ecdh_groups(curve.unwrap_or(names::AUTO_ECDH_CURVE))? else {
        return Ok(available.to_vec());
    };
    let groups: Vec<_> = wanted
        .iter()
        .filter_map(|name| available.iter().find(|g| g.name() == *name).copied())
        .collect();
    if groups.is_empty() {
        return Err(names::ecdh_curve_failed());
    }
    Ok(groups)
}

/// OpenSSL's error (as Node throws it) when the key is not the certificate's.
fn key_values_mismatch() -> TlsError {
    TlsError::new(
        "ERR_OSSL_X509_KEY_VALUES_MISMATCH",
        "error:05800074:x509 certificate routines::key values mismatch",
    )
}

/// OpenSSL's error when no offered suite fits the allowed versions.
fn no_ciphers_available() -> TlsError {
    TlsError::new(
        "ERR_SSL_NO_CIPHERS_AVAILABLE",
        "error:0A0000B5:SSL routines::no ciphers available",
    )
}

/// Node's `ALPNProtocols` as a list of protocol names, with Node's checks.
pub fn alpn_list(alpn: &AlpnProtocols) -> Result<Vec<Vec<u8>>, TlsError> {
    let names: Vec<Vec<u8>> = match alpn {
        AlpnProtocols::Names(names) => names.iter().map(|n| n.as_bytes().to_vec()).collect(),
        AlpnProtocols::Buffers(buffers) => buffers.clone(),
        AlpnProtocols::Wire(wire) => return parse_wire(wire),
    };
    for (index, name) in names.iter().enumerate() {
        if name.len() > 255 {
            return Err(TlsError::new(
                "ERR_OUT_OF_RANGE",
                format!(
                    "The byte length of the protocol at index {index} exceeds the maximum length. It must be <= 255. Received {}",
                    name.len()
                ),
            ));
        }
    }
    Ok(names.into_iter().filter(|n| !n.is_empty()).collect())
}

/// Splits ALPN wire format (`\x08http/1.1\x02h2`) into names.
fn parse_wire(mut wire: &[u8]) -> Result<Vec<Vec<u8>>, TlsError> {
    let mut names = Vec::new();
    while let Some((&len, rest)) = wire.split_first() {
        let len = usize::from(len);
        if len == 0 || rest.len() < len {
            return Err(TlsError::invalid_arg_value(
                "ALPNProtocols",
                "a malformed wire-format buffer",
            ));
        }
        names.push(rest[..len].to_vec());
        wire = &rest[len..];
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::client::danger::ServerCertVerifier;
    use rustls::NamedGroup;

    /// The versions a context built from `options` allows, newest first, or its error code.
    fn versions_of(options: ConnectOptions) -> Result<Vec<String>, String> {
        match SecureContext::from_options(&options, false) {
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

    fn with_method(method: &str) -> ConnectOptions {
        ConnectOptions {
            secure_protocol: Some(method.into()),
            ..Default::default()
        }
    }

    fn with_bits(bits: u64) -> ConnectOptions {
        ConnectOptions {
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
        let err =
            SecureContext::from_options(&with_method("TLS_server_method"), false).unwrap_err();
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
        let options = ConnectOptions {
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
        let context = |bits| SecureContext::from_options(&with_bits(bits), false).unwrap();
        assert!(context(names::SSL_OP_NO_TICKET).no_tickets);
        assert!(context(names::SSL_OP_NO_TICKET | 0x2000_0000).no_tickets);
        assert!(!context(0x2000_0000).no_tickets);
        assert!(
            !SecureContext::from_options(&ConnectOptions::default(), false)
                .unwrap()
                .no_tickets
        );
    }

    /// Node's errors for `secureProtocol` with `minVersion` or `maxVersion`, and
    /// which comes first when several options are wrong, asked of Node 20.
    #[test]
    fn version_conflicts_fail_as_in_node() {
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
        let out = crate::node_oracle::run(SCRIPT, &[std::ffi::OsStr::new(&json)]);
        for (case, line) in cases.iter().zip(out.lines()) {
            let text = |key: &str| case.get(key).and_then(|v| v.as_str()).map(str::to_owned);
            let options = ConnectOptions {
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
            let ours = SecureContext::from_options(&options, false)
                .err()
                .map(|e| (e.code, e.message));
            assert_eq!(ours, node, "{case}");
        }
    }

    /// The groups rustls offers for `ecdhCurve`: those it has, in the order
    /// named; a list of groups it lacks only fails as Node fails on a bad name.
    #[test]
    fn ecdh_curve_restricts_the_groups() {
        let groups = |curve: &str| {
            let options = ConnectOptions {
                ecdh_curve: Some(curve.into()),
                ..Default::default()
            };
            SecureContext::from_options(&options, false).map(|context| {
                context
                    .config
                    .crypto_provider()
                    .kx_groups
                    .iter()
                    .map(|g| g.name())
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            groups("auto").unwrap(),
            [
                NamedGroup::X25519,
                NamedGroup::secp256r1,
                NamedGroup::secp384r1
            ]
        );
        assert_eq!(groups("P-384").unwrap(), [NamedGroup::secp384r1]);
        assert_eq!(
            groups("X448:secp384r1:ffdhe2048:x25519").unwrap(),
            [NamedGroup::secp384r1, NamedGroup::X25519]
        );
        for refused in [
            "X448",
            "X448:secp521r1:ffdhe2048",
            "nope",
            "",
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
            let options = ConnectOptions {
                sigalgs: Some(list.into()),
                ..Default::default()
            };
            SecureContext::from_options(&options, false)
                .map(|context| context.verifier.supported_verify_schemes())
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
        let all = SecureContext::from_options(&ConnectOptions::default(), false).unwrap();
        assert_eq!(
            all.verifier.supported_verify_schemes(),
            signatures::ALGORITHMS.supported_schemes()
        );
    }

    #[test]
    fn alpn_forms_agree() {
        let wire = b"\x08http/1.1\x08http/1.0".to_vec();
        let from_wire = alpn_list(&AlpnProtocols::Wire(wire)).unwrap();
        let from_names = alpn_list(&AlpnProtocols::Names(vec![
            "http/1.1".into(),
            "http/1.0".into(),
        ]))
        .unwrap();
        assert_eq!(from_wire, from_names);
        assert_eq!(from_wire, vec![b"http/1.1".to_vec(), b"http/1.0".to_vec()]);
    }

    #[test]
    fn alpn_name_over_255_bytes_is_out_of_range() {
        let err = alpn_list(&AlpnProtocols::Names(vec!["a".repeat(256)])).unwrap_err();
        assert_eq!(err.code, "ERR_OUT_OF_RANGE");
        assert_eq!(
            err.message,
            "The byte length of the protocol at index 0 exceeds the maximum length. It must be <= 255. Received 256"
        );
    }

    #[test]
    fn versions_below_tls12_only_leave_no_protocol() {
        let options = ConnectOptions {
            max_version: Some("TLSv1.1".into()),
            ..Default::default()
        };
        let err = SecureContext::from_options(&options, false).unwrap_err();
        assert_eq!(err.code, "ERR_SSL_NO_PROTOCOLS_AVAILABLE");
        let options = ConnectOptions {
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
        let context = SecureContext::from_options(&ConnectOptions::default(), false).unwrap();
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
}
