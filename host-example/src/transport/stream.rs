//! The streams the transport lends: anything that reads, writes and can end its
//! write side, behind the `duplex` resource; and the host's own socket of either
//! kind.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::os::unix::net::UnixStream;

use node_net::NetError;

use super::dial::{dial_tcp, dial_unix, io_error};
use crate::bindings::tls_connect::tls_connect::transport::IoError;

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

    /// The stream, or `ERR_SOCKET_CLOSED` once the guest closed it.
    fn live(&mut self) -> Result<&mut Box<dyn ByteStream>, NetError> {
        self.inner.as_mut().ok_or_else(NetError::socket_closed)
    }

    /// Reads at most `max_len` bytes, blocking until one arrives; empty at the
    /// peer's end.
    pub fn read(&mut self, max_len: u32) -> Result<Vec<u8>, IoError> {
        Ok(node_net::read_some(self.live()?, max_len)?)
    }

    /// Writes all of `data`.
    pub fn write(&mut self, data: &[u8]) -> Result<(), IoError> {
        let stream = self.live()?;
        stream
            .write_all(data)
            .map_err(|e| io_error("write", &e, ""))
    }

    /// Ends the write side (FIN); reading stays possible. `ENOTCONN` (the peer
    /// already closed everything) is no error, as in Node.
    pub fn shutdown(&mut self) -> Result<(), IoError> {
        let stream = self.live()?;
        node_net::shutdown_outcome(stream.shutdown_write()).map_err(IoError::from)
    }

    /// Closes both directions now; later calls fail with `ERR_SOCKET_CLOSED`.
    pub fn close(&mut self) {
        self.inner = None;
    }
}
