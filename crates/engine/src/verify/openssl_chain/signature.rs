//! Signatures as OpenSSL's chain checks verify them: the signed part of a
//! certificate or CRL, the issuer's key, whether that key's type can make the
//! signature at all, and the check itself with webpki's algorithms.

use rustls::crypto::WebPkiSupportedAlgorithms;
use x509_parser::asn1_rs::{Any, FromDer, Oid};

/// A signature and what it covers.
pub(super) struct Signed<'a> {
    /// The signed bytes (a tbsCertificate or tbsCertList, whole).
    pub(super) message: &'a [u8],
    /// The contents of the signature's AlgorithmIdentifier.
    pub(super) algorithm: &'a [u8],
    /// The signature.
    pub(super) signature: &'a [u8],
}

impl<'a> Signed<'a> {
    /// The three parts of a signed X.509 structure (certificate or CRL).
    pub(super) fn parse(der: &'a [u8]) -> Option<Self> {
        let (_, outer) = Any::from_der(der).ok()?;
        let body = outer.data;
        let (rest, _) = Any::from_der(body).ok()?;
        let message = body.get(..body.len().saturating_sub(rest.len()))?;
        let (rest, algorithm) = Any::from_der(rest).ok()?;
        let (_, signature) = Any::from_der(rest).ok()?;
        Some(Self {
            message,
            algorithm: algorithm.data,
            signature: bit_string(signature.data)?,
        })
    }
}

/// The bytes of a BIT STRING's contents (whole bytes only, as keys and signatures are).
fn bit_string(contents: &[u8]) -> Option<&[u8]> {
    match contents.split_first() {
        Some((0, bits)) => Some(bits),
        _ => None,
    }
}

/// A public key as webpki's algorithms take it.
pub(super) struct Key<'a> {
    /// The contents of its AlgorithmIdentifier.
    algorithm: &'a [u8],
    /// The subjectPublicKey bits.
    bits: &'a [u8],
}

impl<'a> Key<'a> {
    /// Whether OpenSSL's security level 2 finds the key too small.
    pub(super) fn too_small(&self) -> bool {
        super::key_level::too_small(self.algorithm, self.bits)
    }

    /// From a whole SubjectPublicKeyInfo.
    pub(super) fn parse(spki: &'a [u8]) -> Option<Self> {
        let (_, outer) = Any::from_der(spki).ok()?;
        let (rest, algorithm) = Any::from_der(outer.data).ok()?;
        let (_, key) = Any::from_der(rest).ok()?;
        Some(Self {
            algorithm: algorithm.data,
            bits: bit_string(key.data)?,
        })
    }
}

/// Families of keys and of the signatures they make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Ec,
    Rsa,
    RsaPss,
    Ed25519,
    Ed448,
    Dsa,
    Unknown,
}

/// The family of a key, by its algorithm OID.
fn key_family(algorithm: &[u8]) -> Family {
    match oid_of(algorithm).as_deref() {
        Some("1.2.840.10045.2.1") => Family::Ec,
        Some("1.2.840.113549.1.1.1") => Family::Rsa,
        Some("1.2.840.113549.1.1.10") => Family::RsaPss,
        Some("1.3.101.112") => Family::Ed25519,
        Some("1.3.101.113") => Family::Ed448,
        Some("1.2.840.10040.4.1") => Family::Dsa,
        _ => Family::Unknown,
    }
}

/// The family of key a signature algorithm needs, by its OID.
fn signature_family(algorithm: &[u8]) -> Family {
    let Some(oid) = oid_of(algorithm) else {
        return Family::Unknown;
    };
    match oid.as_str() {
        "1.2.840.113549.1.1.10" => Family::RsaPss,
        "1.3.101.112" => Family::Ed25519,
        "1.3.101.113" => Family::Ed448,
        "1.3.14.3.2.29" => Family::Rsa,
        "1.2.840.10040.4.3" => Family::Dsa,
        _ if oid.starts_with("1.2.840.10045.4.") => Family::Ec,
        _ if oid.starts_with("1.2.840.113549.1.1.") => Family::Rsa,
        _ if oid.starts_with("2.16.840.1.101.3.4.3.") => Family::Dsa,
        _ => Family::Unknown,
    }
}

/// The OID that opens an AlgorithmIdentifier's contents, dotted.
fn oid_of(algorithm: &[u8]) -> Option<String> {
    Oid::from_der(algorithm)
        .ok()
        .map(|(_, oid)| oid.to_id_string())
}

/// OpenSSL's `check_sig_alg_match`: the issuer's key is of the kind the
/// subject's signature needs (an RSA key may also make RSA-PSS signatures).
/// Kinds this model does not know are left to the signature check.
pub(super) fn key_fits(key: &Key<'_>, signed: &Signed<'_>) -> bool {
    match (
        key_family(key.algorithm),
        signature_family(signed.algorithm),
    ) {
        (Family::Unknown, _) | (_, Family::Unknown) => true,
        (Family::Rsa, Family::RsaPss) => true,
        (key, signature) => key == signature,
    }
}

/// What checking one signature came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Signature {
    Valid,
    Invalid,
    /// No algorithm webpki has fits this key and signature algorithm.
    Unsupported,
}

/// Verifies `signed` with `key`, by the algorithm webpki would use for them.
pub(super) fn check_signature(
    algorithms: &WebPkiSupportedAlgorithms,
    key: &Key<'_>,
    signed: &Signed<'_>,
) -> Signature {
    let mut fitting = algorithms
        .all
        .iter()
        .filter(|alg| {
            alg.public_key_alg_id().as_ref() == key.algorithm
                && alg.signature_alg_id().as_ref() == signed.algorithm
        })
        .peekable();
    if fitting.peek().is_none() {
        return Signature::Unsupported;
    }
    let valid = fitting.any(|alg| {
        alg.verify_signature(key.bits, signed.message, signed.signature)
            .is_ok()
    });
    if valid {
        Signature::Valid
    } else {
        Signature::Invalid
    }
}
