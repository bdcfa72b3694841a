//! RSA-PSS keys as the openssl CLI makes them: the algorithm table verifies
//! their signatures, refuses tampered ones and key forms it has no algorithm
//! for, and the chain verdict takes a chain of them.

use rustls::pki_types::UnixTime;
use rustls::pki_types::{CertificateDer, SignatureVerificationAlgorithm, SubjectPublicKeyInfoDer};
use test_pki::TempDir;

use super::*;
use crate::offload::signatures::ALGORITHMS;
use crate::options::Pem;
use crate::verify::{certificates_in, verify_chain, TrustStore};

/// The PSS signature of `message` by `{name}.key` with `digest`, salt as long as the hash.
fn sign(dir: &TempDir, name: &str, digest: &str, message: &[u8]) -> Vec<u8> {
    dir.write("message", message);
    let key = format!("{name}.key");
    let digest = format!("-{digest}");
    let args = [
        "dgst",
        &digest,
        "-sign",
        &key,
        "-sigopt",
        "rsa_padding_mode:pss",
        "-sigopt",
        "rsa_pss_saltlen:digest",
        "message",
    ];
    dir.openssl(&args)
}

/// `alg`'s verdict as webpki reaches it: the key's form first, then the signature.
fn check(
    alg: &dyn SignatureVerificationAlgorithm,
    spki: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), webpki::Error> {
    let spki = SubjectPublicKeyInfoDer::from(spki);
    webpki::RawPublicKeyEntity::try_from(&spki)?.verify_signature(alg, message, signature)
}

fn key_refused(result: Result<(), webpki::Error>) -> bool {
    matches!(
        result,
        Err(webpki::Error::UnsupportedSignatureAlgorithmForPublicKeyContext(_))
    )
}

fn bad_signature(result: Result<(), webpki::Error>) -> bool {
    matches!(result, Err(webpki::Error::InvalidSignatureForPublicKey))
}

#[test]
fn a_key_without_parameters_verifies_each_hash() {
    let Some(dir) = TempDir::for_openssl("pss-keys") else {
        return;
    };
    let spki = dir.rsa_pss_key("plain", &[]);
    let message = b"a handshake transcript, say";
    for (digest, alg, other) in [
        ("sha256", &UNRESTRICTED_SHA256, &UNRESTRICTED_SHA384),
        ("sha384", &UNRESTRICTED_SHA384, &UNRESTRICTED_SHA512),
        ("sha512", &UNRESTRICTED_SHA512, &UNRESTRICTED_SHA256),
    ] {
        let signature = sign(&dir, "plain", digest, message);
        assert_eq!(check(alg, &spki, message, &signature), Ok(()), "{digest}");
        assert!(bad_signature(check(
            alg,
            &spki,
            b"another message",
            &signature
        )));
        let mut tampered = signature.clone();
        tampered[10] ^= 1;
        assert!(bad_signature(check(alg, &spki, message, &tampered)));
        // Another hash's algorithm does not verify it.
        assert!(bad_signature(check(other, &spki, message, &signature)));
        // The restricted forms are not this key's.
        for restricted in [&SHA256_KEY, &SHA384_KEY, &SHA512_KEY] {
            assert!(key_refused(check(restricted, &spki, message, &signature)));
        }
    }
}

#[test]
fn a_key_with_parameters_verifies_its_hash_only() {
    let Some(dir) = TempDir::for_openssl("pss-keys") else {
        return;
    };
    for (digest, salt, alg) in [
        ("sha256", "32", &SHA256_KEY),
        ("sha384", "48", &SHA384_KEY),
        ("sha512", "64", &SHA512_KEY),
    ] {
        let options = [
            format!("rsa_pss_keygen_md:{digest}"),
            format!("rsa_pss_keygen_mgf1_md:{digest}"),
            format!("rsa_pss_keygen_saltlen:{salt}"),
        ];
        let options: Vec<&str> = options.iter().map(String::as_str).collect();
        let spki = dir.rsa_pss_key(digest, &options);
        let message = b"a handshake transcript, say";
        let signature = sign(&dir, digest, digest, message);
        assert_eq!(check(alg, &spki, message, &signature), Ok(()), "{digest}");
        let mut tampered = signature.clone();
        tampered[0] ^= 0x80;
        assert!(bad_signature(check(alg, &spki, message, &tampered)));
        // Every other algorithm refuses this key form before the signature.
        let others = ALGORITHMS
            .all
            .iter()
            .filter(|other| other.public_key_alg_id() != alg.public_key_alg_id());
        for other in others {
            assert!(key_refused(check(*other, &spki, message, &signature)));
        }
    }
}

