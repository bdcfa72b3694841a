//! Fuzz target `options`: see `tls_connect_fuzz::options_input`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tls_connect_fuzz::options_input::run(data));
