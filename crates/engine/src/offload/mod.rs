//! The host's native crypto, offered first for the two costs that dominate in
//! wasm: record protection ([`crate::offload::records`]) and signature verification
//! ([`crate::offload::signatures`]). The component glue installs the imported host with
//! [`install`]; with none installed (native builds, tests), or when the host
//! declines, the guest's own ring does the work.

mod pss_keys;
pub(crate) mod records;
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

/// A host that may seal and open records and verify signatures with its own crypto.
pub trait CryptoHost: Send + Sync {
    /// Takes one direction's traffic key, or declines with `None`.
    fn take_key(&self, aead: Aead, key: &[u8]) -> Option<Box<dyn HostKey>>;

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

/// One direction's traffic key, held by the host.
pub trait HostKey: Send + Sync {
    /// The ciphertext of `plaintext` followed by its tag.
    fn seal(&self, nonce: &[u8; 12], aad: &[u8], plaintext: &[u8]) -> Vec<u8>;
    /// The plaintext of `sealed` (ciphertext and tag), or `None` when it does not authenticate.
    fn open(&self, nonce: &[u8; 12], aad: &[u8], sealed: &[u8]) -> Option<Vec<u8>>;
}

static HOST: OnceLock<Box<dyn CryptoHost>> = OnceLock::new();

/// Installs the host's crypto for every later connection. The first call wins.
pub fn install(host: Box<dyn CryptoHost>) {
    let _ = HOST.set(host);
}

/// Offers one direction's traffic key to the installed host: its key, or
/// `None` when no host is installed or it declines.
pub(crate) fn offer_key(aead: Aead, key: &[u8]) -> Option<Box<dyn HostKey>> {
    HOST.get()?.take_key(aead, key)
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
