// Types for tls-connect/websocket: a WebSocket as the byte stream under `connect({ socket })`.
import type { Duplex, DuplexOptions } from 'node:stream';

/** The text message that half-closes: its sender has no more bytes to send. */
export const END_MESSAGE: 'end';

/** What `webSocketDuplex` accepts besides Duplex options. */
export interface WebSocketDuplexOptions extends DuplexOptions {
  /** The constructor used for a URL; default the global WebSocket. */
  WebSocket?: new (url: string) => unknown;
  /** Default true: `end()` sends the "end" message; false: `end()` closes the WebSocket. */
  halfClose?: boolean;
}

/**
 * A Duplex carrying bytes over a WebSocket (a ws:// or wss:// URL, or a WebSocket
 * already constructed: the browser's, Deno's, Node 22+'s, or the `ws` package's).
 */
export function webSocketDuplex(target: string | URL | object, options?: WebSocketDuplexOptions): Duplex;
