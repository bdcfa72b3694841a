//! The key exchanges beyond ring's curves that Node 26 negotiates, against
//! `openssl s_server`: X448 and RFC 7919's ffdhe groups (TLS 1.3 and 1.2),
//! TLS 1.2 DHE-RSA with the server's parameters, and `minDHSize`.

mod support;

use host_example::ConnectOptions;
use support::component::{echo_attached, instance, options};
use support::peers::OpenSslServer;
use test_pki::{NewKey, TempDir};

/// What a connection reported: protocol, cipher, and `getEphemeralKeyInfo()`
/// as (type, name, size); or the error's code.
type Outcome = Result<(String, String, (String, Option<String>, Option<u32>)), String>;

/// A directory holding a self-signed RSA-2048 certificate (DHE-RSA needs RSA).
fn rsa_dir(prefix: &str) -> TempDir {
    let dir = TempDir::new(prefix);
    dir.self_signed("rsa", NewKey::Rsa(2048), "/CN=localhost", 2, &[]);
    dir
}

/// An s_server with `dir`'s RSA certificate and `extra` arguments.
fn s_server(dir: &TempDir, extra: &[&str]) -> OpenSslServer {
    OpenSslServer::start(&dir.path("rsa.pem"), &dir.path("rsa.key"), None, extra)
}

/// Connects (attached) with `adjust`'s options, trusting anything (the
/// certificate is not under test), and echoes one line.
fn connect(server: &OpenSslServer, adjust: impl FnOnce(&mut ConnectOptions)) -> Outcome {
    let mut options = ConnectOptions {
        host: Some("127.0.0.1".into()),
        port: Some(u32::from(server.port())),
        reject_unauthorized: Some(false),
        ..options()
    };
    adjust(&mut options);
    let mut instance = instance();
    let socket = instance
        .connect(options)
        .expect("no trap")
        .map_err(|err| err.code)?;
    let mut calls = instance.socket(&socket);
    let protocol = calls.get_protocol().unwrap().unwrap_or_default();
    let cipher = calls
        .get_cipher()
        .unwrap()
        .map(|c| c.name)
        .unwrap_or_default();
    let info = calls
        .get_ephemeral_key_info()
        .unwrap()
        .expect("a key exchange");
    assert_eq!(
        echo_attached(&mut instance, &socket, b"hello\n"),
        b"olleh\n"
    );
    instance.socket(&socket).end().unwrap().unwrap();
    Ok((protocol, cipher, (info.kind, info.name, info.size)))
}

fn dh(bits: u32) -> (String, Option<String>, Option<u32>) {
    ("DH".into(), None, Some(bits))
}

#[test]
fn x448_in_tls13_and_tls12() {
    let dir = rsa_dir("kx-x448");
    let x448 = ("ECDH".into(), Some("X448".into()), Some(448));
    let tls13 = s_server(&dir, &["-groups", "X448"]);
    let (protocol, _, info) = connect(&tls13, |_| {}).unwrap();
    assert_eq!(
        (protocol.as_str(), &info),
        ("TLSv1.3", &x448),
        "{}",
        tls13.output()
    );
    let tls12 = s_server(&dir, &["-groups", "X448", "-tls1_2"]);
    let (protocol, cipher, info) = connect(&tls12, |_| {}).unwrap();
    assert_eq!(protocol, "TLSv1.2");
    assert_eq!(cipher, "ECDHE-RSA-CHACHA20-POLY1305");
    assert_eq!(info, x448);
}

/// Our default groups hold ffdhe2048 and ffdhe3072, as Node 26's; the larger
/// ones are offered when named.
#[test]
fn ffdhe_groups_in_tls13() {
    let dir = rsa_dir("kx-ffdhe");
    for (group, named) in [
        ("ffdhe2048", false),
        ("ffdhe3072", false),
        ("ffdhe4096", true),
        ("ffdhe8192", true),
    ] {
        let server = s_server(&dir, &["-groups", group]);
        let (protocol, _, info) = connect(&server, |o| {
            o.ecdh_curve = named.then(|| group.to_owned());
        })
        .unwrap_or_else(|code| panic!("{group}: {code}\n{}", server.output()));
        let bits = group["ffdhe".len()..].parse().unwrap();
        assert_eq!((protocol.as_str(), info), ("TLSv1.3", dh(bits)), "{group}");
    }
}

