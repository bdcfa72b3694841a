//! A wasmtime host for the tls-connect component.
//!
//! - [`component`]: loads the component, keeping a precompiled `.cwasm` beside it,
//!   and instantiates it with WASI and our transport import.
//! - [`transport`]: the transport import over real sockets (TCP with
//!   TCP_NODELAY, Unix sockets, or any stream the caller lends).
//! - [`host_crypto`]: the host-crypto import: native ring seals and opens TLS
//!   records and verifies signatures (or declines, so the guest does it).
//! - [`command`]: runs a command component, such as a plugin composed with
//!   tls-connect, with our transport import or with WASI alone.
//! - [`echo_client`]: Node's documentation echo client, driven sans-IO.
//! - [`meter`]: counts a guest's linear memory, to watch it for leaks.
//! - [`echo_server`]: an in-process rustls echo server, for the self-contained
//!   demo and the tests (its certificates come fresh from the `test-pki` crate).

pub mod command;
pub mod component;
pub mod echo_client;
pub mod echo_server;
pub mod host_crypto;
pub mod meter;

pub mod transport;

/// Bindings generated from the WIT package in `../wit`.
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
pub use component::{ClientComponent, ClientInstance, Imports};
pub use host_crypto::{HostCrypto, HostCryptoCounts};

/// Connect options with nothing set: every Node default applies. Struct
/// literals start from it (`..unset_options()`), so a new WIT option is added once.
pub fn unset_options() -> ConnectOptions {
    ConnectOptions {
        host: None,
        port: None,
        path: None,
        socket: None,
        servername: None,
        reject_unauthorized: None,
        ca: None,
        crl: None,
        cert: None,
        key: None,
        passphrase: None,
        ciphers: None,
        min_version: None,
        max_version: None,
        alpn_protocols: None,
        allow_half_open: None,
        pfx: None,
        ecdh_curve: None,
        sigalgs: None,
        secure_protocol: None,
        secure_options: None,
        allow_partial_trust_chain: None,
        request_ocsp: None,
        enable_trace: None,
        min_dh_size: None,
        session: None,
        identity_check: None,
        net: None,
    }
}
