//! OpenSSL's way of building and judging a server's chain: `X509_verify_cert`
//! as Node 20's OpenSSL 3.0 runs it for a client (trusted issuers searched
//! first, each failure handed to Node's callback, which carries on, so the last
//! failure is the one reported).
//!
//! [`super::verify_chain`] asks it only when webpki refuses a chain in a way
//! OpenSSL may not: a version 1 certificate, a CA certificate as the server's
//! own, a self-signed server certificate listed in `ca`, an intermediate listed
//! in `ca`, issuers told apart by their key identifiers. Nothing is accepted by
//! names: every signature is verified with webpki's algorithms, and every date
//! is checked. What it cannot judge (name constraints) it never accepts.

use std::cell::OnceCell;

use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::CertificateDer;
use x509_parser::asn1_rs::{Any, Oid};
use x509_parser::extensions::{ParsedExtension, X509Extension};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::revocation_list::CertificateRevocationList;

use super::is_weak_digest;

/// The longest chain built, leaf and trust anchor included. OpenSSL allows 100;
/// real chains have two to four certificates.
const MAX_CHAIN: usize = 10;

/// How many of the server's certificates are considered, in the order sent.
const MAX_SERVED: usize = 16;

/// What OpenSSL would conclude.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Judgement {
    /// Accepted, with every check OpenSSL makes made here.
    Trusted,
    /// Refused with OpenSSL's last failure (`X509_V_ERR_<name>`).
    Refused(&'static str),
    /// OpenSSL may accept it, but the chain needs a check this model does not
    /// make (name constraints), or the leaf does not parse: refused all the same.
    Unsure,
}

/// A chain and what it is judged against.
pub(super) struct Inputs<'a> {
    /// The server's certificates, leaf first.
    pub served: &'a [CertificateDer<'a>],
    /// The trusted certificates (`ca`, or the default roots), in `ca` order.
    pub trusted: &'a [CertificateDer<'a>],
    /// `allowPartialTrustChain`: a trusted certificate ends the chain even when
    /// it is not self-signed.
    pub partial: bool,
    /// The CRLs given as `crl`, DER; none: no revocation check.
    pub crls: &'a [Vec<u8>],
    /// The signature algorithms webpki verifies with.
    pub algorithms: &'a WebPkiSupportedAlgorithms,
    /// Seconds since the Unix epoch.
    pub now: i64,
}

/// Judges the chain as OpenSSL would.
pub(super) fn judge(inputs: &Inputs<'_>) -> Judgement {
    let Some(leaf) = inputs.served.first().and_then(|der| Cert::parse(der)) else {
        return Judgement::Unsure;
    };
    // The rest of what the server sent: OpenSSL's untrusted issuers.
    let served: Vec<Cert<'_>> = inputs.served[1..]
        .iter()
        .take(MAX_SERVED)
        .filter_map(|der| Cert::parse(der))
        .collect();
    let store = Store::new(inputs.trusted);
    let (chain, too_long) = build(&leaf, &served, &store, inputs);
    let mut failures = Vec::new();
    failures.extend(chain_failure(&chain, too_long, inputs.partial));
    check_extensions(&chain, &mut failures);
    check_digests(&chain, &mut failures);
    if !inputs.crls.is_empty() {
        check_revocation(&chain, inputs, &mut failures);
    }
    check_signatures_and_dates(&chain, inputs, &mut failures);
    match failures.last() {
        Some(code) => Judgement::Refused(code),
        None if chain.iter().any(|link| link.cert.unjudged) => Judgement::Unsure,
        None => Judgement::Trusted,
    }
}

/// Whether OpenSSL would take the certificate as self-signed (and so as a trust
/// anchor without `allowPartialTrustChain`); `None` when it does not parse.
pub(super) fn is_self_signed(der: &[u8]) -> Option<bool> {
    Cert::parse(der).map(|cert| cert.self_signed)
}

/// A signature and what it covers.
struct Signed<'a> {
    /// The signed bytes (a tbsCertificate or tbsCertList, whole).
    message: &'a [u8],
    /// The contents of the signature's AlgorithmIdentifier.
    algorithm: &'a [u8],
    /// The signature.
    signature: &'a [u8],
}

