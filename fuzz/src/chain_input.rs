//! Target `chain`: chain building and verification. The engine's verdict
//! (`verify_chain`: webpki, then the OpenSSL model where webpki's refusal may
//! not be OpenSSL's) must be an error with Node's shape or an acceptance one
//! of the two judges gave; and each judge is checked against the other
//! wherever both judge the same path (the differential rules below).
//!
//! The first byte holds flags:
//!
//! | bit | meaning |
//! |---|---|
//! | 0 | `allowPartialTrustChain` |
//! | 1 | universe mode: the certificates are picked by index from the fixed, validly signed [`crate::universe`] (else raw DER from the input) |
//! | 2-3 | the time: 0 2050-01-01, 1 2000-06-01, 2 2095-06-01, 3 the next 8 bytes (big-endian seconds since 1970) |
//! | 4 | with CRLs (universe: all of its CRLs; raw: the input's) |
//! | 5 | raw mode: the default roots are the trust store (the input's trusted certificates are then served after the chain) |
//!
//! Raw mode, then: a byte `t` (trusted count, modulo 32), a byte `c` (CRL
//! count, modulo 8), and a list of 2-byte big-endian lengths each followed by
//! that many bytes: `t` trusted certificates, `c` CRLs, then the served chain,
//! leaf first. Universe mode: a byte `t`, `t % 8` indices of trusted
//! certificates, then the served chain's indices, leaf first (at most 16).
//!
//! Differential rules, each an assertion:
//!
//! 1. **No acceptance from nowhere.** If `verify_chain` accepts, webpki or the
//!    model accepted. If webpki accepts, `verify_chain` does, or refuses with
//!    `UNSPECIFIED` (OpenSSL's guard on the cost of name constraints).
//! 2. **The model's acceptances hold up before webpki.** When the model
//!    accepts a path of two or more certificates, webpki, given exactly that
//!    path (its intermediates, its top as the only trust anchor, the same CRLs
//!    and time), accepts it too, except for [`WEBPKI_MAY_REFUSE`]: what OpenSSL
//!    accepts and webpki by design does not. A path of one certificate (a leaf
//!    trusted itself) is OpenSSL's alone: webpki always wants an issuer. A
//!    path in which two certificates share a subject (a self-issued
//!    intermediate, a key rollover) is left out too: webpki then tries each
//!    same-named issuer and reports the error of whichever attempt it ranks
//!    highest, which need not be about the path the model took. And a top
//!    webpki cannot read as a trust anchor is OpenSSL's alone: OpenSSL never
//!    reads a trust anchor's own signature or its outer algorithm (found by
//!    this target: a trusted root whose outer signature algorithm was not the
//!    inner one).
//! 3. **webpki's acceptances hold up before the model.** When webpki accepts,
//!    the model, given exactly webpki's path (its trust anchor's certificate as
//!    the only trusted one), accepts it or cannot judge it (name constraints),
//!    except for [`MODEL_MAY_REFUSE`]: what OpenSSL checks and webpki does not.

use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, UnixTime};
use tls_connect_engine::fuzzing::{self, Judges, Trust};
use tls_connect_engine::Pem;

use crate::universe::UNIVERSE;
use crate::{check_error, prefixed};

/// Flag bits of the first byte.
pub mod flags {
    /// `allowPartialTrustChain`.
    pub const PARTIAL: u8 = 1;
    /// Certificates picked from the universe.
    pub const UNIVERSE: u8 = 1 << 1;
    /// The time: bits 2-3.
    pub const TIME_SHIFT: u8 = 2;
    /// With CRLs.
    pub const CRLS: u8 = 1 << 4;
    /// Raw mode: the default roots are trusted.
    pub const DEFAULT_ROOTS: u8 = 1 << 5;
}

/// The times an input may choose (bits 2-3: 0, 1, 2); 3 reads 8 bytes.
pub const TIMES: [u64; 3] = [
    2_524_608_000, // 2050-01-01
    960_076_800,   // 2000-06-01
    3_957_292_800, // 2095-06-01
];

/// At most this many certificates and CRLs are read from a raw input.
const MAX_ITEMS: usize = 40;

/// At most this many certificates make a universe chain.
const MAX_PICKS: usize = 16;

