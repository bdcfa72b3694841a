//! The sans-IO loop both Rust clients share: a TCP socket with TCP_NODELAY on
//! one side, an [`Engine`] on the other. Handshakes read on the calling thread;
//! the bulk echo reads on a second thread so that writing and reading overlap,
//! as they do in Node's event loop.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::mpsc::{self, RecvTimeoutError, TryRecvError};
use std::thread;
use std::time::{Duration, Instant};

use crate::cpu;
use crate::engine::Engine;

/// How long any single read, or one connection's handshake and first echo, may
/// take before the run is declared stuck.
const IO_LIMIT: Duration = Duration::from_secs(20);

/// Read calls one connection may take to finish its handshake and first echo.
const MAX_TURNS: usize = 1_000;

/// Bytes read from the socket per call.
const READ_CHUNK: usize = 64 * 1024;

/// Plaintext written but not yet echoed back, at most: keeps both directions busy
/// without letting one side run ahead by more than the sockets can hold.
const WINDOW: usize = 2 * 1024 * 1024;

/// An open connection: the engine's handle and its socket.
pub struct Open<C> {
    /// The engine's connection.
    pub conn: C,
    /// The TCP socket under it.
    pub stream: TcpStream,
}

/// Wall-clock and CPU time of a timed loop.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// Elapsed wall-clock seconds.
    pub seconds: f64,
    /// CPU seconds this process spent meanwhile (every thread).
    pub cpu_seconds: f64,
}

fn io_err(what: &str, err: io::Error) -> String {
    format!("{what}: {err}")
}

/// Sends whatever the engine has queued.
fn flush<E: Engine>(
    engine: &mut E,
    conn: &mut E::Conn,
    stream: &mut TcpStream,
) -> Result<(), String> {
    let out = engine.take_outgoing(conn)?;
    if !out.is_empty() {
        stream.write_all(&out).map_err(|e| io_err("write", e))?;
    }
    Ok(())
}

/// Connects to 127.0.0.1:`port`, completes the handshake and echoes one byte.
/// The echo makes every client read the server's session tickets, which arrive
/// right after the handshake, so resumption can use them.
pub fn connect<E: Engine>(engine: &mut E, port: u16) -> Result<Open<E::Conn>, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| io_err("connect", e))?;
    stream.set_nodelay(true).map_err(|e| io_err("nodelay", e))?;
    stream
        .set_read_timeout(Some(IO_LIMIT))
        .map_err(|e| io_err("timeout", e))?;
    let mut conn = engine.start()?;
    let mut buf = vec![0u8; READ_CHUNK];
    let deadline = Instant::now() + IO_LIMIT;
    for _ in 0..MAX_TURNS {
        if Instant::now() > deadline {
            return Err(format!("no echo within {IO_LIMIT:?}"));
        }
        flush(engine, &mut conn, &mut stream)?;
        let n = stream.read(&mut buf).map_err(|e| io_err("read", e))?;
        if n == 0 {
            return Err("the server closed the connection during the handshake".into());
        }
        let fed = engine.feed(&mut conn, &buf[..n])?;
        if fed.secure_connect {
            engine.write(&mut conn, b"x")?;
        }
        if fed.end {
            return Err("the server ended the connection before echoing".into());
        }
        if fed.data > 0 {
            flush(engine, &mut conn, &mut stream)?;
            return Ok(Open { conn, stream });
        }
    }
    Err(format!("no echo after {MAX_TURNS} reads"))
}

/// Ends our side, sends the close_notify, and lets the connection go.
pub fn close<E: Engine>(engine: &mut E, open: Open<E::Conn>) -> Result<(), String> {
    let Open {
        mut conn,
        mut stream,
    } = open;
    engine.end(&mut conn)?;
    flush(engine, &mut conn, &mut stream)?;
    // The server may have gone already; nothing more is read from this socket.
    let _ = stream.shutdown(Shutdown::Both);
    engine.finish(conn)
}

