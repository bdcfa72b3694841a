//! Encrypted PKCS#8 keys (`ENCRYPTED PRIVATE KEY`, PBES2), decrypted within
//! OpenSSL's limits on the key derivation and with its errors.

use zeroize::Zeroizing;

use super::errors::{
    bad_decrypt, decoder_unsupported, pem_password, scrypt_memory_exceeded,
    wrong_final_block_length,
};
use super::pbe::{pbes2_decrypt, scrypt_memory_fits, DecryptError, KdfBudget, Pbes2Error};
use crate::TlsError;

#[cfg(test)]
mod tests;

/// Decrypts an encrypted PKCS#8 key (PBES2): its PrivateKeyInfo DER, wiped
/// when dropped. A wrong passphrase is OpenSSL's "bad decrypt", or
/// "unsupported" when the padding happens to fit it.
pub(super) fn decrypt(
    der: &[u8],
    passphrase: Option<&str>,
) -> Result<Zeroizing<Vec<u8>>, TlsError> {
    let info = pkcs8::EncryptedPrivateKeyInfo::try_from(der).map_err(|_| bad_decrypt())?;
    let password = pem_password(passphrase)?;
    kdf_within_limits(&info)?;
    let pkcs5::EncryptionScheme::Pbes2(params) = &info.encryption_algorithm else {
        return Err(bad_decrypt());
    };
    // kdf_within_limits has bounded the work already, as OpenSSL bounds it.
    let plain = pbes2_decrypt(
        params,
        password,
        info.encrypted_data,
        &mut KdfBudget::unbounded(),
    )
    .map_err(|err| match err {
        Pbes2Error::Decrypt(DecryptError::WrongFinalBlockLength) => wrong_final_block_length(),
        Pbes2Error::MemoryLimit => scrypt_memory_exceeded(),
        _ => bad_decrypt(),
    })?;
    if pkcs8::PrivateKeyInfo::try_from(plain.as_slice()).is_err() {
        return Err(decoder_unsupported());
    }
    Ok(plain)
}

/// OpenSSL's limits on the key derivation of an encrypted key, checked before
/// any work: scrypt may use 32 MiB (a key asking for more fails as in Node
/// instead of being allocated: in the guest, a failed allocation of 4 GiB, say,
/// is a trap), and PBKDF2 iteration counts must fit OpenSSL's `int` (a larger one
/// fails at once in Node, where it would run here for hours).
fn kdf_within_limits(info: &pkcs8::EncryptedPrivateKeyInfo<'_>) -> Result<(), TlsError> {
    let Some(pbes2) = info.encryption_algorithm.pbes2() else {
        return Ok(());
    };
    if let Some(pbkdf2) = pbes2.kdf.pbkdf2() {
        if pbkdf2.iteration_count > i32::MAX as u32 {
            return Err(decoder_unsupported());
        }
    }
    match pbes2.kdf.scrypt() {
        Some(params) if !scrypt_memory_fits(params) => Err(scrypt_memory_exceeded()),
        _ => Ok(()),
    }
}
