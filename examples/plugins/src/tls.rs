//! The calls into tls-connect: the generated bindings for the `client` import,
//! options from what the plugins parsed, and a timed `connect`.

use std::fmt;
use std::time::{Duration, Instant};

use crate::args::Credentials;

wit_bindgen::generate!({
    path: ["../../wit", "wit"],
    world: "tls-connect:plugins/plugin",
    // `client` uses `types`, which uses `transport`: generate those too.
    generate_all,
});

pub use tls_connect::tls_connect::client::{connect, TlsSocket};
pub use tls_connect::tls_connect::types::{AlpnProtocols, ConnectOptions, KeyEntry, Pem, TlsError};

/// Options with nothing set, so that every Node default applies.
pub fn options() -> ConnectOptions {
    ConnectOptions {
        host: None,
        port: None,
        path: None,
        socket: None,
        servername: None,
        reject_unauthorized: None,
        ca: None,
        crl: None,
        cert: None,
        key: None,
        passphrase: None,
        ciphers: None,
        min_version: None,
        max_version: None,
        alpn_protocols: None,
        allow_half_open: None,
        pfx: None,
        ecdh_curve: None,
        sigalgs: None,
        secure_protocol: None,
        secure_options: None,
        allow_partial_trust_chain: None,
        request_ocsp: None,
        enable_trace: None,
        min_dh_size: None,
        session: None,
        identity_check: None,
        net: None,
    }
}

/// Options to `host`:`port` with `credentials`.
pub fn options_to(host: &str, port: u16, credentials: &Credentials) -> ConnectOptions {
    let pem = |text: &Option<String>| text.clone().map(|t| vec![Pem::Text(t)]);
    ConnectOptions {
        host: Some(host.to_owned()),
        port: Some(u32::from(port)),
        ca: pem(&credentials.ca),
        cert: pem(&credentials.cert),
        key: credentials.key.clone().map(|t| {
            vec![KeyEntry {
                pem: Pem::Text(t),
                passphrase: None,
            }]
        }),
        ..options()
    }
}

/// `tls.connect(options)`, attached, timed from the TCP connect to `'secureConnect'`;
/// the time is printed on stderr as `handshake: N ms`.
pub fn connect_timed(options: ConnectOptions) -> Result<TlsSocket, TlsError> {
    let started = Instant::now();
    let socket = connect(options)?;
    eprintln!("handshake: {:.3} ms", millis(started.elapsed()));
    Ok(socket)
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Reads until the server ends its side, failing past `limit` bytes.
pub fn read_to_end(socket: &TlsSocket, limit: usize) -> Result<Vec<u8>, Failure> {
    let mut received = Vec::new();
    // Bounded by the server's end and by `limit`.
    loop {
        let chunk = socket.read(64 * 1024)?;
        if chunk.is_empty() {
            return Ok(received);
        }
        received.extend_from_slice(&chunk);
        if received.len() > limit {
            return Err(Failure::Other(format!(
                "the server sent more than {limit} bytes"
            )));
        }
    }
}

/// Why a plugin stopped.
#[derive(Debug)]
pub enum Failure {
    /// The connection failed as Node reports it.
    Tls(TlsError),
    /// Anything else, wrong arguments included: the message.
    Other(String),
}

impl From<TlsError> for Failure {
    fn from(err: TlsError) -> Self {
        Failure::Tls(err)
    }
}

impl From<std::io::Error> for Failure {
    fn from(err: std::io::Error) -> Self {
        Failure::Other(err.to_string())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Other(msg) => f.write_str(msg),
            Failure::Tls(err) => write!(f, "{}: {}", err.code, err.message),
        }
    }
}

impl Failure {
    /// Prints the failure on stderr and gives the exit status. Always 1: WASI
    /// 0.2's `exit` carries only success or failure, so a usage error's
    /// customary 2 would reach the host as 1 anyway.
    pub fn report(&self) -> std::process::ExitCode {
        eprintln!("{self}");
        std::process::ExitCode::FAILURE
    }
}
