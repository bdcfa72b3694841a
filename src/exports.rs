//! The exported `client` interface: each call converted and handed to the
//! engine, and the `tls-socket` and `secure-context` resources.

use std::cell::RefCell;

use tls_connect_engine::{Attached, ConnectOptions, Connection, SecureContext, TlsError};

use crate::bindings::exports::tls_connect::tls_connect::client;
use crate::bindings::tls_connect::tls_connect::transport as wit_transport;
use crate::bindings::tls_connect::tls_connect::types as wit;
use crate::convert::{
    engine_certificate, engine_error, engine_options, wit_certificate, wit_cipher, wit_error,
    wit_event, wit_fed, wit_key_info,
};
use crate::imports::{offer_crypto_to_host, open, Duplex};

struct Component;

crate::bindings::export!(Component with_types_in crate::bindings);

impl client::Guest for Component {
    type TlsSocket = Socket;
    type SecureContext = Context;

    fn create_secure_context(
        options: wit::ConnectOptions,
    ) -> Result<client::SecureContext, wit::TlsError> {
        let (mut options, _socket) = engine_options(options);
        offer_crypto_to_host();
        let context = SecureContext::new(&options.context, &options.credentials);
        options.credentials.zeroize_secrets();
        Ok(client::SecureContext::new(Context(
            context.map_err(wit_error)?,
        )))
    }

    fn connect_with_context(
        context: client::SecureContextBorrow<'_>,
        options: wit::ConnectOptions,
    ) -> Result<client::TlsSocket, wit::TlsError> {
        let (options, socket) = engine_options(options);
        let context = &context.get::<Context>().0;
        attached(
            Connection::with_secure_context(&options, context),
            &options,
            socket,
        )
    }

    fn start_with_context(
        context: client::SecureContextBorrow<'_>,
        options: wit::ConnectOptions,
    ) -> Result<client::TlsSocket, wit::TlsError> {
        let (options, _socket) = engine_options(options);
        let context = &context.get::<Context>().0;
        sans_io(Connection::with_secure_context(&options, context))
    }

    fn connect(options: wit::ConnectOptions) -> Result<client::TlsSocket, wit::TlsError> {
        let (mut options, socket) = engine_options(options);
        let conn = new_connection(&mut options);
        attached(conn, &options, socket)
    }

    fn start(options: wit::ConnectOptions) -> Result<client::TlsSocket, wit::TlsError> {
        let (mut options, _socket) = engine_options(options);
        sans_io(new_connection(&mut options))
    }

    fn check_server_identity(
        hostname: String,
        cert: wit::PeerCertificate,
    ) -> Result<(), wit::TlsError> {
        tls_connect_engine::check_server_identity(&hostname, &engine_certificate(cert))
            .map_err(wit_error)
    }

    fn root_certificates() -> Vec<String> {
        tls_connect_engine::root_certificates()
    }

    fn get_ciphers() -> Vec<String> {
        tls_connect_engine::get_ciphers()
    }

    fn get_certificate_compression_algorithms() -> Vec<String> {
        tls_connect_engine::get_certificate_compression_algorithms()
    }

    fn defaults() -> wit::TlsDefaults {
        let d = tls_connect_engine::defaults();
        wit::TlsDefaults {
            ciphers: d.ciphers,
            ecdh_curve: d.ecdh_curve,
            min_version: d.min_version,
            max_version: d.max_version,
        }
    }
}

/// The connection for `options`; their keys and passphrases are wiped once the
/// secure context holds what it needs, so no copy lingers in freed guest memory.
fn new_connection(options: &mut ConnectOptions) -> Result<Connection, TlsError> {
    offer_crypto_to_host();
    let conn = Connection::new(options);
    options.credentials.zeroize_secrets();
    conn
}

/// An attached socket: `conn` over the caller's stream, else over the
/// transport `options` name, once its handshake and certificate decision are done.
fn attached(
    conn: Result<Connection, TlsError>,
    options: &ConnectOptions,
    socket: Option<wit_transport::Duplex>,
) -> Result<client::TlsSocket, wit::TlsError> {
    let attached = (|| {
        let conn = conn?;
        let duplex = match socket {
            Some(duplex) => duplex,
            None => open(&options.target.target()?)?,
        };
        Attached::connect(conn, Duplex(duplex))
    })()
    .map_err(wit_error)?;
    Ok(client::TlsSocket::new(Socket {
        mode: RefCell::new(Mode::Attached(Box::new(attached))),
    }))
}

/// A sans-IO socket for `conn`.
fn sans_io(conn: Result<Connection, TlsError>) -> Result<client::TlsSocket, wit::TlsError> {
    let conn = conn.map_err(wit_error)?;
    Ok(client::TlsSocket::new(Socket {
        mode: RefCell::new(Mode::SansIo(Box::new(conn))),
    }))
}

/// The exported `secure-context` resource.
pub(crate) struct Context(SecureContext);

impl client::GuestSecureContext for Context {}

enum Mode {
    SansIo(Box<Connection>),
    Attached(Box<Attached<Duplex>>),
}

/// The exported `tls-socket` resource.
pub(crate) struct Socket {
    mode: RefCell<Mode>,
}

impl Socket {
    fn with_conn<R>(&self, f: impl FnOnce(&Connection) -> R) -> R {
        match &*self.mode.borrow() {
            Mode::SansIo(conn) => f(conn),
            Mode::Attached(attached) => f(attached.connection()),
        }
    }

    fn with_conn_mut<R>(&self, f: impl FnOnce(&mut Connection) -> R) -> R {
        match &mut *self.mode.borrow_mut() {
            Mode::SansIo(conn) => f(conn),
            Mode::Attached(attached) => f(attached.connection_mut()),
        }
    }

