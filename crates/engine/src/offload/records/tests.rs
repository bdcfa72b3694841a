//! Record protection offered to the host, against ring byte for byte: the
//! host's side is the engine's own `NativeRecordKey`, as the wasmtime host uses.

use super::*;

/// A native host key for one direction, as the wasmtime host keeps it.
fn host_key(
    aead: Aead,
    version: RecordVersion,
    direction: Direction,
    key: &[u8],
    iv: &[u8],
) -> Box<dyn HostKey> {
    let mut iv12 = [0u8; 12];
    iv12[..iv.len()].copy_from_slice(iv);
    let offer = KeyOffer {
        aead,
        version,
        direction,
        key,
        iv: &iv12,
    };
    Box::new(native::NativeRecordKey::new(&offer).expect("key length"))
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
            host: host_key(
                aead,
                RecordVersion::Tls13,
                Direction::Write,
                &key_bytes,
                &[9; 12],
            ),
        };
        let mut host_opener = HostOpener {
            host: host_key(
                aead,
                RecordVersion::Tls13,
                Direction::Read,
                &key_bytes,
                &[9; 12],
            ),
        };
        let mut guest_sealer = guest.encrypter(key, iv);
        // The host counts its own sequence numbers: records 0, 1 and 2.
        for (seq, text) in [
            (0u64, &b"hello"[..]),
            (1, &[0x42u8; 16384][..]),
            (2, &b""[..]),
        ] {
            let plain = || OutboundPlainMessage {
                typ: ContentType::ApplicationData,
                version: ProtocolVersion::TLSv1_2,
                payload: text.into(),
            };
            let by_host = host_sealer.encrypt(plain(), seq).expect("host seal");
            let by_guest = guest_sealer
                .encrypt(plain(), seq)
                .expect("guest seal")
                .encode();
            assert_eq!(by_host.encode(), by_guest, "{aead:?} seq {seq}");

            let mut wire = by_guest;
            let opened = open_record(&mut host_opener, &mut wire).expect("host open");
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
        let explicit = wrapper.explicit_nonce_len();
        let iv12 = [&iv[..], &extra[..]].concat();
        let mut host_sealer = Tls12HostSealer {
            host: host_key(
                aead,
                RecordVersion::Tls12,
                Direction::Write,
                &key_bytes,
                &iv12,
            ),
            explicit,
        };
        let mut opener = Tls12HostOpener {
            host: host_key(aead, RecordVersion::Tls12, Direction::Read, &key_bytes, &iv),
            explicit,
        };
        let mut guest_sealer = guest.encrypter(key_and_iv().0, &iv, &extra);
        for (seq, text) in [(0u64, &b"hello"[..]), (1, &[0x42u8; 16384][..])] {
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
    let mut wire = guest.encrypt(plain, 0).expect("seal").encode();
    let last = wire.len() - 1;
    wire[last] ^= 1;
    let mut opener = HostOpener {
        host: host_key(
            Aead::ChaCha20Poly1305,
            RecordVersion::Tls13,
            Direction::Read,
            key_and_iv().0.as_ref(),
            &[9; 12],
        ),
    };
    assert_eq!(
        open_record(&mut opener, &mut wire),
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

/// Opens one TLS 1.3 record: the host counts the sequence number itself.
fn open_record(opener: &mut HostOpener, wire: &mut [u8]) -> Result<Vec<u8>, Error> {
    let (header, payload) = wire.split_at_mut(5);
    assert_eq!(header[0], 23, "an application-data record");
    let msg = InboundOpaqueMessage::new(
        ContentType::ApplicationData,
        ProtocolVersion::TLSv1_2,
        payload,
    );
    opener.decrypt(msg, 0).map(|plain| plain.payload.to_vec())
}
