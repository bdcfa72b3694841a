//! Target `certinfo`: Node's peer-certificate object built from arbitrary DER,
//! the chain verdict on it, and `checkServerIdentity` on arbitrary
//! `subjectaltname` strings. Errors must carry Node's codes.
//!
//! The first byte picks the mode (modulo 3), the rest is its data:
//! 0. one DER certificate: described, checked against host names, and verified
//!    alone and as a chain with the process's root;
//! 1. `hostname NUL subjectaltname NUL CN NUL CN ...` for checkServerIdentity;
//! 2. a chain (2-byte big-endian length, then DER, repeated), verified.

use std::sync::LazyLock;

use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, UnixTime};
use tls_connect_engine::fuzzing::{self, Trust};
use tls_connect_engine::{check_server_identity, PeerCertificate, Pem};

use crate::pki::PKI;
use crate::{check_error, prefixed};

/// Mode byte values.
pub mod mode {
    /// One DER certificate.
    pub const DER: u8 = 0;
    /// checkServerIdentity strings.
    pub const IDENTITY: u8 = 1;
    /// A length-prefixed chain.
    pub const CHAIN: u8 = 2;
}

/// Host names every described certificate is checked against.
const HOSTS: &[&str] = &[
    "localhost",
    "127.0.0.1",
    "::1",
    "a.example.com",
    "xn--bcher-kva.example",
    "localhost.",
];

/// What a chain is judged against: the process's root.
static TRUST: LazyLock<Trust> =
    LazyLock::new(|| Trust::from_ca(Some(&[Pem::Text(PKI.root_pem.clone())])));

fn algorithms() -> WebPkiSupportedAlgorithms {
    rustls::crypto::ring::default_provider().signature_verification_algorithms
}

/// Runs one input.
pub fn run(bytes: &[u8]) {
    let Some((&mode, data)) = bytes.split_first() else {
        return;
    };
    match mode % 3 {
        mode::DER => der(data),
        mode::IDENTITY => identity_strings(data),
        _ => chain(&prefixed::split(data)),
    }
}

fn der(data: &[u8]) {
    match fuzzing::describe(data) {
        Ok(cert) => {
            assert!(
                data.starts_with(&cert.raw),
                "raw is not the certificate's own bytes"
            );
            let mut hosts: Vec<String> = HOSTS.iter().map(|h| (*h).to_owned()).collect();
            hosts.extend(names_in(&cert));
            for host in &hosts {
                check_identity(host, &cert);
            }
        }
        Err(err) => check_error(&err),
    }
    chain(&[data.to_vec()]);
    chain(&[data.to_vec(), PKI.intermediate_der.clone()]);
}

/// The certificate's own names, as hosts to check it against.
fn names_in(cert: &PeerCertificate) -> Vec<String> {
    let alt_names = cert.subjectaltname.as_deref().unwrap_or("");
    let from_alt = alt_names.split(", ").filter_map(|entry| {
        entry
            .strip_prefix("DNS:")
            .or_else(|| entry.strip_prefix("IP Address:"))
    });
    let from_cn = cert
        .subject
        .iter()
        .filter(|(key, _)| key == "CN")
        .map(|(_, value)| value.as_str());
    from_alt.chain(from_cn).take(8).map(str::to_owned).collect()
}

fn identity_strings(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\0');
    let hostname = parts.next().unwrap_or("");
    let cert = PeerCertificate {
        subjectaltname: parts.next().map(str::to_owned),
        subject: parts
            .take(4)
            .map(|cn| ("CN".to_owned(), cn.to_owned()))
            .collect(),
        ..PeerCertificate::default()
    };
    check_identity(hostname, &cert);
}

fn check_identity(hostname: &str, cert: &PeerCertificate) {
    if let Err(err) = check_server_identity(hostname, cert) {
        check_error(&err);
        assert!(
            matches!(
                err.code.as_str(),
                "ERR_TLS_CERT_ALTNAME_INVALID" | "ERR_TLS_CERT_ALTNAME_FORMAT"
            ),
            "checkServerIdentity's error: {err:?}"
        );
    }
}

fn chain(certs: &[Vec<u8>]) {
    let chain: Vec<CertificateDer<'_>> =
        certs.iter().map(|c| CertificateDer::from(&c[..])).collect();
    match TRUST.verify_chain(&algorithms(), &chain, UnixTime::now()) {
        // Only the process's own leaf chains to its root; the fuzzer cannot sign.
        Ok(()) => assert_eq!(
            certs.first().map(Vec::as_slice),
            Some(PKI.leaf_der.as_slice()),
            "a chain the process's root never signed was accepted"
        ),
        Err(err) => check_error(&err),
    }
    for cert in certs {
        if let Err(err) = fuzzing::describe(cert) {
            check_error(&err);
        }
    }
}
