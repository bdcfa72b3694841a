//! OpenSSL's guard against name-constraint checks that would cost too much
//! (`NAME_CONSTRAINTS_check` in `crypto/x509/v3_ncons.c`, since OpenSSL
//! 1.1.0h): before comparing a certificate's names with a CA's constraints it
//! multiplies their counts, and refuses the chain with `X509_V_ERR_UNSPECIFIED`
//! when the product is over 2^20. It is the last check `X509_verify_cert`
//! makes, so its failure is the one Node reports.
//!
//! A certificate's names are its subject's attributes and its subjectAltName
//! entries; a CA's constraints are its permittedSubtrees and excludedSubtrees.
//! Each certificate of the chain is measured against every CA above it, except
//! that a self-issued certificate other than the leaf is not checked.

use x509_parser::asn1_rs::{Any, FromDer};

use super::cert::Cert;

/// `NAME_CHECK_MAX`: the largest product of names and constraints OpenSSL checks.
pub(super) const NAME_CHECK_MAX: usize = 1 << 20;

/// What the guard reads of one certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct NameCounts {
    /// Subject attributes and subjectAltName entries.
    pub(super) names: usize,
    /// Subtrees of its nameConstraints, when it has that extension.
    pub(super) constraints: Option<usize>,
    /// Subject and issuer are the same name.
    pub(super) self_issued: bool,
}

impl NameCounts {
    /// The counts of a certificate as the model reads it.
    pub(super) fn of(cert: &Cert<'_>) -> Self {
        Self {
            names: cert.name_count,
            constraints: cert.constraint_count,
            self_issued: cert.self_issued,
        }
    }

    /// The counts of a trust anchor that has only its constraints (webpki's
    /// `TrustAnchor::name_constraints`: the contents of the NameConstraints
    /// SEQUENCE, `[0]` and `[1]` subtrees).
    pub(super) fn of_anchor(constraints: Option<&[u8]>) -> Self {
        Self {
            names: 0,
            constraints: constraints.map(count_subtrees),
            self_issued: true,
        }
    }
}

/// Whether OpenSSL refuses the chain (leaf first, trust anchor last) because
/// checking its names against its constraints would cost too much.
pub(super) fn too_costly(chain: &[NameCounts]) -> bool {
    chain.iter().enumerate().any(|(depth, cert)| {
        let checked = depth == 0 || !cert.self_issued;
        checked
            && cert.names > 0
            && chain[depth + 1..]
                .iter()
                .filter_map(|ca| ca.constraints)
                .any(|constraints| constraints > NAME_CHECK_MAX / cert.names)
    })
}

/// The number of GeneralSubtrees in the contents of a NameConstraints
/// SEQUENCE. What does not read counts as none (webpki has refused it then).
fn count_subtrees(mut contents: &[u8]) -> usize {
    let mut count = 0;
    // Bounded: each turn consumes an element or stops.
    while let Ok((rest, subtrees)) = Any::from_der(contents) {
        let mut inner = subtrees.data;
        while let Ok((after, _)) = Any::from_der(inner) {
            count += 1;
            inner = after;
        }
        contents = rest;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(names: usize, constraints: Option<usize>, self_issued: bool) -> NameCounts {
        NameCounts {
            names,
            constraints,
            self_issued,
        }
    }

    #[test]
    fn the_product_of_names_and_constraints_is_bounded_as_in_openssl() {
        let root = |constraints| counts(1, Some(constraints), true);
        // 2,049 names against 4,098 constraints (the shape of x509-limbo's
        // nc-dos chains): over 2^20.
        assert!(too_costly(&[counts(2049, None, false), root(4098)]));
        // 1,024 names against 1,024 constraints: exactly 2^20, checked.
        assert!(!too_costly(&[counts(1024, None, false), root(1024)]));
        assert!(too_costly(&[counts(1024, None, false), root(1025)]));
        // A self-issued intermediate is not measured; the leaf always is.
        let intermediate = counts(5000, None, true);
        assert!(!too_costly(&[
            counts(1, None, true),
            intermediate,
            root(1000)
        ]));
        assert!(too_costly(&[counts(5000, None, true), root(1000)]));
        // No names, or no constraints: nothing to check.
        assert!(!too_costly(&[counts(0, None, false), root(1 << 30)]));
        assert!(!too_costly(&[
            counts(1 << 20, None, false),
            counts(1, None, true)
        ]));
    }

    #[test]
    fn anchor_subtrees_are_counted() {
        // [0] { SEQUENCE { [2] "a" }, SEQUENCE { [2] "b" } } [1] { SEQUENCE { [2] "c" } }
        let contents = [
            0xA0, 0x0A, 0x30, 0x03, 0x82, 0x01, b'a', 0x30, 0x03, 0x82, 0x01, b'b', 0xA1, 0x05,
            0x30, 0x03, 0x82, 0x01, b'c',
        ];
        assert_eq!(count_subtrees(&contents), 3);
        assert_eq!(count_subtrees(&[]), 0);
        assert_eq!(NameCounts::of_anchor(None).constraints, None);
    }
}
