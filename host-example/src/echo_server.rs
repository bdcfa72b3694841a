//! A TLS echo server on rustls, in-process, with blocking I/O on threads: the
//! demo's default peer and one of the tests' three. It echoes every byte, ends
//! its side when the client ends, and reports what it saw of each handshake.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig, ServerConnection};

/// How the echo server is set up.
#[derive(Debug, Clone, Default)]
pub struct EchoServerConfig {
    /// The certificate chain to present, leaf first, PEM.
    pub cert_chain_pem: String,
    /// Its private key, PEM.
    pub key_pem: String,
    /// When set, a client certificate issued by this CA is required.
    pub client_ca_pem: Option<String>,
    /// ALPN protocols the server accepts, in its order of preference.
    pub alpn: Vec<Vec<u8>>,
}

/// What the server saw of one connection.
#[derive(Debug, Clone, Default)]
pub struct ServerReport {
    /// The SNI the client sent.
    pub sni: Option<String>,
    /// The ALPN protocol agreed.
    pub alpn: Option<Vec<u8>>,
    /// The client's certificate, DER.
    pub client_cert_der: Option<Vec<u8>>,
    /// 'TLSv1.3' or 'TLSv1.2'.
    pub protocol_version: Option<String>,
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

/// How long a connection may sit idle before the server drops it.
const IDLE_LIMIT: Duration = Duration::from_secs(30);

impl EchoServer {
    /// Starts on 127.0.0.1 with a free port.
    pub fn start(config: EchoServerConfig) -> io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let (stop, reports) = spawn_acceptor(config, move || {
            listener.accept().map(|(stream, _)| {
                let _ = stream.set_nodelay(true);
                let _ = stream.set_read_timeout(Some(IDLE_LIMIT));
                Box::new(stream) as Box<dyn Stream>
            })
        })?;
        Ok(Self {
            port,
            unix_path: None,
            stop,
            reports: Mutex::new(reports),
        })
    }

    /// Starts on a Unix socket at `path`.
    pub fn start_unix(config: EchoServerConfig, path: &Path) -> io::Result<Self> {
        let listener = UnixListener::bind(path)?;
        let (stop, reports) = spawn_acceptor(config, move || {
            listener.accept().map(|(stream, _)| {
                let _ = stream.set_read_timeout(Some(IDLE_LIMIT));
                Box::new(stream) as Box<dyn Stream>
            })
        })?;
        Ok(Self {
            port: 0,
            unix_path: Some(path.to_owned()),
            stop,
            reports: Mutex::new(reports),
        })
    }

    /// The TCP port (0 for a Unix-socket server).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The report of the next connection whose handshake ended, if one comes in time.
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

fn spawn_acceptor(
    config: EchoServerConfig,
    mut accept: impl FnMut() -> io::Result<Box<dyn Stream>> + Send + 'static,
) -> io::Result<Acceptor> {
    let tls = Arc::new(server_config(&config)?);
    let stop = Arc::new(AtomicBool::new(false));
    let (report_tx, reports) = mpsc::channel();
    let stopping = stop.clone();
    thread::spawn(move || {
        // Bounded by the owner: dropping the EchoServer sets the flag and wakes accept.
        while !stopping.load(Ordering::SeqCst) {
            let Ok(stream) = accept() else {
                // A failed accept (out of descriptors, say) is retried after a pause.
                thread::sleep(Duration::from_millis(10));
                continue;
            };
            if stopping.load(Ordering::SeqCst) {
                break;
            }
            let tls = tls.clone();
            let report_tx = report_tx.clone();
            thread::spawn(move || serve(tls, stream, report_tx));
        }
    });
    Ok((stop, reports))
}

fn invalid(err: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, err.to_string())
}

fn server_config(config: &EchoServerConfig) -> io::Result<ServerConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(config.cert_chain_pem.as_bytes())
            .collect::<Result<_, _>>()
            .map_err(invalid)?;
    let key = PrivateKeyDer::from_pem_slice(config.key_pem.as_bytes()).map_err(invalid)?;
    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(invalid)?;
    let builder = match &config.client_ca_pem {
        Some(ca_pem) => {
            let mut roots = RootCertStore::empty();
            for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
                roots.add(cert.map_err(invalid)?).map_err(invalid)?;
            }
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(invalid)?;
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let mut tls = builder.with_single_cert(chain, key).map_err(invalid)?;
    tls.alpn_protocols = config.alpn.clone();
    Ok(tls)
}

/// One connection: handshake, report, then echo until the client ends.
fn serve(tls: Arc<ServerConfig>, mut stream: Box<dyn Stream>, reports: mpsc::Sender<ServerReport>) {
    let Ok(mut conn) = ServerConnection::new(tls) else {
        return;
    };
    let mut report = ServerReport::default();
    if let Err(err) = handshake(&mut conn, &mut stream) {
        report.error = Some(err.to_string());
        let _ = reports.send(report);
        return;
    }
    report.sni = conn.server_name().map(str::to_owned);
    report.alpn = conn.alpn_protocol().map(<[u8]>::to_vec);
    report.client_cert_der = conn
        .peer_certificates()
        .and_then(|certs| certs.first())
        .map(|c| c.to_vec());
    report.protocol_version = conn.protocol_version().map(|v| match v {
        rustls::ProtocolVersion::TLSv1_3 => "TLSv1.3".to_owned(),
        rustls::ProtocolVersion::TLSv1_2 => "TLSv1.2".to_owned(),
        other => format!("{other:?}"),
    });
    let _ = reports.send(report);
    let _ = echo(&mut conn, &mut stream);
}

fn handshake(conn: &mut ServerConnection, stream: &mut Box<dyn Stream>) -> io::Result<()> {
    // Bounded by the peer and the idle timeout on the socket.
    while conn.is_handshaking() {
        conn.complete_io(stream)?;
    }
    Ok(())
}

fn echo(conn: &mut ServerConnection, stream: &mut Box<dyn Stream>) -> io::Result<()> {
    let mut buf = vec![0u8; 64 * 1024];
    // Bounded by the peer: it ends, fails, or idles past the read timeout.
    loop {
        // Records may already be buffered from the handshake: process them
        // before blocking for more.
        let state = conn.process_new_packets().map_err(invalid)?;
        let mut pending = state.plaintext_bytes_to_read();
        while pending > 0 {
            let n = conn.reader().read(&mut buf[..pending.min(64 * 1024)])?;
            conn.writer().write_all(&buf[..n])?;
            pending -= n;
        }
        if state.peer_has_closed() {
            conn.send_close_notify();
        }
        while conn.wants_write() {
            conn.write_tls(stream)?;
        }
        if state.peer_has_closed() || conn.read_tls(stream)? == 0 {
            return Ok(());
        }
    }
}
