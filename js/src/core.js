// How the transpiled component's core wasm modules are found and instantiated,
// for every host but workerd (src/core.workerd.js): read from disk beside this
// package in Node, Deno and Bun, fetched in a page, compiled at run time.
// component.js imports this file as `#core` (package.json "imports"), so a
// bundler that knows the `workerd` condition picks the other one.

/** Compiles one core module found at ../gen/ beside this file: from disk for file: URLs, by fetch elsewhere. */
export async function getCoreModule(name) {
  const url = new URL(`../gen/${name}`, import.meta.url);
  if (url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return WebAssembly.compile(await readFile(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`tls-connect: cannot load ${url}: HTTP ${response.status}`);
  return WebAssembly.compile(await response.arrayBuffer());
}

/** Instantiates a compiled core module, off the main thread where the engine can. */
export function instantiateCore(module, imports) {
  return WebAssembly.instantiate(module, imports);
}
