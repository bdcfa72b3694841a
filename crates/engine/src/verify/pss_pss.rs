//! Handshake signatures by RSA-PSS keys: TLS's rsa_pss_pss_* schemes. rustls
//! names them not, and in TLS 1.3 tries only the first algorithm a scheme
//! maps to; an RSA-PSS key has one algorithm per AlgorithmIdentifier form
//! (see `offload::pss_keys`), so each of the scheme's is tried, as rustls does
//! in TLS 1.2. (rustls refuses a TLS 1.2 ServerKeyExchange signed by a scheme
//! it does not name before any verifier sees it: TLS 1.2 stays out of reach.)

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::CertificateDer;
use rustls::{CertificateError, DigitallySignedStruct, PeerMisbehaved, SignatureScheme};

/// TLS's rsa_pss_pss_sha256: RSA-PSS by an RSA-PSS key.
pub(crate) const RSA_PSS_PSS_SHA256: SignatureScheme = SignatureScheme::Unknown(0x0809);
/// TLS's rsa_pss_pss_sha384.
pub(crate) const RSA_PSS_PSS_SHA384: SignatureScheme = SignatureScheme::Unknown(0x080a);
/// TLS's rsa_pss_pss_sha512.
pub(crate) const RSA_PSS_PSS_SHA512: SignatureScheme = SignatureScheme::Unknown(0x080b);

/// Whether `scheme` is one of the rsa_pss_pss schemes.
pub(super) fn is_pss_pss(scheme: SignatureScheme) -> bool {
    [RSA_PSS_PSS_SHA256, RSA_PSS_PSS_SHA384, RSA_PSS_PSS_SHA512].contains(&scheme)
}

/// A handshake signature by an rsa_pss_pss scheme, in TLS 1.2 or 1.3: valid
/// when any of the scheme's algorithms verifies it with the leaf's key.
pub(super) fn verify_pss_pss(
    message: &[u8],
    cert: &CertificateDer<'_>,
    dss: &DigitallySignedStruct,
    algorithms: &WebPkiSupportedAlgorithms,
) -> Result<HandshakeSignatureValid, rustls::Error> {
    let candidates = algorithms
        .mapping
        .iter()
        .find(|(scheme, _)| *scheme == dss.scheme)
        .map(|(_, candidates)| *candidates)
        .ok_or(PeerMisbehaved::SignedHandshakeWithUnadvertisedSigScheme)?;
    // Unreadable to webpki: the verifier's version 1 fallback takes it from here.
    let leaf = webpki::EndEntityCert::try_from(cert)
        .map_err(|_| rustls::Error::InvalidCertificate(CertificateError::BadEncoding))?;
    candidates
        .iter()
        .any(|alg| {
            leaf.verify_signature(*alg, message, dss.signature())
                .is_ok()
        })
        .then(HandshakeSignatureValid::assertion)
        .ok_or(rustls::Error::InvalidCertificate(
            CertificateError::BadSignature,
        ))
}
