//! Target `server_bytes`: whatever a server sends, at every stage of the
//! handshake and after it, must end in data or in a Node error, never a panic;
//! and nothing the client wrote may reach a server it refused.
//!
//! The client is the fixed one (`tls_connect_engine::fuzzing::deterministic_context`:
//! its randomness and key shares are the same every time), under one of four
//! secure contexts made once per process; the certificates are fixed too
//! (`fuzz/pki/server/`). So its ClientHello never changes, and no input pays
//! for a server's cryptography: a splice replays the flights a real server
//! sent it once ([`crate::replay`]), and a TLS 1.3 chain is served in a flight
//! the harness builds with the handshake's known secrets, signed by the real
//! leaf key. What the client sent is decrypted again to check what a server
//! would have received.
//!
//! An input is an 8-byte header, then data:
//!
//! | byte | meaning |
//! |---|---|
//! | 0 | mode: 0 direct (the data is all the server sends), 1 splice (a recorded rustls server's flight is mutated), 2 chain (a server sends a certificate chain built from the data: TLS 1.3 in a flight the harness builds, TLS 1.2 from a real rustls server) |
//! | 1 | bits: 0 TLS 1.2 server, 1 server asks for a client certificate, 2 client trusts nothing and does not reject, 3 client offers ALPN, 4 client has a certificate, 5 client sends SNI, 6 client writes before the handshake, 7 attached driver instead of sans-IO |
//! | 2 | bits 0-3: the server flight to mutate (splice); bit 7: allowHalfOpen |
//! | 3 | splice: the operation ([`Mutation::apply`]); chain: bit 0 append the real intermediate, bit 1 leave out the real leaf |
//! | 4-5 | position, little-endian |
//! | 6 | bytes per read (0: all at once) |
//! | 7 | splice: content type of an inserted record; chain: how many data bytes patch the real leaf |

use std::sync::LazyLock;

use tls_connect_engine::fuzzing::deterministic_context;
use tls_connect_engine::{
    AlpnProtocols, Attached, ConnectOptions, Connection, ConnectionOptions, ContextOptions,
    Credentials, Fed, KeyEntry, Pem, SecureContext, TargetOptions, TlsError, Transport,
};

use crate::peer::{LivePeer, Mutation, PeerTransport, ScriptTransport, Server};
use crate::pki::{self, ServerShape, PKI};
use crate::replay::{self, BuiltPeer, ReplayPeer};
use crate::{check_error, exercise, prefixed};

/// Length of the header.
pub const HEADER_LEN: usize = 8;

/// What the server side is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The data is every byte the server sends.
    Direct = 0,
    /// A real server, one of whose flights is mutated.
    Splice = 1,
    /// A real server sending a chain made from the data.
    Chain = 2,
}

/// Header bit 1 flags.
pub mod flags {
    /// The server speaks TLS 1.2 only.
    pub const TLS12: u8 = 1;
    /// The server asks for a client certificate.
    pub const CLIENT_AUTH: u8 = 1 << 1;
    /// The client trusts the default roots only and sets rejectUnauthorized false.
    pub const UNTRUSTED: u8 = 1 << 2;
    /// The client offers ALPN.
    pub const ALPN: u8 = 1 << 3;
    /// The client has a certificate and key.
    pub const CLIENT_CERT: u8 = 1 << 4;
    /// The client sends SNI.
    pub const SNI: u8 = 1 << 5;
    /// The client writes before the handshake.
    pub const EARLY_WRITE: u8 = 1 << 6;
    /// The attached driver runs the connection.
    pub const ATTACHED: u8 = 1 << 7;
}

/// Chain-mode bits of header byte 3.
pub mod chain {
    /// Append the real intermediate.
    pub const WITH_INTERMEDIATE: u8 = 1;
    /// Leave out the real leaf.
    pub const NO_LEAF: u8 = 1 << 1;
}

