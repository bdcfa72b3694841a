//! The rustls session store of one connection.

use std::sync::{Arc, Mutex};

use rustls::client::{ClientSessionStore, Tls12ClientSessionValue, Tls13ClientSessionValue};
use rustls::pki_types::ServerName;
use rustls::NamedGroup;

use super::cache::{Offer, CAPACITY};
use super::Ticket;
use crate::sync::lock;

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
