//! Fuzz target `chain`: see `tls_connect_fuzz::chain_input`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tls_connect_fuzz::chain_input::run(data));
