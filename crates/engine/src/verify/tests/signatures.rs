//! Handshake signatures: a key ring refuses is named as OpenSSL names it, and
//! a version 1 certificate's key is used as OpenSSL uses it.

use rustls::pki_types::CertificateDer;
use rustls::{CertificateError, SignatureScheme};
use test_pki::{NewKey, TempDir};

use super::{der_of, ring, v1_leaf_of_new_root};
use crate::error::alert;
use crate::verify::v1_signatures::{verify_by_key, version_1_key};
use crate::verify::verifier::name_small_rsa_key;

/// A self-signed certificate for an RSA key of `bits`, made by openssl.
fn rsa_certificate(bits: u32) -> CertificateDer<'static> {
    let dir = TempDir::new("verify");
    let issued = dir.self_signed("rsa", NewKey::Rsa(bits), "/CN=rsa", 1, &[]);
    CertificateDer::from(issued.cert_der)
}

#[test]
fn rsa_key_under_2048_bits_is_named_as_too_weak() {
    if !test_pki::require(&["openssl"]) {
        return;
    }
    let bad_signature = || rustls::Error::InvalidCertificate(CertificateError::BadSignature);
    let named = alert::from_rustls(&name_small_rsa_key(bad_signature(), &rsa_certificate(1024)));
    assert_eq!(named.code, "UNSPECIFIED");
    assert_eq!(named.message, "EE certificate key too weak");
    // A key ring accepts keeps the failure it had.
    let kept = name_small_rsa_key(bad_signature(), &rsa_certificate(2048));
    assert_eq!(kept, bad_signature());
}

/// `message` signed by the P-256 key in `key.pem` (PKCS#8), ASN.1 form.
fn sign_with(dir: &TempDir, key: &str, message: &[u8]) -> Vec<u8> {
    use ring::rand::SystemRandom;
    use ring::signature::{EcdsaKeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::PrivatePkcs8KeyDer;
    let pkcs8 = PrivatePkcs8KeyDer::from_pem_slice(&dir.read(key)).expect("PKCS#8");
    let rng = SystemRandom::new();
    let pair = EcdsaKeyPair::from_pkcs8(
        &ECDSA_P256_SHA256_ASN1_SIGNING,
        pkcs8.secret_pkcs8_der(),
        &rng,
    )
    .expect("P-256 key");
    pair.sign(&rng, message).expect("signs").as_ref().to_vec()
}

#[test]
fn handshake_signature_by_a_v1_leaf_key_is_verified() {
    if !test_pki::require(&["openssl"]) {
        return;
    }
    let (dir, root, leaf) = v1_leaf_of_new_root("v1 handshake root", 11);
    let spki = version_1_key(&leaf).expect("a version 1 certificate");
    let message = b"the transcript hash, say";
    let signature = sign_with(&dir, "leaf.key", message);
    let scheme = SignatureScheme::ECDSA_NISTP256_SHA256;
    let check = |tls13, message: &[u8], signature: &[u8], scheme| {
        verify_by_key(spki, tls13, message, scheme, signature, &ring())
    };
    assert_eq!(check(true, message, &signature, scheme), Ok(()));
    assert_eq!(check(false, message, &signature, scheme), Ok(()));
    let bad_signature = Err(rustls::Error::InvalidCertificate(
        CertificateError::BadSignature,
    ));
    assert_eq!(
        check(true, b"another message", &signature, scheme),
        bad_signature
    );
    assert_eq!(
        check(false, b"another message", &signature, scheme),
        bad_signature
    );
    // A scheme for another kind of key, and one TLS 1.3 does not allow.
    assert_eq!(
        check(true, message, &signature, SignatureScheme::RSA_PSS_SHA256),
        bad_signature
    );
    assert!(check(true, message, &signature, SignatureScheme::RSA_PKCS1_SHA256).is_err());
    // A version 3 certificate is left to rustls's own check.
    assert_eq!(version_1_key(&der_of(&root.cert_pem())), None);
}
