//! Servers without a server: the fixed client
//! (`tls_connect_engine::fuzzing::deterministic_context`) sends the same bytes
//! every time, so a real server's flights are recorded once per process and
//! shape ([`Recording`]) and replayed to every later client, mutated
//! ([`ReplayPeer`]); and since both sides' key shares are fixed, the harness
//! knows the TLS 1.3 handshake's secrets and builds the server's flight around
//! any certificate chain, with a valid CertificateVerify and Finished
//! ([`BuiltPeer`]). What the client then sent is read back
//! ([`Tls13Session::client_data`]), so the check that a refused server hears
//! nothing needs no server either.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use rustls::{ServerConfig, SignatureScheme};
use tls_connect_engine::fuzzing::{fixed_shared_secret, Role};
use tls_connect_engine::{ConnectOptions, Connection, SecureContext};

use crate::peer::{LivePeer, Mutation, Server, REPLY};
use crate::pki;
use crate::records::{self, Record};
use crate::tls13::{self, Schedule, Suite};

/// Handshake message types.
mod msg {
    pub const ENCRYPTED_EXTENSIONS: u8 = 8;
    pub const CERTIFICATE_REQUEST: u8 = 13;
    pub const CERTIFICATE_VERIFY: u8 = 15;
    pub const FINISHED: u8 = 20;
}

/// One clean handshake of the fixed client with a real server, exchange by
/// exchange.
pub struct Recording {
    /// What the server answered to each exchange (some empty).
    pub server_flights: Vec<Vec<u8>>,
    /// What the client sent before each exchange; the first is its ClientHello.
    pub client_flights: Vec<Vec<u8>>,
    /// For TLS 1.3: the handshake's messages and secrets.
    pub tls13: Option<Tls13Session>,
}

/// What a recorded TLS 1.3 handshake gives the builder and the reader.
pub struct Tls13Session {
    suite: Suite,
    schedule: Schedule,
    /// ClientHello and ServerHello, as hashed into the transcript.
    hellos: Vec<u8>,
    /// The flight's bytes before its first protected record (ServerHello, and
    /// the compatibility ChangeCipherSpec).
    prefix: Vec<u8>,
    /// EncryptedExtensions, and CertificateRequest when there was one.
    before_certificate: Vec<u8>,
    /// The scheme the server signed with.
    scheme: SignatureScheme,
    /// The recorded transcript, ClientHello to the server's Finished.
    transcript: Vec<u8>,
}

/// The recordings of this process, by [`Key`].
static RECORDINGS: LazyLock<Mutex<HashMap<Key, Arc<Recording>>>> = LazyLock::new(Mutex::default);

/// What the server's flights depend on: its shape, and what the client's
/// options put in its flights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    /// The server speaks TLS 1.2 only.
    pub tls12: bool,
    /// The server asks for a client certificate.
    pub client_auth: bool,
    /// The client offers ALPN.
    pub alpn: bool,
    /// The client sends SNI.
    pub sni: bool,
    /// The client has a certificate.
    pub client_cert: bool,
}

/// The recording for `key`, made on first use: `options` and `context` are
/// the client's (trusting the fixed root, writing nothing early).
pub fn recording(
    key: Key,
    options: &ConnectOptions,
    context: &SecureContext,
    config: Arc<ServerConfig>,
) -> Arc<Recording> {
    let mut recordings = RECORDINGS.lock().unwrap_or_else(|p| p.into_inner());
    recordings
        .entry(key)
        .or_insert_with(|| Arc::new(record(options, context, config)))
        .clone()
}

fn record(
    options: &ConnectOptions,
    context: &SecureContext,
    config: Arc<ServerConfig>,
) -> Recording {
    let mut conn =
        Connection::with_secure_context(options, context).expect("the harness's options");
    let mut peer = LivePeer::new(config, None);
    let (mut client_flights, mut server_flights) = (Vec::new(), Vec::new());
    // Bounded: a handshake, a reply and a close take fewer rounds than this.
    for _ in 0..16 {
        let to_server = conn.take_outgoing();
        let to_client = peer.exchange(&to_server);
        if to_server.is_empty() && to_client.is_empty() {
            break;
        }
        client_flights.push(to_server);
        server_flights.push(to_client.clone());
        let fed = conn.feed(&to_client).expect("a clean handshake");
        if fed.secure_connect {
            conn.write(b"ping").expect("a write once secure");
        }
    }
    let tls13 = Tls13Session::from_flights(&client_flights[0], &server_flights[0]);
    Recording {
        server_flights,
        client_flights,
        tls13,
    }
}

/// The concatenated bodies of the plaintext handshake records in `flight`.
fn handshake_bytes(flight: &[u8]) -> Vec<u8> {
    let (records, _) = records::split_records(flight);
    records
        .iter()
        .filter(|r| r.content_type == records::HANDSHAKE)
        .flat_map(|r| r.body.clone())
        .collect()
}

