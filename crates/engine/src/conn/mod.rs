//! The sans-IO client connection: ciphertext in, ciphertext out, plaintext in and
//! out, and Node's events as return values. It knows nothing of sockets; the
//! attached driver ([`attached`]) and every host drive it the same way.
//!
//! Its state comes in parts, each in its own module: the certificate decision
//! ([`verdict`]), the sessions it offers and hands out ([`session`]), the event
//! log ([`events`]), the plaintext held until that decision ([`outbox`]), and
//! Node's getters over all of them ([`getters`]).

pub(crate) mod attached;
pub(crate) mod events;
mod getters;
mod outbox;
pub(crate) mod session;
mod verdict;

use std::io::{BufRead, ErrorKind, Write};
use std::sync::Arc;

use rustls::client::{Resumption, Tls12Resumption};
use rustls::pki_types::ServerName;
use rustls::ClientConnection;

use crate::context::SecureContext;
use crate::error::alert;
use crate::options::{ConnectOptions, ConnectionOptions, Settings};
use crate::TlsError;
use events::{EventLog, SocketEvent};
pub use getters::{CipherInfo, EphemeralKeyInfo};
use outbox::Outbox;
use session::{SessionTracker, Verdict};

/// What one batch of received bytes produced.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Fed {
    /// Node's `'secureConnect'` happened in this batch.
    pub secure_connect: bool,
    /// Decrypted application data (Node's `'data'`).
    pub data: Vec<u8>,
    /// The plaintext length of each TLS record in `data`, in order: Node emits
    /// one `'data'` per record.
    pub record_lengths: Vec<u32>,
    /// The server ended its side (Node's `'end'`).
    pub end: bool,
    /// The chain verified; the caller's `checkServerIdentity` must now decide
    /// (`settle_identity`).
    pub check_identity: bool,
    /// Events in the order they happened. Sessions come only after the
    /// certificate decision, so `'secureConnect'` goes just before the first one.
    pub events: Vec<SocketEvent>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Handshaking,
    /// The chain verified; the caller's `checkServerIdentity` has not decided yet.
    AwaitingIdentity,
    Secure,
    /// The certificate decision refused the server. Nothing more goes in or out,
    /// but the server's certificates stay readable until the host destroys the
    /// socket: Node's error for a name mismatch carries them as `err.cert`.
    Refused,
    /// Destroyed, by the caller or by an error. Nothing more goes in or out.
    Destroyed,
}

/// One TLS client connection in Node's terms.
pub struct Connection {
    tls: ClientConnection,
    settings: Settings,
    /// The secure context, its config this connection's own copy (SNI, ALPN,
    /// sessions, key log).
    context: SecureContext,
    phase: Phase,
    /// Node's `authorized` and `authorizationError`: not authorized until the
    /// certificate decision finds the server trusted.
    verdict: Verdict,
    sessions: SessionTracker,
    events: EventLog,
    outbox: Outbox,
    peer_ended: bool,
}

/// How much to read into rustls per step; rustls refuses more than its buffer.
const FEED_CHUNK: usize = 16 * 1024 + 512;

impl Connection {
    /// Validates the options, builds the secure context and begins the handshake.
    pub fn new(options: &ConnectOptions) -> Result<Self, TlsError> {
        let settings = options.settings()?;
        // Checked even when the host opens the connection itself, so every host
        // refuses net's bad options the same way.
        options.target.tcp_options()?;
        let context = SecureContext::new(&options.context, &options.credentials)?;
        Self::start(settings, &options.connection, &context)
    }

    /// A connection under a context made earlier (Node's `secureContext`): the
    /// context's options come from it, SNI and ALPN from `options`, as in Node.
    pub fn with_secure_context(
        options: &ConnectOptions,
        context: &SecureContext,
    ) -> Result<Self, TlsError> {
        let settings = options.settings()?;
        options.target.tcp_options()?;
        Self::start(settings, &options.connection, context)
    }

    /// Begins the handshake under `context`, with what this connection has of
    /// its own: SNI, ALPN, the session it offers and its key log.
    fn start(
        settings: Settings,
        options: &ConnectionOptions,
        context: &SecureContext,
    ) -> Result<Self, TlsError> {
        let name = server_name(&settings)?;
        // Bytes this instance did not make are ignored, as Node ignores junk.
        let sessions = SessionTracker::offering(settings.session.as_deref());
        let events = EventLog::new(settings.enable_trace);
        // The context is shared; what belongs to this connection alone goes
        // into its own copy of the config.
        let mut config = (*context.config).clone();
        config.enable_sni = settings.sni.is_some();
        config.alpn_protocols = match &options.alpn_protocols {
            Some(alpn) => alpn.protocol_list()?,
            None => Vec::new(),
        };
        config.resumption =
            Resumption::store(sessions.store()).tls12_resumption(if context.no_tickets {
                Tls12Resumption::SessionIdOnly
            } else {
                Tls12Resumption::SessionIdOrTickets
            });
        config.key_log = events.key_log();
        let config = Arc::new(config);
        let mut tls =
            ClientConnection::new(config.clone(), name).map_err(|e| alert::from_rustls(&e))?;
        // Every byte the caller writes is kept until taken: backpressure belongs to
        // the host (Node's `write()` returning false), never to silent loss.
        tls.set_buffer_limit(None);
        let mut conn = Self {
            tls,
            settings,
            context: SecureContext {
                config,
                ..context.clone()
            },
            phase: Phase::Handshaking,
            verdict: Verdict::default(),
            sessions,
            events,
            outbox: Outbox::default(),
            peer_ended: false,
        };
        conn.trace_client_hello();
        Ok(conn)
    }

