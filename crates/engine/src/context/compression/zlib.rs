//! zlib (RFC 1950) by miniz_oxide, into rustls's buffer of the declared size:
//! a stream that would write past it stops there and fails.

use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;
use rustls::compress::{CertDecompressor, DecompressionFailed};
use rustls::CertificateCompressionAlgorithm;

/// The zlib decoder.
pub(super) const DECOMPRESSOR: &dyn CertDecompressor = &Zlib;

#[derive(Debug)]
struct Zlib;

impl CertDecompressor for Zlib {
    fn decompress(&self, input: &[u8], output: &mut [u8]) -> Result<(), DecompressionFailed> {
        // The whole input at once, into a buffer that is the whole output: no
        // window of its own, and the Adler-32 checked at the end.
        let flags = inflate_flags::TINFL_FLAG_PARSE_ZLIB_HEADER
            | inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
        let mut state = Box::<DecompressorOxide>::default();
        match decompress(&mut state, input, output, 0, flags) {
            (TINFLStatus::Done, read, written)
                if read == input.len() && written == output.len() =>
            {
                Ok(())
            }
            _ => Err(DecompressionFailed),
        }
    }

    fn algorithm(&self) -> CertificateCompressionAlgorithm {
        CertificateCompressionAlgorithm::Zlib
    }
}
