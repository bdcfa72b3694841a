//! tls-connect: Node.js's `tls.connect()` client as a WebAssembly component.
//!
//! The engine (every module but `glue`) is plain Rust: Node's option rules turned
//! into a rustls configuration ([`options`], [`context`], [`names`]), a sans-IO
//! connection ([`connection`]) with an attached driver ([`transport`]),
//! OpenSSL-shaped verification ([`verify`], [`identity`], [`roots`]), Node's certificate
//! object ([`certinfo`]) and Node's error codes ([`error`], [`alert`]). It builds
//! and is tested natively. `glue` is the only module that sees wit-bindgen types;
//! it exists only in the wasm build.

pub mod alert;
pub mod certinfo;
pub mod connection;
pub mod context;
pub mod error;
pub mod events;
pub mod host_crypto;
pub mod identity;
pub mod keys;
pub mod names;
pub mod options;
pub mod pkcs12;
pub mod record_crypto;
pub mod roots;
pub mod session;
pub mod signatures;
pub mod transport;
pub mod verify;

#[cfg(target_arch = "wasm32")]
mod glue;
#[cfg(test)]
mod node_oracle;

pub use connection::{Connection, Fed};
pub use error::TlsError;
pub use options::ConnectOptions;
