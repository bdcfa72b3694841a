// The TLS peer of the JavaScript tests: Node's own `tls.createServer`, always
// run by the machine's `node` in a child process (tests/peers/node-tls-server.js),
// so that every runtime under test (Node 20, Node 26, Deno) meets the same
// Node server over a real loopback socket.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../../tests/peers/node-tls-server.js', import.meta.url));
/** How long a test waits for the peer to report something before failing. */
const WAIT_MS = 20_000;

/** The STARTTLS variant: plaintext "STARTTLS", "OK", then Node's TLS server on the same connection. */
export const STARTTLS_SCRIPT = fileURLToPath(new URL('./starttls-server.cjs', import.meta.url));

/**
 * Starts a Node TLS echo server with `config` (key, cert, ca, requestCert,
 * rejectUnauthorized, ALPNProtocols, endFirst: see the script's header), or
 * the server of `script` taking the same config and reporting alike.
 * Resolves to `{port, next(field), close()}`: `next` waits for the next report
 * that has `field`.
 */
export async function startPeer(config, { script = SCRIPT } = {}) {
  const child = spawn('node', [script, JSON.stringify({ maxLifetimeMs: 120_000, ...config })], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const reports = [];
  const waiters = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    reports.push(JSON.parse(line));
    for (const waiter of waiters.splice(0)) waiter();
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));

  /** The next report (after those already taken) that has `field`. */
  let taken = 0;
  async function next(field) {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      while (taken < reports.length) {
        const report = reports[taken++];
        if (field in report) return report;
      }
      if (Date.now() > deadline) throw new Error(`the Node peer reported no "${field}" within ${WAIT_MS} ms`);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, 200);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  const { listening } = await next('listening');
  return {
    port: listening,
    next,
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}

/** Resolves with the first of `events` that `emitter` emits, as `{event, args}`; rejects after `ms`. */
export function firstOf(emitter, events, ms = WAIT_MS) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`none of ${events.join(', ')} within ${ms} ms`)), ms);
    for (const event of events) {
      emitter.once(event, (...args) => {
        clearTimeout(timer);
        resolve({ event, args });
      });
    }
  });
}

/** Collects a readable's data as a string until its 'end'. */
export function readAll(readable, ms = WAIT_MS) {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no 'end' within ${ms} ms; got ${JSON.stringify(text)}`)), ms);
    readable.setEncoding('utf8');
    readable.on('data', (chunk) => (text += chunk));
    readable.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    readable.on('end', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}

/**
 * True when this runtime's `node:tls` is the reference to match: current Node
 * (26, the npm package the tests install). Node 20 is end of life, and
 * Deno's and Bun's node:tls are not Node's; there the recorded constants
 * (Node 26's answers) stand alone.
 */
export const nodeIsOracle =
  typeof globalThis.Deno === 'undefined' &&
  typeof globalThis.Bun === 'undefined' &&
  Number(process.versions.node.split('.')[0]) >= 26;

/** Set in Bun (which reports itself as Node 26 in process.versions.node). */
export const isBun = typeof globalThis.Bun !== 'undefined';
