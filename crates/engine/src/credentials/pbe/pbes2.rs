//! PBES2 (PKCS #5 v2) decryption: PBKDF2 or scrypt makes the key from the
//! password, a CBC cipher decrypts. The `pkcs5` crate does the work; this
//! module first refuses what it must not be given, in OpenSSL's order (a key
//! length other than the cipher's, an scrypt cost that is not a power of two
//! or that needs more memory than OpenSSL allows, derivations over the
//! budget), and names its failures as OpenSSL does.

use pkcs5::pbes2::{self, EncryptionScheme, Kdf, Pbkdf2Prf};
use zeroize::Zeroizing;

use super::budget::KdfBudget;
use super::cbc::{Cbc, DecryptError};

/// Why a PBES2 decryption failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pbes2Error {
    /// A key length or scrypt parameter this engine does not take.
    Unsupported,
    /// Over the budget's limits.
    OverLimit,
    /// scrypt asks for more than OpenSSL's 32 MiB.
    MemoryLimit,
    /// The decryption itself failed.
    Decrypt(DecryptError),
}

/// Whether scrypt's memory, counted as OpenSSL counts it (128·r·p bytes of
/// B, 128·r·(N+2) of V and X), fits OpenSSL's 32 MiB.
pub(crate) fn scrypt_memory_fits(params: &pbes2::ScryptParams<'_>) -> bool {
    const MAX_MEM: u128 = 32 * 1024 * 1024;
    let n = u128::from(params.cost_parameter);
    let r = u128::from(params.block_size);
    let p = u128::from(params.parallelization);
    128 * r * p + 128 * r * (n + 2) <= MAX_MEM
}

/// Decrypts `ciphertext` under `params` with `password`, the derivation
/// charged to `budget` first. The plaintext is wiped when dropped (pkcs5 0.7
/// keeps the derived key in a stack buffer it does not wipe, as the hashes'
/// own state never was).
pub(crate) fn pbes2_decrypt(
    params: &pbes2::Parameters<'_>,
    password: &[u8],
    ciphertext: &[u8],
    budget: &mut KdfBudget,
) -> Result<Zeroizing<Vec<u8>>, Pbes2Error> {
    let cipher = match params.encryption {
        EncryptionScheme::Aes128Cbc { .. } => Cbc::Aes128,
        EncryptionScheme::Aes192Cbc { .. } => Cbc::Aes192,
        EncryptionScheme::Aes256Cbc { .. } => Cbc::Aes256,
        EncryptionScheme::DesEde3Cbc { .. } => Cbc::DesEde3,
        EncryptionScheme::DesCbc { .. } => Cbc::Des,
        _ => return Err(Pbes2Error::Unsupported),
    };
    let key_len = cipher.key_len();
    if params
        .kdf
        .key_length()
        .is_some_and(|len| usize::from(len) != key_len)
    {
        return Err(Pbes2Error::Unsupported);
    }
    charge_derivation(&params.kdf, key_len, budget)?;
    let mut buf = Zeroizing::new(ciphertext.to_vec());
    let len = params
        .decrypt_in_place(password, &mut buf)
        .map_err(|err| match err {
            // pkcs5 reports every failed decryption as a failed encryption,
            // after the key derivation, as OpenSSL fails after it too: first
            // for a ciphertext that is not whole blocks, else for the padding.
            pkcs5::Error::DecryptFailed | pkcs5::Error::EncryptFailed => Pbes2Error::Decrypt(
                cipher
                    .check_length(ciphertext)
                    .err()
                    .unwrap_or(DecryptError::BadDecrypt),
            ),
            _ => Pbes2Error::Unsupported,
        })?
        .len();
    buf.truncate(len);
    Ok(buf)
}

/// Checks the derivation before any of it is done, and charges it to
/// `budget`: what pkcs5 would not refuse, or would refuse only after the
/// work, is refused here first.
fn charge_derivation(
    kdf: &Kdf<'_>,
    key_len: usize,
    budget: &mut KdfBudget,
) -> Result<(), Pbes2Error> {
    match kdf {
        Kdf::Pbkdf2(kdf) => {
            let hash_len: usize = match kdf.prf {
                Pbkdf2Prf::HmacWithSha1 => 20,
                Pbkdf2Prf::HmacWithSha224 => 28,
                Pbkdf2Prf::HmacWithSha256 => 32,
                Pbkdf2Prf::HmacWithSha384 => 48,
                Pbkdf2Prf::HmacWithSha512 => 64,
                _ => return Err(Pbes2Error::Unsupported),
            };
            let blocks = key_len.div_ceil(hash_len) as u64;
            budget
                .charge(u64::from(kdf.iteration_count), blocks)
                .map_err(|_| Pbes2Error::OverLimit)
        }
        Kdf::Scrypt(kdf) => {
            let n = kdf.cost_parameter;
            // N = 0 would make pkcs5's own check of N overflow.
            if n < 2 || !n.is_power_of_two() {
                return Err(Pbes2Error::Unsupported);
            }
            if !scrypt_memory_fits(kdf) {
                return Err(Pbes2Error::MemoryLimit);
            }
            let (r, p) = (u64::from(kdf.block_size), u64::from(kdf.parallelization));
            let work = n.saturating_mul(r).saturating_mul(p);
            budget.charge(work, 1).map_err(|_| Pbes2Error::OverLimit)
        }
        _ => Err(Pbes2Error::Unsupported),
    }
}
