//! Bundles against Node, whose `createSecureContext({ pfx })` is the
//! reference: bundles openssl writes ([`openssl`]), and bundles written here
//! for what no tool writes ([`built`]).

mod built;
mod openssl;

use pkcs8::der::asn1::ObjectIdentifier as Oid;
use rustls::pki_types::CertificateDer;
use serde_json::json;
use test_pki::TempDir;

use super::hash::Hash;
use super::kdf::{self, KdfId};
use super::oid;
use super::password::Password;
use crate::credentials::fixtures::{as_node, file, node_context, NodeAnswer};
use crate::credentials::pbe::KdfBudget;
use crate::der;
use crate::verify::certificates_in;

/// Our answer in Node's terms: `Ok`, or the code (none when empty) and message.
fn ours(der: &[u8], passphrase: Option<&str>) -> NodeAnswer {
    as_node(super::decode(der, passphrase))
}

/// Node's answer for `pfx` written to `dir` as `name`.
fn node(dir: &TempDir, name: &str, der: &[u8], passphrase: Option<&str>) -> NodeAnswer {
    let path = dir.write(name, der);
    node_context(&json!({ "pfx": file(&path), "passphrase": passphrase }))
}

fn assert_as_node(dir: &TempDir, what: &str, der: &[u8], passphrase: Option<&str>) {
    assert_eq!(
        ours(der, passphrase),
        node(dir, "case.p12", der, passphrase),
        "{what} with passphrase {passphrase:?}"
    );
}

fn first_cert(dir: &TempDir, name: &str) -> CertificateDer<'static> {
    certificates_in(&dir.read(name)).remove(0)
}

// -- DER for bundles no tool writes -------------------------------------

fn oid_der(oid: Oid) -> Vec<u8> {
    der::tlv(0x06, &[oid.as_bytes()])
}

fn octets(bytes: &[u8]) -> Vec<u8> {
    der::tlv(0x04, &[bytes])
}

/// `[0] EXPLICIT inner`.
fn explicit(inner: &[u8]) -> Vec<u8> {
    der::tlv(0xa0, &[inner])
}

fn int(value: u32) -> Vec<u8> {
    der::unsigned_integer(&value.to_be_bytes())
}

/// A SafeBag of type `kind` holding `value`, with a localKeyID when given.
fn bag(kind: Oid, value: &[u8], key_id: Option<&[u8]>) -> Vec<u8> {
    let attributes = key_id
        .map(|id| {
            let local_key_id =
                der::sequence(&[&oid_der(oid::LOCAL_KEY_ID), &der::tlv(0x31, &[&octets(id)])]);
            der::tlv(0x31, &[&local_key_id])
        })
        .unwrap_or_default();
    der::sequence(&[&oid_der(kind), &explicit(value), &attributes])
}

fn cert_bag(cert: &[u8], key_id: Option<&[u8]>) -> Vec<u8> {
    bag(
        oid::CERT_BAG,
        &der::sequence(&[&oid_der(oid::X509_CERTIFICATE), &explicit(&octets(cert))]),
        key_id,
    )
}

/// A `data` ContentInfo of these bags.
fn data_safe(bags: &[Vec<u8>]) -> Vec<u8> {
    let refs: Vec<&[u8]> = bags.iter().map(Vec::as_slice).collect();
    der::sequence(&[
        &oid_der(oid::DATA),
        &explicit(&octets(&der::sequence(&refs))),
    ])
}

/// A bundle of `safes` with a SHA-256 MAC made by this module's own key
/// derivation and HMAC (so Node checks them too), `iterations` rounds.
fn bundle(safes: &[Vec<u8>], password: &str, iterations: u32) -> Vec<u8> {
    bundle_claiming(safes, password, iterations, iterations)
}

/// [`bundle`] whose MacData claims `claimed` rounds (the MAC made with `iterations`).
fn bundle_claiming(safes: &[Vec<u8>], password: &str, iterations: u32, claimed: u32) -> Vec<u8> {
    use hmac::{Mac, SimpleHmac};
    let refs: Vec<&[u8]> = safes.iter().map(Vec::as_slice).collect();
    let auth_safe = der::sequence(&refs);
    let salt = [7u8; 8];
    let key = kdf::derive(
        Hash::Sha256,
        KdfId::Mac,
        Password::Text(password),
        &salt,
        u64::from(iterations),
        32,
        &mut KdfBudget::unbounded(),
    )
    .unwrap();
    let mut mac = SimpleHmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(&auth_safe);
    let digest = mac.finalize().into_bytes();
    let algorithm = der::sequence(&[&oid_der(oid::SHA256), &der::tlv(0x05, &[])]);
    let mac_data = der::sequence(&[
        &der::sequence(&[&algorithm, &octets(&digest)]),
        &octets(&salt),
        &int(claimed),
    ]);
    der::sequence(&[
        &int(3),
        &der::sequence(&[&oid_der(oid::DATA), &explicit(&octets(&auth_safe))]),
        &mac_data,
    ])
}
