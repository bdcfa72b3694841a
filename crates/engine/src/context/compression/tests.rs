//! The option's rules as Node 26 answers them, each decoder on real and
//! hostile streams, and a handshake with a server that compresses its chain.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rustls::compress::{CertCompressor, CompressionCache, CompressionFailed, CompressionLevel};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{CertificateCompressionAlgorithm, ServerConfig, ServerConnection};

use super::*;
use crate::options::{ConnectOptions, Pem};
use crate::{Connection, SecureContext};

/// 296 bytes of text, repetitive enough for every algorithm.
fn text() -> Vec<u8> {
    b"tls-connect certificate compression. ".repeat(8)
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// `decompressor` on `input` into a buffer of `len` bytes.
fn decode(decompressor: &dyn CertDecompressor, input: &[u8], len: usize) -> Option<Vec<u8>> {
    let mut output = vec![0; len];
    decompressor.decompress(input, &mut output).ok()?;
    Some(output)
}

fn options_with(names: &[&str]) -> ContextOptions {
    ContextOptions {
        certificate_compression: Some(names.iter().map(|n| n.to_string()).collect()),
        ..Default::default()
    }
}

fn algorithms_of(
    options: &ContextOptions,
) -> Result<Vec<CertificateCompressionAlgorithm>, TlsError> {
    Ok(decompressors(options)?
        .iter()
        .map(|d| d.algorithm())
        .collect())
}

#[test]
fn algorithms_are_nodes_names_in_nodes_order() {
    assert_eq!(algorithm_names(), ["zlib", "brotli", "zstd"]);
    assert_eq!(
        crate::get_certificate_compression_algorithms(),
        ["zlib", "brotli", "zstd"]
    );
}

#[test]
fn the_callers_order_is_kept_and_absent_or_empty_offers_none() {
    use CertificateCompressionAlgorithm::{Brotli, Zlib, Zstd};
    assert_eq!(
        algorithms_of(&options_with(&["zstd", "zlib"])).unwrap(),
        [Zstd, Zlib]
    );
    assert_eq!(
        algorithms_of(&options_with(&["brotli", "zstd", "zlib"])).unwrap(),
        [Brotli, Zstd, Zlib]
    );
    assert!(algorithms_of(&options_with(&[])).unwrap().is_empty());
    assert!(algorithms_of(&ContextOptions::default())
        .unwrap()
        .is_empty());
}

/// Node 26's answers (`tls.createSecureContext` and `tls.connect` alike).
#[test]
fn bad_lists_fail_as_in_node() {
    let err = |options: ContextOptions| {
        let e = decompressors(&options).map(|_| ()).unwrap_err();
        (e.code, e.message)
    };
    assert_eq!(
        err(options_with(&["zlib", "foo"])),
        (
            "ERR_INVALID_ARG_VALUE".to_owned(),
            "The property 'options.certificateCompression[1]' must be 'zlib', 'brotli', or 'zstd'. Received 'foo'".to_owned()
        )
    );
    assert_eq!(
        err(options_with(&["ZLIB"])).1,
        "The property 'options.certificateCompression[0]' must be 'zlib', 'brotli', or 'zstd'. Received 'ZLIB'"
    );
    assert_eq!(
        err(options_with(&["it's"])).1,
        "The property 'options.certificateCompression[0]' must be 'zlib', 'brotli', or 'zstd'. Received \"it's\""
    );
    assert_eq!(
        err(options_with(&["zlib", "brotli", "zstd", "zlib"])),
        (
            "ERR_INVALID_ARG_VALUE".to_owned(),
            "The property 'options.certificateCompression' can specify at most 3 algorithms. Received [ 'zlib', 'brotli', 'zstd', 'zlib' ]".to_owned()
        )
    );
    let duplicate = (
        "ERR_CRYPTO_OPERATION_FAILED".to_owned(),
        "Failed to set certificate compression preference".to_owned(),
    );
    assert_eq!(err(options_with(&["zlib", "zlib"])), duplicate);
    assert_eq!(err(options_with(&["zlib", "zstd", "zstd"])), duplicate);
    let tls12 = (
        "ERR_INVALID_ARG_VALUE".to_owned(),
        "certificateCompression requires a TLS protocol range that includes TLSv1.3".to_owned(),
    );
    let mut options = options_with(&["zlib"]);
    options.max_version = Some("TLSv1.2".into());
    assert_eq!(err(options.clone()), tls12);
    // The range is checked before the duplicates; an empty list is never checked.
    options.certificate_compression = Some(vec!["zlib".into(), "zlib".into()]);
    assert_eq!(err(options.clone()), tls12);
    options.certificate_compression = Some(Vec::new());
    assert!(decompressors(&options).is_ok());
    let mut method = options_with(&["brotli"]);
    method.secure_protocol = Some("TLSv1_2_method".into());
    assert_eq!(err(method.clone()), tls12);
    method.secure_protocol = Some("TLS_method".into());
    assert!(decompressors(&method).is_ok());
    // secureOptions' NO_TLSv1_3 is not the range Node checks.
    let mut bits = options_with(&["zstd"]);
    bits.secure_options = Some(f64::from(0x2000_0000));
    assert!(decompressors(&bits).is_ok());
}

#[test]
fn the_context_offers_them_in_order() {
    let context =
        SecureContext::new(&options_with(&["zstd", "brotli"]), &Default::default()).unwrap();
    let offered: Vec<_> = context
        .config
        .cert_decompressors
        .iter()
        .map(|d| d.algorithm())
        .collect();
    assert_eq!(
        offered,
        [
            CertificateCompressionAlgorithm::Zstd,
            CertificateCompressionAlgorithm::Brotli
        ]
    );
    let plain = SecureContext::new(&ContextOptions::default(), &Default::default()).unwrap();
    assert!(plain.config.cert_decompressors.is_empty());
    assert!(plain.config.cert_compressors.is_empty());
}

#[test]
fn zlib_decodes_exactly_the_declared_length() {
    let data = text();
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&data, 6);
    assert!(packed.len() < data.len() / 4);
    assert_eq!(
        decode(zlib::DECOMPRESSOR, &packed, data.len()).unwrap(),
        data
    );
    assert!(
        decode(zlib::DECOMPRESSOR, &packed, data.len() - 1).is_none(),
        "longer than declared"
    );
    assert!(
        decode(zlib::DECOMPRESSOR, &packed, data.len() + 1).is_none(),
        "shorter than declared"
    );
    let mut trailing = packed.clone();
    trailing.push(0);
    assert!(
        decode(zlib::DECOMPRESSOR, &trailing, data.len()).is_none(),
        "bytes after the stream"
    );
    let mut corrupt = packed;
    let last = corrupt.len() - 1;
    corrupt[last] ^= 1;
    assert!(
        decode(zlib::DECOMPRESSOR, &corrupt, data.len()).is_none(),
        "bad Adler-32"
    );
    // Raw deflate (no zlib header) is not zlib.
    let raw = miniz_oxide::deflate::compress_to_vec(&data, 6);
    assert!(decode(zlib::DECOMPRESSOR, &raw, data.len()).is_none());
}

