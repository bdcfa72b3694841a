//! Internals the fuzz targets reach directly, behind the `fuzzing` feature: each
//! a thin wrapper over one crate-private function. Not part of the engine's API.
//!
//! The wrappers hand back only public types (the crate's own, rustls's, or the
//! small structs here), so the internals stay free to change shape.

use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, UnixTime};
use rustls::SupportedCipherSuite;

use crate::context::names::{self, Version};
use crate::options::{AlpnProtocols, ConnectOptions, Credentials, Pem};
use crate::verify::{self, TrustStore};
use crate::{PeerCertificate, TlsError};

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
