// TLSSocket: Node's client TLS socket as a stream.Duplex that drives the
// component sans-IO. Bytes from the transport go to `feed`; what the component
// has to send comes from `take-outgoing`; the Duplex carries the plaintext.
// Node's TLS rules (verification, ALPN, SNI, versions) stay in the component;
// this file only moves bytes, applies backpressure and emits Node's events.

import { Buffer } from 'node:buffer';
import * as nodeCrypto from 'node:crypto';
import { Duplex } from 'node:stream';
import { legacyObject, peerCertificate } from './certificate.js';
import { call, fromComponent, invalidArgType, nodeError, unavailable } from './errors.js';
import { bytesOf, checkInteger } from './options.js';
import { RecordLayer } from './record-layer.js';

/** The component socket a TLSSocket drives; only `connect` makes one. */
export const kEngine = Symbol('tls-connect engine');

/** Plaintext is handed to the component in slices of this size, so guest memory stays small. */
const WRITE_SLICE = 64 * 1024;
/** OpenSSL's default send fragment, and the most a record carries. */
const MAX_FRAGMENT = 16 * 1024;

/** net.Socket events a TLSSocket re-emits, as Node's TLSSocket (itself a net.Socket) emits them. */
const TRANSPORT_EVENTS = [
  'lookup',
  'connectionAttempt',
  'connectionAttemptFailed',
  'connectionAttemptTimeout',
  'connect',
  'ready',
];