impl<'a> Signed<'a> {
    /// The three parts of a signed X.509 structure (certificate or CRL).
    fn parse(der: &'a [u8]) -> Option<Self> {
        let (_, outer) = Any::from_der(der).ok()?;
        let body = outer.data;
        let (rest, _) = Any::from_der(body).ok()?;
        let message = &body[..body.len() - rest.len()];
        let (rest, algorithm) = Any::from_der(rest).ok()?;
        let (_, signature) = Any::from_der(rest).ok()?;
        Some(Self {
            message,
            algorithm: algorithm.data,
            signature: bit_string(signature.data)?,
        })
    }
}

/// The bytes of a BIT STRING's contents (whole bytes only, as keys and signatures are).
fn bit_string(contents: &[u8]) -> Option<&[u8]> {
    match contents.split_first() {
        Some((0, bits)) => Some(bits),
        _ => None,
    }
}

/// A public key as webpki's algorithms take it.
struct Key<'a> {
    /// The contents of its AlgorithmIdentifier.
    algorithm: &'a [u8],
    /// The subjectPublicKey bits.
    bits: &'a [u8],
}

impl<'a> Key<'a> {
    /// From a whole SubjectPublicKeyInfo.
    fn parse(spki: &'a [u8]) -> Option<Self> {
        let (_, outer) = Any::from_der(spki).ok()?;
        let (rest, algorithm) = Any::from_der(outer.data).ok()?;
        let (_, key) = Any::from_der(rest).ok()?;
        Some(Self {
            algorithm: algorithm.data,
            bits: bit_string(key.data)?,
        })
    }
}

/// keyUsage, as OpenSSL's checks read it.
#[derive(Debug, Clone, Copy)]
struct Usage {
    /// keyCertSign.
    cert_sign: bool,
    /// digitalSignature, keyEncipherment or keyAgreement: what a TLS server needs.
    tls_server: bool,
}

/// A certificate as OpenSSL's chain checks read it.
struct Cert<'a> {
    der: &'a [u8],
    signed: Signed<'a>,
    /// The signature algorithm inside the signed part is the outer one.
    algorithms_agree: bool,
    version_1: bool,
    serial: &'a [u8],
    issuer: &'a [u8],
    subject: &'a [u8],
    key: Key<'a>,
    not_before: i64,
    not_after: i64,
    key_id: Option<&'a [u8]>,
    authority_key_id: Option<&'a [u8]>,
    authority_serial: Option<&'a [u8]>,
    /// basicConstraints' cA, when present.
    ca: Option<bool>,
    path_len: Option<u32>,
    key_usage: Option<Usage>,
    /// Whether extendedKeyUsage allows a TLS server, when present.
    server_eku: Option<bool>,
    /// A critical extension OpenSSL does not handle.
    unhandled_critical: bool,
    /// An extension whose rules this model does not apply (name constraints).
    unjudged: bool,
    /// Subject and issuer names are equal (OpenSSL's "self-issued").
    self_issued: bool,
    /// Self-issued, and its own key identifiers and key type agree with that.
    self_signed: bool,
}

impl<'a> Cert<'a> {
    fn parse(der: &'a [u8]) -> Option<Self> {
        let (_, x509) = X509Certificate::from_der(der).ok()?;
        let tbs = &x509.tbs_certificate;
        let mut cert = Self {
            der,
            signed: Signed::parse(der)?,
            algorithms_agree: tbs.signature == x509.signature_algorithm,
            version_1: tbs.version.0 == 0,
            serial: tbs.raw_serial(),
            issuer: tbs.issuer.as_raw(),
            subject: tbs.subject.as_raw(),
            key: Key::parse(tbs.subject_pki.raw)?,
            not_before: tbs.validity.not_before.timestamp(),
            not_after: tbs.validity.not_after.timestamp(),
            key_id: None,
            authority_key_id: None,
            authority_serial: None,
            ca: None,
            path_len: None,
            key_usage: None,
            server_eku: None,
            unhandled_critical: false,
            unjudged: false,
            self_issued: false,
            self_signed: false,
        };
        for extension in tbs.extensions() {
            cert.read(extension);
        }
        cert.self_issued = cert.subject == cert.issuer;
        cert.self_signed = cert.self_issued && likely_issued(&cert, &cert);
        Some(cert)
    }

