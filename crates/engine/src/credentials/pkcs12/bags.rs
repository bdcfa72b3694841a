//! The bags of a SafeContents, as OpenSSL's templates read them: keys,
//! shrouded keys, certificates and nested contents taken, the others decoded
//! and skipped; and each bag's localKeyID.

use std::borrow::Cow;

use super::asn1::{self, Reason, Tlv};
use super::content::Algorithm;
use super::oid;
use super::private_key::private_key_info_shape;

/// OpenSSL's nesting limit for constructed values, here for safeContentsBags.
const MAX_BAG_NESTING: usize = 30;

/// `SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT ANY, bagAttributes SET OF Attribute OPTIONAL }`.
pub(super) struct SafeBag<'a> {
    /// What it holds.
    pub(super) value: BagValue<'a>,
    /// Its localKeyID attribute, when it has one.
    pub(super) local_key_id: Option<Vec<u8>>,
}

/// The bags OpenSSL uses; the others are decoded and skipped.
pub(super) enum BagValue<'a> {
    /// A PrivateKeyInfo.
    Key(&'a [u8]),
    /// An EncryptedPrivateKeyInfo.
    ShroudedKey(Algorithm<'a>, Cow<'a, [u8]>),
    /// An X.509 certificate.
    Cert(Cow<'a, [u8]>),
    /// A safeContentsBag.
    Nested(Vec<SafeBag<'a>>),
    Other,
}

impl<'a> SafeBag<'a> {
    /// `SafeContents ::= SEQUENCE OF SafeBag`, nested at most [`MAX_BAG_NESTING`] deep.
    pub(super) fn parse_all(tlv: Tlv<'a>, depth: usize) -> Result<Vec<Self>, Reason> {
        if depth > MAX_BAG_NESTING {
            return Err(Reason::NestedTooDeep);
        }
        let mut seq = tlv.sequence()?;
        let mut bags = Vec::new();
        while let Some(item) = seq.next()? {
            bags.push(Self::parse(item, depth)?);
        }
        Ok(bags)
    }

    /// One bag, its value read at nesting `depth`.
    fn parse(tlv: Tlv<'a>, depth: usize) -> Result<Self, Reason> {
        let mut seq = tlv.sequence()?;
        let bag_id = seq.oid()?;
        let value = seq
            .expect(asn1::context(0))?
            .explicit_then(|value| Self::value(bag_id, value, depth))?;
        let local_key_id = match seq.optional_last(asn1::SET)? {
            Some(set) => local_key_id(set)?,
            None => None,
        };
        seq.finish()?;
        Ok(Self {
            value,
            local_key_id,
        })
    }

    /// The bag's value, read as OpenSSL's template for its type reads it.
    fn value(bag_id: &[u8], value: Tlv<'a>, depth: usize) -> Result<BagValue<'a>, Reason> {
        Ok(if oid::is(bag_id, oid::KEY_BAG) {
            private_key_info_shape(value)?;
            BagValue::Key(value.raw)
        } else if oid::is(bag_id, oid::SHROUDED_KEY_BAG) {
            let mut info = value.sequence()?;
            let algorithm = Algorithm::parse(info.expect(asn1::SEQUENCE)?)?;
            let ciphertext = info.expect(asn1::OCTET_STRING)?.octets()?;
            info.finish()?;
            BagValue::ShroudedKey(algorithm, ciphertext)
        } else if oid::is(bag_id, oid::SAFE_CONTENTS_BAG) {
            BagValue::Nested(Self::parse_all(value, depth + 1)?)
        } else if [oid::CERT_BAG, oid::CRL_BAG, oid::SECRET_BAG]
            .iter()
            .any(|&id| oid::is(bag_id, id))
        {
            // `CertBag`, `CRLBag` and `SecretBag` share OpenSSL's PKCS12_BAGS:
            // `SEQUENCE { type OID, value [0] EXPLICIT ANY DEFINED BY type }`.
            let mut bag = value.sequence()?;
            let kind = bag.oid()?;
            let value = bag.expect(asn1::context(0))?.explicit_then(|inner| {
                if oid::is(kind, oid::X509_CERTIFICATE) || oid::is(kind, oid::X509_CRL) {
                    let octets = inner.expect_tag(asn1::OCTET_STRING)?.octets()?;
                    let is_cert =
                        oid::is(bag_id, oid::CERT_BAG) && oid::is(kind, oid::X509_CERTIFICATE);
                    return Ok(if is_cert {
                        BagValue::Cert(octets)
                    } else {
                        BagValue::Other
                    });
                }
                if oid::is(kind, oid::SDSI_CERTIFICATE) {
                    inner.expect_tag(asn1::IA5_STRING)?;
                }
                Ok(BagValue::Other)
            })?;
            bag.finish()?;
            value
        } else {
            BagValue::Other
        })
    }
}

/// The localKeyID among a bag's attributes (`Attribute ::= SEQUENCE { OID, SET OF ANY }`).
fn local_key_id(set: Tlv<'_>) -> Result<Option<Vec<u8>>, Reason> {
    let mut attributes = set.set()?;
    let mut found = None;
    while let Some(attribute) = attributes.next()? {
        let mut seq = attribute.sequence()?;
        let id = seq.oid()?;
        let mut values = seq.expect(asn1::SET)?.set()?;
        seq.finish()?;
        let first = values.next()?;
        while values.next()?.is_some() {}
        if found.is_none() && oid::is(id, oid::LOCAL_KEY_ID) {
            if let Some(value) = first.filter(|v| v.tag == asn1::OCTET_STRING) {
                found = Some(value.octets()?.into_owned());
            }
        }
    }
    Ok(found)
}
