//! Node's peer-certificate object (`getPeerCertificate()`) from DER.
//!
//! Node builds that object with OpenSSL; this module applies the same rules on
//! top of x509-parser: OpenSSL's short attribute names, `subjectaltname` as one
//! string with Node's JSON escaping, `infoAccess` as Node's JavaScript splits it,
//! dates as `ASN1_TIME_print` writes them, BIGNUM-style hex, and `ca` as
//! `X509_check_ca() == 1`.
//!
//! Nothing here panics on hostile input: it runs in a wasm guest, where a panic
//! ends the instance.

use std::fmt::Write as _;

use x509_parser::asn1_rs::{Any, Class, Oid};
use x509_parser::extensions::{GeneralName, ParsedExtension, X509Extension};
use x509_parser::num_bigint::BigUint;
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::time::ASN1Time;
use x509_parser::x509::{SubjectPublicKeyInfo, X509Name};

use crate::TlsError;

/// One certificate in the shape of Node's `getPeerCertificate()`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerCertificate {
    /// `subject`: (short name, value) in certificate order; a repeated name
    /// repeats (Node groups those into an array). Empty when Node shows none.
    pub subject: Vec<(String, String)>,
    /// `issuer`, same form.
    pub issuer: Vec<(String, String)>,
    /// `subjectaltname`: `'DNS:localhost, IP Address:127.0.0.1'`.
    pub subjectaltname: Option<String>,
    /// `infoAccess`: (`'OCSP - URI'`, url) in certificate order.
    pub info_access: Option<Vec<(String, String)>>,
    /// `ca`: OpenSSL's `X509_check_ca()` said 1.
    pub ca: bool,
    /// `bits`: RSA modulus size or EC group order size.
    pub bits: Option<u32>,
    /// `modulus` (RSA): uppercase hex.
    pub modulus: Option<String>,
    /// `exponent` (RSA): `'0x10001'`.
    pub exponent: Option<String>,
    /// `pubkey`: RSA's SubjectPublicKeyInfo DER, or EC's point (uncompressed).
    pub pubkey: Option<Vec<u8>>,
    /// `asn1Curve` (EC): `'prime256v1'`.
    pub asn1_curve: Option<String>,
    /// `nistCurve` (EC): `'P-256'`.
    pub nist_curve: Option<String>,
    /// `valid_from`: `'Nov  3 09:05:01 2026 GMT'`.
    pub valid_from: String,
    /// `valid_to`, same form.
    pub valid_to: String,
    /// `fingerprint`: SHA-1 of the DER, colon-separated uppercase hex.
    pub fingerprint: String,
    /// `fingerprint256`: SHA-256, same form.
    pub fingerprint256: String,
    /// `fingerprint512`: SHA-512, same form.
    pub fingerprint512: String,
    /// `ext_key_usage`: dotted OIDs in certificate order.
    pub ext_key_usage: Option<Vec<String>>,
    /// `serialNumber`: uppercase hex, whole bytes.
    pub serial_number: String,
    /// `raw`: the certificate's DER.
    pub raw: Vec<u8>,
}

/// Describes a DER certificate as Node's `getPeerCertificate()` does.
///
/// A certificate that does not parse, or one OpenSSL would refuse to load (a
/// name with malformed UTF-8 or UCS-2, say), is reported as OpenSSL's generic
/// decoding failure, `ERR_OSSL_ASN1_NESTED_ASN1_ERROR`.
pub(crate) fn describe(der: &[u8]) -> Result<PeerCertificate, TlsError> {
    let (rest, cert) = X509Certificate::from_der(der).map_err(|_| unparseable())?;
    // Node hashes and returns the certificate's own encoding, not what follows it.
    let raw = der
        .get(..der.len().saturating_sub(rest.len()))
        .unwrap_or(der);
    let (valid_from, valid_to) = validity_texts(&cert);
    let mut info = PeerCertificate {
        subject: name_entries(cert.subject())?,
        issuer: name_entries(cert.issuer())?,
        subjectaltname: first_extension(&cert, OID_SUBJECT_ALT_NAME).and_then(subject_alt_name),
        info_access: first_extension(&cert, OID_INFO_ACCESS).and_then(info_access),
        ca: is_ca(&cert),
        valid_from,
        valid_to,
        fingerprint: fingerprint(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, raw),
        fingerprint256: fingerprint(&ring::digest::SHA256, raw),
        fingerprint512: fingerprint(&ring::digest::SHA512, raw),
        ext_key_usage: ext_key_usage(&cert),
        serial_number: serial_hex(cert.raw_serial()),
        raw: raw.to_vec(),
        ..PeerCertificate::default()
    };
    describe_key(cert.public_key(), &mut info);
    Ok(info)
}

/// What OpenSSL reports when `d2i_X509` fails.
fn unparseable() -> TlsError {
    TlsError::new(
        "ERR_OSSL_ASN1_NESTED_ASN1_ERROR",
        "error:0688010A:asn1 encoding routines::nested asn1 error",
    )
}

const OID_SUBJECT_ALT_NAME: &str = "2.5.29.17";
const OID_INFO_ACCESS: &str = "1.3.6.1.5.5.7.1.1";
const OID_EXT_KEY_USAGE: &str = "2.5.29.37";

/// The first extension with this OID: Node reads the first one only.
fn first_extension<'c, 'a>(
    cert: &'c X509Certificate<'a>,
    oid: &str,
) -> Option<&'c X509Extension<'a>> {
    cert.extensions().iter().find(|ext| dotted(&ext.oid) == oid)
}

// ---------------------------------------------------------------------------
// Names

/// What OpenSSL makes of one attribute value in a name.
enum AttributeText {
    /// Text, converted to UTF-8 as `ASN1_STRING_to_UTF8` does.
    Text(String),
    /// A type OpenSSL accepts in a name but cannot show as text.
    Opaque,
    /// A value that makes OpenSSL refuse the whole certificate.
    Refused,
}

/// OpenSSL's reading of one attribute value. Names accept the string types,
/// BIT STRING, SEQUENCE and a few "unknown" tags; the string types must convert
/// to Unicode, since OpenSSL canonicalises every name while decoding it.
fn attribute_text(value: &Any<'_>) -> AttributeText {
    if value.header.class() != Class::Universal {
        return AttributeText::Refused;
    }
    let data = value.data;
    let text = match value.header.tag().0 {
        12 => std::str::from_utf8(data).ok().map(str::to_owned),
        // NumericString, PrintableString, T61String, IA5String: one byte a character.
        18 | 19 | 20 | 22 => Some(latin1(data)),
        28 => ucs(data, 4),
        30 => ucs(data, 2),
        3 | 7 | 8 | 9 | 11 | 13 | 14 | 15 | 16 | 29 => return AttributeText::Opaque,
        _ => None,
    };
    text.map_or(AttributeText::Refused, AttributeText::Text)
}

/// `subject` or `issuer`: every attribute with its short name. Node shows no
/// name at all when one value cannot be shown as text.
fn name_entries(name: &X509Name<'_>) -> Result<Vec<(String, String)>, TlsError> {
    let mut entries = Vec::new();
    let mut opaque = false;
    for attr in name.iter_attributes() {
        match attribute_text(attr.attr_value()) {
            AttributeText::Text(text) => entries.push((field_name(attr.attr_type()), text)),
            AttributeText::Opaque => opaque = true,
            AttributeText::Refused => return Err(unparseable()),
        }
    }
    if opaque {
        entries.clear();
    }
    Ok(entries)
}

/// OpenSSL's short name for an attribute type, or its dotted OID.
fn field_name(oid: &Oid<'_>) -> String {
    let dotted = dotted(oid);
    short_name(&dotted).map_or(dotted, str::to_owned)
}

