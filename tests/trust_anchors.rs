//! Trust anchors as OpenSSL takes them, judged by Node 20: version 1
//! certificates (made here by the openssl CLI), a self-signed server
//! certificate given as `ca` (as `openssl req -x509` makes it, with
//! `basicConstraints CA:TRUE` and without, and as rcgen makes it),
//! `allowPartialTrustChain`, and issuers told apart by key identifier.
//!
//! Each case is served by Node's own `tls.createServer`. Node 20's own
//! `tls.connect()` is asked first, with rejectUnauthorized true and false, and
//! must answer as the case says; then the component must give the same answer:
//! with rejectUnauthorized true, attached and sans-IO, the same error code and
//! message (or a connection); with false, attached, the same `authorized` and
//! `authorizationError`, and data still flows. The forged, impostor and
//! tampered cases show that nothing is accepted by names alone.

mod support;

use std::fmt::Write as _;
use std::net::TcpStream;
use std::process::Command;

use host_example::{ClientInstance, ConnectOptions, Pem};
use rcgen::{BasicConstraints, IsCa, KeyUsagePurpose};
use serde_json::json;
use support::bad_certs::{openssl, refused, twin_named_issuer, Verdict};
use support::component::{echo_attached, instance, options};
use support::drive::{self, Failure, Outcome, Plan};
use support::oracle::{node_verdict, NodeClient};
use support::peers::{NodeServer, NodeServerConfig, TempDir};
use support::scenarios::localhost;
use test_pki::{self as pki, Ca, LeafSpec};

/// The name both clients verify (sent as SNI; the version 1 leaves carry it as CN).
const NAME: &str = "localhost";

/// One case: what the server presents, what the client trusts, and Node 20's answer.
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
    /// Node 20's answer with rejectUnauthorized true: `None`, it connects.
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

    /// Node 20 refuses it with `code` and `message`.
    fn refused(self, code: &str, message: &str) -> Self {
        Self {
            node: refused(code, message),
            ..self
        }
    }
}

fn depth_zero() -> Verdict {
    refused("DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate")
}

fn leaf_signature() -> Verdict {
    refused(
        "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
        "unable to verify the first certificate",
    )
}

/// Certificates made by the openssl CLI in a scratch directory: `{name}.key`,
/// `{name}.csr`, `{name}.pem`.
struct Openssl {
    dir: TempDir,
}

impl Openssl {
    fn new() -> Self {
        Self {
            dir: TempDir::new("trust-anchors"),
        }
    }

    fn run(&self, args: &[&str]) {
        openssl(
            Command::new("openssl")
                .current_dir(self.dir.path())
                .args(args),
        );
    }

    fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(file)).expect("openssl wrote it")
    }

    fn cert(&self, name: &str) -> String {
        self.read(&format!("{name}.pem"))
    }

    fn key(&self, name: &str) -> String {
        self.read(&format!("{name}.key"))
    }

    /// Writes an rcgen CA's certificate and key as `{name}.pem` and `{name}.key`.
    fn put_ca(&self, name: &str, ca: &Ca) {
        self.dir.write(&format!("{name}.pem"), &ca.cert_pem());
        self.dir.write(&format!("{name}.key"), &ca.key_pem());
    }

    /// A P-256 key `{name}.key` and a request `{name}.csr` for `subject`.
    fn request(&self, name: &str, subject: &str) {
        let (key, csr) = (format!("{name}.key"), format!("{name}.csr"));
        self.run(&[
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            &key,
            "-subj",
            subject,
            "-out",
            &csr,
        ]);
    }

    /// A version 1 certificate (`x509 -req` without extensions) for a new key
    /// and `subject`, valid for `days` (-1: already expired), signed by
    /// `issuer`'s key, or self-signed when `issuer` is `name`. Its PEM.
    fn v1(&self, name: &str, subject: &str, issuer: &str, serial: u32, days: &str) -> String {
        self.request(name, subject);
        let (csr, out, serial) = (
            format!("{name}.csr"),
            format!("{name}.pem"),
            serial.to_string(),
        );
        let (ca, ca_key) = (format!("{issuer}.pem"), format!("{issuer}.key"));
        let mut args = vec![
            "x509",
            "-req",
            "-in",
            &csr,
            "-days",
            days,
            "-set_serial",
            &serial,
        ];
        if issuer == name {
            args.extend(["-signkey", &ca_key]);
        } else {
            args.extend(["-CA", &ca, "-CAkey", &ca_key]);
        }
        args.extend(["-out", &out]);
        self.run(&args);
        let pem = self.cert(name);
        assert!(
            self.text(name).contains("Version: 1 (0x0)"),
            "{name} is not version 1"
        );
        pem
    }

    /// `openssl x509 -text` of `{name}.pem`.
    fn text(&self, name: &str) -> String {
        let out = Command::new("openssl")
            .current_dir(self.dir.path())
            .args(["x509", "-noout", "-text", "-in", &format!("{name}.pem")])
            .output()
            .expect("openssl runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A self-signed certificate for localhost from `openssl req -x509`: its
    /// default extensions (basicConstraints CA:TRUE, key identifiers), or with
    /// `no_ca` a config whose only extension is the subjectAltName.
    fn req_x509(&self, name: &str, no_ca: bool) -> String {
        let (key, out) = (format!("{name}.key"), format!("{name}.pem"));
        let mut args = vec![
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            &key,
            "-days",
            "10",
            "-out",
            &out,
        ];
        if no_ca {
            self.dir.write(
                "no-ca.cnf",
                "[req]\ndistinguished_name = dn\nx509_extensions = ext\nprompt = no\n\
                 [dn]\nCN = localhost\n[ext]\nsubjectAltName = DNS:localhost\n",
            );
            args.extend(["-config", "no-ca.cnf"]);
        } else {
            args.extend([
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost",
            ]);
        }
        self.run(&args);
        let has_ca = self.text(name).contains("CA:TRUE");
        assert_eq!(has_ca, !no_ca, "{name}: basicConstraints as intended");
        self.cert(name)
    }
}

/// The version 1 cases.
fn version_1_cases(ssl: &Openssl) -> Vec<Case> {
    let root = Ca::new_root("trust-anchors root");
    ssl.put_ca("root", &root);
    let leaf = ssl.v1("leaf", "/CN=localhost", "root", 0x42, "10");
    let v1_root = ssl.v1("v1root", "/CN=trust-anchors v1 root", "v1root", 1, "30");
    let leaf_of_v1_root = ssl.v1("leaf2", "/CN=localhost", "v1root", 2, "10");
    let own = ssl.v1("own", "/CN=localhost", "own", 3, "10");
    let look_alike = ssl.v1("lookalike", "/CN=localhost", "lookalike", 4, "10");
    let impostor = Ca::new_root("trust-anchors root");
    ssl.put_ca("impostor", &impostor);
    let forged = ssl.v1("forged", "/CN=localhost", "impostor", 5, "10");
    let expired = ssl.v1("expired", "/CN=localhost", "root", 6, "-1");
    let intermediate = ssl.v1("int", "/CN=trust-anchors v1 intermediate", "root", 7, "10");
    let below_intermediate = ssl.v1("leaf3", "/CN=localhost", "int", 8, "10");
    let v3_leaf_of_v1_root = {
        ssl.request("leaf4", "/CN=localhost");
        ssl.dir.write("leaf4.ext", "subjectAltName=DNS:localhost\n");
        ssl.run(&[
            "x509",
            "-req",
            "-in",
            "leaf4.csr",
            "-CA",
            "v1root.pem",
            "-CAkey",
            "v1root.key",
            "-set_serial",
            "9",
            "-days",
            "10",
            "-extfile",
            "leaf4.ext",
            "-out",
            "leaf4.pem",
        ]);
        ssl.cert("leaf4")
    };
    let trusted = Some(root.cert_pem());
    vec![
        Case::new(
            "v1 leaf, trusted root",
            leaf.clone(),
            ssl.key("leaf"),
            trusted.clone(),
        ),
        Case::new(
            "v1 leaf, v1 root in ca",
            leaf_of_v1_root,
            ssl.key("leaf2"),
            Some(v1_root.clone()),
        ),
        Case::new(
            "v3 leaf, v1 root in ca",
            v3_leaf_of_v1_root,
            ssl.key("leaf4"),
            Some(v1_root),
        ),
        Case::new(
            "v1 self-signed leaf in ca",
            own.clone(),
            ssl.key("own"),
            Some(own.clone()),
        ),
        Case {
            node: depth_zero(),
            ..Case::new(
                "v1 self-signed leaf, default roots",
                own.clone(),
                ssl.key("own"),
                None,
            )
        },
        Case {
            node: depth_zero(),
            ..Case::new(
                "v1 self-signed leaf, a look-alike in ca",
                own,
                ssl.key("own"),
                Some(look_alike),
            )
        },
        Case::new(
            "v1 leaf forged under the root's name",
            forged,
            ssl.key("forged"),
            trusted.clone(),
        )
        .refused("CERT_SIGNATURE_FAILURE", "certificate signature failure"),
        Case::new(
            "v1 leaf expired",
            expired,
            ssl.key("expired"),
            trusted.clone(),
        )
        .refused("CERT_HAS_EXPIRED", "certificate has expired"),
        Case {
            node: leaf_signature(),
            ..Case::new(
                "v1 leaf, unknown issuer",
                leaf.clone(),
                ssl.key("leaf"),
                Some(Ca::new_root("another root").cert_pem()),
            )
        },
        Case::new(
            "v1 intermediate",
            below_intermediate + &intermediate,
            ssl.key("leaf3"),
            trusted.clone(),
        )
        .refused("INVALID_PURPOSE", "unsuitable certificate purpose"),
        Case {
            crl_pem: Some(root.crl_revoking(&[])),
            ..Case::new(
                "v1 leaf, root's CRL lists nothing",
                leaf.clone(),
                ssl.key("leaf"),
                trusted.clone(),
            )
        },
        Case {
            crl_pem: Some(root.crl_revoking(&[&[0x42]])),
            ..Case::new("v1 leaf revoked by CRL", leaf, ssl.key("leaf"), trusted)
                .refused("CERT_REVOKED", "certificate revoked")
        },
    ]
}

/// A self-signed server certificate given as `ca`, and look-alikes of it.
fn self_signed_cases(ssl: &Openssl) -> Vec<Case> {
    let with_ca = ssl.req_x509("ca-true", false);
    let with_ca_twin = ssl.req_x509("ca-true-twin", false);
    let without_ca = ssl.req_x509("no-ca", true);
    let without_ca_twin = ssl.req_x509("no-ca-twin", true);
    let spec = LeafSpec::server(NAME, &[NAME, "127.0.0.1"]);
    let rcgen_leaf = pki::self_signed_leaf(&spec);
    let rcgen_twin = pki::self_signed_leaf(&spec);
    let rcgen_ca = pki::self_signed_leaf_with(&spec, |params| {
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages.push(KeyUsagePurpose::KeyCertSign);
    });
    let in_ca =
        |name, pem: &String, key: String| Case::new(name, pem.clone(), key, Some(pem.clone()));
    vec![
        in_ca("req -x509 (CA:TRUE) in ca", &with_ca, ssl.key("ca-true")),
        in_ca(
            "req -x509 without basicConstraints in ca",
            &without_ca,
            ssl.key("no-ca"),
        ),
        in_ca(
            "rcgen self-signed leaf in ca",
            &rcgen_leaf.cert_pem,
            rcgen_leaf.key_pem.clone(),
        ),
        in_ca(
            "rcgen self-signed CA:TRUE leaf in ca",
            &rcgen_ca.cert_pem,
            rcgen_ca.key_pem.clone(),
        ),
        Case {
            node: depth_zero(),
            ..Case::new(
                "req -x509 (CA:TRUE), a twin in ca",
                with_ca,
                ssl.key("ca-true"),
                Some(with_ca_twin),
            )
        },
        Case {
            node: depth_zero(),
            ..Case::new(
                "req -x509 without basicConstraints, a twin in ca",
                without_ca,
                ssl.key("no-ca"),
                Some(without_ca_twin),
            )
        },
        Case {
            node: depth_zero(),
            ..Case::new(
                "rcgen self-signed leaf, a twin in ca",
                rcgen_leaf.cert_pem,
                rcgen_leaf.key_pem,
                Some(rcgen_twin.cert_pem),
            )
        },
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
            "unable to get issuer certificate",
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
        Case::new(
            "same name, no key identifier, another key",
            unidentified.cert_pem,
            unidentified.key_pem,
            Some(trusted.cert_pem()),
        )
        .refused("CERT_SIGNATURE_FAILURE", "certificate signature failure"),
    ]
}

/// The component's options for a case.
fn our_options(case: &Case, port: Option<u16>, reject_unauthorized: bool) -> ConnectOptions {
    ConnectOptions {
        host: Some("127.0.0.1".into()),
        port: port.map(u32::from),
        servername: Some(NAME.into()),
        ca: case.ca_pem.clone().map(|pem| vec![Pem::Text(pem)]),
        crl: case.crl_pem.clone().map(|pem| vec![Pem::Text(pem)]),
        allow_partial_trust_chain: case.partial,
        reject_unauthorized: Some(reject_unauthorized),
        ..options()
    }
}

/// A connection's verdict: `None` when it connected, else its error.
fn verdict_of(outcome: &Outcome) -> Verdict {
    match (&outcome.error, outcome.secure) {
        (Some(err), _) => Some(err.clone()),
        (None, true) => None,
        (None, false) => Some(Failure {
            code: "NO_OUTCOME".into(),
            message: format!("neither connected nor failed: {outcome:?}"),
        }),
    }
}

fn show(verdict: &Verdict) -> String {
    match verdict {
        None => "authorized".to_owned(),
        Some(err) => format!("{} ({})", err.code, err.message),
    }
}

/// `authorized` and `authorizationError` with rejectUnauthorized false, as
/// Node 20 reports them when its verdict with true is `verdict`.
fn authorization(verdict: &Verdict) -> (bool, Option<String>) {
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
    let client = NodeClient {
        host: Some("127.0.0.1".into()),
        port,
        ca_pem: case.ca_pem.clone(),
        servername: Some(NAME.into()),
        crl_pem: case.crl_pem.clone(),
        ..NodeClient::default()
    };
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
        failures.push(format!("Node 20 answers {}", show(&node)));
    }
    let lenient = node_verdict(&client, &node_options(false));
    let node_authorization = (
        lenient.authorized.unwrap_or(false),
        lenient.authorization_error.clone(),
    );
    if node_authorization != authorization(&node) || lenient.error.is_some() {
        failures.push(format!("Node 20 without rejectUnauthorized: {lenient:?}"));
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
    let authorized = instance.socket(&socket).authorized().expect("no trap");
    let error = instance
        .socket(&socket)
        .authorization_error()
        .expect("no trap");
    let echoed = echo_attached(instance, &socket, b"ping");
    instance.drop_socket(socket).expect("no trap");
    if echoed != b"ping" {
        return Err(format!("echoed {echoed:?}"));
    }
    Ok((authorized, error))
}

#[test]
fn trust_anchors_are_judged_as_node_judges_them() {
    let ssl = Openssl::new();
    let cases: Vec<Case> = [
        version_1_cases(&ssl),
        self_signed_cases(&ssl),
        partial_chain_cases(),
        key_identifier_cases(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut instance = instance();
    let rows: Vec<Row> = cases.iter().map(|case| run(case, &mut instance)).collect();
    let mut table =
        String::from("\ntrust anchors (Node 20 with rejectUnauthorized true, and ours)\n");
    for row in &rows {
        let failed = if row.failures.is_empty() {
            ""
        } else {
            "  FAILED"
        };
        let _ = writeln!(
            table,
            "  {:<56} Node 20: {:<64} ours: {}{failed}",
            row.name,
            show(&row.node),
            show(&row.ours)
        );
    }
    let same = rows.iter().filter(|row| row.failures.is_empty()).count();
    let _ = writeln!(
        table,
        "cases: {}; the same as Node 20 in every way: {same}",
        rows.len()
    );
    println!("{table}");
    let failed: Vec<String> = rows
        .iter()
        .filter(|row| !row.failures.is_empty())
        .map(|row| format!("{}: {}", row.name, row.failures.join("; ")))
        .collect();
    assert!(
        failed.is_empty(),
        "cases that did not hold:\n{}",
        failed.join("\n")
    );
}
