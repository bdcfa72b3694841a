//! `https-get URL`: an HTTP/1.1 GET over TLS 1.3 with ALPN `http/1.1`, through
//! tls-connect. Prints the status line, the server certificate's subject, the
//! negotiated protocol and ALPN, a blank line, then the body. Trusts the PEM text
//! in `TLS_CONNECT_CA` (else the default roots). Built for wasm32-wasip2 and
//! composed with tls-connect; natively it only says so.

use std::io::Write;

use example_plugins::args::Credentials;
use example_plugins::http::{self, Url};
use example_plugins::names;
use example_plugins::tls::{self, AlpnProtocols, Failure};

const USAGE: &str = "usage: https-get https://HOST[:PORT][/PATH]
Trusts the CA certificates in TLS_CONNECT_CA (PEM text), else the default roots.";

/// The most a response may hold: this is an example, not a download tool.
const RESPONSE_LIMIT: usize = 16 * 1024 * 1024;

fn main() -> std::process::ExitCode {
    tls::main("https-get", run)
}

fn run() -> Result<(), Failure> {
    let mut args = std::env::args().skip(1);
    let (Some(url), None) = (args.next(), args.next()) else {
        return Err(Failure::Other(USAGE.to_owned()));
    };
    let url = Url::parse(&url).map_err(|e| Failure::Other(format!("{e}\n{USAGE}")))?;
    let credentials = Credentials::from_env(|name| std::env::var(name).ok());
    let mut options = tls::options_to(&url.host, url.port, &credentials);
    options.servername = url.servername();
    options.min_version = Some("TLSv1.3".into());
    options.alpn_protocols = Some(AlpnProtocols::Names(vec!["http/1.1".into()]));
    let socket = tls::connect_timed(options)?;
    // Read while the connection is up: a destroyed socket reports none of them.
    let subject = socket
        .get_peer_certificate(false)
        .and_then(|chain| chain.into_iter().next())
        .map(|leaf| names::one_line(&leaf.subject))
        .unwrap_or_default();
    let protocol = socket.get_protocol().unwrap_or_default();
    let alpn = socket.alpn_protocol().unwrap_or_default();
    socket.write(&http::get_request(&url))?;
    // The server ends the connection after its answer (`Connection: close`);
    // the socket then ends its own side, as Node's does without allowHalfOpen.
    let received = tls::read_to_end(&socket, RESPONSE_LIMIT)?;
    let response = http::parse_response(&received).map_err(Failure::Other)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", response.status_line)?;
    writeln!(out, "subject: {subject}")?;
    writeln!(out, "protocol: {protocol}")?;
    writeln!(out, "alpn: {alpn}")?;
    writeln!(out)?;
    out.write_all(&response.body)?;
    out.flush()?;
    Ok(())
}
