// Types for tls-connect: the client side of Node's `tls` module.
import type { Duplex } from 'node:stream';
import type { Buffer } from 'node:buffer';
import type { X509Certificate } from 'node:crypto';

/** PEM text, or PEM bytes. */
export type Pem = string | Buffer | ArrayBufferView;

/** A certificate's distinguished name; a repeated attribute is an array. */
export type Name = Record<string, string | string[]>;

/** What `getPeerCertificate()` returns, in Node's shape. */
export interface PeerCertificate {
  subject: Name;
  issuer: Name;
  subjectaltname?: string;
  infoAccess?: Record<string, string[]>;
  ca: boolean;
  modulus?: string;
  bits?: number;
  exponent?: string;
  pubkey?: Buffer;
  asn1Curve?: string;
  nistCurve?: string;
  valid_from: string;
  valid_to: string;
  fingerprint: string;
  fingerprint256: string;
  fingerprint512: string;
  ext_key_usage?: string[];
  serialNumber: string;
  raw: Buffer;
}

/** With `detailed`, each certificate links to its issuer. */
export interface DetailedPeerCertificate extends PeerCertificate {
  issuerCertificate?: DetailedPeerCertificate;
}

/** What `getCipher()` returns. */
export interface CipherNameAndProtocol {
  name: string;
  standardName: string;
  version: string;
}

/** What `getEphemeralKeyInfo()` returns after the handshake. */
export interface EphemeralKeyInfo {
  /** `'ECDH'`, `'DH'` for a finite-field group, or `'TLSGroup'` for a post-quantum group. */
  type: string;
  /** `'X25519'`, `'prime256v1'`, `'X448'`, `'X25519MLKEM768'`, ...; undefined for `'DH'`. */
  name?: string;
  /** The key's size in bits, as OpenSSL counts it (253 for X25519); absent for a `'TLSGroup'`. */
  size?: number;
}

/** One PKCS#12 bundle with its own passphrase, as in Node's `pfx: [{buf, passphrase}]`. */
export interface PfxObject {
  buf: string | Buffer | ArrayBufferView;
  passphrase?: string;
}

/** The options of `createSecureContext()`. */
export interface SecureContextOptions {
  ca?: Pem | Pem[];
  crl?: Pem | Pem[];
  cert?: Pem | Pem[];
  key?: Pem | Array<Pem | { pem: Pem; passphrase?: string }>;
  passphrase?: string;
  /** PKCS#12 bundles holding the client's chain and key. */
  pfx?: string | Buffer | ArrayBufferView | Array<string | Buffer | ArrayBufferView | PfxObject>;
  ciphers?: string;
  minVersion?: 'TLSv1.3' | 'TLSv1.2' | 'TLSv1.1' | 'TLSv1';
  maxVersion?: 'TLSv1.3' | 'TLSv1.2' | 'TLSv1.1' | 'TLSv1';
  /** Key-exchange groups, colon-separated (`'X25519:P-256'`), or `'auto'`. */
  ecdhCurve?: string;
  /** Signature algorithms to offer, colon-separated (`'ecdsa_secp256r1_sha256:RSA+SHA256'`). */
  sigalgs?: string;
  /** OpenSSL's method name (`'TLSv1_2_method'`); excludes `minVersion` and `maxVersion`. */
  secureProtocol?: string;
  /** `SSL_OP_*` bits; those meaningful without OpenSSL apply (`NO_TICKET`, `NO_TLSv1_2`, `NO_TLSv1_3`). */
  secureOptions?: number;
  /** Trust intermediate certificates in `ca` as anchors. */
  allowPartialTrustChain?: boolean;
  /**
   * Certificate compression (RFC 8879, TLS 1.3) to offer for the server's chain,
   * most preferred first, each at most once. Off when absent or empty.
   */
  certificateCompression?: CertificateCompressionAlgorithm[] | null;
}

/**
 * A socket made of two byte streams: a Cloudflare Workers socket (its
 * `opened` tells the addresses; `close()` is called on destroy), a
 * `Deno.Conn`, or any `{ readable, writable }` pair. Both must be unlocked.
 */
export interface StreamsSocket {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
  opened?: Promise<{ remoteAddress?: string; localAddress?: string } | unknown>;
  closed?: Promise<unknown>;
  close?(): unknown;
}

