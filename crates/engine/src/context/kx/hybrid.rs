//! ML-KEM key exchange for TLS 1.3, alone or joined with a classical group
//! (draft-ietf-tls-ecdhe-mlkem, draft-ietf-tls-mlkem): the groups OpenSSL 3.5
//! names `X25519MLKEM768` (Node 26's first choice), `SecP256r1MLKEM768`,
//! `SecP384r1MLKEM1024`, `MLKEM768` and `MLKEM1024`.
//!
//! The client's share is the ML-KEM encapsulation key and the classical public
//! key; the server answers with an ML-KEM ciphertext and its classical key; the
//! secret is the two shared secrets joined. X25519MLKEM768 puts ML-KEM first in
//! all three, the NIST-curve hybrids put the curve first.

use std::fmt;

use ml_kem::kem::Decapsulate;
use ml_kem::{Ciphertext, DecapsulationKey, KeyExport, MlKem1024, MlKem768, Seed};
use ring::rand::{SecureRandom, SystemRandom};
use rustls::crypto::{ActiveKeyExchange, SharedSecret, SupportedKxGroup};
use rustls::{Error, NamedGroup, PeerMisbehaved, ProtocolVersion};
use zeroize::Zeroizing;

/// The ML-KEM parameter set of a group.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kem {
    /// ML-KEM-768: 1184-byte key, 1088-byte ciphertext.
    MlKem768,
    /// ML-KEM-1024: 1568-byte key, 1568-byte ciphertext.
    MlKem1024,
}

impl Kem {
    /// The size of the server's ciphertext.
    fn ciphertext_len(self) -> usize {
        match self {
            Kem::MlKem768 => 1088,
            Kem::MlKem1024 => 1568,
        }
    }
}

/// Where the classical half sits in shares and secret.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Order {
    /// ML-KEM's part first (X25519MLKEM768).
    KemFirst,
    /// The curve's part first (SecP256r1MLKEM768, SecP384r1MLKEM1024).
    CurveFirst,
}

/// One ML-KEM group, hybrid when it has a classical half.
pub(super) struct MlKemGroup {
    /// The group's TLS code point.
    pub(super) name: NamedGroup,
    /// The ML-KEM half.
    pub(super) kem: Kem,
    /// The classical half and where it sits; `None` for pure ML-KEM.
    pub(super) classical: Option<(&'static dyn SupportedKxGroup, Order)>,
}

impl fmt::Debug for MlKemGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MlKemGroup")
            .field("name", &self.name)
            .finish()
    }
}

impl SupportedKxGroup for MlKemGroup {
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, Error> {
        let mut seed = Zeroizing::new(Seed::default());
        SystemRandom::new()
            .fill(seed.as_mut_slice())
            .map_err(|_| rustls::crypto::GetRandomFailed)?;
        let (decapsulation, encapsulation_key) = match self.kem {
            Kem::MlKem768 => {
                let key = DecapsulationKey::<MlKem768>::from_seed(*seed);
                let public = key.encapsulation_key().to_bytes().to_vec();
                (Decapsulation::MlKem768(Box::new(key)), public)
            }
            Kem::MlKem1024 => {
                let key = DecapsulationKey::<MlKem1024>::from_seed(*seed);
                let public = key.encapsulation_key().to_bytes().to_vec();
                (Decapsulation::MlKem1024(Box::new(key)), public)
            }
        };
        let classical = match self.classical {
            Some((group, order)) => Some((group.start()?, order)),
            None => None,
        };
        let pub_key = match &classical {
            None => encapsulation_key,
            Some((active, Order::KemFirst)) => [&encapsulation_key[..], active.pub_key()].concat(),
            Some((active, Order::CurveFirst)) => {
                [active.pub_key(), &encapsulation_key[..]].concat()
            }
        };
        Ok(Box::new(ActiveMlKem {
            name: self.name,
            kem: self.kem,
            decapsulation,
            classical,
            pub_key,
        }))
    }