    /// The trace's first line: what the ClientHello offers.
    fn trace_client_hello(&mut self) {
        if !self.events.tracing() {
            return;
        }
        let sni = self.settings.sni.as_deref().unwrap_or("(none)");
        let alpn: Vec<String> = self
            .context
            .config
            .alpn_protocols
            .iter()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect();
        let resuming = if self.sessions.offers() { "yes" } else { "no" };
        let line = format!(
            "TLS client: Sent ClientHello (server name: {sni}; ALPN: [{}]; offering a session: {resuming})",
            alpn.join(", ")
        );
        self.events.trace(line);
    }

    /// Takes bytes received from the server. On error the connection is destroyed
    /// (the alert rustls queued stays available from `take_outgoing`, the events
    /// before the failure from `take_events`).
    pub fn feed(&mut self, mut data: &[u8]) -> Result<Fed, TlsError> {
        self.usable()?;
        let mut fed = Fed::default();
        while !data.is_empty() {
            let take = data.len().min(FEED_CHUNK);
            let (chunk, rest) = data.split_at(take);
            let mut reader = chunk;
            // Bounded: every turn consumes at least one byte or fails.
            while !reader.is_empty() {
                let n = self
                    .tls
                    .read_tls(&mut reader)
                    .map_err(|e| self.fail_io(&e))?;
                if n == 0 {
                    break;
                }
                self.process(&mut fed)?;
            }
            data = rest;
        }
        fed.events = self.events.take();
        Ok(fed)
    }

    /// The transport reached its end. Before `'secureConnect'` this is Node's
    /// `ECONNRESET`; after it, the server's end, with or without close_notify.
    pub fn feed_end(&mut self) -> Result<Fed, TlsError> {
        self.usable()?;
        if matches!(self.phase, Phase::Handshaking | Phase::AwaitingIdentity) {
            self.phase = Phase::Destroyed;
            return Err(alert::disconnected_before_secure());
        }
        let mut fed = Fed::default();
        if !self.peer_ended && self.phase == Phase::Secure {
            self.on_peer_end(&mut fed);
        }
        fed.events = self.events.take();
        Ok(fed)
    }

    /// Queues application data. Before `'secureConnect'` it is held back.
    pub fn write(&mut self, data: &[u8]) -> Result<(), TlsError> {
        self.usable()?;
        if self.outbox.write_ended() {
            return Err(TlsError::new(
                "ERR_STREAM_WRITE_AFTER_END",
                "write after end",
            ));
        }
        match self.phase {
            Phase::Handshaking | Phase::AwaitingIdentity => self.outbox.hold(data),
            _ => self.outbox.seal(&mut self.tls, data)?,
        }
        Ok(())
    }

    /// Ends the writable side: close_notify once everything written before it.
    pub fn end(&mut self) -> Result<(), TlsError> {
        self.usable()?;
        if self.outbox.end() && self.phase == Phase::Secure {
            self.tls.send_close_notify();
        }
        Ok(())
    }

    /// Sends a TLS 1.3 KeyUpdate and changes to a new write key: what a host that
    /// seals application data itself asks for before its key's confidentiality
    /// limit, as rustls does for the records it seals.
    pub fn refresh_write_key(&mut self) -> Result<(), TlsError> {
        self.usable()?;
        if self.phase != Phase::Secure
            || self.tls.protocol_version() != Some(rustls::ProtocolVersion::TLSv1_3)
        {
            return Err(TlsError::new(
                "ERR_TLS_INVALID_STATE",
                "Keys are refreshed only on an established TLS 1.3 connection",
            ));
        }
        self.tls
            .refresh_traffic_keys()
            .map_err(|e| alert::from_rustls(&e))
    }

    /// Drops the connection at once; later calls fail and getters answer as Node
    /// does after `destroy()`.
    pub fn destroy(&mut self) {
        self.phase = Phase::Destroyed;
        self.outbox.discard();
    }

