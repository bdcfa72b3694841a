//! The instance's session cache: the sessions behind the handles Node's
//! `getSession()` gives out, each handle an id and an HMAC tag under a key made
//! when the instance starts.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, OnceLock};

use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};
use rustls::NamedGroup;

use super::{Ticket, Verdict};
use crate::sync::lock;

/// The first bytes of every handle: what it is, and its format's version.
const MAGIC: &[u8; 5] = b"tlsc\x01";
/// Bytes of the HMAC-SHA256 tag in a handle.
const TAG_LEN: usize = 32;
/// A handle: magic, an id, a tag.
const HANDLE_LEN: usize = MAGIC.len() + 8 + TAG_LEN;
/// Sessions kept per instance; the oldest go first. Servers decide how many
/// tickets they send, so the cache must not grow with them.
pub(super) const CAPACITY: usize = 256;

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

    fn lock(&self) -> MutexGuard<'_, CacheInner> {
        lock(&self.inner)
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
