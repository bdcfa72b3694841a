//! Sessions, the caller's identity check and the socket's events, in the
//! component run by wasmtime against Node's `tls.createServer`: Node's server
//! says whether it resumed, which keying material it exported and what it
//! received, so each assertion rests on what the real peer saw.

mod support;

use std::time::Duration;

use host_example::{
    ClientInstance, ConnectOptions, IdentityCheck, SocketEvent, TlsError, TlsSocket,
};
use support::component::{echo_attached, instance, options_to};
use support::connect::authorization;
use support::peers::{hex, NodeEvent, NodeServer, NodeServerConfig};
use test_pki::DemoPki;

const WAIT: Duration = Duration::from_secs(20);

/// Node's TLS echo server with the demo PKI's server identity, at `max_version`.
fn server(pki: &DemoPki, max_version: Option<&str>) -> NodeServer {
    NodeServer::start(&NodeServerConfig {
        max_version: max_version.map(str::to_owned),
        ..NodeServerConfig::serving(&pki.server)
    })
}

fn options(pki: &DemoPki, server: &NodeServer) -> ConnectOptions {
    ConnectOptions {
        host: Some("localhost".into()),
        ..options_to(server.port(), &pki.ca_pem)
    }
}

/// The next secure connection Node's server reports.
fn secure_event(server: &NodeServer) -> NodeEvent {
    server
        .next_event(WAIT)
        .expect("the server reports the connection")
}

/// Connects attached, echoes a message (so the server's tickets arrive), and
/// returns the socket with its events.
fn connect_and_echo(
    instance: &mut ClientInstance,
    options: ConnectOptions,
) -> (TlsSocket, Vec<SocketEvent>) {
    let socket = instance
        .connect(options)
        .expect("no trap")
        .expect("connects");
    assert_eq!(echo_attached(instance, &socket, b"ping"), b"ping");
    let events = instance.socket(&socket).take_events().expect("no trap");
    (socket, events)
}

fn sessions(events: &[SocketEvent]) -> Vec<Vec<u8>> {
    events
        .iter()
        .filter_map(|event| match event {
            SocketEvent::Session(handle) => Some(handle.clone()),
            _ => None,
        })
        .collect()
}

/// Node's client sees two `'session'` events from Node's TLS 1.3 server (one per
/// ticket) and one on TLS 1.2; ours the same, and each resumes.
#[test]
fn sessions_resume_on_tls13_and_tls12() {
    let pki = DemoPki::generate();
    for (max_version, tickets) in [(None, 2), (Some("TLSv1.2"), 1)] {
        let server = server(&pki, max_version);
        let mut instance = instance();
        let (first, events) = connect_and_echo(&mut instance, options(&pki, &server));
        let handles = sessions(&events);
        assert_eq!(handles.len(), tickets, "{max_version:?}: {events:?}");
        let mut calls = instance.socket(&first);
        assert!(!calls.is_session_reused().unwrap());
        assert_eq!(calls.get_session().unwrap().as_ref(), handles.last());
        assert_eq!(secure_event(&server).session_reused, Some(false));

        let resumed = ConnectOptions {
            session: handles.last().cloned(),
            ..options(&pki, &server)
        };
        let (second, _) = connect_and_echo(&mut instance, resumed);
        let mut calls = instance.socket(&second);
        assert!(calls.is_session_reused().unwrap(), "{max_version:?}");
        assert!(calls.authorized().unwrap());
        // Node's client shows no certificate on a resumed session.
        assert_eq!(
            calls.get_peer_certificate(false).unwrap().map(|c| c.len()),
            Some(0)
        );
        let seen = secure_event(&server);
        assert_eq!(seen.session_reused, Some(true), "{max_version:?}");

        // The same bytes resume again, as Node's do: on TLS 1.3 with the
        // family's other ticket (rustls uses each ticket once).
        let (third, _) = connect_and_echo(
            &mut instance,
            ConnectOptions {
                session: handles.last().cloned(),
                ..options(&pki, &server)
            },
        );
        assert!(
            instance.socket(&third).is_session_reused().unwrap(),
            "{max_version:?}"
        );
        assert_eq!(secure_event(&server).session_reused, Some(true));
    }
}