/// A decoded input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Header byte 0.
    pub mode: Mode,
    /// Header byte 1 ([`flags`]).
    pub flags: u8,
    /// Header byte 2, bits 0-3.
    pub stage: u8,
    /// Header byte 2, bit 7.
    pub allow_half_open: bool,
    /// Header byte 3.
    pub op: u8,
    /// Header bytes 4-5.
    pub pos: u16,
    /// Header byte 6.
    pub chunk: u8,
    /// Header byte 7.
    pub aux: u8,
    /// The rest.
    pub data: Vec<u8>,
}

impl Input {
    /// An input in `mode` with an all-zero header otherwise.
    pub fn new(mode: Mode, data: Vec<u8>) -> Self {
        Self {
            mode,
            flags: 0,
            stage: 0,
            allow_half_open: false,
            op: 0,
            pos: 0,
            chunk: 0,
            aux: 0,
            data,
        }
    }

    /// Decodes an input; `None` when shorter than the header.
    pub fn parse(bytes: &[u8]) -> Option<Self> {
        let (header, data) = bytes.split_at_checked(HEADER_LEN)?;
        let mode = match header[0] % 3 {
            0 => Mode::Direct,
            1 => Mode::Splice,
            _ => Mode::Chain,
        };
        Some(Self {
            mode,
            flags: header[1],
            stage: header[2] & 0x0f,
            allow_half_open: header[2] & 0x80 != 0,
            op: header[3],
            pos: u16::from_le_bytes([header[4], header[5]]),
            chunk: header[6],
            aux: header[7],
            data: data.to_vec(),
        })
    }

    /// Encodes the input (the inverse of [`Input::parse`]).
    pub fn encode(&self) -> Vec<u8> {
        let [p0, p1] = self.pos.to_le_bytes();
        let byte2 = self.stage & 0x0f | if self.allow_half_open { 0x80 } else { 0 };
        let mut out = vec![
            self.mode as u8,
            self.flags,
            byte2,
            self.op,
            p0,
            p1,
            self.chunk,
            self.aux,
        ];
        out.extend_from_slice(&self.data);
        out
    }

    fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    fn chunk_size(&self) -> usize {
        match self.chunk {
            0 => usize::MAX,
            n => usize::from(n),
        }
    }

    fn server_shape(&self) -> ServerShape {
        ServerShape {
            tls12: self.has(flags::TLS12),
            client_auth: self.has(flags::CLIENT_AUTH),
        }
    }

    /// The client's options: trusting the process's root (or nothing, and not
    /// rejecting), verifying `localhost`.
    pub fn client_options(&self) -> ConnectOptions {
        let trusted = !self.has(flags::UNTRUSTED);
        let client_cert = self.has(flags::CLIENT_CERT);
        ConnectOptions {
            target: TargetOptions {
                host: Some("localhost".to_owned()),
                ..Default::default()
            },
            connection: ConnectionOptions {
                servername: self.has(flags::SNI).then(|| "localhost".to_owned()),
                reject_unauthorized: Some(trusted),
                alpn_protocols: self
                    .has(flags::ALPN)
                    .then(|| AlpnProtocols::Names(vec!["h2".to_owned(), "http/1.1".to_owned()])),
                allow_half_open: Some(self.allow_half_open),
                ..Default::default()
            },
            context: ContextOptions {
                ca: trusted.then(|| vec![Pem::Text(PKI.root_pem.clone())]),
                ..Default::default()
            },
            credentials: Credentials {
                cert: client_cert.then(|| vec![Pem::Text(PKI.client_pem.clone())]),
                key: client_cert.then(|| {
                    vec![KeyEntry {
                        pem: Pem::Text(PKI.client_key_pem.clone()),
                        passphrase: None,
                    }]
                }),
                ..Default::default()
            },
        }
    }

    /// The chain a chain-mode server sends: the real leaf with the first `aux`
    /// data bytes XORed in at `pos`, then certificates from the rest of the data
    /// (a [`prefixed`] list), then maybe the real
    /// intermediate.
    pub fn chain(&self) -> Vec<Vec<u8>> {
        let (patch, rest) = self
            .data
            .split_at(usize::from(self.aux).min(self.data.len()));
        let mut chain = Vec::new();
        if self.op & chain::NO_LEAF == 0 {
            let mut leaf = PKI.leaf_der.clone();
            let len = leaf.len();
            for (i, byte) in patch.iter().enumerate() {
                leaf[(usize::from(self.pos) + i) % len] ^= byte;
            }
            chain.push(leaf);
        }
        chain.extend(prefixed::split(rest));
        if self.op & chain::WITH_INTERMEDIATE != 0 {
            chain.push(PKI.intermediate_der.clone());
        }
        chain
    }

