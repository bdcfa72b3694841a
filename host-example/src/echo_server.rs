//! A TLS echo server on rustls, in-process, with blocking I/O on threads: the
//! demo's default peer and one of the tests' three. It echoes every byte, ends
//! its side (close_notify, then close) when the client ends, and reports what it
//! saw of each handshake.
//!
//! Bounds: one thread per connection, at most [`MAX_CONNECTIONS`] at once; a
//! connection idle for [`IDLE_LIMIT`] is dropped; dropping the [`EchoServer`]
//! stops the accept loop (connections already open run until their client ends
//! or idles out).

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{ProtocolVersion, RootCertStore, ServerConfig, ServerConnection};

/// How long a connection may sit idle (no bytes either way) before the server drops it.
pub const IDLE_LIMIT: Duration = Duration::from_secs(30);

/// How many connections may be open at once; more are closed on accept.
pub const MAX_CONNECTIONS: usize = 256;

/// Rounds of `complete_io` a handshake may take; a real one needs a handful.
const HANDSHAKE_ROUNDS: usize = 64;

/// How the echo server is set up.
#[derive(Debug, Clone, Default)]
pub struct EchoServerConfig {
    /// The certificate chain to present, leaf first (intermediates may follow), PEM.
    pub cert_chain_pem: String,
    /// Its private key, PEM (PKCS#8, SEC1 or PKCS#1).
    pub key_pem: String,
    /// When set, a client certificate is required and verified against these CA certificates (PEM).
    pub client_ca_pem: Option<String>,
    /// ALPN protocols the server accepts, in its order of preference; empty: no ALPN.
    pub alpn: Vec<Vec<u8>>,
}

/// What the server saw of one connection, sent when its handshake ended.
#[derive(Debug, Clone, Default)]
pub struct ServerReport {
    /// The SNI the client sent.
    pub sni: Option<String>,
    /// The ALPN protocol agreed.
    pub alpn: Option<Vec<u8>>,
    /// The client's certificate (the leaf), DER.
    pub client_cert_der: Option<Vec<u8>>,
    /// `"TLSv1.3"` or `"TLSv1.2"`.
    pub protocol_version: Option<String>,
    /// The cipher suite agreed, by rustls's name (`"TLS13_CHACHA20_POLY1305_SHA256"`,
    /// `"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"`).
    pub cipher_suite: Option<String>,
    /// Why the handshake failed, if it did.
    pub error: Option<String>,
}

/// A running echo server; dropping it stops accepting.
pub struct EchoServer {
    port: u16,
    unix_path: Option<PathBuf>,
    stop: Arc<AtomicBool>,
    reports: Mutex<mpsc::Receiver<ServerReport>>,
}

impl EchoServer {
    /// Starts on 127.0.0.1 with a free port. Fails if the configuration does not load.
    pub fn start(config: EchoServerConfig) -> io::Result<Self> {
        let tls = server_config(&config)?;
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let (stop, reports) = spawn_acceptor(tls, move || {
            let (stream, _) = listener.accept()?;
            // Nagle would hold back small echoes for a delayed ACK.
            stream.set_nodelay(true)?;
            stream.set_read_timeout(Some(IDLE_LIMIT))?;
            stream.set_write_timeout(Some(IDLE_LIMIT))?;
            Ok(Box::new(stream) as Box<dyn Stream>)
        });
        Ok(Self {
            port,
            unix_path: None,
            stop,
            reports: Mutex::new(reports),
        })
    }

    /// Starts on a Unix socket at `path`, which must not exist yet; it is removed on drop.
    pub fn start_unix(config: EchoServerConfig, path: &Path) -> io::Result<Self> {
        let tls = server_config(&config)?;
        let listener = UnixListener::bind(path)?;
        let (stop, reports) = spawn_acceptor(tls, move || {
            let (stream, _) = listener.accept()?;
            stream.set_read_timeout(Some(IDLE_LIMIT))?;
            stream.set_write_timeout(Some(IDLE_LIMIT))?;
            Ok(Box::new(stream) as Box<dyn Stream>)
        });
        Ok(Self {
            port: 0,
            unix_path: Some(path.to_owned()),
            stop,
            reports: Mutex::new(reports),
        })
    }

