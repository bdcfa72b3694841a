//! Serves a wasi:http component (one that exports `wasi:http/incoming-handler`,
//! such as the http-handler edge function composed with tls-connect) over
//! HTTP/1.1, one instance per request, as `wasmtime serve` does.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;

use host_example::command::WasiTcp;
use host_example::{HandlerConfig, HttpHandler, HttpServer};

const USAGE: &str = "usage: serve-http --component FILE [--listen ADDR] [--any-address]
                  [--env NAME=VALUE]...
Serves FILE (a wasi:http incoming-handler component) on ADDR (default
127.0.0.1:8080), a fresh instance per request, offering WASI 0.2 and wasi:http
alone, with only the environment given and wasi:sockets TCP to loopback
addresses (--any-address: to any address). Outgoing wasi:http is refused.";

struct Args {
    component: PathBuf,
    listen: String,
    config: HandlerConfig,
}

fn parse_args() -> Result<Args, String> {
    let mut component = None;
    let mut listen = "127.0.0.1:8080".to_owned();
    let mut config = HandlerConfig::default();
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--component" => component = Some(PathBuf::from(value()?)),
            "--listen" => listen = value()?,
            "--any-address" => config.wasi_tcp = WasiTcp::Any,
            "--env" => config.env.push(host_example::cli::env_pair(&value()?)?),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    let component = component.ok_or_else(|| format!("--component is required\n{USAGE}"))?;
    Ok(Args {
        component,
        listen,
        config,
    })
}

fn main() -> ExitCode {
    host_example::cli::main(parse_args, run)
}

fn run(args: Args) -> Result<ExitCode, String> {
    let handler = HttpHandler::load(&args.component, args.config)
        .map_err(|err| format!("{}: {err:#}", args.component.display()))?;
    let listener =
        TcpListener::bind(&args.listen).map_err(|err| format!("{}: {err}", args.listen))?;
    let addr = listener.local_addr().map_err(|err| err.to_string())?;
    eprintln!(
        "serve-http: serving {} on http://{addr}/",
        args.component.display()
    );
    HttpServer::run(handler, listener).map_err(|err| format!("{err:#}"))?;
    Ok(ExitCode::SUCCESS)
}
