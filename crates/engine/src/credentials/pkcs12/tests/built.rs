//! Bundles written here for what no tool writes: the leaf after its CA, keys
//! no certificate matches, nested and unknown bags, derivation work over the
//! budget, and BER's indefinite lengths and constructed strings.

use super::*;
use crate::credentials::fixtures::{pki, topk8};
use crate::credentials::pbe::KdfLimits;
use crate::credentials::pkcs12::asn1::{self, Reason};
use crate::credentials::pkcs12::{decode, decode_with_limits};

/// Bundles no tool writes: the leaf after its CA, a key no certificate
/// matches, two keys, nested and unknown bags, a broken certificate, a
/// shrouded key in PKCS#12's 3DES: our chain and Node's verdict.
#[test]
fn built_bundles_pick_the_leaf_and_fail_as_in_node() {
    if !test_pki::require(&["node", "openssl"]) {
        return;
    }
    let dir = pki("ec");
    let other = pki("ec");
    let key = topk8(&dir, "client.der", &["-nocrypt", "-outform", "DER"]);
    let other_key = topk8(&other, "client.der", &["-nocrypt", "-outform", "DER"]);
    let options = [
        "-v1",
        "PBE-SHA1-3DES",
        "-passout",
        "pass:x",
        "-outform",
        "DER",
    ];
    let shrouded_key = topk8(&dir, "shrouded.der", &options);
    let leaf = first_cert(&dir, "client.pem");
    let ca = first_cert(&dir, "ca.pem");
    let key_bag = bag(oid::KEY_BAG, &key, Some(b"id"));
    let shrouded = bag(oid::SHROUDED_KEY_BAG, &shrouded_key, None);
    let nested = bag(
        oid::SAFE_CONTENTS_BAG,
        &der::sequence(&[&cert_bag(&leaf, None)]),
        None,
    );
    let unknown = bag(Oid::new_unwrap("1.2.3.4"), &der::sequence(&[]), None);
    let bad_secret = bag(oid::SECRET_BAG, &der::sequence(&[]), None);
    let chain =
        |certs: &[&CertificateDer<'static>]| certs.iter().map(|c| (*c).clone()).collect::<Vec<_>>();
    type Case<'a> = (&'a str, Vec<Vec<u8>>, Option<Vec<CertificateDer<'static>>>);
    let cases: Vec<Case<'_>> = vec![
        (
            "leaf after its CA",
            vec![data_safe(&[
                cert_bag(&ca, None),
                cert_bag(&leaf, Some(b"id")),
                key_bag.clone(),
            ])],
            Some(chain(&[&leaf, &ca])),
        ),
        (
            "key first, certs in a second safe",
            vec![
                data_safe(std::slice::from_ref(&key_bag)),
                data_safe(&[cert_bag(&ca, None), cert_bag(&leaf, None)]),
            ],
            Some(chain(&[&leaf, &ca])),
        ),
        (
            "the first of two keys",
            vec![data_safe(&[
                bag(oid::KEY_BAG, &other_key, None),
                key_bag.clone(),
                cert_bag(&leaf, None),
            ])],
            None,
        ),
        (
            "no certificate for the key",
            vec![data_safe(&[
                bag(oid::KEY_BAG, &other_key, None),
                cert_bag(&leaf, None),
                cert_bag(&ca, None),
            ])],
            None,
        ),
        (
            "nested safe contents",
            vec![data_safe(&[unknown, key_bag.clone(), nested])],
            Some(chain(&[&leaf])),
        ),
        (
            "a malformed secret bag",
            vec![data_safe(&[
                key_bag.clone(),
                cert_bag(&leaf, None),
                bad_secret,
            ])],
            None,
        ),
        (
            "shrouded 3DES key",
            vec![data_safe(&[
                shrouded,
                cert_bag(&ca, None),
                cert_bag(&leaf, None),
            ])],
            Some(chain(&[&leaf, &ca])),
        ),
        (
            "broken certificate",
            vec![data_safe(&[
                key_bag.clone(),
                cert_bag(&leaf, None),
                cert_bag(b"\x30\x03\x02\x01\x01", None),
            ])],
            None,
        ),
        (
            "certificates only",
            vec![data_safe(&[cert_bag(&leaf, None)])],
            None,
        ),
        ("nothing", vec![], None),
    ];
    for (what, safes, expected) in cases {
        let der = bundle(&safes, "x", 2048);
        assert_as_node(&dir, what, &der, Some("x"));
        match expected {
            Some(chain) => assert_eq!(decode(&der, Some("x")).unwrap().chain, chain, "{what}"),
            None => assert!(decode(&der, Some("x")).is_err(), "{what}"),
        }
    }
}

