//! `subjectaltname` and `infoAccess` as Node prints them: each general name
//! as OpenSSL's `GENERAL_NAME_print` and Node's `PrintAltName` write it,
//! quoted as JSON where Node quotes it.

use x509_parser::asn1_rs::{Any, Class, FromDer, Oid};
use x509_parser::extensions::{GeneralName, ParsedExtension, X509Extension};

use super::format::dotted;
use super::names::latin1;
use super::rfc2253::dir_name;

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
pub(super) fn subject_alt_name(ext: &X509Extension<'_>) -> Option<String> {
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
pub(super) fn info_access(ext: &X509Extension<'_>) -> Option<Vec<(String, String)>> {
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
