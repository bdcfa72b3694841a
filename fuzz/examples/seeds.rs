//! Writes the seed corpora under `fuzz/corpus/<target>/` (replacing what is
//! there): real server flights recorded from an in-memory handshake with the
//! fixed client (so they replay in any process: `fuzz/pki/` and the client's
//! randomness are fixed), certificates from the fixed PKI and the openssl CLI,
//! PEM and DER keys and CRLs, cipher strings, version names, ALPN lists, and
//! the `chain` target's combinations of its certificate universe. Nothing is
//! downloaded. x509-limbo's chains are added by `examples/limbo_seeds.rs`.
//!
//! `cargo +nightly run --release --example seeds` from `fuzz/` (needs `openssl`).

use std::path::Path;

use test_pki::{TempDir, Tool};

use tls_connect_engine::fuzzing::deterministic_context;
use tls_connect_fuzz::certinfo_input::mode;
use tls_connect_fuzz::chain_input::{self, flags as chain_flags};
use tls_connect_fuzz::options_input::field;
use tls_connect_fuzz::peer::OPS;
use tls_connect_fuzz::pki::{self, ServerShape, PKI};
use tls_connect_fuzz::prefixed;
use tls_connect_fuzz::records::record_bytes;
use tls_connect_fuzz::replay::{self, Key};
use tls_connect_fuzz::server_bytes::{chain, flags, Input, Mode};
use tls_connect_fuzz::universe::UNIVERSE;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let made = Made::new(&TempDir::new("seeds"));
    let mut counts = Vec::new();
    for (target, seeds) in [
        ("server_bytes", server_bytes_seeds(&made)),
        ("options", options_seeds(&made)),
        ("certinfo", certinfo_seeds(&made)),
        ("chain", chain_seeds()),
    ] {
        let dir = root.join(target);
        // Only the seeds made here are replaced: x509-limbo's (`limbo_seeds`),
        // inputs the fuzzers found (`found-*`) and the long run's folded
        // inputs (named by their SHA-1, `fold-corpus.sh`) stay.
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for entry in entries.flatten() {
                if made_here(&entry.file_name().to_string_lossy()) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        std::fs::create_dir_all(&dir).expect("corpus dir");
        for (name, bytes) in &seeds {
            std::fs::write(dir.join(name), bytes).expect("seed written");
        }
        counts.push(format!("{target}: {}", seeds.len()));
    }
    println!("seeds written to {}: {}", root.display(), counts.join(", "));
}

/// Whether a corpus file is one of the seeds this generator writes.
fn made_here(name: &str) -> bool {
    let folded = name.len() == 40 && name.bytes().all(|b| b.is_ascii_hexdigit());
    !(folded || name.starts_with("limbo-") || name.starts_with("found-"))
}

