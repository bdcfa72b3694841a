//! One request's exchange with its backend: Node's documentation echo over
//! tls-connect. Connect (attached: the guest does its own blocking I/O through
//! the wasi:sockets adapter), write the request body, end our side, read until
//! the server ends its own.

use std::time::{Duration, Instant};

use example_plugins::args::Credentials;
use example_plugins::tls::{self, Failure};

use crate::backend::Backend;

/// The most the backend may send back: the request body is bounded too, and an
/// echo is as long as what it echoes.
pub const ECHO_LIMIT: usize = 1024 * 1024;

/// What came back from a backend that accepted the connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Echoed {
    /// `socket.authorized`: the server's certificate verified.
    pub authorized: bool,
    /// `socket.authorizationError`, when it did not (with `rejectUnauthorized`
    /// left true, as here, the connection would have failed instead).
    pub authorization_error: Option<String>,
    /// `socket.getProtocol()`, e.g. `TLSv1.3`.
    pub protocol: Option<String>,
    /// Everything the server sent before it ended.
    pub echo: Vec<u8>,
    /// From the TCP connect to `'secureConnect'`.
    pub handshake: Duration,
}

/// Runs the echo against `backend` with `credentials`, sending `body`.
pub fn echo(backend: &Backend, credentials: &Credentials, body: &[u8]) -> Result<Echoed, Failure> {
    let mut options = tls::options_to(&backend.host, backend.port, credentials);
    options.servername = backend.servername.clone();
    let started = Instant::now();
    let socket = tls::connect(options)?;
    let handshake = started.elapsed();
    // Read while the connection is up: a destroyed socket reports none of them.
    let authorized = socket.authorized();
    let authorization_error = socket.authorization_error();
    let protocol = socket.get_protocol();
    socket.write(body)?;
    // All of the body is written: end our side, as `stdin.pipe(socket)` does in
    // Node's example; the echo server ends its own once it has echoed.
    socket.end()?;
    let echo = tls::read_to_end(&socket, ECHO_LIMIT)?;
    Ok(Echoed {
        authorized,
        authorization_error,
        protocol,
        echo,
        handshake,
    })
}
