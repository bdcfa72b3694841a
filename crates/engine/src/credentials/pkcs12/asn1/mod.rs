//! A BER reader that refuses what OpenSSL's ASN.1 decoder refuses, with its
//! reason strings. Lengths are checked against what is there before use,
//! indefinite lengths are followed without recursion, and nesting is capped.

mod reason;

use std::borrow::Cow;

pub(super) use reason::Reason;

/// A tag: its class (0 universal to 3 private) and number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tag {
    pub class: u8,
    pub number: u32,
}

/// A universal tag.
const fn universal(number: u32) -> Tag {
    Tag { class: 0, number }
}

pub(super) const BOOLEAN: Tag = universal(1);
pub(super) const INTEGER: Tag = universal(2);
pub(super) const BIT_STRING: Tag = universal(3);
pub(super) const OCTET_STRING: Tag = universal(4);
pub(super) const OBJECT_IDENTIFIER: Tag = universal(6);
pub(super) const SEQUENCE: Tag = universal(16);
pub(super) const SET: Tag = universal(17);
pub(super) const IA5_STRING: Tag = universal(22);

/// A context-specific tag, `[n]`.
pub(super) const fn context(number: u32) -> Tag {
    Tag { class: 2, number }
}

/// One element: its tag, whether constructed, its contents (without an
/// indefinite form's end-of-contents), and its whole encoding.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tlv<'a> {
    pub tag: Tag,
    pub constructed: bool,
    pub body: &'a [u8],
    pub raw: &'a [u8],
}

/// The most indefinite-length levels followed (OpenSSL's ASN1_MAX_CONSTRUCTED_NEST).
pub(super) const MAX_NESTING: u32 = 30;
/// The most levels of constructed strings (OpenSSL's ASN1_MAX_STRING_NEST).
const MAX_STRING_NESTING: usize = 5;

/// A header: tag, constructed bit, length (`None`: indefinite), and its size.
struct Header {
    tag: Tag,
    constructed: bool,
    length: Option<u64>,
    size: usize,
}