/// OpenSSL's short names (`OBJ_nid2sn`) for the attribute types it knows, by arc.
#[rustfmt::skip]
const SHORT_NAMES: &[(&str, &[(u32, &str)])] = &[
    ("2.5.4", &[
        (3, "CN"), (4, "SN"), (5, "serialNumber"), (6, "C"), (7, "L"), (8, "ST"), (9, "street"),
        (10, "O"), (11, "OU"), (12, "title"), (13, "description"), (14, "searchGuide"),
        (15, "businessCategory"), (16, "postalAddress"), (17, "postalCode"),
        (18, "postOfficeBox"), (19, "physicalDeliveryOfficeName"), (20, "telephoneNumber"),
        (21, "telexNumber"), (22, "teletexTerminalIdentifier"), (23, "facsimileTelephoneNumber"),
        (24, "x121Address"), (25, "internationaliSDNNumber"), (26, "registeredAddress"),
        (27, "destinationIndicator"), (28, "preferredDeliveryMethod"),
        (29, "presentationAddress"), (30, "supportedApplicationContext"), (31, "member"),
        (32, "owner"), (33, "roleOccupant"), (34, "seeAlso"), (35, "userPassword"),
        (36, "userCertificate"), (37, "cACertificate"), (38, "authorityRevocationList"),
        (39, "certificateRevocationList"), (40, "crossCertificatePair"), (41, "name"),
        (42, "GN"), (43, "initials"), (44, "generationQualifier"), (45, "x500UniqueIdentifier"),
        (46, "dnQualifier"), (47, "enhancedSearchGuide"), (48, "protocolInformation"),
        (49, "distinguishedName"), (50, "uniqueMember"), (51, "houseIdentifier"),
        (52, "supportedAlgorithms"), (53, "deltaRevocationList"), (54, "dmdName"),
        (65, "pseudonym"), (72, "role"), (97, "organizationIdentifier"), (98, "c3"), (99, "n3"),
        (100, "dnsName"),
    ]),
    ("1.2.840.113549.1.9", &[
        (1, "emailAddress"), (2, "unstructuredName"), (3, "contentType"), (4, "messageDigest"),
        (5, "signingTime"), (6, "countersignature"), (7, "challengePassword"),
        (8, "unstructuredAddress"), (9, "extendedCertificateAttributes"), (14, "extReq"),
        (15, "SMIME-CAPS"), (16, "SMIME"), (20, "friendlyName"), (21, "localKeyID"),
    ]),
    ("0.9.2342.19200300.100.1", &[
        (1, "UID"), (2, "textEncodedORAddress"), (3, "mail"), (4, "info"), (5, "favouriteDrink"),
        (6, "roomNumber"), (7, "photo"), (8, "userClass"), (9, "host"), (10, "manager"),
        (11, "documentIdentifier"), (12, "documentTitle"), (13, "documentVersion"),
        (14, "documentAuthor"), (15, "documentLocation"), (20, "homeTelephoneNumber"),
        (21, "secretary"), (22, "otherMailbox"), (23, "lastModifiedTime"),
        (24, "lastModifiedBy"), (25, "DC"), (26, "aRecord"), (27, "pilotAttributeType27"),
        (28, "mXRecord"), (29, "nSRecord"), (30, "sOARecord"), (31, "cNAMERecord"),
        (37, "associatedDomain"), (38, "associatedName"), (39, "homePostalAddress"),
        (40, "personalTitle"), (41, "mobileTelephoneNumber"), (42, "pagerTelephoneNumber"),
        (43, "friendlyCountryName"), (44, "uid"), (45, "organizationalStatus"),
        (46, "janetMailbox"), (47, "mailPreferenceOption"), (48, "buildingName"),
        (49, "dSAQuality"), (50, "singleLevelQuality"), (51, "subtreeMinimumQuality"),
        (52, "subtreeMaximumQuality"), (53, "personalSignature"), (54, "dITRedirect"),
        (55, "audio"), (56, "documentPublisher"),
    ]),
    ("1.3.6.1.4.1.311.60.2.1", &[
        (1, "jurisdictionL"), (2, "jurisdictionST"), (3, "jurisdictionC"),
    ]),
    ("1.2.643.3.131.1", &[
        (1, "INN"),
    ]),
    ("1.2.643.100", &[
        (1, "OGRN"), (3, "SNILS"), (5, "OGRNIP"),
    ]),
];

fn short_name(dotted: &str) -> Option<&'static str> {
    let (arc, last) = dotted.rsplit_once('.')?;
    let last: u32 = last.parse().ok()?;
    SHORT_NAMES
        .iter()
        .find(|(prefix, _)| *prefix == arc)?
        .1
        .iter()
        .find(|(n, _)| *n == last)
        .map(|(_, name)| *name)
}

// ---------------------------------------------------------------------------
// subjectAltName and infoAccess

/// One general name as Node prints it.
struct AltName {
    /// The label before the colon: `DNS`, `IP Address`, `othername`...
    label: &'static str,
    /// What follows `label:` in `subjectaltname`, JSON-quoted when unsafe.
    shown: Vec<u8>,
    /// The same value unquoted, as `infoAccess` holds it.
    plain: String,
}

/// `subjectaltname`: every general name, joined with `", "`. `None` when
/// OpenSSL could not decode the extension (Node then shows `null`).
fn subject_alt_name(ext: &X509Extension<'_>) -> Option<String> {
    let ParsedExtension::SubjectAlternativeName(san) = ext.parsed_extension() else {
        return None;
    };
    let mut out = Vec::new();
    for (i, name) in san.general_names.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b", ");
        }
        let name = alt_name(name)?;
        out.extend_from_slice(name.label.as_bytes());
        out.push(b':');
        out.extend_from_slice(&name.shown);
    }
    // V8 decodes Node's bytes as UTF-8, replacing what is malformed.
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// `infoAccess`: Node prints `"<method> - <label>:<value>"` lines and then
/// splits each at its first colon, unquoting JSON-quoted values.
fn info_access(ext: &X509Extension<'_>) -> Option<Vec<(String, String)>> {
    let ParsedExtension::AuthorityInfoAccess(aia) = ext.parsed_extension() else {
        return None;
    };
    aia.accessdescs
        .iter()
        .map(|desc| {
            let name = alt_name(&desc.access_location)?;
            let method = access_method(&dotted(&desc.access_method));
            Some((format!("{method} - {}", name.label), name.plain))
        })
        .collect()
}

/// OpenSSL's long names (`i2t_ASN1_OBJECT`) for access methods.
fn access_method(dotted: &str) -> String {
    let name = match dotted {
        "1.3.6.1.5.5.7.48.1" => "OCSP",
        "1.3.6.1.5.5.7.48.2" => "CA Issuers",
        "1.3.6.1.5.5.7.48.3" => "AD Time Stamping",
        "1.3.6.1.5.5.7.48.4" => "ad dvcs",
        "1.3.6.1.5.5.7.48.5" => "CA Repository",
        "1.3.6.1.5.5.7.48.10" => "RPKI Manifest",
        "1.3.6.1.5.5.7.48.11" => "Signed Object",
        "1.3.6.1.5.5.7.48.13" => "RPKI Notify",
        other => other,
    };
    name.to_owned()
}

/// One general name, or `None` when OpenSSL could not decode or print it.
fn alt_name(name: &GeneralName<'_>) -> Option<AltName> {
    let named = |label, value: &[u8]| Some(escaped(label, None, value, false));
    match name {
        GeneralName::DNSName(s) => named("DNS", s.as_bytes()),
        GeneralName::RFC822Name(s) => named("email", s.as_bytes()),
        GeneralName::URI(s) => named("URI", s.as_bytes()),
        // x509-parser gives up on IA5 strings that are not UTF-8; OpenSSL does not.
        GeneralName::Invalid(tag, data) => match tag.0 {
            1 => named("email", data),
            2 => named("DNS", data),
            6 => named("URI", data),
            _ => None,
        },
        GeneralName::DirectoryName(dn) => Some(escaped("DirName", None, &dir_name(dn)?, true)),
        GeneralName::IPAddress(bytes) => Some(plain("IP Address", ip_text(bytes))),
        GeneralName::RegisteredID(oid) => Some(plain("Registered ID", dotted(oid))),
        GeneralName::OtherName(oid, value) => other_name(oid, value),
        GeneralName::X400Address(_) => Some(plain("X400Name", "<unsupported>".into())),
        GeneralName::EDIPartyName(_) => Some(plain("EdiPartyName", "<unsupported>".into())),
    }
}

/// A name whose text never needs quoting.
fn plain(label: &'static str, text: String) -> AltName {
    AltName {
        label,
        shown: text.clone().into_bytes(),
        plain: text,
    }
}

/// Node's `PrintAltName`: the value as is when it is "safe", otherwise one JSON
/// string holding `prefix:` and the value, with commas escaped too. `utf8`
/// values keep their non-ASCII bytes; the others are read as Latin-1.
fn escaped(label: &'static str, prefix: Option<&str>, value: &[u8], utf8: bool) -> AltName {
    let safe = value.iter().all(|&c| {
        !matches!(c, b'"' | b'\\' | b',' | b'\'')
            && if utf8 {
                c >= b' ' && c != 0x7f
            } else {
                (b' '..=b'~').contains(&c)
            }
    });
    let mut shown = Vec::with_capacity(value.len() + 2);
    if !safe {
        shown.push(b'"');
    }
    if let Some(prefix) = prefix {
        shown.extend_from_slice(prefix.as_bytes());
        shown.push(b':');
    }
    if safe {
        shown.extend_from_slice(value);
    } else {
        for &c in value {
            match c {
                b'\\' => shown.extend_from_slice(b"\\\\"),
                b'"' => shown.extend_from_slice(b"\\\""),
                b',' => shown.extend_from_slice(b"\\u002c"),
                b' '..=b'~' => shown.push(c),
                _ if utf8 && c >= 0x80 => shown.push(c),
                _ => shown.extend_from_slice(format!("\\u00{c:02x}").as_bytes()),
            }
        }
        shown.push(b'"');
    }
    let text = if utf8 {
        String::from_utf8_lossy(value).into_owned()
    } else {
        latin1(value)
    };
    AltName {
        label,
        shown,
        plain: prefix.map_or(text.clone(), |p| format!("{p}:{text}")),
    }
}

/// `othername:` entries: the five types OpenSSL 3 can print, as `UPN:value`;
/// anything else is `<unsupported>`. `explicit` is the `[0] EXPLICIT` value.
fn other_name(oid: &Oid<'_>, explicit: &[u8]) -> Option<AltName> {
    let (_, wrapper) = Any::from_der(explicit).ok()?;
    if wrapper.header.class() != Class::ContextSpecific || wrapper.header.tag().0 != 0 {
        return None;
    }
    let (_, value) = Any::from_der(wrapper.data).ok()?;
    let (prefix, utf8) = match dotted(oid).as_str() {
        "1.3.6.1.5.5.7.8.9" => ("SmtpUTF8Mailbox", true),
        "1.3.6.1.5.5.7.8.5" => ("XmppAddr", true),
        "1.3.6.1.5.5.7.8.7" => ("SRVName", false),
        "1.3.6.1.4.1.311.20.2.3" => ("UPN", true),
        "1.3.6.1.5.5.7.8.8" => ("NAIRealm", true),
        _ => return Some(plain("othername", "<unsupported>".into())),
    };
    let wanted_tag = if utf8 { 12 } else { 22 };
    if value.header.class() != Class::Universal || value.header.tag().0 != wanted_tag {
        return Some(plain("othername", "<unsupported>".into()));
    }
    Some(escaped("othername", Some(prefix), value.data, utf8))
}

