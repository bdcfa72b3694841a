//! Fuzz target `certinfo`: see `tls_connect_fuzz::certinfo_input`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tls_connect_fuzz::certinfo_input::run(data));