    /// The connection, under the secure context its flags choose.
    fn connection(&self) -> Connection {
        let index =
            usize::from(self.has(flags::UNTRUSTED)) + 2 * usize::from(self.has(flags::CLIENT_CERT));
        Connection::with_secure_context(&self.client_options(), &CONTEXTS[index])
            .expect("the harness's own options are valid")
    }

    /// The recorded clean handshake for this input's server shape and client.
    fn recording(&self) -> std::sync::Arc<replay::Recording> {
        let key = replay::Key {
            tls12: self.has(flags::TLS12),
            client_auth: self.has(flags::CLIENT_AUTH),
            alpn: self.has(flags::ALPN),
            sni: self.has(flags::SNI),
            client_cert: self.has(flags::CLIENT_CERT),
        };
        // The recording's client trusts the root and writes nothing early.
        let mut clean = self.clone();
        clean.flags &= !(flags::UNTRUSTED | flags::EARLY_WRITE | flags::ATTACHED);
        let context = &CONTEXTS[2 * usize::from(key.client_cert)];
        let config = pki::real_server_config(self.server_shape());
        replay::recording(key, &clean.client_options(), context, config)
    }

    fn mutation(&self) -> Option<Mutation> {
        (self.mode == Mode::Splice).then(|| Mutation {
            stage: usize::from(self.stage),
            op: self.op,
            pos: usize::from(self.pos),
            content_type: self.aux,
            data: self.data.clone(),
        })
    }
}

/// What one input led to.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Node's 'secureConnect' happened.
    pub secure: bool,
    /// `socket.authorized` at 'secureConnect'.
    pub authorized: bool,
    /// The plaintext a server received: what a live server read, or what the
    /// client's TLS 1.3 records to a replayed or built server decrypt to (none
    /// in direct mode).
    pub server_received: Vec<u8>,
    /// The client sent an application-data record (TLS 1.2, where their type
    /// is in the clear, to a replayed server).
    pub client_sent_data: bool,
}

/// The four secure contexts, made once: trusting the fixed root or not, with
/// the client certificate or not.
static CONTEXTS: LazyLock<Vec<SecureContext>> = LazyLock::new(|| {
    (0..4u8)
        .map(|bits| {
            let mut input = Input::new(Mode::Direct, Vec::new());
            input.flags = (bits & 1) * flags::UNTRUSTED + (bits >> 1) * flags::CLIENT_CERT;
            deterministic_context(&input.client_options()).expect("the harness's own options")
        })
        .collect()
});

/// Runs one input; `None` when it is shorter than the header.
pub fn run(bytes: &[u8]) -> Option<Outcome> {
    let input = Input::parse(bytes)?;
    let mut conn = input.connection();
    if input.has(flags::EARLY_WRITE) {
        conn.write(b"early").expect("a new connection takes writes");
    }
    Some(match input.mode {
        Mode::Direct => direct(&input, conn),
        Mode::Splice => {
            let mut peer = ReplayPeer::new(input.recording(), input.mutation());
            let mut outcome = serve(&input, conn, &mut peer);
            outcome.read_back(&peer.sent, peer.recording().tls13.as_ref(), None);
            outcome
        }
        Mode::Chain => chain_mode(&input, conn),
    })
}

/// A chain from the data: TLS 1.3 in a built flight, TLS 1.2 from a real server.
fn chain_mode(input: &Input, conn: Connection) -> Outcome {
    let chain = input.chain();
    if !input.has(flags::TLS12) {
        let recording = input.recording();
        let session = recording.tls13.as_ref().expect("a TLS 1.3 recording");
        if let Some(mut peer) = BuiltPeer::new(session, &chain) {
            let mut outcome = serve(input, conn, &mut peer);
            outcome.read_back(&peer.sent, Some(session), Some(&peer.transcript));
            return outcome;
        }
    }
    let mut peer = LivePeer::new(pki::server_config(input.server_shape(), chain), None);
    let mut outcome = serve(input, conn, &mut peer);
    outcome.server_received = std::mem::take(&mut peer.received);
    outcome.check_refused();
    outcome
}

