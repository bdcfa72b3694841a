//! One instance of the component, its exports as plain Rust calls:
//! [`ClientInstance`] for the `client` interface's functions, [`SocketCalls`]
//! for one `tls-socket`'s methods.

use wasmtime::component::Resource;
use wasmtime::{Result, Store};

use crate::bindings::exports::tls_connect::tls_connect::client::{Guest, GuestTlsSocket};
use crate::bindings::TlsConnect;
use crate::host_crypto::HostCryptoCounts;
use crate::state::HostState;
use crate::transport::{ByteStream, HasTransport, Stream};
use crate::{
    Cipher, ConnectOptions, EphemeralKeyInfo, Fed, PeerCertificate, SecureContext, SocketEvent,
    TlsError, TlsSocket,
};

/// Shorthand for a guest call whose WIT result is `result<T, tls-error>`.
pub type TlsResult<T> = Result<std::result::Result<T, TlsError>>;

/// Methods that each call one export: `name(params) -> returns => call`, where
/// `call` uses what the `let` binds (the exports, the store, the socket).
macro_rules! guest_calls {
    (
        let $parts:pat = self.$get:ident();
        $(
            $(#[$doc:meta])*
            $name:ident ( $($param:ident : $ty:ty),* ) -> $ret:ty => $call:expr;
        )*
    ) => {$(
        $(#[$doc])*
        pub fn $name(&mut self, $($param: $ty),*) -> $ret {
            let $parts = self.$get();
            $call
        }
    )*};
}

/// One instance of the component: its store and its exports.
pub struct ClientInstance {
    store: Store<HostState>,
    bindings: TlsConnect,
}

impl ClientInstance {
    pub(crate) fn new(store: Store<HostState>, bindings: TlsConnect) -> Self {
        Self { store, bindings }
    }

    /// The `client` export and the store to call it in.
    fn parts(&mut self) -> (&Guest, &mut Store<HostState>) {
        (
            self.bindings.tls_connect_tls_connect_client(),
            &mut self.store,
        )
    }

    guest_calls! {
        let (client, store) = self.parts();
        /// `tls.connect()`, attached: the guest opens the transport and does its own I/O.
        connect(options: ConnectOptions) -> TlsResult<TlsSocket>
            => client.call_connect(store, &options);
        /// `tls.connect()`, sans-IO: the host moves the bytes.
        start(options: ConnectOptions) -> TlsResult<TlsSocket>
            => client.call_start(store, &options);
        /// `tls.createSecureContext(options)`: built once, for many connections.
        create_secure_context(options: ConnectOptions) -> TlsResult<SecureContext>
            => client.call_create_secure_context(store, &options);
        /// `tls.connect({...options, secureContext})`, attached.
        connect_with_context(context: SecureContext, options: ConnectOptions)
            -> TlsResult<TlsSocket>
            => client.call_connect_with_context(store, context, &options);
        /// `tls.connect({...options, secureContext})`, sans-IO.
        start_with_context(context: SecureContext, options: ConnectOptions)
            -> TlsResult<TlsSocket>
            => client.call_start_with_context(store, context, &options);
        /// `tls.checkServerIdentity(hostname, cert)`, Node's default algorithm.
        check_server_identity(hostname: &str, cert: &PeerCertificate) -> TlsResult<()>
            => client.call_check_server_identity(store, hostname, cert);
    }

    /// Drops the host's handle to a secure context (sockets made with it keep theirs).
    pub fn drop_context(&mut self, context: SecureContext) -> Result<()> {
        context.resource_drop(&mut self.store)
    }

    /// Calls into one socket's methods.
    pub fn socket<'a>(&'a mut self, socket: &'a TlsSocket) -> SocketCalls<'a> {
        SocketCalls {
            instance: self,
            socket,
        }
    }

    /// Drops the host's handle to `socket`, so the guest frees it. A handle the
    /// host never drops keeps its connection alive in the guest for good.
    pub fn drop_socket(&mut self, socket: TlsSocket) -> Result<()> {
        socket.resource_drop(&mut self.store)
    }

    /// Lends a stream the caller opened, for `ConnectOptions::socket`.
    pub fn lend(&mut self, stream: impl ByteStream + 'static) -> Result<Resource<Stream>> {
        self.store.data_mut().transport().lend(stream)
    }

    /// The transport streams in this instance's table: `(held, open)`, where
    /// `held` counts the streams the guest has not dropped and `open` those of
    /// them not closed yet. Both are 0 when no connection is alive.
    pub fn lent_streams(&mut self) -> (usize, usize) {
        self.store.data_mut().transport().lent_streams()
    }

    /// Every resource the host holds for this instance (streams, traffic keys,
    /// WASI's): a count that keeps rising across connections is a leak.
    pub fn host_resources(&mut self) -> usize {
        self.store.data_mut().table.iter_mut().count()
    }

    /// What this instance's host did for the guest's crypto: traffic keys taken
    /// (four per TLS 1.3 connection: handshake and application, each direction)
    /// and signatures verified (two per full handshake with an ECDSA chain).
    pub fn host_crypto_counts(&self) -> HostCryptoCounts {
        self.store.data().host_crypto.counts()
    }

    /// Bytes of linear memory the guest holds (never shrinks: the peak so far).
    pub fn guest_memory_bytes(&self) -> usize {
        self.store.data().meter.bytes()
    }
}

/// The methods of one `tls-socket`, as plain Rust calls.
pub struct SocketCalls<'a> {
    instance: &'a mut ClientInstance,
    socket: &'a TlsSocket,
}

impl SocketCalls<'_> {
    /// The `tls-socket` methods, the store to call them in, and the socket.
    fn parts(&mut self) -> (GuestTlsSocket<'_>, &mut Store<HostState>, TlsSocket) {
        let (client, store) = self.instance.parts();
        (client.tls_socket(), store, *self.socket)
    }

    guest_calls! {
        let (methods, store, socket) = self.parts();
        /// `socket.authorized`.
        authorized() -> Result<bool>
            => methods.call_authorized(store, socket);
        /// `socket.authorizationError`.
        authorization_error() -> Result<Option<String>>
            => methods.call_authorization_error(store, socket);
        /// `socket.alpnProtocol` (`None` is `false`).
        alpn_protocol() -> Result<Option<String>>
            => methods.call_alpn_protocol(store, socket);
        /// `socket.servername` (`None` is `false`).
        servername() -> Result<Option<String>>
            => methods.call_servername(store, socket);
        /// `socket.getProtocol()`.
        get_protocol() -> Result<Option<String>>
            => methods.call_get_protocol(store, socket);
        /// `socket.getCipher()`.
        get_cipher() -> Result<Option<Cipher>>
            => methods.call_get_cipher(store, socket);
        /// `socket.getPeerCertificate(detailed)`.
        get_peer_certificate(detailed: bool) -> Result<Option<Vec<PeerCertificate>>>
            => methods.call_get_peer_certificate(store, socket, detailed);
        /// `socket.getCertificate()`.
        get_certificate() -> Result<Option<PeerCertificate>>
            => methods.call_get_certificate(store, socket);
        /// `socket.isSessionReused()`.
        is_session_reused() -> Result<bool>
            => methods.call_is_session_reused(store, socket);
        /// `socket.getSession()`.
        get_session() -> Result<Option<Vec<u8>>>
            => methods.call_get_session(store, socket);
        /// `socket.getEphemeralKeyInfo()`.
        get_ephemeral_key_info() -> Result<Option<EphemeralKeyInfo>>
            => methods.call_get_ephemeral_key_info(store, socket);
        /// `socket.exportKeyingMaterial(length, label, context)`.
        export_keying_material(length: f64, label: &str, context: Option<&[u8]>)
        -> TlsResult<Vec<u8>>
            => methods.call_export_keying_material(store, socket, length, label, context);
        /// `socket.setMaxSendFragment(size)`.
        set_max_send_fragment(size: f64) -> Result<bool>
            => methods.call_set_max_send_fragment(store, socket, size);
        /// Report key-log lines as events (Node's `'keylog'` listener).
        set_keylog(enabled: bool) -> Result<()>
            => methods.call_set_keylog(store, socket, enabled);
        /// The events since the last call (attached sockets).
        take_events() -> Result<Vec<SocketEvent>>
            => methods.call_take_events(store, socket);
        /// The caller's `checkServerIdentity` verdict; `None` accepts.
        settle_identity(verdict: Option<&TlsError>) -> TlsResult<Fed>
            => methods.call_settle_identity(store, socket, verdict);
        /// `socket.write(data)`.
        write(data: &[u8]) -> TlsResult<()>
            => methods.call_write(store, socket, data);
        /// Attached: block for data; empty means the server ended.
        read(max_len: u32) -> TlsResult<Vec<u8>>
            => methods.call_read(store, socket, max_len);
        /// `socket.end()`.
        end() -> TlsResult<()>
            => methods.call_end(store, socket);
        /// `socket.destroy()`.
        destroy() -> Result<()>
            => methods.call_destroy(store, socket);
        /// Sans-IO: hand in received bytes.
        feed(data: &[u8]) -> TlsResult<Fed>
            => methods.call_feed(store, socket, data);
        /// Sans-IO: the transport ended.
        feed_end() -> TlsResult<Fed>
            => methods.call_feed_end(store, socket);
        /// Sans-IO: bytes to send now.
        take_outgoing() -> Result<Vec<u8>>
            => methods.call_take_outgoing(store, socket);
        /// Sans-IO: whether to end the transport's write side now.
        wants_write_end() -> Result<bool>
            => methods.call_wants_write_end(store, socket);
    }
}
