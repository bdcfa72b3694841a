//! The checks OpenSSL's `X509_verify_cert` makes of a chain once it is built:
//! extensions and purposes, signature digests, revocation, and each
//! signature and date. Each failure is recorded; Node reports the last.

use rustls::crypto::WebPkiSupportedAlgorithms;
use x509_parser::prelude::FromDer;
use x509_parser::revocation_list::CertificateRevocationList;

use super::build::Link;
use super::cert::Cert;
use super::signature::{check_signature, Signature, Signed};
use crate::verify::weak_digests::is_weak_digest;

/// OpenSSL's `check_extensions`: critical extensions, CA certificates above
/// the leaf, the TLS server purpose, and path lengths.
pub(super) fn check_extensions(chain: &[Link<'_, '_>], failures: &mut Vec<&'static str>) {
    // Intermediates below the current certificate that count for pathLen.
    let mut below = 0;
    for (depth, link) in chain.iter().enumerate() {
        let cert = link.cert;
        if cert.unhandled_critical {
            failures.push("UNHANDLED_CRITICAL_EXTENSION");
        }
        let as_ca = depth > 0;
        if as_ca {
            let kind = cert.ca_kind();
            // Only the top may be a CA by the older rules (a version 1 root).
            if kind == 0 || (depth + 1 < chain.len() && kind != 1) {
                failures.push("INVALID_CA");
            }
        }
        if !cert.fits_tls_server(as_ca) {
            failures.push("INVALID_PURPOSE");
        }
        if depth > 1 && cert.path_len.is_some_and(|max| below > max) {
            failures.push("PATH_LENGTH_EXCEEDED");
        }
        if depth > 0 && !cert.self_issued {
            below += 1;
        }
    }
}

/// OpenSSL's `check_auth_level` at Node 26's security level (2), certificate
/// by certificate from the leaf: a key too small (the trust anchor's too), then
/// a signature over MD5 or SHA-1 (the trust anchor's own is not looked at).
pub(super) fn check_auth_level(chain: &[Link<'_, '_>], failures: &mut Vec<&'static str>) {
    let top = chain.len() - 1;
    for (depth, link) in chain.iter().enumerate() {
        if link.cert.key.too_small() {
            failures.push(if depth == 0 {
                "EE_KEY_TOO_SMALL"
            } else {
                "CA_KEY_TOO_SMALL"
            });
        }
        if depth < top && is_weak_digest(link.cert.signed.algorithm) {
            failures.push("CA_MD_TOO_WEAK");
        }
    }
}

/// A CRL as OpenSSL's revocation check reads it.
struct Crl<'a> {
    signed: Signed<'a>,
    issuer: &'a [u8],
    this_update: i64,
    next_update: Option<i64>,
    /// The serial numbers it lists.
    revoked: Vec<Vec<u8>>,
    /// A critical extension OpenSSL does not handle in a CRL.
    unhandled_critical: bool,
}

/// CRL extensions OpenSSL handles when critical: issuingDistributionPoint,
/// authorityKeyIdentifier, deltaCRLIndicator (a critical cRLNumber is not one).
const CRL_HANDLED_EXTENSIONS: &[&str] = &["2.5.29.28", "2.5.29.35", "2.5.29.27"];

impl<'a> Crl<'a> {
    /// Reads a CRL; `None` when x509-parser or the signature's framing refuses it.
    fn parse(der: &'a [u8]) -> Option<Self> {
        let (_, crl) = CertificateRevocationList::from_der(der).ok()?;
        let tbs = &crl.tbs_cert_list;
        Some(Self {
            signed: Signed::parse(der)?,
            issuer: tbs.issuer.as_raw(),
            this_update: tbs.this_update.timestamp(),
            next_update: tbs.next_update.map(|time| time.timestamp()),
            revoked: tbs
                .revoked_certificates
                .iter()
                .map(|revoked| revoked.raw_serial().to_vec())
                .collect(),
            unhandled_critical: tbs.extensions().iter().any(|extension| {
                extension.critical
                    && !CRL_HANDLED_EXTENSIONS.contains(&extension.oid.to_id_string().as_str())
            }),
        })
    }
}

