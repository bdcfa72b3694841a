//! The http-handler edge function (`make plugins` composes it), served by
//! host-example's [`HttpServer`] on 127.0.0.1, and a plain HTTP/1.1 client for it.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use example_plugins::http::parse_response;
use host_example::command::WasiTcp;
use host_example::{HandlerConfig, HttpHandler, HttpServer};

use super::composed;

/// How long one request may take, connect to last byte.
const REQUEST_LIMIT: Duration = Duration::from_secs(20);

/// The most an answer may hold: the handler's replies are small.
const ANSWER_LIMIT: u64 = 4 * 1024 * 1024;

/// Where the composition is: `TLS_CONNECT_HTTP_HANDLER`, else `target/`.
pub fn handler_path() -> std::path::PathBuf {
    composed::path("TLS_CONNECT_HTTP_HANDLER", "http-handler-wasi-only.wasm")
}

/// Loads the handler, every instance seeing `env`, with TCP to loopback only.
pub fn load_handler(env: &[(&str, &str)]) -> HttpHandler {
    let path = handler_path();
    assert!(
        path.exists(),
        "{} is missing (set TLS_CONNECT_HTTP_HANDLER): run the tests with `make test`, which composes it",
        path.display()
    );
    let config = HandlerConfig {
        env: env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        wasi_tcp: WasiTcp::Loopback,
        request_limit: REQUEST_LIMIT,
    };
    HttpHandler::load(&path, config).expect("the handler loads")
}

/// Serves the handler with `env` on a free port of 127.0.0.1, until dropped.
pub fn serve(env: &[(&str, &str)]) -> HttpServer {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port on loopback");
    HttpServer::start(load_handler(env), listener).expect("the server starts")
}

/// An answer: the status, the headers, the body.
#[derive(Debug, Clone)]
pub struct Answer {
    /// `200`.
    pub status: u16,
    /// Names and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as JSON; panics if it is not.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|err| {
            panic!("not JSON ({err}): {}", String::from_utf8_lossy(&self.body))
        })
    }

    /// The first value of header `name`, without regard to case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// `POST path_and_query` with `body` to `server`, on a connection of its own
/// that the server closes after answering.
pub fn post(server: SocketAddr, path_and_query: &str, body: &[u8]) -> Answer {
    let mut stream = TcpStream::connect_timeout(&server, REQUEST_LIMIT).expect("connects");
    stream
        .set_read_timeout(Some(REQUEST_LIMIT))
        .expect("timeout");
    stream
        .set_write_timeout(Some(REQUEST_LIMIT))
        .expect("timeout");
    let head = format!(
        "POST {path_and_query} HTTP/1.1\r\nHost: {server}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).expect("writes the head");
    stream.write_all(body).expect("writes the body");
    let mut received = Vec::new();
    // Bounded by the server's close, the read timeout and ANSWER_LIMIT.
    (&mut stream)
        .take(ANSWER_LIMIT)
        .read_to_end(&mut received)
        .expect("reads the answer");
    let response = parse_response(&received).expect("an HTTP/1.1 answer");
    let status = response
        .status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status in {:?}", response.status_line));
    Answer {
        status,
        headers: response.headers,
        body: response.body,
    }
}
