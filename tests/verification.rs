//! Verification outcomes with Node's codes and messages, each with
//! rejectUnauthorized true (the connection is refused with the code) and false
//! (it connects, `authorized` is false, `authorizationError` is the code, and
//! data still flows). The server is a local rustls echo server, and Node's own
//! `tls.connect()` is asked first, so the expected code is Node's, not ours.

mod support;

use host_example::echo_server::{EchoServer, EchoServerConfig};
use host_example::{ConnectOptions, Pem};
use support::component::{echo_attached, instance, options};
use support::connect::authorization;
use support::drive::Plan;
use support::matrix::hinted;
use support::oracle::{node_connect, NodeClient};
use support::scenarios::{self, Scenario};

fn server_for(scenario: &Scenario) -> EchoServer {
    EchoServer::start(EchoServerConfig {
        cert_chain_pem: scenario.server_chain_pem.clone(),
        key_pem: scenario.server_key_pem.clone(),
        client_ca_pem: None,
        alpn: Vec::new(),
    })
    .expect("server starts")
}

fn options_for(scenario: &Scenario, port: u16, reject_unauthorized: bool) -> ConnectOptions {
    ConnectOptions {
        host: Some("localhost".into()),
        port: Some(u32::from(port)),
        ca: scenario
            .client_ca_pem
            .clone()
            .map(|pem| vec![Pem::Text(pem)]),
        reject_unauthorized: Some(reject_unauthorized),
        ..options()
    }
}

/// What Node's `tls.connect()` reports against `port` for this scenario: its
/// error's code and message, or `None` when it connected.
fn node_says(scenario: &Scenario, port: u16) -> Option<(String, String)> {
    let client = NodeClient {
        host: Some("localhost".into()),
        port,
        ca_pem: scenario.client_ca_pem.clone(),
        ..NodeClient::default()
    };
    // A ping echoed back, so that a connection that succeeds also ends.
    let plan = Plan {
        send: b"ping".to_vec(),
        ..Plan::default()
    };
    node_connect(&client, &plan)
        .error
        .map(|failure| (failure.code, failure.message))
}

/// Refused with `code` and `message`, as Node refuses it; accepted without
/// rejectUnauthorized.
fn check_outcome(scenario: Scenario, code: &str, message: &str) {
    let server = server_for(&scenario);
    assert_eq!(
        node_says(&scenario, server.port()),
        Some((code.to_owned(), message.to_owned())),
        "Node disagrees with the expected outcome"
    );
    let mut instance = instance();
    let err = instance
        .connect(options_for(&scenario, server.port(), true))
        .expect("no trap")
        .err()
        .unwrap_or_else(|| panic!("{code}: the connection was not refused"));
    assert_eq!(err.code, code);
    assert_eq!(err.message, message);

    let socket = instance
        .connect(options_for(&scenario, server.port(), false))
        .expect("no trap")
        .expect("connects without rejectUnauthorized");
    assert_eq!(
        authorization(&mut instance, &socket),
        (false, Some(code.to_owned()))
    );
    assert_eq!(
        echo_attached(&mut instance, &socket, b"still flows"),
        b"still flows"
    );
}

#[test]
fn trusted_chain_is_authorized() {
    for scenario in [scenarios::good(), scenarios::chain()] {
        let server = server_for(&scenario);
        assert_eq!(node_says(&scenario, server.port()), None);
        let mut instance = instance();
        let socket = instance
            .connect(options_for(&scenario, server.port(), true))
            .expect("no trap")
            .expect("connects");
        assert_eq!(authorization(&mut instance, &socket), (true, None));
    }
}

#[test]
fn self_signed_leaf() {
    check_outcome(
        scenarios::self_signed(),
        "DEPTH_ZERO_SELF_SIGNED_CERT",
        &hinted("self-signed certificate"),
    );
}

#[test]
fn unknown_issuer() {
    check_outcome(
        scenarios::unknown_issuer(),
        "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        &hinted("unable to verify the first certificate"),
    );
}

#[test]
fn missing_intermediate() {
    check_outcome(
        scenarios::missing_intermediate(),
        "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        &hinted("unable to verify the first certificate"),
    );
}

#[test]
fn expired_certificate() {
    check_outcome(
        scenarios::expired(),
        "CERT_HAS_EXPIRED",
        "certificate has expired",
    );
}

#[test]
fn name_mismatch() {
    let scenario = scenarios::wrong_name();
    let server = server_for(&scenario);
    let mut instance = instance();
    let err = instance
        .connect(options_for(&scenario, server.port(), true))
        .expect("no trap")
        .expect_err("refused");
    assert_eq!(err.code, "ERR_TLS_CERT_ALTNAME_INVALID");
    assert_eq!(
        err.message,
        "Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:other.test"
    );
    assert_eq!(err.host.as_deref(), Some("localhost"));
    check_outcome(scenario, "ERR_TLS_CERT_ALTNAME_INVALID", &err.message);
}

#[test]
fn unknown_root_behind_an_intermediate() {
    check_outcome(
        scenarios::unknown_root_behind_intermediate(),
        "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
        "unable to get local issuer certificate",
    );
}

#[test]
fn self_signed_root_in_the_chain() {
    check_outcome(
        scenarios::self_signed_root_in_chain(),
        "SELF_SIGNED_CERT_IN_CHAIN",
        "self-signed certificate in certificate chain",
    );
}

#[test]
fn not_yet_valid_certificate() {
    check_outcome(
        scenarios::not_yet_valid(),
        "CERT_NOT_YET_VALID",
        "certificate is not yet valid",
    );
}
