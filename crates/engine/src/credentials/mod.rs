//! The client's identity, decoded as OpenSSL decodes it for Node: the `cert`
//! chain and the `key` (PEM: PKCS#8, PKCS#1, SEC1, encrypted PKCS#8, and
//! OpenSSL's traditional `Proc-Type: 4,ENCRYPTED` keys), or `pfx` bundles
//! ([`pkcs12`]), each unlocked by its own passphrase or the `passphrase`
//! option. Every decrypted key and the buffers of passphrase-derived keys are
//! wiped when dropped.
//!
//! - [`key`]: the `key` option, with [`pem`], [`encrypted_pkcs8`] and
//!   [`legacy`] for its forms, and [`errors`] for OpenSSL's answers;
//! - [`pkcs12`]: `pfx` bundles;
//! - [`pbe`]: the password-based decryption both share.

mod certified;
mod encrypted_pkcs8;
mod errors;
#[cfg(test)]
pub(crate) mod fixtures;
mod key;
mod legacy;
mod pbe;
mod pem;
pub(crate) mod pkcs12;
#[cfg(test)]
mod tests;

use rustls::pki_types::CertificateDer;

pub(crate) use certified::certified_key;

use crate::options::{Credentials, KeyEntry};
use crate::verify::certificates_in;
use crate::TlsError;
use key::{private_key, SecretKey};

/// What the client presents when the server asks for a certificate.
pub(crate) struct ClientIdentity {
    /// The certificate chain, leaf first.
    pub chain: Vec<CertificateDer<'static>>,
    /// The leaf's private key.
    pub key: SecretKey,
}

impl From<pkcs12::Bundle> for ClientIdentity {
    fn from(bundle: pkcs12::Bundle) -> Self {
        Self {
            chain: bundle.chain,
            key: bundle.key,
        }
    }
}

/// Everything the key options give the secure context.
pub(crate) struct ClientKeys {
    /// The chain and key to present, when the options give both.
    pub identity: Option<ClientIdentity>,
    /// Every `pfx` bundle's certificates besides its leaf: Node also adds them
    /// to the store it verifies the server's chain against.
    pub pfx_authorities: Vec<CertificateDer<'static>>,
}

/// Node's `cert`, `key`, `passphrase` and `pfx`, in Node's order: the
/// certificates, then the first key, then each bundle. A key is decoded whenever
/// given, as Node's `setKey` throws on a bad one; Node accepts a key without a
/// certificate or the reverse, and OpenSSL then sends no certificate. A bundle
/// replaces what came before it, as OpenSSL's one certificate slot per key type
/// does when both are of one type.
pub(crate) fn client_identity(options: &Credentials) -> Result<ClientKeys, TlsError> {
    // Each item of `cert` is a whole chain, and OpenSSL keeps one certificate
    // per key type, the last set: `[leaf, intermediate]` leaves the intermediate,
    // which then fails to match the key, as in Node.
    let chain: Vec<_> = options
        .cert
        .iter()
        .flatten()
        .rev()
        .map(|item| certificates_in(item.as_bytes()))
        .find(|certificates| !certificates.is_empty())
        .unwrap_or_default();
    let key = match options.key.as_deref().and_then(<[KeyEntry]>::first) {
        Some(entry) => Some(private_key(entry, options.passphrase.as_deref())?),
        None => None,
    };
    let mut identity = key
        .filter(|_| !chain.is_empty())
        .map(|key| ClientIdentity { chain, key });
    let mut pfx_authorities = Vec::new();
    for entry in options.pfx.iter().flatten() {
        // Node: `val.passphrase || passphrase`, so an empty one falls back too.
        let passphrase = entry
            .passphrase
            .as_deref()
            .filter(|p| !p.is_empty())
            .or(options.passphrase.as_deref());
        let bundle = pkcs12::decode(&entry.buf, passphrase)?;
        pfx_authorities.extend(bundle.chain.iter().skip(1).cloned());
        identity = Some(bundle.into());
    }
    Ok(ClientKeys {
        identity,
        pfx_authorities,
    })
}

/// The certificate chain and key a rustls config presents as the client's
/// identity, whatever the server asks; `None` without one.
pub(crate) fn configured_identity(
    resolver: &dyn rustls::client::ResolvesClientCert,
) -> Option<std::sync::Arc<rustls::sign::CertifiedKey>> {
    use rustls::SignatureScheme;
    // The resolver picks by the server's schemes; offering every kind of key's
    // finds whichever one was configured.
    let schemes = [
        SignatureScheme::ECDSA_NISTP256_SHA256,
        SignatureScheme::ECDSA_NISTP384_SHA384,
        SignatureScheme::RSA_PSS_SHA256,
        SignatureScheme::RSA_PKCS1_SHA256,
        SignatureScheme::ED25519,
    ];
    resolver.resolve(&[], &schemes)
}
