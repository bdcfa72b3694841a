//! The bad-certificate matrix: for each case, what the server presents, what the
//! client trusts, the name it checks, what Node answers, and what the
//! component answers where it cannot answer as Node does. Every certificate is
//! made here, by rcgen (`test_pki`) or, for what rcgen cannot make (an
//! RSA 1024 key, a SHA-1 signature), by the openssl CLI.

use rcgen::{BasicConstraints, GeneralSubtree, IsCa, KeyUsagePurpose, NameConstraints};
use test_pki::{self as pki, Ca, LeafSpec, NewKey, TempDir};

use super::matrix::{hinted, refused, Trust, Verdict};
use super::scenarios::{self, localhost, served, Scenario};

/// Where the component cannot answer as Node does, and why.
#[derive(Debug, Clone)]
pub enum Difference {
    /// The component answers `ours` instead of Node's verdict.
    Answers {
        /// The component's verdict (asserted, so the test still fails if it changes).
        ours: Verdict,
        /// What Node answers with `ciphers: 'DEFAULT@SECLEVEL=2'`, asked too,
        /// when the difference is one of OpenSSL's security level.
        node_at_level_2: Option<Verdict>,
        /// Why.
        why: &'static str,
    },
    /// The component cannot be given the case at all.
    NotTried {
        /// Why.
        why: &'static str,
    },
}

/// One case of the matrix.
#[derive(Debug, Clone)]
pub struct Case {
    /// What is wrong with the certificate.
    pub name: &'static str,
    /// The chain the server presents, leaf first, PEM.
    pub server_chain_pem: String,
    /// The server's key, PEM.
    pub server_key_pem: String,
    /// The Node server's `ciphers`, to lower OpenSSL's security level so that it
    /// serves a certificate it would refuse to load.
    pub server_ciphers: Option<String>,
    /// The client's `ca`; `None`: the default roots.
    pub client_ca_pem: Option<String>,
    /// The client's `crl`, for Node's client and the component alike.
    pub crl_pem: Option<String>,
    /// The client's `servername`: sent as SNI and checked against the certificate.
    pub servername: &'static str,
    /// What Node's `tls.connect()` answers with rejectUnauthorized true.
    pub node: Verdict,
    /// Where the component's answer is not Node's; `None`: it is Node's.
    pub difference: Option<Difference>,
}

impl Case {
    /// Its client side.
    pub fn trust(&self) -> Trust<'_> {
        Trust {
            servername: self.servername,
            ca_pem: self.client_ca_pem.as_deref(),
            crl_pem: self.crl_pem.as_deref(),
        }
    }

    fn new(
        name: &'static str,
        scenario: Scenario,
        servername: &'static str,
        node: Verdict,
    ) -> Self {
        Self {
            name,
            server_chain_pem: scenario.server_chain_pem,
            server_key_pem: scenario.server_key_pem,
            server_ciphers: None,
            client_ca_pem: scenario.client_ca_pem,
            crl_pem: None,
            servername,
            node,
            difference: None,
        }
    }
}

/// A leaf whose only name is the DNS name `pattern`, from a trusted root.
fn only_name(pattern: &str) -> Scenario {
    let root = Ca::new_root("wildcard root");
    let leaf = root.issue(&LeafSpec::server("wildcard leaf", &[pattern]));
    served(leaf, "", Some(&root))
}

/// Leaf and `intermediate` (made by `adjust`) sent, the root trusted.
fn through_intermediate(adjust: impl FnOnce(&mut rcgen::CertificateParams)) -> Scenario {
    let root = Ca::new_root("root of a bad intermediate");
    let intermediate = root.issue_intermediate_with("bad intermediate", adjust);
    let leaf = intermediate.issue(&localhost());
    served(leaf, &intermediate.cert_pem(), Some(&root))
}

/// A leaf for localhost and 127.0.0.1 (serverAuth) made by the openssl CLI
/// for what rcgen cannot make: its key `key`, signed with `digest` (`sha1`,
/// `sha256`) by a new root named `root_name`, which the client trusts.
fn openssl_served(root_name: &str, key: NewKey, digest: &str) -> Scenario {
    let root = Ca::new_root(root_name);
    let dir = TempDir::new("openssl-leaf");
    dir.write_ca("root", &root);
    dir.write(
        "leaf.ext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1\n\
         extendedKeyUsage=serverAuth\n\
         keyUsage=digitalSignature,keyEncipherment\n\
         authorityKeyIdentifier=keyid\n",
    );
    dir.request("leaf", key, "/CN=localhost/O=tls-connect tests");
    let digest = format!("-{digest}");
    let leaf = dir.sign("leaf", "root", 4242, 30, &[&digest, "-extfile", "leaf.ext"]);
    served(leaf, "", Some(&root))
}

