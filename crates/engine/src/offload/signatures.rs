//! Signature verification offered to the host first.
//!
//! Inside wasm, ring's P-256 runs in portable code: the two ECDSA verifications
//! of a full handshake (the server's CertificateVerify and the leaf's signature
//! in the chain check) are about two thirds of the guest's handshake CPU. A host
//! with native crypto may verify them; one that declines leaves ring in the
//! guest to do it. RSA stays in the guest whatever the host, so that the
//! guest's key-size rules (2048 bits and up) hold on every host.
//!
//! [`ALGORITHMS`] is ring's set with each ECDSA and Ed25519 algorithm wrapped:
//! same identifiers, same mapping from TLS signature schemes, host first; and
//! RSA-PSS keys' algorithms ([`crate::offload::pss_keys`]), which ring's set lacks.

use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm};
use rustls::SignatureScheme;
use webpki::ring as guest;

use crate::offload::{self, pss_keys, SignatureAlgorithm};
use crate::verify::{RSA_PSS_PSS_SHA256, RSA_PSS_PSS_SHA384, RSA_PSS_PSS_SHA512};

/// An algorithm verified by the host when it accepts, else by ring in the guest.
#[derive(Debug)]
pub(crate) struct HostFirst {
    algorithm: SignatureAlgorithm,
    guest: &'static dyn SignatureVerificationAlgorithm,
}

impl HostFirst {
    const fn new(
        algorithm: SignatureAlgorithm,
        guest: &'static dyn SignatureVerificationAlgorithm,
    ) -> Self {
        Self { algorithm, guest }
    }
}

impl SignatureVerificationAlgorithm for HostFirst {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        match offload::offer_signature(self.algorithm, public_key, message, signature) {
            Some(true) => Ok(()),
            Some(false) => Err(InvalidSignature),
            None => self.guest.verify_signature(public_key, message, signature),
        }
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.guest.public_key_alg_id()
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.guest.signature_alg_id()
    }
}

static ECDSA_P256_SHA256: HostFirst = HostFirst::new(
    SignatureAlgorithm::EcdsaP256Sha256,
    guest::ECDSA_P256_SHA256,
);
static ECDSA_P256_SHA384: HostFirst = HostFirst::new(
    SignatureAlgorithm::EcdsaP256Sha384,
    guest::ECDSA_P256_SHA384,
);
static ECDSA_P384_SHA256: HostFirst = HostFirst::new(
    SignatureAlgorithm::EcdsaP384Sha256,
    guest::ECDSA_P384_SHA256,
);
static ECDSA_P384_SHA384: HostFirst = HostFirst::new(
    SignatureAlgorithm::EcdsaP384Sha384,
    guest::ECDSA_P384_SHA384,
);
static ED25519: HostFirst = HostFirst::new(SignatureAlgorithm::Ed25519, guest::ED25519);

