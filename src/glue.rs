//! The component glue: the one place where wit-bindgen types meet the engine.
//! It converts WIT records to engine types and back, and implements the engine's
//! `Transport` for the imported `duplex` and its `CryptoHost` for the imported
//! `host-crypto`. No Node rule lives here.

use std::cell::RefCell;

use crate::connection::{CipherInfo, Connection, EphemeralKeyInfo, Fed, SocketEvent};
use crate::context::SecureContext;
use crate::host_crypto::{self, Aead, CryptoHost, HostKey, SignatureAlgorithm};
use crate::options::{self, ConnectOptions, Target};
use crate::transport::{Attached, Transport};
use crate::TlsError;

wit_bindgen::generate!({
    path: "wit",
    world: "tls-connect",
});

use exports::tls_connect::tls_connect::client;
use tls_connect::tls_connect::host_crypto as wit_crypto;
use tls_connect::tls_connect::transport as wit_transport;
use tls_connect::tls_connect::types as wit;

struct Component;

export!(Component);

impl client::Guest for Component {
    type TlsSocket = Socket;
    type SecureContext = Context;

    fn create_secure_context(
        options: wit::ConnectOptions,
    ) -> Result<client::SecureContext, wit::TlsError> {
        let (mut options, _socket) = engine_options(options);
        offer_crypto_to_host();
        let context = SecureContext::from_options(&options, false);
        options.zeroize_secrets();
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
        crate::identity::check_server_identity(&hostname, &engine_certificate(cert))
            .map_err(wit_error)
    }

    fn root_certificates() -> Vec<String> {
        crate::roots::root_certificates()
    }

    fn get_ciphers() -> Vec<String> {
        crate::names::supported_cipher_names()
    }

