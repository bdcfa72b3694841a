//! Certificates as OpenSSL's X.509 template reads them, in document order and
//! with its reasons: the structure's tags, the primitive encodings, and the
//! string types a name may hold. What it yields is the subjectPublicKey bits.

use super::asn1::{self, Reason, Tlv};
use super::well_formed::walk;

/// The subjectPublicKey bits of an X.509 certificate, or why OpenSSL refuses it.
pub(super) fn public_key_bits(der: &[u8]) -> Result<Vec<u8>, Reason> {
    let mut cert = asn1::outer_tlv(der)?.sequence()?;
    let mut tbs = cert.expect(asn1::SEQUENCE)?.sequence()?;
    if let Some(version) = tbs.optional(asn1::context(0))? {
        version.explicit_then(|v| v.expect_tag(asn1::INTEGER)?.integer_bytes().map(drop))?;
    }
    tbs.integer()?;
    algorithm(tbs.expect(asn1::SEQUENCE)?)?;
    name(tbs.expect(asn1::SEQUENCE)?)?;
    let mut validity = tbs.expect(asn1::SEQUENCE)?.sequence()?;
    for _ in 0..2 {
        let time = validity.next()?.ok_or(Reason::FieldMissing)?;
        mstring(time, &[23, 24])?;
    }
    validity.finish()?;
    name(tbs.expect(asn1::SEQUENCE)?)?;
    let mut spki = tbs.expect(asn1::SEQUENCE)?.sequence()?;
    algorithm(spki.expect(asn1::SEQUENCE)?)?;
    let bits = spki.expect(asn1::BIT_STRING)?;
    walk(bits)?;
    spki.finish()?;
    for unique_id in [1, 2] {
        tbs.optional(asn1::context(unique_id))?;
    }
    if let Some(extensions) = tbs.optional_last(asn1::context(3))? {
        extensions.explicit_then(|list| {
            let mut list = list.sequence()?;
            while let Some(extension) = list.next()? {
                let mut fields = extension.sequence()?;
                fields.oid()?;
                if let Some(critical) = fields.optional(asn1::BOOLEAN)? {
                    walk(critical)?;
                }
                fields.expect(asn1::OCTET_STRING)?;
                fields.finish()?;
            }
            Ok(())
        })?;
    }
    tbs.finish()?;
    algorithm(cert.expect(asn1::SEQUENCE)?)?;
    walk(cert.expect(asn1::BIT_STRING)?)?;
    cert.finish()?;
    Ok(bits.body.get(1..).unwrap_or_default().to_vec())
}

/// `AlgorithmIdentifier`: an OID and any parameters.
fn algorithm(tlv: Tlv<'_>) -> Result<(), Reason> {
    let mut seq = tlv.sequence()?;
    seq.oid()?;
    if let Some(parameters) = seq.next()? {
        walk(parameters)?;
    }
    seq.finish()
}

/// `Name ::= SEQUENCE OF SET OF SEQUENCE { type OID, value }`, each value
/// one of the string types OpenSSL's `ASN1_PRINTABLE` takes.
fn name(tlv: Tlv<'_>) -> Result<(), Reason> {
    const PRINTABLE: &[u32] = &[12, 16, 18, 19, 20, 21, 22, 25, 26, 27, 28, 30];
    let mut rdns = tlv.sequence()?;
    while let Some(rdn) = rdns.next()? {
        let mut entries = rdn.set()?;
        while let Some(entry) = entries.next()? {
            let mut fields = entry.sequence()?;
            fields.oid()?;
            mstring(fields.next()?.ok_or(Reason::FieldMissing)?, PRINTABLE)?;
            fields.finish()?;
        }
    }
    Ok(())
}

/// OpenSSL's MSTRING: a universal type among `allowed`, well formed.
fn mstring(tlv: Tlv<'_>, allowed: &[u32]) -> Result<(), Reason> {
    if tlv.tag.class != 0 {
        return Err(Reason::MstringNotUniversal);
    }
    if !allowed.contains(&tlv.tag.number) {
        return Err(Reason::MstringWrongTag);
    }
    walk(tlv)
}