/// ring's verification algorithms (rustls's ring provider lists the same ones),
/// with ECDSA and Ed25519 offered to the host first.
pub(crate) static ALGORITHMS: WebPkiSupportedAlgorithms = WebPkiSupportedAlgorithms {
    all: &[
        &ECDSA_P256_SHA256,
        &ECDSA_P256_SHA384,
        &ECDSA_P384_SHA256,
        &ECDSA_P384_SHA384,
        &ED25519,
        guest::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
        guest::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
        guest::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
        guest::RSA_PKCS1_2048_8192_SHA256,
        guest::RSA_PKCS1_2048_8192_SHA384,
        guest::RSA_PKCS1_2048_8192_SHA512,
        guest::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
        guest::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
        guest::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
        // RSA-PSS keys: no ring provider algorithm has them.
        &pss_keys::UNRESTRICTED_SHA256,
        &pss_keys::UNRESTRICTED_SHA384,
        &pss_keys::UNRESTRICTED_SHA512,
        &pss_keys::SHA256_KEY,
        &pss_keys::SHA384_KEY,
        &pss_keys::SHA512_KEY,
    ],
    mapping: &[
        // TLS 1.2 does not fix the curve by the scheme; TLS 1.3 does.
        (
            SignatureScheme::ECDSA_NISTP384_SHA384,
            &[&ECDSA_P384_SHA384, &ECDSA_P256_SHA384],
        ),
        (
            SignatureScheme::ECDSA_NISTP256_SHA256,
            &[&ECDSA_P256_SHA256, &ECDSA_P384_SHA256],
        ),
        (SignatureScheme::ED25519, &[&ED25519]),
        // OpenSSL's order: PSS by RSA-PSS keys, then by rsaEncryption keys.
        (RSA_PSS_PSS_SHA512, &pss_keys::SHA512),
        (RSA_PSS_PSS_SHA384, &pss_keys::SHA384),
        (RSA_PSS_PSS_SHA256, &pss_keys::SHA256),
        (
            SignatureScheme::RSA_PSS_SHA512,
            &[guest::RSA_PSS_2048_8192_SHA512_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PSS_SHA384,
            &[guest::RSA_PSS_2048_8192_SHA384_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PSS_SHA256,
            &[guest::RSA_PSS_2048_8192_SHA256_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA512,
            &[guest::RSA_PKCS1_2048_8192_SHA512],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA384,
            &[guest::RSA_PKCS1_2048_8192_SHA384],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA256,
            &[guest::RSA_PKCS1_2048_8192_SHA256],
        ),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    /// The wrapped set names the same algorithms, in the same order, with the
    /// same scheme mapping, as rustls's own ring provider: only who verifies
    /// changes. RSA-PSS keys' algorithms and schemes come on top.
    #[test]
    fn the_same_algorithms_as_the_ring_provider() {
        let ring = rustls::crypto::ring::default_provider().signature_verification_algorithms;
        let ids = |algs: &[&dyn SignatureVerificationAlgorithm]| {
            algs.iter()
                .map(|a| (a.public_key_alg_id(), a.signature_alg_id()))
                .collect::<Vec<_>>()
        };
        let pss_key = |alg: &&dyn SignatureVerificationAlgorithm| {
            alg.public_key_alg_id().as_ref().starts_with(PSS_OID)
        };
        let ours: Vec<_> = ALGORITHMS
            .all
            .iter()
            .copied()
            .filter(|a| !pss_key(a))
            .collect();
        assert_eq!(ids(&ours), ids(ring.all));
        assert_eq!(ALGORITHMS.all.iter().copied().filter(pss_key).count(), 6);
        let pss_schemes = [RSA_PSS_PSS_SHA256, RSA_PSS_PSS_SHA384, RSA_PSS_PSS_SHA512];
        let ours: Vec<_> = ALGORITHMS
            .mapping
            .iter()
            .filter(|(scheme, _)| !pss_schemes.contains(scheme))
            .collect();
        assert_eq!(ours.len(), ring.mapping.len());
        for ((ours_scheme, ours), (ring_scheme, theirs)) in ours.into_iter().zip(ring.mapping) {
            assert_eq!(ours_scheme, ring_scheme);
            assert_eq!(ids(ours), ids(theirs));
        }
    }

    /// The DER of id-RSASSA-PSS (1.2.840.113549.1.1.10), tag and length included.
    const PSS_OID: &[u8] = &[
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a,
    ];

    /// Each rsa_pss_pss scheme maps to the two key forms of its own hash only.
    #[test]
    fn pss_pss_schemes_map_to_their_hash() {
        use rustls::pki_types::alg_id;
        for (scheme, signature) in [
            (RSA_PSS_PSS_SHA256, alg_id::RSA_PSS_SHA256),
            (RSA_PSS_PSS_SHA384, alg_id::RSA_PSS_SHA384),
            (RSA_PSS_PSS_SHA512, alg_id::RSA_PSS_SHA512),
        ] {
            let (_, algs) = ALGORITHMS
                .mapping
                .iter()
                .find(|(mapped, _)| *mapped == scheme)
                .expect("mapped");
            assert_eq!(algs.len(), 2);
            for alg in *algs {
                assert_eq!(alg.signature_alg_id(), signature);
                assert!(alg.public_key_alg_id().as_ref().starts_with(PSS_OID));
            }
            assert!(ALGORITHMS.supported_schemes().contains(&scheme));
        }
    }
}
