//! What the `echo-client` and `run-plugin` binaries share: how parsing their
//! arguments and running become an exit status.

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
