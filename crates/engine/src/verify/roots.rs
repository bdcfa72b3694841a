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
mod tests {
    use super::*;

    #[test]
    fn every_root_is_an_anchor_and_a_pem_block() {
        let pems = root_certificates();
        assert!(pems.len() > 100, "{} roots", pems.len());
        assert_eq!(default_anchors().len(), pems.len());
        for pem in &pems {
            assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
            assert!(pem.ends_with("\n-----END CERTIFICATE-----"));
            assert!(pem.lines().all(|line| line.len() <= NODE_PEM_WIDTH));
        }
    }

    #[test]
    fn node_formats_root_certificates_the_same_way() {
        let node = test_pki::node::run(
            "process.stdout.write(require('tls').rootCertificates.join('\\n=====\\n'))",
            &[],
        );
        let node_pems: Vec<&str> = node.split("\n=====\n").collect();
        let ours = root_certificates();
        let flat = |pem: &str| pem.split_whitespace().collect::<String>();
        // Both bundles are Mozilla's list, some releases apart. Every certificate
        // in both must be written byte for byte as Node writes it.
        let mut shared = 0;
        for node_pem in &node_pems {
            if let Some(our_pem) = ours.iter().find(|o| flat(o) == flat(node_pem)) {
                assert_eq!(our_pem, node_pem);
                shared += 1;
            }
        }
        assert!(
            shared * 2 > node_pems.len(),
            "{shared} of {} shared",
            node_pems.len()
        );
    }
}
