//! The engine compiled natively: `tls_connect_engine::Connection`, the same code the
//! component runs, as a plain Rust library.

use tls_connect_engine::{ConnectOptions, Connection, Pem, SecureContext, SocketEvent, TlsError};

use crate::engine::{keep_newest_session, Engine, Fed};

/// The native engine. Without resumption every connection builds its own
/// context, as the component's `start` does; with it, connections share one
/// context and each offers the newest session an earlier one received, as a
/// Node client that keeps its `'session'` events does.
pub struct NativeEngine {
    options: ConnectOptions,
    shared: Option<SecureContext>,
    /// The newest `'session'`, offered by the next connection when resuming.
    session: Option<Vec<u8>>,
}

impl NativeEngine {
    /// Connections to 127.0.0.1 trusting `ca_pem`, offering only `cipher`.
    pub fn new(
        ca_pem: &str,
        cipher: &str,
        ecdh_curve: Option<&str>,
        resume: bool,
    ) -> Result<Self, String> {
        let mut options = ConnectOptions::default();
        options.target.host = Some("127.0.0.1".to_owned());
        options.context.ca = Some(vec![Pem::Text(ca_pem.to_owned())]);
        options.context.ciphers = Some(cipher.to_owned());
        options.context.ecdh_curve = ecdh_curve.map(str::to_owned);
        let shared = if resume {
            Some(SecureContext::new(&options.context, &options.credentials).map_err(tls)?)
        } else {
            None
        };
        Ok(Self {
            options,
            shared,
            session: None,
        })
    }
}

fn tls(err: TlsError) -> String {
    format!("{}: {}", err.code, err.message)
}

impl Engine for NativeEngine {
    type Conn = Connection;

    fn start(&mut self) -> Result<Connection, String> {
        match &self.shared {
            Some(context) => {
                self.options.connection.session = self.session.clone();
                Connection::with_secure_context(&self.options, context)
            }
            None => Connection::new(&self.options),
        }
        .map_err(tls)
    }

    fn feed(&mut self, conn: &mut Connection, data: &[u8]) -> Result<Fed, String> {
        let fed = conn.feed(data).map_err(tls)?;
        let sessions = fed.events.iter().filter_map(|event| match event {
            SocketEvent::Session(handle) => Some(handle),
            _ => None,
        });
        keep_newest_session(&mut self.session, sessions);
        Ok(Fed::counted(fed.secure_connect, &fed.data, fed.end))
    }

    fn write(&mut self, conn: &mut Connection, data: &[u8]) -> Result<(), String> {
        conn.write(data).map_err(tls)
    }

    fn end(&mut self, conn: &mut Connection) -> Result<(), String> {
        conn.end().map_err(tls)
    }

    fn take_outgoing(&mut self, conn: &mut Connection) -> Result<Vec<u8>, String> {
        Ok(conn.take_outgoing())
    }

    fn finish(&mut self, mut conn: Connection) -> Result<(), String> {
        conn.destroy();
        Ok(())
    }
}
