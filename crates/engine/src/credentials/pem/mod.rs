//! PEM blocks as OpenSSL's PEM reader splits them: the first private key
//! block of a text, its RFC 1421 header (the `Proc-Type` and `DEK-Info` of a
//! traditional encrypted key), and its base64 body, decoded in constant time.

use base64ct::{Base64, Encoding};
use zeroize::Zeroizing;

#[cfg(test)]
mod tests;

/// One PEM block: its label, its RFC 1421 header lines (each ending in a
/// newline, as OpenSSL hands them on) and its base64 lines.
pub(super) struct Block<'a> {
    /// The label, as in `-----BEGIN RSA PRIVATE KEY-----`.
    pub(super) label: &'a str,
    /// The lines before the blank line, when there is one; else empty.
    pub(super) header: String,
    /// The base64 lines.
    pub(super) body: Vec<&'a [u8]>,
}

impl Block<'_> {
    /// The body's bytes; `None` when it is not base64. Wiped when dropped:
    /// an unencrypted key's body is the key.
    pub(super) fn decode_body(&self) -> Option<Zeroizing<Vec<u8>>> {
        base64_decode(self.body.iter().flat_map(|line| line.iter().copied()))
    }
}

/// The first block whose label ends in `PRIVATE KEY`, with its END line.
pub(super) fn first_key_block(pem: &[u8]) -> Option<Block<'_>> {
    // OpenSSL strips trailing white space from every line, `\r` included.
    let mut lines = pem.split(|&b| b == b'\n').map(|line| line.trim_ascii_end());
    let label = lines.find_map(|line| {
        let label = line.strip_prefix(b"-----BEGIN ")?.strip_suffix(b"-----")?;
        let label = std::str::from_utf8(label).ok()?;
        label.ends_with("PRIVATE KEY").then_some(label)
    })?;
    let mut inside = Vec::new();
    for line in lines {
        if line.starts_with(b"-----END ") {
            return Some(split_header(label, inside));
        }
        inside.push(line);
    }
    None
}

/// Splits the lines at the first blank line, as OpenSSL does: before it,
/// the header; without one, everything is body.
fn split_header<'a>(label: &'a str, lines: Vec<&'a [u8]>) -> Block<'a> {
    let mut parts = lines.splitn(2, |line| line.is_empty());
    let (Some(head), Some(body)) = (parts.next(), parts.next()) else {
        return Block {
            label,
            header: String::new(),
            body: lines,
        };
    };
    let mut header = String::new();
    for line in head {
        header.push_str(&String::from_utf8_lossy(line));
        header.push('\n');
    }
    Block {
        label,
        header,
        body: body.to_vec(),
    }
}

/// Standard base64 with `=` padding, white space ignored, as OpenSSL decodes
/// it: whole four-character groups, at most two `=` and only at the end, and
/// the bits a padded group leaves over ignored. The padding is decoded as `A`,
/// the zero digit, and the bytes it stands for dropped, so every group is
/// whole. The digits are decoded in constant time, in place: the key's bytes
/// are never in two buffers.
fn base64_decode(text: impl Iterator<Item = u8>) -> Option<Zeroizing<Vec<u8>>> {
    let mut digits: Zeroizing<Vec<u8>> =
        Zeroizing::new(text.filter(|b| !b.is_ascii_whitespace()).collect());
    if !digits.len().is_multiple_of(4) {
        return None;
    }
    // Where the padding stands is public: it tells the length, not the key.
    let padding = digits
        .iter()
        .rev()
        .take(2)
        .take_while(|&&b| b == b'=')
        .count();
    let unpadded = digits.len() - padding;
    digits
        .iter_mut()
        .skip(unpadded)
        .for_each(|digit| *digit = b'A');
    // Any other `=` is not a base64 digit, and base64ct refuses it.
    let len = Base64::decode_in_place(&mut digits).ok()?.len();
    digits.truncate(len.saturating_sub(padding));
    Some(digits)
}
