//! Node's peer-certificate object (`getPeerCertificate()`) from DER.
//!
//! Node builds that object with OpenSSL; this module applies the same rules on
//! top of x509-parser: OpenSSL's short attribute names, `subjectaltname` as one
//! string with Node's JSON escaping, `infoAccess` as Node's JavaScript splits it,
//! dates as `ASN1_TIME_print` writes them, BIGNUM-style hex, and `ca` as
//! `X509_check_ca() == 1`.
//!
//! Nothing here panics on hostile input: it runs in a wasm guest, where a panic
//! ends the instance.
//!
//! - [`peer_certificate`]: the object itself;
//! - [`names`]: attribute values and short names (`subject`, `issuer`);
//! - [`alt_names`] and [`rfc2253`]: `subjectaltname` and `infoAccess`;
//! - [`extensions`]: `ext_key_usage` and `ca`;
//! - [`key`] and [`curves`]: the public key's fields;
//! - [`validity`]: `valid_from` and `valid_to`;
//! - [`format`]: OIDs, serials and fingerprints as OpenSSL writes them;
//! - [`der`]: the engine's DER writer.

mod alt_names;
mod curves;
mod extensions;
mod format;
mod key;
mod names;
mod peer_certificate;
mod rfc2253;
#[cfg(test)]
mod tests;
mod validity;

use x509_parser::prelude::{FromDer, X509Certificate};

use crate::TlsError;
use extensions::{OID_INFO_ACCESS, OID_SUBJECT_ALT_NAME};
use format::{fingerprint, serial_hex};
pub use peer_certificate::PeerCertificate;

/// Describes a DER certificate as Node's `getPeerCertificate()` does.
///
/// A certificate that does not parse, or one OpenSSL would refuse to load (a
/// name with malformed UTF-8 or UCS-2, say), is reported as OpenSSL's generic
/// decoding failure, `ERR_OSSL_ASN1_NESTED_ASN1_ERROR`.
pub(crate) fn describe(der: &[u8]) -> Result<PeerCertificate, TlsError> {
    let (rest, cert) = X509Certificate::from_der(der).map_err(|_| unparseable())?;
    // Node hashes and returns the certificate's own encoding, not what follows it.
    let raw = der
        .get(..der.len().saturating_sub(rest.len()))
        .unwrap_or(der);
    if validity::openssl_refuses_times(&cert) {
        return Err(unparseable());
    }
    let (valid_from, valid_to) = validity::validity_texts(&cert);
    let mut info = PeerCertificate {
        subject: names::name_entries(cert.subject()).ok_or_else(unparseable)?,
        issuer: names::name_entries(cert.issuer()).ok_or_else(unparseable)?,
        subjectaltname: extensions::first(&cert, OID_SUBJECT_ALT_NAME)
            .and_then(alt_names::subject_alt_name),
        info_access: extensions::first(&cert, OID_INFO_ACCESS).and_then(alt_names::info_access),
        ca: extensions::is_ca(&cert),
        valid_from,
        valid_to,
        fingerprint: fingerprint(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, raw),
        fingerprint256: fingerprint(&ring::digest::SHA256, raw),
        fingerprint512: fingerprint(&ring::digest::SHA512, raw),
        ext_key_usage: extensions::ext_key_usage(&cert),
        serial_number: serial_hex(cert.raw_serial()),
        raw: raw.to_vec(),
        ..PeerCertificate::default()
    };
    key::describe_key(cert.public_key(), &mut info);
    Ok(info)
}

/// What OpenSSL reports when `d2i_X509` fails.
fn unparseable() -> TlsError {
    TlsError::new(
        "ERR_OSSL_ASN1_NESTED_ASN1_ERROR",
        "error:0688010A:asn1 encoding routines::nested asn1 error",
    )
}
