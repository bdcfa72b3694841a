//! What the caller writes: held until the certificate decision, then sealed
//! into records of at most `setMaxSendFragment` bytes.

use std::io::Write;

use rustls::ClientConnection;

use crate::TlsError;

/// The largest record plaintext TLS allows, and OpenSSL's default send fragment.
pub(super) const MAX_FRAGMENT: usize = 16 * 1024;

/// The write side of a connection.
#[derive(Debug)]
pub(super) struct Outbox {
    /// Plaintext written before `'secureConnect'`, not yet released.
    held: Vec<u8>,
    /// `end()` was called, or the server ended without `allowHalfOpen`.
    write_ended: bool,
    /// `setMaxSendFragment`: the largest plaintext per record.
    max_fragment: usize,
}

impl Default for Outbox {
    fn default() -> Self {
        Self {
            held: Vec::new(),
            write_ended: false,
            max_fragment: MAX_FRAGMENT,
        }
    }
}

impl Outbox {
    /// Keeps `data` until the certificate decision.
    pub(super) fn hold(&mut self, data: &[u8]) {
        self.held.extend_from_slice(data);
    }

    /// Hands `data` to rustls, one write per fragment: rustls seals each write
    /// into its own records.
    pub(super) fn seal(&self, tls: &mut ClientConnection, data: &[u8]) -> Result<(), TlsError> {
        for fragment in data.chunks(self.max_fragment) {
            tls.writer()
                .write_all(fragment)
                .map_err(|e| TlsError::new("ERR_SSL_PROTOCOL_ERROR", e.to_string()))?;
        }
        Ok(())
    }

    /// Seals what was held, once the server is trusted.
    pub(super) fn release(&mut self, tls: &mut ClientConnection) -> Result<(), TlsError> {
        let held = std::mem::take(&mut self.held);
        self.seal(tls, &held)
    }

    /// Drops what was held: the server was refused or the socket destroyed.
    pub(super) fn discard(&mut self) {
        self.held.clear();
    }

    /// Ends the write side; true the first time, when close_notify is due.
    pub(super) fn end(&mut self) -> bool {
        !std::mem::replace(&mut self.write_ended, true)
    }

    /// Whether the write side has ended.
    pub(super) fn write_ended(&self) -> bool {
        self.write_ended
    }

    /// `setMaxSendFragment(size)`: applied and true within 512..16384, as OpenSSL.
    pub(super) fn set_max_fragment(&mut self, size: f64) -> bool {
        if !(512.0..=MAX_FRAGMENT as f64).contains(&size) || size.fract() != 0.0 {
            return false;
        }
        self.max_fragment = size as usize;
        true
    }
}
