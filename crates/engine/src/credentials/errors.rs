//! What OpenSSL's PEM key reading answers, as Node reports it: its errors for
//! a key no decoder takes, a wrong passphrase, a ciphertext that is not whole
//! blocks, and a key derivation over its memory limit; and the passphrase
//! bytes Node's PEM password callback hands it.

use crate::TlsError;

/// OpenSSL's error for bytes no key decoder takes.
pub(super) fn decoder_unsupported() -> TlsError {
    TlsError::new(
        "ERR_OSSL_UNSUPPORTED",
        "error:1E08010C:DECODER routines::unsupported",
    )
}

/// OpenSSL's error for a wrong or missing passphrase.
pub(super) fn bad_decrypt() -> TlsError {
    TlsError::new(
        "ERR_OSSL_BAD_DECRYPT",
        "error:1C800064:Provider routines::bad decrypt",
    )
}

/// OpenSSL's error for a ciphertext that is not whole cipher blocks.
pub(super) fn wrong_final_block_length() -> TlsError {
    TlsError::new(
        "ERR_OSSL_WRONG_FINAL_BLOCK_LENGTH",
        "error:1C80006B:Provider routines::wrong final block length",
    )
}

/// Node's error for an scrypt key asking for more memory than OpenSSL allows.
pub(super) fn scrypt_memory_exceeded() -> TlsError {
    TlsError::new(
        "ERR_OSSL_EVP_MEMORY_LIMIT_EXCEEDED",
        "error:030000AC:digital envelope routines::memory limit exceeded",
    )
}

/// The bytes Node's PEM password callback hands OpenSSL: none given is an empty
/// passphrase, and one longer than OpenSSL's 1024-byte buffer is refused.
pub(super) fn pem_password(passphrase: Option<&str>) -> Result<&[u8], TlsError> {
    const PEM_BUFSIZE: usize = 1024;
    let password = passphrase.unwrap_or("").as_bytes();
    if password.len() > PEM_BUFSIZE {
        return Err(TlsError::new(
            "ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED",
            "error:07880109:common libcrypto routines::interrupted or cancelled",
        ));
    }
    Ok(password)
}
