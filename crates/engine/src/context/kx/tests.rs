//! Each ML-KEM group against a server made of its two halves (ml-kem's
//! encapsulation and ring's curve), and against malformed server shares.
//! `js/test/differential` meets Node 26's server with them.

use ml_kem::{EncapsulationKey, Key, MlKem1024, MlKem768, B32};
use rustls::crypto::SupportedKxGroup;
use rustls::NamedGroup;

use super::hybrid::{Kem, MlKemGroup, Order};
use super::ALL_GROUPS;

/// What a server answers to `client_share`: its share and the secret it derives.
fn serve(group: &MlKemGroup, client_share: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let (key_len, curve) = match group.kem {
        Kem::MlKem768 => (1184, group.classical),
        Kem::MlKem1024 => (1568, group.classical),
    };
    let (kem_key, curve_share) = match curve {
        None => (client_share, &[][..]),
        Some((_, Order::KemFirst)) => client_share.split_at(key_len),
        Some((_, Order::CurveFirst)) => {
            let (curve_part, kem_part) = client_share.split_at(client_share.len() - key_len);
            (kem_part, curve_part)
        }
    };
    assert_eq!(kem_key.len(), key_len);
    let m = B32::from([7; 32]);
    let (ciphertext, kem_secret) = match group.kem {
        Kem::MlKem768 => {
            let key = Key::<EncapsulationKey<MlKem768>>::try_from(kem_key).unwrap();
            let (c, k) = EncapsulationKey::<MlKem768>::new(&key)
                .unwrap()
                .encapsulate_deterministic(&m);
            (c.to_vec(), k.to_vec())
        }
        Kem::MlKem1024 => {
            let key = Key::<EncapsulationKey<MlKem1024>>::try_from(kem_key).unwrap();
            let (c, k) = EncapsulationKey::<MlKem1024>::new(&key)
                .unwrap()
                .encapsulate_deterministic(&m);
            (c.to_vec(), k.to_vec())
        }
    };
    let Some((classical, order)) = curve else {
        return (ciphertext, kem_secret);
    };
    let server_curve = classical.start().unwrap();
    let server_curve_share = server_curve.pub_key().to_vec();
    let curve_secret = server_curve
        .complete(curve_share)
        .unwrap()
        .secret_bytes()
        .to_vec();
    match order {
        Order::KemFirst => (
            [ciphertext, server_curve_share].concat(),
            [kem_secret, curve_secret].concat(),
        ),
        Order::CurveFirst => (
            [server_curve_share, ciphertext].concat(),
            [curve_secret, kem_secret].concat(),
        ),
    }
}

fn ml_kem_groups() -> Vec<&'static MlKemGroup> {
    super::ML_KEM_GROUPS.to_vec()
}

#[test]
fn every_ml_kem_group_agrees_with_a_server_of_its_halves() {
    for group in ml_kem_groups() {
        let client = group.start().unwrap();
        let (reply, server_secret) = serve(group, client.pub_key());
        let secret = client.complete(&reply).unwrap();
        assert_eq!(
            secret.secret_bytes(),
            &server_secret[..],
            "{:?}",
            group.name
        );
    }
}

/// X25519MLKEM768 sends X25519's share beside its own, as OpenSSL 3.5 does,
/// and completes with X25519 alone when the server picks that share.
#[test]
fn x25519_mlkem768_offers_its_x25519_half_as_a_share_of_its_own() {
    let group = ALL_GROUPS[0];
    assert_eq!(group.name(), NamedGroup::X25519MLKEM768);
    let client = group.start().unwrap();
    assert_eq!(client.pub_key().len(), 1184 + 32);
    let (component_group, component_share) = client.hybrid_component().unwrap();
    assert_eq!(component_group, NamedGroup::X25519);
    assert_eq!(component_share, &client.pub_key()[1184..]);
    let server = rustls::crypto::ring::kx_group::X25519.start().unwrap();
    let server_share = server.pub_key().to_vec();
    let server_secret = server.complete(component_share).unwrap();
    let secret = client.complete_hybrid_component(&server_share).unwrap();
    assert_eq!(secret.secret_bytes(), server_secret.secret_bytes());
}

/// A server share of the wrong size is the peer's error, never a panic.
#[test]
fn malformed_server_shares_are_refused() {
    for group in ml_kem_groups() {
        for len in [
            0, 1, 32, 65, 1087, 1088, 1120, 1121, 1567, 1568, 1600, 1633, 4000,
        ] {
            let client = group.start().unwrap();
            let (reply, _) = serve(group, client.pub_key());
            if len == reply.len() {
                continue;
            }
            let result = client.complete(&vec![0x42; len]);
            assert!(
                result.is_err(),
                "{:?} accepted a share of {len} bytes",
                group.name
            );
        }
    }
}

#[test]
fn ml_kem_groups_are_for_tls13_only() {
    for group in ml_kem_groups() {
        assert!(group.usable_for_version(rustls::ProtocolVersion::TLSv1_3));
        assert!(!group.usable_for_version(rustls::ProtocolVersion::TLSv1_2));
    }
}