/// IP addresses as Node prints them: IPv6 as eight uncompressed hex groups.
fn ip_text(bytes: &[u8]) -> String {
    if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
        return std::net::Ipv4Addr::from(v4).to_string();
    }
    if let Ok(v6) = <[u8; 16]>::try_from(bytes) {
        let groups: Vec<String> = std::net::Ipv6Addr::from(v6)
            .segments()
            .iter()
            .map(|g| format!("{g:X}"))
            .collect();
        return groups.join(":");
    }
    format!("<invalid length={}>", bytes.len())
}

/// A directory name as OpenSSL's `X509_NAME_print_ex` writes it with Node's
/// flags: RFC 2253 order and escaping, but control and non-ASCII bytes kept.
/// `None` when OpenSSL would not decode the name.
fn dir_name(name: &X509Name<'_>) -> Option<Vec<u8>> {
    let entries: Vec<_> = name
        .iter_rdn()
        .enumerate()
        .flat_map(|(set, rdn)| rdn.iter().map(move |attr| (set, attr)))
        .collect();
    let mut out = Vec::new();
    let mut previous_set = None;
    for (set, attr) in entries.iter().rev() {
        if let Some(previous) = previous_set {
            out.push(if previous == *set { b'+' } else { b',' });
        }
        previous_set = Some(*set);
        let value = attr.attr_value();
        if let AttributeText::Refused = attribute_text(value) {
            return None;
        }
        let dotted = dotted(attr.attr_type());
        match short_name(&dotted) {
            Some(short) => {
                out.extend_from_slice(short.as_bytes());
                out.push(b'=');
                rfc2253_value(value, &mut out);
            }
            None => {
                // Unknown types are dumped as DER, whatever their value.
                out.extend_from_slice(dotted.as_bytes());
                out.push(b'=');
                hex_dump(value, &mut out);
            }
        }
    }
    Some(out)
}

