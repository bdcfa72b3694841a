//! `tls-echo --host H --port P`: the echo client of Node's `tls.connect()`
//! documentation, through tls-connect. Prints `client connected authorized` (or
//! `unauthorized`), sends its input, prints what the server sends back, and
//! `server ends connection`. Certificates come as PEM text in `TLS_CONNECT_CA`,
//! `TLS_CONNECT_CERT` and `TLS_CONNECT_KEY`. Built for wasm32-wasip2 and composed
//! with tls-connect; natively it only says so.

use std::io::{Read, Write};

use example_plugins::args::{parse_echo_args, Credentials};
use example_plugins::tls::{self, Failure};

fn main() -> std::process::ExitCode {
    tls::main("tls-echo", run)
}

fn run() -> Result<(), Failure> {
    let args = parse_echo_args(std::env::args().skip(1)).map_err(Failure::Other)?;
    // A component has one thread: where Node pipes stdin while reading the
    // socket, this reads its input to the end first, then sends it.
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input)?;
    let credentials = Credentials::from_env(|name| std::env::var(name).ok());
    let mut options = tls::options_to(&args.host, args.port, &credentials);
    options.servername = args.servername;
    let socket = tls::connect_timed(options)?;
    let word = if socket.authorized() {
        "authorized"
    } else {
        "unauthorized"
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "client connected {word}")?;
    out.flush()?;
    socket.write(&input)?;
    // The input ended: end our side, as `stdin.pipe(socket)` does.
    socket.end()?;
    // Bounded by the server, which ends once we have.
    loop {
        let data = socket.read(64 * 1024)?;
        if data.is_empty() {
            break;
        }
        out.write_all(&data)?;
        out.flush()?;
    }
    writeln!(out, "server ends connection")?;
    Ok(())
}
