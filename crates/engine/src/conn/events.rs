//! What a connection reports as Node's `TLSSocket` events besides data:
//! sessions, key-log lines, the OCSP response and trace lines. Collected in
//! order and handed to the host with each batch.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rustls::KeyLog;

use crate::sync::lock;

/// One event, in the order it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SocketEvent {
    /// `'session'`: a handle that `connect({session})` resumes.
    Session(Vec<u8>),
    /// `'keylog'`: one NSS key-log line, newline included.
    Keylog(Vec<u8>),
    /// `'OCSPResponse'`: the stapled response; `None` when the server sent none.
    OcspResponse(Option<Vec<u8>>),
    /// A line of the handshake trace (`enableTrace`).
    Trace(String),
}

/// A connection's events not yet handed to the host, in order, and what it
/// still has to report: key-log lines rustls logged, and trace lines when
/// `enableTrace` is on.
#[derive(Debug)]
pub(crate) struct EventLog {
    events: Vec<SocketEvent>,
    key_log: Arc<KeyLogLines>,
    tracing: bool,
}

impl EventLog {
    /// An empty log; trace lines are kept only when `tracing`.
    pub(crate) fn new(tracing: bool) -> Self {
        Self {
            events: Vec::new(),
            key_log: Arc::default(),
            tracing,
        }
    }

    /// The key log to install in the connection's rustls config.
    pub(crate) fn key_log(&self) -> Arc<KeyLogLines> {
        self.key_log.clone()
    }

    /// Starts or stops keeping key-log lines.
    pub(crate) fn set_keylog(&self, enabled: bool) {
        self.key_log.set_enabled(enabled);
    }

    /// Whether trace lines are kept (`enableTrace`).
    pub(crate) fn tracing(&self) -> bool {
        self.tracing
    }

    /// Adds an event.
    pub(crate) fn push(&mut self, event: SocketEvent) {
        self.events.push(event);
    }

    /// Adds a trace line when `enableTrace` is on.
    pub(crate) fn trace(&mut self, line: String) {
        if self.tracing {
            self.events.push(SocketEvent::Trace(line));
        }
    }

    /// Moves the key-log lines rustls logged since the last call into the log.
    pub(crate) fn collect_key_log(&mut self) {
        let lines = self.key_log.take();
        self.events
            .extend(lines.into_iter().map(SocketEvent::Keylog));
    }

    /// The events since the last call.
    pub(crate) fn take(&mut self) -> Vec<SocketEvent> {
        std::mem::take(&mut self.events)
    }
}

/// Key-log lines of one connection, kept only while the host asks for them
/// (Node turns key logging on when a `'keylog'` listener is added).
#[derive(Debug, Default)]
pub(crate) struct KeyLogLines {
    enabled: AtomicBool,
    lines: Mutex<Vec<Vec<u8>>>,
}

impl KeyLogLines {
    /// Starts or stops keeping lines.
    pub(crate) fn set_enabled(&self, enabled: bool) {
        self.enabled.store(enabled, Ordering::Relaxed);
    }

    /// The lines logged since the last call.
    pub(crate) fn take(&self) -> Vec<Vec<u8>> {
        std::mem::take(&mut *lock(&self.lines))
    }
}

impl KeyLog for KeyLogLines {
    fn log(&self, label: &str, client_random: &[u8], secret: &[u8]) {
        let mut line =
            String::with_capacity(label.len() + 2 * (client_random.len() + secret.len()) + 3);
        line.push_str(label);
        line.push(' ');
        hex_into(&mut line, client_random);
        line.push(' ');
        hex_into(&mut line, secret);
        line.push('\n');
        lock(&self.lines).push(line.into_bytes());
    }

    fn will_log(&self, _label: &str) -> bool {
        self.enabled.load(Ordering::Relaxed)
    }
}

/// Lowercase hex, as NSS key-log files and Node's `'keylog'` lines have it.
fn hex_into(out: &mut String, bytes: &[u8]) {
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_kept_only_while_enabled() {
        let log = KeyLogLines::default();
        assert!(!log.will_log("CLIENT_RANDOM"));
        log.set_enabled(true);
        assert!(log.will_log("CLIENT_RANDOM"));
        log.log("CLIENT_RANDOM", &[0xab, 0x01], &[0xff]);
        assert_eq!(log.take(), vec![b"CLIENT_RANDOM ab01 ff\n".to_vec()]);
        assert!(log.take().is_empty());
    }
}
