//! What the verdict matrices (`bad_certificates`, `trust_anchors`) share: a
//! verdict and how a connection comes to one, a case's client side for Node's
//! client and the component alike, the printed table's lines, and the final
//! assertion over every case.

use host_example::{ConnectOptions, Pem};

use super::component::options;
use super::drive::{Failure, Outcome};
use super::oracle::NodeClient;

/// How a connection ends its handshake: `None`, authorized; else the error.
pub type Verdict = Option<Failure>;

/// Node 26's hint after OpenSSL's text of a failure that a root in the
/// system's store might have avoided.
pub const SYSTEM_CA_HINT: &str =
    "; if the root CA is installed locally, try running Node.js with --use-system-ca";

/// `text` with Node 26's [`SYSTEM_CA_HINT`] after it.
pub fn hinted(text: &str) -> String {
    format!("{text}{SYSTEM_CA_HINT}")
}

/// A refusal with Node's code and message.
pub fn refused(code: &str, message: &str) -> Verdict {
    Some(Failure {
        code: code.to_owned(),
        message: message.to_owned(),
    })
}

/// A connection's verdict: `None` when it connected, else its error.
pub fn verdict_of(outcome: &Outcome) -> Verdict {
    match (&outcome.error, outcome.secure) {
        (Some(err), _) => Some(err.clone()),
        (None, true) => None,
        (None, false) => Some(Failure {
            code: "NO_OUTCOME".into(),
            message: format!("neither connected nor failed: {outcome:?}"),
        }),
    }
}

/// A verdict for the printed table: `authorized`, or the code and message.
pub fn show(verdict: &Verdict) -> String {
    match verdict {
        None => "authorized".to_owned(),
        Some(err) => format!("{} ({})", err.code, err.message),
    }
}

/// The client side of a matrix case, for Node's client and the component alike:
/// the name it sends as SNI and verifies, and what it trusts. Both connect to
/// 127.0.0.1.
#[derive(Debug, Clone, Copy)]
pub struct Trust<'a> {
    /// `servername`.
    pub servername: &'a str,
    /// `ca`; `None`: the default roots.
    pub ca_pem: Option<&'a str>,
    /// `crl`.
    pub crl_pem: Option<&'a str>,
}

impl Trust<'_> {
    /// Node's client, to `port`.
    pub fn node_client(&self, port: u16) -> NodeClient {
        NodeClient {
            host: Some("127.0.0.1".into()),
            port,
            ca_pem: self.ca_pem.map(str::to_owned),
            servername: Some(self.servername.into()),
            crl_pem: self.crl_pem.map(str::to_owned),
            ..NodeClient::default()
        }
    }

    /// The component's options (`port` for the attached driver; sans-IO has none).
    pub fn options(&self, port: Option<u16>, reject_unauthorized: bool) -> ConnectOptions {
        let pems = |pem: Option<&str>| pem.map(|pem| vec![Pem::Text(pem.to_owned())]);
        ConnectOptions {
            host: Some("127.0.0.1".into()),
            port: port.map(u32::from),
            servername: Some(self.servername.into()),
            ca: pems(self.ca_pem),
            crl: pems(self.crl_pem),
            reject_unauthorized: Some(reject_unauthorized),
            ..options()
        }
    }
}

/// One line of a matrix's printed table: the case's name, Node's verdict,
/// the component's (`ours`), what else was seen (`seen`, may be empty), and
/// `FAILED` when the case did not hold (`failures`, each way it did not, is
/// not empty).
pub fn table_line(
    name: &str,
    node: &Verdict,
    ours: &str,
    seen: &str,
    failures: &[String],
) -> String {
    let failed = if failures.is_empty() { "" } else { "  FAILED" };
    let node = show(node);
    format!("  {name:<56} Node: {node:<64} ours: {ours:<58} {seen}{failed}")
}

/// Asserts that every case held: `cases` gives each one's name and each way
/// it did not hold; the message names every case that did not, and why.
pub fn assert_all_held<'a>(cases: impl IntoIterator<Item = (&'a str, &'a [String])>) {
    let failed: Vec<String> = cases
        .into_iter()
        .filter(|(_, failures)| !failures.is_empty())
        .map(|(name, failures)| format!("{name}: {}", failures.join("; ")))
        .collect();
    assert!(
        failed.is_empty(),
        "cases that did not hold:\n{}",
        failed.join("\n")
    );
}
