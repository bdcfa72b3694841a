//! Two plugin components on tls-connect's `client` interface, and what they share.
//!
//! - `https-get URL`: an HTTP/1.1 GET over TLS 1.3 with ALPN `http/1.1`; prints the
//!   status line, the server certificate's subject, the protocol and ALPN, then the body.
//! - `tls-echo --host H --port P`: the echo client of Node's `tls.connect()`
//!   documentation, attached (the guest does its own blocking I/O).
//!
//! A composed component cannot read files unless its host preopens a directory,
//! so certificates come as PEM text in environment variables ([`args::Credentials`]).
//! Both print `handshake: N ms` on stderr: the time `connect` took, TCP included.
//!
//! [`args`], [`http`] and [`names`] are plain Rust, tested natively. [`tls`]
//! holds the bindings and the calls into tls-connect; it compiles natively too,
//! so the binaries are checked on every target, but only a composed wasm32
//! build has a tls-connect to call ([`tls::main`] says so natively).

pub mod args;
pub mod http;
pub mod names;
pub mod tls;
