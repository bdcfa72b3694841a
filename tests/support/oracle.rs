//! Node's own `tls.connect()` (`tests/peers/node-tls-client.js`), run against a
//! peer so that a test expects what Node reports, not what we believe Node does.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{json, Value};
use test_pki::{TempDir, Tool};

use super::drive::{Failure, Outcome, Plan};

/// How long Node's client may run before it gives up by itself.
const NODE_LIMIT: Duration = Duration::from_secs(15);

/// How Node's client connects.
#[derive(Debug, Clone, Default)]
pub struct NodeClient {
    /// `host`, also the name verified; `None` is Node's default, `'localhost'`.
    pub host: Option<String>,
    /// `port`.
    pub port: u16,
    /// `ca`, PEM text.
    pub ca_pem: Option<String>,
    /// `maxVersion`.
    pub max_version: Option<String>,
    /// `servername`: sent as SNI, and then the name verified.
    pub servername: Option<String>,
    /// `crl`, PEM text.
    pub crl_pem: Option<String>,
    /// `ciphers` (`'DEFAULT@SECLEVEL=2'` sets OpenSSL's security level too).
    pub ciphers: Option<String>,
}

/// What Node's `tls.connect()` reports against `client.port`, following `plan`
/// (`plan.idle_timeout` is Node's `timeout` option; the socket is destroyed on
/// `'timeout'`). Panics if Node cannot run or says nothing of use.
pub fn node_connect(client: &NodeClient, plan: &Plan) -> Outcome {
    let mut config = client_config(client);
    if !plan.send.is_empty() {
        config["send"] = json!(String::from_utf8(plan.send.clone()).expect("text to send"));
    }
    if let Some(timeout) = plan.idle_timeout {
        config["timeout"] = json!(timeout.as_millis() as u64);
    }
    let mut outcome = Outcome::default();
    for event in client_events(Tool::node(), &config) {
        let text = |key: &str| event[key].as_str().unwrap_or_default().to_owned();
        match event["event"].as_str() {
            Some("secureConnect") => outcome.secure = true,
            Some("data") => outcome.data.extend(hex(&text("hex"))),
            Some("end") => outcome.end = true,
            Some("timeout") => outcome.timed_out = true,
            Some("error") if outcome.error.is_none() => outcome.error = Some(failure(&event)),
            _ => {}
        }
    }
    outcome
}

/// Runs Node's client script with `config` by `node` (which may carry Node's
/// own options already): the events it printed, to its `'close'`. Panics,
/// with what Node printed, if it did not close.
fn client_events(node: Tool, config: &Value) -> Vec<Value> {
    let out = node.arg(client_script()).arg(config.to_string()).output();
    let events: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or(Value::Null))
        .collect();
    assert!(
        events.iter().any(|event| event["event"] == "close"),
        "Node's client did not close within {NODE_LIMIT:?}: {events:?}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    events
}

/// The error an `'error'` event reports. Node may report a second error while
/// tearing down; callers keep the first.
fn failure(event: &Value) -> Failure {
    let text = |key: &str| event[key].as_str().unwrap_or_default().to_owned();
    Failure {
        code: text("code"),
        message: text("message"),
    }
}

/// Node's client script.
fn client_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers/node-tls-client.js")
}

/// The client script's config for `client`.
fn client_config(client: &NodeClient) -> Value {
    json!({
        "host": client.host,
        "port": client.port,
        "ca": client.ca_pem,
        "maxVersion": client.max_version,
        "servername": client.servername,
        "crl": client.crl_pem,
        "ciphers": client.ciphers,
        "limitMs": NODE_LIMIT.as_millis() as u64,
    })
}

/// Loaded before Node's client script (`node --require`): merges the JSON in
/// `TLS_CONNECT_EXTRA_OPTIONS` into the options of `tls.connect()` (options the
/// script has no field for), and reports `authorized` and `authorizationError`
/// at `'secureConnect'`.
const EXTRA_OPTIONS_PRELOAD: &str = r#"'use strict';
const tls = require('tls');
const extra = JSON.parse(process.env.TLS_CONNECT_EXTRA_OPTIONS);
const connect = tls.connect;
tls.connect = function (options, callback) {
  const socket = connect.call(this, { ...options, ...extra }, callback);
  socket.once('secureConnect', () => {
    const { authorized, authorizationError = null } = socket;
    process.stdout.write(JSON.stringify({ event: 'authorization', authorized, authorizationError }) + '\n');
  });
  return socket;
};
"#;

/// Node's verdict on the server's certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeVerdict {
    /// `socket.authorized` at `'secureConnect'`; `None`: it never fired.
    pub authorized: Option<bool>,
    /// `socket.authorizationError` at `'secureConnect'`.
    pub authorization_error: Option<String>,
    /// The error that ended the connection, if one did.
    pub error: Option<Failure>,
}

/// What Node's `tls.connect()` decides about the server's certificate, with
/// `extra` (a JSON object: `rejectUnauthorized`, `allowPartialTrustChain`)
/// merged into its options. It writes a ping and ends once it is echoed.
pub fn node_verdict(client: &NodeClient, extra: &Value) -> NodeVerdict {
    let dir = TempDir::new("node-verdict");
    let preload = dir.write("extra-options.js", EXTRA_OPTIONS_PRELOAD);
    let mut config = client_config(client);
    config["send"] = json!("ping");
    let node = Tool::node()
        .arg("--require")
        .arg(&preload)
        .env("TLS_CONNECT_EXTRA_OPTIONS", extra.to_string());
    let mut verdict = NodeVerdict {
        authorized: None,
        authorization_error: None,
        error: None,
    };
    for event in client_events(node, &config) {
        match event["event"].as_str() {
            Some("authorization") => {
                verdict.authorized = event["authorized"].as_bool();
                verdict.authorization_error =
                    event["authorizationError"].as_str().map(str::to_owned);
            }
            Some("error") if verdict.error.is_none() => verdict.error = Some(failure(&event)),
            _ => {}
        }
    }
    verdict
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len() / 2)
        .filter_map(|i| u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}
