//! Misbehaving TLS peers on 127.0.0.1, for the fault matrix and the no-trap test.
//! Each is a std listener on a thread; each connection runs one [`Fault`] on its
//! own thread, with a real rustls server driven by hand where the fault needs a
//! handshake, so it can stop mid-record, reset, or send what no server should.
//!
//! Bounds: every socket call has [`IO_LIMIT`]; a peer serves at most
//! [`MAX_CONNECTIONS`] connections and stops accepting when dropped. After its
//! fault, a peer waits (at most [`CLOSE_LIMIT`]) for the client to close, and
//! reports whether it did: a client that failed must free its socket.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

use host_example::echo_server::{server_config, EchoServerConfig};
use host_example::transport::ByteStream;
use rustls::{ServerConfig, ServerConnection};
use socket2::SockRef;
use test_pki::DemoPki;

/// Longest any single read or write of a peer may block.
pub const IO_LIMIT: Duration = Duration::from_secs(10);

/// How long a peer waits for the client to close once its fault is done.
pub const CLOSE_LIMIT: Duration = Duration::from_secs(5);

/// Connections one peer serves at most.
pub const MAX_CONNECTIONS: usize = 4096;

/// How long a peer lets the client settle before it resets an established connection.
const SETTLE: Duration = Duration::from_millis(200);

/// How often the accept loop looks for a connection or for its stop flag.
const ACCEPT_POLL: Duration = Duration::from_millis(2);

/// Rounds of reading and writing a handshake may take; a real one needs a handful.
const HANDSHAKE_ROUNDS: usize = 64;

/// What a peer does to each connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Resets (RST) once the ClientHello has arrived.
    ResetOnHello,
    /// Sends its first flight, then resets once the client answers it. Needs
    /// a TLS 1.2 client: on 1.3 the client's answer ends its handshake.
    ResetMidHandshake,
    /// Completes the handshake, then resets once the client sends data.
    ResetAfterHandshake,
    /// Completes the handshake, sends half of a record, then says nothing until
    /// the client closes or the time is up; then ends (FIN).
    StallMidRecord(Duration),
    /// A full echo server that writes every byte of the handshake and of the
    /// echo with its own `write` call.
    OneByteAtATime,
    /// A full echo server that, before each answer, sends a TLS 1.3 KeyUpdate
    /// asking for the client's (rustls's `refresh_traffic_keys`): every echo
    /// comes under new keys both ways.
    KeyUpdateEachEcho,
    /// Answers the ClientHello with an HTTP response.
    NotTls,
    /// Speaks first, as an SMTP server does, without waiting for the ClientHello.
    Banner,
    /// Answers the ClientHello with a fatal alert of this description.
    Alert(u8),
    /// Reads the ClientHello, then ends (FIN) without a word.
    EofBeforeHandshake,
    /// Completes the handshake, sends `bye`, then ends (FIN) without close_notify.
    EofAfterHandshake,
    /// Reads the ClientHello, then says nothing until the client closes or the
    /// time is up; then ends (FIN).
    Silent(Duration),
    /// Answers the ClientHello with a handshake record 65,535 bytes long.
    OversizedHandshakeRecord,
    /// Completes the handshake, then sends an application-data record 65,535 bytes long.
    OversizedAppRecord,
    /// Answers the ClientHello with junk made from this seed and the connection's
    /// number, then ends (FIN).
    Junk(u64),
}

/// What a peer saw of one connection.
#[derive(Debug, Clone, Default)]
pub struct PeerReport {
    /// The client closed its socket (end of stream or reset) after the fault.
    pub client_closed: bool,
    /// A silent or stalled peer ran out of patience and ended the connection itself.
    pub peer_ended_silence: bool,
    /// The peer reset the connection: the client has nothing left to close.
    pub reset_by_peer: bool,
    /// Why the peer stopped early, if it did (for failure messages).
    pub error: Option<String>,
}

/// A peer running one fault; dropping it stops accepting.
pub struct FaultyPeer {
    port: u16,
    stop: Arc<AtomicBool>,
    reports: mpsc::Receiver<PeerReport>,
}

