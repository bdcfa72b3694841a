//! The extensions Node reads for fields of their own: which one counts when
//! one is repeated, `ext_key_usage`, and `ca` as OpenSSL's `X509_check_ca()`
//! decides it.

use x509_parser::asn1_rs::{Any, FromDer, Oid};
use x509_parser::extensions::{ParsedExtension, X509Extension};
use x509_parser::prelude::X509Certificate;

use super::format::dotted;

/// subjectAltName.
pub(super) const OID_SUBJECT_ALT_NAME: &str = "2.5.29.17";
/// authorityInfoAccess.
pub(super) const OID_INFO_ACCESS: &str = "1.3.6.1.5.5.7.1.1";
/// extendedKeyUsage.
const OID_EXT_KEY_USAGE: &str = "2.5.29.37";

/// The first extension with this OID: Node reads the first one only.
pub(super) fn first<'c, 'a>(
    cert: &'c X509Certificate<'a>,
    oid: &str,
) -> Option<&'c X509Extension<'a>> {
    cert.extensions().iter().find(|ext| dotted(&ext.oid) == oid)
}

/// `ext_key_usage`: the OIDs in order. Like `X509_get_ext_d2i`, a missing,
/// repeated or undecodable extension gives nothing.
pub(super) fn ext_key_usage(cert: &X509Certificate<'_>) -> Option<Vec<String>> {
    let mut found = cert
        .extensions()
        .iter()
        .filter(|ext| dotted(&ext.oid) == OID_EXT_KEY_USAGE);
    let ext = found.next()?;
    if found.next().is_some() {
        return None;
    }
    let (_, seq) = Any::from_der(ext.value).ok()?;
    if seq.header.tag().0 != 16 || !seq.header.is_constructed() {
        return None;
    }
    let mut rest = seq.data;
    let mut oids = Vec::new();
    // Bounded: each turn consumes one element of `rest`.
    while !rest.is_empty() {
        let (next, item) = Any::from_der(rest).ok()?;
        if item.header.tag().0 != 6 {
            return None;
        }
        oids.push(dotted(&Oid::new(item.data.into())));
        rest = next;
    }
    Some(oids)
}

/// Extensions OpenSSL decodes while caching a certificate's flags; one that is
/// repeated or does not decode makes `X509_check_ca()` fail.
const CHECKED_EXTENSIONS: &[&str] = &[
    "2.5.29.19",
    "2.5.29.15",
    "2.5.29.37",
    "2.5.29.14",
    "2.5.29.35",
    "2.5.29.17",
    "2.5.29.30",
    "2.5.29.31",
    "2.16.840.1.113730.1.1",
];

/// `X509_check_ca() == 1`: basicConstraints says CA:TRUE, keyUsage (if any)
/// allows certificate signing, and the extensions OpenSSL checks are sound.
pub(super) fn is_ca(cert: &X509Certificate<'_>) -> bool {
    let mut seen: Vec<String> = Vec::new();
    let mut ca = false;
    let mut cert_sign = true;
    for ext in cert.extensions() {
        let oid = dotted(&ext.oid);
        if !CHECKED_EXTENSIONS.contains(&oid.as_str()) {
            continue;
        }
        if seen.contains(&oid) {
            return false;
        }
        match ext.parsed_extension() {
            ParsedExtension::BasicConstraints(bc) => ca = bc.ca,
            // An empty keyUsage is an invalid one to OpenSSL.
            ParsedExtension::KeyUsage(ku) if ku.flags == 0 => return false,
            ParsedExtension::KeyUsage(ku) => cert_sign = ku.key_cert_sign(),
            ParsedExtension::ParseError { .. } => return false,
            _ => {}
        }
        seen.push(oid);
    }
    ca && cert_sign
}
