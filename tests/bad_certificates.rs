//! The bad-certificate matrix: each bad certificate (made here, never
//! downloaded) is served by Node's own `tls.createServer`; Node 26's own
//! `tls.connect()` is asked first, and must answer as the case says; then the
//! component, with rejectUnauthorized true, driven sans-IO (it writes before the
//! handshake) and attached, must be refused with Node's code and message, and
//! the server must have received no plaintext. A trusted chain is the control:
//! it connects, and the server receives everything written. All cases run in
//! one instance; the test prints the verdict for each, and the counts.
//!
//! Where the component cannot answer as Node does, the case is still refused,
//! and the test asserts the component's actual answer, so that it fails if that
//! changes (`bad_certs::Difference`). With Node 26 as the reference there is no
//! such case: the RSA 1024 leaf, which Node 20 accepted at OpenSSL's security
//! level 1, Node 26 refuses at its level 2 as ring does.

mod support;

use std::fmt::Write as _;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use host_example::ClientInstance;
use support::bad_certs::{self, Case, Difference};
use support::component::instance;
use support::drive::{self, Plan};
use support::matrix::{assert_all_held, show, table_line, verdict_of, Verdict};
use support::oracle::{node_connect, NodeClient};
use support::peers::{NodeServer, NodeServerConfig};

/// Written by the component before the handshake completes.
const EARLY: &[u8] = b"application data written before the handshake";

/// Written after `'secureConnect'`, by Node's client and the component alike.
const PING: &[u8] = b"ping";

/// How long the server may take to report a connection's end.
const WAIT: Duration = Duration::from_secs(10);

/// Node's `ciphers` that raise OpenSSL's security level from Node's default 1 to 2.
const LEVEL_2: &str = "DEFAULT@SECLEVEL=2";

/// What one case came to.
struct Row {
    name: &'static str,
    node: Verdict,
    /// The component's verdict (sans-IO); `None`: not tried.
    ours: Option<Verdict>,
    /// What the server saw of the sans-IO client.
    server: Option<ServerSaw>,
    /// Why the component's answer is not Node's, where it is not.
    why: Option<&'static str>,
    /// Each way the case did not hold.
    failures: Vec<String>,
}

/// What the server saw of one connection, once it ended.
#[derive(Debug, Clone, Copy)]
struct ServerSaw {
    /// Its handshake completed (the client's Finished arrived).
    handshake_done: bool,
    /// Plaintext bytes it received.
    plaintext: u64,
}

/// Waits for the server's report of one connection's end.
fn server_saw(server: &NodeServer) -> ServerSaw {
    let mut handshake_done = false;
    // Bounded: each wait is at most WAIT, and a connection reports a few events.
    for _ in 0..8 {
        let Some(event) = server.next_event(WAIT) else {
            break;
        };
        handshake_done |= event.protocol.is_some();
        if let Some(plaintext) = event.plaintext_received {
            return ServerSaw {
                handshake_done,
                plaintext,
            };
        }
        if event.tls_client_error.is_some() {
            return ServerSaw {
                handshake_done,
                plaintext: 0,
            };
        }
    }
    panic!("the server did not report the connection's end within {WAIT:?}");
}

