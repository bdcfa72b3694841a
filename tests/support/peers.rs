//! Real TLS peers in child processes: Node's `tls.createServer` (the script in
//! `tests/peers/node-tls-server.js`) and `openssl s_server`, both on 127.0.0.1
//! (or a Unix socket for Node), killed when dropped. Every wait is bounded;
//! setup failures panic, as a test's should.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use test_pki::{Issued, TempDir, Tool};

/// How long a peer may take to start listening.
const START_LIMIT: Duration = Duration::from_secs(20);

/// How long a peer may take to exit once told to.
const STOP_LIMIT: Duration = Duration::from_secs(5);

/// Sends each line of `from` to `to` until EOF or until nobody listens.
fn forward_lines(from: impl Read + Send + 'static, to: mpsc::Sender<String>) {
    thread::spawn(move || {
        // Ends at the child's exit, which closes the pipe.
        for line in BufReader::new(from).lines().map_while(Result::ok) {
            if to.send(line).is_err() {
                return;
            }
        }
    });
}

/// Spawns a peer that runs until its stdin closes: stdin and stdout piped
/// (stderr too when `command` pipes it), each line it prints sent, in order, to
/// the receiver. Panics if it does not start.
fn spawn_peer(mut command: Command) -> (Child, ChildStdin, mpsc::Receiver<String>) {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("{command:?} does not start: {err}"));
    let stdin = child.stdin.take().expect("piped stdin");
    let (tx, lines) = mpsc::channel();
    if let Some(stderr) = child.stderr.take() {
        forward_lines(stderr, tx.clone());
    }
    forward_lines(child.stdout.take().expect("piped stdout"), tx);
    (child, stdin, lines)
}

/// Kills and reaps a child; it may have exited already.
fn stop(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// How the Node server is set up. `key`, `cert` and `ca` are PEM text.
#[derive(Debug, Clone, Default)]
pub struct NodeServerConfig {
    /// Server key.
    pub key: String,
    /// Server certificate chain, leaf first.
    pub cert: String,
    /// CA certificates for client certificates.
    pub ca: Option<String>,
    /// Ask for a client certificate (`requestCert`).
    pub request_cert: bool,
    /// Refuse clients without a valid certificate (`rejectUnauthorized`).
    pub reject_unauthorized: bool,
    /// ALPN protocols, server preference first; empty: no ALPN.
    pub alpn: Vec<String>,
    /// Listen on this Unix socket instead of 127.0.0.1 (then `port()` is 0).
    pub unix_path: Option<PathBuf>,
    /// `ciphers`; `'DEFAULT@SECLEVEL=0'` lets it serve certificates OpenSSL
    /// would otherwise refuse to load (a SHA-1 signature).
    pub ciphers: Option<String>,
    /// `maxVersion`, e.g. `"TLSv1.2"`.
    pub max_version: Option<String>,
    /// Stapled as the OCSP response to clients that ask for one.
    pub ocsp_response: Option<Vec<u8>>,
}

impl NodeServerConfig {
    /// A server presenting `identity` (its certificate, then its key), asking
    /// nothing of clients.
    pub fn serving(identity: &Issued) -> Self {
        Self {
            key: identity.key_pem.clone(),
            cert: identity.cert_pem.clone(),
            ..Self::default()
        }
    }

    /// Node's documentation echo server: the demo PKI's server identity,
    /// requiring a client certificate issued by the demo CA.
    pub fn requiring_client_certificates(pki: &test_pki::DemoPki) -> Self {
        Self {
            ca: Some(pki.ca_pem.clone()),
            request_cert: true,
            reject_unauthorized: true,
            ..Self::serving(&pki.server)
        }
    }
}

/// What Node's server saw of one connection: a secure connection, or a
/// `tlsClientError` (then only `tls_client_error` is set).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodeEvent {
    /// `socket.servername`, `None` for Node's `false` (no SNI).
    pub servername: Option<String>,
    /// `socket.alpnProtocol`, `None` for `false`.
    pub alpn: Option<String>,
    /// `socket.authorized` (the client certificate verified).
    pub authorized: Option<bool>,
    /// `socket.authorizationError`, as a string.
    pub authorization_error: Option<String>,
    /// The client certificate's subject CN.
    pub peer_subject_cn: Option<String>,
    /// `socket.getProtocol()`, e.g. `"TLSv1.3"`.
    pub protocol: Option<String>,
    /// The code of a `tlsClientError`, e.g. `"ECONNRESET"`.
    pub tls_client_error: Option<String>,
    /// The HTTPS server's request line, e.g. `"GET / HTTP/1.1"`.
    pub request: Option<String>,
    /// Plaintext bytes received on a secure connection, reported when it closes.
    pub plaintext_received: Option<u64>,
    /// `socket.isSessionReused()`.
    pub session_reused: Option<bool>,
    /// 32 bytes of `exportKeyingMaterial(32, 'tls-connect test', 'context')`, hex.
    pub exported: Option<String>,
}

