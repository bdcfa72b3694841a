//! Certificates a hostile server sends to make a client work: made fresh with
//! rcgen, in the shapes of x509-limbo's `pathological::*` cases and of the
//! bounds the engine documents (`crates/engine/src/verify/bounds.rs`).
//!
//! - [`padding_certificate`]: a certificate of an exact DER length, to fill a
//!   certificate message to the byte;
//! - [`name_constraint_flood`]: a root with thousands of name constraints and a
//!   leaf with thousands of names (x509-limbo's `nc-dos-*`);
//! - [`same_name_chain`]: intermediates that all share one subject name, each
//!   with its own key (`pathological-chain-same-subject-distinct-key`);
//! - [`long_chain`]: a chain of distinct intermediates under a root;
//! - [`der_element`], [`certificate_pem`]: one DER element, for what rcgen
//!   cannot shape; a certificate as PEM.

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, CustomExtension, DnType, GeneralSubtree,
    IsCa, KeyPair, KeyUsagePurpose, NameConstraints, SanType,
};

use crate::rcgen_pki::{days_from_now, Ca, Issued, LeafSpec};

/// Netscape's comment extension (nsComment): an IA5String OpenSSL and webpki
/// ignore when it is not critical. It carries the padding.
const NS_COMMENT: &[u64] = &[2, 16, 840, 1, 113_730, 1, 13];

/// An arc of private attribute types for subject names: rcgen keeps one value
/// per attribute type, so each extra subject name gets a type of its own.
const NAME_ARC: &[u64] = &[1, 3, 6, 1, 4, 1, 55_555, 1];

/// A self-signed certificate (not a CA) whose DER is exactly `der_len` bytes
/// long, its length made up by a comment of `x`s.
///
/// # Panics
/// If `der_len` is shorter than a certificate with an empty comment (about 400
/// bytes), or rcgen fails.
pub fn padding_certificate(der_len: usize) -> Vec<u8> {
    let key = KeyPair::generate().expect("P-256 key");
    let make = |comment: usize| -> Vec<u8> {
        let mut params = CertificateParams::default();
        params
            .distinguished_name
            .push(DnType::CommonName, "tls-connect padding");
        params.not_before = days_from_now(-1).into();
        params.not_after = days_from_now(30).into();
        params.custom_extensions = vec![CustomExtension::from_oid_content(
            NS_COMMENT,
            ia5_string(&"x".repeat(comment)),
        )];
        params
            .self_signed(&key)
            .expect("padding certificate")
            .der()
            .to_vec()
    };
    // The ECDSA signature varies by a byte or two, and length fields grow at
    // 128, 256 and 65,536: aim, then correct, a few times.
    let mut comment = der_len.saturating_sub(make(0).len());
    for _ in 0..64 {
        let der = make(comment);
        match der.len().cmp(&der_len) {
            std::cmp::Ordering::Equal => return der,
            std::cmp::Ordering::Less => comment += der_len - der.len(),
            std::cmp::Ordering::Greater => {
                comment = comment.saturating_sub((der.len() - der_len).max(1));
            }
        }
    }
    panic!("no padding certificate of exactly {der_len} bytes");
}

/// IA5String's DER.
fn ia5_string(text: &str) -> Vec<u8> {
    der_element(0x16, &[text.as_bytes()])
}

/// A DER element with a one-byte identifier: `tag`, the definite length of
/// the contents, then `parts` joined as the contents.
pub fn der_element(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let body = parts.concat();
    let mut out = vec![tag];
    if body.len() < 0x80 {
        out.push(body.len() as u8);
    } else {
        let digits: Vec<u8> = body
            .len()
            .to_be_bytes()
            .into_iter()
            .skip_while(|&d| d == 0)
            .collect();
        out.push(0x80 | digits.len() as u8);
        out.extend(digits);
    }
    out.extend(body);
    out
}

/// A certificate's DER as a PEM block, for a chain a server is given as PEM.
pub fn certificate_pem(der: &[u8]) -> String {
    pem::encode(&pem::Pem::new("CERTIFICATE", der))
}

/// A root and a leaf for name-constraint work.
pub struct NameConstraintFlood {
    /// The root: CA, with the constraints.
    pub root: Ca,
    /// The leaf (for `host`, serverAuth), issued by the root.
    pub leaf: Issued,
}

