//! The calls into tls-connect: the generated bindings for the `client` import,
//! options from what the plugins parsed, and a timed `connect`.

use std::fmt;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::args::Credentials;

wit_bindgen::generate!({
    path: ["../../wit", "wit"],
    world: "tls-connect:plugins/plugin",
    // `client` uses `types`, which uses `transport`: generate those too.
    generate_all,
    // Nothing set is every Node default, so option literals end in
    // `..Default::default()`. Only these records: the WIT variants have no default.
    additional_type_attributes: {
        "tls-connect:tls-connect/types@0.1.0/connect-options": [#[derive(Default)]],
        "tls-connect:tls-connect/types@0.1.0/net-options": [#[derive(Default)]],
    },
});

pub use tls_connect::tls_connect::client::{connect, TlsSocket};
pub use tls_connect::tls_connect::types::{AlpnProtocols, ConnectOptions, KeyEntry, Pem, TlsError};

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
        ..Default::default()
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

/// A plugin's `main`: runs `run` and prints its failure on stderr. A failure
/// exits with 1 whatever it was: WASI 0.2's `exit` carries only success or
/// failure, so a usage error's customary 2 would reach the host as 1 anyway.
/// Natively there is no tls-connect to call, so it only says how `name` runs.
pub fn main(name: &str, run: fn() -> Result<(), Failure>) -> ExitCode {
    if !cfg!(target_arch = "wasm32") {
        eprintln!(
            "{name} is a plugin component: build it for wasm32-wasip2 and compose it with tls-connect"
        );
        return ExitCode::FAILURE;
    }
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::FAILURE
        }
    }
}
