//! The WIT glue: exports tls-connect's `transport` with [`TcpDuplex`] behind the
//! `duplex` resource, and a `host-crypto` that declines every offer.

use crate::stream::{unix_unsupported, TcpDuplex};
use node_net::NetError;

wit_bindgen::generate!({
    path: ["../../wit", "wit"],
    world: "tls-connect:wasi-sockets-transport/wasi-sockets-transport",
});

use exports::tls_connect::tls_connect::host_crypto::{
    self, Aead, GuestTrafficKey, SignatureAlgorithm, TrafficKey,
};
use exports::tls_connect::tls_connect::transport::{Duplex, Guest, GuestDuplex, IoError};

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

    fn open_tcp(host: String, port: u16) -> Result<Duplex, IoError> {
        TcpDuplex::open(&host, port)
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

/// No key is ever taken, so no traffic key exists: WASI offers no native crypto.
pub enum NoKey {}

impl host_crypto::Guest for Adapter {
    type TrafficKey = NoKey;

    fn take_key(_algorithm: Aead, _key: Vec<u8>) -> Option<TrafficKey> {
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
    fn seal(&self, _nonce: Vec<u8>, _aad: Vec<u8>, _plaintext: Vec<u8>) -> Vec<u8> {
        match *self {}
    }

    fn open(&self, _nonce: Vec<u8>, _aad: Vec<u8>, _sealed: Vec<u8>) -> Option<Vec<u8>> {
        match *self {}
    }
}