/// Key derivation is bounded: counts over the cap are refused before any
/// work, and so is a bundle whose derivations add up past the total.
#[test]
fn key_derivation_work_is_bounded() {
    if !test_pki::require(&["openssl"]) {
        return;
    }
    let dir = pki("ec");
    let key_bag = bag(
        oid::KEY_BAG,
        &topk8(&dir, "client.der", &["-nocrypt", "-outform", "DER"]),
        None,
    );
    let safes = vec![data_safe(&[
        key_bag,
        cert_bag(&first_cert(&dir, "client.pem"), None),
    ])];
    let small = KdfLimits {
        max_iterations: 4096,
        max_total: 10_000,
    };
    let refused = (
        Some("ERR_CRYPTO_UNSUPPORTED_OPERATION".to_owned()),
        "Unsupported PKCS12 PFX data".to_owned(),
    );
    let limited =
        |der: &[u8], passphrase: Option<&str>| as_node(decode_with_limits(der, passphrase, small));
    assert_eq!(limited(&bundle(&safes, "x", 4096), Some("x")), Ok(()));
    assert_eq!(
        limited(&bundle(&safes, "x", 4097), Some("x")),
        Err(refused.clone())
    );
    // Without a passphrase two MACs are tried: 2 × 4096 fits, 3 × 4096 would not.
    assert_eq!(limited(&bundle(&safes, "", 4096), None), Ok(()));
    let mut budget = KdfBudget::new(small);
    budget.charge(4096, 1).unwrap();
    assert!(budget.charge(4096, 2).is_err());
    // OpenSSL's largest count is refused at once, not run for hours.
    let huge = bundle_claiming(&safes, "x", 1, i32::MAX as u32);
    let start = std::time::Instant::now();
    assert_eq!(ours(&huge, Some("x")), Err(refused));
    assert!(start.elapsed() < std::time::Duration::from_secs(1));
}

/// Indefinite lengths and constructed strings (BER, as some Windows and
/// Java tools write): read as OpenSSL reads them, nesting capped.
#[test]
fn ber_forms_are_read_and_nesting_is_capped() {
    let indefinite = [
        0x30, 0x80, 0x02, 0x01, 0x05, 0x24, 0x80, 0x04, 0x01, 0xaa, 0x04, 0x01, 0xbb, 0, 0, 0, 0,
    ];
    let outer = asn1::outer_object(&indefinite).unwrap();
    assert_eq!(outer.raw.len(), indefinite.len());
    let mut seq = outer.sequence().unwrap();
    assert_eq!(seq.integer().unwrap(), 5);
    let string = seq.expect(asn1::OCTET_STRING).unwrap();
    assert_eq!(&*string.octets().unwrap(), &[0xaa, 0xbb]);
    seq.finish().unwrap();
    // 31 open indefinite levels: over OpenSSL's 30.
    let deep: Vec<u8> = std::iter::repeat_n([0x30, 0x80], 32)
        .flatten()
        .chain([0; 64])
        .collect();
    assert_eq!(asn1::outer_tlv(&deep).unwrap_err(), Reason::NestedTooDeep);
    // Six levels of constructed strings: over OpenSSL's five.
    let mut nested = vec![0x04, 0x01, 0xaa];
    for _ in 0..6 {
        nested = der::tlv(0x24, &[&nested]);
    }
    assert_eq!(
        asn1::outer_tlv(&nested).unwrap().octets().unwrap_err(),
        Reason::NestedAsn1String
    );
}
