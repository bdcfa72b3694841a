//! The OpenSSL codes for chains webpki refuses, on chains made by rcgen (and
//! the openssl CLI, for what rcgen cannot make: RSA keys ring cannot make,
//! version 1 certificates, `req -x509`'s defaults). Node's answer for each was
//! checked against Node 20's own `tls.connect` by `tests/bad_certificates.rs`
//! and `tests/trust_anchors.rs`.

mod bounds;
mod codes;
mod crl;
mod limbo;
mod openssl_chain;
mod pem_labels;
mod signatures;
mod webpki;

use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, UnixTime};
use test_pki::{Ca, NewKey, TempDir};
use x509_parser::prelude::{FromDer, X509Certificate};

use super::{certificates_in, verify_chain, TrustStore};
use crate::options::Pem;

fn ring() -> WebPkiSupportedAlgorithms {
    rustls::crypto::ring::default_provider().signature_verification_algorithms
}

/// The store Node makes of `ca` holding these certificates.
fn trusting(certs: &[&CertificateDer<'_>]) -> TrustStore {
    let pem: String = certs.iter().map(|der| pem_of(der)).collect();
    TrustStore::from_ca(Some(&[Pem::Text(pem)]))
}

fn pem_of(der: &CertificateDer<'_>) -> String {
    use pkcs8::der::pem::{encode_string, LineEnding};
    encode_string("CERTIFICATE", LineEnding::LF, der).expect("PEM")
}

/// The first certificate of a PEM text.
fn der_of(pem: &str) -> CertificateDer<'static> {
    certificates_in(pem.as_bytes()).remove(0)
}

/// The code of the verdict at `now`, or "authorized".
fn verdict_at(trust: &TrustStore, chain: &[CertificateDer<'_>], now: UnixTime) -> String {
    match verify_chain(trust, &ring(), chain, now) {
        Ok(()) => "authorized".to_owned(),
        Err(err) => err.code,
    }
}

fn verdict(trust: &TrustStore, chain: &[CertificateDer<'_>]) -> String {
    verdict_at(trust, chain, UnixTime::now())
}

/// The same certificate with the last byte of its signature changed.
fn tampered(der: &CertificateDer<'_>) -> CertificateDer<'static> {
    let mut bytes = der.to_vec();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x01;
    CertificateDer::from(bytes)
}

fn is_version_1(der: &CertificateDer<'_>) -> bool {
    let (_, cert) = X509Certificate::from_der(der).expect("parses");
    cert.tbs_certificate.version.0 == 0
}

/// `{name}.pem`: a version 1 certificate (no extensions make version 1) for
/// a new P-256 key and `subject`, valid for ten days, signed by `issuer`
/// (`{issuer}.pem` and `.key` in `dir`), or self-signed when `issuer` is `name`.
fn v1(
    dir: &TempDir,
    name: &str,
    subject: &str,
    issuer: &str,
    serial: u32,
) -> CertificateDer<'static> {
    dir.request(name, NewKey::EcP256, subject);
    CertificateDer::from(dir.sign(name, issuer, serial, 10, &[]).cert_der)
}

/// A scratch directory holding a new root named `root_name` (as `root.pem`
/// and `root.key`) and a version 1 certificate for localhost it signed
/// (`leaf.pem`, `leaf.key`): the directory, the root and the leaf.
fn v1_leaf_of_new_root(root_name: &str, serial: u32) -> (TempDir, Ca, CertificateDer<'static>) {
    let dir = TempDir::new("verify");
    let root = Ca::new_root(root_name);
    dir.write_ca("root", &root);
    let leaf = v1(&dir, "leaf", "/CN=localhost", "root", serial);
    (dir, root, leaf)
}
