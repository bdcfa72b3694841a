//! Writes the seed corpus of the `pfx` target under `fuzz/corpus/pfx/`
//! (replacing what is there): bundles the openssl CLI makes with each of its
//! algorithm options, for RSA and EC keys, in each of the target's modes.
//! Nothing is downloaded.
//!
//! `cargo +nightly run --release --example pfx_seeds` from `fuzz/` (needs `openssl`).

use std::path::Path;

use test_pki::TempDir;
use tls_connect_fuzz::pfx_input::{auth_safe_of, header, mode, passphrase};

/// openssl's `pkcs12 -export` options for each bundle, by seed name.
const VARIANTS: &[(&str, &[&str])] = &[
    ("default", &[]),
    ("legacy", &["-legacy"]),
    (
        "3des-sha1",
        &[
            "-certpbe",
            "PBE-SHA1-3DES",
            "-keypbe",
            "PBE-SHA1-3DES",
            "-macalg",
            "sha1",
        ],
    ),
    (
        "rc2-2des",
        &[
            "-certpbe",
            "PBE-SHA1-RC2-128",
            "-keypbe",
            "PBE-SHA1-2DES",
            "-legacy",
        ],
    ),
    (
        "aes-sha512",
        &[
            "-certpbe",
            "AES-128-CBC",
            "-keypbe",
            "AES-192-CBC",
            "-macalg",
            "sha512",
        ],
    ),
    (
        "pbes2-3des",
        &[
            "-certpbe",
            "DES-EDE3-CBC",
            "-keypbe",
            "DES-EDE3-CBC",
            "-macalg",
            "sha384",
        ],
    ),
    ("plain", &["-certpbe", "NONE", "-keypbe", "NONE"]),
    (
        "md5-iter1",
        &["-macalg", "md5", "-iter", "1", "-noiter", "-nomaciter"],
    ),
];

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/pfx");
    let tmp = TempDir::new("pfx-seeds");
    let mut seeds: Vec<(String, Vec<u8>)> = vec![
        (
            "junk".into(),
            [
                vec![header(mode::BUNDLE, passphrase::NONE)],
                b"junk".to_vec(),
            ]
            .concat(),
        ),
        (
            "empty-auth-safe".into(),
            vec![header(mode::AUTH_SAFE, passphrase::NONE), 0x30, 0x00],
        ),
    ];
    for algorithm in ["rsa:2048", "ec"] {
        let short = if algorithm == "ec" { "ec" } else { "rsa" };
        pki(&tmp, algorithm);
        for (name, extra) in VARIANTS {
            let Some(bundle) = export(&tmp, "s3cret", extra) else {
                eprintln!("skipped {name}: this OpenSSL has no legacy provider");
                continue;
            };
            let seeds_mode = header(mode::BUNDLE, passphrase::SEEDS);
            seeds.push((
                format!("bundle-{short}-{name}"),
                [vec![seeds_mode], bundle.clone()].concat(),
            ));
            // Without a MAC and with an empty passphrase, the safes themselves.
            let mut no_mac = extra.to_vec();
            no_mac.push("-nomac");
            if let Some(auth_safe) = export(&tmp, "", &no_mac).as_deref().and_then(auth_safe_of) {
                let wrapped = [vec![header(mode::AUTH_SAFE, passphrase::NONE)], auth_safe].concat();
                seeds.push((format!("auth-safe-{short}-{name}"), wrapped));
            }
            if *name == "default" {
                let options = header(mode::OPTIONS, passphrase::SEEDS);
                seeds.push((
                    format!("options-{short}"),
                    [vec![options], bundle.clone()].concat(),
                ));
                let given = [
                    vec![header(mode::BUNDLE, passphrase::GIVEN), 6],
                    b"wrong!".to_vec(),
                    bundle.clone(),
                ]
                .concat();
                seeds.push((format!("wrong-passphrase-{short}"), given));
                let cut = [vec![seeds_mode], bundle[..bundle.len() / 2].to_vec()].concat();
                seeds.push((format!("cut-{short}"), cut));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("corpus dir");
    for (name, bytes) in &seeds {
        std::fs::write(dir.join(name), bytes).expect("seed written");
    }
    println!("{} pfx seeds written to {}", seeds.len(), dir.display());
}

/// A CA and a client certificate it issued, in `dir`.
fn pki(dir: &TempDir, algorithm: &str) {
    let key: &[&str] = if algorithm == "ec" {
        &[
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
        ]
    } else {
        &["-newkey", algorithm, "-nodes"]
    };
    let ca = [
        &[
            "req",
            "-x509",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-subj",
            "/CN=seed CA",
            "-days",
            "3650",
        ][..],
        key,
    ]
    .concat();
    dir.openssl(&ca);
    let csr = [
        &[
            "req",
            "-new",
            "-keyout",
            "client.key",
            "-out",
            "client.csr",
            "-subj",
            "/CN=seed client",
        ][..],
        key,
    ]
    .concat();
    dir.openssl(&csr);
    dir.openssl(&[
        "x509",
        "-req",
        "-in",
        "client.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-set_serial",
        "1",
        "-days",
        "3650",
        "-out",
        "client.pem",
    ]);
}

/// The bundle `openssl pkcs12 -export` makes of the client, its CA and `extra`;
/// `None` when openssl refuses (no legacy provider).
fn export(dir: &TempDir, pass: &str, extra: &[&str]) -> Option<Vec<u8>> {
    let pass = format!("pass:{pass}");
    let mut args = vec![
        "pkcs12",
        "-export",
        "-in",
        "client.pem",
        "-inkey",
        "client.key",
        "-certfile",
        "ca.pem",
        "-passout",
        &pass,
        "-out",
        "out.p12",
    ];
    args.extend_from_slice(extra);
    dir.try_openssl(&args).then(|| dir.read("out.p12"))
}
