//! Node's errors for a bundle: OpenSSL's reason string as the message and
//! no code ("mac verify failure"), or Node's own `ERR_CRYPTO_*` errors.

use super::asn1::Reason;
use crate::credentials::pbe::DecryptError;
use crate::TlsError;

/// An error as Node reports OpenSSL's: the reason as message, no code.
pub(super) fn openssl_reason(message: &str) -> TlsError {
    TlsError::new("", message)
}

/// OpenSSL's refusal of an encoding, as Node reports it.
pub(super) fn reason(reason: Reason) -> TlsError {
    openssl_reason(reason.message())
}

/// Node's error for what OpenSSL's providers lack, and here for what this
/// engine lacks or refuses to spend on.
pub(super) fn unsupported() -> TlsError {
    TlsError::new(
        "ERR_CRYPTO_UNSUPPORTED_OPERATION",
        "Unsupported PKCS12 PFX data",
    )
}

/// A failed decryption, in OpenSSL's words.
pub(super) fn decrypt_error(err: DecryptError) -> TlsError {
    openssl_reason(match err {
        DecryptError::WrongFinalBlockLength => "wrong final block length",
        DecryptError::BadDecrypt => "bad decrypt",
    })
}
