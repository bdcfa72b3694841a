//! The TLS 1.2 DHE-RSA AEAD suites Node's default cipher list offers
//! (DHE-RSA-AES128-GCM-SHA256, DHE-RSA-AES256-GCM-SHA384,
//! DHE-RSA-CHACHA20-POLY1305). ring's provider has none, but each differs
//! from its ECDHE-RSA sibling only in the key exchange: the AEAD (host-first,
//! as the sibling's), PRF and RSA signatures are the sibling's.

use std::sync::LazyLock;

use rustls::crypto::ring::cipher_suite;
use rustls::crypto::{CipherSuiteCommon, KeyExchangeAlgorithm};
use rustls::{CipherSuite, SupportedCipherSuite, Tls12CipherSuite};

use crate::offload::records;

/// `TLS_DHE_RSA_WITH_AES_128_GCM_SHA256`.
const DHE_RSA_AES128_GCM: u16 = 0x009E;
/// `TLS_DHE_RSA_WITH_AES_256_GCM_SHA384`.
const DHE_RSA_AES256_GCM: u16 = 0x009F;
/// `TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256`.
const DHE_RSA_CHACHA20: u16 = 0xCCAA;

/// The suites, each built once from its ECDHE-RSA sibling.
static SUITES: LazyLock<[Tls12CipherSuite; 3]> = LazyLock::new(|| {
    [
        (
            DHE_RSA_AES128_GCM,
            cipher_suite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        ),
        (
            DHE_RSA_AES256_GCM,
            cipher_suite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        ),
        (
            DHE_RSA_CHACHA20,
            cipher_suite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ),
    ]
    .map(|(id, sibling)| dhe_variant(id, sibling))
});

/// The DHE-RSA suites, for the cipher list to choose among with ring's.
pub(crate) fn dhe_suites() -> impl Iterator<Item = SupportedCipherSuite> {
    SUITES.iter().map(SupportedCipherSuite::Tls12)
}

/// `sibling` (an ECDHE-RSA suite) under code point `id` with DHE key exchange.
fn dhe_variant(id: u16, sibling: SupportedCipherSuite) -> Tls12CipherSuite {
    // The sibling as the records offload wraps it, so DHE records go to the
    // host first too.
    let sibling = match records::host_first(vec![sibling]).first() {
        Some(SupportedCipherSuite::Tls12(tls12)) => *tls12,
        _ => unreachable!("ring's ECDHE-RSA suites are TLS 1.2 suites"),
    };
    Tls12CipherSuite {
        common: CipherSuiteCommon {
            suite: CipherSuite::from(id),
            hash_provider: sibling.common.hash_provider,
            confidentiality_limit: sibling.common.confidentiality_limit,
        },
        prf_provider: sibling.prf_provider,
        kx: KeyExchangeAlgorithm::DHE,
        sign: sibling.sign,
        aead_alg: sibling.aead_alg,
    }
}
