//! Chains OpenSSL accepts and webpki refuses (version 1 certificates, a
//! self-signed server certificate in `ca`), `allowPartialTrustChain`, and
//! issuers told apart by key identifier: judged again by the OpenSSL model.
//! Node 20's answer for each was asked of Node itself (`tests/trust_anchors.rs`
//! asks it again against real peers); the forgeries and tampered signatures
//! show nothing is taken on names.

use std::slice;
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, UnixTime};
use test_pki::{self as pki, Ca, LeafSpec, NewKey, TempDir};

use super::{
    der_of, is_version_1, tampered, trusting, v1, v1_leaf_of_new_root, verdict, verdict_at,
};
use crate::options::Pem;
use crate::verify::TrustStore;

#[test]
fn v1_leaf_signed_by_a_trusted_root_is_authorized_by_its_signature() {
    if !test_pki::require(&["openssl"]) {
        return;
    }
    let (dir, root, leaf) = v1_leaf_of_new_root("v1 unit root", 16);
    assert!(is_version_1(&leaf));
    let trust = trusting(&[&der_of(&root.cert_pem())]);
    assert_eq!(verdict(&trust, slice::from_ref(&leaf)), "authorized");
    assert_eq!(
        verdict(&trust, &[tampered(&leaf)]),
        "CERT_SIGNATURE_FAILURE"
    );
    // Another root of the same name and another key: found by name (no key
    // identifiers in a version 1 certificate), then its signature fails.
    let impostor = Ca::new_root("v1 unit root");
    dir.write_ca("impostor", &impostor);
    let forged = v1(&dir, "forged", "/CN=localhost", "impostor", 17);
    assert_eq!(verdict(&trust, &[forged]), "CERT_SIGNATURE_FAILURE");
    // An unknown issuer, and the default roots.
    let stranger = trusting(&[&der_of(&Ca::new_root("stranger").cert_pem())]);
    assert_eq!(
        verdict(&stranger, slice::from_ref(&leaf)),
        "UNABLE_TO_VERIFY_LEAF_SIGNATURE"
    );
    assert_eq!(
        verdict(&TrustStore::default_roots(), &[leaf]),
        "UNABLE_TO_VERIFY_LEAF_SIGNATURE"
    );
}

#[test]
fn v1_leaf_dates_are_checked() {
    if !test_pki::require(&["openssl"]) {
        return;
    }
    let (_dir, root, leaf) = v1_leaf_of_new_root("v1 dated root", 18);
    let trust = trusting(&[&der_of(&root.cert_pem())]);
    let now = UnixTime::now().as_secs();
    let at = |secs: u64| UnixTime::since_unix_epoch(Duration::from_secs(secs));
    let day = 86_400;
    assert_eq!(
        verdict_at(&trust, slice::from_ref(&leaf), at(now - 2 * day)),
        "CERT_NOT_YET_VALID"
    );
    assert_eq!(
        verdict_at(&trust, &[leaf], at(now + 20 * day)),
        "CERT_HAS_EXPIRED"
    );
}

#[test]
fn v1_root_in_ca_anchors_v1_and_v3_leaves() {
    let Some(dir) = TempDir::for_openssl("verify") else {
        return;
    };
    let root = v1(&dir, "root", "/CN=v1 unit anchor", "root", 1);
    let v1_leaf = v1(&dir, "leaf", "/CN=localhost", "root", 2);
    dir.write("leaf.ext", "subjectAltName=DNS:localhost\n");
    // An extensions file makes version 3.
    let v3_leaf = CertificateDer::from(
        dir.sign("leaf", "root", 3, 10, &["-extfile", "leaf.ext"])
            .cert_der,
    );
    let trust = trusting(&[&root]);
    assert_eq!(verdict(&trust, &[v3_leaf]), "authorized");
    assert_eq!(verdict(&trust, slice::from_ref(&v1_leaf)), "authorized");
    assert_eq!(
        verdict(&trust, &[tampered(&v1_leaf)]),
        "CERT_SIGNATURE_FAILURE"
    );
}