/// TLS 1.2 DHE-RSA: OpenSSL's automatic parameters for an RSA-2048 key (RFC
/// 3526's 2048-bit prime) and RFC 7919's, each suite Node offers; parameters
/// of the server's own making rustls cannot take.
#[test]
fn dhe_rsa_in_tls12() {
    let dir = rsa_dir("kx-dhe");
    for suite in [
        "DHE-RSA-AES128-GCM-SHA256",
        "DHE-RSA-AES256-GCM-SHA384",
        "DHE-RSA-CHACHA20-POLY1305",
    ] {
        let server = s_server(&dir, &["-tls1_2", "-cipher", suite]);
        let outcome = connect(&server, |_| {});
        let (protocol, cipher, info) =
            outcome.unwrap_or_else(|code| panic!("{suite}: {code}\n{}", server.output()));
        assert_eq!(
            (protocol.as_str(), cipher.as_str(), info),
            ("TLSv1.2", suite, dh(2048))
        );
    }
    let params = dir.path("ffdhe3072.pem");
    openssl(
        &[
            "genpkey",
            "-genparam",
            "-algorithm",
            "DH",
            "-pkeyopt",
            "group:ffdhe3072",
            "-out",
        ],
        &params,
    );
    let server = s_server(
        &dir,
        &[
            "-tls1_2",
            "-cipher",
            "DHE-RSA-AES128-GCM-SHA256",
            "-dhparam",
            params.to_str().unwrap(),
        ],
    );
    let (_, _, info) = connect(&server, |_| {}).unwrap();
    assert_eq!(info, dh(3072));
    // minDHSize above it: Node's error, after the handshake.
    let code = connect(&server, |o| o.min_dh_size = Some(4096.0)).unwrap_err();
    assert_eq!(code, "ERR_TLS_DH_PARAM_SIZE");

    // RFC 3526's 2048-bit prime with generator 5: Node connects; rustls
    // accepts no parameters but the groups it knows, and refuses these.
    let own = own_parameters(&dir);
    let server = s_server(
        &dir,
        &[
            "-tls1_2",
            "-cipher",
            "DHE-RSA-AES128-GCM-SHA256",
            "-dhparam",
            own.to_str().unwrap(),
        ],
    );
    let code = connect(&server, |_| {}).unwrap_err();
    assert_eq!(code, "ERR_SSL_PROTOCOL_ERROR");
}

/// DH parameters no table holds: RFC 3526's 2048-bit prime (from openssl)
/// with its generator 2 made 5, the last byte of the DER.
fn own_parameters(dir: &TempDir) -> std::path::PathBuf {
    let (modp, der, own) = (
        dir.path("modp.pem"),
        dir.path("modp.der"),
        dir.path("own.pem"),
    );
    openssl(
        &[
            "genpkey",
            "-genparam",
            "-algorithm",
            "DH",
            "-pkeyopt",
            "group:modp_2048",
            "-out",
        ],
        &modp,
    );
    openssl(
        &[
            "dhparam",
            "-in",
            modp.to_str().unwrap(),
            "-outform",
            "DER",
            "-out",
        ],
        &der,
    );
    let mut bytes = std::fs::read(&der).unwrap();
    assert!(bytes.ends_with(&[2, 1, 2]), "g = 2 ends the DER");
    *bytes.last_mut().unwrap() = 5;
    std::fs::write(&der, bytes).unwrap();
    openssl(
        &[
            "dhparam",
            "-inform",
            "DER",
            "-in",
            der.to_str().unwrap(),
            "-out",
        ],
        &own,
    );
    own
}

/// Runs openssl with `args`, then `out`.
fn openssl(args: &[&str], out: &std::path::Path) {
    let mut cmd = std::process::Command::new("openssl");
    cmd.args(args).arg(out);
    let status = cmd
        .stderr(std::process::Stdio::null())
        .status()
        .expect("openssl runs");
    assert!(status.success(), "openssl {args:?}");
}
