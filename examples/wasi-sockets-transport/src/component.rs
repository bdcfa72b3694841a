//! The WIT glue: exports tls-connect's `transport` with [`TcpDuplex`] behind the
//! `duplex` resource, and a `host-crypto` that declines every offer.

use std::net::ToSocketAddrs;

use crate::stream::{unix_unsupported, TcpDuplex};
use node_net::NetError;

wit_bindgen::generate!({
    path: ["../../wit", "wit"],
    world: "tls-connect:wasi-sockets-transport/wasi-sockets-transport",
});

use exports::tls_connect::tls_connect::host_crypto::{
    self, Aead, Direction, GuestTrafficKey, RecordVersion, SignatureAlgorithm, TrafficKey,
};
use exports::tls_connect::tls_connect::transport::{
    Duplex, Guest, GuestDuplex, IoError, TcpOptions,
};

struct Adapter;

export!(Adapter);

fn io_error(err: NetError) -> IoError {
    IoError {
        code: err.code,
        message: err.message,
    }
}

impl Guest for Adapter {
    type Duplex = TcpDuplex;

    /// net's options, as far as this adapter can apply them. `family` is
    /// applied: the name is looked up here and only addresses of that family are
    /// dialled. wasi:sockets 0.2 could bind a local address and port and set
    /// keep-alive, but `std::net`, which this adapter dials with, exposes
    /// neither before or after connecting: a local binding fails clearly rather
    /// than connect from another address, and keep-alive is left off. It has no
    /// TCP_NODELAY at all, so Nagle's algorithm stays on whatever `noDelay`
    /// says, and no read deadline, so `timeout` is not applied either.
    fn open_tcp(host: String, port: u16, options: TcpOptions) -> Result<Duplex, IoError> {
        if options.local_address.is_some() || options.local_port.is_some() {
            return Err(local_binding_unavailable());
        }
        match options.family {
            family @ (4 | 6) => open_in_family(&host, port, family),
            _ => TcpDuplex::open(&host, port),
        }
        .map(Duplex::new)
        .map_err(io_error)
    }

    fn open_unix(path: String) -> Result<Duplex, IoError> {
        Err(io_error(unix_unsupported(&path)))
    }
}

impl GuestDuplex for TcpDuplex {
    fn read(&self, max_len: u32) -> Result<Vec<u8>, IoError> {
        TcpDuplex::read(self, max_len).map_err(io_error)
    }

    fn write(&self, data: Vec<u8>) -> Result<(), IoError> {
        TcpDuplex::write(self, &data).map_err(io_error)
    }

    fn shutdown(&self) -> Result<(), IoError> {
        TcpDuplex::shutdown(self).map_err(io_error)
    }

    fn close(&self) {
        TcpDuplex::close(self)
    }
}

/// Opens TCP to the first address of `host` in `family` (4 or 6) that
/// answers, as Node does with `family` set; none in that family is `ENOTFOUND`.
/// The error is the last address's.
fn open_in_family(host: &str, port: u16, family: u8) -> Result<TcpDuplex, NetError> {
    let addresses = (host, port)
        .to_socket_addrs()
        .map_err(|_| NetError::not_found(host))?
        .filter(|address| (family == 4) == address.is_ipv4());
    let mut last = None;
    for address in addresses {
        match TcpDuplex::open(&address.ip().to_string(), port) {
            Ok(duplex) => return Ok(duplex),
            Err(err) => last = Some(err),
        }
    }
    Err(last.unwrap_or_else(|| NetError::not_found(host)))
}

/// `localAddress` and `localPort` cannot be applied over `std::net` here.
fn local_binding_unavailable() -> IoError {
    IoError {
        code: "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM".to_owned(),
        message:
            "localAddress and localPort are not available in tls-connect's wasi:sockets transport"
                .to_owned(),
    }
}

/// No key is ever taken, so no traffic key exists: WASI offers no native crypto.
pub enum NoKey {}

impl host_crypto::Guest for Adapter {
    type TrafficKey = NoKey;

    fn take_key(
        _algorithm: Aead,
        _version: RecordVersion,
        _direction: Direction,
        _key: Vec<u8>,
        _iv: Vec<u8>,
    ) -> Option<TrafficKey> {
        None
    }

    fn verify_signature(
        _algorithm: SignatureAlgorithm,
        _public_key: Vec<u8>,
        _message: Vec<u8>,
        _signature: Vec<u8>,
    ) -> Option<bool> {
        None
    }
}

impl GuestTrafficKey for NoKey {
    fn seal(&self, _content_type: u8, _plaintext: Vec<u8>) -> Vec<u8> {
        match *self {}
    }

    fn open(&self, _content_type: u8, _payload: Vec<u8>) -> Option<Vec<u8>> {
        match *self {}
    }
}
