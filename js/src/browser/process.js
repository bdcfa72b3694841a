// The `process` readable-stream asks for in the browser bundle: just what it
// reads. The npm `process` package defers nextTick with setTimeout, which
// browsers clamp to 4 ms once nested; a microtask keeps stream events as
// prompt as Node's. `versions` has no `node`, so nothing mistakes a page for Node.

/** Runs `callback(...args)` after the current task, before any timer or I/O. */
export function nextTick(callback, ...args) {
  queueMicrotask(() => callback(...args));
}

/** An empty environment: no variable is set in a page. */
export const env = {};
export const version = '';
export const versions = {};
export const browser = true;

export default { nextTick, env, version, versions, browser };
