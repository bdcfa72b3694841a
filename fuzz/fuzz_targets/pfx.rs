//! Fuzz target `pfx`: see `tls_connect_fuzz::pfx_input`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tls_connect_fuzz::pfx_input::run(data));
