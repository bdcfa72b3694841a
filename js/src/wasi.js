// The WASI 0.2 imports the component needs, for every JavaScript host (Node,
// Deno, browsers) with no file system, network or environment: clocks, random
// bytes, and stderr for a guest's panic message. The guest does its own I/O
// through the host's transport, so nothing else is given to it.

/** A WASI `error` resource: only its debug string is ever read. */
class IoError {
  constructor(message) {
    this.message = message;
  }
  toDebugString() {
    return this.message;
  }
}

/** A pollable that is always ready: no stream here ever waits. */
class Pollable {
  ready() {
    return true;
  }
  block() {}
}

/** stdin: always at its end. */
class InputStream {
  read() {
    throw { tag: 'closed' };
  }
  blockingRead() {
    throw { tag: 'closed' };
  }
  skip() {
    throw { tag: 'closed' };
  }
  blockingSkip() {
    throw { tag: 'closed' };
  }
  subscribe() {
    return new Pollable();
  }
}

/** stdout and stderr: lines go to the console; stdout is discarded (the guest never prints). */
class OutputStream {
  constructor(sink) {
    this.sink = sink;
    this.pending = '';
    this.decoder = new TextDecoder();
  }
  checkWrite() {
    return 1n << 20n;
  }
  write(bytes) {
    if (!this.sink) return;
    this.pending += this.decoder.decode(bytes, { stream: true });
    const lines = this.pending.split('\n');
    this.pending = lines.pop();
    for (const line of lines) this.sink(line);
  }
  blockingWriteAndFlush(bytes) {
    this.write(bytes);
  }
  flush() {}
  blockingFlush() {}
  subscribe() {
    return new Pollable();
  }
}

class TerminalInput {}
class TerminalOutput {}

const stdin = new InputStream();
const stdout = new OutputStream(null);
const stderr = new OutputStream((line) => console.error(`[tls-connect guest] ${line}`));

/** Cryptographic random bytes; getRandomValues fills at most 64 KiB a call. */
function randomBytes(length) {
  const bytes = new Uint8Array(Number(length));
  for (let at = 0; at < bytes.length; at += 65536) {
    globalThis.crypto.getRandomValues(bytes.subarray(at, at + 65536));
  }
  return bytes;
}

const start = Date.now();

/** The import object for `instantiate`, keyed as the transpiled component asks. */
export const wasiImports = {
  'wasi:cli/environment': { getEnvironment: () => [] },
  'wasi:cli/exit': {
    exit: (status) => {
      throw new Error(`the tls-connect guest exited (${JSON.stringify(status)})`);
    },
  },
  'wasi:cli/stdin': { getStdin: () => stdin },
  'wasi:cli/stdout': { getStdout: () => stdout },
  'wasi:cli/stderr': { getStderr: () => stderr },
  'wasi:cli/terminal-input': { TerminalInput },
  'wasi:cli/terminal-output': { TerminalOutput },
  'wasi:cli/terminal-stdin': { getTerminalStdin: () => undefined },
  'wasi:cli/terminal-stdout': { getTerminalStdout: () => undefined },
  'wasi:cli/terminal-stderr': { getTerminalStderr: () => undefined },
  'wasi:clocks/monotonic-clock': {
    // Nanoseconds; performance.now() is monotonic where it exists.
    now: () =>
      BigInt(Math.round((globalThis.performance ? performance.now() : Date.now() - start) * 1e6)),
  },
  'wasi:clocks/wall-clock': {
    now: () => {
      const ms = Date.now();
      return { seconds: BigInt(Math.floor(ms / 1000)), nanoseconds: (ms % 1000) * 1e6 };
    },
  },
  'wasi:io/error': { Error: IoError },
  'wasi:io/poll': { Pollable },
  'wasi:io/streams': { InputStream, OutputStream },
  'wasi:random/random': { getRandomBytes: randomBytes },
  'wasi:random/insecure-seed': {
    insecureSeed: () => {
      const [a, b] = new BigUint64Array(randomBytes(16).buffer);
      return [a, b];
    },
  },
};
