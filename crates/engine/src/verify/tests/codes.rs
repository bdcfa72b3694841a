//! OpenSSL's texts for its codes, and which codes Node names.

use crate::verify::openssl_error;
use crate::verify::weak_digests::is_weak_digest;

#[test]
fn codes_node_does_not_name_are_unspecified_with_openssl_text() {
    let err = openssl_error("CERT_HAS_EXPIRED");
    assert_eq!(
        (err.code.as_str(), err.message.as_str()),
        ("CERT_HAS_EXPIRED", "certificate has expired")
    );
    for (name, text) in [
        ("PERMITTED_VIOLATION", "permitted subtree violation"),
        ("CA_MD_TOO_WEAK", "CA signature digest algorithm too weak"),
        ("EE_KEY_TOO_SMALL", "EE certificate key too weak"),
    ] {
        let err = openssl_error(name);
        assert_eq!(
            (err.code.as_str(), err.message.as_str()),
            ("UNSPECIFIED", text)
        );
    }
}

#[test]
fn new_codes_have_openssl_text() {
    for (name, code, text) in [
        (
            "UNABLE_TO_GET_ISSUER_CERT",
            "UNABLE_TO_GET_ISSUER_CERT",
            // Node 26's hint after OpenSSL's text.
            "unable to get issuer certificate; if the root CA is installed locally, \
             try running Node.js with --use-system-ca",
        ),
        (
            "CERT_CHAIN_TOO_LONG",
            "CERT_CHAIN_TOO_LONG",
            "certificate chain too long",
        ),
        (
            "PATH_LENGTH_EXCEEDED",
            "PATH_LENGTH_EXCEEDED",
            "path length constraint exceeded",
        ),
        (
            "CRL_NOT_YET_VALID",
            "CRL_NOT_YET_VALID",
            "CRL is not yet valid",
        ),
        (
            "UNHANDLED_CRITICAL_EXTENSION",
            "UNSPECIFIED",
            "unhandled critical extension",
        ),
    ] {
        let err = openssl_error(name);
        assert_eq!((err.code.as_str(), err.message.as_str()), (code, text));
    }
}

#[test]
fn sha1_and_md5_signatures_are_weak_digests() {
    // AlgorithmIdentifier contents: the OID, then any parameters.
    let ecdsa_sha1 = [0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x01];
    let rsa_sha1 = [
        0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x05, 0x05, 0x00,
    ];
    let rsa_md5 = [
        0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x04, 0x05, 0x00,
    ];
    let rsa_sha256 = [
        0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B, 0x05, 0x00,
    ];
    assert!(is_weak_digest(&ecdsa_sha1));
    assert!(is_weak_digest(&rsa_sha1));
    assert!(is_weak_digest(&rsa_md5));
    assert!(!is_weak_digest(&rsa_sha256));
    assert!(!is_weak_digest(&[0xFF, 0x01]));
    assert!(!is_weak_digest(&[]));
}
