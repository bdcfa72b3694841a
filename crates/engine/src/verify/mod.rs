//! Certificate verification shaped like OpenSSL as Node reports it.
//!
//! The handshake is allowed to complete ([`AcceptChainVerifier`] checks every
//! handshake signature but defers the chain), then [`verify_chain`] judges the
//! chain and names the failure with OpenSSL's code, and `rejectUnauthorized`
//! decides. Nothing the caller wrote is released before that decision.
//!
//! - [`trust`]: the trust store Node's options make;
//! - [`bounds`]: the work any chain may cost, whatever a server sends;
//! - [`names`]: names read from a certificate's headers alone;
//! - [`verifier`] and [`v1_signatures`]: the handshake's verifier;
//! - [`openssl_chain`]: OpenSSL's own chain building, for where webpki's
//!   verdict may not be OpenSSL's;
//! - [`codes`] and [`weak_digests`]: OpenSSL's failures as Node reports them;
//! - [`identity`]: Node's `checkServerIdentity`;
//! - [`issuers`]: the issuers `getPeerCertificate(true)` adds;
//! - [`roots`]: the default roots.

mod bounds;
mod codes;
pub(crate) mod identity;
mod issuers;
mod names;
mod openssl_chain;
mod pss_pss;
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
pub(crate) use pss_pss::{RSA_PSS_PSS_SHA256, RSA_PSS_PSS_SHA384, RSA_PSS_PSS_SHA512};
pub(crate) use trust::certificates_in;
pub(crate) use trust::TrustStore;
pub(crate) use verifier::AcceptChainVerifier;
use weak_digests::is_weak_digest;

