//! Certificate scenarios for the verification tests: what the server presents,
//! and what the client trusts. Each one's doc gives the code and message Node
//! reports for it when connecting with `host: 'localhost'` (checked by hand
//! against Node's own `tls.connect`); with `rejectUnauthorized: false` Node
//! connects and sets `authorizationError` to the same code.

use test_pki::{days_from_now, self_signed_leaf, Ca, Issued, LeafSpec};

/// A server identity and the client's trust.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The chain the server presents, leaf first, PEM.
    pub server_chain_pem: String,
    /// The server's key, PEM.
    pub server_key_pem: String,
    /// What the client passes as `ca`; `None` means the default roots.
    pub client_ca_pem: Option<String>,
}

/// The server presents `leaf` (followed by `intermediates`, PEM); the client
/// trusts `root`, or the default roots when `None`.
pub fn served(leaf: Issued, intermediates: &str, root: Option<&Ca>) -> Scenario {
    Scenario {
        server_chain_pem: leaf.cert_pem + intermediates,
        server_key_pem: leaf.key_pem,
        client_ca_pem: root.map(Ca::cert_pem),
    }
}

/// A server leaf for localhost and 127.0.0.1.
pub fn localhost() -> LeafSpec {
    LeafSpec::server("localhost", &["localhost", "127.0.0.1"])
}

/// A leaf for localhost and 127.0.0.1 issued by a root the client trusts. Node: authorized.
pub fn good() -> Scenario {
    let root = Ca::new_root("good root");
    let leaf = root.issue(&localhost());
    served(leaf, "", Some(&root))
}

/// Leaf and intermediate sent; the client trusts the root. Node: authorized.
pub fn chain() -> Scenario {
    let root = Ca::new_root("chain root");
    let intermediate = root.issue_intermediate("chain intermediate");
    let leaf = intermediate.issue(&localhost());
    served(leaf, &intermediate.cert_pem(), Some(&root))
}

/// A self-signed leaf; the client uses the default roots.
/// Node: `DEPTH_ZERO_SELF_SIGNED_CERT`, "self-signed certificate" (and Node 26's hint).
pub fn self_signed() -> Scenario {
    let leaf = self_signed_leaf(&localhost());
    served(leaf, "", None)
}

/// A leaf from an unknown CA, sent alone; the client uses the default roots.
/// Node: `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, "unable to verify the first certificate" (and a hint).
pub fn unknown_issuer() -> Scenario {
    let stranger = Ca::new_root("unknown root");
    let leaf = stranger.issue(&localhost());
    served(leaf, "", None)
}

/// Leaf from an intermediate, the intermediate not sent; the client trusts the
/// root. Node: `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, "unable to verify the first certificate" (and a hint).
pub fn missing_intermediate() -> Scenario {
    let root = Ca::new_root("root of the missing intermediate");
    let intermediate = root.issue_intermediate("missing intermediate");
    let leaf = intermediate.issue(&localhost());
    served(leaf, "", Some(&root))
}

/// A leaf valid from 30 days ago until yesterday, from a trusted root.
/// Node: `CERT_HAS_EXPIRED`, "certificate has expired".
pub fn expired() -> Scenario {
    let root = Ca::new_root("expired root");
    let leaf = root.issue(&LeafSpec {
        not_before: days_from_now(-30),
        not_after: days_from_now(-1),
        ..localhost()
    });
    served(leaf, "", Some(&root))
}

/// A trusted leaf whose only name is `DNS:other.test`. Node: `ERR_TLS_CERT_ALTNAME_INVALID`,
/// "Hostname/IP does not match certificate's altnames: Host: localhost. is not in
/// the cert's altnames: DNS:other.test" (for host 127.0.0.1: "... IP: 127.0.0.1 is
/// not in the cert's list: ", ending in a space).
pub fn wrong_name() -> Scenario {
    let root = Ca::new_root("wrong-name root");
    let leaf = root.issue(&LeafSpec {
        dns_names: vec!["other.test".into()],
        ip_addresses: Vec::new(),
        ..localhost()
    });
    served(leaf, "", Some(&root))
}

/// Leaf and intermediate sent, their root unknown; the client uses the default
/// roots. Node: `UNABLE_TO_GET_ISSUER_CERT_LOCALLY`, "unable to get local issuer certificate".
pub fn unknown_root_behind_intermediate() -> Scenario {
    let root = Ca::new_root("unknown root behind an intermediate");
    let intermediate = root.issue_intermediate("intermediate of an unknown root");
    let leaf = intermediate.issue(&localhost());
    served(leaf, &intermediate.cert_pem(), None)
}

/// Leaf, intermediate and their self-signed root all sent; the client uses the
/// default roots. Node: `SELF_SIGNED_CERT_IN_CHAIN`, "self-signed certificate in
/// certificate chain".
pub fn self_signed_root_in_chain() -> Scenario {
    let root = Ca::new_root("self-signed root sent by the server");
    let intermediate = root.issue_intermediate("intermediate under a sent root");
    let leaf = intermediate.issue(&localhost());
    served(leaf, &(intermediate.cert_pem() + &root.cert_pem()), None)
}

/// A leaf valid only from tomorrow, from a trusted root. Node: `CERT_NOT_YET_VALID`,
/// "certificate is not yet valid".
pub fn not_yet_valid() -> Scenario {
    let root = Ca::new_root("not-yet-valid root");
    let leaf = root.issue(&LeafSpec {
        not_before: days_from_now(1),
        not_after: days_from_now(30),
        ..localhost()
    });
    served(leaf, "", Some(&root))
}