    fn name(&self) -> NamedGroup {
        self.name
    }

    fn usable_for_version(&self, version: ProtocolVersion) -> bool {
        version == ProtocolVersion::TLSv1_3
    }
}

/// The client's decapsulation key, kept until the server answers.
enum Decapsulation {
    MlKem768(Box<DecapsulationKey<MlKem768>>),
    MlKem1024(Box<DecapsulationKey<MlKem1024>>),
}

impl Decapsulation {
    /// The shared secret in `ciphertext`, which must be the parameter set's size.
    fn decapsulate(&self, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
        let bad_share = || Error::from(PeerMisbehaved::InvalidKeyShare);
        let secret = match self {
            Decapsulation::MlKem768(key) => {
                let ciphertext =
                    Ciphertext::<MlKem768>::try_from(ciphertext).map_err(|_| bad_share())?;
                key.decapsulate(&ciphertext).to_vec()
            }
            Decapsulation::MlKem1024(key) => {
                let ciphertext =
                    Ciphertext::<MlKem1024>::try_from(ciphertext).map_err(|_| bad_share())?;
                key.decapsulate(&ciphertext).to_vec()
            }
        };
        Ok(Zeroizing::new(secret))
    }
}

/// A key exchange in progress: the decapsulation key and the classical half's.
struct ActiveMlKem {
    name: NamedGroup,
    kem: Kem,
    decapsulation: Decapsulation,
    classical: Option<(Box<dyn ActiveKeyExchange>, Order)>,
    pub_key: Vec<u8>,
}

impl ActiveKeyExchange for ActiveMlKem {
    fn complete(self: Box<Self>, peer_pub_key: &[u8]) -> Result<SharedSecret, Error> {
        let ciphertext_len = self.kem.ciphertext_len();
        let Some((classical, order)) = self.classical else {
            if peer_pub_key.len() != ciphertext_len {
                return Err(PeerMisbehaved::InvalidKeyShare.into());
            }
            let secret = self.decapsulation.decapsulate(peer_pub_key)?;
            return Ok(SharedSecret::from(&secret[..]));
        };
        let split = match order {
            Order::KemFirst => ciphertext_len,
            Order::CurveFirst => peer_pub_key
                .len()
                .checked_sub(ciphertext_len)
                .ok_or(PeerMisbehaved::InvalidKeyShare)?,
        };
        if peer_pub_key.len() <= ciphertext_len {
            return Err(PeerMisbehaved::InvalidKeyShare.into());
        }
        let (first, second) = peer_pub_key.split_at(split);
        let (ciphertext, curve_share) = match order {
            Order::KemFirst => (first, second),
            Order::CurveFirst => (second, first),
        };
        let kem_secret = self.decapsulation.decapsulate(ciphertext)?;
        let curve_secret = classical.complete(curve_share)?;
        let joined = Zeroizing::new(match order {
            Order::KemFirst => [&kem_secret[..], curve_secret.secret_bytes()].concat(),
            Order::CurveFirst => [curve_secret.secret_bytes(), &kem_secret[..]].concat(),
        });
        Ok(SharedSecret::from(&joined[..]))
    }

    /// The classical share goes in the ClientHello too, as OpenSSL 3.5 sends
    /// X25519's beside X25519MLKEM768's, computed once for both.
    fn hybrid_component(&self) -> Option<(NamedGroup, &[u8])> {
        let (classical, _) = self.classical.as_ref()?;
        Some((classical.group(), classical.pub_key()))
    }

    fn complete_hybrid_component(
        self: Box<Self>,
        peer_pub_key: &[u8],
    ) -> Result<SharedSecret, Error> {
        match self.classical {
            Some((classical, _)) => classical.complete(peer_pub_key),
            None => Err(PeerMisbehaved::InvalidKeyShare.into()),
        }
    }

    fn pub_key(&self) -> &[u8] {
        &self.pub_key
    }

    fn group(&self) -> NamedGroup {
        self.name
    }
}
