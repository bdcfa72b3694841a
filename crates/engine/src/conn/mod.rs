//! The sans-IO client connection: ciphertext in, ciphertext out, plaintext in and
//! out, and Node's events as return values. It knows nothing of sockets; the
//! attached driver in `transport` and every host drive it the same way.

pub(crate) mod attached;
pub(crate) mod events;
pub(crate) mod session;

use std::io::{ErrorKind, Read, Write};
use std::sync::Arc;

use rustls::client::{Resumption, Tls12Resumption};
use rustls::pki_types::{ServerName, UnixTime};
use rustls::{ClientConnection, HandshakeKind, NamedGroup};

use crate::conn::events::KeyLogLines;
pub(crate) use crate::conn::events::SocketEvent;
use crate::conn::session::{ConnectionSessions, SessionCache, Ticket, Verdict};
use crate::context::names;
use crate::context::SecureContext;
use crate::error::alert;
use crate::options::{ConnectOptions, ConnectionOptions, IdentityCheck, Settings};
use crate::verify::AcceptChainVerifier;
use crate::verify::{self, identity};
use crate::x509::{self, PeerCertificate};
use crate::TlsError;

/// What one batch of received bytes produced.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Fed {
    /// Node's `'secureConnect'` happened in this batch.
    pub secure_connect: bool,
    /// Decrypted application data (Node's `'data'`).
    pub data: Vec<u8>,
    /// The server ended its side (Node's `'end'`).
    pub end: bool,
    /// The chain verified; the caller's `checkServerIdentity` must now decide
    /// (`settle_identity`).
    pub check_identity: bool,
    /// Events in the order they happened. Sessions come only after the
    /// certificate decision, so `'secureConnect'` goes just before the first one.
    pub events: Vec<SocketEvent>,
}

/// `getEphemeralKeyInfo()`'s answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EphemeralKeyInfo {
    /// `type`: 'ECDH'.
    pub kind: String,
    /// `name`: OpenSSL's name of the group.
    pub name: String,
    /// `size`: bits, as OpenSSL counts them.
    pub size: u32,
}

/// `getCipher()`'s answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CipherInfo {
    /// OpenSSL's name.
    pub name: String,
    /// IANA's name.
    pub standard_name: String,
    /// 'TLSv1.3' or 'TLSv1.2'.
    pub version: String,
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
    context: SecureContext,
    phase: Phase,
    authorization_error: Option<String>,
    /// The certificate decision found the server trusted: Node's `authorized`,
    /// false for a connection that failed before the decision.
    verified: bool,
    /// Plaintext written before `'secureConnect'`: held until the certificate decision.
    held: Vec<u8>,
    peer_ended: bool,
    write_ended: bool,
    /// The sessions rustls offers and receives for this connection.
    sessions: Arc<ConnectionSessions>,
    /// The verification result of the session offered, kept if the server resumes it.
    offered_verdict: Option<Verdict>,
    /// The newest session handed out, for `getSession()`.
    latest_session: Option<Vec<u8>>,
    /// The session family this connection's sessions join.
    family: Option<u64>,
    keylog: Arc<KeyLogLines>,
    /// The shared verifier, which keeps this connection's OCSP response.
    verifier: Arc<AcceptChainVerifier>,
    /// The server's OCSP response, from the verifier, until `'OCSPResponse'`.
    ocsp_response: Option<Vec<u8>>,
    /// Events not yet handed to the host.
    events: Vec<SocketEvent>,
    /// `setMaxSendFragment`: the largest plaintext per record.
    max_send_fragment: usize,
}

/// The largest record plaintext TLS allows, and OpenSSL's default send fragment.
const MAX_FRAGMENT: usize = 16 * 1024;

/// The most keying material exported on TLS 1.2 (TLS 1.3's HKDF stops at 255
/// hashes by itself): a caller's length must not become an allocation that
/// traps the guest.
const MAX_EXPORT_TLS12: usize = 16 * 1024 * 1024;

/// How much to read into rustls per step; rustls refuses more than its buffer.
const FEED_CHUNK: usize = 16 * 1024 + 512;

