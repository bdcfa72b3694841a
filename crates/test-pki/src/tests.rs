//! The tools and the openssl-made PKI, run for real (skipped, with a message,
//! where openssl is missing).

use crate::{require, Ca, NewKey, TempDir, Tool};

#[test]
fn stdin_reaches_the_tool_however_long_and_a_failure_says_why() {
    if !require(&["openssl"]) {
        return;
    }
    let decoded = Tool::openssl()
        .args(["base64", "-d"])
        .stdin("aGVsbG8=\n")
        .run();
    assert_eq!(decoded, b"hello");
    // More than a pipe holds, both ways: written while openssl writes.
    let encoded = Tool::openssl()
        .arg("base64")
        .stdin(vec![0u8; 1 << 20])
        .run();
    assert!(encoded.len() > 1 << 20);
    let failure = Tool::openssl()
        .args(["x509", "-in", "no-such-file.pem"])
        .try_run()
        .expect_err("openssl fails");
    assert!(failure.contains("no-such-file.pem"), "{failure}");
}

#[test]
fn openssl_issues_under_an_rcgen_root_and_bundles_what_it_issued() {
    if !require(&["openssl"]) {
        return;
    }
    let dir = TempDir::new("openssl-pki");
    dir.write_ca("root", &Ca::new_root("openssl-pki root"));
    dir.request("leaf", NewKey::EcP256, "/CN=localhost");
    dir.write("leaf.ext", "subjectAltName=DNS:localhost\n");
    let leaf = dir.sign("leaf", "root", 7, 2, &["-extfile", "leaf.ext"]);
    assert!(leaf.key_pem.contains("PRIVATE KEY"));
    let verified = dir.openssl(&["verify", "-CAfile", "root.pem", "leaf.pem"]);
    assert!(String::from_utf8_lossy(&verified).contains("leaf.pem: OK"));
    let bundle = dir
        .pkcs12("leaf", Some("root.pem"), "s3cret", &[])
        .expect("openssl bundles it");
    assert_eq!(bundle, dir.read("leaf.p12"));
}

#[test]
fn a_self_signed_certificate_and_a_version_1_one() {
    if !require(&["openssl"]) {
        return;
    }
    let dir = TempDir::new("openssl-self-signed");
    let rsa = dir.self_signed("rsa", NewKey::Rsa(2048), "/CN=rsa", 2, &[]);
    assert_eq!(rsa.cert_der, dir.issued("rsa").cert_der);
    dir.request("v1", NewKey::EcP256, "/CN=v1");
    dir.sign("v1", "v1", 1, 2, &[]);
    let text = dir.openssl(&["x509", "-noout", "-text", "-in", "v1.pem"]);
    assert!(String::from_utf8_lossy(&text).contains("Version: 1 (0x0)"));
}
