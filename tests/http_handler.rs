//! The edge function: `examples/http-handler`, a wasi:http incoming handler,
//! composed with tls-connect and the wasi:sockets adapter into one component
//! that imports only WASI, served by host-example's wasi:http server (one
//! instance per request, TCP to loopback only). Each request names a Node TLS
//! echo server that requires client certificates; the handler answers with
//! what came back, or with Node's error as a 502.
//!
//! `per_request_time` prints the composition's size and the median request:
//! `cargo test --release --test http_handler -- --nocapture` (with the
//! environment `make test` sets).

mod support;

use std::thread;
use std::time::{Duration, Instant};

use serde_json::json;
use support::composed::client_env;
use support::drive::Plan;
use support::http::{handler_path, load_handler, post, serve};
use support::oracle::{node_connect, NodeClient};
use support::peers::{free_port, NodeServer, NodeServerConfig};
use test_pki::DemoPki;

const WAIT: Duration = Duration::from_secs(20);

/// Timed requests in `per_request_time`, after one untimed warm-up.
const ROUNDS: usize = 15;

/// The pause before each timed request, so that every sample starts from an
/// idle server (the machine has 2 cores).
const SETTLE: Duration = Duration::from_millis(20);

/// Node's own `tls.connect()` against `port` with the handler's CA: the error
/// the handler must report.
fn node_error(host: &str, port: u16, pki: &DemoPki) -> serde_json::Value {
    let client = NodeClient {
        host: Some(host.to_owned()),
        port,
        ca_pem: Some(pki.ca_pem.clone()),
        ..NodeClient::default()
    };
    let failure = node_connect(&client, &Plan::default())
        .error
        .expect("Node's client fails");
    json!({ "code": failure.code, "message": failure.message })
}

#[test]
fn exports_the_handler_and_imports_nothing_but_wasi() {
    let handler = load_handler(&[]);
    let exports = handler.export_names();
    assert_eq!(exports, ["wasi:http/incoming-handler@0.2.12"]);
    let imports = handler.import_names();
    assert!(
        imports.iter().any(|n| n.starts_with("wasi:sockets/tcp@")),
        "{imports:?}"
    );
    let foreign: Vec<_> = imports.iter().filter(|n| !n.starts_with("wasi:")).collect();
    assert!(foreign.is_empty(), "imports beyond WASI: {foreign:?}");
}

#[test]
fn echoes_through_an_mtls_backend() {
    let pki = DemoPki::generate();
    let backend = NodeServer::start(&NodeServerConfig::requiring_client_certificates(&pki));
    let served = serve(&client_env(&pki));
    let query = format!(
        "/echo?host=localhost&port={}&servername=localhost",
        backend.port()
    );
    let answer = post(served.addr(), &query, b"hello\n");
    assert_eq!(answer.status, 200, "{:?}", answer.json());
    assert_eq!(answer.header("content-type"), Some("application/json"));
    assert_eq!(
        answer.json(),
        json!({
            "authorized": true,
            "authorizationError": null,
            "protocol": "TLSv1.3",
            "echo": "hello\n",
        })
    );
    let timing = answer
        .header("server-timing")
        .expect("a Server-Timing header");
    assert!(timing.starts_with("tls;dur="), "{timing}");
    // The backend saw the handler's client certificate, and the SNI asked for.
    let seen = backend.expect_demo_client(WAIT);
    assert_eq!(seen.protocol.as_deref(), Some("TLSv1.3"));
    assert_eq!(seen.servername.as_deref(), Some("localhost"));
}

#[test]
fn a_refused_server_certificate_is_a_502_with_nodes_error() {
    let pki = DemoPki::generate();
    // A server whose certificate another CA issued: the handler trusts only pki's.
    let stranger = DemoPki::generate();
    let backend = NodeServer::start(&NodeServerConfig::serving(&stranger.server));
    let expected = node_error("localhost", backend.port(), &pki);
    assert_eq!(expected["code"], "UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    let served = serve(&client_env(&pki));
    let query = format!("/?host=localhost&port={}", backend.port());
    let answer = post(served.addr(), &query, b"never sent");
    assert_eq!(answer.status, 502);
    assert_eq!(answer.json(), expected);
    assert_eq!(answer.header("server-timing"), None);
}

#[test]
fn a_refused_connection_is_a_502_with_econnrefused() {
    let pki = DemoPki::generate();
    let port = free_port();
    let expected = node_error("127.0.0.1", port, &pki);
    assert_eq!(expected["code"], "ECONNREFUSED");
    let served = serve(&client_env(&pki));
    let answer = post(served.addr(), &format!("/?host=127.0.0.1&port={port}"), b"");
    assert_eq!(answer.status, 502);
    assert_eq!(answer.json(), expected);
}

#[test]
fn bad_requests_and_forbidden_backends_are_answered() {
    let served = serve(&[]);
    let answer = post(served.addr(), "/?host=localhost", b"");
    assert_eq!(answer.status, 400);
    let message = answer.json()["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.starts_with("no port"), "{message}");
    assert_eq!(post(served.addr(), "/?port=1&port=2", b"").status, 400);
    let too_long = vec![b'x'; 1024 * 1024 + 1];
    assert_eq!(post(served.addr(), "/?port=1", &too_long).status, 413);
    // The host allows loopback only: a documentation address (TEST-NET-1) is
    // refused before any packet leaves, as Node reports a denied connect.
    let answer = post(served.addr(), "/?host=192.0.2.1&port=443", b"");
    assert_eq!(answer.status, 502);
    assert_eq!(
        answer.json(),
        json!({ "code": "EACCES", "message": "connect EACCES 192.0.2.1:443" })
    );
}

fn median(mut samples: Vec<f64>) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    (samples[samples.len() / 2], samples[0])
}

/// The composition's size and the time of one request, measured from the
/// client: HTTP to the server, a fresh instance, the TLS handshake with a
/// client certificate (guest crypto: a WASI-only host lends none), the echo,
/// the answer. Printed, not asserted.
#[test]
fn per_request_time() {
    let pki = DemoPki::generate();
    let backend = NodeServer::start(&NodeServerConfig::requiring_client_certificates(&pki));
    let served = serve(&client_env(&pki));
    let query = format!("/?host=localhost&port={}", backend.port());
    let (whole, handshakes): (Vec<f64>, Vec<f64>) = std::iter::repeat_with(|| {
        thread::sleep(SETTLE);
        let started = Instant::now();
        let answer = post(served.addr(), &query, b"ping\n");
        let took = started.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(answer.status, 200, "{:?}", answer.json());
        let handshake: f64 = answer
            .header("server-timing")
            .and_then(|t| t.strip_prefix("tls;dur="))
            .and_then(|ms| ms.parse().ok())
            .expect("Server-Timing: tls;dur=MS");
        (took, handshake)
    })
    .take(ROUNDS + 1)
    .skip(1)
    .unzip();
    let size = std::fs::metadata(handler_path())
        .expect("the composition")
        .len();
    let (request, fastest) = median(whole);
    let (handshake, _) = median(handshakes);
    println!(
        "http-handler + tls-connect + wasi:sockets adapter: {size} bytes; \
         per request median {request:.2} ms (min {fastest:.2} ms) of {ROUNDS}, \
         of which the handshake (its Server-Timing) {handshake:.2} ms"
    );
}