/// webpki errors (by name) for which it may refuse a path OpenSSL's model
/// accepted (rule 2), each because OpenSSL accepts by design what webpki
/// does not:
/// - `UnsupportedCertVersion`: a version 1 certificate; webpki reads none;
/// - `CaUsedAsEndEntity`: OpenSSL takes a CA certificate as the server's own;
/// - `UnsupportedCriticalExtension`: OpenSSL handles critical certificate
///   policies, policy constraints and mappings, inhibitAnyPolicy, nsCertType
///   and the RFC 3779 blocks; webpki none of them;
/// - `PathLenConstraintViolated`: OpenSSL does not count self-issued
///   intermediates against a pathLenConstraint; webpki counts every one;
/// - webpki's budgets (`MaximumPathDepthExceeded`: six intermediates, where
///   OpenSSL goes to 100 and the model to 10; and the signature, path-building
///   and name-comparison budgets);
/// - DER strictness (`BadDer`, `BadDerTime`, `TrailingData`, and the other
///   parse errors): x509-parser, which the model reads with, accepts encodings
///   webpki refuses (OpenSSL's own parser is a third opinion);
/// - revocation (`CertRevoked` excepted): the two read a CRL's scope (issuing
///   distribution points, delta and indirect CRLs) and freshness differently.
pub const WEBPKI_MAY_REFUSE: &[&str] = &[
    "UnsupportedCertVersion",
    "CaUsedAsEndEntity",
    "UnsupportedCriticalExtension",
    "PathLenConstraintViolated",
    "MaximumPathDepthExceeded",
    "MaximumSignatureChecksExceeded",
    "MaximumPathBuildCallsExceeded",
    "MaximumNameConstraintComparisonsExceeded",
    "BadDer",
    "BadDerTime",
    "TrailingData",
    "UnsupportedCrlVersion",
    "UnknownRevocationStatus",
    "CrlExpired",
    "InvalidCrlNumber",
    "UnsupportedIndirectCrl",
    "UnsupportedDeltaCrl",
    "UnsupportedRevocationReason",
    "UnsupportedCrlIssuingDistributionPoint",
    "IssuerNotCrlSigner",
    "InvalidSerialNumber",
    "ExtensionValueInvalid",
    "MalformedExtensions",
    "MalformedDnsIdentifier",
    "MalformedNameConstraint",
    "UnsupportedCertVersionContext",
];

/// The model's codes for which it may refuse a path webpki accepted (rule 3),
/// each because OpenSSL checks what webpki does not:
/// - `CERT_HAS_EXPIRED`, `CERT_NOT_YET_VALID`: the trust anchor's own dates;
/// - `INVALID_PURPOSE`: the leaf's keyUsage (a TLS server needs
///   digitalSignature, keyEncipherment or keyAgreement) and the trust
///   anchor's extendedKeyUsage;
/// - `INVALID_CA`, `PATH_LENGTH_EXCEEDED`, `UNHANDLED_CRITICAL_EXTENSION`: the
///   trust anchor's basicConstraints, keyUsage, pathLenConstraint and critical
///   extensions (webpki reads none of an anchor's extensions);
/// - the CRL codes: OpenSSL (`X509_V_FLAG_CRL_CHECK_ALL`, as Node sets it)
///   wants a CRL for the trust anchor too, and reads CRLs its own way;
/// - the chain-building codes: OpenSSL matches an issuer by its key
///   identifiers and key type as well as its name, so it may not take the
///   issuer webpki took;
/// - `UNSPECIFIED`: OpenSSL's guard on the cost of name constraints, which
///   `verify_chain` applies to webpki's paths too;
/// - `EE_KEY_TOO_SMALL`: OpenSSL's security level 2 on the leaf's own key,
///   which webpki never uses (the handshake's signature does).
pub const MODEL_MAY_REFUSE: &[&str] = &[
    "EE_KEY_TOO_SMALL",
    "CERT_HAS_EXPIRED",
    "CERT_NOT_YET_VALID",
    "INVALID_PURPOSE",
    "INVALID_CA",
    "PATH_LENGTH_EXCEEDED",
    "UNHANDLED_CRITICAL_EXTENSION",
    "UNABLE_TO_GET_CRL",
    "CRL_SIGNATURE_FAILURE",
    "CRL_NOT_YET_VALID",
    "CRL_HAS_EXPIRED",
    "CERT_REVOKED",
    "KEYUSAGE_NO_CRL_SIGN",
    "UNHANDLED_CRITICAL_CRL_EXTENSION",
    "UNABLE_TO_GET_ISSUER_CERT",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNSPECIFIED",
];

