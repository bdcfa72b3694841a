//! One instance of the component, its exports as plain Rust calls:
//! [`ClientInstance`] for the `client` interface's functions, [`SocketCalls`]
//! for one `tls-socket`'s methods.

use wasmtime::component::Resource;
use wasmtime::{Result, Store};

use crate::bindings::exports::tls_connect::tls_connect::client::{Guest, GuestTlsSocket};
use crate::bindings::TlsConnect;
use crate::host_crypto::HostCryptoCounts;
use crate::records::{RecordLayer, Step};
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
    /// The host's record layer of each sans-IO socket that has been fed.
    records: Vec<(TlsSocket, RecordLayer)>,
}

impl ClientInstance {
    pub(crate) fn new(store: Store<HostState>, bindings: TlsConnect) -> Self {
        Self {
            store,
            bindings,
            records: Vec::new(),
        }
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
        /// `tls.createSecureContext(options)`: built once, for many connections.
        create_secure_context(options: ConnectOptions) -> TlsResult<SecureContext>
            => client.call_create_secure_context(store, &options);
        /// `tls.connect({...options, secureContext})`, attached.
        connect_with_context(context: SecureContext, options: ConnectOptions)
            -> TlsResult<TlsSocket>
            => client.call_connect_with_context(store, context, &options);
        /// `tls.checkServerIdentity(hostname, cert)`, Node's default algorithm.
        check_server_identity(hostname: &str, cert: &PeerCertificate) -> TlsResult<()>
            => client.call_check_server_identity(store, hostname, cert);
    }

    /// `tls.connect()`, sans-IO: the host moves the bytes, through its record layer.
    pub fn start(&mut self, options: ConnectOptions) -> TlsResult<TlsSocket> {
        let (client, store) = self.parts();
        let socket = client.call_start(store, &options)?;
        Ok(socket.inspect(|socket| self.records.push((*socket, RecordLayer::default()))))
    }

    /// `tls.connect({...options, secureContext})`, sans-IO.
    pub fn start_with_context(
        &mut self,
        context: SecureContext,
        options: ConnectOptions,
    ) -> TlsResult<TlsSocket> {
        let (client, store) = self.parts();
        let socket = client.call_start_with_context(store, context, &options)?;
        Ok(socket.inspect(|socket| self.records.push((*socket, RecordLayer::default()))))
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
        self.records.retain(|(held, _)| *held != socket);
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
        /// Report key-log lines as events (Node's `'keylog'` listener).
        set_keylog(enabled: bool) -> Result<()>
            => methods.call_set_keylog(store, socket, enabled);
        /// The events since the last call (attached sockets).
        take_events() -> Result<Vec<SocketEvent>>
            => methods.call_take_events(store, socket);
        /// Attached: block for data; empty means the server ended.
        read(max_len: u32) -> TlsResult<Vec<u8>>
            => methods.call_read(store, socket, max_len);
        /// Sans-IO: whether to end the transport's write side now.
        wants_write_end() -> Result<bool>
            => methods.call_wants_write_end(store, socket);
    }
}

