//! The composed components `make test` builds: a plugin with tls-connect, and
//! an echo that needs nothing but WASI. Each is named by an environment variable
//! and loaded once per test binary.

use std::path::PathBuf;
use std::sync::OnceLock;

use host_example::command::{Finished, Run, Stdio, WasiTcp};
use host_example::{CommandComponent, Imports};
use test_pki::DemoPki;

/// The https-get plugin composed with tls-connect, which imports WASI and our
/// transport; loaded once per test binary.
pub fn https_get() -> &'static CommandComponent {
    static LOADED: OnceLock<CommandComponent> = OnceLock::new();
    LOADED.get_or_init(|| {
        load(
            "TLS_CONNECT_HTTPS_GET_PLUGIN",
            "https-get-plugin.wasm",
            Imports::WasiAndTransport,
        )
    })
}

/// The tls-echo plugin composed with tls-connect and the wasi:sockets adapter,
/// which imports only WASI and is offered only WASI; loaded once per test binary.
pub fn echo_wasi_only() -> &'static CommandComponent {
    static LOADED: OnceLock<CommandComponent> = OnceLock::new();
    LOADED.get_or_init(|| {
        load(
            "TLS_CONNECT_ECHO_WASI_ONLY",
            "tls-echo-wasi-only.wasm",
            Imports::WasiOnly,
        )
    })
}

/// Where a composed component is: the path in `var`, else `target/{file}`.
pub fn path(var: &str, file: &str) -> PathBuf {
    std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("target")
            .join(file)
    })
}

fn load(var: &str, file: &str, imports: Imports) -> CommandComponent {
    let path = path(var, file);
    assert!(
        path.exists(),
        "{} is missing (set {var}): run the tests with `make test`, which composes it",
        path.display()
    );
    CommandComponent::load(&path, imports).expect("the composition loads")
}

/// The demo client's credentials (Node's example's), as the plugins take them
/// from their environment.
pub fn client_env(pki: &DemoPki) -> Vec<(&str, &str)> {
    vec![
        ("TLS_CONNECT_CA", pki.ca_pem.as_str()),
        ("TLS_CONNECT_CERT", pki.client.cert_pem.as_str()),
        ("TLS_CONNECT_KEY", pki.client.key_pem.as_str()),
    ]
}

/// Runs `command` with `args` (program name first), `env` and `stdin`, its
/// output captured.
pub fn run(
    command: &CommandComponent,
    args: &[&str],
    env: &[(&str, &str)],
    stdin: &[u8],
    wasi_tcp: WasiTcp,
) -> Finished {
    let run = Run {
        args: args.iter().map(|a| a.to_string()).collect(),
        env: env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        stdio: Stdio::Captured {
            stdin: stdin.to_vec(),
        },
        wasi_tcp,
    };
    command.run(&run).expect("the command runs without a trap")
}

/// The `handshake: N ms` line the plugins print on stderr, in milliseconds.
pub fn handshake_ms(finished: &Finished) -> f64 {
    let stderr = String::from_utf8_lossy(&finished.stderr);
    stderr
        .lines()
        .find_map(|line| line.strip_prefix("handshake: ")?.strip_suffix(" ms"))
        .and_then(|ms| ms.parse().ok())
        .unwrap_or_else(|| panic!("no handshake time on stderr: {stderr}"))
}

/// Stdout as text.
pub fn stdout(finished: &Finished) -> String {
    String::from_utf8(finished.stdout.clone()).expect("stdout is UTF-8")
}

/// Stderr as text.
pub fn stderr(finished: &Finished) -> String {
    String::from_utf8_lossy(&finished.stderr).into_owned()
}
