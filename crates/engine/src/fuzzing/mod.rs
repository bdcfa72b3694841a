//! Internals the fuzz targets reach directly, behind the `fuzzing` feature: each
//! a thin wrapper over one crate-private function. Not part of the engine's API.
//!
//! The wrappers hand back only public types (the crate's own, rustls's, or the
//! small structs here), so the internals stay free to change shape.
//!
//! The `fixed` module makes handshakes replay: a client context whose randomness and
//! key shares are the same every time ([`deterministic_context`]), and the
//! server's fixed key shares a harness records and rebuilds flights with.

mod fixed;

pub use fixed::{fixed_kx_groups, fixed_random, fixed_shared_secret, FixedRandom, Role};

use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, UnixTime};
use rustls::SupportedCipherSuite;

use crate::context::names::{self, Version};
use crate::options::{AlpnProtocols, ConnectOptions, Credentials, Pem};
use crate::verify::{self, TrustStore};
use crate::{PeerCertificate, SecureContext, TlsError};

/// The secure context `options` make, with the client's randomness and key
/// shares fixed ([`Role::Client`]): every connection under it sends the same
/// ClientHello, so a server's answer recorded once replays. Never for real
/// connections: nothing about it is secret.
pub fn deterministic_context(options: &ConnectOptions) -> Result<SecureContext, TlsError> {
    SecureContext::with_provider(&options.context, &options.credentials, |provider| {
        CryptoProvider {
            kx_groups: fixed_kx_groups(Role::Client, &provider.kx_groups),
            secure_random: fixed_random(Role::Client),
            ..provider
        }
    })
}

/// Node's peer-certificate object for one DER certificate (`x509::describe`).
pub fn describe(der: &[u8]) -> Result<PeerCertificate, TlsError> {
    crate::x509::describe(der)
}

/// What chains are judged against: the trust store Node's `ca` makes.
#[derive(Debug, Clone)]
pub struct Trust(TrustStore);

impl Trust {
    /// The store for `ca` (`TrustStore::from_ca`); no `ca` means the default roots.
    pub fn from_ca(ca: Option<&[Pem]>) -> Self {
        Self(TrustStore::from_ca(ca))
    }

    /// The store for `ca` with `allowPartialTrustChain` and `crl`, as a secure
    /// context makes it; fails as Node's `addCRL` does on a `crl` it cannot read.
    pub fn new(ca: Option<&[Pem]>, partial: bool, crl: Option<&[Pem]>) -> Result<Self, TlsError> {
        TrustStore::from_ca(ca)
            .with_partial_chains(partial)
            .with_crls(crl)
            .map(Self)
    }

    /// webpki's and the OpenSSL model's verdicts, each asked on its own
    /// (`verify::judges`); `None` for an empty chain.
    pub fn judges(
        &self,
        algorithms: &WebPkiSupportedAlgorithms,
        chain: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Option<Judges> {
        let judges = verify::judges(&self.0, algorithms, chain, now)?;
        let (model, model_path) = judges.model;
        Some(Judges {
            webpki: judges.webpki.map(|verdict| {
                verdict.map_err(|err| WebpkiRefusal {
                    model_asked: verify::model_asked_after(&err),
                    error: format!("{err:?}"),
                })
            }),
            model,
            model_path,
        })
    }

    /// Judges a chain (leaf first) at `now`, failing with OpenSSL's code as Node
    /// reports it (`verify::verify_chain`).
    pub fn verify_chain(
        &self,
        algorithms: &WebPkiSupportedAlgorithms,
        chain: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<(), TlsError> {
        verify::verify_chain(&self.0, algorithms, chain, now)
    }
}

/// What webpki and the OpenSSL model each said of a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judges {
    /// webpki's verdict: `None` when `verify_chain`'s bounds keep webpki out;
    /// when it accepts, its path: the leaf, the intermediates, then the
    /// trusted certificate of its anchor (missing when none of the store's
    /// certificates has that subject and key).
    pub webpki: Option<Result<Vec<Vec<u8>>, WebpkiRefusal>>,
    /// The OpenSSL model's: `Ok` trusted, `Err(Some(code))` refused with
    /// OpenSSL's code, `Err(None)` unsure (what it cannot judge).
    pub model: Result<(), Option<&'static str>>,
    /// The chain the model built, leaf first.
    pub model_path: Vec<Vec<u8>>,
}

/// A webpki refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebpkiRefusal {
    /// webpki's error, as its `Debug` shows it.
    pub error: String,
    /// Whether `verify_chain` asks the OpenSSL model after this refusal (it
    /// may not be OpenSSL's).
    pub model_asked: bool,
}

