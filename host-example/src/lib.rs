//! A wasmtime host for the tls-connect component.
//!
//! The component imports three interfaces of its own besides WASI 0.2. Each is
//! served by its own module, on its own view of the store, the way
//! `wasmtime-wasi` and `wasmtime-wasi-tls` serve theirs: the embedder's store
//! data implements a trait that hands out the view, and the module's
//! `add_to_linker` links that interface alone. None of these modules knows the
//! others, nor any store data.
//!
//! - [`transport`]: the `transport` import (the `duplex` resource) over real
//!   sockets: TCP with net's options and TCP_NODELAY, Unix sockets, or any
//!   stream the caller lends. Store data implements [`HasTransport`].
//! - [`host_crypto`]: the `host-crypto` import (the `traffic-key` resource):
//!   native ring seals and opens TLS records and verifies signatures, or
//!   declines so the guest does it. Store data implements [`HasHostCrypto`].
//! - [`types`]: the types-only `types` import, which needs no state, and
//!   `Default` for [`ConnectOptions`].
//!
//! [`add_to_linker`] links WASI and all three for store data of any kind. On top
//! of them sit the ready hosts, which bring their own store data:
//!
//! - [`component`]: [`ClientComponent`] loads the component, keeping a
//!   precompiled `.cwasm` beside it ([`precompiled`]), and instantiates it;
//!   [`instance`]: [`ClientInstance`], one instance's exports as plain Rust calls.
//! - [`command`]: [`CommandComponent`] runs a command component, such as a plugin
//!   composed with tls-connect, with these imports or with WASI alone.
//! - [`echo_client`]: Node's documentation echo client, driven sans-IO.
//! - [`http`]: [`HttpHandler`] and [`HttpServer`] serve a wasi:http
//!   incoming-handler component, one instance per request, as `wasmtime serve`
//!   does: WASI and wasi:http only, TCP to loopback addresses by default.
//! - [`meter`]: counts a guest's linear memory, to watch it for leaks.
//! - [`echo_server`]: an in-process rustls echo server, for the self-contained
//!   demo and the tests (its certificates come fresh from the `test-pki` crate).
//! - [`cli`]: what the `echo-client`, `run-plugin` and `serve-http` binaries share.

#![deny(missing_docs)]

use wasmtime::component::Linker;
use wasmtime_wasi::WasiView;

pub mod cli;
pub mod command;
pub mod component;
pub mod echo_client;
pub mod echo_server;
pub mod host_crypto;
pub mod http;
pub mod instance;
pub mod meter;
pub mod precompiled;
mod records;
mod state;
pub mod transport;
pub mod types;

/// Bindings generated from the WIT package in `../wit`.
#[allow(missing_docs)] // what the WIT leaves undocumented
pub mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "tls-connect",
        with: {
            "tls-connect:tls-connect/transport.duplex": crate::transport::Stream,
            "tls-connect:tls-connect/host-crypto.traffic-key": crate::host_crypto::TrafficKey,
        },
        imports: { default: trappable },
    });
}

pub use bindings::exports::tls_connect::tls_connect::client::{SecureContext, TlsSocket};
pub use bindings::tls_connect::tls_connect::types::{
    AlpnProtocols, Cipher, ConnectOptions, EphemeralKeyInfo, Fed, IdentityCheck, KeyEntry,
    NetOptions, PeerCertificate, Pem, PfxEntry, SocketEvent, TlsError,
};
pub use command::CommandComponent;
pub use component::ClientComponent;
pub use host_crypto::{HasHostCrypto, HostCrypto, HostCryptoCounts, HostCryptoCtx, HostCryptoView};
pub use http::{HandlerConfig, HttpHandler, HttpServer};
pub use instance::ClientInstance;
pub use state::Imports;
pub use transport::{HasTransport, TransportView};

/// Adds everything the component imports to `linker`: WASI 0.2 (synchronous)
/// and tls-connect's `types`, `transport` and `host-crypto`, each served on the
/// view the store data hands out. A composed plugin imports the same.
pub fn add_to_linker<T>(linker: &mut Linker<T>) -> wasmtime::Result<()>
where
    T: WasiView + HasTransport + HasHostCrypto + 'static,
{
    wasmtime_wasi::p2::add_to_linker_sync(linker)?;
    types::add_to_linker(linker)?;
    transport::add_to_linker(linker)?;
    host_crypto::add_to_linker(linker)
}

/// The README's Rust examples, compiled (not run) as this crate's doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