#[test]
fn v1_self_signed_leaf_is_trusted_only_as_itself() {
    let Some(dir) = TempDir::for_openssl("verify") else {
        return;
    };
    let own = v1(&dir, "own", "/CN=localhost", "own", 4);
    let other = v1(&dir, "other", "/CN=localhost", "other", 5);
    assert_eq!(
        verdict(&trusting(&[&own]), slice::from_ref(&own)),
        "authorized"
    );
    assert_eq!(
        verdict(&trusting(&[&other]), slice::from_ref(&own)),
        "DEPTH_ZERO_SELF_SIGNED_CERT"
    );
    assert_eq!(
        verdict(&TrustStore::default_roots(), slice::from_ref(&own)),
        "DEPTH_ZERO_SELF_SIGNED_CERT"
    );
    // OpenSSL takes the first certificate of that name in `ca`.
    assert_eq!(
        verdict(&trusting(&[&own, &other]), slice::from_ref(&own)),
        "authorized"
    );
    assert_eq!(
        verdict(&trusting(&[&other, &own]), slice::from_ref(&own)),
        "DEPTH_ZERO_SELF_SIGNED_CERT"
    );
    // Its own signature is checked even so.
    let bad = tampered(&own);
    assert_eq!(
        verdict(&trusting(&[&bad]), &[bad]),
        "CERT_SIGNATURE_FAILURE"
    );
}

#[test]
fn v1_intermediate_is_not_a_ca() {
    let Some(dir) = TempDir::for_openssl("verify") else {
        return;
    };
    let root = Ca::new_root("root of a v1 intermediate");
    dir.write_ca("root", &root);
    let intermediate = v1(&dir, "int", "/CN=v1 unit intermediate", "root", 6);
    let leaf = v1(&dir, "leaf", "/CN=localhost", "int", 7);
    let root_der = der_of(&root.cert_pem());
    let trust = trusting(&[&root_der]);
    assert_eq!(
        verdict(&trust, &[leaf.clone(), intermediate.clone()]),
        "INVALID_PURPOSE"
    );
    let both = trusting(&[&root_der, &intermediate]);
    assert_eq!(verdict(&both, &[leaf]), "INVALID_PURPOSE");
}

#[test]
fn v1_leaf_revoked_by_its_issuer_crl_is_refused() {
    if !test_pki::require(&["openssl"]) {
        return;
    }
    let (_dir, root, leaf) = v1_leaf_of_new_root("v1 revoking root", 0x42);
    let with_crl = |serials: &[&[u8]]| {
        TrustStore::from_ca(Some(&[Pem::Text(root.cert_pem())]))
            .with_crls(Some(&[Pem::Text(root.crl_revoking(serials))]))
            .expect("CRL parses")
    };
    assert_eq!(
        verdict(&with_crl(&[]), slice::from_ref(&leaf)),
        "authorized"
    );
    assert_eq!(
        verdict(&with_crl(&[&[0x42]]), slice::from_ref(&leaf)),
        "CERT_REVOKED"
    );
    let other = Ca::new_root("someone else's CRL");
    let foreign = TrustStore::from_ca(Some(&[Pem::Text(root.cert_pem())]))
        .with_crls(Some(&[Pem::Text(other.crl_revoking(&[]))]))
        .expect("CRL parses");
    assert_eq!(verdict(&foreign, &[leaf]), "UNABLE_TO_GET_CRL");
}

