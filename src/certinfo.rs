//! Node's peer-certificate object (`getPeerCertificate()`) from DER, with
//! OpenSSL's formatting: short attribute names, `subjectaltname` as one string,
//! dates like `Nov 23 19:00:25 2026 GMT`, colon-separated uppercase fingerprints.

use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};

use x509_parser::der_parser::der::parse_der_oid;
use x509_parser::der_parser::der::parse_der_sequence_of;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;
use x509_parser::time::ASN1Time;
use x509_parser::x509::X509Name;

use crate::TlsError;

/// One certificate in the shape of Node's `getPeerCertificate()`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerCertificate {
    /// `subject`: (short name, value) in certificate order; repeated names repeat.
    pub subject: Vec<(String, String)>,
    /// `issuer`, same form.
    pub issuer: Vec<(String, String)>,
    /// `subjectaltname`: `'DNS:localhost, IP Address:127.0.0.1'`.
    pub subjectaltname: Option<String>,
    /// `infoAccess`: (`'OCSP - URI'`, url) in order.
    pub info_access: Option<Vec<(String, String)>>,
    /// `ca`: basic constraints say CA:TRUE.
    pub ca: bool,
    /// `bits`: key size.
    pub bits: Option<u32>,
    /// `modulus` (RSA), uppercase hex.
    pub modulus: Option<String>,
    /// `exponent` (RSA), `'0x10001'`.
    pub exponent: Option<String>,
    /// `pubkey`: the EC point, or the RSA SubjectPublicKeyInfo DER, as Node.
    pub pubkey: Option<Vec<u8>>,
    /// `asn1Curve` (EC).
    pub asn1_curve: Option<String>,
    /// `nistCurve` (EC).
    pub nist_curve: Option<String>,
    /// `valid_from`.
    pub valid_from: String,
    /// `valid_to`.
    pub valid_to: String,
    /// `fingerprint` (SHA-1).
    pub fingerprint: String,
    /// `fingerprint256`.
    pub fingerprint256: String,
    /// `fingerprint512`.
    pub fingerprint512: String,
    /// `ext_key_usage`: dotted OIDs in certificate order.
    pub ext_key_usage: Option<Vec<String>>,
    /// `serialNumber`, uppercase hex.
    pub serial_number: String,
    /// `raw`: the DER.
    pub raw: Vec<u8>,
}

/// Describes a DER certificate as Node's `getPeerCertificate()` does. A
/// certificate that does not parse is `ERR_OSSL_ASN1_NOT_ENOUGH_DATA`-like:
/// reported, never a panic.
pub fn describe(der: &[u8]) -> Result<PeerCertificate, TlsError> {
    let (_, cert) = X509Certificate::from_der(der).map_err(|_| {
        TlsError::new(
            "ERR_OSSL_ASN1_HEADER_TOO_LONG",
            "error:0680009B:asn1 encoding routines::header too long",
        )
    })?;
    let mut info = PeerCertificate {
        subject: name_attributes(cert.subject()),
        issuer: name_attributes(cert.issuer()),
        valid_from: openssl_time(&cert.validity().not_before),
        valid_to: openssl_time(&cert.validity().not_after),
        fingerprint: fingerprint(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, der),
        fingerprint256: fingerprint(&ring::digest::SHA256, der),
        fingerprint512: fingerprint(&ring::digest::SHA512, der),
        serial_number: serial_hex(cert.raw_serial()),
        raw: der.to_vec(),
        ..PeerCertificate::default()
    };
    describe_key(&cert, &mut info);
    for ext in cert.extensions() {
        match ext.parsed_extension() {
            ParsedExtension::SubjectAlternativeName(san) => {
                let names: Vec<String> = san.general_names.iter().map(general_name).collect();
                info.subjectaltname = Some(names.join(", "));
            }
            ParsedExtension::AuthorityInfoAccess(aia) => {
                info.info_access = Some(
                    aia.accessdescs
                        .iter()
                        .map(|d| {
                            let (kind, value) = general_name_parts(&d.access_location);
                            let method = access_method(&d.access_method.to_id_string());
                            (format!("{method} - {kind}"), value)
                        })
                        .collect(),
                );
            }
            ParsedExtension::BasicConstraints(bc) => info.ca = bc.ca,
            ParsedExtension::ExtendedKeyUsage(_) => {
                // Parsed again from the raw value: x509-parser's form loses the order.
                info.ext_key_usage = parse_der_sequence_of(parse_der_oid)(ext.value)
                    .ok()
                    .and_then(|(_, seq)| {
                        seq.as_sequence().ok().map(|items| {
                            items
                                .iter()
                                .filter_map(|o| o.as_oid().ok().map(|oid| oid.to_id_string()))
                                .collect()
                        })
                    });
            }
            _ => {}
        }
    }
    Ok(info)
}

