//! The context part: Node's `createSecureContext` options other than the
//! credentials.

use crate::javascript::{is_integer, MAX_SAFE_INTEGER};
use crate::options::Pem;
use crate::TlsError;

/// The options that shape a secure context: trust, suites, versions, groups
/// and signature algorithms. `None` means "not given": Node's default applies.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContextOptions {
    /// `ca`: trusted roots replacing the default ones.
    pub ca: Option<Vec<Pem>>,
    /// `crl`: certificate revocation lists, the first CRL of each item. Given,
    /// the whole chain is checked: every issuer needs one.
    pub crl: Option<Vec<Pem>>,
    /// `ciphers`, OpenSSL cipher-list syntax.
    pub ciphers: Option<String>,
    /// `minVersion`.
    pub min_version: Option<String>,
    /// `maxVersion`.
    pub max_version: Option<String>,
    /// `ecdhCurve`: colon-separated group names or 'auto'.
    pub ecdh_curve: Option<String>,
    /// `sigalgs`: colon-separated signature algorithm names.
    pub sigalgs: Option<String>,
    /// `secureProtocol`: OpenSSL's method name.
    pub secure_protocol: Option<String>,
    /// `secureOptions`: OpenSSL's `SSL_OP_*` bits.
    pub secure_options: Option<f64>,
    /// `allowPartialTrustChain`; default false.
    pub allow_partial_trust_chain: Option<bool>,
    /// `certificateCompression`: the algorithms to offer for the server's
    /// certificate (`'zlib'`, `'brotli'`, `'zstd'`), most preferred first.
    /// `None` or empty: none offered.
    pub certificate_compression: Option<Vec<String>>,
}

impl ContextOptions {
    /// `secureOptions` as OpenSSL's `SSL_OP_*` bits, checked as Node checks
    /// them: 0 and NaN mean none; the value must be a safe integer, and a
    /// negative one stands for its 64-bit two's complement, as Node hands it on.
    pub fn secure_option_bits(&self) -> Result<u64, TlsError> {
        let value = match self.secure_options {
            Some(v) if v != 0.0 && !v.is_nan() => v,
            _ => return Ok(0),
        };
        if !is_integer(value) {
            return Err(TlsError::out_of_range("secureOptions", "an integer", value));
        }
        if value.abs() > MAX_SAFE_INTEGER {
            return Err(TlsError::out_of_range(
                "secureOptions",
                ">= -9007199254740991 && <= 9007199254740991",
                value,
            ));
        }
        Ok((value as i64) as u64)
    }
}
