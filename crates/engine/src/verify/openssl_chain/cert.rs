//! A certificate as OpenSSL's chain checks read it: names, key identifiers,
//! basicConstraints, key usages, the critical extensions OpenSSL handles, and
//! whether it is self-signed; and `ossl_x509_likely_issued`, which decides
//! whether one certificate may have issued another.

use x509_parser::extensions::{GeneralName, ParsedExtension, X509Extension};
use x509_parser::prelude::{FromDer, X509Certificate};

use super::signature::{key_fits, Key, Signed};

/// keyUsage, as OpenSSL's checks read it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Usage {
    /// keyCertSign.
    cert_sign: bool,
    /// digitalSignature, keyEncipherment or keyAgreement: what a TLS server needs.
    tls_server: bool,
    /// cRLSign.
    pub(super) crl_sign: bool,
}

/// A certificate as OpenSSL's chain checks read it.
pub(super) struct Cert<'a> {
    /// The whole certificate.
    pub(super) der: &'a [u8],
    /// Its signature and what it covers.
    pub(super) signed: Signed<'a>,
    /// The signature algorithm inside the signed part is the outer one.
    pub(super) algorithms_agree: bool,
    /// A version 1 certificate (no extensions).
    pub(super) version_1: bool,
    /// The serial number's content bytes.
    pub(super) serial: &'a [u8],
    /// The issuer name, DER.
    pub(super) issuer: &'a [u8],
    /// The subject name, DER.
    pub(super) subject: &'a [u8],
    /// The subject's public key.
    pub(super) key: Key<'a>,
    /// notBefore, seconds since the Unix epoch.
    pub(super) not_before: i64,
    /// notAfter, seconds since the Unix epoch.
    pub(super) not_after: i64,
    /// subjectKeyIdentifier.
    pub(super) key_id: Option<&'a [u8]>,
    /// authorityKeyIdentifier's keyIdentifier.
    pub(super) authority_key_id: Option<&'a [u8]>,
    /// authorityKeyIdentifier's authorityCertSerialNumber.
    pub(super) authority_serial: Option<&'a [u8]>,
    /// authorityKeyIdentifier's authorityCertIssuer, its first directoryName (DER).
    pub(super) authority_issuer: Option<&'a [u8]>,
    /// What OpenSSL flags as invalid (`EXFLAG_INVALID`) when it caches the
    /// extensions: a duplicated or unreadable extension, a critical
    /// subjectKeyIdentifier. Such a certificate neither issues nor is issued.
    pub(super) invalid: bool,
    /// basicConstraints' cA, when present.
    pub(super) ca: Option<bool>,
    /// basicConstraints' pathLenConstraint, when present.
    pub(super) path_len: Option<u32>,
    /// keyUsage, when present.
    pub(super) key_usage: Option<Usage>,
    /// Whether extendedKeyUsage allows a TLS server, when present.
    pub(super) server_eku: Option<bool>,
    /// A critical extension OpenSSL does not handle.
    pub(super) unhandled_critical: bool,
    /// An extension whose rules this model does not apply (name constraints).
    pub(super) unjudged: bool,
    /// Names OpenSSL checks against name constraints: the subject's
    /// attributes and the subjectAltName entries.
    pub(super) name_count: usize,
    /// permittedSubtrees and excludedSubtrees together, when nameConstraints is present.
    pub(super) constraint_count: Option<usize>,
    /// Subject and issuer names are equal (OpenSSL's "self-issued").
    pub(super) self_issued: bool,
    /// Self-issued, and its own key identifiers and key type agree with that.
    pub(super) self_signed: bool,
}

