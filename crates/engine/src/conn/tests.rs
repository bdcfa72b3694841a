//! The sans-IO connection against an in-memory rustls server: no sockets, so
//! every byte that crosses is visible to the test.

use std::io::{Read, Write};
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ServerConfig, ServerConnection};

use super::*;
use crate::options::{IdentityCheck, Pem};

struct Pki {
    ca_pem: String,
    server: Arc<ServerConfig>,
}

/// A CA and a server certificate for `names`, served by a rustls config.
fn pki(names: &[&str]) -> Pki {
    let ca = test_pki::Ca::new_root("tls-connect unit-test CA");
    let leaf = ca.issue(&test_pki::LeafSpec::server(names[0], names));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let server = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(leaf.cert_der)],
            PrivateKeyDer::from_pem_slice(leaf.key_pem.as_bytes()).unwrap(),
        )
        .unwrap();
    Pki {
        ca_pem: ca.cert_pem(),
        server: Arc::new(server),
    }
}

fn client(pki: &Pki, reject_unauthorized: bool, trust_ca: bool) -> Connection {
    let mut options = localhost(pki);
    options.context.ca = options.context.ca.filter(|_| trust_ca);
    options.connection.reject_unauthorized = Some(reject_unauthorized);
    Connection::new(&options).unwrap()
}

/// Moves bytes both ways until neither side has anything to send. Returns
/// what the client saw, and every plaintext byte the server received.
fn pump(
    client: &mut Connection,
    server: &mut ServerConnection,
) -> (Result<Fed, TlsError>, Vec<u8>) {
    let mut seen = Fed::default();
    let mut server_got = Vec::new();
    for _ in 0..20 {
        let to_server = client.take_outgoing();
        if !to_server.is_empty() {
            server.read_tls(&mut &to_server[..]).unwrap();
            server.process_new_packets().unwrap();
            let mut buf = [0u8; 4096];
            while let Ok(n) = server.reader().read(&mut buf) {
                if n == 0 {
                    break;
                }
                server_got.extend_from_slice(&buf[..n]);
            }
        }
        let mut to_client = Vec::new();
        while server.wants_write() {
            server.write_tls(&mut to_client).unwrap();
        }
        if to_server.is_empty() && to_client.is_empty() {
            break;
        }
        if !to_client.is_empty() {
            match client.feed(&to_client) {
                Ok(fed) => merge(&mut seen, fed),
                Err(err) => return (Err(err), server_got),
            }
        }
    }
    (Ok(seen), server_got)
}

fn merge(seen: &mut Fed, fed: Fed) {
    seen.secure_connect |= fed.secure_connect;
    seen.check_identity |= fed.check_identity;
    seen.data.extend(fed.data);
    seen.record_lengths.extend(fed.record_lengths);
    seen.end |= fed.end;
    seen.events.extend(fed.events);
}

fn sessions_in(fed: &Fed) -> Vec<Vec<u8>> {
    fed.events
        .iter()
        .filter_map(|e| match e {
            SocketEvent::Session(handle) => Some(handle.clone()),
            _ => None,
        })
        .collect()
}

/// Options for `localhost`, trusting the test CA.
fn localhost(pki: &Pki) -> ConnectOptions {
    let mut options = ConnectOptions::default();
    options.target.host = Some("localhost".into());
    options.context.ca = Some(vec![Pem::Text(pki.ca_pem.clone())]);
    options
}

/// Connects to `localhost` with `connection`'s options, moving bytes both
/// ways until neither side has anything to send. Returns what the client
/// saw, and every plaintext byte the server received.
fn connect_with(
    pki: &Pki,
    connection: ConnectionOptions,
) -> (Connection, Result<Fed, TlsError>, ServerConnection, Vec<u8>) {
    let mut client = Connection::new(&ConnectOptions {
        connection,
        ..localhost(pki)
    })
    .unwrap();
    let mut server = ServerConnection::new(pki.server.clone()).unwrap();
    let (fed, got) = pump(&mut client, &mut server);
    (client, fed, server, got)
}

