//! The verifiers and client-certificate resolvers contexts share, so that
//! sessions resume across secure contexts as they do in Node.

use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use rustls::client::ResolvesClientCert;
use rustls::SignatureScheme;

use crate::sync::lock;
use crate::verify::AcceptChainVerifier;

/// Configurations kept so that sessions resume across secure contexts: rustls
/// resumes a session only under the very verifier and client-certificate
/// resolver that made it, while Node resumes whatever context the caller builds.
/// Contexts that offer the same signature schemes share one verifier, and
/// contexts with the same client certificate chain share one resolver.
#[derive(Default)]
struct Shared {
    verifiers: Vec<Arc<AcceptChainVerifier>>,
    resolvers: Vec<(Vec<u8>, Arc<dyn ResolvesClientCert>)>,
}

/// Distinct verifiers and resolvers kept; beyond it the oldest go (and their
/// sessions then make a full handshake).
const SHARED_CAPACITY: usize = 32;

fn shared() -> MutexGuard<'static, Shared> {
    static SHARED: OnceLock<Mutex<Shared>> = OnceLock::new();
    lock(SHARED.get_or_init(Mutex::default))
}

/// The verifier every context offering `verifier`'s schemes uses.
pub(crate) fn verifier(verifier: &Arc<AcceptChainVerifier>) -> Arc<AcceptChainVerifier> {
    let mut shared = shared();
    let schemes: &[SignatureScheme] = verifier.schemes();
    if let Some(found) = shared.verifiers.iter().find(|v| v.schemes() == schemes) {
        return found.clone();
    }
    if shared.verifiers.len() >= SHARED_CAPACITY {
        shared.verifiers.remove(0);
    }
    shared.verifiers.push(verifier.clone());
    verifier.clone()
}

/// The resolver every context with `resolver`'s client certificate chain uses
/// (a chain fits one key only, so the chain names the identity).
pub(crate) fn resolver(resolver: &Arc<dyn ResolvesClientCert>) -> Arc<dyn ResolvesClientCert> {
    let identity: Vec<u8> = match crate::credentials::configured_identity(resolver.as_ref()) {
        Some(certified) => certified
            .cert
            .iter()
            .flat_map(|c| c.as_ref().to_vec())
            .collect(),
        None => Vec::new(),
    };
    let digest = ring::digest::digest(&ring::digest::SHA256, &identity);
    let key = digest.as_ref().to_vec();
    let mut shared = shared();
    if let Some((_, found)) = shared.resolvers.iter().find(|(k, _)| *k == key) {
        return found.clone();
    }
    if shared.resolvers.len() >= SHARED_CAPACITY {
        shared.resolvers.remove(0);
    }
    shared.resolvers.push((key, resolver.clone()));
    resolver.clone()
}
