//! Bundles as openssl writes them: every algorithm option, passphrases, and
//! damaged or incomplete bundles.

use rustls::pki_types::PrivateKeyDer;

use super::*;
use crate::credentials::fixtures::{node_context_with, pki, topk8};
use crate::credentials::pkcs12::decode;

/// Bundles as OpenSSL 3 writes them by default and with each of its
/// algorithm options decode to the very key and chain openssl was given,
/// and Node loads each one too.
#[test]
fn openssl_bundles_decode_to_their_key_and_chain() {
    if !test_pki::require(&["node", "openssl"]) {
        return;
    }
    for algorithm in ["rsa:2048", "ec"] {
        let dir = pki(algorithm);
        let key_der = topk8(&dir, "client.der", &["-nocrypt", "-outform", "DER"]);
        let chain = vec![first_cert(&dir, "client.pem"), first_cert(&dir, "ca.pem")];
        // (extra arguments, needs OpenSSL's legacy provider).
        let variants: &[(&[&str], bool)] = &[
            (&[], false),
            (&["-legacy"], true),
            (
                &[
                    "-certpbe",
                    "PBE-SHA1-3DES",
                    "-keypbe",
                    "PBE-SHA1-3DES",
                    "-macalg",
                    "sha1",
                ],
                false,
            ),
            (
                &[
                    "-certpbe",
                    "PBE-SHA1-RC2-40",
                    "-keypbe",
                    "PBE-SHA1-RC2-128",
                    "-legacy",
                ],
                true,
            ),
            (
                &[
                    "-certpbe",
                    "PBE-SHA1-2DES",
                    "-keypbe",
                    "PBE-SHA1-2DES",
                    "-legacy",
                ],
                true,
            ),
            (
                &[
                    "-certpbe",
                    "AES-128-CBC",
                    "-keypbe",
                    "AES-192-CBC",
                    "-macalg",
                    "sha512",
                ],
                false,
            ),
            (
                &[
                    "-certpbe",
                    "DES-EDE3-CBC",
                    "-keypbe",
                    "AES-256-CBC",
                    "-macalg",
                    "sha384",
                ],
                false,
            ),
            (
                &["-certpbe", "NONE", "-keypbe", "NONE", "-macalg", "sha224"],
                false,
            ),
            (
                &["-macalg", "md5", "-iter", "1", "-noiter", "-nomaciter"],
                false,
            ),
            (&["-macalg", "sha512-256", "-iter", "5000"], false),
        ];
        for (n, (extra, legacy)) in variants.iter().enumerate() {
            let name = format!("v{n}.p12");
            let der = match dir.pkcs12("client", Some("ca.pem"), "s3cret", extra) {
                Ok(der) => der,
                Err(_) if *legacy => {
                    eprintln!("skipped {extra:?}: no legacy provider in this OpenSSL");
                    continue;
                }
                Err(err) => panic!("{extra:?}: {err}"),
            };
            dir.write(&name, &der);
            let identity =
                decode(&der, Some("s3cret")).unwrap_or_else(|e| panic!("{extra:?}: {e}"));
            assert_eq!(identity.chain, chain, "{extra:?}");
            match &*identity.key {
                PrivateKeyDer::Pkcs8(key) => {
                    assert!(
                        key.secret_pkcs8_der() == key_der.as_slice(),
                        "{extra:?}: another key"
                    )
                }
                _ => panic!("{extra:?}: not PKCS#8"),
            }
            let node_answer = node_context_with(
                &json!({ "pfx": file(&dir.path(&name)), "passphrase": "s3cret" }),
                *legacy,
            );
            assert_eq!(node_answer, Ok(()), "{extra:?}");
            if *legacy {
                // Node 20 without the legacy provider refuses what we read.
                let plain =
                    node_context(&json!({ "pfx": file(&dir.path(&name)), "passphrase": "s3cret" }));
                if extra.iter().any(|a| a.contains("RC2")) || extra == &["-legacy"] {
                    assert_eq!(
                        plain.unwrap_err(),
                        (
                            Some("ERR_CRYPTO_UNSUPPORTED_OPERATION".into()),
                            "Unsupported PKCS12 PFX data".into()
                        )
                    );
                }
            }
            for wrong in [Some("wrong"), None, Some("")] {
                assert_as_node(&dir, &name, &der, wrong);
            }
        }
    }
}

