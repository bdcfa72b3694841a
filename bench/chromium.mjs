// The Chromium row's browser: headless Chromium (the machine's `chromium`, or
// $CHROMIUM), driven by playwright-core from js/node_modules as the package's
// browser test drives it, on a page (bench/browser/) that loads the browser
// bundle from js/dist. The page reaches the echo server through the WebSocket
// bridge; this module only serves the files, opens the page and asks it to echo
// (over TLS, or over its plain WebSocket).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { childrenMatching, treeCpuSeconds } from './proc.mjs';

/** The only directories the page's HTTP server serves, relative to the repository. */
const SERVED = ['js/dist', 'bench/browser'];
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};
/** How long launching Chromium or loading the page may take. */
const STEP_MS = 30_000;

/** Rejects with `what` timed out unless `promise` settles within `ms`. */
function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The Chromium to drive: $CHROMIUM, or `chromium` found on PATH. */
function findChromium() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'chromium');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error('no chromium on PATH (set CHROMIUM to its path)');
}

/** A static server for SERVED below `root`, on 127.0.0.1, with the content types browsers insist on. */
async function startStaticServer(root) {
  const server = http.createServer((request, response) => {
    const relative = decodeURIComponent(new URL(request.url, 'http://localhost/').pathname).slice(1);
    // join() resolves any '..', so the prefix check keeps requests inside the served directories.
    const file = path.join(root, relative);
    const allowed = SERVED.some((dir) => file.startsWith(path.join(root, dir) + path.sep));
    fs.readFile(file, (error, body) => {
      if (!allowed || error) {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end(`not found: ${request.url}\n`);
        return;
      }
      response.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      response.end(body);
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Chromium's version as `chromium --version` prints it (the page's user agent hides the minor numbers). */
function versionOf(executablePath) {
  try {
    return /(\d+\.\d+\.\d+\.\d+)/.exec(execFileSync(executablePath, ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Loads (or reloads) the benchmark page and waits for the bundle, and the
 * component inside it, to load; throws with the page's own words when it did not.
 */
async function loadPage(page, url, logs) {
  await page.goto(url, { timeout: STEP_MS });
  await page.waitForFunction(() => window.__ready || window.__loadError, null, { timeout: STEP_MS });
  const loadError = await page.evaluate(() => window.__loadError);
  if (loadError) throw new Error(`the bundle did not load: ${loadError.message} ${logs.join('; ')}`);
}

/**
 * Launches headless Chromium on the benchmark page. Resolves with `bulk(options)`
 * (the page's bulk echo over TLS), `rawEcho(options)` (the page's plain
 * WebSocket echo, no TLS), `version` and `close()`. Each echo resolves with
 * {seconds, cpuSeconds, ...} or {error}; cpuSeconds is what the browser and
 * every process below it used during the echo: the renderer runs the page, the
 * network service carries the WebSocket.
 * Each echo runs on a freshly loaded page, so that, as every other client
 * runs in a fresh process, it starts with the component just instantiated
 * (and the plain echo starts from the same state as the TLS one).
 */
export async function startChromium(root) {
  const executablePath = findChromium();
  const { chromium } = createRequire(path.join(root, 'js/package.json'))('playwright-core');
  const site = await startStaticServer(root);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-connect-bench-chromium-'));
  const logs = [];
  let context;
  const close = async () => {
    await context?.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
    await site.close();
  };
  try {
    // playwright-core refuses --user-data-dir in args: a persistent context takes the fresh profile instead.
    context = await within(STEP_MS, 'launching Chromium', chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      timeout: STEP_MS,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    }));
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => logs.push(`console.${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => logs.push(`page error: ${error.message}`));
    const url = `${site.origin}/bench/browser/index.html`;
    await loadPage(page, url, logs);
    // The browser process is our child; its profile directory tells it from the bridge and the server.
    const [browserPid] = childrenMatching(profile);
    const cpuSeconds = () => (browserPid ? treeCpuSeconds(browserPid) : NaN);
    /** Runs the page's `window[name](options)` on a freshly loaded page, with Chromium's CPU meanwhile. */
    const onFreshPage = async (name, options) => {
      await loadPage(page, url, logs);
      // After the reload, so that loading the page is not counted as the echo's CPU.
      const cpu0 = cpuSeconds();
      const result = await within(options.limitMs + 30_000, 'the page', page.evaluate(([fn, args]) => window[fn](args), [name, options]));
      if (result.error) return logs.length ? { ...result, logs: logs.splice(0) } : result;
      return { ...result, cpuSeconds: cpuSeconds() - cpu0 };
    };
    return {
      version: versionOf(executablePath),
      bulk: (options) => onFreshPage('bulkEcho', options),
      rawEcho: (options) => onFreshPage('rawEcho', options),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
