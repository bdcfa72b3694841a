//! The sans-IO client connection: ciphertext in, ciphertext out, plaintext in and
//! out, and Node's events as return values. It knows nothing of sockets; the
//! attached driver in `transport` and every host drive it the same way.

use std::io::{ErrorKind, Read, Write};

use rustls::pki_types::{ServerName, UnixTime};
use rustls::ClientConnection;

use crate::certinfo::{self, PeerCertificate};
use crate::context::SecureContext;
use crate::options::{ConnectOptions, Settings};
use crate::{alert, identity, names, verify, TlsError};

/// What one batch of received bytes produced.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Fed {
    /// Node's `'secureConnect'` happened in this batch.
    pub secure_connect: bool,
    /// Decrypted application data (Node's `'data'`).
    pub data: Vec<u8>,
    /// The server ended its side (Node's `'end'`).
    pub end: bool,
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
}

/// How much to read into rustls per step; rustls refuses more than its buffer.
const FEED_CHUNK: usize = 16 * 1024 + 512;

/// How much plaintext room each read out of rustls makes: one full record.
const PLAINTEXT_STEP: usize = 16 * 1024;

impl Connection {
    /// Validates the options, builds the secure context and begins the handshake.
    pub fn new(options: &ConnectOptions) -> Result<Self, TlsError> {
        let settings = options.settings()?;
        let context = SecureContext::from_options(options, settings.sni.is_some())?;
        Self::with_context(settings, context)
    }

    /// Begins the handshake with settings and a context already made.
    pub fn with_context(settings: Settings, context: SecureContext) -> Result<Self, TlsError> {
        let name = server_name(&settings)?;
        let mut tls = ClientConnection::new(context.config.clone(), name)
            .map_err(|e| alert::from_rustls(&e))?;
        // Every byte the caller writes is kept until taken: backpressure belongs to
        // the host (Node's `write()` returning false), never to silent loss.
        tls.set_buffer_limit(None);
        Ok(Self {
            tls,
            settings,
            context,
            phase: Phase::Handshaking,
            authorization_error: None,
            verified: false,
            held: Vec::new(),
            peer_ended: false,
            write_ended: false,
        })
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
        Ok(fed)
    }

    /// The transport reached its end. Before `'secureConnect'` this is Node's
    /// `ECONNRESET`; after it, the server's end, with or without close_notify.
    pub fn feed_end(&mut self) -> Result<Fed, TlsError> {
        self.usable()?;
        if self.phase == Phase::Handshaking {
            self.phase = Phase::Destroyed;
            return Err(alert::disconnected_before_secure());
        }
        let mut fed = Fed::default();
        if !self.peer_ended {
            self.on_peer_end(&mut fed);
        }
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
            Phase::Handshaking => self.held.extend_from_slice(data),
            _ => self
                .tls
                .writer()
                .write_all(data)
                .map_err(|e| TlsError::new("ERR_SSL_PROTOCOL_ERROR", e.to_string()))?,
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

    /// `getProtocol()`: 'unknown' during the handshake, `None` after destroy.
    pub fn protocol(&self) -> Option<String> {
        match self.phase {
            Phase::Refused | Phase::Destroyed => None,
            Phase::Handshaking => Some("unknown".to_owned()),
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
        let chain = self.tls.peer_certificates().unwrap_or(&[]);
        let wanted = if detailed {
            chain.len()
        } else {
            chain.len().min(1)
        };
        Some(
            chain[..wanted]
                .iter()
                .map_while(|der| certinfo::describe(der).ok())
                .collect(),
        )
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
        if let Err(err) = self.tls.process_new_packets() {
            self.phase = Phase::Destroyed;
            return Err(alert::from_rustls(&err));
        }
        if self.phase == Phase::Handshaking && !self.tls.is_handshaking() {
            self.decide()?;
            fed.secure_connect = true;
        }
        if self.phase == Phase::Secure {
            self.drain_plaintext(fed)?;
        }
        Ok(())
    }

    /// Node's post-handshake decision: the chain's verdict, then checkServerIdentity
    /// when the chain verified; `rejectUnauthorized` refuses or records.
    fn decide(&mut self) -> Result<(), TlsError> {
        let verdict = self.verify_peer();
        self.verified = verdict.is_ok();
        if let Err(err) = verdict {
            // Node records the code on the socket whether it refuses or not.
            self.authorization_error = Some(err.code.clone());
            if self.settings.reject_unauthorized {
                self.phase = Phase::Refused;
                self.held.clear();
                return Err(err);
            }
        }
        self.phase = Phase::Secure;
        let held = std::mem::take(&mut self.held);
        if !held.is_empty() {
            self.write(&held)?;
        }
        if self.write_ended {
            self.tls.send_close_notify();
        }
        Ok(())
    }

    fn verify_peer(&self) -> Result<(), TlsError> {
        let chain = self.tls.peer_certificates().unwrap_or(&[]);
        let algorithms = &self
            .context
            .config
            .crypto_provider()
            .signature_verification_algorithms;
        verify::verify_chain(&self.context.trust, algorithms, chain, UnixTime::now())?;
        let leaf = certinfo::describe(chain[0].as_ref())?;
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
        let options = ConnectOptions {
            host: Some("localhost".into()),
            ca: trust_ca.then(|| vec![Pem::Text(pki.ca_pem.clone())]),
            reject_unauthorized: Some(reject_unauthorized),
            ..Default::default()
        };
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
                    Ok(fed) => {
                        seen.secure_connect |= fed.secure_connect;
                        seen.data.extend(fed.data);
                        seen.end |= fed.end;
                    }
                    Err(err) => return (Err(err), server_got),
                }
            }
        }
        (Ok(seen), server_got)
    }

    #[test]
    fn trusted_server_connects_and_data_flows_both_ways() {
        let pki = pki(&["localhost"]);
        let mut client = client(&pki, true, true);
        let mut server = ServerConnection::new(pki.server.clone()).unwrap();
        assert_eq!(client.protocol().as_deref(), Some("unknown"));
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
