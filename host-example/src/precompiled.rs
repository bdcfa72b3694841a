//! Loading a component fast. Compiling a `.wasm` takes most of a second; a
//! precompiled `.cwasm` kept beside it loads in about a millisecond, so it is
//! written once and rebuilt only when the component or the engine changes.

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::UNIX_EPOCH;

use wasmtime::component::Component;
use wasmtime::{Engine, Result};

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
pub fn load(engine: &Engine, wasm: &Path) -> Result<Component> {
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
