//! The default trust: Mozilla's root certificates, as Node bundles its own copy.
//! Kept as whole certificates so that `tls.rootCertificates` can give them as PEM;
//! the trust anchors are derived from them once, on first use.

use std::sync::{Arc, OnceLock};

use pkcs8::der::pem::{encode_string, LineEnding};
use rustls::pki_types::TrustAnchor;

/// The trust anchors of the default roots, parsed once per instance.
pub(crate) fn default_anchors() -> Arc<Vec<TrustAnchor<'static>>> {
    static ANCHORS: OnceLock<Arc<Vec<TrustAnchor<'static>>>> = OnceLock::new();
    ANCHORS
        .get_or_init(|| {
            let anchors = webpki_root_certs::TLS_SERVER_ROOT_CERTS
                .iter()
                .filter_map(|der| webpki::anchor_from_trusted_cert(der).ok())
                .map(|anchor| anchor.to_owned())
                .collect();
            Arc::new(anchors)
        })
        .clone()
}

/// Node writes its bundled roots with 72 base64 characters a line.
const NODE_PEM_WIDTH: usize = 72;

/// `tls.rootCertificates`: each default root as PEM text, in the form Node uses
/// (72-character lines, no newline after the END line).
pub fn root_certificates() -> Vec<String> {
    webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .filter_map(|der| node_pem(der))
        .collect()
}

/// One root as Node writes it: standard PEM rewrapped at 72 characters.
fn node_pem(der: &[u8]) -> Option<String> {
    let standard = encode_string("CERTIFICATE", LineEnding::LF, der).ok()?;
    let base64: String = standard
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in base64.as_bytes().chunks(NODE_PEM_WIDTH) {
        pem.push_str(std::str::from_utf8(line).ok()?);
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----");
    Some(pem)
}

#[cfg(test)]
mod tests;
