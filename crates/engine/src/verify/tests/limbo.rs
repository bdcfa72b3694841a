//! Chain verdicts on x509-limbo cases (js/test/limbo/limbo.json), asserting
//! Node 26's answer where the engine once differed from it. The whole suite is
//! compared with Node 26 itself by js/test/limbo.test.mjs.

use rustls::pki_types::{CertificateDer, UnixTime};
use serde_json::Value;

use super::{certificates_in, ring, verify_chain, TrustStore};
use crate::options::Pem;

/// The suite, committed beside the JavaScript test that runs it whole.
fn suite() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../js/test/limbo/limbo.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("limbo.json")).expect("JSON")
}

fn texts(case: &Value, field: &str) -> Vec<String> {
    case[field]
        .as_array()
        .expect("a list")
        .iter()
        .map(|pem| pem.as_str().expect("PEM").to_owned())
        .collect()
}

/// The chain verdict (the code, or "authorized") on one case, now, as a
/// client with the case's `ca` and `crl` sees the chain its server sends.
fn limbo_verdict(suite: &Value, id: &str) -> String {
    let case = suite["testcases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|case| case["id"] == id)
        .unwrap_or_else(|| panic!("no case {id}"));
    verdict_of(case)
}

fn verdict_of(case: &Value) -> String {
    let ca: Vec<Pem> = texts(case, "trusted_certs")
        .into_iter()
        .map(Pem::Text)
        .collect();
    let crls: Vec<Pem> = texts(case, "crls").into_iter().map(Pem::Text).collect();
    let mut trust = TrustStore::from_ca(Some(&ca));
    if !crls.is_empty() {
        trust = trust.with_crls(Some(&crls)).expect("CRLs parse");
    }
    let mut chain: Vec<CertificateDer<'static>> =
        certificates_in(case["peer_certificate"].as_str().expect("PEM").as_bytes());
    for pem in texts(case, "untrusted_intermediates") {
        chain.extend(certificates_in(pem.as_bytes()));
    }
    match verify_chain(&trust, &ring(), &chain, UnixTime::now()) {
        Ok(()) => "authorized".to_owned(),
        Err(err) => err.code,
    }
}

/// Asserts Node 26's chain verdict on each case.
fn assert_node_26(cases: &[(&str, &str)]) {
    let suite = suite();
    for (id, node) in cases {
        assert_eq!(limbo_verdict(&suite, id), *node, "{id}");
    }
}

/// Chains webpki accepts and OpenSSL (so Node 26) refuses, for what OpenSSL
/// checks beyond webpki: a trust anchor's extensions, how an issuer may sign,
/// a CRL's extensions and its issuer's keyUsage.
#[test]
fn what_webpki_accepts_and_node_26_refuses() {
    assert_node_26(&[
        // A root with a critical authorityKeyIdentifier: OpenSSL does not handle it.
        ("rfc5280::aki::critical-aki", "UNSPECIFIED"),
        // A root with a critical subjectKeyIdentifier issues nothing.
        (
            "rfc5280::ski::critical-ski",
            "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        ),
        ("rfc5280::unknown-critical-extension-root", "UNSPECIFIED"),
        // authorityCertIssuer names another issuer: the root is not self-signed.
        (
            "webpki::aki::root-with-aki-authoritycertissuer",
            "UNABLE_TO_GET_ISSUER_CERT",
        ),
        // cA without keyCertSign: not the issuer of the leaf.
        (
            "rfc5280::root-inconsistent-ca-extensions",
            "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        ),
        ("crl::issuer-missing-crlsign", "UNSPECIFIED"),
        ("crl::crlnumber-critical", "UNSPECIFIED"),
        // OpenSSL builds the path through the constrained intermediate (or to
        // no root), where webpki backtracks to another.
        ("rfc5280::nc::nc-forbids-same-chain-ica", "UNSPECIFIED"),
        (
            "rfc5280::nc::nc-forbids-alternate-chain-ica",
            "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
        ),
    ]);
}

/// Chains both refuse, named as OpenSSL names them.
#[test]
fn refusals_named_as_node_26_names_them() {
    assert_node_26(&[
        (
            "pathlen::intermediate-violates-pathlen-0",
            "PATH_LENGTH_EXCEEDED",
        ),
        (
            "pathlen::intermediate-pathlen-too-long",
            "PATH_LENGTH_EXCEEDED",
        ),
        ("rfc5280::eku::ee-eku-empty", "INVALID_PURPOSE"),
        ("rfc5280::unknown-critical-extension-ee", "UNSPECIFIED"),
        (
            "rfc5280::unknown-critical-extension-intermediate",
            "UNSPECIFIED",
        ),
        ("rfc5280::ee-critical-aia-invalid", "UNSPECIFIED"),
        // A leaf OpenSSL flags invalid has no issuer.
        (
            "rfc5280::duplicate-extensions",
            "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        ),
        ("rfc5280::san::malformed", "UNABLE_TO_VERIFY_LEAF_SIGNATURE"),
        ("rfc5280::nc::invalid-ipv4-address", "UNSPECIFIED"),
        ("rfc5280::nc::invalid-dnsname-wildcard", "UNSPECIFIED"),
    ]);
}

/// What the checks above must not refuse: an unparsable extension OpenSSL
/// does not decode up front, an unknown critical extension in a certificate
/// off the path.
#[test]
fn what_node_26_still_accepts() {
    assert_node_26(&[
        ("webpki::malformed-aia", "authorized"),
        (
            "rfc5280::unknown-critical-extension-unrelated-root",
            "authorized",
        ),
        ("crl::issuer-valid-crlsign-and-keycertsign", "authorized"),
        ("rfc5280::nc::permitted-dns-match", "authorized"),
        ("pathlen::ee-with-intermediate-pathlen-1", "authorized"),
    ]);
}