/// `ASN1_get_object`'s header rules over `input` (all that may be read):
/// it wants a byte after the tag; an indefinite length must be constructed.
fn header(input: &[u8]) -> Result<Header, Reason> {
    let mut pos = 0usize;
    let byte = |pos: usize| input.get(pos).copied().ok_or(Reason::HeaderTooLong);
    let first = byte(pos)?;
    let constructed = first & 0x20 != 0;
    let class = first >> 6;
    let mut number = u32::from(first & 0x1f);
    pos += 1;
    if number == 0x1f {
        number = 0;
        loop {
            let b = byte(pos)?;
            pos += 1;
            if number > (i32::MAX as u32) >> 7 {
                return Err(Reason::HeaderTooLong);
            }
            number = (number << 7) | u32::from(b & 0x7f);
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    if pos >= input.len() {
        return Err(Reason::HeaderTooLong);
    }
    let len_byte = byte(pos)?;
    pos += 1;
    let length = if len_byte == 0x80 {
        if !constructed {
            return Err(Reason::HeaderTooLong);
        }
        None
    } else if len_byte & 0x80 != 0 {
        let count = usize::from(len_byte & 0x7f);
        // OpenSSL 3.5 reads a long-form length to the input's end (3.0
        // wanted one more byte after it).
        let left = input.len() - pos;
        if left < count {
            return Err(Reason::HeaderTooLong);
        }
        let digits = &input[pos..pos + count];
        pos += count;
        let significant = &digits[digits.iter().take_while(|&&d| d == 0).count()..];
        if significant.len() > 8 {
            return Err(Reason::HeaderTooLong);
        }
        let value = significant
            .iter()
            .fold(0u64, |acc, &d| (acc << 8) | u64::from(d));
        if value > i64::MAX as u64 {
            return Err(Reason::HeaderTooLong);
        }
        Some(value)
    } else {
        Some(u64::from(len_byte))
    };
    Ok(Header {
        tag: Tag { class, number },
        constructed,
        length,
        size: pos,
    })
}

/// Where the contents of an indefinite-length element end: the offset of
/// its end-of-contents in `contents`. Followed with a counter, not recursion.
fn indefinite_end(contents: &[u8]) -> Result<usize, Reason> {
    let mut pos = 0usize;
    let mut open = 1u32;
    loop {
        let rest = &contents[pos..];
        if rest.is_empty() {
            return Err(Reason::MissingEoc);
        }
        if rest.starts_with(&[0, 0]) {
            open -= 1;
            if open == 0 {
                return Ok(pos);
            }
            pos += 2;
            continue;
        }
        let h = header(rest)?;
        pos += h.size;
        match h.length {
            None => {
                open += 1;
                if open > MAX_NESTING {
                    return Err(Reason::NestedTooDeep);
                }
            }
            Some(len) => {
                let len = usize::try_from(len).map_err(|_| Reason::TooLong)?;
                if len > contents.len() - pos {
                    return Err(Reason::TooLong);
                }
                pos += len;
            }
        }
    }
}

/// One element at the start of `input`, and the rest.
fn element(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), Reason> {
    let h = header(input)?;
    let after = &input[h.size..];
    let (body, used) = match h.length {
        Some(len) => {
            let len = usize::try_from(len).map_err(|_| Reason::TooLong)?;
            if len > after.len() {
                return Err(Reason::TooLong);
            }
            (&after[..len], len)
        }
        None => {
            let end = indefinite_end(after)?;
            (&after[..end], end + 2)
        }
    };
    let total = h.size + used;
    let tlv = Tlv {
        tag: h.tag,
        constructed: h.constructed,
        body,
        raw: &input[..total],
    };
    Ok((tlv, &input[total..]))
}

/// `asn1_d2i_read_bio`'s framing of a whole input: OpenSSL first reads 8
/// bytes for the header, then the contents, and ignores what follows.
pub(super) fn outer_object(input: &[u8]) -> Result<Tlv<'_>, Reason> {
    if input.is_empty() {
        return Err(Reason::NotEnoughData);
    }
    let window = &input[..input.len().min(8)];
    // OpenSSL 3.5 waits for more bytes when a header runs past a short
    // input: "not enough data", where 3.0 said "header too long".
    let h = header(window).map_err(|reason| match reason {
        Reason::HeaderTooLong if input.len() < 8 => Reason::NotEnoughData,
        other => other,
    })?;
    let framing = |reason| match reason {
        Reason::TooLong | Reason::MissingEoc => Reason::NotEnoughData,
        other => other,
    };
    if let Some(len) = h.length {
        let available = (input.len() - h.size) as u64;
        if len > available {
            // BIO_read takes an int: a longer wait is refused outright.
            return Err(if len - available > i32::MAX as u64 {
                Reason::TooLong
            } else {
                Reason::NotEnoughData
            });
        }
    }
    element(input).map(|(tlv, _)| tlv).map_err(framing)
}

/// `ASN1_item_d2i` on bytes already in memory: one element, the rest ignored.
pub(super) fn outer_tlv(input: &[u8]) -> Result<Tlv<'_>, Reason> {
    if input.is_empty() {
        return Err(Reason::HeaderTooLong);
    }
    element(input).map(|(tlv, _)| tlv)
}

impl<'a> Tlv<'a> {
    /// The element, if its tag is `tag`.
    pub(super) fn expect_tag(self, tag: Tag) -> Result<Self, Reason> {
        if self.tag == tag {
            Ok(self)
        } else {
            Err(Reason::WrongTag)
        }
    }

