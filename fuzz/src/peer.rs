//! The server side of a fuzzed connection: a real rustls server in memory whose
//! chosen flight is mutated on its way to the client (or, in `replay`, its
//! flights recorded once and replayed), and the two transports the engine's
//! attached driver reads from (such a server, or a fixed script).

use std::io::Read;
use std::sync::Arc;

use rustls::{ServerConfig, ServerConnection};
use tls_connect_engine::{TlsError, Transport};

use crate::records::{self, Message, Record};

/// What the server answers once its handshake is done.
pub const REPLY: &[u8] = b"pong";

/// How the chosen server flight is changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mutation {
    /// Which non-empty server flight (0: the one holding ServerHello).
    pub stage: usize,
    /// The operation, see [`Mutation::apply`].
    pub op: u8,
    /// A position or index, reduced modulo what it indexes.
    pub pos: usize,
    /// The content type for an inserted record.
    pub content_type: u8,
    /// The fuzzer's bytes.
    pub data: Vec<u8>,
}

/// Number of distinct operations.
pub const OPS: u8 = 6;

impl Mutation {
    /// Applies the operation (`op % OPS`) to a flight:
    /// 0 replaces it; 1 XORs the data in at `pos`; 2 inserts the data at `pos`;
    /// 3 cuts the flight at `pos` and appends the data; 4 replaces the body of
    /// handshake message number `pos` (frames kept consistent); 5 inserts a
    /// record of `content_type` holding the data before record number `pos`.
    pub fn apply(&self, mut flight: Vec<u8>) -> Vec<u8> {
        let at = |len: usize| self.pos % (len + 1);
        match self.op % OPS {
            0 => self.data.clone(),
            1 => {
                if !flight.is_empty() {
                    let len = flight.len();
                    for (i, byte) in self.data.iter().enumerate() {
                        flight[(self.pos + i) % len] ^= byte;
                    }
                }
                flight
            }
            2 => {
                let at = at(flight.len());
                flight.splice(at..at, self.data.iter().copied());
                flight
            }
            3 => {
                flight.truncate(at(flight.len()));
                flight.extend_from_slice(&self.data);
                flight
            }
            4 => self.replace_message(flight),
            _ => {
                let (mut records, tail) = records::split_records(&flight);
                let index = at(records.len());
                let version = records.first().map_or([3, 3], |r| r.version);
                records.insert(
                    index,
                    Record {
                        content_type: self.content_type,
                        version,
                        body: self.data.clone(),
                    },
                );
                records::join_records(&records, &tail)
            }
        }
    }

    /// Replaces the body of one handshake message in the flight's plaintext
    /// handshake records; a flight with none is left as it was.
    fn replace_message(&self, flight: Vec<u8>) -> Vec<u8> {
        let (mut records, tail) = records::split_records(&flight);
        let mut framed: Vec<(usize, Vec<Message>)> = records
            .iter()
            .enumerate()
            .filter(|(_, r)| r.content_type == records::HANDSHAKE)
            .filter_map(|(i, r)| records::split_messages(&r.body).map(|m| (i, m)))
            .collect();
        let total: usize = framed.iter().map(|(_, m)| m.len()).sum();
        if total == 0 {
            return flight;
        }
        let mut wanted = self.pos % total;
        for (record, messages) in &mut framed {
            if wanted < messages.len() {
                messages[wanted].1 = self.data.clone();
                records[*record].body = records::join_messages(messages);
                break;
            }
            wanted -= messages.len();
        }
        records::join_records(&records, &tail)
    }
}

/// What the client talks to: it takes the client's bytes and answers with the
/// server's next flight (empty when it has nothing to say).
pub trait Server {
    /// The server's answer to `from_client`.
    fn exchange(&mut self, from_client: &[u8]) -> Vec<u8>;
}

/// A rustls server in memory that answers the client's bytes flight by flight.
pub struct LivePeer {
    server: ServerConnection,
    mutation: Option<Mutation>,
    flights: usize,
    /// Every plaintext byte the server received.
    pub received: Vec<u8>,
    replied: bool,
    closed: bool,
    failed: bool,
}

impl LivePeer {
    /// A server with this config; `mutation` changes one of its flights.
    pub fn new(config: Arc<ServerConfig>, mutation: Option<Mutation>) -> Self {
        Self {
            server: ServerConnection::new(config).expect("server connection"),
            mutation,
            flights: 0,
            received: Vec::new(),
            replied: false,
            closed: false,
            failed: false,
        }
    }

