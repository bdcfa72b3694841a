//! TLS record protection offered to the host first.
//!
//! Inside wasm, ring's AES-GCM runs at about a fortieth of native speed and its
//! ChaCha20-Poly1305 at about a fifth (ARCHITECTURE.md, "Measured"). A host with native AEAD can
//! take each direction's traffic key and seal and open whole records; a host
//! without it declines, and ring in the guest does the work as before. The
//! handshake, the key schedule and the record layer stay in rustls; the host
//! holds each direction's key, IV and sequence number, so that it may also
//! seal and open application-data records itself between those rustls hands it.
//!
//! [`host_first`] swaps each suite's AEAD for one that asks the host installed
//! with [`offload::install`] when rustls derives a key ([`HostFirstAead`] for
//! TLS 1.3, [`HostFirstTls12Aead`] for TLS 1.2). With none installed (native
//! builds, tests) every key stays in the guest.

use std::sync::LazyLock;

use rustls::crypto::cipher::{
    AeadKey, InboundOpaqueMessage, InboundPlainMessage, Iv, KeyBlockShape, MessageDecrypter,
    MessageEncrypter, OutboundOpaqueMessage, OutboundPlainMessage, PrefixedPayload,
    Tls12AeadAlgorithm, Tls13AeadAlgorithm, UnsupportedOperationError,
};
use rustls::crypto::ring::cipher_suite;
use rustls::{
    CipherSuiteCommon, ConnectionTrafficSecrets, ContentType, Error, ProtocolVersion,
    SupportedCipherSuite, Tls12CipherSuite, Tls13CipherSuite,
};

use crate::offload::{self, Aead, Direction, HostKey, KeyOffer, RecordVersion};

pub(crate) mod native;

/// Every AEAD here appends a 16-byte tag.
const TAG_LEN: usize = 16;

/// Offers one direction's key to the host: its `HostKey`, or `None`.
fn offer(
    aead: Aead,
    version: RecordVersion,
    direction: Direction,
    key: &AeadKey,
    iv: &[u8],
) -> Option<Box<dyn HostKey>> {
    let mut iv12 = [0u8; 12];
    let len = iv.len().min(12);
    iv12[..len].copy_from_slice(&iv[..len]);
    offload::offer_key(&KeyOffer {
        aead,
        version,
        direction,
        key: key.as_ref(),
        iv: &iv12,
    })
}

/// `suites`, in the same order, with each suite's AEAD offered to the host first.
pub(crate) fn host_first(suites: Vec<SupportedCipherSuite>) -> Vec<SupportedCipherSuite> {
    suites
        .into_iter()
        .map(|suite| match suite {
            SupportedCipherSuite::Tls13(tls13) => HOST_FIRST_SUITES
                .iter()
                .find(|candidate| candidate.common.suite == tls13.common.suite)
                .map_or(suite, SupportedCipherSuite::Tls13),
            SupportedCipherSuite::Tls12(tls12) => HOST_FIRST_TLS12_SUITES
                .iter()
                .find(|candidate| candidate.common.suite == tls12.common.suite)
                .map_or(suite, SupportedCipherSuite::Tls12),
        })
        .collect()
}

/// ring's TLS 1.3 suites, each with its AEAD wrapped to ask the host first.
static HOST_FIRST_SUITES: LazyLock<[Tls13CipherSuite; 3]> = LazyLock::new(|| {
    [
        wrapped(
            cipher_suite::TLS13_CHACHA20_POLY1305_SHA256,
            &CHACHA20_POLY1305,
        ),
        wrapped(cipher_suite::TLS13_AES_256_GCM_SHA384, &AES_256_GCM),
        wrapped(cipher_suite::TLS13_AES_128_GCM_SHA256, &AES_128_GCM),
    ]
});