impl FaultyPeer {
    /// Starts a peer for `fault` presenting `pki`'s server certificate.
    pub fn start(fault: Fault, pki: &DemoPki) -> Self {
        let tls = Arc::new(
            server_config(&EchoServerConfig {
                cert_chain_pem: pki.server.cert_pem.clone(),
                key_pem: pki.server.key_pem.clone(),
                ..EchoServerConfig::default()
            })
            .expect("server config"),
        );
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local address").port();
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, reports) = mpsc::channel();
        let stopping = stop.clone();
        thread::spawn(move || {
            // Bounded by the owner's drop and by MAX_CONNECTIONS.
            let mut served = 0;
            while served < MAX_CONNECTIONS && !stopping.load(Ordering::SeqCst) {
                let stream = match listener.accept() {
                    Ok((stream, _)) => stream,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                        thread::sleep(ACCEPT_POLL);
                        continue;
                    }
                    Err(_) => return,
                };
                let (tls, tx) = (tls.clone(), tx.clone());
                let index = served as u64;
                served += 1;
                thread::spawn(move || {
                    let report = serve(fault, index, &tls, stream);
                    let _ = tx.send(report);
                });
            }
        });
        Self {
            port,
            stop,
            reports,
        }
    }

    /// The port it listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The report of the next connection to finish, if one does within `timeout`.
    pub fn next_report(&self, timeout: Duration) -> Option<PeerReport> {
        self.reports.recv_timeout(timeout).ok()
    }
}

impl Drop for FaultyPeer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// Runs `fault` on one connection.
fn serve(fault: Fault, index: u64, tls: &Arc<ServerConfig>, mut stream: TcpStream) -> PeerReport {
    let mut report = PeerReport::default();
    let setup = stream
        .set_nodelay(true)
        .and_then(|()| stream.set_nonblocking(false))
        .and_then(|()| stream.set_read_timeout(Some(IO_LIMIT)))
        .and_then(|()| stream.set_write_timeout(Some(IO_LIMIT)));
    let outcome = setup.and_then(|()| act(fault, index, tls, &mut stream, &mut report));
    match outcome {
        Ok(Then::WaitForClose) => report.client_closed = wait_for_close(&mut stream, CLOSE_LIMIT),
        Ok(Then::Reset) => report.reset_by_peer = reset(stream).is_ok(),
        Ok(Then::Done) => {}
        Err(e) => report.error = Some(e.to_string()),
    }
    report
}

/// What the peer does once its fault is done.
enum Then {
    /// Wait for the client to close, draining what it sends.
    WaitForClose,
    /// Reset the connection (RST).
    Reset,
    /// Nothing: the client has closed already.
    Done,
}

fn act(
    fault: Fault,
    index: u64,
    tls: &Arc<ServerConfig>,
    stream: &mut TcpStream,
    report: &mut PeerReport,
) -> io::Result<Then> {
    let server = || ServerConnection::new(tls.clone()).map_err(io::Error::other);
    match fault {
        Fault::ResetOnHello => {
            read_record(stream)?;
            Ok(Then::Reset)
        }
        Fault::ResetMidHandshake => {
            let mut conn = server()?;
            // Bounded: each turn reads, and a ClientHello fits in a few records.
            while !conn.wants_write() {
                read_into(&mut conn, stream)?;
            }
            flush(&mut conn, stream)?;
            wait_readable(stream)?;
            Ok(Then::Reset)
        }
        Fault::ResetAfterHandshake => {
            let mut conn = server()?;
            handshake(&mut conn, stream)?;
            // The client's data may have come with its Finished, already read.
            let state = conn.process_new_packets().map_err(io::Error::other)?;
            if state.plaintext_bytes_to_read() == 0 {
                wait_readable(stream)?;
            }
            // Let the client settle into waiting for an answer. Node reports a reset
            // that lands right after the handshake as a plain 'end' (the socket's
            // error is taken by its write path), one that lands later as ECONNRESET.
            thread::sleep(SETTLE);
            Ok(Then::Reset)
        }
        Fault::StallMidRecord(patience) => {
            let mut conn = server()?;
            handshake(&mut conn, stream)?;
            conn.writer()
                .write_all(b"half of this record never comes")?;
            let mut record = Vec::new();
            conn.write_tls(&mut record)?;
            stream.write_all(&record[..record.len() / 2])?;
            end_silence(stream, patience, report)
        }
        Fault::OneByteAtATime => {
            let mut conn = server()?;
            let mut one = OneByteWrites(stream.try_clone()?);
            handshake_via(&mut conn, stream, &mut one)?;
            echo(&mut conn, stream, &mut one, false)?;
            Ok(Then::WaitForClose)
        }
        Fault::KeyUpdateEachEcho => {
            let mut conn = server()?;
            let mut out = stream.try_clone()?;
            handshake_via(&mut conn, stream, &mut out)?;
            echo(&mut conn, stream, &mut out, true)?;
            Ok(Then::WaitForClose)
        }
        Fault::NotTls => {
            read_record(stream)?;
            stream.write_all(
                b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            )?;
            Ok(Then::WaitForClose)
        }
        Fault::Banner => {
            stream.write_all(b"220 mail.example.test ESMTP ready\r\n")?;
            Ok(Then::WaitForClose)
        }
        Fault::Alert(description) => {
            read_record(stream)?;
            // A plaintext alert record: level 2 (fatal), then the description.
            stream.write_all(&[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, description])?;
            Ok(Then::WaitForClose)
        }
        Fault::EofBeforeHandshake => {
            read_record(stream)?;
            stream.shutdown(Shutdown::Write)?;
            Ok(Then::WaitForClose)
        }
        Fault::EofAfterHandshake => {
            let mut conn = server()?;
            handshake(&mut conn, stream)?;
            conn.writer().write_all(b"bye")?;
            flush(&mut conn, stream)?;
            stream.shutdown(Shutdown::Write)?;
            Ok(Then::WaitForClose)
        }
        Fault::Silent(patience) => {
            read_record(stream)?;
            end_silence(stream, patience, report)
        }
        Fault::OversizedHandshakeRecord => {
            read_record(stream)?;
            send_oversized(stream, 0x16);
            Ok(Then::WaitForClose)
        }
        Fault::OversizedAppRecord => {
            let mut conn = server()?;
            handshake(&mut conn, stream)?;
            send_oversized(stream, 0x17);
            Ok(Then::WaitForClose)
        }
        Fault::Junk(seed) => {
            read_record(stream)?;
            // The client may give up before all of it is written.
            let _ = stream.write_all(&junk(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15)));
            // Then the end, so a client waiting for the rest of a record is not kept waiting.
            let _ = stream.shutdown(Shutdown::Write);
            Ok(Then::WaitForClose)
        }
    }
}

