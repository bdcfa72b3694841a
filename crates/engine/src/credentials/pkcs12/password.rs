//! A passphrase as OpenSSL's PKCS#12 code takes it.

use zeroize::Zeroizing;

/// A passphrase as OpenSSL's PKCS#12 code takes it: none at all differs from an
/// empty one in the PKCS#12 key derivation (no bytes, against a UTF-16 NUL).
#[derive(Debug, Clone, Copy)]
pub(super) enum Password<'a> {
    Absent,
    Text(&'a str),
}

impl<'a> Password<'a> {
    /// The PKCS#12 derivation's input: UTF-16BE with a trailing NUL, as
    /// OpenSSL's `OPENSSL_utf82uni` makes it. Wiped when dropped.
    pub(super) fn bmp(self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::new());
        if let Password::Text(text) = self {
            for unit in text.encode_utf16().chain([0]) {
                out.extend_from_slice(&unit.to_be_bytes());
            }
        }
        out
    }

    /// PBES2's input: the UTF-8 bytes, none when absent.
    pub(super) fn utf8(self) -> &'a [u8] {
        match self {
            Password::Absent => &[],
            Password::Text(text) => text.as_bytes(),
        }
    }
}
