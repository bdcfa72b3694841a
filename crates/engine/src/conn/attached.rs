//! The attached driver: a [`Connection`] doing its own blocking I/O over a byte
//! stream the host lends. The stream is a trait so the engine stays free of
//! wit-bindgen types; the component glue implements it for the imported
//! `duplex`, and native tests implement it for a `TcpStream`.

use crate::conn::{Connection, Fed, SocketEvent};
use crate::TlsError;

/// A blocking duplex byte stream.
pub trait Transport {
    /// Reads at most `max_len` bytes, blocking until at least one arrives; an
    /// empty vector means the peer ended its side.
    fn read(&mut self, max_len: usize) -> Result<Vec<u8>, TlsError>;
    /// Writes all of `data`.
    fn write(&mut self, data: &[u8]) -> Result<(), TlsError>;
    /// Ends the write side.
    fn shutdown(&mut self) -> Result<(), TlsError>;
    /// Closes both directions.
    fn close(&mut self);
}

/// rustls reads 4 KiB at a time by default; reading 64 KiB per call keeps bulk
/// transfers from crossing the host boundary sixteen times as often (ARCHITECTURE.md, "Measured").
pub(crate) const READ_SIZE: usize = 64 * 1024;

/// Plaintext encrypted per flush when writing: four full records.
const WRITE_CHUNK: usize = 64 * 1024;

/// A connection attached to a transport.
pub struct Attached<T: Transport> {
    conn: Connection,
    transport: T,
    /// Plaintext received but not yet read by the caller.
    inbox: Vec<u8>,
    /// Where the next unread byte of `inbox` is.
    inbox_pos: usize,
    /// Reused buffer for outgoing records.
    outbox: Vec<u8>,
    write_shut: bool,
    /// Events from received batches, until the caller takes them.
    events: Vec<SocketEvent>,
}

impl<T: Transport> Attached<T> {
    /// Runs the handshake and the certificate decision over `transport`; returns
    /// once Node's `'secureConnect'` has happened.
    pub fn connect(conn: Connection, transport: T) -> Result<Self, TlsError> {
        let mut attached = Self {
            conn,
            transport,
            inbox: Vec::new(),
            inbox_pos: 0,
            outbox: Vec::new(),
            write_shut: false,
            events: Vec::new(),
        };
        match attached.handshake() {
            Ok(()) => Ok(attached),
            Err(err) => {
                attached.destroy();
                Err(err)
            }
        }
    }

    fn handshake(&mut self) -> Result<(), TlsError> {
        // Bounded by the peer: each turn blocks for bytes, and the stream's end fails it.
        while !self.conn.is_secure() && !self.conn.awaits_identity() {
            self.flush()?;
            self.receive()?;
        }
        self.flush()
    }

    /// The engine's connection, for its getters.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The engine's connection, for its setters.
    pub fn connection_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// The events since the last call, in order.
    pub fn take_events(&mut self) -> Vec<SocketEvent> {
        let mut events = std::mem::take(&mut self.events);
        events.extend(self.conn.take_events());
        events
    }

    /// The caller's `checkServerIdentity` verdict; then what was held back is sent.
    pub fn settle_identity(&mut self, verdict: Option<TlsError>) -> Result<Fed, TlsError> {
        match self.conn.settle_identity(verdict) {
            Ok(mut fed) => {
                // As after any receive: data waits for `read`, events for `take_events`.
                self.inbox.append(&mut fed.data);
                self.events.append(&mut fed.events);
                self.flush()?;
                Ok(fed)
            }
            Err(err) => {
                let _ = self.flush();
                self.destroy();
                Err(err)
            }
        }
    }

    /// Sends application data, a bounded amount at a time.
    pub fn write(&mut self, data: &[u8]) -> Result<(), TlsError> {
        for chunk in data.chunks(WRITE_CHUNK) {
            self.conn.write(chunk)?;
            self.flush()?;
        }
        Ok(())
    }

    /// Blocks until plaintext arrives; at most `max_len` bytes. Empty: the server ended.
    pub fn read(&mut self, max_len: usize) -> Result<Vec<u8>, TlsError> {
        if self.conn.awaits_identity() {
            return Err(TlsError::invalid_state(
                "The server identity check is pending: call settle-identity first",
            ));
        }
        // Bounded by the peer: each turn blocks for bytes or ends.
        while self.inbox_pos == self.inbox.len() {
            if self.conn.peer_ended() || self.conn.is_destroyed() {
                return Ok(Vec::new());
            }
            self.inbox.clear();
            self.inbox_pos = 0;
            self.receive()?;
            self.flush()?;
        }
        // Saturating: `max_len` comes from the caller (up to u32::MAX), and in wasm
        // usize is 32 bits, so a plain sum wraps and the slice below would panic.
        let end = self
            .inbox
            .len()
            .min(self.inbox_pos.saturating_add(max_len.max(1)));
        let out = self.inbox[self.inbox_pos..end].to_vec();
        self.inbox_pos = end;
        Ok(out)
    }

    /// Sends close_notify and ends the transport's write side.
    pub fn end(&mut self) -> Result<(), TlsError> {
        self.conn.end()?;
        self.flush()
    }

    /// Closes at once.
    pub fn destroy(&mut self) {
        self.conn.destroy();
        self.transport.close();
    }

    /// Reads once from the transport and feeds the connection.
    fn receive(&mut self) -> Result<(), TlsError> {
        let bytes = self.transport.read(READ_SIZE)?;
        let fed = if bytes.is_empty() {
            self.conn.feed_end()
        } else {
            self.conn.feed(&bytes)
        };
        match fed {
            Ok(Fed { data, events, .. }) => {
                self.inbox.extend_from_slice(&data);
                self.events.extend(events);
                Ok(())
            }
            Err(err) => {
                // Send the alert rustls queued, if the transport still takes it.
                let _ = self.flush();
                Err(err)
            }
        }
    }

    /// Writes every queued record, then ends the write side when the connection asks.
    fn flush(&mut self) -> Result<(), TlsError> {
        self.outbox.clear();
        self.conn.take_outgoing_into(&mut self.outbox);
        if !self.outbox.is_empty() {
            self.transport.write(&self.outbox)?;
        }
        if self.conn.wants_write_end() && !self.write_shut {
            self.write_shut = true;
            self.transport.shutdown()?;
        }
        Ok(())
    }
}

impl<T: Transport> Drop for Attached<T> {
    fn drop(&mut self) {
        self.transport.close();
    }
}
