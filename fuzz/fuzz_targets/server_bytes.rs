//! Fuzz target `server_bytes`: see `tls_connect_fuzz::server_bytes`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = tls_connect_fuzz::server_bytes::run(data);
});
