// The package in a real browser: Debian's Chromium, driven by playwright-core,
// loads the esbuild bundle (dist/browser/) from a local HTTP server, and the page
// connects through scripts/bridge.js to Node's TLS echo server. Everything is on
// 127.0.0.1; the certificates are made fresh by openssl for this run.
//
//   node --test test/browser.test.mjs        (from js/; gen/ must exist)
//
// The bundle is rebuilt first when it is missing or older than gen/ or src/.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, sep } from 'node:path';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startBridge } from '../scripts/bridge.js';
import { PACKAGE_ROOT, buildBrowser } from '../scripts/build-browser.mjs';
import { echoOnce, makeCertificates, startEchoServer, within } from './browser/fixtures.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TIMEOUT = 60_000;
/** How long one step (launch, page load, one echo) may take. */
const STEP_MS = 20_000;
/** The only directories the test's HTTP server serves, below js/. */
const SERVED = ['dist', join('test', 'browser'), join('test', 'support')];
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

/** The newest modification time of any file below `dir`. */
function newestBelow(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
}

/** Builds the bundle unless dist/ is newer than everything it is made from. */
async function ensureBundle() {
  let built = 0;
  try {
    built = statSync(join(PACKAGE_ROOT, 'dist', 'browser', 'tls-connect.js')).mtimeMs;
  } catch {
    // Missing: built stays 0.
  }
  const sources = Math.max(
    newestBelow(join(PACKAGE_ROOT, 'gen')),
    newestBelow(join(PACKAGE_ROOT, 'src')),
    statSync(fileURLToPath(new URL('../scripts/build-browser.mjs', import.meta.url))).mtimeMs,
  );
  if (built < sources) await buildBrowser();
}

/** A static server for dist/, test/browser/ and test/support/ on 127.0.0.1, with the content types browsers insist on. */
async function startStaticServer() {
  const server = http.createServer(async (request, response) => {
    try {
      const path = decodeURIComponent(new URL(request.url, 'http://localhost/').pathname).slice(1);
      // join() resolves any '..', so the prefix check keeps requests inside the served directories.
      const file = join(PACKAGE_ROOT, path);
      if (!SERVED.some((dir) => file.startsWith(join(PACKAGE_ROOT, dir) + sep))) throw new Error('not served');
      const body = await readFile(file);
      response.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      response.end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end(`not found: ${request.url}\n`);
    }
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

describe('in Chromium, through a WebSocket bridge', { timeout: TIMEOUT }, () => {
  const logs = [];
  let pki;
  let echo;
  let bridge;
  let site;
  let profile;
  let context;
  let page;

  before(async () => {
    await ensureBundle();
    pki = makeCertificates();
    echo = await startEchoServer(pki);
    bridge = await startBridge({ port: 0 });
    site = await startStaticServer();
    profile = mkdtempSync(join(tmpdir(), 'tls-connect-chromium-'));
    // playwright-core refuses --user-data-dir in args: a persistent context takes the fresh profile instead.
    context = await within(STEP_MS, 'launching Chromium', chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      timeout: STEP_MS,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    }));
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      const where = message.location()?.url;
      logs.push(`console.${message.type()}: ${message.text()}${where ? ` (${where})` : ''}`);
    });
    page.on('pageerror', (error) => logs.push(`page error: ${error.stack ?? error.message}`));
    page.on('requestfailed', (request) => logs.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
    await page.goto(`${site.origin}/test/browser/index.html`, { timeout: STEP_MS });
    await page.waitForFunction(() => window.__ready || window.__loadError, null, { timeout: STEP_MS });
    const loadError = await page.evaluate(() => window.__loadError);
    if (loadError) throw new Error(`the bundle did not load: ${JSON.stringify(loadError)}\n${logs.join('\n')}`);
  }, { timeout: TIMEOUT });

  after(async () => {
    await context?.close().catch(() => {});
    if (profile) rmSync(profile, { recursive: true, force: true });
    await site?.close();
    await bridge?.close();
    await echo?.close();
  });

  /** Runs `check`, printing what the page logged when it fails. */
  async function withPageLogs(check) {
    try {
      await check();
    } catch (error) {
      console.error(`browser log:\n${logs.join('\n') || '(nothing)'}`);
      throw error;
    }
  }

  /** The page's echoOnce through the bridge to the echo server. */
  function pageEcho(message, connectOptions) {
    const url = `ws://127.0.0.1:${bridge.port}/?port=${echo.port}`;
    return within(STEP_MS, 'the page', page.evaluate((args) => window.echoOnce(args), { url, message, connectOptions }));
  }

  test('echoes, authorized by the root given as ca', () =>
    withPageLogs(async () => {
      const message = 'hello from Chromium ✓';
      const result = await pageEcho(message, { host: 'localhost', ca: pki.ca, ALPNProtocols: ['http/1.1'] });
      assert.deepEqual(result, {
        authorized: true,
        authorizationError: null,
        protocol: 'TLSv1.3',
        alpnProtocol: 'http/1.1',
        echoed: message,
      });
    }));

  test('with the default roots, refuses the private root as Node does', () =>
    withPageLogs(async () => {
      // Node's own client, against the same server, says what the answer should be.
      const nodeOptions = { host: '127.0.0.1', servername: 'localhost', port: echo.port };
      const expected = await within(STEP_MS, "Node's client", echoOnce(tls.connect, nodeOptions, 'x'));
      assert.equal(expected.error?.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      const result = await pageEcho('x', { host: 'localhost' });
      assert.equal(result.error?.code, expected.error.code);
      assert.equal(result.error.name, 'Error');
      // Node 26's text (OpenSSL's, then a hint about --use-system-ca); the peer on PATH may be Node 20.
      assert.equal(
        result.error.message,
        'unable to verify the first certificate; if the root CA is installed locally, try running Node.js with --use-system-ca',
      );
      assert.ok(result.error.message.startsWith(expected.error.message), expected.error.message);
    }));

  test('connect() without socket says to pass one', () =>
    withPageLogs(async () => {
      const result = await within(STEP_MS, 'the page', page.evaluate(() => window.connectWithoutSocket()));
      assert.equal(result.error?.code, 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM');
      assert.equal(result.error?.name, 'TypeError');
      assert.match(result.error?.message, /options\.socket/);
    }));
});
