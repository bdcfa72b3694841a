//! Handshake signatures by the key of a version 1 certificate. rustls reads
//! the server's key with webpki, which reads no version 1 certificate, so its
//! check fails before it looks at the signature; OpenSSL takes the key from a
//! certificate of any version. Here the key is taken from the certificate and
//! the signature verified as rustls verifies one.

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, SubjectPublicKeyInfoDer};
use rustls::{CertificateError, DigitallySignedStruct, PeerMisbehaved, SignatureScheme};
use x509_parser::prelude::{FromDer, X509Certificate};

use super::pss_pss::{is_pss_pss, RSA_PSS_PSS_SHA256, RSA_PSS_PSS_SHA384, RSA_PSS_PSS_SHA512};

/// A handshake signature by the key of a version 1 certificate (or of one
/// webpki cannot read at all: an unknown critical extension, a duplicated or
/// malformed one, which OpenSSL reads and the chain verdict names), for the
/// verifier to try when rustls's own check failed with `failure`; a
/// certificate webpki reads keeps `failure`.
pub(super) fn verify_with_v1_key(
    failure: rustls::Error,
    tls13: bool,
    message: &[u8],
    cert: &CertificateDer<'_>,
    dss: &DigitallySignedStruct,
    algorithms: &WebPkiSupportedAlgorithms,
) -> Result<HandshakeSignatureValid, rustls::Error> {
    match version_1_key(cert).or_else(|| unreadable_by_webpki_key(cert)) {
        Some(spki) => {
            let scheme = dss.scheme;
            verify_by_key(spki, tls13, message, scheme, dss.signature(), algorithms)
                .map(|()| HandshakeSignatureValid::assertion())
        }
        None => Err(failure),
    }
}

/// The SubjectPublicKeyInfo of a certificate webpki cannot read; `None` when
/// webpki reads it (then rustls's own check stands) or x509-parser cannot.
fn unreadable_by_webpki_key<'a>(cert: &'a CertificateDer<'_>) -> Option<&'a [u8]> {
    if webpki::EndEntityCert::try_from(cert).is_ok() {
        return None;
    }
    let (_, parsed) = X509Certificate::from_der(cert.as_ref()).ok()?;
    Some(parsed.tbs_certificate.subject_pki.raw)
}

/// The SubjectPublicKeyInfo of a version 1 certificate; `None` for another version.
pub(super) fn version_1_key<'a>(cert: &'a CertificateDer<'_>) -> Option<&'a [u8]> {
    let (_, parsed) = X509Certificate::from_der(cert.as_ref()).ok()?;
    let tbs = parsed.tbs_certificate;
    (tbs.version.0 == 0).then_some(tbs.subject_pki.raw)
}

/// The signature schemes TLS 1.3 allows for a CertificateVerify.
const TLS13_SCHEMES: &[SignatureScheme] = &[
    SignatureScheme::ECDSA_NISTP256_SHA256,
    SignatureScheme::ECDSA_NISTP384_SHA384,
    SignatureScheme::ECDSA_NISTP521_SHA512,
    SignatureScheme::RSA_PSS_SHA256,
    SignatureScheme::RSA_PSS_SHA384,
    SignatureScheme::RSA_PSS_SHA512,
    SignatureScheme::ED25519,
    SignatureScheme::ED448,
    RSA_PSS_PSS_SHA256,
    RSA_PSS_PSS_SHA384,
    RSA_PSS_PSS_SHA512,
];

/// Verifies a handshake signature with `spki`, choosing algorithms as rustls
/// does: in TLS 1.3 the scheme's first, in TLS 1.2 any of the scheme's (and
/// any of an rsa_pss_pss scheme's in both).
pub(super) fn verify_by_key(
    spki: &[u8],
    tls13: bool,
    message: &[u8],
    scheme: SignatureScheme,
    signature: &[u8],
    algorithms: &WebPkiSupportedAlgorithms,
) -> Result<(), rustls::Error> {
    let unadvertised =
        || rustls::Error::PeerMisbehaved(PeerMisbehaved::SignedHandshakeWithUnadvertisedSigScheme);
    // The mapping holds only schemes rustls knows; TLS 1.3 allows fewer.
    let usable = !tls13 || TLS13_SCHEMES.contains(&scheme);
    let candidates = algorithms
        .mapping
        .iter()
        .find(|(mapped, _)| *mapped == scheme)
        .map(|(_, candidates)| *candidates)
        .filter(|_| usable)
        .ok_or_else(unadvertised)?;
    // The mapping never holds an empty list; were it empty, nothing verifies.
    // An RSA-PSS key's scheme has one algorithm per key form: all are tried.
    let candidates = if tls13 && !is_pss_pss(scheme) {
        candidates.get(..1).unwrap_or(candidates)
    } else {
        candidates
    };
    let spki = SubjectPublicKeyInfoDer::from(spki);
    let bad = || rustls::Error::InvalidCertificate(CertificateError::BadSignature);
    let key = webpki::RawPublicKeyEntity::try_from(&spki).map_err(|_| bad())?;
    candidates
        .iter()
        .any(|alg| key.verify_signature(*alg, message, signature).is_ok())
        .then_some(())
        .ok_or_else(bad)
}
