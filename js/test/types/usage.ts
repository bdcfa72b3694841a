// Compiled by `tsc --noEmit` in the test command: code written against Node's
// `tls` types must type-check against ours unchanged.
import { readFileSync } from 'node:fs';
import { Duplex } from 'node:stream';
import tls, { connect, checkServerIdentity, type PeerCertificate, type TLSSocket } from 'tls-connect';

const options = { host: 'localhost', ca: [readFileSync('ca.pem')], ALPNProtocols: ['h2', 'http/1.1'] };
const socket: TLSSocket = connect(8443, options, () => {
  const cipher = socket.getCipher();
  const protocol: string | null = socket.getProtocol();
  const alpn: string | false | null = socket.alpnProtocol;
  console.log(socket.authorized, socket.authorizationError, cipher?.standardName, protocol, alpn);
  const cert = socket.getPeerCertificate(true);
  if (cert && 'subject' in cert) console.log(cert.subject.CN, cert.issuerCertificate?.fingerprint256);
});
socket.setEncoding('utf8');
socket.on('data', (data) => console.log(data));
socket.on('error', (error) => console.log(error.code));
socket.on('close', (hadError: boolean) => console.log(hadError));

const overDuplex: TLSSocket = tls.connect({ socket: new Duplex(), host: 'example.test', servername: 'example.test' });
overDuplex.end('bye');
const context = tls.createSecureContext({ ca: 'pem', minVersion: 'TLSv1.2' });
tls.connect({ port: 443, secureContext: context, rejectUnauthorized: false });
const mismatch: Error | undefined = checkServerIdentity('localhost', {} as PeerCertificate);
const defaults: string[] = [tls.DEFAULT_CIPHERS, tls.DEFAULT_MIN_VERSION, ...tls.rootCertificates, ...tls.getCiphers()];
console.log(mismatch, defaults);

import { webSocketDuplex } from 'tls-connect/websocket';
const bridged: TLSSocket = connect({ socket: webSocketDuplex('ws://127.0.0.1:8080/'), host: 'localhost' });
bridged.destroy();
