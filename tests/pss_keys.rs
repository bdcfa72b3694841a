//! RSA-PSS keys (id-RSASSA-PSS) against `openssl s_server`: a chain of them,
//! with and without key parameters, connects in TLS 1.3 (rsa_pss_pss_sha256)
//! with the host's crypto or without it, which never sees an RSA signature;
//! TLS 1.2 stays out of rustls's reach (see the README's differences).

mod support;

use host_example::HostCrypto;
use support::component::{component, echo_attached, options_to};
use support::peers::OpenSslServer;
use test_pki::TempDir;

/// `-pkeyopt`s restricting a key to SHA-256, MGF1 SHA-256, a 32-byte salt.
const RESTRICTED: [&str; 3] = [
    "rsa_pss_keygen_md:sha256",
    "rsa_pss_keygen_mgf1_md:sha256",
    "rsa_pss_keygen_saltlen:32",
];

/// A PSS root (`root.pem`) and a localhost leaf (`leaf.pem`) signed by it with
/// RSASSA-PSS over SHA-256, the salt as long as the hash; keys with `options`.
fn pss_chain(prefix: &str, options: &[&str]) -> TempDir {
    let dir = TempDir::new(prefix);
    dir.rsa_pss_key("root", options);
    dir.rsa_pss_key("leaf", options);
    let pss = [
        "-sha256",
        "-sigopt",
        "rsa_padding_mode:pss",
        "-sigopt",
        "rsa_pss_saltlen:digest",
    ];
    let mut root = vec![
        "req",
        "-x509",
        "-new",
        "-key",
        "root.key",
        "-subj",
        "/CN=pss root",
    ];
    root.extend(["-days", "2", "-out", "root.pem"]);
    root.extend(pss);
    dir.openssl(&root);
    dir.openssl(&[
        "req",
        "-new",
        "-key",
        "leaf.key",
        "-subj",
        "/CN=localhost",
        "-out",
        "leaf.csr",
    ]);
    dir.write(
        "leaf.ext",
        "basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost\n",
    );
    let mut leaf = vec![
        "x509", "-req", "-in", "leaf.csr", "-CA", "root.pem", "-CAkey", "root.key",
    ];
    leaf.extend([
        "-set_serial",
        "9",
        "-days",
        "2",
        "-extfile",
        "leaf.ext",
        "-out",
        "leaf.pem",
    ]);
    leaf.extend(pss);
    dir.openssl(&leaf);
    dir
}

/// Connects to `server` trusting `dir`'s root, the host's crypto as
/// `host_crypto`: (protocol, cipher, signatures the host verified), after an
/// echo; or the error's code.
fn connect(
    dir: &TempDir,
    server: &OpenSslServer,
    host_crypto: HostCrypto,
) -> Result<(String, String, usize), String> {
    let mut instance = component()
        .instantiate_with(host_crypto)
        .expect("the component instantiates");
    let mut options = options_to(server.port(), &dir.read_text("root.pem"));
    options.host = Some("localhost".into());
    let socket = instance
        .connect(options)
        .expect("no trap")
        .map_err(|err| err.code)?;
    let mut calls = instance.socket(&socket);
    assert!(calls.authorized().unwrap());
    let protocol = calls.get_protocol().unwrap().unwrap_or_default();
    let cipher = calls.get_cipher().unwrap().expect("a cipher").name;
    assert_eq!(
        echo_attached(&mut instance, &socket, b"hello\n"),
        b"olleh\n"
    );
    instance.socket(&socket).end().unwrap().unwrap();
    let verified = instance.host_crypto_counts().signatures_verified;
    Ok((protocol, cipher, verified))
}

#[test]
fn pss_chains_connect_in_tls13_with_or_without_the_hosts_crypto() {
    if !test_pki::require(&["openssl"]) {
        return;
    }
    for (prefix, options) in [("pss-plain", &[][..]), ("pss-restricted", &RESTRICTED[..])] {
        let dir = pss_chain(prefix, options);
        for host_crypto in [HostCrypto::Native, HostCrypto::Declined] {
            let server =
                OpenSslServer::start(&dir.path("leaf.pem"), &dir.path("leaf.key"), None, &[]);
            let outcome = connect(&dir, &server, host_crypto).unwrap_or_else(|code| {
                panic!("{prefix} {host_crypto:?}: {code}\n{}", server.output())
            });
            // RSA stays in the guest: the host verifies none of these signatures.
            assert_eq!(
                outcome,
                ("TLSv1.3".into(), "TLS_CHACHA20_POLY1305_SHA256".into(), 0),
                "{prefix} {host_crypto:?}"
            );
        }
    }
}

#[test]
fn pss_keys_in_tls12_are_refused_as_the_wrong_signature_type() {
    if !test_pki::require(&["openssl"]) {
        return;
    }
    let dir = pss_chain("pss-tls12", &[]);
    let server = OpenSslServer::start(
        &dir.path("leaf.pem"),
        &dir.path("leaf.key"),
        None,
        &["-tls1_2"],
    );
    assert_eq!(
        connect(&dir, &server, HostCrypto::Declined),
        Err("ERR_SSL_WRONG_SIGNATURE_TYPE".into()),
        "{}",
        server.output()
    );
}
