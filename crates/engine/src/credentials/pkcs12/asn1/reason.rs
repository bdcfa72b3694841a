//! OpenSSL's reasons for refusing an encoding, which Node shows as the message.

/// OpenSSL's reason for refusing an encoding; Node shows it as the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::credentials::pkcs12) enum Reason {
    NotEnoughData,
    HeaderTooLong,
    TooLong,
    WrongTag,
    FieldMissing,
    SequenceLengthMismatch,
    SequenceNotConstructed,
    ExplicitTagNotConstructed,
    ExplicitLengthMismatch,
    TypeNotPrimitive,
    NestedTooDeep,
    NestedAsn1String,
    MissingEoc,
    IllegalZeroContent,
    IllegalPadding,
    InvalidObjectEncoding,
    BooleanIsWrongLength,
    NullIsWrongLength,
    StringTooShort,
    InvalidBitStringBitsLeft,
    BmpStringIsWrongLength,
    UniversalStringIsWrongLength,
    InvalidUtf8String,
    MstringNotUniversal,
    MstringWrongTag,
    DecodeError,
}

impl Reason {
    /// OpenSSL's reason string.
    pub(in crate::credentials::pkcs12) fn message(self) -> &'static str {
        match self {
            Reason::NotEnoughData => "not enough data",
            Reason::HeaderTooLong => "header too long",
            Reason::TooLong => "too long",
            Reason::WrongTag => "wrong tag",
            Reason::FieldMissing => "field missing",
            Reason::SequenceLengthMismatch => "sequence length mismatch",
            Reason::SequenceNotConstructed => "sequence not constructed",
            Reason::ExplicitTagNotConstructed => "explicit tag not constructed",
            Reason::ExplicitLengthMismatch => "explicit length mismatch",
            Reason::TypeNotPrimitive => "type not primitive",
            Reason::NestedTooDeep => "nested too deep",
            Reason::NestedAsn1String => "nested asn1 string",
            Reason::MissingEoc => "missing eoc",
            Reason::IllegalZeroContent => "illegal zero content",
            Reason::IllegalPadding => "illegal padding",
            Reason::InvalidObjectEncoding => "invalid object encoding",
            Reason::BooleanIsWrongLength => "boolean is wrong length",
            Reason::NullIsWrongLength => "null is wrong length",
            Reason::StringTooShort => "string too short",
            Reason::InvalidBitStringBitsLeft => "invalid bit string bits left",
            Reason::BmpStringIsWrongLength => "bmpstring is wrong length",
            Reason::UniversalStringIsWrongLength => "universalstring is wrong length",
            Reason::InvalidUtf8String => "invalid utf8string",
            Reason::MstringNotUniversal => "mstring not universal",
            Reason::MstringWrongTag => "mstring wrong tag",
            Reason::DecodeError => "decode error",
        }
    }
}
