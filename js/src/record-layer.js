// The record layer of every JavaScript host, for the bulk of a connection's
// bytes. The guest hands each direction's key, IV and sequence number to the
// host (the `host-crypto` import's `take-key`); the host then seals and opens
// application-data records here with node:crypto, without crossing into wasm,
// and hands every other record (handshake messages such as session tickets and
// key updates, alerts, anything that does not open) to the guest in order, so
// rustls keeps the handshake, the key schedule and every verdict. Both sides
// count records on the same key object, so sequence numbers stay the
// connection's whoever protects a record.
//
// Shared by Node, Deno, Bun and workerd (anything with node:crypto's AEADs);
// a browser page declines every key (its WebCrypto is asynchronous), and the
// guest protects its records there.

import { Buffer } from 'node:buffer';
import * as nodeCrypto from 'node:crypto';

const TAG_LENGTH = 16;
const HEADER_LENGTH = 5;
/** The largest plaintext a record may carry. */
const MAX_PLAINTEXT = 16384;
/** The longest record payload rustls's deframer accepts; longer headers are the guest's error. */
const MAX_PAYLOAD = 16384 + 2048;
const APPLICATION_DATA = 23;
/** The content types a record header may name (change_cipher_spec to heartbeat). */
const FIRST_TYPE = 20;
const LAST_TYPE = 24;

/**
 * Records one key may seal before it must change, as rustls's suites say:
 * 2^24 for AES-GCM (RFC 8446, section 5.5), none that matters for ChaCha20-Poly1305.
 */
const SEAL_LIMITS = { 'aes-128-gcm': 2 ** 24, 'aes-256-gcm': 2 ** 24, 'chacha20-poly1305': Infinity };
let sealLimitOverride;

/** For the tests only: a smaller sealing limit, so a key change can be seen; undefined restores rustls's. */
export function setSealLimitForTests(limit) {
  sealLimitOverride = limit;
}

/** Application-data records this realm's hosts sealed and opened without the guest. */
export const recordsHere = { sealed: 0, opened: 0 };

/** The connection whose guest call is running: keys handed over now are its keys. */
let calling;

/** Gives a key the guest just handed over to the connection it was working for. */
export function adoptKey(key) {
  calling?.adopt(key);
}

/**
 * One direction's record protection: key, IV, and the sequence number of the
 * next record. The guest seals and opens its records through `seal` and `open`
 * (the import's resource); the host's record layer through `sealRecords` and
 * `openApplicationData`.
 */
export class TrafficKey {
  /** 'write' or 'read'. */
  direction;
  /** 'tls12' or 'tls13'. */
  version;
  /** The next record's sequence number. */
  seq = 0;
  #algorithm;
  #key;
  #iv;
  /** TLS 1.2 GCM sends the last 8 bytes of the nonce in each record. */
  #explicit;

  constructor(algorithm, version, direction, key, iv) {
    this.#algorithm = algorithm;
    this.version = version;
    this.direction = direction;
    // A copy (the key must not alias memory the guest may reuse), as a key
    // object where the runtime has them: a cipher per record then skips
    // parsing the key (AES-GCM setup 7.0 to 4.6 us per 16 KiB record in Node 26).
    this.#key = secretKey(Buffer.from(key));
    this.#iv = Buffer.from(iv);
    this.#explicit = version === 'tls12' && algorithm !== 'chacha20-poly1305' ? 8 : 0;
  }

