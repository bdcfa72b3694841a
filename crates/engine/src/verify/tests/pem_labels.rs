//! `ca` and `cert` blocks under every label OpenSSL reads a certificate
//! under: `CERTIFICATE`, `X509 CERTIFICATE` and `TRUSTED CERTIFICATE` (the
//! certificate, then OpenSSL's trust settings, as `openssl x509 -trustout`
//! writes it). The differential harness asks Node 26 the same with a
//! connection (`verification.ca-label-*`).

use test_pki::{NewKey, TempDir};

use super::{certificates_in, verdict, TrustStore};
use crate::options::Pem;

#[test]
fn every_certificate_label_openssl_reads_is_read() {
    if !test_pki::require(&["openssl"]) {
        return;
    }
    let dir = TempDir::new("pem-labels");
    dir.self_signed("ca", NewKey::EcP256, "/CN=labels CA", 2, &[]);
    dir.request("leaf", NewKey::EcP256, "/CN=localhost");
    std::fs::write(dir.path("ext"), "subjectAltName=DNS:localhost\n").unwrap();
    let leaf = dir.sign("leaf", "ca", 9, 2, &["-extfile", "ext"]);
    let ca_pem = dir.read_text("ca.pem");
    let trusted = String::from_utf8(
        test_pki::Tool::openssl()
            .current_dir(dir.path(""))
            .args([
                "x509",
                "-in",
                "ca.pem",
                "-trustout",
                "-addtrust",
                "serverAuth",
            ])
            .run(),
    )
    .unwrap();
    assert!(trusted.contains("BEGIN TRUSTED CERTIFICATE"), "{trusted}");
    let old_label = ca_pem.replace("CERTIFICATE-----", "X509 CERTIFICATE-----");
    let ca_der = certificates_in(ca_pem.as_bytes()).remove(0);
    let leaf_der = certificates_in(leaf.cert_pem.as_bytes()).remove(0);
    for pem in [&ca_pem, &trusted, &old_label] {
        assert_eq!(
            certificates_in(pem.as_bytes()),
            vec![ca_der.clone()],
            "{pem}"
        );
        let store = TrustStore::from_ca(Some(&[Pem::Text(pem.clone())]));
        assert_eq!(
            verdict(&store, std::slice::from_ref(&leaf_der)),
            "authorized",
            "{pem}"
        );
    }
    // Another label is not a certificate, to OpenSSL as here.
    let other = ca_pem.replace("CERTIFICATE-----", "CERTIFICATE REQUEST-----");
    assert!(certificates_in(other.as_bytes()).is_empty());
}
