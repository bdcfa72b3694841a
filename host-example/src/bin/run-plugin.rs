//! Runs a command component: a plugin composed with tls-connect (its `transport`
//! import served by this host, TCP_NODELAY set), or with `--wasi-only` a
//! composition that brings its own transport and needs nothing but WASI 0.2.
//! The command's stdio is this process's; its exit status becomes ours.

use std::path::PathBuf;
use std::process::ExitCode;

use host_example::command::{Run, Stdio, WasiTcp};
use host_example::{CommandComponent, Imports};

const USAGE: &str = "usage: run-plugin --component FILE [--wasi-only] [--any-address]
                  [--env NAME=VALUE]... [-- ARGS...]
Runs FILE (a command component) with ARGS and only the environment given.
--wasi-only offers WASI alone, with wasi:sockets TCP to loopback addresses
(--any-address: to any address); otherwise tls-connect's transport import is
offered too and wasi:sockets stays closed.";

struct Args {
    component: PathBuf,
    imports: Imports,
    any_address: bool,
    env: Vec<(String, String)>,
    rest: Vec<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut component = None;
    let mut imports = Imports::WasiAndTransport;
    let mut any_address = false;
    let mut env = Vec::new();
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--component" => component = Some(PathBuf::from(value()?)),
            "--wasi-only" => imports = Imports::WasiOnly,
            "--any-address" => any_address = true,
            "--env" => env.push(host_example::cli::env_pair(&value()?)?),
            "--" => break,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    let component = component.ok_or_else(|| format!("--component is required\n{USAGE}"))?;
    Ok(Args {
        component,
        imports,
        any_address,
        env,
        rest: it.collect(),
    })
}

fn main() -> ExitCode {
    host_example::cli::main(parse_args, run)
}

fn run(args: Args) -> Result<ExitCode, String> {
    let wasi_tcp = match (args.imports, args.any_address) {
        (Imports::WasiAndTransport, _) => WasiTcp::Off,
        (Imports::WasiOnly, false) => WasiTcp::Loopback,
        (Imports::WasiOnly, true) => WasiTcp::Any,
    };
    // The program name the command sees: its file name, as a shell would give it.
    let name = args
        .component
        .file_stem()
        .map_or_else(|| "plugin".to_owned(), |s| s.to_string_lossy().into_owned());
    let run = Run {
        args: std::iter::once(name).chain(args.rest).collect(),
        env: args.env,
        stdio: Stdio::Inherited,
        wasi_tcp,
    };
    let finished = CommandComponent::load(&args.component, args.imports)
        .and_then(|command| command.run(&run))
        .map_err(|err| format!("{}: {err:#}", args.component.display()))?;
    Ok(ExitCode::from(u8::try_from(finished.status).unwrap_or(1)))
}
