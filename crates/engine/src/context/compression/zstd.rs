//! Zstandard (RFC 8878) by ruzstd: one frame, decoded a block at a time and
//! drained into rustls's buffer of the declared size. The decoder keeps the
//! frame's window of history, so the window a frame may declare is bounded
//! ([`MAX_WINDOW`]); past that, decoded bytes that do not fit fail at once.

use std::io::Read;

use rustls::compress::{CertDecompressor, DecompressionFailed};
use rustls::CertificateCompressionAlgorithm;
use ruzstd::decoding::{BlockDecodingStrategy, FrameDecoder};

/// The zstd decoder.
pub(super) const DECOMPRESSOR: &dyn CertDecompressor = &Zstd;

/// The largest window a frame may declare: the 8 MiB every decoder should
/// support (RFC 8878, section 3.1.1.1.2). A certificate message is at most
/// 64 KiB, which one-shot compressors (OpenSSL's) size their window to.
pub(super) const MAX_WINDOW: u64 = 8 << 20;

#[derive(Debug)]
struct Zstd;

impl CertDecompressor for Zstd {
    fn decompress(&self, input: &[u8], output: &mut [u8]) -> Result<(), DecompressionFailed> {
        let failed = |_| DecompressionFailed;
        let mut decoder = FrameDecoder::new();
        decoder.set_max_window_size(MAX_WINDOW);
        let mut rest = input;
        decoder.init(&mut rest).map_err(failed)?;
        let mut written = 0;
        loop {
            // One block is at most 128 KiB of output.
            let finished = decoder
                .decode_blocks(&mut rest, BlockDecodingStrategy::UptoBlocks(1))
                .map_err(failed)?;
            loop {
                let drained = decoder
                    .read(&mut output[written..])
                    .map_err(|_| DecompressionFailed)?;
                if drained == 0 {
                    break;
                }
                written += drained;
            }
            // Bytes left to drain with the buffer full: more than declared.
            if decoder.can_collect() > 0 {
                return Err(DecompressionFailed);
            }
            if finished {
                break;
            }
        }
        // One frame and nothing after it, filling the buffer exactly.
        if rest.is_empty() && written == output.len() {
            Ok(())
        } else {
            Err(DecompressionFailed)
        }
    }

    fn algorithm(&self) -> CertificateCompressionAlgorithm {
        CertificateCompressionAlgorithm::Zstd
    }
}