/// One attribute value in RFC 2253 form: string types as UTF-8 with `,+"\<>;`
/// escaped (plus a leading space or `#` and a trailing space); other types as
/// `#` and their DER in hex.
fn rfc2253_value(value: &Any<'_>, out: &mut Vec<u8>) {
    let data = value.data;
    let chars: Vec<u32> = match value.header.tag().0 {
        // UTF8String bytes are passed through one by one, unconverted.
        12 | 18 | 19 | 20 | 22 => data.iter().map(|&b| u32::from(b)).collect(),
        30 => data
            .chunks_exact(2)
            .map(|c| u32::from(u16::from_be_bytes([c[0], c[1]])))
            .collect(),
        28 => data
            .chunks_exact(4)
            .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
        _ => return hex_dump(value, out),
    };
    let raw_bytes = value.header.tag().0 == 12;
    let count = chars.len();
    for (i, &c) in chars.iter().enumerate() {
        // OpenSSL marks the last character after the first: a lone one is "last".
        let last = i + 1 == count;
        let first = i == 0 && !last;
        match u8::try_from(c) {
            Ok(byte) if byte < 0x80 => {
                let special = matches!(byte, b',' | b'+' | b'"' | b'\\' | b'<' | b'>' | b';')
                    || (first && matches!(byte, b' ' | b'#'))
                    || (last && byte == b' ');
                if special {
                    out.push(b'\\');
                }
                out.push(byte);
            }
            Ok(byte) if raw_bytes => out.push(byte),
            _ => {
                if let Some(ch) = char::from_u32(c) {
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
    }
}

/// `#` and the value's DER (tag, length, contents) in uppercase hex.
fn hex_dump(value: &Any<'_>, out: &mut Vec<u8>) {
    let tag = value.header.tag().0;
    let mut identifier = match value.header.class() {
        Class::Universal => 0x00,
        Class::Application => 0x40,
        Class::ContextSpecific => 0x80,
        Class::Private => 0xc0,
    };
    if value.header.is_constructed() {
        identifier |= 0x20;
    }
    let mut der = Vec::with_capacity(value.data.len() + 8);
    // Names only hold low tag numbers; a high one is written in its long form.
    if tag < 31 {
        der.push(identifier | tag as u8);
    } else {
        der.push(identifier | 0x1f);
        der.extend(base128(tag));
    }
    push_der_length(value.data.len(), &mut der);
    der.extend_from_slice(value.data);
    out.push(b'#');
    out.extend_from_slice(hex_upper(&der, "").as_bytes());
}

// ---------------------------------------------------------------------------
// Extensions read for their own fields

/// `ext_key_usage`: the OIDs in order. Like `X509_get_ext_d2i`, a missing,
/// repeated or undecodable extension gives nothing.
fn ext_key_usage(cert: &X509Certificate<'_>) -> Option<Vec<String>> {
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
fn is_ca(cert: &X509Certificate<'_>) -> bool {
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

// ---------------------------------------------------------------------------
// Public key

/// A named curve Node describes: `y^2 = x^3 + ax + b` over the prime field `p`.
struct Curve {
    oid: &'static str,
    /// OpenSSL's short name, Node's `asn1Curve`.
    asn1: &'static str,
    /// NIST's name, Node's `nistCurve`, where NIST named it.
    nist: Option<&'static str>,
    /// The group order's size in bits, Node's `bits`.
    bits: u32,
    p: &'static str,
    a: &'static str,
    b: &'static str,
}

/// The curves OpenSSL knows that appear in certificates (parameters from
/// SEC 2 and RFC 5639).
#[rustfmt::skip]
const CURVES: &[Curve] = &[
    Curve { oid: "1.2.840.10045.3.1.1", asn1: "prime192v1", nist: Some("P-192"), bits: 192,
        p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFF",
        a: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFC",
        b: "64210519E59C80E70FA7E9AB72243049FEB8DEECC146B9B1",
    },
    Curve { oid: "1.3.132.0.33", asn1: "secp224r1", nist: Some("P-224"), bits: 224,
        p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF000000000000000000000001",
        a: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFE",
        b: "B4050A850C04B3ABF54132565044B0B7D7BFD8BA270B39432355FFB4",
    },
    Curve { oid: "1.2.840.10045.3.1.7", asn1: "prime256v1", nist: Some("P-256"), bits: 256,
        p: "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF",
        a: "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFC",
        b: "5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B",
    },
    Curve { oid: "1.3.132.0.34", asn1: "secp384r1", nist: Some("P-384"), bits: 384,
        p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\
              FFFFFFFFFFFFFFFEFFFFFFFF0000000000000000FFFFFFFF",
        a: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\
              FFFFFFFFFFFFFFFEFFFFFFFF0000000000000000FFFFFFFC",
        b: "B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE814112\
              0314088F5013875AC656398D8A2ED19D2A85C8EDD3EC2AEF",
    },
    Curve { oid: "1.3.132.0.35", asn1: "secp521r1", nist: Some("P-521"), bits: 521,
        p: "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\
              FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
        a: "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\
              FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC",
        b: "0051953EB9618E1C9A1F929A21A0B68540EEA2DA725B99B315F3B8B489918EF109\
              E156193951EC7E937B1652C0BD3BB1BF073573DF883D2C34F1EF451FD46B503F00",
    },
    Curve { oid: "1.3.132.0.10", asn1: "secp256k1", nist: None, bits: 256,
        p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F",
        a: "0",
        b: "7",
    },
    Curve { oid: "1.3.36.3.3.2.8.1.1.7", asn1: "brainpoolP256r1", nist: None, bits: 256,
        p: "A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377",
        a: "7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9",
        b: "26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6",
    },
    Curve { oid: "1.3.36.3.3.2.8.1.1.11", asn1: "brainpoolP384r1", nist: None, bits: 384,
        p: "8CB91E82A3386D280F5D6F7E50E641DF152F7109ED5456B4\
              12B1DA197FB71123ACD3A729901D1A71874700133107EC53",
        a: "7BC382C63D8C150C3C72080ACE05AFA0C2BEA28E4FB22787\
              139165EFBA91F90F8AA5814A503AD4EB04A8C7DD22CE2826",
        b: "04A8C7DD22CE28268B39B55416F0447C2FB77DE107DCD2A6\
              2E880EA53EEB62D57CB4390295DBC9943AB78696FA504C11",
    },
    Curve { oid: "1.3.36.3.3.2.8.1.1.13", asn1: "brainpoolP512r1", nist: None, bits: 512,
        p: "AADD9DB8DBE9C48B3FD4E6AE33C9FC07CB308DB3B3C9D20ED6639CCA70330871\
              7D4D9B009BC66842AECDA12AE6A380E62881FF2F2D82C68528AA6056583A48F3",
        a: "7830A3318B603B89E2327145AC234CC594CBDD8D3DF91610A83441CAEA9863BC\
              2DED5D5AA8253AA10A2EF1C98B9AC8B57F1117A72BF2C7B9E7C1AC4D77FC94CA",
        b: "3DF91610A83441CAEA9863BC2DED5D5AA8253AA10A2EF1C98B9AC8B57F1117A7\
              2BF2C7B9E7C1AC4D77FC94CADC083E67984050B75EBAE5DD2809BD638016F723",
    },
];

/// Key fields, for the two key types Node describes: rsaEncryption and
/// id-ecPublicKey on a named curve.
fn describe_key(spki: &SubjectPublicKeyInfo<'_>, info: &mut PeerCertificate) {
    let key: &[u8] = spki.subject_public_key.data.as_ref();
    match dotted(&spki.algorithm.algorithm).as_str() {
        "1.2.840.113549.1.1.1" => {
            let Some((modulus, exponent)) = rsa_numbers(key) else {
                return;
            };
            info.bits = Some(bit_length(modulus));
            info.modulus = Some(bn_print(modulus));
            info.exponent = Some(format!("0x{:x}", word(exponent)));
            info.pubkey = Some(rsa_spki(modulus, exponent));
        }
        "1.2.840.10045.2.1" => {
            let curve_oid = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|oid| dotted(&oid));
            let Some(curve) = CURVES.iter().find(|c| Some(c.oid) == curve_oid.as_deref()) else {
                return;
            };
            // OpenSSL drops a key whose point it cannot decode.
            if let Some(point) = ec_point(curve, key) {
                info.bits = Some(curve.bits);
                info.pubkey = Some(point);
                info.asn1_curve = Some(curve.asn1.to_owned());
                info.nist_curve = curve.nist.map(str::to_owned);
            }
        }
        _ => {}
    }
}

/// RSAPublicKey { modulus, publicExponent } as OpenSSL reads it: each INTEGER
/// as an unsigned magnitude, leading zero bytes dropped, minimal encoding not
/// required (x509-parser requires it, hence this reader).
fn rsa_numbers(key: &[u8]) -> Option<(&[u8], &[u8])> {
    let (_, sequence) = Any::from_der(key).ok()?;
    if sequence.header.tag().0 != 16 || !sequence.header.is_constructed() {
        return None;
    }
    let (rest, modulus) = Any::from_der(sequence.data).ok()?;
    let (rest, exponent) = Any::from_der(rest).ok()?;
    let integers = [&modulus, &exponent];
    if !rest.is_empty() || integers.iter().any(|i| i.header.tag().0 != 2) {
        return None;
    }
    Some((strip_zeros(modulus.data), strip_zeros(exponent.data)))
}

/// A public point as OpenSSL 3 decodes and re-encodes it: checked to lie on
/// the curve, then written uncompressed whatever its form in the certificate.
fn ec_point(curve: &Curve, encoded: &[u8]) -> Option<Vec<u8>> {
    let number = |hex: &str| {
        let digits: String = hex.chars().filter(char::is_ascii_hexdigit).collect();
        BigUint::parse_bytes(digits.as_bytes(), 16)
    };
    let (p, a, b) = (number(curve.p)?, number(curve.a)?, number(curve.b)?);
    let field = usize::try_from(p.bits().div_ceil(8)).ok()?;
    let (&form, coordinates) = encoded.split_first()?;
    let x = BigUint::from_bytes_be(coordinates.get(..field)?);
    if x >= p {
        return None;
    }
    let rhs = (x.modpow(&BigUint::from(3u32), &p) + &a * &x + &b) % &p;
    let odd = form & 1 == 1;
    let y = match form {
        0x02 | 0x03 if coordinates.len() == field => {
            let root = sqrt_mod(&rhs, &p)?;
            if root.bit(0) == odd {
                root
            } else if root.bits() == 0 {
                return None;
            } else {
                &p - root
            }
        }
        0x04 | 0x06 | 0x07 if coordinates.len() == 2 * field => {
            let y = BigUint::from_bytes_be(coordinates.get(field..)?);
            let hybrid_ok = form == 0x04 || y.bit(0) == odd;
            if y >= p || (&y * &y) % &p != rhs || !hybrid_ok {
                return None;
            }
            y
        }
        _ => return None,
    };
    let mut out = Vec::with_capacity(1 + 2 * field);
    out.push(0x04);
    for coordinate in [x, y] {
        let bytes = coordinate.to_bytes_be();
        out.resize(out.len() + field.saturating_sub(bytes.len()), 0);
        out.extend_from_slice(&bytes);
    }
    Some(out)
}

/// A square root of `n` modulo the odd prime `p` (Tonelli-Shanks), if any.
fn sqrt_mod(n: &BigUint, p: &BigUint) -> Option<BigUint> {
    let one = BigUint::from(1u32);
    if n.bits() == 0 {
        return Some(BigUint::ZERO);
    }
    let p_minus_one = p - &one;
    let half = &p_minus_one >> 1u32;
    if n.modpow(&half, p) != one {
        return None;
    }
    // p - 1 = q * 2^s with q odd.
    let s = p_minus_one.trailing_zeros()?;
    let q = &p_minus_one >> s;
    // Any quadratic non-residue; small ones abound, and p is a constant.
    let mut z = BigUint::from(2u32);
    while z.modpow(&half, p) != p_minus_one {
        z += 1u32;
    }
    let mut m = s;
    let mut c = z.modpow(&q, p);
    let mut t = n.modpow(&q, p);
    let mut r = n.modpow(&((&q + &one) >> 1u32), p);
    // Bounded: m shrinks every turn.
    while t != one {
        let mut i = 0;
        let mut t_power = t.clone();
        while t_power != one {
            t_power = &t_power * &t_power % p;
            i += 1;
            if i >= m {
                return None;
            }
        }
        let b = c.modpow(&(BigUint::from(1u32) << (m - i - 1)), p);
        m = i;
        c = &b * &b % p;
        t = &t * &c % p;
        r = &r * &b % p;
    }
    Some(r)
}

/// `i2d_RSA_PUBKEY`: SubjectPublicKeyInfo { rsaEncryption, NULL } around
/// RSAPublicKey { n, e }, re-encoded as OpenSSL writes it.
fn rsa_spki(modulus: &[u8], exponent: &[u8]) -> Vec<u8> {
    const RSA_ALGORITHM: &[u8] = &[
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
    ];
    let mut integers = der_integer(modulus);
    integers.extend(der_integer(exponent));
    let mut key = vec![0u8];
    key.extend(der_tlv(0x30, &integers));
    let mut spki = RSA_ALGORITHM.to_vec();
    spki.extend(der_tlv(0x03, &key));
    der_tlv(0x30, &spki)
}

/// A non-negative INTEGER from its magnitude.
fn der_integer(magnitude: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(magnitude.len() + 1);
    if magnitude.first().is_none_or(|b| b & 0x80 != 0) {
        body.push(0);
    }
    body.extend_from_slice(magnitude);
    der_tlv(0x02, &body)
}

fn der_tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    push_der_length(body.len(), &mut out);
    out.extend_from_slice(body);
    out
}

fn push_der_length(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let digits = strip_zeros(&bytes);
        out.push(0x80 | digits.len() as u8);
        out.extend_from_slice(digits);
    }
}

/// A tag number in base 128, high bit set on all but the last digit.
fn base128(mut n: u32) -> Vec<u8> {
    let mut digits = vec![(n & 0x7f) as u8];
    n >>= 7;
    while n > 0 {
        digits.push(0x80 | (n & 0x7f) as u8);
        n >>= 7;
    }
    digits.reverse();
    digits
}

/// `BN_get_word`: the value, or all ones when it does not fit in 64 bits.
fn word(magnitude: &[u8]) -> u64 {
    if magnitude.len() > 8 {
        return u64::MAX;
    }
    magnitude
        .iter()
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
}

/// `BN_print`: uppercase hex without leading zero digits; `0` for zero.
fn bn_print(magnitude: &[u8]) -> String {
    let hex = hex_upper(magnitude, "");
    let digits = hex.trim_start_matches('0');
    if digits.is_empty() {
        "0".to_owned()
    } else {
        digits.to_owned()
    }
}

fn bit_length(magnitude: &[u8]) -> u32 {
    match magnitude.first() {
        None => 0,
        Some(first) => {
            let rest = u32::try_from(magnitude.len() - 1).unwrap_or(u32::MAX / 8);
            rest.saturating_mul(8) + (8 - first.leading_zeros())
        }
    }
}

// ---------------------------------------------------------------------------
// Dates, serial, fingerprints

/// `valid_from` and `valid_to`. The raw time strings are read too, for the
/// fraction of a second OpenSSL prints from a GeneralizedTime.
fn validity_texts(cert: &X509Certificate<'_>) -> (String, String) {
    let raw = raw_validity(cert.tbs_certificate.as_ref());
    let validity = cert.validity();
    (
        openssl_time(&validity.not_before, raw.map(|r| r.0)),
        openssl_time(&validity.not_after, raw.map(|r| r.1)),
    )
}

/// The contents of notBefore and notAfter, found by walking the TBS.
fn raw_validity(tbs: &[u8]) -> Option<(&[u8], &[u8])> {
    let (_, tbs) = Any::from_der(tbs).ok()?;
    let mut rest = tbs.data;
    let mut fields = Vec::with_capacity(5);
    // version [0] (optional), serial, signature, issuer, validity.
    while fields.len() < 5 && !rest.is_empty() {
        let (next, field) = Any::from_der(rest).ok()?;
        fields.push(field);
        rest = next;
    }
    let skip = usize::from(fields.first()?.header.class() == Class::ContextSpecific);
    let validity = fields.get(skip + 3)?;
    let (rest, not_before) = Any::from_der(validity.data).ok()?;
    let (_, not_after) = Any::from_der(rest).ok()?;
    Some((not_before.data, not_after.data))
}

/// `ASN1_TIME_print`: `Nov  3 09:05:01 2026 GMT`, the day padded with a space,
/// a time with an offset shown in GMT.
fn openssl_time(time: &ASN1Time, raw: Option<&[u8]>) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let seconds = time.timestamp();
    let (year, month, day) = civil_date(seconds.div_euclid(86_400));
    let of_day = seconds.rem_euclid(86_400);
    let raw = raw.unwrap_or_default();
    // A GeneralizedTime has its fraction, if any, at offset 14: `YYYYMMDDHHMMSS.fff`.
    let fraction = match raw.get(14..) {
        Some([b'.', tail @ ..]) => {
            let digits = tail.iter().take_while(|b| b.is_ascii_digit()).count();
            format!(".{}", String::from_utf8_lossy(&tail[..digits]))
        }
        _ => String::new(),
    };
    let month = MONTHS
        .get(usize::try_from(month).unwrap_or(0).saturating_sub(1))
        .unwrap_or(&"???");
    format!(
        "{month} {day:>2} {:02}:{:02}:{:02}{fraction} {year} GMT",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60,
    )
}

/// Year, month, day of a count of days since 1970-01-01 (proleptic Gregorian).
fn civil_date(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The serial as `BN_bn2hex` writes it: whole bytes, no leading zero bytes,
/// `0` for zero, and a minus sign before a negative one's magnitude.
fn serial_hex(raw: &[u8]) -> String {
    let negative = raw.first().is_some_and(|b| b & 0x80 != 0);
    let magnitude = if negative {
        twos_complement_negate(raw)
    } else {
        raw.to_vec()
    };
    let digits = hex_upper(strip_zeros(&magnitude), "");
    match (digits.is_empty(), negative) {
        (true, _) => "0".to_owned(),
        (false, true) => format!("-{digits}"),
        (false, false) => digits,
    }
}

fn twos_complement_negate(raw: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = raw.iter().map(|b| !b).collect();
    for byte in out.iter_mut().rev() {
        let (sum, carry) = byte.overflowing_add(1);
        *byte = sum;
        if !carry {
            break;
        }
    }
    out
}

fn fingerprint(algorithm: &'static ring::digest::Algorithm, der: &[u8]) -> String {
    hex_upper(ring::digest::digest(algorithm, der).as_ref(), ":")
}

// ---------------------------------------------------------------------------
// Small helpers

/// An OID in dotted form, as OpenSSL writes it. (asn1-rs misreads a first
/// subidentifier longer than one byte, as in `2.999.1`.)
fn dotted(oid: &Oid<'_>) -> String {
    let mut arcs: Vec<u128> = Vec::new();
    let mut value: u128 = 0;
    for &byte in oid.as_bytes() {
        let Some(shifted) = value.checked_mul(128) else {
            return oid.to_id_string();
        };
        value = shifted | u128::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            arcs.push(value);
            value = 0;
        }
    }
    let Some((&first, rest)) = arcs.split_first() else {
        return oid.to_id_string();
    };
    let (top, second) = match first {
        0..=39 => (0, first),
        40..=79 => (1, first - 40),
        _ => (2, first - 80),
    };
    let mut text = format!("{top}.{second}");
    for arc in rest {
        let _ = write!(text, ".{arc}");
    }
    text
}

fn hex_upper(bytes: &[u8], separator: &str) -> String {
    let mut out = String::with_capacity(bytes.len() * (2 + separator.len()));
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        let _ = write!(out, "{b:02X}");
    }
    out
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    bytes.get(first..).unwrap_or(&[])
}

