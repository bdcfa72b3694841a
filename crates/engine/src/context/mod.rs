//! The secure context: Node's `createSecureContext` options (ca, cert, key,
//! passphrase, ciphers, versions, secureProtocol, secureOptions, ecdhCurve,
//! sigalgs) and ALPN turned into a rustls `ClientConfig`.

mod compression;
pub(crate) use compression::algorithm_names as certificate_compression_algorithms;
mod kx;
pub(crate) use kx::{dh_bits, SECP384R1_MLKEM1024};
pub(crate) mod names;
mod shared;

use std::sync::Arc;

use rustls::crypto::{CryptoProvider, SupportedKxGroup};
use rustls::sign::SingleCertAndKey;
use rustls::{ClientConfig, SignatureScheme, SupportedCipherSuite, SupportedProtocolVersion};

use crate::credentials;
use crate::offload::{records, signatures};
use crate::options::{ContextOptions, Credentials};
use crate::verify::{AcceptChainVerifier, TrustStore};
use crate::TlsError;
use names::{select_suites, Version};

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
    /// Node's `tls.createSecureContext(options)`: the context options and the
    /// credentials, with Node's defaults and checks. What each connection has
    /// of its own (SNI, ALPN, sessions) is added when it starts.
    pub fn new(options: &ContextOptions, credentials: &Credentials) -> Result<Self, TlsError> {
        Self::build(options, credentials, |provider| provider)
    }

    /// A context whose crypto provider `adjust` changes once Node's options
    /// have shaped it: the fuzz targets' fixed randomness and key shares
    /// (`fuzzing::deterministic_context`).
    #[cfg(feature = "fuzzing")]
    pub(crate) fn with_provider(
        options: &ContextOptions,
        credentials: &Credentials,
        adjust: impl FnOnce(CryptoProvider) -> CryptoProvider,
    ) -> Result<Self, TlsError> {
        Self::build(options, credentials, adjust)
    }

    fn build(
        options: &ContextOptions,
        credentials: &Credentials,
        adjust: impl FnOnce(CryptoProvider) -> CryptoProvider,
    ) -> Result<Self, TlsError> {
        // Node's order: versions (with secureProtocol and secureOptions), then
        // ciphers, sigalgs and ecdhCurve; "no protocols" only when connecting.
        let versions = version_range(options)?;
        let base = rustls::crypto::ring::default_provider();
        // ring's suites and the DHE-RSA ones, which ring lacks.
        let available: Vec<_> = (base.cipher_suites.iter().copied())
            .chain(kx::dhe_suites())
            .collect();
        let cipher_suites =
            records::host_first(select_suites(options.ciphers.as_deref(), &available)?);
        // Node checks certificateCompression after the credentials and before
        // sigalgs; here it follows the ciphers.
        let decompressors = compression::decompressors(options)?;
        let schemes = offered_schemes(options.sigalgs.as_deref())?;
        let offered_groups = kx_groups(options.ecdh_curve.as_deref())?;
        let no_groups = offered_groups.is_empty();
        // The TLS 1.2 DHE parameters go last: rustls makes its first key share
        // from the first group, and never names these.
        let kx_groups = (offered_groups.into_iter())
            .chain(kx::TLS12_PARAMS.iter().copied())
            .collect();
        let mut provider = adjust(CryptoProvider {
            cipher_suites,
            kx_groups,
            signature_verification_algorithms: signatures::ALGORITHMS,
            ..base
        });
        // rustls refuses a config with a TLS 1.2 suite whose key exchange no
        // group serves (ECDHE under an ffdhe-only `ecdhCurve`); OpenSSL just
        // never negotiates it.
        provider.cipher_suites.retain(|suite| match suite {
            SupportedCipherSuite::Tls12(tls12) => (provider.kx_groups.iter())
                .any(|group| group.name().key_exchange_algorithm() == tls12.kx),
            SupportedCipherSuite::Tls13(_) => true,
        });
        let provider = Arc::new(provider);
        if versions.is_empty() {
            return Err(no_protocols_available());
        }
        if no_groups {
            return Err(names::no_suitable_groups());
        }
        // Shared with every context offering the same schemes, and the resolver
        // below with every context of the same client chain: rustls resumes a
        // session only under the verifier and resolver that made it.
        let verifier = shared::verifier(&Arc::new(AcceptChainVerifier::new(
            provider.signature_verification_algorithms,
            schemes,
        )));
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&versions)
            .map_err(|_| no_ciphers_available())?
            .dangerous()
            .with_custom_certificate_verifier(verifier.clone());
        let keys = credentials::client_identity(credentials)?;
        let mut config = match keys.identity {
            // rustls holds its own copy of the key; ours is wiped on drop.
            Some(identity) => {
                let certified = credentials::certified_key(&identity, &provider)?;
                builder.with_client_cert_resolver(Arc::new(SingleCertAndKey::from(certified)))
            }
            None => builder.with_no_client_auth(),
        };
        config.client_auth_cert_resolver = shared::resolver(&config.client_auth_cert_resolver);
        config.cert_decompressors = decompressors;
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