/// How much plaintext room each read out of rustls makes: one full record.
const PLAINTEXT_STEP: usize = 16 * 1024;

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
        let offer = settings
            .session
            .as_deref()
            .and_then(|handle| SessionCache::global().offer(handle));
        let offered_verdict = offer.as_ref().map(|offer| offer.verdict.clone());
        let family = offer.as_ref().map(|offer| offer.family);
        let sessions = ConnectionSessions::offering(offer);
        let keylog = Arc::new(KeyLogLines::default());
        // The context is shared; what belongs to this connection alone (SNI,
        // ALPN, its sessions and key log) goes into its own copy of the config.
        let mut config = (*context.config).clone();
        config.enable_sni = settings.sni.is_some();
        config.alpn_protocols = match &options.alpn_protocols {
            Some(alpn) => alpn.protocol_list()?,
            None => Vec::new(),
        };
        let verifier = context.verifier.clone();
        config.resumption =
            Resumption::store(sessions.clone()).tls12_resumption(if context.no_tickets {
                Tls12Resumption::SessionIdOnly
            } else {
                Tls12Resumption::SessionIdOrTickets
            });
        config.key_log = keylog.clone();
        let config = Arc::new(config);
        let mut tls =
            ClientConnection::new(config.clone(), name).map_err(|e| alert::from_rustls(&e))?;
        // Every byte the caller writes is kept until taken: backpressure belongs to
        // the host (Node's `write()` returning false), never to silent loss.
        tls.set_buffer_limit(None);
        Ok(Self {
            tls,
            settings,
            context: SecureContext {
                config,
                ..context.clone()
            },
            phase: Phase::Handshaking,
            authorization_error: None,
            verified: false,
            held: Vec::new(),
            peer_ended: false,
            write_ended: false,
            sessions,
            offered_verdict,
            latest_session: None,
            family,
            keylog,
            verifier,
            ocsp_response: None,
            events: Vec::new(),
            max_send_fragment: MAX_FRAGMENT,
        }
        .tracing_client_hello())
    }

    /// The trace's first line: what the ClientHello offers.
    fn tracing_client_hello(mut self) -> Self {
        let sni = self.settings.sni.as_deref().unwrap_or("(none)").to_owned();
        let alpn: Vec<String> = self
            .context
            .config
            .alpn_protocols
            .iter()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect();
        let resuming = if self.offered_verdict.is_some() {
            "yes"
        } else {
            "no"
        };
        self.trace(format!(
            "TLS client: Sent ClientHello (server name: {sni}; ALPN: [{}]; offering a session: {resuming})",
            alpn.join(", ")
        ));
        self
    }

    /// Adds a trace line when `enableTrace` is on.
    fn trace(&mut self, line: String) {
        if self.settings.enable_trace {
            self.events.push(SocketEvent::Trace(line));
        }
    }

    /// Takes bytes received from the server. On error the connection is destroyed
    /// (the alert rustls queued stays available from `take_outgoing`).
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
        fed.events = std::mem::take(&mut self.events);
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
        fed.events = std::mem::take(&mut self.events);
        Ok(fed)
    }

    /// Queues application data. Before `'secureConnect'` it is held back.
    pub fn write(&mut self, data: &[u8]) -> Result<(), TlsError> {
        self.usable()?;
        if self.write_ended {
            return Err(TlsError::new(
                "ERR_STREAM_WRITE_AFTER_END",
                "write after end",
            ));
        }
        match self.phase {
            Phase::Handshaking | Phase::AwaitingIdentity => self.held.extend_from_slice(data),
            // One write per fragment: rustls seals each write into its own records.
            _ => {
                for fragment in data.chunks(self.max_send_fragment) {
                    self.tls
                        .writer()
                        .write_all(fragment)
                        .map_err(|e| TlsError::new("ERR_SSL_PROTOCOL_ERROR", e.to_string()))?;
                }
            }
        }
        Ok(())
    }

    /// Ends the writable side: close_notify once everything written before it.
    pub fn end(&mut self) -> Result<(), TlsError> {
        self.usable()?;
        if !self.write_ended {
            self.write_ended = true;
            if self.phase == Phase::Secure {
                self.tls.send_close_notify();
            }
        }
        Ok(())
    }

    /// Drops the connection at once; later calls fail and getters answer as Node
    /// does after `destroy()`.
    pub fn destroy(&mut self) {
        self.phase = Phase::Destroyed;
        self.held.clear();
    }

    /// Whether the connection was destroyed.
    pub fn is_destroyed(&self) -> bool {
        matches!(self.phase, Phase::Refused | Phase::Destroyed)
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
        self.write_ended && !self.tls.wants_write()
    }

    /// Whether `'secureConnect'` has happened.
    pub fn is_secure(&self) -> bool {
        self.phase == Phase::Secure
    }

    /// Whether the handshake waits for the caller's `settle_identity`.
    pub fn awaits_identity(&self) -> bool {
        self.phase == Phase::AwaitingIdentity
    }

    /// Whether the server has ended its side.
    pub fn peer_ended(&self) -> bool {
        self.peer_ended
    }

    /// `socket.authorized`.
    pub fn authorized(&self) -> bool {
        self.verified
    }

    /// `socket.authorizationError`.
    pub fn authorization_error(&self) -> Option<String> {
        self.authorization_error.clone()
    }

    /// `socket.alpnProtocol`; `None` is Node's `false`.
    pub fn alpn_protocol(&self) -> Option<String> {
        self.tls
            .alpn_protocol()
            .map(|p| String::from_utf8_lossy(p).into_owned())
    }

    /// `socket.servername`; `None` is Node's `false`.
    pub fn servername(&self) -> Option<String> {
        self.settings.sni.clone()
    }

    /// `getProtocol()`: `None` after destroy. Before the handshake ends Node
    /// says 'TLSv1.3' whatever the version range: OpenSSL reports the highest
    /// version its method knows until one is negotiated.
    pub fn protocol(&self) -> Option<String> {
        match self.phase {
            Phase::Refused | Phase::Destroyed => None,
            Phase::Handshaking | Phase::AwaitingIdentity => Some("TLSv1.3".to_owned()),
            Phase::Secure => Some(
                self.tls
                    .protocol_version()
                    .map_or_else(|| "unknown".to_owned(), names::protocol_name),
            ),
        }
    }

    /// `getCipher()`; `None` before the handshake.
    pub fn cipher(&self) -> Option<CipherInfo> {
        let suite = self.tls.negotiated_cipher_suite()?;
        let (name, standard_name) = names::cipher_names(suite.suite());
        Some(CipherInfo {
            name,
            standard_name,
            version: names::protocol_name(suite.version().version),
        })
    }

    /// `getPeerCertificate(detailed)`: the leaf, then (detailed) the rest of the
    /// chain the server sent. Empty is Node's `{}`; `None` is `null` after destroy.
    pub fn peer_certificates(&self, detailed: bool) -> Option<Vec<PeerCertificate>> {
        if self.phase == Phase::Destroyed {
            return None;
        }
        // Node gives `{}` on a resumed session: OpenSSL keeps no chain in it.
        if self.is_session_reused() {
            return Some(Vec::new());
        }
        let chain = self.tls.peer_certificates().unwrap_or(&[]);
        let (sent, issuers) = if detailed {
            // Node continues the chain with issuers from the client's trust store.
            (chain, self.context.trust.issuers_after(chain))
        } else {
            (&chain[..chain.len().min(1)], Vec::new())
        };
        Some(
            sent.iter()
                .chain(&issuers)
                .map_while(|der| x509::describe(der).ok())
                .collect(),
        )
    }

    /// `getCertificate()`: this side's certificate, when one is configured.
    pub fn own_certificate(&self) -> Option<PeerCertificate> {
        let resolver = &self.context.config.client_auth_cert_resolver;
        let certified = crate::credentials::configured_identity(resolver.as_ref())?;
        x509::describe(certified.cert.first()?.as_ref()).ok()
    }

    /// `isSessionReused()`.
    pub fn is_session_reused(&self) -> bool {
        self.tls.handshake_kind() == Some(HandshakeKind::Resumed)
    }

    /// `getSession()`: the newest session; `None` before `'secureConnect'`. When
    /// the server gave no ticket yet, a session that resumes nothing (a full
    /// handshake follows), as OpenSSL's session object without a ticket.
    pub fn session(&mut self) -> Option<Vec<u8>> {
        if self.phase != Phase::Secure {
            return None;
        }
        if self.latest_session.is_none() {
            let handle = self.save_session(Ticket::None);
            self.latest_session = Some(handle);
        }
        self.latest_session.clone()
    }

    /// `getEphemeralKeyInfo()`; `None` before the handshake or without a key exchange.
    pub fn ephemeral_key_info(&self) -> Option<EphemeralKeyInfo> {
        if !matches!(self.phase, Phase::Secure | Phase::AwaitingIdentity) {
            return None;
        }
        let group = self.tls.negotiated_key_exchange_group()?.name();
        let (name, size) = match group {
            NamedGroup::X25519 => ("X25519", 253),
            NamedGroup::X448 => ("X448", 448),
            NamedGroup::secp256r1 => ("prime256v1", 256),
            NamedGroup::secp384r1 => ("secp384r1", 384),
            NamedGroup::secp521r1 => ("secp521r1", 521),
            _ => return None,
        };
        Some(EphemeralKeyInfo {
            kind: "ECDH".to_owned(),
            name: name.to_owned(),
            size,
        })
    }

    /// `exportKeyingMaterial(length, label, context)`, with Node's checks of `length`.
    pub fn export_keying_material(
        &self,
        length: f64,
        label: &str,
        context: Option<&[u8]>,
    ) -> Result<Vec<u8>, TlsError> {
        if length.fract() != 0.0 || !length.is_finite() {
            return Err(TlsError::out_of_range("length", "an integer", length));
        }
        if !(1.0..=4_294_967_295.0).contains(&length) {
            return Err(TlsError::out_of_range(
                "length",
                ">= 1 && <= 4294967295",
                length,
            ));
        }
        if self.phase != Phase::Secure {
            return Err(TlsError::invalid_state(
                "TLS socket connection must be securely established",
            ));
        }
        let internal = || {
            TlsError::new(
                "ERR_SSL_INTERNAL_ERROR",
                "error:0A0C0103:SSL routines::internal error",
            )
        };
        let length = length as usize;
        let tls12 = self.tls.protocol_version() == Some(rustls::ProtocolVersion::TLSv1_2);
        if tls12 && length > MAX_EXPORT_TLS12 {
            return Err(internal());
        }
        // TLS 1.3's exporter gives at most 255 hashes: refused before allocating.
        let hash_len = match self.tls.negotiated_cipher_suite().map(|s| s.suite()) {
            Some(rustls::CipherSuite::TLS13_AES_256_GCM_SHA384) => 48,
            _ => 32,
        };
        let limit = 255 * hash_len;
        if !tls12 && length > limit {
            return Err(internal());
        }
        self.tls
            .export_keying_material(vec![0u8; length], label.as_bytes(), context)
            .map_err(|_| internal())
    }

    /// `setMaxSendFragment(size)`: applied and true within 512..16384, as OpenSSL.
    pub fn set_max_send_fragment(&mut self, size: f64) -> bool {
        if !(512.0..=MAX_FRAGMENT as f64).contains(&size) || size.fract() != 0.0 {
            return false;
        }
        self.max_send_fragment = size as usize;
        true
    }

    /// Starts or stops reporting key-log lines.
    pub fn set_keylog(&self, enabled: bool) {
        self.keylog.set_enabled(enabled);
    }

    /// The events since the last call (an attached socket's; a sans-IO socket
    /// gets them with each batch).
    pub fn take_events(&mut self) -> Vec<SocketEvent> {
        std::mem::take(&mut self.events)
    }

    /// The caller's `checkServerIdentity` verdict: `None` accepts. An error
    /// becomes `authorizationError` and, with `rejectUnauthorized`, refuses.
    pub fn settle_identity(&mut self, verdict: Option<TlsError>) -> Result<Fed, TlsError> {
        if self.phase != Phase::AwaitingIdentity {
            return Err(TlsError::invalid_state(
                "No server identity check is pending on this socket",
            ));
        }
        let mut fed = Fed::default();
        match verdict {
            Some(err) => {
                self.authorization_error = Some(err.code.clone());
                if self.settings.reject_unauthorized {
                    self.refuse();
                    return Err(err);
                }
            }
            None => self.verified = true,
        }
        self.go_secure(&mut fed)?;
        self.drain_plaintext(&mut fed)?;
        self.collect_sessions();
        fed.events = std::mem::take(&mut self.events);
        Ok(fed)
    }

    fn usable(&self) -> Result<(), TlsError> {
        if self.is_destroyed() {
            return Err(TlsError::new("ERR_SOCKET_CLOSED", "Socket is closed"));
        }
        Ok(())
    }

    fn fail_io(&mut self, err: &std::io::Error) -> TlsError {
        self.phase = Phase::Destroyed;
        TlsError::new("ERR_SSL_PROTOCOL_ERROR", err.to_string())
    }

    /// Processes what rustls has buffered, makes the certificate decision when the
    /// handshake completes, and drains plaintext into `fed`.
    fn process(&mut self, fed: &mut Fed) -> Result<(), TlsError> {
        let processed = self.tls.process_new_packets();
        for line in self.keylog.take() {
            self.events.push(SocketEvent::Keylog(line));
        }
        if let Err(err) = processed {
            self.phase = Phase::Destroyed;
            let err = alert::from_rustls(&err);
            self.trace(format!(
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
        }
        Ok(())
    }

    /// Hands out the sessions the server gave as `'session'` events, each carrying
    /// this connection's verification result.
    fn collect_sessions(&mut self) {
        // A resumed TLS 1.2 session is saved again by rustls; Node (OpenSSL)
        // reports no new session then.
        let resumed_tls12 = self.is_session_reused()
            && self.tls.protocol_version() == Some(rustls::ProtocolVersion::TLSv1_2);
        for ticket in self.sessions.take_received() {
            if resumed_tls12 && matches!(ticket, Ticket::Tls12(_)) {
                continue;
            }
            let handle = self.save_session(ticket);
            self.trace("TLS client: Received a session ticket".to_owned());
            self.latest_session = Some(handle.clone());
            self.events.push(SocketEvent::Session(handle));
        }
    }

    fn save_session(&mut self, ticket: Ticket) -> Vec<u8> {
        let (handle, family) = SessionCache::global().save(
            ticket,
            self.verdict(),
            self.sessions.kx_hint(),
            self.family,
        );
        self.family = Some(family);
        handle
    }

    fn verdict(&self) -> Verdict {
        Verdict {
            authorized: self.verified,
            authorization_error: self.authorization_error.clone(),
        }
    }

    /// The trace line for a finished handshake.
    fn trace_handshake(&mut self) {
        if !self.settings.enable_trace {
            return;
        }
        let version = self.protocol().unwrap_or_default();
        let cipher = self.cipher().map(|c| c.standard_name).unwrap_or_default();
        let group = self
            .ephemeral_key_info()
            .map_or_else(|| "none".to_owned(), |k| k.name);
        let certificates = self.tls.peer_certificates().map_or(0, <[_]>::len);
        let kind = if self.is_session_reused() {
            "resumed"
        } else {
            "full"
        };
        self.trace(format!(
            "TLS client: Received ServerHello ({version}, {cipher}, key exchange {group}); {kind} handshake; {certificates} server certificate(s)"
        ));
    }

    /// Node's post-handshake decision: the chain's verdict, then checkServerIdentity
    /// when the chain verified; `rejectUnauthorized` refuses or records.
    /// A resumed session keeps its original verdict and skips the identity check;
    /// otherwise the chain is judged, then the name, by the engine or the caller.
    fn decide(&mut self, fed: &mut Fed) -> Result<(), TlsError> {
        self.trace_handshake();
        // Taken now, whatever the decision, so no later connection finds it.
        let leaf = self.tls.peer_certificates().and_then(|c| c.first());
        self.ocsp_response = leaf.and_then(|leaf| self.verifier.take_ocsp(leaf.as_ref()));
        if self.is_session_reused() {
            let verdict = self.offered_verdict.clone().unwrap_or(Verdict {
                authorized: false,
                authorization_error: None,
            });
            self.verified = verdict.authorized;
            self.authorization_error = verdict.authorization_error;
            if let Some(code) = self.authorization_error.clone() {
                if self.settings.reject_unauthorized {
                    self.refuse();
                    return Err(verify::openssl_error(&code));
                }
            }
            return self.go_secure(fed);
        }
        let verdict = self
            .verify_chain()
            .and_then(|()| match self.settings.identity_check {
                IdentityCheck::Builtin => self.check_identity(),
                IdentityCheck::Caller => Ok(()),
            });
        self.trace(format!(
            "TLS client: Server certificate: {}",
            verdict
                .as_ref()
                .map_or_else(|e| e.code.clone(), |()| "ok".to_owned())
        ));
        if let Err(err) = verdict {
            // Node records the code on the socket whether it refuses or not.
            self.authorization_error = Some(err.code.clone());
            if self.settings.reject_unauthorized {
                self.refuse();
                return Err(err);
            }
            return self.go_secure(fed);
        }
        if self.settings.identity_check == IdentityCheck::Caller {
            self.phase = Phase::AwaitingIdentity;
            fed.check_identity = true;
            return Ok(());
        }
        self.verified = true;
        self.go_secure(fed)
    }

    /// Node's `'secureConnect'`: the OCSP response first, then what was held back.
    fn go_secure(&mut self, fed: &mut Fed) -> Result<(), TlsError> {
        if self.settings.request_ocsp {
            let response = self.ocsp_response.take().filter(|r| !r.is_empty());
            self.events.push(SocketEvent::OcspResponse(response));
        }
        self.phase = Phase::Secure;
        fed.secure_connect = true;
        let held = std::mem::take(&mut self.held);
        if !held.is_empty() {
            self.write(&held)?;
        }
        if self.write_ended {
            self.tls.send_close_notify();
        }
        Ok(())
    }

    fn refuse(&mut self) {
        self.phase = Phase::Refused;
        self.held.clear();
    }

    fn verify_chain(&self) -> Result<(), TlsError> {
        let chain = self.tls.peer_certificates().unwrap_or(&[]);
        let algorithms = &self
            .context
            .config
            .crypto_provider()
            .signature_verification_algorithms;
        verify::verify_chain(&self.context.trust, algorithms, chain, UnixTime::now())
    }

    fn check_identity(&self) -> Result<(), TlsError> {
        let chain = self.tls.peer_certificates().unwrap_or(&[]);
        let leaf = x509::describe(chain.first().map_or(&[][..], |c| c.as_ref()))?;
        identity::check_server_identity(&self.settings.verify_name, &leaf)
    }

    fn drain_plaintext(&mut self, fed: &mut Fed) -> Result<(), TlsError> {
        // Bounded: rustls holds a limited amount of plaintext; each turn takes some.
        loop {
            // Read straight into the batch's buffer: one copy out of rustls, no bounce buffer.
            let start = fed.data.len();
            fed.data.resize(start + PLAINTEXT_STEP, 0);
            let read = self.tls.reader().read(&mut fed.data[start..]);
            fed.data.truncate(start + *read.as_ref().unwrap_or(&0));
            match read {
                Ok(0) => {
                    if !self.peer_ended {
                        self.on_peer_end(fed);
                    }
                    return Ok(());
                }
                Ok(_) => {}
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
        if !self.settings.allow_half_open && !self.write_ended {
            self.write_ended = true;
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
mod tests {
    //! The sans-IO connection against an in-memory rustls server: no sockets, so
    //! every byte that crosses is visible to the test.

    use std::sync::Arc;

    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use rustls::{ServerConfig, ServerConnection};

    use super::*;
    use crate::options::Pem;

    struct Pki {
        ca_pem: String,
        server: Arc<ServerConfig>,
    }

    /// A CA and a server certificate for `names`, served by a rustls config.
    fn pki(names: &[&str]) -> Pki {
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "tls-connect unit-test CA");
        let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
        let leaf_key = KeyPair::generate().unwrap();
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let leaf = CertificateParams::new(names)
            .unwrap()
            .signed_by(&leaf_key, &ca)
            .unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let server = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from(leaf.der().to_vec())],
                PrivateKeyDer::try_from(leaf_key.serialize_der()).unwrap(),
            )
            .unwrap();
        Pki {
            ca_pem: ca.pem(),
            server: Arc::new(server),
        }
    }

    fn client(pki: &Pki, reject_unauthorized: bool, trust_ca: bool) -> Connection {
        let mut options = localhost(pki);
        options.context.ca = options.context.ca.filter(|_| trust_ca);
        options.connection.reject_unauthorized = Some(reject_unauthorized);
        Connection::new(&options).unwrap()
    }

    /// Moves bytes both ways until neither side has anything to send. Returns
    /// what the client saw, and every plaintext byte the server received.
    fn pump(
        client: &mut Connection,
        server: &mut ServerConnection,
    ) -> (Result<Fed, TlsError>, Vec<u8>) {
        let mut seen = Fed::default();
        let mut server_got = Vec::new();
        for _ in 0..20 {
            let to_server = client.take_outgoing();
            if !to_server.is_empty() {
                server.read_tls(&mut &to_server[..]).unwrap();
                server.process_new_packets().unwrap();
                let mut buf = [0u8; 4096];
                while let Ok(n) = server.reader().read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    server_got.extend_from_slice(&buf[..n]);
                }
            }
            let mut to_client = Vec::new();
            while server.wants_write() {
                server.write_tls(&mut to_client).unwrap();
            }
            if to_server.is_empty() && to_client.is_empty() {
                break;
            }
            if !to_client.is_empty() {
                match client.feed(&to_client) {
                    Ok(fed) => merge(&mut seen, fed),
                    Err(err) => return (Err(err), server_got),
                }
            }
        }
        (Ok(seen), server_got)
    }

    fn merge(seen: &mut Fed, fed: Fed) {
        seen.secure_connect |= fed.secure_connect;
        seen.check_identity |= fed.check_identity;
        seen.data.extend(fed.data);
        seen.end |= fed.end;
        seen.events.extend(fed.events);
    }

    fn sessions_in(fed: &Fed) -> Vec<Vec<u8>> {
        fed.events
            .iter()
            .filter_map(|e| match e {
                SocketEvent::Session(handle) => Some(handle.clone()),
                _ => None,
            })
            .collect()
    }

    /// Options for `localhost`, trusting the test CA.
    fn localhost(pki: &Pki) -> ConnectOptions {
        let mut options = ConnectOptions::default();
        options.target.host = Some("localhost".into());
        options.context.ca = Some(vec![Pem::Text(pki.ca_pem.clone())]);
        options
    }

    /// Connects to `localhost` with `connection`'s options, moving bytes both
    /// ways until neither side has anything to send. Returns what the client
    /// saw, and every plaintext byte the server received.
    fn connect_with(
        pki: &Pki,
        connection: ConnectionOptions,
    ) -> (Connection, Result<Fed, TlsError>, ServerConnection, Vec<u8>) {
        let mut client = Connection::new(&ConnectOptions {
            connection,
            ..localhost(pki)
        })
        .unwrap();
        let mut server = ServerConnection::new(pki.server.clone()).unwrap();
        let (fed, got) = pump(&mut client, &mut server);
        (client, fed, server, got)
    }

    #[test]
    fn a_session_from_the_session_event_resumes_with_the_original_verdict() {
        let pki = pki(&["localhost"]);
        let (mut first, fed, mut server, _) = connect_with(&pki, ConnectionOptions::default());
        let mut fed = fed.unwrap();
        // rustls servers send their tickets after the client's Finished.
        server.writer().write_all(b"x").unwrap();
        merge(&mut fed, pump(&mut first, &mut server).0.unwrap());
        let sessions = sessions_in(&fed);
        assert!(!sessions.is_empty(), "no 'session' event: {:?}", fed.events);
        assert!(!first.is_session_reused());
        assert_eq!(first.session().as_ref(), sessions.last());

        let options = ConnectionOptions {
            session: sessions.last().cloned(),
            ..Default::default()
        };
        let (second, fed, _, _) = connect_with(&pki, options);
        assert!(fed.unwrap().secure_connect);
        assert!(second.is_session_reused());
        assert!(second.authorized());
        // As Node: no certificate on a resumed session.
        assert_eq!(second.peer_certificates(false), Some(Vec::new()));
    }

    /// As Node: the detailed chain goes on from what the server sent to the
    /// issuer in the client's `ca`, and ends at that self-signed root.
    #[test]
    fn detailed_peer_certificate_continues_into_the_trust_store() {
        let pki = pki(&["localhost"]);
        let (client, fed, _, _) = connect_with(&pki, ConnectionOptions::default());
        assert!(fed.unwrap().secure_connect);
        let chain = client.peer_certificates(true).unwrap();
        assert_eq!(chain.len(), 2, "the leaf, then the CA from `ca`");
        assert_eq!(chain[1].subject, chain[1].issuer);
        assert_eq!(chain[0].issuer, chain[1].subject);
        assert_eq!(client.peer_certificates(false).unwrap().len(), 1);
    }

    #[test]
    fn junk_session_bytes_are_ignored() {
        let pki = pki(&["localhost"]);
        for junk in [b"junk".to_vec(), vec![0; 45], Vec::new()] {
            let options = ConnectionOptions {
                session: Some(junk),
                ..Default::default()
            };
            let (client, fed, _, _) = connect_with(&pki, options);
            assert!(fed.unwrap().secure_connect);
            assert!(!client.is_session_reused());
            assert!(client.authorized());
        }
    }

    #[test]
    fn the_callers_identity_check_decides_and_holds_writes_until_then() {
        let pki = pki(&["localhost"]);
        let caller = || ConnectionOptions {
            identity_check: Some(IdentityCheck::Caller),
            ..Default::default()
        };
        // Accepted: the held write goes out only after the verdict.
        let mut client = Connection::new(&ConnectOptions {
            connection: caller(),
            ..localhost(&pki)
        })
        .unwrap();
        let mut server = ServerConnection::new(pki.server.clone()).unwrap();
        client.write(b"held").unwrap();
        let (fed, got) = pump(&mut client, &mut server);
        let fed = fed.unwrap();
        assert!(fed.check_identity && !fed.secure_connect);
        assert!(got.is_empty());
        assert_eq!(client.protocol().as_deref(), Some("TLSv1.3"));
        let settled = client.settle_identity(None).unwrap();
        assert!(settled.secure_connect);
        assert!(client.authorized());
        let (_, got) = pump(&mut client, &mut server);
        assert_eq!(got, b"held");

        // Refused: the caller's error, and nothing reaches the server.
        let (mut client, fed, _, got) = connect_with(&pki, caller());
        assert!(fed.unwrap().check_identity);
        let verdict = TlsError::new("ERR_CUSTOM", "no thanks");
        assert_eq!(
            client.settle_identity(Some(verdict.clone())).unwrap_err(),
            verdict
        );
        assert!(got.is_empty());
        assert!(client.is_destroyed());
        assert_eq!(client.authorization_error().as_deref(), Some("ERR_CUSTOM"));

        // Not rejected: 'secureConnect' with authorized false.
        let (mut client, _, _, _) = connect_with(
            &pki,
            ConnectionOptions {
                reject_unauthorized: Some(false),
                ..caller()
            },
        );
        assert!(
            client
                .settle_identity(Some(verdict))
                .unwrap()
                .secure_connect
        );
        assert!(!client.authorized());
        assert_eq!(client.authorization_error().as_deref(), Some("ERR_CUSTOM"));
        assert_eq!(
            client.settle_identity(None).unwrap_err().code,
            "ERR_TLS_INVALID_STATE"
        );
    }

    #[test]
    fn keylog_lines_and_exported_keys_match_the_servers() {
        let pki = pki(&["localhost"]);
        let mut client = client(&pki, true, true);
        client.set_keylog(true);
        assert_eq!(
            client
                .export_keying_material(16.0, "x", None)
                .unwrap_err()
                .code,
            "ERR_TLS_INVALID_STATE"
        );
        let mut server = ServerConnection::new(pki.server.clone()).unwrap();
        let fed = pump(&mut client, &mut server).0.unwrap();
        let lines: Vec<String> = fed
            .events
            .iter()
            .filter_map(|e| match e {
                SocketEvent::Keylog(line) => Some(String::from_utf8(line.clone()).unwrap()),
                _ => None,
            })
            .collect();
        let labels: Vec<&str> = lines.iter().map(|l| l.split(' ').next().unwrap()).collect();
        for label in [
            "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
            "SERVER_HANDSHAKE_TRAFFIC_SECRET",
            "CLIENT_TRAFFIC_SECRET_0",
            "SERVER_TRAFFIC_SECRET_0",
            "EXPORTER_SECRET",
        ] {
            assert!(labels.contains(&label), "{label} missing from {labels:?}");
        }
        assert!(lines.iter().all(|l| l.ends_with('\n')));

        let ours = client
            .export_keying_material(32.0, "label", Some(b"ctx"))
            .unwrap();
        let theirs = server
            .export_keying_material([0u8; 32], b"label", Some(b"ctx"))
            .unwrap();
        assert_eq!(ours, theirs);
        for (length, code) in [
            (0.0, "ERR_OUT_OF_RANGE"),
            (1.5, "ERR_OUT_OF_RANGE"),
            (1e6, "ERR_SSL_INTERNAL_ERROR"),
        ] {
            assert_eq!(
                client
                    .export_keying_material(length, "x", None)
                    .unwrap_err()
                    .code,
                code
            );
        }
        let info = client.ephemeral_key_info().unwrap();
        assert_eq!(
            (info.kind.as_str(), info.name.as_str(), info.size),
            ("ECDH", "X25519", 253)
        );
    }

    #[test]
    fn max_send_fragment_bounds_each_record() {
        let pki = pki(&["localhost"]);
        let mut client = client(&pki, true, true);
        let mut server = ServerConnection::new(pki.server.clone()).unwrap();
        pump(&mut client, &mut server).0.unwrap();
        assert!(!client.set_max_send_fragment(511.0));
        assert!(!client.set_max_send_fragment(16385.0));
        assert!(client.set_max_send_fragment(512.0));
        client.write(&[7u8; 2000]).unwrap();
        let wire = client.take_outgoing();
        let mut records = 0;
        let mut rest = &wire[..];
        while rest.len() >= 5 {
            let len = usize::from(u16::from_be_bytes([rest[3], rest[4]]));
            // 512 bytes of plaintext, the content type and a 16-byte tag.
            assert!(len <= 512 + 17, "record of {len} bytes");
            rest = &rest[5 + len..];
            records += 1;
        }
        assert_eq!(records, 4);
    }

    #[test]
    fn trusted_server_connects_and_data_flows_both_ways() {
        let pki = pki(&["localhost"]);
        let mut client = client(&pki, true, true);
        let mut server = ServerConnection::new(pki.server.clone()).unwrap();
        assert_eq!(client.protocol().as_deref(), Some("TLSv1.3"));
        client.write(b"early").unwrap();
        let (fed, server_got) = pump(&mut client, &mut server);
        assert!(fed.unwrap().secure_connect);
        assert_eq!(server_got, b"early");
        assert!(client.authorized());
        assert_eq!(client.authorization_error(), None);
        assert_eq!(client.protocol().as_deref(), Some("TLSv1.3"));
        let cipher = client.cipher().unwrap();
        assert_eq!(cipher.name, "TLS_CHACHA20_POLY1305_SHA256");
        server.writer().write_all(b"pong").unwrap();
        let (fed, _) = pump(&mut client, &mut server);
        assert_eq!(fed.unwrap().data, b"pong");
    }

    #[test]
    fn refused_server_never_sees_early_data() {
        let pki = pki(&["localhost"]);
        let mut client = client(&pki, true, false);
        let mut server = ServerConnection::new(pki.server.clone()).unwrap();
        client.write(b"secret").unwrap();
        let (fed, server_got) = pump(&mut client, &mut server);
        let err = fed.unwrap_err();
        assert_eq!(err.code, "UNABLE_TO_VERIFY_LEAF_SIGNATURE");
        assert!(
            server_got.is_empty(),
            "data reached the server: {server_got:?}"
        );
        assert!(client.is_destroyed());
        assert!(!client.authorized());
        assert_eq!(
            client.authorization_error().as_deref(),
            Some("UNABLE_TO_VERIFY_LEAF_SIGNATURE")
        );
        assert_eq!(client.protocol(), None);
        assert!(client.write(b"more").is_err());
        // Readable for the host's error object until the host destroys the socket.
        assert_eq!(client.peer_certificates(false).map(|c| c.len()), Some(1));
        client.destroy();
        assert_eq!(client.peer_certificates(false), None);
    }

    #[test]
    fn unauthorized_server_is_reported_when_not_rejected() {
        let pki = pki(&["other.test"]);
        let mut client = client(&pki, false, true);
        let mut server = ServerConnection::new(pki.server.clone()).unwrap();
        client.write(b"hi").unwrap();
        let (fed, server_got) = pump(&mut client, &mut server);
        assert!(fed.unwrap().secure_connect);
        assert!(!client.authorized());
        assert_eq!(
            client.authorization_error().as_deref(),
            Some("ERR_TLS_CERT_ALTNAME_INVALID")
        );
        assert_eq!(server_got, b"hi");
    }

    #[test]
    fn end_sends_close_notify_and_peer_end_is_reported() {
        let pki = pki(&["localhost"]);
        let mut client = client(&pki, true, true);
        let mut server = ServerConnection::new(pki.server.clone()).unwrap();
        pump(&mut client, &mut server).0.unwrap();
        server.send_close_notify();
        let (fed, _) = pump(&mut client, &mut server);
        assert!(fed.unwrap().end);
        // Without allowHalfOpen, our side ended too.
        assert!(client.wants_write_end());
        assert_eq!(
            client.write(b"late").unwrap_err().code,
            "ERR_STREAM_WRITE_AFTER_END"
        );
    }

    #[test]
    fn end_of_stream_before_handshake_is_econnreset() {
        let pki = pki(&["localhost"]);
        let mut client = client(&pki, true, true);
        let err = client.feed_end().unwrap_err();
        assert_eq!(err.code, "ECONNRESET");
        assert_eq!(
            err.message,
            "Client network socket disconnected before secure TLS connection was established"
        );
    }

    #[test]
    fn non_tls_peer_is_a_wrong_version_number() {
        let pki = pki(&["localhost"]);
        let mut client = client(&pki, true, true);
        let err = client
            .feed(b"HTTP/1.1 400 Bad Request\r\n\r\n")
            .unwrap_err();
        assert_eq!(err.code, "ERR_SSL_WRONG_VERSION_NUMBER");
    }

    /// Found by the `server_bytes` fuzz target: a connection that failed before
    /// the certificate decision reported `authorized` true.
    #[test]
    fn failed_handshake_is_never_authorized() {
        let pki = pki(&["localhost"]);
        let mut client = client(&pki, true, true);
        // A fatal handshake_failure alert in place of the ServerHello.
        let err = client.feed(b"\x15\x03\x03\x00\x02\x02\x28").unwrap_err();
        assert_eq!(err.code, "ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE");
        assert!(!client.authorized());
        let mut client = self::client(&pki, true, true);
        assert_eq!(client.feed_end().unwrap_err().code, "ECONNRESET");
        assert!(!client.authorized());
    }
}
