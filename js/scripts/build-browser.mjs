#!/usr/bin/env node
// Builds the browser bundle with esbuild: dist/browser/tls-connect.js (the
// package's `connect` and the rest of src/index.js) and dist/browser/websocket.js
// (`webSocketDuplex`), sharing one chunk for what both use (readable-stream,
// buffer), so a page that imports both loads stream code once.
//
// Node's built-ins become their npm look-alikes, and node:net a stub whose
// connect() says to pass `socket`; readable-stream's `process` is a small
// shim (src/browser/process.js). The core wasm files go to dist/gen/, because
// component.js looks for them at ../gen/ beside itself, and dist/browser/ is
// where it ends up.
//
//   node scripts/build-browser.mjs

import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The npm package's directory (js/). */
export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds dist/browser/ and copies gen/*.wasm to dist/gen/.
 *
 * @param {object} [options]
 * @param {string} [options.root] the package directory (default: this script's js/)
 * @param {string} [options.logLevel] esbuild's log level (default 'warning')
 * @returns {Promise<string[]>} the files written, relative to `root`
 */
export async function buildBrowser({ root = PACKAGE_ROOT, logLevel = 'warning' } = {}) {
  const dist = join(root, 'dist');
  // Fresh directories, so no stale chunk from an earlier build is left behind.
  await rm(join(dist, 'browser'), { recursive: true, force: true });
  await rm(join(dist, 'gen'), { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { 'tls-connect': 'src/index.js', websocket: 'src/websocket.js' },
    outdir: 'dist/browser',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    // Top-level await (component.js) and private class fields need ES2022.
    target: 'es2022',
    sourcemap: 'linked',
    metafile: true,
    logLevel,
    alias: {
      'node:stream': 'readable-stream',
      'node:buffer': 'buffer',
      'node:events': 'events',
      'node:net': './src/browser/net.js',
      'node:crypto': './src/browser/crypto.js',
      // readable-stream asks for 'process/'; the alias covers that spelling too.
      process: './src/browser/process.js',
    },
    // Reached only for file: URLs (Deno or Node loading this bundle from disk), never in a page.
    external: ['node:fs/promises'],
  });

  const written = Object.keys(result.metafile.outputs);
  await mkdir(join(dist, 'gen'), { recursive: true });
  for (const name of await readdir(join(root, 'gen'))) {
    if (!name.endsWith('.wasm')) continue;
    await copyFile(join(root, 'gen', name), join(dist, 'gen', name));
    written.push(`dist/gen/${name}`);
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const written = await buildBrowser();
  console.log(`built ${written.filter((file) => !file.endsWith('.map')).join(', ')} in ${Date.now() - started} ms`);
}
