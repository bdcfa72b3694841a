//! The store data of the ready hosts ([`crate::ClientComponent`] and
//! [`crate::CommandComponent`]): WASI, one resource table, the host-crypto
//! import's context and a memory meter; and the loaded component with the
//! linker that offers it what it imports.

use std::path::Path;

use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Engine, Result, Store};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use crate::host_crypto::{HasHostCrypto, HostCrypto, HostCryptoCtx, HostCryptoView};
use crate::meter::MemoryMeter;
use crate::transport::HasTransport;

/// The ready hosts' store data. The transport's streams and the traffic keys
/// live in WASI's table.
pub(crate) struct HostState {
    wasi: WasiCtx,
    pub(crate) table: ResourceTable,
    pub(crate) host_crypto: HostCryptoCtx,
    /// Counts the guest's linear memory (the store's resource limiter).
    pub(crate) meter: MemoryMeter,
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl HasTransport for HostState {}

impl HasHostCrypto for HostState {
    fn host_crypto(&mut self) -> HostCryptoView<'_> {
        HostCryptoView {
            table: &mut self.table,
            ctx: Some(&mut self.host_crypto),
        }
    }
}

/// What a host offers a component's imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imports {
    /// WASI 0.2 and tls-connect's `transport`, `host-crypto` and types-only
    /// `types` ([`crate::add_to_linker`]): for tls-connect itself and plugins
    /// composed with it.
    WasiAndTransport,
    /// WASI 0.2 and nothing else: for compositions that bring their own transport.
    WasiOnly,
}

/// A component loaded for its own engine, with a linker offering its imports.
pub(crate) struct Loaded {
    pub(crate) engine: Engine,
    pub(crate) component: Component,
    pub(crate) linker: Linker<HostState>,
}

impl Loaded {
    /// Loads the component at `wasm` (from its `.cwasm` when current), offering `imports`.
    pub(crate) fn load(wasm: &Path, imports: Imports) -> Result<Self> {
        let engine = Engine::default();
        let component = crate::precompiled::load(&engine, wasm)?;
        let mut linker = Linker::new(&engine);
        match imports {
            Imports::WasiAndTransport => crate::add_to_linker(&mut linker)?,
            Imports::WasiOnly => wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?,
        }
        Ok(Self {
            engine,
            component,
            linker,
        })
    }

    /// A fresh store with `wasi`, an empty table, and the host's crypto as
    /// `host_crypto` says; its resource limiter counts the guest's memory.
    pub(crate) fn store(&self, wasi: WasiCtx, host_crypto: HostCrypto) -> Store<HostState> {
        let state = HostState {
            wasi,
            table: ResourceTable::new(),
            host_crypto: HostCryptoCtx::new(host_crypto),
            meter: MemoryMeter::default(),
        };
        let mut store = Store::new(&self.engine, state);
        store.limiter(|state| &mut state.meter);
        store
    }
}
