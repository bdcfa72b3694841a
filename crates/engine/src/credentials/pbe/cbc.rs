//! Block ciphers in CBC mode with PKCS#7 padding, as OpenSSL names them, and
//! decryption with OpenSSL's two ways of failing.

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockCipher, BlockDecryptMut, InnerIvInit, KeyInit};
use zeroize::Zeroizing;

/// A block cipher in CBC mode, as OpenSSL names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cbc {
    /// AES-128-CBC.
    Aes128,
    /// AES-192-CBC.
    Aes192,
    /// AES-256-CBC.
    Aes256,
    /// DES-EDE3-CBC: three-key triple DES.
    DesEde3,
    /// DES-EDE-CBC: two-key triple DES.
    DesEde,
    /// DES-CBC.
    Des,
    /// RC2-CBC with a key of `key_len` bytes and `effective_bits` effective bits.
    Rc2 {
        /// Key length in bytes.
        key_len: usize,
        /// RC2's effective key length in bits.
        effective_bits: usize,
    },
}

impl Cbc {
    /// The key length in bytes.
    pub(crate) fn key_len(self) -> usize {
        match self {
            Cbc::Aes128 | Cbc::DesEde => 16,
            Cbc::Aes192 | Cbc::DesEde3 => 24,
            Cbc::Aes256 => 32,
            Cbc::Des => 8,
            Cbc::Rc2 { key_len, .. } => key_len,
        }
    }

    /// The block length in bytes, which is also the IV's.
    pub(crate) fn block_len(self) -> usize {
        match self {
            Cbc::Aes128 | Cbc::Aes192 | Cbc::Aes256 => 16,
            _ => 8,
        }
    }

    /// OpenSSL's first check of a ciphertext: whole blocks, at least one.
    pub(crate) fn check_length(self, ciphertext: &[u8]) -> Result<(), DecryptError> {
        if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(self.block_len()) {
            return Err(DecryptError::WrongFinalBlockLength);
        }
        Ok(())
    }
}

/// Why a decryption failed, in OpenSSL's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecryptError {
    /// The ciphertext is empty or not whole blocks ("wrong final block length").
    WrongFinalBlockLength,
    /// The padding is wrong, nearly always for a wrong passphrase ("bad decrypt").
    BadDecrypt,
}

/// Decrypts `ciphertext` and strips its PKCS#7 padding. The plaintext is
/// wiped when dropped.
pub(crate) fn cbc_decrypt(
    cipher: Cbc,
    key: &[u8],
    iv: &[u8],
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, DecryptError> {
    cipher.check_length(ciphertext)?;
    let mut buf = Zeroizing::new(ciphertext.to_vec());
    // The decrypting halves of AES are the types pkcs5 decrypts PBES2 with:
    // one copy of each cipher serves both in the guest.
    let len = match cipher {
        Cbc::Aes128 => unpad(aes::Aes128Dec::new_from_slice(key).ok(), iv, &mut buf),
        Cbc::Aes192 => unpad(aes::Aes192Dec::new_from_slice(key).ok(), iv, &mut buf),
        Cbc::Aes256 => unpad(aes::Aes256Dec::new_from_slice(key).ok(), iv, &mut buf),
        Cbc::DesEde3 => unpad(des::TdesEde3::new_from_slice(key).ok(), iv, &mut buf),
        Cbc::DesEde => unpad(des::TdesEde2::new_from_slice(key).ok(), iv, &mut buf),
        Cbc::Des => unpad(des::Des::new_from_slice(key).ok(), iv, &mut buf),
        Cbc::Rc2 { effective_bits, .. } => {
            // rc2 indexes a 128-byte table with the key: never longer.
            let rc2 = (key.len() <= 128 && effective_bits <= 1024)
                .then(|| rc2::Rc2::new_with_eff_key_len(key, effective_bits));
            unpad(rc2, iv, &mut buf)
        }
    }?;
    buf.truncate(len);
    Ok(buf)
}

/// CBC-decrypts `buf` in place; the plaintext's length.
fn unpad<C: BlockCipher + BlockDecryptMut>(
    cipher: Option<C>,
    iv: &[u8],
    buf: &mut [u8],
) -> Result<usize, DecryptError> {
    let cipher = cipher.ok_or(DecryptError::BadDecrypt)?;
    let decryptor =
        cbc::Decryptor::inner_iv_slice_init(cipher, iv).map_err(|_| DecryptError::BadDecrypt)?;
    decryptor
        .decrypt_padded_mut::<Pkcs7>(buf)
        .map(<[u8]>::len)
        .map_err(|_| DecryptError::BadDecrypt)
}
