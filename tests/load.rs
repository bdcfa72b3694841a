//! Load in one instance: 500 concurrent connections to Node's `tls.createServer`,
//! each echoing 64 KiB, driven sans-IO from one host thread over non-blocking
//! sockets (an instance is single-threaded, as a JavaScript host is); then
//! 10,000 sequential connections with the guest's linear memory flat. Each runs
//! with the host's native crypto (the default) and with the guest doing all of
//! it. Timings and memory are printed as figures; only correctness and the
//! memory bound are asserted.

mod support;

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use host_example::echo_server::{EchoServer, EchoServerConfig};
use host_example::host_crypto::HostCrypto;
use host_example::{ClientInstance, TlsSocket};
use support::component::{echo_attached, instance, options_to};
use support::peers::{NodeServer, NodeServerConfig};
use test_pki::DemoPki;

/// The two tests measure; run one at a time so neither skews the other's figures.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Concurrent connections in the first test.
const CONCURRENT: usize = 500;

/// Bytes each concurrent connection echoes.
const ECHO_BYTES: usize = 64 * 1024;

/// Longest the concurrent test may run before it fails.
const CONCURRENT_LIMIT: Duration = Duration::from_secs(120);

/// Sequential connections in each memory test.
const SEQUENTIAL: usize = 10_000;

/// After how many connections the baseline is taken.
const BASELINE_AFTER: usize = 100;

/// How much the guest's memory may grow between the baseline and the last
/// connection: 1 MiB (16 wasm pages). A socket the guest failed to free (tens of
/// KiB: rustls buffers and the certificate chain) would exceed it within a
/// hundred connections; a leak of 110 bytes per connection would exceed it by the
/// 10,000th. What it allows is the allocator's own slack: memory never shrinks,
/// and fragmentation may ask for a page or two more.
const GROWTH_BOUND: usize = 1024 * 1024;

/// The bytes connection `index` sends: different for every connection, so a
/// mix-up between them is seen.
fn payload(index: usize) -> Vec<u8> {
    (0..ECHO_BYTES)
        .map(|j| (index.wrapping_mul(7) ^ j.wrapping_mul(13)) as u8)
        .collect()
}

/// One sans-IO connection and its progress.
struct Conn {
    index: usize,
    stream: TcpStream,
    socket: TlsSocket,
    /// Bytes taken from the guest and not yet written to the socket.
    out: Vec<u8>,
    expected: Vec<u8>,
    received: usize,
    ended: bool,
    write_shut: bool,
    peer_ended: bool,
}

impl Conn {
    fn done(&self) -> bool {
        self.peer_ended && self.out.is_empty()
    }

