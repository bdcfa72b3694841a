//! No trap, ever: 1,000 failed connections and misused sockets through ONE
//! component instance (junk from a peer, resets, ends, oversized records, bad
//! certificates, refused ports, bad options, calls in the wrong mode or state,
//! garbage for `check-server-identity`). Every one must come back as a
//! `tls-error` with a Node-style code; a trap (a guest panic) would fail the call
//! with a wasmtime error and poison the instance. Afterwards no stream is left in
//! the instance's table and the same instance makes good connections.

mod support;

use std::collections::BTreeMap;
use std::net::TcpStream;
use std::time::Instant;

use host_example::echo_server::{EchoServer, EchoServerConfig};
use host_example::{
    AlpnProtocols, ClientInstance, ConnectOptions, KeyEntry, PeerCertificate, Pem, PfxEntry,
    TlsError, TlsSocket,
};
use support::component::{instance, options, options_to, with_client_cert};
use support::drive::{self, Plan};
use support::faulty::{junk, Fault, FaultyPeer, Rng};
use support::peers::free_port;
use support::scenarios::{self, Scenario};
use test_pki::{DemoPki, Tool};

/// Failed connections and calls the test drives through the one instance.
const CASES: usize = 1000;

/// A guest call's outcome: `Err` is a trap, `Ok(Err)` a tls-error.
type Call<T> = wasmtime::Result<Result<T, TlsError>>;

