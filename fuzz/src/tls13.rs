//! The server's side of TLS 1.3 (RFC 8446) as far as the harness needs it to
//! build valid server flights around other certificates and to read what the
//! client sent: the key schedule from a known shared secret, record
//! protection, Finished, and the transcript. The harness knows the shared
//! secret because both sides' key shares are fixed
//! (`tls_connect_engine::fuzzing::fixed_shared_secret`).

use ring::{aead, digest, hkdf, hmac};

use crate::records::{self, Record};

/// Outer content type of protected records.
pub const APPLICATION_DATA: u8 = 23;
/// The handshake content type, inside protected records.
pub const HANDSHAKE: u8 = records::HANDSHAKE;
/// Largest plaintext of one record.
const MAX_FRAGMENT: usize = 16_384;

/// A TLS 1.3 cipher suite's algorithms.
#[derive(Clone, Copy)]
pub struct Suite {
    aead: &'static aead::Algorithm,
    hash: &'static digest::Algorithm,
    hkdf: hkdf::Algorithm,
    hmac: hmac::Algorithm,
}

impl Suite {
    /// The suite with this IANA number, if it is one of TLS 1.3's three.
    pub fn from_id(id: u16) -> Option<Self> {
        let sha256 = (&digest::SHA256, hkdf::HKDF_SHA256, hmac::HMAC_SHA256);
        let sha384 = (&digest::SHA384, hkdf::HKDF_SHA384, hmac::HMAC_SHA384);
        let (aead, (hash, hkdf, hmac)) = match id {
            0x1301 => (&aead::AES_128_GCM, sha256),
            0x1302 => (&aead::AES_256_GCM, sha384),
            0x1303 => (&aead::CHACHA20_POLY1305, sha256),
            _ => return None,
        };
        Some(Self {
            aead,
            hash,
            hkdf,
            hmac,
        })
    }

    fn hash_len(&self) -> usize {
        self.hash.output_len()
    }

    /// The hash of a transcript.
    pub fn hash(&self, transcript: &[u8]) -> Vec<u8> {
        digest::digest(self.hash, transcript).as_ref().to_vec()
    }

    /// HKDF-Extract.
    fn extract(&self, salt: &[u8], ikm: &[u8]) -> Vec<u8> {
        hmac::sign(&hmac::Key::new(self.hmac, salt), ikm)
            .as_ref()
            .to_vec()
    }

    /// HKDF-Expand-Label.
    pub fn expand_label(&self, secret: &[u8], label: &[u8], context: &[u8], len: usize) -> Vec<u8> {
        let full_label_len = [(6 + label.len()) as u8];
        let out_len = (len as u16).to_be_bytes();
        let context_len = [context.len() as u8];
        let info = [
            &out_len[..],
            &full_label_len,
            b"tls13 ",
            label,
            &context_len,
            context,
        ];
        let mut out = vec![0; len];
        hkdf::Prk::new_less_safe(self.hkdf, secret)
            .expand(&info, OutLen(len))
            .and_then(|okm| okm.fill(&mut out))
            .expect("HKDF output within bounds");
        out
    }

    /// Derive-Secret.
    fn derive(&self, secret: &[u8], label: &[u8], transcript: &[u8]) -> Vec<u8> {
        self.expand_label(secret, label, &self.hash(transcript), self.hash_len())
    }

    /// The Finished verify_data for `traffic_secret` over `transcript`.
    pub fn finished(&self, traffic_secret: &[u8], transcript: &[u8]) -> Vec<u8> {
        let key = self.expand_label(traffic_secret, b"finished", &[], self.hash_len());
        hmac::sign(&hmac::Key::new(self.hmac, &key), &self.hash(transcript))
            .as_ref()
            .to_vec()
    }

    /// The key schedule after the ECDHE shared secret (no PSK).
    pub fn schedule(&self, shared_secret: &[u8]) -> Schedule {
        let zeros = vec![0; self.hash_len()];
        let early = self.extract(&zeros, &zeros);
        let derived = self.derive(&early, b"derived", &[]);
        let handshake = self.extract(&derived, shared_secret);
        let derived = self.derive(&handshake, b"derived", &[]);
        let master = self.extract(&derived, &zeros);
        Schedule {
            suite: *self,
            handshake,
            master,
        }
    }

    /// Record protection under a traffic secret.
    pub fn keys(&self, traffic_secret: &[u8]) -> RecordKeys {
        let key = self.expand_label(traffic_secret, b"key", &[], self.aead.key_len());
        let iv = self.expand_label(traffic_secret, b"iv", &[], aead::NONCE_LEN);
        RecordKeys {
            key: aead::LessSafeKey::new(
                aead::UnboundKey::new(self.aead, &key).expect("key length"),
            ),
            iv: iv.try_into().expect("nonce length"),
            seq: 0,
        }
    }
}

