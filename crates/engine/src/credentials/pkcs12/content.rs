//! The structures around a bundle's contents, as OpenSSL's templates read
//! them: `ContentInfo`, `EncryptedData`, `AlgorithmIdentifier` and `MacData`.

use std::borrow::Cow;

use super::asn1::{self, Reason, Tlv};
use super::oid;

/// `ContentInfo`, as OpenSSL's PKCS7 type reads it for the types PKCS#12 uses.
pub(super) enum ContentInfo<'a> {
    /// `data`: its octets, when present.
    Data(Option<Cow<'a, [u8]>>),
    /// `encryptedData`: its algorithm and ciphertext, when present.
    Encrypted(Option<Encrypted<'a>>),
    /// Any other type: skipped, as OpenSSL skips it.
    Other,
}

/// An encrypted content: the algorithm and the ciphertext.
pub(super) struct Encrypted<'a> {
    /// How it is encrypted.
    pub(super) algorithm: Algorithm<'a>,
    /// The ciphertext, when present.
    pub(super) ciphertext: Option<Cow<'a, [u8]>>,
}

/// `AlgorithmIdentifier`: the encoded OID and its parameters.
#[derive(Clone, Copy)]
pub(super) struct Algorithm<'a> {
    /// The algorithm's OID, encoded.
    pub(super) oid: &'a [u8],
    /// Its parameters, when present.
    pub(super) parameters: Option<Tlv<'a>>,
    /// The whole encoding, for the PKCS #5 parser.
    pub(super) raw: &'a [u8],
}

/// `MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }`.
pub(super) struct MacData<'a> {
    /// The digest's OID, encoded.
    pub(super) digest: &'a [u8],
    /// The MAC.
    pub(super) value: Cow<'a, [u8]>,
    /// The key derivation's salt.
    pub(super) salt: Cow<'a, [u8]>,
    /// The key derivation's iterations.
    pub(super) iterations: i64,
}

impl<'a> ContentInfo<'a> {
    /// `ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY OPTIONAL }`.
    pub(super) fn parse(tlv: Tlv<'a>) -> Result<Self, Reason> {
        let mut seq = tlv.sequence()?;
        let content_type = seq.oid()?;
        let is_data = oid::is(content_type, oid::DATA);
        let is_encrypted = oid::is(content_type, oid::ENCRYPTED_DATA);
        let content = match seq.optional_last(asn1::context(0))? {
            Some(explicit) => Some(explicit.explicit_then(|inner| {
                Ok(if is_data {
                    Self::Data(Some(inner.expect_tag(asn1::OCTET_STRING)?.octets()?))
                } else if is_encrypted {
                    Self::Encrypted(Some(Encrypted::parse(inner)?))
                } else {
                    Self::Other
                })
            })?),
            None => None,
        };
        seq.finish()?;
        Ok(content.unwrap_or(if is_data {
            Self::Data(None)
        } else if is_encrypted {
            Self::Encrypted(None)
        } else {
            Self::Other
        }))
    }
}

impl<'a> Encrypted<'a> {
    /// `EncryptedData ::= SEQUENCE { version, EncryptedContentInfo }`, and
    /// `EncryptedContentInfo ::= SEQUENCE { contentType, algorithm, [0] IMPLICIT OCTET STRING OPTIONAL }`.
    pub(super) fn parse(tlv: Tlv<'a>) -> Result<Self, Reason> {
        let mut seq = tlv.sequence()?;
        seq.integer()?;
        let mut info = seq.expect(asn1::SEQUENCE)?.sequence()?;
        seq.finish()?;
        info.oid()?;
        let algorithm = Algorithm::parse(info.expect(asn1::SEQUENCE)?)?;
        let ciphertext = match info.optional_last(asn1::context(0))? {
            Some(tlv) => Some(tlv.octets()?),
            None => None,
        };
        info.finish()?;
        Ok(Self {
            algorithm,
            ciphertext,
        })
    }
}

impl<'a> Algorithm<'a> {
    /// `AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }`.
    pub(super) fn parse(tlv: Tlv<'a>) -> Result<Self, Reason> {
        let mut seq = tlv.sequence()?;
        let oid = seq.oid()?;
        let parameters = seq.next()?;
        seq.finish()?;
        Ok(Self {
            oid,
            parameters,
            raw: tlv.raw,
        })
    }
}

impl<'a> MacData<'a> {
    /// The MAC, its salt and its iteration count (one when absent).
    pub(super) fn parse(tlv: Tlv<'a>) -> Result<Self, Reason> {
        let mut seq = tlv.sequence()?;
        let mut digest_info = seq.expect(asn1::SEQUENCE)?.sequence()?;
        let digest = Algorithm::parse(digest_info.expect(asn1::SEQUENCE)?)?.oid;
        let value = digest_info.expect(asn1::OCTET_STRING)?.octets()?;
        digest_info.finish()?;
        let salt = seq.expect(asn1::OCTET_STRING)?.octets()?;
        let iterations = match seq.optional_last(asn1::INTEGER)? {
            Some(tlv) => tlv.integer_value()?,
            None => 1,
        };
        seq.finish()?;
        Ok(Self {
            digest,
            value,
            salt,
            iterations,
        })
    }
}