impl NodeEvent {
    fn parse(line: &str) -> Option<Self> {
        let v: Value = serde_json::from_str(line).ok()?;
        let text = |key: &str| v.get(key)?.as_str().map(str::to_owned);
        Some(Self {
            servername: text("servername"),
            alpn: text("alpn"),
            authorized: v.get("authorized").and_then(Value::as_bool),
            authorization_error: text("authorizationError"),
            peer_subject_cn: text("peerSubjectCN"),
            protocol: text("protocol"),
            tls_client_error: text("tlsClientError"),
            request: text("request"),
            plaintext_received: v.get("plaintextReceived").and_then(Value::as_u64),
            session_reused: v.get("sessionReused").and_then(Value::as_bool),
            exported: text("exported"),
        })
    }
}

/// Node's `tls.createServer` echo server, in a child process.
pub struct NodeServer {
    child: Child,
    /// Held open: the script exits when its stdin closes.
    _stdin: ChildStdin,
    port: u16,
    lines: mpsc::Receiver<String>,
    /// Holds config.json; removed after the child is gone.
    _dir: TempDir,
}

impl NodeServer {
    /// Starts the server and waits until it listens.
    pub fn start(config: &NodeServerConfig) -> Self {
        Self::start_script("node-tls-server.js", config)
    }

    /// Starts Node's `https.createServer` (`tests/peers/node-https-server.js`)
    /// instead: it answers every request with `200 OK` and reports each request
    /// as an event. `unix_path` is not supported.
    pub fn start_https(config: &NodeServerConfig) -> Self {
        Self::start_script("node-https-server.js", config)
    }

    /// Starts the script `tests/peers/{script}` with `config` and waits until it listens.
    fn start_script(script: &str, config: &NodeServerConfig) -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/peers")
            .join(script);
        let dir = TempDir::new("node-server");
        let json = json!({
            "key": config.key,
            "cert": config.cert,
            "ca": config.ca,
            "requestCert": config.request_cert,
            "rejectUnauthorized": config.reject_unauthorized,
            "ALPNProtocols": config.alpn,
            "unixPath": config.unix_path,
            "ciphers": config.ciphers,
            "maxVersion": config.max_version,
            "ocspResponse": config.ocsp_response.as_ref().map(|r| hex(r)),
        });
        let config_path = dir.write("config.json", json.to_string());
        let (mut child, stdin, lines) =
            spawn_peer(Tool::node().arg(&script).arg(&config_path).command());
        let deadline = Instant::now() + START_LIMIT;
        // Bounded by the deadline; lines before "listening" (none expected) are skipped.
        let listening = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(left) {
                Ok(line) => {
                    let v: Value = serde_json::from_str(&line).unwrap_or(Value::Null);
                    if let Some(listening) = v.get("listening") {
                        break listening.clone();
                    }
                }
                Err(err) => {
                    let status = child.try_wait();
                    stop(&mut child);
                    panic!("the Node server did not listen ({err}; exit status {status:?})");
                }
            }
        };
        // A TCP server reports its port; a Unix-socket server its path.
        let port = listening
            .as_u64()
            .and_then(|p| u16::try_from(p).ok())
            .unwrap_or(0);
        Self {
            child,
            _stdin: stdin,
            port,
            lines,
            _dir: dir,
        }
    }

    /// The port it listens on on 127.0.0.1 (0 on a Unix socket).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The next connection report, in order, if one arrives within `timeout`.
    pub fn next_event(&self, timeout: Duration) -> Option<NodeEvent> {
        let deadline = Instant::now() + timeout;
        // Bounded by the deadline; a line that is not an event is skipped.
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self.lines.recv_timeout(left).ok()?;
            if let Some(event) = NodeEvent::parse(&line) {
                return Some(event);
            }
        }
    }

    /// Waits for the report of the next connection and asserts that the server
    /// authorized the demo PKI's client certificate; returns the report.
    pub fn expect_demo_client(&self, timeout: Duration) -> NodeEvent {
        let seen = self
            .next_event(timeout)
            .expect("the server reports the connection");
        assert_eq!(seen.authorized, Some(true), "{seen:?}");
        assert_eq!(
            seen.peer_subject_cn.as_deref(),
            Some("tls-connect demo client")
        );
        seen
    }
}

