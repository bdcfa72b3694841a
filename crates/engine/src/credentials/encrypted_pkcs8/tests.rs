//! OpenSSL's limits on an encrypted key's derivation: refused at once, with
//! Node's codes, before any work or memory is spent.

use super::*;
use crate::TlsError;

/// The error of decrypting, with passphrase "x", a key whose (junk)
/// ciphertext is encrypted under `scheme`.
fn decrypt_with_scheme(scheme: pkcs8::pkcs5::pbes2::Parameters<'_>) -> TlsError {
    use pkcs8::der::Encode;
    let der = pkcs8::EncryptedPrivateKeyInfo {
        encryption_algorithm: pkcs8::pkcs5::EncryptionScheme::Pbes2(scheme),
        encrypted_data: &[0; 48],
    }
    .to_der()
    .unwrap();
    decrypt(&der, Some("x")).unwrap_err()
}

/// An scrypt key asking for more than OpenSSL's 32 MiB fails with Node's
/// code at once, before any memory is taken for it.
#[test]
fn scrypt_key_over_the_memory_limit_is_refused() {
    use pkcs8::pkcs5::{pbes2, scrypt};
    // (log2 N, r, p): 4 GiB of V; 40 MB of B. OpenSSL's own N=2^14, r=8, p=1 fits.
    for (log_n, r, p, refused) in [(22, 8, 1, true), (14, 8, 40_000, true), (14, 8, 1, false)] {
        let params = scrypt::Params::new(log_n, r, p, 32).unwrap();
        let scheme = pbes2::Parameters::scrypt_aes256cbc(params, &[1; 16], &[2; 16]).unwrap();
        let err = decrypt_with_scheme(scheme);
        let code = if refused {
            "ERR_OSSL_EVP_MEMORY_LIMIT_EXCEEDED"
        } else {
            "ERR_OSSL_BAD_DECRYPT"
        };
        assert_eq!(err.code, code, "N=2^{log_n} r={r} p={p}");
    }
}

#[test]
fn pbkdf2_iteration_counts_beyond_openssl_are_refused_at_once() {
    use pkcs8::pkcs5::pbes2;
    for (iterations, code) in [
        (u32::MAX, "ERR_OSSL_UNSUPPORTED"),
        (i32::MAX as u32 + 1, "ERR_OSSL_UNSUPPORTED"),
        (1000, "ERR_OSSL_BAD_DECRYPT"),
    ] {
        // pkcs5 builds no such parameters itself, but decodes them.
        let mut scheme =
            pbes2::Parameters::pbkdf2_sha256_aes256cbc(1000, &[1; 16], &[2; 16]).unwrap();
        if let pbes2::Kdf::Pbkdf2(params) = &mut scheme.kdf {
            params.iteration_count = iterations;
        }
        let err = decrypt_with_scheme(scheme);
        assert_eq!(err.code, code, "{iterations} iterations");
    }
}
