//! The trusted certificates as OpenSSL's store serves issuers from them:
//! looked up by subject name, parsed only when their name is the one looked
//! for, and of several candidates the one OpenSSL picks.

use std::cell::OnceCell;

use super::cert::Cert;
use crate::verify::names::names;
use rustls::pki_types::CertificateDer;

/// The trusted certificates, parsed only when their subject is a name looked for.
pub(super) struct Store<'a> {
    ders: &'a [CertificateDer<'a>],
    /// Each certificate's subject name (its whole DER element), read without
    /// parsing the rest; `None` when it cannot be read so (then the full parse decides).
    subjects: Vec<Option<&'a [u8]>>,
    parsed: Vec<OnceCell<Option<Cert<'a>>>>,
}

impl<'a> Store<'a> {
    /// The store of these certificates, none parsed yet. Reading the subjects
    /// costs a few DER headers per certificate (about 150 for the default
    /// roots), where searching each certificate's bytes for a name cost a
    /// comparison per byte.
    pub(super) fn new(ders: &'a [CertificateDer<'a>]) -> Self {
        Self {
            ders,
            subjects: ders
                .iter()
                .map(|der| names(der).map(|n| n.subject))
                .collect(),
            parsed: ders.iter().map(|_| OnceCell::new()).collect(),
        }
    }

    /// OpenSSL's `X509_STORE_CTX_get1_issuer`: of the trusted certificates
    /// that `issued` says may have issued `subject`, the first valid now, else
    /// the one that expires last.
    pub(super) fn issuer_of(
        &self,
        subject: &Cert<'_>,
        now: i64,
        issued: fn(&Cert<'_>, &Cert<'_>) -> bool,
    ) -> Option<&Cert<'a>> {
        let candidates = self
            .ders
            .iter()
            .zip(&self.subjects)
            .zip(&self.parsed)
            // The name compared before anything is parsed.
            .filter(|((_, name), _)| name.is_none_or(|name| name == subject.issuer))
            .filter_map(|((der, _), cell)| cell.get_or_init(|| Cert::parse(der)).as_ref())
            .filter(|candidate| issued(candidate, subject));
        preferred(candidates, now)
    }

    /// Whether this very certificate is trusted.
    pub(super) fn holds(&self, cert: &Cert<'_>) -> bool {
        self.ders.iter().any(|der| der.as_ref() == cert.der)
    }
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
