//! Node's `tls.connect()` options: the engine's copy of them, Node's defaults,
//! and Node's validation. Every host hands its options here, so every host
//! applies the same rules.
//!
//! The options come in four parts, each handed only to the subsystem that
//! reads it: the [`ContextOptions`] and the [`Credentials`] make a secure
//! context, the [`ConnectionOptions`] shape one connection under it, and the
//! [`TargetOptions`] say where a host-opened connection goes.

mod connection;
mod context;
mod credentials;
mod target;

pub(crate) use connection::Settings;
pub use connection::{AlpnProtocols, ConnectionOptions, IdentityCheck};
pub use context::ContextOptions;
pub use credentials::{Credentials, KeyEntry, Pem, PfxEntry};
pub use target::{NetOptions, Target, TargetOptions, TcpOptions};

use crate::context::names;

/// The options of `tls.connect()` that the engine understands, split as the
/// engine uses them. `None` in a part means "not given": Node's default applies.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConnectOptions {
    /// `host`, `port`, `path` and net's options.
    pub target: TargetOptions,
    /// The options each connection has of its own.
    pub connection: ConnectionOptions,
    /// The secure context's options other than the credentials.
    pub context: ContextOptions,
    /// `cert`, `key`, `passphrase` and `pfx`.
    pub credentials: Credentials,
}

/// The values of Node's `tls.DEFAULT_*` constants for this engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defaults {
    /// `DEFAULT_CIPHERS`.
    pub ciphers: String,
    /// `DEFAULT_ECDH_CURVE`.
    pub ecdh_curve: String,
    /// `DEFAULT_MIN_VERSION`.
    pub min_version: String,
    /// `DEFAULT_MAX_VERSION`.
    pub max_version: String,
}

/// The defaults `tls.connect()` applies when an option is not given.
pub fn defaults() -> Defaults {
    Defaults {
        ciphers: names::default_cipher_list(),
        // rustls chooses among X25519, P-256 and P-384 itself, as OpenSSL's 'auto' does.
        ecdh_curve: names::AUTO_ECDH_CURVE.to_owned(),
        min_version: names::DEFAULT_MIN_VERSION.node_name().to_owned(),
        max_version: names::DEFAULT_MAX_VERSION.node_name().to_owned(),
    }
}

/// Node's default host.
pub(crate) const DEFAULT_HOST: &str = "localhost";

#[cfg(test)]
mod tests;
