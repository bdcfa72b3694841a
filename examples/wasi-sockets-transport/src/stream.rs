//! One TCP connection behind the `duplex` resource's methods. The resource's
//! methods take `&self`, hence the cell; `close` drops the stream so later calls
//! fail as Node's do on a destroyed socket.

use std::cell::RefCell;
use std::io::Write;
use std::net::TcpStream;

use node_net::{Nagle, NetError};

/// A TCP connection, or nothing once closed.
pub struct TcpDuplex {
    stream: RefCell<Option<TcpStream>>,
}

impl TcpDuplex {
    /// Opens TCP to `host`:`port`. Nagle's algorithm stays on: wasi:sockets 0.2
    /// has no TCP_NODELAY.
    pub fn open(host: &str, port: u16) -> Result<Self, NetError> {
        let stream = node_net::dial_tcp(host, port, Nagle::Untouched)?;
        Ok(Self {
            stream: RefCell::new(Some(stream)),
        })
    }

    /// Runs `op` on the live stream, or fails with `ERR_SOCKET_CLOSED`.
    fn with<T>(
        &self,
        op: impl FnOnce(&mut TcpStream) -> Result<T, NetError>,
    ) -> Result<T, NetError> {
        match self.stream.borrow_mut().as_mut() {
            Some(stream) => op(stream),
            None => Err(NetError::socket_closed()),
        }
    }

    /// Reads at most `max_len` bytes, blocking until one arrives; empty at the
    /// peer's end.
    pub fn read(&self, max_len: u32) -> Result<Vec<u8>, NetError> {
        self.with(|stream| node_net::read_some(stream, max_len))
    }

    /// Writes all of `data`.
    pub fn write(&self, data: &[u8]) -> Result<(), NetError> {
        self.with(|stream| {
            stream
                .write_all(data)
                .map_err(|e| NetError::io("write", &e, ""))
        })
    }

    /// Ends the write side (FIN); reading stays possible. After the peer closed
    /// the whole connection there is nothing to end: no error, as in Node.
    pub fn shutdown(&self) -> Result<(), NetError> {
        self.with(|stream| node_net::shutdown_write(stream))
    }

    /// Closes both directions now.
    pub fn close(&self) {
        self.stream.borrow_mut().take();
    }
}

/// `open-unix`: wasi:sockets 0.2 has no Unix sockets.
pub fn unix_unsupported(path: &str) -> NetError {
    NetError::named("connect", "EAFNOSUPPORT", path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::TcpListener;
    use std::thread;

    #[test]
    fn echoes_and_half_closes() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = thread::spawn(move || {
            let (mut peer, _) = listener.accept().unwrap();
            let mut got = Vec::new();
            peer.read_to_end(&mut got).unwrap();
            peer.write_all(&got).unwrap();
        });
        let duplex = TcpDuplex::open("127.0.0.1", port).unwrap();
        duplex.write(b"ping").unwrap();
        duplex.shutdown().unwrap();
        let mut back = Vec::new();
        // Bounded by the server, which ends after echoing.
        loop {
            let chunk = duplex.read(64).unwrap();
            if chunk.is_empty() {
                break;
            }
            back.extend_from_slice(&chunk);
        }
        assert_eq!(back, b"ping");
        server.join().unwrap();
        duplex.close();
        assert_eq!(duplex.write(b"x").unwrap_err().code, "ERR_SOCKET_CLOSED");
    }

    #[test]
    fn unix_sockets_are_refused() {
        let err = unix_unsupported("/run/x.sock");
        assert_eq!(err.code, "EAFNOSUPPORT");
        assert_eq!(err.message, "connect EAFNOSUPPORT /run/x.sock");
    }
}
