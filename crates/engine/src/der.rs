//! The engine's one DER writer: the few encodings it makes itself (an RSA
//! SubjectPublicKeyInfo as OpenSSL re-encodes it, a name value's DER for
//! `X509_NAME_print_ex`, the public key bits PKCS#12 compares), and what tests
//! build certificates and bundles with. Reading DER is x509-parser's work, or
//! OpenSSL-shaped BER reading in `credentials::pkcs12`.

/// The identifier byte of a SEQUENCE.
pub(crate) const SEQUENCE: u8 = 0x30;
/// The identifier byte of an INTEGER.
pub(crate) const INTEGER: u8 = 0x02;

/// An element with a one-byte identifier (`tag`, a tag number below 31 with
/// its class and constructed bits) whose contents are `parts` joined.
pub(crate) fn tlv(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let len = parts.iter().map(|part| part.len()).sum();
    let mut out = Vec::with_capacity(len + 10);
    out.push(tag);
    push_length(len, &mut out);
    for part in parts {
        out.extend_from_slice(part);
    }
    out
}

/// `SEQUENCE { parts… }`, each part a whole encoding.
pub(crate) fn sequence(parts: &[&[u8]]) -> Vec<u8> {
    tlv(SEQUENCE, parts)
}

/// A non-negative INTEGER from its big-endian magnitude: leading zero bytes
/// dropped, and one put back where the sign bit would read as negative.
pub(crate) fn unsigned_integer(magnitude: &[u8]) -> Vec<u8> {
    let digits = trim_leading_zeros(magnitude);
    let pad: &[u8] = if digits.first().is_none_or(|b| b & 0x80 != 0) {
        &[0]
    } else {
        &[]
    };
    tlv(INTEGER, &[pad, digits])
}

/// Appends an identifier: `class` (0 universal to 3 private), the constructed
/// bit, and `number`, in the long form from 31 on.
pub(crate) fn push_identifier(class: u8, constructed: bool, number: u32, out: &mut Vec<u8>) {
    let leading = (class << 6) | if constructed { 0x20 } else { 0 };
    if number < 31 {
        // Below 31, so it fits the identifier's five bits.
        out.push(leading | number as u8);
    } else {
        out.push(leading | 0x1f);
        out.extend(base128(number));
    }
}

/// Appends a length: one byte below 128, else the count of its big-endian
/// bytes (high bit set) and those bytes.
pub(crate) fn push_length(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let digits = trim_leading_zeros(&bytes);
        // A usize has at most 16 bytes.
        out.push(0x80 | digits.len() as u8);
        out.extend_from_slice(digits);
    }
}

/// `n` in base 128, most significant digit first, the high bit set on all but
/// the last: a long-form tag number, or one arc of an OBJECT IDENTIFIER.
pub(crate) fn base128(mut n: u32) -> Vec<u8> {
    let mut digits = vec![(n & 0x7f) as u8];
    n >>= 7;
    while n > 0 {
        digits.push(0x80 | (n & 0x7f) as u8);
        n >>= 7;
    }
    digits.reverse();
    digits
}

/// A big-endian number without its leading zero bytes (empty for zero).
pub(crate) fn trim_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    bytes.get(first..).unwrap_or(&[])
}