    /// Takes in one extension.
    fn read(&mut self, extension: &X509Extension<'a>) {
        match extension.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(id) => self.key_id = Some(id.0),
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                self.authority_key_id = aki.key_identifier.as_ref().map(|id| id.0);
                self.authority_serial = aki.authority_cert_serial;
            }
            ParsedExtension::BasicConstraints(constraints) => {
                self.ca = Some(constraints.ca);
                self.path_len = constraints.path_len_constraint;
            }
            ParsedExtension::KeyUsage(usage) => {
                self.key_usage = Some(Usage {
                    cert_sign: usage.key_cert_sign(),
                    tls_server: usage.digital_signature()
                        || usage.key_encipherment()
                        || usage.key_agreement(),
                });
            }
            ParsedExtension::ExtendedKeyUsage(eku) => {
                let sgc = eku
                    .other
                    .iter()
                    .any(|oid| SGC_PURPOSES.contains(&oid.to_id_string().as_str()));
                self.server_eku = Some(eku.server_auth || sgc);
            }
            ParsedExtension::NameConstraints(_) => self.unjudged = true,
            _ => {}
        }
        let oid = extension.oid.to_id_string();
        if extension.critical && !OPENSSL_HANDLED_EXTENSIONS.contains(&oid.as_str()) {
            self.unhandled_critical = true;
        }
        if EXTENSIONS_NOT_JUDGED.contains(&oid.as_str()) {
            self.unjudged = true;
        }
    }

    /// OpenSSL's `check_ca`: 0 when the certificate cannot be a CA, 1 when
    /// basicConstraints says it is one, 3 for a self-signed version 1
    /// certificate, 4 for keyCertSign without basicConstraints.
    fn ca_kind(&self) -> u8 {
        if self.key_usage.is_some_and(|usage| !usage.cert_sign) {
            return 0;
        }
        match self.ca {
            Some(ca) => u8::from(ca),
            None if self.version_1 && self.self_signed => 3,
            None if self.key_usage.is_some() => 4,
            None => 0,
        }
    }

    /// OpenSSL's purpose check for a TLS server, for the server's own
    /// certificate or (`as_ca`) for one of its issuers.
    fn fits_tls_server(&self, as_ca: bool) -> bool {
        if self.server_eku == Some(false) {
            return false;
        }
        if as_ca {
            return self.ca_kind() != 0;
        }
        self.key_usage.is_none_or(|usage| usage.tls_server)
    }

    /// Valid at `now` (OpenSSL prefers such an issuer among several).
    fn valid_at(&self, now: i64) -> bool {
        self.not_before <= now && now <= self.not_after
    }
}

/// Extensions OpenSSL handles when critical (its `X509_supported_extension`).
const OPENSSL_HANDLED_EXTENSIONS: &[&str] = &[
    "2.16.840.1.113730.1.1", // nsCertType
    "2.5.29.15",             // keyUsage
    "2.5.29.17",             // subjectAltName
    "2.5.29.19",             // basicConstraints
    "2.5.29.32",             // certificatePolicies
    "2.5.29.31",             // cRLDistributionPoints
    "2.5.29.37",             // extendedKeyUsage
    "1.3.6.1.5.5.7.1.7",     // sbgp-ipAddrBlock
    "1.3.6.1.5.5.7.1.8",     // sbgp-autonomousSysNum
    "1.3.6.1.5.5.7.48.1.5",  // id-pkix-ocsp-nocheck
    "2.5.29.36",             // policyConstraints
    "1.3.6.1.5.5.7.1.14",    // proxyCertInfo
    "2.5.29.30",             // nameConstraints
    "2.5.29.33",             // policyMappings
    "2.5.29.54",             // inhibitAnyPolicy
];