/// Waits up to `patience` for the client to close; if it does not, ends the
/// connection (FIN) and then waits for its close.
fn end_silence(
    stream: &mut TcpStream,
    patience: Duration,
    report: &mut PeerReport,
) -> io::Result<Then> {
    if wait_for_close(stream, patience) {
        report.client_closed = true;
        return Ok(Then::Done);
    }
    report.peer_ended_silence = true;
    stream.shutdown(Shutdown::Write)?;
    Ok(Then::WaitForClose)
}

/// A record header announcing 65,535 bytes of `content_type`, and the bytes.
fn send_oversized(stream: &mut TcpStream, content_type: u8) {
    let mut record = vec![content_type, 0x03, 0x03, 0xff, 0xff];
    record.resize(5 + 0xffff, 0x5a);
    // The client may refuse at the header and close before all of it is written.
    let _ = stream.write_all(&record);
}

/// Reads one TLS record (header and body): the ClientHello, for the faults that
/// answer it.
fn read_record(stream: &mut TcpStream) -> io::Result<Vec<u8>> {
    let mut header = [0u8; 5];
    stream.read_exact(&mut header)?;
    let mut body = vec![0u8; usize::from(u16::from_be_bytes([header[3], header[4]]))];
    stream.read_exact(&mut body)?;
    Ok(body)
}

/// Blocks (at most [`IO_LIMIT`]) until the client has sent something, without reading it.
fn wait_readable(stream: &TcpStream) -> io::Result<()> {
    match stream.peek(&mut [0u8; 1])? {
        0 => Err(io::Error::other("the client closed instead of answering")),
        _ => Ok(()),
    }
}

/// Closes with RST instead of FIN: SO_LINGER with a zero timeout.
fn reset(stream: TcpStream) -> io::Result<()> {
    SockRef::from(&stream).set_linger(Some(Duration::ZERO))?;
    drop(stream);
    Ok(())
}

/// Reads until the client's end of stream or reset, for at most `limit`; true
/// if the client closed.
pub fn wait_for_close(stream: &mut TcpStream, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    let mut buf = [0u8; 16 * 1024];
    // Bounded by the deadline: each read waits at most the time left.
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return false;
        }
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return false
            }
            Err(_) => return true,
        }
    }
}

