//! The public key fields Node shows, for the key types it describes:
//! rsaEncryption and id-RSASSA-PSS (`bits`, `modulus`, `exponent`, `pubkey`),
//! and id-ecPublicKey on a named curve (`bits`, `pubkey`, `asn1Curve`,
//! `nistCurve`).

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
    let algorithm = dotted(&spki.algorithm.algorithm);
    match algorithm.as_str() {
        // rsaEncryption, and id-RSASSA-PSS, which Node 26 describes alike.
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => {
            let Some((modulus, exponent)) = rsa_numbers(key) else {
                return;
            };
            info.bits = Some(bit_length(modulus));
            info.modulus = Some(bn_print(modulus));
            // Node 26 prints the whole number (Node 20 cut it to 64 bits).
            info.exponent = Some(format!("0x{}", bn_print(exponent).to_ascii_lowercase()));
            let pss = algorithm.ends_with(".10");
            info.pubkey = Some(rsa_spki(modulus, exponent, pss));
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
            // OpenSSL drops a key whose point it cannot decode; the point
            // at infinity (one zero byte) OpenSSL 3.5 keeps, showing no point.
            let point = match key {
                [0] => None,
                _ => Some(curves::ec_point(curve, key)),
            };
            if let Some(None) = point {
                return;
            }
            info.bits = Some(curve.bits);
            info.pubkey = point.flatten();
            info.asn1_curve = Some(curve.asn1.to_owned());
            info.nist_curve = curve.nist.map(str::to_owned);
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
/// RSAPublicKey { n, e }, re-encoded as OpenSSL writes it; for an RSA-PSS
/// key, OpenSSL 3.5 writes rsaEncryption without the NULL.
fn rsa_spki(modulus: &[u8], exponent: &[u8], pss: bool) -> Vec<u8> {
    const RSA_ALGORITHM: &[u8] = &[
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
    ];
    const RSA_ALGORITHM_NO_NULL: &[u8] = &[
        0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
    ];
    let key = der::sequence(&[
        &der::unsigned_integer(modulus),
        &der::unsigned_integer(exponent),
    ]);
    // A BIT STRING with no unused bits.
    let bits = der::tlv(0x03, &[&[0], &key]);
    let algorithm = if pss {
        RSA_ALGORITHM_NO_NULL
    } else {
        RSA_ALGORITHM
    };
    der::sequence(&[algorithm, &bits])
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