/// Key fields: RSA's modulus, exponent and bits; EC's point, curve names and bits.
fn describe_key(cert: &X509Certificate<'_>, info: &mut PeerCertificate) {
    let spki = cert.public_key();
    match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => {
            let modulus = strip_zeros(rsa.modulus);
            info.modulus = Some(hex_upper(modulus, ""));
            info.bits = Some(bit_length(modulus));
            let exponent = hex_upper(strip_zeros(rsa.exponent), "").to_ascii_lowercase();
            info.exponent = Some(format!("0x{}", exponent.trim_start_matches('0')));
            info.pubkey = Some(spki.raw.to_vec());
        }
        Ok(PublicKey::EC(point)) => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|oid| oid.to_id_string());
            let (asn1, nist, bits) = match curve.as_deref() {
                Some("1.2.840.10045.3.1.7") => ("prime256v1", Some("P-256"), 256),
                Some("1.3.132.0.34") => ("secp384r1", Some("P-384"), 384),
                Some("1.3.132.0.35") => ("secp521r1", Some("P-521"), 521),
                Some("1.3.132.0.10") => ("secp256k1", None, 256),
                _ => return,
            };
            info.bits = Some(bits);
            info.pubkey = Some(point.data().to_vec());
            info.asn1_curve = Some(asn1.to_owned());
            info.nist_curve = nist.map(str::to_owned);
        }
        _ => {}
    }
}

/// OpenSSL's short name for a name attribute; unknown ones as dotted OIDs.
fn short_name(oid: &str) -> String {
    match oid {
        "2.5.4.3" => "CN",
        "2.5.4.4" => "SN",
        "2.5.4.5" => "serialNumber",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "street",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.12" => "title",
        "2.5.4.15" => "businessCategory",
        "2.5.4.17" => "postalCode",
        "2.5.4.42" => "GN",
        "2.5.4.43" => "initials",
        "2.5.4.46" => "dnQualifier",
        "2.5.4.65" => "pseudonym",
        "1.2.840.113549.1.9.1" => "emailAddress",
        "0.9.2342.19200300.100.1.1" => "UID",
        "0.9.2342.19200300.100.1.25" => "DC",
        "1.3.6.1.4.1.311.60.2.1.3" => "jurisdictionC",
        "1.3.6.1.4.1.311.60.2.1.2" => "jurisdictionST",
        "1.3.6.1.4.1.311.60.2.1.1" => "jurisdictionL",
        other => return other.to_owned(),
    }
    .to_owned()
}

fn name_attributes(name: &X509Name<'_>) -> Vec<(String, String)> {
    name.iter_rdn()
        .flat_map(|rdn| rdn.iter())
        .map(|attr| {
            let value = attr
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|_| String::from_utf8_lossy(attr.attr_value().data).into_owned());
            (short_name(&attr.attr_type().to_id_string()), value)
        })
        .collect()
}

/// OpenSSL's method names in `infoAccess` keys.
fn access_method(oid: &str) -> String {
    match oid {
        "1.3.6.1.5.5.7.48.1" => "OCSP".to_owned(),
        "1.3.6.1.5.5.7.48.2" => "CA Issuers".to_owned(),
        other => other.to_owned(),
    }
}

/// One `subjectaltname` entry: `DNS:name`, with Node's JSON quoting when needed.
fn general_name(name: &GeneralName<'_>) -> String {
    let (kind, value) = general_name_parts(name);
    let quoted = match name {
        GeneralName::DNSName(_) | GeneralName::RFC822Name(_) | GeneralName::URI(_) => {
            if is_safe_alt_name(&value) {
                value
            } else {
                json_quote(&value)
            }
        }
        _ => value,
    };
    format!("{kind}:{quoted}")
}