/// A decoded input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input {
    /// `allowPartialTrustChain`.
    pub partial: bool,
    /// The default roots are trusted (and `trusted` is not).
    pub default_roots: bool,
    /// Seconds since 1970.
    pub now: u64,
    /// `ca`, DER.
    pub trusted: Vec<Vec<u8>>,
    /// `crl`, DER.
    pub crls: Vec<Vec<u8>>,
    /// The served chain, leaf first.
    pub chain: Vec<Vec<u8>>,
}

impl Input {
    /// Decodes an input; `None` when it is empty.
    pub fn parse(bytes: &[u8]) -> Option<Self> {
        let (&flag_byte, mut rest) = bytes.split_first()?;
        let now = match (flag_byte >> flags::TIME_SHIFT) & 3 {
            3 => {
                let mut secs = [0u8; 8];
                let n = rest.len().min(8);
                secs[8 - n..].copy_from_slice(&rest[..n]);
                rest = &rest[n..];
                u64::from_be_bytes(secs)
            }
            choice => TIMES[usize::from(choice)],
        };
        let partial = flag_byte & flags::PARTIAL != 0;
        let with_crls = flag_byte & flags::CRLS != 0;
        let mut input = Self {
            partial,
            now,
            ..Self::default()
        };
        if flag_byte & flags::UNIVERSE != 0 {
            let (&count, rest) = rest.split_first().unwrap_or((&0, &[]));
            let (trusted, chain) = rest.split_at(usize::from(count % 8).min(rest.len()));
            input.trusted = trusted.iter().map(|&i| UNIVERSE.cert(i).to_vec()).collect();
            input.chain = chain
                .iter()
                .take(MAX_PICKS)
                .map(|&i| UNIVERSE.cert(i).to_vec())
                .collect();
            if with_crls {
                input.crls = UNIVERSE.crls.iter().map(|(_, der)| der.clone()).collect();
            }
        } else {
            let (counts, rest) = rest.split_at(rest.len().min(2));
            let trusted = usize::from(counts.first().copied().unwrap_or(0) % 32);
            let crls = usize::from(counts.get(1).copied().unwrap_or(0) % 8);
            let mut items = prefixed::split_at_most(rest, MAX_ITEMS).into_iter();
            input.trusted = items.by_ref().take(trusted).collect();
            let crl_items: Vec<Vec<u8>> = items.by_ref().take(crls).collect();
            if with_crls {
                input.crls = crl_items;
            }
            input.chain = items.collect();
            if flag_byte & flags::DEFAULT_ROOTS != 0 {
                input.default_roots = true;
                let trusted = std::mem::take(&mut input.trusted);
                input.chain.extend(trusted);
            }
        }
        Some(input)
    }

    /// Encodes a raw-mode input (for the seed generators).
    pub fn encode_raw(&self) -> Vec<u8> {
        let mut flag_byte = 3 << flags::TIME_SHIFT;
        if self.partial {
            flag_byte |= flags::PARTIAL;
        }
        if !self.crls.is_empty() {
            flag_byte |= flags::CRLS;
        }
        let mut out = vec![flag_byte];
        out.extend_from_slice(&self.now.to_be_bytes());
        out.push(self.trusted.len() as u8);
        out.push(self.crls.len() as u8);
        let items: Vec<Vec<u8>> = self
            .trusted
            .iter()
            .chain(&self.crls)
            .chain(&self.chain)
            .cloned()
            .collect();
        out.extend(prefixed::join(&items));
        out
    }

    fn time(&self) -> UnixTime {
        UnixTime::since_unix_epoch(std::time::Duration::from_secs(self.now))
    }

    fn trust(&self, trusted: &[Vec<u8>], partial: bool, crls: &[Vec<u8>]) -> Trust {
        let ca: Option<Vec<Pem>> = (!self.default_roots || !trusted.is_empty()).then(|| {
            vec![Pem::Text(
                trusted
                    .iter()
                    .map(|der| pem::encode(&pem::Pem::new("CERTIFICATE", der.clone())))
                    .collect(),
            )]
        });
        let crl: Vec<Pem> = crls
            .iter()
            .map(|der| Pem::Text(pem::encode(&pem::Pem::new("X509 CRL", der.clone()))))
            .collect();
        let crl = (!crl.is_empty()).then_some(crl);
        match Trust::new(ca.as_deref(), partial, crl.as_deref()) {
            Ok(trust) => trust,
            Err(err) => {
                // A CRL Node's addCRL refuses: judged without CRLs.
                check_error(&err);
                Trust::new(ca.as_deref(), partial, None).expect("no CRL to refuse")
            }
        }
    }
}

