//! The closing measurement of the composed components: their sizes, and the
//! handshake time of each against the plain component over the same kind of
//! connection to the same Node server. Printed; see it with
//! `cargo test --release --test composed_measure -- --nocapture`. A timing is a
//! benchmark, not an assertion: nothing here fails on speed.

mod support;

use std::thread;
use std::time::{Duration, Instant};

use host_example::command::{Finished, WasiTcp};
use host_example::{AlpnProtocols, ConnectOptions};
use support::component::{component_path, instance, options_to, with_client_cert};
use support::composed::{self, client_env, echo_wasi_only, handshake_ms, https_get, run, stderr};
use support::peers::{NodeServer, NodeServerConfig};
use test_pki::DemoPki;

/// Timed handshakes per line of the table, after one untimed warm-up.
const ROUNDS: usize = 15;

/// The pause before each handshake, so that the server has settled the previous
/// connection and every sample starts from an idle peer (the machine has 2 cores).
const SETTLE: Duration = Duration::from_millis(20);

/// Median and minimum, in milliseconds.
fn summary(mut samples: Vec<f64>) -> String {
    samples.sort_by(f64::total_cmp);
    format!(
        "median {:6.3} ms, min {:6.3} ms",
        samples[samples.len() / 2],
        samples[0]
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The plain component's attached `connect`, timed from the host: TCP connect
/// and handshake, as the plugins time it inside.
fn plain_handshakes(options: impl Fn() -> ConnectOptions) -> Vec<f64> {
    (0..=ROUNDS)
        .map(|_| {
            let mut instance = instance();
            thread::sleep(SETTLE);
            let started = Instant::now();
            let socket = instance
                .connect(options())
                .expect("no trap")
                .expect("connects");
            let took = ms(started.elapsed());
            instance.socket(&socket).destroy().expect("no trap");
            took
        })
        .skip(1)
        .collect()
}

/// Runs a composed plugin `ROUNDS` times after a warm-up, each run (which must
/// succeed) timed: the handshake times it measured itself, and the whole runs'
/// times (instantiation, handshake, its job).
fn plugin_handshakes(mut run_once: impl FnMut() -> Finished) -> (Vec<f64>, Vec<f64>) {
    std::iter::repeat_with(|| {
        thread::sleep(SETTLE);
        let started = Instant::now();
        let finished = run_once();
        let whole = ms(started.elapsed());
        assert_eq!(finished.status, 0, "{}", stderr(&finished));
        (handshake_ms(&finished), whole)
    })
    .take(ROUNDS + 1)
    .skip(1)
    .unzip()
}

fn size(path: &std::path::Path) -> u64 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .len()
}

#[test]
fn sizes_and_handshake_times() {
    // Loaded before any timing, so no compile lands in a sample.
    let (https_get, echo) = (https_get(), echo_wasi_only());
    let pki = DemoPki::generate();
    let mut report = vec![
        "component sizes:".to_owned(),
        format!(
            "  plain tls-connect            {:>9} bytes",
            size(&component_path())
        ),
        format!(
            "  https-get plugin, composed   {:>9} bytes",
            size(&composed::path(
                "TLS_CONNECT_HTTPS_GET_PLUGIN",
                "https-get-plugin.wasm"
            ))
        ),
        format!(
            "  tls-echo WASI-only, composed {:>9} bytes",
            size(&composed::path(
                "TLS_CONNECT_ECHO_WASI_ONLY",
                "tls-echo-wasi-only.wasm"
            ))
        ),
    ];

    // TLS 1.3, ALPN http/1.1, server authentication only: Node's https server.
    let https = NodeServer::start_https(&NodeServerConfig {
        alpn: vec!["http/1.1".into()],
        ..NodeServerConfig::serving(&pki.server)
    });
    let plain = plain_handshakes(|| {
        let mut options = options_to(https.port(), &pki.ca_pem);
        options.host = Some("localhost".into());
        options.servername = Some("localhost".into());
        options.min_version = Some("TLSv1.3".into());
        options.alpn_protocols = Some(AlpnProtocols::Names(vec!["http/1.1".into()]));
        options
    });
    let url = format!("https://localhost:{}/", https.port());
    let (plugin, plugin_whole) = plugin_handshakes(|| {
        run(
            https_get,
            &["https-get", &url],
            &[("TLS_CONNECT_CA", &pki.ca_pem)],
            b"",
            WasiTcp::Off,
        )
    });
    report.push(format!(
        "handshakes, {ROUNDS} each (TCP connect included), Node https server, TLS 1.3 + ALPN:"
    ));
    report.push(format!("  plain, host transport        {}", summary(plain)));
    report.push(format!(
        "  https-get plugin, composed   {}",
        summary(plugin)
    ));
    report.push(format!(
        "    whole run (GET included)   {}",
        summary(plugin_whole)
    ));

    // Client certificates required, as in Node's example: Node's TLS echo server.
    let tls = NodeServer::start(&NodeServerConfig::requiring_client_certificates(&pki));
    let plain = plain_handshakes(|| {
        let mut options = with_client_cert(
            options_to(tls.port(), &pki.ca_pem),
            &pki.client.cert_pem,
            &pki.client.key_pem,
        );
        options.host = Some("localhost".into());
        options
    });
    let port = tls.port().to_string();
    let env = client_env(&pki);
    let (wasi_only, wasi_only_whole) = plugin_handshakes(|| {
        run(
            echo,
            &["tls-echo", "--host", "localhost", "--port", &port],
            &env,
            b"hello\n",
            WasiTcp::Loopback,
        )
    });
    report.push(format!(
        "handshakes, {ROUNDS} each (TCP connect included), Node TLS server, client certificate:"
    ));
    report.push(format!("  plain, host transport        {}", summary(plain)));
    report.push(format!(
        "  tls-echo WASI-only, composed {}",
        summary(wasi_only)
    ));
    report.push(format!(
        "    whole run (echo included)  {}",
        summary(wasi_only_whole)
    ));
    println!("{}", report.join("\n"));
}
