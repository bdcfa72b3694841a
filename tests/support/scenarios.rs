//! Certificate scenarios for the verification tests, each named for the answer
//! Node gives: what the server presents, and what the client trusts.

use std::net::IpAddr;
use std::time::{Duration, SystemTime};

use host_example::pki::{self_signed_leaf, Ca, LeafSpec};

/// A server identity and the client's trust.
pub struct Scenario {
    /// The chain the server presents, leaf first, PEM.
    pub server_chain_pem: String,
    /// The server's key, PEM.
    pub server_key_pem: String,
    /// What the client passes as `ca`; `None` means the default roots.
    pub client_ca_pem: Option<String>,
}

fn localhost() -> LeafSpec {
    LeafSpec::server("localhost", &["localhost", "127.0.0.1"])
}

/// A leaf issued by a root the client trusts.
pub fn good() -> Scenario {
    let root = Ca::new_root("good root");
    let leaf = root.issue(&localhost());
    Scenario {
        server_chain_pem: leaf.cert_pem,
        server_key_pem: leaf.key_pem,
        client_ca_pem: Some(root.cert_pem()),
    }
}

/// Leaf and intermediate sent; the client trusts the root.
pub fn chain() -> Scenario {
    let root = Ca::new_root("chain root");
    let intermediate = root.issue_intermediate("chain intermediate");
    let leaf = intermediate.issue(&localhost());
    Scenario {
        server_chain_pem: leaf.cert_pem + &intermediate.cert_pem(),
        server_key_pem: leaf.key_pem,
        client_ca_pem: Some(root.cert_pem()),
    }
}

/// A self-signed leaf; the client uses the default roots. Node: DEPTH_ZERO_SELF_SIGNED_CERT.
pub fn self_signed() -> Scenario {
    let leaf = self_signed_leaf(&localhost());
    Scenario {
        server_chain_pem: leaf.cert_pem,
        server_key_pem: leaf.key_pem,
        client_ca_pem: None,
    }
}

/// A leaf from an unknown CA, sent alone; default roots. Node: UNABLE_TO_VERIFY_LEAF_SIGNATURE.
pub fn unknown_issuer() -> Scenario {
    let stranger = Ca::new_root("unknown root");
    let leaf = stranger.issue(&localhost());
    Scenario {
        server_chain_pem: leaf.cert_pem,
        server_key_pem: leaf.key_pem,
        client_ca_pem: None,
    }
}

/// Leaf from an intermediate, the intermediate not sent; the client trusts the
/// root. Node: UNABLE_TO_VERIFY_LEAF_SIGNATURE.
pub fn missing_intermediate() -> Scenario {
    let root = Ca::new_root("root of the missing intermediate");
    let intermediate = root.issue_intermediate("missing intermediate");
    let leaf = intermediate.issue(&localhost());
    Scenario {
        server_chain_pem: leaf.cert_pem,
        server_key_pem: leaf.key_pem,
        client_ca_pem: Some(root.cert_pem()),
    }
}

/// A leaf that expired yesterday, from a trusted root. Node: CERT_HAS_EXPIRED.
pub fn expired() -> Scenario {
    let root = Ca::new_root("expired root");
    let now = SystemTime::now();
    let leaf = root.issue(&LeafSpec {
        not_before: now - Duration::from_secs(30 * 86_400),
        not_after: now - Duration::from_secs(86_400),
        ..localhost()
    });
    Scenario {
        server_chain_pem: leaf.cert_pem,
        server_key_pem: leaf.key_pem,
        client_ca_pem: Some(root.cert_pem()),
    }
}

/// A good chain for another name. Node: ERR_TLS_CERT_ALTNAME_INVALID.
pub fn wrong_name() -> Scenario {
    let root = Ca::new_root("wrong-name root");
    let leaf = root.issue(&LeafSpec {
        dns_names: vec!["other.test".into()],
        ip_addresses: Vec::<IpAddr>::new(),
        ..localhost()
    });
    Scenario {
        server_chain_pem: leaf.cert_pem,
        server_key_pem: leaf.key_pem,
        client_ca_pem: Some(root.cert_pem()),
    }
}
