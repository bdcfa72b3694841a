//! Fuzz harnesses for the tls-connect engine. Each target in `fuzz_targets/` is a
//! thin wrapper over one module here, so that the seed generator
//! (`examples/seeds.rs`) and the replay test (`tests/replay.rs`) share the input
//! formats with the fuzzer.
//!
//! The rule every harness checks: hostile input ends in a [`TlsError`] with a
//! Node code, never a panic (in the wasm guest a panic is a trap that takes
//! every socket of the instance with it).

use tls_connect_engine::{check_server_identity, Connection, TlsError};

pub mod certinfo_input;
pub mod chain_input;
pub mod options_input;
pub mod peer;
pub mod pfx_input;
pub mod pki;
pub mod prefixed;
pub mod records;
pub mod replay;
pub mod server_bytes;
pub mod tls13;
pub mod universe;

/// Asserts that an error has Node's shape: a code of capitals, digits and
/// underscores (`ECONNRESET`, `ERR_SSL_WRONG_VERSION_NUMBER`,
/// `CERT_HAS_EXPIRED`), and a message. Node passes some OpenSSL errors on
/// without a code: the message is then OpenSSL's, a reason string ("mac verify
/// failure", from `pfx`) or a whole error line ("error:00000000:lib(0)::reason(0)").
pub fn check_error(err: &TlsError) {
    let openssl_reason = !err.message.is_empty()
        && err
            .message
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' ');
    let reason_only = err.code.is_empty() && (openssl_reason || err.message.starts_with("error:"));
    let code_ok = reason_only
        || !err.code.is_empty()
            && err
                .code
                .bytes()
                // Node 26 names alerts `ERR_SSL_SSL/TLS_ALERT_...`.
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_' || b == b'/');
    assert!(code_ok, "not a Node error code: {err:?}");
    assert!(
        !err.message.is_empty(),
        "an error without a message: {err:?}"
    );
}

/// Calls every getter and late operation a host may call on a connection in any
/// state, then destroys it and checks that it stays destroyed.
pub fn exercise(conn: &mut Connection) {
    let _ = (conn.protocol(), conn.cipher(), conn.alpn_protocol());
    let _ = (conn.servername(), conn.is_secure(), conn.peer_ended());
    if conn.authorized() {
        assert_eq!(conn.authorization_error(), None);
    }
    for cert in conn.peer_certificates(true).unwrap_or_default() {
        if let Err(err) = check_server_identity("localhost", &cert) {
            check_error(&err);
        }
    }
    for result in [conn.write(b"late"), conn.end()] {
        if let Err(err) = result {
            check_error(&err);
        }
    }
    let _ = (conn.take_outgoing(), conn.wants_write_end());
    conn.destroy();
    let err = conn
        .feed(b"x")
        .expect_err("a destroyed connection takes nothing");
    assert_eq!(err.code, "ERR_SOCKET_CLOSED");
    assert_eq!(conn.peer_certificates(false), None);
}
