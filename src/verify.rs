//! Certificate verification shaped like OpenSSL as Node reports it.
//!
//! The handshake is allowed to complete ([`AcceptChainVerifier`] checks every
//! handshake signature but defers the chain), then [`verify_chain`] judges the
//! chain and names the failure with OpenSSL's code, and `rejectUnauthorized`
//! decides. Nothing the caller wrote is released before that decision.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, TrustAnchor, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::options::Pem;
use crate::TlsError;

/// The certificates a client trusts: Node's `ca`, or the default Mozilla roots.
#[derive(Debug, Clone)]
pub struct TrustStore {
    anchors: Arc<Vec<TrustAnchor<'static>>>,
}

impl TrustStore {
    /// The default roots (Mozilla's, as Node bundles them).
    pub fn default_roots() -> Self {
        Self {
            anchors: crate::roots::default_anchors(),
        }
    }

    /// Node's `ca`: every CERTIFICATE block in every item. Text that is not a
    /// certificate is skipped, as Node skips it; an empty list means the defaults.
    pub fn from_ca(items: Option<&[Pem]>) -> Self {
        let items = match items {
            Some(items) if !items.is_empty() => items,
            _ => return Self::default_roots(),
        };
        let anchors = items
            .iter()
            .flat_map(|item| certificates_in(item.as_bytes()))
            .filter_map(|der| {
                webpki::anchor_from_trusted_cert(&der)
                    .ok()
                    .map(|a| a.to_owned())
            })
            .collect();
        Self {
            anchors: Arc::new(anchors),
        }
    }
}

/// Every certificate in a PEM text; malformed blocks are skipped.
pub fn certificates_in(pem: &[u8]) -> Vec<CertificateDer<'static>> {
    use rustls::pki_types::pem::PemObject;
    CertificateDer::pem_slice_iter(pem)
        .filter_map(Result::ok)
        .collect()
}

/// A rustls verifier that lets the handshake finish whatever the chain, so that
/// the chain can be judged afterwards as OpenSSL and Node do. It still checks
/// every handshake signature against the server's certificate.
#[derive(Debug)]
pub struct AcceptChainVerifier {
    algorithms: WebPkiSupportedAlgorithms,
}

impl AcceptChainVerifier {
    /// A verifier using the signature algorithms of the given provider.
    pub fn new(algorithms: WebPkiSupportedAlgorithms) -> Self {
        Self { algorithms }
    }
}