/// OpenSSL's `check_revocation` as Node sets it (`X509_V_FLAG_CRL_CHECK_ALL`):
/// every certificate of the chain needs a CRL from its issuer, signed by that
/// issuer and current; the first such CRL is checked as OpenSSL checks the one
/// it picks, and a certificate any correctly signed CRL of its issuer lists is revoked.
pub(super) fn check_revocation(
    chain: &[Link<'_, '_>],
    crls: &[Vec<u8>],
    algorithms: &WebPkiSupportedAlgorithms,
    now: i64,
    failures: &mut Vec<&'static str>,
) {
    let crls: Vec<Crl<'_>> = crls.iter().filter_map(|der| Crl::parse(der)).collect();
    for (depth, link) in chain.iter().enumerate() {
        let cert = link.cert;
        let issuer = match chain.get(depth + 1) {
            Some(next) => Some(next.cert),
            None => cert.self_signed.then_some(cert),
        };
        let mut from_issuer = crls
            .iter()
            .filter(|crl| crl.issuer == cert.issuer)
            .peekable();
        let (Some(first), Some(issuer)) = (from_issuer.peek(), issuer) else {
            failures.push("UNABLE_TO_GET_CRL");
            continue;
        };
        let signed_by_issuer = |crl: &Crl<'_>| {
            check_signature(algorithms, &issuer.key, &crl.signed) == Signature::Valid
        };
        // OpenSSL's check_crl, in its order: the issuer's keyUsage, the
        // dates, the signature; then cert_crl: critical extensions, the serial.
        if issuer.key_usage.is_some_and(|usage| !usage.crl_sign) {
            failures.push("KEYUSAGE_NO_CRL_SIGN");
        }
        if first.this_update > now {
            failures.push("CRL_NOT_YET_VALID");
        }
        if first.next_update.is_some_and(|next| next < now) {
            failures.push("CRL_HAS_EXPIRED");
        }
        if !signed_by_issuer(first) {
            failures.push("CRL_SIGNATURE_FAILURE");
        }
        if first.unhandled_critical {
            failures.push("UNHANDLED_CRITICAL_CRL_EXTENSION");
        }
        let lists = |crl: &Crl<'_>| crl.revoked.iter().any(|serial| serial == cert.serial);
        if from_issuer.any(|crl| lists(crl) && signed_by_issuer(crl)) {
            failures.push("CERT_REVOKED");
        }
    }
}

/// OpenSSL's `internal_verify`: from the top down, each signature by the
/// certificate above, then each certificate's dates. A self-signed trust
/// anchor's own signature is not looked at, except when it is the server's own
/// certificate: then it is checked too. `algorithms` is `None` when the
/// signatures of this very chain were verified already (by webpki).
pub(super) fn check_signatures_and_dates(
    chain: &[Link<'_, '_>],
    algorithms: Option<&WebPkiSupportedAlgorithms>,
    partial: bool,
    now: i64,
    failures: &mut Vec<&'static str>,
) {
    let top = chain.len() - 1;
    let top_cert = chain[top].cert;
    if top_cert.self_signed {
        if top == 0 && chain[0].trusted {
            check_issued_by(top_cert, top_cert, algorithms, failures);
        }
        check_dates(top_cert, now, failures);
    } else if partial {
        check_dates(top_cert, now, failures);
    } else if top == 0 {
        failures.push("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
        check_dates(top_cert, now, failures);
    }
    // Otherwise the top has no issuer to check it against, and OpenSSL skips its dates.
    for depth in (0..top).rev() {
        let cert = chain[depth].cert;
        check_issued_by(cert, chain[depth + 1].cert, algorithms, failures);
        check_dates(cert, now, failures);
    }
}

/// Verifies `cert`'s signature with `issuer`'s key (unless verified already).
fn check_issued_by(
    cert: &Cert<'_>,
    issuer: &Cert<'_>,
    algorithms: Option<&WebPkiSupportedAlgorithms>,
    failures: &mut Vec<&'static str>,
) {
    let Some(algorithms) = algorithms else {
        return;
    };
    if !cert.algorithms_agree {
        failures.push("CERT_SIGNATURE_FAILURE");
        return;
    }
    // A key under security level 2 (RSA 1024, P-192), which ring cannot use
    // and OpenSSL would: `check_auth_level` has refused it already.
    if issuer.key.too_small() {
        return;
    }
    match check_signature(algorithms, &issuer.key, &cert.signed) {
        Signature::Valid => {}
        Signature::Invalid => failures.push("CERT_SIGNATURE_FAILURE"),
        // OpenSSL would verify an MD5 or SHA-1 signature, having already named
        // the digest too weak; ring cannot, so it stays refused.
        Signature::Unsupported if is_weak_digest(cert.signed.algorithm) => {
            failures.push("CA_MD_TOO_WEAK")
        }
        Signature::Unsupported => failures.push("CERT_SIGNATURE_FAILURE"),
    }
}

/// OpenSSL's `check_cert_time`.
fn check_dates(cert: &Cert<'_>, now: i64, failures: &mut Vec<&'static str>) {
    if cert.not_before > now {
        failures.push("CERT_NOT_YET_VALID");
    }
    if cert.not_after < now {
        failures.push("CERT_HAS_EXPIRED");
    }
}
