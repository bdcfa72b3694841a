// TLSSocket: Node's client TLS socket as a stream.Duplex that drives the
// component sans-IO. Bytes from the transport go to `feed`; what the component
// has to send comes from `take-outgoing`; the Duplex carries the plaintext.
// Node's TLS rules (verification, ALPN, SNI, versions) stay in the component;
// this file only moves bytes, applies backpressure and emits Node's events.

import { Buffer } from 'node:buffer';
import { Duplex } from 'node:stream';
import { peerCertificate } from './certificate.js';
import { fromComponent, unavailable } from './errors.js';

/** The component socket a TLSSocket drives; only `connect` makes one. */
export const kEngine = Symbol('tls-connect engine');

/** Plaintext is handed to the component in slices of this size, so guest memory stays small. */
const WRITE_SLICE = 64 * 1024;

/** net.Socket events a TLSSocket re-emits, as Node's TLSSocket (itself a net.Socket) emits them. */
const TRANSPORT_EVENTS = [
  'lookup',
  'connectionAttempt',
  'connectionAttemptFailed',
  'connectionAttemptTimeout',
  'connect',
  'ready',
];

/** Node's error when the transport ends before the handshake: with the target's address fields. */
function withTarget(error, target) {
  if (error.code === 'ECONNRESET') {
    error.path = target.path;
    error.host = target.host;
    error.port = target.port;
    error.localAddress = target.localAddress;
  }
  return error;
}

/** Node's client TLSSocket. Made by `connect()`; read, write, end and destroy as any Duplex. */
export class TLSSocket extends Duplex {
  #engine;
  #transport;
  #target;
  #secure = false;
  #readEnded = false;
  #transportWriteEnded = false;
  /** Writes and the final end, held until `'secureConnect'`. */
  #heldUntilSecure = [];
  /** The callback of the write waiting for the transport's `'drain'`. */
  #writeInFlight = null;
  #forwardsTimeout = false;
  /** Our end() reached the engine: from then on the transport's end may be due. */
  #ending = false;

