//! The client's identity from `pfx` and from a legacy encrypted PEM key, on the
//! component in wasmtime, against Node's `tls.createServer` with `requestCert`.
//! The client's leaf is issued by an intermediate the server does not know: the
//! server authorizes it only if the client sent the chain its bundle holds.

mod support;

use std::time::Duration;

use host_example::{ConnectOptions, KeyEntry, Pem, PfxEntry};
use support::component::{echo_attached, instance, options_to};
use support::peers::{NodeServer, NodeServerConfig};
use test_pki::{NewKey, TempDir};

const WAIT: Duration = Duration::from_secs(20);
const CLIENT_CN: &str = "tls-connect identity client";

/// A root CA, an intermediate it issued, a client leaf the intermediate issued
/// (RSA: the legacy key is a PKCS#1 one), and a `localhost` server certificate
/// the root issued; PEM files in a fresh directory (`root`, `inter`, `client`,
/// `server`: `.pem` and `.key`).
fn pki() -> TempDir {
    let dir = TempDir::new("client-identity");
    dir.self_signed(
        "root",
        NewKey::EcP256,
        "/CN=tls-connect identity root",
        2,
        &[],
    );
    let client_subject = format!("/CN={CLIENT_CN}");
    for (name, key, subject, issuer, serial, extensions) in [
        (
            "inter",
            NewKey::EcP256,
            "/CN=tls-connect identity intermediate",
            "root",
            2,
            "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n",
        ),
        (
            "client",
            NewKey::Rsa(2048),
            &client_subject,
            "inter",
            3,
            "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n",
        ),
        (
            "server",
            NewKey::EcP256,
            "/CN=localhost",
            "root",
            4,
            "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n",
        ),
    ] {
        let extfile = format!("{name}.ext");
        dir.write(&extfile, extensions);
        dir.request(name, key, subject);
        dir.sign(name, issuer, serial, 2, &["-extfile", &extfile]);
    }
    dir
}

/// `client.p12`: the client's key and leaf, with `certfile`'s certificates
/// (none when `None`), under the passphrase "s3cret"; `extra` adds openssl
/// options (`-legacy`). Returns its bytes.
fn export_pfx(dir: &TempDir, certfile: Option<&str>, extra: &[&str]) -> Vec<u8> {
    dir.pkcs12("client", certfile, "s3cret", extra)
        .unwrap_or_else(|failure| panic!("{failure}"))
}

/// Node's server trusting only the root, requiring a client certificate.
fn server(dir: &TempDir) -> NodeServer {
    NodeServer::start(&NodeServerConfig {
        key: dir.read_text("server.key"),
        cert: dir.read_text("server.pem"),
        ca: Some(dir.read_text("root.pem")),
        request_cert: true,
        reject_unauthorized: true,
        ..NodeServerConfig::default()
    })
}

fn client_options(dir: &TempDir, port: u16) -> ConnectOptions {
    let mut options = options_to(port, &dir.read_text("root.pem"));
    options.host = Some("localhost".into());
    options
}

/// Connects, echoes a line, and returns what the server saw of the client.
fn connect_and_report(server: &NodeServer, options: ConnectOptions) -> support::peers::NodeEvent {
    let mut instance = instance();
    let socket = instance
        .connect(options)
        .expect("no trap")
        .unwrap_or_else(|e| panic!("connects: {}: {}", e.code, e.message));
    assert!(instance.socket(&socket).authorized().unwrap());
    assert_eq!(
        echo_attached(&mut instance, &socket, b"hello\n"),
        b"hello\n"
    );
    instance.socket(&socket).end().unwrap().unwrap();
    server
        .next_event(WAIT)
        .expect("the server reports the connection")
}

fn assert_client_authorized(seen: &support::peers::NodeEvent) {
    assert_eq!(seen.authorized, Some(true), "{seen:?}");
    assert_eq!(seen.authorization_error, None, "{seen:?}");
    assert_eq!(seen.peer_subject_cn.as_deref(), Some(CLIENT_CN));
}

#[test]
fn pfx_identity_reaches_node_with_its_chain() {
    let dir = pki();
    let buf = export_pfx(&dir, Some("inter.pem"), &[]);
    let server = server(&dir);
    let mut options = client_options(&dir, server.port());
    // OpenSSL 3's default bundle (PBES2, AES-256, SHA-256 MAC), the passphrase
    // from the `passphrase` option.
    options.pfx = Some(vec![PfxEntry {
        buf,
        passphrase: None,
    }]);
    options.passphrase = Some("s3cret".into());
    assert_client_authorized(&connect_and_report(&server, options));
}

