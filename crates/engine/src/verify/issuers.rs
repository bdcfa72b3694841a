//! The issuers Node adds to `getPeerCertificate(true)`: after the certificates
//! the server sent, Node looks each next issuer up in the client's trust store
//! (OpenSSL's `X509_STORE`), by name, until a self-issued certificate.

use rustls::pki_types::CertificateDer;
use x509_parser::prelude::{FromDer, X509Certificate};

use super::trust::TrustStore;

/// How far the lookup goes: OpenSSL's default verification depth.
const MAX_DEPTH: usize = 100;

impl TrustStore {
    /// The certificates of the trust store that continue `chain` (leaf first)
    /// towards a root, in order; empty when the chain already ends at a
    /// self-issued certificate or its issuer is not in the store.
    pub fn issuers_after(&self, chain: &[CertificateDer<'_>]) -> Vec<CertificateDer<'static>> {
        let store: Vec<&[u8]> = self.trusted().iter().map(|c| c.as_ref()).collect();
        let mut added: Vec<CertificateDer<'static>> = Vec::new();
        let mut last = match chain.last() {
            Some(last) => last.as_ref().to_vec(),
            None => return added,
        };
        // Bounded by MAX_DEPTH; a certificate already in the chain ends the walk.
        for _ in 0..MAX_DEPTH {
            let Some((subject, issuer)) = names(&last) else {
                break;
            };
            if subject == issuer {
                break;
            }
            // The name read from the headers first, then confirmed by a full parse:
            // the default roots are about 150 certificates.
            let next = store.iter().find(|candidate| {
                super::names::names(candidate).is_some_and(|names| names.subject == issuer)
                    && names(candidate).is_some_and(|(subject, _)| subject == issuer)
            });
            let Some(next) = next else { break };
            let seen = chain.iter().any(|c| c.as_ref() == *next)
                || added.iter().any(|c| c.as_ref() == *next);
            if seen {
                break;
            }
            added.push(CertificateDer::from(next.to_vec()));
            last = next.to_vec();
        }
        added
    }
}

/// A certificate's subject and issuer names, DER.
fn names(der: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let (_, cert) = X509Certificate::from_der(der).ok()?;
    Some((
        cert.tbs_certificate.subject.as_raw().to_vec(),
        cert.tbs_certificate.issuer.as_raw().to_vec(),
    ))
}
