//! The rustls verifier every secure context shares: it lets the handshake
//! finish whatever the chain, so that the chain is judged afterwards as
//! OpenSSL and Node judge it (`verify_chain`), but checks every handshake
//! signature against the server's certificate, and keeps the stapled OCSP
//! response for the connection to take.

use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, DigitallySignedStruct, OtherError, PeerMisbehaved, SignatureScheme,
};

use super::codes::openssl_error;
use super::pss_pss::{is_pss_pss, verify_pss_pss};
use super::v1_signatures::verify_with_v1_key;

/// A rustls verifier that lets the handshake finish whatever the chain, so that
/// the chain can be judged afterwards as OpenSSL and Node do. It still checks
/// every handshake signature against the server's certificate.
#[derive(Debug)]
pub struct AcceptChainVerifier {
    algorithms: WebPkiSupportedAlgorithms,
    /// The schemes offered in the ClientHello (Node's `sigalgs`); all of
    /// `algorithms`' when not restricted.
    schemes: Vec<SignatureScheme>,
    /// Stapled OCSP responses by leaf certificate, until their connection takes
    /// them. The verifier is shared (rustls resumes a session only under the
    /// verifier that made it), so the response is found by the certificate.
    ocsp: Mutex<Vec<(Vec<u8>, Vec<u8>)>>,
}

/// OCSP responses kept for connections that have not taken theirs yet.
const OCSP_SLOTS: usize = 16;

impl AcceptChainVerifier {
    /// A verifier using the signature algorithms of the given provider, offering
    /// `schemes` (all the provider's when `None`).
    pub fn new(
        algorithms: WebPkiSupportedAlgorithms,
        schemes: Option<Vec<SignatureScheme>>,
    ) -> Self {
        let schemes = schemes.unwrap_or_else(|| algorithms.supported_schemes());
        Self {
            algorithms,
            schemes,
            ocsp: Mutex::default(),
        }
    }

    /// The schemes this verifier offers.
    pub fn schemes(&self) -> &[SignatureScheme] {
        &self.schemes
    }

    /// A server must sign with a scheme the ClientHello offered (Node's
    /// `sigalgs` narrows them); OpenSSL refuses any other ("wrong signature type").
    fn offered(&self, dss: &DigitallySignedStruct) -> Result<(), rustls::Error> {
        if self.schemes.contains(&dss.scheme) {
            Ok(())
        } else {
            Err(PeerMisbehaved::SignedHandshakeWithUnadvertisedSigScheme.into())
        }
    }

    /// A TLS 1.2 or 1.3 handshake signature: by an offered scheme, checked as
    /// rustls checks it, else by a version 1 certificate's key; a failure for
    /// a small RSA key is named as OpenSSL names it.
    fn handshake_signature(
        &self,
        tls13: bool,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.offered(dss)?;
        let checked = if is_pss_pss(dss.scheme) {
            verify_pss_pss(message, cert, dss, &self.algorithms)
        } else if tls13 {
            verify_tls13_signature(message, cert, dss, &self.algorithms)
        } else {
            verify_tls12_signature(message, cert, dss, &self.algorithms)
        };
        checked
            .or_else(|err| verify_with_v1_key(err, tls13, message, cert, dss, &self.algorithms))
            .map_err(|err| name_small_rsa_key(err, cert))
    }

    /// The OCSP response stapled with `leaf` by the handshake that just ended
    /// (empty when none): the newest one kept for that certificate. Older ones
    /// (from handshakes that failed before taking theirs) go with it.
    pub fn take_ocsp(&self, leaf: &[u8]) -> Option<Vec<u8>> {
        let mut slots = self.ocsp.lock().unwrap_or_else(|p| p.into_inner());
        let newest = slots.iter().rposition(|(cert, _)| cert == leaf)?;
        let response = slots
            .get_mut(newest)
            .map(|(_, response)| std::mem::take(response));
        slots.retain(|(cert, _)| cert != leaf);
        response
    }
}

impl ServerCertVerifier for AcceptChainVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let mut slots = self.ocsp.lock().unwrap_or_else(|p| p.into_inner());
        if slots.len() >= OCSP_SLOTS {
            // The oldest goes.
            slots.rotate_left(1);
            slots.pop();
        }
        slots.push((end_entity.to_vec(), ocsp_response.to_vec()));
        // Judged after the handshake by `verify_chain`, before any data is released.
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.handshake_signature(false, message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.handshake_signature(true, message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.schemes.clone()
    }
}

/// The smallest RSA key ring verifies a signature with.
const MIN_RSA_BITS: u32 = 2048;

/// ring verifies no RSA signature made with a key under 2048 bits, so such a
/// server fails the handshake signature whatever `rejectUnauthorized` says.
/// OpenSSL refuses those keys only from security level 2 (Node's default, level
/// 1, accepts 1024 bits): the failure is named as OpenSSL names it at level 2,
/// not as a bad signature. The error travels through rustls whole (see `alert`).
pub(super) fn name_small_rsa_key(err: rustls::Error, cert: &CertificateDer<'_>) -> rustls::Error {
    let small = crate::x509::describe(cert).is_ok_and(|info| {
        info.modulus.is_some() && info.bits.is_some_and(|bits| bits < MIN_RSA_BITS)
    });
    if !small {
        return err;
    }
    rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(Arc::new(
        openssl_error("EE_KEY_TOO_SMALL"),
    ))))
}
