//! The host's crypto: with the wasmtime host's native ring taking the traffic
//! keys and verifying the signatures, and with the host declining so the guest's
//! ring does both, every AEAD of TLS 1.3 and TLS 1.2 verifies Node's server and
//! carries the same bytes to it and back; and a server whose signatures do not verify is
//! refused either way.

mod support;

use host_example::{ClientInstance, HostCrypto, HostCryptoCounts};
use support::component::{component, options_to};
use support::drive::{self, Plan};
use support::peers::{NodeServer, NodeServerConfig};

/// Every AEAD in both TLS versions: (the `ciphers` given, the IANA name
/// negotiated, the keys a host takes: TLS 1.3 has handshake and application
/// keys, TLS 1.2 application keys only, each in both directions).
const SUITES: [(&str, &str, usize); 6] = [
    ("TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256", 4),
    ("TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384", 4),
    (
        "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_CHACHA20_POLY1305_SHA256",
        4,
    ),
    (
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        2,
    ),
    (
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        2,
    ),
    (
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        2,
    ),
];

/// 1 MiB that differs in every 16 KiB record.
fn payload() -> Vec<u8> {
    (0..1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect()
}

/// Sends `data` in 16 KiB writes, each followed by reading its echo, and
/// returns everything that came back. Bounded by the data's length.
fn echo(instance: &mut ClientInstance, socket: &host_example::TlsSocket, data: &[u8]) -> Vec<u8> {
    let mut echoed = Vec::with_capacity(data.len());
    for chunk in data.chunks(16 * 1024) {
        instance
            .socket(socket)
            .write(chunk)
            .expect("no trap")
            .expect("write succeeds");
        let want = echoed.len() + chunk.len();
        while echoed.len() < want {
            let got = instance
                .socket(socket)
                .read(64 * 1024)
                .expect("no trap")
                .expect("read succeeds");
            assert!(!got.is_empty(), "the server ended early");
            echoed.extend_from_slice(&got);
        }
    }
    echoed
}

/// Options for Node's server at `port` with `suite` only: a TLS 1.2 suite
/// (OpenSSL's name) caps the version at TLS 1.2.
fn suite_options(port: u16, ca_pem: &str, suite: &str) -> host_example::ConnectOptions {
    let mut options = options_to(port, ca_pem);
    options.host = Some("localhost".into());
    options.ciphers = Some(suite.into());
    if !suite.starts_with("TLS_") {
        options.max_version = Some("TLSv1.2".into());
    }
    options
}

/// One echo of `data` with `suite`, the host doing or declining the crypto:
/// what came back, the suite negotiated, and what the host did.
fn run(host_crypto: HostCrypto, suite: &str, data: &[u8]) -> (Vec<u8>, String, HostCryptoCounts) {
    let pki = test_pki::DemoPki::generate();
    let server = NodeServer::start(&NodeServerConfig::serving(&pki.server));
    let mut instance = component()
        .instantiate_with(host_crypto)
        .expect("the component instantiates");
    let socket = instance
        .connect(suite_options(server.port(), &pki.ca_pem, suite))
        .expect("no trap")
        .expect("connects");
    let echoed = echo(&mut instance, &socket, data);
    let cipher = instance
        .socket(&socket)
        .get_cipher()
        .expect("no trap")
        .expect("a cipher after the handshake");
    instance.socket(&socket).destroy().expect("no trap");
    (echoed, cipher.standard_name, instance.host_crypto_counts())
}

/// Echoes the payload with every suite, the host doing or declining the
/// crypto: each suite is negotiated, every byte comes back, and the host did
/// `did(keys)`, `keys` being the keys the suite has a host take; `what` names
/// the host's part in failure messages.
fn every_suite_echoes(
    host_crypto: HostCrypto,
    did: impl Fn(usize) -> HostCryptoCounts,
    what: &str,
) {
    let data = payload();
    for (suite, iana, keys) in SUITES {
        let (echoed, negotiated, counts) = run(host_crypto, suite, &data);
        assert_eq!(negotiated, iana);
        assert_eq!(counts, did(keys), "{suite}: {what}");
        assert!(
            echoed == data,
            "{suite}: the echo differs from what was sent"
        );
    }
}

#[test]
fn native_host_crypto_carries_every_suite_byte_for_byte() {
    let did = |keys_taken| HostCryptoCounts {
        keys_taken,
        // The server's handshake signature, and the root's signature on the leaf.
        signatures_verified: 2,
        // Attached: the guest reads and writes its transport itself.
        ..HostCryptoCounts::default()
    };
    every_suite_echoes(HostCrypto::Native, did, "what the host did");
}

#[test]
fn declining_host_leaves_the_guest_to_carry_every_suite_byte_for_byte() {
    every_suite_echoes(
        HostCrypto::Declined,
        |_| HostCryptoCounts::default(),
        "the host did work it declined",
    );
}

/// A leaf that names the trusted root as its issuer but was signed by another
/// key of the same name is refused by either verifier, with the same code.
#[test]
fn a_forged_signature_is_refused_by_the_host_and_by_the_guest() {
    use test_pki::{Ca, LeafSpec};
    let trusted = Ca::new_root("forgery target root");
    // Same name, another key: the leaf claims the trusted root as its issuer.
    let forger = Ca::new_root("forgery target root");
    let leaf = forger.issue(&LeafSpec::server("localhost", &["localhost"]));
    let server = NodeServer::start(&NodeServerConfig::serving(&leaf));
    let mut codes = Vec::new();
    for host_crypto in [HostCrypto::Native, HostCrypto::Declined] {
        let mut instance = component()
            .instantiate_with(host_crypto)
            .expect("the component instantiates");
        let mut options = options_to(server.port(), &trusted.cert_pem());
        options.host = Some("localhost".into());
        let Err(refused) = instance.connect(options).expect("no trap") else {
            panic!("{host_crypto:?}: a forged chain was accepted");
        };
        let verified = instance.host_crypto_counts().signatures_verified;
        assert_eq!(
            verified > 0,
            host_crypto == HostCrypto::Native,
            "{host_crypto:?}"
        );
        codes.push(refused.code);
    }
    assert_eq!(codes[0], codes[1], "the host and the guest disagree");
}

/// Sans-IO, the host's record layer seals and opens the application data
/// natively once the connection is established: a megabyte's records (64 of
/// 16 KiB at least) never cross into the guest, TLS 1.2's are opened there
/// but sealed by the guest (so rustls applies its limit), and every byte
/// comes back. Declining, the host protects none.
#[test]
fn sans_io_application_data_is_protected_by_the_hosts_record_layer() {
    let pki = test_pki::DemoPki::generate();
    let server = NodeServer::start(&NodeServerConfig::serving(&pki.server));
    let data = payload();
    for (suite, host_crypto, sealed_here, opened_here) in [
        ("TLS_AES_128_GCM_SHA256", HostCrypto::Native, true, true),
        (
            "TLS_CHACHA20_POLY1305_SHA256",
            HostCrypto::Native,
            true,
            true,
        ),
        (
            "ECDHE-ECDSA-AES128-GCM-SHA256",
            HostCrypto::Native,
            false,
            true,
        ),
        ("TLS_AES_128_GCM_SHA256", HostCrypto::Declined, false, false),
    ] {
        let mut instance = component()
            .instantiate_with(host_crypto)
            .expect("the component instantiates");
        let options = suite_options(server.port(), &pki.ca_pem, suite);
        let stream = std::net::TcpStream::connect(("127.0.0.1", server.port())).expect("connects");
        let plan = Plan {
            send: data.clone(),
            ..Plan::default()
        };
        let outcome = drive::sans_io(&mut instance, options, stream, &plan).expect("no trap");
        assert_eq!(outcome.error, None, "{suite}");
        assert!(
            outcome.data == data,
            "{suite}: the echo differs from what was sent"
        );
        let counts = instance.host_crypto_counts();
        let what = format!("{suite} {host_crypto:?}: {counts:?}");
        assert_eq!(counts.records_sealed >= 64, sealed_here, "{what}");
        assert_eq!(counts.records_sealed == 0, !sealed_here, "{what}");
        assert_eq!(counts.records_opened >= 64, opened_here, "{what}");
        assert_eq!(counts.records_opened == 0, !opened_here, "{what}");
    }
}
