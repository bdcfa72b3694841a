//! Every committed seed through its harness, without libFuzzer: the seeds stay
//! valid inputs and the harnesses stay green on them under plain `cargo test`.

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus directory") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("seed");
        run(&bytes);
        count += 1;
    }
    assert!(count > 0, "no seeds in {}", dir.display());
}

#[test]
fn server_bytes_seeds_replay() {
    replay("server_bytes", |bytes| {
        let _ = tls_connect_fuzz::server_bytes::run(bytes);
    });
}

#[test]
fn options_seeds_replay() {
    replay("options", tls_connect_fuzz::options_input::run);
}

#[test]
fn certinfo_seeds_replay() {
    replay("certinfo", tls_connect_fuzz::certinfo_input::run);
}

#[test]
fn chain_seeds_replay() {
    replay("chain", tls_connect_fuzz::chain_input::run);
}

#[test]
fn pfx_seeds_replay() {
    replay("pfx", tls_connect_fuzz::pfx_input::run);
}
