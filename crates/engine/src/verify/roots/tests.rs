//! The default roots: each a trust anchor, and written as Node writes its own.

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
    if !test_pki::require(&["node"]) {
        return;
    }
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