/// Junk, truncated and forged session bytes are ignored: a full handshake.
#[test]
fn junk_sessions_make_a_full_handshake() {
    let pki = DemoPki::generate();
    let server = server(&pki, None);
    let mut instance = instance();
    let (_, events) = connect_and_echo(&mut instance, options(&pki, &server));
    let mut forged = sessions(&events).pop().expect("a session");
    let last = forged.len() - 1;
    forged[last] ^= 0x55;
    for junk in [b"not a session".to_vec(), forged, Vec::new()] {
        let options = ConnectOptions {
            session: Some(junk),
            ..options(&pki, &server)
        };
        let (socket, _) = connect_and_echo(&mut instance, options);
        assert!(!instance.socket(&socket).is_session_reused().unwrap());
        assert!(instance.socket(&socket).authorized().unwrap());
    }
}

/// An attached connection to a new Node server, paused for the caller's
/// `checkServerIdentity` (the PKI and server live as long as the test).
fn connect_for_callers_check() -> (DemoPki, NodeServer, ClientInstance, TlsSocket) {
    let pki = DemoPki::generate();
    let server = server(&pki, None);
    let mut instance = instance();
    let options = ConnectOptions {
        identity_check: Some(IdentityCheck::Caller),
        ..options(&pki, &server)
    };
    let socket = instance.connect(options).unwrap().expect("handshake done");
    (pki, server, instance, socket)
}

/// The caller's `checkServerIdentity`: nothing written reaches the server until
/// the verdict; after an acceptance data flows.
#[test]
fn the_callers_identity_check_accepts() {
    let (_pki, _server, mut instance, socket) = connect_for_callers_check();
    let mut calls = instance.socket(&socket);
    assert!(!calls.authorized().unwrap());
    let chain = calls
        .get_peer_certificate(false)
        .unwrap()
        .expect("a certificate");
    assert_eq!(chain[0].subject[0], ("CN".into(), "localhost".into()));
    assert_eq!(
        calls.read(16).unwrap().unwrap_err().code,
        "ERR_TLS_INVALID_STATE"
    );
    let fed = calls.settle_identity(None).unwrap().expect("accepted");
    assert!(fed.secure_connect);
    assert!(instance.socket(&socket).authorized().unwrap());
    assert_eq!(echo_attached(&mut instance, &socket, b"after"), b"after");
}

/// A refusal by the caller's check is the caller's error, and the server gets
/// none of what was written before it.
#[test]
fn the_callers_identity_check_refuses() {
    let (_pki, server, mut instance, socket) = connect_for_callers_check();
    instance.socket(&socket).write(b"secret").unwrap().unwrap();
    let verdict = TlsError {
        code: "ERR_MY_CHECK".into(),
        message: "not the server I want".into(),
        reason: None,
        host: None,
    };
    let err = instance
        .socket(&socket)
        .settle_identity(Some(&verdict))
        .unwrap()
        .unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.message.as_str()),
        ("ERR_MY_CHECK", "not the server I want")
    );
    let (_, error) = authorization(&mut instance, &socket);
    assert_eq!(error.as_deref(), Some("ERR_MY_CHECK"));
    instance.drop_socket(socket).unwrap();
    let received = loop {
        let event = server.next_event(WAIT).expect("the server reports");
        if let Some(n) = event.plaintext_received {
            break n;
        }
    };
    assert_eq!(
        received, 0,
        "the refused connection's bytes reached the server"
    );
}