/// Node's order for a write and an `end()` before `'secureConnect'`: the
/// bytes reach the server once it is trusted, then close_notify.
#[test]
fn a_write_and_end_before_the_handshake_arrive_in_order() {
    let pki = pki(&["localhost"]);
    let mut client = Connection::new(&localhost(&pki)).unwrap();
    let mut server = ServerConnection::new(pki.server.clone()).unwrap();
    client.write(b"early").unwrap();
    client.end().unwrap();
    let (fed, got) = pump(&mut client, &mut server);
    assert!(fed.unwrap().secure_connect);
    assert_eq!(got, b"early");
    assert!(client.wants_write_end());
    let mut buf = [0u8; 8];
    assert_eq!(server.reader().read(&mut buf).unwrap(), 0, "close_notify");
}

#[test]
fn a_session_from_the_session_event_resumes_with_the_original_verdict() {
    let pki = pki(&["localhost"]);
    let (mut first, fed, mut server, _) = connect_with(&pki, ConnectionOptions::default());
    let mut fed = fed.unwrap();
    // rustls servers send their tickets after the client's Finished.
    server.writer().write_all(b"x").unwrap();
    merge(&mut fed, pump(&mut first, &mut server).0.unwrap());
    let sessions = sessions_in(&fed);
    assert!(!sessions.is_empty(), "no 'session' event: {:?}", fed.events);
    assert!(!first.is_session_reused());
    assert_eq!(first.session().as_ref(), sessions.last());

    let options = ConnectionOptions {
        session: sessions.last().cloned(),
        ..Default::default()
    };
    let (second, fed, _, _) = connect_with(&pki, options);
    assert!(fed.unwrap().secure_connect);
    assert!(second.is_session_reused());
    assert!(second.authorized());
    // As Node: no certificate on a resumed session.
    assert_eq!(second.peer_certificates(false), Some(Vec::new()));
}

/// As Node: the detailed chain goes on from what the server sent to the
/// issuer in the client's `ca`, and ends at that self-signed root.
#[test]
fn detailed_peer_certificate_continues_into_the_trust_store() {
    let pki = pki(&["localhost"]);
    let (client, fed, _, _) = connect_with(&pki, ConnectionOptions::default());
    assert!(fed.unwrap().secure_connect);
    let chain = client.peer_certificates(true).unwrap();
    assert_eq!(chain.len(), 2, "the leaf, then the CA from `ca`");
    assert_eq!(chain[1].subject, chain[1].issuer);
    assert_eq!(chain[0].issuer, chain[1].subject);
    assert_eq!(client.peer_certificates(false).unwrap().len(), 1);
}

#[test]
fn junk_session_bytes_are_ignored() {
    let pki = pki(&["localhost"]);
    for junk in [b"junk".to_vec(), vec![0; 45], Vec::new()] {
        let options = ConnectionOptions {
            session: Some(junk),
            ..Default::default()
        };
        let (client, fed, _, _) = connect_with(&pki, options);
        assert!(fed.unwrap().secure_connect);
        assert!(!client.is_session_reused());
        assert!(client.authorized());
    }
}

