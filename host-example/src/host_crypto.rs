//! The `host-crypto` import: native ring seals and opens TLS records and
//! verifies ECDSA and Ed25519 signatures for the guest, which in wasm runs
//! AES-GCM at a fortieth of native speed and P-256 in portable code. A store
//! whose [`HostCryptoCtx`] is set to [`HostCrypto::Declined`] refuses every
//! offer, and the guest does the work itself.
//!
//! The import is served on a [`HostCryptoView`] of the store: the resource table
//! the traffic keys live in and, when the store keeps one, that context. Store
//! data hands one out by implementing [`HasHostCrypto`], and [`add_to_linker`]
//! links the import for it.

use ring::aead::{self, LessSafeKey, UnboundKey};
use ring::signature::{self, UnparsedPublicKey, VerificationAlgorithm};
use wasmtime::component::{HasData, Linker, Resource, ResourceTable};
use wasmtime::Result;
use wasmtime_wasi::WasiView;

use crate::bindings::tls_connect::tls_connect::host_crypto::{
    self, Aead, HostTrafficKey, SignatureAlgorithm,
};

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

/// The import's state in one store: whether it does the work, and what it did.
#[derive(Debug, Clone, Default)]
pub struct HostCryptoCtx {
    mode: HostCrypto,
    counts: HostCryptoCounts,
}

impl HostCryptoCtx {
    /// A context that does the work as `mode` says, having done nothing yet.
    pub fn new(mode: HostCrypto) -> Self {
        Self {
            mode,
            counts: HostCryptoCounts::default(),
        }
    }

    /// What the host did for the guest so far.
    pub fn counts(&self) -> HostCryptoCounts {
        self.counts
    }
}

/// What the `host-crypto` import works on: the table the traffic keys live in,
/// and the import's context when the store keeps one.
pub struct HostCryptoView<'a> {
    /// The store's resource table.
    pub table: &'a mut ResourceTable,
    /// Whether to do the work, and what was done; with none, the host does the
    /// work natively and counts nothing.
    pub ctx: Option<&'a mut HostCryptoCtx>,
}

/// Store data that serves the `host-crypto` import.
pub trait HasHostCrypto: WasiView {
    /// The view the import works on. By default the host does the work
    /// natively, counts nothing, and keeps the traffic keys in WASI's table.
    fn host_crypto(&mut self) -> HostCryptoView<'_> {
        HostCryptoView {
            table: self.ctx().table,
            ctx: None,
        }
    }
}

/// Adds the `host-crypto` import to `linker`, served on [`HasHostCrypto::host_crypto`].
pub fn add_to_linker<T: HasHostCrypto + 'static>(linker: &mut Linker<T>) -> Result<()> {
    host_crypto::add_to_linker::<T, HostCryptoData>(linker, T::host_crypto)
}

/// Links the import to [`HostCryptoView`].
struct HostCryptoData;

impl HasData for HostCryptoData {
    type Data<'a> = HostCryptoView<'a>;
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

impl HostCryptoView<'_> {
    /// Whether this store refuses every offer.
    fn declines(&self) -> bool {
        self.ctx
            .as_ref()
            .is_some_and(|ctx| ctx.mode == HostCrypto::Declined)
    }

    /// Records work done, when the store keeps count.
    fn count(&mut self, done: impl FnOnce(&mut HostCryptoCounts)) {
        if let Some(ctx) = self.ctx.as_mut() {
            done(&mut ctx.counts);
        }
    }
}

/// A nonce of the right length; anything else gets an answer the guest refuses
/// (an empty seal, a failed open) rather than a trap.
fn nonce(bytes: &[u8]) -> Option<aead::Nonce> {
    aead::Nonce::try_assume_unique_for_key(bytes).ok()
}

impl host_crypto::Host for HostCryptoView<'_> {
    fn take_key(&mut self, aead: Aead, key: Vec<u8>) -> Result<Option<Resource<TrafficKey>>> {
        if self.declines() {
            return Ok(None);
        }
        let Ok(unbound) = UnboundKey::new(aead_algorithm(aead), &key) else {
            return Ok(None);
        };
        self.count(|counts| counts.keys_taken += 1);
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
        if self.declines() {
            return Ok(None);
        }
        self.count(|counts| counts.signatures_verified += 1);
        let key = UnparsedPublicKey::new(signature_algorithm(algorithm), &public_key);
        Ok(Some(key.verify(&message, &signature).is_ok()))
    }
}

impl HostTrafficKey for HostCryptoView<'_> {
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