/** The options of `connect()`. */
export interface ConnectionOptions extends SecureContextOptions {
  host?: string;
  port?: number | string;
  path?: string;
  /**
   * Any Duplex (a net.Socket, or `webSocketDuplex()` in a browser), or a pair
   * of web streams such as the socket `connect()` of `cloudflare:sockets`
   * returns: upgraded to TLS where it stands.
   */
  socket?: Duplex | StreamsSocket;
  servername?: string;
  rejectUnauthorized?: boolean;
  ALPNProtocols?: string[] | Uint8Array[] | Uint8Array;
  allowHalfOpen?: boolean;
  secureContext?: SecureContext;
  /** A session from `getSession()` or a `'session'` event, to resume; bytes this instance did not make are ignored. */
  session?: Buffer | Uint8Array;
  timeout?: number;
  highWaterMark?: number;
  /**
   * Judges the server's name once the chain has verified (not on a resumed
   * session). Returning an Error (or any truthy value) refuses the server.
   */
  checkServerIdentity?: (hostname: string, cert: DetailedPeerCertificate) => Error | null | undefined | void;
  /** Checked as Node checks it; no finite-field DH is ever negotiated. */
  minDHSize?: number;
  /** Ask for the server's stapled OCSP response: an `'OCSPResponse'` event follows. */
  requestOCSP?: boolean;
  /** Handshake trace lines on standard error. */
  enableTrace?: boolean;
  /** Refused with `ERR_FEATURE_UNAVAILABLE_ON_PLATFORM`: rustls has no external PSK. */
  pskCallback?: (hint: string | null) => { psk: ArrayBufferView; identity: string } | null;
  family?: number;
  localAddress?: string;
  localPort?: number;
  noDelay?: boolean;
  keepAlive?: boolean;
  keepAliveInitialDelay?: number;
  signal?: AbortSignal;
}

/** Node's client TLSSocket. */
export class TLSSocket extends Duplex {
  private constructor();
  readonly encrypted: true;
  authorized: boolean;
  authorizationError: string | null;
  alpnProtocol: string | false | null;
  servername: string | false | null;
  secureConnecting: boolean;
  bytesRead: number;
  bytesWritten: number;
  readonly connecting: boolean;
  readonly pending: boolean;
  readonly readyState: 'opening' | 'open' | 'readOnly' | 'writeOnly' | 'closed';
  readonly remoteAddress?: string;
  readonly remotePort?: number;
  readonly remoteFamily?: string;
  readonly localAddress?: string;
  readonly localPort?: number;
  readonly localFamily?: string;
  readonly timeout?: number;
  address(): { port?: number; family?: string; address?: string };
  getCipher(): CipherNameAndProtocol | undefined | null;
  getProtocol(): string | null;
  getPeerCertificate(detailed: true): DetailedPeerCertificate | Record<string, never> | null;
  getPeerCertificate(detailed?: false): PeerCertificate | Record<string, never> | null;
  /** This side's certificate; `{}` when none was sent, null after close. */
  getCertificate(): PeerCertificate | Record<string, never> | null;
  /** The server's certificate as node:crypto's X509Certificate (undefined where node:crypto has none). */
  getPeerX509Certificate(): X509Certificate | undefined;
  /** This side's certificate as node:crypto's X509Certificate. */
  getX509Certificate(): X509Certificate | undefined;
  /** True when the handshake resumed a session (null after close). */
  isSessionReused(): boolean;
  /** The newest session to resume with; undefined before the handshake. */
  getSession(): Buffer | undefined;
  /** Applies while the connection has not opened yet, as Node's before its handshake. */
  setSession(session: string | Buffer | Uint8Array): void;
  /** Always undefined: tickets stay inside the engine. */
  getTLSTicket(): Buffer | undefined;
  /** `{type, name, size}`; `{}` before the handshake, null after close. */
  getEphemeralKeyInfo(): EphemeralKeyInfo | Record<string, never> | null;
  /** Keying material exported from the session (RFC 5705, RFC 8446). */
  exportKeyingMaterial(length: number, label: string, context?: Buffer | ArrayBufferView): Buffer;
  /** True (and applied) within 512..16384, else false. */
  setMaxSendFragment(size: number): boolean;
  /** Handshake trace lines on standard error; before the connection opens only. */
  enableTrace(): void;
  /** Always undefined: rustls does not expose the Finished messages. */
  getFinished(): Buffer | undefined;
  /** Always undefined: rustls does not expose the Finished messages. */
  getPeerFinished(): Buffer | undefined;
  /** `[]` before the handshake; afterwards refused (rustls does not report the shared list). */
  getSharedSigalgs(): string[];
  /** rustls never renegotiates: false, and `callback` gets the error. */
  renegotiate(
    options: { rejectUnauthorized?: boolean; requestCert?: boolean },
    callback?: (error: Error | null) => void,
  ): boolean | undefined;
  disableRenegotiation(): void;
  /** End, then destroy once everything is written. */
  destroySoon(): void;
  /** Refused while open, as Node's TLSSocket refuses it (`ERR_INVALID_HANDLE_TYPE`). */
  resetAndDestroy(): this;
  /** Deprecated in net: the bytes waiting to be written. */
  readonly bufferSize: number;
  readonly autoSelectFamilyAttemptedAddresses?: string[];
  setTimeout(msecs: number, callback?: () => void): this;
  setNoDelay(noDelay?: boolean): this;
  setKeepAlive(enable?: boolean, initialDelay?: number): this;
  ref(): this;
  unref(): this;
  on(event: 'secureConnect' | 'secure' | 'connect' | 'ready' | 'end' | 'timeout', listener: () => void): this;
  on(event: 'data', listener: (data: Buffer | string) => void): this;
  on(event: 'session' | 'keylog', listener: (data: Buffer) => void): this;
  /** The stapled response; Node passes null when the server stapled none. */
  on(event: 'OCSPResponse', listener: (response: Buffer) => void): this;
  on(event: 'error', listener: (error: Error & { code?: string }) => void): this;
  on(event: 'close', listener: (hadError: boolean) => void): this;
  on(event: string | symbol, listener: (...args: any[]) => void): this;
}