/// `count` sequential connections, each: TCP connect, handshake, one-byte echo, close.
pub fn handshakes<E: Engine>(
    engine: &mut E,
    port: u16,
    count: usize,
    limit: Duration,
) -> Result<Sample, String> {
    let start = Instant::now();
    let cpu_start = cpu::process_seconds()?;
    for i in 0..count {
        if start.elapsed() > limit {
            return Err(format!("only {i} of {count} handshakes within {limit:?}"));
        }
        let open = connect(engine, port)?;
        close(engine, open)?;
    }
    Ok(Sample {
        seconds: start.elapsed().as_secs_f64(),
        cpu_seconds: cpu::process_seconds()? - cpu_start,
    })
}

enum Received {
    Data(Vec<u8>),
    End,
    Failed(io::Error),
}

/// Reads `stream` on its own thread until it ends, fails, or nobody listens.
fn spawn_reader(mut stream: TcpStream, to: mpsc::SyncSender<Received>) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        let mut buf = vec![0u8; READ_CHUNK];
        // Bounded by the socket: it ends, fails, or times out (IO_LIMIT).
        loop {
            let event = match stream.read(&mut buf) {
                Ok(0) => Received::End,
                Ok(n) => Received::Data(buf[..n].to_vec()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => Received::Failed(e),
            };
            let last = !matches!(event, Received::Data(_));
            if to.send(event).is_err() || last {
                return;
            }
        }
    })
}

/// Hands one reader event to the engine: the plaintext bytes it yielded.
fn feed<E: Engine>(engine: &mut E, conn: &mut E::Conn, event: Received) -> Result<usize, String> {
    match event {
        Received::Data(bytes) => {
            let fed = engine.feed(conn, &bytes)?;
            if fed.end {
                return Err("the server ended the echo early".into());
            }
            Ok(fed.data)
        }
        Received::End => Err("the server closed the connection during the echo".into()),
        Received::Failed(e) => Err(io_err("read", e)),
    }
}

/// Echoes `total` bytes in writes of `chunk` over one connection, timed from the
/// end of the handshake to the last echoed byte.
pub fn bulk<E: Engine>(
    engine: &mut E,
    port: u16,
    total: usize,
    chunk: usize,
    limit: Duration,
) -> Result<Sample, String> {
    let Open {
        mut conn,
        mut stream,
    } = connect(engine, port)?;
    let (to, inbox) = mpsc::sync_channel(64);
    let reader = spawn_reader(stream.try_clone().map_err(|e| io_err("clone", e))?, to);
    let payload = vec![b'a'; chunk];
    let (mut written, mut received) = (0usize, 0usize);
    let start = Instant::now();
    let cpu_start = cpu::process_seconds()?;
    // Bounded by `limit`: every turn writes a chunk, feeds received bytes, or waits at most IO_LIMIT.
    while received < total {
        if start.elapsed() > limit {
            return Err(format!(
                "only {received} of {total} bytes echoed within {limit:?}"
            ));
        }
        let mut progressed = false;
        loop {
            match inbox.try_recv() {
                Ok(event) => {
                    received += feed(engine, &mut conn, event)?;
                    progressed = true;
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return Err("the reader stopped".into()),
            }
        }
        if written < total && written - received.min(written) < WINDOW {
            let n = chunk.min(total - written);
            engine.write(&mut conn, &payload[..n])?;
            written += n;
            flush(engine, &mut conn, &mut stream)?;
        } else if !progressed {
            match inbox.recv_timeout(IO_LIMIT) {
                Ok(event) => received += feed(engine, &mut conn, event)?,
                Err(RecvTimeoutError::Timeout) => return Err("the echo stalled".into()),
                Err(RecvTimeoutError::Disconnected) => return Err("the reader stopped".into()),
            }
        }
    }
    let sample = Sample {
        seconds: start.elapsed().as_secs_f64(),
        cpu_seconds: cpu::process_seconds()? - cpu_start,
    };
    drop(inbox);
    close(engine, Open { conn, stream })?;
    // The shutdown in `close` ends the reader's read at once.
    let _ = reader.join();
    Ok(sample)
}