#[test]
fn brotli_decodes_nodes_stream_exactly() {
    let data = text();
    // zlib.brotliCompressSync(text) in Node 26.
    let packed = hex("1b2701f8a55bd8e6e82430a50cd6347c928e49da30b3b8e8f700");
    assert_eq!(
        decode(brotli::DECOMPRESSOR, &packed, data.len()).unwrap(),
        data
    );
    assert!(decode(brotli::DECOMPRESSOR, &packed, data.len() - 1).is_none());
    assert!(decode(brotli::DECOMPRESSOR, &packed, data.len() + 1).is_none());
    let mut trailing = packed.clone();
    trailing.push(0);
    assert!(decode(brotli::DECOMPRESSOR, &trailing, data.len()).is_none());
    assert!(decode(
        brotli::DECOMPRESSOR,
        &packed[..packed.len() - 2],
        data.len()
    )
    .is_none());
}

#[test]
fn zstd_decodes_libzstd_and_ruzstd_streams_exactly() {
    let data = text();
    // zlib.zstdCompressSync(text) in Node 26 (libzstd): single segment, with a checksum.
    let node = hex("28b52ffd6028007501005402746c732d636f6e6e65637420636572746966696361746520636f6d7072657373696f6e2e2001000540aa7a02");
    assert_eq!(decode(zstd::DECOMPRESSOR, &node, data.len()).unwrap(), data);
    let ours =
        ruzstd::encoding::compress_to_vec(&data[..], ruzstd::encoding::CompressionLevel::Fastest);
    assert_eq!(decode(zstd::DECOMPRESSOR, &ours, data.len()).unwrap(), data);
    for packed in [&node, &ours] {
        assert!(
            decode(zstd::DECOMPRESSOR, packed, data.len() - 1).is_none(),
            "longer than declared"
        );
        assert!(
            decode(zstd::DECOMPRESSOR, packed, data.len() + 1).is_none(),
            "shorter than declared"
        );
        let mut two = packed.clone();
        two.extend_from_slice(packed);
        assert!(
            decode(zstd::DECOMPRESSOR, &two, data.len() * 2).is_none(),
            "one frame only"
        );
        assert!(decode(zstd::DECOMPRESSOR, &packed[..packed.len() - 3], data.len()).is_none());
    }
    assert!(decode(zstd::DECOMPRESSOR, b"not zstd", 8).is_none());
}