impl Drop for NodeServer {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

/// Runs `openssl "$@"` and stops it when this shell's stdin closes (the test
/// dropped the server, or died), as the Node script does; exits with openssl,
/// so a failure to start is seen at once. The watcher gets stdin through fd 3:
/// a background job's own stdin is /dev/null.
const OPENSSL_UNDER_WATCH: &str = r#"exec 3<&0
openssl "$@" </dev/null 3<&- &
pid=$!
(cat <&3 >/dev/null; kill "$pid") >/dev/null 2>&1 &
wait "$pid"
"#;

/// `openssl s_server -rev` on 127.0.0.1: each line the client sends comes back
/// reversed, its line ending (`\n` or `\r\n`) replaced by `\n` (`hello\n` gives
/// `olleh\n`). Bytes after the last newline are not answered until a newline
/// comes; lines longer than 16 KiB come back in reversed 16 KiB pieces, each
/// followed by `\n`. A line `CLOSE` makes the server send close_notify and
/// close. When the client sends close_notify, the server answers with its own
/// (TLS 1.2 and 1.3), so the client sees its end. One connection at a time.
pub struct OpenSslServer {
    /// The watching shell; openssl is its child.
    child: Child,
    /// Closing it stops openssl.
    stdin: Option<ChildStdin>,
    port: u16,
    log: Arc<Mutex<Vec<String>>>,
    /// Disconnects when openssl's output pipes close, that is when it has exited.
    exited: mpsc::Receiver<()>,
}

impl OpenSslServer {
    /// Starts s_server with `cert` (the leaf only; pass `-cert_chain FILE` in
    /// `extra` to send intermediates) and `key`. With `ca`, a client
    /// certificate issued by it is required (`-CAfile ca -Verify 1`). `extra`
    /// goes to s_server as is, e.g. `&["-alpn", "h2,http/1.1"]` or
    /// `&["-tls1_2"]`. Waits until it listens.
    pub fn start(cert: &Path, key: &Path, ca: Option<&Path>, extra: &[&str]) -> Self {
        let mut cmd = Command::new("sh");
        // Port 0: s_server prints the port it got ("ACCEPT 127.0.0.1:PORT"), no race
        // for a free port. Not -quiet, which would hide that line.
        cmd.args(["-c", OPENSSL_UNDER_WATCH, "sh"])
            .args(["s_server", "-accept", "127.0.0.1:0", "-rev"])
            .arg("-cert")
            .arg(cert)
            .arg("-key")
            .arg(key);
        if let Some(ca) = ca {
            cmd.arg("-CAfile").arg(ca).args(["-Verify", "1"]);
        }
        cmd.args(extra).stderr(Stdio::piped());
        let (mut child, stdin, lines) = spawn_peer(cmd);
        // Everything it prints is kept for failure messages; the pipes must be drained anyway.
        let log = Arc::new(Mutex::new(Vec::new()));
        let (port_tx, port_rx) = mpsc::channel();
        let (exited_tx, exited) = mpsc::channel::<()>();
        let keeper = log.clone();
        thread::spawn(move || {
            let _exited = exited_tx;
            // Ends when both pipes close, at openssl's exit.
            for line in lines {
                if let Some(port) = accept_port(&line) {
                    let _ = port_tx.send(port);
                }
                if let Ok(mut log) = keeper.lock() {
                    log.push(line);
                }
            }
        });
        let port = match port_rx.recv_timeout(START_LIMIT) {
            Ok(port) => port,
            Err(err) => {
                drop(stdin);
                stop(&mut child);
                let _ = exited.recv_timeout(STOP_LIMIT);
                let log = log.lock().map(|l| l.join("\n")).unwrap_or_default();
                panic!("openssl s_server did not listen ({err}):\n{log}");
            }
        };
        Self {
            child,
            stdin: Some(stdin),
            port,
            log,
            exited,
        }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// What s_server printed so far (stdout and stderr), for failure messages.
    pub fn output(&self) -> String {
        self.log.lock().map(|l| l.join("\n")).unwrap_or_default()
    }
}

impl Drop for OpenSslServer {
    fn drop(&mut self) {
        // Closing stdin makes the watcher stop openssl; wait (bounded) until it has.
        drop(self.stdin.take());
        let _ = self.exited.recv_timeout(STOP_LIMIT);
        stop(&mut self.child);
    }
}

/// The port in s_server's "ACCEPT 127.0.0.1:PORT" line.
fn accept_port(line: &str) -> Option<u16> {
    let (_, port) = line.strip_prefix("ACCEPT ")?.rsplit_once(':')?;
    port.trim().parse().ok()
}

/// A port nothing listens on right now (something else may take it later).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Lowercase hex, as the Node peers write bytes in their reports.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
