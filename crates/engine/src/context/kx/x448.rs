//! X448 (RFC 7748), for TLS 1.3 and TLS 1.2 ECDHE: the group Node 26 offers
//! after P-256. ring has none, so the curve arithmetic is RustCrypto's `x448`.

use ring::rand::{SecureRandom, SystemRandom};
use rustls::crypto::{ActiveKeyExchange, GetRandomFailed, SharedSecret, SupportedKxGroup};
use rustls::{Error, NamedGroup, PeerMisbehaved};
use zeroize::Zeroizing;

/// The size of a scalar, a share and a secret.
const LEN: usize = 56;

/// The X448 group.
#[derive(Debug)]
pub(super) struct X448;

impl SupportedKxGroup for X448 {
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, Error> {
        let mut scalar = Zeroizing::new([0u8; LEN]);
        SystemRandom::new()
            .fill(&mut scalar[..])
            .map_err(|_| GetRandomFailed)?;
        // The base point is not of low order, so this always has a value.
        let pub_key = x448::x448(*scalar, x448::X448_BASEPOINT_BYTES).ok_or(GetRandomFailed)?;
        Ok(Box::new(ActiveX448 { scalar, pub_key }))
    }

    /// Not an FFDHE group: answered here so rustls need not look it up by name.
    fn ffdhe_group(&self) -> Option<rustls::ffdhe_groups::FfdheGroup<'static>> {
        None
    }

    fn name(&self) -> NamedGroup {
        NamedGroup::X448
    }
}

/// Our scalar (clamped by `x448` when used) and public share.
struct ActiveX448 {
    scalar: Zeroizing<[u8; LEN]>,
    pub_key: [u8; LEN],
}

impl ActiveKeyExchange for ActiveX448 {
    /// Refuses a share of the wrong length, one of low order, and an all-zero
    /// secret (RFC 7748 section 6.2), as OpenSSL does.
    fn complete(self: Box<Self>, peer_pub_key: &[u8]) -> Result<SharedSecret, Error> {
        let peer: [u8; LEN] = peer_pub_key
            .try_into()
            .map_err(|_| PeerMisbehaved::InvalidKeyShare)?;
        let secret =
            Zeroizing::new(x448::x448(*self.scalar, peer).ok_or(PeerMisbehaved::InvalidKeyShare)?);
        if secret.iter().fold(0u8, |acc, byte| acc | byte) == 0 {
            return Err(PeerMisbehaved::InvalidKeyShare.into());
        }
        Ok(SharedSecret::from(&secret[..]))
    }

    fn pub_key(&self) -> &[u8] {
        &self.pub_key
    }

    fn ffdhe_group(&self) -> Option<rustls::ffdhe_groups::FfdheGroup<'static>> {
        None
    }

    fn group(&self) -> NamedGroup {
        NamedGroup::X448
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `hex` as bytes.
    fn bytes(hex: &str) -> [u8; LEN] {
        let mut out = [0u8; LEN];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }

    /// RFC 7748 section 6.2's exchange between Alice and Bob.
    #[test]
    fn rfc7748_exchange() {
        let alice = bytes("9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b");
        let alice_public = bytes("9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0");
        let bob_public = bytes("3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609");
        let shared = bytes("07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56fd2464c335543936521c24403085d59a449a5037514a879d");
        let active = Box::new(ActiveX448 {
            scalar: Zeroizing::new(alice),
            pub_key: x448::x448(alice, x448::X448_BASEPOINT_BYTES).unwrap(),
        });
        assert_eq!(active.pub_key(), &alice_public[..]);
        assert_eq!(
            active.complete(&bob_public).unwrap().secret_bytes(),
            &shared[..]
        );
    }

    #[test]
    fn two_parties_agree() {
        let client = X448.start().unwrap();
        let server = X448.start().unwrap();
        assert_eq!(client.pub_key().len(), LEN);
        let server_share = server.pub_key().to_vec();
        let server_secret = server.complete(client.pub_key()).unwrap();
        let client_secret = client.complete(&server_share).unwrap();
        assert_eq!(client_secret.secret_bytes(), server_secret.secret_bytes());
        assert!(X448.usable_for_version(rustls::ProtocolVersion::TLSv1_2));
        assert!(X448.usable_for_version(rustls::ProtocolVersion::TLSv1_3));
    }

    /// Wrong lengths, and points of low order (zero, one, p - 1), are the
    /// peer's error, never a panic.
    #[test]
    fn malformed_shares_are_refused() {
        let mut one = [0u8; LEN];
        one[0] = 1;
        let mut p_minus_one = [0xffu8; LEN];
        p_minus_one[0] = 0xfe;
        p_minus_one[28] = 0xfe;
        let shares: Vec<Vec<u8>> = vec![
            vec![],
            vec![9; 32],
            vec![9; LEN - 1],
            vec![9; LEN + 1],
            vec![0; LEN],
            one.to_vec(),
            p_minus_one.to_vec(),
        ];
        for share in shares {
            let client = X448.start().unwrap();
            assert!(client.complete(&share).is_err(), "{share:02x?}");
        }
    }
}