/// Extensions OpenSSL enforces and this model does not: a chain with one is never accepted here.
const EXTENSIONS_NOT_JUDGED: &[&str] = &[
    "1.3.6.1.5.5.7.1.7",  // sbgp-ipAddrBlock
    "1.3.6.1.5.5.7.1.8",  // sbgp-autonomousSysNum
    "1.3.6.1.5.5.7.1.14", // proxyCertInfo
];

/// Server Gated Crypto purposes, which OpenSSL takes as allowing a TLS server.
const SGC_PURPOSES: &[&str] = &["2.16.840.1.113730.4.1", "1.3.6.1.4.1.311.10.3.3"];

/// OpenSSL's `ossl_x509_likely_issued`: names, key identifiers (and the
/// issuer's serial when the subject names it), and key type against signature.
fn likely_issued(issuer: &Cert<'_>, subject: &Cert<'_>) -> bool {
    if issuer.subject != subject.issuer {
        return false;
    }
    let ids_differ = matches!(
        (subject.authority_key_id, issuer.key_id),
        (Some(authority), Some(own)) if authority != own
    );
    let serial_differs = subject
        .authority_serial
        .is_some_and(|serial| serial != issuer.serial);
    !ids_differ && !serial_differs && key_fits(&issuer.key, &subject.signed)
}

/// Families of keys and of the signatures they make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Ec,
    Rsa,
    RsaPss,
    Ed25519,
    Ed448,
    Dsa,
    Unknown,
}

/// The family of a key, by its algorithm OID.
fn key_family(algorithm: &[u8]) -> Family {
    match oid_of(algorithm).as_deref() {
        Some("1.2.840.10045.2.1") => Family::Ec,
        Some("1.2.840.113549.1.1.1") => Family::Rsa,
        Some("1.2.840.113549.1.1.10") => Family::RsaPss,
        Some("1.3.101.112") => Family::Ed25519,
        Some("1.3.101.113") => Family::Ed448,
        Some("1.2.840.10040.4.1") => Family::Dsa,
        _ => Family::Unknown,
    }
}

/// The family of key a signature algorithm needs, by its OID.
fn signature_family(algorithm: &[u8]) -> Family {
    let Some(oid) = oid_of(algorithm) else {
        return Family::Unknown;
    };
    match oid.as_str() {
        "1.2.840.113549.1.1.10" => Family::RsaPss,
        "1.3.101.112" => Family::Ed25519,
        "1.3.101.113" => Family::Ed448,
        "1.3.14.3.2.29" => Family::Rsa,
        "1.2.840.10040.4.3" => Family::Dsa,
        _ if oid.starts_with("1.2.840.10045.4.") => Family::Ec,
        _ if oid.starts_with("1.2.840.113549.1.1.") => Family::Rsa,
        _ if oid.starts_with("2.16.840.1.101.3.4.3.") => Family::Dsa,
        _ => Family::Unknown,
    }
}

/// The OID that opens an AlgorithmIdentifier's contents, dotted.
fn oid_of(algorithm: &[u8]) -> Option<String> {
    Oid::from_der(algorithm)
        .ok()
        .map(|(_, oid)| oid.to_id_string())
}

/// OpenSSL's `check_sig_alg_match`: the issuer's key is of the kind the
/// subject's signature needs (an RSA key may also make RSA-PSS signatures).
/// Kinds this model does not know are left to the signature check.
fn key_fits(key: &Key<'_>, signed: &Signed<'_>) -> bool {
    match (
        key_family(key.algorithm),
        signature_family(signed.algorithm),
    ) {
        (Family::Unknown, _) | (_, Family::Unknown) => true,
        (Family::Rsa, Family::RsaPss) => true,
        (key, signature) => key == signature,
    }
}

/// What checking one signature came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signature {
    Valid,
    Invalid,
    /// No algorithm webpki has fits this key and signature algorithm.
    Unsupported,
}

