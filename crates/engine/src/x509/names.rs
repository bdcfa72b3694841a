//! Names as OpenSSL reads them for Node: which attribute values it takes as
//! text (and which make it refuse the whole certificate), and the short names
//! (`OBJ_nid2sn`) it shows them under in `subject` and `issuer`.

use x509_parser::asn1_rs::{Any, Class, Oid};
use x509_parser::x509::X509Name;

use super::format::dotted;

/// What OpenSSL makes of one attribute value in a name.
pub(super) enum AttributeText {
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
pub(super) fn attribute_text(value: &Any<'_>) -> AttributeText {
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

/// `subject` or `issuer`: every attribute with its short name. Node 26 shows
/// a value it cannot show as text as an empty name and value (Node 20 showed
/// no name at all); `None` when OpenSSL refuses the certificate for one of them.
pub(super) fn name_entries(name: &X509Name<'_>) -> Option<Vec<(String, String)>> {
    let mut entries = Vec::new();
    for attr in name.iter_attributes() {
        match attribute_text(attr.attr_value()) {
            AttributeText::Text(text) => entries.push((field_name(attr.attr_type()), text)),
            AttributeText::Opaque => entries.push((String::new(), String::new())),
            AttributeText::Refused => return None,
        }
    }
    Some(entries)
}

/// OpenSSL's short name for an attribute type, or its dotted OID.
fn field_name(oid: &Oid<'_>) -> String {
    let dotted = dotted(oid);
    short_name(&dotted).map_or(dotted, str::to_owned)
}

/// OpenSSL's short names (`OBJ_nid2sn`) for the attribute types it knows, by arc.
#[rustfmt::skip]
pub(super) const SHORT_NAMES: &[(&str, &[(u32, &str)])] = &[
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

/// OpenSSL's short name for the attribute type with this dotted OID.
pub(super) fn short_name(dotted: &str) -> Option<&'static str> {
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

/// Bytes as Latin-1 characters, as OpenSSL reads one-byte string types.
pub(super) fn latin1(bytes: &[u8]) -> String {
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
