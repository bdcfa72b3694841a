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
use rustls::{
    CertificateError, DigitallySignedStruct, OtherError, PeerMisbehaved, SignatureScheme,
};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::options::Pem;
use crate::TlsError;

pub(crate) mod identity;
mod issuers;
mod openssl_chain;
pub(crate) mod roots;

/// The certificates a client trusts (Node's `ca`, or the default Mozilla roots)
/// and the revocation lists it checks them against (Node's `crl`).
#[derive(Debug, Clone)]
pub struct TrustStore {
    /// webpki's trust anchors: the default roots, or the certificates of `ca`
    /// OpenSSL takes as anchors (the self-signed ones; every one with
    /// `allowPartialTrustChain`).
    anchors: Arc<Vec<TrustAnchor<'static>>>,
    /// The other certificates of `ca`: issuers on the way to an anchor, as
    /// OpenSSL finds them in its store.
    ca_issuers: Arc<Vec<CertificateDer<'static>>>,
    /// `ca` in the order given (OpenSSL's store); `None`: the default roots.
    ca: Option<Arc<Vec<CertificateDer<'static>>>>,
    /// `allowPartialTrustChain`.
    partial: bool,
    crls: Arc<Vec<webpki::CertRevocationList<'static>>>,
    /// The same CRLs, DER, for the OpenSSL model.
    crl_ders: Arc<Vec<Vec<u8>>>,
}

impl TrustStore {
    /// The default roots (Mozilla's, as Node bundles them).
    pub fn default_roots() -> Self {
        Self {
            anchors: crate::verify::roots::default_anchors(),
            ca_issuers: Arc::default(),
            ca: None,
            partial: false,
            crls: Arc::default(),
            crl_ders: Arc::default(),
        }
    }

    /// Node's `crl`: the first CRL of each item, as OpenSSL's PEM reader takes
    /// it. An item with none that parses fails as Node's `addCRL` does.
    pub fn with_crls(mut self, items: Option<&[Pem]>) -> Result<Self, TlsError> {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::CertificateRevocationListDer;
        let mut crls = Vec::new();
        let mut ders = Vec::new();
        for item in items.unwrap_or_default() {
            let der = CertificateRevocationListDer::pem_slice_iter(item.as_bytes())
                .next()
                .and_then(Result::ok);
            let parsed = der.as_ref().and_then(|der| {
                webpki::OwnedCertRevocationList::from_der(der)
                    .ok()
                    .map(|crl| (crl, der.to_vec()))
            });
            match parsed {
                Some((crl, der)) => {
                    crls.push(webpki::CertRevocationList::Owned(crl));
                    ders.push(der);
                }
                None => {
                    return Err(TlsError::new(
                        "ERR_CRYPTO_OPERATION_FAILED",
                        "Failed to parse CRL",
                    ))
                }
            }
        }
        self.crls = Arc::new(crls);
        self.crl_ders = Arc::new(ders);
        Ok(self)
    }

    /// Node's `ca`: every CERTIFICATE block in every item. Text that is not a
    /// certificate is skipped, as Node skips it; an empty list means the defaults.
    /// As in OpenSSL without `allowPartialTrustChain`, only a self-signed
    /// certificate is a trust anchor; the others are issuers on the way to one.
    pub fn from_ca(items: Option<&[Pem]>) -> Self {
        match items {
            Some(items) if !items.is_empty() => {
                let ca = items
                    .iter()
                    .flat_map(|item| certificates_in(item.as_bytes()))
                    .collect();
                Self::from_certificates(Arc::new(ca), false)
            }
            _ => Self::default_roots(),
        }
    }

    /// Node's `allowPartialTrustChain`: with it, every certificate of `ca` is a
    /// trust anchor, so a chain may end at an intermediate the client trusts.
    pub fn with_partial_chains(self, allow: bool) -> Self {
        match self.ca.clone() {
            Some(ca) if allow != self.partial => Self {
                crls: self.crls,
                crl_ders: self.crl_ders,
                ..Self::from_certificates(ca, allow)
            },
            // The default roots are all self-signed: only the OpenSSL model reads the flag.
            _ => Self {
                partial: allow,
                ..self
            },
        }
    }

    /// The store for these `ca` certificates.
    fn from_certificates(ca: Arc<Vec<CertificateDer<'static>>>, partial: bool) -> Self {
        let mut anchors = Vec::new();
        let mut ca_issuers = Vec::new();
        for der in ca.iter() {
            // A certificate the model cannot read is left to webpki, as before.
            if partial || openssl_chain::is_self_signed(der).unwrap_or(true) {
                anchors.extend(
                    webpki::anchor_from_trusted_cert(der)
                        .ok()
                        .map(|anchor| anchor.to_owned()),
                );
            } else {
                ca_issuers.push(der.clone());
            }
        }
        Self {
            anchors: Arc::new(anchors),
            ca_issuers: Arc::new(ca_issuers),
            ca: Some(ca),
            partial,
            crls: Arc::default(),
            crl_ders: Arc::default(),
        }
    }