    /// The TCP port on 127.0.0.1 (0 for a Unix-socket server).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The report of the next connection whose handshake ended (in order of
    /// ending), if one comes within `timeout`.
    pub fn next_report(&self, timeout: Duration) -> Option<ServerReport> {
        self.reports.lock().ok()?.recv_timeout(timeout).ok()
    }
}

impl Drop for EchoServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept so the acceptor sees the flag and exits.
        match &self.unix_path {
            Some(path) => {
                let _ = UnixStream::connect(path);
                let _ = std::fs::remove_file(path);
            }
            None => {
                let _ = TcpStream::connect(SocketAddr::from(([127, 0, 0, 1], self.port)));
            }
        }
    }
}

trait Stream: Read + Write + Send {}
impl<T: Read + Write + Send> Stream for T {}

type Acceptor = (Arc<AtomicBool>, mpsc::Receiver<ServerReport>);

/// Decrements the open-connection count when a connection's thread ends.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn spawn_acceptor(
    tls: ServerConfig,
    mut accept: impl FnMut() -> io::Result<Box<dyn Stream>> + Send + 'static,
) -> Acceptor {
    let tls = Arc::new(tls);
    let stop = Arc::new(AtomicBool::new(false));
    let open = Arc::new(AtomicUsize::new(0));
    let (report_tx, reports) = mpsc::channel();
    let stopping = stop.clone();
    thread::spawn(move || {
        // Bounded by the owner: dropping the EchoServer sets the flag and wakes accept.
        while !stopping.load(Ordering::SeqCst) {
            let stream = match accept() {
                Ok(stream) => stream,
                Err(_) => {
                    // Out of descriptors, say: pause rather than spin, then retry.
                    thread::sleep(Duration::from_millis(10));
                    continue;
                }
            };
            if stopping.load(Ordering::SeqCst) {
                break;
            }
            if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                open.fetch_sub(1, Ordering::SeqCst);
                let _ = report_tx.send(ServerReport {
                    error: Some("too many connections".to_owned()),
                    ..ServerReport::default()
                });
                continue;
            }
            let slot = Slot(open.clone());
            let tls = tls.clone();
            let report_tx = report_tx.clone();
            thread::spawn(move || {
                let _slot = slot;
                serve(tls, stream, &report_tx);
            });
        }
    });
    (stop, reports)
}

/// Maps a configuration error to InvalidInput, naming the field at fault.
fn invalid<E: std::fmt::Display>(field: &'static str) -> impl Fn(E) -> io::Error {
    move |err| io::Error::new(io::ErrorKind::InvalidInput, format!("{field}: {err}"))
}

fn invalid_data(err: rustls::Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, err)
}