/// Splits handshake bytes into whole messages (type and full bytes).
fn messages(mut bytes: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut out = Vec::new();
    // Bounded: each turn consumes a header and its body.
    while let [msg_type, l0, l1, l2, rest @ ..] = bytes {
        let len = usize::from(*l0) << 16 | usize::from(*l1) << 8 | usize::from(*l2);
        let Some(body) = rest.get(..len) else { break };
        let mut whole = vec![*msg_type, *l0, *l1, *l2];
        whole.extend_from_slice(body);
        out.push((*msg_type, whole));
        bytes = &rest[len..];
    }
    out
}

/// A ServerHello's cipher suite and key share (group, public key).
fn server_hello_fields(message: &[u8]) -> Option<(u16, u16, Vec<u8>)> {
    let body = message.get(4..)?;
    let session_id_len = usize::from(*body.get(34)?);
    let mut at = 35 + session_id_len;
    let suite = u16::from_be_bytes([*body.get(at)?, *body.get(at + 1)?]);
    at += 3; // the suite, and the compression method
    let ext_len = usize::from(u16::from_be_bytes([*body.get(at)?, *body.get(at + 1)?]));
    let mut exts = body.get(at + 2..at + 2 + ext_len)?;
    // Bounded: each turn consumes an extension.
    while let [t0, t1, l0, l1, rest @ ..] = exts {
        let len = usize::from(u16::from_be_bytes([*l0, *l1]));
        let data = rest.get(..len)?;
        if [*t0, *t1] == [0, 51] {
            let group = u16::from_be_bytes([*data.first()?, *data.get(1)?]);
            let key_len = usize::from(u16::from_be_bytes([*data.get(2)?, *data.get(3)?]));
            return Some((suite, group, data.get(4..4 + key_len)?.to_vec()));
        }
        exts = &rest[len..];
    }
    None
}

impl Tls13Session {
    /// The session of a TLS 1.3 handshake, from the client's ClientHello and the
    /// server's first flight; `None` for TLS 1.2.
    fn from_flights(hello_flight: &[u8], flight: &[u8]) -> Option<Self> {
        let hello = handshake_bytes(hello_flight);
        let (records, _) = records::split_records(flight);
        let first_protected = records
            .iter()
            .position(|r| r.content_type == tls13::APPLICATION_DATA)?;
        let server_hello = records[..first_protected]
            .iter()
            .filter(|r| r.content_type == records::HANDSHAKE)
            .flat_map(|r| r.body.clone())
            .collect::<Vec<u8>>();
        let (suite_id, group, server_key) = server_hello_fields(&server_hello)?;
        let suite = Suite::from_id(suite_id)?;
        let shared = fixed_shared_secret(Role::Client, group.into(), &server_key)?;
        let schedule = suite.schedule(&shared);
        let hellos = [hello, server_hello].concat();
        let mut keys = suite.keys(&schedule.server_handshake(&hellos));
        let mut protected = Vec::new();
        for record in &records[first_protected..] {
            let (_, content) = keys.open(record)?;
            protected.extend_from_slice(&content);
        }
        let mut before_certificate = Vec::new();
        let mut scheme = None;
        for (msg_type, whole) in messages(&protected) {
            match msg_type {
                msg::ENCRYPTED_EXTENSIONS | msg::CERTIFICATE_REQUEST => {
                    before_certificate.extend_from_slice(&whole)
                }
                msg::CERTIFICATE_VERIFY => {
                    scheme = Some(u16::from_be_bytes([*whole.get(4)?, *whole.get(5)?]).into())
                }
                _ => {}
            }
        }
        let prefix_len: usize = records[..first_protected]
            .iter()
            .map(|r| 5 + r.body.len())
            .sum();
        Some(Self {
            suite,
            schedule,
            transcript: [hellos.clone(), protected].concat(),
            hellos,
            prefix: flight[..prefix_len].to_vec(),
            before_certificate,
            scheme: scheme?,
        })
    }

    /// The server's first flight for `chain`: the recorded hellos and
    /// EncryptedExtensions (and CertificateRequest), then a Certificate for
    /// `chain`, a CertificateVerify by the leaf's real key over it, and a
    /// valid Finished. Also the transcript it makes, to the Finished.
    pub fn build(&self, chain: &[Vec<u8>]) -> Option<(Vec<u8>, Vec<u8>)> {
        let server_secret = self.schedule.server_handshake(&self.hellos);
        let mut transcript = [self.hellos.as_slice(), &self.before_certificate].concat();
        let mut messages = self.before_certificate.clone();
        let certificate = tls13::certificate_message(chain);
        transcript.extend_from_slice(&certificate);
        messages.extend_from_slice(&certificate);
        let key = pki::leaf_key();
        let signer = key.choose_scheme(&[self.scheme])?;
        let signature = signer
            .sign(&tls13::certificate_verify_input(
                &self.suite.hash(&transcript),
            ))
            .ok()?;
        let mut body = u16::from(self.scheme).to_be_bytes().to_vec();
        body.extend_from_slice(&(signature.len() as u16).to_be_bytes());
        body.extend_from_slice(&signature);
        let verify = tls13::message(msg::CERTIFICATE_VERIFY, &body);
        transcript.extend_from_slice(&verify);
        messages.extend_from_slice(&verify);
        let finished = tls13::message(
            msg::FINISHED,
            &self.suite.finished(&server_secret, &transcript),
        );
        transcript.extend_from_slice(&finished);
        messages.extend_from_slice(&finished);
        let mut flight = self.prefix.clone();
        flight.extend(
            self.suite
                .keys(&server_secret)
                .seal(tls13::HANDSHAKE, &messages),
        );
        Some((flight, transcript))
    }

