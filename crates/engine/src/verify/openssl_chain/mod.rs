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
//! is checked. What it cannot judge (name constraints) it never accepts.
//!
//! - [`cert`]: a certificate as the checks read it;
//! - [`signature`]: signatures and the keys that make them;
//! - [`store`] and [`build`]: the chain from the server's certificate up;
//! - [`checks`]: what is checked of the chain built.

mod build;
mod cert;
mod checks;
mod signature;
mod store;

use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::CertificateDer;

use cert::Cert;
use store::Store;

/// How many of the server's certificates are considered, in the order sent.
const MAX_SERVED: usize = 16;

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
    /// The server's certificates, leaf first.
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

/// Judges the chain as OpenSSL would.
pub(super) fn judge(inputs: &Inputs<'_>) -> Judgement {
    let Some(leaf) = inputs.served.first().and_then(|der| Cert::parse(der)) else {
        return Judgement::Unsure;
    };
    // The rest of what the server sent: OpenSSL's untrusted issuers.
    let served: Vec<Cert<'_>> = inputs.served[1..]
        .iter()
        .take(MAX_SERVED)
        .filter_map(|der| Cert::parse(der))
        .collect();
    let store = Store::new(inputs.trusted);
    let (chain, too_long) = build::build(&leaf, &served, &store, inputs.partial, inputs.now);
    let mut failures = Vec::new();
    failures.extend(build::chain_failure(&chain, too_long, inputs.partial));
    checks::check_extensions(&chain, &mut failures);
    checks::check_digests(&chain, &mut failures);
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
        inputs.algorithms,
        inputs.partial,
        inputs.now,
        &mut failures,
    );
    match failures.last() {
        Some(code) => Judgement::Refused(code),
        None if chain.iter().any(|link| link.cert.unjudged) => Judgement::Unsure,
        None => Judgement::Trusted,
    }
}

/// Whether OpenSSL would take the certificate as self-signed (and so as a trust
/// anchor without `allowPartialTrustChain`); `None` when it does not parse.
pub(super) fn is_self_signed(der: &[u8]) -> Option<bool> {
    Cert::parse(der).map(|cert| cert.self_signed)
}
