//! A host that offers WASI 0.2 alone: tls-connect composed with the wasi:sockets
//! transport adapter and the `tls-echo` plugin imports nothing else, and a
//! wasmtime host with only wasmtime-wasi (TCP allowed to loopback addresses
//! only) runs Node's documentation echo against Node's `tls.createServer`.

mod support;

use std::time::Duration;

use host_example::command::WasiTcp;
use support::composed::{echo_wasi_only, run, stderr, stdout};
use support::peers::{free_port, NodeServer, NodeServerConfig};
use test_pki::DemoPki;

const WAIT: Duration = Duration::from_secs(20);

/// The credentials of Node's example, as the plugin takes them.
fn env(pki: &DemoPki) -> Vec<(&str, &str)> {
    vec![
        ("TLS_CONNECT_CA", pki.ca_pem.as_str()),
        ("TLS_CONNECT_CERT", pki.client.cert_pem.as_str()),
        ("TLS_CONNECT_KEY", pki.client.key_pem.as_str()),
    ]
}

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
        &env(&pki),
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

#[test]
fn refused_connection_is_reported_as_node_does() {
    let pki = DemoPki::generate();
    let port = free_port();
    let finished = run(
        echo_wasi_only(),
        &[
            "tls-echo",
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
        ],
        &env(&pki),
        b"",
        WasiTcp::Loopback,
    );
    assert_eq!(finished.status, 1);
    assert_eq!(
        stderr(&finished).trim_end(),
        format!("ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:{port}")
    );
}

#[test]
fn the_host_keeps_connections_on_loopback() {
    let pki = DemoPki::generate();
    // A documentation address (TEST-NET-1): refused by the host's check before
    // any packet leaves, as Node reports a denied connect.
    let finished = run(
        echo_wasi_only(),
        &["tls-echo", "--host", "192.0.2.1", "--port", "443"],
        &env(&pki),
        b"",
        WasiTcp::Loopback,
    );
    assert_eq!(finished.status, 1);
    assert_eq!(
        stderr(&finished).trim_end(),
        "EACCES: connect EACCES 192.0.2.1:443"
    );
}
