//! Sessions, as Node hands them out: `getSession()` and the `'session'` event give
//! bytes that `connect({session})` resumes with.
//!
//! rustls 0.23 cannot serialise a session, so the bytes are a handle to state kept
//! in this instance's [`SessionCache`]: an id and an HMAC tag under a key made when
//! the instance starts. Junk, forged or foreign bytes fail the tag and are ignored,
//! as Node ignores a session it cannot parse; nothing in them is ever trusted.
//! A session also carries the verification result of the connection that made it:
//! a resumed connection keeps it and skips `checkServerIdentity`, as Node does.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, OnceLock};

use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use rustls::client::{
    ClientSessionStore, ResolvesClientCert, Tls12ClientSessionValue, Tls13ClientSessionValue,
};
use rustls::pki_types::ServerName;
use rustls::{NamedGroup, SignatureScheme};

use crate::verify::AcceptChainVerifier;

/// The first bytes of every handle: what it is, and its format's version.
const MAGIC: &[u8; 5] = b"tlsc\x01";
/// Bytes of the HMAC-SHA256 tag in a handle.
const TAG_LEN: usize = 32;
/// A handle: magic, an id, a tag.
const HANDLE_LEN: usize = MAGIC.len() + 8 + TAG_LEN;
/// Sessions kept per instance; the oldest go first. Servers decide how many
/// tickets they send, so the cache must not grow with them.
const CAPACITY: usize = 256;

/// The verification result a session carries to the connections that resume it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verdict {
    /// Node's `authorized`.
    pub authorized: bool,
    /// Node's `authorizationError`.
    pub authorization_error: Option<String>,
}

/// What resumes a session: a TLS 1.2 session (reusable) or a TLS 1.3 ticket
/// (single use, as rustls requires), or nothing when the server gave none.
#[derive(Debug)]
pub(crate) enum Ticket {
    /// No ticket: resuming with it is a full handshake.
    None,
    /// A TLS 1.2 session id or ticket.
    Tls12(Tls12ClientSessionValue),
    /// A TLS 1.3 ticket; taken by the first connection that offers it.
    Tls13(Tls13ClientSessionValue),
}

/// A session as kept in the cache.
#[derive(Debug)]
struct Entry {
    id: u64,
    ticket: Ticket,
    verdict: Verdict,
    kx_hint: Option<NamedGroup>,
    /// Sessions from one connection, and from connections that resumed them,
    /// form a family: a handle whose own TLS 1.3 ticket is used up resumes with
    /// another ticket of its family, so the same bytes resume again, as Node's do.
    family: u64,
}

/// A session taken out of the cache for one connection to offer.
#[derive(Debug)]
pub(crate) struct Offer {
    /// What the ClientHello offers.
    pub ticket: Ticket,
    /// The verification result to keep if the server resumes it.
    pub verdict: Verdict,
    /// The group the server chose last time, so the first key share fits.
    pub kx_hint: Option<NamedGroup>,
    /// The family the sessions of the connection that offers it join.
    pub family: u64,
}

/// The sessions of this instance (in the component, one instance; natively, one process).
pub(crate) struct SessionCache {
    key: hmac::Key,
    inner: Mutex<CacheInner>,
}

#[derive(Default)]
struct CacheInner {
    next_id: u64,
    entries: VecDeque<Entry>,
}

