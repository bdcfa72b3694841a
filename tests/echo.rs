//! Node's documentation echo client, on the component in wasmtime, against
//! Node's own `tls.createServer`, `openssl s_server` and a rustls server, all
//! requiring a client certificate. Covers both ways of driving a socket.

mod support;

use std::io::Cursor;
use std::time::Duration;

use host_example::echo_client::{self, EchoReport};
use host_example::echo_server::{EchoServer, EchoServerConfig};
use host_example::transport::NetStream;
use host_example::{ClientInstance, TlsSocket};
use support::component::{echo_attached, instance, options_to, with_client_cert};
use support::peers::{NodeServer, NodeServerConfig, OpenSslServer};
use test_pki::{DemoPki, TempDir};

const WAIT: Duration = Duration::from_secs(20);

fn client_options(pki: &DemoPki, port: u16) -> host_example::ConnectOptions {
    let mut options = with_client_cert(
        options_to(port, &pki.ca_pem),
        &pki.client.cert_pem,
        &pki.client.key_pem,
    );
    // The server certificate is for localhost, as in Node's example.
    options.host = Some("localhost".into());
    options
}

/// A new instance and its socket, connected (attached) to 127.0.0.1:`port`
/// with the demo client's options.
fn connected(pki: &DemoPki, port: u16) -> (ClientInstance, TlsSocket) {
    let mut instance = instance();
    let socket = instance
        .connect(client_options(pki, port))
        .expect("no trap")
        .expect("connects");
    (instance, socket)
}

/// The documentation's echo client, driven sans-IO, with `input` as its stdin:
/// what it printed, and its report.
fn sans_io_echo(pki: &DemoPki, port: u16, input: &[u8]) -> (String, EchoReport) {
    let mut instance = instance();
    let stream = NetStream::dial("127.0.0.1", port, None).expect("server reachable");
    let mut printed = Vec::new();
    let report = echo_client::run(
        &mut instance,
        client_options(pki, port),
        stream,
        Cursor::new(input.to_vec()),
        &mut printed,
    )
    .expect("echo succeeds");
    (String::from_utf8(printed).expect("text"), report)
}

#[test]
fn documentation_example_against_node_server() {
    let pki = DemoPki::generate();
    let server = NodeServer::start(&NodeServerConfig::requiring_client_certificates(&pki));
    let (printed, report) = sans_io_echo(&pki, server.port(), b"hello\n");
    assert_eq!(
        printed,
        "client connected authorized\nhello\nserver ends connection\n"
    );
    assert!(report.authorized);
    assert_eq!(report.authorization_error, None);
    server.expect_demo_client(WAIT);
}

#[test]
fn attached_echo_against_openssl_s_server() {
    let pki = DemoPki::generate();
    let dir = TempDir::new("openssl-echo");
    let cert = dir.write("server.pem", &pki.server.cert_pem);
    let key = dir.write("server-key.pem", &pki.server.key_pem);
    let ca = dir.write("ca.pem", &pki.ca_pem);
    let server = OpenSslServer::start(&cert, &key, Some(&ca), &[]);
    let (mut instance, socket) = connected(&pki, server.port());
    assert!(instance.socket(&socket).authorized().unwrap());
    // s_server -rev answers each line reversed.
    let echoed = echo_attached(&mut instance, &socket, b"hello\n");
    assert_eq!(echoed, b"olleh\n");
    instance.socket(&socket).end().unwrap().unwrap();
}

fn rustls_server(pki: &DemoPki, alpn: Vec<Vec<u8>>) -> EchoServer {
    EchoServer::start(EchoServerConfig {
        cert_chain_pem: pki.server.cert_pem.clone(),
        key_pem: pki.server.key_pem.clone(),
        client_ca_pem: Some(pki.ca_pem.clone()),
        alpn,
    })
    .expect("server starts")
}

#[test]
fn attached_echo_against_rustls_server() {
    let pki = DemoPki::generate();
    let server = rustls_server(&pki, Vec::new());
    let (mut instance, socket) = connected(&pki, server.port());
    let mut calls = instance.socket(&socket);
    assert!(calls.authorized().unwrap());
    assert_eq!(calls.authorization_error().unwrap(), None);
    assert_eq!(calls.get_protocol().unwrap().as_deref(), Some("TLSv1.3"));
    let cipher = calls.get_cipher().unwrap().expect("a cipher");
    assert_eq!(cipher.name, "TLS_CHACHA20_POLY1305_SHA256");
    assert_eq!(cipher.standard_name, "TLS_CHACHA20_POLY1305_SHA256");
    assert_eq!(cipher.version, "TLSv1.3");
    let message = vec![7u8; 200_000];
    assert_eq!(echo_attached(&mut instance, &socket, &message), message);
    // end() sends close_notify; the server answers with its own end.
    instance.socket(&socket).end().unwrap().unwrap();
    let rest = instance.socket(&socket).read(1024).unwrap().unwrap();
    assert!(rest.is_empty(), "the server ended after our close_notify");
    let report = server.next_report(WAIT).expect("server report");
    assert!(
        report.client_cert_der.is_some(),
        "the server saw the client certificate"
    );
}

#[test]
fn sans_io_echo_against_rustls_server() {
    let pki = DemoPki::generate();
    let server = rustls_server(&pki, Vec::new());
    let (printed, report) = sans_io_echo(&pki, server.port(), b"one\ntwo\n");
    assert_eq!(
        printed,
        "client connected authorized\none\ntwo\nserver ends connection\n"
    );
    assert_eq!(report.received, b"one\ntwo\n");
    assert!(report.server_ended);
}

#[test]
fn peer_certificate_has_node_shape() {
    let pki = DemoPki::generate();
    let server = rustls_server(&pki, Vec::new());
    let (mut instance, socket) = connected(&pki, server.port());
    let chain = instance
        .socket(&socket)
        .get_peer_certificate(false)
        .unwrap()
        .expect("not destroyed");
    assert_eq!(chain.len(), 1);
    let leaf = &chain[0];
    assert_eq!(leaf.raw, pki.server.cert_der);
    assert!(leaf
        .subjectaltname
        .as_deref()
        .unwrap()
        .contains("DNS:localhost"));
    assert!(leaf.valid_from.ends_with(" GMT"));
    assert_eq!(leaf.fingerprint256.len(), 32 * 3 - 1);
    assert!(!leaf.serial_number.is_empty());
    instance.socket(&socket).destroy().unwrap();
    assert!(instance
        .socket(&socket)
        .get_peer_certificate(false)
        .unwrap()
        .is_none());
    assert_eq!(instance.socket(&socket).get_protocol().unwrap(), None);
}
