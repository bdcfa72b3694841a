//! OpenSSL's chain verification failures (`X509_V_ERR_*`) as Node reports
//! them: its text as the message, and its name as the code where Node's
//! `X509ErrorCode` list knows it (`UNSPECIFIED` elsewhere).

use crate::TlsError;

/// OpenSSL's verification failures this engine names: `X509_V_ERR_<name>`,
/// OpenSSL's text for it, and whether Node gives the name as `err.code` (its
/// `X509ErrorCode` list); for the others Node's code is `UNSPECIFIED`. Sorted
/// by name, for a binary search.
#[rustfmt::skip]
const X509_ERRORS: &[(&str, &str, bool)] = &[
    ("CA_KEY_TOO_SMALL", "CA certificate key too weak", false),
    ("CA_MD_TOO_WEAK", "CA signature digest algorithm too weak", false),
    ("CERT_CHAIN_TOO_LONG", "certificate chain too long", true),
    ("CERT_HAS_EXPIRED", "certificate has expired", true),
    ("CERT_NOT_YET_VALID", "certificate is not yet valid", true),
    ("CERT_REVOKED", "certificate revoked", true),
    ("CERT_SIGNATURE_FAILURE", "certificate signature failure", true),
    ("CERT_UNTRUSTED", "certificate not trusted", true),
    ("CRL_HAS_EXPIRED", "CRL has expired", true),
    ("CRL_NOT_YET_VALID", "CRL is not yet valid", true),
    ("CRL_SIGNATURE_FAILURE", "CRL signature failure", true),
    ("DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate", true),
    ("EE_KEY_TOO_SMALL", "EE certificate key too weak", false),
    ("INVALID_CA", "invalid CA certificate", true),
    ("INVALID_PURPOSE", "unsuitable certificate purpose", true),
    ("KEYUSAGE_NO_CRL_SIGN", "key usage does not include CRL signing", false),
    ("PATH_LENGTH_EXCEEDED", "path length constraint exceeded", true),
    ("PERMITTED_VIOLATION", "permitted subtree violation", false),
    ("SELF_SIGNED_CERT_IN_CHAIN", "self-signed certificate in certificate chain", true),
    ("UNABLE_TO_GET_CRL", "unable to get certificate CRL", true),
    ("UNABLE_TO_GET_ISSUER_CERT", "unable to get issuer certificate", true),
    ("UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "unable to get local issuer certificate", true),
    ("UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate", true),
    ("UNHANDLED_CRITICAL_CRL_EXTENSION", "unhandled critical CRL extension", false),
    ("UNHANDLED_CRITICAL_EXTENSION", "unhandled critical extension", false),
    ("UNSPECIFIED", "unspecified certificate verification error", true),
    ("UNSUPPORTED_NAME_SYNTAX", "unsupported or invalid name syntax", false),
];

/// The failures after whose text Node 26 adds [`SYSTEM_CA_HINT`]: those a root
/// in the system's store might have avoided.
const SYSTEM_CA_HINTED: &[&str] = &[
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "UNABLE_TO_GET_ISSUER_CERT",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
];

/// Node 26's hint, after OpenSSL's text of a [`SYSTEM_CA_HINTED`] failure.
const SYSTEM_CA_HINT: &str =
    "; if the root CA is installed locally, try running Node.js with --use-system-ca";

/// An OpenSSL verification failure (`X509_V_ERR_<name>`) as Node reports it:
/// `err.code` is the name when Node knows it, else `UNSPECIFIED`; `err.message`
/// is OpenSSL's text, with Node 26's `--use-system-ca` hint where it adds one.
pub(crate) fn openssl_error(name: &str) -> TlsError {
    let known = X509_ERRORS
        .binary_search_by(|(known, _, _)| (*known).cmp(name))
        .ok()
        .and_then(|index| X509_ERRORS.get(index));
    let (code, text) = match known {
        Some((_, text, true)) => (name, *text),
        Some((_, text, false)) => ("UNSPECIFIED", *text),
        None => ("UNSPECIFIED", "certificate verify failed"),
    };
    if SYSTEM_CA_HINTED.contains(&name) {
        return TlsError::new(code, format!("{text}{SYSTEM_CA_HINT}"));
    }
    TlsError::new(code, text)
}

#[cfg(test)]
mod tests {
    use super::X509_ERRORS;

    #[test]
    fn table_is_sorted_for_the_binary_search() {
        assert!(X509_ERRORS.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }
}
