//! The bounds on what a hostile server can make the client do (the engine's
//! `verify/bounds.rs` lists them): the largest certificate message, chain
//! depth, the number of certificates, name-constraint work and the guest's
//! memory (the time each answer takes is printed, not asserted). Each case is
//! a real server (Node's `tls.createServer`, serving what a hostile server
//! sends) on 127.0.0.1; Node 26's own `tls.connect` is asked first, then the
//! component (attached, `rejectUnauthorized` true) in one instance. Where our
//! answer differs from Node's, the difference is the written-down one
//! (README, "Hostile peers and bad input"), asserted here so that it cannot
//! change unnoticed.

mod support;

use std::time::Instant;

use host_example::{ClientInstance, ConnectOptions, Pem};
use support::component::{instance, options};
use support::drive::openssl_error;
use support::node26::{node26_connect, NodeAnswer};
use support::peers::{NodeServer, NodeServerConfig};
use test_pki::hostile::{
    certificate_pem, long_chain, name_constraint_flood, padding_certificate, same_name_chain,
};
use test_pki::{Ca, Issued, LeafSpec};

/// What a hostile server serves, and what each client is expected to answer.
struct Case {
    name: String,
    /// The server's chain, PEM, leaf first.
    chain_pem: String,
    key_pem: String,
    /// What the clients trust.
    ca_pem: String,
    max_version: Option<&'static str>,
    /// Node 26's answer: `authorized` or the error's code.
    node: &'static str,
    /// Ours.
    ours: &'static str,
}

/// Every case's server name: the leaves are for it.
const SERVERNAME: &str = "localhost";

impl Case {
    /// A case served up to TLS 1.3, with Node's answer and ours.
    fn new(
        name: String,
        (chain_pem, key_pem): (String, String),
        ca_pem: String,
        (node, ours): (&'static str, &'static str),
    ) -> Self {
        Self {
            name,
            chain_pem,
            key_pem,
            ca_pem,
            max_version: None,
            node,
            ours,
        }
    }
}

/// What one case came to.
struct Seen {
    name: String,
    node: NodeAnswer,
    ours: String,
    ours_ms: f64,
    memory: usize,
}

/// A leaf for localhost issued by `issuer`.
fn localhost_leaf(issuer: &Ca) -> Issued {
    issuer.issue(&LeafSpec::server(SERVERNAME, &[SERVERNAME]))
}

/// The leaf, then padding certificates that bring the TLS 1.3 certificate
/// message's body (a context byte, the list's three length bytes, then each
/// certificate with three length bytes and two of extensions) to `body` bytes.
fn padded(leaf: &Issued, body: usize) -> String {
    let mut chain = leaf.cert_pem.clone();
    let mut left = body - (4 + leaf.cert_der.len() + 5);
    // Each padding certificate at most 20,000 bytes long, none under 1,000.
    while left > 0 {
        let take = if left > 21_005 { 20_000 } else { left - 5 };
        let take = take.max(1_000);
        chain.push_str(&certificate_pem(&padding_certificate(take)));
        left = left.saturating_sub(take + 5);
    }
    chain
}

fn message_cases() -> Vec<Case> {
    let root = Ca::new_root("tls-connect bounds message root");
    let leaf = localhost_leaf(&root);
    let case = |body: usize, max_version: Option<&'static str>, node, ours| Case {
        max_version,
        ..Case::new(
            format!(
                "certificate message of {body} bytes ({})",
                max_version.unwrap_or("TLSv1.3")
            ),
            (padded(&leaf, body), leaf.key_pem.clone()),
            root.cert_pem(),
            (node, ours),
        )
    };
    vec![
        case(60_000, None, "authorized", "authorized"),
        // rustls joins no handshake message over 64 KiB; OpenSSL takes 100 KiB.
        case(80_000, None, "authorized", "ERR_SSL_EXCESSIVE_MESSAGE_SIZE"),
        case(
            80_000,
            Some("TLSv1.2"),
            "authorized",
            "ERR_SSL_EXCESSIVE_MESSAGE_SIZE",
        ),
        case(
            110_000,
            None,
            "ERR_SSL_EXCESSIVE_MESSAGE_SIZE",
            "ERR_SSL_EXCESSIVE_MESSAGE_SIZE",
        ),
        case(
            110_000,
            Some("TLSv1.2"),
            "ERR_SSL_EXCESSIVE_MESSAGE_SIZE",
            "ERR_SSL_EXCESSIVE_MESSAGE_SIZE",
        ),
    ]
}

