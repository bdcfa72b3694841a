//! Tools a test runs as peers or oracles (`node`, `openssl`), looked up once.

use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};

/// Whether every tool in `tools` runs here. When one does not, prints which
/// (the test then returns early: skipped, with a message); `make test` installs
/// them all, so there every test runs.
pub fn require(tools: &[&str]) -> bool {
    static FOUND: OnceLock<Mutex<HashMap<String, bool>>> = OnceLock::new();
    let found = FOUND.get_or_init(Mutex::default);
    let mut found = found.lock().unwrap_or_else(|e| e.into_inner());
    let missing: Vec<&str> = tools
        .iter()
        .copied()
        .filter(|tool| {
            !*found
                .entry((*tool).to_owned())
                .or_insert_with(|| runs(tool))
        })
        .collect();
    if missing.is_empty() {
        return true;
    }
    eprintln!(
        "skipped: {} not found on PATH (make test installs it)",
        missing.join(" and ")
    );
    false
}

fn runs(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}