static CHACHA20_POLY1305: HostFirstAead = HostFirstAead::new(Aead::ChaCha20Poly1305, || {
    tls13_of(cipher_suite::TLS13_CHACHA20_POLY1305_SHA256).aead_alg
});
static AES_256_GCM: HostFirstAead = HostFirstAead::new(Aead::Aes256Gcm, || {
    tls13_of(cipher_suite::TLS13_AES_256_GCM_SHA384).aead_alg
});
static AES_128_GCM: HostFirstAead = HostFirstAead::new(Aead::Aes128Gcm, || {
    tls13_of(cipher_suite::TLS13_AES_128_GCM_SHA256).aead_alg
});

fn tls13_of(suite: SupportedCipherSuite) -> &'static Tls13CipherSuite {
    match suite {
        SupportedCipherSuite::Tls13(tls13) => tls13,
        // ring's TLS 1.3 constants are TLS 1.3 suites by definition.
        SupportedCipherSuite::Tls12(_) => {
            unreachable!("a TLS 1.2 suite among ring's TLS 1.3 suites")
        }
    }
}

/// `base` with its AEAD replaced by `aead`; hashing and HKDF stay ring's.
fn wrapped(base: SupportedCipherSuite, aead: &'static HostFirstAead) -> Tls13CipherSuite {
    let base = tls13_of(base);
    Tls13CipherSuite {
        common: CipherSuiteCommon {
            suite: base.common.suite,
            hash_provider: base.common.hash_provider,
            confidentiality_limit: base.common.confidentiality_limit,
        },
        hkdf_provider: base.hkdf_provider,
        aead_alg: aead,
        quic: base.quic,
    }
}

/// A TLS 1.3 AEAD that offers each key to the host and falls back to ring's.
pub(crate) struct HostFirstAead {
    aead: Aead,
    /// ring's algorithm for the same suite.
    guest: fn() -> &'static dyn Tls13AeadAlgorithm,
}

impl HostFirstAead {
    const fn new(aead: Aead, guest: fn() -> &'static dyn Tls13AeadAlgorithm) -> Self {
        Self { aead, guest }
    }
}

impl Tls13AeadAlgorithm for HostFirstAead {
    fn encrypter(&self, key: AeadKey, iv: Iv) -> Box<dyn MessageEncrypter> {
        let tls13 = RecordVersion::Tls13;
        match offer(self.aead, tls13, Direction::Write, &key, iv.as_ref()) {
            Some(host) => Box::new(HostSealer { host }),
            None => (self.guest)().encrypter(key, iv),
        }
    }

    fn decrypter(&self, key: AeadKey, iv: Iv) -> Box<dyn MessageDecrypter> {
        let tls13 = RecordVersion::Tls13;
        match offer(self.aead, tls13, Direction::Read, &key, iv.as_ref()) {
            Some(host) => Box::new(HostOpener { host }),
            None => (self.guest)().decrypter(key, iv),
        }
    }

    fn key_len(&self) -> usize {
        (self.guest)().key_len()
    }

    fn extract_keys(
        &self,
        key: AeadKey,
        iv: Iv,
    ) -> Result<ConnectionTrafficSecrets, UnsupportedOperationError> {
        (self.guest)().extract_keys(key, iv)
    }
}

/// Seals TLS 1.3 records with a host key: the host appends the inner type
/// and makes the nonce and the additional data (RFC 8446, section 5.2).
pub(crate) struct HostSealer {
    host: Box<dyn HostKey>,
}

impl MessageEncrypter for HostSealer {
    fn encrypt(
        &mut self,
        msg: OutboundPlainMessage<'_>,
        _seq: u64,
    ) -> Result<OutboundOpaqueMessage, Error> {
        let sealed_len = self.encrypted_payload_len(msg.payload.len());
        let sealed = self.host.seal(u8::from(msg.typ), &msg.payload.to_vec());
        if sealed.len() != sealed_len {
            return Err(Error::EncryptError);
        }
        let mut payload = PrefixedPayload::with_capacity(sealed_len);
        payload.extend_from_slice(&sealed);
        Ok(OutboundOpaqueMessage::new(
            ContentType::ApplicationData,
            // TLS 1.3 records claim TLS 1.2 on the wire (RFC 8446 section 5.1).
            ProtocolVersion::TLSv1_2,
            payload,
        ))
    }

