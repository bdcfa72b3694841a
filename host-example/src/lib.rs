//! A wasmtime host for the tls-connect component.
//!
//! - [`component`]: loads the component, keeping a precompiled `.cwasm` beside it,
//!   and instantiates it with WASI and our transport import.
//! - [`transport`]: the transport import over real sockets (TCP with
//!   TCP_NODELAY, Unix sockets, or any stream the caller lends).
//! - [`command`]: runs a command component, such as a plugin composed with
//!   tls-connect, with our transport import or with WASI alone.
//! - [`echo_client`]: Node's documentation echo client, driven sans-IO.
//! - [`pki`] and [`echo_server`]: freshly generated certificates and an in-process
//!   rustls echo server, for the self-contained demo and the tests.

pub mod command;
pub mod component;
pub mod echo_client;
pub mod echo_server;
pub mod pki;

pub mod transport;

/// Bindings generated from the WIT package in `../wit`.
pub mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "tls-connect",
        with: {
            "tls-connect:tls-connect/transport.duplex": crate::transport::Stream,
        },
        imports: { default: trappable },
    });
}

pub use bindings::exports::tls_connect::tls_connect::client::TlsSocket;
pub use bindings::tls_connect::tls_connect::types::{
    AlpnProtocols, Cipher, ConnectOptions, Fed, KeyEntry, PeerCertificate, Pem, TlsError,
};
pub use command::CommandComponent;
pub use component::{ClientComponent, ClientInstance, Imports};
