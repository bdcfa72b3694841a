//! Certificate compression (RFC 8879), Node 26's `certificateCompression`: the
//! algorithms the client offers in its `compress_certificate` extension, in the
//! caller's order, and the decoders that take the server's compressed chain
//! back. The server's compressed chain is judged as any other once decoded.
//!
//! rustls allocates the declared uncompressed length (at most 64 KiB) and hands
//! each decoder that buffer; a decoder fails when the stream ends short of it,
//! runs past it, or leaves input unread. No decoder allocates in proportion to
//! what a stream claims beyond that, save zstd's window (bounded in `zstd`).

mod brotli;
mod zlib;
mod zstd;

use rustls::compress::CertDecompressor;

use crate::context::names::{self, Version};
use crate::options::ContextOptions;
use crate::TlsError;

/// The algorithms Node 26 knows, in its order and with their names:
/// `tls.getCertificateCompressionAlgorithms()`.
const ALGORITHMS: [(&str, &'static dyn CertDecompressor); 3] = [
    ("zlib", zlib::DECOMPRESSOR),
    ("brotli", brotli::DECOMPRESSOR),
    ("zstd", zstd::DECOMPRESSOR),
];

/// Node 26's `tls.getCertificateCompressionAlgorithms()`.
pub(crate) fn algorithm_names() -> Vec<String> {
    ALGORITHMS
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .collect()
}

/// The decoders to offer for `certificateCompression`, in its order; none (no
/// extension) when it is absent or empty. Checked as Node 26 checks it: at most
/// three names, each one Node knows; then, as OpenSSL sets the preference, a
/// version range reaching TLS 1.3 (compression exists only there) and no name
/// twice.
pub(crate) fn decompressors(
    options: &ContextOptions,
) -> Result<Vec<&'static dyn CertDecompressor>, TlsError> {
    let names = match options.certificate_compression.as_deref() {
        None | Some([]) => return Ok(Vec::new()),
        Some(names) => names,
    };
    if names.len() > ALGORITHMS.len() {
        return Err(TlsError::invalid_arg_value_because(
            "certificateCompression",
            "can specify at most 3 algorithms",
            &inspect_strings(names),
        ));
    }
    let mut chosen = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let Some((_, decompressor)) = ALGORITHMS.iter().find(|(known, _)| known == name) else {
            return Err(TlsError::invalid_arg_value_because(
                &format!("certificateCompression[{i}]"),
                "must be 'zlib', 'brotli', or 'zstd'",
                &inspect_string(name),
            ));
        };
        chosen.push(*decompressor);
    }
    if highest_version(options)? < Version::Tls13 {
        return Err(TlsError::new(
            "ERR_INVALID_ARG_VALUE",
            "certificateCompression requires a TLS protocol range that includes TLSv1.3",
        ));
    }
    for (i, decompressor) in chosen.iter().enumerate() {
        if chosen[..i]
            .iter()
            .any(|earlier| earlier.algorithm() == decompressor.algorithm())
        {
            return Err(TlsError::new(
                "ERR_CRYPTO_OPERATION_FAILED",
                "Failed to set certificate compression preference",
            ));
        }
    }
    Ok(chosen)
}

/// The highest version the context allows before `secureOptions` (OpenSSL's
/// maximum protocol version, which Node checks): `secureProtocol`'s, else
/// `maxVersion`, else the default. Both were checked before this is asked.
fn highest_version(options: &ContextOptions) -> Result<Version, TlsError> {
    if let Some(method) = &options.secure_protocol {
        return Ok(names::protocol_method(method)?.max);
    }
    match &options.max_version {
        Some(name) => Version::parse(name, "maximum"),
        None => Ok(names::DEFAULT_MAX_VERSION),
    }
}

/// `util.inspect` of a string as Node's messages show one: single quotes,
/// unless the text has some and no double quotes.
fn inspect_string(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            '\\' => out.push_str("\\\\"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if u32::from(c) < 0x20 || u32::from(c) == 0x7f => {
                out.push_str(&format!("\\x{:02X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `util.inspect` of a short array of strings, on one line.
fn inspect_strings(items: &[String]) -> String {
    let shown: Vec<String> = items.iter().map(|item| inspect_string(item)).collect();
    format!("[ {} ]", shown.join(", "))
}

#[cfg(test)]
mod tests;