/** A reusable secure context made by `createSecureContext()`. */
export class SecureContext {
  private constructor();
}

export function connect(options: ConnectionOptions, secureConnectListener?: () => void): TLSSocket;
export function connect(
  port: number,
  host?: string,
  options?: ConnectionOptions,
  secureConnectListener?: () => void,
): TLSSocket;
export function connect(port: number, options?: ConnectionOptions, secureConnectListener?: () => void): TLSSocket;
export function connect(path: string, options?: ConnectionOptions, secureConnectListener?: () => void): TLSSocket;

export function createSecureContext(options?: SecureContextOptions): SecureContext;
export function checkServerIdentity(hostname: string, cert: PeerCertificate): Error | undefined;
export function getCiphers(): string[];
/** The names `certificateCompression` accepts (Node 26). */
export type CertificateCompressionAlgorithm = 'zlib' | 'brotli' | 'zstd';
export function getCertificateCompressionAlgorithms(): CertificateCompressionAlgorithm[];
export const rootCertificates: readonly string[];
/** Which store `getCACertificates` reads. */
export type CACertificateType = 'default' | 'system' | 'bundled' | 'extra';
/** `tls.getCACertificates(type)` (Node 26): the store's certificates, PEM, frozen. */
export function getCACertificates(type?: CACertificateType): readonly string[];
/** `tls.setDefaultCACertificates(certs)` (Node 26): what contexts without `ca` trust from now on. */
export function setDefaultCACertificates(certs: ReadonlyArray<string | ArrayBufferView>): void;
export const DEFAULT_CIPHERS: string;
export const DEFAULT_ECDH_CURVE: string;
export const DEFAULT_MIN_VERSION: string;
export const DEFAULT_MAX_VERSION: string;
export const CLIENT_RENEG_LIMIT: number;
export const CLIENT_RENEG_WINDOW: number;

declare const tls: {
  connect: typeof connect;
  createSecureContext: typeof createSecureContext;
  checkServerIdentity: typeof checkServerIdentity;
  getCiphers: typeof getCiphers;
  getCertificateCompressionAlgorithms: typeof getCertificateCompressionAlgorithms;
  rootCertificates: typeof rootCertificates;
  getCACertificates: typeof getCACertificates;
  setDefaultCACertificates: typeof setDefaultCACertificates;
  TLSSocket: typeof TLSSocket;
  SecureContext: typeof SecureContext;
  DEFAULT_CIPHERS: string;
  DEFAULT_ECDH_CURVE: string;
  DEFAULT_MIN_VERSION: string;
  DEFAULT_MAX_VERSION: string;
  CLIENT_RENEG_LIMIT: number;
  CLIENT_RENEG_WINDOW: number;
};
export default tls;
