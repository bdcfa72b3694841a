//! Record protection offered to the host, against ring byte for byte.

use super::*;
use ring::aead::{self, LessSafeKey, UnboundKey};

/// A host key made with ring natively, as the wasmtime host does.
struct RingKey(LessSafeKey);

impl HostKey for RingKey {
    fn seal(&self, nonce: &[u8; 12], aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
        let mut buf = plaintext.to_vec();
        self.0
            .seal_in_place_append_tag(
                aead::Nonce::assume_unique_for_key(*nonce),
                aead::Aad::from(aad),
                &mut buf,
            )
            .expect("seal");
        buf
    }

    fn open(&self, nonce: &[u8; 12], aad: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        let mut buf = sealed.to_vec();
        let len = self
            .0
            .open_in_place(
                aead::Nonce::assume_unique_for_key(*nonce),
                aead::Aad::from(aad),
                &mut buf,
            )
            .ok()?
            .len();
        buf.truncate(len);
        Some(buf)
    }
}

fn ring_key(aead: Aead, key: &[u8]) -> Box<dyn HostKey> {
    let algorithm = match aead {
        Aead::Aes128Gcm => &aead::AES_128_GCM,
        Aead::Aes256Gcm => &aead::AES_256_GCM,
        Aead::ChaCha20Poly1305 => &aead::CHACHA20_POLY1305,
    };
    Box::new(RingKey(LessSafeKey::new(
        UnboundKey::new(algorithm, key).expect("key length"),
    )))
}

/// A 32-byte key (ChaCha20-Poly1305 and AES-256-GCM; rustls keeps the
/// constructor of shorter keys to itself) and an IV.
fn key_and_iv() -> (AeadKey, Iv) {
    let mut key = [0u8; 32];
    for (i, b) in key.iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(7).wrapping_add(3);
    }
    (AeadKey::from(key), Iv::new([9; 12]))
}

/// Records sealed by the host open with ring's own decrypter and the other
/// way round, for every TLS 1.3 AEAD: the two paths are byte-identical.
#[test]
fn host_and_guest_records_are_interchangeable() {
    for (aead, suite) in [
        (
            Aead::ChaCha20Poly1305,
            cipher_suite::TLS13_CHACHA20_POLY1305_SHA256,
        ),
        (Aead::Aes256Gcm, cipher_suite::TLS13_AES_256_GCM_SHA384),
    ] {
        let guest = tls13_of(suite).aead_alg;
        let (key, iv) = key_and_iv();
        let key_bytes = key.as_ref().to_vec();
        let mut host_sealer = HostSealer {
            host: ring_key(aead, &key_bytes),
            iv: Iv::new([9; 12]),
        };
        let mut guest_sealer = guest.encrypter(key, iv);
        for (seq, text) in [(0u64, &b"hello"[..]), (7, &[0x42u8; 16384][..])] {
            let plain = OutboundPlainMessage {
                typ: ContentType::ApplicationData,
                version: ProtocolVersion::TLSv1_2,
                payload: text.into(),
            };
            let by_host = host_sealer.encrypt(plain, seq).expect("host seal");
            let plain = OutboundPlainMessage {
                typ: ContentType::ApplicationData,
                version: ProtocolVersion::TLSv1_2,
                payload: text.into(),
            };
            let by_guest = guest_sealer
                .encrypt(plain, seq)
                .expect("guest seal")
                .encode();
            assert_eq!(by_host.encode(), by_guest, "{aead:?} seq {seq}");

            let mut host_opener = HostOpener {
                host: ring_key(aead, &key_bytes),
                iv: Iv::new([9; 12]),
            };
            let mut wire = by_guest;
            let opened = open_record(&mut host_opener, &mut wire, seq).expect("host open");
            assert_eq!(opened, text);
        }
    }
}

