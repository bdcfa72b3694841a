//! The client's identity as rustls holds it, with OpenSSL's check that the
//! key is the certificate's (`X509_check_private_key`). The certificate is
//! read by x509-parser, which reads version 1 certificates too: webpki, which
//! rustls's own check uses, reads only version 3, and Node takes both.

use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls::sign::CertifiedKey;
use x509_parser::prelude::{FromDer, X509Certificate};

use super::ClientIdentity;
use crate::TlsError;

/// `identity`'s key loaded by `provider`, with its chain; OpenSSL's "key values
/// mismatch" when the key is not the leaf's, or when the key cannot be used.
pub(crate) fn certified_key(
    identity: &ClientIdentity,
    provider: &CryptoProvider,
) -> Result<Arc<CertifiedKey>, TlsError> {
    let key = provider
        .key_provider
        .load_private_key(identity.key.clone_key())
        .map_err(|_| key_values_mismatch())?;
    let leaf = identity.chain.first().ok_or_else(key_values_mismatch)?;
    let (_, certificate) = X509Certificate::from_der(leaf).map_err(|_| key_values_mismatch())?;
    // A key that cannot say its public half is taken, as rustls takes it.
    if let Some(public) = key.public_key() {
        if public.as_ref() != certificate.tbs_certificate.subject_pki.raw {
            return Err(key_values_mismatch());
        }
    }
    Ok(Arc::new(CertifiedKey::new(identity.chain.clone(), key)))
}

/// OpenSSL's error (as Node throws it) when the key is not the certificate's.
fn key_values_mismatch() -> TlsError {
    TlsError::new(
        "ERR_OSSL_X509_KEY_VALUES_MISMATCH",
        "error:05800074:x509 certificate routines::key values mismatch",
    )
}