impl ServerCertVerifier for AcceptChainVerifier {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        // Judged after the handshake by `verify_chain`, before any data is released.
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// An OpenSSL verification failure as Node reports it: `err.code` is OpenSSL's
/// symbolic name, `err.message` OpenSSL's text.
fn openssl_error(code: &str) -> TlsError {
    let message = match code {
        "DEPTH_ZERO_SELF_SIGNED_CERT" => "self-signed certificate",
        "SELF_SIGNED_CERT_IN_CHAIN" => "self-signed certificate in certificate chain",
        "UNABLE_TO_VERIFY_LEAF_SIGNATURE" => "unable to verify the first certificate",
        "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" => "unable to get local issuer certificate",
        "UNABLE_TO_GET_ISSUER_CERT" => "unable to get issuer certificate",
        "CERT_HAS_EXPIRED" => "certificate has expired",
        "CERT_NOT_YET_VALID" => "certificate is not yet valid",
        "CERT_REVOKED" => "certificate revoked",
        "CERT_SIGNATURE_FAILURE" => "certificate signature failure",
        "INVALID_PURPOSE" => "unsuitable certificate purpose",
        "INVALID_CA" => "invalid CA certificate",
        "PERMITTED_SUBTREE_VIOLATION" => "permitted subtree violation",
        "CERT_UNTRUSTED" => "certificate not trusted",
        _ => "certificate verify failed",
    };
    TlsError::new(code, message)
}

/// Judges the server's chain (leaf first) against the trust store at `now`,
/// naming a failure with the OpenSSL code Node would report.
pub fn verify_chain(
    trust: &TrustStore,
    algorithms: &WebPkiSupportedAlgorithms,
    chain: &[CertificateDer<'_>],
    now: UnixTime,
) -> Result<(), TlsError> {
    let Some((leaf, intermediates)) = chain.split_first() else {
        return Err(openssl_error("UNABLE_TO_VERIFY_LEAF_SIGNATURE"));
    };
    let end_entity = webpki::EndEntityCert::try_from(leaf)
        .map_err(|_| openssl_error("CERT_SIGNATURE_FAILURE"))?;
    let result = end_entity.verify_for_usage(
        algorithms.all,
        &trust.anchors,
        intermediates,
        now,
        webpki::KeyUsage::server_auth(),
        None,
        None,
    );
    match result {
        Ok(_) => Ok(()),
        Err(err) => Err(openssl_error(openssl_code(&err, chain))),
    }
}

/// OpenSSL's name for a webpki failure.
fn openssl_code(err: &webpki::Error, chain: &[CertificateDer<'_>]) -> &'static str {
    use webpki::Error as E;
    match err {
        // webpki refuses a CA certificate as leaf before looking for its issuer;
        // OpenSSL allows one, so its verdict rests on the chain's shape.
        E::UnknownIssuer | E::CaUsedAsEndEntity => untrusted_chain_code(chain),
        E::CertExpired { .. } => "CERT_HAS_EXPIRED",
        E::CertNotValidYet { .. } => "CERT_NOT_YET_VALID",
        E::CertRevoked => "CERT_REVOKED",
        E::RequiredEkuNotFoundContext(_) => "INVALID_PURPOSE",
        E::EndEntityUsedAsCa => "INVALID_CA",
        E::NameConstraintViolation => "PERMITTED_SUBTREE_VIOLATION",
        E::InvalidSignatureForPublicKey
        | E::UnsupportedSignatureAlgorithmContext(_)
        | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => "CERT_SIGNATURE_FAILURE",
        _ => "CERT_UNTRUSTED",
    }
}

/// Which "untrusted" code OpenSSL gives depends on what the server sent: a lone
/// self-signed leaf, a lone leaf, or a chain ending in a self-signed or an
/// unknown certificate.
fn untrusted_chain_code(chain: &[CertificateDer<'_>]) -> &'static str {
    let top = chain_top(chain);
    match (top == 0, is_self_issued(&chain[top])) {
        (true, true) => "DEPTH_ZERO_SELF_SIGNED_CERT",
        (true, false) => "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        (false, true) => "SELF_SIGNED_CERT_IN_CHAIN",
        (false, false) => "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    }
}

/// The index of the last certificate reached by following issuers from the leaf
/// through the certificates the server sent.
fn chain_top(chain: &[CertificateDer<'_>]) -> usize {
    let names: Vec<Option<Names>> = chain.iter().map(names_of).collect();
    let mut current = 0;
    // Bounded: a path can visit each certificate at most once.
    for _ in 0..chain.len() {
        let Some(this) = &names[current] else {
            break;
        };
        if this.issuer == this.subject && this.same_key_ids {
            break;
        }
        let next = names.iter().enumerate().position(|(i, n)| {
            i != current && n.as_ref().is_some_and(|n| n.subject == this.issuer)
        });
        match next {
            Some(i) if i > current => current = i,
            _ => break,
        }
    }
    current
}

/// Whether a certificate is its own issuer as OpenSSL judges it: the names match
/// and, when both key identifiers are present, so do they.
fn is_self_issued(der: &CertificateDer<'_>) -> bool {
    names_of(der).is_some_and(|names| names.issuer == names.subject && names.same_key_ids)
}

/// The raw issuer and subject names of a certificate, and whether its authority
/// and subject key identifiers agree (true when either is absent).
struct Names {
    issuer: Vec<u8>,
    subject: Vec<u8>,
    same_key_ids: bool,
}

fn names_of(der: &CertificateDer<'_>) -> Option<Names> {
    use x509_parser::extensions::ParsedExtension;
    let (_, cert) = X509Certificate::from_der(der).ok()?;
    let mut authority_id = None;
    let mut subject_id = None;
    for ext in cert.extensions() {
        match ext.parsed_extension() {
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                authority_id = aki.key_identifier.as_ref().map(|k| k.0.to_vec());
            }
            ParsedExtension::SubjectKeyIdentifier(ski) => subject_id = Some(ski.0.to_vec()),
            _ => {}
        }
    }
    let same_key_ids = match (authority_id, subject_id) {
        (Some(a), Some(s)) => a == s,
        _ => true,
    };
    Some(Names {
        issuer: cert.tbs_certificate.issuer.as_raw().to_vec(),
        subject: cert.tbs_certificate.subject.as_raw().to_vec(),
        same_key_ids,
    })
}
