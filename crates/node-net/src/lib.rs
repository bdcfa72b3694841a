//! Node's TCP dialing and socket-error names. Every transport of tls-connect (the
//! wasmtime host's sockets, the wasi:sockets adapter component) opens connections
//! and reports failures the same way, so they share this crate. It uses only
//! `std::net`, which on `wasm32-wasip2` runs over wasi:sockets.

use std::io::{self, Read};
use std::net::{TcpStream, ToSocketAddrs};

/// A socket failure as Node reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetError {
    /// The errno name: `ECONNREFUSED`, `ENOTFOUND`, ...
    pub code: String,
    /// Node's message: `connect ECONNREFUSED 127.0.0.1:8000`.
    pub message: String,
}

impl NetError {
    /// Node's shape for a failed socket call on `address` (empty: none to name).
    pub fn io(syscall: &str, err: &io::Error, address: &str) -> Self {
        Self::named(syscall, errno_name(err), address)
    }

    /// A failure with a known errno name: `connect EAFNOSUPPORT /run/x.sock`.
    pub fn named(syscall: &str, code: &str, address: &str) -> Self {
        let message = if address.is_empty() {
            format!("{syscall} {code}")
        } else {
            format!("{syscall} {code} {address}")
        };
        Self {
            code: code.to_owned(),
            message,
        }
    }

    /// A host name that does not resolve: `getaddrinfo ENOTFOUND example.test`.
    pub fn not_found(host: &str) -> Self {
        Self {
            code: "ENOTFOUND".to_owned(),
            message: format!("getaddrinfo ENOTFOUND {host}"),
        }
    }

    /// A call on a stream that was closed already (Node's `ERR_SOCKET_CLOSED`).
    pub fn socket_closed() -> Self {
        Self {
            code: "ERR_SOCKET_CLOSED".to_owned(),
            message: "Socket is closed".to_owned(),
        }
    }
}

/// The errno name Node uses as `err.code` for an I/O error.
pub fn errno_name(err: &io::Error) -> &'static str {
    use io::ErrorKind as K;
    match err.kind() {
        K::ConnectionRefused => "ECONNREFUSED",
        K::ConnectionReset => "ECONNRESET",
        K::ConnectionAborted => "ECONNABORTED",
        K::BrokenPipe => "EPIPE",
        K::NotFound => "ENOENT",
        K::PermissionDenied => "EACCES",
        // A blocking socket whose read or write timeout expired reports EAGAIN.
        K::TimedOut | K::WouldBlock => "ETIMEDOUT",
        K::AddrNotAvailable => "EADDRNOTAVAIL",
        K::NotConnected => "ENOTCONN",
        K::HostUnreachable => "EHOSTUNREACH",
        K::NetworkUnreachable => "ENETUNREACH",
        _ => "EIO",
    }
}

/// Ends a TCP stream's write side as Node's `net.Socket` does: `ENOTCONN` means
/// the peer has closed the whole connection already (it answered our last bytes
/// with a reset), so there is nothing left to end, and Node reports no error.
pub fn shutdown_write(stream: &TcpStream) -> Result<(), NetError> {
    shutdown_outcome(stream.shutdown(std::net::Shutdown::Write))
}

/// The outcome of a `shutdown` call of any stream kind, as [`shutdown_write`] judges it.
pub fn shutdown_outcome(result: io::Result<()>) -> Result<(), NetError> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::NotConnected => Ok(()),
        other => other.map_err(|e| NetError::io("shutdown", &e, "")),
    }
}

/// Whether to turn Nagle's algorithm off on a new connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nagle {
    /// Set TCP_NODELAY: a handshake's small flights leave at once.
    Off,
    /// Leave the socket as it is (wasi:sockets 0.2 has no such option).
    Untouched,
}

/// Opens TCP to `host`:`port`, trying each resolved address in turn as Node
/// does; the error is the last address's.
pub fn dial_tcp(host: &str, port: u16, nagle: Nagle) -> Result<TcpStream, NetError> {
    let addrs: Vec<_> = (host, port)
        .to_socket_addrs()
        .map_err(|_| NetError::not_found(host))?
        .collect();
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect(addr) {
            Ok(stream) => {
                if nagle == Nagle::Off {
                    stream
                        .set_nodelay(true)
                        .map_err(|e| NetError::io("setsockopt", &e, &addr.to_string()))?;
                }
                return Ok(stream);
            }
            Err(e) => last = Some(NetError::io("connect", &e, &addr.to_string())),
        }
    }
    Err(last.unwrap_or_else(|| NetError::not_found(host)))
}

/// Reads at most `max_len` bytes from `stream`, blocking until one arrives;
/// empty at the peer's end. EINTR is retried (bounded: anything else returns).
pub fn read_some(stream: &mut (impl Read + ?Sized), max_len: u32) -> Result<Vec<u8>, NetError> {
    let mut buf = vec![0u8; max_len.max(1) as usize];
    loop {
        match stream.read(&mut buf) {
            Ok(n) => {
                buf.truncate(n);
                return Ok(buf);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(NetError::io("read", &e, "")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn messages_follow_node() {
        let refused = io::Error::from(io::ErrorKind::ConnectionRefused);
        assert_eq!(
            NetError::io("connect", &refused, "127.0.0.1:8000").message,
            "connect ECONNREFUSED 127.0.0.1:8000"
        );
        assert_eq!(
            NetError::io("read", &io::Error::other("odd"), ""),
            NetError {
                code: "EIO".into(),
                message: "read EIO".into()
            }
        );
        assert_eq!(
            NetError::not_found("example.test").message,
            "getaddrinfo ENOTFOUND example.test"
        );
    }

    #[test]
    fn shutdown_after_the_peer_closed_is_no_error() {
        let not_connected = io::Error::from(io::ErrorKind::NotConnected);
        assert_eq!(shutdown_outcome(Err(not_connected)), Ok(()));
        let reset = io::Error::from(io::ErrorKind::ConnectionReset);
        assert_eq!(
            shutdown_outcome(Err(reset)).unwrap_err().message,
            "shutdown ECONNRESET"
        );
    }

    #[test]
    fn dials_with_nagle_off() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stream = dial_tcp("127.0.0.1", port, Nagle::Off).unwrap();
        assert!(stream.nodelay().unwrap());
    }

    #[test]
    fn refused_names_the_address() {
        let port = {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let err = dial_tcp("127.0.0.1", port, Nagle::Untouched).unwrap_err();
        assert_eq!(err.code, "ECONNREFUSED");
        assert_eq!(
            err.message,
            format!("connect ECONNREFUSED 127.0.0.1:{port}")
        );
    }
}