/// An output length for ring's HKDF.
struct OutLen(usize);

impl hkdf::KeyType for OutLen {
    fn len(&self) -> usize {
        self.0
    }
}

/// The handshake and master secrets.
pub struct Schedule {
    suite: Suite,
    handshake: Vec<u8>,
    master: Vec<u8>,
}

impl Schedule {
    /// client_handshake_traffic_secret, `transcript` being ClientHello..ServerHello.
    pub fn client_handshake(&self, transcript: &[u8]) -> Vec<u8> {
        self.suite
            .derive(&self.handshake, b"c hs traffic", transcript)
    }

    /// server_handshake_traffic_secret.
    pub fn server_handshake(&self, transcript: &[u8]) -> Vec<u8> {
        self.suite
            .derive(&self.handshake, b"s hs traffic", transcript)
    }

    /// client_application_traffic_secret_0, `transcript` being
    /// ClientHello..server Finished.
    pub fn client_application(&self, transcript: &[u8]) -> Vec<u8> {
        self.suite.derive(&self.master, b"c ap traffic", transcript)
    }

    /// server_application_traffic_secret_0, `transcript` being
    /// ClientHello..server Finished.
    pub fn server_application(&self, transcript: &[u8]) -> Vec<u8> {
        self.suite.derive(&self.master, b"s ap traffic", transcript)
    }
}

/// One direction's record protection and sequence number.
pub struct RecordKeys {
    key: aead::LessSafeKey,
    iv: [u8; aead::NONCE_LEN],
    seq: u64,
}

impl RecordKeys {
    fn nonce(&mut self) -> aead::Nonce {
        let mut nonce = self.iv;
        for (byte, seq) in nonce[4..].iter_mut().zip(self.seq.to_be_bytes()) {
            *byte ^= seq;
        }
        self.seq += 1;
        aead::Nonce::assume_unique_for_key(nonce)
    }

    /// Protects `content` of `inner_type` as records of at most 16 KiB each.
    pub fn seal(&mut self, inner_type: u8, content: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for fragment in content.chunks(MAX_FRAGMENT) {
            let mut payload = fragment.to_vec();
            payload.push(inner_type);
            let len = (payload.len() + aead::MAX_TAG_LEN) as u16;
            let header = [APPLICATION_DATA, 3, 3, (len >> 8) as u8, len as u8];
            let nonce = self.nonce();
            self.key
                .seal_in_place_append_tag(nonce, aead::Aad::from(header), &mut payload)
                .expect("sealing");
            out.extend_from_slice(&header);
            out.extend_from_slice(&payload);
        }
        out
    }

    /// Opens a protected record: its inner type and content, or `None` when
    /// it is not protected under these keys (the sequence number then stays).
    pub fn open(&mut self, record: &Record) -> Option<(u8, Vec<u8>)> {
        if record.content_type != APPLICATION_DATA {
            return None;
        }
        let len = u16::try_from(record.body.len()).ok()?;
        let header = [
            record.content_type,
            record.version[0],
            record.version[1],
            (len >> 8) as u8,
            len as u8,
        ];
        let mut nonce = self.iv;
        for (byte, seq) in nonce[4..].iter_mut().zip(self.seq.to_be_bytes()) {
            *byte ^= seq;
        }
        let mut body = record.body.clone();
        let plain = self
            .key
            .open_in_place(
                aead::Nonce::assume_unique_for_key(nonce),
                aead::Aad::from(header),
                &mut body,
            )
            .ok()?;
        self.seq += 1;
        // The inner type is the last byte that is not padding.
        let end = plain.iter().rposition(|&b| b != 0)?;
        Some((plain[end], plain[..end].to_vec()))
    }
}

/// One handshake message's bytes: type, three length bytes, body.
pub fn message(msg_type: u8, body: &[u8]) -> Vec<u8> {
    records::join_messages(&[(msg_type, body.to_vec())])
}

/// A TLS 1.3 Certificate message for `chain` (no context, no extensions).
pub fn certificate_message(chain: &[Vec<u8>]) -> Vec<u8> {
    let mut list = Vec::new();
    for cert in chain {
        let len = (cert.len() as u32).to_be_bytes();
        list.extend_from_slice(&len[1..]);
        list.extend_from_slice(cert);
        list.extend_from_slice(&[0, 0]);
    }
    let mut body = vec![0];
    body.extend_from_slice(&(list.len() as u32).to_be_bytes()[1..]);
    body.extend_from_slice(&list);
    message(11, &body)
}

/// What a server's CertificateVerify signs, over the transcript's hash.
pub fn certificate_verify_input(transcript_hash: &[u8]) -> Vec<u8> {
    let mut input = vec![0x20; 64];
    input.extend_from_slice(b"TLS 1.3, server CertificateVerify\0");
    input.extend_from_slice(transcript_hash);
    input
}