  /** The nonce of record `seq`: the IV with the sequence number XORed into its last 8 bytes. */
  #nonce(seq) {
    const nonce = Buffer.from(this.#iv);
    const high = Math.floor(seq / 2 ** 32);
    nonce.writeUInt32BE((nonce.readUInt32BE(4) ^ high) >>> 0, 4);
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8);
    return nonce;
  }

  /** TLS 1.2's additional data: sequence number, type, version, plaintext length. */
  #tls12Aad(seq, contentType, length) {
    const aad = Buffer.alloc(13);
    aad.writeUInt32BE(Math.floor(seq / 2 ** 32), 0);
    aad.writeUInt32BE(seq >>> 0, 4);
    aad[8] = contentType;
    aad[9] = 3;
    aad[10] = 3;
    aad.writeUInt16BE(length, 11);
    return aad;
  }

  /** The guest's seal: the next record's payload (explicit nonce, ciphertext, tag). */
  seal(contentType, plaintext) {
    if (this.direction !== 'write') return new Uint8Array(0);
    const seq = this.seq++;
    if (this.version === 'tls13') {
      // The inner plaintext: the content, then its type.
      const out = Buffer.allocUnsafe(plaintext.length + 1 + TAG_LENGTH);
      this.#sealInto(out, 0, seq, tls13Header(out.length), [plaintext, Buffer.of(contentType)]);
      return out;
    }
    const nonce = this.#nonce(seq);
    const out = Buffer.allocUnsafe(this.#explicit + plaintext.length + TAG_LENGTH);
    nonce.copy(out, 0, 12 - this.#explicit);
    const aad = this.#tls12Aad(seq, contentType, plaintext.length);
    this.#sealInto(out, this.#explicit, seq, aad, [plaintext], nonce);
    return out;
  }

  /** Seals `parts` with record `seq`'s nonce into `out` at `at`: ciphertext, then tag. */
  #sealInto(out, at, seq, aad, parts, nonce = this.#nonce(seq)) {
    const cipher = nodeCrypto.createCipheriv(this.#algorithm, this.#key, nonce, { authTagLength: TAG_LENGTH });
    const length = parts.reduce((sum, part) => sum + part.length, 0);
    cipher.setAAD(aad, { plaintextLength: length });
    for (const part of parts) at += cipher.update(part).copy(out, at);
    cipher.final();
    cipher.getAuthTag().copy(out, at);
  }

  /** Opens record `seq`'s payload: the plaintext, or undefined when it does not authenticate. */
  #openAt(seq, contentType, payload) {
    if (payload.length < this.#explicit + TAG_LENGTH) return undefined;
    const sealed = payload.subarray(this.#explicit);
    const length = sealed.length - TAG_LENGTH;
    let nonce;
    let aad;
    if (this.version === 'tls13') {
      nonce = this.#nonce(seq);
      aad = tls13Header(sealed.length);
    } else {
      nonce = this.#explicit ? Buffer.concat([this.#iv.subarray(0, 4), payload.subarray(0, 8)]) : this.#nonce(seq);
      aad = this.#tls12Aad(seq, contentType, length);
    }
    try {
      const decipher = nodeCrypto.createDecipheriv(this.#algorithm, this.#key, nonce, { authTagLength: TAG_LENGTH });
      decipher.setAAD(aad, { plaintextLength: length });
      decipher.setAuthTag(sealed.subarray(length));
      const plain = decipher.update(sealed.subarray(0, length));
      decipher.final();
      return plain;
    } catch {
      return undefined;
    }
  }

  /** The guest's open: the next record's plaintext (TLS 1.3: inner plaintext, type and padding). */
  open(contentType, payload) {
    if (this.direction !== 'read') return undefined;
    return this.#openAt(this.seq++, contentType, payload);
  }

  /**
   * Opens a whole received record (header and payload) here when it is
   * application data that needs nothing of the guest: its plaintext, with the
   * sequence number counted. Anything else (another inner type, an empty or
   * oversized record, one that does not open) gives undefined, counts nothing,
   * and is the guest's to judge.
   */
  openApplicationData(record) {
    if (record[0] !== APPLICATION_DATA) return undefined;
    const plain = this.#openAt(this.seq, APPLICATION_DATA, record.subarray(HEADER_LENGTH));
    if (!plain) return undefined;
    let end = plain.length;
    if (this.version === 'tls13') {
      while (end > 0 && plain[end - 1] === 0) end -= 1;
      if (end === 0 || plain[end - 1] !== APPLICATION_DATA) return undefined;
      end -= 1;
    }
    if (end === 0 || end > MAX_PLAINTEXT) return undefined;
    this.seq += 1;
    recordsHere.opened += 1;
    return plain.subarray(0, end);
  }

  /** Whether this key may seal one more record before the suite's limit says change it. */
  get mustChange() {
    const limit = sealLimitOverride ?? SEAL_LIMITS[this.#algorithm];
    return this.seq + 1 >= limit;
  }

  /**
   * TLS 1.3 application data as records of at most `fragment` bytes of
   * plaintext each, appended to `wire` as the buffers to write in order
   * (header, ciphertext, then the sealed inner type with the tag): the
   * ciphertext node:crypto made is sent as it is, not copied into a record.
   */
  sealRecords(plaintext, fragment, wire) {
    for (let start = 0; start < plaintext.length; start += fragment) {
      const piece = plaintext.subarray(start, start + fragment);
      const header = tls13Header(piece.length + 1 + TAG_LENGTH);
      const cipher = nodeCrypto.createCipheriv(this.#algorithm, this.#key, this.#nonce(this.seq++), {
        authTagLength: TAG_LENGTH,
      });
      cipher.setAAD(header, { plaintextLength: piece.length + 1 });
      const body = cipher.update(piece);
      const type = cipher.update(INNER_APPLICATION_DATA);
      cipher.final();
      wire.push(header, body, Buffer.concat([type, cipher.getAuthTag()]));
      recordsHere.sealed += 1;
    }
  }
}

const INNER_APPLICATION_DATA = Buffer.of(APPLICATION_DATA);

/** `key` as a node:crypto KeyObject, or the bytes themselves where the runtime cannot make one. */
function secretKey(key) {
  try {
    return nodeCrypto.createSecretKey(key);
  } catch {
    return key;
  }
}

/** A TLS 1.3 record header (and additional data) for a payload of `length` bytes. */
function tls13Header(length) {
  const header = Buffer.allocUnsafe(HEADER_LENGTH);
  header[0] = APPLICATION_DATA;
  header[1] = 3;
  header[2] = 3;
  header.writeUInt16BE(length, 3);
  return header;
}

/**
 * One connection's record layer: the keys its guest handed over, and the
 * received bytes, cut into records so that each goes whole either to the
 * guest or through `openApplicationData`.
 */
export class RecordLayer {
  /** The newest key of each direction the guest handed to the host. */
  #write;
  #read;
  #queue = [];
  #queued = 0;
  /** False once a header made no sense: from there on every byte is the guest's to refuse. */
  #framing = true;

  /** Runs a call into the guest, during which the keys it hands to the host are this connection's. */
  during(guestCall) {
    const outer = calling;
    calling = this;
    try {
      return guestCall();
    } finally {
      calling = outer;
    }
  }

  /** A key the guest handed over while working for this connection. */
  adopt(key) {
    if (key.direction === 'write') this.#write = key;
    else this.#read = key;
  }

  /** Bytes received from the server, to be handed on by `next`. */
  receive(chunk) {
    if (chunk.length === 0) return;
    if (!Buffer.isBuffer(chunk)) chunk = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.#queue.push(chunk);
    this.#queued += chunk.length;
  }

  /**
   * What to do with the received bytes next: `{plaintext}` opened here,
   * `{bytes}` for the guest's `feed`, or undefined until more arrive. With
   * `direct` false (the handshake) every complete record goes to the guest at
   * once; with it true, application data opens here record by record, and the
   * key the guest may have changed in between is used for the next.
   */
  next(direct) {
    if (this.#queued === 0) return undefined;
    if (!this.#framing) return { bytes: this.#take(this.#queued) };
    const first = this.#headerAt(0);
    if (first === undefined) return undefined;
    if (first === null) {
      this.#framing = false;
      return { bytes: this.#take(this.#queued) };
    }
    if (this.#queued < HEADER_LENGTH + first.length) return undefined;
    if (direct && first.type === APPLICATION_DATA && this.#read) {
      const record = this.#take(HEADER_LENGTH + first.length);
      const plaintext = this.#read.openApplicationData(record);
      return plaintext ? { plaintext } : { bytes: record };
    }
    if (direct) return { bytes: this.#take(HEADER_LENGTH + first.length) };
    // The handshake: every complete record in one call, as the guest reads a batch.
    let total = HEADER_LENGTH + first.length;
    for (;;) {
      const header = this.#headerAt(total);
      if (!header || this.#queued < total + HEADER_LENGTH + header.length) break;
      total += HEADER_LENGTH + header.length;
    }
    return { bytes: this.#take(total) };
  }

  /** Whatever is left (an incomplete record): the guest's, when the transport ends. */
  rest() {
    return this.#queued > 0 ? this.#take(this.#queued) : undefined;
  }

  /**
   * The write key, when application data may be sealed here: TLS 1.3 only,
   * since a TLS 1.2 key at its limit must close the connection, which rustls
   * does for the records it seals itself.
   */
  get writeKey() {
    return this.#write?.version === 'tls13' ? this.#write : undefined;
  }

  /** The header at `offset` of the queue: undefined while incomplete, null when it is no TLS record header. */
  #headerAt(offset) {
    if (this.#queued < offset + HEADER_LENGTH) return undefined;
    const header = this.#peek(offset, HEADER_LENGTH);
    const type = header[0];
    const length = header.readUInt16BE(3);
    if (type < FIRST_TYPE || type > LAST_TYPE || header[1] !== 3 || length > MAX_PAYLOAD) return null;
    return { type, length };
  }

  /** `length` bytes at `offset` of the queue, copied only when they span chunks. */
  #peek(offset, length) {
    let index = 0;
    while (offset >= this.#queue[index].length) offset -= this.#queue[index++].length;
    const chunk = this.#queue[index];
    if (offset + length <= chunk.length) return chunk.subarray(offset, offset + length);
    const out = Buffer.allocUnsafe(length);
    let filled = 0;
    for (let at = offset; filled < length; index += 1, at = 0) {
      filled += this.#queue[index].copy(out, filled, at, Math.min(this.#queue[index].length, at + length - filled));
    }
    return out;
  }

  /** Takes `length` bytes off the front of the queue: a view when one chunk holds them. */
  #take(length) {
    const out = this.#peek(0, length);
    this.#queued -= length;
    let left = length;
    while (left > 0) {
      const chunk = this.#queue[0];
      if (chunk.length <= left) {
        left -= chunk.length;
        this.#queue.shift();
      } else {
        this.#queue[0] = chunk.subarray(left);
        left = 0;
      }
    }
    return out;
  }
}