/// A zstd frame with the given window byte, no content size, and `blocks`
/// RLE blocks of `block` copies of `b'A'` each.
fn rle_frame(window: u8, blocks: usize, block: u32) -> Vec<u8> {
    let mut frame = vec![0x28, 0xb5, 0x2f, 0xfd, 0x00, window];
    for i in 0..blocks {
        let last = u32::from(i + 1 == blocks);
        let header = last | (1 << 1) | (block << 3);
        frame.extend_from_slice(&header.to_le_bytes()[..3]);
        frame.push(b'A');
    }
    frame
}

#[test]
fn zstd_bombs_fail_within_bounds() {
    // An honest RLE frame first: 1 KiB window, 3 blocks of 100.
    assert_eq!(
        decode(zstd::DECOMPRESSOR, &rle_frame(0x00, 3, 100), 300).unwrap(),
        vec![b'A'; 300]
    );
    // 8 MiB of output from 256 bytes of input, against a declared 64 KiB: the
    // window (8 MiB) is the most ever held before the excess shows.
    let bomb = rle_frame(13 << 3, 64, 128 << 10);
    assert!(bomb.len() < 300);
    assert!(decode(zstd::DECOMPRESSOR, &bomb, 64 << 10).is_none());
    // The same bomb with a small window fails as soon as the buffer overflows.
    assert!(decode(
        zstd::DECOMPRESSOR,
        &rle_frame(0x00, 64, 128 << 10),
        64 << 10
    )
    .is_none());
    // A window past 8 MiB (here 1 GiB) is refused before anything is decoded.
    assert!(decode(zstd::DECOMPRESSOR, &rle_frame(20 << 3, 1, 10), 10).is_none());
    assert!(decode(zstd::DECOMPRESSOR, &rle_frame(14 << 3, 1, 10), 10).is_none());
    assert_eq!(zstd::MAX_WINDOW, 8 << 20);
}

#[test]
fn zlib_and_brotli_bombs_stop_at_the_declared_length() {
    let zeros = vec![0u8; 16 << 20];
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&zeros, 9);
    assert!(packed.len() < 20 << 10);
    assert!(decode(zlib::DECOMPRESSOR, &packed, 64 << 10).is_none());
    // zlib.brotliCompressSync(Buffer.alloc(1 << 24)) in Node 26: 16 MiB of zeros.
    let brotli_zeros = hex("cbffff3ff82700e2b14020f7fe2ffffffff04f00c4611180eefd1f");
    assert!(decode(brotli::DECOMPRESSOR, &brotli_zeros, 64 << 10).is_none());
}

/// A server compressor: zstd by ruzstd, counting its calls, or a bomb.
#[derive(Debug)]
struct ServerZstd {
    bomb: bool,
}