/// Node's codes are upper-case words joined by underscores (`ECONNRESET`,
/// `ERR_SSL_WRONG_VERSION_NUMBER`, `DEPTH_ZERO_SELF_SIGNED_CERT`).
fn is_node_code(code: &str) -> bool {
    code.starts_with(|c: char| c.is_ascii_uppercase())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// The tls-error of a call that must fail; panics on a trap or a success.
fn refused<T>(call: Call<T>, what: &str) -> TlsError {
    let err = match call {
        Err(trap) => panic!("{what}: the guest trapped: {trap:?}"),
        Ok(Ok(_)) => panic!("{what}: succeeded, but must fail"),
        Ok(Err(err)) => err,
    };
    // Node throws some OpenSSL errors without a code: an unknown `sigalgs` name
    // ("error:00000000:lib(0)::reason(0)"), a PKCS#12 it cannot read ("not enough
    // data", "header too long", "mac verify failure"). Those carry the text alone.
    let codeless_openssl = err.code.is_empty() && err.message.len() > 5;
    assert!(
        (is_node_code(&err.code) || codeless_openssl) && !err.message.is_empty(),
        "{what}: not a Node-style error: {err:?}"
    );
    err
}

/// Everything the cases need: peers, servers and key material.
struct Bench {
    pki: DemoPki,
    junk: FaultyPeer,
    reset_on_hello: FaultyPeer,
    reset_mid_handshake: FaultyPeer,
    eof: FaultyPeer,
    oversized: FaultyPeer,
    banner: FaultyPeer,
    bad_certs: Vec<(Scenario, EchoServer)>,
    good: EchoServer,
    encrypted_key_pem: String,
}

impl Bench {
    fn new() -> Self {
        let pki = DemoPki::generate();
        let peer = |fault| FaultyPeer::start(fault, &pki);
        let serve = |chain: &str, key: &str| {
            EchoServer::start(EchoServerConfig {
                cert_chain_pem: chain.to_owned(),
                key_pem: key.to_owned(),
                ..EchoServerConfig::default()
            })
            .expect("echo server starts")
        };
        let bad_certs = [
            scenarios::self_signed(),
            scenarios::expired(),
            scenarios::wrong_name(),
            scenarios::unknown_issuer(),
        ]
        .into_iter()
        .map(|s| {
            let server = serve(&s.server_chain_pem, &s.server_key_pem);
            (s, server)
        })
        .collect();
        Self {
            junk: peer(Fault::Junk(0x5eed)),
            reset_on_hello: peer(Fault::ResetOnHello),
            reset_mid_handshake: peer(Fault::ResetMidHandshake),
            eof: peer(Fault::EofBeforeHandshake),
            oversized: peer(Fault::OversizedHandshakeRecord),
            banner: peer(Fault::Banner),
            bad_certs,
            good: serve(&pki.server.cert_pem, &pki.server.key_pem),
            encrypted_key_pem: encrypted_key(),
            pki,
        }
    }

    fn to(&self, port: u16) -> ConnectOptions {
        options_to(port, &self.pki.ca_pem)
    }
}

/// An encrypted PKCS#8 key (passphrase `s3cret`), made by the openssl CLI.
fn encrypted_key() -> String {
    let pem = Tool::openssl()
        .args(["genpkey", "-algorithm", "EC", "-pkeyopt"])
        .args([
            "ec_paramgen_curve:P-256",
            "-aes-256-cbc",
            "-pass",
            "pass:s3cret",
        ])
        .run();
    String::from_utf8(pem).expect("PEM text")
}

/// The kinds of failure, taken in turn.
const KINDS: &[&str] = &[
    "junk from a peer, attached",
    "junk fed sans-IO",
    "reset on ClientHello",
    "reset mid-handshake (TLS 1.2)",
    "end before the handshake",
    "oversized record",
    "peer speaks first, not TLS",
    "bad certificate",
    "connection refused",
    "Unix socket that does not exist",
    "host name with a NUL byte",
    "ciphers that match nothing",
    "ciphers naming only CBC suites",
    "unknown TLS version",
    "only TLS 1.0 and 1.1",
    "ALPN name over 255 bytes",
    "malformed ALPN wire format",
    "garbage key",
    "key of random bytes",
    "encrypted key, no passphrase",
    "encrypted key, wrong passphrase",
    "certificate and key that do not match",
    "invalid servername",
    "port out of range",
    "neither port nor path",
    "read on a sans-IO socket",
    "feed on a destroyed socket",
    "write after end",
    "end of stream before the handshake, sans-IO",
    "feed and feed-end on an attached socket",
    "write on a destroyed attached socket",
    "check-server-identity on garbage",
    "reads of every size, then a write after destroy",
    "keying material of every length, before and after destroy",
    "junk session bytes",
    "unknown ecdhCurve",
    "unknown sigalgs",
    "unknown secureProtocol",
    "pfx of random bytes",
    "identity verdict with no check pending",
];

/// Runs case `n` (of kind `n % KINDS.len()`); returns the error's code.
fn run_case(instance: &mut ClientInstance, bench: &Bench, rng: &mut Rng, n: usize) -> String {
    let kind = KINDS[n % KINDS.len()];
    let what = format!("case {n} ({kind})");
    let connect =
        |instance: &mut ClientInstance, o: ConnectOptions| refused(instance.connect(o), &what);
    if let Some(options) = bad_option(kind, bench, rng) {
        return refused(instance.start(options), &what).code;
    }
    let err = match kind {
        "junk from a peer, attached" => connect(instance, bench.to(bench.junk.port())),
        "junk fed sans-IO" => {
            let socket = started(instance, bench.to(0));
            let bytes = junk(rng.next_u64());
            let mut calls = instance.socket(&socket);
            let err = match calls.feed(&bytes).expect("no trap") {
                Err(err) => err,
                // Junk that only looks like the start of a record waits for more:
                // the stream's end then fails it.
                Ok(_) => refused(calls.feed_end(), &what),
            };
            instance.drop_socket(socket).expect("no trap");
            err
        }
        "reset on ClientHello" => connect(instance, bench.to(bench.reset_on_hello.port())),
        "reset mid-handshake (TLS 1.2)" => {
            let mut o = bench.to(bench.reset_mid_handshake.port());
            o.max_version = Some("TLSv1.2".into());
            connect(instance, o)
        }
        "end before the handshake" => connect(instance, bench.to(bench.eof.port())),
        "oversized record" => connect(instance, bench.to(bench.oversized.port())),
        "peer speaks first, not TLS" => connect(instance, bench.to(bench.banner.port())),
        "bad certificate" => {
            let (scenario, server) = &bench.bad_certs[rng.below(bench.bad_certs.len())];
            let mut o = options();
            o.host = Some("localhost".into());
            o.port = Some(u32::from(server.port()));
            o.ca = scenario
                .client_ca_pem
                .clone()
                .map(|pem| vec![Pem::Text(pem)]);
            connect(instance, o)
        }
        "connection refused" => connect(instance, bench.to(free_port())),
        "Unix socket that does not exist" => {
            let mut o = bench.to(0);
            o.path = Some(format!("/nonexistent/tls-connect-{n}.sock"));
            connect(instance, o)
        }
        "host name with a NUL byte" => {
            // Refused by the resolver before any lookup: no traffic leaves the machine.
            let mut o = bench.to(443);
            o.host = Some("bad\0host.invalid".into());
            connect(instance, o)
        }
        "port out of range" => {
            let mut o = options();
            o.port = Some(65_536 + rng.below(1 << 20) as u32);
            connect(instance, o)
        }
        "neither port nor path" => connect(instance, options()),
        "keying material of every length, before and after destroy" => {
            let socket = started(instance, bench.to(0));
            let lengths = [
                0.0,
                -1.0,
                1.5,
                f64::NAN,
                f64::INFINITY,
                4_294_967_295.0,
                1e300,
            ];
            let mut err = None;
            for length in lengths {
                let call = instance.socket(&socket).export_keying_material(
                    length,
                    "label",
                    Some(&[0u8; 64][..]),
                );
                err = Some(refused(call, &what));
                assert!(!instance
                    .socket(&socket)
                    .set_max_send_fragment(length)
                    .expect("no trap"));
            }
            instance.socket(&socket).destroy().expect("no trap");
            let call = instance
                .socket(&socket)
                .export_keying_material(32.0, "label", None);
            refused(call, &what);
            instance.drop_socket(socket).expect("no trap");
            err.expect("lengths tried")
        }
        "junk session bytes" => {
            let len = rng.below(128);
            let socket = started(
                instance,
                ConnectOptions {
                    session: Some(rng.bytes(len)),
                    ..bench.to(0)
                },
            );
            let err = refused(instance.socket(&socket).feed_end(), &what);
            instance.drop_socket(socket).expect("no trap");
            err
        }
        "identity verdict with no check pending" => {
            let socket = started(instance, bench.to(0));
            let err = refused(instance.socket(&socket).settle_identity(None), &what);
            instance.drop_socket(socket).expect("no trap");
            err
        }
        "read on a sans-IO socket" => {
            let socket = started(instance, bench.to(0));
            let err = refused(instance.socket(&socket).read(1024), &what);
            instance.drop_socket(socket).expect("no trap");
            err
        }
        "feed on a destroyed socket" => {
            let socket = started(instance, bench.to(0));
            instance.socket(&socket).destroy().expect("no trap");
            let err = refused(instance.socket(&socket).feed(b"\x16\x03\x03"), &what);
            refused(instance.socket(&socket).feed_end(), &what);
            refused(instance.socket(&socket).end(), &what);
            refused(instance.socket(&socket).write(b"late"), &what);
            assert_eq!(
                instance.socket(&socket).get_protocol().expect("no trap"),
                None
            );
            instance.drop_socket(socket).expect("no trap");
            err
        }
        "write after end" => {
            let socket = started(instance, bench.to(0));
            instance
                .socket(&socket)
                .end()
                .expect("no trap")
                .expect("end");
            let err = refused(instance.socket(&socket).write(b"after end"), &what);
            instance.drop_socket(socket).expect("no trap");
            err
        }
        "end of stream before the handshake, sans-IO" => {
            let socket = started(instance, bench.to(0));
            let err = refused(instance.socket(&socket).feed_end(), &what);
            instance.drop_socket(socket).expect("no trap");
            err
        }
        "feed and feed-end on an attached socket" => {
            let socket = connected(instance, bench);
            let mut calls = instance.socket(&socket);
            let err = refused(calls.feed(b"bytes"), &what);
            refused(calls.feed_end(), &what);
            // The sans-IO getters answer harmlessly on an attached socket.
            assert!(calls.take_outgoing().expect("no trap").is_empty());
            assert!(!calls.wants_write_end().expect("no trap"));
            calls.destroy().expect("no trap");
            instance.drop_socket(socket).expect("no trap");
            err
        }
        "write on a destroyed attached socket" => {
            let socket = connected(instance, bench);
            instance.socket(&socket).destroy().expect("no trap");
            let err = refused(instance.socket(&socket).write(b"late"), &what);
            refused(instance.socket(&socket).end(), &what);
            let peer = instance.socket(&socket).get_peer_certificate(true);
            assert!(
                peer.expect("no trap").is_none(),
                "{what}: Node's null after destroy"
            );
            instance.drop_socket(socket).expect("no trap");
            err
        }
        "check-server-identity on garbage" => {
            let cert = garbage_certificate(rng);
            let len = rng.below(40);
            let host = String::from_utf8_lossy(&rng.bytes(len)).into_owned();
            refused(instance.check_server_identity(&host, &cert), &what)
        }
        "reads of every size, then a write after destroy" => {
            let socket = connected(instance, bench);
            let mut calls = instance.socket(&socket);
            calls.write(b"hello").expect("no trap").expect("write");
            // 0 still reads one byte; u32::MAX after a partial read reads the rest.
            let mut got = Vec::new();
            for max_len in [0, 1, u32::MAX] {
                got.extend(calls.read(max_len).expect("no trap").expect("read"));
            }
            assert_eq!(got, b"hello", "{what}");
            calls.destroy().expect("no trap");
            let err = refused(calls.write(b"late"), &what);
            instance.drop_socket(socket).expect("no trap");
            err
        }
        other => unreachable!("{other}"),
    };
    err.code
}

/// A socket from `start`, which must succeed.
fn started(instance: &mut ClientInstance, options: ConnectOptions) -> TlsSocket {
    instance
        .start(options)
        .expect("no trap")
        .expect("start succeeds")
}

/// A socket connected (attached) to the good echo server, which must succeed.
fn connected(instance: &mut ClientInstance, bench: &Bench) -> TlsSocket {
    instance
        .connect(bench.to(bench.good.port()))
        .expect("no trap")
        .expect("connects")
}

/// Options with one bad option for the kinds `start` must refuse for it;
/// `None` for the other kinds.
fn bad_option(kind: &str, bench: &Bench, rng: &mut Rng) -> Option<ConnectOptions> {
    let key = |pem, passphrase: Option<&str>| {
        let passphrase = passphrase.map(str::to_owned);
        Some(vec![KeyEntry { pem, passphrase }])
    };
    let encrypted_key = || Pem::Text(bench.encrypted_key_pem.clone());
    let mut o = options();
    match kind {
        "ciphers that match nothing" => o.ciphers = Some("TLS_BOGUS:BOGUS".into()),
        "ciphers naming only CBC suites" => {
            o.ciphers = Some("AES128-SHA:ECDHE-RSA-AES256-SHA384@SECLEVEL=0".into());
        }
        "unknown TLS version" => o.min_version = Some("TLSv9".into()),
        "only TLS 1.0 and 1.1" => o.max_version = Some("TLSv1.1".into()),
        "ALPN name over 255 bytes" => {
            let name = "h".repeat(256 + rng.below(64));
            o.alpn_protocols = Some(AlpnProtocols::Names(vec![name]));
        }
        "malformed ALPN wire format" => {
            o.alpn_protocols = Some(AlpnProtocols::Wire(b"\x08http/1.1\x09h2".to_vec()));
        }
        "garbage key" => o.key = key(Pem::Text("garbage".into()), None),
        "key of random bytes" => {
            let len = 1 + rng.below(4096);
            o.key = key(Pem::Bytes(rng.bytes(len)), None);
        }
        "encrypted key, no passphrase" => o.key = key(encrypted_key(), None),
        "encrypted key, wrong passphrase" => o.key = key(encrypted_key(), Some("wrong")),
        "certificate and key that do not match" => {
            let pki = &bench.pki;
            o = with_client_cert(o, &pki.client.cert_pem, &pki.server.key_pem);
        }
        "invalid servername" => o.servername = Some("not a host name!".into()),
        "unknown ecdhCurve" => o.ecdh_curve = Some("nope:".repeat(1 + rng.below(8))),
        "unknown sigalgs" => o.sigalgs = Some("RSA+NOPE".into()),
        "unknown secureProtocol" => o.secure_protocol = Some("bogus".into()),
        "pfx of random bytes" => {
            let len = 1 + rng.below(4096);
            o.pfx = Some(vec![PfxEntry {
                buf: rng.bytes(len),
                passphrase: Some("x".into()),
            }]);
        }
        _ => return None,
    }
    Some(o)
}

/// A certificate object whose names are random: no host name can match it, and
/// its `subjectaltname` may not even split.
fn garbage_certificate(rng: &mut Rng) -> PeerCertificate {
    let text = |rng: &mut Rng| -> String {
        let len = rng.below(64);
        // Printable ASCII and the characters Node's parser treats specially.
        let alphabet = b"abcXYZ019.*-:, \"\\=DNSIP Address\x00\x7f";
        (0..len)
            .map(|_| alphabet[rng.below(alphabet.len())] as char)
            .collect()
    };
    PeerCertificate {
        subject: vec![("CN".into(), text(rng))],
        issuer: Vec::new(),
        subjectaltname: Some(format!("DNS:{}, {}", text(rng), text(rng))),
        info_access: None,
        ca: false,
        bits: None,
        modulus: None,
        exponent: None,
        pubkey: None,
        asn1_curve: None,
        nist_curve: None,
        valid_from: String::new(),
        valid_to: String::new(),
        fingerprint: String::new(),
        fingerprint256: String::new(),
        fingerprint512: String::new(),
        ext_key_usage: None,
        serial_number: String::new(),
        raw: Vec::new(),
    }
}

#[test]
fn a_thousand_failures_then_a_good_connection_in_one_instance() {
    let bench = Bench::new();
    let mut instance = instance();
    let mut rng = Rng::new(0x7e57);
    let started = Instant::now();
    // kind -> (tried, refused, codes seen)
    let mut tally: BTreeMap<&str, (usize, usize, BTreeMap<String, usize>)> = BTreeMap::new();
    for n in 0..CASES {
        let code = run_case(&mut instance, &bench, &mut rng, n);
        let entry = tally.entry(KINDS[n % KINDS.len()]).or_default();
        entry.0 += 1;
        entry.1 += 1;
        *entry.2.entry(code).or_default() += 1;
    }
    let took = started.elapsed();
    assert_eq!(
        instance.lent_streams(),
        (0, 0),
        "a transport stream was left behind"
    );

    // The same instance, both modes: a good echo.
    let plan = Plan {
        send: b"after a thousand failures".to_vec(),
        ..Plan::default()
    };
    let attached =
        drive::attached(&mut instance, bench.to(bench.good.port()), &plan).expect("no trap");
    assert!(
        attached.secure && attached.end && attached.error.is_none(),
        "{attached:?}"
    );
    assert_eq!(attached.data, plan.send);
    let stream = TcpStream::connect(("127.0.0.1", bench.good.port())).expect("reachable");
    let sans_io =
        drive::sans_io(&mut instance, bench.to(bench.good.port()), stream, &plan).expect("no trap");
    assert_eq!(sans_io, attached);

    println!(
        "{CASES} failures in one instance in {took:?}; guest memory {} KiB",
        instance.guest_memory_bytes() / 1024
    );
    println!("{:<50} {:>5} {:>7}  codes", "kind", "tried", "refused");
    for (kind, (tried, refused, codes)) in &tally {
        let codes: Vec<String> = codes.iter().map(|(c, n)| format!("{c} x{n}")).collect();
        println!("{kind:<50} {tried:>5} {refused:>7}  {}", codes.join(", "));
    }
    let tried: usize = tally.values().map(|t| t.0).sum();
    assert_eq!(tried, CASES);
}