/// Bytes as Latin-1 characters, as OpenSSL reads one-byte string types.
fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// UCS-2 or UCS-4 big-endian text; `None` for a ragged length or a code
/// point that is not a Unicode scalar value (surrogates included).
fn ucs(bytes: &[u8], width: usize) -> Option<String> {
    if !bytes.len().is_multiple_of(width) {
        return None;
    }
    bytes
        .chunks_exact(width)
        .map(|unit| char::from_u32(unit.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map, Value};
    use std::process::{Command, Stdio};

    // -- Hand-made DER: certificates to be parsed, never verified ----------

    fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
        der_tlv(tag, body)
    }

    fn seq(parts: &[&[u8]]) -> Vec<u8> {
        tlv(0x30, &parts.concat())
    }

    fn oid(dotted: &str) -> Vec<u8> {
        let arcs: Vec<u32> = dotted.split('.').map(|a| a.parse().unwrap()).collect();
        let mut body = base128(arcs[0] * 40 + arcs[1]);
        for arc in &arcs[2..] {
            body.extend(base128(*arc));
        }
        tlv(0x06, &body)
    }

    fn unhex(hex: &str) -> Vec<u8> {
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect()
    }

    fn utf8(text: &str) -> Vec<u8> {
        tlv(0x0c, text.as_bytes())
    }

    /// A Name from RDNs, each a set of (attribute type, value TLV).
    fn name(rdns: &[&[(&str, Vec<u8>)]]) -> Vec<u8> {
        let sets: Vec<u8> = rdns
            .iter()
            .flat_map(|rdn| {
                let pairs: Vec<u8> = rdn.iter().flat_map(|(o, v)| seq(&[&oid(o), v])).collect();
                tlv(0x31, &pairs)
            })
            .collect();
        tlv(0x30, &sets)
    }

    fn cn(text: &str) -> Vec<u8> {
        name(&[&[("2.5.4.3", utf8(text))]])
    }

    fn ext(id: &str, value: &[u8]) -> Vec<u8> {
        seq(&[&oid(id), &tlv(0x04, value)])
    }

    const BASIC_CA: &str = "2.5.29.19";
    const KEY_USAGE: &str = "2.5.29.15";

    /// The P-256 generator as a public key: a valid point, so OpenSSL takes it.
    fn p256_spki() -> Vec<u8> {
        let point = unhex(concat!(
            "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
            "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"
        ));
        let mut bits = vec![0];
        bits.extend(point);
        seq(&[
            &seq(&[&oid("1.2.840.10045.2.1"), &oid("1.2.840.10045.3.1.7")]),
            &tlv(0x03, &bits),
        ])
    }

    struct Draft {
        v3: bool,
        serial: Vec<u8>,
        issuer: Vec<u8>,
        subject: Vec<u8>,
        not_before: Vec<u8>,
        not_after: Vec<u8>,
        spki: Vec<u8>,
        extensions: Vec<Vec<u8>>,
    }

    impl Default for Draft {
        fn default() -> Self {
            Draft {
                v3: true,
                serial: vec![1],
                issuer: cn("issuer"),
                subject: cn("subject"),
                not_before: tlv(0x17, b"250101000000Z"),
                not_after: tlv(0x17, b"350101000000Z"),
                spki: p256_spki(),
                extensions: Vec::new(),
            }
        }
    }

    impl Draft {
        fn with_extensions(extensions: Vec<Vec<u8>>) -> Self {
            Draft {
                extensions,
                ..Draft::default()
            }
        }

        fn with_subject(subject: Vec<u8>) -> Self {
            Draft {
                subject,
                ..Draft::default()
            }
        }

        /// The certificate, signed with junk: parsers do not check signatures.
        fn der(&self) -> Vec<u8> {
            let algorithm = seq(&[&oid("1.2.840.10045.4.3.2")]);
            let mut tbs = Vec::new();
            if self.v3 {
                tbs.extend(tlv(0xa0, &tlv(0x02, &[2])));
            }
            tbs.extend(tlv(0x02, &self.serial));
            tbs.extend(&algorithm);
            tbs.extend(&self.issuer);
            tbs.extend(seq(&[&self.not_before, &self.not_after]));
            tbs.extend(&self.subject);
            tbs.extend(&self.spki);
            if !self.extensions.is_empty() {
                tbs.extend(tlv(0xa3, &tlv(0x30, &self.extensions.concat())));
            }
            let mut signature = vec![0];
            signature.extend(seq(&[&tlv(0x02, &[1]), &tlv(0x02, &[1])]));
            seq(&[&tlv(0x30, &tbs), &algorithm, &tlv(0x03, &signature)])
        }
    }

    // -- Node, the reference ------------------------------------------------

    /// A temporary file name no other test of this process uses.
    fn temp_path(name: &str) -> std::path::PathBuf {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let file = format!("tls-connect-certinfo-{}-{n}-{name}", std::process::id());
        std::env::temp_dir().join(file)
    }

    /// `toLegacyObject()` runs Node's `X509ToObject()`, the function behind
    /// getPeerCertificate() (checked against a live connection below).
    const NODE_VIEWS: &str = r#"
        const { X509Certificate } = require('crypto');
        const hexes = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
        const buffers = (k, v) => (v && v.type === 'Buffer' ? Buffer.from(v.data).toString('hex') : v);
        console.log(JSON.stringify(hexes.map((hex) => {
          let o;
          try { o = new X509Certificate(Buffer.from(hex, 'hex')).toLegacyObject(); }
          catch (e) { return { error: e.message }; }
          // Node's missing name and null extensions are our empty name and None.
          o.subject ??= {};
          o.issuer ??= {};
          if (o.subjectaltname === null) delete o.subjectaltname;
          if (o.infoAccess === null) delete o.infoAccess;
          return JSON.parse(JSON.stringify(o, buffers));
        })));"#;

    fn node_views(ders: &[Vec<u8>]) -> Vec<Value> {
        let path = temp_path("views.json");
        let hexes: Vec<String> = ders.iter().map(|d| hex_lower(d)).collect();
        std::fs::write(&path, serde_json::to_string(&hexes).unwrap()).unwrap();
        let out = test_pki::node::run(NODE_VIEWS, &[path.as_os_str()]);
        std::fs::remove_file(&path).unwrap();
        serde_json::from_str(&out).unwrap()
    }

    fn hex_lower(bytes: &[u8]) -> String {
        hex_upper(bytes, "").to_ascii_lowercase()
    }

    /// Our description in Node's JSON shape: repeated names grouped into arrays.
    fn node_shape(c: &PeerCertificate) -> Value {
        fn grouped(pairs: &[(String, String)], always_array: bool) -> Value {
            let mut object = Map::new();
            for (key, value) in pairs {
                match object.get_mut(key) {
                    Some(Value::Array(values)) => values.push(json!(value)),
                    Some(single) => *single = json!([single.clone(), value]),
                    None if always_array => drop(object.insert(key.clone(), json!([value]))),
                    None => drop(object.insert(key.clone(), json!(value))),
                }
            }
            Value::Object(object)
        }
        let mut o = Map::new();
        let mut put = |key: &str, value: Option<Value>| {
            if let Some(value) = value {
                o.insert(key.to_owned(), value);
            }
        };
        put("subject", Some(grouped(&c.subject, false)));
        put("issuer", Some(grouped(&c.issuer, false)));
        put(
            "subjectaltname",
            c.subjectaltname.as_ref().map(|s| json!(s)),
        );
        put(
            "infoAccess",
            c.info_access.as_ref().map(|i| grouped(i, true)),
        );
        put("ca", Some(json!(c.ca)));
        put("bits", c.bits.map(|b| json!(b)));
        put("modulus", c.modulus.as_ref().map(|m| json!(m)));
        put("exponent", c.exponent.as_ref().map(|e| json!(e)));
        put("pubkey", c.pubkey.as_ref().map(|p| json!(hex_lower(p))));
        put("asn1Curve", c.asn1_curve.as_ref().map(|a| json!(a)));
        put("nistCurve", c.nist_curve.as_ref().map(|n| json!(n)));
        put("valid_from", Some(json!(c.valid_from)));
        put("valid_to", Some(json!(c.valid_to)));
        put("fingerprint", Some(json!(c.fingerprint)));
        put("fingerprint256", Some(json!(c.fingerprint256)));
        put("fingerprint512", Some(json!(c.fingerprint512)));
        put("ext_key_usage", c.ext_key_usage.as_ref().map(|e| json!(e)));
        put("serialNumber", Some(json!(c.serial_number)));
        put("raw", Some(json!(hex_lower(&c.raw))));
        Value::Object(o)
    }

    /// Every field of every certificate as Node shows it; where Node cannot
    /// load a certificate, we must refuse it too.
    fn assert_node_agrees(ders: &[Vec<u8>]) {
        for (i, (der, node)) in ders.iter().zip(node_views(ders)).enumerate() {
            match describe(der) {
                Ok(ours) => assert_eq!(node_shape(&ours), node, "certificate {i}"),
                Err(err) => assert!(
                    node.get("error").is_some(),
                    "certificate {i}: we refused it ({err}), Node read {node}"
                ),
            }
        }
    }

    fn openssl(args: &[&str], input: &[u8]) -> Vec<u8> {
        let mut child = Command::new("openssl")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("openssl runs");
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), input).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    /// A fresh key from `openssl genpkey` and its SubjectPublicKeyInfo DER.
    fn openssl_key(genpkey: &[&str], pubout: &[&str]) -> (Vec<u8>, Vec<u8>) {
        let key = openssl(&[&["genpkey"], genpkey].concat(), b"");
        let spki = openssl(
            &[&["pkey", "-pubout", "-outform", "DER"], pubout].concat(),
            &key,
        );
        (key, spki)
    }

    // -- Against Node --------------------------------------------------------

    /// Realistic certificates: rcgen's EC P-256 and P-384 ones with the usual
    /// extensions, and RSA ones from openssl.
    #[test]
    fn node_agrees_on_generated_certificates() {
        use rcgen::{
            BasicConstraints, CertificateParams, CustomExtension, DnType, ExtendedKeyUsagePurpose,
            IsCa, KeyPair, SanType,
        };
        let aia = seq(&[
            &seq(&[
                &oid("1.3.6.1.5.5.7.48.1"),
                &tlv(0x86, b"http://ocsp.example.test"),
            ]),
            &seq(&[
                &oid("1.3.6.1.5.5.7.48.2"),
                &tlv(0x86, b"http://ca.example.test/ca.pem"),
            ]),
            &seq(&[
                &oid("1.3.6.1.5.5.7.48.1"),
                &tlv(0x86, b"http://ocsp2.example.test"),
            ]),
        ]);
        let mut ders = Vec::new();
        for alg in [
            &rcgen::PKCS_ECDSA_P256_SHA256,
            &rcgen::PKCS_ECDSA_P384_SHA384,
        ] {
            let key = KeyPair::generate_for(alg).unwrap();
            let mut params =
                CertificateParams::new(vec!["localhost".into(), "*.example.test".into()]).unwrap();
            let san = &mut params.subject_alt_names;
            san.push(SanType::IpAddress("127.0.0.1".parse().unwrap()));
            san.push(SanType::IpAddress("::1".parse().unwrap()));
            san.push(SanType::IpAddress(
                "2001:db8::8:800:200c:417a".parse().unwrap(),
            ));
            san.push(SanType::Rfc822Name(
                "admin@example.test".try_into().unwrap(),
            ));
            san.push(SanType::URI(
                "https://example.test/a?b=c".try_into().unwrap(),
            ));
            let dn = &mut params.distinguished_name;
            dn.push(DnType::CountryName, "US");
            dn.push(DnType::StateOrProvinceName, "CA");
            dn.push(DnType::LocalityName, "SF");
            dn.push(DnType::OrganizationName, "Research");
            dn.push(DnType::OrganizationalUnitName, "one");
            dn.push(DnType::OrganizationalUnitName, "two");
            dn.push(DnType::CommonName, "localhost");
            dn.push(
                DnType::CustomDnType(vec![1, 2, 840, 113549, 1, 9, 1]),
                "x@y.test",
            );
            dn.push(
                DnType::CustomDnType(vec![0, 9, 2342, 19200300, 100, 1, 25]),
                "test",
            );
            params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
            params.extended_key_usages = vec![
                ExtendedKeyUsagePurpose::ServerAuth,
                ExtendedKeyUsagePurpose::ClientAuth,
                ExtendedKeyUsagePurpose::Other(vec![1, 3, 6, 1, 4, 1, 99999, 1]),
            ];
            params
                .custom_extensions
                .push(CustomExtension::from_oid_content(
                    &[1, 3, 6, 1, 5, 5, 7, 1, 1],
                    aia.clone(),
                ));
            params.serial_number = Some(vec![0x00, 0x9a, 0x01, 0x02].into());
            params.not_before =
                rcgen::date_time_ymd(2026, 11, 3) + std::time::Duration::from_secs(32_701);
            params.not_after = rcgen::date_time_ymd(2051, 2, 28);
            ders.push(params.self_signed(&key).unwrap().der().to_vec());
        }
        // RSA: 2048 bits; 1025 bits (a modulus whose first hex digit is 0) with e = 3.
        for (bits, exponent) in [("2048", "65537"), ("1025", "3")] {
            let key = openssl(
                &[
                    "genpkey",
                    "-algorithm",
                    "RSA",
                    "-pkeyopt",
                    &format!("rsa_keygen_bits:{bits}"),
                    "-pkeyopt",
                    &format!("rsa_keygen_pubexp:{exponent}"),
                ],
                b"",
            );
            let path = temp_path(&format!("rsa-{bits}.pem"));
            std::fs::write(&path, &key).unwrap();
            ders.push(openssl(
                &[
                    "req",
                    "-x509",
                    "-key",
                    path.to_str().unwrap(),
                    "-days",
                    "30",
                    "-subj",
                    "/C=US/O=Research/CN=rsa.test",
                    "-addext",
                    "subjectAltName=DNS:rsa.test,IP:10.0.0.1",
                    "-addext",
                    "extendedKeyUsage=serverAuth",
                    "-outform",
                    "DER",
                ],
                b"",
            ));
            std::fs::remove_file(&path).unwrap();
        }
        assert_node_agrees(&ders);
    }

    /// Every kind of general name, and the characters that make Node quote one.
    #[test]
    fn node_agrees_on_alt_names_and_info_access() {
        let dir_name = tlv(
            0xa4,
            &seq(&[
                &tlv(0x31, &seq(&[&oid("2.5.4.3"), &utf8("x,y+z")])),
                &tlv(
                    0x31,
                    &[
                        seq(&[&oid("2.5.4.10"), &tlv(0x13, b" #lead ")]),
                        seq(&[&oid("2.5.4.11"), &utf8("\u{e9}\u{1};<>\"\\=")]),
                    ]
                    .concat(),
                ),
                &tlv(0x31, &seq(&[&oid("1.2.3.4"), &utf8("unknown")])),
                &tlv(0x31, &seq(&[&oid("2.5.4.3"), &tlv(0x1e, &[0x03, 0xa9])])),
                &tlv(0x31, &seq(&[&oid("2.5.4.7"), &tlv(0x14, b"caf\xe9")])),
                &tlv(0x31, &seq(&[&oid("2.5.4.8"), &tlv(0x03, &[0, 0xab])])),
                &tlv(0x31, &seq(&[&oid("2.5.4.3"), &tlv(0x13, b"#")])),
                &tlv(0x31, &seq(&[&oid("2.5.4.3"), &tlv(0x13, b" ")])),
            ]),
        );
        let other = |id: &str, value: Vec<u8>| tlv(0xa0, &[oid(id), tlv(0xa0, &value)].concat());
        let names = [
            tlv(0x82, b"localhost"),
            tlv(0x82, b"*.example.test"),
            tlv(0x82, b""),
            tlv(0x82, b"a,b.test"),
            tlv(0x82, b"q\"x"),
            tlv(0x82, b"it's"),
            tlv(0x82, b"back\\slash"),
            tlv(0x82, b"caf\xc3\xa9"),
            tlv(0x82, b"caf\xe9"),
            tlv(0x82, b"ctl\x01\x7f\t"),
            tlv(0x81, b"a,b@x.test"),
            tlv(0x86, b"http://x.test/?a=1,2"),
            tlv(0x87, &[127, 0, 0, 1]),
            tlv(0x87, &[1, 2, 3, 4, 5]),
            tlv(0x87, &(0..16).collect::<Vec<u8>>()),
            tlv(0x87, &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]),
            tlv(0x88, &[0x2a, 0x03, 0x04]),
            dir_name.clone(),
            other("1.3.6.1.4.1.311.20.2.3", utf8("u,pn@\u{e9}")),
            other("1.3.6.1.4.1.311.20.2.3", utf8("upn@example.test")),
            other("1.3.6.1.5.5.7.8.7", tlv(0x16, b"_xmpp.example.test")),
            other("1.3.6.1.5.5.7.8.9", utf8("\u{e9}@example.test")),
            other("1.3.6.1.5.5.7.8.8", utf8("realm\"")),
            other("1.3.6.1.5.5.7.8.5", tlv(0x16, b"wrong-type")),
            other("1.2.3.4", utf8("unknown")),
            tlv(0xa3, &seq(&[])),
            tlv(0xa5, &tlv(0xa1, &utf8("party"))),
        ];
        let san = ext("2.5.29.17", &tlv(0x30, &names.concat()));
        let access = |method: &str, location: &[u8]| seq(&[&oid(method), location]);
        let aia = ext(
            "1.3.6.1.5.5.7.1.1",
            &seq(&[
                &access("1.3.6.1.5.5.7.48.1", &tlv(0x86, b"http://ocsp.test")),
                &access("1.3.6.1.5.5.7.48.2", &tlv(0x86, b"http://ca.test/a,b")),
                &access("1.3.6.1.5.5.7.48.2", &tlv(0x86, b"http://ca2.test")),
                &access("1.3.6.1.5.5.7.48.5", &dir_name),
                &access("1.3.6.1.5.5.7.48.3", &tlv(0x87, &[10, 0, 0, 1])),
                &access("1.2.3.4", &other("1.3.6.1.4.1.311.20.2.3", utf8("u,pn"))),
                &access(
                    "1.3.6.1.5.5.7.48.1",
                    &other("1.3.6.1.5.5.7.8.7", tlv(0x16, b"_s")),
                ),
                &access("1.3.6.1.5.5.7.48.1", &tlv(0x82, b"caf\xe9")),
                &access("1.3.6.1.5.5.7.48.1", &tlv(0x88, &[0x2a, 0x03])),
            ]),
        );
        let bad_dir = tlv(
            0xa4,
            &seq(&[&tlv(0x31, &seq(&[&oid("2.5.4.3"), &tlv(0x1e, b"odd")]))]),
        );
        let ders = [
            Draft::with_extensions(vec![san, aia]).der(),
            // Empty lists.
            Draft::with_extensions(vec![
                ext("2.5.29.17", &seq(&[])),
                ext("1.3.6.1.5.5.7.1.1", &seq(&[])),
            ])
            .der(),
            // Extensions OpenSSL cannot decode: Node shows null.
            Draft::with_extensions(vec![ext("2.5.29.17", &[0x30, 0x03, 0x82, 0x05, 0x61])]).der(),
            Draft::with_extensions(vec![ext("2.5.29.17", &seq(&[&bad_dir]))]).der(),
            Draft::with_extensions(vec![ext("1.3.6.1.5.5.7.1.1", &[0x30, 0x01])]).der(),
            // Only the first subjectAltName counts.
            Draft::with_extensions(vec![
                ext("2.5.29.17", &seq(&[&tlv(0x82, b"first.test")])),
                ext("2.5.29.17", &seq(&[&tlv(0x82, b"second.test")])),
            ])
            .der(),
        ];
        assert_node_agrees(&ders);
    }

    /// Name values of every string type, the ones Node cannot show, and the
    /// ones OpenSSL refuses; and every attribute type we name.
    #[test]
    fn node_agrees_on_names() {
        let one = |tag: u8, value: &[u8]| {
            name(&[
                &[("2.5.4.3", tlv(tag, value))],
                &[("2.5.4.10", utf8("org"))],
            ])
        };
        let mut subjects = vec![
            one(0x1e, &[0x03, 0xa9, 0x00, 0xe9]),
            one(0x1c, &[0, 1, 0xf6, 0x00, 0, 0, 0, 0x61]),
            one(0x14, b"caf\xe9"),
            one(0x13, b"a\xffb"),
            one(0x12, b"123"),
            one(0x16, b"ia5"),
            one(0x0c, b"a\x00b\n"),
            one(0x0c, b""),
            name(&[
                &[("2.5.4.3", utf8("one")), ("2.5.4.10", utf8("org"))],
                &[("2.5.4.3", utf8("two"))],
                &[("2.5.4.3", utf8("three"))],
            ]),
            tlv(0x30, &[]),
            // Not text: Node shows no subject at all.
            one(0x03, &[0, 0x61]),
            one(0x30, &utf8("inner")),
            // OpenSSL refuses these certificates.
            one(0x1e, &[0xd8, 0x3d, 0xde, 0x00]),
            one(0x1e, &[0x00, 0x61, 0x00]),
            one(0x1c, &[0, 0, 0xd8, 0]),
            one(0x0c, b"a\xffb"),
            one(0x1a, b"visible"),
            one(0x02, &[1]),
            one(0x04, b"octets"),
        ];
        // Context-specific values are refused too.
        subjects.push(name(&[&[("2.5.4.3", tlv(0x80, b"x"))]]));
        let mut every: Vec<(String, Vec<u8>)> = SHORT_NAMES
            .iter()
            .flat_map(|(arc, names)| {
                names
                    .iter()
                    .map(move |(n, _)| (format!("{arc}.{n}"), utf8("v")))
            })
            .collect();
        every.push(("1.2.3.4".into(), utf8("unknown")));
        every.push(("2.5.4.2".into(), utf8("not known to OpenSSL")));
        every.push(("1.3.6.1.4.1.99999.4294967295".into(), utf8("large arc")));
        let pairs: Vec<(&str, Vec<u8>)> =
            every.iter().map(|(o, v)| (o.as_str(), v.clone())).collect();
        let rdns: Vec<&[(&str, Vec<u8>)]> = pairs.chunks(1).collect();
        subjects.push(name(&rdns));
        let mut ders: Vec<Vec<u8>> = subjects
            .into_iter()
            .map(|s| Draft::with_subject(s).der())
            .collect();
        ders.push(
            Draft {
                issuer: name(&rdns),
                ..Draft::default()
            }
            .der(),
        );
        assert_node_agrees(&ders);
    }

    #[test]
    fn node_agrees_on_serials_dates_ca_and_key_usage() {
        let serial = |serial: &[u8]| Draft {
            serial: serial.to_vec(),
            ..Draft::default()
        };
        let dates = |not_before: Vec<u8>, not_after: Vec<u8>| Draft {
            not_before,
            not_after,
            ..Draft::default()
        };
        let ca_true = || ext(BASIC_CA, &seq(&[&[0x01, 0x01, 0xff]]));
        let eku = |oids: &[&str]| {
            let list: Vec<u8> = oids.iter().flat_map(|o| oid(o)).collect();
            ext("2.5.29.37", &tlv(0x30, &list))
        };
        let drafts = [
            serial(&[0]),
            serial(&[0, 0xff]),
            serial(&[0x80]),
            serial(&[0xff, 0x7f]),
            serial(&[0x01, 0x02]),
            serial(&[0x7f; 20]),
            dates(tlv(0x17, b"261103090501Z"), tlv(0x18, b"20500101000000Z")),
            dates(tlv(0x17, b"500101000000Z"), tlv(0x18, b"19991231235959Z")),
            dates(tlv(0x17, b"491231235959Z"), tlv(0x18, b"99991231235959Z")),
            dates(
                tlv(0x18, b"20300101000000.5Z"),
                tlv(0x18, b"20300101000000.123Z"),
            ),
            dates(tlv(0x17, b"3001010000Z"), tlv(0x17, b"300101000000+0100")),
            Draft {
                v3: false,
                ..Draft::default()
            },
            Draft::with_extensions(vec![ca_true()]),
            Draft::with_extensions(vec![ext(
                BASIC_CA,
                &seq(&[&[0x01, 0x01, 0xff], &[0x02, 0x01, 0x00]]),
            )]),
            Draft::with_extensions(vec![ext(BASIC_CA, &seq(&[]))]),
            Draft::with_extensions(vec![ca_true(), ext(KEY_USAGE, &[0x03, 0x02, 0x07, 0x80])]),
            Draft::with_extensions(vec![ca_true(), ext(KEY_USAGE, &[0x03, 0x02, 0x01, 0x06])]),
            Draft::with_extensions(vec![ca_true(), ext(KEY_USAGE, &[0x03, 0x01, 0x00])]),
            Draft::with_extensions(vec![ext(KEY_USAGE, &[0x03, 0x02, 0x01, 0x06])]),
            Draft::with_extensions(vec![ca_true(), ext("2.5.29.17", &[0x30, 0x01])]),
            Draft::with_extensions(vec![ca_true(), ext("1.3.6.1.5.5.7.1.1", &[0x30, 0x01])]),
            Draft::with_extensions(vec![
                ca_true(),
                ext("2.5.29.17", &seq(&[&tlv(0x82, b"a.test")])),
                ext("2.5.29.17", &seq(&[&tlv(0x82, b"b.test")])),
            ]),
            Draft::with_extensions(vec![eku(&[
                "1.3.6.1.5.5.7.3.2",
                "1.3.6.1.5.5.7.3.1",
                "1.2.3.4",
                "2.999.1",
            ])]),
            Draft::with_extensions(vec![eku(&[])]),
            Draft::with_extensions(vec![
                eku(&["1.3.6.1.5.5.7.3.1"]),
                eku(&["1.3.6.1.5.5.7.3.2"]),
            ]),
            Draft::with_extensions(vec![ext("2.5.29.37", &[0x30, 0x03, 0x02, 0x01, 0x01])]),
        ];
        let ders: Vec<Vec<u8>> = drafts.iter().map(Draft::der).collect();
        assert_node_agrees(&ders);
    }

    /// Public keys: every named curve we know, a compressed point, RSA keys
    /// with odd encodings, and key types Node does not describe.
    #[test]
    fn node_agrees_on_public_keys() {
        let mut spkis = Vec::new();
        for curve in [
            "prime192v1",
            "secp224r1",
            "prime256v1",
            "secp384r1",
            "secp521r1",
            "secp256k1",
            "brainpoolP256r1",
            "brainpoolP384r1",
            "brainpoolP512r1",
        ] {
            let genpkey = [
                "-algorithm",
                "EC",
                "-pkeyopt",
                &format!("ec_paramgen_curve:{curve}"),
            ]
            .map(str::to_owned);
            let genpkey: Vec<&str> = genpkey.iter().map(String::as_str).collect();
            // OpenSSL re-encodes compressed and hybrid points uncompressed.
            let (key, spki) = openssl_key(&genpkey, &[]);
            spkis.push(spki);
            for form in ["compressed", "hybrid"] {
                let args = ["pkey", "-pubout", "-outform", "DER", "-ec_conv_form", form];
                spkis.push(openssl(&args, &key));
            }
        }
        spkis.push(openssl_key(&["-algorithm", "ED25519"], &[]).1);
        spkis.push(
            openssl_key(
                &["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:1024"],
                &[],
            )
            .1,
        );
        let rsa = |algorithm: Vec<u8>, modulus: &[u8], exponent: &[u8]| {
            let mut key = vec![0];
            key.extend(seq(&[&tlv(0x02, modulus), &tlv(0x02, exponent)]));
            seq(&[&algorithm, &tlv(0x03, &key)])
        };
        let rsa_alg = seq(&[&oid("1.2.840.113549.1.1.1"), &[0x05, 0x00]]);
        let mut modulus = vec![0x00, 0xc5];
        modulus.extend([0x5a; 63]);
        // Without the NULL parameters, with a 9-byte exponent, with a small modulus.
        spkis.push(rsa(
            seq(&[&oid("1.2.840.113549.1.1.1")]),
            &modulus,
            &[1, 0, 1],
        ));
        spkis.push(rsa(rsa_alg.clone(), &modulus, &[1, 0, 0, 0, 0, 0, 0, 0, 1]));
        spkis.push(rsa(rsa_alg.clone(), &[0x00, 0x00, 0x0f, 0xff], &[3]));
        // EC points OpenSSL refuses: the wrong size, off the curve, x too
        // large, and a compressed x with no square root; and the point at infinity.
        let p256 = |point: &[u8]| {
            let mut bits = vec![0];
            bits.extend_from_slice(point);
            seq(&[
                &seq(&[&oid("1.2.840.10045.2.1"), &oid("1.2.840.10045.3.1.7")]),
                &tlv(0x03, &bits),
            ])
        };
        let good = p256_spki();
        let mut off_curve = good.clone();
        *off_curve.last_mut().unwrap() ^= 1;
        spkis.push(off_curve);
        spkis.push(p256(&[4, 1, 2, 3]));
        spkis.push(p256(&[[4].as_slice(), &[0xff; 64]].concat()));
        spkis.push(p256(&[[2].as_slice(), &[0; 31], &[3]].concat()));
        spkis.push(p256(&[[3].as_slice(), &[0; 31], &[5]].concat()));
        spkis.push(p256(&[0]));
        let ders: Vec<Vec<u8>> = spkis
            .into_iter()
            .map(|spki| {
                Draft {
                    spki,
                    ..Draft::default()
                }
                .der()
            })
            .collect();
        assert_node_agrees(&ders);
    }

    /// getPeerCertificate() over a real connection, against our description.
    #[test]
    fn node_agrees_over_a_tls_connection() {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let mut params = rcgen::CertificateParams::new(vec!["localhost".into()]).unwrap();
        params
            .subject_alt_names
            .push(rcgen::SanType::IpAddress("127.0.0.1".parse().unwrap()));
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "localhost");
        params
            .distinguished_name
            .push(rcgen::DnType::OrganizationalUnitName, "a");
        params
            .distinguished_name
            .push(rcgen::DnType::OrganizationalUnitName, "b");
        let cert = params.self_signed(&key).unwrap();
        let (key_path, cert_path) = (temp_path("tls-key.pem"), temp_path("tls-cert.pem"));
        std::fs::write(&key_path, key.serialize_pem()).unwrap();
        std::fs::write(&cert_path, cert.pem()).unwrap();
        let script = r#"
            const tls = require('tls');
            const fs = require('fs');
            setTimeout(() => { console.error('timed out'); process.exit(2); }, 10000).unref();
            const server = tls.createServer(
              { key: fs.readFileSync(process.argv[1]), cert: fs.readFileSync(process.argv[2]) },
              (s) => s.end());
            server.listen(0, '127.0.0.1', () => {
              const socket = tls.connect(
                { port: server.address().port, host: '127.0.0.1', rejectUnauthorized: false },
                () => {
                  const c = socket.getPeerCertificate();
                  console.log(JSON.stringify(c, (k, v) =>
                    (v && v.type === 'Buffer' ? Buffer.from(v.data).toString('hex') : v)));
                  socket.destroy();
                  server.close();
                });
            });"#;
        let out = test_pki::node::run(script, &[key_path.as_os_str(), cert_path.as_os_str()]);
        std::fs::remove_file(&key_path).unwrap();
        std::fs::remove_file(&cert_path).unwrap();
        let node: Value = serde_json::from_str(&out).unwrap();
        let ours = describe(cert.der()).unwrap();
        assert_eq!(node_shape(&ours), node);
    }

    // -- Formats, spelled out ------------------------------------------------

    #[test]
    fn formats_are_openssls() {
        let draft = Draft {
            serial: vec![0x00, 0x0a, 0xbc],
            not_before: tlv(0x17, b"261103090501Z"),
            not_after: tlv(0x18, b"20500101000000Z"),
            extensions: vec![ext(
                "2.5.29.17",
                &seq(&[
                    &tlv(0x82, b"a,b.test"),
                    &tlv(0x82, b"ok.test"),
                    &tlv(0x87, &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
                ]),
            )],
            ..Draft::default()
        };
        let info = describe(&draft.der()).unwrap();
        assert_eq!(info.valid_from, "Nov  3 09:05:01 2026 GMT");
        assert_eq!(info.valid_to, "Jan  1 00:00:00 2050 GMT");
        assert_eq!(info.serial_number, "0ABC");
        assert_eq!(
            info.subjectaltname.as_deref(),
            Some(r#"DNS:"a\u002cb.test", DNS:ok.test, IP Address:0:0:0:0:0:0:0:1"#)
        );
        assert_eq!(info.asn1_curve.as_deref(), Some("prime256v1"));
        assert_eq!(info.fingerprint.len(), 20 * 3 - 1);
        assert_eq!(serial_hex(&[0x80]), "-80");
        assert_eq!(serial_hex(&[0]), "0");
        assert_eq!(bn_print(&[0x01, 0xab]), "1AB");
        assert_eq!(format!("0x{:x}", word(&[1, 0, 1])), "0x10001");
    }

    // -- Hostile input -------------------------------------------------------

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for junk in [&b"not a certificate"[..], &[], &[0x30, 0x82, 0xff, 0xff]] {
            let err = describe(junk).unwrap_err();
            assert_eq!(err.code, "ERR_OSSL_ASN1_NESTED_ASN1_ERROR");
        }
    }

    /// Every truncation and many single-byte corruptions of a certificate with
    /// every kind of field: errors are fine, panics are not.
    #[test]
    fn corrupted_certificates_never_panic() {
        let der = Draft::with_extensions(vec![
            ext(
                "2.5.29.17",
                &seq(&[
                    &tlv(0x82, b"a,b"),
                    &tlv(0x87, &[1, 2, 3, 4]),
                    &tlv(0xa4, &cn("d")),
                ]),
            ),
            ext(
                "1.3.6.1.5.5.7.1.1",
                &seq(&[&seq(&[&oid("1.3.6.1.5.5.7.48.1"), &tlv(0x86, b"u")])]),
            ),
            ext(BASIC_CA, &seq(&[&[0x01, 0x01, 0xff]])),
            ext("2.5.29.37", &seq(&[&oid("1.3.6.1.5.5.7.3.1")])),
        ])
        .der();
        for len in 0..der.len() {
            let _ = describe(&der[..len]);
        }
        for i in 0..der.len() {
            for value in [0x00, 0xff, 0x80, der[i] ^ 0x01, der[i].wrapping_add(1)] {
                let mut bad = der.clone();
                bad[i] = value;
                let _ = describe(&bad);
            }
        }
    }
}
