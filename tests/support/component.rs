//! The built component, loaded once per test binary and instantiated per test.

use std::path::PathBuf;
use std::sync::OnceLock;

use host_example::{ClientComponent, ClientInstance, ConnectOptions, KeyEntry, Pem};

/// The component `make test` built; `TLS_CONNECT_COMPONENT` names it.
pub fn component_path() -> PathBuf {
    std::env::var_os("TLS_CONNECT_COMPONENT")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/tls-connect.wasm")
        })
}

/// The loaded component, shared by every test in this binary.
pub fn component() -> &'static ClientComponent {
    static LOADED: OnceLock<ClientComponent> = OnceLock::new();
    LOADED.get_or_init(|| {
        let path = component_path();
        assert!(
            path.exists(),
            "{} is missing: run the tests with `make test`, which builds it",
            path.display()
        );
        ClientComponent::load(&path).expect("the component loads")
    })
}

/// A fresh instance of the component.
pub fn instance() -> ClientInstance {
    component()
        .instantiate()
        .expect("the component instantiates")
}

/// Connect options with nothing set: every Node default applies.
pub fn options() -> ConnectOptions {
    ConnectOptions::default()
}

/// Options for 127.0.0.1:`port` trusting `ca_pem`.
pub fn options_to(port: u16, ca_pem: &str) -> ConnectOptions {
    ConnectOptions {
        host: Some("127.0.0.1".into()),
        port: Some(u32::from(port)),
        ca: Some(vec![Pem::Text(ca_pem.to_owned())]),
        ..options()
    }
}

/// Adds a client certificate and key.
pub fn with_client_cert(
    mut options: ConnectOptions,
    cert_pem: &str,
    key_pem: &str,
) -> ConnectOptions {
    options.cert = Some(vec![Pem::Text(cert_pem.to_owned())]);
    options.key = Some(vec![KeyEntry {
        pem: Pem::Text(key_pem.to_owned()),
        passphrase: None,
    }]);
    options
}

/// Attached mode: writes `message` and reads until as many bytes came back, or
/// the server ended. Bounded by the message's length and the server's end.
pub fn echo_attached(
    instance: &mut ClientInstance,
    socket: &host_example::TlsSocket,
    message: &[u8],
) -> Vec<u8> {
    instance
        .socket(socket)
        .write(message)
        .expect("no trap")
        .expect("write succeeds");
    let mut echoed = Vec::new();
    while echoed.len() < message.len() {
        let chunk = instance
            .socket(socket)
            .read(64 * 1024)
            .expect("no trap")
            .expect("read succeeds");
        if chunk.is_empty() {
            break;
        }
        echoed.extend_from_slice(&chunk);
    }
    echoed
}
