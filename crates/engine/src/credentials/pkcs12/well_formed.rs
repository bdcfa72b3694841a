//! OpenSSL's checks of everything under an element it decodes but does not
//! read field by field: headers and lengths, primitive forms, and the contents
//! of the universal types it looks into.

use super::asn1::{Reason, Tlv, MAX_NESTING};

/// Checks every element under `tlv`, in document order, as OpenSSL's
/// decoders check what they read: headers and lengths, primitive forms, and
/// the contents of the universal types they look into. Constructed
/// elements are entered (at most [`MAX_NESTING`] deep), never OCTET or BIT
/// STRING contents. Iterative, so no input can exhaust the stack.
pub(super) fn walk(tlv: Tlv<'_>) -> Result<(), Reason> {
    check_primitive(tlv)?;
    if !tlv.constructed {
        return Ok(());
    }
    let mut open = vec![tlv.contents()];
    while let Some(top) = open.last_mut() {
        let Some(child) = top.next()? else {
            open.pop();
            continue;
        };
        check_primitive(child)?;
        if child.constructed {
            if open.len() >= MAX_NESTING as usize {
                return Err(Reason::NestedTooDeep);
            }
            open.push(child.contents());
        }
    }
    Ok(())
}

/// `asn1_ex_c2i`'s checks of one universal element.
fn check_primitive(tlv: Tlv<'_>) -> Result<(), Reason> {
    if tlv.tag.class != 0 {
        return Ok(());
    }
    let body = tlv.body;
    let fails = |bad: bool, reason| if bad { Err(reason) } else { Ok(()) };
    match tlv.tag.number {
        1 | 2 | 5 | 6 | 10 if tlv.constructed => Err(Reason::TypeNotPrimitive),
        _ if tlv.constructed => Ok(()),
        1 => fails(body.len() != 1, Reason::BooleanIsWrongLength),
        2 | 10 => tlv.integer_bytes().map(drop),
        5 => fails(!body.is_empty(), Reason::NullIsWrongLength),
        6 => tlv.oid_bytes().map(drop),
        3 => match body.first() {
            None => Err(Reason::StringTooShort),
            Some(&unused) => fails(unused > 7, Reason::InvalidBitStringBitsLeft),
        },
        12 => fails(
            std::str::from_utf8(body).is_err(),
            Reason::InvalidUtf8String,
        ),
        28 => fails(
            !body.len().is_multiple_of(4),
            Reason::UniversalStringIsWrongLength,
        ),
        30 => fails(
            !body.len().is_multiple_of(2),
            Reason::BmpStringIsWrongLength,
        ),
        _ => Ok(()),
    }
}
