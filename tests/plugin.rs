//! A plugin component composed with tls-connect: `https-get` imports the
//! `client` interface, `wac plug` satisfies it with tls-connect, and host-example
//! runs the one composed component with its transport import. The job: an
//! HTTP/1.1 GET over TLS 1.3 with ALPN `http/1.1` to Node's `https.createServer`.

mod support;

use std::time::Duration;

use host_example::command::WasiTcp;
use support::composed::{https_get, run, stderr, stdout};
use support::peers::{NodeServer, NodeServerConfig};
use test_pki::DemoPki;

const WAIT: Duration = Duration::from_secs(20);

fn https_server(pki: &DemoPki) -> NodeServer {
    NodeServer::start_https(&NodeServerConfig {
        alpn: vec!["http/1.1".into()],
        ..NodeServerConfig::serving(&pki.server)
    })
}

#[test]
fn https_get_over_tls13_with_alpn() {
    let pki = DemoPki::generate();
    let server = https_server(&pki);
    let url = format!("https://localhost:{}/hello?x=1", server.port());
    let finished = run(
        https_get(),
        &["https-get", &url],
        &[("TLS_CONNECT_CA", &pki.ca_pem)],
        b"",
        WasiTcp::Off,
    );
    assert_eq!(finished.status, 0, "stderr: {}", stderr(&finished));
    assert_eq!(
        stdout(&finished),
        "HTTP/1.1 200 OK\n\
         subject: CN=localhost, O=tls-connect tests\n\
         protocol: TLSv1.3\n\
         alpn: http/1.1\n\
         \n\
         hello from node https\n"
    );
    let seen = server
        .next_event(WAIT)
        .expect("the server reports the request");
    assert_eq!(seen.request.as_deref(), Some("GET /hello?x=1 HTTP/1.1"));
    assert_eq!(seen.protocol.as_deref(), Some("TLSv1.3"), "{seen:?}");
    assert_eq!(seen.alpn.as_deref(), Some("http/1.1"), "{seen:?}");
    // Node's https sends the host name as SNI; so does the plugin.
    assert_eq!(seen.servername.as_deref(), Some("localhost"), "{seen:?}");
}

#[test]
fn https_get_reports_an_untrusted_server_as_node_does() {
    let pki = DemoPki::generate();
    let server = https_server(&pki);
    // No TLS_CONNECT_CA: the default roots, which never issued the demo CA.
    let url = format!("https://localhost:{}/", server.port());
    let finished = run(https_get(), &["https-get", &url], &[], b"", WasiTcp::Off);
    assert_eq!(finished.status, 1);
    assert_eq!(
        stderr(&finished).trim_end(),
        "UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate; \
         if the root CA is installed locally, try running Node.js with --use-system-ca"
    );
    assert_eq!(stdout(&finished), "");
}

#[test]
fn https_get_usage() {
    let finished = run(https_get(), &["https-get"], &[], b"", WasiTcp::Off);
    assert_eq!(finished.status, 1);
    assert!(stderr(&finished).starts_with("usage: https-get"));
}
