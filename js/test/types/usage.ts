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
const compressed = tls.connect({ port: 443, certificateCompression: tls.getCertificateCompressionAlgorithms() });
compressed.destroy();
tls.createSecureContext({ certificateCompression: ['brotli', 'zlib'] });
console.log(mismatch, defaults);

import { webSocketDuplex } from 'tls-connect/websocket';
const bridged: TLSSocket = connect({ socket: webSocketDuplex('ws://127.0.0.1:8080/'), host: 'localhost' });
bridged.destroy();

// A pair of web streams, as a Cloudflare Workers socket (cloudflare:sockets) is.
const workersLike = {
  readable: new ReadableStream<Uint8Array>(),
  writable: new WritableStream<Uint8Array>(),
  opened: Promise.resolve({ remoteAddress: '127.0.0.1:5432' }),
  closed: Promise.resolve(),
  close: async () => {},
};
const upgraded: TLSSocket = tls.connect({ socket: workersLike, servername: 'db.internal', ca: 'pem', cert: 'pem', key: 'pem' });
upgraded.end();

// Sessions, events and the socket methods Node code uses.
let saved: Buffer | undefined;
const resumable = tls.connect(
  {
    port: 8443,
    pfx: [{ buf: readFileSync('client.p12'), passphrase: 'secret' }],
    ecdhCurve: 'X25519:P-256',
    sigalgs: 'ecdsa_secp256r1_sha256',
    secureProtocol: 'TLSv1_2_method',
    secureOptions: 0,
    allowPartialTrustChain: true,
    requestOCSP: true,
    enableTrace: false,
    minDHSize: 2048,
    session: saved,
    checkServerIdentity: (hostname, cert) => (cert.subject.CN === hostname ? undefined : new Error('no')),
  },
  () => {
    const info = resumable.getEphemeralKeyInfo();
    if (info && 'type' in info) console.log(info.type, info.name, info.size);
    const ekm: Buffer = resumable.exportKeyingMaterial(32, 'EXPORTER-app', Buffer.from('ctx'));
    const reused: boolean = resumable.isSessionReused();
    const applied: boolean = resumable.setMaxSendFragment(1024);
    console.log(ekm, reused, applied, resumable.getPeerX509Certificate()?.subject, resumable.getCertificate());
    resumable.renegotiate({}, (error) => console.log(error?.message));
  },
);
resumable.on('session', (session: Buffer) => (saved = session));
resumable.on('keylog', (line: Buffer) => console.log(line.toString()));
resumable.on('OCSPResponse', (response: Buffer) => console.log(response?.length));
resumable.setSession(saved ?? Buffer.alloc(0));
tls.connect({ port: 443, checkServerIdentity: tls.checkServerIdentity });
tls.createSecureContext({ pfx: readFileSync('id.p12'), passphrase: 'p', secureOptions: 0x4000 });