#[test]
fn the_callers_identity_check_decides_and_holds_writes_until_then() {
    let pki = pki(&["localhost"]);
    let caller = || ConnectionOptions {
        identity_check: Some(IdentityCheck::Caller),
        ..Default::default()
    };
    // Accepted: the held write goes out only after the verdict.
    let mut client = Connection::new(&ConnectOptions {
        connection: caller(),
        ..localhost(&pki)
    })
    .unwrap();
    let mut server = ServerConnection::new(pki.server.clone()).unwrap();
    client.write(b"held").unwrap();
    let (fed, got) = pump(&mut client, &mut server);
    let fed = fed.unwrap();
    assert!(fed.check_identity && !fed.secure_connect);
    assert!(got.is_empty());
    assert_eq!(client.protocol().as_deref(), Some("TLSv1.3"));
    let settled = client.settle_identity(None).unwrap();
    assert!(settled.secure_connect);
    assert!(client.authorized());
    let (_, got) = pump(&mut client, &mut server);
    assert_eq!(got, b"held");

    // Refused: the caller's error, and nothing reaches the server.
    let (mut client, fed, _, got) = connect_with(&pki, caller());
    assert!(fed.unwrap().check_identity);
    let verdict = TlsError::new("ERR_CUSTOM", "no thanks");
    assert_eq!(
        client.settle_identity(Some(verdict.clone())).unwrap_err(),
        verdict
    );
    assert!(got.is_empty());
    assert!(client.is_destroyed());
    assert_eq!(client.authorization_error().as_deref(), Some("ERR_CUSTOM"));

    // Not rejected: 'secureConnect' with authorized false.
    let (mut client, _, _, _) = connect_with(
        &pki,
        ConnectionOptions {
            reject_unauthorized: Some(false),
            ..caller()
        },
    );
    assert!(
        client
            .settle_identity(Some(verdict))
            .unwrap()
            .secure_connect
    );
    assert!(!client.authorized());
    assert_eq!(client.authorization_error().as_deref(), Some("ERR_CUSTOM"));
    assert_eq!(
        client.settle_identity(None).unwrap_err().code,
        "ERR_TLS_INVALID_STATE"
    );
}

#[test]
fn keylog_lines_and_exported_keys_match_the_servers() {
    let pki = pki(&["localhost"]);
    let mut client = client(&pki, true, true);
    client.set_keylog(true);
    assert_eq!(
        client
            .export_keying_material(16.0, "x", None)
            .unwrap_err()
            .code,
        "ERR_TLS_INVALID_STATE"
    );
    let mut server = ServerConnection::new(pki.server.clone()).unwrap();
    let fed = pump(&mut client, &mut server).0.unwrap();
    let lines: Vec<String> = fed
        .events
        .iter()
        .filter_map(|e| match e {
            SocketEvent::Keylog(line) => Some(String::from_utf8(line.clone()).unwrap()),
            _ => None,
        })
        .collect();
    let labels: Vec<&str> = lines.iter().map(|l| l.split(' ').next().unwrap()).collect();
    for label in [
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
        "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        "CLIENT_TRAFFIC_SECRET_0",
        "SERVER_TRAFFIC_SECRET_0",
        "EXPORTER_SECRET",
    ] {
        assert!(labels.contains(&label), "{label} missing from {labels:?}");
    }
    assert!(lines.iter().all(|l| l.ends_with('\n')));

    let ours = client
        .export_keying_material(32.0, "label", Some(b"ctx"))
        .unwrap();
    let theirs = server
        .export_keying_material([0u8; 32], b"label", Some(b"ctx"))
        .unwrap();
    assert_eq!(ours, theirs);
    for (length, code) in [
        (0.0, "ERR_OUT_OF_RANGE"),
        (1.5, "ERR_OUT_OF_RANGE"),
        (1e6, "ERR_SSL_INTERNAL_ERROR"),
    ] {
        assert_eq!(
            client
                .export_keying_material(length, "x", None)
                .unwrap_err()
                .code,
            code
        );
    }
    let info = client.ephemeral_key_info().unwrap();
    assert_eq!(
        (info.kind.as_str(), info.name.as_deref(), info.size),
        ("ECDH", Some("X25519"), Some(253))
    );
}

#[test]
fn max_send_fragment_bounds_each_record() {
    let pki = pki(&["localhost"]);
    let mut client = client(&pki, true, true);
    let mut server = ServerConnection::new(pki.server.clone()).unwrap();
    pump(&mut client, &mut server).0.unwrap();
    assert!(!client.set_max_send_fragment(511.0));
    assert!(!client.set_max_send_fragment(16385.0));
    assert!(client.set_max_send_fragment(512.0));
    client.write(&[7u8; 2000]).unwrap();
    let wire = client.take_outgoing();
    let mut records = 0;
    let mut rest = &wire[..];
    while rest.len() >= 5 {
        let len = usize::from(u16::from_be_bytes([rest[3], rest[4]]));
        // 512 bytes of plaintext, the content type and a 16-byte tag.
        assert!(len <= 512 + 17, "record of {len} bytes");
        rest = &rest[5 + len..];
        records += 1;
    }
    assert_eq!(records, 4);
}

