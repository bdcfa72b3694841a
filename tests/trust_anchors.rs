//! Trust anchors as OpenSSL takes them, judged by Node 26: version 1
//! certificates (made here by the openssl CLI), a self-signed server
//! certificate given as `ca` (as `openssl req -x509` makes it, with
//! `basicConstraints CA:TRUE` and without, and as rcgen makes it),
//! `allowPartialTrustChain`, and issuers told apart by key identifier.
//!
//! Each case is served by Node's own `tls.createServer`. Node's own
//! `tls.connect()` is asked first, with rejectUnauthorized true and false, and
//! must answer as the case says; then the component must give the same answer:
//! with rejectUnauthorized true, attached and sans-IO, the same error code and
//! message (or a connection); with false, attached, the same `authorized` and
//! `authorizationError`, and data still flows. The forged, impostor and
//! tampered cases show that nothing is accepted by names alone.

mod support;

use std::fmt::Write as _;
use std::net::TcpStream;

use host_example::{ClientInstance, ConnectOptions};
use rcgen::{BasicConstraints, IsCa, KeyUsagePurpose};
use serde_json::json;
use support::bad_certs::twin_named_issuer;
use support::component::{echo_attached, instance};
use support::connect::authorization;
use support::drive::{self, Plan};
use support::matrix::{
    assert_all_held, hinted, refused, show, table_line, verdict_of, Trust, Verdict,
};
use support::oracle::node_verdict;
use support::peers::{NodeServer, NodeServerConfig};
use support::scenarios::localhost;
use test_pki::{self as pki, Ca, Issued, LeafSpec, NewKey, TempDir};

/// The name both clients verify (sent as SNI; the version 1 leaves carry it as CN).
const NAME: &str = "localhost";

/// One case: what the server presents, what the client trusts, and Node's answer.
struct Case {
    name: &'static str,
    /// The server's chain, leaf first, PEM.
    chain_pem: String,
    /// The server's key, PEM.
    key_pem: String,
    /// `ca`; `None`: the default roots.
    ca_pem: Option<String>,
    /// `crl`.
    crl_pem: Option<String>,
    /// `allowPartialTrustChain`.
    partial: Option<bool>,
    /// Node's answer with rejectUnauthorized true: `None`, it connects.
    node: Verdict,
}

impl Case {
    fn new(name: &'static str, chain_pem: String, key_pem: String, ca_pem: Option<String>) -> Self {
        Self {
            name,
            chain_pem,
            key_pem,
            ca_pem,
            crl_pem: None,
            partial: None,
            node: None,
        }
    }

    /// `server` presents its certificate alone.
    fn serving(name: &'static str, server: &Issued, ca_pem: Option<String>) -> Self {
        Self::new(
            name,
            server.cert_pem.clone(),
            server.key_pem.clone(),
            ca_pem,
        )
    }

    /// Node refuses it with `code` and `message`.
    fn refused(self, code: &str, message: &str) -> Self {
        Self {
            node: refused(code, message),
            ..self
        }
    }
}

fn depth_zero() -> Verdict {
    refused(
        "DEPTH_ZERO_SELF_SIGNED_CERT",
        &hinted("self-signed certificate"),
    )
}

fn leaf_signature() -> Verdict {
    refused(
        "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        &hinted("unable to verify the first certificate"),
    )
}

/// `openssl x509 -text` of `{name}.pem` in `dir`.
fn text(dir: &TempDir, name: &str) -> String {
    let pem = format!("{name}.pem");
    String::from_utf8_lossy(&dir.openssl(&["x509", "-noout", "-text", "-in", &pem])).into_owned()
}

/// A version 1 certificate (`x509 -req` without extensions) for a new key and
/// `subject`, valid for `days` (-1: already expired), signed by `issuer`'s key,
/// or self-signed when `issuer` is `name`.
fn v1(dir: &TempDir, name: &str, subject: &str, issuer: &str, serial: u32, days: i32) -> Issued {
    dir.request(name, NewKey::EcP256, subject);
    let cert = dir.sign(name, issuer, serial, days, &[]);
    assert!(
        text(dir, name).contains("Version: 1 (0x0)"),
        "{name} is not version 1"
    );
    cert
}