/// Runs one case: Node first, then the component both ways.
fn run(case: Case, instance: &mut ClientInstance) -> Row {
    let server = NodeServer::start(&NodeServerConfig {
        key: case.server_key_pem.clone(),
        cert: case.server_chain_pem.clone(),
        ciphers: case.server_ciphers.clone(),
        ..NodeServerConfig::default()
    });
    let port = server.port();
    let mut failures = Vec::new();
    let ping = Plan {
        send: PING.to_vec(),
        ..Plan::default()
    };
    let node_client = case.trust().node_client(port);
    let node = verdict_of(&node_connect(&node_client, &ping));
    server_saw(&server);
    if node != case.node {
        failures.push(format!("Node answers {}", show(&node)));
    }
    let why = case.difference.as_ref().map(|difference| match difference {
        Difference::Answers { why, .. } | Difference::NotTried { why } => *why,
    });
    let expected = match &case.difference {
        None => case.node.clone(),
        Some(Difference::NotTried { .. }) => {
            return Row {
                name: case.name,
                node,
                ours: None,
                server: None,
                why,
                failures,
            };
        }
        Some(Difference::Answers {
            ours,
            node_at_level_2,
            ..
        }) => {
            if let Some(strict) = node_at_level_2 {
                let client = NodeClient {
                    ciphers: Some(LEVEL_2.into()),
                    ..node_client.clone()
                };
                let answer = verdict_of(&node_connect(&client, &ping));
                server_saw(&server);
                if &answer != strict {
                    failures.push(format!("Node at level 2 answers {}", show(&answer)));
                }
            }
            ours.clone()
        }
    };

    let stream = TcpStream::connect(("127.0.0.1", port)).expect("server reachable");
    let early = Plan {
        write_first: EARLY.to_vec(),
        ..ping.clone()
    };
    let ours = verdict_of(
        &drive::sans_io(instance, case.trust().options(None, true), stream, &early)
            .expect("no trap"),
    );
    let saw = server_saw(&server);
    if ours != expected {
        failures.push(format!("sans-IO answers {}", show(&ours)));
    }
    let allowed = match expected {
        Some(_) => 0,
        None => (EARLY.len() + PING.len()) as u64,
    };
    if saw.plaintext != allowed {
        failures.push(format!(
            "the server received {} plaintext bytes, not {allowed}",
            saw.plaintext
        ));
    }

    let attached = verdict_of(
        &drive::attached(instance, case.trust().options(Some(port), true), &ping).expect("no trap"),
    );
    server_saw(&server);
    if attached != expected {
        failures.push(format!("attached answers {}", show(&attached)));
    }
    Row {
        name: case.name,
        node,
        ours: Some(ours),
        server: Some(saw),
        why,
        failures,
    }
}

/// One line of the verdict table (and the reason for a difference).
fn line(out: &mut String, row: &Row) {
    let ours = row.ours.as_ref().map_or("not tried".to_owned(), show);
    let server = row.server.map_or("-".to_owned(), |saw| {
        let handshake = if saw.handshake_done {
            "done"
        } else {
            "not done"
        };
        format!("handshake {handshake}, {} plaintext bytes", saw.plaintext)
    });
    let seen = format!("server: {server}");
    let line = table_line(row.name, &row.node, &ours, &seen, &row.failures);
    let _ = writeln!(out, "{line}");
    if let Some(why) = row.why {
        let _ = writeln!(out, "      differs from Node: {why}");
    }
}

/// The verdict table and the counts over the bad certificates (not the control).
fn summary(control: &Row, rows: &[Row], elapsed: Duration) -> String {
    let mut out = String::from("\nbad-certificate matrix (rejectUnauthorized true)\n");
    line(&mut out, control);
    for row in rows {
        line(&mut out, row);
    }
    let tried: Vec<&Verdict> = rows.iter().filter_map(|row| row.ours.as_ref()).collect();
    let refused = tried.iter().filter(|ours| ours.is_some()).count();
    let matched = rows
        .iter()
        .filter(|row| row.ours.as_ref() == Some(&row.node))
        .count();
    let leaked = rows
        .iter()
        .filter(|row| matches!(row.ours, Some(Some(_))))
        .filter_map(|row| row.server)
        .map(|saw| saw.plaintext)
        .sum::<u64>();
    let _ = writeln!(
        out,
        "cases: {}; tried: {}; refused: {refused}; same code and message as Node: {matched}; \
         plaintext the server received from refused clients: {leaked} bytes; {:.1} s",
        rows.len(),
        tried.len(),
        elapsed.as_secs_f64()
    );
    out
}

#[test]
fn every_bad_certificate_is_refused_as_node_refuses_it() {
    let started = Instant::now();
    let mut instance = instance();
    let control = run(bad_certs::control(), &mut instance);
    let rows: Vec<Row> = bad_certs::all()
        .into_iter()
        .map(|case| run(case, &mut instance))
        .collect();
    println!("{}", summary(&control, &rows, started.elapsed()));
    assert_all_held(
        std::iter::once(&control)
            .chain(&rows)
            .map(|row| (row.name, &row.failures[..])),
    );
}
