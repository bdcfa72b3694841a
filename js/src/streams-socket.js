// A socket made of two web streams, as a stream.Duplex the TLSSocket can drive:
// what Cloudflare's `connect()` from `cloudflare:sockets` returns (`readable`,
// `writable`, `opened`, `closed`, `close()`), and any other `{readable,
// writable}` pair of byte streams. Passed as `connect({ socket })`, it is
// upgraded to TLS where it stands: after a protocol's own plaintext exchange
// (STARTTLS, Postgres's SSLRequest), as Node's `socket` option does for a
// net.Socket.

import { Buffer } from 'node:buffer';
import { Duplex } from 'node:stream';

/** True for an object with a ReadableStream `readable` and a WritableStream `writable`. */
export function isStreamsSocket(value) {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof value.readable?.getReader === 'function' &&
    typeof value.writable?.getWriter === 'function'
  );
}

/** "127.0.0.1:5432" or "[::1]:5432" (a Workers SocketInfo address) as an address and a port. */
function splitAddress(text) {
  if (typeof text !== 'string') return {};
  const match = /^\[?([^\]]*?)\]?:(\d+)$/.exec(text);
  return match ? { address: match[1], port: Number(match[2]) } : { address: text };
}

/**
 * Wraps `socket` (see isStreamsSocket) as a Duplex: its readable side read as
 * the Duplex is read (so backpressure reaches the stream), writes handed to
 * the writable side one at a time, `end()` closing it (a TCP half-close for a
 * Workers socket), `destroy()` cancelling both and calling `socket.close()`.
 * `remoteAddress`/`remotePort`/`localAddress`/`localPort` are set once
 * `socket.opened` says them.
 */
export function streamsDuplex(socket) {
  let reader;
  let writer;
  try {
    reader = socket.readable.getReader();
    writer = socket.writable.getWriter();
  } catch (cause) {
    // A stream another reader or writer holds: the caller must release it first.
    reader?.releaseLock();
    throw new TypeError(`options.socket: its readable and writable must be unlocked (${cause.message})`, { cause });
  }
  let reading = false;

  const duplex = new Duplex({
    allowHalfOpen: true,
    read() {
      if (reading) return;
      reading = true;
      pump();
    },
    write(chunk, _encoding, callback) {
      writer.write(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)).then(() => callback(), callback);
    },
    final(callback) {
      writer.close().then(() => callback(), callback);
    },
    destroy(error, callback) {
      reader.cancel(error ?? undefined).catch(() => {});
      writer.abort(error ?? undefined).catch(() => {});
      try {
        const closing = socket.close?.();
        if (typeof closing?.catch === 'function') closing.catch(() => {});
      } catch {
        // Closed already: nothing left to release.
      }
      callback(error);
    },
  });

  /** Reads while the Duplex wants more; stops when its buffer is full, until the next read(). */
  function pump() {
    reader.read().then(
      ({ value, done }) => {
        if (duplex.destroyed) return;
        if (done) {
          reading = false;
          duplex.push(null);
          return;
        }
        const more = value.byteLength === 0 || duplex.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
        if (more) pump();
        else reading = false;
      },
      (error) => duplex.destroy(error),
    );
  }

  // What the socket knows of its addresses, as net.Socket's fields.
  Promise.resolve(socket.opened).then(
    (info) => {
      if (!info || duplex.destroyed) return;
      const remote = splitAddress(info.remoteAddress);
      const local = splitAddress(info.localAddress);
      duplex.remoteAddress = remote.address;
      duplex.remotePort = remote.port;
      duplex.localAddress = local.address;
      duplex.localPort = local.port;
    },
    (error) => duplex.destroy(error),
  );
  Promise.resolve(socket.closed).catch((error) => duplex.destroy(error));
  return duplex;
}