/// Verifies `signed` with `key`, by the algorithm webpki would use for them.
fn check_signature(
    algorithms: &WebPkiSupportedAlgorithms,
    key: &Key<'_>,
    signed: &Signed<'_>,
) -> Signature {
    let mut fitting = algorithms
        .all
        .iter()
        .filter(|alg| {
            alg.public_key_alg_id().as_ref() == key.algorithm
                && alg.signature_alg_id().as_ref() == signed.algorithm
        })
        .peekable();
    if fitting.peek().is_none() {
        return Signature::Unsupported;
    }
    let valid = fitting.any(|alg| {
        alg.verify_signature(key.bits, signed.message, signed.signature)
            .is_ok()
    });
    if valid {
        Signature::Valid
    } else {
        Signature::Invalid
    }
}

/// The trusted certificates, parsed only when their DER holds a name looked for.
struct Store<'a> {
    ders: &'a [CertificateDer<'a>],
    parsed: Vec<OnceCell<Option<Cert<'a>>>>,
}

impl<'a> Store<'a> {
    fn new(ders: &'a [CertificateDer<'a>]) -> Self {
        Self {
            ders,
            parsed: ders.iter().map(|_| OnceCell::new()).collect(),
        }
    }

    /// OpenSSL's `X509_STORE_CTX_get1_issuer`: of the trusted certificates
    /// likely to have issued `subject`, the first valid now, else the one that
    /// expires last.
    fn issuer_of(&self, subject: &Cert<'_>, now: i64) -> Option<&Cert<'a>> {
        let candidates = self
            .ders
            .iter()
            .zip(&self.parsed)
            // A cheap look for the name's bytes before parsing.
            .filter(|(der, _)| contains(der, subject.issuer))
            .filter_map(|(der, cell)| cell.get_or_init(|| Cert::parse(der)).as_ref())
            .filter(|candidate| likely_issued(candidate, subject));
        preferred(candidates, now)
    }

    /// Whether this very certificate is trusted.
    fn holds(&self, cert: &Cert<'_>) -> bool {
        self.ders.iter().any(|der| der.as_ref() == cert.der)
    }
}

/// Whether `needle` occurs in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

/// The first candidate valid at `now`, else the one that expires last.
fn preferred<'c, 'a: 'c>(
    candidates: impl Iterator<Item = &'c Cert<'a>>,
    now: i64,
) -> Option<&'c Cert<'a>> {
    let mut fallback: Option<&Cert<'a>> = None;
    for candidate in candidates {
        if candidate.valid_at(now) {
            return Some(candidate);
        }
        if fallback.is_none_or(|kept| candidate.not_after > kept.not_after) {
            fallback = Some(candidate);
        }
    }
    fallback
}

/// One certificate of the chain built, and whether it came from the trust store.
struct Link<'c, 'a> {
    cert: &'c Cert<'a>,
    trusted: bool,
}

/// OpenSSL's `build_chain` (trusted issuers first, then the server's): the
/// chain from the leaf up, and whether it hit [`MAX_CHAIN`].
fn build<'c, 'a>(
    leaf: &'c Cert<'a>,
    served: &'c [Cert<'a>],
    store: &'c Store<'a>,
    inputs: &Inputs<'_>,
) -> (Vec<Link<'c, 'a>>, bool) {
    // With partial chains, the leaf itself may be what the client trusts.
    let leaf_trusted = inputs.partial && store.holds(leaf);
    let mut chain = vec![Link {
        cert: leaf,
        trusted: leaf_trusted,
    }];
    // Bounded: each turn adds a certificate, and the chain stops at MAX_CHAIN.
    loop {
        let top = &chain[chain.len() - 1];
        let (cert, trusted) = (top.cert, top.trusted);
        if trusted && (cert.self_signed || inputs.partial) {
            return (chain, false);
        }
        if chain.len() >= MAX_CHAIN {
            return (chain, true);
        }
        let issuer = store.issuer_of(cert, inputs.now);
        if cert.self_signed {
            // Only this very certificate in the store makes it trusted: a
            // look-alike (same name, another key) is an impostor.
            if issuer.is_some_and(|issuer| issuer.der == cert.der) {
                if let Some(top) = chain.last_mut() {
                    top.trusted = true;
                }
            }
            return (chain, false);
        }
        if let Some(issuer) = issuer {
            chain.push(Link {
                cert: issuer,
                trusted: true,
            });
            continue;
        }
        if trusted {
            // Once in the store, OpenSSL looks for issuers only there.
            return (chain, false);
        }
        let in_chain =
            |candidate: &Cert<'_>| chain.iter().any(|link| link.cert.der == candidate.der);
        let candidates = served
            .iter()
            .filter(|candidate| !in_chain(candidate) && likely_issued(candidate, cert));
        match preferred(candidates, inputs.now) {
            Some(issuer) => chain.push(Link {
                cert: issuer,
                trusted: false,
            }),
            None => return (chain, false),
        }
    }
}

