//! Target `options`: Node's `tls.connect()` options as a host passes them (PEM
//! text or bytes for ca/cert/key, passphrases, cipher strings, version names,
//! ALPN in its three forms, names) must build a connection or fail with a Node
//! error.
//!
//! An input is a list of fields, each a tag byte, a 2-byte big-endian length and
//! that many bytes (the last field takes what is left). Tags:
//!
//! | tag | option |
//! |---|---|
//! | `h` `s` `u` | host, servername, path (text) |
//! | `P` | port (4 bytes big-endian) |
//! | `a` `A` `d` | a `ca` entry: PEM text, PEM bytes, DER wrapped as a CERTIFICATE block |
//! | `v` `V` `f` | a `crl` entry: PEM text, PEM bytes, DER wrapped as an X509 CRL block |
//! | `c` `C` `e` | a `cert` entry, the same three ways |
//! | `k` `K` | a `key` entry: PEM text, PEM bytes |
//! | `D` `E` `R` `S` | a `key` entry from DER wrapped as PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY |
//! | `q` | the last key entry's own passphrase |
//! | `p` | `passphrase` |
//! | `x` | `ciphers` |
//! | `m` `M` | `minVersion`, `maxVersion` |
//! | `n` `b` `w` | `ALPNProtocols`: a name, a buffer, wire format |
//! | `r` `o` | `rejectUnauthorized: false`, `allowHalfOpen: true` |
//! | `g` `G` `t` | `ecdhCurve`, `sigalgs`, `secureProtocol` (text) |
//! | `O` `H` `F` `W` | `secureOptions`, `minDHSize`, `family`, `timeout` (8-byte big-endian f64) |
//! | `L` `l` | `localAddress` (text), `localPort` (4 bytes big-endian) |
//! | `T` | `session` bytes |
//! | `Y` | a `pfx` entry (bytes; its passphrase falls back to `p`) |
//! | `I` `Z` | the caller's identity check, `allowPartialTrustChain: true` |
//!
//! Text is decoded as UTF-8 with replacement, since every host's strings are UTF-8.

use tls_connect_engine::fuzzing::{self, Trust};
use tls_connect_engine::{
    AlpnProtocols, ConnectOptions, Connection, IdentityCheck, KeyEntry, NetOptions, Pem, PfxEntry,
    SecureContext, TargetOptions,
};

use crate::check_error;

/// Encodes one field (for the seed generator).
pub fn field(tag: u8, value: &[u8]) -> Vec<u8> {
    let len = u16::try_from(value.len()).expect("field under 64 KiB");
    let mut out = vec![tag];
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(value);
    out
}

/// The fields of an input, in order.
pub fn fields(mut bytes: &[u8]) -> Vec<(u8, &[u8])> {
    let mut out = Vec::new();
    // Bounded: each turn consumes a tag at least.
    while let [tag, rest @ ..] = bytes {
        let (len, body) = match rest {
            [l0, l1, body @ ..] => (usize::from(u16::from_be_bytes([*l0, *l1])), body),
            _ => (0, &[][..]),
        };
        let len = len.min(body.len());
        out.push((*tag, &body[..len]));
        bytes = &body[len..];
    }
    out
}

fn text(value: &[u8]) -> String {
    String::from_utf8_lossy(value).into_owned()
}

/// A number from 8 big-endian bytes (shorter fields are zero-padded in front).
fn number(value: &[u8]) -> f64 {
    let mut bytes = [0u8; 8];
    let n = value.len().min(8);
    bytes[8 - n..].copy_from_slice(&value[..n]);
    f64::from_be_bytes(bytes)
}

fn pem_of(label: &str, der: &[u8]) -> Pem {
    Pem::Text(pem::encode(&pem::Pem::new(label, der.to_vec())))
}