/// Judges the server's chain (leaf first) against the trust store at `now`,
/// naming a failure with the OpenSSL code Node would report. webpki judges
/// first; only when its refusal may not be OpenSSL's is the chain judged again
/// as OpenSSL would ([`openssl_chain`]), so a chain webpki accepts costs nothing
/// more (unless it carries name constraints: then OpenSSL's guard on their cost
/// is applied too). The work is bounded whatever the server sends
/// ([`bounds`]): a chain shaped to make webpki's path search explode is judged
/// by the OpenSSL model alone, which builds one path as OpenSSL does.
pub(crate) fn verify_chain(
    trust: &TrustStore,
    algorithms: &WebPkiSupportedAlgorithms,
    chain: &[CertificateDer<'_>],
    now: UnixTime,
) -> Result<(), TlsError> {
    let Some((leaf, served)) = chain.split_first() else {
        return Err(openssl_error("UNABLE_TO_VERIFY_LEAF_SIGNATURE"));
    };
    let served = bounds::considered(served);
    let failure = if bounds::webpki_may_explode(served) {
        None
    } else {
        match webpki::EndEntityCert::try_from(leaf) {
            Ok(end_entity) => {
                match webpki_verdict(trust, algorithms, (leaf.as_ref(), &end_entity), served, now) {
                    Ok((WebpkiVerdict::Trusted, path)) => {
                        return as_openssl_after_webpki(
                            trust,
                            algorithms,
                            (leaf, &end_entity),
                            (served, &path),
                            now,
                        )
                    }
                    Ok((WebpkiVerdict::NameChecksTooCostly, _)) => {
                        return Err(openssl_error(bounds::NAME_CHECKS_TOO_COSTLY))
                    }
                    Err(err) => Some(err),
                }
            }
            Err(webpki::Error::UnsupportedCertVersion) => {
                Some(webpki::Error::UnsupportedCertVersion)
            }
            // webpki reads no certificate over 64 KiB; OpenSSL does.
            Err(_) if bounds::too_long_for_webpki(leaf) => None,
            // webpki cannot read the server's certificate (an unknown critical
            // extension, a duplicated or malformed one); OpenSSL reads it and
            // names what is wrong. The model is never taken at its word here.
            Err(_) => {
                return Err(openssl_error(
                    match model_verdict(trust, algorithms, leaf, served, now) {
                        openssl_chain::Judgement::Refused(code) => code,
                        _ => "CERT_SIGNATURE_FAILURE",
                    },
                ))
            }
        }
    };
    if let Some(failure) = &failure {
        if !openssl_may_differ(failure) && !model_names_better(failure) {
            return Err(openssl_error(openssl_code(failure, chain)));
        }
    }
    match model_verdict(trust, algorithms, leaf, served, now) {
        // Where webpki refused for a reason the model does not check, the
        // model only names the failure; it never accepts the chain.
        openssl_chain::Judgement::Trusted => match &failure {
            Some(failure) if model_names_better(failure) => {
                Err(openssl_error(openssl_code(failure, chain)))
            }
            _ => Ok(()),
        },
        openssl_chain::Judgement::Refused(code) => Err(openssl_error(code)),
        // webpki spent its budget on name constraints: refused as OpenSSL
        // refuses a name check it will not pay for.
        openssl_chain::Judgement::Unsure
            if matches!(
                failure,
                Some(webpki::Error::MaximumNameConstraintComparisonsExceeded)
            ) =>
        {
            Err(openssl_error(bounds::NAME_CHECKS_TOO_COSTLY))
        }
        // Name constraints the model does not judge, which webpki could not
        // read or apply to a name: OpenSSL's "unsupported or invalid name syntax".
        openssl_chain::Judgement::Unsure if failure.as_ref().is_some_and(is_name_syntax) => {
            Err(openssl_error("UNSUPPORTED_NAME_SYNTAX"))
        }
        openssl_chain::Judgement::Unsure => Err(openssl_error("CERT_UNTRUSTED")),
    }
}

/// The path webpki verified: the leaf's intermediates, and its trust anchor.
struct WebpkiPath {
    /// The intermediates, DER, from the leaf's issuer up.
    intermediates: Vec<Vec<u8>>,
    /// The anchor's subject and key, as webpki reads them from a certificate.
    anchor: (Vec<u8>, Vec<u8>),
}

impl WebpkiPath {
    /// Whether the OpenSSL model's chain (leaf first, ending at a trusted
    /// certificate) is this path.
    fn is(&self, chain: &[&[u8]]) -> bool {
        let Some((top, below)) = chain.split_last() else {
            return false;
        };
        let Some(intermediates) = below.get(1..) else {
            return false;
        };
        let same_anchor =
            webpki::anchor_from_trusted_cert(&CertificateDer::from(*top)).is_ok_and(|anchor| {
                anchor.subject.as_ref() == self.anchor.0.as_slice()
                    && anchor.subject_public_key_info.as_ref() == self.anchor.1.as_slice()
            });
        same_anchor
            && intermediates.len() == self.intermediates.len()
            && intermediates
                .iter()
                .zip(&self.intermediates)
                .all(|(model, webpki)| *model == webpki.as_slice())
    }
}

/// A chain webpki accepted, judged as Node 26 judges it. OpenSSL builds one
/// path of its own and checks more of it than webpki does (the trust
/// anchor's extensions, how each issuer may sign, the CRLs' extensions and
/// their issuers' keyUsage). When its path is webpki's, the signatures are
/// not verified twice; when it is another, the model judges that path in
/// full, and webpki applies the name constraints the model does not.
fn as_openssl_after_webpki(
    trust: &TrustStore,
    algorithms: &WebPkiSupportedAlgorithms,
    (leaf, end_entity): (&CertificateDer<'_>, &webpki::EndEntityCert<'_>),
    (served, webpki_path): (&[CertificateDer<'_>], &WebpkiPath),
    now: UnixTime,
) -> Result<(), TlsError> {
    let (judgement, same_path) =
        with_model_inputs(trust, algorithms, leaf, served, now, |inputs| {
            let (judgement, path) = openssl_chain::judge_unsigned(inputs);
            // A leaf the model cannot read leaves webpki's verdict standing.
            (judgement, path.is_empty() || webpki_path.is(&path))
        });
    if same_path {
        return match judgement {
            openssl_chain::Judgement::Refused(code) => Err(openssl_error(code)),
            // What the model does not judge (name constraints) webpki did on this path.
            _ => Ok(()),
        };
    }
    let (judgement, path) = with_model_inputs(trust, algorithms, leaf, served, now, |inputs| {
        let (judgement, path) = openssl_chain::judge_with_path(inputs);
        (
            judgement,
            path.into_iter().map(<[u8]>::to_vec).collect::<Vec<_>>(),
        )
    });
    match judgement {
        openssl_chain::Judgement::Trusted => Ok(()),
        openssl_chain::Judgement::Refused(code) => Err(openssl_error(code)),
        openssl_chain::Judgement::Unsure => {
            webpki_on_path(trust, algorithms, end_entity, &path, now).map_err(|err| {
                let mut chain = vec![CertificateDer::from(leaf.as_ref())];
                chain.extend(
                    path.iter()
                        .skip(1)
                        .map(|der| CertificateDer::from(der.as_slice())),
                );
                openssl_error(openssl_code(&err, &chain))
            })
        }
    }
}

/// webpki's verdict on exactly this path (leaf first, the trusted certificate
/// last), for the name constraints along the path OpenSSL builds.
fn webpki_on_path(
    trust: &TrustStore,
    algorithms: &WebPkiSupportedAlgorithms,
    end_entity: &webpki::EndEntityCert<'_>,
    path: &[Vec<u8>],
    now: UnixTime,
) -> Result<(), webpki::Error> {
    let Some((top, middle)) = path.get(1..).and_then(<[Vec<u8>]>::split_last) else {
        return Err(webpki::Error::UnknownIssuer);
    };
    let top = CertificateDer::from(top.as_slice());
    let anchor = webpki::anchor_from_trusted_cert(&top)?;
    let intermediates: Vec<CertificateDer<'_>> = middle
        .iter()
        .map(|der| CertificateDer::from(der.as_slice()))
        .collect();
    let crls: Vec<&webpki::CertRevocationList<'_>> = trust.crls.iter().collect();
    end_entity
        .verify_for_usage(
            algorithms.all,
            &[anchor],
            &intermediates,
            now,
            webpki::KeyUsage::server_auth(),
            revocation(&crls),
            None,
        )
        .map(|_| ())
}

/// webpki's revocation options for Node's `crl`: with it, Node has OpenSSL
/// check the whole chain and refuse a certificate whose issuer published no
/// CRL (UNABLE_TO_GET_CRL).
fn revocation<'a>(
    crls: &'a [&'a webpki::CertRevocationList<'a>],
) -> Option<webpki::RevocationOptions<'a>> {
    webpki::RevocationOptionsBuilder::new(crls)
        .ok()
        .map(|builder| {
            builder
                .with_depth(webpki::RevocationCheckDepth::Chain)
                .with_status_policy(webpki::UnknownStatusPolicy::Deny)
                .with_expiration_policy(webpki::ExpirationPolicy::Enforce)
                .build()
        })
}

/// The OpenSSL model's verdict on the leaf and the intermediates considered.
fn model_verdict(
    trust: &TrustStore,
    algorithms: &WebPkiSupportedAlgorithms,
    leaf: &CertificateDer<'_>,
    served: &[CertificateDer<'_>],
    now: UnixTime,
) -> openssl_chain::Judgement {
    with_model_inputs(trust, algorithms, leaf, served, now, |inputs| {
        openssl_chain::judge_with_path(inputs).0
    })
}

/// Runs `judge` on the model's inputs: the leaf, then the considered
/// intermediates, and what the trust store holds.
fn with_model_inputs<R>(
    trust: &TrustStore,
    algorithms: &WebPkiSupportedAlgorithms,
    leaf: &CertificateDer<'_>,
    served: &[CertificateDer<'_>],
    now: UnixTime,
    judge: impl FnOnce(&openssl_chain::Inputs<'_>) -> R,
) -> R {
    let mut considered = Vec::with_capacity(served.len() + 1);
    considered.push(CertificateDer::from(leaf.as_ref()));
    considered.extend(served.iter().map(|der| CertificateDer::from(der.as_ref())));
    judge(&openssl_chain::Inputs {
        served: &considered,
        trusted: trust.trusted(),
        partial: trust.partial,
        crls: &trust.crl_ders,
        algorithms,
        now: i64::try_from(now.as_secs()).unwrap_or(i64::MAX),
    })
}

/// What each judge of [`verify_chain`] says of a chain when asked separately,
/// for the fuzz targets' differential check.
#[cfg(feature = "fuzzing")]
pub(crate) struct Judges {
    /// webpki's verdict and, when it accepts, its path (leaf, intermediates,
    /// then the trusted certificate its anchor came from, when one of `ca` or
    /// the default roots has that subject and key). `None` where
    /// `verify_chain` does not ask webpki, because of its bounds. A path
    /// OpenSSL's guard on name constraints refuses counts as accepted here.
    pub(crate) webpki: Option<Result<Vec<Vec<u8>>, webpki::Error>>,
    /// The OpenSSL model's verdict, and the chain it built (leaf first).
    pub(crate) model: (Result<(), Option<&'static str>>, Vec<Vec<u8>>),
}

/// Both judges of [`verify_chain`], each asked on its own; `None` for an empty chain.
#[cfg(feature = "fuzzing")]
pub(crate) fn judges(
    trust: &TrustStore,
    algorithms: &WebPkiSupportedAlgorithms,
    chain: &[CertificateDer<'_>],
    now: UnixTime,
) -> Option<Judges> {
    let (leaf, served) = chain.split_first()?;
    let served = bounds::considered(served);
    let webpki = (!bounds::webpki_may_explode(served)).then(|| {
        let end_entity = webpki::EndEntityCert::try_from(leaf)?;
        webpki_path(trust, algorithms, &end_entity, served, now)
    });
    let (judgement, path) = with_model_inputs(trust, algorithms, leaf, served, now, |inputs| {
        let (judgement, path) = openssl_chain::judge_with_path(inputs);
        (
            judgement,
            path.into_iter().map(<[u8]>::to_vec).collect::<Vec<_>>(),
        )
    });
    let model = match judgement {
        openssl_chain::Judgement::Trusted => Ok(()),
        openssl_chain::Judgement::Refused(code) => Err(Some(code)),
        openssl_chain::Judgement::Unsure => Err(None),
    };
    Some(Judges {
        webpki,
        model: (model, path),
    })
}

/// webpki's path for the fuzz targets, as [`Judges::webpki`] gives it.
#[cfg(feature = "fuzzing")]
fn webpki_path(
    trust: &TrustStore,
    algorithms: &WebPkiSupportedAlgorithms,
    end_entity: &webpki::EndEntityCert<'_>,
    served: &[CertificateDer<'_>],
    now: UnixTime,
) -> Result<Vec<Vec<u8>>, webpki::Error> {
    with_webpki_path(trust, algorithms, end_entity, served, now, |path| {
        let mut ders = vec![path.end_entity().der().to_vec()];
        ders.extend(
            path.intermediate_certificates()
                .map(|cert| cert.der().to_vec()),
        );
        let anchor = path.anchor();
        let anchor_der = trust.trusted().iter().find(|der| {
            webpki::anchor_from_trusted_cert(der).is_ok_and(|found| {
                found.subject == anchor.subject
                    && found.subject_public_key_info == anchor.subject_public_key_info
            })
        });
        ders.extend(anchor_der.map(|der| der.to_vec()));
        ders
    })
}

/// A certificate's issuer and subject names (whole DER elements), read from
/// its headers.
#[cfg(feature = "fuzzing")]
pub(crate) fn issuer_and_subject(der: &[u8]) -> Option<(&[u8], &[u8])> {
    names::names(der).map(|names| (names.issuer, names.subject))
}

/// Whether `verify_chain` asks the OpenSSL model after this webpki refusal.
#[cfg(feature = "fuzzing")]
pub(crate) fn model_asked_after(err: &webpki::Error) -> bool {
    openssl_may_differ(err)
}

/// What webpki found: a path, which OpenSSL's guard on the cost of name
/// constraint checks may still refuse.
enum WebpkiVerdict {
    Trusted,
    NameChecksTooCostly,
}

/// webpki's verdict on the chain, with OpenSSL's guard on the cost of name
/// constraints applied to the path it found, and that path.
fn webpki_verdict(
    trust: &TrustStore,
    algorithms: &WebPkiSupportedAlgorithms,
    (end_entity_der, end_entity): (&[u8], &webpki::EndEntityCert<'_>),
    served: &[CertificateDer<'_>],
    now: UnixTime,
) -> Result<(WebpkiVerdict, WebpkiPath), webpki::Error> {
    with_webpki_path(trust, algorithms, end_entity, served, now, |path| {
        let anchor = path.anchor();
        let webpki_path = WebpkiPath {
            intermediates: path
                .intermediate_certificates()
                .map(|cert| cert.der().to_vec())
                .collect(),
            anchor: (
                anchor.subject.as_ref().to_vec(),
                anchor.subject_public_key_info.as_ref().to_vec(),
            ),
        };
        let intermediates: Vec<CertificateDer<'_>> = path
            .intermediate_certificates()
            .map(|cert| cert.der())
            .collect();
        let intermediates: Vec<&[u8]> = intermediates.iter().map(|der| der.as_ref()).collect();
        let anchor_constraints = path
            .anchor()
            .name_constraints
            .as_ref()
            .map(|nc| nc.as_ref());
        let verdict = if openssl_chain::name_checks_too_costly(
            end_entity_der,
            &intermediates,
            anchor_constraints,
        ) {
            WebpkiVerdict::NameChecksTooCostly
        } else {
            WebpkiVerdict::Trusted
        };
        (verdict, webpki_path)
    })
}

/// webpki's search for a path (the anchors, the server's intermediates and the
/// issuers from `ca` that are not anchors); `on_path` reads the path found.
fn with_webpki_path<R>(
    trust: &TrustStore,
    algorithms: &WebPkiSupportedAlgorithms,
    end_entity: &webpki::EndEntityCert<'_>,
    served: &[CertificateDer<'_>],
    now: UnixTime,
    on_path: impl FnOnce(&webpki::VerifiedPath<'_>) -> R,
) -> Result<R, webpki::Error> {
    let crls: Vec<&webpki::CertRevocationList<'_>> = trust.crls.iter().collect();
    let revocation = revocation(&crls);
    let with_ca_issuers: Vec<CertificateDer<'_>>;
    let intermediates: &[CertificateDer<'_>] = if trust.ca_issuers.is_empty() {
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
        .map(|path| on_path(&path))
}

/// Whether webpki's refusal may not be OpenSSL's, so that the chain is judged
/// again the way OpenSSL judges it: webpki reads no version 1 certificate,
/// refuses a CA certificate as the server's own (even one listed in `ca`), and
/// picks issuers by name alone where OpenSSL also compares key identifiers and
/// key types; whether a chain ends at an anchor depends on
/// `allowPartialTrustChain`; and webpki's own budgets (six intermediates, 100
/// signatures, 200,000 path-building steps, 250,000 name comparisons) are not
/// OpenSSL's.
fn openssl_may_differ(err: &webpki::Error) -> bool {
    use webpki::Error as E;
    matches!(
        err,
        E::UnknownIssuer
            | E::UnsupportedCertVersion
            | E::CaUsedAsEndEntity
            | E::InvalidSignatureForPublicKey
            | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_)
            // A key ring refuses and OpenSSL uses (RSA under 2048 bits): the
            // model names its size, as OpenSSL's security level 2 does.
            | E::UnsupportedSignatureAlgorithmContext(_)
            | E::MaximumPathDepthExceeded
            | E::MaximumSignatureChecksExceeded
            | E::MaximumPathBuildCallsExceeded
            | E::MaximumNameConstraintComparisonsExceeded
    )
}

/// Whether the model names this webpki refusal as OpenSSL would (a path
/// length, an empty extendedKeyUsage, an extension webpki cannot handle or
/// read, name constraints it cannot read), though it does not check what
/// webpki found wrong: its refusal is taken, never its acceptance.
fn model_names_better(err: &webpki::Error) -> bool {
    use webpki::Error as E;
    matches!(
        err,
        E::PathLenConstraintViolated
            | E::EmptyEkuExtension
            | E::UnsupportedCriticalExtension
            | E::ExtensionValueInvalid
            | E::BadDer
    ) || is_name_syntax(err)
}

/// A name or name constraint webpki could not read or compare.
fn is_name_syntax(err: &webpki::Error) -> bool {
    use webpki::Error as E;
    matches!(
        err,
        E::MalformedNameConstraint
            | E::InvalidNetworkMaskConstraint
            | E::MalformedDnsIdentifier
            | E::UnsupportedNameType
            | E::BadDer
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
        E::RequiredEkuNotFoundContext(_) | E::EmptyEkuExtension => "INVALID_PURPOSE",
        E::PathLenConstraintViolated => "PATH_LENGTH_EXCEEDED",
        E::UnsupportedCriticalExtension => "UNHANDLED_CRITICAL_EXTENSION",
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