    /// The server's flight after its handshake with `transcript` (to its
    /// Finished): [`REPLY`], then close_notify.
    pub fn reply(&self, transcript: &[u8]) -> Vec<u8> {
        let secret = self.schedule.server_application(transcript);
        let mut keys = self.suite.keys(&secret);
        let mut flight = keys.seal(tls13::APPLICATION_DATA, REPLY);
        flight.extend(keys.seal(21, &[1, 0]));
        flight
    }

    /// The application data the client sent in `sent` (everything after its
    /// ClientHello), when the handshake's transcript to the server's Finished is
    /// `transcript` (the recorded one when `None`): its records are opened with
    /// the client's handshake keys, then its application keys. Records neither
    /// opens (the client's key schedule was another) carry nothing counted.
    pub fn client_data(&self, transcript: Option<&[u8]>, sent: &[u8]) -> Vec<u8> {
        let transcript = transcript.unwrap_or(&self.transcript);
        let mut handshake = self
            .suite
            .keys(&self.schedule.client_handshake(&self.hellos));
        let mut application = self
            .suite
            .keys(&self.schedule.client_application(transcript));
        let (records, _) = records::split_records(sent);
        let mut data = Vec::new();
        for record in records
            .iter()
            .filter(|r| r.content_type == tls13::APPLICATION_DATA)
        {
            if handshake.open(record).is_some() {
                continue;
            }
            if let Some((tls13::APPLICATION_DATA, content)) = application.open(record) {
                data.extend_from_slice(&content);
            }
        }
        data
    }
}

/// Whether a TLS 1.2 client sent any application-data record in `sent`
/// (their content type is in the clear).
pub fn tls12_sent_data(sent: &[u8]) -> bool {
    records::split_records(sent)
        .0
        .iter()
        .any(|r: &Record| r.content_type == tls13::APPLICATION_DATA)
}

/// A recorded server, its flights given again in order, one of them mutated.
pub struct ReplayPeer {
    recording: Arc<Recording>,
    mutation: Option<Mutation>,
    exchanges: usize,
    /// Everything the client sent after its first flight.
    pub sent: Vec<u8>,
}

impl ReplayPeer {
    /// A replay of `recording` with `mutation` applied to its flight
    /// `mutation.stage` (counting the non-empty ones, as [`LivePeer`] does).
    pub fn new(recording: Arc<Recording>, mutation: Option<Mutation>) -> Self {
        Self {
            recording,
            mutation,
            exchanges: 0,
            sent: Vec::new(),
        }
    }

    /// The recording replayed.
    pub fn recording(&self) -> &Recording {
        &self.recording
    }
}

impl Server for ReplayPeer {
    fn exchange(&mut self, from_client: &[u8]) -> Vec<u8> {
        if self.exchanges > 0 {
            self.sent.extend_from_slice(from_client);
        }
        let index = self.exchanges;
        self.exchanges += 1;
        let Some(flight) = self.recording.server_flights.get(index) else {
            return Vec::new();
        };
        let stage = self.recording.server_flights[..index]
            .iter()
            .filter(|f| !f.is_empty())
            .count();
        match &self.mutation {
            Some(mutation) if mutation.stage == stage && !flight.is_empty() => {
                mutation.apply(flight.clone())
            }
            _ => flight.clone(),
        }
    }
}

/// A TLS 1.3 server built around a chain: its first flight from
/// [`Tls13Session::build`], then [`REPLY`] and close_notify.
pub struct BuiltPeer {
    flights: Vec<Vec<u8>>,
    exchanges: usize,
    /// The transcript the built flight makes, to the server's Finished.
    pub transcript: Vec<u8>,
    /// Everything the client sent after its first flight.
    pub sent: Vec<u8>,
}

impl BuiltPeer {
    /// The server for `chain` in `session`; `None` when the leaf's key cannot
    /// sign with the recorded scheme.
    pub fn new(session: &Tls13Session, chain: &[Vec<u8>]) -> Option<Self> {
        let (flight, transcript) = session.build(chain)?;
        Some(Self {
            flights: vec![flight, session.reply(&transcript)],
            exchanges: 0,
            transcript,
            sent: Vec::new(),
        })
    }
}

impl Server for BuiltPeer {
    fn exchange(&mut self, from_client: &[u8]) -> Vec<u8> {
        if self.exchanges > 0 {
            self.sent.extend_from_slice(from_client);
        }
        self.exchanges += 1;
        // The reply goes once the client has answered the first flight.
        match self.exchanges {
            1 => self.flights[0].clone(),
            2 if !from_client.is_empty() => self.flights[1].clone(),
            _ => Vec::new(),
        }
    }
}
