//! The public key fields Node shows, for the two key types it describes:
//! rsaEncryption (`bits`, `modulus`, `exponent`, `pubkey`) and id-ecPublicKey
//! on a named curve (`bits`, `pubkey`, `asn1Curve`, `nistCurve`).

use x509_parser::asn1_rs::{Any, FromDer};
use x509_parser::x509::SubjectPublicKeyInfo;

use super::curves;
use super::format::{dotted, hex_upper};
use super::peer_certificate::PeerCertificate;
use crate::der;

/// Fills in the key's fields of `info`; a key Node does not describe, or one
/// OpenSSL could not decode, leaves them empty.
pub(super) fn describe_key(spki: &SubjectPublicKeyInfo<'_>, info: &mut PeerCertificate) {
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
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .and_then(|oid| curves::named(&dotted(&oid)));
            let Some(curve) = curve else {
                return;
            };
            // OpenSSL drops a key whose point it cannot decode.
            if let Some(point) = curves::ec_point(curve, key) {
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
    Some((
        der::trim_leading_zeros(modulus.data),
        der::trim_leading_zeros(exponent.data),
    ))
}

/// `i2d_RSA_PUBKEY`: SubjectPublicKeyInfo { rsaEncryption, NULL } around
/// RSAPublicKey { n, e }, re-encoded as OpenSSL writes it.
fn rsa_spki(modulus: &[u8], exponent: &[u8]) -> Vec<u8> {
    const RSA_ALGORITHM: &[u8] = &[
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
    ];
    let key = der::sequence(&[
        &der::unsigned_integer(modulus),
        &der::unsigned_integer(exponent),
    ]);
    // A BIT STRING with no unused bits.
    let bits = der::tlv(0x03, &[&[0], &key]);
    der::sequence(&[RSA_ALGORITHM, &bits])
}

/// `BN_get_word`: the value, or all ones when it does not fit in 64 bits.
pub(super) fn word(magnitude: &[u8]) -> u64 {
    if magnitude.len() > 8 {
        return u64::MAX;
    }
    magnitude
        .iter()
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
}

/// `BN_print`: uppercase hex without leading zero digits; `0` for zero.
pub(super) fn bn_print(magnitude: &[u8]) -> String {
    let hex = hex_upper(magnitude, "");
    let digits = hex.trim_start_matches('0');
    if digits.is_empty() {
        "0".to_owned()
    } else {
        digits.to_owned()
    }
}

/// The size in bits of a magnitude without leading zero bytes.
fn bit_length(magnitude: &[u8]) -> u32 {
    match magnitude.first() {
        None => 0,
        Some(first) => {
            let rest = u32::try_from(magnitude.len() - 1).unwrap_or(u32::MAX / 8);
            rest.saturating_mul(8) + (8 - first.leading_zeros())
        }
    }
}