    /// Appends the bytes to send to the server now.
    pub fn take_outgoing_into(&mut self, out: &mut Vec<u8>) {
        // Bounded: each turn drains queued records; rustls stops when none remain.
        while self.tls.wants_write() {
            match self.tls.write_tls(out) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
    }

    /// The bytes to send to the server now.
    pub fn take_outgoing(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        self.take_outgoing_into(&mut out);
        out
    }

    /// Whether the transport's write side should now be ended.
    pub fn wants_write_end(&self) -> bool {
        self.outbox.write_ended() && !self.tls.wants_write()
    }

    /// Starts or stops reporting key-log lines.
    pub fn set_keylog(&self, enabled: bool) {
        self.events.set_keylog(enabled);
    }

    /// The events since the last call (an attached socket's; a sans-IO socket
    /// gets them with each batch, and here those before a failed one).
    pub fn take_events(&mut self) -> Vec<SocketEvent> {
        self.events.take()
    }

    fn usable(&self) -> Result<(), TlsError> {
        if self.is_destroyed() {
            return Err(TlsError::new("ERR_SOCKET_CLOSED", "Socket is closed"));
        }
        Ok(())
    }

    fn fail_io(&mut self, err: &std::io::Error) -> TlsError {
        self.phase = Phase::Destroyed;
        alert::from_read_error(err)
    }

    /// Processes what rustls has buffered, makes the certificate decision when the
    /// handshake completes, and drains plaintext into `fed`.
    fn process(&mut self, fed: &mut Fed) -> Result<(), TlsError> {
        let processed = self.tls.process_new_packets();
        self.events.collect_key_log();
        if let Err(err) = processed {
            self.phase = Phase::Destroyed;
            // Until the ServerHello (TLS 1.3) or the server's Finished (TLS
            // 1.2), the server's records are plaintext.
            let plaintext = match self.tls.protocol_version() {
                None => true,
                Some(version) => {
                    version == rustls::ProtocolVersion::TLSv1_2 && self.tls.is_handshaking()
                }
            };
            let err = if plaintext {
                alert::from_rustls_before_encryption(&err)
            } else {
                alert::from_rustls(&err)
            };
            self.events.trace(format!(
                "TLS client: Connection failed: {}: {}",
                err.code, err.message
            ));
            return Err(err);
        }
        if self.phase == Phase::Handshaking && !self.tls.is_handshaking() {
            self.decide(fed)?;
        }
        if self.phase == Phase::Secure {
            self.drain_plaintext(fed)?;
            self.collect_sessions();
            self.send_owed_key_update();
        }
        Ok(())
    }

    /// rustls keeps the KeyUpdate it owes a server that asked for ours until the
    /// next write of application data. A host that seals application data
    /// itself never writes through rustls, and would seal with the new key
    /// before the server heard of it; so it goes out now, as OpenSSL's does.
    fn send_owed_key_update(&mut self) {
        // An empty write makes no record: it only queues the owed KeyUpdate.
        let _ = self.tls.writer().write(&[]);
    }

    /// Hands out the sessions the server gave as `'session'` events, each carrying
    /// this connection's verification result.
    fn collect_sessions(&mut self) {
        // A resumed TLS 1.2 session is saved again by rustls; Node (OpenSSL)
        // reports no new session then.
        let resumed_tls12 = self.is_session_reused()
            && self.tls.protocol_version() == Some(rustls::ProtocolVersion::TLSv1_2);
        for handle in self.sessions.collect(&self.verdict, resumed_tls12) {
            self.events
                .trace("TLS client: Received a session ticket".to_owned());
            self.events.push(SocketEvent::Session(handle));
        }
    }

    /// Moves the plaintext rustls holds into `fed`, record by record: each chunk
    /// rustls keeps is one record's plaintext (it never keeps an empty one).
    fn drain_plaintext(&mut self, fed: &mut Fed) -> Result<(), TlsError> {
        // Bounded: rustls holds a limited amount of plaintext; each turn takes a record.
        loop {
            let mut reader = self.tls.reader();
            let read = reader.fill_buf().map(|record| {
                // One copy out of rustls, straight into the batch's buffer.
                fed.data.extend_from_slice(record);
                record.len()
            });
            match read {
                Ok(0) => {
                    if !self.peer_ended {
                        self.on_peer_end(fed);
                    }
                    return Ok(());
                }
                Ok(len) => {
                    reader.consume(len);
                    // A record's plaintext is at most 2^14 bytes.
                    fed.record_lengths.push(len as u32);
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(()),
                // Ended without close_notify: Node treats the stream's end as 'end'.
                Err(e) if e.kind() == ErrorKind::UnexpectedEof => {
                    if !self.peer_ended {
                        self.on_peer_end(fed);
                    }
                    return Ok(());
                }
                Err(e) => return Err(self.fail_io(&e)),
            }
        }
    }

    /// The server ended its side: Node's `'end'`, and without `allowHalfOpen` our
    /// side ends too.
    fn on_peer_end(&mut self, fed: &mut Fed) {
        self.peer_ended = true;
        fed.end = true;
        if !self.settings.allow_half_open && self.outbox.end() {
            self.tls.send_close_notify();
        }
    }
}

/// The name rustls is given: the SNI when one is sent, else the verified name,
/// used then only to key sessions.
fn server_name(settings: &Settings) -> Result<ServerName<'static>, TlsError> {
    match &settings.sni {
        Some(sni) => ServerName::try_from(sni.clone())
            .map_err(|_| TlsError::invalid_arg_value("servername", &format!("'{sni}'"))),
        None => Ok(ServerName::try_from(settings.verify_name.clone())
            .unwrap_or_else(|_| ServerName::try_from("localhost").expect("valid name"))),
    }
}

#[cfg(test)]
mod tests;