  /**
   * @param {import('node:stream').Duplex} transport the byte stream to the server
   * @param {object} options `connect()`'s internal options
   */
  constructor(transport, options = {}) {
    const engine = options[kEngine];
    if (!engine) throw unavailable('new tls.TLSSocket(); use tls.connect({ socket })');
    super({
      allowHalfOpen: Boolean(options.allowHalfOpen),
      highWaterMark: options.highWaterMark,
      readableHighWaterMark: options.readableHighWaterMark,
      writableHighWaterMark: options.writableHighWaterMark,
    });
    this.#engine = engine;
    this.#transport = transport;
    this.#target = options.target ?? {};

    /** Always true: Node's marker of a TLS socket. */
    this.encrypted = true;
    /** The server's certificate verified and matched the name. */
    this.authorized = false;
    /** Why it did not: a verification code, or null. */
    this.authorizationError = null;
    /** The ALPN protocol the server chose; null before the handshake, false when none. */
    this.alpnProtocol = null;
    /** The SNI sent; null before the handshake, false when none. */
    this.servername = null;
    /** True until the handshake has finished. */
    this.secureConnecting = true;
    /** Plaintext bytes received. */
    this.bytesRead = 0;
    /** Plaintext bytes sent. */
    this.bytesWritten = 0;

    // Node's connect() listens to 'secure' first and emits 'secureConnect' from there,
    // so a 'secureConnect' listener runs before any other 'secure' listener.
    this.on('secure', () => this.emit('secureConnect'));
    transport.on('data', (chunk) => this.#received(chunk));
    transport.on('end', () => this.#transportEnded());
    transport.on('close', () => this.#transportClosed());
    transport.on('error', (error) => this.destroy(error));
    transport.on('drain', () => this.#drained());
    if (options.ownsTransport) {
      for (const event of TRANSPORT_EVENTS) transport.on(event, (...args) => this.emit(event, ...args));
      // connect()'s `timeout` option is set on the transport by net itself.
      this.#forwardTimeout();
    }
    // The ClientHello: a connecting net.Socket queues it until connected.
    this.#flush();
  }

  // --- the data path ------------------------------------------------------------

  /** Bytes from the server: decrypt, answer, and surface Node's events in Node's order. */
  #received(chunk) {
    if (this.destroyed) return;
    let fed;
    try {
      fed = this.#engine.feed(chunk);
    } catch (failure) {
      this.#failed(failure);
      return;
    }
    this.#delivered(fed);
  }

  /** The transport reached its end: the server's end, or a reset before the handshake. */
  #transportEnded() {
    if (this.destroyed || this.#readEnded) return;
    let fed;
    try {
      fed = this.#engine.feedEnd();
    } catch (failure) {
      // A reset before the handshake: Node emits the transport's 'end' first, then the error.
      this.#readEnded = true;
      this.push(null);
      this.read(0);
      this.once('end', () => this.#failed(failure));
      return;
    }
    this.#delivered(fed);
  }

  #delivered(fed) {
    this.#flush();
    if (fed.secureConnect) this.#securelyConnected();
    if (fed.data.length > 0 && !this.destroyed) {
      this.bytesRead += fed.data.length;
      const plaintext = Buffer.from(fed.data.buffer, fed.data.byteOffset, fed.data.byteLength);
      // A full read buffer stops the transport, so the server waits instead of us buffering.
      if (!this.push(plaintext)) this.#transport.pause();
    }
    if (fed.end && !this.#readEnded && !this.destroyed) {
      this.#readEnded = true;
      this.push(null);
      // As net.Socket does at EOF: 'end' follows even when nobody reads.
      this.read(0);
    }
  }

  /** The handshake finished and the certificate decision allowed it. */
  #securelyConnected() {
    const engine = this.#engine;
    this.secureConnecting = false;
    this.authorized = engine.authorized();
    this.authorizationError = engine.authorizationError() ?? null;
    this.alpnProtocol = engine.alpnProtocol() ?? false;
    this.servername = engine.servername() ?? false;
    this.#secure = true;
    this.emit('secure');
    const held = this.#heldUntilSecure.splice(0);
    for (const release of held) release();
  }

  /** The component refused the connection: send its alert, then destroy with Node's error. */
  #failed(failure) {
    const error = withTarget(fromComponent(failure), this.#target);
    this.#flush();
    this.authorizationError = this.#engine.authorizationError() ?? this.authorizationError;
    // Node's name-mismatch error carries the certificate it was checked against.
    if (error.code === 'ERR_TLS_CERT_ALTNAME_INVALID') error.cert = this.getPeerCertificate(true);
    this.destroy(error);
  }

  /** Sends what the component has for the server; false when the transport is full. */
  #flush() {
    const transport = this.#transport;
    if (transport.destroyed || this.#transportWriteEnded) return true;
    const outgoing = this.#engine.takeOutgoing();
    let roomLeft = true;
    if (outgoing.length > 0) {
      roomLeft = transport.write(Buffer.from(outgoing.buffer, outgoing.byteOffset, outgoing.byteLength));
    }
    // The engine runs with allowHalfOpen (this Duplex applies Node's half-open
    // rule), so only our own end() can make it want the transport ended: the
    // question is asked only then, sparing a crossing into the component per flush.
    if (this.#ending && this.#engine.wantsWriteEnd()) {
      this.#transportWriteEnded = true;
      transport.end();
    }
    return roomLeft;
  }

  /** Runs `action` once the handshake has allowed the connection; writes wait for it. */
  #whenSecure(action) {
    if (this.#secure) action();
    else this.#heldUntilSecure.push(action);
  }

  _write(chunk, encoding, callback) {
    this.#whenSecure(() => this.#encrypt(chunk, 0, callback));
  }

  /** Encrypts `chunk` from `offset` slice by slice, waiting for `'drain'` when the transport is full. */
  #encrypt(chunk, offset, callback) {
    while (offset < chunk.length) {
      if (this.destroyed) return;
      const slice = chunk.subarray(offset, offset + WRITE_SLICE);
      offset += slice.length;
      try {
        this.#engine.write(slice);
      } catch (failure) {
        callback(fromComponent(failure));
        return;
      }
      this.bytesWritten += slice.length;
      if (!this.#flush()) {
        this.#writeInFlight = () => this.#encrypt(chunk, offset, callback);
        return;
      }
    }
    callback();
  }

  #drained() {
    const resume = this.#writeInFlight;
    this.#writeInFlight = null;
    resume?.();
  }