    fn encrypted_payload_len(&self, payload_len: usize) -> usize {
        payload_len + 1 + TAG_LEN
    }
}

/// Opens TLS 1.3 records with a host key.
pub(crate) struct HostOpener {
    host: Box<dyn HostKey>,
}

impl MessageDecrypter for HostOpener {
    fn decrypt<'a>(
        &mut self,
        mut msg: InboundOpaqueMessage<'a>,
        _seq: u64,
    ) -> Result<InboundPlainMessage<'a>, Error> {
        let sealed_len = msg.payload.len();
        if sealed_len < TAG_LEN {
            return Err(Error::DecryptError);
        }
        let plain = self
            .host
            .open(u8::from(msg.typ), &msg.payload)
            .filter(|plain| plain.len() == sealed_len - TAG_LEN)
            .ok_or(Error::DecryptError)?;
        msg.payload[..plain.len()].copy_from_slice(&plain);
        msg.payload.truncate(plain.len());
        msg.into_tls13_unpadded_message()
    }
}

/// ring's TLS 1.2 suites, each with its AEAD wrapped to ask the host first.
static HOST_FIRST_TLS12_SUITES: LazyLock<[Tls12CipherSuite; 6]> = LazyLock::new(|| {
    use cipher_suite::*;
    [
        wrapped_tls12(
            TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            &TLS12_CHACHA20_POLY1305,
        ),
        wrapped_tls12(
            TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
            &TLS12_CHACHA20_POLY1305,
        ),
        wrapped_tls12(TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, &TLS12_AES_128_GCM),
        wrapped_tls12(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, &TLS12_AES_128_GCM),
        wrapped_tls12(TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, &TLS12_AES_256_GCM),
        wrapped_tls12(TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, &TLS12_AES_256_GCM),
    ]
});

static TLS12_CHACHA20_POLY1305: HostFirstTls12Aead =
    HostFirstTls12Aead::new(Aead::ChaCha20Poly1305, || {
        tls12_of(cipher_suite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256).aead_alg
    });
static TLS12_AES_128_GCM: HostFirstTls12Aead = HostFirstTls12Aead::new(Aead::Aes128Gcm, || {
    tls12_of(cipher_suite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256).aead_alg
});
static TLS12_AES_256_GCM: HostFirstTls12Aead = HostFirstTls12Aead::new(Aead::Aes256Gcm, || {
    tls12_of(cipher_suite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384).aead_alg
});

fn tls12_of(suite: SupportedCipherSuite) -> &'static Tls12CipherSuite {
    match suite {
        SupportedCipherSuite::Tls12(tls12) => tls12,
        // ring's TLS 1.2 constants are TLS 1.2 suites by definition.
        SupportedCipherSuite::Tls13(_) => {
            unreachable!("a TLS 1.3 suite among ring's TLS 1.2 suites")
        }
    }
}

/// `base` with its AEAD replaced by `aead`; key exchange, signatures and PRF stay ring's.
fn wrapped_tls12(
    base: SupportedCipherSuite,
    aead: &'static HostFirstTls12Aead,
) -> Tls12CipherSuite {
    let base = tls12_of(base);
    Tls12CipherSuite {
        common: CipherSuiteCommon {
            suite: base.common.suite,
            hash_provider: base.common.hash_provider,
            confidentiality_limit: base.common.confidentiality_limit,
        },
        prf_provider: base.prf_provider,
        kx: base.kx,
        sign: base.sign,
        aead_alg: aead,
    }
}

/// A TLS 1.2 AEAD that offers each key to the host and falls back to ring's.
pub(crate) struct HostFirstTls12Aead {
    aead: Aead,
    /// ring's algorithm for the same AEAD.
    guest: fn() -> &'static dyn Tls12AeadAlgorithm,
}

impl HostFirstTls12Aead {
    const fn new(aead: Aead, guest: fn() -> &'static dyn Tls12AeadAlgorithm) -> Self {
        Self { aead, guest }
    }

