// The browser test page: loads the bundle (dist/browser/) as any page would and
// offers `window.echoOnce(options)` for the test to call. `window.__ready` says
// the bundle, and the component inside it, loaded; `window.__loadError` says why not.

import { describeError as describe, echoOnce } from '../support/echo-once.js';

/**
 * Connects through the bridge at `url` with `connectOptions` (`ca` and so on),
 * sends `message`, ends, and collects the echo (see echo-once.js).
 */
async function echoThroughBridge({ url, message, connectOptions }) {
  const { connect } = await import('../../dist/browser/tls-connect.js');
  const { webSocketDuplex } = await import('../../dist/browser/websocket.js');
  return echoOnce((options) => connect({ ...options, socket: webSocketDuplex(url) }), connectOptions, message);
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

window.echoOnce = echoThroughBridge;
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