    /// Certificates trusted besides `ca` (or the default roots): the other
    /// certificates of a `pfx`, which Node adds to its store.
    pub fn with_extra_certificates(self, extra: &[CertificateDer<'static>]) -> Self {
        if extra.is_empty() {
            return self;
        }
        let mut all = self.trusted().to_vec();
        all.extend(extra.iter().cloned());
        Self {
            crls: self.crls,
            crl_ders: self.crl_ders,
            ..Self::from_certificates(Arc::new(all), self.partial)
        }
    }

    /// The trusted certificates in OpenSSL's order: `ca`, or the default roots.
    fn trusted(&self) -> &[CertificateDer<'static>] {
        match &self.ca {
            Some(ca) => ca,
            None => webpki_root_certs::TLS_SERVER_ROOT_CERTS,
        }
    }
}

/// Every certificate in a PEM text; malformed blocks are skipped.
pub(crate) fn certificates_in(pem: &[u8]) -> Vec<CertificateDer<'static>> {
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
    /// The schemes offered in the ClientHello (Node's `sigalgs`); all of
    /// `algorithms`' when not restricted.
    schemes: Vec<SignatureScheme>,
    /// Stapled OCSP responses by leaf certificate, until their connection takes
    /// them. The verifier is shared (rustls resumes a session only under the
    /// verifier that made it), so the response is found by the certificate.
    ocsp: std::sync::Mutex<Vec<(Vec<u8>, Vec<u8>)>>,
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
            ocsp: std::sync::Mutex::default(),
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
            Err(rustls::PeerMisbehaved::SignedHandshakeWithUnadvertisedSigScheme.into())
        }
    }

    /// The OCSP response stapled with `leaf` by the handshake that just ended
    /// (empty when none): the newest one kept for that certificate. Older ones
    /// (from handshakes that failed before taking theirs) go with it.
    pub fn take_ocsp(&self, leaf: &[u8]) -> Option<Vec<u8>> {
        let mut slots = self.ocsp.lock().unwrap_or_else(|p| p.into_inner());
        let index = slots.iter().rposition(|(cert, _)| cert == leaf)?;
        let (_, response) = slots.remove(index);
        slots.retain(|(cert, _)| cert != leaf);
        Some(response)
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
            slots.remove(0);
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
        self.offered(dss)?;
        verify_tls12_signature(message, cert, dss, &self.algorithms)
            .or_else(|err| verify_with_v1_key(err, false, message, cert, dss, &self.algorithms))
            .map_err(|err| name_small_rsa_key(err, cert))
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.offered(dss)?;
        verify_tls13_signature(message, cert, dss, &self.algorithms)
            .or_else(|err| verify_with_v1_key(err, true, message, cert, dss, &self.algorithms))
            .map_err(|err| name_small_rsa_key(err, cert))
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
fn name_small_rsa_key(err: rustls::Error, cert: &CertificateDer<'_>) -> rustls::Error {
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

/// A handshake signature by the key of a version 1 certificate, for
/// [`AcceptChainVerifier`] to call when rustls's own check fails (`failure`).
/// rustls reads the server's key with webpki, which reads no version 1
/// certificate, so its check fails before it looks at the signature; OpenSSL
/// takes the key from a certificate of any version. Here the key is taken from
/// the certificate and the signature verified as rustls verifies one. A
/// certificate of another version keeps `failure`.
pub(crate) fn verify_with_v1_key(
    failure: rustls::Error,
    tls13: bool,
    message: &[u8],
    cert: &CertificateDer<'_>,
    dss: &DigitallySignedStruct,
    algorithms: &WebPkiSupportedAlgorithms,
) -> Result<HandshakeSignatureValid, rustls::Error> {
    match version_1_key(cert) {
        Some(spki) => {
            let scheme = dss.scheme;
            verify_by_key(spki, tls13, message, scheme, dss.signature(), algorithms)
                .map(|()| HandshakeSignatureValid::assertion())
        }
        None => Err(failure),
    }
}

/// The SubjectPublicKeyInfo of a version 1 certificate; `None` for another version.
fn version_1_key<'a>(cert: &'a CertificateDer<'_>) -> Option<&'a [u8]> {
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
];

/// Verifies a handshake signature with `spki`, choosing algorithms as rustls
/// does: in TLS 1.3 the scheme's first, in TLS 1.2 any of the scheme's.
fn verify_by_key(
    spki: &[u8],
    tls13: bool,
    message: &[u8],
    scheme: SignatureScheme,
    signature: &[u8],
    algorithms: &WebPkiSupportedAlgorithms,
) -> Result<(), rustls::Error> {
    use rustls::pki_types::SubjectPublicKeyInfoDer;
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
    let candidates = if tls13 { &candidates[..1] } else { candidates };
    let spki = SubjectPublicKeyInfoDer::from(spki);
    let bad = || rustls::Error::InvalidCertificate(CertificateError::BadSignature);
    let key = webpki::RawPublicKeyEntity::try_from(&spki).map_err(|_| bad())?;
    candidates
        .iter()
        .any(|alg| key.verify_signature(*alg, message, signature).is_ok())
        .then_some(())
        .ok_or_else(bad)
}

/// OpenSSL's verification failures this engine names: `X509_V_ERR_<name>`,
/// OpenSSL's text for it, and whether Node gives the name as `err.code` (its
/// `X509ErrorCode` list); for the others Node's code is `UNSPECIFIED`.
const X509_ERRORS: &[(&str, &str, bool)] = &[
    (
        "DEPTH_ZERO_SELF_SIGNED_CERT",
        "self-signed certificate",
        true,
    ),
    (
        "SELF_SIGNED_CERT_IN_CHAIN",
        "self-signed certificate in certificate chain",
        true,
    ),
    (
        "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        "unable to verify the first certificate",
        true,
    ),
    (
        "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
        "unable to get local issuer certificate",
        true,
    ),
    (
        "UNABLE_TO_GET_ISSUER_CERT",
        "unable to get issuer certificate",
        true,
    ),
    ("CERT_HAS_EXPIRED", "certificate has expired", true),
    ("CERT_NOT_YET_VALID", "certificate is not yet valid", true),
    ("CERT_REVOKED", "certificate revoked", true),
    ("UNABLE_TO_GET_CRL", "unable to get certificate CRL", true),
    ("CRL_HAS_EXPIRED", "CRL has expired", true),
    ("CRL_SIGNATURE_FAILURE", "CRL signature failure", true),
    (
        "CERT_SIGNATURE_FAILURE",
        "certificate signature failure",
        true,
    ),
    ("INVALID_PURPOSE", "unsuitable certificate purpose", true),
    ("INVALID_CA", "invalid CA certificate", true),
    ("CERT_UNTRUSTED", "certificate not trusted", true),
    ("CRL_NOT_YET_VALID", "CRL is not yet valid", true),
    (
        "PATH_LENGTH_EXCEEDED",
        "path length constraint exceeded",
        true,
    ),
    ("CERT_CHAIN_TOO_LONG", "certificate chain too long", true),
    (
        "UNHANDLED_CRITICAL_EXTENSION",
        "unhandled critical extension",
        false,
    ),
    ("PERMITTED_VIOLATION", "permitted subtree violation", false),
    (
        "CA_MD_TOO_WEAK",
        "CA signature digest algorithm too weak",
        false,
    ),
    ("EE_KEY_TOO_SMALL", "EE certificate key too weak", false),
];

/// An OpenSSL verification failure (`X509_V_ERR_<name>`) as Node reports it:
/// `err.code` is the name when Node knows it, else `UNSPECIFIED`; `err.message`
/// is OpenSSL's text.
pub(crate) fn openssl_error(name: &str) -> TlsError {
    match X509_ERRORS.iter().find(|(known, _, _)| *known == name) {
        Some((_, text, true)) => TlsError::new(name, *text),
        Some((_, text, false)) => TlsError::new("UNSPECIFIED", *text),
        None => TlsError::new("UNSPECIFIED", "certificate verify failed"),
    }
}

/// Judges the server's chain (leaf first) against the trust store at `now`,
/// naming a failure with the OpenSSL code Node would report. webpki judges
/// first; only when its refusal may not be OpenSSL's is the chain judged again
/// as OpenSSL would ([`openssl_chain`]), so a chain webpki accepts costs nothing more.
pub(crate) fn verify_chain(
    trust: &TrustStore,
    algorithms: &WebPkiSupportedAlgorithms,
    chain: &[CertificateDer<'_>],
    now: UnixTime,
) -> Result<(), TlsError> {
    let Some((leaf, served)) = chain.split_first() else {
        return Err(openssl_error("UNABLE_TO_VERIFY_LEAF_SIGNATURE"));
    };
    let failure = match webpki::EndEntityCert::try_from(leaf) {
        Ok(end_entity) => match webpki_verdict(trust, algorithms, &end_entity, served, now) {
            Ok(()) => return Ok(()),
            Err(err) => err,
        },
        Err(webpki::Error::UnsupportedCertVersion) => webpki::Error::UnsupportedCertVersion,
        Err(_) => return Err(openssl_error("CERT_SIGNATURE_FAILURE")),
    };
    if !openssl_may_differ(&failure) {
        return Err(openssl_error(openssl_code(&failure, chain)));
    }
    let inputs = openssl_chain::Inputs {
        served: chain,
        trusted: trust.trusted(),
        partial: trust.partial,
        crls: &trust.crl_ders,
        algorithms,
        now: i64::try_from(now.as_secs()).unwrap_or(i64::MAX),
    };
    match openssl_chain::judge(&inputs) {
        openssl_chain::Judgement::Trusted => Ok(()),
        openssl_chain::Judgement::Refused(code) => Err(openssl_error(code)),
        openssl_chain::Judgement::Unsure => Err(openssl_error("CERT_UNTRUSTED")),
    }
}

/// webpki's verdict on the chain: the anchors, the server's intermediates and
/// the issuers from `ca` that are not anchors.
fn webpki_verdict(
    trust: &TrustStore,
    algorithms: &WebPkiSupportedAlgorithms,
    end_entity: &webpki::EndEntityCert<'_>,
    served: &[CertificateDer<'_>],
    now: UnixTime,
) -> Result<(), webpki::Error> {
    let crls: Vec<&webpki::CertRevocationList<'_>> = trust.crls.iter().collect();
    // With `crl`, Node has OpenSSL check the whole chain and refuse a certificate
    // whose issuer published no CRL (UNABLE_TO_GET_CRL).
    let revocation = webpki::RevocationOptionsBuilder::new(&crls)
        .ok()
        .map(|builder| {
            builder
                .with_depth(webpki::RevocationCheckDepth::Chain)
                .with_status_policy(webpki::UnknownStatusPolicy::Deny)
                .with_expiration_policy(webpki::ExpirationPolicy::Enforce)
                .build()
        });
    let with_ca_issuers: Vec<CertificateDer<'_>>;
    let intermediates = if trust.ca_issuers.is_empty() {
        served
    } else {
        with_ca_issuers = served
            .iter()
            .chain(trust.ca_issuers.iter())
            .map(|der| CertificateDer::from(der.as_ref()))
            .collect();
        &with_ca_issuers
    };
    end_entity
        .verify_for_usage(
            algorithms.all,
            &trust.anchors,
            intermediates,
            now,
            webpki::KeyUsage::server_auth(),
            revocation,
            None,
        )
        .map(|_| ())
}

/// Whether webpki's refusal may not be OpenSSL's, so that the chain is judged
/// again the way OpenSSL judges it: webpki reads no version 1 certificate,
/// refuses a CA certificate as the server's own (even one listed in `ca`), and
/// picks issuers by name alone where OpenSSL also compares key identifiers and
/// key types; and whether a chain ends at an anchor depends on
/// `allowPartialTrustChain`.
fn openssl_may_differ(err: &webpki::Error) -> bool {
    use webpki::Error as E;
    matches!(
        err,
        E::UnknownIssuer
            | E::UnsupportedCertVersion
            | E::CaUsedAsEndEntity
            | E::InvalidSignatureForPublicKey
            | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_)
    )
}

/// OpenSSL's name for a webpki failure.
fn openssl_code(err: &webpki::Error, chain: &[CertificateDer<'_>]) -> &'static str {
    use webpki::Error as E;
    match err {
        E::CertExpired { .. } => "CERT_HAS_EXPIRED",
        E::CertNotValidYet { .. } => "CERT_NOT_YET_VALID",
        E::CertRevoked => "CERT_REVOKED",
        E::UnknownRevocationStatus => "UNABLE_TO_GET_CRL",
        E::CrlExpired { .. } => "CRL_HAS_EXPIRED",
        E::InvalidCrlSignatureForPublicKey
        | E::UnsupportedCrlSignatureAlgorithmContext(_)
        | E::UnsupportedCrlSignatureAlgorithmForPublicKeyContext(_) => "CRL_SIGNATURE_FAILURE",
        E::RequiredEkuNotFoundContext(_) => "INVALID_PURPOSE",
        E::EndEntityUsedAsCa => not_a_ca_code(chain),
        E::NameConstraintViolation => "PERMITTED_VIOLATION",
        // webpki knows no MD5 or SHA-1 signature; OpenSSL checks them, but its
        // security level (80 bits at Node's default of 1) refuses both digests.
        E::UnsupportedSignatureAlgorithmContext(context)
            if is_weak_digest(&context.signature_algorithm_id) =>
        {
            "CA_MD_TOO_WEAK"
        }
        E::InvalidSignatureForPublicKey
        | E::UnsupportedSignatureAlgorithmContext(_)
        | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => "CERT_SIGNATURE_FAILURE",
        _ => "CERT_UNTRUSTED",
    }
}

/// OpenSSL's code for a chain in which a certificate that is not a CA issued
/// another. Its chain check says INVALID_CA; its purpose check runs after, and
/// Node sees the last code, so when OpenSSL cannot regard the certificate as a
/// CA at all (CA:FALSE, keyUsage without keyCertSign, or neither extension) the
/// code is INVALID_PURPOSE. With keyCertSign and no basicConstraints, only the
/// chain check fails.
fn not_a_ca_code(chain: &[CertificateDer<'_>]) -> &'static str {
    let never_a_ca = chain
        .iter()
        .skip(1)
        .any(|der| openssl_may_be_ca(der) == Some(false));
    if never_a_ca {
        "INVALID_PURPOSE"
    } else {
        "INVALID_CA"
    }
}

/// Whether OpenSSL's purpose check could take a certificate as a CA (its
/// `check_ca` is non-zero); `None` when it does not parse.
fn openssl_may_be_ca(der: &CertificateDer<'_>) -> Option<bool> {
    let (_, cert) = X509Certificate::from_der(der).ok()?;
    let cert_sign = cert.key_usage().ok()?.map(|ku| ku.value.key_cert_sign());
    if cert_sign == Some(false) {
        return Some(false);
    }
    Some(match cert.basic_constraints().ok()? {
        Some(constraints) => constraints.value.ca,
        None => cert_sign == Some(true),
    })
}

/// Signature algorithms over MD2, MD5 or SHA-1, by OID.
const WEAK_DIGEST_SIGNATURES: &[&str] = &[
    "1.2.840.113549.1.1.2", // md2WithRSAEncryption
    "1.2.840.113549.1.1.4", // md5WithRSAEncryption
    "1.2.840.113549.1.1.5", // sha1WithRSAEncryption
    "1.3.14.3.2.29",        // sha1WithRSAEncryption (OIW)
    "1.2.840.10045.4.1",    // ecdsa-with-SHA1
    "1.2.840.10040.4.3",    // dsa-with-sha1
];

/// Whether a signature AlgorithmIdentifier (its contents, as webpki reports
/// them: the OID first) names a digest OpenSSL's security level refuses.
fn is_weak_digest(algorithm_id: &[u8]) -> bool {
    use x509_parser::asn1_rs::{FromDer as _, Oid};
    Oid::from_der(algorithm_id)
        .is_ok_and(|(_, oid)| WEAK_DIGEST_SIGNATURES.contains(&oid.to_id_string().as_str()))
}

#[cfg(test)]
mod tests {
    //! The OpenSSL codes for chains webpki refuses, on chains made by rcgen (and
    //! the openssl CLI for an RSA key ring cannot make). Node's answer for each was
    //! checked against Node 20's own `tls.connect` by `tests/bad_certificates.rs`.

    use rcgen::{
        BasicConstraints, CertificateParams, CertifiedIssuer, GeneralSubtree, IsCa, KeyPair,
        KeyUsagePurpose, NameConstraints,
    };

    use super::*;
    use crate::error::alert;
    use crate::options::Pem;

    fn root() -> CertifiedIssuer<'static, KeyPair> {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "verify unit-test root");
        CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
    }

    /// The code and message for leaf + intermediate (made from `intermediate`)
    /// under a trusted root.
    fn verdict_through(intermediate: CertificateParams) -> TlsError {
        let root = root();
        let mut intermediate = intermediate;
        intermediate
            .distinguished_name
            .push(rcgen::DnType::CommonName, "verify unit-test intermediate");
        let intermediate =
            CertifiedIssuer::signed_by(intermediate, KeyPair::generate().unwrap(), &root).unwrap();
        let mut leaf = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
        leaf.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
        let leaf = leaf
            .signed_by(&KeyPair::generate().unwrap(), &intermediate)
            .unwrap();
        let trust = TrustStore::from_ca(Some(&[Pem::Text(root.pem())]));
        let algorithms = rustls::crypto::ring::default_provider().signature_verification_algorithms;
        let chain = [leaf.der().clone(), intermediate.der().clone()];
        verify_chain(&trust, &algorithms, &chain, UnixTime::now()).unwrap_err()
    }

    fn ca_params() -> CertificateParams {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign];
        params
    }

    #[test]
    fn codes_node_does_not_name_are_unspecified_with_openssl_text() {
        let err = openssl_error("CERT_HAS_EXPIRED");
        assert_eq!(
            (err.code.as_str(), err.message.as_str()),
            ("CERT_HAS_EXPIRED", "certificate has expired")
        );
        for (name, text) in [
            ("PERMITTED_VIOLATION", "permitted subtree violation"),
            ("CA_MD_TOO_WEAK", "CA signature digest algorithm too weak"),
            ("EE_KEY_TOO_SMALL", "EE certificate key too weak"),
        ] {
            let err = openssl_error(name);
            assert_eq!(
                (err.code.as_str(), err.message.as_str()),
                ("UNSPECIFIED", text)
            );
        }
    }

    #[test]
    fn name_constraint_violation_is_a_permitted_subtree_violation() {
        let mut params = ca_params();
        params.name_constraints = Some(NameConstraints {
            permitted_subtrees: vec![GeneralSubtree::DnsName("allowed.test".into())],
            excluded_subtrees: Vec::new(),
        });
        let err = verdict_through(params);
        assert_eq!(err.code, "UNSPECIFIED");
        assert_eq!(err.message, "permitted subtree violation");
    }

    #[test]
    fn intermediate_saying_ca_false_fails_the_purpose_check() {
        let mut params = ca_params();
        params.is_ca = IsCa::ExplicitNoCa;
        let err = verdict_through(params);
        assert_eq!(err.code, "INVALID_PURPOSE");
        assert_eq!(err.message, "unsuitable certificate purpose");
    }

    #[test]
    fn intermediate_without_basic_constraints_is_an_invalid_ca() {
        let mut params = ca_params();
        params.is_ca = IsCa::NoCa;
        let err = verdict_through(params);
        assert_eq!(err.code, "INVALID_CA");
        assert_eq!(err.message, "invalid CA certificate");
        // Without keyUsage either, OpenSSL's purpose check fails too.
        let mut params = ca_params();
        params.is_ca = IsCa::NoCa;
        params.key_usages = Vec::new();
        assert_eq!(verdict_through(params).code, "INVALID_PURPOSE");
    }

    #[test]
    fn sha1_and_md5_signatures_are_weak_digests() {
        // AlgorithmIdentifier contents: the OID, then any parameters.
        let ecdsa_sha1 = [0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x01];
        let rsa_sha1 = [
            0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x05, 0x05, 0x00,
        ];
        let rsa_md5 = [
            0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x04, 0x05, 0x00,
        ];
        let rsa_sha256 = [
            0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B, 0x05, 0x00,
        ];
        assert!(is_weak_digest(&ecdsa_sha1));
        assert!(is_weak_digest(&rsa_sha1));
        assert!(is_weak_digest(&rsa_md5));
        assert!(!is_weak_digest(&rsa_sha256));
        assert!(!is_weak_digest(&[0xFF, 0x01]));
        assert!(!is_weak_digest(&[]));
    }

    /// A self-signed certificate for an RSA key of `bits`, made by openssl.
    fn rsa_certificate(bits: u32) -> CertificateDer<'static> {
        let out = std::process::Command::new("openssl")
            .args(["req", "-x509", "-newkey"])
            .arg(format!("rsa:{bits}"))
            .args([
                "-nodes",
                "-keyout",
                "/dev/null",
                "-subj",
                "/CN=rsa",
                "-days",
                "1",
            ])
            .output()
            .expect("openssl runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        certificates_in(&out.stdout).remove(0)
    }

    #[test]
    fn rsa_key_under_2048_bits_is_named_as_too_weak() {
        let bad_signature = || rustls::Error::InvalidCertificate(CertificateError::BadSignature);
        let named =
            alert::from_rustls(&name_small_rsa_key(bad_signature(), &rsa_certificate(1024)));
        assert_eq!(named.code, "UNSPECIFIED");
        assert_eq!(named.message, "EE certificate key too weak");
        // A key ring accepts keeps the failure it had.
        let kept = name_small_rsa_key(bad_signature(), &rsa_certificate(2048));
        assert_eq!(kept, bad_signature());
    }
}

#[cfg(test)]
mod crl_tests {
    //! Node's `crl`: parsed as Node's `addCRL` parses it, and a chain whose every
    //! issuer published a CRL that does not list it still verifies.

    use rustls::crypto::ring::default_provider;
    use test_pki::{Ca, LeafSpec};

    use super::*;

    fn chain_of(pem: &str) -> Vec<CertificateDer<'static>> {
        certificates_in(pem.as_bytes())
    }

    #[test]
    fn a_crl_that_lists_nothing_of_the_chain_lets_it_verify() {
        let root = Ca::new_root("crl unit-test root");
        let leaf = root.issue(&LeafSpec::server("localhost", &["localhost"]));
        let trust = TrustStore::from_ca(Some(&[Pem::Text(root.cert_pem())]))
            .with_crls(Some(&[Pem::Text(root.crl_revoking(&[]))]))
            .expect("the CRL parses");
        let algorithms = default_provider().signature_verification_algorithms;
        let verdict = verify_chain(
            &trust,
            &algorithms,
            &chain_of(&leaf.cert_pem),
            UnixTime::now(),
        );
        assert_eq!(verdict, Ok(()));
    }

    #[test]
    fn text_without_a_crl_fails_as_node_add_crl_does() {
        for junk in [
            "garbage",
            "",
            "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n",
        ] {
            let err = TrustStore::default_roots()
                .with_crls(Some(&[Pem::Text(junk.into())]))
                .expect_err("no CRL in the text");
            assert_eq!(err.code, "ERR_CRYPTO_OPERATION_FAILED");
            assert_eq!(err.message, "Failed to parse CRL");
        }
        assert!(TrustStore::default_roots().with_crls(Some(&[])).is_ok());
    }
}

#[cfg(test)]
mod trust_tests {
    //! Chains OpenSSL accepts and webpki refuses (version 1 certificates, a
    //! self-signed server certificate in `ca`), `allowPartialTrustChain`, and
    //! issuers told apart by key identifier. Node 20's answer for each was asked
    //! of Node itself (`tests/trust_anchors.rs` asks it again against real peers);
    //! the forgeries and tampered signatures show nothing is taken on names.
    //! Version 1 certificates are made by the openssl CLI, the rest by rcgen.

    use std::path::PathBuf;
    use std::slice;
    use std::time::Duration;

    use test_pki::{self as pki, Ca, LeafSpec};

    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
    use test_pki::TempDir;

    use super::*;

    /// A scratch directory for the openssl CLI, removed when dropped.
    struct Scratch(TempDir);

    impl Scratch {
        fn new() -> Self {
            Self(TempDir::new("verify"))
        }

        fn write(&self, name: &str, text: &str) -> PathBuf {
            self.0.write(name, text)
        }

        fn read(&self, name: &str) -> String {
            String::from_utf8(self.0.read(name)).expect("openssl writes text")
        }

        fn openssl(&self, args: &[&str]) {
            self.0.openssl(args);
        }

        /// A new P-256 key `{name}.key` and a request `{name}.csr` for `subject`.
        fn request(&self, name: &str, subject: &str) {
            let (key, csr) = (format!("{name}.key"), format!("{name}.csr"));
            self.openssl(&[
                "req",
                "-new",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                &key,
                "-subj",
                subject,
                "-out",
                &csr,
            ]);
        }

        /// `{name}.pem`: a version 1 certificate for `{name}.csr` (no
        /// extensions make version 1), signed by `issuer` (`{issuer}.pem` and
        /// `.key`), or self-signed when `issuer` is `name`.
        fn v1(&self, name: &str, issuer: &str, serial: u32) -> CertificateDer<'static> {
            let (csr, out) = (format!("{name}.csr"), format!("{name}.pem"));
            let serial = serial.to_string();
            let mut args = vec!["x509", "-req", "-in", &csr, "-days", "10"];
            args.extend(["-set_serial", &serial, "-out", &out]);
            let (ca, ca_key) = (format!("{issuer}.pem"), format!("{issuer}.key"));
            if issuer == name {
                args.extend(["-signkey", &ca_key]);
            } else {
                args.extend(["-CA", &ca, "-CAkey", &ca_key]);
            }
            self.openssl(&args);
            certificates_in(self.read(&out).as_bytes()).remove(0)
        }

        /// Writes `ca`'s certificate and key as `{name}.pem` and `{name}.key`.
        fn put_ca(&self, name: &str, ca: &Ca) {
            self.write(&format!("{name}.pem"), &ca.cert_pem());
            self.write(&format!("{name}.key"), &ca.key_pem());
        }
    }

    fn ring() -> WebPkiSupportedAlgorithms {
        rustls::crypto::ring::default_provider().signature_verification_algorithms
    }

    fn trusting(certs: &[&CertificateDer<'_>]) -> TrustStore {
        let pem: String = certs.iter().map(|der| pem_of(der)).collect();
        TrustStore::from_ca(Some(&[Pem::Text(pem)]))
    }

    fn pem_of(der: &CertificateDer<'_>) -> String {
        use pkcs8::der::pem::{encode_string, LineEnding};
        encode_string("CERTIFICATE", LineEnding::LF, der).expect("PEM")
    }

    fn der_of(pem: &str) -> CertificateDer<'static> {
        certificates_in(pem.as_bytes()).remove(0)
    }

    /// The code of the verdict at `now`, or "authorized".
    fn verdict_at(trust: &TrustStore, chain: &[CertificateDer<'_>], now: UnixTime) -> String {
        match verify_chain(trust, &ring(), chain, now) {
            Ok(()) => "authorized".to_owned(),
            Err(err) => err.code,
        }
    }

    fn verdict(trust: &TrustStore, chain: &[CertificateDer<'_>]) -> String {
        verdict_at(trust, chain, UnixTime::now())
    }

    /// The same certificate with the last byte of its signature changed.
    fn tampered(der: &CertificateDer<'_>) -> CertificateDer<'static> {
        let mut bytes = der.to_vec();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x01;
        CertificateDer::from(bytes)
    }

    fn is_version_1(der: &CertificateDer<'_>) -> bool {
        let (_, cert) = X509Certificate::from_der(der).expect("parses");
        cert.tbs_certificate.version.0 == 0
    }

    #[test]
    fn v1_leaf_signed_by_a_trusted_root_is_authorized_by_its_signature() {
        let dir = Scratch::new();
        let root = Ca::new_root("v1 unit root");
        dir.put_ca("root", &root);
        dir.request("leaf", "/CN=localhost");
        let leaf = dir.v1("leaf", "root", 16);
        assert!(is_version_1(&leaf));
        let trust = trusting(&[&der_of(&root.cert_pem())]);
        assert_eq!(verdict(&trust, slice::from_ref(&leaf)), "authorized");
        assert_eq!(
            verdict(&trust, &[tampered(&leaf)]),
            "CERT_SIGNATURE_FAILURE"
        );
        // Another root of the same name and another key: found by name (no key
        // identifiers in a version 1 certificate), then its signature fails.
        let impostor = Ca::new_root("v1 unit root");
        dir.put_ca("impostor", &impostor);
        dir.request("forged", "/CN=localhost");
        let forged = dir.v1("forged", "impostor", 17);
        assert_eq!(verdict(&trust, &[forged]), "CERT_SIGNATURE_FAILURE");
        // An unknown issuer, and the default roots.
        let stranger = trusting(&[&der_of(&Ca::new_root("stranger").cert_pem())]);
        assert_eq!(
            verdict(&stranger, slice::from_ref(&leaf)),
            "UNABLE_TO_VERIFY_LEAF_SIGNATURE"
        );
        assert_eq!(
            verdict(&TrustStore::default_roots(), &[leaf]),
            "UNABLE_TO_VERIFY_LEAF_SIGNATURE"
        );
    }

    #[test]
    fn v1_leaf_dates_are_checked() {
        let dir = Scratch::new();
        let root = Ca::new_root("v1 dated root");
        dir.put_ca("root", &root);
        dir.request("leaf", "/CN=localhost");
        let leaf = dir.v1("leaf", "root", 18);
        let trust = trusting(&[&der_of(&root.cert_pem())]);
        let now = UnixTime::now().as_secs();
        let at = |secs: u64| UnixTime::since_unix_epoch(Duration::from_secs(secs));
        let day = 86_400;
        assert_eq!(
            verdict_at(&trust, slice::from_ref(&leaf), at(now - 2 * day)),
            "CERT_NOT_YET_VALID"
        );
        assert_eq!(
            verdict_at(&trust, &[leaf], at(now + 20 * day)),
            "CERT_HAS_EXPIRED"
        );
    }

    #[test]
    fn v1_root_in_ca_anchors_v1_and_v3_leaves() {
        let dir = Scratch::new();
        dir.request("root", "/CN=v1 unit anchor");
        let root = dir.v1("root", "root", 1);
        dir.request("leaf", "/CN=localhost");
        let v1_leaf = dir.v1("leaf", "root", 2);
        dir.write("leaf.ext", "subjectAltName=DNS:localhost\n");
        dir.openssl(&[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "root.pem",
            "-CAkey",
            "root.key",
            "-set_serial",
            "3",
            "-days",
            "10",
            "-extfile",
            "leaf.ext",
            "-out",
            "v3.pem",
        ]);
        let v3_leaf = der_of(&dir.read("v3.pem"));
        let trust = trusting(&[&root]);
        assert_eq!(verdict(&trust, &[v3_leaf]), "authorized");
        assert_eq!(verdict(&trust, slice::from_ref(&v1_leaf)), "authorized");
        assert_eq!(
            verdict(&trust, &[tampered(&v1_leaf)]),
            "CERT_SIGNATURE_FAILURE"
        );
    }

    #[test]
    fn v1_self_signed_leaf_is_trusted_only_as_itself() {
        let dir = Scratch::new();
        dir.request("own", "/CN=localhost");
        let own = dir.v1("own", "own", 4);
        dir.request("other", "/CN=localhost");
        let other = dir.v1("other", "other", 5);
        assert_eq!(
            verdict(&trusting(&[&own]), slice::from_ref(&own)),
            "authorized"
        );
        assert_eq!(
            verdict(&trusting(&[&other]), slice::from_ref(&own)),
            "DEPTH_ZERO_SELF_SIGNED_CERT"
        );
        assert_eq!(
            verdict(&TrustStore::default_roots(), slice::from_ref(&own)),
            "DEPTH_ZERO_SELF_SIGNED_CERT"
        );
        // OpenSSL takes the first certificate of that name in `ca`.
        assert_eq!(
            verdict(&trusting(&[&own, &other]), slice::from_ref(&own)),
            "authorized"
        );
        assert_eq!(
            verdict(&trusting(&[&other, &own]), slice::from_ref(&own)),
            "DEPTH_ZERO_SELF_SIGNED_CERT"
        );
        // Its own signature is checked even so.
        let bad = tampered(&own);
        assert_eq!(
            verdict(&trusting(&[&bad]), &[bad]),
            "CERT_SIGNATURE_FAILURE"
        );
    }

    #[test]
    fn v1_intermediate_is_not_a_ca() {
        let dir = Scratch::new();
        let root = Ca::new_root("root of a v1 intermediate");
        dir.put_ca("root", &root);
        dir.request("int", "/CN=v1 unit intermediate");
        let intermediate = dir.v1("int", "root", 6);
        dir.request("leaf", "/CN=localhost");
        let leaf = dir.v1("leaf", "int", 7);
        let root_der = der_of(&root.cert_pem());
        let trust = trusting(&[&root_der]);
        assert_eq!(
            verdict(&trust, &[leaf.clone(), intermediate.clone()]),
            "INVALID_PURPOSE"
        );
        let both = trusting(&[&root_der, &intermediate]);
        assert_eq!(verdict(&both, &[leaf]), "INVALID_PURPOSE");
    }

    #[test]
    fn v1_leaf_revoked_by_its_issuer_crl_is_refused() {
        let dir = Scratch::new();
        let root = Ca::new_root("v1 revoking root");
        dir.put_ca("root", &root);
        dir.request("leaf", "/CN=localhost");
        let leaf = dir.v1("leaf", "root", 0x42);
        let with_crl = |serials: &[&[u8]]| {
            TrustStore::from_ca(Some(&[Pem::Text(root.cert_pem())]))
                .with_crls(Some(&[Pem::Text(root.crl_revoking(serials))]))
                .expect("CRL parses")
        };
        assert_eq!(
            verdict(&with_crl(&[]), slice::from_ref(&leaf)),
            "authorized"
        );
        assert_eq!(
            verdict(&with_crl(&[&[0x42]]), slice::from_ref(&leaf)),
            "CERT_REVOKED"
        );
        let other = Ca::new_root("someone else's CRL");
        let foreign = TrustStore::from_ca(Some(&[Pem::Text(root.cert_pem())]))
            .with_crls(Some(&[Pem::Text(other.crl_revoking(&[]))]))
            .expect("CRL parses");
        assert_eq!(verdict(&foreign, &[leaf]), "UNABLE_TO_GET_CRL");
    }

    #[test]
    fn self_signed_server_certificate_in_ca_is_trusted_as_itself() {
        let dir = Scratch::new();
        // openssl req -x509's default: basicConstraints CA:TRUE, with key ids.
        let make = |name: &str| {
            let (key, pem) = (format!("{name}.key"), format!("{name}.pem"));
            dir.openssl(&[
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                &key,
                "-subj",
                "/CN=localhost",
                "-days",
                "10",
                "-addext",
                "subjectAltName=DNS:localhost",
                "-out",
                &pem,
            ]);
            der_of(&dir.read(&pem))
        };
        let own = make("own");
        let other = make("other");
        assert_eq!(
            verdict(&trusting(&[&own]), slice::from_ref(&own)),
            "authorized"
        );
        assert_eq!(
            verdict(&trusting(&[&other]), slice::from_ref(&own)),
            "DEPTH_ZERO_SELF_SIGNED_CERT"
        );
        assert_eq!(
            verdict(&TrustStore::default_roots(), slice::from_ref(&own)),
            "DEPTH_ZERO_SELF_SIGNED_CERT"
        );
        let bad = tampered(&own);
        assert_eq!(
            verdict(&trusting(&[&bad]), &[bad]),
            "CERT_SIGNATURE_FAILURE"
        );
        let now = UnixTime::now().as_secs();
        let later = UnixTime::since_unix_epoch(Duration::from_secs(now + 20 * 86_400));
        assert_eq!(
            verdict_at(&trusting(&[&own]), &[own], later),
            "CERT_HAS_EXPIRED"
        );
    }

    #[test]
    fn rcgen_self_signed_leaves_in_ca_are_trusted() {
        let spec = LeafSpec::server("localhost", &["localhost"]);
        let plain = der_of(&pki::self_signed_leaf(&spec).cert_pem);
        assert_eq!(
            verdict(&trusting(&[&plain]), slice::from_ref(&plain)),
            "authorized"
        );
        let as_ca = pki::self_signed_leaf_with(&spec, |params| {
            params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            params.key_usages.push(rcgen::KeyUsagePurpose::KeyCertSign);
        });
        let as_ca = der_of(&as_ca.cert_pem);
        assert_eq!(
            verdict(&trusting(&[&as_ca]), slice::from_ref(&as_ca)),
            "authorized"
        );
        let bad = tampered(&as_ca);
        assert_eq!(
            verdict(&trusting(&[&bad]), &[bad]),
            "CERT_SIGNATURE_FAILURE"
        );
    }

    /// Root, intermediate, and a leaf from the intermediate.
    fn three_levels() -> (
        CertificateDer<'static>,
        CertificateDer<'static>,
        CertificateDer<'static>,
    ) {
        let root = Ca::new_root("partial unit root");
        let intermediate = root.issue_intermediate("partial unit intermediate");
        let leaf = intermediate.issue(&LeafSpec::server("localhost", &["localhost"]));
        (
            der_of(&root.cert_pem()),
            der_of(&intermediate.cert_pem()),
            der_of(&leaf.cert_pem),
        )
    }

    #[test]
    fn intermediate_in_ca_is_an_anchor_only_with_partial_chains() {
        let (root, intermediate, leaf) = three_levels();
        let only_intermediate = trusting(&[&intermediate]);
        let sent_alone = [leaf.clone()];
        let sent_with_issuer = [leaf.clone(), intermediate.clone()];
        for chain in [&sent_alone[..], &sent_with_issuer[..]] {
            assert_eq!(
                verdict(&only_intermediate, chain),
                "UNABLE_TO_GET_ISSUER_CERT"
            );
            let partial = only_intermediate.clone().with_partial_chains(true);
            assert_eq!(verdict(&partial, chain), "authorized");
            let unset = partial.with_partial_chains(false);
            assert_eq!(verdict(&unset, chain), "UNABLE_TO_GET_ISSUER_CERT");
            // With its root in `ca` too, the intermediate is a step to it.
            assert_eq!(
                verdict(&trusting(&[&intermediate, &root]), chain),
                "authorized"
            );
        }
        // Partial chains still check the signature below the intermediate.
        let partial = only_intermediate.with_partial_chains(true);
        assert_eq!(
            verdict(&partial, &[tampered(&leaf)]),
            "CERT_SIGNATURE_FAILURE"
        );
    }

    #[test]
    fn only_self_signed_ca_certificates_are_anchors_by_default() {
        let (root, intermediate, _) = three_levels();
        let trust = trusting(&[&intermediate, &root]);
        assert_eq!((trust.anchors.len(), trust.ca_issuers.len()), (1, 1));
        let partial = trust.with_partial_chains(true);
        assert_eq!((partial.anchors.len(), partial.ca_issuers.len()), (2, 0));
    }

    #[test]
    fn issuer_with_another_key_identifier_is_not_the_issuer() {
        let trusted = Ca::new_root("same name, two keys");
        let impostor = Ca::new_root("same name, two keys");
        let leaf = impostor.issue(&LeafSpec::server("localhost", &["localhost"]));
        let trust = trusting(&[&der_of(&trusted.cert_pem())]);
        assert_eq!(
            verdict(&trust, &[der_of(&leaf.cert_pem)]),
            "UNABLE_TO_VERIFY_LEAF_SIGNATURE"
        );
        // The impostor root itself sent along: a self-signed root nobody trusts.
        assert_eq!(
            verdict(
                &trust,
                &[der_of(&leaf.cert_pem), der_of(&impostor.cert_pem())]
            ),
            "SELF_SIGNED_CERT_IN_CHAIN"
        );
    }

    /// A CA certificate for `name` with key `key`, signed by `issuer`'s key
    /// under `issuer`'s name, without needing the issuer's certificate.
    fn ca_signed_by(
        name: &str,
        key: &KeyPair,
        issuer: (&CertificateParams, &KeyPair),
    ) -> rcgen::Certificate {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, name);
        let issuer = rcgen::Issuer::from_params(issuer.0, issuer.1);
        params.signed_by(key, &issuer).expect("certificate")
    }

    fn ca_params(name: &str) -> CertificateParams {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, name);
        params
    }

    #[test]
    fn issuers_that_issued_each_other_end_the_search() {
        let (key_a, key_b) = (KeyPair::generate().unwrap(), KeyPair::generate().unwrap());
        let (params_a, params_b) = (ca_params("loop A"), ca_params("loop B"));
        let a = ca_signed_by("loop A", &key_a, (&params_b, &key_b));
        let b = ca_signed_by("loop B", &key_b, (&params_a, &key_a));
        let dir = Scratch::new();
        dir.write("a.pem", &a.pem());
        dir.write("a.key", &key_a.serialize_pem());
        dir.request("leaf", "/CN=localhost");
        let leaf = dir.v1("leaf", "a", 9);
        let trust = trusting(&[&der_of(&Ca::new_root("unrelated").cert_pem())]);
        let chain = [leaf, a.der().clone(), b.der().clone(), a.der().clone()];
        assert_eq!(verdict(&trust, &chain), "UNABLE_TO_GET_ISSUER_CERT_LOCALLY");
    }

    #[test]
    fn a_chain_longer_than_the_bound_is_refused() {
        let root = Ca::new_root("long chain root");
        let mut issuers = vec![root.issue_intermediate("long 0")];
        for n in 1..12 {
            let next = issuers[n - 1].issue_intermediate(&format!("long {n}"));
            issuers.push(next);
        }
        let dir = Scratch::new();
        dir.put_ca("last", &issuers[11]);
        dir.request("leaf", "/CN=localhost");
        let mut chain = vec![dir.v1("leaf", "last", 10)];
        chain.extend(issuers.iter().rev().map(|ca| der_of(&ca.cert_pem())));
        let trust = trusting(&[&der_of(&root.cert_pem())]);
        assert_eq!(verdict(&trust, &chain), "CERT_CHAIN_TOO_LONG");
    }

    /// `message` signed by the P-256 key in `key.pem` (PKCS#8), ASN.1 form.
    fn sign_with(dir: &Scratch, key: &str, message: &[u8]) -> Vec<u8> {
        use ring::rand::SystemRandom;
        use ring::signature::{EcdsaKeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::PrivatePkcs8KeyDer;
        let pkcs8 = PrivatePkcs8KeyDer::from_pem_slice(dir.read(key).as_bytes()).expect("PKCS#8");
        let rng = SystemRandom::new();
        let pair = EcdsaKeyPair::from_pkcs8(
            &ECDSA_P256_SHA256_ASN1_SIGNING,
            pkcs8.secret_pkcs8_der(),
            &rng,
        )
        .expect("P-256 key");
        pair.sign(&rng, message).expect("signs").as_ref().to_vec()
    }

    #[test]
    fn handshake_signature_by_a_v1_leaf_key_is_verified() {
        let dir = Scratch::new();
        let root = Ca::new_root("v1 handshake root");
        dir.put_ca("root", &root);
        dir.request("leaf", "/CN=localhost");
        let leaf = dir.v1("leaf", "root", 11);
        let spki = version_1_key(&leaf).expect("a version 1 certificate");
        let message = b"the transcript hash, say";
        let signature = sign_with(&dir, "leaf.key", message);
        let scheme = SignatureScheme::ECDSA_NISTP256_SHA256;
        let check = |tls13, message: &[u8], signature: &[u8], scheme| {
            verify_by_key(spki, tls13, message, scheme, signature, &ring())
        };
        assert_eq!(check(true, message, &signature, scheme), Ok(()));
        assert_eq!(check(false, message, &signature, scheme), Ok(()));
        let bad_signature = Err(rustls::Error::InvalidCertificate(
            CertificateError::BadSignature,
        ));
        assert_eq!(
            check(true, b"another message", &signature, scheme),
            bad_signature
        );
        assert_eq!(
            check(false, b"another message", &signature, scheme),
            bad_signature
        );
        // A scheme for another kind of key, and one TLS 1.3 does not allow.
        assert_eq!(
            check(true, message, &signature, SignatureScheme::RSA_PSS_SHA256),
            bad_signature
        );
        assert!(check(true, message, &signature, SignatureScheme::RSA_PKCS1_SHA256).is_err());
        // A version 3 certificate is left to rustls's own check.
        assert_eq!(version_1_key(&der_of(&root.cert_pem())), None);
    }

    #[test]
    fn new_codes_have_openssl_text() {
        for (name, code, text) in [
            (
                "UNABLE_TO_GET_ISSUER_CERT",
                "UNABLE_TO_GET_ISSUER_CERT",
                "unable to get issuer certificate",
            ),
            (
                "CERT_CHAIN_TOO_LONG",
                "CERT_CHAIN_TOO_LONG",
                "certificate chain too long",
            ),
            (
                "PATH_LENGTH_EXCEEDED",
                "PATH_LENGTH_EXCEEDED",
                "path length constraint exceeded",
            ),
            (
                "CRL_NOT_YET_VALID",
                "CRL_NOT_YET_VALID",
                "CRL is not yet valid",
            ),
            (
                "UNHANDLED_CRITICAL_EXTENSION",
                "UNSPECIFIED",
                "unhandled critical extension",
            ),
        ] {
            let err = openssl_error(name);
            assert_eq!((err.code.as_str(), err.message.as_str()), (code, text));
        }
    }
}
