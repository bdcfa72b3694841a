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

use ring::signature::{self, UnparsedPublicKey, VerificationAlgorithm};
use tls_connect_engine::{HostKey, KeyOffer, NativeRecordKey};
use wasmtime::component::{HasData, Linker, Resource, ResourceTable};
use wasmtime::Result;
use wasmtime_wasi::WasiView;

use crate::bindings::tls_connect::tls_connect::host_crypto::{
    self, Aead, Direction, HostTrafficKey, RecordVersion, SignatureAlgorithm,
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
    /// Application-data records the host's record layer sealed without the guest.
    pub records_sealed: usize,
    /// Application-data records the host's record layer opened without the guest.
    pub records_opened: usize,
}

/// The import's state in one store: whether it does the work, and what it did.
#[derive(Debug, Clone, Default)]
pub struct HostCryptoCtx {
    mode: HostCrypto,
    counts: HostCryptoCounts,
    /// Keys taken since the host's record layer last looked: the table entries
    /// of the traffic keys, for the socket whose call into the guest took them.
    taken: Vec<u32>,
}

impl HostCryptoCtx {
    /// A context that does the work as `mode` says, having done nothing yet.
    pub fn new(mode: HostCrypto) -> Self {
        Self {
            mode,
            counts: HostCryptoCounts::default(),
            taken: Vec::new(),
        }
    }

    /// What the host did for the guest so far.
    pub fn counts(&self) -> HostCryptoCounts {
        self.counts
    }

    /// Records the host's record layer sealed and opened without the guest.
    pub(crate) fn count_records(&mut self, sealed: usize, opened: usize) {
        self.counts.records_sealed += sealed;
        self.counts.records_opened += opened;
    }

    /// The table entries of the keys taken since the last call.
    pub(crate) fn take_new_keys(&mut self) -> Vec<u32> {
        std::mem::take(&mut self.taken)
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

/// One direction's record protection held for the guest: key, IV and sequence
/// number, with the engine's native record rules. The host's record layer
/// (`records`) seals and opens application data with it too.
pub struct TrafficKey(pub(crate) NativeRecordKey);

/// The engine's description of an offered key, from the import's arguments.
fn key_offer<'a>(
    aead: Aead,
    version: RecordVersion,
    direction: Direction,
    key: &'a [u8],
    iv: &'a [u8; 12],
) -> KeyOffer<'a> {
    use tls_connect_engine as engine;
    KeyOffer {
        aead: match aead {
            Aead::Aes128Gcm => engine::Aead::Aes128Gcm,
            Aead::Aes256Gcm => engine::Aead::Aes256Gcm,
            Aead::Chacha20Poly1305 => engine::Aead::ChaCha20Poly1305,
        },
        version: match version {
            RecordVersion::Tls12 => engine::RecordVersion::Tls12,
            RecordVersion::Tls13 => engine::RecordVersion::Tls13,
        },
        direction: match direction {
            Direction::Write => engine::Direction::Write,
            Direction::Read => engine::Direction::Read,
        },
        key,
        iv,
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

impl host_crypto::Host for HostCryptoView<'_> {
    fn take_key(
        &mut self,
        aead: Aead,
        version: RecordVersion,
        direction: Direction,
        key: Vec<u8>,
        iv: Vec<u8>,
    ) -> Result<Option<Resource<TrafficKey>>> {
        if self.declines() {
            return Ok(None);
        }
        // A wrong length gets a refusal the guest handles, never a trap.
        let Ok(iv) = <[u8; 12]>::try_from(iv.as_slice()) else {
            return Ok(None);
        };
        let offer = key_offer(aead, version, direction, &key, &iv);
        let Some(record_key) = NativeRecordKey::new(&offer) else {
            return Ok(None);
        };
        self.count(|counts| counts.keys_taken += 1);
        let key = self.table.push(TrafficKey(record_key))?;
        if let Some(ctx) = self.ctx.as_mut() {
            ctx.taken.push(key.rep());
        }
        Ok(Some(key))
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
        content_type: u8,
        plaintext: Vec<u8>,
    ) -> Result<Vec<u8>> {
        Ok(self.table.get_mut(&key)?.0.seal(content_type, &plaintext))
    }

    fn open(
        &mut self,
        key: Resource<TrafficKey>,
        content_type: u8,
        payload: Vec<u8>,
    ) -> Result<Option<Vec<u8>>> {
        Ok(self.table.get_mut(&key)?.0.open(content_type, &payload))
    }

    fn drop(&mut self, key: Resource<TrafficKey>) -> Result<()> {
        self.table.delete(key)?;
        Ok(())
    }
}
