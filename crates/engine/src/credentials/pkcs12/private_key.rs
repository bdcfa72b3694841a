//! The private key of a bundle: whether OpenSSL's decoder would take it,
//! and the public key bits its certificate must hold.

use rustls::pki_types::PrivateKeyDer;
use zeroize::Zeroizing;

use super::asn1::{self, Reason, Tlv};
use super::content::Algorithm;
use super::errors::unsupported;
use super::oid;
use crate::der;
use crate::TlsError;

/// A decrypted or plain PKCS#8 key that OpenSSL's decoder would take: a
/// PrivateKeyInfo whose RSA or EC key decodes. Else OpenSSL's failed key
/// decoding is what Node reports: "Unsupported PKCS12 PFX data".
pub(super) fn checked_key(key: Zeroizing<Vec<u8>>) -> Result<Zeroizing<Vec<u8>>, TlsError> {
    let info = pkcs8::PrivateKeyInfo::try_from(key.as_slice()).map_err(|_| unsupported())?;
    let inner = || asn1::outer_tlv(info.private_key).and_then(Tlv::sequence);
    let fits = match info.algorithm.oid {
        // RSAPrivateKey: version, n, e, d, p, q, dP, dQ, qInv (, other primes).
        oid::RSA_ENCRYPTION => inner()
            .and_then(|mut seq| (0..9).try_for_each(|_| seq.integer().map(drop)))
            .is_ok(),
        // ECPrivateKey: version, privateKey, [0] parameters, [1] publicKey.
        oid::EC_PUBLIC_KEY => inner()
            .and_then(|mut seq| {
                seq.integer()?;
                seq.expect(asn1::OCTET_STRING).map(drop)
            })
            .is_ok(),
        _ => true,
    };
    if !fits {
        return Err(unsupported());
    }
    Ok(key)
}

/// The subjectPublicKey bits the certificate of a PKCS#8 key must hold, as
/// OpenSSL's `X509_check_private_key` compares them: from the key's own
/// encoding for RSA (n, e) and EC (its publicKey), else from rustls's ring
/// provider when it loads the key.
pub(super) fn key_public_bits(pkcs8_der: &[u8]) -> Option<Vec<u8>> {
    let info = pkcs8::PrivateKeyInfo::try_from(pkcs8_der).ok()?;
    if let Some(bits) = key_public_bits_in(&info) {
        return Some(bits);
    }
    let key = Zeroizing::new(PrivateKeyDer::Pkcs8(pkcs8_der.to_vec().into()));
    let signing = rustls::crypto::ring::sign::any_supported_type(&key).ok()?;
    let spki = signing.public_key()?;
    let mut seq = asn1::outer_tlv(spki.as_ref()).ok()?.sequence().ok()?;
    seq.expect(asn1::SEQUENCE).ok()?;
    Some(seq.expect(asn1::BIT_STRING).ok()?.body.get(1..)?.to_vec())
}

/// The public key bits a PKCS#8 key carries itself: RSA's n and e, EC's publicKey.
fn key_public_bits_in(info: &pkcs8::PrivateKeyInfo<'_>) -> Option<Vec<u8>> {
    let inner = || {
        asn1::outer_tlv(info.private_key)
            .and_then(Tlv::sequence)
            .ok()
    };
    match info.algorithm.oid {
        oid::RSA_ENCRYPTION => {
            let mut seq = inner()?;
            seq.integer().ok()?;
            let n = seq.expect(asn1::INTEGER).ok()?;
            let e = seq.expect(asn1::INTEGER).ok()?;
            Some(der::sequence(&[n.raw, e.raw]))
        }
        oid::EC_PUBLIC_KEY => {
            let mut seq = inner()?;
            seq.integer().ok()?;
            seq.expect(asn1::OCTET_STRING).ok()?;
            while let Ok(Some(field)) = seq.next() {
                if field.tag == asn1::context(1) {
                    let bits = field
                        .explicit_then(|bits| bits.expect_tag(asn1::BIT_STRING))
                        .ok()?;
                    return Some(bits.body.get(1..)?.to_vec());
                }
            }
            None
        }
        _ => None,
    }
}

/// `PrivateKeyInfo` as OpenSSL 3.0's template has it: `SEQUENCE { version
/// INTEGER, algorithm AlgorithmIdentifier, privateKey OCTET STRING,
/// attributes [0] IMPLICIT SET OF Attribute OPTIONAL }`.
pub(super) fn private_key_info_shape(tlv: Tlv<'_>) -> Result<(), Reason> {
    let mut seq = tlv.sequence()?;
    seq.integer()?;
    Algorithm::parse(seq.expect(asn1::SEQUENCE)?)?;
    seq.expect(asn1::OCTET_STRING)?.octets()?;
    seq.optional_last(asn1::context(0))?;
    seq.finish()
}