/// A self-signed certificate for localhost from `openssl req -x509`: its
/// default extensions (basicConstraints CA:TRUE, key identifiers), or with
/// `no_ca` a config whose only extension is the subjectAltName.
fn req_x509(dir: &TempDir, name: &str, no_ca: bool) -> Issued {
    let extra: &[&str] = if no_ca {
        dir.write(
            "no-ca.cnf",
            "[req]\ndistinguished_name = dn\nx509_extensions = ext\nprompt = no\n\
             [dn]\nCN = localhost\n[ext]\nsubjectAltName = DNS:localhost\n",
        );
        &["-config", "no-ca.cnf"]
    } else {
        &["-addext", "subjectAltName=DNS:localhost"]
    };
    let cert = dir.self_signed(name, NewKey::EcP256, "/CN=localhost", 10, extra);
    let has_ca = text(dir, name).contains("CA:TRUE");
    assert_eq!(has_ca, !no_ca, "{name}: basicConstraints as intended");
    cert
}

/// The version 1 cases.
fn version_1_cases(dir: &TempDir) -> Vec<Case> {
    let root = Ca::new_root("trust-anchors root");
    dir.write_ca("root", &root);
    let leaf = v1(dir, "leaf", "/CN=localhost", "root", 0x42, 10);
    let v1_root = v1(dir, "v1root", "/CN=trust-anchors v1 root", "v1root", 1, 30);
    let leaf_of_v1_root = v1(dir, "leaf2", "/CN=localhost", "v1root", 2, 10);
    let own = v1(dir, "own", "/CN=localhost", "own", 3, 10);
    let look_alike = v1(dir, "lookalike", "/CN=localhost", "lookalike", 4, 10);
    let impostor = Ca::new_root("trust-anchors root");
    dir.write_ca("impostor", &impostor);
    let forged = v1(dir, "forged", "/CN=localhost", "impostor", 5, 10);
    let expired = v1(dir, "expired", "/CN=localhost", "root", 6, -1);
    let intermediate = v1(
        dir,
        "int",
        "/CN=trust-anchors v1 intermediate",
        "root",
        7,
        10,
    );
    let below_intermediate = v1(dir, "leaf3", "/CN=localhost", "int", 8, 10);
    let v3_leaf_of_v1_root = {
        dir.request("leaf4", NewKey::EcP256, "/CN=localhost");
        dir.write("leaf4.ext", "subjectAltName=DNS:localhost\n");
        dir.sign("leaf4", "v1root", 9, 10, &["-extfile", "leaf4.ext"])
    };
    let trusted = Some(root.cert_pem());
    vec![
        Case::serving("v1 leaf, trusted root", &leaf, trusted.clone()),
        Case::serving(
            "v1 leaf, v1 root in ca",
            &leaf_of_v1_root,
            Some(v1_root.cert_pem.clone()),
        ),
        Case::serving(
            "v3 leaf, v1 root in ca",
            &v3_leaf_of_v1_root,
            Some(v1_root.cert_pem),
        ),
        Case::serving(
            "v1 self-signed leaf in ca",
            &own,
            Some(own.cert_pem.clone()),
        ),
        Case {
            node: depth_zero(),
            ..Case::serving("v1 self-signed leaf, default roots", &own, None)
        },
        Case {
            node: depth_zero(),
            ..Case::serving(
                "v1 self-signed leaf, a look-alike in ca",
                &own,
                Some(look_alike.cert_pem),
            )
        },
        Case::serving(
            "v1 leaf forged under the root's name",
            &forged,
            trusted.clone(),
        )
        .refused("CERT_SIGNATURE_FAILURE", "certificate signature failure"),
        Case::serving("v1 leaf expired", &expired, trusted.clone())
            .refused("CERT_HAS_EXPIRED", "certificate has expired"),
        Case {
            node: leaf_signature(),
            ..Case::serving(
                "v1 leaf, unknown issuer",
                &leaf,
                Some(Ca::new_root("another root").cert_pem()),
            )
        },
        Case::new(
            "v1 intermediate",
            below_intermediate.cert_pem + &intermediate.cert_pem,
            below_intermediate.key_pem,
            trusted.clone(),
        )
        .refused("INVALID_PURPOSE", "unsuitable certificate purpose"),
        Case {
            crl_pem: Some(root.crl_revoking(&[])),
            ..Case::serving("v1 leaf, root's CRL lists nothing", &leaf, trusted.clone())
        },
        Case {
            crl_pem: Some(root.crl_revoking(&[&[0x42]])),
            ..Case::serving("v1 leaf revoked by CRL", &leaf, trusted)
                .refused("CERT_REVOKED", "certificate revoked")
        },
    ]
}

