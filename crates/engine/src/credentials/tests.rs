//! Node's `cert`, `key`, `passphrase` and `pfx` together: what the client
//! presents, and what the trust store gains.

use rustls::pki_types::PrivateKeyDer;
use test_pki::TempDir;

use super::fixtures::{entry, pki};
use super::*;
use crate::options::{Pem, PfxEntry};

#[test]
fn garbage_key_is_unsupported_even_without_a_cert() {
    let options = Credentials {
        key: Some(vec![KeyEntry {
            pem: Pem::Text("garbage".into()),
            passphrase: None,
        }]),
        ..Default::default()
    };
    let err = client_identity(&options).err().unwrap();
    assert_eq!(err.code, "ERR_OSSL_UNSUPPORTED");
    assert_eq!(err.message, "error:1E08010C:DECODER routines::unsupported");
}

/// `pfx` replaces `cert` and `key`, and the last bundle wins, as in Node
/// when they share a key type; every bundle's other certificates are
/// reported for the trust store.
#[test]
fn pfx_replaces_cert_and_key() {
    if !test_pki::require(&["openssl"]) {
        return;
    }
    let rsa = pki("rsa:2048");
    let ec = pki("ec");
    for dir in [&rsa, &ec] {
        dir.pkcs12("client", Some("ca.pem"), "x", &[])
            .expect("openssl exports");
    }
    let cert = |dir: &TempDir, name: &str| certificates_in(&dir.read(name)).remove(0);
    let options = Credentials {
        cert: Some(vec![Pem::Bytes(rsa.read("client.pem"))]),
        key: Some(vec![entry(rsa.read("client.key"), None)]),
        passphrase: Some("x".into()),
        pfx: Some(vec![
            PfxEntry {
                buf: rsa.read("client.p12"),
                passphrase: None,
            },
            PfxEntry {
                buf: ec.read("client.p12"),
                passphrase: Some(String::new()),
            },
        ]),
    };
    let keys = client_identity(&options).unwrap();
    let identity = keys.identity.unwrap();
    assert_eq!(
        identity.chain,
        vec![cert(&ec, "client.pem"), cert(&ec, "ca.pem")]
    );
    assert!(matches!(*identity.key, PrivateKeyDer::Pkcs8(_)));
    assert_eq!(
        keys.pfx_authorities,
        vec![cert(&rsa, "ca.pem"), cert(&ec, "ca.pem")]
    );
    // A bad bundle fails the whole context, as in Node, whatever came before.
    let mut bad = options.clone();
    bad.pfx.as_mut().unwrap()[1].passphrase = Some("wrong".into());
    let err = client_identity(&bad).err().unwrap();
    assert_eq!(
        (err.code.as_str(), err.message.as_str()),
        ("", "mac verify failure")
    );
}
