// Browser stand-in for node:crypto, used only by host-crypto.js: a page has no
// synchronous AEAD or signature check, so every offer is declined and the guest
// does the work itself.

/** Always throws: there is no synchronous cipher here. */
export function createCipheriv() {
  throw new Error('no synchronous AEAD in a browser');
}

/** Always throws: there is no synchronous cipher here. */
export function createDecipheriv() {
  throw new Error('no synchronous AEAD in a browser');
}

/** Always throws: there is no synchronous key import here. */
export function createPublicKey() {
  throw new Error('no synchronous crypto in a browser');
}

/** Always throws: there is no synchronous signature check here. */
export function verify() {
  throw new Error('no synchronous crypto in a browser');
}