#[test]
fn self_signed_server_certificate_in_ca_is_trusted_as_itself() {
    let Some(dir) = TempDir::for_openssl("verify") else {
        return;
    };
    // openssl req -x509's default: basicConstraints CA:TRUE, with key ids.
    let make = |name: &str| {
        let issued = dir.self_signed(
            name,
            NewKey::EcP256,
            "/CN=localhost",
            10,
            &["-addext", "subjectAltName=DNS:localhost"],
        );
        CertificateDer::from(issued.cert_der)
    };
    let own = make("own");
    let other = make("other");
    assert_eq!(
        verdict(&trusting(&[&own]), slice::from_ref(&own)),
        "authorized"
    );
    assert_eq!(
        verdict(&trusting(&[&other]), slice::from_ref(&own)),
        "DEPTH_ZERO_SELF_SIGNED_CERT"
    );
    assert_eq!(
        verdict(&TrustStore::default_roots(), slice::from_ref(&own)),
        "DEPTH_ZERO_SELF_SIGNED_CERT"
    );
    let bad = tampered(&own);
    assert_eq!(
        verdict(&trusting(&[&bad]), &[bad]),
        "CERT_SIGNATURE_FAILURE"
    );
    let now = UnixTime::now().as_secs();
    let later = UnixTime::since_unix_epoch(Duration::from_secs(now + 20 * 86_400));
    assert_eq!(
        verdict_at(&trusting(&[&own]), &[own], later),
        "CERT_HAS_EXPIRED"
    );
}

#[test]
fn rcgen_self_signed_leaves_in_ca_are_trusted() {
    let spec = LeafSpec::server("localhost", &["localhost"]);
    let plain = der_of(&pki::self_signed_leaf(&spec).cert_pem);
    assert_eq!(
        verdict(&trusting(&[&plain]), slice::from_ref(&plain)),
        "authorized"
    );
    let as_ca = pki::self_signed_leaf_with(&spec, |params| {
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages.push(rcgen::KeyUsagePurpose::KeyCertSign);
    });
    let as_ca = der_of(&as_ca.cert_pem);
    assert_eq!(
        verdict(&trusting(&[&as_ca]), slice::from_ref(&as_ca)),
        "authorized"
    );
    let bad = tampered(&as_ca);
    assert_eq!(
        verdict(&trusting(&[&bad]), &[bad]),
        "CERT_SIGNATURE_FAILURE"
    );
}

/// Root, intermediate, and a leaf from the intermediate.
fn three_levels() -> (
    CertificateDer<'static>,
    CertificateDer<'static>,
    CertificateDer<'static>,
) {
    let root = Ca::new_root("partial unit root");
    let intermediate = root.issue_intermediate("partial unit intermediate");
    let leaf = intermediate.issue(&LeafSpec::server("localhost", &["localhost"]));
    (
        der_of(&root.cert_pem()),
        der_of(&intermediate.cert_pem()),
        der_of(&leaf.cert_pem),
    )
}

#[test]
fn intermediate_in_ca_is_an_anchor_only_with_partial_chains() {
    let (root, intermediate, leaf) = three_levels();
    let only_intermediate = trusting(&[&intermediate]);
    let sent_alone = [leaf.clone()];
    let sent_with_issuer = [leaf.clone(), intermediate.clone()];
    for chain in [&sent_alone[..], &sent_with_issuer[..]] {
        assert_eq!(
            verdict(&only_intermediate, chain),
            "UNABLE_TO_GET_ISSUER_CERT"
        );
        let partial = only_intermediate.clone().with_partial_chains(true);
        assert_eq!(verdict(&partial, chain), "authorized");
        let unset = partial.with_partial_chains(false);
        assert_eq!(verdict(&unset, chain), "UNABLE_TO_GET_ISSUER_CERT");
        // With its root in `ca` too, the intermediate is a step to it.
        assert_eq!(
            verdict(&trusting(&[&intermediate, &root]), chain),
            "authorized"
        );
    }
    // Partial chains still check the signature below the intermediate.
    let partial = only_intermediate.with_partial_chains(true);
    assert_eq!(
        verdict(&partial, &[tampered(&leaf)]),
        "CERT_SIGNATURE_FAILURE"
    );
}