/// A self-signed server certificate given as `ca`, and look-alikes of it.
fn self_signed_cases(dir: &TempDir) -> Vec<Case> {
    let with_ca = req_x509(dir, "ca-true", false);
    let with_ca_twin = req_x509(dir, "ca-true-twin", false);
    let without_ca = req_x509(dir, "no-ca", true);
    let without_ca_twin = req_x509(dir, "no-ca-twin", true);
    let spec = LeafSpec::server(NAME, &[NAME, "127.0.0.1"]);
    let rcgen_leaf = pki::self_signed_leaf(&spec);
    let rcgen_twin = pki::self_signed_leaf(&spec);
    let rcgen_ca = pki::self_signed_leaf_with(&spec, |params| {
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages.push(KeyUsagePurpose::KeyCertSign);
    });
    let in_ca = |name, cert: &Issued| Case::serving(name, cert, Some(cert.cert_pem.clone()));
    let twin_in_ca = |name, cert: &Issued, twin: &Issued| Case {
        node: depth_zero(),
        ..Case::serving(name, cert, Some(twin.cert_pem.clone()))
    };
    vec![
        in_ca("req -x509 (CA:TRUE) in ca", &with_ca),
        in_ca("req -x509 without basicConstraints in ca", &without_ca),
        in_ca("rcgen self-signed leaf in ca", &rcgen_leaf),
        in_ca("rcgen self-signed CA:TRUE leaf in ca", &rcgen_ca),
        twin_in_ca("req -x509 (CA:TRUE), a twin in ca", &with_ca, &with_ca_twin),
        twin_in_ca(
            "req -x509 without basicConstraints, a twin in ca",
            &without_ca,
            &without_ca_twin,
        ),
        twin_in_ca(
            "rcgen self-signed leaf, a twin in ca",
            &rcgen_leaf,
            &rcgen_twin,
        ),
    ]
}

/// An intermediate given as `ca`, with and without `allowPartialTrustChain`.
fn partial_chain_cases() -> Vec<Case> {
    let root = Ca::new_root("partial-chain root");
    let intermediate = root.issue_intermediate("partial-chain intermediate");
    let leaf = intermediate.issue(&localhost());
    let with_intermediate = leaf.cert_pem.clone() + &intermediate.cert_pem();
    let only_intermediate = Some(intermediate.cert_pem());
    let issuer_cert = || {
        refused(
            "UNABLE_TO_GET_ISSUER_CERT",
            &hinted("unable to get issuer certificate"),
        )
    };
    let case = |name, chain: &String, partial| Case {
        partial,
        node: if partial == Some(true) {
            None
        } else {
            issuer_cert()
        },
        ..Case::new(
            name,
            chain.clone(),
            leaf.key_pem.clone(),
            only_intermediate.clone(),
        )
    };
    vec![
        case("leaf alone, intermediate in ca", &leaf.cert_pem, None),
        case(
            "leaf and intermediate, intermediate in ca",
            &with_intermediate,
            None,
        ),
        case(
            "leaf alone, intermediate in ca, partial false",
            &leaf.cert_pem,
            Some(false),
        ),
        case(
            "leaf alone, intermediate in ca, partial true",
            &leaf.cert_pem,
            Some(true),
        ),
        case(
            "leaf and intermediate, intermediate in ca, partial true",
            &with_intermediate,
            Some(true),
        ),
        Case::new(
            "leaf alone, intermediate and root in ca",
            leaf.cert_pem.clone(),
            leaf.key_pem.clone(),
            Some(intermediate.cert_pem() + &root.cert_pem()),
        ),
    ]
}

/// A leaf from an impostor root that has the trusted root's name, with and
/// without the authority key identifier that tells the two roots apart.
fn key_identifier_cases() -> Vec<Case> {
    let identified = twin_named_issuer();
    let trusted = Ca::new_root("twin-named root");
    let impostor = Ca::new_root("twin-named root");
    let unidentified = impostor.issue_with(&localhost(), |params| {
        params.use_authority_key_identifier_extension = false;
    });
    vec![
        Case {
            node: leaf_signature(),
            ..Case::new(
                "issuer's key identifier names another key",
                identified.server_chain_pem,
                identified.server_key_pem,
                identified.client_ca_pem,
            )
        },
        Case::serving(
            "same name, no key identifier, another key",
            &unidentified,
            Some(trusted.cert_pem()),
        )
        .refused("CERT_SIGNATURE_FAILURE", "certificate signature failure"),
    ]
}

impl Case {
    /// Its client side.
    fn trust(&self) -> Trust<'_> {
        Trust {
            servername: NAME,
            ca_pem: self.ca_pem.as_deref(),
            crl_pem: self.crl_pem.as_deref(),
        }
    }
}