/// Node's answer when the name does not match: `ERR_TLS_CERT_ALTNAME_INVALID`.
fn altname_invalid(host: &str, altnames: &str) -> Verdict {
    refused(
        "ERR_TLS_CERT_ALTNAME_INVALID",
        &format!(
            "Hostname/IP does not match certificate's altnames: Host: {host}. is not in the cert's altnames: {altnames}"
        ),
    )
}

/// A trusted chain, for the matrix's control: it connects, and the server
/// receives what the client wrote.
pub fn control() -> Case {
    Case::new(
        "control: trusted chain",
        scenarios::chain(),
        "localhost",
        None,
    )
}

/// Every bad-certificate case, in the issue's order.
pub fn all() -> Vec<Case> {
    vec![
        Case::new(
            "expired",
            scenarios::expired(),
            "localhost",
            refused("CERT_HAS_EXPIRED", "certificate has expired"),
        ),
        Case::new(
            "not yet valid",
            scenarios::not_yet_valid(),
            "localhost",
            refused("CERT_NOT_YET_VALID", "certificate is not yet valid"),
        ),
        Case::new(
            "wrong host",
            scenarios::wrong_name(),
            "localhost",
            altname_invalid("localhost", "DNS:other.test"),
        ),
        // Naive matching would let `*` stand for `example`.
        Case::new(
            "wildcard abuse: *.com",
            only_name("*.com"),
            "example.com",
            altname_invalid("example.com", "DNS:*.com"),
        ),
        // Naive matching would let `*` stand for `b`.
        Case::new(
            "wildcard abuse: a.*.example",
            only_name("a.*.example"),
            "a.b.example",
            altname_invalid("a.b.example", "DNS:a.*.example"),
        ),
        Case::new(
            "self-signed",
            scenarios::self_signed(),
            "localhost",
            refused(
                "DEPTH_ZERO_SELF_SIGNED_CERT",
                &hinted("self-signed certificate"),
            ),
        ),
        Case::new(
            "untrusted root, sent with the chain",
            scenarios::self_signed_root_in_chain(),
            "localhost",
            refused(
                "SELF_SIGNED_CERT_IN_CHAIN",
                "self-signed certificate in certificate chain",
            ),
        ),
        Case::new(
            "untrusted root, not sent",
            scenarios::unknown_root_behind_intermediate(),
            "localhost",
            refused(
                "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
                "unable to get local issuer certificate",
            ),
        ),
        Case::new(
            "untrusted root, another root in ca",
            untrusted_root_other_ca(),
            "localhost",
            refused(
                "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
                "unable to get local issuer certificate",
            ),
        ),
        // webpki takes the trusted root by name and fails its signature; OpenSSL
        // compares the key identifiers too, and finds no issuer.
        Case::new(
            "issuer's key identifier names another key",
            twin_named_issuer(),
            "localhost",
            refused(
                "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
                &hinted("unable to verify the first certificate"),
            ),
        ),
        Case::new(
            "missing intermediate",
            scenarios::missing_intermediate(),
            "localhost",
            refused(
                "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
                &hinted("unable to verify the first certificate"),
            ),
        ),
        revoked(),
        crl_missing_for_an_issuer(),
        Case::new(
            "wrong extended key usage (clientAuth only)",
            wrong_eku(),
            "localhost",
            refused("INVALID_PURPOSE", "unsuitable certificate purpose"),
        ),
        Case::new(
            "CA certificate as leaf, not trusted",
            ca_as_leaf(),
            "localhost",
            refused(
                "DEPTH_ZERO_SELF_SIGNED_CERT",
                &hinted("self-signed certificate"),
            ),
        ),
        Case::new(
            "name constraints violated",
            through_intermediate(|params| {
                params.name_constraints = Some(NameConstraints {
                    permitted_subtrees: vec![GeneralSubtree::DnsName("allowed.test".into())],
                    excluded_subtrees: Vec::new(),
                });
            }),
            "localhost",
            // OpenSSL's X509_V_ERR_PERMITTED_VIOLATION, which Node does not name.
            refused("UNSPECIFIED", "permitted subtree violation"),
        ),
        rsa_1024(),
        sha1_signed(),
        Case::new(
            "intermediate with CA:FALSE",
            through_intermediate(|params| params.is_ca = IsCa::ExplicitNoCa),
            "localhost",
            // OpenSSL's purpose check runs after its CA check, and Node reports the last.
            refused("INVALID_PURPOSE", "unsuitable certificate purpose"),
        ),
        Case::new(
            "intermediate without basicConstraints",
            through_intermediate(|params| params.is_ca = IsCa::NoCa),
            "localhost",
            refused("INVALID_CA", "invalid CA certificate"),
        ),
    ]
}

