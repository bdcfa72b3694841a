//! Test-only: runs a script in Node, the reference every Node rule here is
//! checked against, and returns what it printed.

use std::ffi::OsStr;

use crate::Tool;

/// Runs `script` with `node -e`, passing `args`: what it printed. Panics with
/// Node's stderr if it fails.
pub fn run(script: &str, args: &[&OsStr]) -> String {
    let out = Tool::node()
        .args([OsStr::new("-e"), OsStr::new(script)])
        .args(args)
        .run();
    String::from_utf8(out).expect("node prints text")
}

/// [`run`], its output read as one JSON value (a script ends with
/// `console.log(JSON.stringify(answer))`). Panics if it is not JSON.
pub fn run_json(script: &str, args: &[&OsStr]) -> serde_json::Value {
    let out = run(script, args);
    serde_json::from_str(out.trim())
        .unwrap_or_else(|err| panic!("node printed no JSON ({err}): {out}"))
}