    /// A reader over a SEQUENCE's fields.
    pub(super) fn sequence(self) -> Result<Reader<'a>, Reason> {
        self.constructed_as(SEQUENCE)
    }

    /// A reader over a SET OF's items.
    pub(super) fn set(self) -> Result<Reader<'a>, Reason> {
        self.constructed_as(SET)
    }

    /// A reader over the contents, whatever the tag (for walking every element).
    pub(super) fn contents(self) -> Reader<'a> {
        Reader { rest: self.body }
    }

    /// OpenSSL checks the tag, then that it is constructed.
    fn constructed_as(self, tag: Tag) -> Result<Reader<'a>, Reason> {
        let tlv = self.expect_tag(tag)?;
        if !tlv.constructed {
            return Err(Reason::SequenceNotConstructed);
        }
        Ok(Reader { rest: tlv.body })
    }

    /// The one element inside an `[n] EXPLICIT` wrapper, read by `read`;
    /// then, as in OpenSSL, nothing may be left.
    pub(super) fn explicit_then<T>(
        self,
        read: impl FnOnce(Tlv<'a>) -> Result<T, Reason>,
    ) -> Result<T, Reason> {
        if !self.constructed {
            return Err(Reason::ExplicitTagNotConstructed);
        }
        let mut inner = Reader { rest: self.body };
        let value = read(inner.next()?.ok_or(Reason::FieldMissing)?)?;
        if !inner.rest.is_empty() {
            return Err(Reason::ExplicitLengthMismatch);
        }
        Ok(value)
    }

    /// An OCTET STRING's bytes: a constructed (BER) one's pieces joined.
    pub(super) fn octets(self) -> Result<Cow<'a, [u8]>, Reason> {
        if !self.constructed {
            return Ok(Cow::Borrowed(self.body));
        }
        let mut out = Vec::new();
        collect(self.body, &mut out, 1)?;
        Ok(Cow::Owned(out))
    }

    /// An INTEGER's value as OpenSSL's `ASN1_INTEGER_get` gives it: -1
    /// when it does not fit.
    pub(super) fn integer_value(self) -> Result<i64, Reason> {
        let bytes = self.integer_bytes()?;
        if bytes.len() > 8 {
            return Ok(-1);
        }
        let negative = bytes[0] & 0x80 != 0;
        let start = if negative { -1i64 } else { 0 };
        Ok(bytes
            .iter()
            .fold(start, |acc, &b| (acc << 8) | i64::from(b)))
    }

    /// An INTEGER's content, checked as `c2i_ASN1_INTEGER` checks it.
    pub(super) fn integer_bytes(self) -> Result<&'a [u8], Reason> {
        if self.constructed {
            return Err(Reason::TypeNotPrimitive);
        }
        let bytes = self.body;
        let (&first, rest) = bytes.split_first().ok_or(Reason::IllegalZeroContent)?;
        if let Some(&second) = rest.first() {
            let padded = first == 0 || (first == 0xff && rest.iter().any(|&b| b != 0));
            if padded && (first & 0x80) == (second & 0x80) {
                return Err(Reason::IllegalPadding);
            }
        }
        Ok(bytes)
    }

    /// An OBJECT IDENTIFIER's encoded content, checked as `c2i_ASN1_OBJECT` checks it.
    pub(super) fn oid_bytes(self) -> Result<&'a [u8], Reason> {
        if self.constructed {
            return Err(Reason::TypeNotPrimitive);
        }
        let bytes = self.body;
        let bad_end = bytes.last().is_none_or(|&b| b & 0x80 != 0);
        let bad_start = bytes
            .iter()
            .enumerate()
            .any(|(i, &b)| b == 0x80 && (i == 0 || bytes[i - 1] & 0x80 == 0));
        if bad_end || bad_start {
            return Err(Reason::InvalidObjectEncoding);
        }
        Ok(bytes)
    }
}

/// Joins a constructed string's primitive pieces into `out`.
fn collect(mut body: &[u8], out: &mut Vec<u8>, depth: usize) -> Result<(), Reason> {
    if depth > MAX_STRING_NESTING {
        return Err(Reason::NestedAsn1String);
    }
    while !body.is_empty() {
        let (piece, rest) = element(body)?;
        if piece.tag != OCTET_STRING {
            return Err(Reason::WrongTag);
        }
        if piece.constructed {
            collect(piece.body, out, depth + 1)?;
        } else {
            out.extend_from_slice(piece.body);
        }
        body = rest;
    }
    Ok(())
}

/// Reads a constructed element's fields in order.
pub(super) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// The next element; `None` at the end.
    #[allow(clippy::should_implement_trait)]
    pub(super) fn next(&mut self) -> Result<Option<Tlv<'a>>, Reason> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let (tlv, rest) = element(self.rest)?;
        self.rest = rest;
        Ok(Some(tlv))
    }

    /// The next element, which must be there and have tag `tag`.
    pub(super) fn expect(&mut self, tag: Tag) -> Result<Tlv<'a>, Reason> {
        self.next()?.ok_or(Reason::FieldMissing)?.expect_tag(tag)
    }

    /// An OPTIONAL field that is not the last: absent when its tag differs.
    pub(super) fn optional(&mut self, tag: Tag) -> Result<Option<Tlv<'a>>, Reason> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let (tlv, rest) = element(self.rest)?;
        if tlv.tag != tag {
            return Ok(None);
        }
        self.rest = rest;
        Ok(Some(tlv))
    }

    /// The last field, OPTIONAL: absent only when nothing is left, as
    /// OpenSSL takes a last field that data remains for as required.
    pub(super) fn optional_last(&mut self, tag: Tag) -> Result<Option<Tlv<'a>>, Reason> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        self.expect(tag).map(Some)
    }

    /// A required INTEGER's value.
    pub(super) fn integer(&mut self) -> Result<i64, Reason> {
        self.expect(INTEGER)?.integer_value()
    }

    /// A required OBJECT IDENTIFIER's encoded content.
    pub(super) fn oid(&mut self) -> Result<&'a [u8], Reason> {
        self.expect(OBJECT_IDENTIFIER)?.oid_bytes()
    }

    /// Fails if anything is left.
    pub(super) fn finish(&self) -> Result<(), Reason> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(Reason::SequenceLengthMismatch)
        }
    }
}
