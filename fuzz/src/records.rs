//! TLS record and handshake-message framing, so that a mutation can replace one
//! message and keep the frames around it consistent: the bytes then reach that
//! message's parser instead of stopping at a length check.

/// The record content type of handshake messages.
pub const HANDSHAKE: u8 = 22;

/// One handshake message: its type and body.
pub type Message = (u8, Vec<u8>);

/// One TLS record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Content type (20 change_cipher_spec, 21 alert, 22 handshake, 23 data).
    pub content_type: u8,
    /// Legacy record version.
    pub version: [u8; 2],
    /// The fragment, encrypted or not.
    pub body: Vec<u8>,
}

/// Splits a flight into whole records, and the bytes after the last one.
pub fn split_records(mut flight: &[u8]) -> (Vec<Record>, Vec<u8>) {
    let mut records = Vec::new();
    // Bounded: each turn consumes a header and its body.
    while let [content_type, v0, v1, l0, l1, rest @ ..] = flight {
        let len = usize::from(u16::from_be_bytes([*l0, *l1]));
        let Some(body) = rest.get(..len) else { break };
        records.push(Record {
            content_type: *content_type,
            version: [*v0, *v1],
            body: body.to_vec(),
        });
        flight = &rest[len..];
    }
    (records, flight.to_vec())
}

/// Frames records back into bytes, then appends `tail`. A body longer than a
/// record can say is cut to fit.
pub fn join_records(records: &[Record], tail: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for record in records {
        out.extend_from_slice(&record_bytes(
            record.content_type,
            record.version,
            &record.body,
        ));
    }
    out.extend_from_slice(tail);
    out
}

/// One record's bytes.
pub fn record_bytes(content_type: u8, version: [u8; 2], body: &[u8]) -> Vec<u8> {
    let len = u16::try_from(body.len()).unwrap_or(u16::MAX);
    let mut out = vec![content_type, version[0], version[1]];
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&body[..usize::from(len)]);
    out
}

/// The handshake messages (type, body) of a record body, when they tile it
/// exactly; an encrypted body almost never does.
pub fn split_messages(mut body: &[u8]) -> Option<Vec<Message>> {
    let mut messages = Vec::new();
    // Bounded: each turn consumes a header and its body.
    while let [msg_type, l0, l1, l2, rest @ ..] = body {
        let len = usize::from(*l0) << 16 | usize::from(*l1) << 8 | usize::from(*l2);
        let msg = rest.get(..len)?;
        messages.push((*msg_type, msg.to_vec()));
        body = &rest[len..];
    }
    (body.is_empty() && !messages.is_empty()).then_some(messages)
}

/// Frames handshake messages back into a record body.
pub fn join_messages(messages: &[Message]) -> Vec<u8> {
    let mut out = Vec::new();
    for (msg_type, body) in messages {
        // Three length bytes; a fuzz input is far shorter than 16 MiB.
        let len = u32::try_from(body.len()).unwrap_or(u32::MAX).to_be_bytes();
        out.push(*msg_type);
        out.extend_from_slice(&len[1..]);
        out.extend_from_slice(body);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_and_messages_round_trip() {
        let messages = vec![(2u8, vec![1, 2, 3]), (11, vec![]), (14, vec![9])];
        let body = join_messages(&messages);
        assert_eq!(split_messages(&body), Some(messages));
        let flight = [record_bytes(HANDSHAKE, [3, 3], &body), vec![0x17, 3]].concat();
        let (records, tail) = split_records(&flight);
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].body, body);
        assert_eq!(tail, vec![0x17, 3]);
        assert_eq!(join_records(&records, &tail), flight);
    }

    #[test]
    fn ragged_bodies_are_not_messages() {
        assert_eq!(split_messages(&[2, 0, 0, 5, 1]), None);
        assert_eq!(split_messages(&[]), None);
    }
}