/// A root whose nameConstraints permit `permitted` DNS names (`t0.test`,
/// `t1.test`, ...) and exclude as many others (`x0.test`, ...), and a leaf
/// for `host` with `san_names` DNS names (`host` first, then `t1.test`, ...)
/// and `subject_names` extra subject attributes besides its CN (`host`).
/// OpenSSL's guard multiplies the leaf's names (SANs and subject attributes)
/// by the root's constraints (`permitted` times two).
pub fn name_constraint_flood(
    host: &str,
    permitted: usize,
    san_names: usize,
    subject_names: usize,
) -> NameConstraintFlood {
    let root = Ca::new_root_with("tls-connect constrained root", |params| {
        params.name_constraints = Some(NameConstraints {
            permitted_subtrees: std::iter::once(GeneralSubtree::DnsName(host.to_owned()))
                .chain((1..permitted).map(|i| GeneralSubtree::DnsName(format!("t{i}.test"))))
                .collect(),
            excluded_subtrees: (0..permitted)
                .map(|i| GeneralSubtree::DnsName(format!("x{i}.test")))
                .collect(),
        });
    });
    let leaf = root.issue_with(&LeafSpec::server(host, &[host]), |params| {
        let extra = (1..san_names)
            .map(|i| SanType::DnsName(format!("t{i}.test").try_into().expect("an ASCII DNS name")));
        params.subject_alt_names.extend(extra);
        for i in 0..subject_names {
            let mut oid = NAME_ARC.to_vec();
            oid.push(i as u64);
            params
                .distinguished_name
                .push(DnType::CustomDnType(oid), format!("t{i}"));
        }
    });
    NameConstraintFlood { root, leaf }
}

/// A CA's parameters: the name, CA:TRUE, keyCertSign, a validity from a day
/// ago for a year.
fn ca_params(common_name: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    params
        .distinguished_name
        .push(DnType::CommonName, common_name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.not_before = days_from_now(-1).into();
    params.not_after = days_from_now(365).into();
    params
}

/// `count` CA certificates that all have the subject `name`, each with its
/// own key: the first self-signed, each next one signed by the one before
/// (no key identifiers, so only keys tell them apart); and a leaf for `host`
/// signed by the last. Returns the leaf and the CAs, the last first (the order
/// a server sends them in).
pub fn same_name_chain(name: &str, count: usize, host: &str) -> (Issued, Vec<Vec<u8>>) {
    let mut issuers: Vec<CertifiedIssuer<'static, KeyPair>> = Vec::with_capacity(count);
    for _ in 0..count.max(1) {
        let key = KeyPair::generate().expect("P-256 key");
        let issuer = match issuers.last() {
            None => CertifiedIssuer::self_signed(ca_params(name), key),
            Some(previous) => CertifiedIssuer::signed_by(ca_params(name), key, previous),
        }
        .expect("same-name CA");
        issuers.push(issuer);
    }
    let last = issuers.last().expect("at least one CA");
    let key = KeyPair::generate().expect("P-256 key");
    let mut params = CertificateParams::new(vec![host.to_owned()]).expect("leaf params");
    params.distinguished_name.push(DnType::CommonName, host);
    params.not_before = days_from_now(-1).into();
    params.not_after = days_from_now(30).into();
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let cert = params.signed_by(&key, last).expect("leaf");
    let leaf = Issued {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
        cert_der: cert.der().to_vec(),
    };
    let cas = issuers.iter().rev().map(|ca| ca.der().to_vec()).collect();
    (leaf, cas)
}

/// `count` intermediates under `root`, each issued by the one before; the
/// last one first (the order a server sends them in, after its leaf).
pub fn long_chain(root: &Ca, count: usize) -> Vec<Ca> {
    let mut chain: Vec<Ca> = Vec::with_capacity(count);
    for i in 0..count {
        let next = match chain.last() {
            None => root.issue_intermediate(&format!("tls-connect chain {i}")),
            Some(previous) => previous.issue_intermediate(&format!("tls-connect chain {i}")),
        };
        chain.push(next);
    }
    chain.reverse();
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_certificates_have_the_length_asked_for() {
        for len in [500, 1000, 16_384, 65_000] {
            assert_eq!(padding_certificate(len).len(), len);
        }
    }
}
