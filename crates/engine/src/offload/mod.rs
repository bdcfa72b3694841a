//! The host's native crypto, offered first for the two costs that dominate in
//! wasm: record protection ([`crate::offload::records`]) and signature verification
//! ([`crate::offload::signatures`]). The component glue installs the imported host with
//! [`install`]; with none installed (native builds, tests), or when the host
//! declines, the guest's own ring does the work.

mod pss_keys;
pub(crate) mod records;
pub use records::native::NativeRecordKey;
pub(crate) mod signatures;

use std::sync::OnceLock;

/// The AEAD algorithms of the TLS 1.3 suites.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aead {
    /// TLS_AES_128_GCM_SHA256.
    Aes128Gcm,
    /// TLS_AES_256_GCM_SHA384.
    Aes256Gcm,
    /// TLS_CHACHA20_POLY1305_SHA256.
    ChaCha20Poly1305,
}

/// The signature algorithms a host may verify. RSA is not among them: its
/// key-size rules stay the guest's, whatever the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    /// ECDSA, P-256, SHA-256.
    EcdsaP256Sha256,
    /// ECDSA, P-256, SHA-384.
    EcdsaP256Sha384,
    /// ECDSA, P-384, SHA-256.
    EcdsaP384Sha256,
    /// ECDSA, P-384, SHA-384.
    EcdsaP384Sha384,
    /// Ed25519.
    Ed25519,
}

/// How a connection protects its records once keys are set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordVersion {
    /// TLS 1.2's AEAD records (RFC 5288, RFC 7905).
    Tls12,
    /// TLS 1.3 records (RFC 8446, section 5.2).
    Tls13,
}

/// Which way a traffic key protects records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Records the client sends.
    Write,
    /// Records the server sends.
    Read,
}

/// One direction's record protection, offered to the host.
#[derive(Debug, Clone, Copy)]
pub struct KeyOffer<'a> {
    /// The suite's AEAD.
    pub aead: Aead,
    /// How records are framed and their nonces made.
    pub version: RecordVersion,
    /// Which way the key protects records.
    pub direction: Direction,
    /// The AEAD key.
    pub key: &'a [u8],
    /// TLS 1.3's IV; TLS 1.2 GCM's 4-byte salt, followed (for writing) by the 8
    /// bytes its explicit nonces start from, else zeros; TLS 1.2
    /// ChaCha20-Poly1305's IV.
    pub iv: &'a [u8; 12],
}

/// A host that may seal and open records and verify signatures with its own crypto.
pub trait CryptoHost: Send + Sync {
    /// Takes one direction's record protection, or declines with `None`.
    fn take_key(&self, offer: &KeyOffer<'_>) -> Option<Box<dyn HostKey>>;

    /// Whether `signature` is valid over `message` for `public_key` (the
    /// subjectPublicKey bits); `None` when the host declines.
    fn verify_signature(
        &self,
        algorithm: SignatureAlgorithm,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Option<bool>;
}

/// One direction's record protection, held by the host: key, IV and the
/// sequence number, which counts every record sealed or opened with it, so a
/// host may also seal or open records of its own between the guest's.
pub trait HostKey: Send + Sync {
    /// Seals the next record of type `content_type` (TLS 1.3: the inner type):
    /// its payload, with TLS 1.2 GCM's explicit nonce first and the tag last.
    fn seal(&mut self, content_type: u8, plaintext: &[u8]) -> Vec<u8>;
    /// Opens the next record's payload (`content_type` is its header's type):
    /// the plaintext (TLS 1.3: with the inner type and padding), or `None` when
    /// it does not authenticate.
    fn open(&mut self, content_type: u8, payload: &[u8]) -> Option<Vec<u8>>;
}

static HOST: OnceLock<Box<dyn CryptoHost>> = OnceLock::new();

/// Installs the host's crypto for every later connection. The first call wins.
pub fn install(host: Box<dyn CryptoHost>) {
    let _ = HOST.set(host);
}

/// Offers one direction's record protection to the installed host: its key,
/// or `None` when no host is installed or it declines.
pub(crate) fn offer_key(offer: &KeyOffer<'_>) -> Option<Box<dyn HostKey>> {
    HOST.get()?.take_key(offer)
}

/// Offers a signature to the installed host: its verdict, or `None` when no
/// host is installed or it declines.
pub(crate) fn offer_signature(
    algorithm: SignatureAlgorithm,
    public_key: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Option<bool> {
    HOST.get()?
        .verify_signature(algorithm, public_key, message, signature)
}
