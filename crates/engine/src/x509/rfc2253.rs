//! A directory name as OpenSSL's `X509_NAME_print_ex` writes it with Node's
//! flags, for `DirName:` entries of `subjectaltname` and `infoAccess`.

use x509_parser::asn1_rs::{Any, Class};
use x509_parser::x509::X509Name;

use super::format::{dotted, hex_upper};
use super::names::{attribute_text, short_name, AttributeText};
use crate::der;

/// A directory name as OpenSSL's `X509_NAME_print_ex` writes it with Node's
/// flags: RFC 2253 order and escaping, but control and non-ASCII bytes kept.
/// `None` when OpenSSL would not decode the name.
pub(super) fn dir_name(name: &X509Name<'_>) -> Option<Vec<u8>> {
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
    let class = match value.header.class() {
        Class::Universal => 0,
        Class::Application => 1,
        Class::ContextSpecific => 2,
        Class::Private => 3,
    };
    let mut encoding = Vec::with_capacity(value.data.len() + 8);
    // Names only hold low tag numbers; a high one is written in its long form.
    der::push_identifier(
        class,
        value.header.is_constructed(),
        value.header.tag().0,
        &mut encoding,
    );
    der::push_length(value.data.len(), &mut encoding);
    encoding.extend_from_slice(value.data);
    out.push(b'#');
    out.extend_from_slice(hex_upper(&encoding, "").as_bytes());
}
