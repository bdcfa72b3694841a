// Loads and instantiates the transpiled tls-connect component once per
// JavaScript realm. The module awaits the instantiation at the top level, so
// `connect()` can throw Node's synchronous validation errors synchronously.
// Where the core modules come from is `#core`'s business (package.json
// "imports"): compiled at run time (src/core.js), or imported as modules in
// workerd, which compiles no wasm at run time (src/core.workerd.js).

import { getCoreModule, instantiateCore as instantiateModule } from '#core';
import { instantiate } from '../gen/tls-connect.js';
import { hostCryptoImport } from './host-crypto.js';
import { wasiImports } from './wasi.js';

/** The io-error every attached-mode transport call gets: JavaScript hosts drive the sans-IO path. */
function attachedModeUnsupported() {
  throw {
    code: 'ERR_TLS_INVALID_STATE',
    message: 'A JavaScript host drives sockets sans-IO; the guest cannot open a transport itself',
  };
}

/** The transport import. JavaScript hosts never lend one, since every socket here is sans-IO. */
const transportImport = {
  Duplex: class Duplex {
    read() {
      attachedModeUnsupported();
    }
    write() {
      attachedModeUnsupported();
    }
    shutdown() {
      attachedModeUnsupported();
    }
    close() {}
  },
  openTcp: attachedModeUnsupported,
  openUnix: attachedModeUnsupported,
};

const memories = [];

/** Instantiates core modules as the component asks, remembering each linear memory. */
async function instantiateCore(module, imports) {
  const instance = await instantiateModule(module, imports);
  for (const value of Object.values(instance.exports)) {
    if (value instanceof WebAssembly.Memory) memories.push(value);
  }
  return instance;
}

const root = await instantiate(
  getCoreModule,
  {
    ...wasiImports,
    'tls-connect:tls-connect/transport': transportImport,
    'tls-connect:tls-connect/host-crypto': hostCryptoImport,
  },
  instantiateCore,
);

/** The component's exported `client` interface. */
export const client = root.client;

/** The guest's linear memory in bytes: what every open socket of this realm shares. */
export function guestMemoryBytes() {
  return memories.reduce((total, memory) => total + memory.buffer.byteLength, 0);
}
