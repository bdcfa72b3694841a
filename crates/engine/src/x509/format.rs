//! How OpenSSL writes the numbers and identifiers Node shows: OIDs in dotted
//! form, uppercase hex (`BN_bn2hex` serials, colon-separated fingerprints).

use std::fmt::Write as _;

use x509_parser::asn1_rs::Oid;

use crate::der::trim_leading_zeros;

/// An OID in dotted form, as OpenSSL writes it. (asn1-rs misreads a first
/// subidentifier longer than one byte, as in `2.999.1`.)
pub(super) fn dotted(oid: &Oid<'_>) -> String {
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

/// The bytes in uppercase hex, two digits each, `separator` between them.
pub(super) fn hex_upper(bytes: &[u8], separator: &str) -> String {
    let mut out = String::with_capacity(bytes.len() * (2 + separator.len()));
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        let _ = write!(out, "{b:02X}");
    }
    out
}

/// `fingerprint`, `fingerprint256`, `fingerprint512`: the digest of the DER,
/// colon-separated uppercase hex.
pub(super) fn fingerprint(algorithm: &'static ring::digest::Algorithm, der: &[u8]) -> String {
    hex_upper(ring::digest::digest(algorithm, der).as_ref(), ":")
}

/// The serial as `BN_bn2hex` writes it: whole bytes, no leading zero bytes,
/// `0` for zero, and a minus sign before a negative one's magnitude.
pub(super) fn serial_hex(raw: &[u8]) -> String {
    let negative = raw.first().is_some_and(|b| b & 0x80 != 0);
    let magnitude = if negative {
        twos_complement_negate(raw)
    } else {
        raw.to_vec()
    };
    let digits = hex_upper(trim_leading_zeros(&magnitude), "");
    match (digits.is_empty(), negative) {
        (true, _) => "0".to_owned(),
        (false, true) => format!("-{digits}"),
        (false, false) => digits,
    }
}

/// The magnitude of a negative two's-complement number.
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