/// Reads once from the client into rustls and processes it.
fn read_into(conn: &mut ServerConnection, stream: &mut TcpStream) -> io::Result<()> {
    if conn.read_tls(stream)? == 0 {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    conn.process_new_packets().map_err(io::Error::other)?;
    Ok(())
}

/// Writes everything rustls has queued to `out`.
fn flush(conn: &mut ServerConnection, out: &mut dyn Write) -> io::Result<()> {
    // Bounded: every turn writes at least one byte of a finite queue.
    while conn.wants_write() {
        if conn.write_tls(out)? == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
    }
    Ok(())
}

/// Runs the server side of a handshake over `stream`.
fn handshake(conn: &mut ServerConnection, stream: &mut TcpStream) -> io::Result<()> {
    let mut out = stream.try_clone()?;
    handshake_via(conn, stream, &mut out)
}

/// Runs the server side of a handshake, reading from `stream` and writing to `out`;
/// then sends what follows it (TLS 1.3 session tickets).
fn handshake_via(
    conn: &mut ServerConnection,
    stream: &mut TcpStream,
    out: &mut dyn Write,
) -> io::Result<()> {
    for _ in 0..HANDSHAKE_ROUNDS {
        flush(conn, out)?;
        if !conn.is_handshaking() {
            return Ok(());
        }
        read_into(conn, stream)?;
    }
    Err(io::Error::other("the handshake did not finish"))
}

/// Echoes plaintext until the client ends; then ends too (close_notify, FIN).
/// With `update_keys`, each answer goes after a KeyUpdate that asks for the client's.
fn echo(
    conn: &mut ServerConnection,
    stream: &mut TcpStream,
    out: &mut dyn Write,
    update_keys: bool,
) -> io::Result<()> {
    let mut buf = vec![0u8; 16 * 1024];
    // The client's first data may have come with its Finished, already read.
    let mut ended = conn
        .process_new_packets()
        .map_err(io::Error::other)?
        .peer_has_closed();
    // Bounded by the client: each turn blocks (at most IO_LIMIT) for its bytes.
    loop {
        // Bounded: rustls holds a limited amount of plaintext.
        loop {
            match conn.reader().read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    if update_keys {
                        conn.refresh_traffic_keys().map_err(io::Error::other)?;
                    }
                    conn.writer().write_all(&buf[..n])?;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => return Err(e),
            }
        }
        flush(conn, out)?;
        if ended {
            conn.send_close_notify();
            flush(conn, out)?;
            return stream.shutdown(Shutdown::Write);
        }
        ended = match conn.read_tls(stream)? {
            0 => true,
            _ => conn
                .process_new_packets()
                .map_err(io::Error::other)?
                .peer_has_closed(),
        };
    }
}

/// A writer that takes one byte per `write` call: with TCP_NODELAY, each byte
/// leaves in its own segment.
struct OneByteWrites(TcpStream);

impl Write for OneByteWrites {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match buf.first() {
            Some(byte) => self.0.write(std::slice::from_ref(byte)),
            None => Ok(0),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A client-side stream that hands the guest one byte per read: lent as Node's
/// `socket`, it makes the attached driver take every record a byte at a time.
pub struct OneByteReads(pub TcpStream);

impl Read for OneByteReads {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(1);
        self.0.read(&mut buf[..n])
    }
}

impl Write for OneByteReads {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl ByteStream for OneByteReads {
    fn shutdown_write(&mut self) -> io::Result<()> {
        self.0.shutdown(Shutdown::Write)
    }
}

/// A small deterministic generator (xorshift64*), so junk is the same on every run.
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed` (any value; 0 is remapped).
    pub fn new(seed: u64) -> Self {
        Self(seed | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `bound` (which must not be 0).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }

    /// `len` random bytes.
    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64() as u8).collect()
    }
}

/// Junk a broken or hostile server might send in answer to a ClientHello: raw
/// bytes, or things shaped like TLS records (handshake, alert, application data,
/// change-cipher-spec) with random lengths and bodies.
pub fn junk(seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::new();
    // Bounded: one to four pieces.
    for _ in 0..1 + rng.below(4) {
        match rng.below(5) {
            0 => {
                let len = 1 + rng.below(2048);
                out.extend(rng.bytes(len));
            }
            kind => {
                let content_type = [0x16, 0x15, 0x17, 0x14][kind - 1];
                let len = rng.below(600);
                // Sometimes the length in the header lies.
                let claimed = if rng.below(4) == 0 {
                    rng.below(0x10000)
                } else {
                    len
                };
                out.extend([content_type, 0x03, [0x01, 0x03, 0x04][rng.below(3)]]);
                out.extend((claimed as u16).to_be_bytes());
                if content_type == 0x16 && len >= 4 {
                    // A handshake message header: a random type and a plausible length.
                    out.push(rng.below(25) as u8);
                    out.extend(&((len - 4) as u32).to_be_bytes()[1..]);
                    out.extend(rng.bytes(len - 4));
                } else {
                    out.extend(rng.bytes(len));
                }
            }
        }
    }
    out
}