/// Records that arrive together are handed out one by one, as Node emits one
/// `'data'` per record.
#[test]
fn records_fed_together_keep_their_lengths() {
    let pki = pki(&["localhost"]);
    let mut client = client(&pki, true, true);
    let mut server = ServerConnection::new(pki.server.clone()).unwrap();
    pump(&mut client, &mut server).0.unwrap();
    // rustls seals each write into its own record.
    for (byte, len) in [(b'a', 100), (b'b', 200), (b'c', 300)] {
        server.writer().write_all(&vec![byte; len]).unwrap();
    }
    let mut wire = Vec::new();
    while server.wants_write() {
        server.write_tls(&mut wire).unwrap();
    }
    let fed = client.feed(&wire).unwrap();
    assert_eq!(fed.record_lengths, [100, 200, 300]);
    assert_eq!(fed.data.len(), 600);
    assert!(fed.data[..100].iter().all(|&b| b == b'a'));
    assert!(fed.data[300..].iter().all(|&b| b == b'c'));
}

#[test]
fn trusted_server_connects_and_data_flows_both_ways() {
    let pki = pki(&["localhost"]);
    let mut client = client(&pki, true, true);
    let mut server = ServerConnection::new(pki.server.clone()).unwrap();
    assert_eq!(client.protocol().as_deref(), Some("TLSv1.3"));
    client.write(b"early").unwrap();
    let (fed, server_got) = pump(&mut client, &mut server);
    assert!(fed.unwrap().secure_connect);
    assert_eq!(server_got, b"early");
    assert!(client.authorized());
    assert_eq!(client.authorization_error(), None);
    assert_eq!(client.protocol().as_deref(), Some("TLSv1.3"));
    let cipher = client.cipher().unwrap();
    assert_eq!(cipher.name, "TLS_CHACHA20_POLY1305_SHA256");
    server.writer().write_all(b"pong").unwrap();
    let (fed, _) = pump(&mut client, &mut server);
    assert_eq!(fed.unwrap().data, b"pong");
}

/// A server's KeyUpdate that asks for ours is answered at once, with no write
/// of ours to carry it (rustls would hold it until the next one): a host that
/// seals application data itself needs the server to have the new key first.
#[test]
fn a_key_update_the_server_asks_for_is_answered_at_once() {
    let pki = pki(&["localhost"]);
    let mut client = client(&pki, true, true);
    let mut server = ServerConnection::new(pki.server.clone()).unwrap();
    assert!(pump(&mut client, &mut server).0.unwrap().secure_connect);
    assert!(client.take_outgoing().is_empty());
    server.refresh_traffic_keys().unwrap();
    server.writer().write_all(b"under new keys").unwrap();
    let mut to_client = Vec::new();
    while server.wants_write() {
        server.write_tls(&mut to_client).unwrap();
    }
    let fed = client.feed(&to_client).unwrap();
    assert_eq!(fed.data, b"under new keys");
    // Our KeyUpdate, sealed under the old key: one record, sent without a write.
    let answer = client.take_outgoing();
    assert_eq!(answer.first(), Some(&23), "an encrypted record: {answer:?}");
    server.read_tls(&mut &answer[..]).unwrap();
    server.process_new_packets().unwrap();
    // The server now reads what we seal under our new key.
    client.write(b"ours, new keys too").unwrap();
    let (fed, server_got) = pump(&mut client, &mut server);
    fed.unwrap();
    assert_eq!(server_got, b"ours, new keys too");
}

