//! The `host-crypto` import: native ring seals and opens TLS records and
//! verifies ECDSA and Ed25519 signatures for the guest, which in wasm runs
//! AES-GCM at a fortieth of native speed and P-256 in portable code. A host
//! state set to [`HostCrypto::Declined`] refuses every offer, and the guest
//! does the work itself.

use ring::aead::{self, LessSafeKey, UnboundKey};
use ring::signature::{self, UnparsedPublicKey, VerificationAlgorithm};
use wasmtime::component::Resource;
use wasmtime::Result;

use crate::bindings::tls_connect::tls_connect::host_crypto::{
    Aead, Host, HostTrafficKey, SignatureAlgorithm,
};
use crate::component::HostState;

/// Whether the host does the guest's record crypto and signature checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HostCrypto {
    /// Natively, with ring.
    #[default]
    Native,
    /// Never: every offer is declined and the guest does the work itself.
    Declined,
}

/// What the host did for one instance's guest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HostCryptoCounts {
    /// Traffic keys taken (one per direction of each TLS 1.3 key).
    pub keys_taken: usize,
    /// Signatures verified.
    pub signatures_verified: usize,
}

/// A traffic key held for the guest.
pub struct TrafficKey(LessSafeKey);

fn aead_algorithm(aead: Aead) -> &'static aead::Algorithm {
    match aead {
        Aead::Aes128Gcm => &aead::AES_128_GCM,
        Aead::Aes256Gcm => &aead::AES_256_GCM,
        Aead::Chacha20Poly1305 => &aead::CHACHA20_POLY1305,
    }
}

fn signature_algorithm(algorithm: SignatureAlgorithm) -> &'static dyn VerificationAlgorithm {
    match algorithm {
        SignatureAlgorithm::EcdsaP256Sha256 => &signature::ECDSA_P256_SHA256_ASN1,
        SignatureAlgorithm::EcdsaP256Sha384 => &signature::ECDSA_P256_SHA384_ASN1,
        SignatureAlgorithm::EcdsaP384Sha256 => &signature::ECDSA_P384_SHA256_ASN1,
        SignatureAlgorithm::EcdsaP384Sha384 => &signature::ECDSA_P384_SHA384_ASN1,
        SignatureAlgorithm::Ed25519 => &signature::ED25519,
    }
}

/// A nonce of the right length; anything else gets an answer the guest refuses
/// (an empty seal, a failed open) rather than a trap.
fn nonce(bytes: &[u8]) -> Option<aead::Nonce> {
    aead::Nonce::try_assume_unique_for_key(bytes).ok()
}

impl Host for HostState {
    fn take_key(&mut self, aead: Aead, key: Vec<u8>) -> Result<Option<Resource<TrafficKey>>> {
        if self.host_crypto == HostCrypto::Declined {
            return Ok(None);
        }
        let Ok(unbound) = UnboundKey::new(aead_algorithm(aead), &key) else {
            return Ok(None);
        };
        self.host_crypto_counts.keys_taken += 1;
        Ok(Some(
            self.table.push(TrafficKey(LessSafeKey::new(unbound)))?,
        ))
    }

    fn verify_signature(
        &mut self,
        algorithm: SignatureAlgorithm,
        public_key: Vec<u8>,
        message: Vec<u8>,
        signature: Vec<u8>,
    ) -> Result<Option<bool>> {
        if self.host_crypto == HostCrypto::Declined {
            return Ok(None);
        }
        self.host_crypto_counts.signatures_verified += 1;
        let key = UnparsedPublicKey::new(signature_algorithm(algorithm), &public_key);
        Ok(Some(key.verify(&message, &signature).is_ok()))
    }
}

impl HostTrafficKey for HostState {
    fn seal(
        &mut self,
        key: Resource<TrafficKey>,
        nonce_bytes: Vec<u8>,
        aad: Vec<u8>,
        mut plaintext: Vec<u8>,
    ) -> Result<Vec<u8>> {
        let key = self.table.get(&key)?;
        let Some(nonce) = nonce(&nonce_bytes) else {
            return Ok(Vec::new());
        };
        match key
            .0
            .seal_in_place_append_tag(nonce, aead::Aad::from(aad), &mut plaintext)
        {
            Ok(()) => Ok(plaintext),
            Err(_) => Ok(Vec::new()),
        }
    }

    fn open(
        &mut self,
        key: Resource<TrafficKey>,
        nonce_bytes: Vec<u8>,
        aad: Vec<u8>,
        mut sealed: Vec<u8>,
    ) -> Result<Option<Vec<u8>>> {
        let key = self.table.get(&key)?;
        let Some(nonce) = nonce(&nonce_bytes) else {
            return Ok(None);
        };
        let Ok(plain) = key
            .0
            .open_in_place(nonce, aead::Aad::from(aad), &mut sealed)
        else {
            return Ok(None);
        };
        let len = plain.len();
        sealed.truncate(len);
        Ok(Some(sealed))
    }

    fn drop(&mut self, key: Resource<TrafficKey>) -> Result<()> {
        self.table.delete(key)?;
        Ok(())
    }
}