/// Keying material exported by both ends is the same; the key-log lines name
/// TLS 1.3's five secrets; `getEphemeralKeyInfo` names the group.
#[test]
fn exported_keys_keylog_and_key_info() {
    let pki = DemoPki::generate();
    let server = server(&pki, None);
    let mut instance = instance();
    let socket = instance
        .start(options(&pki, &server))
        .unwrap()
        .expect("starts");
    instance.socket(&socket).set_keylog(true).unwrap();
    let events = support::drive::handshake_sans_io(&mut instance, &socket, server.port());
    let labels: Vec<String> = events
        .iter()
        .filter_map(|event| match event {
            SocketEvent::Keylog(line) => {
                let line = String::from_utf8(line.clone()).unwrap();
                Some(line.split(' ').next().unwrap().to_owned())
            }
            _ => None,
        })
        .collect();
    assert_eq!(labels.len(), 5, "{labels:?}");
    let mut calls = instance.socket(&socket);
    let ours = calls
        .export_keying_material(32.0, "tls-connect test", Some(b"context"))
        .unwrap()
        .unwrap();
    let info = calls
        .get_ephemeral_key_info()
        .unwrap()
        .expect("a key exchange");
    assert_eq!(
        (info.kind.as_str(), info.name.as_deref(), info.size),
        // Node 26's server and ours agree on the hybrid post-quantum group.
        ("TLSGroup", Some("X25519MLKEM768"), None)
    );
    assert_eq!(secure_event(&server).exported, Some(hex(&ours)));
}

/// `requestOCSP`: the response Node's server staples is the event's.
#[test]
fn the_stapled_ocsp_response_is_reported() {
    let pki = DemoPki::generate();
    let response = b"\x30\x03\x0a\x01\x00".to_vec();
    let server = NodeServer::start(&NodeServerConfig {
        ocsp_response: Some(response.clone()),
        ..NodeServerConfig::serving(&pki.server)
    });
    let mut instance = instance();
    let asked = ConnectOptions {
        request_ocsp: Some(true),
        ..options(&pki, &server)
    };
    let (_, events) = connect_and_echo(&mut instance, asked);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, SocketEvent::OcspResponse(Some(r)) if *r == response)),
        "{events:?}"
    );
    let (_, events) = connect_and_echo(&mut instance, options(&pki, &server));
    assert!(!events
        .iter()
        .any(|e| matches!(e, SocketEvent::OcspResponse(_))));
}

/// `createSecureContext` once, then connections with it: the context's trust
/// applies and the connection's own context options are ignored, as Node does;
/// SNI and ALPN stay the connection's; a session from a plain connection
/// resumes under the context.
#[test]
fn a_secure_context_serves_many_connections() {
    let pki = DemoPki::generate();
    let server = NodeServer::start(&NodeServerConfig {
        alpn: vec!["h2".into()],
        ..NodeServerConfig::serving(&pki.server)
    });
    let mut instance = instance();
    let context = instance
        .create_secure_context(ConnectOptions {
            ca: Some(vec![host_example::Pem::Text(pki.ca_pem.clone())]),
            ..support::component::options()
        })
        .unwrap()
        .expect("a context");
    let (_, events) = connect_and_echo(&mut instance, options(&pki, &server));
    let session = sessions(&events).pop();
    secure_event(&server);
    for round in 0..2 {
        let own = ConnectOptions {
            port: Some(u32::from(server.port())),
            host: Some("127.0.0.1".into()),
            servername: Some("localhost".into()),
            // Ignored: the context decides what is trusted.
            ca: Some(vec![host_example::Pem::Text("not a certificate".into())]),
            alpn_protocols: Some(host_example::AlpnProtocols::Names(vec!["h2".into()])),
            session: if round == 0 { session.clone() } else { None },
            ..support::component::options()
        };
        let socket = instance
            .connect_with_context(context, own)
            .unwrap()
            .expect("connects under the context");
        assert_eq!(echo_attached(&mut instance, &socket, b"ctx"), b"ctx");
        let mut calls = instance.socket(&socket);
        assert!(calls.authorized().unwrap());
        assert_eq!(calls.alpn_protocol().unwrap().as_deref(), Some("h2"));
        assert_eq!(
            calls.is_session_reused().unwrap(),
            round == 0,
            "round {round}"
        );
        let seen = secure_event(&server);
        assert_eq!(seen.servername.as_deref(), Some("localhost"));
    }
    instance.drop_context(context).unwrap();
}
