//! Chains webpki refuses in a way OpenSSL agrees with, named with OpenSSL's
//! code: name constraints, and intermediates that are not CAs.

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, GeneralSubtree, IsCa, KeyPair,
    KeyUsagePurpose, NameConstraints,
};
use rustls::pki_types::UnixTime;

use super::ring;
use crate::options::Pem;
use crate::verify::{verify_chain, TrustStore};
use crate::TlsError;

fn root() -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "verify unit-test root");
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

/// The code and message for leaf + intermediate (made from `intermediate`)
/// under a trusted root.
fn verdict_through(intermediate: CertificateParams) -> TlsError {
    let root = root();
    let mut intermediate = intermediate;
    intermediate
        .distinguished_name
        .push(rcgen::DnType::CommonName, "verify unit-test intermediate");
    let intermediate =
        CertifiedIssuer::signed_by(intermediate, KeyPair::generate().unwrap(), &root).unwrap();
    let mut leaf = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    leaf.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let leaf = leaf
        .signed_by(&KeyPair::generate().unwrap(), &intermediate)
        .unwrap();
    let trust = TrustStore::from_ca(Some(&[Pem::Text(root.pem())]));
    let algorithms = ring();
    let chain = [leaf.der().clone(), intermediate.der().clone()];
    verify_chain(&trust, &algorithms, &chain, UnixTime::now()).unwrap_err()
}

fn ca_params() -> CertificateParams {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign];
    params
}

#[test]
fn name_constraint_violation_is_a_permitted_subtree_violation() {
    let mut params = ca_params();
    params.name_constraints = Some(NameConstraints {
        permitted_subtrees: vec![GeneralSubtree::DnsName("allowed.test".into())],
        excluded_subtrees: Vec::new(),
    });
    let err = verdict_through(params);
    assert_eq!(err.code, "UNSPECIFIED");
    assert_eq!(err.message, "permitted subtree violation");
}

#[test]
fn intermediate_saying_ca_false_fails_the_purpose_check() {
    let mut params = ca_params();
    params.is_ca = IsCa::ExplicitNoCa;
    let err = verdict_through(params);
    assert_eq!(err.code, "INVALID_PURPOSE");
    assert_eq!(err.message, "unsuitable certificate purpose");
}

#[test]
fn intermediate_without_basic_constraints_is_an_invalid_ca() {
    let mut params = ca_params();
    params.is_ca = IsCa::NoCa;
    let err = verdict_through(params);
    assert_eq!(err.code, "INVALID_CA");
    assert_eq!(err.message, "invalid CA certificate");
    // Without keyUsage either, OpenSSL's purpose check fails too.
    let mut params = ca_params();
    params.is_ca = IsCa::NoCa;
    params.key_usages = Vec::new();
    assert_eq!(verdict_through(params).code, "INVALID_PURPOSE");
}