/// The rustls server configuration for `config`: TLS 1.3 and 1.2, the chain and
/// key, and client certificates when `client_ca_pem` is set. Tests drive their
/// own misbehaving servers with it.
pub fn server_config(config: &EchoServerConfig) -> io::Result<ServerConfig> {
    // Explicit: the process installs no default provider.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(config.cert_chain_pem.as_bytes())
            .collect::<Result<_, _>>()
            .map_err(invalid("cert_chain_pem"))?;
    if chain.is_empty() {
        return Err(invalid("cert_chain_pem")("no certificate"));
    }
    let key =
        PrivateKeyDer::from_pem_slice(config.key_pem.as_bytes()).map_err(invalid("key_pem"))?;
    // Safe defaults are TLS 1.3 and 1.2 (the tls12 feature is on).
    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(invalid("protocol versions"))?;
    let builder = match &config.client_ca_pem {
        Some(ca_pem) => {
            let mut roots = RootCertStore::empty();
            for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
                let cert = cert.map_err(invalid("client_ca_pem"))?;
                roots.add(cert).map_err(invalid("client_ca_pem"))?;
            }
            // Without allow_unauthenticated(), the verifier requires a certificate.
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(invalid("client_ca_pem"))?;
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let mut tls = builder
        .with_single_cert(chain, key)
        .map_err(invalid("cert_chain_pem and key_pem"))?;
    tls.alpn_protocols = config.alpn.clone();
    Ok(tls)
}

/// One connection: handshake, report, then echo until the client ends.
fn serve(
    tls: Arc<ServerConfig>,
    mut stream: Box<dyn Stream>,
    reports: &mpsc::Sender<ServerReport>,
) {
    let mut conn = match ServerConnection::new(tls) {
        Ok(conn) => conn,
        Err(err) => {
            let _ = reports.send(ServerReport {
                error: Some(err.to_string()),
                ..ServerReport::default()
            });
            return;
        }
    };
    let outcome = handshake(&mut conn, &mut stream);
    let mut report = ServerReport {
        sni: conn.server_name().map(str::to_owned),
        error: outcome.as_ref().err().map(ToString::to_string),
        ..ServerReport::default()
    };
    if outcome.is_ok() {
        report.alpn = conn.alpn_protocol().map(<[u8]>::to_vec);
        report.client_cert_der = conn
            .peer_certificates()
            .and_then(|certs| certs.first())
            .map(|cert| cert.to_vec());
        report.protocol_version = conn.protocol_version().map(|v| match v {
            ProtocolVersion::TLSv1_3 => "TLSv1.3".to_owned(),
            ProtocolVersion::TLSv1_2 => "TLSv1.2".to_owned(),
            other => format!("{other:?}"),
        });
        report.cipher_suite = conn.negotiated_cipher_suite().map(|suite| {
            let suite = suite.suite();
            suite
                .as_str()
                .map_or_else(|| format!("{suite:?}"), str::to_owned)
        });
    }
    let _ = reports.send(report);
    if outcome.is_ok() {
        // The client may go at any moment; nobody is told of echo errors.
        let _ = echo(&mut conn, &mut stream);
    }
}

fn handshake(conn: &mut ServerConnection, stream: &mut Box<dyn Stream>) -> io::Result<()> {
    // Each round blocks at most IDLE_LIMIT; a peer that stalls or ends fails it.
    for _ in 0..HANDSHAKE_ROUNDS {
        if !conn.is_handshaking() {
            return Ok(());
        }
        conn.complete_io(stream)?;
    }
    Err(io::Error::new(
        io::ErrorKind::TimedOut,
        "handshake did not finish",
    ))
}

/// Writes every queued TLS record to the peer.
fn flush(conn: &mut ServerConnection, stream: &mut Box<dyn Stream>) -> io::Result<()> {
    while conn.wants_write() {
        if conn.write_tls(stream)? == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
    }
    stream.flush()
}

/// Encrypts `data` for the peer, flushing whenever rustls's send buffer is full.
fn send(conn: &mut ServerConnection, stream: &mut Box<dyn Stream>, data: &[u8]) -> io::Result<()> {
    let mut rest = data;
    let mut flushed = false;
    while !rest.is_empty() {
        let n = conn.writer().write(rest)?;
        if n > 0 {
            rest = &rest[n..];
            flushed = false;
        } else if flushed {
            // Nothing taken even with an empty buffer: refuse to spin.
            return Err(io::ErrorKind::WriteZero.into());
        } else {
            flush(conn, stream)?;
            flushed = true;
        }
    }
    Ok(())
}

/// Sends close_notify and everything queued before it.
fn end(conn: &mut ServerConnection, stream: &mut Box<dyn Stream>) -> io::Result<()> {
    conn.send_close_notify();
    flush(conn, stream)
}

fn echo(conn: &mut ServerConnection, stream: &mut Box<dyn Stream>) -> io::Result<()> {
    const CHUNK: usize = 16 * 1024;
    let mut buf = vec![0u8; CHUNK];
    // Bounded by the peer: each pass blocks in read_tls, which ends with data,
    // EOF, an error, or the idle timeout.
    loop {
        // Plaintext may already be waiting: the handshake's last read can carry data.
        let state = match conn.process_new_packets() {
            Ok(state) => state,
            Err(err) => {
                // Tell the peer why with the alert rustls queued, if the socket still takes it.
                let _ = flush(conn, stream);
                return Err(invalid_data(err));
            }
        };
        let mut pending = state.plaintext_bytes_to_read();
        while pending > 0 {
            let n = conn.reader().read(&mut buf[..pending.min(CHUNK)])?;
            if n == 0 {
                break;
            }
            send(conn, stream, &buf[..n])?;
            pending -= n;
        }
        if state.peer_has_closed() {
            return end(conn, stream);
        }
        flush(conn, stream)?;
        if conn.read_tls(stream)? == 0 {
            // EOF without close_notify: end our side the same way, if it is still open.
            return end(conn, stream);
        }
    }
}
