//! The `types` import: records, variants and enums only, no functions, so it
//! needs no state and any store can link it. Its `connect-options` names
//! `transport`'s `duplex`, which is why the component imports it at all.

use wasmtime::component::{HasData, Linker};

use crate::bindings::tls_connect::tls_connect::types;
use crate::ConnectOptions;

/// Adds the `types` import to `linker`.
pub fn add_to_linker<T: 'static>(linker: &mut Linker<T>) -> wasmtime::Result<()> {
    types::add_to_linker::<T, TypesOnly>(linker, |_| TypesOnly)
}

/// The view `types` is served on: there is nothing to serve.
struct TypesOnly;

impl HasData for TypesOnly {
    type Data<'a> = TypesOnly;
}

impl types::Host for TypesOnly {}

/// Nothing set, so every Node default applies; struct literals start from it
/// (`..Default::default()`), so a new WIT option is added here once. Written
/// out because wasmtime's `bindgen!` derives only for every type at once, and
/// the WIT variants and enums (`pem`, `alpn-protocols`, `identity-check`,
/// `socket-event`) have no default.
impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            host: None,
            port: None,
            path: None,
            socket: None,
            servername: None,
            reject_unauthorized: None,
            ca: None,
            crl: None,
            cert: None,
            key: None,
            passphrase: None,
            ciphers: None,
            min_version: None,
            max_version: None,
            alpn_protocols: None,
            allow_half_open: None,
            pfx: None,
            ecdh_curve: None,
            sigalgs: None,
            secure_protocol: None,
            secure_options: None,
            allow_partial_trust_chain: None,
            certificate_compression: None,
            request_ocsp: None,
            enable_trace: None,
            min_dh_size: None,
            session: None,
            identity_check: None,
            net: None,
        }
    }
}
