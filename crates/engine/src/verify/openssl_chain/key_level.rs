//! OpenSSL's `check_key_level` at Node 26's security level, 2 (112 bits):
//! RSA and DSA keys of at least 2048 bits, elliptic curves of at least 224.
//! Node 20 ran at level 1 (80 bits), where 1024-bit RSA passed.

use x509_parser::asn1_rs::{Any, FromDer, Oid};

/// The smallest RSA or DSA modulus, in bits, at security level 2.
const MIN_MODULUS_BITS: usize = 2048;
/// Named curves under level 2's minimum of 224 bits, by OID (secp160k1, secp160r1,
/// secp160r2, secp192k1, P-192, and the brainpool and sect curves below 224).
const SMALL_CURVES: &[&str] = &[
    "1.3.132.0.9",
    "1.3.132.0.8",
    "1.3.132.0.30",
    "1.3.132.0.31",
    "1.2.840.10045.3.1.1",
    "1.3.36.3.3.2.8.1.1.1",
    "1.3.36.3.3.2.8.1.1.3",
    "1.3.132.0.1",
    "1.3.132.0.2",
    "1.3.132.0.15",
    "1.3.132.0.24",
    "1.3.132.0.25",
];

/// Whether a SubjectPublicKeyInfo's key is too small for security level 2.
/// Keys this model cannot size pass, left to the signature checks.
pub(super) fn too_small(algorithm: &[u8], key: &[u8]) -> bool {
    let Some((oid, parameters)) = algorithm_parts(algorithm) else {
        return false;
    };
    match oid.as_str() {
        // rsaEncryption and id-RSASSA-PSS: the modulus, the first INTEGER.
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => {
            first_integer_bits(key).is_some_and(|bits| bits < MIN_MODULUS_BITS)
        }
        // DSA: the prime p, the first of the domain parameters.
        "1.2.840.10040.4.1" => {
            first_integer_bits(parameters).is_some_and(|bits| bits < MIN_MODULUS_BITS)
        }
        "1.2.840.10045.2.1" => Oid::from_der(parameters)
            .is_ok_and(|(_, curve)| SMALL_CURVES.contains(&curve.to_id_string().as_str())),
        _ => false,
    }
}

/// An AlgorithmIdentifier's contents: its OID and what follows it.
fn algorithm_parts(contents: &[u8]) -> Option<(String, &[u8])> {
    let (parameters, oid) = Oid::from_der(contents).ok()?;
    Some((oid.to_id_string(), parameters))
}

/// The bit length of the first INTEGER inside a SEQUENCE.
fn first_integer_bits(der: &[u8]) -> Option<usize> {
    let (_, sequence) = Any::from_der(der).ok()?;
    let (_, integer) = Any::from_der(sequence.data).ok()?;
    let magnitude = integer.data;
    let start = magnitude.iter().position(|&b| b != 0)?;
    let top = magnitude[start];
    Some((magnitude.len() - start) * 8 - top.leading_zeros() as usize)
}