/// What a sans-IO socket's bytes go through: the host's record layer
/// ([`crate::records`]) around the guest's `feed`, `write` and `take-outgoing`.
impl SocketCalls<'_> {
    /// Sans-IO: hand in received bytes. Application data opens here once the
    /// connection is established; everything else goes to the guest. A guest
    /// error after data opened here is returned by the next call, so that data
    /// is not lost.
    pub fn feed(&mut self, data: &[u8]) -> TlsResult<Fed> {
        self.with_layer(|calls, layer| {
            if let Some(error) = layer.deferred.take() {
                return Ok(Err(error));
            }
            if data.is_empty() {
                // Nothing to frame: the guest still answers for its state.
                let mut fed = empty_fed();
                let fed_guest =
                    calls.feed_guest(layer, &mut fed, |m, store, s| m.call_feed(store, s, data))?;
                return Ok(fed_guest.map(|()| fed));
            }
            layer.receive(data);
            calls.drain_received(layer)
        })
    }

    /// Sans-IO: the transport ended.
    pub fn feed_end(&mut self) -> TlsResult<Fed> {
        self.with_layer(|calls, layer| {
            if let Some(error) = layer.deferred.take() {
                return Ok(Err(error));
            }
            let mut fed = match calls.drain_received(layer)? {
                Ok(fed) => fed,
                Err(error) => return Ok(Err(error)),
            };
            // An incomplete record held back is the guest's to judge first.
            if let Some(rest) = layer.rest() {
                let fed_guest = calls
                    .feed_guest(layer, &mut fed, |m, store, s| m.call_feed(store, s, &rest))?;
                if let Err(error) = fed_guest {
                    return Ok(Err(error));
                }
            }
            let fed_guest =
                calls.feed_guest(layer, &mut fed, |m, store, s| m.call_feed_end(store, s))?;
            Ok(fed_guest.map(|()| fed))
        })
    }

    /// The caller's `checkServerIdentity` verdict; `None` accepts.
    pub fn settle_identity(&mut self, verdict: Option<&TlsError>) -> TlsResult<Fed> {
        self.with_layer(|calls, layer| {
            let mut fed = empty_fed();
            let fed_guest = calls.feed_guest(layer, &mut fed, |m, store, s| {
                m.call_settle_identity(store, s, verdict)
            })?;
            Ok(fed_guest.map(|()| fed))
        })
    }

    /// `socket.write(data)`: sealed here once established (TLS 1.3), else by the guest.
    pub fn write(&mut self, data: &[u8]) -> TlsResult<()> {
        self.with_layer(|calls, layer| {
            if let Some(error) = layer.deferred.take() {
                return Ok(Err(error));
            }
            if calls.write_key_must_change(layer) {
                calls.collect_guest_output(layer)?;
                if let Err(error) =
                    calls.guest(layer, |m, store, s| m.call_refresh_write_key(store, s))?
                {
                    return Ok(Err(error));
                }
            }
            if calls.seal_here(layer, data)? {
                return Ok(Ok(()));
            }
            calls.guest(layer, |m, store, s| m.call_write(store, s, data))
        })
    }

    /// `socket.destroy()`: from here on the guest refuses every call.
    pub fn destroy(&mut self) -> Result<()> {
        self.with_layer(|calls, layer| {
            layer.closed = true;
            calls.guest(layer, |m, store, s| m.call_destroy(store, s))
        })
    }

    /// `socket.end()`: close_notify after everything written before.
    pub fn end(&mut self) -> TlsResult<()> {
        self.with_layer(|calls, layer| calls.guest(layer, |m, store, s| m.call_end(store, s)))
    }

    /// `socket.setMaxSendFragment(size)`.
    pub fn set_max_send_fragment(&mut self, size: f64) -> Result<bool> {
        self.with_layer(|calls, layer| {
            let applied = calls.guest(layer, |m, store, s| {
                m.call_set_max_send_fragment(store, s, size)
            })?;
            if applied {
                // The guest accepted it: a whole number within 512..16384.
                layer.max_fragment = size as usize;
            }
            Ok(applied)
        })
    }

    /// Sans-IO: bytes to send now: the guest's, then the records sealed here.
    pub fn take_outgoing(&mut self) -> Result<Vec<u8>> {
        self.with_layer(|calls, layer| {
            calls.collect_guest_output(layer)?;
            Ok(std::mem::take(&mut layer.outgoing))
        })
    }

    /// Runs `action` with this socket's record layer: a sans-IO socket's own,
    /// or, for an attached socket (which does its own I/O in the guest), one
    /// that hands every call to the guest.
    fn with_layer<T>(&mut self, action: impl FnOnce(&mut Self, &mut RecordLayer) -> T) -> T {
        let socket = *self.socket;
        let records = &mut self.instance.records;
        let Some(at) = records.iter().position(|(held, _)| *held == socket) else {
            return action(self, &mut RecordLayer::pass_through());
        };
        let mut layer = records.swap_remove(at).1;
        let result = action(self, &mut layer);
        self.instance.records.push((socket, layer));
        result
    }

    /// One call into the guest for this socket; the keys it hands over meanwhile are this socket's.
    fn guest<T>(
        &mut self,
        layer: &mut RecordLayer,
        call: impl FnOnce(GuestTlsSocket<'_>, &mut Store<HostState>, TlsSocket) -> Result<T>,
    ) -> Result<T> {
        layer.guest_may_have_output = true;
        let (methods, store, socket) = self.parts();
        let result = call(methods, store, socket);
        let data = self.instance.store.data_mut();
        let reps = data.host_crypto.take_new_keys();
        layer.adopt(&mut data.table, reps);
        result
    }

    /// Moves what the guest has to send into the layer's outgoing bytes, ahead
    /// of records sealed here later; asked only after a call that may have made some.
    fn collect_guest_output(&mut self, layer: &mut RecordLayer) -> Result<()> {
        if std::mem::take(&mut layer.guest_may_have_output) {
            let (methods, store, socket) = self.parts();
            let out = methods.call_take_outgoing(store, socket)?;
            layer.outgoing.extend_from_slice(&out);
        }
        Ok(())
    }

    /// Seals `data` here when the layer holds a TLS 1.3 write key below its
    /// limit, after what the guest had to send: true if it did.
    fn seal_here(&mut self, layer: &mut RecordLayer, data: &[u8]) -> Result<bool> {
        let table = &mut self.instance.store.data_mut().table;
        if layer.write_key(table).is_none_or(|key| key.must_change()) {
            return Ok(false);
        }
        self.collect_guest_output(layer)?;
        let fragment = layer.max_fragment;
        let table = &mut self.instance.store.data_mut().table;
        let Some(key) = layer.write_key(table) else {
            return Ok(false);
        };
        if !key.seal_application_data(data, fragment, &mut layer.outgoing) {
            return Ok(false);
        }
        let records = data.len().div_ceil(fragment);
        self.instance
            .store
            .data_mut()
            .host_crypto
            .count_records(records, 0);
        Ok(true)
    }

    /// Whether the write key sealing here is at its confidentiality limit.
    fn write_key_must_change(&mut self, layer: &RecordLayer) -> bool {
        let table = &mut self.instance.store.data_mut().table;
        layer.write_key(table).is_some_and(|key| key.must_change())
    }

    /// Hands on every complete received record: opened here or fed to the guest.
    fn drain_received(&mut self, layer: &mut RecordLayer) -> TlsResult<Fed> {
        let mut fed = empty_fed();
        loop {
            let step = layer.next(&mut self.instance.store.data_mut().table);
            match step {
                None => return Ok(Ok(fed)),
                Some(Step::Plaintext(plain)) => {
                    self.instance
                        .store
                        .data_mut()
                        .host_crypto
                        .count_records(0, 1);
                    fed.record_lengths.push(plain.len() as u32);
                    fed.data.extend_from_slice(&plain);
                }
                Some(Step::Guest(bytes)) => {
                    let had_data = !fed.data.is_empty();
                    match self
                        .feed_guest(layer, &mut fed, |m, store, s| m.call_feed(store, s, &bytes))?
                    {
                        Ok(()) => {}
                        Err(error) if !had_data => return Ok(Err(error)),
                        Err(error) => {
                            layer.deferred = Some(error);
                            return Ok(Ok(fed));
                        }
                    }
                }
            }
        }
    }

    /// A guest call that returns a `fed` (`feed`, `feed-end`, `settle-identity`):
    /// what it brought is added to `fed`; its failure destroyed the socket in
    /// the guest, so from then on every call goes there.
    fn feed_guest(
        &mut self,
        layer: &mut RecordLayer,
        fed: &mut Fed,
        call: impl FnOnce(GuestTlsSocket<'_>, &mut Store<HostState>, TlsSocket) -> TlsResult<Fed>,
    ) -> TlsResult<()> {
        let result = self.guest(layer, call)?;
        layer.closed |= result.is_err();
        Ok(result.map(|more| merge(fed, more, layer)))
    }
}

/// A `fed` with nothing in it.
fn empty_fed() -> Fed {
    Fed {
        secure_connect: false,
        data: Vec::new(),
        record_lengths: Vec::new(),
        end: false,
        check_identity: false,
        events: Vec::new(),
    }
}

/// Appends the guest's `more` to `fed`, and notes what it says of the connection.
fn merge(fed: &mut Fed, more: Fed, layer: &mut RecordLayer) {
    layer.secure |= more.secure_connect;
    layer.read_ended |= more.end;
    fed.secure_connect |= more.secure_connect;
    fed.data.extend_from_slice(&more.data);
    fed.record_lengths.extend_from_slice(&more.record_lengths);
    fed.end |= more.end;
    fed.check_identity |= more.check_identity;
    fed.events.extend(more.events);
}
