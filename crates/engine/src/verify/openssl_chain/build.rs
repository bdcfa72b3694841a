//! OpenSSL's `build_chain` for a client: from the server's certificate up,
//! trusted issuers first, then the ones the server sent; and the failure it
//! reports when the chain does not end at a trust anchor.

use super::cert::{likely_issued, may_issue, Cert};
use super::store::{preferred, Store};

/// The longest chain built, leaf and trust anchor included: OpenSSL's default
/// verify depth (100) and two (its `build_chain` looks for one more issuer
/// while the chain holds at most 101). A chain that reaches it stops growing
/// and is judged by its top like any other: Node 26 authorizes a leaf, 100
/// intermediates and the root, and answers `UNABLE_TO_GET_ISSUER_CERT_LOCALLY`
/// to 101 intermediates. Real chains have two to four certificates.
const MAX_CHAIN: usize = 102;

/// One certificate of the chain built, and whether it came from the trust store.
pub(super) struct Link<'c, 'a> {
    /// The certificate.
    pub(super) cert: &'c Cert<'a>,
    /// Found in the trust store (or, with partial chains, the leaf is there).
    pub(super) trusted: bool,
}

/// OpenSSL's `build_chain` (trusted issuers first, then the server's): the
/// chain from the leaf up, at most [`MAX_CHAIN`] long. `partial` is
/// `allowPartialTrustChain`; `now` is in seconds since the Unix epoch.
pub(super) fn build<'c, 'a>(
    leaf: &'c Cert<'a>,
    served: &'c [Cert<'a>],
    store: &'c Store<'a>,
    partial: bool,
    now: i64,
) -> Vec<Link<'c, 'a>> {
    // With partial chains, the leaf itself may be what the client trusts.
    let leaf_trusted = partial && store.holds(leaf);
    let mut chain = vec![Link {
        cert: leaf,
        trusted: leaf_trusted,
    }];
    // Bounded: each turn adds a certificate, and the chain stops at MAX_CHAIN.
    loop {
        let top = &chain[chain.len() - 1];
        let (cert, trusted) = (top.cert, top.trusted);
        if trusted && (cert.self_signed || partial) {
            return chain;
        }
        if chain.len() >= MAX_CHAIN {
            return chain;
        }
        if cert.self_signed {
            // Only this very certificate in the store makes it trusted: a
            // look-alike (same name, another key) is an impostor. OpenSSL
            // looks it up as its own issuer by name and key identifiers only
            // (whatever its keyUsage), and takes the first it finds.
            let found = store.issuer_of(cert, now, likely_issued);
            if found.is_some_and(|found| found.der == cert.der) {
                if let Some(top) = chain.last_mut() {
                    top.trusted = true;
                }
            }
            return chain;
        }
        let issuer = store.issuer_of(cert, now, may_issue);
        if let Some(issuer) = issuer {
            chain.push(Link {
                cert: issuer,
                trusted: true,
            });
            continue;
        }
        if trusted {
            // Once in the store, OpenSSL looks for issuers only there.
            return chain;
        }
        let in_chain =
            |candidate: &Cert<'_>| chain.iter().any(|link| link.cert.der == candidate.der);
        let candidates = served
            .iter()
            .filter(|candidate| !in_chain(candidate) && may_issue(candidate, cert));
        match preferred(candidates, now) {
            Some(issuer) => chain.push(Link {
                cert: issuer,
                trusted: false,
            }),
            None => return chain,
        }
    }
}

/// What `build_chain` reports when the chain does not end in a trust anchor.
pub(super) fn chain_failure(chain: &[Link<'_, '_>], partial: bool) -> Option<&'static str> {
    let top = &chain[chain.len() - 1];
    if top.trusted && (top.cert.self_signed || partial) {
        return None;
    }
    Some(if top.cert.self_signed && !top.trusted {
        if chain.len() == 1 {
            "DEPTH_ZERO_SELF_SIGNED_CERT"
        } else {
            "SELF_SIGNED_CERT_IN_CHAIN"
        }
    } else if top.trusted {
        // An intermediate given as `ca`, without allowPartialTrustChain.
        "UNABLE_TO_GET_ISSUER_CERT"
    } else {
        "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"
    })
}