/// A leaf from an impostor root that has the trusted root's name: the leaf's
/// authority key identifier names the impostor's key.
pub fn twin_named_issuer() -> Scenario {
    let trusted = Ca::new_root("twin-named root");
    let impostor = Ca::new_root("twin-named root");
    let leaf = impostor.issue(&localhost());
    served(leaf, "", Some(&trusted))
}

fn untrusted_root_other_ca() -> Scenario {
    let root = Ca::new_root("root nobody trusts");
    let intermediate = root.issue_intermediate("intermediate of the untrusted root");
    let leaf = intermediate.issue(&localhost());
    let other = Ca::new_root("the root the client trusts");
    served(leaf, &intermediate.cert_pem(), Some(&other))
}

fn wrong_eku() -> Scenario {
    let root = Ca::new_root("wrong-purpose root");
    let leaf = root.issue(&LeafSpec {
        server_auth: false,
        client_auth: true,
        ..localhost()
    });
    served(leaf, "", Some(&root))
}

/// A self-signed CA certificate (CA:TRUE, keyCertSign) for localhost, served as
/// the leaf; the client uses the default roots.
fn ca_as_leaf() -> Scenario {
    let leaf = pki::self_signed_leaf_with(&localhost(), |params| {
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages.push(KeyUsagePurpose::KeyCertSign);
    });
    served(leaf, "", None)
}

/// A leaf its root revoked, and the root's CRL given as `crl`.
fn revoked() -> Case {
    const SERIAL: &[u8] = &[0x0B, 0xAD];
    let root = Ca::new_root("revoking root");
    let leaf = root.issue_with(&localhost(), |params| {
        params.serial_number = Some(rcgen::SerialNumber::from_slice(SERIAL));
    });
    let crl = root.crl_revoking(&[SERIAL]);
    Case {
        crl_pem: Some(crl),
        ..Case::new(
            "revoked by CRL",
            served(leaf, "", Some(&root)),
            "localhost",
            refused("CERT_REVOKED", "certificate revoked"),
        )
    }
}

/// Leaf and intermediate sent; `crl` holds only the root's (empty) CRL, so the
/// intermediate's verdict on the leaf is unknown: OpenSSL checks the whole chain.
fn crl_missing_for_an_issuer() -> Case {
    let root = Ca::new_root("root with a CRL");
    let intermediate = root.issue_intermediate("intermediate without a CRL");
    let leaf = intermediate.issue(&localhost());
    Case {
        crl_pem: Some(root.crl_revoking(&[])),
        ..Case::new(
            "no CRL from an issuer in the chain",
            served(leaf, &intermediate.cert_pem(), Some(&root)),
            "localhost",
            refused("UNABLE_TO_GET_CRL", "unable to get certificate CRL"),
        )
    }
}

/// A leaf with an RSA 1024 key (made by openssl; ring makes no RSA keys).
/// Node 26 refuses it at its default security level (2), and its server
/// loads it only at level 0. Ours refuses it too: ring verifies no RSA
/// signature from a key under 2048 bits.
fn rsa_1024() -> Case {
    Case {
        server_ciphers: Some("DEFAULT@SECLEVEL=0".to_owned()),
        ..Case::new(
            "RSA 1024 leaf",
            openssl_served("RSA 1024 root", NewKey::Rsa(1024), "sha256"),
            "localhost",
            refused("UNSPECIFIED", "EE certificate key too weak"),
        )
    }
}

/// A leaf signed with ECDSA over SHA-1 (made by openssl; rcgen signs no SHA-1).
/// Node's server refuses to load it at its default security level: it serves
/// it at level 0.
fn sha1_signed() -> Case {
    Case {
        server_ciphers: Some("DEFAULT@SECLEVEL=0".to_owned()),
        ..Case::new(
            "SHA-1-signed leaf",
            openssl_served("SHA-1 root", NewKey::EcP256, "sha1"),
            "localhost",
            // OpenSSL's X509_V_ERR_CA_MD_TOO_WEAK, which Node does not name.
            refused("UNSPECIFIED", "CA signature digest algorithm too weak"),
        )
    }
}
