// One echo through a TLS client, shared by the Node-side tests and the browser
// test page: it uses nothing but the socket's own API, so it runs in both.

/** How long one echo may take before it is given up. */
const ECHO_TIMEOUT_MS = 20_000;

/** A plain copy of an Error: the browser page can return only JSON-like values. */
export function describeError(error) {
  return { name: error?.name, code: error?.code, message: error?.message ?? String(error) };
}

/** The text of byte chunks, decoded as one (a character may span two chunks). */
function decodeAll(chunks) {
  const decoder = new TextDecoder();
  return chunks.map((chunk) => decoder.decode(chunk, { stream: true })).join('') + decoder.decode();
}

/**
 * Sends `message` over a TLS socket made by `connect(options)` (ours or Node's),
 * ends, and collects the echo until the socket closes. Resolves to `{echoed,
 * authorized, authorizationError, protocol, alpnProtocol}`, or to `{error:
 * {name, code, message}}` when the connection failed; it never rejects.
 */
export function echoOnce(connect, options, message) {
  return new Promise((resolve) => {
    const timer = setTimeout(
      () => resolve({ error: { code: 'TIMEOUT', message: `no close within ${ECHO_TIMEOUT_MS} ms` } }),
      ECHO_TIMEOUT_MS,
    );
    const finish = (result) => {
      clearTimeout(timer);
      resolve(result);
    };
    let socket;
    try {
      socket = connect(options);
    } catch (error) {
      finish({ error: describeError(error) });
      return;
    }
    const received = [];
    let info = {};
    socket.on('secureConnect', () => {
      info = {
        authorized: socket.authorized,
        authorizationError: socket.authorizationError ?? null,
        protocol: socket.getProtocol(),
        alpnProtocol: socket.alpnProtocol,
      };
      socket.end(message);
    });
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', (error) => finish({ error: describeError(error) }));
    socket.on('close', (hadError) => {
      if (!hadError) finish({ ...info, echoed: decodeAll(received) });
    });
  });
}