/// The data is every byte the server sends, then the stream ends.
fn direct(input: &Input, mut conn: Connection) -> Outcome {
    if input.has(flags::ATTACHED) {
        let transport = ScriptTransport::new(input.data.clone(), input.chunk_size());
        return drive_attached(Attached::connect(conn, transport));
    }
    let mut outcome = Outcome::default();
    let _client_hello = conn.take_outgoing();
    for chunk in input.data.chunks(input.chunk_size()) {
        match feed(&mut conn, chunk) {
            Ok(fed) => outcome.saw(&fed, &conn),
            Err(_) => break,
        }
        let _ = conn.take_outgoing();
    }
    if !conn.is_destroyed() {
        let _ = feed_end(&mut conn);
    }
    exercise(&mut conn);
    outcome
}

/// The connection against a server, by the driver the input chooses.
fn serve(input: &Input, conn: Connection, peer: &mut dyn Server) -> Outcome {
    if input.has(flags::ATTACHED) {
        let transport = PeerTransport::new(peer, input.chunk_size());
        drive_attached(Attached::connect(conn, transport))
    } else {
        pump(input, conn, peer)
    }
}

impl Outcome {
    /// What the client sent to a replayed or built server (after its first
    /// flight), read back: TLS 1.3 records decrypted with the handshake's
    /// secrets (`transcript`: the built one, or the recorded one when `None`),
    /// TLS 1.2 records by their type.
    fn read_back(
        &mut self,
        sent: &[u8],
        session: Option<&replay::Tls13Session>,
        transcript: Option<&[u8]>,
    ) {
        match session {
            Some(session) => self.server_received = session.client_data(transcript, sent),
            None => self.client_sent_data = replay::tls12_sent_data(sent),
        }
        self.check_refused();
    }

    /// Nothing the client wrote may reach a server before the certificate
    /// decision lets it through.
    fn check_refused(&self) {
        if !self.secure {
            assert!(
                self.server_received.is_empty() && !self.client_sent_data,
                "a refused server received {:?} (TLS 1.2 data records: {})",
                self.server_received,
                self.client_sent_data
            );
        }
    }

    /// Notes 'secureConnect' and checks the verdict when it happens.
    fn saw(&mut self, fed: &Fed, conn: &Connection) {
        if fed.secure_connect {
            self.secure = true;
            self.authorized = conn.authorized();
            check_authorized_leaf(conn);
        }
    }
}

/// The sans-IO connection against the server: a write once secure.
fn pump(input: &Input, mut conn: Connection, peer: &mut dyn Server) -> Outcome {
    let mut outcome = Outcome::default();
    // Bounded: a handshake, a reply and a close take fewer rounds than this.
    'rounds: for _ in 0..16 {
        let to_server = conn.take_outgoing();
        let to_client = peer.exchange(&to_server);
        if to_server.is_empty() && to_client.is_empty() {
            break;
        }
        for chunk in to_client.chunks(input.chunk_size()) {
            match feed(&mut conn, chunk) {
                Ok(fed) => {
                    outcome.saw(&fed, &conn);
                    if fed.secure_connect {
                        if let Err(err) = conn.write(b"ping") {
                            check_error(&err);
                        }
                    }
                }
                Err(_) => break 'rounds,
            }
        }
    }
    if !conn.is_destroyed() {
        let _ = feed_end(&mut conn);
    }
    // The leaf was checked at 'secureConnect' (`Outcome::saw`).
    exercise(&mut conn);
    outcome
}

