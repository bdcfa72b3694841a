//! The echo client from Node's `tls.connect()` documentation, driven sans-IO:
//! the host moves bytes between a socket and the guest, so writing (from the
//! input) and reading (from the server) proceed at the same time.
//!
//! What it prints matches Node's example: `client connected authorized` (or
//! `unauthorized`), then whatever the server sends, then `server ends connection`.

use std::fmt;
use std::io::{self, Read, Write};
use std::sync::mpsc;
use std::thread;

use crate::transport::{ByteStream, NetStream};
use crate::{ClientInstance, ConnectOptions, TlsError};

/// What happened on the way, for callers that check it (the tests).
#[derive(Debug, Default, Clone)]
pub struct EchoReport {
    /// `socket.authorized` at `'secureConnect'`.
    pub authorized: bool,
    /// `socket.authorizationError`.
    pub authorization_error: Option<String>,
    /// Everything the server sent.
    pub received: Vec<u8>,
    /// The server ended the connection.
    pub server_ended: bool,
}

/// Why the echo client stopped early.
#[derive(Debug)]
pub enum EchoError {
    /// The connection failed as Node would report it.
    Tls(TlsError),
    /// The host failed (a trap or an I/O error outside the connection).
    Host(wasmtime::Error),
}

impl fmt::Display for EchoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EchoError::Tls(err) => write!(f, "{}: {}", err.code, err.message),
            EchoError::Host(err) => write!(f, "host error: {err:#}"),
        }
    }
}

impl From<wasmtime::Error> for EchoError {
    fn from(err: wasmtime::Error) -> Self {
        EchoError::Host(err)
    }
}

impl From<TlsError> for EchoError {
    fn from(err: TlsError) -> Self {
        EchoError::Tls(err)
    }
}

enum Event {
    Net(Vec<u8>),
    NetEnd,
    NetError(io::Error),
    Input(Vec<u8>),
    InputEnd,
}

/// Bytes read from the socket or the input per call.
const CHUNK: usize = 64 * 1024;

/// Runs the echo over `stream`: the handshake, then `input` to the server and the
/// server's bytes to `output`, until the server ends the connection.
pub fn run(
    instance: &mut ClientInstance,
    options: ConnectOptions,
    stream: NetStream,
    input: impl Read + Send + 'static,
    output: &mut dyn Write,
) -> Result<EchoReport, EchoError> {
    let (events, inbox) = mpsc::channel();
    spawn_reader(
        stream.try_clone().map_err(host_io)?,
        events.clone(),
        NET_EVENTS,
    );
    let mut input = Some(input);
    let mut net = stream;
    let socket = instance.start(options)??;
    let mut report = EchoReport::default();
    let mut write_shut = false;
    flush(instance, &socket, &mut net, &mut write_shut)?;
    // Bounded by the peers: every event comes from a socket or the input, both of which end.
    while let Ok(event) = inbox.recv() {
        let fed = match event {
            Event::Net(bytes) => Some(instance.socket(&socket).feed(&bytes)??),
            Event::NetEnd => Some(instance.socket(&socket).feed_end()??),
            Event::NetError(err) => {
                let failure = crate::transport::io_error("read", &err, "");
                return Err(EchoError::Tls(TlsError {
                    code: failure.code,
                    message: failure.message,
                    reason: None,
                    host: None,
                }));
            }
            Event::Input(bytes) => {
                instance.socket(&socket).write(&bytes)??;
                None
            }
            Event::InputEnd => {
                instance.socket(&socket).end()??;
                None
            }
        };
        if let Some(fed) = fed {
            if fed.secure_connect {
                report.authorized = instance.socket(&socket).authorized()?;
                report.authorization_error = instance.socket(&socket).authorization_error()?;
                let word = if report.authorized {
                    "authorized"
                } else {
                    "unauthorized"
                };
                write_line(output, &format!("client connected {word}"))?;
                // As Node's example, stdin is piped only once the connection is secure.
                if let Some(input) = input.take() {
                    spawn_reader(input, events.clone(), INPUT_EVENTS);
                }
            }
            if !fed.data.is_empty() {
                report.received.extend_from_slice(&fed.data);
                output.write_all(&fed.data).map_err(host_io)?;
                output.flush().map_err(host_io)?;
            }
            if fed.end {
                report.server_ended = true;
                write_line(output, "server ends connection")?;
            }
        }
        flush(instance, &socket, &mut net, &mut write_shut)?;
        if report.server_ended {
            break;
        }
    }
    instance.socket(&socket).destroy()?;
    Ok(report)
}

/// Sends what the guest has queued, and ends the socket's write side when asked.
fn flush(
    instance: &mut ClientInstance,
    socket: &crate::TlsSocket,
    net: &mut NetStream,
    write_shut: &mut bool,
) -> Result<(), EchoError> {
    let out = instance.socket(socket).take_outgoing()?;
    if !out.is_empty() {
        net.write_all(&out).map_err(host_io)?;
    }
    if !*write_shut && instance.socket(socket).wants_write_end()? {
        *write_shut = true;
        // The peer may have closed already; its end is reported by the reader.
        let _ = net.shutdown_write();
    }
    Ok(())
}

/// What a reader thread sends: its data, its end, its failure.
struct ReaderEvents {
    data: fn(Vec<u8>) -> Event,
    end: fn() -> Event,
    error: fn(io::Error) -> Event,
}

const NET_EVENTS: ReaderEvents = ReaderEvents {
    data: Event::Net,
    end: || Event::NetEnd,
    error: Event::NetError,
};

/// A failing input ends it, as a closed stdin does.
const INPUT_EVENTS: ReaderEvents = ReaderEvents {
    data: Event::Input,
    end: || Event::InputEnd,
    error: |_| Event::InputEnd,
};

/// Reads `source` on its own thread, sending each chunk as an event.
fn spawn_reader<R: Read + Send + 'static>(
    mut source: R,
    events: mpsc::Sender<Event>,
    kinds: ReaderEvents,
) {
    thread::spawn(move || {
        let mut buf = vec![0u8; CHUNK];
        // Bounded by the source: it ends, fails, or the receiver goes away.
        loop {
            let event = match source.read(&mut buf) {
                Ok(0) => (kinds.end)(),
                Ok(n) => (kinds.data)(buf[..n].to_vec()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => (kinds.error)(e),
            };
            let last = !matches!(event, Event::Net(_) | Event::Input(_));
            if events.send(event).is_err() || last {
                return;
            }
        }
    });
}

fn write_line(output: &mut dyn Write, line: &str) -> Result<(), EchoError> {
    writeln!(output, "{line}").map_err(host_io)?;
    output.flush().map_err(host_io)
}

fn host_io(err: io::Error) -> EchoError {
    EchoError::Host(wasmtime::Error::from(err))
}
