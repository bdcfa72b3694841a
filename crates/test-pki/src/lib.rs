//! Certificates and peers' tools for tls-connect's tests, fuzz targets and demo.
//!
//! - [`Ca`], [`LeafSpec`], [`DemoPki`]: certificates made fresh with rcgen.
//! - [`TempDir`]: a scratch directory that runs the openssl CLI in itself, and
//!   makes there what rcgen cannot ([`TempDir::request`], [`TempDir::sign`],
//!   [`TempDir::self_signed`]: RSA keys, SHA-1 signatures, version 1
//!   certificates).
//! - [`Tool`]: one run of `openssl` or `node` (arguments, directory, stdin),
//!   checked; [`node`]: runs a script in Node 26 ([`node_program`]), the
//!   reference every Node rule is checked against.
//! - [`require`]: whether a tool a test needs is on PATH; tests skip, with a
//!   message, when it is not.
//! - [`hostile`]: what a hostile server sends to make a client work: padding
//!   certificates, name-constraint floods, same-name and long chains.

#![deny(missing_docs, unreachable_pub)]

pub mod hostile;
pub mod node;
mod openssl_pki;
mod rcgen_pki;
mod scratch;
#[cfg(test)]
mod tests;
mod tool;

pub use openssl_pki::NewKey;
pub use rcgen_pki::{
    days_from_now, self_signed_leaf, self_signed_leaf_with, Ca, DemoPki, Issued, LeafSpec,
};
pub use scratch::TempDir;
pub use tool::{node_program, require, Tool};

/// rcgen, for tests that shape a certificate beyond [`LeafSpec`].
pub use rcgen;