#[test]
fn legacy_pfx_identity_reaches_node() {
    let dir = pki();
    // RC2-40 certificates and a 3DES key, SHA-1 MAC: what older OpenSSL wrote.
    let buf = export_pfx(&dir, Some("inter.pem"), &["-legacy"]);
    let server = server(&dir);
    let mut options = client_options(&dir, server.port());
    options.pfx = Some(vec![PfxEntry {
        buf,
        passphrase: Some("s3cret".into()),
    }]);
    options.passphrase = Some("not this one".into());
    assert_client_authorized(&connect_and_report(&server, options));
}

#[test]
fn legacy_encrypted_key_reaches_node() {
    let dir = pki();
    dir.openssl(&[
        "rsa",
        "-in",
        "client.key",
        "-aes256",
        "-traditional",
        "-passout",
        "pass:s3cret",
        "-out",
        "client-enc.key",
    ]);
    let key = dir.read_text("client-enc.key");
    assert!(key.contains("Proc-Type: 4,ENCRYPTED"));
    let server = server(&dir);
    let mut options = client_options(&dir, server.port());
    options.cert = Some(vec![Pem::Text(
        dir.read_text("client.pem") + &dir.read_text("inter.pem"),
    )]);
    options.key = Some(vec![KeyEntry {
        pem: Pem::Text(key),
        passphrase: Some("s3cret".into()),
    }]);
    assert_client_authorized(&connect_and_report(&server, options));
}

/// A wrong passphrase fails before any connection, with Node's error: no code,
/// OpenSSL's reason as the message.
#[test]
fn wrong_pfx_passphrase_fails_as_in_node() {
    let dir = pki();
    let buf = export_pfx(&dir, None, &[]);
    let mut options = client_options(&dir, 9);
    options.pfx = Some(vec![PfxEntry {
        buf,
        passphrase: Some("wrong".into()),
    }]);
    let Err(err) = instance().connect(options).expect("no trap") else {
        panic!("connected with a wrong passphrase");
    };
    assert_eq!(
        (err.code.as_str(), err.message.as_str()),
        ("", "mac verify failure")
    );
}

/// The same bundle without its intermediate: Node cannot build the chain and
/// refuses the client, so the tests above see the chain the bundle sent.
#[test]
fn pfx_without_its_intermediate_is_refused_by_node() {
    let dir = pki();
    let buf = export_pfx(&dir, None, &[]);
    let server = server(&dir);
    let mut options = client_options(&dir, server.port());
    options.pfx = Some(vec![PfxEntry {
        buf,
        passphrase: Some("s3cret".into()),
    }]);
    let mut instance = instance();
    if let Ok(socket) = instance.connect(options).expect("no trap") {
        // TLS 1.3: the server judges the client after the client finished.
        let _ = instance.socket(&socket).write(b"hello\n").expect("no trap");
        let _ = instance.socket(&socket).read(1024).expect("no trap");
    }
    let seen = server
        .next_event(WAIT)
        .expect("the server reports the attempt");
    assert!(
        seen.tls_client_error.is_some() || seen.authorized == Some(false),
        "{seen:?}"
    );
}

/// Node also trusts the other certificates of a `pfx` when it judges the
/// server: with the root in the bundle and no `ca`, the server (issued by that
/// root) is authorized.
#[test]
fn a_pfx_root_is_trusted_for_the_server() {
    let dir = pki();
    dir.write(
        "chain.pem",
        &(dir.read_text("inter.pem") + &dir.read_text("root.pem")),
    );
    let buf = export_pfx(&dir, Some("chain.pem"), &[]);
    let server = server(&dir);
    let with_bundle = |buf: Vec<u8>| ConnectOptions {
        ca: None,
        pfx: Some(vec![PfxEntry {
            buf,
            passphrase: Some("s3cret".into()),
        }]),
        ..client_options(&dir, server.port())
    };
    assert_client_authorized(&connect_and_report(&server, with_bundle(buf)));
    // Without the root in the bundle, the default roots do not know the root
    // Node's server sends after its certificate (OpenSSL completes its chain).
    let options = with_bundle(export_pfx(&dir, Some("inter.pem"), &[]));
    let Err(err) = instance().connect(options).expect("no trap") else {
        panic!("an unknown server was accepted");
    };
    assert_eq!(err.code, "SELF_SIGNED_CERT_IN_CHAIN");
}