#[test]
fn refused_server_never_sees_early_data() {
    let pki = pki(&["localhost"]);
    let mut client = client(&pki, true, false);
    let mut server = ServerConnection::new(pki.server.clone()).unwrap();
    client.write(b"secret").unwrap();
    let (fed, server_got) = pump(&mut client, &mut server);
    let err = fed.unwrap_err();
    assert_eq!(err.code, "UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    assert!(
        server_got.is_empty(),
        "data reached the server: {server_got:?}"
    );
    assert!(client.is_destroyed());
    assert!(!client.authorized());
    assert_eq!(
        client.authorization_error().as_deref(),
        Some("UNABLE_TO_VERIFY_LEAF_SIGNATURE")
    );
    assert_eq!(client.protocol(), None);
    assert!(client.write(b"more").is_err());
    // Readable for the host's error object until the host destroys the socket.
    assert_eq!(client.peer_certificates(false).map(|c| c.len()), Some(1));
    client.destroy();
    assert_eq!(client.peer_certificates(false), None);
}

#[test]
fn unauthorized_server_is_reported_when_not_rejected() {
    let pki = pki(&["other.test"]);
    let mut client = client(&pki, false, true);
    let mut server = ServerConnection::new(pki.server.clone()).unwrap();
    client.write(b"hi").unwrap();
    let (fed, server_got) = pump(&mut client, &mut server);
    assert!(fed.unwrap().secure_connect);
    assert!(!client.authorized());
    assert_eq!(
        client.authorization_error().as_deref(),
        Some("ERR_TLS_CERT_ALTNAME_INVALID")
    );
    assert_eq!(server_got, b"hi");
}

#[test]
fn end_sends_close_notify_and_peer_end_is_reported() {
    let pki = pki(&["localhost"]);
    let mut client = client(&pki, true, true);
    let mut server = ServerConnection::new(pki.server.clone()).unwrap();
    pump(&mut client, &mut server).0.unwrap();
    server.send_close_notify();
    let (fed, _) = pump(&mut client, &mut server);
    assert!(fed.unwrap().end);
    // Without allowHalfOpen, our side ended too.
    assert!(client.wants_write_end());
    assert_eq!(
        client.write(b"late").unwrap_err().code,
        "ERR_STREAM_WRITE_AFTER_END"
    );
}

#[test]
fn end_of_stream_before_handshake_is_econnreset() {
    let pki = pki(&["localhost"]);
    let mut client = client(&pki, true, true);
    let err = client.feed_end().unwrap_err();
    assert_eq!(err.code, "ECONNRESET");
    assert_eq!(
        err.message,
        "Client network socket disconnected before secure TLS connection was established"
    );
}

#[test]
fn non_tls_peer_is_a_wrong_version_number() {
    let pki = pki(&["localhost"]);
    let mut client = client(&pki, true, true);
    let err = client
        .feed(b"HTTP/1.1 400 Bad Request\r\n\r\n")
        .unwrap_err();
    assert_eq!(err.code, "ERR_SSL_WRONG_VERSION_NUMBER");
}

/// Found by the `server_bytes` fuzz target: a connection that failed before
/// the certificate decision reported `authorized` true.
#[test]
fn failed_handshake_is_never_authorized() {
    let pki = pki(&["localhost"]);
    let mut client = client(&pki, true, true);
    // A fatal handshake_failure alert in place of the ServerHello.
    let err = client.feed(b"\x15\x03\x03\x00\x02\x02\x28").unwrap_err();
    assert_eq!(err.code, "ERR_SSL_SSL/TLS_ALERT_HANDSHAKE_FAILURE");
    assert!(!client.authorized());
    let mut client = self::client(&pki, true, true);
    assert_eq!(client.feed_end().unwrap_err().code, "ECONNRESET");
    assert!(!client.authorized());
}