/// What `build_chain` reports when the chain does not end in a trust anchor.
fn chain_failure(chain: &[Link<'_, '_>], too_long: bool, partial: bool) -> Option<&'static str> {
    let top = &chain[chain.len() - 1];
    if top.trusted && (top.cert.self_signed || partial) {
        return None;
    }
    Some(if too_long {
        "CERT_CHAIN_TOO_LONG"
    } else if top.cert.self_signed && !top.trusted {
        if chain.len() == 1 {
            "DEPTH_ZERO_SELF_SIGNED_CERT"
        } else {
            "SELF_SIGNED_CERT_IN_CHAIN"
        }
    } else if top.trusted {
        // An intermediate given as `ca`, without allowPartialTrustChain.
        "UNABLE_TO_GET_ISSUER_CERT"
    } else {
        "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"
    })
}

/// OpenSSL's `check_extensions`: critical extensions, CA certificates above
/// the leaf, the TLS server purpose, and path lengths.
fn check_extensions(chain: &[Link<'_, '_>], failures: &mut Vec<&'static str>) {
    // Intermediates below the current certificate that count for pathLen.
    let mut below = 0;
    for (depth, link) in chain.iter().enumerate() {
        let cert = link.cert;
        if cert.unhandled_critical {
            failures.push("UNHANDLED_CRITICAL_EXTENSION");
        }
        let as_ca = depth > 0;
        if as_ca {
            let kind = cert.ca_kind();
            // Only the top may be a CA by the older rules (a version 1 root).
            if kind == 0 || (depth + 1 < chain.len() && kind != 1) {
                failures.push("INVALID_CA");
            }
        }
        if !cert.fits_tls_server(as_ca) {
            failures.push("INVALID_PURPOSE");
        }
        if depth > 1 && cert.path_len.is_some_and(|max| below > max) {
            failures.push("PATH_LENGTH_EXCEEDED");
        }
        if depth > 0 && !cert.self_issued {
            below += 1;
        }
    }
}

/// OpenSSL's `check_auth_level` for signatures: at Node's security level a
/// signature over MD5 or SHA-1 is too weak, but the trust anchor's own is not looked at.
fn check_digests(chain: &[Link<'_, '_>], failures: &mut Vec<&'static str>) {
    let below_top = &chain[..chain.len() - 1];
    if below_top
        .iter()
        .any(|link| is_weak_digest(link.cert.signed.algorithm))
    {
        failures.push("CA_MD_TOO_WEAK");
    }
}

/// A CRL as OpenSSL's revocation check reads it.
struct Crl<'a> {
    signed: Signed<'a>,
    issuer: &'a [u8],
    this_update: i64,
    next_update: Option<i64>,
    /// The serial numbers it lists.
    revoked: Vec<Vec<u8>>,
}

impl<'a> Crl<'a> {
    fn parse(der: &'a [u8]) -> Option<Self> {
        let (_, crl) = CertificateRevocationList::from_der(der).ok()?;
        let tbs = &crl.tbs_cert_list;
        Some(Self {
            signed: Signed::parse(der)?,
            issuer: tbs.issuer.as_raw(),
            this_update: tbs.this_update.timestamp(),
            next_update: tbs.next_update.map(|time| time.timestamp()),
            revoked: tbs
                .revoked_certificates
                .iter()
                .map(|revoked| revoked.raw_serial().to_vec())
                .collect(),
        })
    }
}