/// The label Node prints before a general name, and its value.
fn general_name_parts(name: &GeneralName<'_>) -> (&'static str, String) {
    match name {
        GeneralName::DNSName(s) => ("DNS", (*s).to_owned()),
        GeneralName::RFC822Name(s) => ("email", (*s).to_owned()),
        GeneralName::URI(s) => ("URI", (*s).to_owned()),
        GeneralName::IPAddress(bytes) => ("IP Address", ip_text(bytes)),
        GeneralName::DirectoryName(dn) => ("DirName", dn.to_string()),
        GeneralName::RegisteredID(oid) => ("Registered ID", oid.to_id_string()),
        GeneralName::OtherName(..) => ("othername", "<unsupported>".to_owned()),
        _ => ("unknown", String::new()),
    }
}

/// IP addresses as OpenSSL prints them: IPv6 as eight uncompressed groups.
fn ip_text(bytes: &[u8]) -> String {
    if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
        return Ipv4Addr::from(v4).to_string();
    }
    if let Ok(v6) = <[u8; 16]>::try_from(bytes) {
        let groups = Ipv6Addr::from(v6).segments();
        return groups
            .iter()
            .map(|g| format!("{g:X}"))
            .collect::<Vec<_>>()
            .join(":");
    }
    "<invalid>".to_owned()
}

/// Node leaves a name unquoted only when it holds no character that could
/// confuse the comma-separated list: no quote, backslash, comma or apostrophe,
/// and (these are ASCII strings) only printable ASCII.
fn is_safe_alt_name(value: &str) -> bool {
    value
        .bytes()
        .all(|b| !matches!(b, b'"' | b'\\' | b',' | b'\'') && (b' '..=b'~').contains(&b))
}

/// A JSON string literal, as `JSON.stringify` writes it.
fn json_quote(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// OpenSSL's date form: `Nov  3 09:05:01 2026 GMT` (day padded with a space).
fn openssl_time(time: &ASN1Time) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let t = time.to_datetime();
    let month = MONTHS[usize::from(u8::from(t.month())) - 1];
    format!(
        "{month} {:>2} {:02}:{:02}:{:02} {} GMT",
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.year()
    )
}

fn fingerprint(algorithm: &'static ring::digest::Algorithm, der: &[u8]) -> String {
    hex_upper(ring::digest::digest(algorithm, der).as_ref(), ":")
}

fn hex_upper(bytes: &[u8], separator: &str) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
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
    &bytes[first..]
}

/// The serial as OpenSSL's BN_bn2hex writes it: whole bytes, no leading zero bytes.
fn serial_hex(raw: &[u8]) -> String {
    let digits = hex_upper(strip_zeros(raw), "");
    if digits.is_empty() {
        "0".to_owned()
    } else {
        digits
    }
}