    /// GCM sends 8 bytes of its nonce in each record (RFC 5288); ChaCha20-Poly1305
    /// derives the whole nonce from the IV and the sequence number (RFC 7905).
    fn explicit_nonce_len(&self) -> usize {
        match self.aead {
            Aead::ChaCha20Poly1305 => 0,
            Aead::Aes128Gcm | Aead::Aes256Gcm => 8,
        }
    }
}

impl Tls12AeadAlgorithm for HostFirstTls12Aead {
    fn encrypter(&self, key: AeadKey, iv: &[u8], extra: &[u8]) -> Box<dyn MessageEncrypter> {
        // GCM: a 4-byte salt from the key block, then the 8 bytes that start
        // its explicit nonces; ChaCha20-Poly1305: the whole IV, and no extra.
        let iv12 = [iv, extra].concat();
        let tls12 = RecordVersion::Tls12;
        match offer(self.aead, tls12, Direction::Write, &key, &iv12) {
            Some(host) => Box::new(Tls12HostSealer {
                host,
                explicit: self.explicit_nonce_len(),
            }),
            None => (self.guest)().encrypter(key, iv, extra),
        }
    }

    fn decrypter(&self, key: AeadKey, iv: &[u8]) -> Box<dyn MessageDecrypter> {
        let tls12 = RecordVersion::Tls12;
        match offer(self.aead, tls12, Direction::Read, &key, iv) {
            Some(host) => Box::new(Tls12HostOpener {
                host,
                explicit: self.explicit_nonce_len(),
            }),
            None => (self.guest)().decrypter(key, iv),
        }
    }

    fn key_block_shape(&self) -> KeyBlockShape {
        (self.guest)().key_block_shape()
    }

    fn extract_keys(
        &self,
        key: AeadKey,
        iv: &[u8],
        explicit: &[u8],
    ) -> Result<ConnectionTrafficSecrets, UnsupportedOperationError> {
        (self.guest)().extract_keys(key, iv, explicit)
    }
}

/// Seals TLS 1.2 records with a host key.
pub(crate) struct Tls12HostSealer {
    host: Box<dyn HostKey>,
    explicit: usize,
}

impl MessageEncrypter for Tls12HostSealer {
    fn encrypt(
        &mut self,
        msg: OutboundPlainMessage<'_>,
        _seq: u64,
    ) -> Result<OutboundOpaqueMessage, Error> {
        let total = self.encrypted_payload_len(msg.payload.len());
        let sealed = self.host.seal(u8::from(msg.typ), &msg.payload.to_vec());
        if sealed.len() != total {
            return Err(Error::EncryptError);
        }
        let mut payload = PrefixedPayload::with_capacity(total);
        payload.extend_from_slice(&sealed);
        Ok(OutboundOpaqueMessage::new(msg.typ, msg.version, payload))
    }

    fn encrypted_payload_len(&self, payload_len: usize) -> usize {
        payload_len + self.explicit + TAG_LEN
    }
}

/// Opens TLS 1.2 records with a host key.
pub(crate) struct Tls12HostOpener {
    host: Box<dyn HostKey>,
    explicit: usize,
}

impl MessageDecrypter for Tls12HostOpener {
    fn decrypt<'a>(
        &mut self,
        mut msg: InboundOpaqueMessage<'a>,
        _seq: u64,
    ) -> Result<InboundPlainMessage<'a>, Error> {
        let payload_len = msg.payload.len();
        if payload_len < self.explicit + TAG_LEN {
            return Err(Error::DecryptError);
        }
        let plain_len = payload_len - self.explicit - TAG_LEN;
        let plain = self
            .host
            .open(u8::from(msg.typ), &msg.payload)
            .filter(|plain| plain.len() == plain_len)
            .ok_or(Error::DecryptError)?;
        msg.payload[..plain_len].copy_from_slice(&plain);
        msg.payload.truncate(plain_len);
        Ok(msg.into_plain_message())
    }
}

#[cfg(test)]
mod tests;