/// OpenSSL's `check_revocation` as Node sets it (`X509_V_FLAG_CRL_CHECK_ALL`):
/// every certificate of the chain needs a CRL from its issuer, signed by that
/// issuer and current; the first such CRL is checked as OpenSSL checks the one
/// it picks, and a certificate any correctly signed CRL of its issuer lists is revoked.
fn check_revocation(chain: &[Link<'_, '_>], inputs: &Inputs<'_>, failures: &mut Vec<&'static str>) {
    let crls: Vec<Crl<'_>> = inputs
        .crls
        .iter()
        .filter_map(|der| Crl::parse(der))
        .collect();
    for (depth, link) in chain.iter().enumerate() {
        let cert = link.cert;
        let issuer = match chain.get(depth + 1) {
            Some(next) => Some(next.cert),
            None => cert.self_signed.then_some(cert),
        };
        let mut from_issuer = crls
            .iter()
            .filter(|crl| crl.issuer == cert.issuer)
            .peekable();
        let (Some(first), Some(issuer)) = (from_issuer.peek(), issuer) else {
            failures.push("UNABLE_TO_GET_CRL");
            continue;
        };
        let signed_by_issuer = |crl: &Crl<'_>| {
            check_signature(inputs.algorithms, &issuer.key, &crl.signed) == Signature::Valid
        };
        if !signed_by_issuer(first) {
            failures.push("CRL_SIGNATURE_FAILURE");
        }
        if first.this_update > inputs.now {
            failures.push("CRL_NOT_YET_VALID");
        }
        if first.next_update.is_some_and(|next| next < inputs.now) {
            failures.push("CRL_HAS_EXPIRED");
        }
        let lists = |crl: &Crl<'_>| crl.revoked.iter().any(|serial| serial == cert.serial);
        if from_issuer.any(|crl| lists(crl) && signed_by_issuer(crl)) {
            failures.push("CERT_REVOKED");
        }
    }
}

/// OpenSSL's `internal_verify`: from the top down, each signature by the
/// certificate above, then each certificate's dates. A self-signed trust
/// anchor's own signature is not looked at, except when it is the server's own
/// certificate: then it is checked too.
fn check_signatures_and_dates(
    chain: &[Link<'_, '_>],
    inputs: &Inputs<'_>,
    failures: &mut Vec<&'static str>,
) {
    let top = chain.len() - 1;
    let top_cert = chain[top].cert;
    if top_cert.self_signed {
        if top == 0 && chain[0].trusted {
            check_issued_by(top_cert, top_cert, inputs, failures);
        }
        check_dates(top_cert, inputs.now, failures);
    } else if inputs.partial {
        check_dates(top_cert, inputs.now, failures);
    } else if top == 0 {
        failures.push("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
        check_dates(top_cert, inputs.now, failures);
    }
    // Otherwise the top has no issuer to check it against, and OpenSSL skips its dates.
    for depth in (0..top).rev() {
        let cert = chain[depth].cert;
        check_issued_by(cert, chain[depth + 1].cert, inputs, failures);
        check_dates(cert, inputs.now, failures);
    }
}

/// Verifies `cert`'s signature with `issuer`'s key.
fn check_issued_by(
    cert: &Cert<'_>,
    issuer: &Cert<'_>,
    inputs: &Inputs<'_>,
    failures: &mut Vec<&'static str>,
) {
    if !cert.algorithms_agree {
        failures.push("CERT_SIGNATURE_FAILURE");
        return;
    }
    match check_signature(inputs.algorithms, &issuer.key, &cert.signed) {
        Signature::Valid => {}
        Signature::Invalid => failures.push("CERT_SIGNATURE_FAILURE"),
        // OpenSSL would verify an MD5 or SHA-1 signature, having already named
        // the digest too weak; ring cannot, so it stays refused.
        Signature::Unsupported if is_weak_digest(cert.signed.algorithm) => {
            failures.push("CA_MD_TOO_WEAK")
        }
        Signature::Unsupported => failures.push("CERT_SIGNATURE_FAILURE"),
    }
}

/// OpenSSL's `check_cert_time`.
fn check_dates(cert: &Cert<'_>, now: i64, failures: &mut Vec<&'static str>) {
    if cert.not_before > now {
        failures.push("CERT_NOT_YET_VALID");
    }
    if cert.not_after < now {
        failures.push("CERT_HAS_EXPIRED");
    }
}
