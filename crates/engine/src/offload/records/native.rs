//! The host's side of record protection, natively with ring: what a Rust host
//! (the wasmtime host) keeps for each key the guest hands it. One direction's
//! key, IV and sequence number; the nonce and additional data of each record
//! made as RFC 8446 (TLS 1.3) and RFC 5288 / RFC 7905 (TLS 1.2) say.

use ring::aead::{self, LessSafeKey, UnboundKey};
use rustls::crypto::cipher::{make_tls12_aad, make_tls13_aad, Iv, Nonce};
use rustls::{ContentType, ProtocolVersion};

use super::TAG_LEN;
use crate::offload::{Aead, Direction, HostKey, KeyOffer, RecordVersion};

/// One direction's record protection, sealed and opened with ring.
pub struct NativeRecordKey {
    key: LessSafeKey,
    iv: Iv,
    version: RecordVersion,
    direction: Direction,
    /// TLS 1.2 GCM sends the last 8 bytes of its nonce in each record.
    explicit: usize,
    /// The next record's sequence number.
    seq: u64,
    /// Records the key may seal before it must change: rustls's confidentiality
    /// limit of the suite (2^24 for AES-GCM; ChaCha20-Poly1305 has none that matters).
    limit: u64,
}

/// A record header's length; the largest plaintext a record carries.
const HEADER_LEN: usize = 5;
const MAX_PLAINTEXT: usize = 16 * 1024;
const APPLICATION_DATA: u8 = 23;

impl NativeRecordKey {
    /// The key an offer describes; `None` when the key has the wrong length.
    pub fn new(offer: &KeyOffer<'_>) -> Option<Self> {
        let algorithm = match offer.aead {
            Aead::Aes128Gcm => &aead::AES_128_GCM,
            Aead::Aes256Gcm => &aead::AES_256_GCM,
            Aead::ChaCha20Poly1305 => &aead::CHACHA20_POLY1305,
        };
        let key = UnboundKey::new(algorithm, offer.key).ok()?;
        let gcm = offer.aead != Aead::ChaCha20Poly1305;
        Some(Self {
            key: LessSafeKey::new(key),
            iv: Iv::new(*offer.iv),
            version: offer.version,
            direction: offer.direction,
            explicit: if gcm && offer.version == RecordVersion::Tls12 {
                8
            } else {
                0
            },
            seq: 0,
            limit: if gcm { 1 << 24 } else { u64::MAX },
        })
    }

    /// How the key's records are framed.
    pub fn version(&self) -> RecordVersion {
        self.version
    }

    /// Which way the key protects records.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// Whether sealing one more record would reach the suite's confidentiality
    /// limit, so the key must change first (a TLS 1.3 KeyUpdate), as rustls does.
    pub fn must_change(&self) -> bool {
        self.seq.saturating_add(1) >= self.limit
    }

    /// Opens a whole received record (header and payload) when it is application
    /// data that needs nothing of the guest: its plaintext, with the sequence
    /// number counted. Anything else (another type, an empty or oversized
    /// record, one that does not open) gives `None`, counts nothing, and is the
    /// guest's to judge.
    pub fn open_application_data(&mut self, record: &[u8]) -> Option<Vec<u8>> {
        if self.direction != Direction::Read
            || record.len() < HEADER_LEN
            || record[0] != APPLICATION_DATA
        {
            return None;
        }
        let mut plain = self.open_at(self.seq, APPLICATION_DATA, &record[HEADER_LEN..])?;
        if self.version == RecordVersion::Tls13 {
            let end = plain.iter().rposition(|&b| b != 0)?;
            if plain[end] != APPLICATION_DATA {
                return None;
            }
            plain.truncate(end);
        }
        if plain.is_empty() || plain.len() > MAX_PLAINTEXT {
            return None;
        }
        self.seq += 1;
        Some(plain)
    }