/// TLS 1.2 records sealed by the host, with GCM's explicit nonce or
/// ChaCha20-Poly1305's implicit one, are byte for byte ring's, and open
/// where ring's open.
#[test]
fn tls12_host_and_guest_records_are_interchangeable() {
    for (aead, suite) in [
        (
            Aead::ChaCha20Poly1305,
            cipher_suite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ),
        (
            Aead::Aes256Gcm,
            cipher_suite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        ),
    ] {
        let guest = tls12_of(suite).aead_alg;
        let shape = guest.key_block_shape();
        let iv: Vec<u8> = (0..shape.fixed_iv_len as u8).map(|b| b + 40).collect();
        let extra: Vec<u8> = (0..shape.explicit_nonce_len as u8)
            .map(|b| b + 90)
            .collect();
        let (key, _) = key_and_iv();
        let key_bytes = key.as_ref().to_vec();
        let wrapper = HostFirstTls12Aead {
            aead,
            guest: || unreachable!(),
        };
        let mut host_sealer = Tls12HostSealer {
            host: ring_key(aead, &key_bytes),
            iv: Iv::copy(&[&iv[..], &extra[..]].concat()[..12]),
            explicit: wrapper.explicit_nonce_len(),
        };
        let mut guest_sealer = guest.encrypter(key_and_iv().0, &iv, &extra);
        for (seq, text) in [(1u64, &b"hello"[..]), (9, &[0x42u8; 16384][..])] {
            let plain = || OutboundPlainMessage {
                typ: ContentType::ApplicationData,
                version: ProtocolVersion::TLSv1_2,
                payload: text.into(),
            };
            let by_host = host_sealer
                .encrypt(plain(), seq)
                .expect("host seal")
                .encode();
            let by_guest = guest_sealer
                .encrypt(plain(), seq)
                .expect("guest seal")
                .encode();
            assert_eq!(by_host, by_guest, "{aead:?} seq {seq}");

            let mut base = [0u8; 12];
            base[..iv.len()].copy_from_slice(&iv);
            let mut opener = Tls12HostOpener {
                host: ring_key(aead, &key_bytes),
                iv: Iv::new(base),
                explicit: wrapper.explicit_nonce_len(),
            };
            let mut wire = by_guest;
            let (_, payload) = wire.split_at_mut(5);
            let msg = InboundOpaqueMessage::new(
                ContentType::ApplicationData,
                ProtocolVersion::TLSv1_2,
                payload,
            );
            let opened = opener.decrypt(msg, seq).expect("host open");
            assert_eq!(opened.payload, text);
        }
    }
}

/// A record whose tag does not verify is refused, never handed on.
#[test]
fn tampered_records_do_not_open() {
    let (key, iv) = key_and_iv();
    let mut guest = tls13_of(cipher_suite::TLS13_CHACHA20_POLY1305_SHA256)
        .aead_alg
        .encrypter(key, iv);
    let plain = OutboundPlainMessage {
        typ: ContentType::ApplicationData,
        version: ProtocolVersion::TLSv1_2,
        payload: (&b"secret"[..]).into(),
    };
    let mut wire = guest.encrypt(plain, 3).expect("seal").encode();
    let last = wire.len() - 1;
    wire[last] ^= 1;
    let mut opener = HostOpener {
        host: ring_key(Aead::ChaCha20Poly1305, key_and_iv().0.as_ref()),
        iv: Iv::new([9; 12]),
    };
    assert_eq!(
        open_record(&mut opener, &mut wire, 3),
        Err(Error::DecryptError)
    );
}

/// Swapping keeps every suite, in order, and swaps only TLS 1.3 ones.
#[test]
fn host_first_keeps_the_suite_order() {
    let base = rustls::crypto::ring::default_provider().cipher_suites;
    let swapped = host_first(base.clone());
    assert_eq!(
        swapped.iter().map(|s| s.suite()).collect::<Vec<_>>(),
        base.iter().map(|s| s.suite()).collect::<Vec<_>>()
    );
}

fn open_record(opener: &mut HostOpener, wire: &mut [u8], seq: u64) -> Result<Vec<u8>, Error> {
    let (header, payload) = wire.split_at_mut(5);
    assert_eq!(header[0], 23, "an application-data record");
    let msg = InboundOpaqueMessage::new(
        ContentType::ApplicationData,
        ProtocolVersion::TLSv1_2,
        payload,
    );
    opener.decrypt(msg, seq).map(|plain| plain.payload.to_vec())
}