/// The options an input describes.
pub fn options(bytes: &[u8]) -> ConnectOptions {
    let mut options = ConnectOptions::default();
    for (tag, value) in fields(bytes) {
        let ConnectOptions {
            target,
            connection,
            context,
            credentials,
        } = &mut options;
        match tag {
            b'h' => target.host = Some(text(value)),
            b's' => connection.servername = Some(text(value)),
            b'u' => target.path = Some(text(value)),
            b'P' => {
                let mut port = [0u8; 4];
                let n = value.len().min(4);
                port[4 - n..].copy_from_slice(&value[..n]);
                target.port = Some(u32::from_be_bytes(port));
            }
            b'a' => context
                .ca
                .get_or_insert_with(Vec::new)
                .push(Pem::Text(text(value))),
            b'A' => context
                .ca
                .get_or_insert_with(Vec::new)
                .push(Pem::Bytes(value.to_vec())),
            b'd' => context
                .ca
                .get_or_insert_with(Vec::new)
                .push(pem_of("CERTIFICATE", value)),
            b'v' => context
                .crl
                .get_or_insert_with(Vec::new)
                .push(Pem::Text(text(value))),
            b'V' => context
                .crl
                .get_or_insert_with(Vec::new)
                .push(Pem::Bytes(value.to_vec())),
            b'f' => context
                .crl
                .get_or_insert_with(Vec::new)
                .push(pem_of("X509 CRL", value)),
            b'c' => credentials
                .cert
                .get_or_insert_with(Vec::new)
                .push(Pem::Text(text(value))),
            b'C' => credentials
                .cert
                .get_or_insert_with(Vec::new)
                .push(Pem::Bytes(value.to_vec())),
            b'e' => credentials
                .cert
                .get_or_insert_with(Vec::new)
                .push(pem_of("CERTIFICATE", value)),
            b'k' | b'K' | b'D' | b'E' | b'R' | b'S' => {
                let pem = match tag {
                    b'k' => Pem::Text(text(value)),
                    b'K' => Pem::Bytes(value.to_vec()),
                    b'D' => pem_of("PRIVATE KEY", value),
                    b'E' => pem_of("ENCRYPTED PRIVATE KEY", value),
                    b'R' => pem_of("RSA PRIVATE KEY", value),
                    _ => pem_of("EC PRIVATE KEY", value),
                };
                let entry = KeyEntry {
                    pem,
                    passphrase: None,
                };
                credentials.key.get_or_insert_with(Vec::new).push(entry);
            }
            b'q' => {
                if let Some(entry) = credentials.key.as_mut().and_then(|keys| keys.last_mut()) {
                    entry.passphrase = Some(text(value));
                }
            }
            b'p' => credentials.passphrase = Some(text(value)),
            b'x' => context.ciphers = Some(text(value)),
            b'm' => context.min_version = Some(text(value)),
            b'M' => context.max_version = Some(text(value)),
            b'n' => match &mut connection.alpn_protocols {
                Some(AlpnProtocols::Names(names)) => names.push(text(value)),
                alpn => *alpn = Some(AlpnProtocols::Names(vec![text(value)])),
            },
            b'b' => match &mut connection.alpn_protocols {
                Some(AlpnProtocols::Buffers(buffers)) => buffers.push(value.to_vec()),
                alpn => *alpn = Some(AlpnProtocols::Buffers(vec![value.to_vec()])),
            },
            b'w' => connection.alpn_protocols = Some(AlpnProtocols::Wire(value.to_vec())),
            b'r' => connection.reject_unauthorized = Some(false),
            b'o' => connection.allow_half_open = Some(true),
            b'g' => context.ecdh_curve = Some(text(value)),
            b'G' => context.sigalgs = Some(text(value)),
            b't' => context.secure_protocol = Some(text(value)),
            b'O' => context.secure_options = Some(number(value)),
            b'H' => connection.min_dh_size = Some(number(value)),
            b'F' => net(target).family = Some(number(value)),
            b'W' => net(target).timeout = Some(number(value)),
            b'L' => net(target).local_address = Some(text(value)),
            b'l' => net(target).local_port = Some(number(value) as u32),
            b'T' => connection.session = Some(value.to_vec()),
            b'Y' => credentials.pfx.get_or_insert_with(Vec::new).push(PfxEntry {
                buf: value.to_vec(),
                passphrase: None,
            }),
            b'I' => connection.identity_check = Some(IdentityCheck::Caller),
            b'Z' => context.allow_partial_trust_chain = Some(true),
            _ => {}
        }
    }
    options
}

fn net(target: &mut TargetOptions) -> &mut NetOptions {
    target.net.get_or_insert_with(NetOptions::default)
}

/// Runs one input: each decoder on its own (so an early failure does not hide a
/// later one), then the whole connection.
pub fn run(bytes: &[u8]) {
    let options = options(bytes);

    match fuzzing::verify_name(&options) {
        Ok(name) => assert!(!name.is_empty()),
        Err(err) => check_error(&err),
    }
    if let Err(err) = options.target.target() {
        check_error(&err);
    }
    let context = &options.context;
    for bound in [&context.min_version, &context.max_version]
        .into_iter()
        .flatten()
    {
        if let Err(err) = fuzzing::parse_version(bound, "minimum") {
            check_error(&err);
        }
    }
    let provider = rustls::crypto::ring::default_provider();
    if let Err(err) = fuzzing::select_suites(context.ciphers.as_deref(), &provider.cipher_suites) {
        check_error(&err);
    }
    if let Some(alpn) = &options.connection.alpn_protocols {
        check_alpn(alpn);
    }
    for pem in context.ca.iter().chain(&options.credentials.cert).flatten() {
        let _ = fuzzing::certificates_in(pem.as_bytes());
    }
    let _ = Trust::from_ca(context.ca.as_deref());
    if let Err(err) = Trust::new(
        context.ca.as_deref(),
        context.allow_partial_trust_chain.unwrap_or(false),
        context.crl.as_deref(),
    ) {
        check_error(&err);
    }
    if let Err(err) = SecureContext::new(context, &options.credentials) {
        check_error(&err);
    }

    match Connection::new(&options) {
        Ok(mut conn) => {
            assert!(!conn.take_outgoing().is_empty(), "no ClientHello");
            let err = conn.feed_end().expect_err("no handshake yet");
            assert_eq!(err.code, "ECONNRESET");
        }
        Err(err) => check_error(&err),
    }
}

/// ALPN decoding; wire format that decodes must encode back to itself.
fn check_alpn(alpn: &AlpnProtocols) {
    match fuzzing::alpn_protocol_list(alpn) {
        Ok(list) => {
            if let AlpnProtocols::Wire(wire) = alpn {
                let mut again = Vec::new();
                for name in &list {
                    again.push(u8::try_from(name.len()).expect("a wire name fits a byte"));
                    again.extend_from_slice(name);
                }
                assert_eq!(&again, wire, "wire-format ALPN did not round-trip");
            }
        }
        Err(err) => check_error(&err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_decode_and_a_short_tail_is_kept() {
        let bytes = [
            field(b'h', b"a.test"),
            field(b'r', b""),
            vec![b'x', 0, 9, b'H'],
        ]
        .concat();
        assert_eq!(
            fields(&bytes),
            vec![(b'h', &b"a.test"[..]), (b'r', &b""[..]), (b'x', &b"H"[..])]
        );
        let options = options(&bytes);
        assert_eq!(options.target.host.as_deref(), Some("a.test"));
        assert_eq!(options.connection.reject_unauthorized, Some(false));
        assert_eq!(options.context.ciphers.as_deref(), Some("H"));
    }
}
