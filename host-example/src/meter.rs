//! How much linear memory an instance's guest holds. Wasmtime reports every
//! memory's creation and growth to the store's resource limiter; this one allows
//! all of it and keeps the running total, so a host can watch a guest for leaks.
//! Wasm memories never shrink, so the total is also the peak.

use wasmtime::{ResourceLimiter, Result};

/// A resource limiter that limits nothing and counts linear memory.
#[derive(Debug, Default)]
pub struct MemoryMeter {
    /// Bytes of linear memory across the store's memories.
    bytes: usize,
    /// The growth last allowed, taken back if the engine then failed it.
    pending: usize,
}

impl MemoryMeter {
    /// Bytes of linear memory the guest holds now, across all its memories.
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

impl ResourceLimiter for MemoryMeter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> Result<bool> {
        // Called with current 0 when a memory is created, so creation counts too.
        self.pending = desired.saturating_sub(current);
        self.bytes += self.pending;
        Ok(true)
    }

    fn memory_grow_failed(&mut self, _error: wasmtime::Error) -> Result<()> {
        self.bytes -= self.pending;
        self.pending = 0;
        Ok(())
    }

    fn table_growing(
        &mut self,
        _current: usize,
        _desired: usize,
        _maximum: Option<usize>,
    ) -> Result<bool> {
        Ok(true)
    }
}
