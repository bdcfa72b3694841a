//! Loading and instantiating the component. Compiling the `.wasm` takes most of
//! a second; a precompiled `.cwasm` kept beside it loads in about a millisecond,
//! so it is written once and rebuilt only when the component or engine changes.

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::UNIX_EPOCH;

use wasmtime::component::{Component, HasSelf, Linker, Resource, ResourceTable};
use wasmtime::{Engine, Result, Store};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use crate::bindings::exports::tls_connect::tls_connect::client::{Guest, TlsSocket};
use crate::bindings::TlsConnect;
use crate::host_crypto::{HostCrypto, HostCryptoCounts};
use crate::meter::MemoryMeter;
use crate::transport::{ByteStream, Stream};
use crate::{ConnectOptions, SecureContext, TlsError};

/// The per-instance host state: WASI, the table of lent streams and traffic
/// keys, and whether the host seals records for the guest.
pub struct HostState {
    wasi: WasiCtx,
    /// Resources lent to the guest, the transport streams among them.
    pub table: ResourceTable,
    /// Whether the `host-crypto` import does the guest's record crypto and signature checks.
    pub host_crypto: HostCrypto,
    /// What it did.
    pub host_crypto_counts: HostCryptoCounts,
    /// Counts the guest's linear memory (the store's resource limiter).
    pub(crate) meter: MemoryMeter,
}

impl HostState {
    /// A state with `wasi`, an empty table, and native record crypto.
    pub(crate) fn new(wasi: WasiCtx) -> Self {
        Self {
            wasi,
            table: ResourceTable::new(),
            host_crypto: HostCrypto::Native,
            host_crypto_counts: HostCryptoCounts::default(),
            meter: MemoryMeter::default(),
        }
    }
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

/// The loaded component, ready to instantiate as often as needed.
pub struct ClientComponent {
    engine: Engine,
    component: Component,
    linker: Linker<HostState>,
}

impl ClientComponent {
    /// Loads the component at `wasm`, from its `.cwasm` when that is current.
    pub fn load(wasm: &Path) -> Result<Self> {
        let engine = Engine::default();
        let component = load_precompiled(&engine, wasm)?;
        let linker = linker(&engine, Imports::WasiAndTransport)?;
        Ok(Self {
            engine,
            component,
            linker,
        })
    }

    /// A fresh instance with its own store, its record crypto and signature
    /// checks done natively by the host.
    pub fn instantiate(&self) -> Result<ClientInstance> {
        self.instantiate_with(HostCrypto::Native)
    }

    /// A fresh instance whose host does, or declines, the guest's record crypto
    /// and signature checks.
    pub fn instantiate_with(&self, host_crypto: HostCrypto) -> Result<ClientInstance> {
        let mut state = HostState::new(WasiCtx::builder().build());
        state.host_crypto = host_crypto;
        let mut store = Store::new(&self.engine, state);
        store.limiter(|state| &mut state.meter);
        let bindings = TlsConnect::instantiate(&mut store, &self.component, &self.linker)?;
        Ok(ClientInstance { store, bindings })
    }
}

/// What a host offers a component's imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imports {
    /// WASI 0.2 and tls-connect's `transport` (and its types-only `types`), served
    /// by [`crate::transport`]: for tls-connect itself and plugins composed with it.
    WasiAndTransport,
    /// WASI 0.2 and nothing else: for compositions that bring their own transport.
    WasiOnly,
}

/// A linker offering `imports`.
pub(crate) fn linker(engine: &Engine, imports: Imports) -> Result<Linker<HostState>> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    if imports == Imports::WasiAndTransport {
        TlsConnect::add_to_linker::<_, HasSelf<_>>(&mut linker, |state| state)?;
    }
    Ok(linker)
}

/// Where the precompiled form of `wasm` is kept, and the file that records what
/// it was compiled from.
fn cache_paths(wasm: &Path) -> (PathBuf, PathBuf) {
    (
        wasm.with_extension("cwasm"),
        wasm.with_extension("cwasm.key"),
    )
}

/// Identifies the `.wasm` (size and modification time) and the engine's settings.
fn cache_key(engine: &Engine, wasm: &Path) -> Result<String> {
    let meta = fs::metadata(wasm)?;
    let modified = meta.modified()?.duration_since(UNIX_EPOCH)?.as_nanos();
    let mut hasher = DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut hasher);
    Ok(format!(
        "{} {} {:016x}",
        meta.len(),
        modified,
        hasher.finish()
    ))
}