/// The attached driver after `connect`: a write, reads to the end, an end.
fn drive_attached<T: Transport>(connected: Result<Attached<T>, TlsError>) -> Outcome {
    let mut attached = match connected {
        Ok(attached) => attached,
        Err(err) => {
            check_error(&err);
            return Outcome::default();
        }
    };
    let outcome = Outcome {
        secure: true,
        authorized: attached.connection().authorized(),
        ..Outcome::default()
    };
    check_authorized_leaf(attached.connection());
    if let Err(err) = attached.write(b"ping") {
        check_error(&err);
    }
    // Bounded: the transports end or reset after a few dozen reads.
    for _ in 0..8 {
        match attached.read(4096) {
            Ok(data) if data.is_empty() => break,
            Ok(_) => {}
            Err(err) => {
                check_error(&err);
                break;
            }
        }
    }
    if let Err(err) = attached.end() {
        check_error(&err);
    }
    outcome
}

/// A verified server can only be the one holding the process's leaf key: the
/// fuzzer never has it, so an authorized connection must show the real leaf
/// (while it still shows any: a destroyed one shows none).
fn check_authorized_leaf(conn: &Connection) {
    if !conn.authorized() {
        return;
    }
    if let Some(certs) = conn.peer_certificates(false) {
        assert_eq!(
            certs.first().map(|c| c.raw.as_slice()),
            Some(PKI.leaf_der.as_slice()),
            "authorized a certificate the server's key did not come with"
        );
    }
}

fn feed(conn: &mut Connection, chunk: &[u8]) -> Result<Fed, TlsError> {
    conn.feed(chunk).inspect_err(check_error)
}

fn feed_end(conn: &mut Connection) -> Result<Fed, TlsError> {
    conn.feed_end().inspect_err(check_error)
}

#[cfg(test)]
mod tests {
    //! The harness reaches the stages it claims to: without mutation, every
    //! server shape and both drivers complete a verified handshake and the
    //! server receives what the client wrote.

    use super::*;

    fn clean(bits: u8) -> Outcome {
        let mut input = Input::new(Mode::Chain, Vec::new());
        input.flags = bits | flags::EARLY_WRITE;
        input.op = chain::WITH_INTERMEDIATE;
        run(&input.encode()).expect("a whole header")
    }

    #[test]
    fn clean_handshakes_are_verified_in_every_shape_and_driver() {
        for bits in 0..16u8 {
            let bits = (bits & 3) | (bits & 4) << 2 | (bits & 8) << 4;
            let outcome = clean(bits);
            assert!(outcome.secure && outcome.authorized, "flags {bits:#010b}");
            // What was written before the handshake goes first, once verified.
            assert_eq!(outcome.server_received, b"earlyping", "flags {bits:#010b}");
        }
    }

    /// A replayed server, unmutated (XOR with nothing), is as good as the
    /// real one: the fixed client sends the same bytes every time.
    #[test]
    fn clean_replays_are_verified_in_every_shape_and_driver() {
        for bits in 0..64u8 {
            let bits =
                (bits & 3) | (bits & 4) << 2 | (bits & 8) << 4 | (bits & 16) >> 1 | (bits & 32);
            let mut input = Input::new(Mode::Splice, Vec::new());
            input.flags = bits | flags::EARLY_WRITE;
            input.op = 1;
            let outcome = run(&input.encode()).expect("a whole header");
            assert!(outcome.secure && outcome.authorized, "flags {bits:#010b}");
            if bits & flags::TLS12 == 0 {
                assert_eq!(outcome.server_received, b"earlyping", "flags {bits:#010b}");
            } else {
                assert!(outcome.client_sent_data, "flags {bits:#010b}");
            }
        }
    }

    #[test]
    fn a_patched_leaf_is_refused_and_the_server_hears_nothing() {
        let mut input = Input::new(Mode::Chain, vec![0x01]);
        input.flags = flags::EARLY_WRITE;
        (input.op, input.pos, input.aux) = (chain::WITH_INTERMEDIATE, 200, 1);
        let outcome = run(&input.encode()).expect("a whole header");
        assert!(!outcome.secure);
        assert!(outcome.server_received.is_empty());
    }

    #[test]
    fn short_inputs_are_skipped() {
        assert_eq!(run(&[0; HEADER_LEN - 1]), None);
    }
}
