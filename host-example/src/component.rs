//! The ready host for tls-connect alone: [`ClientComponent`] loads the component
//! once (from its precompiled `.cwasm` when current) and makes instances, each
//! in its own store with the ready store data, WASI with nothing granted, and
//! every import linked.

use std::path::Path;

use wasmtime::Result;
use wasmtime_wasi::WasiCtx;

use crate::bindings::TlsConnect;
use crate::host_crypto::HostCrypto;
use crate::instance::ClientInstance;
use crate::state::{Imports, Loaded};

/// The loaded component, ready to instantiate as often as needed.
pub struct ClientComponent(Loaded);

impl ClientComponent {
    /// Loads the component at `wasm`, from its `.cwasm` when that is current.
    pub fn load(wasm: &Path) -> Result<Self> {
        Loaded::load(wasm, Imports::WasiAndTransport).map(Self)
    }

    /// A fresh instance with its own store, its record crypto and signature
    /// checks done natively by the host.
    pub fn instantiate(&self) -> Result<ClientInstance> {
        self.instantiate_with(HostCrypto::Native)
    }

    /// A fresh instance whose host does, or declines, the guest's record crypto
    /// and signature checks.
    pub fn instantiate_with(&self, host_crypto: HostCrypto) -> Result<ClientInstance> {
        let mut store = self.0.store(WasiCtx::default(), host_crypto);
        let bindings = TlsConnect::instantiate(&mut store, &self.0.component, &self.0.linker)?;
        Ok(ClientInstance::new(store, bindings))
    }
}
