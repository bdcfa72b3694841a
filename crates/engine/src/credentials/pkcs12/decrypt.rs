//! Decryption of an encrypted safe or shrouded key as `PKCS12_pbe_crypt`
//! does it: PBES2, or one of PKCS#12's own SHA-1 PBEs.

use std::borrow::Cow;

use zeroize::Zeroizing;

use super::asn1::{self, Reason, Tlv};
use super::content::Algorithm;
use super::errors::{decrypt_error, openssl_reason, reason, unsupported};
use super::hash::Hash;
use super::kdf::{self, KdfId};
use super::password::Password;
use super::{oid, pbes2_params};
use crate::credentials::pbe::{cbc_decrypt, pbes2_decrypt, Cbc, KdfBudget, Pbes2Error};
use crate::TlsError;

/// Decrypts one encrypted content (a safe, or a shrouded key) as
/// `PKCS12_pbe_crypt` does: PBES2, or one of PKCS#12's own SHA-1 PBEs.
pub(super) fn decrypt(
    algorithm: &Algorithm<'_>,
    ciphertext: &[u8],
    password: Password<'_>,
    budget: &mut KdfBudget,
) -> Result<Zeroizing<Vec<u8>>, TlsError> {
    if oid::is(algorithm.oid, oid::PBES2) {
        pbes2_params::check(algorithm.parameters)?;
        let scheme = pkcs5::EncryptionScheme::try_from(algorithm.raw).map_err(|_| unsupported())?;
        let pkcs5::EncryptionScheme::Pbes2(params) = scheme else {
            return Err(unsupported());
        };
        return pbes2_decrypt(&params, password.utf8(), ciphertext, budget).map_err(
            |err| match err {
                Pbes2Error::Decrypt(err) => decrypt_error(err),
                Pbes2Error::MemoryLimit => openssl_reason("memory limit exceeded"),
                Pbes2Error::Unsupported | Pbes2Error::OverLimit => unsupported(),
            },
        );
    }
    let cipher = match algorithm.oid.strip_prefix(oid::PKCS12_PBE_ARC) {
        Some([3]) => Cbc::DesEde3,
        Some([4]) => Cbc::DesEde,
        Some([5]) => Cbc::Rc2 {
            key_len: 16,
            effective_bits: 128,
        },
        Some([6]) => Cbc::Rc2 {
            key_len: 5,
            effective_bits: 40,
        },
        // RC4, and PKCS #5 v1.5's DES and RC2 PBEs: OpenSSL 3 knows them, but
        // only its legacy provider (not loaded by Node) has them.
        Some([1 | 2]) => return Err(unsupported()),
        _ if algorithm.oid.starts_with(oid::PKCS5_ARC) => return Err(unsupported()),
        _ => return Err(openssl_reason("unknown pbe algorithm")),
    };
    let (salt, iterations) = pbe_parameters(algorithm.parameters)?;
    let iterations = u64::try_from(iterations.max(1)).unwrap_or(1);
    let key = kdf::derive(
        Hash::Sha1,
        KdfId::Key,
        password,
        &salt,
        iterations,
        cipher.key_len(),
        budget,
    )?;
    let iv = kdf::derive(
        Hash::Sha1,
        KdfId::Iv,
        password,
        &salt,
        iterations,
        cipher.block_len(),
        budget,
    )?;
    cbc_decrypt(cipher, &key, &iv, ciphertext).map_err(decrypt_error)
}

/// `PBEParameter ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }`;
/// OpenSSL says "decode error" when it is missing or malformed.
fn pbe_parameters<'a>(parameters: Option<Tlv<'a>>) -> Result<(Cow<'a, [u8]>, i64), TlsError> {
    let decode_error = |_| openssl_reason("decode error");
    let tlv = parameters
        .ok_or(Reason::DecodeError)
        .map_err(decode_error)?;
    let mut seq = tlv
        .expect_tag(asn1::SEQUENCE)
        .and_then(|t| t.sequence())
        .map_err(decode_error)?;
    let salt = seq
        .expect(asn1::OCTET_STRING)
        .and_then(|t| t.octets())
        .map_err(reason)?;
    let iterations = seq
        .expect(asn1::INTEGER)
        .and_then(|t| t.integer_value())
        .map_err(reason)?;
    seq.finish().map_err(reason)?;
    Ok((salt, iterations))
}
