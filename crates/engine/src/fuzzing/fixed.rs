//! Randomness and key shares fixed in advance, so that a handshake replays:
//! a client whose random, session id and ephemeral keys are the same every
//! time sends the same ClientHello, so a server's answer recorded once can be
//! fed to every later client, mutated, without the server's cryptography per
//! input; and a server with fixed key shares lets a harness compute the
//! handshake's secrets itself and build valid flights around other
//! certificates. Fuzzing only: nothing here is secret or random.

use std::fmt;
use std::sync::OnceLock;

use ring::agreement;
use rustls::crypto::{
    ActiveKeyExchange, GetRandomFailed, SecureRandom, SharedSecret, SupportedKxGroup,
};
use rustls::{Error, NamedGroup};

/// Which side's fixed keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The client's key shares.
    Client,
    /// The server's key shares.
    Server,
}

impl Role {
    /// The byte every private scalar of this side is made of (small enough
    /// to be a valid P-256 and P-384 scalar).
    fn seed(self) -> u8 {
        match self {
            Self::Client => 0x11,
            Self::Server => 0x22,
        }
    }
}

/// rustls's randomness for client and server randoms, session ids and
/// tickets' nonces: the same bytes every time, a pattern of its own per side
/// (a TLS 1.2 server's session id must not be the client's).
#[derive(Debug)]
pub struct FixedRandom(Role);

impl SecureRandom for FixedRandom {
    fn fill(&self, buf: &mut [u8]) -> Result<(), GetRandomFailed> {
        for (i, byte) in buf.iter_mut().enumerate() {
            *byte = self.0.seed() ^ (i as u8);
        }
        Ok(())
    }
}

/// The fixed randomness of `role`, for a `CryptoProvider`'s `secure_random`.
pub fn fixed_random(role: Role) -> &'static FixedRandom {
    static CLIENT: FixedRandom = FixedRandom(Role::Client);
    static SERVER: FixedRandom = FixedRandom(Role::Server);
    match role {
        Role::Client => &CLIENT,
        Role::Server => &SERVER,
    }
}

/// One key-exchange group whose private key is fixed.
struct FixedKx {
    name: NamedGroup,
    algorithm: &'static agreement::Algorithm,
    /// Private scalar length in bytes.
    scalar_len: usize,
    role: Role,
    /// The public key, computed once.
    public: OnceLock<Vec<u8>>,
}

impl fmt::Debug for FixedKx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fixed {:?} ({:?})", self.name, self.role)
    }
}

impl FixedKx {
    /// This side's private key, made again from the fixed scalar.
    #[allow(deprecated)] // ring's fixed-input randomness, documented for fuzzing
    fn private_key(&self) -> Result<agreement::EphemeralPrivateKey, Error> {
        let scalar = vec![self.role.seed(); self.scalar_len];
        let random = ring::test::rand::FixedSliceRandom { bytes: &scalar };
        agreement::EphemeralPrivateKey::generate(self.algorithm, &random)
            .map_err(|_| Error::FailedToGetRandomBytes)
    }

    fn agree(&self, peer: &[u8]) -> Result<Vec<u8>, Error> {
        let key = self.private_key()?;
        let peer = agreement::UnparsedPublicKey::new(self.algorithm, peer);
        agreement::agree_ephemeral(key, &peer, |secret| secret.to_vec())
            .map_err(|_| Error::from(rustls::PeerMisbehaved::InvalidKeyShare))
    }
}

/// An exchange under way: the public key sent, the fixed private key kept.
struct FixedExchange {
    group: &'static FixedKx,
    public: Vec<u8>,
}

impl SupportedKxGroup for FixedKx {
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, Error> {
        let group = fixed_group(self.role, self.name).ok_or(Error::FailedToGetRandomBytes)?;
        // The private key never changes, so neither does the public one.
        let public = group
            .public
            .get_or_init(|| {
                self.private_key()
                    .ok()
                    .and_then(|key| key.compute_public_key().ok())
                    .map(|public| public.as_ref().to_vec())
                    .unwrap_or_default()
            })
            .clone();
        Ok(Box::new(FixedExchange { group, public }))
    }

    fn name(&self) -> NamedGroup {
        self.name
    }
}

impl ActiveKeyExchange for FixedExchange {
    fn complete(self: Box<Self>, peer: &[u8]) -> Result<SharedSecret, Error> {
        self.group.agree(peer).map(SharedSecret::from)
    }

    fn pub_key(&self) -> &[u8] {
        &self.public
    }

    fn group(&self) -> NamedGroup {
        self.group.name
    }
}

/// The groups of rustls's ring provider, each with a fixed private key.
static GROUPS: [FixedKx; 6] = [
    group(Role::Client, NamedGroup::X25519, &agreement::X25519, 32),
    group(
        Role::Client,
        NamedGroup::secp256r1,
        &agreement::ECDH_P256,
        32,
    ),
    group(
        Role::Client,
        NamedGroup::secp384r1,
        &agreement::ECDH_P384,
        48,
    ),
    group(Role::Server, NamedGroup::X25519, &agreement::X25519, 32),
    group(
        Role::Server,
        NamedGroup::secp256r1,
        &agreement::ECDH_P256,
        32,
    ),
    group(
        Role::Server,
        NamedGroup::secp384r1,
        &agreement::ECDH_P384,
        48,
    ),
];

const fn group(
    role: Role,
    name: NamedGroup,
    algorithm: &'static agreement::Algorithm,
    scalar_len: usize,
) -> FixedKx {
    FixedKx {
        name,
        algorithm,
        scalar_len,
        role,
        public: OnceLock::new(),
    }
}

fn fixed_group(role: Role, name: NamedGroup) -> Option<&'static FixedKx> {
    GROUPS
        .iter()
        .find(|group| group.role == role && group.name == name)
}

/// `groups` (a provider's, in its order) with fixed private keys for `role`;
/// groups ring's provider does not have are dropped.
pub fn fixed_kx_groups(
    role: Role,
    groups: &[&'static dyn SupportedKxGroup],
) -> Vec<&'static dyn SupportedKxGroup> {
    groups
        .iter()
        .filter_map(|group| fixed_group(role, group.name()))
        .map(|group| group as &'static dyn SupportedKxGroup)
        .collect()
}

/// The shared secret `role`'s fixed key for `group` makes with `peer`'s
/// public key; `None` for a group without a fixed key or a bad public key.
pub fn fixed_shared_secret(role: Role, group: NamedGroup, peer: &[u8]) -> Option<Vec<u8>> {
    fixed_group(role, group)?.agree(peer).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_key_shares_agree_and_repeat() {
        for name in [
            NamedGroup::X25519,
            NamedGroup::secp256r1,
            NamedGroup::secp384r1,
        ] {
            let client = fixed_group(Role::Client, name).unwrap().start().unwrap();
            let server = fixed_group(Role::Server, name).unwrap().start().unwrap();
            let again = fixed_group(Role::Client, name).unwrap().start().unwrap();
            assert_eq!(client.pub_key(), again.pub_key());
            let from_server = fixed_shared_secret(Role::Server, name, client.pub_key()).unwrap();
            let server_pub = server.pub_key().to_vec();
            let secret = client.complete(&server_pub).unwrap();
            assert_eq!(secret.secret_bytes(), from_server.as_slice());
        }
    }
}
