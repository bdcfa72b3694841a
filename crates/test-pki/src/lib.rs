//! Certificates and peers' tools for tls-connect's tests, fuzz targets and demo.
//!
//! - [`Ca`], [`LeafSpec`], [`DemoPki`]: certificates made fresh with rcgen.
//! - [`TempDir`]: a scratch directory that runs the openssl CLI in itself.
//! - [`node`]: runs a script in Node, the reference every Node rule is checked
//!   against.
//! - [`require`]: whether a tool a test needs is on PATH; tests skip, with a
//!   message, when it is not.

#![deny(missing_docs, unreachable_pub)]

pub mod node;
mod rcgen_pki;
mod scratch;
mod tools;

pub use rcgen_pki::{
    days_from_now, self_signed_leaf, self_signed_leaf_with, Ca, DemoPki, Issued, LeafSpec,
};
pub use scratch::TempDir;
pub use tools::require;

/// rcgen, for tests that shape a certificate beyond [`LeafSpec`].
pub use rcgen;
