//! PBES2's parameters checked in OpenSSL's order and with its errors
//! (`PKCS5_v2_PBE_keyivgen`, `PKCS5_v2_PBKDF2_keyivgen`), before PKCS #5's
//! parser reads them for the derivation.

use pkcs8::der::asn1::ObjectIdentifier as Oid;

use super::asn1::{self, Reason, Tlv};
use super::content::Algorithm;
use super::errors::{openssl_reason, reason, unsupported};
use crate::TlsError;

const PBKDF2: Oid = Oid::new_unwrap("1.2.840.113549.1.5.12");
const SCRYPT: Oid = Oid::new_unwrap("1.3.6.1.4.1.11591.4.11");
/// The ciphers this engine has, with their key and IV lengths.
const CIPHERS: [(Oid, usize, usize); 5] = [
    (Oid::new_unwrap("2.16.840.1.101.3.4.1.2"), 16, 16),
    (Oid::new_unwrap("2.16.840.1.101.3.4.1.22"), 24, 16),
    (Oid::new_unwrap("2.16.840.1.101.3.4.1.42"), 32, 16),
    (Oid::new_unwrap("1.2.840.113549.3.7"), 24, 8),
    (Oid::new_unwrap("1.3.14.3.2.7"), 8, 8),
];
/// hmacWithSHA1, SHA224, SHA256, SHA384, SHA512 (`.7` to `.11`), which this
/// engine has, and SHA512-224 and SHA512-256 (`.12`, `.13`), which OpenSSL has.
const HMAC_ARC: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02];

/// Checks the PBES2 parameters; `Ok` means PKCS #5 may read them.
pub(super) fn check(parameters: Option<Tlv<'_>>) -> Result<(), TlsError> {
    let decode_error = || openssl_reason("decode error");
    // ASN1_TYPE_unpack_sequence: anything but a SEQUENCE is "decode error".
    let params = parameters
        .filter(|p| p.tag == asn1::SEQUENCE && p.constructed)
        .ok_or_else(decode_error)?;
    let (kdf, cipher) = (|| {
        let mut seq = params.sequence()?;
        let kdf = Algorithm::parse(seq.expect(asn1::SEQUENCE)?)?;
        let cipher = Algorithm::parse(seq.expect(asn1::SEQUENCE)?)?;
        seq.finish()?;
        Ok((kdf, cipher))
    })()
    .map_err(reason)?;
    let is_pbkdf2 = kdf.oid == PBKDF2.as_bytes();
    if !is_pbkdf2 && kdf.oid != SCRYPT.as_bytes() {
        return Err(openssl_reason("unsupported key derivation function"));
    }
    // OpenSSL's failed cipher fetch (for any name) is what Node reports.
    let Some(&(_, key_len, iv_len)) = CIPHERS.iter().find(|(id, ..)| id.as_bytes() == cipher.oid)
    else {
        return Err(unsupported());
    };
    match cipher.parameters {
        Some(iv) if iv.tag == asn1::OCTET_STRING && !iv.constructed => {
            if iv.body.len() != iv_len {
                return Err(openssl_reason("cipher parameter error"));
            }
        }
        _ => return Err(openssl_reason("data is wrong")),
    }
    let kdf_params = kdf
        .parameters
        .filter(|p| p.tag == asn1::SEQUENCE && p.constructed)
        .ok_or_else(decode_error)?;
    if is_pbkdf2 {
        pbkdf2(kdf_params, key_len)
    } else {
        scrypt(kdf_params)
    }
}

/// `PBKDF2-params ::= SEQUENCE { salt, iterationCount, keyLength OPTIONAL, prf DEFAULT hmacWithSHA1 }`.
fn pbkdf2(params: Tlv<'_>, key_len: usize) -> Result<(), TlsError> {
    let (salt, key_length, prf) = (|| {
        let mut seq = params.sequence()?;
        let salt = seq.next()?.ok_or(Reason::FieldMissing)?;
        seq.integer()?;
        let key_length = match seq.optional(asn1::INTEGER)? {
            Some(tlv) => Some(tlv.integer_value()?),
            None => None,
        };
        let prf = match seq.optional_last(asn1::SEQUENCE)? {
            Some(tlv) => Some(Algorithm::parse(tlv)?.oid),
            None => None,
        };
        seq.finish()?;
        Ok((salt, key_length, prf))
    })()
    .map_err(reason)?;
    if key_length.is_some_and(|len| len != key_len as i64) {
        return Err(openssl_reason("unsupported keylength"));
    }
    if let Some(prf) = prf {
        match prf.strip_prefix(HMAC_ARC) {
            Some([7..=11]) => {}
            Some([12 | 13]) => return Err(unsupported()),
            _ => return Err(openssl_reason("unsupported prf")),
        }
    }
    if salt.tag != asn1::OCTET_STRING {
        return Err(openssl_reason("unsupported salt type"));
    }
    Ok(())
}

/// `scrypt-params ::= SEQUENCE { salt, costParameter, blockSize, parallelizationParameter, keyLength OPTIONAL }`.
fn scrypt(params: Tlv<'_>) -> Result<(), TlsError> {
    (|| {
        let mut seq = params.sequence()?;
        seq.expect(asn1::OCTET_STRING)?;
        for _ in 0..3 {
            seq.integer()?;
        }
        seq.optional_last(asn1::INTEGER)?;
        seq.finish()
    })()
    .map_err(reason)
}
