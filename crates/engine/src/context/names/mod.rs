//! Name tables: protocol versions and methods, cipher suites, key-exchange
//! groups and signature algorithms under the names Node and OpenSSL use, mapped
//! to what rustls offers.

mod ciphers;
mod groups;
mod sigalgs;
mod versions;

pub(crate) use ciphers::{
    cipher_names, default_cipher_list, select_suites, supported_cipher_names,
};
pub(crate) use groups::{ecdh_curve_failed, ecdh_groups, no_suitable_groups, AUTO_ECDH_CURVE};
pub(crate) use sigalgs::{sigalg_schemes, sigalgs_failed};
pub(crate) use versions::{
    disabling_bit, protocol_method, protocol_name, Version, DEFAULT_MAX_VERSION,
    DEFAULT_MIN_VERSION, SSL_OP_NO_TICKET,
};

/// Trims OpenSSL's whitespace (C's `isspace`) around one item of a
/// colon-separated list: OpenSSL's list parser takes `'X25519 : P-256'`.
fn trim_openssl_space(item: &str) -> &str {
    item.trim_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r'])
}

/// The items of an OpenSSL colon-separated list, each trimmed; `None` when an
/// item is empty, as OpenSSL refuses `''`, `'a:'` and `'a::b'`.
fn openssl_list(list: &str) -> Option<Vec<&str>> {
    list.split(':')
        .map(trim_openssl_space)
        .map(|item| (!item.is_empty()).then_some(item))
        .collect()
}

#[cfg(test)]
mod tests;
