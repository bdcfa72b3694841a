//! The work a server's chain may cost, whatever the server sends. Every bound
//! of the certificate decision is listed here, with where it is enforced and
//! what Node (OpenSSL) does instead; README's "Hostile peers and bad input"
//! and `tests/bounds.rs` (which asks Node 26 first) say the same.
//!
//! | bound | ours | Node 26 (OpenSSL 3.5) |
//! |---|---|---|
//! | certificate message | 65,535 bytes (rustls's cap on any handshake message); above it `ERR_SSL_EXCESSIVE_MESSAGE_SIZE` (`error::alert`) | 102,400 bytes (`max_cert_list`); above it `ERR_SSL_EXCESSIVE_MESSAGE_SIZE` |
//! | intermediates considered | the first [`MAX_INTERMEDIATES`] after the leaf; the rest are ignored | every certificate sent |
//! | chain built | 102 certificates, trust anchor included (`openssl_chain::build`, as OpenSSL's `build_chain`); the top reached is judged as any other | the same (verify depth 100) |
//! | issuers sharing a name | webpki, whose path search backtracks over same-named issuers, sees the chain only when at most [`MAX_NAME_REPEATS`] served certificates repeat a subject name; otherwise the OpenSSL model (one path, no backtracking) judges alone | one path, no backtracking |
//! | name constraints | OpenSSL's own guard ([`NAME_CHECKS_TOO_COSTLY`], `openssl_chain::name_checks_too_costly`), then webpki's budget of 250,000 comparisons; either spent: `UNSPECIFIED` | the same guard: `UNSPECIFIED` |
//! | signatures | webpki's budget of 100, then one per link in the model (at most 101) | one per link |
//!
//! With these, a pathological chain (x509-limbo's `pathological::*`: 100
//! intermediates sharing one name, or a root with 4,096 name constraints over
//! a leaf with 4,096 names) is judged in milliseconds.

use rustls::pki_types::CertificateDer;

use super::names::names;

/// How many of the server's certificates after the leaf are considered as
/// issuers, in the order sent: OpenSSL's verify depth. Real chains send one to
/// three; rustls's 64 KiB certificate message holds at most about 150.
pub(super) const MAX_INTERMEDIATES: usize = 100;

/// How many served certificates may repeat a subject name an earlier one has
/// before webpki's path search is skipped. webpki tries every combination of
/// same-named issuers, up to its budget of 200,000 steps (60 to 100 ms natively
/// for eight self-issued intermediates of one name); with two repeats it tries
/// at most a handful, which is what a cross-signed issuer needs.
pub(super) const MAX_NAME_REPEATS: usize = 2;

/// OpenSSL's name for a chain whose name-constraint check it will not pay for
/// (`X509_V_ERR_UNSPECIFIED`, from `NAME_CONSTRAINTS_check`): Node's `err.code`
/// is `UNSPECIFIED`, its message "unspecified certificate verification error".
pub(super) const NAME_CHECKS_TOO_COSTLY: &str = "UNSPECIFIED";

/// The largest certificate webpki reads: its DER lengths stop at two bytes.
const WEBPKI_MAX_CERTIFICATE: usize = 0xFFFF;

/// The served certificates considered as issuers.
pub(super) fn considered<'c, 'a>(served: &'c [CertificateDer<'a>]) -> &'c [CertificateDer<'a>] {
    &served[..served.len().min(MAX_INTERMEDIATES)]
}

/// Whether more than [`MAX_NAME_REPEATS`] of the served certificates repeat
/// a subject name, so that webpki's search could take up its whole budget.
/// The issuers from `ca` are the caller's own configuration and are not counted.
/// The same certificate sent twice is one (servers do send duplicates, and
/// webpki never takes one certificate twice in a path).
pub(super) fn webpki_may_explode(served: &[CertificateDer<'_>]) -> bool {
    let mut certificates: Vec<&[u8]> = served.iter().map(|der| der.as_ref()).collect();
    certificates.sort_unstable();
    certificates.dedup();
    let mut subjects: Vec<&[u8]> = certificates
        .iter()
        .filter_map(|der| names(der).map(|names| names.subject))
        .collect();
    let named = subjects.len();
    subjects.sort_unstable();
    subjects.dedup();
    named - subjects.len() > MAX_NAME_REPEATS
}

/// Whether the certificate is too long for webpki to read at all.
pub(super) fn too_long_for_webpki(der: &[u8]) -> bool {
    der.len() > WEBPKI_MAX_CERTIFICATE
}