#[test]
fn forms_without_an_algorithm_are_refused_without_panic() {
    let Some(dir) = TempDir::for_openssl("pss-keys") else {
        return;
    };
    // OpenSSL's `rsa_pss_keygen_md` alone keeps MGF1 with SHA-1 and a
    // 20-byte salt: no TLS scheme and no algorithm here fit it.
    let spki = dir.rsa_pss_key("md-only", &["rsa_pss_keygen_md:sha256"]);
    let signature = sign(&dir, "md-only", "sha256", b"message");
    for alg in ALGORITHMS.all {
        assert!(key_refused(check(*alg, &spki, b"message", &signature)));
    }
    // Bits that are no RSAPublicKey, and an empty signature.
    for alg in [&UNRESTRICTED_SHA256, &SHA512_KEY] {
        assert!(alg
            .verify_signature(b"not a key", b"message", &signature)
            .is_err());
        assert!(alg.verify_signature(&[], b"message", &[]).is_err());
    }
}

/// The store Node makes of `ca` holding `pem`.
fn trusting(pem: &str) -> TrustStore {
    TrustStore::from_ca(Some(&[Pem::Text(pem.to_owned())]))
}

/// The chain verdict of `leaf` served alone under `root`: "authorized" or the code.
fn verdict(root: &str, leaf: &[u8]) -> String {
    let chain = [CertificateDer::from(leaf.to_vec())];
    match verify_chain(&trusting(root), &ALGORITHMS, &chain, UnixTime::now()) {
        Ok(()) => "authorized".to_owned(),
        Err(err) => err.code,
    }
}

/// `{name}.pem`: a localhost leaf for `{name}.key`, signed by `{issuer}` with
/// RSA-PSS over SHA-256 (the salt as long as the hash); its DER.
fn pss_signed_leaf(dir: &TempDir, name: &str, issuer: &str) -> Vec<u8> {
    let (key, csr, pem) = (
        format!("{name}.key"),
        format!("{name}.csr"),
        format!("{name}.pem"),
    );
    dir.openssl(&[
        "req",
        "-new",
        "-key",
        &key,
        "-subj",
        "/CN=localhost",
        "-out",
        &csr,
    ]);
    dir.write(
        "leaf.ext",
        "basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost\n",
    );
    let (ca, ca_key) = (format!("{issuer}.pem"), format!("{issuer}.key"));
    dir.openssl(&[
        "x509",
        "-req",
        "-in",
        &csr,
        "-CA",
        &ca,
        "-CAkey",
        &ca_key,
        "-set_serial",
        "7",
        "-days",
        "2",
        "-sha256",
        "-sigopt",
        "rsa_padding_mode:pss",
        "-sigopt",
        "rsa_pss_saltlen:digest",
        "-extfile",
        "leaf.ext",
        "-out",
        &pem,
    ]);
    certificates_in(&dir.read(&pem)).remove(0).to_vec()
}

/// A self-signed CA for `{name}.key`, signed with RSA-PSS over SHA-256; its PEM.
fn pss_root(dir: &TempDir, name: &str) -> String {
    let (key, pem) = (format!("{name}.key"), format!("{name}.pem"));
    dir.openssl(&[
        "req",
        "-x509",
        "-new",
        "-key",
        &key,
        "-subj",
        "/CN=pss root",
        "-days",
        "2",
        "-sha256",
        "-sigopt",
        "rsa_padding_mode:pss",
        "-sigopt",
        "rsa_pss_saltlen:digest",
        "-out",
        &pem,
    ]);
    dir.read_text(&pem)
}

#[test]
fn chains_of_pss_keys_are_verified() {
    let Some(dir) = TempDir::for_openssl("pss-chains") else {
        return;
    };
    let full = [
        "rsa_pss_keygen_md:sha256",
        "rsa_pss_keygen_mgf1_md:sha256",
        "rsa_pss_keygen_saltlen:32",
    ];
    for (root_options, leaf_options) in [
        (&[][..], &[][..]),
        (&full[..], &full[..]),
        (&[][..], &full[..]),
    ] {
        dir.rsa_pss_key("root", root_options);
        dir.rsa_pss_key("leaf", leaf_options);
        let root = pss_root(&dir, "root");
        let leaf = pss_signed_leaf(&dir, "leaf", "root");
        assert_eq!(verdict(&root, &leaf), "authorized");
        // The last byte of the leaf's signature changed.
        let mut tampered = leaf.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert_eq!(verdict(&root, &tampered), "CERT_SIGNATURE_FAILURE");
    }
}
