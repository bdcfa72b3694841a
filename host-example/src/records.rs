//! The host's record layer for sans-IO sockets. The guest hands each
//! direction's key, IV and sequence number to the host (`host-crypto`'s
//! `take-key`); once the connection is established, application-data records
//! are sealed and opened here with native ring, so bulk bytes never cross into
//! wasm. Every other record (session tickets, key updates, alerts, anything that
//! does not open) goes to the guest in order, and both count sequence numbers
//! on the same key, so rustls keeps the handshake, the key schedule and every
//! verdict. [`crate::instance::SocketCalls`] drives it around its guest calls.

use tls_connect_engine::{Direction, NativeRecordKey, RecordVersion};
use wasmtime::component::{Resource, ResourceTable};

use crate::host_crypto::TrafficKey;
use crate::TlsError;

/// A record header's length.
const HEADER_LEN: usize = 5;
/// The longest record payload rustls's deframer accepts; a longer header is the guest's error.
const MAX_PAYLOAD: usize = 16 * 1024 + 2048;
/// OpenSSL's default send fragment, and the most a record carries.
pub(crate) const MAX_FRAGMENT: usize = 16 * 1024;
const APPLICATION_DATA: u8 = 23;

/// What to do with the next received bytes.
pub(crate) enum Step {
    /// A record opened here: its plaintext, one `'data'`.
    Plaintext(Vec<u8>),
    /// Bytes for the guest's `feed`.
    Guest(Vec<u8>),
}

/// One socket's record layer: the keys its guest handed over, received bytes
/// not yet handed on, and records sealed here not yet taken.
#[derive(Debug)]
pub(crate) struct RecordLayer {
    /// The table entries of the newest key of each direction.
    read: Option<u32>,
    write: Option<u32>,
    received: Vec<u8>,
    /// Where the bytes not yet handed on start in `received`.
    start: usize,
    /// False once a header made no sense: from there on every byte is the guest's to refuse.
    framing: bool,
    /// `'secureConnect'` has happened: application data may be protected here.
    pub(crate) secure: bool,
    /// The socket was destroyed, or failed, or is attached: every call goes to the guest.
    pub(crate) closed: bool,
    /// The server's end arrived: nothing more is opened here.
    pub(crate) read_ended: bool,
    /// `setMaxSendFragment`.
    pub(crate) max_fragment: usize,
    /// Bytes to send: the guest's output, then records sealed here, in order.
    pub(crate) outgoing: Vec<u8>,
    /// The guest was called since its output was last taken.
    pub(crate) guest_may_have_output: bool,
    /// The guest's error for bytes that came after data opened here: given by
    /// the next call, so that the data before it is delivered first.
    pub(crate) deferred: Option<TlsError>,
}

impl Default for RecordLayer {
    fn default() -> Self {
        Self {
            read: None,
            write: None,
            received: Vec::new(),
            start: 0,
            framing: true,
            secure: false,
            closed: false,
            read_ended: false,
            max_fragment: MAX_FRAGMENT,
            outgoing: Vec::new(),
            // A new socket has its ClientHello to send.
            guest_may_have_output: true,
            deferred: None,
        }
    }
}

impl RecordLayer {
    /// A layer that protects nothing itself: every call goes to the guest.
    pub(crate) fn pass_through() -> Self {
        Self {
            closed: true,
            ..Self::default()
        }
    }
}

/// The key at table entry `rep`, if the guest has not dropped it.
fn key(table: &mut ResourceTable, rep: u32) -> Option<&mut NativeRecordKey> {
    let handle = Resource::<TrafficKey>::new_borrow(rep);
    table.get_mut(&handle).ok().map(|key| &mut key.0)
}

impl RecordLayer {
    /// Keys the guest handed over during a call for this socket.
    pub(crate) fn adopt(&mut self, table: &mut ResourceTable, reps: Vec<u32>) {
        for rep in reps {
            match key(table, rep).map(|key| key.direction()) {
                Some(Direction::Write) => self.write = Some(rep),
                Some(Direction::Read) => self.read = Some(rep),
                None => {}
            }
        }
    }

    /// Bytes received from the server, to be handed on by [`Self::next`].
    pub(crate) fn receive(&mut self, bytes: &[u8]) {
        if self.start > 0 && self.start == self.received.len() {
            self.received.clear();
            self.start = 0;
        }
        self.received.extend_from_slice(bytes);
    }

    /// The length of the record at `at` of the unread bytes: `None` while its
    /// header is incomplete, `Some(None)` when it is no TLS record header.
    fn record_len_at(&self, at: usize) -> Option<Option<usize>> {
        let header = self
            .received
            .get(self.start + at..self.start + at + HEADER_LEN)?;
        let len = usize::from(u16::from_be_bytes([header[3], header[4]]));
        let valid = (20..=24).contains(&header[0]) && header[1] == 3 && len <= MAX_PAYLOAD;
        Some(valid.then_some(HEADER_LEN + len))
    }

    /// Takes `len` unread bytes.
    fn take(&mut self, len: usize) -> Vec<u8> {
        let bytes = self.received[self.start..self.start + len].to_vec();
        self.start += len;
        if self.start == self.received.len() {
            self.received.clear();
            self.start = 0;
        }
        bytes
    }

    fn unread(&self) -> usize {
        self.received.len() - self.start
    }

    /// What to do with the received bytes next, or `None` until more arrive.
    /// Before `'secureConnect'` every complete record goes to the guest at once;
    /// after it, application data opens here record by record, with whatever
    /// key the guest may have changed in between.
    pub(crate) fn next(&mut self, table: &mut ResourceTable) -> Option<Step> {
        if self.unread() == 0 {
            return None;
        }
        if !self.framing || self.closed {
            return Some(Step::Guest(self.take(self.unread())));
        }
        let Some(first) = self.record_len_at(0)? else {
            self.framing = false;
            return Some(Step::Guest(self.take(self.unread())));
        };
        if self.unread() < first {
            return None;
        }
        if self.secure && !self.read_ended {
            let record = self.take(first);
            let opened = match (record[0], self.read) {
                (APPLICATION_DATA, Some(rep)) => {
                    key(table, rep).and_then(|key| key.open_application_data(&record))
                }
                _ => None,
            };
            return Some(opened.map_or(Step::Guest(record), Step::Plaintext));
        }
        // The handshake: every complete record in one call, as the guest reads a batch.
        let mut total = first;
        while let Some(Some(next)) = self.record_len_at(total) {
            if self.unread() < total + next {
                break;
            }
            total += next;
        }
        Some(Step::Guest(self.take(total)))
    }

    /// Whatever is left (an incomplete record): the guest's, when the transport ends.
    pub(crate) fn rest(&mut self) -> Option<Vec<u8>> {
        (self.unread() > 0).then(|| self.take(self.unread()))
    }

    /// The write key, when application data may be sealed here: TLS 1.3 only,
    /// since a TLS 1.2 key at its limit must close the connection, which rustls
    /// does for the records it seals itself.
    pub(crate) fn write_key<'t>(
        &self,
        table: &'t mut ResourceTable,
    ) -> Option<&'t mut NativeRecordKey> {
        if !self.secure || self.closed {
            return None;
        }
        key(table, self.write?).filter(|key| key.version() == RecordVersion::Tls13)
    }
}