/** A Buffer over bytes from the component, without copying. */
function asBuffer(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** node:crypto's X509Certificate where the runtime has one; the browser stand-in has none. */
function x509Class(crypto, name) {
  // Read by a computed name, so a bundler does not flag the stand-in's missing export.
  return crypto[name];
}
const X509Certificate = x509Class(nodeCrypto, 'X509Certificate');

/** One `enableTrace` line, to standard error where there is one, else the console's. */
function writeTrace(line) {
  const text = line.endsWith('\n') ? line : `${line}\n`;
  const stderr = globalThis.process?.stderr;
  if (typeof stderr?.write === 'function') stderr.write(text);
  else console.error(text.slice(0, -1));
}

/** The tls-error record for a caller's checkServerIdentity verdict (an Error, or any truthy value). */
function verdictRecord(verdict) {
  const text = (value) => (typeof value === 'string' ? value : undefined);
  const message = text(verdict?.message) ?? String(verdict);
  return {
    code: text(verdict?.code) || message,
    message,
    reason: text(verdict?.reason),
    host: text(verdict?.host),
  };
}

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

/** What Node throws when a method reaches its handle after destroy (the handle is null). */
function closedHandle(method) {
  return new TypeError(`Cannot read properties of null (reading '${method}')`);
}

/** Node's client TLSSocket. Made by `connect()`; read, write, end and destroy as any Duplex. */
export class TLSSocket extends Duplex {
  #engine;
  /** The keys the guest handed to this host, and received bytes cut into records. */
  #records = new RecordLayer();
  /** Application-data records sealed here, to go out after what the guest has to send. */
  #sealed = [];
  /** The guest was called since its output was last taken (it starts with a ClientHello). */
  #guestMayHaveOutput = true;
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
  /** An error came after 'secureConnect': the socket now only waits for its transport's end. */
  #brokenAfterSecure = false;
  /** Our end() reached the engine: from then on the transport's end may be due. */
  #ending = false;
  /** Makes a fresh engine with changed options; usable until the ClientHello has gone out. */
  #restart;
  /** The ClientHello has been handed to the transport: the engine can no longer be replaced. */
  #started = false;
  /** The caller's checkServerIdentity and the name it is given; undefined for the built-in one. */
  #identity;
  /** What the caller's checkServerIdentity returned, when it refused the server. */
  #verdict;
  /** Node's kIsVerified: 'secureConnect' has happened, so sessions are emitted as they come. */
  #verified = false;
  /** Sessions that came before 'secureConnect', emitted right after it as Node does. */
  #pendingSessions = [];
  /** Settings made on the engine that a restarted engine must get too. */
  #keylog = false;
  #maxSendFragment;
  /** A caller's net.Socket not connected yet: Node's TLSSocket counts as connecting until its 'connect'. */
  #awaitingConnect = false;
  /** The session whose 'session' event is being emitted: what getSession() answers inside its handlers. */
  #sessionInEvent;

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
    this.#restart = options.restart;
    this.#identity = options.identity;

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
    // Key-log lines are made only once someone listens, as Node turns them on.
    const keylogListener = (event) => {
      if (event !== 'keylog') return;
      this.removeListener('newListener', keylogListener);
      this.#setKeylog();
    };
    this.on('newListener', keylogListener);
    transport.on('data', (chunk) => this.#received(chunk));
    transport.on('end', () => this.#transportEnded());
    transport.on('close', () => this.#transportClosed());
    transport.on('error', (error) => this.destroy(error));
    transport.on('drain', () => this.#drained());
    // A caller's stream may come paused (read up to a protocol's plaintext
    // "OK", then paused so nothing is lost): Node's TLS reads it regardless, and
    // from here on only this socket's own backpressure pauses it.
    if (transport.isPaused?.()) transport.resume();
    // The ClientHello goes out once the connection is open, as Node starts the
    // handshake on 'connect'; until then setSession() and enableTrace() may
    // still replace the engine. A caller's net.Socket is waited for too while
    // it is connecting or not yet told to connect (net's `pending`, Node's
    // `connecting || !_handle`); any other stream gets it at once, as in Node.
    const waits = options.ownsTransport ? transport.connecting : options.netSocket && transport.pending;
    if (waits) {
      this.#awaitingConnect = true;
      transport.once('connect', () => {
        this.#awaitingConnect = false;
        this.#flush();
      });
    } else {
      this.#flush();
    }
    if (options.ownsTransport) {
      for (const event of TRANSPORT_EVENTS) transport.on(event, (...args) => this.emit(event, ...args));
      // connect()'s `timeout` option is set on the transport by net itself.
      this.#forwardTimeout();
    } else if (options.netSocket) {
      // Node's TLSSocket re-emits its net.Socket's 'connect'.
      transport.once('connect', () => this.emit('connect'));
    }
  }

  // --- the data path ------------------------------------------------------------

  /**
   * Bytes from the server: application data opens here once the connection is
   * established (record-layer.js); everything else goes to the guest, which
   * decrypts, answers, and surfaces Node's events in Node's order.
   */
  #received(chunk) {
    if (this.destroyed || this.#brokenAfterSecure) return;
    this.#records.receive(chunk);
    for (;;) {
      const step = this.#records.next(this.#secure && !this.#readEnded);
      if (step === undefined) return;
      if (step.plaintext) {
        this.#pushRecord(step.plaintext);
        continue;
      }
      let fed;
      try {
        fed = this.#toGuest(() => this.#engine.feed(step.bytes));
      } catch (failure) {
        this.#failed(failure);
        return;
      }
      this.#delivered(fed);
      if (this.destroyed || this.#brokenAfterSecure) return;
    }
  }

  /** A call into the guest: the keys it hands to the host meanwhile are this socket's. */
  #toGuest(guestCall) {
    this.#guestMayHaveOutput = true;
    return this.#records.during(guestCall);
  }

  /** The transport reached its end: the server's end, or a reset before the handshake. */
  #transportEnded() {
    if (this.destroyed || this.#readEnded) return;
    if (this.#brokenAfterSecure) {
      this.#readEnded = true;
      this.push(null);
      this.read(0);
      this.once('end', () => this.destroy());
      return;
    }
    let fed;
    try {
      // An incomplete record the layer held back is the guest's to judge first.
      const rest = this.#records.rest();
      if (rest) this.#emitEvents(this.#toGuest(() => this.#engine.feed(rest)).events);
      fed = this.#toGuest(() => this.#engine.feedEnd());
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
    // Events before this batch's bytes go out: Node emits 'OCSPResponse' (and
    // key-log lines) while its handshake runs, before our Finished is sent, so
    // a destroy() in a handler ends the handshake there.
    this.#emitEvents(fed.events);
    if (this.destroyed) return;
    this.#flush();
    if (fed.checkIdentity && !this.destroyed) this.#checkIdentity();
    if (fed.secureConnect && !this.destroyed) this.#securelyConnected();
    if (fed.data.length > 0 && !this.destroyed) this.#pushRecords(fed.data, fed.recordLengths);
    if (fed.end && !this.#readEnded && !this.destroyed) {
      this.#readEnded = true;
      this.push(null);
      // As net.Socket does at EOF: 'end' follows even when nobody reads.
      this.read(0);
    }
  }

  /** Node's events besides data, in the order the engine saw them happen. */
  #emitEvents(events) {
    for (const event of events) {
      if (this.destroyed) return;
      switch (event.tag) {
        case 'session':
          this.#sessionArrived(asBuffer(event.val));
          break;
        case 'keylog':
          this.emit('keylog', asBuffer(event.val));
          break;
        case 'ocsp-response':
          // Node gives null when the server stapled nothing.
          this.emit('OCSPResponse', event.val === undefined ? null : asBuffer(event.val));
          break;
        case 'trace':
          writeTrace(event.val);
          break;
      }
    }
  }

  /** One record opened by the host's record layer: one 'data', as Node reads one record at a time. */
  #pushRecord(plaintext) {
    this.bytesRead += plaintext.length;
    // A full read buffer stops the transport, so the server waits instead of us buffering.
    if (!this.push(plaintext)) this.#transport.pause();
  }

  /** One 'data' per TLS record, as Node reads one record at a time: views of the batch, not copies. */
  #pushRecords(data, recordLengths) {
    this.bytesRead += data.length;
    const plaintext = asBuffer(data);
    let full = false;
    let offset = 0;
    for (const length of recordLengths) {
      if (this.destroyed) return;
      if (!this.push(plaintext.subarray(offset, (offset += length)))) full = true;
    }
    // A full read buffer stops the transport, so the server waits instead of us buffering.
    if (full) this.#transport.pause();
  }

  /** A session is announced only after 'secureConnect', as Node holds one that comes earlier. */
  #sessionArrived(session) {
    if (this.#verified) this.#emitSession(session);
    else this.#pendingSessions.push(session);
  }

  /**
   * Inside its handlers getSession() answers this event's session, as Node's
   * does (OpenSSL's current session is the ticket just read), even when a
   * later ticket came in the same batch.
   */
  #emitSession(session) {
    this.#sessionInEvent = session;
    try {
      this.emit('session', session);
    } finally {
      this.#sessionInEvent = undefined;
    }
  }

  /**
   * The chain verified and the caller's checkServerIdentity is to judge the
   * name, as Node's client does right after the handshake. What it returns is
   * the verdict: falsy accepts, anything else refuses and becomes the error.
   */
  #checkIdentity() {
    const { check, hostname } = this.#identity;
    let verdict;
    try {
      verdict = check(hostname, this.getPeerCertificate(true));
    } catch (error) {
      // Node would let this escape its handshake callback; here it ends this socket only.
      this.#flush();
      this.destroy(error);
      return;
    }
    if (verdict) this.#verdict = verdict;
    let fed;
    try {
      fed = this.#toGuest(() => this.#engine.settleIdentity(verdict ? verdictRecord(verdict) : undefined));
    } catch (failure) {
      if (!verdict) {
        this.#failed(failure);
        return;
      }
      // Refused with rejectUnauthorized: Node destroys the socket with the caller's own value.
      this.#flush();
      this.authorizationError = verdict.code || verdict.message;
      this.destroy(verdict);
      return;
    }
    this.#delivered(fed);
  }

  /** The handshake finished and the certificate decision allowed it. */
  #securelyConnected() {
    const engine = this.#engine;
    this.secureConnecting = false;
    this.authorized = engine.authorized();
    this.authorizationError = engine.authorizationError() ?? null;
    if (this.#verdict) {
      // Node's own words for a refusal the caller's function made.
      this.authorized = false;
      this.authorizationError = this.#verdict.code || this.#verdict.message;
    }
    this.alpnProtocol = engine.alpnProtocol() ?? false;
    this.servername = engine.servername() ?? false;
    this.#secure = true;
    this.emit('secure');
    this.#verified = true;
    for (const session of this.#pendingSessions.splice(0)) {
      if (!this.destroyed) this.#emitSession(session);
    }
    const held = this.#heldUntilSecure.splice(0);
    for (const release of held) release();
  }

  /** The component refused the connection: send its alert, then destroy with Node's error. */
  #failed(failure) {
    const error = withTarget(fromComponent(failure), this.#target);
    // What came before the failure first ('OCSPResponse', key-log lines), as
    // Node reports them while its handshake runs, before its verdict.
    this.#emitEvents(this.#engine.takeEvents());
    if (this.destroyed) return;
    this.#flush();
    this.authorizationError = this.#engine.authorizationError() ?? this.authorizationError;
    // Node's name-mismatch error carries the certificate it was checked against.
    if (error.code === 'ERR_TLS_CERT_ALTNAME_INVALID') error.cert = this.getPeerCertificate(true);
    if (this.#secure && !this.destroyed && !this.#readEnded) {
      // After 'secureConnect' (a server's alert, say) Node emits the error and
      // the socket ends with its transport: 'error', 'end', 'close'.
      this.#brokenAfterSecure = true;
      this.emit('error', error);
      return;
    }
    this.destroy(error);
  }

  /**
   * Sends what the component has for the server; false when the transport is
   * full. `done`, if given, runs once the transport has taken those bytes (its
   * write callback), at once when there are none.
   */
  #flush(done) {
    this.#started = true;
    const transport = this.#transport;
    if (transport.destroyed || this.#transportWriteEnded) {
      done?.();
      return true;
    }
    // What the guest has to send was sealed before any record sealed here since.
    // It is asked only after a call that may have made some, sparing a
    // crossing into the component per write sealed here.
    const outgoing = this.#guestMayHaveOutput ? this.#engine.takeOutgoing() : undefined;
    this.#guestMayHaveOutput = false;
    const buffers = outgoing?.length > 0 ? [asBuffer(outgoing), ...this.#sealed] : this.#sealed;
    this.#sealed = [];
    let roomLeft = true;
    if (buffers.length > 0) {
      // Once this socket is destroyed a failed write is no error of the caller's write.
      const taken = done && ((error) => done(this.destroyed ? undefined : error));
      // Corked, a net.Socket sends the buffers in one writev.
      const last = buffers.length - 1;
      transport.cork?.();
      for (let i = 0; i < last; i += 1) transport.write(buffers[i]);
      roomLeft = transport.write(buffers[last], taken);
      transport.uncork?.();
    } else {
      done?.();
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
    this.#whenSecure(() => this.#encrypt([chunk], 0, 0, callback));
  }

  /** Several writes that waited for the one before: encrypted together, sent in one transport write. */
  _writev(entries, callback) {
    const chunks = entries.map((entry) => entry.chunk);
    this.#whenSecure(() => this.#encrypt(chunks, 0, 0, callback));
  }

  /**
   * Encrypts `chunks` from chunk `index`, byte `offset`, slice by slice (each
   * chunk sealed into its own records), sending what the slices made at most
   * WRITE_SLICE bytes of plaintext apart and waiting for the transport's
   * `'drain'` when it is full. `callback` runs once the transport has taken
   * the last records, as Node's write completes when its ciphertext is
   * written: so write() returns false past the highWaterMark and `'drain'`
   * follows the transport, as in Node.
   */
  #encrypt(chunks, index, offset, callback) {
    let unsent = 0;
    while (index < chunks.length) {
      if (this.destroyed) return;
      const chunk = chunks[index];
      const slice = chunk.subarray(offset, offset + WRITE_SLICE);
      try {
        this.#seal(slice);
      } catch (failure) {
        callback(fromComponent(failure));
        return;
      }
      this.bytesWritten += slice.length;
      unsent += slice.length;
      offset += slice.length;
      if (offset >= chunk.length) {
        index += 1;
        offset = 0;
      }
      if (index < chunks.length && unsent >= WRITE_SLICE) {
        unsent = 0;
        if (!this.#flush()) {
          this.#writeInFlight = () => this.#encrypt(chunks, index, offset, callback);
          return;
        }
      }
    }
    this.#flush(callback);
  }

  /**
   * Seals one slice of application data: here, with the write key the guest
   * handed over (TLS 1.3), or by the guest. A key at its confidentiality limit
   * is changed first, by a KeyUpdate the guest sends, as rustls would.
   */
  #seal(slice) {
    // After a failure the guest answers every write with its error.
    let key = this.#brokenAfterSecure ? undefined : this.#records.writeKey;
    if (key && key.mustChange) {
      this.#flush();
      this.#toGuest(() => this.#engine.refreshWriteKey());
      key = this.#records.writeKey;
    }
    if (key && !key.mustChange) {
      key.sealRecords(slice, this.#maxSendFragment ?? MAX_FRAGMENT, this.#sealed);
      return;
    }
    // The guest seals after what was sealed here, so that goes out first.
    if (this.#sealed.length > 0) this.#flush();
    this.#toGuest(() => this.#engine.write(slice));
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
          // close_notify goes after the records sealed here.
          if (this.#sealed.length > 0) this.#flush();
          this.#toGuest(() => this.#engine.end());
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
    this.#pendingSessions = [];
    this.#writeInFlight = null;
    if (!this.#transport.destroyed) this.#transport.destroy();
    callback(error);
  }

  /** net.Socket's `'close'` carries whether the socket closed because of an error. */
  emit(event, ...args) {
    if (event === 'close' && args.length === 0) {
      return super.emit('close', Boolean(this.errored) || this.#brokenAfterSecure);
    }
    return super.emit(event, ...args);
  }

  // --- what the component knows -------------------------------------------------

  /** `{name, standardName, version}`; undefined before the handshake, null after close. */
  getCipher() {
    if (this.destroyed) return null;
    const cipher = this.#engine.getCipher();
    return cipher && { name: cipher.name, standardName: cipher.standardName, version: cipher.version };
  }

  /** 'TLSv1.3' or 'TLSv1.2'; 'TLSv1.3' before the handshake ends (as OpenSSL says); null after close. */
  getProtocol() {
    return this.#engine.getProtocol() ?? null;
  }

  /** The server's certificate in Node's shape; `{}` when none, null after close. */
  getPeerCertificate(detailed) {
    return peerCertificate(this.#engine.getPeerCertificate(Boolean(detailed)), Boolean(detailed));
  }

  /** This side's own certificate in Node's shape; `{}` when none was sent, null after close. */
  getCertificate() {
    if (this.destroyed) return null;
    const cert = this.#engine.getCertificate();
    return cert ? legacyObject(cert) : {};
  }

  /** The server's certificate as node:crypto's X509Certificate; undefined when none (or no node:crypto). */
  getPeerX509Certificate() {
    if (this.destroyed || !X509Certificate) return undefined;
    const chain = this.#engine.getPeerCertificate(false);
    return chain?.length ? new X509Certificate(asBuffer(chain[0].raw)) : undefined;
  }

  /** This side's certificate as node:crypto's X509Certificate; undefined when none (or no node:crypto). */
  getX509Certificate() {
    if (this.destroyed || !X509Certificate) return undefined;
    const cert = this.#engine.getCertificate();
    return cert ? new X509Certificate(asBuffer(cert.raw)) : undefined;
  }

  /** True when the handshake resumed a session; null after close, as Node. */
  isSessionReused() {
    if (this.destroyed) return null;
    return this.#engine.isSessionReused();
  }

  /** The newest session to resume with (`connect({session})`); undefined before the handshake, null after close. */
  getSession() {
    if (this.destroyed) return null;
    if (this.#sessionInEvent) return this.#sessionInEvent;
    const session = this.#engine.getSession();
    return session === undefined ? undefined : asBuffer(session);
  }

  /**
   * Node's setSession: a string is read as latin1, anything else must be
   * bytes. It takes effect while the ClientHello has not gone out (before the
   * connection opens); later, as OpenSSL, it changes nothing for this connection.
   */
  setSession(session) {
    if (typeof session === 'string') session = Buffer.from(session, 'latin1');
    if (!ArrayBuffer.isView(session)) throw nodeError('ERR_INVALID_ARG_TYPE', 'Session must be a buffer');
    this.#restartWith({ session });
  }

  /** TLS tickets are kept inside the engine, never as Node's raw ticket bytes. */
  getTLSTicket() {
    return this.destroyed ? null : undefined;
  }

  /** `{type, name, size}` of the key exchange; `{}` before the handshake, null after close. */
  getEphemeralKeyInfo() {
    if (this.destroyed) return null;
    const info = this.#engine.getEphemeralKeyInfo();
    // A post-quantum group has no size, a finite-field ('DH') one no name:
    // Node 26 still gives the key, undefined.
    return info ? { type: info.kind, name: info.name, size: info.size } : {};
  }

  /**
   * Keying material exported from the session (RFC 5705, RFC 8446 7.5): a
   * Buffer of `length` bytes. Arguments are checked as Node checks them, then
   * the engine refuses a connection that is not yet established.
   */
  exportKeyingMaterial(length, label, context) {
    checkInteger(length, 'length', 1, 0xffffffff);
    if (typeof label !== 'string') throw invalidArgType('label', 'of type string', label);
    if (context !== undefined && !ArrayBuffer.isView(context)) {
      throw invalidArgType('context', 'an instance of Buffer, TypedArray, or DataView', context);
    }
    // Node's handle is gone after destroy: its call fails as JavaScript does.
    if (this.destroyed && this.#secure) throw closedHandle('exportKeyingMaterial');
    const bytes = context === undefined ? undefined : bytesOf(context);
    return asBuffer(call(() => this.#engine.exportKeyingMaterial(length, label, bytes)));
  }

  /** Caps outgoing records at `size` bytes: true (and applied) within 512..16384, else false. */
  setMaxSendFragment(size) {
    checkInteger(size, 'size', -(2 ** 31), 2 ** 31 - 1);
    if (this.destroyed) throw closedHandle('setMaxSendFragment');
    const applied = this.#engine.setMaxSendFragment(size);
    if (applied) this.#maxSendFragment = size;
    return applied;
  }

  /**
   * Node's enableTrace(): handshake trace lines on standard error. The engine
   * takes it as a start option, so it is applied while the ClientHello has not
   * gone out; after that it is refused rather than silently ignored.
   */
  enableTrace() {
    if (this.destroyed) return null;
    if (!this.#restartWith({ enableTrace: true })) {
      throw unavailable('tlsSocket.enableTrace() once the handshake has begun (pass options.enableTrace)');
    }
    return undefined;
  }

  /** The Finished messages are not exposed by rustls: undefined (null after close). */
  getFinished() {
    return this.destroyed ? null : undefined;
  }

  /** The peer's Finished message is not exposed by rustls: undefined (null after close). */
  getPeerFinished() {
    return this.destroyed ? null : undefined;
  }

  /**
   * The signature algorithms both sides share. Before the handshake none are
   * (Node's `[]`); afterwards rustls does not say what the server's
   * CertificateRequest offered, so no honest list can be given.
   */
  getSharedSigalgs() {
    if (this.destroyed) return null;
    if (this.secureConnecting) return [];
    throw unavailable('tlsSocket.getSharedSigalgs() after the handshake (rustls does not report the shared list)');
  }

  /**
   * rustls never renegotiates: false, and `callback` gets an error on the next
   * tick, as Node's client on TLS 1.3 answers (OpenSSL's words there; Node's
   * ERR_TLS_RENEGOTIATE otherwise). Arguments are checked as Node checks them.
   */
  renegotiate(options, callback) {
    if (options === null || typeof options !== 'object') throw invalidArgType('options', 'of type object', options);
    if (callback !== undefined && typeof callback !== 'function') throw invalidArgType('callback', 'of type function', callback);
    if (this.destroyed) return undefined;
    if (callback) {
      const error = this.getProtocol() === 'TLSv1.3'
        ? fromComponent({ code: 'ERR_SSL_WRONG_SSL_VERSION', message: 'error:0A00010A:SSL routines::wrong ssl version' })
        : nodeError('ERR_TLS_RENEGOTIATE', 'Attempt to renegotiate TLS session failed');
      queueMicrotask(() => callback(error));
    }
    return false;
  }

  /** rustls never renegotiates, so there is nothing to disable. */
  disableRenegotiation() {}

  /** Turns key-log lines on in the engine (kept for a restarted engine). */
  #setKeylog() {
    this.#keylog = true;
    if (!this.destroyed) this.#engine.setKeylog(true);
  }

  /**
   * Replaces the engine by one started with `changes`, while nothing has been
   * sent; the settings made so far are carried over. False when too late.
   */
  #restartWith(changes) {
    if (this.#started || this.destroyed || !this.#restart) return false;
    const engine = this.#restart(changes);
    this.#engine.destroy();
    this.#engine = engine;
    if (this.#keylog) engine.setKeylog(true);
    if (this.#maxSendFragment !== undefined) engine.setMaxSendFragment(this.#maxSendFragment);
    return true;
  }

  // --- what the transport knows -------------------------------------------------

  /** True while the transport is still opening its connection. */
  get connecting() {
    return this.#awaitingConnect || Boolean(this.#transport.connecting);
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

  /** net's address fields and `timeout`, read from the transport as Node's TLSSocket reads its net.Socket's. */
  static {
    for (const name of ['remoteAddress', 'remotePort', 'remoteFamily', 'localAddress', 'localPort', 'localFamily', 'timeout']) {
      Object.defineProperty(this.prototype, name, {
        get() {
          return this.#transport[name];
        },
        configurable: true,
      });
    }
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

  /** net's `destroySoon()`: end the writable side, then destroy once it has finished. */
  destroySoon() {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once('finish', () => this.destroy());
  }

  /**
   * net's `resetAndDestroy()`. Node's TLSSocket refuses it while open (its
   * handle is the TLS layer, not TCP), so this one does too.
   */
  resetAndDestroy() {
    if (!this.destroyed) throw nodeError('ERR_INVALID_HANDLE_TYPE', 'This handle type cannot be sent');
    this.destroy(nodeError('ERR_SOCKET_CLOSED', 'Socket is closed'));
    return this;
  }

  /** net's deprecated `bufferSize`: what waits to be written. */
  get bufferSize() {
    return this.writableLength;
  }

  /** The addresses net tried with `autoSelectFamily`, as the transport reports them. */
  get autoSelectFamilyAttemptedAddresses() {
    return this.#transport.autoSelectFamilyAttemptedAddresses;
  }
}

// Node methods this engine does not offer: each fails with a clear error
// instead of "is not a function". setServername would change the SNI apart
// from the name verified, which the engine keeps as one.
// Node checks the name first, so a bad one is its ERR_INVALID_ARG_TYPE.
Object.defineProperty(TLSSocket.prototype, 'setServername', {
  value(name) {
    if (typeof name !== 'string') throw invalidArgType('name', 'of type string', name);
    throw unavailable('tlsSocket.setServername()');
  },
  writable: true,
  configurable: true,
});