    /// Seals TLS 1.3 application data as whole records of at most `fragment`
    /// bytes of plaintext each, appended to `out`; false (nothing appended)
    /// when this key cannot (TLS 1.2, a read key).
    pub fn seal_application_data(
        &mut self,
        plaintext: &[u8],
        fragment: usize,
        out: &mut Vec<u8>,
    ) -> bool {
        if self.direction != Direction::Write || self.version != RecordVersion::Tls13 {
            return false;
        }
        for piece in plaintext.chunks(fragment.clamp(1, MAX_PLAINTEXT)) {
            let sealed = self.seal(APPLICATION_DATA, piece);
            out.extend_from_slice(&[APPLICATION_DATA, 3, 3]);
            out.extend_from_slice(&(sealed.len() as u16).to_be_bytes());
            out.extend_from_slice(&sealed);
        }
        true
    }

    /// This record's sequence number; the next one's from here on.
    fn next_seq(&mut self) -> u64 {
        let seq = self.seq;
        self.seq = self.seq.wrapping_add(1);
        seq
    }
}

impl HostKey for NativeRecordKey {
    fn seal(&mut self, content_type: u8, plaintext: &[u8]) -> Vec<u8> {
        if self.direction != Direction::Write {
            return Vec::new();
        }
        let seq = self.next_seq();
        let nonce = Nonce::new(&self.iv, seq).0;
        let mut out = Vec::with_capacity(self.explicit + plaintext.len() + 1 + TAG_LEN);
        out.extend_from_slice(&nonce[12 - self.explicit..]);
        out.extend_from_slice(plaintext);
        let aad = match self.version {
            RecordVersion::Tls13 => {
                out.push(content_type);
                make_tls13_aad(out.len() + TAG_LEN).to_vec()
            }
            RecordVersion::Tls12 => {
                let typ = ContentType::from(content_type);
                make_tls12_aad(seq, typ, ProtocolVersion::TLSv1_2, plaintext.len()).to_vec()
            }
        };
        let nonce = aead::Nonce::assume_unique_for_key(nonce);
        let body = &mut out[self.explicit..];
        match self
            .key
            .seal_in_place_separate_tag(nonce, aead::Aad::from(aad), body)
        {
            Ok(tag) => {
                out.extend_from_slice(tag.as_ref());
                out
            }
            Err(_) => Vec::new(),
        }
    }

    fn open(&mut self, content_type: u8, payload: &[u8]) -> Option<Vec<u8>> {
        if self.direction != Direction::Read {
            return None;
        }
        let seq = self.next_seq();
        self.open_at(seq, content_type, payload)
    }
}

impl NativeRecordKey {
    /// Opens the payload of record `seq`: its plaintext, or `None`.
    fn open_at(&self, seq: u64, content_type: u8, payload: &[u8]) -> Option<Vec<u8>> {
        if payload.len() < self.explicit + TAG_LEN {
            return None;
        }
        let nonce = match self.explicit {
            0 => Nonce::new(&self.iv, seq).0,
            _ => {
                let mut nonce = [0u8; 12];
                nonce[..4].copy_from_slice(&self.iv.as_ref()[..4]);
                nonce[4..].copy_from_slice(&payload[..8]);
                nonce
            }
        };
        let sealed = &payload[self.explicit..];
        let plain_len = sealed.len() - TAG_LEN;
        let aad = match self.version {
            RecordVersion::Tls13 => make_tls13_aad(sealed.len()).to_vec(),
            RecordVersion::Tls12 => {
                let typ = ContentType::from(content_type);
                make_tls12_aad(seq, typ, ProtocolVersion::TLSv1_2, plain_len).to_vec()
            }
        };
        let mut buf = sealed.to_vec();
        let nonce = aead::Nonce::assume_unique_for_key(nonce);
        let len = self
            .key
            .open_in_place(nonce, aead::Aad::from(aad), &mut buf)
            .ok()?
            .len();
        buf.truncate(len);
        Some(buf)
    }
}
