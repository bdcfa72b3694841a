//! A certificate's issuer and subject names read from the DER headers alone,
//! without parsing the rest: how trusted certificates are looked up by name
//! (OpenSSL's store does it by name too), and how a chain's names are counted
//! before anything more expensive runs. A full parse still decides whatever
//! these find.

use x509_parser::asn1_rs::{Any, FromDer};

/// A certificate's issuer and subject, each its whole DER element (as
/// x509-parser's `as_raw` gives it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Names<'a> {
    /// The issuer name.
    pub(super) issuer: &'a [u8],
    /// The subject name.
    pub(super) subject: &'a [u8],
}

/// The names of a certificate, found by walking the headers of the
/// tbsCertificate's first fields: an optional `[0]` version, the serial, the
/// signature, the issuer, the validity, then the subject. `None` when those
/// headers do not read.
pub(super) fn names(der: &[u8]) -> Option<Names<'_>> {
    let (_, certificate) = Any::from_der(der).ok()?;
    let (_, tbs) = Any::from_der(certificate.data).ok()?;
    let mut rest = tbs.data;
    // Bounded: called at most six times, each reading one header.
    let mut next = || {
        let (after, _) = Any::from_der(rest).ok()?;
        let element = rest.get(..rest.len() - after.len())?;
        rest = after;
        Some(element)
    };
    // The explicit version, [0], when present, then the serial.
    if next()?.first() == Some(&0xA0) {
        next()?;
    }
    next()?; // the signature algorithm
    let issuer = next()?;
    next()?; // the validity
    let subject = next()?;
    Some(Names { issuer, subject })
}

#[cfg(test)]
mod tests {
    use x509_parser::prelude::{FromDer, X509Certificate};

    use super::names;

    #[test]
    fn names_are_the_ones_a_full_parse_finds() {
        let root = test_pki::Ca::new_root("names root");
        let leaf = root.issue(&test_pki::LeafSpec::server("localhost", &["localhost"]));
        for der in [root.cert_der(), leaf.cert_der] {
            let (_, cert) = X509Certificate::from_der(&der).expect("parses");
            let found = names(&der).expect("headers read");
            assert_eq!(found.issuer, cert.tbs_certificate.issuer.as_raw());
            assert_eq!(found.subject, cert.tbs_certificate.subject.as_raw());
        }
        assert_eq!(names(b"\x30\x03\x30\x01\x00"), None);
        assert_eq!(names(&[]), None);
    }
}
