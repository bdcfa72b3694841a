//! An edge function: a wasi:http incoming handler (the model of `wasmtime
//! serve`, Spin and Fastly Compute) that answers each request by calling a TLS
//! backend through tls-connect, with client certificates.
//!
//! For each request it runs Node's documentation echo against the backend named
//! by the query, `?host=H&port=P[&servername=N]` ([`backend`]): it connects
//! with the certificates in its environment (`TLS_CONNECT_CA`, `TLS_CONNECT_CERT`
//! and `TLS_CONNECT_KEY`, PEM text, as the plugins take them), writes the request
//! body, ends its side and reads the echo ([`exchange`]). It answers 200 with
//! JSON carrying the echo, `authorized` and the protocol, or 502 with Node's
//! error code and message when the connection fails ([`reply`]).
//!
//! Composed with tls-connect and the wasi:sockets transport adapter
//! (`examples/compose/http-handler-wasi-only.wac`), it imports only WASI.
//!
//! [`backend`], [`json`] and [`reply`] are plain Rust, tested natively;
//! [`exchange`] calls tls-connect through the plugins' bindings and compiles
//! natively too; only the wasi:http glue is wasm-only.

pub mod backend;
pub mod exchange;
pub mod json;
pub mod reply;

#[cfg(target_arch = "wasm32")]
mod component;
