//! The tls-connect component: the WIT glue around the engine
//! (`tls-connect-engine`, in `crates/engine`). Nothing here knows a Node rule;
//! it converts between wit-bindgen's types and the engine's, in three parts:
//!
//! - `exports`: the exported `client` interface, its `tls-socket` and
//!   `secure-context` resources, each call handed to the engine.
//! - `imports`: the imported `transport` as the engine's `Transport`, and the
//!   imported `host-crypto` as the engine's `CryptoHost`.
//! - `convert`: WIT records to engine types and back.
//!
//! The glue exists only in the wasm build; natively this crate is empty, and the
//! tests in `tests/` run the built component in wasmtime.

#![deny(missing_docs, unreachable_pub)]

#[cfg(target_arch = "wasm32")]
mod convert;
#[cfg(target_arch = "wasm32")]
mod exports;
#[cfg(target_arch = "wasm32")]
mod imports;

/// The types wit-bindgen generates from `wit/`.
#[cfg(target_arch = "wasm32")]
#[allow(unreachable_pub, missing_docs)]
mod bindings {
    wit_bindgen::generate!({
        path: "wit",
        world: "tls-connect",
    });
}
