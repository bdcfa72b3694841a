//! The imports as engine traits: the `transport` duplex as the engine's
//! `Transport`, and `host-crypto` as its `CryptoHost`.

use tls_connect_engine::{
    install_host_crypto, Aead, CryptoHost, Direction, HostKey, KeyOffer, RecordVersion,
    SignatureAlgorithm, Target, TlsError, Transport,
};

use crate::bindings::tls_connect::tls_connect::host_crypto as wit_crypto;
use crate::bindings::tls_connect::tls_connect::transport as wit_transport;
use crate::convert::{io_error, wit_tcp_options};

/// Opens the transport Node's options name.
pub(crate) fn open(target: &Target) -> Result<wit_transport::Duplex, TlsError> {
    match target {
        Target::Tcp {
            host,
            port,
            options,
        } => wit_transport::open_tcp(host, *port, &wit_tcp_options(options)),
        Target::Unix { path } => wit_transport::open_unix(path),
    }
    .map_err(io_error)
}

/// The imported duplex as the engine's transport.
pub(crate) struct Duplex(pub(crate) wit_transport::Duplex);

impl Transport for Duplex {
    fn read(&mut self, max_len: usize) -> Result<Vec<u8>, TlsError> {
        let max_len = u32::try_from(max_len).unwrap_or(u32::MAX);
        self.0.read(max_len).map_err(io_error)
    }

    fn write(&mut self, data: &[u8]) -> Result<(), TlsError> {
        self.0.write(data).map_err(io_error)
    }

    fn shutdown(&mut self) -> Result<(), TlsError> {
        self.0.shutdown().map_err(io_error)
    }

    fn close(&mut self) {
        self.0.close();
    }
}

/// From the first connection on, every traffic key and every ECDSA or Ed25519
/// signature is offered to the host's `host-crypto` import first.
pub(crate) fn offer_crypto_to_host() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| install_host_crypto(Box::new(ImportedCrypto)));
}

/// The imported `host-crypto` interface.
struct ImportedCrypto;

impl CryptoHost for ImportedCrypto {
    fn take_key(&self, offer: &KeyOffer<'_>) -> Option<Box<dyn HostKey>> {
        let aead = match offer.aead {
            Aead::Aes128Gcm => wit_crypto::Aead::Aes128Gcm,
            Aead::Aes256Gcm => wit_crypto::Aead::Aes256Gcm,
            Aead::ChaCha20Poly1305 => wit_crypto::Aead::Chacha20Poly1305,
        };
        let version = match offer.version {
            RecordVersion::Tls12 => wit_crypto::RecordVersion::Tls12,
            RecordVersion::Tls13 => wit_crypto::RecordVersion::Tls13,
        };
        let direction = match offer.direction {
            Direction::Write => wit_crypto::Direction::Write,
            Direction::Read => wit_crypto::Direction::Read,
        };
        let key = wit_crypto::take_key(aead, version, direction, offer.key, offer.iv)?;
        Some(Box::new(ImportedKey(key)))
    }

    fn verify_signature(
        &self,
        algorithm: SignatureAlgorithm,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Option<bool> {
        use wit_crypto::SignatureAlgorithm as Wit;
        let algorithm = match algorithm {
            SignatureAlgorithm::EcdsaP256Sha256 => Wit::EcdsaP256Sha256,
            SignatureAlgorithm::EcdsaP256Sha384 => Wit::EcdsaP256Sha384,
            SignatureAlgorithm::EcdsaP384Sha256 => Wit::EcdsaP384Sha256,
            SignatureAlgorithm::EcdsaP384Sha384 => Wit::EcdsaP384Sha384,
            SignatureAlgorithm::Ed25519 => Wit::Ed25519,
        };
        wit_crypto::verify_signature(algorithm, public_key, message, signature)
    }
}

/// A traffic key the host took.
struct ImportedKey(wit_crypto::TrafficKey);

// SAFETY: a wasm32-wasip2 component has one thread; the engine's traits ask for
// Send and Sync only because rustls's encrypter traits do.
unsafe impl Send for ImportedKey {}
unsafe impl Sync for ImportedKey {}

impl HostKey for ImportedKey {
    fn seal(&mut self, content_type: u8, plaintext: &[u8]) -> Vec<u8> {
        self.0.seal(content_type, plaintext)
    }

    fn open(&mut self, content_type: u8, payload: &[u8]) -> Option<Vec<u8>> {
        self.0.open(content_type, payload)
    }
}