/// Loads the component at `wasm` for `engine`, from its `.cwasm` when that is
/// current, else compiling it and keeping the result.
pub(crate) fn load_precompiled(engine: &Engine, wasm: &Path) -> Result<Component> {
    let (cwasm, key_file) = cache_paths(wasm);
    let key = cache_key(engine, wasm)?;
    if fs::read_to_string(&key_file).ok().as_deref() == Some(key.as_str()) {
        // SAFETY: the file was written by `Engine::precompile_component` below for
        // this exact `.wasm` and engine configuration, as the key records.
        if let Ok(component) = unsafe { Component::deserialize_file(engine, &cwasm) } {
            return Ok(component);
        }
    }
    let bytes = engine.precompile_component(&fs::read(wasm)?)?;
    // Written under a unique name and renamed, so parallel tests never see half a file.
    static WRITES: AtomicUsize = AtomicUsize::new(0);
    let unique = format!(
        "{}.{}",
        std::process::id(),
        WRITES.fetch_add(1, Ordering::Relaxed)
    );
    let tmp = cwasm.with_extension(format!("cwasm.tmp{unique}"));
    fs::write(&tmp, &bytes)?;
    fs::rename(&tmp, &cwasm)?;
    let tmp_key = key_file.with_extension(format!("key.tmp{unique}"));
    fs::write(&tmp_key, &key)?;
    fs::rename(&tmp_key, &key_file)?;
    // SAFETY: these bytes were just produced by this engine.
    unsafe { Component::deserialize(engine, &bytes) }
}

/// One instance of the component: its store and its exports.
pub struct ClientInstance {
    store: Store<HostState>,
    bindings: TlsConnect,
}

/// Shorthand for a guest call whose WIT result is `result<T, tls-error>`.
pub type TlsResult<T> = Result<std::result::Result<T, TlsError>>;

impl ClientInstance {
    fn client(&self) -> &Guest {
        self.bindings.tls_connect_tls_connect_client()
    }

    /// What this instance's host did for the guest's crypto: traffic keys taken
    /// (four per TLS 1.3 connection: handshake and application, each direction)
    /// and signatures verified (two per full handshake with an ECDSA chain).
    pub fn host_crypto_counts(&self) -> HostCryptoCounts {
        self.store.data().host_crypto_counts
    }

    /// Lends a stream the caller opened, for `ConnectOptions::socket`.
    pub fn lend(&mut self, stream: impl ByteStream + 'static) -> Result<Resource<Stream>> {
        Ok(self.store.data_mut().table.push(Stream::new(stream))?)
    }

    /// `tls.connect()`, attached: the guest opens the transport and does its own I/O.
    pub fn connect(&mut self, options: ConnectOptions) -> TlsResult<TlsSocket> {
        let client = self.client().clone();
        client.call_connect(&mut self.store, &options)
    }

    /// `tls.connect()`, sans-IO: the host moves the bytes.
    pub fn start(&mut self, options: ConnectOptions) -> TlsResult<TlsSocket> {
        let client = self.client().clone();
        client.call_start(&mut self.store, &options)
    }

    /// `tls.createSecureContext(options)`: built once, for many connections.
    pub fn create_secure_context(&mut self, options: ConnectOptions) -> TlsResult<SecureContext> {
        let client = self.client().clone();
        client.call_create_secure_context(&mut self.store, &options)
    }

    /// `tls.connect({...options, secureContext})`, attached.
    pub fn connect_with_context(
        &mut self,
        context: SecureContext,
        options: ConnectOptions,
    ) -> TlsResult<TlsSocket> {
        let client = self.client().clone();
        client.call_connect_with_context(&mut self.store, context, &options)
    }

    /// `tls.connect({...options, secureContext})`, sans-IO.
    pub fn start_with_context(
        &mut self,
        context: SecureContext,
        options: ConnectOptions,
    ) -> TlsResult<TlsSocket> {
        let client = self.client().clone();
        client.call_start_with_context(&mut self.store, context, &options)
    }

    /// Drops the host's handle to a secure context (sockets made with it keep theirs).
    pub fn drop_context(&mut self, context: SecureContext) -> Result<()> {
        context.resource_drop(&mut self.store)
    }

