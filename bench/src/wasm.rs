//! The component in wasmtime, through host-example's sans-IO calls.

use host_example::{ClientInstance, ConnectOptions, Pem, SocketEvent, TlsError, TlsSocket};

use crate::engine::{keep_newest_session, Engine, Fed};

/// One instance of the component; every connection is a `tls-socket` in it.
pub struct WasmEngine {
    instance: ClientInstance,
    ca_pem: String,
    cipher: String,
    /// `ecdhCurve`, when the run names one.
    ecdh_curve: Option<String>,
    /// Offer the newest session received (Node's `session` option).
    resume: bool,
    session: Option<Vec<u8>>,
}

impl WasmEngine {
    /// Connections to 127.0.0.1 trusting `ca_pem`, offering only `cipher`
    /// (and the key-exchange groups `ecdh_curve` names, when given); with
    /// `resume`, each offers the newest session an earlier one received.
    pub fn new(
        instance: ClientInstance,
        ca_pem: &str,
        cipher: &str,
        ecdh_curve: Option<&str>,
        resume: bool,
    ) -> Self {
        Self {
            instance,
            ca_pem: ca_pem.to_owned(),
            cipher: cipher.to_owned(),
            ecdh_curve: ecdh_curve.map(str::to_owned),
            resume,
            session: None,
        }
    }

    /// The instance, for its host-side counters.
    pub fn instance(&self) -> &ClientInstance {
        &self.instance
    }

    fn options(&self) -> ConnectOptions {
        ConnectOptions {
            host: Some("127.0.0.1".to_owned()),
            ca: Some(vec![Pem::Text(self.ca_pem.clone())]),
            ciphers: Some(self.cipher.clone()),
            ecdh_curve: self.ecdh_curve.clone(),
            session: self.session.clone().filter(|_| self.resume),
            ..ConnectOptions::default()
        }
    }
}

fn host(err: wasmtime::Error) -> String {
    format!("host error: {err:#}")
}

fn tls(err: TlsError) -> String {
    format!("{}: {}", err.code, err.message)
}

impl Engine for WasmEngine {
    type Conn = TlsSocket;

    fn start(&mut self) -> Result<TlsSocket, String> {
        let options = self.options();
        self.instance.start(options).map_err(host)?.map_err(tls)
    }

    fn feed(&mut self, conn: &mut TlsSocket, data: &[u8]) -> Result<Fed, String> {
        let fed = self
            .instance
            .socket(conn)
            .feed(data)
            .map_err(host)?
            .map_err(tls)?;
        let sessions = fed.events.iter().filter_map(|event| match event {
            SocketEvent::Session(handle) => Some(handle),
            _ => None,
        });
        keep_newest_session(&mut self.session, sessions);
        Ok(Fed::counted(fed.secure_connect, &fed.data, fed.end))
    }

    fn write(&mut self, conn: &mut TlsSocket, data: &[u8]) -> Result<(), String> {
        self.instance
            .socket(conn)
            .write(data)
            .map_err(host)?
            .map_err(tls)
    }

    fn end(&mut self, conn: &mut TlsSocket) -> Result<(), String> {
        self.instance.socket(conn).end().map_err(host)?.map_err(tls)
    }

    fn take_outgoing(&mut self, conn: &mut TlsSocket) -> Result<Vec<u8>, String> {
        self.instance.socket(conn).take_outgoing().map_err(host)
    }

    fn finish(&mut self, conn: TlsSocket) -> Result<(), String> {
        self.instance.socket(&conn).destroy().map_err(host)?;
        // Dropping the handle frees the connection in the guest; without it every
        // socket would stay in linear memory until the instance goes away.
        self.instance.drop_socket(conn).map_err(host)
    }
}
