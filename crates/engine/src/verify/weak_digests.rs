//! Signature digests OpenSSL's security level refuses: at Node's default
//! (level 1, 80 bits of security) neither MD5 nor SHA-1 signs a certificate.

use x509_parser::asn1_rs::{FromDer as _, Oid};

/// Signature algorithms over MD2, MD5 or SHA-1, by OID.
const WEAK_DIGEST_SIGNATURES: &[&str] = &[
    "1.2.840.113549.1.1.2", // md2WithRSAEncryption
    "1.2.840.113549.1.1.4", // md5WithRSAEncryption
    "1.2.840.113549.1.1.5", // sha1WithRSAEncryption
    "1.3.14.3.2.29",        // sha1WithRSAEncryption (OIW)
    "1.2.840.10045.4.1",    // ecdsa-with-SHA1
    "1.2.840.10040.4.3",    // dsa-with-sha1
];

/// Whether a signature AlgorithmIdentifier (its contents, as webpki reports
/// them: the OID first) names a digest OpenSSL's security level refuses.
pub(super) fn is_weak_digest(algorithm_id: &[u8]) -> bool {
    Oid::from_der(algorithm_id)
        .is_ok_and(|(_, oid)| WEAK_DIGEST_SIGNATURES.contains(&oid.to_id_string().as_str()))
}
