//! One client conversation, told as Node's events, for comparing the component
//! with Node's own `tls.connect()`: the component driven attached (it does its
//! own I/O) or sans-IO (this host moves the bytes), and Node (in `oracle`)
//! all produce the same [`Outcome`] shape.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use host_example::{ClientInstance, ConnectOptions, TlsError, TlsSocket};

/// Longest a sans-IO conversation may last before the driver gives up.
pub const CONVERSATION_LIMIT: Duration = Duration::from_secs(20);

/// Reads an attached conversation may take (each blocks until the peer acts).
const MAX_READS: usize = 100_000;

/// How long the sans-IO driver waits for the socket per turn.
const POLL: Duration = Duration::from_millis(10);

/// What the client does.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Written after `'secureConnect'`; once as many bytes came back, the client
    /// ends its side. Empty: it writes nothing and just listens.
    pub send: Vec<u8>,
    /// Sans-IO only: the host's own idle timeout (as Node's `timeout` option and
    /// an application that destroys the socket on `'timeout'`).
    pub idle_timeout: Option<Duration>,
    /// Sans-IO only: bytes handed to one `feed` call at most (1: a byte at a time);
    /// 0 means all that was read.
    pub feed_size: usize,
    /// Sans-IO only: written right after `start`, before the handshake; the
    /// guest holds it until the certificate decision.
    pub write_first: Vec<u8>,
}

/// An error as Node shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// `err.code`.
    pub code: String,
    /// `err.message`.
    pub message: String,
}

impl From<TlsError> for Failure {
    fn from(err: TlsError) -> Self {
        Self {
            code: err.code,
            message: err.message,
        }
    }
}

/// What happened, in Node's terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// `'secureConnect'` fired.
    pub secure: bool,
    /// Everything `'data'` delivered.
    pub data: Vec<u8>,
    /// `'end'` fired.
    pub end: bool,
    /// `'timeout'` fired and the socket was destroyed.
    pub timed_out: bool,
    /// `'error'`, if it fired.
    pub error: Option<Failure>,
}

impl Outcome {
    /// The error's code, if there was one.
    pub fn code(&self) -> Option<&str> {
        self.error.as_ref().map(|e| e.code.as_str())
    }

    /// A guest call's result: its value, or `None` with its error kept as
    /// the conversation's (`'error'` fired).
    fn keep_error<T>(&mut self, result: Result<T, TlsError>) -> Option<T> {
        result.map_err(|err| self.error = Some(err.into())).ok()
    }
}

/// OpenSSL's packed error in a message (`error:0A00010B`), if it has one. Node's
/// messages for OpenSSL errors add a thread id, a function name and a source
/// line around it; the packed code is what both must share.
pub fn openssl_error(message: &str) -> Option<&str> {
    let at = message.find("error:")?;
    message.get(at..at + 14)
}

/// Asserts that `ours` tells the same story as Node's: the same events, data and
/// error code, and the same message (for OpenSSL's errors, the same packed code).
/// When Node reports an error, an `'end'` it reported too is the raw stream's
/// end before that error; the component reports that end as the error itself.
pub fn assert_same_as_node(ours: &Outcome, node: &Outcome, what: &str) {
    let summary = |o: &Outcome| {
        let end = o.end && node.error.is_none();
        (o.secure, o.data.clone(), end, o.code().map(str::to_owned))
    };
    assert_eq!(
        summary(ours),
        summary(node),
        "{what}: ours {ours:?}, Node {node:?}"
    );
    if let (Some(ours), Some(node)) = (&ours.error, &node.error) {
        match openssl_error(&node.message) {
            Some(packed) => assert_eq!(
                openssl_error(&ours.message),
                Some(packed),
                "{what}: ours {:?}, Node {:?}",
                ours.message,
                node.message
            ),
            None => assert_eq!(ours.message, node.message, "{what}"),
        }
    }
}

/// The attached driver: `client.connect`, then the plan, reading until the
/// server ends or fails. Bounded by the peer (every read returns when it acts or
/// closes) and by [`MAX_READS`]. The socket is destroyed and dropped at the end.
pub fn attached(
    instance: &mut ClientInstance,
    options: ConnectOptions,
    plan: &Plan,
) -> wasmtime::Result<Outcome> {
    let mut outcome = Outcome::default();
    let Some(socket) = outcome.keep_error(instance.connect(options)?) else {
        return Ok(outcome);
    };
    outcome.secure = true;
    let mut ended = false;
    if !plan.send.is_empty() {
        outcome.keep_error(instance.socket(&socket).write(&plan.send)?);
    }
    for _ in 0..MAX_READS {
        if outcome.error.is_some() {
            break;
        }
        match instance.socket(&socket).read(64 * 1024)? {
            Ok(data) if data.is_empty() => {
                outcome.end = true;
                break;
            }
            Ok(data) => outcome.data.extend_from_slice(&data),
            Err(err) => outcome.error = Some(err.into()),
        }
        if !ended && !plan.send.is_empty() && outcome.data.len() >= plan.send.len() {
            ended = true;
            outcome.keep_error(instance.socket(&socket).end()?);
        }
    }
    instance.socket(&socket).destroy()?;
    instance.drop_socket(socket)?;
    Ok(outcome)
}