  _read() {
    if (!this.#transport.destroyed) this.#transport.resume();
  }

  _final(callback) {
    this.#whenSecure(() => {
      if (!this.#transport.destroyed && !this.#transportWriteEnded) {
        try {
          this.#ending = true;
          this.#engine.end();
        } catch (failure) {
          callback(fromComponent(failure));
          return;
        }
        this.#flush();
      }
      callback();
    });
  }

  /** The transport closed: what was received stays readable; nothing more can be sent. */
  #transportClosed() {
    if (this.destroyed) return;
    this.#transportEnded();
    if (this.destroyed) return;
    if (this.readableEnded) this.destroy();
    else this.once('end', () => this.destroy());
  }

  _destroy(error, callback) {
    this.#engine.destroy();
    this.#heldUntilSecure = [];
    this.#writeInFlight = null;
    if (!this.#transport.destroyed) this.#transport.destroy();
    callback(error);
  }

  /** net.Socket's `'close'` carries whether the socket closed because of an error. */
  emit(event, ...args) {
    if (event === 'close' && args.length === 0) return super.emit('close', Boolean(this.errored));
    return super.emit(event, ...args);
  }

  // --- what the component knows -------------------------------------------------

  /** `{name, standardName, version}`; undefined before the handshake, null after close. */
  getCipher() {
    if (this.destroyed) return null;
    const cipher = this.#engine.getCipher();
    return cipher && { name: cipher.name, standardName: cipher.standardName, version: cipher.version };
  }

  /** 'TLSv1.3' or 'TLSv1.2'; 'unknown' before the handshake; null after close. */
  getProtocol() {
    return this.#engine.getProtocol() ?? null;
  }

  /** The server's certificate in Node's shape; `{}` when none, null after close. */
  getPeerCertificate(detailed) {
    return peerCertificate(this.#engine.getPeerCertificate(Boolean(detailed)), Boolean(detailed));
  }

  /** Never true: sessions are not resumed yet. */
  isSessionReused() {
    return false;
  }

  /** No session is offered for reuse yet. */
  getSession() {
    return undefined;
  }

  /** No ticket is kept yet. */
  getTLSTicket() {
    return undefined;
  }

  /** rustls never renegotiates, so there is nothing to disable. */
  disableRenegotiation() {}

  // --- what the transport knows -------------------------------------------------

  /** True while the transport is still opening its connection. */
  get connecting() {
    return Boolean(this.#transport.connecting);
  }

  /** True until the transport has connected. */
  get pending() {
    return Boolean(this.#transport.pending ?? this.#transport.connecting);
  }

  /** net's `readyState`, from this socket's own two sides. */
  get readyState() {
    if (this.connecting) return 'opening';
    if (this.readable && this.writable) return 'open';
    if (this.readable) return 'readOnly';
    if (this.writable) return 'writeOnly';
    return 'closed';
  }

  get remoteAddress() {
    return this.#transport.remoteAddress;
  }
  get remotePort() {
    return this.#transport.remotePort;
  }
  get remoteFamily() {
    return this.#transport.remoteFamily;
  }
  get localAddress() {
    return this.#transport.localAddress;
  }
  get localPort() {
    return this.#transport.localPort;
  }
  get localFamily() {
    return this.#transport.localFamily;
  }
  get timeout() {
    return this.#transport.timeout;
  }

  /** The transport's bound address, as net.Socket's `address()`. */
  address() {
    return this.#transport.address?.() ?? {};
  }

  /** An idle timeout on the transport; `'timeout'` is emitted here, and `callback` is a once-listener. */
  setTimeout(msecs, callback) {
    if (typeof this.#transport.setTimeout !== 'function') throw unavailable('setTimeout() on this transport');
    this.#forwardTimeout();
    this.#transport.setTimeout(msecs);
    if (callback) this.once('timeout', callback);
    return this;
  }

  #forwardTimeout() {
    if (this.#forwardsTimeout) return;
    this.#forwardsTimeout = true;
    this.#transport.on('timeout', () => this.emit('timeout'));
  }

  setNoDelay(noDelay) {
    this.#transport.setNoDelay?.(noDelay);
    return this;
  }
  setKeepAlive(enable, initialDelay) {
    this.#transport.setKeepAlive?.(enable, initialDelay);
    return this;
  }
  ref() {
    this.#transport.ref?.();
    return this;
  }
  unref() {
    this.#transport.unref?.();
    return this;
  }
}

// Node methods this engine does not offer yet: each fails with a clear error
// instead of "is not a function".
for (const method of [
  'exportKeyingMaterial',
  'getEphemeralKeyInfo',
  'getFinished',
  'getPeerFinished',
  'getCertificate',
  'getX509Certificate',
  'getPeerX509Certificate',
  'getSharedSigalgs',
  'setMaxSendFragment',
  'renegotiate',
  'enableTrace',
  'setSession',
  'setServername',
]) {
  Object.defineProperty(TLSSocket.prototype, method, {
    value() {
      throw unavailable(`tlsSocket.${method}()`);
    },
    writable: true,
    configurable: true,
  });
}
