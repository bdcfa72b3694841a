//! Test-only: runs a script in Node, the reference every Node rule here is
//! checked against, and returns what it printed.

use std::ffi::OsStr;
use std::process::Command;

/// Runs `script` with `node -e`, passing `args`; panics with Node's stderr if it fails.
pub fn run(script: &str, args: &[&OsStr]) -> String {
    let out = Command::new("node")
        .args(["-e", script])
        .args(args)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("node prints text")
}