impl SessionCache {
    /// The cache of this instance.
    pub(crate) fn global() -> &'static SessionCache {
        static CACHE: OnceLock<SessionCache> = OnceLock::new();
        CACHE.get_or_init(SessionCache::new)
    }

    fn new() -> Self {
        let mut secret = [0u8; 32];
        // Without randomness, handles would be forgeable; a fixed key is never used.
        if SystemRandom::new().fill(&mut secret).is_err() {
            secret = [0; 32];
        }
        Self {
            key: hmac::Key::new(hmac::HMAC_SHA256, &secret),
            inner: Mutex::new(CacheInner::default()),
        }
    }

    /// Keeps a session in `family` (a new one when `None`) and returns the
    /// handle that resumes it, with its family.
    pub(crate) fn save(
        &self,
        ticket: Ticket,
        verdict: Verdict,
        kx_hint: Option<NamedGroup>,
        family: Option<u64>,
    ) -> (Vec<u8>, u64) {
        let mut inner = self.lock();
        let id = inner.next_id;
        inner.next_id += 1;
        if inner.entries.len() >= CAPACITY {
            inner.entries.pop_front();
        }
        let family = family.unwrap_or(id);
        inner.entries.push_back(Entry {
            id,
            ticket,
            verdict,
            kx_hint,
            family,
        });
        (self.handle(id), family)
    }

    /// The session behind `handle` for one connection to offer; `None` for bytes
    /// this instance did not make or a session it no longer keeps. A TLS 1.3
    /// ticket is used once (rustls requires it): it leaves the cache, and when
    /// the handle's own is gone, the newest of its family is offered instead.
    pub(crate) fn offer(&self, handle: &[u8]) -> Option<Offer> {
        let id = self.open(handle)?;
        let mut inner = self.lock();
        let index = inner.entries.iter().position(|e| e.id == id)?;
        let (family, verdict, kx_hint) = {
            let entry = &inner.entries[index];
            (entry.family, entry.verdict.clone(), entry.kx_hint)
        };
        let source = match inner.entries[index].ticket {
            Ticket::None => inner
                .entries
                .iter()
                .rposition(|e| e.family == family && matches!(e.ticket, Ticket::Tls13(_)))
                .unwrap_or(index),
            _ => index,
        };
        let entry = &mut inner.entries[source];
        let ticket = match &entry.ticket {
            Ticket::Tls12(value) => Ticket::Tls12(value.clone()),
            Ticket::Tls13(_) => std::mem::replace(&mut entry.ticket, Ticket::None),
            Ticket::None => Ticket::None,
        };
        Some(Offer {
            ticket,
            verdict,
            kx_hint,
            family,
        })
    }

    fn handle(&self, id: u64) -> Vec<u8> {
        let mut out = Vec::with_capacity(HANDLE_LEN);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&id.to_be_bytes());
        let tag = hmac::sign(&self.key, &out);
        out.extend_from_slice(tag.as_ref());
        out
    }

    /// The id in `handle` when its tag is ours.
    fn open(&self, handle: &[u8]) -> Option<u64> {
        if handle.len() != HANDLE_LEN || !handle.starts_with(MAGIC) {
            return None;
        }
        let (body, tag) = handle.split_at(HANDLE_LEN - TAG_LEN);
        hmac::verify(&self.key, body, tag).ok()?;
        let id = body[MAGIC.len()..].try_into().ok()?;
        Some(u64::from_be_bytes(id))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheInner> {
        // A panic elsewhere while holding the lock leaves plain data; keep using it.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

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

fn shared() -> std::sync::MutexGuard<'static, Shared> {
    static SHARED: OnceLock<Mutex<Shared>> = OnceLock::new();
    lock(SHARED.get_or_init(Mutex::default))
}

/// The verifier every context offering `verifier`'s schemes uses.
pub(crate) fn shared_verifier(verifier: &Arc<AcceptChainVerifier>) -> Arc<AcceptChainVerifier> {
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
pub(crate) fn shared_resolver(
    resolver: &Arc<dyn ResolvesClientCert>,
) -> Arc<dyn ResolvesClientCert> {
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

/// One connection's view of sessions, as rustls asks for them: it offers the
/// session the caller gave, whatever the server's name, as OpenSSL offers the
/// session set on it, and collects what the server sends for the connection to
/// hand out as `'session'` events.
#[derive(Debug, Default)]
pub(crate) struct ConnectionSessions {
    offered: Mutex<Option<Ticket>>,
    kx_hint: Mutex<Option<NamedGroup>>,
    received: Mutex<Vec<Ticket>>,
}

impl ConnectionSessions {
    /// Sessions for a connection that offers `offer`, if any.
    pub(crate) fn offering(offer: Option<Offer>) -> Arc<Self> {
        let sessions = Self::default();
        if let Some(offer) = offer {
            *lock(&sessions.kx_hint) = offer.kx_hint;
            *lock(&sessions.offered) = Some(offer.ticket);
        }
        Arc::new(sessions)
    }

    /// The sessions the server gave since the last call, oldest first.
    pub(crate) fn take_received(&self) -> Vec<Ticket> {
        std::mem::take(&mut *lock(&self.received))
    }

    /// The group the server chose, to remember with the sessions.
    pub(crate) fn kx_hint(&self) -> Option<NamedGroup> {
        *lock(&self.kx_hint)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl ClientSessionStore for ConnectionSessions {
    fn set_kx_hint(&self, _: ServerName<'static>, group: NamedGroup) {
        *lock(&self.kx_hint) = Some(group);
    }

    fn kx_hint(&self, _: &ServerName<'_>) -> Option<NamedGroup> {
        *lock(&self.kx_hint)
    }

    fn set_tls12_session(&self, _: ServerName<'static>, value: Tls12ClientSessionValue) {
        lock(&self.received).push(Ticket::Tls12(value));
    }

    fn tls12_session(&self, _: &ServerName<'_>) -> Option<Tls12ClientSessionValue> {
        match &*lock(&self.offered) {
            Some(Ticket::Tls12(value)) => Some(value.clone()),
            _ => None,
        }
    }

    fn remove_tls12_session(&self, _: &ServerName<'static>) {
        let mut offered = lock(&self.offered);
        if matches!(*offered, Some(Ticket::Tls12(_))) {
            *offered = None;
        }
    }

    fn insert_tls13_ticket(&self, _: ServerName<'static>, value: Tls13ClientSessionValue) {
        let mut received = lock(&self.received);
        // The server decides how many tickets come; keep a bounded number.
        if received.len() < CAPACITY {
            received.push(Ticket::Tls13(value));
        }
    }

    fn take_tls13_ticket(&self, _: &ServerName<'static>) -> Option<Tls13ClientSessionValue> {
        let mut offered = lock(&self.offered);
        match offered.take() {
            Some(Ticket::Tls13(value)) => Some(value),
            other => {
                *offered = other;
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict() -> Verdict {
        Verdict {
            authorized: true,
            authorization_error: None,
        }
    }

    #[test]
    fn a_handle_resumes_its_session_and_junk_is_ignored() {
        let cache = SessionCache::new();
        let handle = cache
            .save(Ticket::None, verdict(), Some(NamedGroup::X25519), None)
            .0;
        let offer = cache.offer(&handle).expect("our own handle");
        assert_eq!(offer.verdict, verdict());
        assert_eq!(offer.kx_hint, Some(NamedGroup::X25519));
        assert!(cache.offer(b"junk").is_none());
        assert!(cache.offer(&[]).is_none());
    }

    #[test]
    fn a_forged_or_foreign_handle_is_ignored() {
        let cache = SessionCache::new();
        let (handle, _) = cache.save(Ticket::None, verdict(), None, None);
        let mut forged = handle.clone();
        forged[MAGIC.len() + 7] ^= 1;
        assert!(cache.offer(&forged).is_none());
        let other = SessionCache::new();
        assert!(other.offer(&handle).is_none(), "another instance's key");
    }

    #[test]
    fn the_oldest_sessions_go_first() {
        let cache = SessionCache::new();
        let (first, _) = cache.save(Ticket::None, verdict(), None, None);
        for _ in 0..CAPACITY {
            cache.save(Ticket::None, verdict(), None, None);
        }
        assert!(cache.offer(&first).is_none());
        assert_eq!(cache.lock().entries.len(), CAPACITY);
    }
}