    fn defaults() -> wit::TlsDefaults {
        let d = options::defaults();
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
    options.zeroize_secrets();
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
            None => open(&options.target()?)?,
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

/// Opens the transport Node's options name.
fn open(target: &Target) -> Result<wit_transport::Duplex, TlsError> {
    match target {
        Target::Tcp {
            host,
            port,
            options,
        } => wit_transport::open_tcp(
            host,
            *port,
            &wit_transport::TcpOptions {
                family: options.family,
                local_address: options.local_address.clone(),
                local_port: options.local_port,
                no_delay: options.no_delay,
                keep_alive: options.keep_alive,
                timeout: options.timeout,
            },
        ),
        Target::Unix { path } => wit_transport::open_unix(path),
    }
    .map_err(io_error)
}

/// The exported `secure-context` resource.
pub struct Context(SecureContext);

impl client::GuestSecureContext for Context {}

enum Mode {
    SansIo(Box<Connection>),
    Attached(Box<Attached<Duplex>>),
}

/// The exported `tls-socket` resource.
pub struct Socket {
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

/// The imported duplex as the engine's transport.
struct Duplex(wit_transport::Duplex);

impl Transport for Duplex {
    fn read(&mut self, max_len: usize) -> Result<Vec<u8>, TlsError> {
        let max_len = u32::try_from(max_len).unwrap_or(u32::MAX);
        self.0.read(max_len).map_err(io_error)
    }

    fn write(&mut self, data: &[u8]) -> Result<(), TlsError> {
        self.0.write(data).map_err(io_error)
    }

    fn shutdown(&mut self) -> Result<(), TlsError> {
        self.0.shutdown().map_err(io_error)
    }

    fn close(&mut self) {
        self.0.close();
    }
}

fn engine_options(o: wit::ConnectOptions) -> (ConnectOptions, Option<wit_transport::Duplex>) {
    let options = ConnectOptions {
        host: o.host,
        port: o.port,
        path: o.path,
        servername: o.servername,
        reject_unauthorized: o.reject_unauthorized,
        ca: o
            .ca
            .map(|items| items.into_iter().map(engine_pem).collect()),
        crl: o
            .crl
            .map(|items| items.into_iter().map(engine_pem).collect()),
        cert: o
            .cert
            .map(|items| items.into_iter().map(engine_pem).collect()),
        key: o.key.map(|keys| {
            keys.into_iter()
                .map(|k| options::KeyEntry {
                    pem: engine_pem(k.pem),
                    passphrase: k.passphrase,
                })
                .collect()
        }),
        passphrase: o.passphrase,
        ciphers: o.ciphers,
        min_version: o.min_version,
        max_version: o.max_version,
        alpn_protocols: o.alpn_protocols.map(|alpn| match alpn {
            wit::AlpnProtocols::Names(n) => options::AlpnProtocols::Names(n),
            wit::AlpnProtocols::Buffers(b) => options::AlpnProtocols::Buffers(b),
            wit::AlpnProtocols::Wire(w) => options::AlpnProtocols::Wire(w),
        }),
        allow_half_open: o.allow_half_open,
        pfx: o.pfx.map(|items| {
            items
                .into_iter()
                .map(|p| options::PfxEntry {
                    buf: p.buf,
                    passphrase: p.passphrase,
                })
                .collect()
        }),
        ecdh_curve: o.ecdh_curve,
        sigalgs: o.sigalgs,
        secure_protocol: o.secure_protocol,
        secure_options: o.secure_options,
        allow_partial_trust_chain: o.allow_partial_trust_chain,
        request_ocsp: o.request_ocsp,
        enable_trace: o.enable_trace,
        min_dh_size: o.min_dh_size,
        session: o.session,
        identity_check: o.identity_check.map(|check| match check {
            wit::IdentityCheck::Builtin => options::IdentityCheck::Builtin,
            wit::IdentityCheck::Caller => options::IdentityCheck::Caller,
        }),
        net: o.net.map(|n| options::NetOptions {
            family: n.family,
            local_address: n.local_address,
            local_port: n.local_port,
            timeout: n.timeout,
            no_delay: n.no_delay,
            keep_alive: n.keep_alive,
            keep_alive_initial_delay: n.keep_alive_initial_delay,
        }),
    };
    (options, o.socket)
}

fn engine_pem(pem: wit::Pem) -> options::Pem {
    match pem {
        wit::Pem::Text(text) => options::Pem::Text(text),
        wit::Pem::Bytes(bytes) => options::Pem::Bytes(bytes),
    }
}

fn wit_error(err: TlsError) -> wit::TlsError {
    wit::TlsError {
        code: err.code,
        message: err.message,
        reason: err.reason,
        host: err.host,
    }
}

fn engine_error(err: wit::TlsError) -> TlsError {
    TlsError {
        code: err.code,
        message: err.message,
        reason: err.reason,
        host: err.host,
    }
}

fn io_error(err: wit_transport::IoError) -> TlsError {
    TlsError::new(err.code, err.message)
}

fn wit_fed(fed: Fed) -> wit::Fed {
    wit::Fed {
        secure_connect: fed.secure_connect,
        data: fed.data,
        end: fed.end,
        check_identity: fed.check_identity,
        events: fed.events.into_iter().map(wit_event).collect(),
    }
}

fn wit_event(event: SocketEvent) -> wit::SocketEvent {
    match event {
        SocketEvent::Session(handle) => wit::SocketEvent::Session(handle),
        SocketEvent::Keylog(line) => wit::SocketEvent::Keylog(line),
        SocketEvent::OcspResponse(response) => wit::SocketEvent::OcspResponse(response),
        SocketEvent::Trace(line) => wit::SocketEvent::Trace(line),
    }
}

fn wit_key_info(info: EphemeralKeyInfo) -> wit::EphemeralKeyInfo {
    wit::EphemeralKeyInfo {
        kind: info.kind,
        name: info.name,
        size: info.size,
    }
}

fn wit_cipher(c: CipherInfo) -> wit::Cipher {
    wit::Cipher {
        name: c.name,
        standard_name: c.standard_name,
        version: c.version,
    }
}

/// Only what `check-server-identity` reads crosses back; `..Default` fills the rest.
fn engine_certificate(c: wit::PeerCertificate) -> crate::certinfo::PeerCertificate {
    crate::certinfo::PeerCertificate {
        subject: c.subject,
        issuer: c.issuer,
        subjectaltname: c.subjectaltname,
        ..Default::default()
    }
}

fn wit_certificate(c: crate::certinfo::PeerCertificate) -> wit::PeerCertificate {
    wit::PeerCertificate {
        subject: c.subject,
        issuer: c.issuer,
        subjectaltname: c.subjectaltname,
        info_access: c.info_access,
        ca: c.ca,
        bits: c.bits,
        modulus: c.modulus,
        exponent: c.exponent,
        pubkey: c.pubkey,
        asn1_curve: c.asn1_curve,
        nist_curve: c.nist_curve,
        valid_from: c.valid_from,
        valid_to: c.valid_to,
        fingerprint: c.fingerprint,
        fingerprint256: c.fingerprint256,
        fingerprint512: c.fingerprint512,
        ext_key_usage: c.ext_key_usage,
        serial_number: c.serial_number,
        raw: c.raw,
    }
}

/// From the first connection on, every traffic key and every ECDSA or Ed25519
/// signature is offered to the host's `host-crypto` import first.
fn offer_crypto_to_host() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| host_crypto::install(Box::new(ImportedCrypto)));
}

/// The imported `host-crypto` interface.
struct ImportedCrypto;

impl CryptoHost for ImportedCrypto {
    fn take_key(&self, aead: Aead, key: &[u8]) -> Option<Box<dyn HostKey>> {
        let aead = match aead {
            Aead::Aes128Gcm => wit_crypto::Aead::Aes128Gcm,
            Aead::Aes256Gcm => wit_crypto::Aead::Aes256Gcm,
            Aead::ChaCha20Poly1305 => wit_crypto::Aead::Chacha20Poly1305,
        };
        let key = wit_crypto::take_key(aead, key)?;
        Some(Box::new(ImportedKey(key)))
    }

    fn verify_signature(
        &self,
        algorithm: SignatureAlgorithm,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Option<bool> {
        use wit_crypto::SignatureAlgorithm as Wit;
        let algorithm = match algorithm {
            SignatureAlgorithm::EcdsaP256Sha256 => Wit::EcdsaP256Sha256,
            SignatureAlgorithm::EcdsaP256Sha384 => Wit::EcdsaP256Sha384,
            SignatureAlgorithm::EcdsaP384Sha256 => Wit::EcdsaP384Sha256,
            SignatureAlgorithm::EcdsaP384Sha384 => Wit::EcdsaP384Sha384,
            SignatureAlgorithm::Ed25519 => Wit::Ed25519,
        };
        wit_crypto::verify_signature(algorithm, public_key, message, signature)
    }
}

/// A traffic key the host took.
struct ImportedKey(wit_crypto::TrafficKey);

// SAFETY: a wasm32-wasip2 component has one thread; the engine's traits ask for
// Send and Sync only because rustls's encrypter traits do.
unsafe impl Send for ImportedKey {}
unsafe impl Sync for ImportedKey {}

impl HostKey for ImportedKey {
    fn seal(&self, nonce: &[u8; 12], aad: &[u8], plaintext: &[u8]) -> Vec<u8> {
        self.0.seal(nonce, aad, plaintext)
    }

    fn open(&self, nonce: &[u8; 12], aad: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        self.0.open(nonce, aad, sealed)
    }
}
