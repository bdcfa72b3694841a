//! What the binaries (`echo-client`, `run-plugin`, `serve-http`) share: how
//! parsing their arguments and running become an exit status, and `--env`.

use std::process::ExitCode;

/// Runs a binary: `parse` reads its arguments, and an error there (usage) is
/// printed and exits with 2; `run` does the work, and its error is printed and
/// exits with 1.
pub fn main<A>(
    parse: impl FnOnce() -> Result<A, String>,
    run: impl FnOnce(A) -> Result<ExitCode, String>,
) -> ExitCode {
    let outcome = match parse() {
        Ok(args) => run(args),
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    outcome.unwrap_or_else(|msg| {
        eprintln!("{msg}");
        ExitCode::FAILURE
    })
}

/// An `--env` argument, `NAME=VALUE`, as a pair; the value may hold `=`.
pub fn env_pair(pair: &str) -> Result<(String, String), String> {
    pair.split_once('=')
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .ok_or_else(|| format!("--env wants NAME=VALUE, not {pair}"))
}
