//! A host that offers WASI 0.2 alone: tls-connect composed with the wasi:sockets
//! transport adapter and the `tls-echo` plugin imports nothing else, and a
//! wasmtime host with only wasmtime-wasi (TCP allowed to loopback addresses
//! only) runs Node's documentation echo against Node's `tls.createServer`.

mod support;

use std::time::Duration;

use host_example::command::WasiTcp;
use support::composed::{client_env, echo_wasi_only, run, stderr, stdout};
use support::peers::{free_port, NodeServer, NodeServerConfig};
use test_pki::DemoPki;

const WAIT: Duration = Duration::from_secs(20);

#[test]
fn imports_nothing_but_wasi() {
    let imports = echo_wasi_only().import_names();
    assert!(
        imports
            .iter()
            .any(|name| name.starts_with("wasi:sockets/tcp@")),
        "{imports:?}"
    );
    let foreign: Vec<_> = imports.iter().filter(|n| !n.starts_with("wasi:")).collect();
    assert!(foreign.is_empty(), "imports beyond WASI: {foreign:?}");
}

#[test]
fn documentation_echo_over_wasi_sockets() {
    let pki = DemoPki::generate();
    let server = NodeServer::start(&NodeServerConfig::requiring_client_certificates(&pki));
    let port = server.port().to_string();
    // `localhost`, as in Node's example: resolved through wasi:sockets' name lookup.
    let finished = run(
        echo_wasi_only(),
        &["tls-echo", "--host", "localhost", "--port", &port],
        &client_env(&pki),
        b"hello\n",
        WasiTcp::Loopback,
    );
    assert_eq!(finished.status, 0, "stderr: {}", stderr(&finished));
    assert_eq!(
        stdout(&finished),
        "client connected authorized\nhello\nserver ends connection\n"
    );
    let seen = server.expect_demo_client(WAIT);
    assert_eq!(seen.protocol.as_deref(), Some("TLSv1.3"));
}

/// Runs the echo plugin to `host`:`port` with nothing on stdin, which must
/// fail (exit status 1): what it printed on stderr.
fn failed_echo(pki: &DemoPki, host: &str, port: &str) -> String {
    let finished = run(
        echo_wasi_only(),
        &["tls-echo", "--host", host, "--port", port],
        &client_env(pki),
        b"",
        WasiTcp::Loopback,
    );
    assert_eq!(finished.status, 1);
    stderr(&finished).trim_end().to_owned()
}

#[test]
fn refused_connection_is_reported_as_node_does() {
    let pki = DemoPki::generate();
    let port = free_port();
    assert_eq!(
        failed_echo(&pki, "127.0.0.1", &port.to_string()),
        format!("ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:{port}")
    );
}

#[test]
fn the_host_keeps_connections_on_loopback() {
    let pki = DemoPki::generate();
    // A documentation address (TEST-NET-1): refused by the host's check before
    // any packet leaves, as Node reports a denied connect.
    assert_eq!(
        failed_echo(&pki, "192.0.2.1", "443"),
        "EACCES: connect EACCES 192.0.2.1:443"
    );
}
