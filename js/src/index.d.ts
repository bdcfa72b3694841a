// Types for tls-connect: the client side of Node's `tls` module.
import type { Duplex } from 'node:stream';
import type { Buffer } from 'node:buffer';

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

/** The options of `createSecureContext()`. */
export interface SecureContextOptions {
  ca?: Pem | Pem[];
  crl?: Pem | Pem[];
  cert?: Pem | Pem[];
  key?: Pem | Array<Pem | { pem: Pem; passphrase?: string }>;
  passphrase?: string;
  ciphers?: string;
  minVersion?: 'TLSv1.3' | 'TLSv1.2' | 'TLSv1.1' | 'TLSv1';
  maxVersion?: 'TLSv1.3' | 'TLSv1.2' | 'TLSv1.1' | 'TLSv1';
  ecdhCurve?: string;
}

/** The options of `connect()`. */
export interface ConnectionOptions extends SecureContextOptions {
  host?: string;
  port?: number | string;
  path?: string;
  /** Any Duplex: a net.Socket, or `webSocketDuplex()` in a browser. */
  socket?: Duplex;
  servername?: string;
  rejectUnauthorized?: boolean;
  ALPNProtocols?: string[] | Uint8Array[] | Uint8Array;
  allowHalfOpen?: boolean;
  secureContext?: SecureContext;
  session?: Buffer;
  timeout?: number;
  highWaterMark?: number;
  checkServerIdentity?: typeof checkServerIdentity;
  minDHSize?: number;
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
  isSessionReused(): boolean;
  getSession(): Buffer | undefined;
  getTLSTicket(): Buffer | undefined;
  disableRenegotiation(): void;
  setTimeout(msecs: number, callback?: () => void): this;
  setNoDelay(noDelay?: boolean): this;
  setKeepAlive(enable?: boolean, initialDelay?: number): this;
  ref(): this;
  unref(): this;
  on(event: 'secureConnect' | 'secure' | 'connect' | 'ready' | 'end' | 'timeout', listener: () => void): this;
  on(event: 'data', listener: (data: Buffer | string) => void): this;
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
export const rootCertificates: readonly string[];
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
  rootCertificates: typeof rootCertificates;
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
