//! The trusted certificates as OpenSSL's store serves issuers from them:
//! parsed only when needed, and of several candidates the one OpenSSL picks.

use std::cell::OnceCell;

use rustls::pki_types::CertificateDer;

use super::cert::{likely_issued, Cert};

/// The trusted certificates, parsed only when their DER holds a name looked for.
pub(super) struct Store<'a> {
    ders: &'a [CertificateDer<'a>],
    parsed: Vec<OnceCell<Option<Cert<'a>>>>,
}

impl<'a> Store<'a> {
    /// The store of these certificates, none parsed yet.
    pub(super) fn new(ders: &'a [CertificateDer<'a>]) -> Self {
        Self {
            ders,
            parsed: ders.iter().map(|_| OnceCell::new()).collect(),
        }
    }

    /// OpenSSL's `X509_STORE_CTX_get1_issuer`: of the trusted certificates
    /// likely to have issued `subject`, the first valid now, else the one that
    /// expires last.
    pub(super) fn issuer_of(&self, subject: &Cert<'_>, now: i64) -> Option<&Cert<'a>> {
        let candidates = self
            .ders
            .iter()
            .zip(&self.parsed)
            // A cheap look for the name's bytes before parsing.
            .filter(|(der, _)| contains(der, subject.issuer))
            .filter_map(|(der, cell)| cell.get_or_init(|| Cert::parse(der)).as_ref())
            .filter(|candidate| likely_issued(candidate, subject));
        preferred(candidates, now)
    }

    /// Whether this very certificate is trusted.
    pub(super) fn holds(&self, cert: &Cert<'_>) -> bool {
        self.ders.iter().any(|der| der.as_ref() == cert.der)
    }
}

/// Whether `needle` occurs in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

/// The first candidate valid at `now`, else the one that expires last.
pub(super) fn preferred<'c, 'a: 'c>(
    candidates: impl Iterator<Item = &'c Cert<'a>>,
    now: i64,
) -> Option<&'c Cert<'a>> {
    let mut fallback: Option<&Cert<'a>> = None;
    for candidate in candidates {
        if candidate.valid_at(now) {
            return Some(candidate);
        }
        if fallback.is_none_or(|kept| candidate.not_after > kept.not_after) {
            fallback = Some(candidate);
        }
    }
    fallback
}
