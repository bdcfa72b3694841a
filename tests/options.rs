//! The context options Node has beyond the basics (`ecdhCurve`, `sigalgs`,
//! `secureProtocol`, `secureOptions`, `minDHSize`) and net's options (`family`,
//! `localAddress`, `localPort`, `timeout`, `noDelay`, `keepAlive`), each shown
//! to have its effect: the component runs in wasmtime, attached (`connect`) and
//! sans-IO (`start`), against real servers that report what they saw; where
//! Node's own client can be asked, ours must answer as it does.

mod support;

use std::io::{self, Read};
use std::net::{Ipv6Addr, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

use host_example::transport::{default_tcp_options, dial_tcp_with};
use host_example::{ConnectOptions, NetOptions, TlsError};
use rustls::crypto::{ring, SupportedKxGroup};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{NamedGroup, ProtocolVersion, ServerConfig, ServerConnection};
use serde_json::{json, Value};
use support::component::{instance, options, options_to};
use support::connect::options_with;
use support::drive::handshake_sans_io;
use support::peers::{free_port, NodeServer, NodeServerConfig};
use test_pki::{DemoPki, Issued, NewKey, TempDir, Tool};

/// How long a server may take to report, and a client to give up.
const WAIT: Duration = Duration::from_secs(20);

/// `SSL_OP_NO_TLSv1_2` and `SSL_OP_NO_TLSv1_3`.
const NO_TLS1_2: f64 = 134_217_728.0;
const NO_TLS1_3: f64 = 536_870_912.0;

/// What the test's rustls server saw of one connection.
#[derive(Debug, Clone)]
struct Seen {
    /// The client's address and port.
    peer: SocketAddr,
    /// The version agreed.
    protocol: Option<ProtocolVersion>,
    /// The key-exchange group agreed.
    group: Option<NamedGroup>,
    /// Why the handshake failed, if it did.
    error: Option<String>,
}

/// A rustls server in this process, on 127.0.0.1 or ::1: each connection's
/// handshake is run and reported, then the server sends close_notify and
/// closes. Accepting stops when it is dropped.
struct RustlsServer {
    address: SocketAddr,
    seen: mpsc::Receiver<Seen>,
    stop: Arc<AtomicBool>,
}

impl RustlsServer {
    /// Listens on `ip` with `config`.
    fn start(ip: &str, config: ServerConfig) -> Self {
        let listener = TcpListener::bind((ip, 0)).expect("listen");
        listener.set_nonblocking(true).expect("nonblocking accept");
        let address = listener.local_addr().expect("bound");
        let config = Arc::new(config);
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, seen) = mpsc::channel();
        let stopping = stop.clone();
        thread::spawn(move || {
            // Bounded by the owner: dropping the server sets the flag.
            while !stopping.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, peer)) => {
                        let (config, tx) = (config.clone(), tx.clone());
                        thread::spawn(move || serve(config, stream, peer, &tx));
                    }
                    Err(_) => thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Self {
            address,
            seen,
            stop,
        }
    }

    fn port(&self) -> u16 {
        self.address.port()
    }

    /// The report of the next connection.
    fn next(&self) -> Seen {
        self.seen.recv_timeout(WAIT).expect("the server reports")
    }
}

impl Drop for RustlsServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// One connection: handshake, report, close_notify.
fn serve(
    config: Arc<ServerConfig>,
    mut stream: TcpStream,
    peer: SocketAddr,
    tx: &mpsc::Sender<Seen>,
) {
    let ready = stream
        .set_nonblocking(false)
        .and_then(|()| stream.set_read_timeout(Some(WAIT)))
        .and_then(|()| stream.set_write_timeout(Some(WAIT)));
    let mut conn = ServerConnection::new(config).expect("server connection");
    let mut error = ready.err().map(|e| e.to_string());
    // Bounded: each round waits at most WAIT, and a handshake takes a few.
    for _ in 0..32 {
        if error.is_some() || !conn.is_handshaking() {
            break;
        }
        if let Err(e) = conn.complete_io(&mut stream) {
            error = Some(e.to_string());
        }
    }
    let _ = tx.send(Seen {
        peer,
        protocol: conn.protocol_version(),
        group: conn.negotiated_key_exchange_group().map(|g| g.name()),
        error: error.clone(),
    });
    if error.is_none() {
        conn.send_close_notify();
        // Bounded by the queue, which only empties.
        while conn.wants_write() {
            if conn.write_tls(&mut stream).is_err() {
                break;
            }
        }
    }
}