static COMPRESSED: AtomicUsize = AtomicUsize::new(0);

impl CertCompressor for ServerZstd {
    fn compress(&self, input: Vec<u8>, _: CompressionLevel) -> Result<Vec<u8>, CompressionFailed> {
        COMPRESSED.fetch_add(1, Ordering::SeqCst);
        if self.bomb {
            return Ok(rle_frame(0x00, 64, 128 << 10));
        }
        Ok(ruzstd::encoding::compress_to_vec(
            &input[..],
            ruzstd::encoding::CompressionLevel::Fastest,
        ))
    }

    fn algorithm(&self) -> CertificateCompressionAlgorithm {
        CertificateCompressionAlgorithm::Zstd
    }
}

static HONEST: ServerZstd = ServerZstd { bomb: false };
static BOMB: ServerZstd = ServerZstd { bomb: true };

/// A handshake with a rustls server that compresses its chain with `compressor`;
/// the client offers `offered`. The client's outcome and the bytes the server sent.
fn handshake(
    compressor: &'static ServerZstd,
    offered: &[&str],
) -> (Result<Connection, TlsError>, usize) {
    let ca = test_pki::Ca::new_root("tls-connect compression CA");
    let leaf = ca.issue(&test_pki::LeafSpec::server("localhost", &["localhost"]));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut server = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![
                CertificateDer::from(leaf.cert_der),
                CertificateDer::from(ca.cert_der()),
            ],
            PrivateKeyDer::from_pem_slice(leaf.key_pem.as_bytes()).unwrap(),
        )
        .unwrap();
    server.cert_compressors = vec![compressor];
    server.cert_compression_cache = Arc::new(CompressionCache::Disabled);
    let mut server = ServerConnection::new(Arc::new(server)).unwrap();
    let mut options = ConnectOptions::default();
    options.target.host = Some("localhost".into());
    options.context.ca = Some(vec![Pem::Text(ca.cert_pem())]);
    options.context.certificate_compression = Some(offered.iter().map(|n| n.to_string()).collect());
    let mut client = Connection::new(&options).unwrap();
    let mut server_sent = 0;
    for _ in 0..10 {
        let out = client.take_outgoing();
        if !out.is_empty() {
            server.read_tls(&mut &out[..]).unwrap();
            if server.process_new_packets().is_err() {
                break;
            }
        }
        let mut back = Vec::new();
        while server.wants_write() {
            server.write_tls(&mut back).unwrap();
        }
        server_sent += back.len();
        if back.is_empty() && out.is_empty() {
            break;
        }
        if let Err(err) = client.feed(&back) {
            return (Err(err), server_sent);
        }
    }
    (Ok(client), server_sent)
}

#[test]
fn a_compressed_chain_is_decoded_verified_and_smaller_on_the_wire() {
    let before = COMPRESSED.load(Ordering::SeqCst);
    let (client, compressed_sent) = handshake(&HONEST, &["zlib", "zstd"]);
    let client = client.unwrap();
    assert!(client.authorized(), "{:?}", client.authorization_error());
    assert!(
        COMPRESSED.load(Ordering::SeqCst) > before,
        "the server compressed"
    );
    // The whole chain came through: the leaf and the CA the server sent.
    let chain = client.peer_certificates(true).unwrap();
    assert_eq!(chain[0].subjectaltname.as_deref(), Some("DNS:localhost"));
    assert!(chain.len() >= 2, "{}", chain.len());
    // Not offering zstd: the same chain goes uncompressed, and is longer.
    let (plain, plain_sent) = handshake(&HONEST, &["brotli"]);
    assert!(plain.unwrap().authorized());
    assert!(
        compressed_sent < plain_sent,
        "{compressed_sent} < {plain_sent}"
    );
}

#[test]
fn a_bomb_from_the_server_fails_the_handshake() {
    let (client, _) = handshake(&BOMB, &["zstd"]);
    let err = client.map(|_| ()).unwrap_err();
    assert_eq!(err.code, "ERR_SSL_PROTOCOL_ERROR", "{err:?}");
}