impl<'a> Cert<'a> {
    /// Reads a certificate; `None` when x509-parser or the signature's framing refuses it.
    pub(super) fn parse(der: &'a [u8]) -> Option<Self> {
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
            authority_issuer: None,
            invalid: has_duplicates(tbs.extensions()),
            ca: None,
            path_len: None,
            key_usage: None,
            server_eku: None,
            unhandled_critical: false,
            unjudged: false,
            name_count: tbs.subject.iter_attributes().count(),
            constraint_count: None,
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
            ParsedExtension::SubjectKeyIdentifier(id) => {
                self.key_id = Some(id.0);
                self.invalid |= extension.critical;
            }
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                self.authority_key_id = aki.key_identifier.as_ref().map(|id| id.0);
                self.authority_serial = aki.authority_cert_serial;
                self.authority_issuer = aki.authority_cert_issuer.as_ref().and_then(|names| {
                    names.iter().find_map(|name| match name {
                        GeneralName::DirectoryName(dir) => Some(dir.as_raw()),
                        _ => None,
                    })
                });
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
                    crl_sign: usage.crl_sign(),
                });
            }
            ParsedExtension::ExtendedKeyUsage(eku) => {
                let sgc = eku
                    .other
                    .iter()
                    .any(|oid| SGC_PURPOSES.contains(&oid.to_id_string().as_str()));
                self.server_eku = Some(eku.server_auth || sgc);
            }
            ParsedExtension::NameConstraints(constraints) => {
                let count = |subtrees: &Option<Vec<_>>| subtrees.as_ref().map_or(0, Vec::len);
                self.constraint_count = Some(
                    count(&constraints.permitted_subtrees) + count(&constraints.excluded_subtrees),
                );
            }
            ParsedExtension::SubjectAlternativeName(names) => {
                self.name_count += names.general_names.len();
            }
            _ => {}
        }
        let oid = extension.oid.to_id_string();
        // An extension OpenSSL decodes up front, which does not decode.
        if matches!(
            extension.parsed_extension(),
            ParsedExtension::ParseError { .. }
        ) && OPENSSL_DECODED_EXTENSIONS.contains(&oid.as_str())
        {
            self.invalid = true;
        }
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
    pub(super) fn ca_kind(&self) -> u8 {
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
    pub(super) fn fits_tls_server(&self, as_ca: bool) -> bool {
        if self.server_eku == Some(false) {
            return false;
        }
        if as_ca {
            return self.ca_kind() != 0;
        }
        self.key_usage.is_none_or(|usage| usage.tls_server)
    }

    /// Valid at `now` (OpenSSL prefers such an issuer among several).
    pub(super) fn valid_at(&self, now: i64) -> bool {
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

/// Extensions OpenSSL enforces and this model does not: a chain with one is
/// never accepted here (name constraints included, whether x509-parser reads
/// them or not).
const EXTENSIONS_NOT_JUDGED: &[&str] = &[
    "2.5.29.30",          // nameConstraints
    "1.3.6.1.5.5.7.1.7",  // sbgp-ipAddrBlock
    "1.3.6.1.5.5.7.1.8",  // sbgp-autonomousSysNum
    "1.3.6.1.5.5.7.1.14", // proxyCertInfo
];

/// Server Gated Crypto purposes, which OpenSSL takes as allowing a TLS server.
const SGC_PURPOSES: &[&str] = &["2.16.840.1.113730.4.1", "1.3.6.1.4.1.311.10.3.3"];

/// Whether two extensions OpenSSL decodes up front have one OID (it then
/// decodes neither).
fn has_duplicates(extensions: &[X509Extension<'_>]) -> bool {
    extensions.iter().enumerate().any(|(index, one)| {
        extensions[..index].iter().any(|other| other.oid == one.oid)
            && OPENSSL_DECODED_EXTENSIONS.contains(&one.oid.to_id_string().as_str())
    })
}

/// Extensions OpenSSL decodes when it caches a certificate's extensions
/// (`ossl_x509v3_cache_extensions`): one it cannot decode, or finds twice,
/// flags the certificate invalid.
const OPENSSL_DECODED_EXTENSIONS: &[&str] = &[
    "2.5.29.19",             // basicConstraints
    "2.5.29.15",             // keyUsage
    "2.5.29.37",             // extendedKeyUsage
    "2.16.840.1.113730.1.1", // nsCertType
    "2.5.29.14",             // subjectKeyIdentifier
    "2.5.29.35",             // authorityKeyIdentifier
    "2.5.29.17",             // subjectAltName
    "2.5.29.30",             // nameConstraints
    "2.5.29.31",             // cRLDistributionPoints
    "1.3.6.1.5.5.7.1.14",    // proxyCertInfo
];

/// Whether OpenSSL's chain building takes `issuer` as the issuer of
/// `subject`: [`likely_issued`], neither certificate flagged invalid, and the
/// issuer's keyUsage (when present) allows certificate signing, as Node 26
/// refuses a root that has cA but not keyCertSign as issuer.
pub(super) fn may_issue(issuer: &Cert<'_>, subject: &Cert<'_>) -> bool {
    !issuer.invalid
        && !subject.invalid
        && issuer.key_usage.is_none_or(|usage| usage.cert_sign)
        && likely_issued(issuer, subject)
}

/// OpenSSL's `ossl_x509_likely_issued`: names, key identifiers (and the
/// issuer's serial and name when the subject names them), and key type
/// against signature.
pub(super) fn likely_issued(issuer: &Cert<'_>, subject: &Cert<'_>) -> bool {
    if issuer.subject != subject.issuer {
        return false;
    }
    // authorityCertIssuer names the issuer's own issuer.
    if subject
        .authority_issuer
        .is_some_and(|name| name != issuer.issuer)
    {
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