    /// One turn: send what is queued, read what arrived, feed it. True if
    /// anything moved.
    fn turn(&mut self, instance: &mut ClientInstance, buf: &mut [u8]) -> bool {
        let mut moved = false;
        let mut calls = instance.socket(&self.socket);
        if self.out.is_empty() {
            self.out = calls.take_outgoing().expect("no trap");
        }
        while !self.out.is_empty() {
            match self.stream.write(&self.out) {
                Ok(n) => {
                    self.out.drain(..n);
                    moved = true;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => panic!("connection {}: write: {e}", self.index),
            }
        }
        if self.out.is_empty() && !self.write_shut && calls.wants_write_end().expect("no trap") {
            self.write_shut = true;
            let _ = self.stream.shutdown(Shutdown::Write);
        }
        let fed = match self.stream.read(buf) {
            Ok(0) if self.peer_ended => return moved,
            Ok(0) => calls.feed_end(),
            Ok(n) => calls.feed(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return moved,
            Err(e) => panic!("connection {}: read: {e}", self.index),
        };
        let fed = fed
            .expect("no trap")
            .unwrap_or_else(|e| panic!("connection {}: {e:?}", self.index));
        if fed.secure_connect {
            calls
                .write(&self.expected)
                .expect("no trap")
                .expect("write");
        }
        let at = self.received;
        assert!(
            self.expected.get(at..at + fed.data.len()) == Some(&fed.data[..]),
            "connection {}: the echo differs at byte {at}",
            self.index
        );
        self.received += fed.data.len();
        if self.received == ECHO_BYTES && !self.ended {
            self.ended = true;
            calls.end().expect("no trap").expect("end");
        }
        self.peer_ended |= fed.end;
        true
    }
}

#[test]
fn five_hundred_concurrent_echoes_in_one_instance() {
    concurrent_echoes(instance(), "the host's crypto");
}

#[test]
fn five_hundred_concurrent_echoes_with_the_guest_doing_all_crypto() {
    concurrent_echoes(guest_crypto_instance(), "the guest's own crypto");
}

/// An instance whose host declines every crypto offer: the guest seals, opens
/// and verifies everything itself, as on a host without native crypto.
fn guest_crypto_instance() -> ClientInstance {
    support::component::component()
        .instantiate_with(HostCrypto::Declined)
        .expect("the component instantiates")
}

/// The 500 concurrent echoes in `instance`; `crypto` names whose crypto it uses.
fn concurrent_echoes(mut instance: ClientInstance, crypto: &str) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let pki = DemoPki::generate();
    let server = NodeServer::start(&NodeServerConfig::serving(&pki.server));
    let before = instance.guest_memory_bytes();
    let started = Instant::now();
    let mut conns: Vec<Conn> = (0..CONCURRENT)
        .map(|index| {
            let stream =
                TcpStream::connect(("127.0.0.1", server.port())).expect("server reachable");
            stream.set_nodelay(true).unwrap();
            stream.set_nonblocking(true).unwrap();
            let socket = instance
                .start(options_to(server.port(), &pki.ca_pem))
                .expect("no trap")
                .expect("start");
            Conn {
                index,
                stream,
                socket,
                out: Vec::new(),
                expected: payload(index),
                received: 0,
                ended: false,
                write_shut: false,
                peer_ended: false,
            }
        })
        .collect();
    let mut buf = vec![0u8; 64 * 1024];
    let deadline = started + CONCURRENT_LIMIT;
    let (mut passes, mut idle_passes) = (0usize, 0usize);
    // Bounded by the deadline; a pass where nothing moved sleeps a millisecond.
    while conns.iter().any(|c| !c.done()) {
        assert!(
            Instant::now() < deadline,
            "{} connections unfinished after {CONCURRENT_LIMIT:?}",
            conns.iter().filter(|c| !c.done()).count()
        );
        passes += 1;
        let mut moved = false;
        for conn in conns.iter_mut().filter(|c| !c.done()) {
            moved |= conn.turn(&mut instance, &mut buf);
        }
        if !moved {
            idle_passes += 1;
            thread::sleep(Duration::from_millis(1));
        }
    }
    let took = started.elapsed();
    let peak = instance.guest_memory_bytes();
    for conn in conns {
        assert_eq!(conn.received, ECHO_BYTES, "connection {}", conn.index);
        instance.drop_socket(conn.socket).expect("no trap");
    }
    // The instance still connects once all 500 are gone.
    let echo = support::drive::attached(
        &mut instance,
        options_to(server.port(), &pki.ca_pem),
        &support::drive::Plan {
            send: b"after the load".to_vec(),
            ..Default::default()
        },
    )
    .expect("no trap");
    assert_eq!(echo.data, b"after the load");
    let mib = (2 * CONCURRENT * ECHO_BYTES) as f64 / (1024.0 * 1024.0);
    println!(
        "{CONCURRENT} concurrent connections, {} KiB echoed each, {crypto}: {took:?} ({:.1} MiB through the guest, {:.1} MiB/s; {passes} passes, {idle_passes} idle); guest memory {} KiB before, {} KiB peak",
        ECHO_BYTES / 1024,
        mib,
        mib / took.as_secs_f64(),
        before / 1024,
        peak / 1024
    );
}

#[test]
fn ten_thousand_sequential_connections_keep_guest_memory_flat() {
    sequential(instance(), SEQUENTIAL, "the host's crypto");
}

#[test]
fn ten_thousand_sequential_connections_with_the_guest_doing_all_crypto() {
    sequential(
        guest_crypto_instance(),
        SEQUENTIAL,
        "the guest's own crypto",
    );
}

/// `count` sequential connections in `instance`, each echoing a line; the
/// guest's memory after the last must be within [`GROWTH_BOUND`] of what it was
/// after [`BASELINE_AFTER`], and the host must hold no more resources.
fn sequential(mut instance: ClientInstance, count: usize, crypto: &str) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let pki = DemoPki::generate();
    let server = EchoServer::start(EchoServerConfig {
        cert_chain_pem: pki.server.cert_pem.clone(),
        key_pem: pki.server.key_pem.clone(),
        ..EchoServerConfig::default()
    })
    .expect("echo server starts");
    let started = Instant::now();
    let (mut baseline, mut baseline_resources) = (0, 0);
    for n in 0..count {
        let socket = instance
            .connect(options_to(server.port(), &pki.ca_pem))
            .expect("no trap")
            .unwrap_or_else(|e| panic!("connection {n}: {e:?}"));
        let message = format!("connection {n}");
        assert_eq!(
            echo_attached(&mut instance, &socket, message.as_bytes()),
            message.as_bytes()
        );
        instance
            .socket(&socket)
            .end()
            .expect("no trap")
            .expect("end");
        instance.socket(&socket).destroy().expect("no trap");
        instance.drop_socket(socket).expect("no trap");
        if n + 1 == BASELINE_AFTER {
            baseline = instance.guest_memory_bytes();
            baseline_resources = instance.host_resources();
        }
    }
    let took = started.elapsed();
    let last = instance.guest_memory_bytes();
    assert_eq!(
        instance.lent_streams(),
        (0, 0),
        "a transport stream was left behind"
    );
    assert_eq!(
        instance.host_resources(),
        baseline_resources,
        "the host holds more resources than after {BASELINE_AFTER} connections"
    );
    println!(
        "{count} sequential connections, {crypto}: {took:?} ({:.2} ms each); guest memory {} KiB after {BASELINE_AFTER}, {} KiB after {count}",
        took.as_secs_f64() * 1000.0 / count as f64,
        baseline / 1024,
        last / 1024
    );
    assert!(
        last <= baseline + GROWTH_BOUND,
        "guest memory grew from {baseline} to {last} bytes"
    );
}