fn depth_cases() -> Vec<Case> {
    let root = Ca::new_root("tls-connect bounds depth root");
    let long = long_chain(&root, 101);
    let case = |count: usize, node: &'static str, ours: &'static str| {
        let intermediates = &long[long.len() - count..];
        let leaf = localhost_leaf(&intermediates[0]);
        let mut chain_pem = leaf.cert_pem.clone();
        for ca in intermediates {
            chain_pem.push_str(&ca.cert_pem());
        }
        Case::new(
            format!("{count} intermediates"),
            (chain_pem, leaf.key_pem),
            root.cert_pem(),
            (node, ours),
        )
    };
    vec![
        case(8, "authorized", "authorized"),
        case(12, "authorized", "authorized"),
        case(100, "authorized", "authorized"),
        // OpenSSL builds no chain past its verify depth of 100.
        case(
            101,
            "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
            "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
        ),
    ]
}

fn count_cases() -> Vec<Case> {
    let root = Ca::new_root("tls-connect bounds count root");
    let intermediate = root.issue_intermediate("tls-connect bounds count intermediate");
    let leaf = localhost_leaf(&intermediate);
    let padding: String = (0..110)
        .map(|_| certificate_pem(&padding_certificate(400)))
        .collect();
    let case = |name: &str, chain_pem: String, node: &'static str, ours: &'static str| {
        Case::new(
            name.into(),
            (chain_pem, leaf.key_pem.clone()),
            root.cert_pem(),
            (node, ours),
        )
    };
    vec![
        case(
            "the issuer, then 110 other certificates",
            format!("{}{}{padding}", leaf.cert_pem, intermediate.cert_pem()),
            "authorized",
            "authorized",
        ),
        // We consider the first 100 after the leaf; OpenSSL all of them.
        case(
            "110 other certificates, then the issuer",
            format!("{}{padding}{}", leaf.cert_pem, intermediate.cert_pem()),
            "authorized",
            "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        ),
    ]
}

fn name_constraint_cases() -> Vec<Case> {
    let case = |name: &str, permitted, sans, subjects, node: &'static str, ours: &'static str| {
        let flood = name_constraint_flood(SERVERNAME, permitted, sans, subjects);
        Case::new(
            format!("name constraints: {name}"),
            (flood.leaf.cert_pem, flood.leaf.key_pem),
            flood.root.cert_pem(),
            (node, ours),
        )
    };
    vec![
        case(
            "1,024 names x 1,024 constraints",
            512,
            1,
            1021,
            "authorized",
            "authorized",
        ),
        case(
            "1,025 names x 1,024 constraints",
            512,
            1,
            1022,
            "UNSPECIFIED",
            "UNSPECIFIED",
        ),
        case(
            "2,048 SANs x 4,098 constraints",
            2049,
            2048,
            0,
            "UNSPECIFIED",
            "UNSPECIFIED",
        ),
        case(
            "2,048 subject names x 4,098 constraints",
            2049,
            1,
            2048,
            "UNSPECIFIED",
            "UNSPECIFIED",
        ),
        // Past webpki's 250,000 comparisons, within OpenSSL's 2^20.
        case(
            "600 SANs x 1,200 constraints",
            600,
            600,
            0,
            "authorized",
            "UNSPECIFIED",
        ),
    ]
}

fn same_name_cases() -> Vec<Case> {
    let root = Ca::new_root("tls-connect bounds unrelated root");
    [8, 100]
        .into_iter()
        .map(|count| {
            let (leaf, cas) = same_name_chain("tls-connect same name", count, SERVERNAME);
            let mut chain_pem = leaf.cert_pem.clone();
            for der in &cas {
                chain_pem.push_str(&certificate_pem(der));
            }
            Case::new(
                format!("{count} intermediates of one name"),
                (chain_pem, leaf.key_pem),
                root.cert_pem(),
                ("SELF_SIGNED_CERT_IN_CHAIN", "SELF_SIGNED_CERT_IN_CHAIN"),
            )
        })
        .collect()
}

fn good_case() -> Case {
    let root = Ca::new_root("tls-connect bounds good root");
    let intermediate = root.issue_intermediate("tls-connect bounds good intermediate");
    let leaf = localhost_leaf(&intermediate);
    Case::new(
        "a good chain".into(),
        (
            format!("{}{}", leaf.cert_pem, intermediate.cert_pem()),
            leaf.key_pem,
        ),
        root.cert_pem(),
        ("authorized", "authorized"),
    )
}

/// Serves the case, asks Node 26, then ours; asserts both answers.
fn run(instance: &mut ClientInstance, case: &Case) -> Seen {
    let server = NodeServer::start(&NodeServerConfig {
        key: case.key_pem.clone(),
        cert: case.chain_pem.clone(),
        max_version: case.max_version.map(str::to_owned),
        ..NodeServerConfig::default()
    });
    let node = node26_connect(server.port(), &case.ca_pem, SERVERNAME, true);
    assert_eq!(
        node.code(),
        case.node,
        "{}: Node {}",
        case.name,
        node.version
    );
    let started = Instant::now();
    let result = instance
        .connect(ConnectOptions {
            host: Some("127.0.0.1".into()),
            port: Some(u32::from(server.port())),
            servername: Some(SERVERNAME.to_owned()),
            ca: Some(vec![Pem::Text(case.ca_pem.clone())]),
            reject_unauthorized: Some(true),
            ..options()
        })
        .expect("no trap");
    let ours_ms = started.elapsed().as_secs_f64() * 1000.0;
    let (ours, ours_message) = match result {
        Ok(socket) => {
            let authorized = instance.socket(&socket).authorized().expect("no trap");
            instance.socket(&socket).destroy().expect("no trap");
            instance.drop_socket(socket).expect("no trap");
            assert!(authorized, "{}: connected but not authorized", case.name);
            ("authorized".to_owned(), String::new())
        }
        Err(err) => (err.code, err.message),
    };
    assert_eq!(ours, case.ours, "{}: ours ({ours_message})", case.name);
    // The same OpenSSL error where both refuse in the handshake.
    if let Err((code, message)) = &node.outcome {
        if *code == ours && code.starts_with("ERR_SSL_") {
            assert_eq!(
                openssl_error(&ours_message),
                openssl_error(message),
                "{}",
                case.name
            );
        }
    }
    Seen {
        name: case.name.clone(),
        node,
        ours,
        ours_ms,
        memory: instance.guest_memory_bytes(),
    }
}

/// Every bound against its hostile server, in one instance, with a good
/// connection first and last; then the guest's memory. The time each answer
/// took is printed as a figure, not asserted (a timing is a benchmark): the
/// engine's tests bound the work itself (`verify/tests/bounds.rs`).
#[test]
fn hostile_servers_meet_the_documented_bounds() {
    let mut instance = instance();
    let good = good_case();
    let first = run(&mut instance, &good);
    let baseline_memory = first.memory;
    let mut seen = vec![first];
    for case in message_cases()
        .into_iter()
        .chain(depth_cases())
        .chain(count_cases())
        .chain(name_constraint_cases())
        .chain(same_name_cases())
    {
        seen.push(run(&mut instance, &case));
    }
    let last = run(&mut instance, &good);
    println!("| case | Node 26 | ms | ours | ms | guest memory after |");
    println!("|---|---|---|---|---|---|");
    for s in seen.iter().chain(std::iter::once(&last)) {
        println!(
            "| {} | {} | {:.0} | {} | {:.0} | {} KiB |",
            s.name,
            s.node.code(),
            s.node.ms,
            s.ours,
            s.ours_ms,
            s.memory / 1024
        );
    }
    // Memory: the guest grows by at most a few MiB over all of them (the
    // largest message rustls buffers is 64 KiB; a verdict's work is freed).
    let grown = last.memory.saturating_sub(baseline_memory);
    assert!(
        last.memory < 16 << 20 && grown < 8 << 20,
        "guest memory {} KiB after, {} KiB before",
        last.memory / 1024,
        baseline_memory / 1024
    );
}