/// Whether webpki can make a trust anchor of this certificate (what a `ca`
/// certificate it cannot read is to OpenSSL, webpki simply drops).
pub fn webpki_reads_as_anchor(der: &[u8]) -> bool {
    webpki::anchor_from_trusted_cert(&CertificateDer::from(der)).is_ok()
}

/// A certificate's issuer and subject names, each its whole DER element,
/// read from the certificate's headers (`verify::names`).
pub fn issuer_and_subject(der: &[u8]) -> Option<(&[u8], &[u8])> {
    verify::issuer_and_subject(der)
}

/// Every certificate in a PEM text, malformed blocks skipped
/// (`verify::certificates_in`).
pub fn certificates_in(pem: &[u8]) -> Vec<CertificateDer<'static>> {
    verify::certificates_in(pem)
}

/// The cipher suites a `ciphers` string selects from `available`
/// (`names::select_suites`).
pub fn select_suites(
    ciphers: Option<&str>,
    available: &[SupportedCipherSuite],
) -> Result<Vec<SupportedCipherSuite>, TlsError> {
    names::select_suites(ciphers, available)
}

/// A `minVersion`/`maxVersion` value parsed (`Version::parse`; `bound` is
/// "minimum" or "maximum", for Node's message), as Node's name for it.
pub fn parse_version(name: &str, bound: &str) -> Result<&'static str, TlsError> {
    Version::parse(name, bound).map(Version::node_name)
}

/// The protocol names `ALPNProtocols` offers, after Node's checks
/// (`AlpnProtocols::protocol_list`).
pub fn alpn_protocol_list(alpn: &AlpnProtocols) -> Result<Vec<Vec<u8>>, TlsError> {
    alpn.protocol_list()
}

/// The name `checkServerIdentity` will check, after Node's defaults and the
/// checks of the connection's own options (`ConnectOptions::settings`).
pub fn verify_name(options: &ConnectOptions) -> Result<String, TlsError> {
    options.settings().map(|settings| settings.verify_name)
}

/// A client identity the engine decoded: the chain it presents and its key.
#[derive(Debug)]
pub struct Identity {
    /// The certificate chain, leaf first.
    pub chain: Vec<CertificateDer<'static>>,
    /// The leaf's private key: a copy the engine does not wipe, which is fine
    /// for a fuzzer's inputs.
    pub key: PrivateKeyDer<'static>,
}

impl Identity {
    /// Takes a borrowed key, so it serves whatever wiping wrapper the engine
    /// keeps its own key in.
    fn new(chain: Vec<CertificateDer<'static>>, key: &PrivateKeyDer<'_>) -> Self {
        Self {
            chain,
            key: key.clone_key(),
        }
    }
}

/// The identity the client would present for Node's `cert`, `key`,
/// `passphrase` and `pfx` (`credentials::client_identity`); `None` when they
/// give no certificate and key pair.
pub fn client_identity(credentials: &Credentials) -> Result<Option<Identity>, TlsError> {
    let keys = crate::credentials::client_identity(credentials)?;
    Ok(keys
        .identity
        .map(|identity| Identity::new(identity.chain, &identity.key)))
}

/// A PKCS#12 bundle decoded with Node's passphrase
/// (`credentials::pkcs12::decode`). Built with `cfg(fuzzing)`, as cargo-fuzz
/// builds, its key derivation is capped low.
pub fn pkcs12_decode(der: &[u8], passphrase: Option<&str>) -> Result<Identity, TlsError> {
    let bundle = crate::credentials::pkcs12::decode(der, passphrase)?;
    Ok(Identity::new(bundle.chain, &bundle.key))
}