fn bit_length(magnitude: &[u8]) -> u32 {
    match magnitude.first() {
        None => 0,
        Some(first) => (magnitude.len() as u32 - 1) * 8 + (8 - first.leading_zeros()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(describe(b"not a certificate").is_err());
        assert!(describe(&[]).is_err());
        assert!(describe(&[0x30, 0x82, 0xff, 0xff]).is_err());
    }

    #[test]
    fn alt_names_with_special_characters_are_json_quoted() {
        let name = GeneralName::DNSName("a,b.test");
        assert_eq!(general_name(&name), "DNS:\"a,b.test\"");
        assert_eq!(
            general_name(&GeneralName::DNSName("ok.test")),
            "DNS:ok.test"
        );
    }

    #[test]
    fn ipv6_is_printed_uncompressed() {
        let mut loopback = [0u8; 16];
        loopback[15] = 1;
        assert_eq!(ip_text(&loopback), "0:0:0:0:0:0:0:1");
        assert_eq!(ip_text(&[127, 0, 0, 1]), "127.0.0.1");
    }

    /// Every field against what Node 20 reports for the same certificates, made
    /// by openssl: an RSA one with every extension, and an EC one.
    #[test]
    fn node_agrees_on_real_certificates() {
        let dir = std::env::temp_dir().join(format!("tls-connect-certinfo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let make = |name: &str, key_args: &[&str], subject: &str, exts: &[&str]| {
            let mut cmd = std::process::Command::new("openssl");
            cmd.args(["req", "-x509", "-nodes", "-days", "3", "-newkey"])
                .args(key_args)
                .args(["-subj", subject, "-keyout"])
                .arg(dir.join(format!("{name}-key.pem")))
                .arg("-out")
                .arg(dir.join(format!("{name}.pem")));
            for ext in exts {
                cmd.args(["-addext", ext]);
            }
            assert!(cmd.output().unwrap().status.success());
            dir.join(format!("{name}.pem"))
        };
        let rsa = make(
            "rsa",
            &["rsa:2048"],
            "/C=US/O=Research/OU=a/OU=b/CN=localhost/emailAddress=x@y.test",
            &[
                "subjectAltName=DNS:localhost,DNS:*.example.test,IP:127.0.0.1,IP:::1,email:a@b.test,URI:http://u.test/p",
                "authorityInfoAccess=OCSP;URI:http://ocsp.example.test,caIssuers;URI:http://ca.example.test/ca.pem",
                "extendedKeyUsage=clientAuth,serverAuth",
            ],
        );
        let ec = make(
            "ec",
            &["ec", "-pkeyopt", "ec_paramgen_curve:P-384"],
            "/CN=ec.test",
            &["basicConstraints=critical,CA:FALSE"],
        );
        for pem_path in [rsa, ec] {
            let pem = std::fs::read(&pem_path).unwrap();
            let der = crate::verify::certificates_in(&pem).remove(0);
            let ours = describe(der.as_ref()).unwrap();
            let script = "const c = new (require('crypto').X509Certificate)(require('fs').readFileSync(process.argv[1]));
                const o = c.toLegacyObject();
                const pairs = (n) => Object.entries(n || {}).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, x]));
                console.log(JSON.stringify({
                  subject: pairs(o.subject), issuer: pairs(o.issuer),
                  subjectaltname: o.subjectaltname ?? null, infoAccess: o.infoAccess ? pairs(o.infoAccess) : null,
                  ca: o.ca, bits: o.bits ?? null, modulus: o.modulus ?? null, exponent: o.exponent ?? null,
                  pubkey: o.pubkey ? o.pubkey.toString('hex') : null, asn1Curve: o.asn1Curve ?? null, nistCurve: o.nistCurve ?? null,
                  valid_from: o.valid_from, valid_to: o.valid_to, fingerprint: o.fingerprint,
                  fingerprint256: o.fingerprint256, fingerprint512: o.fingerprint512,
                  ext_key_usage: o.ext_key_usage ?? null, serialNumber: o.serialNumber }));";
            let node = crate::node_oracle::run(script, &[pem_path.as_os_str()]);
            let json =
                |v: &Option<String>| v.as_ref().map_or("null".to_owned(), |s| format!("{s:?}"));
            let pairs = |v: &[(String, String)]| {
                let items: Vec<String> = v.iter().map(|(k, x)| format!("[{k:?},{x:?}]")).collect();
                format!("[{}]", items.join(","))
            };
            let ours_json = format!(
                "{{\"subject\":{},\"issuer\":{},\"subjectaltname\":{},\"infoAccess\":{},\"ca\":{},\"bits\":{},\"modulus\":{},\"exponent\":{},\"pubkey\":{},\"asn1Curve\":{},\"nistCurve\":{},\"valid_from\":{:?},\"valid_to\":{:?},\"fingerprint\":{:?},\"fingerprint256\":{:?},\"fingerprint512\":{:?},\"ext_key_usage\":{},\"serialNumber\":{:?}}}",
                pairs(&ours.subject),
                pairs(&ours.issuer),
                json(&ours.subjectaltname),
                ours.info_access.as_deref().map_or("null".to_owned(), pairs),
                ours.ca,
                ours.bits.map_or("null".to_owned(), |b| b.to_string()),
                json(&ours.modulus),
                json(&ours.exponent),
                json(&ours.pubkey.as_deref().map(|p| hex_upper(p, "").to_ascii_lowercase())),
                json(&ours.asn1_curve),
                json(&ours.nist_curve),
                ours.valid_from,
                ours.valid_to,
                ours.fingerprint,
                ours.fingerprint256,
                ours.fingerprint512,
                ours.ext_key_usage.as_ref().map_or("null".to_owned(), |v| format!(
                    "[{}]",
                    v.iter().map(|o| format!("{o:?}")).collect::<Vec<_>>().join(",")
                )),
                ours.serial_number,
            );
            assert_eq!(ours_json, node.trim(), "for {}", pem_path.display());
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