/// A rustls server configuration with these groups (all of ring's when empty),
/// TLS 1.3 and 1.2, presenting `identity`.
fn server_config(identity: &Issued, groups: &[&'static dyn SupportedKxGroup]) -> ServerConfig {
    let mut provider = ring::default_provider();
    if !groups.is_empty() {
        provider.kx_groups = groups.to_vec();
    }
    let chain = CertificateDer::pem_slice_iter(identity.cert_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .expect("certificate");
    let key = PrivateKeyDer::from_pem_slice(identity.key_pem.as_bytes()).expect("key");
    ServerConfig::builder_with_provider(Arc::new(provider))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("certificate and key")
}

/// The demo's ECDSA P-256 server identity (localhost, 127.0.0.1, ::1).
fn ecdsa_server(pki: &DemoPki, groups: &[&'static dyn SupportedKxGroup]) -> RustlsServer {
    RustlsServer::start("127.0.0.1", server_config(&pki.server, groups))
}

/// A self-signed RSA 2048 certificate for 127.0.0.1 and its key, made by
/// openssl (ring makes no RSA keys).
fn rsa_identity() -> Issued {
    let dir = TempDir::new("rsa-identity");
    dir.self_signed(
        "rsa",
        NewKey::Rsa(2048),
        "/CN=localhost",
        2,
        &["-addext", "subjectAltName=IP:127.0.0.1"],
    )
}

/// What Node's own `tls.connect(options)` did: the protocol on
/// `'secureConnect'`, or the error's code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
enum NodeOutcome {
    Secure(String),
    Failed(String, String),
}

/// Runs Node's `tls.connect(options)` (`ca` and the like as PEM text) to the end
/// of its handshake, then ends the connection. Sync throws count as failures too.
fn node_connect(options: &Value) -> NodeOutcome {
    const SCRIPT: &str = r#"
        const tls = require('tls');
        setTimeout(() => process.exit(2), 15000).unref();
        const say = (v) => console.log(JSON.stringify(v));
        try {
          const s = tls.connect(JSON.parse(process.argv[1]), () => { say({ protocol: s.getProtocol() }); s.end(); });
          s.resume();
          s.on('error', (e) => { say({ code: e.code ?? '', message: e.message }); s.destroy(); });
        } catch (e) { say({ code: e.code ?? '', message: e.message }); }"#;
    // `null` is a value to Node, where `None` here means "not given".
    let mut given = options.clone();
    if let Some(fields) = given.as_object_mut() {
        fields.retain(|_, value| !value.is_null());
    }
    // Its exit status is not asked: a first line is the answer, whatever came after.
    let out = Tool::node()
        .args(["-e", SCRIPT])
        .arg(given.to_string())
        .output();
    let line = String::from_utf8_lossy(&out.stdout);
    let first: Value =
        serde_json::from_str(line.lines().next().unwrap_or("null")).unwrap_or(Value::Null);
    let text = |key: &str| first[key].as_str().map(str::to_owned);
    match (text("protocol"), text("code")) {
        (Some(protocol), _) => NodeOutcome::Secure(protocol),
        (None, Some(code)) => NodeOutcome::Failed(code, text("message").unwrap_or_default()),
        _ => panic!(
            "Node said nothing of use: {line} {}",
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// Our attached `connect`, told as [`NodeOutcome`].
fn our_connect(options: ConnectOptions) -> NodeOutcome {
    let mut instance = instance();
    match instance.connect(options).expect("no trap") {
        Ok(socket) => {
            let protocol = instance.socket(&socket).get_protocol().expect("no trap");
            // Ends as a well-behaved client does, so that the server sees its
            // side of the handshake finish: close_notify, then read to the server's end.
            let _ = instance.socket(&socket).end().expect("no trap");
            for _ in 0..64 {
                match instance.socket(&socket).read(64 * 1024).expect("no trap") {
                    Ok(data) if !data.is_empty() => continue,
                    _ => break,
                }
            }
            instance.socket(&socket).destroy().expect("no trap");
            instance.drop_socket(socket).expect("no trap");
            NodeOutcome::Secure(protocol.unwrap_or_default())
        }
        Err(TlsError { code, message, .. }) => NodeOutcome::Failed(code, message),
    }
}

/// Our sans-IO `start` to 127.0.0.1:`port`, to `'secureConnect'`: the protocol.
fn our_start(options: ConnectOptions, port: u16) -> String {
    let mut instance = instance();
    let socket = instance.start(options).expect("no trap").expect("starts");
    handshake_sans_io(&mut instance, &socket, port);
    let protocol = instance.socket(&socket).get_protocol().expect("no trap");
    instance.socket(&socket).destroy().expect("no trap");
    instance.drop_socket(socket).expect("no trap");
    protocol.unwrap_or_default()
}

/// Only the code of a failure: alerts carry OpenSSL's text in Node's messages.
fn code_only(outcome: NodeOutcome) -> NodeOutcome {
    match outcome {
        NodeOutcome::Failed(code, _) => NodeOutcome::Failed(code, String::new()),
        secure => secure,
    }
}

#[test]
fn ecdh_curve_negotiates_the_chosen_group() {
    let pki = DemoPki::generate();
    let server = ecdsa_server(&pki, &[]);
    for (curve, max_version, group) in [
        (None, None, NamedGroup::X25519),
        (Some("P-384"), None, NamedGroup::secp384r1),
        // Ours offers X448 first, this rustls server lacks it: a retry to P-256.
        (Some("X448:prime256v1"), None, NamedGroup::secp256r1),
        (Some("P-256"), Some("TLSv1.2"), NamedGroup::secp256r1),
    ] {
        let ours = our_connect(ConnectOptions {
            ecdh_curve: curve.map(str::to_owned),
            max_version: max_version.map(str::to_owned),
            ..options_to(server.port(), &pki.ca_pem)
        });
        assert!(
            matches!(ours, NodeOutcome::Secure(_)),
            "{curve:?}: {ours:?}"
        );
        let seen = server.next();
        assert_eq!(seen.group, Some(group), "ours, {curve:?}");
        let version = match max_version {
            Some(_) => ProtocolVersion::TLSv1_2,
            None => ProtocolVersion::TLSv1_3,
        };
        assert_eq!(seen.protocol, Some(version), "ours, {curve:?}");
        let node = node_connect(&json!({
            "host": "127.0.0.1", "port": server.port(), "ca": pki.ca_pem,
            "ecdhCurve": curve, "maxVersion": max_version,
        }));
        assert!(
            matches!(node, NodeOutcome::Secure(_)),
            "{curve:?}: {node:?}"
        );
        assert_eq!(server.next().group, Some(group), "Node's, {curve:?}");
    }
    let sans_io = ConnectOptions {
        ecdh_curve: Some("P-384".into()),
        ..options_to(server.port(), &pki.ca_pem)
    };
    assert_eq!(our_start(sans_io, server.port()), "TLSv1.3");
    assert_eq!(server.next().group, Some(NamedGroup::secp384r1), "sans-IO");
}

/// A documented difference: in TLS 1.2, OpenSSL also requires the curve of the
/// server's ECDSA key to be among the client's groups, so Node's client with
/// `ecdhCurve: 'P-384'` refuses a P-256 server (`ERR_SSL_WRONG_CURVE`); rustls
/// checks no such thing, and ours connects with P-384 for the key exchange.
#[test]
fn ecdh_curve_does_not_restrict_the_server_key_curve_in_tls12() {
    let pki = DemoPki::generate();
    let server = ecdsa_server(&pki, &[]);
    let ours = our_connect(ConnectOptions {
        ecdh_curve: Some("P-384".into()),
        max_version: Some("TLSv1.2".into()),
        ..options_to(server.port(), &pki.ca_pem)
    });
    assert_eq!(ours, NodeOutcome::Secure("TLSv1.2".into()));
    assert_eq!(server.next().group, Some(NamedGroup::secp384r1));
    let node = node_connect(&json!({
        "host": "127.0.0.1", "port": server.port(), "ca": pki.ca_pem,
        "ecdhCurve": "P-384", "maxVersion": "TLSv1.2",
    }));
    assert_eq!(
        code_only(node),
        NodeOutcome::Failed("ERR_SSL_WRONG_CURVE".into(), String::new())
    );
}

/// A server with X25519 only and a client offering P-256 only share no group:
/// both clients fail with the server's alert.
#[test]
fn ecdh_curve_without_a_shared_group_fails_as_node() {
    let pki = DemoPki::generate();
    let server = ecdsa_server(&pki, &[ring::kx_group::X25519]);
    let ours = our_connect(ConnectOptions {
        ecdh_curve: Some("P-256".into()),
        ..options_to(server.port(), &pki.ca_pem)
    });
    let node = node_connect(&json!({
        "host": "127.0.0.1", "port": server.port(), "ca": pki.ca_pem, "ecdhCurve": "P-256",
    }));
    assert!(matches!(node, NodeOutcome::Failed(..)), "{node:?}");
    assert_eq!(code_only(ours), code_only(node));
}

/// An ECDSA server can sign only when an ECDSA scheme is offered, an RSA one
/// only with an RSA scheme; each case as Node's client fares.
#[test]
fn sigalgs_restrict_what_the_server_may_sign_with() {
    let pki = DemoPki::generate();
    let ecdsa = ecdsa_server(&pki, &[]);
    let rsa_identity = rsa_identity();
    let rsa_cert = &rsa_identity.cert_pem;
    let rsa = RustlsServer::start("127.0.0.1", server_config(&rsa_identity, &[]));
    for (server, ca, sigalgs, max_version, succeeds) in [
        (&ecdsa, &pki.ca_pem, "ecdsa_secp256r1_sha256", None, true),
        (
            &ecdsa,
            &pki.ca_pem,
            "rsa_pss_rsae_sha256:ed25519",
            None,
            false,
        ),
        (&ecdsa, &pki.ca_pem, "ECDSA+SHA256", Some("TLSv1.2"), true),
        (&rsa, rsa_cert, "rsa_pss_rsae_sha256", None, true),
        (&rsa, rsa_cert, "ECDSA+SHA256:ed25519", None, false),
        (&rsa, rsa_cert, "RSA+SHA256", Some("TLSv1.2"), true),
    ] {
        let what = format!("{sigalgs} to port {}", server.port());
        let ours = our_connect(ConnectOptions {
            sigalgs: Some(sigalgs.into()),
            max_version: max_version.map(str::to_owned),
            reject_unauthorized: Some(false),
            ..options_to(server.port(), ca)
        });
        assert_eq!(
            matches!(ours, NodeOutcome::Secure(_)),
            succeeds,
            "{what}: {ours:?}"
        );
        let seen = server.next();
        assert_eq!(seen.error.is_none(), succeeds, "{what}: {seen:?}");
        let node = node_connect(&json!({
            "host": "127.0.0.1", "port": server.port(), "ca": ca, "sigalgs": sigalgs,
            "maxVersion": max_version, "rejectUnauthorized": false,
        }));
        server.next();
        assert_eq!(code_only(ours), code_only(node), "{what}");
    }
}

/// Node's server's report of its next connection: a handshake (`protocol`) or
/// a `tlsClientError` (its reports of bytes received are skipped).
fn next_connection(server: &NodeServer) -> support::peers::NodeEvent {
    // Bounded: each wait ends within WAIT, and a server reports a few lines per connection.
    for _ in 0..16 {
        let seen = server.next_event(WAIT).expect("server report");
        if seen.protocol.is_some() || seen.tls_client_error.is_some() {
            return seen;
        }
    }
    panic!("no connection reported");
}

/// The protocol of the handshake Node's server reports next.
fn node_saw(server: &NodeServer) -> String {
    let seen = next_connection(server);
    seen.protocol.clone().unwrap_or_else(|| panic!("{seen:?}"))
}

/// `secureProtocol: 'TLSv1_2_method'` and `SSL_OP_NO_TLSv1_3` give TLS 1.2
/// against Node's server, `SSL_OP_NO_TLSv1_2` TLS 1.3; attached and sans-IO.
#[test]
fn secure_protocol_and_secure_options_choose_the_version() {
    let pki = DemoPki::generate();
    let server = NodeServer::start(&NodeServerConfig::serving(&pki.server));
    let port = server.port();
    for (method, bits, version) in [
        (None, None, "TLSv1.3"),
        (Some("TLSv1_2_method"), None, "TLSv1.2"),
        (Some("SSLv23_method"), None, "TLSv1.2"),
        (Some("TLS_client_method"), None, "TLSv1.3"),
        (None, Some(NO_TLS1_3), "TLSv1.2"),
        (None, Some(NO_TLS1_2), "TLSv1.3"),
    ] {
        let ours = || ConnectOptions {
            secure_protocol: method.map(str::to_owned),
            secure_options: bits,
            ..options_to(port, &pki.ca_pem)
        };
        let what = format!("{method:?} {bits:?}");
        assert_eq!(
            our_connect(ours()),
            NodeOutcome::Secure(version.into()),
            "{what}"
        );
        assert_eq!(node_saw(&server), version, "{what}");
        assert_eq!(our_start(ours(), port), version, "sans-IO {what}");
        // The sans-IO driver drops its stream at 'secureConnect': the server may
        // see the reset before its own end of the handshake.
        next_connection(&server);
        let node = node_connect(&json!({
            "host": "127.0.0.1", "port": port, "ca": pki.ca_pem,
            "secureProtocol": method, "secureOptions": bits,
        }));
        node_saw(&server);
        assert_eq!(node, NodeOutcome::Secure(version.into()), "Node, {what}");
    }
}

/// Options refused before any connection, through the component, with Node's
/// code and message (Node's `tls.connect` throws them).
#[test]
fn refused_options_cross_the_component_as_node_reports_them() {
    let port = free_port();
    let to = |o: ConnectOptions| ConnectOptions {
        host: Some("localhost".into()),
        port: Some(u32::from(port)),
        ..o
    };
    let net = |adjust: fn(&mut NetOptions)| {
        let mut net = net_options();
        adjust(&mut net);
        options_with(|o| o.net = Some(net))
    };
    let cases = [
        (
            json!({"ecdhCurve": "nope"}),
            options_with(|o| o.ecdh_curve = Some("nope".into())),
        ),
        (
            json!({"sigalgs": ""}),
            options_with(|o| o.sigalgs = Some(String::new())),
        ),
        (
            json!({"sigalgs": "nope"}),
            options_with(|o| o.sigalgs = Some("nope".into())),
        ),
        (
            json!({"secureProtocol": "bogus"}),
            options_with(|o| o.secure_protocol = Some("bogus".into())),
        ),
        (
            json!({"secureProtocol": "SSLv3_method"}),
            options_with(|o| o.secure_protocol = Some("SSLv3_method".into())),
        ),
        (
            json!({"secureProtocol": "TLSv1_2_method", "minVersion": "TLSv1.2"}),
            ConnectOptions {
                secure_protocol: Some("TLSv1_2_method".into()),
                min_version: Some("TLSv1.2".into()),
                ..options()
            },
        ),
        (
            json!({"secureOptions": 0.5}),
            options_with(|o| o.secure_options = Some(0.5)),
        ),
        (json!({"family": 5}), net(|n| n.family = Some(5.0))),
        (
            json!({"localAddress": "nope"}),
            net(|n| n.local_address = Some("nope".into())),
        ),
        (json!({"timeout": -1}), net(|n| n.timeout = Some(-1.0))),
    ];
    for (node_options, ours) in cases {
        let mut node_options = node_options;
        node_options["host"] = json!("localhost");
        node_options["port"] = json!(port);
        let node = node_connect(&node_options);
        assert_eq!(our_connect(to(ours)), node, "{node_options}");
    }
    // Node 20 asserts on `minDHSize: 0`; current Node refuses it so.
    let ours = our_connect(to(options_with(|o| o.min_dh_size = Some(0.0))));
    let expected =
        "The value of \"options.minDHSize\" is out of range. It must be >= 1. Received 0";
    assert_eq!(
        ours,
        NodeOutcome::Failed("ERR_OUT_OF_RANGE".into(), expected.into())
    );
}

/// Net options with nothing set.
fn net_options() -> NetOptions {
    NetOptions {
        family: None,
        local_address: None,
        local_port: None,
        timeout: None,
        no_delay: None,
        keep_alive: None,
        keep_alive_initial_delay: None,
    }
}

/// `localAddress` and `localPort` are what the server sees as the client's.
#[test]
fn local_address_and_port_are_what_the_server_sees() {
    let pki = DemoPki::generate();
    let server = ecdsa_server(&pki, &[]);
    let local_port = free_port();
    let ours = our_connect(ConnectOptions {
        net: Some(NetOptions {
            local_address: Some("127.0.0.1".into()),
            local_port: Some(u32::from(local_port)),
            ..net_options()
        }),
        ..options_to(server.port(), &pki.ca_pem)
    });
    assert!(matches!(ours, NodeOutcome::Secure(_)), "{ours:?}");
    let seen = server.next();
    assert_eq!(seen.peer, SocketAddr::from(([127, 0, 0, 1], local_port)));
}

/// A local port in use, and a local address of the other family, fail as
/// Node's bind does.
#[test]
fn local_binding_failures_are_node_s() {
    let pki = DemoPki::generate();
    let server = ecdsa_server(&pki, &[]);
    let taken = TcpListener::bind("127.0.0.1:0").expect("listen");
    let taken_port = taken.local_addr().expect("bound").port();
    for (address, port) in [("127.0.0.1", Some(taken_port)), ("::1", None)] {
        let ours = our_connect(ConnectOptions {
            net: Some(NetOptions {
                local_address: Some(address.into()),
                local_port: port.map(u32::from),
                ..net_options()
            }),
            ..options_to(server.port(), &pki.ca_pem)
        });
        let node = node_connect(&json!({
            "host": "127.0.0.1", "port": server.port(), "ca": pki.ca_pem,
            "localAddress": address, "localPort": port,
        }));
        assert!(matches!(node, NodeOutcome::Failed(..)), "{node:?}");
        assert_eq!(ours, node, "{address} {port:?}");
    }
}

/// `family: 6` to `::1` connects over IPv6; `family: 6` to a name with only
/// IPv4 addresses (and `family: 4` to one with only IPv6 ones, when this
/// machine has such a name) fails as in Node.
#[test]
fn family_chooses_the_address_family() {
    let pki = DemoPki::generate();
    let server = RustlsServer::start("::1", server_config(&pki.server, &[]));
    let six = |host: &str, family: f64| ConnectOptions {
        host: Some(host.into()),
        net: Some(NetOptions {
            family: Some(family),
            ..net_options()
        }),
        ..options_to(server.port(), &pki.ca_pem)
    };
    let ours = our_connect(six("::1", 6.0));
    assert!(matches!(ours, NodeOutcome::Secure(_)), "{ours:?}");
    assert_eq!(server.next().peer.ip(), Ipv6Addr::LOCALHOST);
    let names = |host: &str| -> Vec<SocketAddr> {
        (host, 1)
            .to_socket_addrs()
            .map(Iterator::collect)
            .unwrap_or_default()
    };
    let mut cases = Vec::new();
    if !names("localhost").is_empty() && names("localhost").iter().all(SocketAddr::is_ipv4) {
        cases.push(("localhost", 6.0));
    }
    if let Some(v6_only) = ["ip6-localhost", "ip6-loopback", "localhost6"]
        .into_iter()
        .find(|h| !names(h).is_empty() && names(h).iter().all(SocketAddr::is_ipv6))
    {
        cases.push((v6_only, 4.0));
    }
    assert!(!cases.is_empty(), "no single-family name to test with");
    for (host, family) in cases {
        let node = node_connect(&json!({
            "host": host, "port": server.port(), "ca": pki.ca_pem, "family": family,
        }));
        assert!(matches!(node, NodeOutcome::Failed(..)), "{host}: {node:?}");
        assert_eq!(
            our_connect(six(host, family)),
            node,
            "{host} family {family}"
        );
    }
}

/// A server that accepts and never answers: with `timeout`, the attached
/// handshake's read fails with `ETIMEDOUT` soon after it.
#[test]
fn timeout_ends_a_silent_connection() {
    let silent = TcpListener::bind("127.0.0.1:0").expect("listen");
    let port = silent.local_addr().expect("bound").port();
    let holder = thread::spawn(move || {
        let (mut held, _) = silent.accept().expect("accepts");
        held.set_read_timeout(Some(WAIT)).expect("timeout");
        let mut sink = Vec::new();
        // Ends when the client closes, or after WAIT.
        let _ = held.read_to_end(&mut sink);
    });
    let started = Instant::now();
    let ours = our_connect(ConnectOptions {
        host: Some("127.0.0.1".into()),
        port: Some(u32::from(port)),
        net: Some(NetOptions {
            timeout: Some(300.0),
            ..net_options()
        }),
        ..options()
    });
    let elapsed = started.elapsed();
    assert!(
        matches!(&ours, NodeOutcome::Failed(code, _) if code == "ETIMEDOUT"),
        "{ours:?}"
    );
    assert!(
        elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(10),
        "{elapsed:?}"
    );
    holder.join().expect("holder ends");
}

/// The host applies `noDelay`, `keepAlive` with its delay, and `timeout` to the
/// socket it opens.
#[test]
fn host_sets_the_socket_options() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let plain = dial_tcp_with("127.0.0.1", port, &default_tcp_options()).expect("connects");
    let socket = socket2::SockRef::from(&plain);
    assert!(socket.tcp_nodelay()?);
    assert!(!socket.keepalive()?);
    assert_eq!(plain.read_timeout()?, None);
    let mut options = default_tcp_options();
    options.no_delay = false;
    options.keep_alive = Some(60_000);
    options.timeout = Some(1500);
    let tuned = dial_tcp_with("127.0.0.1", port, &options).expect("connects");
    let socket = socket2::SockRef::from(&tuned);
    assert!(!socket.tcp_nodelay()?);
    assert!(socket.keepalive()?);
    assert_eq!(socket.tcp_keepalive_time()?, Duration::from_secs(60));
    assert_eq!(tuned.read_timeout()?, Some(Duration::from_millis(1500)));
    assert_eq!(tuned.write_timeout()?, Some(Duration::from_millis(1500)));
    // 0: keep-alive on, the system's delay.
    options.keep_alive = Some(0);
    let system = dial_tcp_with("127.0.0.1", port, &options).expect("connects");
    assert!(socket2::SockRef::from(&system).keepalive()?);
    Ok(())
}
