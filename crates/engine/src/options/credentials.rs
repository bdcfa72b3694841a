//! The credentials part: Node's `cert`, `key`, `passphrase` and `pfx`.

use zeroize::Zeroize;

/// PEM data given as text or as bytes (a JavaScript string or a Buffer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pem {
    /// PEM text.
    Text(String),
    /// PEM text as bytes.
    Bytes(Vec<u8>),
}

impl Pem {
    /// The PEM bytes, whichever form they came in.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Pem::Text(text) => text.as_bytes(),
            Pem::Bytes(bytes) => bytes,
        }
    }
}

/// One private key and, optionally, its own passphrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEntry {
    /// The PEM-encoded key.
    pub pem: Pem,
    /// The passphrase for this key; falls back to `Credentials::passphrase`.
    pub passphrase: Option<String>,
}

/// One PKCS#12 bundle and, optionally, its own passphrase (Node's `pfx: [{buf, passphrase}]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PfxEntry {
    /// The DER bytes.
    pub buf: Vec<u8>,
    /// The passphrase for this bundle; falls back to `Credentials::passphrase`.
    pub passphrase: Option<String>,
}

/// The client's identity as Node's options give it. Decoded by the engine's
/// credentials subsystem into a chain and a key; wiped once the secure context
/// holds what it needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    /// `cert`: the client certificate chain, each item a whole chain.
    pub cert: Option<Vec<Pem>>,
    /// `key`: the client key.
    pub key: Option<Vec<KeyEntry>>,
    /// `passphrase`.
    pub passphrase: Option<String>,
    /// `pfx`: PKCS#12 bundles with the client chain and key.
    pub pfx: Option<Vec<PfxEntry>>,
}

impl Credentials {
    /// Wipes the secrets the caller handed in (private keys and passphrases), for
    /// when the secure context has been built and they are no longer needed.
    pub fn zeroize_secrets(&mut self) {
        for entry in self.key.iter_mut().flatten() {
            match &mut entry.pem {
                Pem::Text(text) => text.zeroize(),
                Pem::Bytes(bytes) => bytes.zeroize(),
            }
            entry.passphrase.zeroize();
        }
        for entry in self.pfx.iter_mut().flatten() {
            entry.buf.zeroize();
            entry.passphrase.zeroize();
        }
        self.passphrase.zeroize();
    }
}
