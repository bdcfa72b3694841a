//! OpenSSL's way of building and judging a server's chain: `X509_verify_cert`
//! as Node 20's OpenSSL 3.0 runs it for a client (trusted issuers searched
//! first, each failure handed to Node's callback, which carries on, so the last
//! failure is the one reported).
//!
//! `verify_chain` asks it only when webpki refuses a chain in a way
//! OpenSSL may not: a version 1 certificate, a CA certificate as the server's
//! own, a self-signed server certificate listed in `ca`, an intermediate listed
//! in `ca`, issuers told apart by their key identifiers. Nothing is accepted by
//! names: every signature is verified with webpki's algorithms, and every date
//! is checked. What it cannot judge (name constraints) it never accepts, but
//! it applies OpenSSL's guard on their cost ([`name_budget`]).
//!
//! The caller bounds what it is given (`verify::bounds`); its own work is then
//! bounded too: one path, no backtracking, at most 102 certificates long (as
//! OpenSSL's), one signature check per link.
//!
//! - [`cert`]: a certificate as the checks read it;
//! - [`signature`]: signatures and the keys that make them;
//! - [`store`] and [`build`]: the chain from the server's certificate up;
//! - [`checks`]: what is checked of the chain built;
//! - [`name_budget`]: OpenSSL's guard on the cost of name constraints.

mod build;
mod cert;
mod checks;
mod key_level;
mod name_budget;
mod signature;
mod store;

use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::CertificateDer;

use cert::Cert;
use name_budget::NameCounts;
use store::Store;

/// What OpenSSL would conclude.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Judgement {
    /// Accepted, with every check OpenSSL makes made here.
    Trusted,
    /// Refused with OpenSSL's last failure (`X509_V_ERR_<name>`).
    Refused(&'static str),
    /// OpenSSL may accept it, but the chain needs a check this model does not
    /// make (name constraints), or the leaf does not parse: refused all the same.
    Unsure,
}

/// A chain and what it is judged against.
pub(super) struct Inputs<'a> {
    /// The server's certificates, leaf first (as many as `verify::bounds` considers).
    pub served: &'a [CertificateDer<'a>],
    /// The trusted certificates (`ca`, or the default roots), in `ca` order.
    pub trusted: &'a [CertificateDer<'a>],
    /// `allowPartialTrustChain`: a trusted certificate ends the chain even when
    /// it is not self-signed.
    pub partial: bool,
    /// The CRLs given as `crl`, DER; none: no revocation check.
    pub crls: &'a [Vec<u8>],
    /// The signature algorithms webpki verifies with.
    pub algorithms: &'a WebPkiSupportedAlgorithms,
    /// Seconds since the Unix epoch.
    pub now: i64,
}

/// Judges the chain as OpenSSL would, and gives the chain it built (leaf
/// first, each certificate's DER; empty when the leaf does not parse).
pub(super) fn judge_with_path<'a>(inputs: &Inputs<'a>) -> (Judgement, Vec<&'a [u8]>) {
    judge(inputs, true)
}

/// As [`judge_with_path`], but without verifying the certificates' own
/// signatures: for a chain whose path webpki verified, to know whether the
/// path OpenSSL builds is that one, and what else OpenSSL checks of it.
pub(super) fn judge_unsigned<'a>(inputs: &Inputs<'a>) -> (Judgement, Vec<&'a [u8]>) {
    judge(inputs, false)
}

/// The model, verifying the certificates' signatures or not.
fn judge<'a>(inputs: &Inputs<'a>, signatures: bool) -> (Judgement, Vec<&'a [u8]>) {
    let Some(leaf) = inputs.served.first().and_then(|der| Cert::parse(der)) else {
        return (Judgement::Unsure, Vec::new());
    };
    // The rest of what the server sent: OpenSSL's untrusted issuers.
    let served: Vec<Cert<'_>> = inputs.served[1..]
        .iter()
        .filter_map(|der| Cert::parse(der))
        .collect();
    let store = Store::new(inputs.trusted);
    let chain = build::build(&leaf, &served, &store, inputs.partial, inputs.now);
    let mut failures = Vec::new();
    failures.extend(build::chain_failure(&chain, inputs.partial));
    checks::check_extensions(&chain, &mut failures);
    checks::check_auth_level(&chain, &mut failures);
    if !inputs.crls.is_empty() {
        checks::check_revocation(
            &chain,
            inputs.crls,
            inputs.algorithms,
            inputs.now,
            &mut failures,
        );
    }
    checks::check_signatures_and_dates(
        &chain,
        signatures.then_some(inputs.algorithms),
        inputs.partial,
        inputs.now,
        &mut failures,
    );
    let counts: Vec<NameCounts> = chain.iter().map(|link| NameCounts::of(link.cert)).collect();
    if name_budget::too_costly(&counts) {
        failures.push(super::bounds::NAME_CHECKS_TOO_COSTLY);
    }
    let judgement = match failures.last() {
        Some(code) => Judgement::Refused(code),
        None if chain.iter().any(|link| link.cert.unjudged) => Judgement::Unsure,
        None => Judgement::Trusted,
    };
    (judgement, chain.iter().map(|link| link.cert.der).collect())
}

/// Whether OpenSSL's guard on the cost of name constraints refuses the path
/// webpki verified: the leaf, its intermediates, then the trust anchor's
/// constraints. Nothing is parsed unless some certificate of the path may
/// carry name constraints.
pub(super) fn name_checks_too_costly(
    leaf: &[u8],
    intermediates: &[&[u8]],
    anchor_constraints: Option<&[u8]>,
) -> bool {
    if anchor_constraints.is_none() && !intermediates.iter().any(|der| may_constrain(der)) {
        return false;
    }
    let mut counts = Vec::with_capacity(intermediates.len() + 2);
    for der in std::iter::once(&leaf).chain(intermediates) {
        // webpki read each of them; what x509-parser cannot read is not measured.
        if let Some(cert) = Cert::parse(der) {
            counts.push(NameCounts::of(&cert));
        }
    }
    counts.push(NameCounts::of_anchor(anchor_constraints));
    name_budget::too_costly(&counts)
}

/// Whether the DER holds the nameConstraints extension's OID (2.5.29.30).
fn may_constrain(der: &[u8]) -> bool {
    const OID: [u8; 5] = [0x06, 0x03, 0x55, 0x1D, 0x1E];
    der.windows(OID.len()).any(|window| window == OID)
}

/// Whether OpenSSL would take the certificate as self-signed (and so as a trust
/// anchor without `allowPartialTrustChain`); `None` when it does not parse.
pub(super) fn is_self_signed(der: &[u8]) -> Option<bool> {
    Cert::parse(der).map(|cert| cert.self_signed)
}
