//! Real TLS peers in child processes: Node's `tls.createServer` and `openssl
//! s_server`, both on 127.0.0.1, killed when dropped. Every wait is bounded.

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long a peer may take to start listening.
const START_LIMIT: Duration = Duration::from_secs(20);

/// A directory under the system's temp dir, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// A new, empty directory whose name starts with `prefix`.
    pub fn new(prefix: &str) -> Self {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("tls-connect-{prefix}-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&path).expect("temp dir");
        Self(path)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes a file in it and returns its path.
    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("write temp file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// How the Node server is set up (PEM text).
#[derive(Debug, Clone, Default)]
pub struct NodeServerConfig {
    /// Server key.
    pub key: String,
    /// Server certificate chain.
    pub cert: String,
    /// CA for client certificates.
    pub ca: Option<String>,
    /// Ask for a client certificate.
    pub request_cert: bool,
    /// Refuse clients without a valid certificate.
    pub reject_unauthorized: bool,
    /// ALPN protocols, server preference first.
    pub alpn: Vec<String>,
}

/// What Node's server saw of one connection.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodeEvent {
    /// `socket.servername`, `None` for Node's `false`.
    pub servername: Option<String>,
    /// `socket.alpnProtocol`, `None` for `false`.
    pub alpn: Option<String>,
    /// `socket.authorized` (client certificate verified).
    pub authorized: Option<bool>,
    /// The client certificate's CN.
    pub peer_subject_cn: Option<String>,
    /// `socket.getProtocol()`.
    pub protocol: Option<String>,
    /// The code of a `tlsClientError`.
    pub tls_client_error: Option<String>,
}

/// Node's `tls.createServer` echo server, in a child process.
pub struct NodeServer {
    child: Child,
    /// Held open: the script exits when its stdin closes.
    _stdin: ChildStdin,
    port: u16,
    lines: mpsc::Receiver<String>,
}

impl NodeServer {
    /// Starts the server and waits until it listens.
    pub fn start(config: &NodeServerConfig) -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers/node-tls-server.js");
        let config = json!({
            "key": config.key,
            "cert": config.cert,
            "ca": config.ca,
            "requestCert": config.request_cert,
            "rejectUnauthorized": config.reject_unauthorized,
            "ALPNProtocols": if config.alpn.is_empty() { Value::Null } else { json!(config.alpn) },
        });
        let mut child = Command::new("node")
            .arg(script)
            .arg(config.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("node starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        let first = lines.recv_timeout(START_LIMIT).expect("node server listens");
        let listening: Value = serde_json::from_str(&first).expect("JSON line");
        let port = listening["listening"].as_u64().expect("a port") as u16;
        Self {
            child,
            _stdin: stdin,
            port,
            lines,
        }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The next connection report, if one arrives in time.
    pub fn next_event(&self, timeout: Duration) -> Option<NodeEvent> {
        let line = self.lines.recv_timeout(timeout).ok()?;
        let v: Value = serde_json::from_str(&line).ok()?;
        let text = |key: &str| v[key].as_str().map(str::to_owned);
        Some(NodeEvent {
            servername: text("servername"),
            alpn: text("alpn"),
            authorized: v["authorized"].as_bool(),
            peer_subject_cn: text("peerSubjectCN"),
            protocol: text("protocol"),
            tls_client_error: text("tlsClientError"),
        })
    }
}

impl Drop for NodeServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `openssl s_server` in `-rev` mode: each line the client sends comes back
/// reversed (`hello\n` gives `olleh\n`).
pub struct OpenSslServer {
    child: Child,
    port: u16,
}

impl OpenSslServer {
    /// Starts on a free port with the given files; with `ca`, a client
    /// certificate from it is required. `extra` goes to s_server as is.
    pub fn start(cert: &Path, key: &Path, ca: Option<&Path>, extra: &[&str]) -> Self {
        let port = free_port();
        let mut cmd = Command::new("openssl");
        cmd.arg("s_server")
            .args(["-accept", &format!("127.0.0.1:{port}")])
            .arg("-cert")
            .arg(cert)
            .arg("-key")
            .arg(key)
            .args(["-rev", "-quiet"])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(ca) = ca {
            cmd.arg("-CAfile").arg(ca).args(["-Verify", "1"]);
        }
        let child = cmd.spawn().expect("openssl starts");
        let deadline = Instant::now() + START_LIMIT;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "openssl s_server did not listen");
            thread::sleep(Duration::from_millis(20));
        }
        Self { child, port }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for OpenSslServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}
