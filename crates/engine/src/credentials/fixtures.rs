//! Test fixtures shared by the credentials tests: a small PKI made by the
//! openssl CLI, keys and bundles made from it, and Node's answer for a secure
//! context.

use std::ffi::OsStr;
use std::path::Path;

use test_pki::{NewKey, TempDir};

use crate::options::{KeyEntry, Pem};
use crate::TlsError;

/// Node's answer to a secure context: `Ok`, or the error's code (`None` when
/// Node gives none) and message.
pub(crate) type NodeAnswer = Result<(), (Option<String>, String)>;

/// A CA and a client certificate it issued, in a fresh directory:
/// `ca.pem`, `ca.key`, `client.pem`, `client.key` (PKCS#8, unencrypted).
/// `algorithm` is openssl's: `rsa:2048` or `ec` (P-256).
pub(crate) fn pki(algorithm: &str) -> TempDir {
    let key = algorithm
        .strip_prefix("rsa:")
        .and_then(|bits| bits.parse().ok())
        .map_or(NewKey::EcP256, NewKey::Rsa);
    let dir = TempDir::new("keys");
    dir.self_signed("ca", key, "/CN=tls-connect test CA", 2, &[]);
    dir.request("client", key, "/CN=tls-connect test client");
    dir.sign("client", "ca", 7, 2, &[]);
    dir
}

/// `client.key` made PKCS#8 by `openssl pkcs8 -topk8` with `options`
/// (`-nocrypt`, `-v2 aes-256-cbc`, `-outform DER`…), written as `out`: its bytes.
pub(crate) fn topk8(dir: &TempDir, out: &str, options: &[&str]) -> Vec<u8> {
    let mut args = vec!["pkcs8", "-topk8", "-in", "client.key"];
    args.extend(options);
    args.extend(["-out", out]);
    dir.openssl(&args);
    dir.read(out)
}

/// `client.key` rewritten by `openssl rsa` or `openssl ec` (`tool`) in
/// OpenSSL's traditional form (PKCS#1 or SEC1) with `options` (`-aes256
/// -passout pass:…`, `-outform DER`…), written as `out`: its bytes, or `None`
/// when openssl refuses (single DES needs its legacy provider).
pub(crate) fn traditional_key(
    dir: &TempDir,
    tool: &str,
    options: &[&str],
    out: &str,
) -> Option<Vec<u8>> {
    let mut args = vec![tool, "-in", "client.key"];
    // openssl rsa writes PKCS#8 unless told otherwise; openssl ec writes SEC1.
    if tool == "rsa" {
        args.push("-traditional");
    }
    args.extend(options);
    args.extend(["-out", out]);
    dir.try_openssl(&args).then(|| dir.read(out))
}

/// A `key` entry of PEM bytes and its own passphrase.
pub(crate) fn entry(pem: Vec<u8>, passphrase: Option<&str>) -> KeyEntry {
    KeyEntry {
        pem: Pem::Bytes(pem),
        passphrase: passphrase.map(str::to_owned),
    }
}

/// Our answer in Node's terms, for comparing with [`node_context`]: `Ok`, or
/// the code (none when empty) and message.
pub(crate) fn as_node<T>(result: Result<T, TlsError>) -> NodeAnswer {
    result
        .map(|_| ())
        .map_err(|e| ((!e.code.is_empty()).then_some(e.code), e.message))
}

/// Node's answer to `tls.createSecureContext(options)`. `options` is JSON in
/// which `{"file": path}` stands for that file's bytes as a Buffer.
pub(crate) fn node_context(options: &serde_json::Value) -> NodeAnswer {
    node_context_with(options, false)
}

/// [`node_context`], with OpenSSL's legacy provider loaded when `legacy`
/// (`node --openssl-legacy-provider`: RC2, single DES).
pub(crate) fn node_context_with(options: &serde_json::Value, legacy: bool) -> NodeAnswer {
    // In legacy mode the script runs itself again in a Node with the flag.
    const SCRIPT: &str = r#"
        const tls = require('tls'), fs = require('fs');
        const [, json, mode, self] = process.argv;
        if (mode === 'legacy') {
          const { execFileSync } = require('child_process');
          process.stdout.write(execFileSync(process.execPath, ['--openssl-legacy-provider', '-e', self, json, 'default', '']));
        } else {
          const read = (k, v) => v && typeof v === 'object' && typeof v.file === 'string' ? fs.readFileSync(v.file) : v;
          const options = JSON.parse(json, read);
          try { tls.createSecureContext(options); console.log('{"ok":true}'); }
          catch (e) { console.log(JSON.stringify({ code: e.code ?? null, message: e.message })); }
        }
    "#;
    let text = options.to_string();
    let mode = if legacy { "legacy" } else { "default" };
    let answer = test_pki::node::run_json(
        SCRIPT,
        &[OsStr::new(&text), OsStr::new(mode), OsStr::new(SCRIPT)],
    );
    if answer["ok"] == true {
        return Ok(());
    }
    Err((
        answer["code"].as_str().map(str::to_owned),
        answer["message"].as_str().unwrap_or_default().to_owned(),
    ))
}

/// `{"file": path}` for [`node_context`].
pub(crate) fn file(path: &Path) -> serde_json::Value {
    serde_json::json!({ "file": path })
}
