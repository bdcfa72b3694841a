//! SNI is sent only when `servername` is given, exactly as given; ALPN is
//! negotiated, and `alpnProtocol` is false (`None`) without it. Checked against
//! Node's `tls.createServer`, which reports what it saw.

mod support;

use std::time::Duration;

use host_example::{AlpnProtocols, ClientInstance, ConnectOptions, TlsSocket};
use support::component::{instance, options_to};
use support::peers::{NodeServer, NodeServerConfig};
use test_pki::DemoPki;

const WAIT: Duration = Duration::from_secs(20);

fn node_server(pki: &DemoPki, alpn: &[&str]) -> NodeServer {
    NodeServer::start(&NodeServerConfig {
        alpn: alpn.iter().map(|p| p.to_string()).collect(),
        ..NodeServerConfig::serving(&pki.server)
    })
}

/// A new instance connected to `server`, trusting the demo CA, its options
/// changed by `set` first.
fn connected(
    pki: &DemoPki,
    server: &NodeServer,
    set: impl FnOnce(&mut ConnectOptions),
) -> (ClientInstance, TlsSocket) {
    let mut instance = instance();
    let mut options = options_to(server.port(), &pki.ca_pem);
    set(&mut options);
    let socket = instance.connect(options).unwrap().expect("connects");
    (instance, socket)
}

#[test]
fn no_servername_sends_no_sni() {
    let pki = DemoPki::generate();
    let server = node_server(&pki, &[]);
    let (mut instance, socket) = connected(&pki, &server, |o| o.host = Some("localhost".into()));
    assert_eq!(instance.socket(&socket).servername().unwrap(), None);
    let seen = server.next_event(WAIT).expect("server report");
    assert_eq!(seen.servername, None, "the server saw SNI: {seen:?}");
}

#[test]
fn servername_is_sent_exactly() {
    let pki = DemoPki::generate();
    let server = node_server(&pki, &[]);
    let (mut instance, socket) =
        connected(&pki, &server, |o| o.servername = Some("localhost".into()));
    assert_eq!(
        instance.socket(&socket).servername().unwrap().as_deref(),
        Some("localhost")
    );
    assert!(instance.socket(&socket).authorized().unwrap());
    let seen = server.next_event(WAIT).expect("server report");
    assert_eq!(seen.servername.as_deref(), Some("localhost"));
}

#[test]
fn alpn_is_negotiated_by_server_preference() {
    let pki = DemoPki::generate();
    let server = node_server(&pki, &["h2", "http/1.1"]);
    let (mut instance, socket) = connected(&pki, &server, |o| {
        o.host = Some("localhost".into());
        o.alpn_protocols = Some(AlpnProtocols::Wire(b"\x08http/1.1\x02h2".to_vec()));
    });
    assert_eq!(
        instance.socket(&socket).alpn_protocol().unwrap().as_deref(),
        Some("h2")
    );
    let seen = server.next_event(WAIT).expect("server report");
    assert_eq!(seen.alpn.as_deref(), Some("h2"));
}

#[test]
fn no_alpn_means_false() {
    let pki = DemoPki::generate();
    let server = node_server(&pki, &["h2"]);
    let (mut instance, socket) = connected(&pki, &server, |o| o.host = Some("localhost".into()));
    assert_eq!(instance.socket(&socket).alpn_protocol().unwrap(), None);
}