/// The values of Node's `tls.DEFAULT_*` constants for this engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defaults {
    /// `DEFAULT_CIPHERS`.
    pub ciphers: String,
    /// `DEFAULT_ECDH_CURVE`.
    pub ecdh_curve: String,
    /// `DEFAULT_MIN_VERSION`.
    pub min_version: String,
    /// `DEFAULT_MAX_VERSION`.
    pub max_version: String,
}

/// The defaults `tls.connect()` applies when an option is not given.
pub fn defaults() -> Defaults {
    Defaults {
        ciphers: names::default_cipher_list(),
        // rustls chooses among its groups itself, as OpenSSL's 'auto' does.
        ecdh_curve: names::AUTO_ECDH_CURVE.to_owned(),
        min_version: names::DEFAULT_MIN_VERSION.node_name().to_owned(),
        max_version: names::DEFAULT_MAX_VERSION.node_name().to_owned(),
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
    options: &ContextOptions,
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
fn check_version_conflict(options: &ContextOptions) -> Result<(), TlsError> {
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
    TlsError::ssl(0x0C0101, "called a function you should not call")
}

/// OpenSSL's error when no protocol version is left.
fn no_protocols_available() -> TlsError {
    TlsError::ssl(0xBF, "no protocols available")
}

/// The signature schemes to offer for Node's `sigalgs` (`None`: every scheme
/// the verifier has). OpenSSL knows schemes ring cannot verify (Ed448, P-521,
/// DSA, SHA-1 and SHA-224): a list naming at least one
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
/// (`None` or 'auto': Node 26's default, X25519MLKEM768 first). OpenSSL knows
/// groups we lack (P-521, brainpool, ML-KEM-512, ...):
/// a list naming at least one group we have offers those and drops the others;
/// a list of only such groups fails with Node's "Failed to set ECDH curve", what
/// Node says of a group its OpenSSL cannot set. A list that names no group at
/// all (`'?unknown'`, `'-X25519'`) is empty: connecting then fails as in Node.
/// Names OpenSSL does not know fail as in Node.
fn kx_groups(curve: Option<&str>) -> Result<Vec<&'static dyn SupportedKxGroup>, TlsError> {
    let Some(wanted) = names::ecdh_groups(curve.unwrap_or(names::AUTO_ECDH_CURVE))? else {
        return Ok(kx::DEFAULT_GROUPS.to_vec());
    };
    let groups: Vec<_> = wanted
        .iter()
        .filter_map(|name| kx::ALL_GROUPS.iter().find(|g| g.name() == *name).copied())
        .collect();
    if groups.is_empty() && !wanted.is_empty() {
        return Err(names::ecdh_curve_failed());
    }
    Ok(groups)
}

/// OpenSSL's error when no offered suite fits the allowed versions.
fn no_ciphers_available() -> TlsError {
    TlsError::ssl(0xB5, "no ciphers available")
}

#[cfg(test)]
mod tests;
