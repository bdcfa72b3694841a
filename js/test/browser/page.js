// The browser test page: loads the bundle (dist/browser/) as any page would and
// offers `window.echoOnce(options)` for the test to call. `window.__ready` says
// the bundle, and the component inside it, loaded; `window.__loadError` says why not.

/** How long one echo may take before the page gives up on it. */
const ECHO_TIMEOUT_MS = 20_000;

/** A plain copy of an Error, since page.evaluate returns only JSON-like values. */
function describe(error) {
  return { name: error?.name, code: error?.code, message: error?.message ?? String(error) };
}

/** The text of byte chunks, decoded as one (a character may span two chunks). */
function decodeAll(chunks) {
  const decoder = new TextDecoder();
  return chunks.map((chunk) => decoder.decode(chunk, { stream: true })).join('') + decoder.decode();
}

/**
 * Connects through the bridge at `url` with `connectOptions` (`ca` and so on),
 * sends `message`, ends, and collects the echo until the socket closes.
 * Resolves to `{echoed, authorized, authorizationError, protocol, alpnProtocol}`
 * or `{error: {name, code, message}}`; it never rejects.
 */
async function echoOnce({ url, message, connectOptions }) {
  const { connect } = await import('../../dist/browser/tls-connect.js');
  const { webSocketDuplex } = await import('../../dist/browser/websocket.js');
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ error: { code: 'TIMEOUT', message: `no close within ${ECHO_TIMEOUT_MS} ms` } }), ECHO_TIMEOUT_MS);
    const finish = (result) => {
      clearTimeout(timer);
      resolve(result);
    };
    let socket;
    try {
      socket = connect({ ...connectOptions, socket: webSocketDuplex(url) });
    } catch (error) {
      finish({ error: describe(error) });
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
    socket.on('error', (error) => finish({ error: describe(error) }));
    socket.on('close', (hadError) => {
      if (!hadError) finish({ ...info, echoed: decodeAll(received) });
    });
  });
}

/** What connect() without `socket` does here: it has no TCP to fall back on. */
async function connectWithoutSocket() {
  const { connect } = await import('../../dist/browser/tls-connect.js');
  try {
    connect({ host: 'localhost', port: 443 });
    return { error: null };
  } catch (error) {
    return { error: describe(error) };
  }
}

window.echoOnce = echoOnce;
window.connectWithoutSocket = connectWithoutSocket;
// Loading the bundle instantiates the component (top-level await): ready means it worked.
import('../../dist/browser/tls-connect.js').then(
  () => {
    window.__ready = true;
  },
  (error) => {
    window.__loadError = describe(error);
    console.error('tls-connect bundle failed to load:', error);
  },
);
