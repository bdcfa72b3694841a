//! tls-connect's `transport` interface implemented over wasi:sockets TCP, as a
//! component of its own. Composed into tls-connect's `transport` import, it lets
//! a host that offers only WASI 0.2 with networking run tls-connect, with no
//! custom import to implement.
//!
//! The cost: wasi:sockets 0.2 cannot set TCP_NODELAY, so Nagle's algorithm stays
//! on; and it has no Unix sockets, so `open-unix` fails with `EAFNOSUPPORT`.
//!
//! [`stream`] is plain Rust over `std::net` (which on `wasm32-wasip2` runs over
//! wasi:sockets) and is tested natively; only the WIT glue is wasm-only.

pub mod stream;

#[cfg(target_arch = "wasm32")]
mod component;