    fn sans_io<R>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<R, TlsError>,
    ) -> Result<R, wit::TlsError> {
        match &mut *self.mode.borrow_mut() {
            Mode::SansIo(conn) => f(conn).map_err(wit_error),
            Mode::Attached(_) => Err(wit_error(TlsError::invalid_state(
                "This method drives a sans-IO socket; the socket was made by connect()",
            ))),
        }
    }
}

impl client::GuestTlsSocket for Socket {
    fn authorized(&self) -> bool {
        self.with_conn(Connection::authorized)
    }

    fn authorization_error(&self) -> Option<String> {
        self.with_conn(Connection::authorization_error)
    }

    fn alpn_protocol(&self) -> Option<String> {
        self.with_conn(Connection::alpn_protocol)
    }

    fn servername(&self) -> Option<String> {
        self.with_conn(Connection::servername)
    }

    fn get_protocol(&self) -> Option<String> {
        self.with_conn(Connection::protocol)
    }

    fn get_cipher(&self) -> Option<wit::Cipher> {
        self.with_conn(Connection::cipher).map(wit_cipher)
    }

    fn get_peer_certificate(&self, detailed: bool) -> Option<Vec<wit::PeerCertificate>> {
        self.with_conn(|c| c.peer_certificates(detailed))
            .map(|chain| chain.into_iter().map(wit_certificate).collect())
    }

    fn get_certificate(&self) -> Option<wit::PeerCertificate> {
        self.with_conn(Connection::own_certificate)
            .map(wit_certificate)
    }

    fn is_session_reused(&self) -> bool {
        self.with_conn(Connection::is_session_reused)
    }

    fn get_session(&self) -> Option<Vec<u8>> {
        self.with_conn_mut(Connection::session)
    }

    fn get_ephemeral_key_info(&self) -> Option<wit::EphemeralKeyInfo> {
        self.with_conn(Connection::ephemeral_key_info)
            .map(wit_key_info)
    }

    fn export_keying_material(
        &self,
        length: f64,
        label: String,
        context: Option<Vec<u8>>,
    ) -> Result<Vec<u8>, wit::TlsError> {
        self.with_conn(|c| c.export_keying_material(length, &label, context.as_deref()))
            .map_err(wit_error)
    }

    fn set_max_send_fragment(&self, size: f64) -> bool {
        self.with_conn_mut(|c| c.set_max_send_fragment(size))
    }

    fn refresh_write_key(&self) -> Result<(), wit::TlsError> {
        match &mut *self.mode.borrow_mut() {
            Mode::SansIo(conn) => conn.refresh_write_key(),
            Mode::Attached(_) => Err(TlsError::new(
                "ERR_TLS_INVALID_STATE",
                "An attached socket seals its own records; there is no host key to refresh",
            )),
        }
        .map_err(wit_error)
    }

    fn set_keylog(&self, enabled: bool) {
        self.with_conn(|c| c.set_keylog(enabled));
    }

    fn take_events(&self) -> Vec<wit::SocketEvent> {
        let events = match &mut *self.mode.borrow_mut() {
            Mode::SansIo(conn) => conn.take_events(),
            Mode::Attached(attached) => attached.take_events(),
        };
        events.into_iter().map(wit_event).collect()
    }

    fn settle_identity(&self, verdict: Option<wit::TlsError>) -> Result<wit::Fed, wit::TlsError> {
        let verdict = verdict.map(engine_error);
        match &mut *self.mode.borrow_mut() {
            Mode::SansIo(conn) => conn.settle_identity(verdict),
            Mode::Attached(attached) => attached.settle_identity(verdict),
        }
        .map(wit_fed)
        .map_err(wit_error)
    }

    fn write(&self, data: Vec<u8>) -> Result<(), wit::TlsError> {
        match &mut *self.mode.borrow_mut() {
            Mode::SansIo(conn) => conn.write(&data),
            Mode::Attached(attached) => attached.write(&data),
        }
        .map_err(wit_error)
    }

    fn read(&self, max_len: u32) -> Result<Vec<u8>, wit::TlsError> {
        match &mut *self.mode.borrow_mut() {
            Mode::Attached(attached) => attached.read(max_len as usize).map_err(wit_error),
            Mode::SansIo(_) => Err(wit_error(TlsError::invalid_state(
                "read() is for sockets made by connect(); a sans-IO socket returns data from feed()",
            ))),
        }
    }

    fn end(&self) -> Result<(), wit::TlsError> {
        match &mut *self.mode.borrow_mut() {
            Mode::SansIo(conn) => conn.end(),
            Mode::Attached(attached) => attached.end(),
        }
        .map_err(wit_error)
    }

    fn destroy(&self) {
        match &mut *self.mode.borrow_mut() {
            Mode::SansIo(conn) => conn.destroy(),
            Mode::Attached(attached) => attached.destroy(),
        }
    }

    fn feed(&self, data: Vec<u8>) -> Result<wit::Fed, wit::TlsError> {
        self.sans_io(|conn| conn.feed(&data)).map(wit_fed)
    }

    fn feed_end(&self) -> Result<wit::Fed, wit::TlsError> {
        self.sans_io(Connection::feed_end).map(wit_fed)
    }

    fn take_outgoing(&self) -> Vec<u8> {
        self.sans_io(|conn| Ok(conn.take_outgoing()))
            .unwrap_or_default()
    }

    fn wants_write_end(&self) -> bool {
        self.sans_io(|conn| Ok(conn.wants_write_end()))
            .unwrap_or(false)
    }
}
