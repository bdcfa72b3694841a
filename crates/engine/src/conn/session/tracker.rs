//! One connection's sessions: the one it offers, and the ones it hands out as
//! `'session'` events and `getSession()`.

use std::sync::Arc;

use super::{ConnectionSessions, SessionCache, Ticket, Verdict};

/// What a connection knows of sessions.
#[derive(Debug)]
pub(crate) struct SessionTracker {
    /// The store rustls offers from and saves into.
    store: Arc<ConnectionSessions>,
    /// The verification result of the session offered, kept if the server resumes it.
    offered_verdict: Option<Verdict>,
    /// The newest session handed out, for `getSession()`.
    latest: Option<Vec<u8>>,
    /// The session family this connection's sessions join.
    family: Option<u64>,
}

impl SessionTracker {
    /// Sessions for a connection given `session` (Node's option); bytes this
    /// instance did not make are ignored, as Node ignores junk.
    pub(crate) fn offering(session: Option<&[u8]>) -> Self {
        let offer = session.and_then(|handle| SessionCache::global().offer(handle));
        Self {
            offered_verdict: offer.as_ref().map(|offer| offer.verdict.clone()),
            family: offer.as_ref().map(|offer| offer.family),
            store: ConnectionSessions::offering(offer),
            latest: None,
        }
    }

    /// The store to install in the connection's rustls config.
    pub(crate) fn store(&self) -> Arc<ConnectionSessions> {
        self.store.clone()
    }

    /// Whether the ClientHello offers a session.
    pub(crate) fn offers(&self) -> bool {
        self.offered_verdict.is_some()
    }

    /// The verification result of the session offered, for a resumed handshake.
    pub(crate) fn offered_verdict(&self) -> Verdict {
        self.offered_verdict.clone().unwrap_or_default()
    }

    /// Saves the sessions the server gave since the last call, each carrying
    /// `verdict`, and returns their handles, oldest first. TLS 1.2 sessions
    /// are skipped when `skip_tls12`: OpenSSL reports none on a resumed one.
    pub(crate) fn collect(&mut self, verdict: &Verdict, skip_tls12: bool) -> Vec<Vec<u8>> {
        let mut handles = Vec::new();
        for ticket in self.store.take_received() {
            if skip_tls12 && matches!(ticket, Ticket::Tls12(_)) {
                continue;
            }
            let handle = self.save(ticket, verdict);
            self.latest = Some(handle.clone());
            handles.push(handle);
        }
        handles
    }

    /// `getSession()`: the newest session, or, when the server gave no ticket
    /// yet, one that resumes nothing (a full handshake follows), as OpenSSL's
    /// session object without a ticket.
    pub(crate) fn latest(&mut self, verdict: &Verdict) -> Vec<u8> {
        if let Some(latest) = &self.latest {
            return latest.clone();
        }
        let handle = self.save(Ticket::None, verdict);
        self.latest = Some(handle.clone());
        handle
    }

    fn save(&mut self, ticket: Ticket, verdict: &Verdict) -> Vec<u8> {
        let (handle, family) =
            SessionCache::global().save(ticket, verdict.clone(), self.store.kx_hint(), self.family);
        self.family = Some(family);
        handle
    }
}
