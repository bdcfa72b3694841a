// The core wasm modules for Cloudflare's workerd (the `workerd` condition of
// `#core` in package.json). workerd compiles no WebAssembly from bytes at run
// time, so each module is imported statically: wrangler (and any bundler that
// follows its rule for `.wasm`) ships the file beside the Worker, and workerd
// hands the import over as a compiled WebAssembly.Module.

import core from '../gen/tls-connect.core.wasm';
import core2 from '../gen/tls-connect.core2.wasm';
import core3 from '../gen/tls-connect.core3.wasm';
import core4 from '../gen/tls-connect.core4.wasm';

/** Every core module jco made, by the name the transpiled component asks for. */
export const CORE_MODULES = {
  'tls-connect.core.wasm': core,
  'tls-connect.core2.wasm': core2,
  'tls-connect.core3.wasm': core3,
  'tls-connect.core4.wasm': core4,
};

/** The compiled module `name`, as workerd loaded it with the Worker. */
export function getCoreModule(name) {
  const module = CORE_MODULES[name];
  if (!(module instanceof WebAssembly.Module)) {
    throw new Error(`tls-connect: the core module ${name} was not bundled as a WebAssembly.Module`);
  }
  return module;
}

/**
 * Instantiates synchronously: at a Worker's global scope the promise of
 * WebAssembly.instantiate would settle only on a later task, which a module's
 * top-level await does not wait for there.
 */
export function instantiateCore(module, imports) {
  return new WebAssembly.Instance(module, imports);
}