fn algorithms() -> WebPkiSupportedAlgorithms {
    rustls::crypto::ring::default_provider().signature_verification_algorithms
}

/// Runs one input.
pub fn run(bytes: &[u8]) {
    let Some(input) = Input::parse(bytes) else {
        return;
    };
    let trusted = if input.default_roots {
        Vec::new()
    } else {
        input.trusted.clone()
    };
    let trust = input.trust(&trusted, input.partial, &input.crls);
    let chain: Vec<CertificateDer<'_>> = input
        .chain
        .iter()
        .map(|der| CertificateDer::from(&der[..]))
        .collect();
    let algorithms = algorithms();
    let now = input.time();
    let verdict = trust.verify_chain(&algorithms, &chain, now);
    if let Err(err) = &verdict {
        check_error(err);
    }
    let Some(judges) = trust.judges(&algorithms, &chain, now) else {
        assert!(verdict.is_err(), "an empty chain was accepted");
        return;
    };
    // Rule 1: no acceptance from nowhere.
    let webpki_accepted = matches!(judges.webpki, Some(Ok(_)));
    if verdict.is_ok() {
        assert!(
            webpki_accepted || judges.model.is_ok(),
            "accepted, but neither judge accepted: {judges:?}"
        );
    }
    // Where webpki accepted, a refusal is OpenSSL's name-check guard or the
    // model's, which judges webpki's path too (OpenSSL's checks webpki lacks);
    // or, where the model built another path and was unsure of it, webpki's
    // refusal of that path, as the engine asks webpki there.
    if webpki_accepted {
        if let Err(err) = &verdict {
            assert!(
                err.code == "UNSPECIFIED"
                    || matches!(judges.model, Err(Some(_)))
                    || webpki_refuses_unsure_model_path(&input, &judges, &algorithms, now),
                "webpki accepted and the model did not refuse: {err:?}, {judges:?}"
            );
        }
    }
    model_path_before_webpki(&input, &judges, &algorithms, now);
    webpki_path_before_model(&input, &judges, &algorithms, now);
}

/// Whether the model was unsure of the path it built and webpki refuses that
/// path (its top as the only trusted certificate): the engine's verdict then.
fn webpki_refuses_unsure_model_path(
    input: &Input,
    judges: &Judges,
    algorithms: &WebPkiSupportedAlgorithms,
    now: UnixTime,
) -> bool {
    let path = &judges.model_path;
    if !matches!(judges.model, Err(None)) || path.len() < 2 {
        return false;
    }
    let (top, below) = path.split_last().expect("two or more");
    // A top webpki cannot read as an anchor is a refusal of the path by itself.
    if !fuzzing::webpki_reads_as_anchor(top) {
        return true;
    }
    judge_again(input, (top, true), below, algorithms, now)
        .is_none_or(|again| matches!(again.webpki, Some(Err(_))))
}

/// Rule 2: webpki on the path the model accepted.
fn model_path_before_webpki(
    input: &Input,
    judges: &Judges,
    algorithms: &WebPkiSupportedAlgorithms,
    now: UnixTime,
) {
    let path = &judges.model_path;
    if judges.model.is_err() || path.len() < 2 || repeats_a_subject(path) {
        return;
    }
    let (top, below) = path.split_last().expect("two or more");
    if !fuzzing::webpki_reads_as_anchor(top) {
        return;
    }
    // Every certificate of `ca` is an anchor with partial chains: the top alone.
    let Some(again) = judge_again(input, (top, true), below, algorithms, now) else {
        return;
    };
    if let Some(Err(refusal)) = again.webpki {
        let name = refusal
            .error
            .split(['(', ' ', '{'])
            .next()
            .unwrap_or_default();
        assert!(
            WEBPKI_MAY_REFUSE.contains(&name),
            "the model accepted a path webpki refuses ({}): {judges:?}",
            refusal.error
        );
    }
}

