//! Certificate verification shaped like OpenSSL as Node reports it.
//!
//! The handshake is allowed to complete ([`AcceptChainVerifier`] checks every
//! handshake signature but defers the chain), then [`verify_chain`] judges the
//! chain and names the failure with OpenSSL's code, and `rejectUnauthorized`
//! decides. Nothing the caller wrote is released before that decision.
//!
//! - [`trust`]: the trust store Node's options make;
//! - [`verifier`] and [`v1_signatures`]: the handshake's verifier;
//! - [`openssl_chain`]: OpenSSL's own chain building, for where webpki's
//!   verdict may not be OpenSSL's;
//! - [`codes`] and [`weak_digests`]: OpenSSL's failures as Node reports them;
//! - [`identity`]: Node's `checkServerIdentity`;
//! - [`issuers`]: the issuers `getPeerCertificate(true)` adds;
//! - [`roots`]: the default roots.

mod codes;
pub(crate) mod identity;
mod issuers;
mod openssl_chain;
pub(crate) mod roots;
#[cfg(test)]
mod tests;
mod trust;
mod v1_signatures;
mod verifier;
mod weak_digests;

use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{CertificateDer, UnixTime};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::TlsError;

pub(crate) use codes::openssl_error;
pub(crate) use trust::certificates_in;
pub(crate) use trust::TrustStore;
pub(crate) use verifier::AcceptChainVerifier;
use weak_digests::is_weak_digest;