/// A server whose certificate message (the handshake message's body) is
/// exactly `body` bytes long: its leaf for localhost, then a padding
/// certificate that makes up the length. TLS 1.3 frames each certificate with
/// three length bytes and two of extensions, after a context byte and the
/// list's three; TLS 1.2 with three, after the list's three.
fn server_with_certificate_message(body: usize, tls13: bool) -> Pki {
    let ca = test_pki::Ca::new_root("tls-connect message-size CA");
    let leaf = ca.issue(&test_pki::LeafSpec::server("localhost", &["localhost"]));
    let framing = if tls13 {
        1 + 3 + 2 * (3 + 2)
    } else {
        3 + 2 * 3
    };
    let padding = test_pki::hostile::padding_certificate(body - framing - leaf.cert_der.len());
    let version = if tls13 {
        &rustls::version::TLS13
    } else {
        &rustls::version::TLS12
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let server = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[version])
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![
                CertificateDer::from(leaf.cert_der),
                CertificateDer::from(padding),
            ],
            PrivateKeyDer::from_pem_slice(leaf.key_pem.as_bytes()).unwrap(),
        )
        .unwrap();
    Pki {
        ca_pem: ca.cert_pem(),
        server: Arc::new(server),
    }
}

/// Node's code and OpenSSL's text for a handshake message over the limit.
fn assert_excessive(err: &TlsError, what: &str) {
    assert_eq!(
        (err.code.as_str(), err.message.as_str()),
        (
            "ERR_SSL_EXCESSIVE_MESSAGE_SIZE",
            "error:0A000098:SSL routines::excessive message size"
        ),
        "{what}"
    );
}

/// rustls joins a handshake message in a 64 KiB buffer that also holds the
/// framing of the records carrying it: served in full records, a certificate
/// message of 65,000 bytes is taken; one over 65,535 bytes never is, and
/// between the two it depends on the framing. A refused one is Node's
/// `ERR_SSL_EXCESSIVE_MESSAGE_SIZE`, as OpenSSL refuses a certificate message
/// over its own limit (102,400 bytes: Node takes messages between the two,
/// see README's "Hostile peers and bad input").
#[test]
fn certificate_messages_are_taken_up_to_rustls_cap() {
    for tls13 in [true, false] {
        let pki = server_with_certificate_message(65_000, tls13);
        let (client, fed, _, _) = connect_with(&pki, ConnectionOptions::default());
        assert!(
            fed.unwrap().secure_connect,
            "65,000 bytes, TLS 1.3: {tls13}"
        );
        assert!(client.authorized());

        for body in [65_400, 65_535] {
            let pki = server_with_certificate_message(body, tls13);
            if let (_, Err(err), _, _) = connect_with(&pki, ConnectionOptions::default()) {
                assert_excessive(&err, &format!("{body} bytes, TLS 1.3: {tls13}"));
            }
        }
        let pki = server_with_certificate_message(65_536, tls13);
        let (_, fed, _, _) = connect_with(&pki, ConnectionOptions::default());
        let err = fed.expect_err("65,536 bytes");
        assert_excessive(&err, &format!("65,536 bytes, TLS 1.3: {tls13}"));
    }
}

/// Fed a byte at a time or in one piece, a 65,000-byte message fits.
#[test]
fn a_large_certificate_message_fits_however_it_is_fed() {
    let pki = server_with_certificate_message(65_000, true);
    for piece in [1, 5, 4096, usize::MAX] {
        let mut client = Connection::new(&localhost(&pki)).unwrap();
        let mut server = ServerConnection::new(pki.server.clone()).unwrap();
        let mut secure = false;
        for _ in 0..8 {
            let to_server = client.take_outgoing();
            if !to_server.is_empty() {
                server.read_tls(&mut &to_server[..]).unwrap();
                server.process_new_packets().unwrap();
            }
            let mut to_client = Vec::new();
            while server.wants_write() {
                server.write_tls(&mut to_client).unwrap();
            }
            for chunk in to_client.chunks(piece.min(to_client.len().max(1))) {
                secure |= client.feed(chunk).unwrap().secure_connect;
            }
        }
        assert!(secure, "fed {piece} bytes at a time");
    }
}

