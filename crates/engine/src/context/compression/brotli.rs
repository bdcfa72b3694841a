//! Brotli (RFC 7932) by brotli-decompressor, into rustls's buffer of the
//! declared size: a stream that needs more room than that fails. Standard
//! windows only (at most 16 MiB, allocated no larger than the stream needs);
//! the large-window extension is refused.

use brotli_decompressor::{BrotliDecompressStream, BrotliResult, BrotliState, StandardAlloc};
use rustls::compress::{CertDecompressor, DecompressionFailed};
use rustls::CertificateCompressionAlgorithm;

/// The brotli decoder.
pub(super) const DECOMPRESSOR: &dyn CertDecompressor = &Brotli;

#[derive(Debug)]
struct Brotli;

impl CertDecompressor for Brotli {
    fn decompress(&self, input: &[u8], output: &mut [u8]) -> Result<(), DecompressionFailed> {
        let mut state = BrotliState::new_strict(
            StandardAlloc::default(),
            StandardAlloc::default(),
            StandardAlloc::default(),
        );
        let mut input_left = input.len();
        let mut input_at = 0;
        let mut output_left = output.len();
        let mut output_at = 0;
        let mut total = 0;
        let result = BrotliDecompressStream(
            &mut input_left,
            &mut input_at,
            input,
            &mut output_left,
            &mut output_at,
            output,
            &mut total,
            &mut state,
        );
        // Finished, with every input byte read and the buffer exactly filled.
        match result {
            BrotliResult::ResultSuccess if input_left == 0 && output_left == 0 => Ok(()),
            _ => Err(DecompressionFailed),
        }
    }

    fn algorithm(&self) -> CertificateCompressionAlgorithm {
        CertificateCompressionAlgorithm::Brotli
    }
}
