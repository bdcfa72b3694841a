//! The bounds of `verify::bounds` on chains shaped to make a verifier work
//! (x509-limbo's `pathological::*` shapes, made fresh by
//! `test_pki::hostile`): each verdict is Node 26's for the same chain served
//! by a Node server (asked again by `tests/bounds.rs`), except where the
//! bound is ours and written down. The work of each verdict is counted, not
//! timed: the signatures it checked (the costly step of path building), which
//! webpki's budget and the model's one path bound.

use std::cell::Cell;
use std::sync::OnceLock;

use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{
    AlgorithmIdentifier, CertificateDer, InvalidSignature, SignatureVerificationAlgorithm, UnixTime,
};
use test_pki::hostile::{long_chain, name_constraint_flood, same_name_chain};
use test_pki::{Ca, LeafSpec};

use super::{der_of, ring, trusting};
use crate::verify::{bounds, verify_chain, TrustStore};

/// The most signatures one verdict may check: webpki's budget (100), then
/// one per link of the model's path (at most 102 certificates, as OpenSSL's).
const MAX_SIGNATURE_CHECKS: usize = 100 + 101;

thread_local! {
    /// Signatures checked on this thread by [`counting`]'s algorithms.
    static SIGNATURE_CHECKS: Cell<usize> = const { Cell::new(0) };
}