/// The sans-IO driver: `client.start`, then this host moves bytes between
/// `stream` and the guest until the server ends, something fails, the plan's
/// idle timeout fires, or [`CONVERSATION_LIMIT`] passes. The socket is destroyed
/// and dropped at the end, and `stream` closed.
pub fn sans_io(
    instance: &mut ClientInstance,
    options: ConnectOptions,
    mut stream: TcpStream,
    plan: &Plan,
) -> wasmtime::Result<Outcome> {
    let mut outcome = Outcome::default();
    let Some(socket) = outcome.keep_error(instance.start(options)?) else {
        return Ok(outcome);
    };
    if !plan.write_first.is_empty() {
        outcome.keep_error(instance.socket(&socket).write(&plan.write_first)?);
    }
    let result = converse(instance, &socket, &mut stream, plan, &mut outcome);
    instance.socket(&socket).destroy()?;
    instance.drop_socket(socket)?;
    let _ = stream.shutdown(Shutdown::Both);
    result.map(|()| outcome)
}

fn converse(
    instance: &mut ClientInstance,
    socket: &TlsSocket,
    stream: &mut TcpStream,
    plan: &Plan,
    outcome: &mut Outcome,
) -> wasmtime::Result<()> {
    stream.set_read_timeout(Some(POLL))?;
    let deadline = Instant::now() + CONVERSATION_LIMIT;
    let mut last_heard = Instant::now();
    let (mut write_shut, mut ended) = (false, false);
    let mut buf = vec![0u8; 64 * 1024];
    // Bounded by the deadline; every turn waits at most POLL for the socket.
    while Instant::now() < deadline {
        let out = instance.socket(socket).take_outgoing()?;
        if !out.is_empty() {
            if let Err(e) = stream.write_all(&out) {
                outcome.error = Some(transport_failure("write", &e));
                return Ok(());
            }
        }
        if !write_shut && instance.socket(socket).wants_write_end()? {
            write_shut = true;
            let _ = stream.shutdown(Shutdown::Write);
        }
        if outcome.end || outcome.error.is_some() {
            return Ok(());
        }
        let read = match read_polled(stream, &mut buf) {
            Ok(Some(n)) => n,
            Ok(None) => {
                if plan.idle_timeout.is_some_and(|t| last_heard.elapsed() >= t) {
                    outcome.timed_out = true;
                    return Ok(());
                }
                continue;
            }
            Err(e) => {
                outcome.error = Some(transport_failure("read", &e));
                return Ok(());
            }
        };
        last_heard = Instant::now();
        let fed = if read == 0 {
            vec![instance.socket(socket).feed_end()?]
        } else {
            let size = if plan.feed_size == 0 {
                read
            } else {
                plan.feed_size
            };
            let mut results = Vec::new();
            for chunk in buf[..read].chunks(size) {
                let result = instance.socket(socket).feed(chunk)?;
                let failed = result.is_err();
                results.push(result);
                if failed {
                    break;
                }
            }
            results
        };
        for result in fed {
            match result {
                Ok(fed) => {
                    if fed.secure_connect {
                        outcome.secure = true;
                        if !plan.send.is_empty() {
                            outcome.keep_error(instance.socket(socket).write(&plan.send)?);
                        }
                    }
                    outcome.data.extend_from_slice(&fed.data);
                    outcome.end |= fed.end;
                }
                Err(err) => outcome.error = Some(err.into()),
            }
        }
        if !ended && !plan.send.is_empty() && outcome.data.len() >= plan.send.len() {
            ended = true;
            outcome.keep_error(instance.socket(socket).end()?);
        }
    }
    wasmtime::bail!("the sans-IO conversation did not finish within {CONVERSATION_LIMIT:?}")
}

/// Reads what arrives within the stream's read timeout ([`POLL`]): how many
/// bytes (0: the peer's end), or `None` when nothing came.
fn read_polled(stream: &mut TcpStream, buf: &mut [u8]) -> io::Result<Option<usize>> {
    match stream.read(buf) {
        Ok(n) => Ok(Some(n)),
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// A transport failure as the host reports it (the guest never sees it in sans-IO).
fn transport_failure(syscall: &str, err: &io::Error) -> Failure {
    let err = host_example::transport::io_error(syscall, err, "");
    Failure {
        code: err.code,
        message: err.message,
    }
}

/// Drives a started (sans-IO) `socket` over a new TCP connection to
/// 127.0.0.1:`port` until `'secureConnect'`, and returns the events so far. The
/// stream stays open in the socket's keeping only as long as this call: the
/// handshake's own getters remain readable afterwards.
pub fn handshake_sans_io(
    instance: &mut ClientInstance,
    socket: &TlsSocket,
    port: u16,
) -> Vec<host_example::SocketEvent> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("server listens");
    stream.set_read_timeout(Some(POLL)).expect("timeout set");
    let deadline = Instant::now() + CONVERSATION_LIMIT;
    let mut events = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    // Bounded by the deadline; every turn waits at most POLL for the socket.
    while Instant::now() < deadline {
        let out = instance.socket(socket).take_outgoing().expect("no trap");
        stream.write_all(&out).expect("server reads");
        let read = match read_polled(&mut stream, &mut buf) {
            Ok(Some(0)) => panic!("the server ended during the handshake"),
            Ok(Some(n)) => n,
            Ok(None) => continue,
            Err(e) => panic!("read failed: {e}"),
        };
        let fed = instance
            .socket(socket)
            .feed(&buf[..read])
            .expect("no trap")
            .expect("the handshake goes on");
        events.extend(fed.events);
        if fed.secure_connect {
            let out = instance.socket(socket).take_outgoing().expect("no trap");
            stream.write_all(&out).expect("server reads");
            return events;
        }
    }
    panic!("no 'secureConnect' within {CONVERSATION_LIMIT:?}");
}
