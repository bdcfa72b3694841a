//! The echo client from Node's `tls.connect()` documentation, on the tls-connect
//! component in wasmtime.
//!
//! With no `--host`, `--port` or `--path`, it starts its own TLS echo server on
//! 127.0.0.1 with a fresh CA, server and client certificate (client certificates
//! required, like the documentation's server) and talks to that.

use std::path::PathBuf;
use std::process::ExitCode;

use host_example::echo_client::{self, EchoError};
use host_example::echo_server::{EchoServer, EchoServerConfig};
use host_example::transport::NetStream;
use host_example::{AlpnProtocols, ClientComponent, ConnectOptions, KeyEntry, Pem};
use test_pki::DemoPki;

const USAGE: &str =
    "usage: echo-client [--component FILE] [--host HOST] [--port PORT] [--path SOCKET]
                   [--ca FILE] [--cert FILE] [--key FILE] [--servername NAME]
                   [--alpn P1,P2] [--insecure]
Pipes stdin to the server and prints what it sends back.
Without --host, --port or --path it runs against its own local echo server.";

#[derive(Default)]
struct Args {
    component: Option<PathBuf>,
    host: Option<String>,
    port: Option<u16>,
    path: Option<String>,
    ca: Option<PathBuf>,
    cert: Option<PathBuf>,
    key: Option<PathBuf>,
    servername: Option<String>,
    alpn: Option<String>,
    insecure: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args::default();
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--component" => args.component = Some(value()?.into()),
            "--host" => args.host = Some(value()?),
            "--port" => {
                let v = value()?;
                args.port = Some(v.parse().map_err(|_| format!("bad port: {v}"))?);
            }
            "--path" => args.path = Some(value()?),
            "--ca" => args.ca = Some(value()?.into()),
            "--cert" => args.cert = Some(value()?.into()),
            "--key" => args.key = Some(value()?.into()),
            "--servername" => args.servername = Some(value()?),
            "--alpn" => args.alpn = Some(value()?),
            "--insecure" => args.insecure = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(args)
}

/// The component next to the workspace's target directory, where `make` puts it.
fn default_component() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/tls-connect.wasm")
}

fn read_pem(path: &Option<PathBuf>) -> Result<Option<Vec<Pem>>, String> {
    match path {
        None => Ok(None),
        Some(p) => std::fs::read(p)
            .map(|bytes| Some(vec![Pem::Bytes(bytes)]))
            .map_err(|e| format!("{}: {e}", p.display())),
    }
}

fn options_for(args: &Args) -> Result<ConnectOptions, String> {
    Ok(ConnectOptions {
        host: args.host.clone(),
        port: args.port.map(u32::from),
        path: args.path.clone(),
        servername: args.servername.clone(),
        reject_unauthorized: args.insecure.then_some(false),
        ca: read_pem(&args.ca)?,
        cert: read_pem(&args.cert)?,
        key: read_pem(&args.key)?.map(|pems| {
            pems.into_iter()
                .map(|pem| KeyEntry {
                    pem,
                    passphrase: None,
                })
                .collect()
        }),
        alpn_protocols: args
            .alpn
            .as_ref()
            .map(|list| AlpnProtocols::Names(list.split(',').map(str::to_owned).collect())),
        ..ConnectOptions::default()
    })
}

fn main() -> ExitCode {
    host_example::cli::main(parse_args, |args| run(args).map(|()| ExitCode::SUCCESS))
}

fn run(mut args: Args) -> Result<(), String> {
    // Kept alive until the echo is over.
    let mut _server = None;
    let mut options = if args.host.is_none() && args.port.is_none() && args.path.is_none() {
        let pki = DemoPki::generate();
        let server = EchoServer::start(EchoServerConfig {
            cert_chain_pem: pki.server.cert_pem.clone(),
            key_pem: pki.server.key_pem.clone(),
            client_ca_pem: Some(pki.ca_pem.clone()),
            alpn: Vec::new(),
        })
        .map_err(|e| format!("could not start the local echo server: {e}"))?;
        args.port = Some(server.port());
        _server = Some(server);
        let mut options = options_for(&args)?;
        options.ca = Some(vec![Pem::Text(pki.ca_pem.clone())]);
        options.cert = Some(vec![Pem::Text(pki.client.cert_pem.clone())]);
        options.key = Some(vec![KeyEntry {
            pem: Pem::Text(pki.client.key_pem.clone()),
            passphrase: None,
        }]);
        options
    } else {
        options_for(&args)?
    };
    let host = options
        .host
        .clone()
        .unwrap_or_else(|| "localhost".to_owned());
    let port = args.port.unwrap_or(0);
    let stream = NetStream::dial(&host, port, args.path.as_deref())
        .map_err(|e| format!("{}: {}", e.code, e.message))?;
    options.port = None;
    let component_path = args.component.clone().unwrap_or_else(default_component);
    let component = ClientComponent::load(&component_path)
        .map_err(|e| format!("could not load {}: {e:#}", component_path.display()))?;
    let mut instance = component.instantiate().map_err(|e| format!("{e:#}"))?;
    let mut stdout = std::io::stdout();
    echo_client::run(
        &mut instance,
        options,
        stream,
        std::io::stdin(),
        &mut stdout,
    )
    .map(|_| ())
    .map_err(|e: EchoError| e.to_string())
}