#[test]
fn only_self_signed_ca_certificates_are_anchors_by_default() {
    let (root, intermediate, _) = three_levels();
    let trust = trusting(&[&intermediate, &root]);
    assert_eq!((trust.anchors.len(), trust.ca_issuers.len()), (1, 1));
    let partial = trust.with_partial_chains(true);
    assert_eq!((partial.anchors.len(), partial.ca_issuers.len()), (2, 0));
}

#[test]
fn issuer_with_another_key_identifier_is_not_the_issuer() {
    let trusted = Ca::new_root("same name, two keys");
    let impostor = Ca::new_root("same name, two keys");
    let leaf = impostor.issue(&LeafSpec::server("localhost", &["localhost"]));
    let trust = trusting(&[&der_of(&trusted.cert_pem())]);
    assert_eq!(
        verdict(&trust, &[der_of(&leaf.cert_pem)]),
        "UNABLE_TO_VERIFY_LEAF_SIGNATURE"
    );
    // The impostor root itself sent along: a self-signed root nobody trusts.
    assert_eq!(
        verdict(
            &trust,
            &[der_of(&leaf.cert_pem), der_of(&impostor.cert_pem())]
        ),
        "SELF_SIGNED_CERT_IN_CHAIN"
    );
}

/// A CA certificate for `name` with key `key`, signed by `issuer`'s key
/// under `issuer`'s name, without needing the issuer's certificate.
fn ca_signed_by(
    name: &str,
    key: &KeyPair,
    issuer: (&CertificateParams, &KeyPair),
) -> rcgen::Certificate {
    let issuer = rcgen::Issuer::from_params(issuer.0, issuer.1);
    ca_params(name)
        .signed_by(key, &issuer)
        .expect("certificate")
}

/// A CA's parameters (basicConstraints CA:TRUE, no path length) for `name`.
fn ca_params(name: &str) -> CertificateParams {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, name);
    params
}

#[test]
fn issuers_that_issued_each_other_end_the_search() {
    if !test_pki::require(&["openssl"]) {
        return;
    }
    let (key_a, key_b) = (KeyPair::generate().unwrap(), KeyPair::generate().unwrap());
    let (params_a, params_b) = (ca_params("loop A"), ca_params("loop B"));
    let a = ca_signed_by("loop A", &key_a, (&params_b, &key_b));
    let b = ca_signed_by("loop B", &key_b, (&params_a, &key_a));
    let dir = TempDir::new("verify");
    dir.write("a.pem", a.pem());
    dir.write("a.key", key_a.serialize_pem());
    let leaf = v1(&dir, "leaf", "/CN=localhost", "a", 9);
    let trust = trusting(&[&der_of(&Ca::new_root("unrelated").cert_pem())]);
    let chain = [leaf, a.der().clone(), b.der().clone(), a.der().clone()];
    assert_eq!(verdict(&trust, &chain), "UNABLE_TO_GET_ISSUER_CERT_LOCALLY");
}

/// OpenSSL builds at most 102 certificates (its verify depth of 100, the leaf
/// and the one more issuer it looks for): a version 1 leaf (which webpki
/// cannot read, so the model judges) under 100 intermediates is authorized;
/// under 101, the top found is not the root's child, as Node 26 answers.
#[test]
fn chains_are_built_to_openssls_depth() {
    if !test_pki::require(&["openssl"]) {
        return;
    }
    let root = Ca::new_root("long chain root");
    let issuers = test_pki::hostile::long_chain(&root, 101);
    let dir = TempDir::new("verify");
    dir.write_ca("first", &issuers[0]);
    dir.write_ca("second", &issuers[1]);
    let trust = trusting(&[&der_of(&root.cert_pem())]);
    let under = |first: usize, name: &str| {
        let mut chain = vec![v1(&dir, "leaf", "/CN=localhost", name, 10)];
        chain.extend(issuers[first..].iter().map(|ca| der_of(&ca.cert_pem())));
        verdict(&trust, &chain)
    };
    assert_eq!(under(1, "second"), "authorized");
    assert_eq!(under(0, "first"), "UNABLE_TO_GET_ISSUER_CERT_LOCALLY");
}
