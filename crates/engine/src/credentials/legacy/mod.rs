//! OpenSSL's traditional encrypted PEM keys: `Proc-Type: 4,ENCRYPTED` and
//! `DEK-Info: <cipher>,<iv hex>` headers over a PKCS#1 or SEC1 key, the cipher
//! key made by `EVP_BytesToKey` (MD5, one round, the IV's first 8 bytes as salt).

use md5::{Digest, Md5};
use zeroize::Zeroizing;

use super::errors::{bad_decrypt, decoder_unsupported, pem_password, wrong_final_block_length};
use super::pbe::{cbc_decrypt, Cbc, DecryptError};
use super::pem::Block;
use crate::TlsError;

#[cfg(test)]
mod tests;

/// Decrypts a block whose header is not empty: the key's DER (PKCS#1 or SEC1,
/// as the label says), wiped when dropped.
pub(super) fn decrypt(
    block: &Block<'_>,
    passphrase: Option<&str>,
) -> Result<Zeroizing<Vec<u8>>, TlsError> {
    // OpenSSL decodes the base64 before it reads the header.
    let ciphertext = block.decode_body().ok_or_else(decoder_unsupported)?;
    let (cipher, iv) = cipher_info(&block.header)?;
    let password = pem_password(passphrase)?;
    // The IV is 8 or 16 bytes: its first 8 are the salt.
    let salt = iv.get(..8).unwrap_or(&iv);
    let key = bytes_to_key(password, salt, cipher.key_len());
    let plain = cbc_decrypt(cipher, &key, &iv, &ciphertext).map_err(|err| match err {
        DecryptError::WrongFinalBlockLength => wrong_final_block_length(),
        DecryptError::BadDecrypt => bad_decrypt(),
    })?;
    // A wrong passphrase whose padding happens to fit leaves bytes no key
    // decoder takes: OpenSSL then says "unsupported".
    if !looks_like_key(&plain) {
        return Err(decoder_unsupported());
    }
    Ok(plain)
}

/// `PEM_get_EVP_CIPHER_INFO`: the cipher and IV named by the header, with
/// OpenSSL's error for each way the header can be wrong.
fn cipher_info(header: &str) -> Result<(Cbc, Vec<u8>), TlsError> {
    let pem_error = |code: &str, hex: &str, reason: &str| {
        TlsError::new(
            format!("ERR_OSSL_PEM_{code}"),
            format!("error:{hex}:PEM routines::{reason}"),
        )
    };
    let rest = header
        .strip_prefix("Proc-Type:")
        .ok_or_else(|| pem_error("NOT_PROC_TYPE", "0480006B", "not proc type"))?;
    // Any other version OpenSSL turns down without a reason of its own.
    let rest = blanks(rest);
    let rest = rest.strip_prefix("4,").ok_or_else(decoder_unsupported)?;
    let rest = blanks(rest);
    let rest = rest
        .strip_prefix("ENCRYPTED")
        .filter(|r| r.starts_with([' ', '\t', '\r', '\n']))
        .ok_or_else(|| pem_error("NOT_ENCRYPTED", "0480006A", "not encrypted"))?;
    let rest = rest
        .trim_start_matches([' ', '\t', '\r'])
        .strip_prefix('\n')
        .ok_or_else(|| pem_error("SHORT_HEADER", "04800070", "short header"))?;
    let rest = rest
        .strip_prefix("DEK-Info:")
        .ok_or_else(|| pem_error("NOT_DEK_INFO", "04800069", "not dek info"))?;
    let rest = blanks(rest);
    // The name runs to a blank or a comma (not a newline: OpenSSL's strcspn).
    let name_end = rest.find([' ', '\t', ',']).unwrap_or(rest.len());
    let (name, after) = rest.split_at_checked(name_end).unwrap_or((rest, ""));
    let cipher = cipher_named(name).ok_or_else(|| {
        pem_error(
            "UNSUPPORTED_ENCRYPTION",
            "04800072",
            "unsupported encryption",
        )
    })?;
    let rest = blanks(after);
    let hex = rest
        .strip_prefix(',')
        .ok_or_else(|| pem_error("MISSING_DEK_IV", "04800081", "missing dek iv"))?;
    // Exactly the IV's length is read; whatever follows is ignored.
    let digits = hex.as_bytes().get(..2 * cipher.block_len());
    let iv = digits
        .and_then(|digits| {
            digits
                .chunks(2)
                .map(|pair| match pair {
                    [high, low] => Some((hex_value(*high)? << 4) | hex_value(*low)?),
                    _ => None,
                })
                .collect::<Option<Vec<u8>>>()
        })
        .ok_or_else(|| pem_error("BAD_IV_CHARS", "04800067", "bad iv chars"))?;
    Ok((cipher, iv))
}

/// The text after the blanks (spaces and tabs) it starts with.
fn blanks(text: &str) -> &str {
    text.trim_start_matches([' ', '\t'])
}

/// The CBC ciphers OpenSSL names in `DEK-Info`, by name or alias, any case.
fn cipher_named(name: &str) -> Option<Cbc> {
    Some(match name.to_ascii_lowercase().as_str() {
        "aes-128-cbc" | "aes128" => Cbc::Aes128,
        "aes-192-cbc" | "aes192" => Cbc::Aes192,
        "aes-256-cbc" | "aes256" => Cbc::Aes256,
        "des-ede3-cbc" | "des3" => Cbc::DesEde3,
        "des-ede-cbc" => Cbc::DesEde,
        "des-cbc" | "des" => Cbc::Des,
        _ => return None,
    })
}

/// One hex digit's value.
fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit).to_digit(16).map(|v| v as u8)
}

/// OpenSSL's `EVP_BytesToKey` with MD5 and one round:
/// D1 = MD5(password ‖ salt), Di = MD5(Di-1 ‖ password ‖ salt), key = D1 ‖ D2 ‖ …
fn bytes_to_key(password: &[u8], salt: &[u8], len: usize) -> Zeroizing<Vec<u8>> {
    let mut key = Zeroizing::new(Vec::with_capacity(len + 16));
    while key.len() < len {
        let start = key.len().saturating_sub(16);
        let mut hash = Md5::new();
        hash.update(key.get(start..).unwrap_or_default());
        hash.update(password);
        hash.update(salt);
        let mut block = hash.finalize();
        key.extend_from_slice(&block);
        zeroize::Zeroize::zeroize(block.as_mut_slice());
    }
    key.truncate(len);
    key
}

/// Whether `der` is one DER SEQUENCE spanning it all that opens with an
/// INTEGER, as PKCS#1 and SEC1 keys do.
fn looks_like_key(der: &[u8]) -> bool {
    let Some((&0x30, rest)) = der.split_first() else {
        return false;
    };
    let Some((&first, rest)) = rest.split_first() else {
        return false;
    };
    let (len, body) = match first {
        0..=0x7f => (usize::from(first), rest),
        0x81..=0x84 => {
            let n = usize::from(first & 0x7f);
            let Some((digits, body)) = rest.split_at_checked(n) else {
                return false;
            };
            let len = digits
                .iter()
                .fold(0usize, |acc, &d| (acc << 8) | usize::from(d));
            (len, body)
        }
        _ => return false,
    };
    len == body.len() && body.first() == Some(&0x02)
}
