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
use rustls::{CertificateError, DigitallySignedStruct, OtherError, SignatureScheme};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::options::Pem;
use crate::TlsError;

/// The certificates a client trusts (Node's `ca`, or the default Mozilla roots)
/// and the revocation lists it checks them against (Node's `crl`).
#[derive(Debug, Clone)]
pub struct TrustStore {
    anchors: Arc<Vec<TrustAnchor<'static>>>,
    crls: Arc<Vec<webpki::CertRevocationList<'static>>>,
}

impl TrustStore {
    /// The default roots (Mozilla's, as Node bundles them).
    pub fn default_roots() -> Self {
        Self {
            anchors: crate::roots::default_anchors(),
            crls: Arc::default(),
        }
    }

    /// Node's `crl`: the first CRL of each item, as OpenSSL's PEM reader takes
    /// it. An item with none that parses fails as Node's `addCRL` does.
    pub fn with_crls(mut self, items: Option<&[Pem]>) -> Result<Self, TlsError> {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::CertificateRevocationListDer;
        let mut crls = Vec::new();
        for item in items.unwrap_or_default() {
            let parsed = CertificateRevocationListDer::pem_slice_iter(item.as_bytes())
                .next()
                .and_then(Result::ok)
                .and_then(|der| webpki::OwnedCertRevocationList::from_der(&der).ok());
            match parsed {
                Some(crl) => crls.push(webpki::CertRevocationList::Owned(crl)),
                None => {
                    return Err(TlsError::new(
                        "ERR_CRYPTO_OPERATION_FAILED",
                        "Failed to parse CRL",
                    ))
                }
            }
        }
        self.crls = Arc::new(crls);
        Ok(self)
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
            crls: Arc::default(),
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
    /// The schemes offered in the ClientHello (Node's `sigalgs`); all of
    /// `algorithms`' when not restricted.
    schemes: Vec<SignatureScheme>,
    /// Where the server's stapled OCSP response is left for the connection.
    ocsp: Option<Arc<std::sync::Mutex<Option<Vec<u8>>>>>,
}

impl AcceptChainVerifier {
    /// A verifier using the signature algorithms of the given provider, offering
    /// `schemes` (all the provider's when `None`).
    pub fn new(algorithms: WebPkiSupportedAlgorithms, schemes: Option<Vec<SignatureScheme>>) -> Self {
        let schemes = schemes.unwrap_or_else(|| algorithms.supported_schemes());
        Self {
            algorithms,
            schemes,
            ocsp: None,
        }
    }

    /// The same verifier, leaving the server's OCSP response (empty when none) in `slot`.
    pub fn capturing_ocsp(&self, slot: Arc<std::sync::Mutex<Option<Vec<u8>>>>) -> Self {
        Self {
            algorithms: self.algorithms,
            schemes: self.schemes.clone(),
            ocsp: Some(slot),
        }
    }
}

impl ServerCertVerifier for AcceptChainVerifier {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Some(slot) = &self.ocsp {
            if let Ok(mut slot) = slot.lock() {
                *slot = Some(ocsp_response.to_vec());
            }
        }
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
            .map_err(|err| name_small_rsa_key(err, cert))
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
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
    let small = crate::certinfo::describe(cert).is_ok_and(|info| {
        info.modulus.is_some() && info.bits.is_some_and(|bits| bits < MIN_RSA_BITS)
    });
    if !small {
        return err;
    }
    rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(Arc::new(
        openssl_error("EE_KEY_TOO_SMALL"),
    ))))
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
fn openssl_error(name: &str) -> TlsError {
    match X509_ERRORS.iter().find(|(known, _, _)| *known == name) {
        Some((_, text, true)) => TlsError::new(name, *text),
        Some((_, text, false)) => TlsError::new("UNSPECIFIED", *text),
        None => TlsError::new("UNSPECIFIED", "certificate verify failed"),
    }
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
    let result = end_entity.verify_for_usage(
        algorithms.all,
        &trust.anchors,
        intermediates,
        now,
        webpki::KeyUsage::server_auth(),
        revocation,
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
    use crate::alert;
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

    use host_example::pki::{Ca, LeafSpec};
    use rustls::crypto::ring::default_provider;

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