/// Certificates and keys made by the openssl CLI, in DER and PEM.
struct Made {
    /// (name, DER) of certificates with every kind of field.
    certs: Vec<(&'static str, Vec<u8>)>,
    /// (name, PEM text) of keys in every encoding the engine reads.
    keys: Vec<(&'static str, String)>,
}

impl Made {
    fn new(tmp: &TempDir) -> Self {
        let certs = CERTS
            .iter()
            .map(|(name, key, args)| (*name, openssl_cert(tmp, name, key, args)))
            .collect();
        let keys = KEYS
            .iter()
            .map(|(name, script)| {
                let pem = Tool::new("sh").args(["-c", script]).run();
                (*name, String::from_utf8(pem).expect("PEM"))
            })
            .collect();
        Self { certs, keys }
    }

    fn key(&self, name: &str) -> &str {
        &self
            .keys
            .iter()
            .find(|(n, _)| *n == name)
            .expect("key made")
            .1
    }
}

/// openssl req -x509 certificates: (name, -newkey argument, extra arguments).
const CERTS: &[(&str, &str, &[&str])] = &[
    (
        "rsa2048-every-alt-name",
        "rsa:2048",
        &[
            "-subj", "/CN=localhost/O=Fuzz Org, Inc./C=US",
            "-addext", "subjectAltName=DNS:localhost,DNS:*.example.com,IP:127.0.0.1,IP:::1,email:a@b.test,URI:https://x.test/p,RID:1.2.3.4,otherName:1.2.3.4;UTF8:hello",
            "-addext", "authorityInfoAccess=OCSP;URI:http://ocsp.test/,caIssuers;URI:http://ca.test/ca.crt",
            "-addext", "extendedKeyUsage=serverAuth,clientAuth,1.2.3.4.5",
            "-addext", "basicConstraints=critical,CA:FALSE",
            "-addext", "keyUsage=digitalSignature,keyEncipherment",
            "-addext", "crlDistributionPoints=URI:http://crl.test/a.crl",
            "-addext", "certificatePolicies=1.2.3.4",
        ],
    ),
    ("rsa1024-sha1", "rsa:1024", &["-sha1", "-subj", "/CN=weak.test"]),
    (
        "p384-ca-name-constraints",
        "ec:<(openssl ecparam -name secp384r1)",
        &[
            "-sha384", "-subj", "/CN=Constrained CA",
            "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0",
            "-addext", "nameConstraints=permitted;DNS:.example.com,excluded;IP:10.0.0.0/255.0.0.0",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ],
    ),
    ("ed25519", "ed25519", &["-subj", "/CN=ed.test", "-addext", "subjectAltName=DNS:ed.test"]),
    (
        "many-attributes-wildcards",
        "ec:<(openssl ecparam -name prime256v1)",
        &[
            "-subj", "/C=US/ST=CA/L=SF/O=Org/OU=Unit/CN=*.example.com/emailAddress=a@b.test/serialNumber=123/DC=example/DC=com/UID=u1",
            "-addext", "subjectAltName=DNS:*.example.com,DNS:a.*.example,DNS:*.com,DNS:xn--bcher-kva.example,DNS:b*z.example.net",
            "-days", "30000",
        ],
    ),
    (
        "utf8-names-no-alt-names",
        "ec:<(openssl ecparam -name prime256v1)",
        &["-utf8", "-subj", "/CN=bücher.example/O=Ünïcode/CN=second.example", "-set_serial", "0x00ff00ff00ff00ff00ff"],
    ),
];

/// Keys as the engine's `key` option takes them: (name, shell script printing PEM).
const KEYS: &[(&str, &str)] = &[
    ("sec1-p256", "openssl ecparam -name prime256v1 -genkey -noout"),
    ("pkcs1-rsa1024", "openssl genrsa -traditional 1024 2>/dev/null"),
    (
        "pkcs8-pbkdf2-aes256",
        "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 | openssl pkcs8 -topk8 -v2 aes-256-cbc -passout pass:s3cret",
    ),
    (
        "pkcs8-scrypt",
        "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 | openssl pkcs8 -topk8 -scrypt -passout pass:s3cret",
    ),
];

fn openssl_cert(tmp: &TempDir, name: &str, key: &str, args: &[&str]) -> Vec<u8> {
    let file = format!("{name}.der");
    // Through bash for the process substitution in EC parameters; every argument quoted.
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let script = format!(
        "openssl req -x509 -newkey {key} -nodes -keyout /dev/null -days 365 -outform DER -out '{file}' {}",
        quoted.join(" ")
    );
    Tool::new("bash")
        .args(["-c", &script])
        .current_dir(tmp.dir())
        .run();
    tmp.read(&file)
}

// ---------------------------------------------------------------------------

/// The server flights of one clean handshake with the fixed client (whose
/// flags are `bits`), and the client's first flight.
fn record_flights(shape: ServerShape, bits: u8) -> (Vec<u8>, Vec<Vec<u8>>) {
    let mut input = Input::new(Mode::Splice, Vec::new());
    input.flags = bits & !(flags::UNTRUSTED | flags::EARLY_WRITE | flags::ATTACHED);
    let options = input.client_options();
    let context = deterministic_context(&options).expect("the fixed client");
    let key = Key {
        tls12: shape.tls12,
        client_auth: shape.client_auth,
        alpn: bits & flags::ALPN != 0,
        sni: bits & flags::SNI != 0,
        client_cert: bits & flags::CLIENT_CERT != 0,
    };
    let recording = replay::recording(key, &options, &context, pki::real_server_config(shape));
    let flights = recording
        .server_flights
        .iter()
        .filter(|f| !f.is_empty())
        .cloned()
        .collect();
    (recording.client_flights[0].clone(), flights)
}

fn server_bytes_seeds(made: &Made) -> Vec<(String, Vec<u8>)> {
    let mut seeds = Vec::new();
    let mut add = |name: String, input: Input| seeds.push((name, input.encode()));
    let shapes = [
        (
            "tls13",
            0,
            ServerShape {
                tls12: false,
                client_auth: false,
            },
        ),
        (
            "tls12",
            flags::TLS12,
            ServerShape {
                tls12: true,
                client_auth: false,
            },
        ),
        (
            "tls12-client-auth",
            flags::TLS12 | flags::CLIENT_AUTH | flags::CLIENT_CERT,
            ServerShape {
                tls12: true,
                client_auth: true,
            },
        ),
        (
            "tls13-client-auth",
            flags::CLIENT_AUTH | flags::CLIENT_CERT,
            ServerShape {
                tls12: false,
                client_auth: true,
            },
        ),
    ];
    let alert = record_bytes(21, [3, 3], &[2, 40]);
    let ccs = record_bytes(20, [3, 3], &[1]);

    // Direct: recorded flights, alone, together, and cut; then non-TLS peers.
    for (name, bits, shape) in shapes {
        let (hello, flights) = record_flights(shape, bits);
        let all = flights.concat();
        add(
            format!("direct-{name}-first-flight"),
            with(Mode::Direct, bits, flights[0].clone()),
        );
        add(
            format!("direct-{name}-all-flights"),
            with(Mode::Direct, bits, all.clone()),
        );
        let mut bytewise = with(Mode::Direct, bits | flags::ATTACHED, all.clone());
        bytewise.chunk = 1;
        add(format!("direct-{name}-attached-bytewise"), bytewise);
        add(
            format!("direct-{name}-cut"),
            with(Mode::Direct, bits, all[..all.len() / 2].to_vec()),
        );
        add(
            format!("direct-{name}-client-hello-echoed"),
            with(Mode::Direct, bits, hello),
        );
    }
    for (name, data) in [
        ("direct-alert", alert.clone()),
        ("direct-http", b"HTTP/1.1 400 Bad Request\r\n\r\n".to_vec()),
        ("direct-oversized-record", vec![22, 3, 3, 0xff, 0xff, 2]),
        ("direct-sslv2", vec![0x80, 0x2e, 0x01, 0x00, 0x02]),
        ("direct-empty", Vec::new()),
    ] {
        add(name.to_owned(), with(Mode::Direct, 0, data));
    }

    // Splice: every operation on each of the first three flights.
    for (name, bits, _) in &shapes[..2] {
        for stage in 0..3u8 {
            for op in 0..OPS {
                let data = match op {
                    1 => vec![0xff],
                    2 => ccs.clone(),
                    3 | 4 => Vec::new(),
                    _ => alert.clone(),
                };
                let mut input = with(Mode::Splice, *bits | flags::EARLY_WRITE, data);
                (input.stage, input.op, input.pos, input.aux) = (stage, op, 40, 21);
                add(format!("splice-{name}-flight{stage}-op{op}"), input);
            }
        }
    }

    // Chain: the real chain, and certificates of every kind in its place.
    for (name, bits, _) in &shapes[..2] {
        let mut real = with(Mode::Chain, *bits | flags::EARLY_WRITE, Vec::new());
        real.op = chain::WITH_INTERMEDIATE;
        add(format!("chain-{name}-real"), real.clone());
        real.flags |= flags::UNTRUSTED;
        add(format!("chain-{name}-real-untrusted"), real);
        let mut patched = with(Mode::Chain, *bits, vec![0x01]);
        (patched.op, patched.pos, patched.aux) = (chain::WITH_INTERMEDIATE, 200, 1);
        add(format!("chain-{name}-leaf-patched"), patched);
    }
    for (name, der) in &made.certs {
        let mut input = with(
            Mode::Chain,
            flags::UNTRUSTED,
            prefixed::join(std::slice::from_ref(der)),
        );
        input.op = chain::NO_LEAF | chain::WITH_INTERMEDIATE;
        add(format!("chain-made-{name}"), input);
    }
    seeds
}

fn with(mode: Mode, bits: u8, data: Vec<u8>) -> Input {
    let mut input = Input::new(mode, data);
    input.flags = bits;
    input
}

// ---------------------------------------------------------------------------

fn pem_der(pem: &str) -> Vec<u8> {
    pem::parse(pem).expect("PEM").into_contents()
}

fn options_seeds(made: &Made) -> Vec<(String, Vec<u8>)> {
    let f = field;
    let client_key_der = pem_der(&PKI.client_key_pem);
    let mut seeds: Vec<(String, Vec<u8>)> = vec![
        (
            "full".into(),
            [
                f(b'h', b"localhost"),
                f(b's', b"localhost"),
                f(b'a', PKI.root_pem.as_bytes()),
                f(b'c', PKI.client_pem.as_bytes()),
                f(b'k', PKI.client_key_pem.as_bytes()),
                f(b'x', tls_connect_engine::defaults().ciphers.as_bytes()),
                f(b'm', b"TLSv1.2"),
                f(b'M', b"TLSv1.3"),
                f(b'n', b"h2"),
                f(b'n', b"http/1.1"),
            ]
            .concat(),
        ),
        (
            "pem-bytes".into(),
            [
                f(b'A', PKI.root_pem.as_bytes()),
                f(b'C', PKI.client_pem.as_bytes()),
                f(b'K', PKI.client_key_pem.as_bytes()),
            ]
            .concat(),
        ),
        (
            "der".into(),
            [
                f(b'd', &PKI.root_der),
                f(b'e', &pem_der(&PKI.client_pem)),
                f(b'D', &client_key_der),
            ]
            .concat(),
        ),
        ("crl".into(), {
            let (_, crl) = &UNIVERSE.crls[1];
            let pem = pem::encode(&pem::Pem::new("X509 CRL", crl.clone()));
            [
                f(b'a', PKI.root_pem.as_bytes()),
                f(b'v', pem.as_bytes()),
                f(b'V', pem.as_bytes()),
                f(b'f', crl),
            ]
            .concat()
        }),
        (
            "crl-junk".into(),
            f(
                b'v',
                b"-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n",
            ),
        ),
        (
            "ca-junk-around-pem".into(),
            f(b'a', format!("junk\n{}trailing", PKI.root_pem).as_bytes()),
        ),
        (
            "cert-chain-in-one-pem".into(),
            [
                f(
                    b'c',
                    format!("{}{}", PKI.client_pem, PKI.root_pem).as_bytes(),
                ),
                f(b'k', PKI.client_key_pem.as_bytes()),
            ]
            .concat(),
        ),
        (
            "key-garbage".into(),
            f(
                b'k',
                b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            ),
        ),
    ];
    for (name, pem) in &made.keys {
        let cert = f(b'c', PKI.client_pem.as_bytes());
        seeds.push((
            format!("key-{name}"),
            [cert.clone(), f(b'k', pem.as_bytes())].concat(),
        ));
        let tag = match *name {
            "sec1-p256" => b'S',
            "pkcs1-rsa1024" => b'R',
            _ => b'E',
        };
        // Encrypted ones with their passphrase, so the decryption runs.
        let der = [cert, f(tag, &pem_der(pem)), f(b'p', b"s3cret")].concat();
        seeds.push((format!("key-{name}-der"), der));
    }
    for (name, passphrase, how) in [
        ("own-passphrase", "s3cret", b'q'),
        ("option-passphrase", "s3cret", b'p'),
        ("wrong-passphrase", "wrong", b'p'),
    ] {
        let key = made.key("pkcs8-pbkdf2-aes256");
        seeds.push((
            format!("encrypted-{name}"),
            [f(b'k', key.as_bytes()), f(how, passphrase.as_bytes())].concat(),
        ));
    }
    seeds.push((
        "encrypted-scrypt".into(),
        [
            f(b'k', made.key("pkcs8-scrypt").as_bytes()),
            f(b'q', b"s3cret"),
        ]
        .concat(),
    ));
    for (i, ciphers) in [
        "HIGH:!aNULL:!CHACHA20",
        "TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384,-aRSA +AESGCM",
        "DEFAULT:@SECLEVEL=0",
        "",
        "FOO:BAR",
        "TLS_BOGUS",
    ]
    .iter()
    .enumerate()
    {
        seeds.push((format!("ciphers-{i}"), f(b'x', ciphers.as_bytes())));
    }
    for (i, (min, max)) in [
        ("TLSv1", "TLSv1.1"),
        ("TLSv1.3", "TLSv1.2"),
        ("TLSv1", "TLSv1.3"),
        ("TLSv9", "SSLv3"),
    ]
    .iter()
    .enumerate()
    {
        seeds.push((
            format!("versions-{i}"),
            [f(b'm', min.as_bytes()), f(b'M', max.as_bytes())].concat(),
        ));
    }
    for (i, alpn) in [
        f(b'w', b"\x02h2\x08http/1.1"),
        f(b'w', b"\x00"),
        f(b'w', b"\x05h2"),
        [f(b'b', b""), f(b'b', b"h2")].concat(),
        f(b'n', &[b'a'; 256]),
    ]
    .into_iter()
    .enumerate()
    {
        seeds.push((format!("alpn-{i}"), alpn));
    }
    for (i, names) in [
        [f(b's', b"127.0.0.1"), f(b'h', b"::1")].concat(),
        [f(b's', b""), f(b'h', b"")].concat(),
        f(b's', b"bad name!"),
        f(b's', "bücher.example".as_bytes()),
        [f(b'P', &70000u32.to_be_bytes()), f(b'r', b""), f(b'o', b"")].concat(),
        f(b'u', b"/run/server.sock"),
    ]
    .into_iter()
    .enumerate()
    {
        seeds.push((format!("names-{i}"), names));
    }
    seeds
}

// ---------------------------------------------------------------------------

/// The `chain` target: universe combinations (each accepted or refused by
/// both judges for a reason of its own), at each of the fixed times, with and
/// without partial chains and CRLs; and the same chains as raw DER.
fn chain_seeds() -> Vec<(String, Vec<u8>)> {
    let cases: &[(&str, &[&str], &[&str])] = &[
        ("good", &["root-a"], &["leaf-by-int-a", "int-a"]),
        (
            "two-intermediates",
            &["root-a"],
            &["leaf-by-int-a2", "int-a2", "int-a"],
        ),
        (
            "cross-signed",
            &["root-b"],
            &["leaf-by-int-a", "int-a", "int-a-cross-by-b"],
        ),
        (
            "both-roots",
            &["root-a", "root-b"],
            &["leaf-by-int-a", "int-a-cross-by-b", "int-a"],
        ),
        ("leaf-by-root", &["root-a"], &["leaf-by-root-a"]),
        ("p384-root", &["root-b"], &["leaf-by-root-b"]),
        (
            "missing-intermediate",
            &["root-a"],
            &["leaf-by-int-a2", "int-a2"],
        ),
        (
            "name-constraints-ok",
            &["root-a"],
            &["leaf-constrained-ok", "int-name-constrained"],
        ),
        (
            "name-constraints-excluded",
            &["root-a"],
            &["leaf-constrained-excluded", "int-name-constrained"],
        ),
        (
            "path-length",
            &["root-a"],
            &[
                "leaf-under-path-length-0",
                "int-under-path-length-0",
                "int-path-length-0",
            ],
        ),
        (
            "ca-false",
            &["root-a"],
            &["leaf-by-ca-false", "int-ca-false"],
        ),
        (
            "no-basic-constraints",
            &["root-a"],
            &["leaf-by-no-basic-constraints", "int-no-basic-constraints"],
        ),
        (
            "client-eku-ca",
            &["root-a"],
            &["leaf-by-client-eku", "int-client-eku"],
        ),
        (
            "expired-ca",
            &["root-a"],
            &["leaf-by-expired", "int-expired"],
        ),
        ("expired-leaf", &["root-a"], &["leaf-expired", "int-a"]),
        ("future-leaf", &["root-a"], &["leaf-not-yet-valid", "int-a"]),
        ("impostor", &["root-a"], &["leaf-by-impostor"]),
        (
            "impostor-trusted",
            &["root-a-impostor", "root-a"],
            &["leaf-by-int-a", "int-a"],
        ),
        ("ed25519", &["root-a"], &["leaf-ed25519", "int-ed25519"]),
        (
            "critical-unknown-ca",
            &["root-a"],
            &["leaf-by-critical-unknown", "int-critical-unknown"],
        ),
        (
            "critical-policies-ca",
            &["root-a"],
            &["leaf-by-critical-policies", "int-critical-policies"],
        ),
        ("ca-as-leaf", &["root-a"], &["leaf-ca", "int-a"]),
        ("no-eku", &["root-a"], &["leaf-no-eku", "int-a"]),
        ("client-eku", &["root-a"], &["leaf-client-eku", "int-a"]),
        (
            "key-cert-sign-only",
            &["root-a"],
            &["leaf-key-cert-sign-only", "int-a"],
        ),
        (
            "critical-unknown-leaf",
            &["root-a"],
            &["leaf-critical-unknown", "int-a"],
        ),
        ("self-signed", &["root-a"], &["leaf-self-signed"]),
        (
            "self-signed-trusted",
            &["leaf-self-signed"],
            &["leaf-self-signed"],
        ),
        ("intermediate-trusted", &["int-a"], &["leaf-by-int-a"]),
        ("revoked", &["root-a"], &["leaf-revoked", "int-a"]),
        (
            "wrong-order",
            &["root-a"],
            &["leaf-by-int-a2", "int-a", "int-a2"],
        ),
        (
            "loop",
            &["root-b"],
            &["leaf-by-int-a2", "int-a2", "int-a", "int-a2", "int-a"],
        ),
    ];
    let mut seeds = Vec::new();
    for (name, trusted, chain) in cases {
        let pick =
            |names: &[&str]| -> Vec<u8> { names.iter().map(|n| UNIVERSE.index(n)).collect() };
        for (variant, bits) in [
            ("", 0),
            ("-partial", chain_flags::PARTIAL),
            ("-crls", chain_flags::CRLS),
            ("-2000", 1 << chain_flags::TIME_SHIFT),
            ("-2095", 2 << chain_flags::TIME_SHIFT),
        ] {
            let mut bytes = vec![chain_flags::UNIVERSE | bits, trusted.len() as u8];
            bytes.extend(pick(trusted));
            bytes.extend(pick(chain));
            seeds.push((format!("universe-{name}{variant}"), bytes));
        }
        let raw = chain_input::Input {
            now: chain_input::TIMES[0],
            trusted: trusted
                .iter()
                .map(|n| UNIVERSE.cert(UNIVERSE.index(n)).to_vec())
                .collect(),
            chain: chain
                .iter()
                .map(|n| UNIVERSE.cert(UNIVERSE.index(n)).to_vec())
                .collect(),
            ..chain_input::Input::default()
        };
        seeds.push((format!("raw-{name}"), raw.encode_raw()));
    }
    let mut default_roots = chain_input::Input {
        now: chain_input::TIMES[0],
        chain: vec![PKI.leaf_der.clone(), PKI.intermediate_der.clone()],
        ..chain_input::Input::default()
    }
    .encode_raw();
    default_roots[0] |= chain_flags::DEFAULT_ROOTS;
    seeds.push(("raw-default-roots".into(), default_roots));
    seeds
}

fn certinfo_seeds(made: &Made) -> Vec<(String, Vec<u8>)> {
    let client_der = pem_der(&PKI.client_pem);
    let mut ders: Vec<(String, Vec<u8>)> = vec![
        ("leaf".into(), PKI.leaf_der.clone()),
        ("intermediate".into(), PKI.intermediate_der.clone()),
        ("root".into(), PKI.root_der.clone()),
        ("client".into(), client_der),
    ];
    ders.extend(made.certs.iter().map(|(n, d)| ((*n).to_owned(), d.clone())));
    let mut seeds: Vec<(String, Vec<u8>)> = ders
        .iter()
        .map(|(name, der)| (format!("der-{name}"), [&[mode::DER][..], der].concat()))
        .collect();
    for (i, strings) in [
        "localhost\0DNS:localhost, IP Address:127.0.0.1\0localhost",
        "a.example.com\0DNS:*.example.com",
        "x.a.example\0DNS:a.*.example, DNS:*.com",
        "127.0.0.1\0IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1",
        "::ffff:1.2.3.4%eth0\0IP Address:::FFFF:1.2.3.4",
        "host.test\0DNS:\"a\\u002cb\", DNS:host.test",
        "host.test\0DNS:\"unterminated\0host.test",
        "xn--bcher-kva.example\0\0*.example\0xn--bcher-kva.example",
        "bücher.example\0\0bücher.example",
    ]
    .iter()
    .enumerate()
    {
        seeds.push((
            format!("identity-{i}"),
            [&[mode::IDENTITY][..], strings.as_bytes()].concat(),
        ));
    }
    let chains = [
        (
            "leaf-intermediate",
            vec![PKI.leaf_der.clone(), PKI.intermediate_der.clone()],
        ),
        (
            "intermediate-root",
            vec![PKI.intermediate_der.clone(), PKI.root_der.clone()],
        ),
        (
            "leaf-twice",
            vec![PKI.leaf_der.clone(), PKI.leaf_der.clone()],
        ),
        ("made", made.certs.iter().map(|(_, d)| d.clone()).collect()),
    ];
    for (name, chain) in chains {
        seeds.push((
            format!("chain-{name}"),
            [vec![mode::CHAIN], prefixed::join(&chain)].concat(),
        ));
    }
    seeds
}
