//! Node 26's own `tls.connect()`, asked before ours where a bound's answer is
//! Node's (`test_pki::node_program`: the npm package's Node 26, installed by
//! `make js-setup`, which `make test` runs).

use std::time::Duration;

use serde_json::{json, Value};
use test_pki::{TempDir, Tool};

/// How long Node's client may run before it gives up by itself.
const NODE_LIMIT: Duration = Duration::from_secs(20);

/// The client: connects, writes `ping`, and reports one JSON line:
/// `{secure, authorized, authorizationError, ms}` or `{code, message, ms}`.
const CLIENT: &str = r#"'use strict';
const tls = require('tls');
const config = JSON.parse(process.argv[2]);
const started = process.hrtime.bigint();
const ms = () => Number(process.hrtime.bigint() - started) / 1e6;
const done = (result) => { process.stdout.write(JSON.stringify({ ...result, ms: ms() }) + '\n'); process.exit(0); };
setTimeout(() => done({ code: 'TIMEOUT', message: 'no answer' }), config.limitMs).unref();
const socket = tls.connect({
  host: '127.0.0.1',
  port: config.port,
  ca: config.ca,
  servername: config.servername,
  rejectUnauthorized: config.rejectUnauthorized,
}, () => done({ secure: true, authorized: socket.authorized, authorizationError: socket.authorizationError || null }));
socket.on('error', (err) => done({ code: err.code || '', message: err.message }));
"#;

/// What Node said.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeAnswer {
    /// The node that answered (`v26.x.y`).
    pub version: String,
    /// `'secureConnect'` fired: `Ok(authorizationError)` (`None`: authorized);
    /// else the error's code and message.
    pub outcome: Result<Option<String>, (String, String)>,
    /// Milliseconds from `connect` to the answer.
    pub ms: f64,
}

impl NodeAnswer {
    /// The answer as one word: `authorized`, the authorization error, or the error's code.
    pub fn code(&self) -> String {
        match &self.outcome {
            Ok(None) => "authorized".to_owned(),
            Ok(Some(code)) | Err((code, _)) => code.clone(),
        }
    }
}

/// Node's answer for 127.0.0.1:`port`, trusting `ca_pem`, verifying `servername`.
pub fn node26_connect(
    port: u16,
    ca_pem: &str,
    servername: &str,
    reject_unauthorized: bool,
) -> NodeAnswer {
    let dir = TempDir::new("node26-client");
    let script = dir.write("client.js", CLIENT);
    let config = json!({
        "port": port,
        "ca": ca_pem,
        "servername": servername,
        "rejectUnauthorized": reject_unauthorized,
        "limitMs": NODE_LIMIT.as_millis() as u64,
    });
    let version = String::from_utf8(Tool::node().arg("--version").run())
        .expect("a version")
        .trim()
        .to_owned();
    let out = Tool::node().arg(&script).arg(config.to_string()).output();
    let line = String::from_utf8_lossy(&out.stdout);
    let answer: Value = serde_json::from_str(line.trim()).unwrap_or_else(|_| {
        panic!(
            "Node said nothing of use: {line}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let text = |key: &str| answer[key].as_str().map(str::to_owned);
    let outcome = if answer["secure"] == true {
        Ok(text("authorizationError").filter(|_| answer["authorized"] != true))
    } else {
        Err((
            text("code").unwrap_or_default(),
            text("message").unwrap_or_default(),
        ))
    };
    NodeAnswer {
        version,
        outcome,
        ms: answer["ms"].as_f64().unwrap_or_default(),
    }
}
