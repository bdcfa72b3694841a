//! The transport import over real sockets. TCP connections have Nagle's
//! algorithm off: with it on, Nagle plus delayed ACK add 40 ms to a handshake.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::os::unix::net::UnixStream;

use node_net::{Nagle, NetError};
use wasmtime::component::Resource;

use crate::bindings::tls_connect::tls_connect::transport::{Host, HostDuplex, IoError};
use crate::component::HostState;

/// A byte stream the host can lend to the guest.
pub trait ByteStream: Read + Write + Send {
    /// Ends the write side, keeping the read side open.
    fn shutdown_write(&mut self) -> io::Result<()>;
}

impl ByteStream for TcpStream {
    fn shutdown_write(&mut self) -> io::Result<()> {
        self.shutdown(Shutdown::Write)
    }
}

impl ByteStream for UnixStream {
    fn shutdown_write(&mut self) -> io::Result<()> {
        self.shutdown(Shutdown::Write)
    }
}

/// A connected socket of either kind, as the host's own drivers use it.
pub enum NetStream {
    /// A TCP connection.
    Tcp(TcpStream),
    /// A Unix-socket connection.
    Unix(UnixStream),
}

impl NetStream {
    /// Connects to a TCP host:port or, when `path` is given, a Unix socket.
    pub fn dial(host: &str, port: u16, path: Option<&str>) -> Result<Self, IoError> {
        match path {
            Some(path) => dial_unix(path).map(NetStream::Unix),
            None => dial_tcp(host, port).map(NetStream::Tcp),
        }
    }

    /// A second handle to the same socket, for a reader thread.
    pub fn try_clone(&self) -> io::Result<Self> {
        Ok(match self {
            NetStream::Tcp(s) => NetStream::Tcp(s.try_clone()?),
            NetStream::Unix(s) => NetStream::Unix(s.try_clone()?),
        })
    }
}

impl Read for NetStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            NetStream::Tcp(s) => s.read(buf),
            NetStream::Unix(s) => s.read(buf),
        }
    }
}

impl Write for NetStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            NetStream::Tcp(s) => s.write(buf),
            NetStream::Unix(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl ByteStream for NetStream {
    fn shutdown_write(&mut self) -> io::Result<()> {
        match self {
            NetStream::Tcp(s) => s.shutdown(Shutdown::Write),
            NetStream::Unix(s) => s.shutdown(Shutdown::Write),
        }
    }
}

/// The host side of the `duplex` resource: a lent stream, or nothing once closed.
pub struct Stream {
    inner: Option<Box<dyn ByteStream>>,
}

impl Stream {
    /// Wraps any byte stream.
    pub fn new(stream: impl ByteStream + 'static) -> Self {
        Self {
            inner: Some(Box::new(stream)),
        }
    }

    /// Whether the stream is still open (not closed by the guest).
    pub fn is_open(&self) -> bool {
        self.inner.is_some()
    }

    fn live(&mut self) -> Result<&mut Box<dyn ByteStream>, IoError> {
        self.inner
            .as_mut()
            .ok_or_else(|| NetError::socket_closed().into())
    }
}

/// Opens TCP to host:port with TCP_NODELAY, trying each resolved address in turn.
pub fn dial_tcp(host: &str, port: u16) -> Result<TcpStream, IoError> {
    node_net::dial_tcp(host, port, Nagle::Off).map_err(IoError::from)
}

/// Opens the Unix socket at `path`.
pub fn dial_unix(path: &str) -> Result<UnixStream, IoError> {
    UnixStream::connect(path).map_err(|e| io_error("connect", &e, path))
}

/// Node's shape for a socket error: `connect ECONNREFUSED 127.0.0.1:8000`.
pub fn io_error(syscall: &str, err: &io::Error, address: &str) -> IoError {
    NetError::io(syscall, err, address).into()
}

impl From<NetError> for IoError {
    fn from(err: NetError) -> Self {
        IoError {
            code: err.code,
            message: err.message,
        }
    }
}

/// The `types` interface holds only types; the host has nothing to provide for it.
impl crate::bindings::tls_connect::tls_connect::types::Host for HostState {}

impl Host for HostState {
    fn open_tcp(
        &mut self,
        host: String,
        port: u16,
    ) -> wasmtime::Result<Result<Resource<Stream>, IoError>> {
        Ok(match dial_tcp(&host, port) {
            Ok(stream) => Ok(self.table.push(Stream::new(stream))?),
            Err(e) => Err(e),
        })
    }

    fn open_unix(&mut self, path: String) -> wasmtime::Result<Result<Resource<Stream>, IoError>> {
        Ok(match dial_unix(&path) {
            Ok(stream) => Ok(self.table.push(Stream::new(stream))?),
            Err(e) => Err(e),
        })
    }
}

impl HostDuplex for HostState {
    fn read(
        &mut self,
        duplex: Resource<Stream>,
        max_len: u32,
    ) -> wasmtime::Result<Result<Vec<u8>, IoError>> {
        let stream = self.table.get_mut(&duplex)?;
        Ok(stream.live().and_then(|s| {
            let mut buf = vec![0u8; max_len.max(1) as usize];
            // Bounded: EINTR is retried, anything else returns.
            loop {
                match s.read(&mut buf) {
                    Ok(n) => {
                        buf.truncate(n);
                        return Ok(buf);
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(io_error("read", &e, "")),
                }
            }
        }))
    }

    fn write(
        &mut self,
        duplex: Resource<Stream>,
        data: Vec<u8>,
    ) -> wasmtime::Result<Result<(), IoError>> {
        let stream = self.table.get_mut(&duplex)?;
        Ok(stream
            .live()
            .and_then(|s| s.write_all(&data).map_err(|e| io_error("write", &e, ""))))
    }

    fn shutdown(&mut self, duplex: Resource<Stream>) -> wasmtime::Result<Result<(), IoError>> {
        let stream = self.table.get_mut(&duplex)?;
        // ENOTCONN (the server already closed everything) is no error, as in Node.
        Ok(stream
            .live()
            .and_then(|s| node_net::shutdown_outcome(s.shutdown_write()).map_err(IoError::from)))
    }

    fn close(&mut self, duplex: Resource<Stream>) -> wasmtime::Result<()> {
        self.table.get_mut(&duplex)?.inner = None;
        Ok(())
    }

    fn drop(&mut self, duplex: Resource<Stream>) -> wasmtime::Result<()> {
        self.table.delete(duplex)?;
        Ok(())
    }
}