/// A rustls server whose only group is `group`, taken from the client's own
/// provider (a finite-field group works as a server's too), for TLS 1.3.
fn server_with_group(client: &Connection, group: rustls::NamedGroup) -> ServerConnection {
    let ca = test_pki::Ca::new_root("tls-connect unit-test CA");
    let leaf = ca.issue(&test_pki::LeafSpec::server("localhost", &["localhost"]));
    let groups = client.context.config.crypto_provider().kx_groups.clone();
    let base = rustls::crypto::ring::default_provider();
    let provider = rustls::crypto::CryptoProvider {
        kx_groups: groups.into_iter().filter(|g| g.name() == group).collect(),
        // TLS 1.3 only: rustls wants a group for every TLS 1.2 suite's exchange.
        cipher_suites: (base.cipher_suites.iter().copied())
            .filter(|suite| suite.tls13().is_some())
            .collect(),
        ..base
    };
    let config = ServerConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(&[&rustls::version::TLS13])
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(leaf.cert_der)],
            PrivateKeyDer::from_pem_slice(leaf.key_pem.as_bytes()).unwrap(),
        )
        .unwrap();
    ServerConnection::new(Arc::new(config)).unwrap()
}

/// A client for `ecdh_curve` and `min_dh_size` that trusts nothing, so only
/// `minDHSize` can refuse before the certificate does.
fn dh_client(pki: &Pki, ecdh_curve: &str, min_dh_size: Option<f64>) -> Connection {
    let mut options = localhost(pki);
    options.context.ecdh_curve = Some(ecdh_curve.into());
    options.connection.reject_unauthorized = Some(false);
    options.connection.min_dh_size = min_dh_size;
    Connection::new(&options).unwrap()
}

/// Node 26's answers: ffdhe groups are 'DH' with no name, X448 is 'ECDH'.
#[test]
fn finite_field_and_x448_groups_report_node_key_info() {
    let pki = pki(&["localhost"]);
    for (curve, group, kind, name, size) in [
        ("ffdhe2048", rustls::NamedGroup::FFDHE2048, "DH", None, 2048),
        ("ffdhe3072", rustls::NamedGroup::FFDHE3072, "DH", None, 3072),
        ("X448", rustls::NamedGroup::X448, "ECDH", Some("X448"), 448),
    ] {
        let mut client = dh_client(&pki, curve, None);
        let mut server = server_with_group(&client, group);
        let (fed, _) = pump(&mut client, &mut server);
        assert!(fed.unwrap().secure_connect, "{curve}");
        let info = client.ephemeral_key_info().unwrap();
        assert_eq!(
            (info.kind.as_str(), info.name.as_deref(), info.size),
            (kind, name, Some(size)),
            "{curve}"
        );
    }
}

/// `minDHSize` above the group's size fails after the handshake with Node's
/// error (its message says 2048 whatever the option); at the size it passes.
#[test]
fn min_dh_size_refuses_a_smaller_group() {
    let pki = pki(&["localhost"]);
    let mut client = dh_client(&pki, "ffdhe2048", Some(2048.5));
    let mut server = server_with_group(&client, rustls::NamedGroup::FFDHE2048);
    let err = pump(&mut client, &mut server).0.unwrap_err();
    assert_eq!(err.code, "ERR_TLS_DH_PARAM_SIZE");
    assert_eq!(err.message, "DH parameter size 2048 is less than 2048");
    assert!(!client.is_secure());

    let mut client = dh_client(&pki, "ffdhe2048", Some(2048.0));
    let mut server = server_with_group(&client, rustls::NamedGroup::FFDHE2048);
    assert!(pump(&mut client, &mut server).0.unwrap().secure_connect);

    // An elliptic curve is never 'DH', whatever minDHSize says.
    let mut client = dh_client(&pki, "X448", Some(1e9));
    let mut server = server_with_group(&client, rustls::NamedGroup::X448);
    assert!(pump(&mut client, &mut server).0.unwrap().secure_connect);
}