/// The component's options for a case.
fn our_options(case: &Case, port: Option<u16>, reject_unauthorized: bool) -> ConnectOptions {
    ConnectOptions {
        allow_partial_trust_chain: case.partial,
        ..case.trust().options(port, reject_unauthorized)
    }
}

/// `authorized` and `authorizationError` with rejectUnauthorized false, as
/// Node reports them when its verdict with true is `verdict`.
fn authorization_for(verdict: &Verdict) -> (bool, Option<String>) {
    (
        verdict.is_none(),
        verdict.as_ref().map(|err| err.code.clone()),
    )
}

/// What one case came to.
struct Row {
    name: &'static str,
    node: Verdict,
    ours: Verdict,
    failures: Vec<String>,
}

/// Runs one case: Node first, then the component.
fn run(case: &Case, instance: &mut ClientInstance) -> Row {
    let server = NodeServer::start(&NodeServerConfig {
        key: case.key_pem.clone(),
        cert: case.chain_pem.clone(),
        ..NodeServerConfig::default()
    });
    let port = server.port();
    let mut failures = Vec::new();
    let client = case.trust().node_client(port);
    let node_options = |reject: bool| {
        let mut extra = json!({ "rejectUnauthorized": reject });
        if let Some(partial) = case.partial {
            extra["allowPartialTrustChain"] = json!(partial);
        }
        extra
    };
    let strict = node_verdict(&client, &node_options(true));
    let node = strict.error.clone();
    if node != case.node {
        failures.push(format!("Node answers {}", show(&node)));
    }
    let lenient = node_verdict(&client, &node_options(false));
    let node_authorization = (
        lenient.authorized.unwrap_or(false),
        lenient.authorization_error.clone(),
    );
    if node_authorization != authorization_for(&node) || lenient.error.is_some() {
        failures.push(format!("Node without rejectUnauthorized: {lenient:?}"));
    }

    let ping = Plan {
        send: b"ping".to_vec(),
        ..Plan::default()
    };
    let attached = drive::attached(instance, our_options(case, Some(port), true), &ping);
    let ours = verdict_of(&attached.expect("no trap"));
    if ours != node {
        failures.push(format!("attached answers {}", show(&ours)));
    }
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("server reachable");
    let sans_io = drive::sans_io(instance, our_options(case, None, true), stream, &ping);
    let sans_io = verdict_of(&sans_io.expect("no trap"));
    if sans_io != node {
        failures.push(format!("sans-IO answers {}", show(&sans_io)));
    }
    let ours_lenient = lenient_authorization(instance, case, port);
    if ours_lenient.as_ref() != Ok(&node_authorization) {
        failures.push(format!("without rejectUnauthorized: {ours_lenient:?}"));
    }
    Row {
        name: case.name,
        node,
        ours,
        failures,
    }
}

/// The component with rejectUnauthorized false: `authorized` and
/// `authorizationError`, once an echo came back (data flows either way); or
/// why it did not connect.
fn lenient_authorization(
    instance: &mut ClientInstance,
    case: &Case,
    port: u16,
) -> Result<(bool, Option<String>), String> {
    let socket = instance
        .connect(our_options(case, Some(port), false))
        .expect("no trap")
        .map_err(|err| format!("refused: {} ({})", err.code, err.message))?;
    let (authorized, error) = authorization(instance, &socket);
    let echoed = echo_attached(instance, &socket, b"ping");
    instance.drop_socket(socket).expect("no trap");
    if echoed != b"ping" {
        return Err(format!("echoed {echoed:?}"));
    }
    Ok((authorized, error))
}

#[test]
fn trust_anchors_are_judged_as_node_judges_them() {
    let dir = TempDir::new("trust-anchors");
    let cases: Vec<Case> = [
        version_1_cases(&dir),
        self_signed_cases(&dir),
        partial_chain_cases(),
        key_identifier_cases(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut instance = instance();
    let rows: Vec<Row> = cases.iter().map(|case| run(case, &mut instance)).collect();
    let mut table = String::from("\ntrust anchors (Node with rejectUnauthorized true, and ours)\n");
    for row in &rows {
        let line = table_line(row.name, &row.node, &show(&row.ours), "", &row.failures);
        let _ = writeln!(table, "{line}");
    }
    let same = rows.iter().filter(|row| row.failures.is_empty()).count();
    let _ = writeln!(
        table,
        "cases: {}; the same as Node in every way: {same}",
        rows.len()
    );
    println!("{table}");
    assert_all_held(rows.iter().map(|row| (row.name, &row.failures[..])));
}
