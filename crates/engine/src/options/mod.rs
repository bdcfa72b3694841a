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

/// Node's default host.
pub(crate) const DEFAULT_HOST: &str = "localhost";

#[cfg(test)]
mod tests;