/// Both judges again on `below` (leaf first), with `top` the only trusted
/// certificate (and partial chains as given), under the input's CRLs.
fn judge_again(
    input: &Input,
    (top, partial): (&Vec<u8>, bool),
    below: &[Vec<u8>],
    algorithms: &WebPkiSupportedAlgorithms,
    now: UnixTime,
) -> Option<Judges> {
    let trust = input.trust(std::slice::from_ref(top), partial, &input.crls);
    let chain: Vec<CertificateDer<'_>> = below
        .iter()
        .map(|der| CertificateDer::from(&der[..]))
        .collect();
    trust.judges(algorithms, &chain, now)
}

/// Whether two certificates of `path` have the same subject.
fn repeats_a_subject(path: &[Vec<u8>]) -> bool {
    let subjects: Vec<&[u8]> = path
        .iter()
        .filter_map(|der| fuzzing::issuer_and_subject(der).map(|(_, subject)| subject))
        .collect();
    subjects
        .iter()
        .enumerate()
        .any(|(i, subject)| subjects[i + 1..].contains(subject))
}

/// Rule 3: the model on the path webpki accepted.
fn webpki_path_before_model(
    input: &Input,
    judges: &Judges,
    algorithms: &WebPkiSupportedAlgorithms,
    now: UnixTime,
) {
    let Some(Ok(path)) = &judges.webpki else {
        return;
    };
    // The anchor's certificate is the last of the path, when the store had it.
    if path.len() < 2 || !is_anchor_certificate(input, path) {
        return;
    }
    let (anchor, below) = path.split_last().expect("two or more");
    let Some(again) = judge_again(input, (anchor, input.partial), below, algorithms, now) else {
        return;
    };
    if let Err(Some(code)) = again.model {
        assert!(
            MODEL_MAY_REFUSE.contains(&code),
            "webpki accepted a path the model refuses with {code}: {judges:?}"
        );
    }
}

/// Whether webpki's path ends with the certificate of its trust anchor (rather
/// than with its last intermediate, when no trusted certificate matched).
fn is_anchor_certificate(input: &Input, path: &[Vec<u8>]) -> bool {
    let last = path.last().expect("a path");
    input.default_roots || input.trusted.contains(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_inputs_round_trip() {
        let input = Input {
            partial: true,
            default_roots: false,
            now: 1_700_000_000,
            trusted: vec![vec![1, 2]],
            crls: vec![vec![3]],
            chain: vec![vec![4], vec![5, 6]],
        };
        assert_eq!(Input::parse(&input.encode_raw()), Some(input));
    }

    /// The universe's own chains: accepted by both judges where they should be.
    #[test]
    fn universe_chains_are_judged_alike() {
        let pick =
            |names: &[&str]| -> Vec<u8> { names.iter().map(|n| UNIVERSE.index(n)).collect() };
        let input = |trusted: &[&str], chain: &[&str]| {
            let mut bytes = vec![flags::UNIVERSE, trusted.len() as u8];
            bytes.extend(pick(trusted));
            bytes.extend(pick(chain));
            bytes
        };
        let good = input(&["root-a"], &["leaf-by-int-a", "int-a"]);
        let parsed = Input::parse(&good).expect("input");
        assert_eq!(parsed.chain.len(), 2);
        run(&good);
        let trust = parsed.trust(&parsed.trusted, false, &[]);
        let chain: Vec<CertificateDer<'_>> = parsed
            .chain
            .iter()
            .map(|der| CertificateDer::from(&der[..]))
            .collect();
        assert_eq!(
            trust.verify_chain(&algorithms(), &chain, parsed.time()),
            Ok(())
        );
        for (trusted, chain) in [
            (&["root-b"][..], &["leaf-by-int-a", "int-a-cross-by-b"][..]),
            (&["root-a"], &["leaf-by-int-a2", "int-a2", "int-a"]),
            (
                &["root-a"],
                &["leaf-constrained-excluded", "int-name-constrained"],
            ),
            (
                &["root-a"],
                &[
                    "leaf-under-path-length-0",
                    "int-under-path-length-0",
                    "int-path-length-0",
                ],
            ),
            (
                &["root-a"],
                &["leaf-by-critical-policies", "int-critical-policies"],
            ),
            (&["root-a"], &["leaf-ca", "int-a"]),
        ] {
            run(&input(trusted, chain));
        }
    }
}