/// One of ring's algorithms, counting its checks.
#[derive(Debug)]
struct Counted(&'static dyn SignatureVerificationAlgorithm);

impl SignatureVerificationAlgorithm for Counted {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        SIGNATURE_CHECKS.with(|checks| checks.set(checks.get() + 1));
        self.0.verify_signature(public_key, message, signature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.0.public_key_alg_id()
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.0.signature_alg_id()
    }
}

/// ring's algorithms, each counting its checks.
fn counting() -> WebPkiSupportedAlgorithms {
    static COUNTING: OnceLock<WebPkiSupportedAlgorithms> = OnceLock::new();
    *COUNTING.get_or_init(|| {
        let base = ring();
        let all: Vec<&'static dyn SignatureVerificationAlgorithm> = base
            .all
            .iter()
            .map(|&algorithm| {
                let counted: &'static Counted = Box::leak(Box::new(Counted(algorithm)));
                counted as &'static dyn SignatureVerificationAlgorithm
            })
            .collect();
        WebPkiSupportedAlgorithms {
            all: Box::leak(all.into_boxed_slice()),
            mapping: base.mapping,
        }
    })
}

/// The verdict ("authorized" or the code), after checking that it cost no
/// more signature checks than the bounds allow.
fn bounded(trust: &TrustStore, chain: &[CertificateDer<'_>]) -> String {
    SIGNATURE_CHECKS.with(|checks| checks.set(0));
    let verdict = match verify_chain(trust, &counting(), chain, UnixTime::now()) {
        Ok(()) => "authorized".to_owned(),
        Err(err) => err.code,
    };
    let checks = SIGNATURE_CHECKS.with(Cell::get);
    assert!(
        checks <= MAX_SIGNATURE_CHECKS,
        "{verdict} after {checks} signature checks"
    );
    verdict
}

/// A name-constraint flood's verdict: the root trusted, the leaf served alone.
fn flood_verdict(permitted: usize, san_names: usize, subject_names: usize) -> String {
    let flood = name_constraint_flood("localhost", permitted, san_names, subject_names);
    let trust = trusting(&[&der_of(&flood.root.cert_pem())]);
    bounded(&trust, &[CertificateDer::from(flood.leaf.cert_der)])
}

/// OpenSSL's guard: a leaf's names (two subject attributes, CN and O, its
/// SANs, its extra subject attributes) times a CA's constraints (twice
/// `permitted`) may reach 2^20, not more; Node says UNSPECIFIED above it.
#[test]
fn name_checks_over_openssls_guard_are_unspecified() {
    // 2 + 1 + 1021 = 1,024 names against 1,024 constraints: checked, and compliant.
    assert_eq!(flood_verdict(512, 1, 1021), "authorized");
    // One name more: over 2^20, refused before any name is compared.
    assert_eq!(flood_verdict(512, 1, 1022), "UNSPECIFIED");
    // x509-limbo's nc-dos shapes: 2,048 SANs, or 2,048 subject attributes
    // (webpki compares SANs only, and accepted the latter before).
    assert_eq!(flood_verdict(2049, 2048, 0), "UNSPECIFIED");
    assert_eq!(flood_verdict(2049, 1, 2048), "UNSPECIFIED");
}

/// webpki compares names within a budget of 250,000 comparisons: 300 SANs
/// against 600 constraints fit; 600 against 1,200 do not, and the spent budget
/// is refused with Node's code for a spent budget. Node, whose guard is 2^20,
/// checks that one and accepts it (a written-down difference).
#[test]
fn webpkis_name_budget_spent_is_unspecified() {
    assert_eq!(flood_verdict(300, 300, 0), "authorized");
    assert_eq!(flood_verdict(600, 600, 0), "UNSPECIFIED");
}

/// webpki's path search backtracks over same-named issuers without checking a
/// signature until it reaches an anchor, so signature counts cannot show its
/// work: what bounds it is that such chains never reach it. Up to two
/// repeated subject names (a cross-signed issuer) it judges; from three on,
/// the model alone; the same certificate sent twice is not a repeat.
#[test]
fn repeated_names_keep_webpkis_search_out() {
    let chain_of = |count| {
        let (_, cas) = same_name_chain("tls-connect same name", count, "localhost");
        cas.into_iter()
            .map(CertificateDer::from)
            .collect::<Vec<_>>()
    };
    assert!(!bounds::webpki_may_explode(&chain_of(3)));
    assert!(bounds::webpki_may_explode(&chain_of(4)));
    assert!(bounds::webpki_may_explode(&chain_of(100)));
    let root = Ca::new_root("repeats root");
    let intermediate = CertificateDer::from(root.issue_intermediate("repeats").cert_der());
    let duplicates = vec![intermediate; 8];
    assert!(!bounds::webpki_may_explode(&duplicates));
}

/// Intermediates sharing one name, each with its own key: webpki would try
/// every order of them (200,000 steps); the OpenSSL model builds one path, as
/// Node does, and gives Node's answer.
#[test]
fn same_name_intermediates_are_judged_once() {
    let root = Ca::new_root("same-name unrelated root");
    let trust = trusting(&[&der_of(&root.cert_pem())]);
    for count in [3, 8, 100] {
        let (leaf, cas) = same_name_chain("tls-connect same name", count, "localhost");
        let mut chain = vec![CertificateDer::from(leaf.cert_der)];
        chain.extend(cas.into_iter().map(CertificateDer::from));
        assert_eq!(
            bounded(&trust, &chain),
            "SELF_SIGNED_CERT_IN_CHAIN",
            "{count}"
        );
    }
}

/// Chains longer than webpki's six intermediates go to the OpenSSL model,
/// which builds as deep as OpenSSL: 8, 12 and 100 intermediates are
/// authorized, 101 are not (Node 26's answers), each verdict with a signature
/// check per link at most. Past the hundredth, served certificates are not
/// considered.
#[test]
fn chain_depth_is_bounded() {
    let root = Ca::new_root("long chain root");
    let trust = trusting(&[&der_of(&root.cert_pem())]);
    let chain_of = |intermediates: &[Ca]| {
        let leaf = intermediates[0].issue(&LeafSpec::server("localhost", &["localhost"]));
        let mut chain = vec![CertificateDer::from(leaf.cert_der)];
        chain.extend(
            intermediates
                .iter()
                .map(|ca| CertificateDer::from(ca.cert_der())),
        );
        chain
    };
    let long = long_chain(&root, 101);
    for intermediates in [8, 12, 100] {
        let chain = chain_of(&long[long.len() - intermediates..]);
        assert_eq!(bounded(&trust, &chain), "authorized", "{intermediates}");
    }
    assert_eq!(
        bounded(&trust, &chain_of(&long)),
        "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"
    );
    // The leaf's issuer sent after a hundred others is not looked at.
    let mut late = chain_of(&long[93..94]);
    let padding: Vec<CertificateDer<'_>> = (0..100)
        .map(|_| CertificateDer::from(long[0].cert_der()))
        .collect();
    late.splice(1..1, padding);
    assert_ne!(bounded(&trust, &late), "authorized");
}

/// The same intermediate sent three times over is still the chain webpki
/// judges (servers send duplicates); the leaf's issuer among them is found.
#[test]
fn duplicate_certificates_are_one() {
    let root = Ca::new_root("duplicates root");
    let intermediate = root.issue_intermediate("duplicates intermediate");
    let leaf = intermediate.issue(&LeafSpec::server("localhost", &["localhost"]));
    let trust = trusting(&[&der_of(&root.cert_pem())]);
    let mut chain = vec![CertificateDer::from(leaf.cert_der)];
    chain.extend((0..4).map(|_| CertificateDer::from(intermediate.cert_der())));
    assert_eq!(bounded(&trust, &chain), "authorized");
}