    /// `tls.checkServerIdentity(hostname, cert)`, Node's default algorithm.
    pub fn check_server_identity(
        &mut self,
        hostname: &str,
        cert: &crate::PeerCertificate,
    ) -> TlsResult<()> {
        let client = self.client().clone();
        client.call_check_server_identity(&mut self.store, hostname, cert)
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

    /// Bytes of linear memory the guest holds (never shrinks: the peak so far).
    pub fn guest_memory_bytes(&self) -> usize {
        self.store.data().meter.bytes()
    }

    /// The transport streams in this instance's table: `(held, open)`, where
    /// `held` counts the streams the guest has not dropped and `open` those of
    /// them not closed yet. Both are 0 when no connection is alive.
    pub fn lent_streams(&mut self) -> (usize, usize) {
        let streams = self.store.data_mut().table.iter_mut();
        let streams: Vec<bool> = streams
            .filter_map(|entry| entry.downcast_ref::<Stream>().map(Stream::is_open))
            .collect();
        (streams.len(), streams.iter().filter(|open| **open).count())
    }

    /// Every resource the host holds for this instance (streams, traffic keys,
    /// WASI's): a count that keeps rising across connections is a leak.
    pub fn host_resources(&mut self) -> usize {
        self.store.data_mut().table.iter_mut().count()
    }
}

/// The methods of one `tls-socket`, as plain Rust calls.
pub struct SocketCalls<'a> {
    instance: &'a mut ClientInstance,
    socket: &'a TlsSocket,
}

macro_rules! socket_call {
    ($(#[$doc:meta])* $name:ident => $call:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty) => {
        $(#[$doc])*
        pub fn $name(&mut self, $($arg: $ty),*) -> Result<$ret> {
            let client = self.instance.client().clone();
            client.tls_socket().$call(&mut self.instance.store, *self.socket, $($arg),*)
        }
    };
}

impl SocketCalls<'_> {
    socket_call!(/// `socket.authorized`.
        authorized => call_authorized() -> bool);
    socket_call!(/// `socket.authorizationError`.
        authorization_error => call_authorization_error() -> Option<String>);
    socket_call!(/// `socket.alpnProtocol` (`None` is `false`).
        alpn_protocol => call_alpn_protocol() -> Option<String>);
    socket_call!(/// `socket.servername` (`None` is `false`).
        servername => call_servername() -> Option<String>);
    socket_call!(/// `socket.getProtocol()`.
        get_protocol => call_get_protocol() -> Option<String>);
    socket_call!(/// `socket.getCipher()`.
        get_cipher => call_get_cipher() -> Option<crate::Cipher>);
    socket_call!(/// `socket.getPeerCertificate(detailed)`.
        get_peer_certificate => call_get_peer_certificate(detailed: bool) -> Option<Vec<crate::PeerCertificate>>);
    socket_call!(/// `socket.getCertificate()`.
        get_certificate => call_get_certificate() -> Option<crate::PeerCertificate>);
    socket_call!(/// `socket.isSessionReused()`.
        is_session_reused => call_is_session_reused() -> bool);
    socket_call!(/// `socket.getSession()`.
        get_session => call_get_session() -> Option<Vec<u8>>);
    socket_call!(/// `socket.getEphemeralKeyInfo()`.
        get_ephemeral_key_info => call_get_ephemeral_key_info() -> Option<crate::EphemeralKeyInfo>);
    socket_call!(/// `socket.exportKeyingMaterial(length, label, context)`.
        export_keying_material => call_export_keying_material(length: f64, label: &str, context: Option<&[u8]>) -> std::result::Result<Vec<u8>, TlsError>);
    socket_call!(/// `socket.setMaxSendFragment(size)`.
        set_max_send_fragment => call_set_max_send_fragment(size: f64) -> bool);
    socket_call!(/// Report key-log lines as events (Node's `'keylog'` listener).
        set_keylog => call_set_keylog(enabled: bool) -> ());
    socket_call!(/// The events since the last call (attached sockets).
        take_events => call_take_events() -> Vec<crate::SocketEvent>);
    socket_call!(/// The caller's `checkServerIdentity` verdict; `None` accepts.
        settle_identity => call_settle_identity(verdict: Option<&TlsError>) -> std::result::Result<crate::Fed, TlsError>);
    socket_call!(/// `socket.write(data)`.
        write => call_write(data: &[u8]) -> std::result::Result<(), TlsError>);
    socket_call!(/// Attached: block for data; empty means the server ended.
        read => call_read(max_len: u32) -> std::result::Result<Vec<u8>, TlsError>);
    socket_call!(/// `socket.end()`.
        end => call_end() -> std::result::Result<(), TlsError>);
    socket_call!(/// `socket.destroy()`.
        destroy => call_destroy() -> ());
    socket_call!(/// Sans-IO: hand in received bytes.
        feed => call_feed(data: &[u8]) -> std::result::Result<crate::Fed, TlsError>);
    socket_call!(/// Sans-IO: the transport ended.
        feed_end => call_feed_end() -> std::result::Result<crate::Fed, TlsError>);
    socket_call!(/// Sans-IO: bytes to send now.
        take_outgoing => call_take_outgoing() -> Vec<u8>);
    socket_call!(/// Sans-IO: whether to end the transport's write side now.
        wants_write_end => call_wants_write_end() -> bool);
}
