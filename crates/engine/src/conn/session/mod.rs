//! Sessions, as Node hands them out: `getSession()` and the `'session'` event give
//! bytes that `connect({session})` resumes with.
//!
//! rustls 0.23 cannot serialise a session, so the bytes are a handle to state kept
//! in this instance's [`SessionCache`]: an id and an HMAC tag under a key made when
//! the instance starts. Junk, forged or foreign bytes fail the tag and are ignored,
//! as Node ignores a session it cannot parse; nothing in them is ever trusted.
//! A session also carries the verification result of the connection that made it:
//! a resumed connection keeps it and skips `checkServerIdentity`, as Node does.

mod cache;
mod store;
mod tracker;

pub(crate) use cache::SessionCache;
pub(crate) use store::ConnectionSessions;
pub(crate) use tracker::SessionTracker;

use rustls::client::{Tls12ClientSessionValue, Tls13ClientSessionValue};

/// Node's `authorized` and `authorizationError`: a connection's certificate
/// decision, which its sessions carry to the connections that resume them.
/// Not authorized until a decision finds the server trusted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
