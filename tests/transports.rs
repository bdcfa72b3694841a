//! The ways bytes reach the server: TCP by host and port, a Unix socket by
//! `path`, and a stream the caller already has (`socket`). And the transport's
//! own failures, named as Node names them.

mod support;

use std::net::TcpStream;

use host_example::echo_server::{EchoServer, EchoServerConfig};
use support::component::{echo_attached, instance, options, options_to};
use test_pki::{DemoPki, TempDir};

fn config(pki: &DemoPki) -> EchoServerConfig {
    EchoServerConfig {
        cert_chain_pem: pki.server.cert_pem.clone(),
        key_pem: pki.server.key_pem.clone(),
        client_ca_pem: None,
        alpn: Vec::new(),
    }
}

#[test]
fn unix_socket_path() {
    let pki = DemoPki::generate();
    let dir = TempDir::new("unix");
    let path = dir.path("echo.sock");
    let _server = EchoServer::start_unix(config(&pki), &path).expect("server starts");
    let mut instance = instance();
    let mut options = options_to(0, &pki.ca_pem);
    options.port = None;
    options.host = Some("localhost".into());
    options.path = Some(path.to_str().unwrap().to_owned());
    let socket = instance
        .connect(options)
        .unwrap()
        .expect("connects over the Unix socket");
    assert!(instance.socket(&socket).authorized().unwrap());
    assert_eq!(
        echo_attached(&mut instance, &socket, b"over unix"),
        b"over unix"
    );
}

#[test]
fn caller_supplied_stream() {
    let pki = DemoPki::generate();
    let server = EchoServer::start(config(&pki)).expect("server starts");
    let mut instance = instance();
    let stream = TcpStream::connect(("127.0.0.1", server.port())).unwrap();
    let lent = instance.lend(stream).unwrap();
    let mut options = options_to(0, &pki.ca_pem);
    // With `socket`, host and port only name what is verified.
    options.port = None;
    options.host = Some("localhost".into());
    options.socket = Some(lent);
    let socket = instance
        .connect(options)
        .unwrap()
        .expect("connects over the lent stream");
    assert!(instance.socket(&socket).authorized().unwrap());
    assert_eq!(echo_attached(&mut instance, &socket, b"lent"), b"lent");
}

#[test]
fn connection_refused_is_econnrefused() {
    // Bind then drop a listener: nothing listens on that port now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut instance = instance();
    let mut options = options();
    options.host = Some("127.0.0.1".into());
    options.port = Some(u32::from(port));
    let err = instance.connect(options).unwrap().expect_err("refused");
    assert_eq!(err.code, "ECONNREFUSED");
    assert_eq!(
        err.message,
        format!("connect ECONNREFUSED 127.0.0.1:{port}")
    );
}

#[test]
fn missing_port_and_path_is_node_error() {
    let mut instance = instance();
    let err = instance.connect(options()).unwrap().expect_err("refused");
    assert_eq!(err.code, "ERR_MISSING_ARGS");
    assert_eq!(
        err.message,
        "The \"options\" or \"port\" or \"path\" argument must be specified"
    );
}

#[test]
fn one_instance_serves_many_sockets_after_failures() {
    let pki = DemoPki::generate();
    let server = EchoServer::start(config(&pki)).expect("server starts");
    let mut instance = instance();
    for _ in 0..5 {
        // Untrusted: refused, and the instance stays usable.
        let mut untrusted = options();
        untrusted.host = Some("localhost".into());
        untrusted.port = Some(u32::from(server.port()));
        assert!(instance.connect(untrusted).unwrap().is_err());
    }
    let mut good = options_to(server.port(), &pki.ca_pem);
    good.host = Some("localhost".into());
    let socket = instance.connect(good).unwrap().expect("connects");
    assert_eq!(echo_attached(&mut instance, &socket, b"after"), b"after");
}