/// Judges the server's chain (leaf first) against the trust store at `now`,
/// naming a failure with the OpenSSL code Node would report. webpki judges
/// first; only when its refusal may not be OpenSSL's is the chain judged again
/// as OpenSSL would ([`openssl_chain`]), so a chain webpki accepts costs nothing more.
pub(crate) fn verify_chain(
    trust: &TrustStore,
    algorithms: &WebPkiSupportedAlgorithms,
    chain: &[CertificateDer<'_>],
    now: UnixTime,
) -> Result<(), TlsError> {
    let Some((leaf, served)) = chain.split_first() else {
        return Err(openssl_error("UNABLE_TO_VERIFY_LEAF_SIGNATURE"));
    };
    let failure = match webpki::EndEntityCert::try_from(leaf) {
        Ok(end_entity) => match webpki_verdict(trust, algorithms, &end_entity, served, now) {
            Ok(()) => return Ok(()),
            Err(err) => err,
        },
        Err(webpki::Error::UnsupportedCertVersion) => webpki::Error::UnsupportedCertVersion,
        Err(_) => return Err(openssl_error("CERT_SIGNATURE_FAILURE")),
    };
    if !openssl_may_differ(&failure) {
        return Err(openssl_error(openssl_code(&failure, chain)));
    }
    let inputs = openssl_chain::Inputs {
        served: chain,
        trusted: trust.trusted(),
        partial: trust.partial,
        crls: &trust.crl_ders,
        algorithms,
        now: i64::try_from(now.as_secs()).unwrap_or(i64::MAX),
    };
    match openssl_chain::judge(&inputs) {
        openssl_chain::Judgement::Trusted => Ok(()),
        openssl_chain::Judgement::Refused(code) => Err(openssl_error(code)),
        openssl_chain::Judgement::Unsure => Err(openssl_error("CERT_UNTRUSTED")),
    }
}

/// webpki's verdict on the chain: the anchors, the server's intermediates and
/// the issuers from `ca` that are not anchors.
fn webpki_verdict(
    trust: &TrustStore,
    algorithms: &WebPkiSupportedAlgorithms,
    end_entity: &webpki::EndEntityCert<'_>,
    served: &[CertificateDer<'_>],
    now: UnixTime,
) -> Result<(), webpki::Error> {
    let crls: Vec<&webpki::CertRevocationList<'_>> = trust.crls.iter().collect();
    // With `crl`, Node has OpenSSL check the whole chain and refuse a certificate
    // whose issuer published no CRL (UNABLE_TO_GET_CRL).
    let revocation = webpki::RevocationOptionsBuilder::new(&crls)
        .ok()
        .map(|builder| {
            builder
                .with_depth(webpki::RevocationCheckDepth::Chain)
                .with_status_policy(webpki::UnknownStatusPolicy::Deny)
                .with_expiration_policy(webpki::ExpirationPolicy::Enforce)
                .build()
        });
    let with_ca_issuers: Vec<CertificateDer<'_>>;
    let intermediates = if trust.ca_issuers.is_empty() {
        served
    } else {
        with_ca_issuers = served
            .iter()
            .chain(trust.ca_issuers.iter())
            .map(|der| CertificateDer::from(der.as_ref()))
            .collect();
        &with_ca_issuers
    };
    end_entity
        .verify_for_usage(
            algorithms.all,
            &trust.anchors,
            intermediates,
            now,
            webpki::KeyUsage::server_auth(),
            revocation,
            None,
        )
        .map(|_| ())
}

/// Whether webpki's refusal may not be OpenSSL's, so that the chain is judged
/// again the way OpenSSL judges it: webpki reads no version 1 certificate,
/// refuses a CA certificate as the server's own (even one listed in `ca`), and
/// picks issuers by name alone where OpenSSL also compares key identifiers and
/// key types; and whether a chain ends at an anchor depends on
/// `allowPartialTrustChain`.
fn openssl_may_differ(err: &webpki::Error) -> bool {
    use webpki::Error as E;
    matches!(
        err,
        E::UnknownIssuer
            | E::UnsupportedCertVersion
            | E::CaUsedAsEndEntity
            | E::InvalidSignatureForPublicKey
            | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_)
    )
}

/// OpenSSL's name for a webpki failure.
fn openssl_code(err: &webpki::Error, chain: &[CertificateDer<'_>]) -> &'static str {
    use webpki::Error as E;
    match err {
        E::CertExpired { .. } => "CERT_HAS_EXPIRED",
        E::CertNotValidYet { .. } => "CERT_NOT_YET_VALID",
        E::CertRevoked => "CERT_REVOKED",
        E::UnknownRevocationStatus => "UNABLE_TO_GET_CRL",
        E::CrlExpired { .. } => "CRL_HAS_EXPIRED",
        E::InvalidCrlSignatureForPublicKey
        | E::UnsupportedCrlSignatureAlgorithmContext(_)
        | E::UnsupportedCrlSignatureAlgorithmForPublicKeyContext(_) => "CRL_SIGNATURE_FAILURE",
        E::RequiredEkuNotFoundContext(_) => "INVALID_PURPOSE",
        E::EndEntityUsedAsCa => not_a_ca_code(chain),
        E::NameConstraintViolation => "PERMITTED_VIOLATION",
        // webpki knows no MD5 or SHA-1 signature; OpenSSL checks them, but its
        // security level (80 bits at Node's default of 1) refuses both digests.
        E::UnsupportedSignatureAlgorithmContext(context)
            if is_weak_digest(&context.signature_algorithm_id) =>
        {
            "CA_MD_TOO_WEAK"
        }
        E::InvalidSignatureForPublicKey
        | E::UnsupportedSignatureAlgorithmContext(_)
        | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => "CERT_SIGNATURE_FAILURE",
        _ => "CERT_UNTRUSTED",
    }
}

/// OpenSSL's code for a chain in which a certificate that is not a CA issued
/// another. Its chain check says INVALID_CA; its purpose check runs after, and
/// Node sees the last code, so when OpenSSL cannot regard the certificate as a
/// CA at all (CA:FALSE, keyUsage without keyCertSign, or neither extension) the
/// code is INVALID_PURPOSE. With keyCertSign and no basicConstraints, only the
/// chain check fails.
fn not_a_ca_code(chain: &[CertificateDer<'_>]) -> &'static str {
    let never_a_ca = chain
        .iter()
        .skip(1)
        .any(|der| openssl_may_be_ca(der) == Some(false));
    if never_a_ca {
        "INVALID_PURPOSE"
    } else {
        "INVALID_CA"
    }
}

/// Whether OpenSSL's purpose check could take a certificate as a CA (its
/// `check_ca` is non-zero); `None` when it does not parse.
fn openssl_may_be_ca(der: &CertificateDer<'_>) -> Option<bool> {
    let (_, cert) = X509Certificate::from_der(der).ok()?;
    let cert_sign = cert.key_usage().ok()?.map(|ku| ku.value.key_cert_sign());
    if cert_sign == Some(false) {
        return Some(false);
    }
    Some(match cert.basic_constraints().ok()? {
        Some(constraints) => constraints.value.ca,
        None => cert_sign == Some(true),
    })
}