/// Passphrases as OpenSSL takes them: UTF-8 made UTF-16, an empty one
/// standing for none, and the MAC-less bundle that only an empty one opens.
#[test]
fn passphrases_answer_as_node() {
    if !test_pki::require(&["node", "openssl"]) {
        return;
    }
    let dir = pki("ec");
    let export = |name: &str, pass: &str, extra: &[&str]| {
        let der = dir
            .pkcs12("client", None, pass, extra)
            .expect("openssl exports");
        dir.write(name, &der);
        der
    };
    let unicode = "pässwörd€😀";
    let cases = [
        (
            export("utf8.p12", unicode, &[]),
            vec![Some(unicode), Some("passwörd"), None],
        ),
        (
            export("empty.p12", "", &[]),
            vec![None, Some(""), Some("x")],
        ),
        (
            export("nomac.p12", "x", &["-nomac"]),
            vec![Some("x"), None, Some("")],
        ),
        (
            export(
                "nomac-plain.p12",
                "x",
                &["-nomac", "-certpbe", "NONE", "-keypbe", "NONE"],
            ),
            vec![Some("x"), None],
        ),
        // Node hands OpenSSL a C string: a NUL ends the passphrase.
        (
            export("nul.p12", "ab", &[]),
            vec![Some("ab\0cd"), Some("\0ab")],
        ),
    ];
    for (der, passphrases) in cases {
        for passphrase in passphrases {
            assert_as_node(&dir, "bundle", &der, passphrase);
        }
    }
    let der = dir.read("utf8.p12");
    assert!(decode(&der, Some(unicode)).is_ok());
    assert!(decode(&dir.read("empty.p12"), None).is_ok());
    assert!(decode(&dir.read("nomac-plain.p12"), None).is_ok());
}

/// Junk, cut and damaged bundles, and bundles without a key or
/// certificate: the same error as Node, word for word.
#[test]
fn damaged_bundles_fail_as_in_node() {
    if !test_pki::require(&["node", "openssl"]) {
        return;
    }
    let dir = pki("rsa:2048");
    let export = |certfile, extra: &[&str]| {
        dir.pkcs12("client", certfile, "x", extra)
            .expect("openssl exports")
    };
    let good = export(Some("ca.pem"), &[]);
    let nokey = export(None, &["-nokeys"]);
    let nocert = export(None, &["-nocerts"]);
    let mut cases: Vec<(String, Vec<u8>)> = vec![
        ("junk".into(), b"junk".to_vec()),
        ("empty".into(), Vec::new()),
        ("pem".into(), dir.read("client.pem")),
        ("nokey".into(), nokey),
        ("nocert".into(), nocert),
        ("trailing".into(), [good.as_slice(), &[0, 0, 1]].concat()),
        ("seq".into(), vec![0x30, 0]),
        ("version only".into(), vec![0x30, 3, 2, 1, 3]),
        ("long form".into(), vec![0x30, 0x81, 0]),
        (
            "huge length".into(),
            vec![0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0],
        ),
        ("indefinite".into(), vec![0x30, 0x80, 0, 0]),
        ("primitive".into(), vec![0x10, 0]),
    ];
    for cut in [1, 2, 3, 4, 5, 8, 10, 100, 1000, good.len() - 1] {
        cases.push((format!("cut at {cut}"), good[..cut].to_vec()));
    }
    for at in (0..good.len()).step_by(61) {
        let mut damaged = good.clone();
        damaged[at] ^= 0x5a;
        cases.push((format!("byte {at} changed"), damaged));
    }
    for (what, der) in &cases {
        assert_as_node(&dir, what, der, Some("x"));
    }
}
