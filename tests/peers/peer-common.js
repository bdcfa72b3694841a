// What the Node peers of the tests share: reading their config, Node's server
// options from it, reporting events as JSON lines, what Node saw of a secure
// connection, and a lifetime bound to the test that started them.
'use strict';
const fs = require('fs');

/** The config: the first argument, inline JSON or a file's path; `usage` names the script. */
function readConfig(usage) {
  const arg = process.argv[2];
  if (!arg) {
    process.stderr.write(`usage: node ${usage} <config.json | JSON>\n`);
    process.exit(2);
  }
  return JSON.parse(arg.trimStart().startsWith('{') ? arg : fs.readFileSync(arg, 'utf8'));
}

/** PEM text is used as is; anything else names a file. */
function material(value) {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(material);
  return value.includes('-----BEGIN') ? value : fs.readFileSync(value);
}

/** Prints one event as a JSON line. */
function report(fields) {
  process.stdout.write(JSON.stringify(fields) + '\n');
}

/** tls.createServer's options from the config: key, cert, ca, requestCert, rejectUnauthorized, ALPNProtocols, ciphers, maxVersion. */
function serverOptions(config) {
  const options = {
    key: material(config.key),
    cert: material(config.cert),
    requestCert: Boolean(config.requestCert),
    rejectUnauthorized: Boolean(config.rejectUnauthorized),
  };
  // A security level in it (DEFAULT@SECLEVEL=0) also decides which certificates load.
  if (config.ciphers) options.ciphers = config.ciphers;
  if (config.maxVersion) options.maxVersion = config.maxVersion;
  const ca = material(config.ca);
  if (ca !== undefined) options.ca = ca;
  if (Array.isArray(config.ALPNProtocols) && config.ALPNProtocols.length > 0) {
    options.ALPNProtocols = config.ALPNProtocols;
  }
  return options;
}

/** What Node saw of a secure connection, as the tests read it. */
function seen(socket) {
  const peer = socket.getPeerCertificate();
  return {
    servername: socket.servername || false,
    alpn: socket.alpnProtocol,
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
    peerSubjectCN: (peer && peer.subject && peer.subject.CN) || null,
    protocol: socket.getProtocol(),
    sessionReused: socket.isSessionReused(),
    // RFC 5705 keying material, for clients to show theirs is the same.
    exported: socket.exportKeyingMaterial(32, 'tls-connect test', Buffer.from('context')).toString('hex'),
  };
}

/** Exits when stdin closes, so a test that dies never leaves its peer running, and after maxLifetimeMs. */
function liveWhileStdin(config) {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
  setTimeout(() => process.exit(0), Number(config.maxLifetimeMs) || 600000).unref();
}

module.exports = { readConfig, material, report, serverOptions, seen, liveWhileStdin };
