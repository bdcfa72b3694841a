//! The tls-connect engine: Node.js's `tls.connect()` client over rustls, as plain
//! Rust that knows nothing of sockets or WIT.
//!
//! A host hands it Node's options ([`ConnectOptions`]) and drives a sans-IO
//! [`Connection`] (ciphertext in and out, plaintext in and out, Node's events as
//! return values), or lets [`Attached`] drive one over a blocking [`Transport`].
//! Every Node rule lives here once, so every host answers alike:
//!
//! - `options`: Node's defaults and argument checks, net's options.
//! - `context`: the secure context (a rustls `ClientConfig`) and the name tables
//!   of versions, ciphers, groups and signature algorithms.
//! - `credentials`: the client's identity from PEM, encrypted and legacy keys, and
//!   PKCS#12 bundles.
//! - `verify`: the trust store, chain verification with OpenSSL's codes, and
//!   Node's `checkServerIdentity`.
//! - `x509`: Node's peer-certificate object.
//! - `conn`: the connection, its sessions and events, and the attached driver.
//! - `offload`: record protection and signature checks offered to the host's
//!   native crypto first.
//! - `error`: Node's error shape, and its codes for TLS alerts.
//!
//! The component crate (the repository's root) converts WIT types to these and
//! back; the fuzz targets and the benchmark use them natively.

#![deny(missing_docs, unreachable_pub)]

mod conn;
mod context;
mod credentials;
mod der;
mod error;
mod javascript;
mod offload;
mod options;
mod sync;
mod verify;
mod x509;

#[cfg(feature = "fuzzing")]
pub mod fuzzing;

pub use conn::attached::{Attached, Transport};
pub use conn::events::SocketEvent;
pub use conn::{CipherInfo, Connection, EphemeralKeyInfo, Fed};
pub use context::{defaults, Defaults, SecureContext};
pub use error::TlsError;
pub use offload::{
    install as install_host_crypto, Aead, CryptoHost, Direction, HostKey, KeyOffer,
    NativeRecordKey, RecordVersion, SignatureAlgorithm,
};
pub use options::{
    AlpnProtocols, ConnectOptions, ConnectionOptions, ContextOptions, Credentials, IdentityCheck,
    KeyEntry, NetOptions, Pem, PfxEntry, Target, TargetOptions, TcpOptions,
};
pub use verify::identity::check_server_identity;
pub use verify::roots::root_certificates;
pub use x509::PeerCertificate;

/// Node's `tls.getCiphers()`: the cipher names this engine supports, lower case.
pub fn get_ciphers() -> Vec<String> {
    context::names::supported_cipher_names()
}

/// Node's `tls.getCertificateCompressionAlgorithms()`: the names the
/// `certificateCompression` option accepts, in Node's order.
pub fn get_certificate_compression_algorithms() -> Vec<String> {
    context::certificate_compression_algorithms()
}