    /// Takes the client's bytes and returns the server's next flight: after its
    /// handshake the server sends [`REPLY`] once, then close_notify.
    pub fn exchange(&mut self, from_client: &[u8]) -> Vec<u8> {
        Server::exchange(self, from_client)
    }
}

impl Server for LivePeer {
    fn exchange(&mut self, from_client: &[u8]) -> Vec<u8> {
        if !self.failed && !from_client.is_empty() {
            self.take_in(from_client);
        }
        if !self.failed && !self.server.is_handshaking() {
            if !self.replied {
                self.replied = true;
                let _ = std::io::Write::write_all(&mut self.server.writer(), REPLY);
            } else if !self.closed {
                self.closed = true;
                self.server.send_close_notify();
            }
        }
        let mut out = Vec::new();
        // Bounded: each turn drains queued records.
        while self.server.wants_write() {
            match self.server.write_tls(&mut out) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
        if !out.is_empty() {
            if let Some(mutation) = self.mutation.as_ref().filter(|m| m.stage == self.flights) {
                out = mutation.apply(out);
            }
            self.flights += 1;
        }
        out
    }
}

impl LivePeer {
    fn take_in(&mut self, mut bytes: &[u8]) {
        // Bounded: each turn consumes bytes or stops.
        while !bytes.is_empty() {
            match self.server.read_tls(&mut bytes) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            if self.server.process_new_packets().is_err() {
                // The server's alert is still queued and goes out with the next flight.
                self.failed = true;
                return;
            }
            let mut buf = [0u8; 4096];
            // Bounded: the server holds a limited amount of plaintext.
            while let Ok(n @ 1..) = self.server.reader().read(&mut buf) {
                self.received.extend_from_slice(&buf[..n]);
            }
        }
    }
}

/// The attached driver's transport over a [`Server`]: what the client writes
/// is handed over on its next read; a read the server has nothing for is the
/// stream's end (a real peer would block forever).
pub struct PeerTransport<'p> {
    peer: &'p mut dyn Server,
    to_server: Vec<u8>,
    inbox: Vec<u8>,
    chunk: usize,
    reads: usize,
}

/// A fuzzed peer cannot keep a driver reading for longer than this.
const MAX_READS: usize = 64;

impl<'p> PeerTransport<'p> {
    /// Reads give at most `chunk` bytes at a time.
    pub fn new(peer: &'p mut dyn Server, chunk: usize) -> Self {
        Self {
            peer,
            to_server: Vec::new(),
            inbox: Vec::new(),
            chunk,
            reads: 0,
        }
    }
}

impl Transport for PeerTransport<'_> {
    fn read(&mut self, max_len: usize) -> Result<Vec<u8>, TlsError> {
        if self.inbox.is_empty() {
            self.inbox = self.peer.exchange(&std::mem::take(&mut self.to_server));
        }
        take_front(&mut self.inbox, max_len.min(self.chunk), &mut self.reads)
    }

    fn write(&mut self, data: &[u8]) -> Result<(), TlsError> {
        self.to_server.extend_from_slice(data);
        Ok(())
    }

    fn shutdown(&mut self) -> Result<(), TlsError> {
        Ok(())
    }

    fn close(&mut self) {}
}

/// The attached driver's transport over fixed bytes, then the stream's end.
pub struct ScriptTransport {
    script: Vec<u8>,
    chunk: usize,
    reads: usize,
}

impl ScriptTransport {
    /// Reads give `script`, at most `chunk` bytes at a time.
    pub fn new(script: Vec<u8>, chunk: usize) -> Self {
        Self {
            script,
            chunk,
            reads: 0,
        }
    }
}

impl Transport for ScriptTransport {
    fn read(&mut self, max_len: usize) -> Result<Vec<u8>, TlsError> {
        take_front(&mut self.script, max_len.min(self.chunk), &mut self.reads)
    }

    fn write(&mut self, _data: &[u8]) -> Result<(), TlsError> {
        Ok(())
    }

    fn shutdown(&mut self) -> Result<(), TlsError> {
        Ok(())
    }

    fn close(&mut self) {}
}

/// Takes up to `max` bytes from the front of `buf`; empty is the stream's end.
/// After [`MAX_READS`] reads the stream resets, so no driver loops forever.
fn take_front(buf: &mut Vec<u8>, max: usize, reads: &mut usize) -> Result<Vec<u8>, TlsError> {
    *reads += 1;
    if *reads > MAX_READS {
        return Err(TlsError::new("ECONNRESET", "read ECONNRESET"));
    }
    let n = buf.len().min(max.max(1));
    Ok(buf.drain(..n).collect())
}
