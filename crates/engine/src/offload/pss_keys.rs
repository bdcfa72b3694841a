//! Signatures by RSA-PSS keys: a SubjectPublicKeyInfo of id-RSASSA-PSS
//! (1.2.840.113549.1.1.10), as `openssl genpkey -algorithm RSA-PSS` writes it.
//! Neither webpki nor rustls's ring provider has an algorithm for such a key,
//! and webpki matches a key to an algorithm by its whole AlgorithmIdentifier,
//! parameters included: so there is one algorithm per form OpenSSL writes.
//!
//! - No parameters: the key may make any PSS signature.
//! - Parameters (`rsa_pss_keygen_md`, `_mgf1_md`, `_saltlen`): OpenSSL 3.0 and
//!   3.5 write the same bytes as the RSASSA-PSS signature identifiers of
//!   SHA-256/384/512 (MGF1 of the same hash, the hash's length of salt), and
//!   such a key signs with that hash only, as OpenSSL enforces.
//!
//! Other parameters (MGF1 with SHA-1, a longer salt) find no algorithm: ring
//! verifies PSS only with the salt as long as the hash. RSA stays in the guest
//! (see [`crate::offload::signatures`]), so these are never offered to the host.

use ring::signature::{self, UnparsedPublicKey, VerificationAlgorithm};
use rustls::pki_types::{
    alg_id, AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm,
};

/// The AlgorithmIdentifier contents of an RSA-PSS key without parameters: the OID alone.
const UNRESTRICTED_KEY: AlgorithmIdentifier = AlgorithmIdentifier::from_slice(&[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a,
]);

/// An RSA-PSS signature by an RSA-PSS key of one AlgorithmIdentifier form.
#[derive(Debug)]
pub(crate) struct PssKeyAlgorithm {
    /// The key's AlgorithmIdentifier contents.
    key: AlgorithmIdentifier,
    /// The signature's AlgorithmIdentifier contents (RSASSA-PSS with its parameters).
    signature: AlgorithmIdentifier,
    /// ring's PSS check for the hash: 2048 to 8192 bits, salt as long as the hash.
    ring: &'static dyn VerificationAlgorithm,
}

impl SignatureVerificationAlgorithm for PssKeyAlgorithm {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        // The subjectPublicKey of id-RSASSA-PSS is an RSAPublicKey, as for rsaEncryption.
        UnparsedPublicKey::new(self.ring, public_key)
            .verify(message, signature)
            .map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.key
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.signature
    }
}

/// SHA-256 by a key without parameters.
pub(crate) static UNRESTRICTED_SHA256: PssKeyAlgorithm = PssKeyAlgorithm {
    key: UNRESTRICTED_KEY,
    signature: alg_id::RSA_PSS_SHA256,
    ring: &signature::RSA_PSS_2048_8192_SHA256,
};
/// SHA-384 by a key without parameters.
pub(crate) static UNRESTRICTED_SHA384: PssKeyAlgorithm = PssKeyAlgorithm {
    key: UNRESTRICTED_KEY,
    signature: alg_id::RSA_PSS_SHA384,
    ring: &signature::RSA_PSS_2048_8192_SHA384,
};
/// SHA-512 by a key without parameters.
pub(crate) static UNRESTRICTED_SHA512: PssKeyAlgorithm = PssKeyAlgorithm {
    key: UNRESTRICTED_KEY,
    signature: alg_id::RSA_PSS_SHA512,
    ring: &signature::RSA_PSS_2048_8192_SHA512,
};
/// SHA-256 by a key restricted to it.
pub(crate) static SHA256_KEY: PssKeyAlgorithm = PssKeyAlgorithm {
    key: alg_id::RSA_PSS_SHA256,
    signature: alg_id::RSA_PSS_SHA256,
    ring: &signature::RSA_PSS_2048_8192_SHA256,
};
/// SHA-384 by a key restricted to it.
pub(crate) static SHA384_KEY: PssKeyAlgorithm = PssKeyAlgorithm {
    key: alg_id::RSA_PSS_SHA384,
    signature: alg_id::RSA_PSS_SHA384,
    ring: &signature::RSA_PSS_2048_8192_SHA384,
};
/// SHA-512 by a key restricted to it.
pub(crate) static SHA512_KEY: PssKeyAlgorithm = PssKeyAlgorithm {
    key: alg_id::RSA_PSS_SHA512,
    signature: alg_id::RSA_PSS_SHA512,
    ring: &signature::RSA_PSS_2048_8192_SHA512,
};

/// The algorithms of rsa_pss_pss_sha256, one per key form.
pub(crate) static SHA256: [&dyn SignatureVerificationAlgorithm; 2] =
    [&UNRESTRICTED_SHA256, &SHA256_KEY];
/// The algorithms of rsa_pss_pss_sha384.
pub(crate) static SHA384: [&dyn SignatureVerificationAlgorithm; 2] =
    [&UNRESTRICTED_SHA384, &SHA384_KEY];
/// The algorithms of rsa_pss_pss_sha512.
pub(crate) static SHA512: [&dyn SignatureVerificationAlgorithm; 2] =
    [&UNRESTRICTED_SHA512, &SHA512_KEY];

#[cfg(test)]
mod tests;
