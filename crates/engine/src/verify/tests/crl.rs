//! Node's `crl`: parsed as Node's `addCRL` parses it, and a chain whose every
//! issuer published a CRL that does not list it still verifies.

use rustls::pki_types::UnixTime;
use test_pki::{Ca, LeafSpec};

use super::ring;
use crate::options::Pem;
use crate::verify::{certificates_in, verify_chain, TrustStore};

#[test]
fn a_crl_that_lists_nothing_of_the_chain_lets_it_verify() {
    let root = Ca::new_root("crl unit-test root");
    let leaf = root.issue(&LeafSpec::server("localhost", &["localhost"]));
    let trust = TrustStore::from_ca(Some(&[Pem::Text(root.cert_pem())]))
        .with_crls(Some(&[Pem::Text(root.crl_revoking(&[]))]))
        .expect("the CRL parses");
    let algorithms = ring();
    let verdict = verify_chain(
        &trust,
        &algorithms,
        &certificates_in(leaf.cert_pem.as_bytes()),
        UnixTime::now(),
    );
    assert_eq!(verdict, Ok(()));
}

#[test]
fn text_without_a_crl_fails_as_node_add_crl_does() {
    for junk in [
        "garbage",
        "",
        "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n",
    ] {
        let err = TrustStore::default_roots()
            .with_crls(Some(&[Pem::Text(junk.into())]))
            .expect_err("no CRL in the text");
        assert_eq!(err.code, "ERR_CRYPTO_OPERATION_FAILED");
        assert_eq!(err.message, "Failed to parse CRL");
    }
    assert!(TrustStore::default_roots().with_crls(Some(&[])).is_ok());
}
