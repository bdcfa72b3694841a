//! Writes x509-limbo's test cases as seeds of the `chain` target
//! (`fuzz/corpus/chain/limbo-<id>`, replacing the earlier ones): each case's
//! trusted certificates, CRLs, peer certificate and intermediates at its
//! validation time, in the target's raw format. Cases of more than 40
//! certificates and CRLs, or over 12 KB, are left out (the pathological ones,
//! which `tests/bounds.rs` and the engine's bound tests make fresh instead).
//!
//! x509-limbo (C2SP/x509-limbo) is Apache-2.0 licensed: see
//! `fuzz/x509-limbo-LICENSE` and `fuzz/README.md`. The suite is not part of
//! this repository; give the path of its compiled `limbo.json`:
//!
//! `cargo +nightly run --release --example limbo_seeds -- path/to/limbo.json` from `fuzz/`.

use std::path::Path;

use serde_json::Value;
use tls_connect_fuzz::chain_input::Input;

/// The validation time of cases that give none: 2026-01-01.
const DEFAULT_TIME: u64 = 1_767_225_600;

/// Seconds since 1970 of an ISO 8601 time (`2024-03-01T00:00:00+00:00`),
/// read to the second, taken as UTC.
fn seconds(iso: &str) -> Option<u64> {
    let field = |range: std::ops::Range<usize>| iso.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (field(0..4)?, field(5..7)?, field(8..10)?);
    let (hour, minute, second) = (field(11..13)?, field(14..16)?, field(17..19)?);
    // Days from civil (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + hour * 3600 + minute * 60 + second).ok()
}

fn ders(value: &Value) -> Vec<Vec<u8>> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .flat_map(|text| pem::parse_many(text).unwrap_or_default())
        .map(pem::Pem::into_contents)
        .collect()
}

fn main() {
    let limbo = std::env::args()
        .nth(1)
        .expect("the path of x509-limbo's limbo.json");
    let suite: Value =
        serde_json::from_slice(&std::fs::read(&limbo).expect("limbo.json")).expect("JSON");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/chain");
    std::fs::create_dir_all(&dir).expect("corpus/chain");
    for entry in std::fs::read_dir(&dir).expect("corpus/chain").flatten() {
        if entry.file_name().to_string_lossy().starts_with("limbo-") {
            std::fs::remove_file(entry.path()).expect("old limbo seed");
        }
    }
    let (mut written, mut skipped) = (0, 0);
    for case in suite["testcases"].as_array().expect("testcases") {
        let id = case["id"].as_str().expect("id");
        let mut chain = ders(&Value::Array(vec![case["peer_certificate"].clone()]));
        chain.extend(ders(&case["untrusted_intermediates"]));
        let input = Input {
            partial: false,
            default_roots: false,
            now: case["validation_time"]
                .as_str()
                .and_then(seconds)
                .unwrap_or(DEFAULT_TIME),
            trusted: ders(&case["trusted_certs"]),
            crls: ders(&case["crls"]),
            chain,
        };
        let items = input.trusted.len() + input.crls.len() + input.chain.len();
        let size: usize = [&input.trusted, &input.crls, &input.chain]
            .iter()
            .flat_map(|list| list.iter())
            .map(|der| der.len() + 2)
            .sum();
        if items > 40 || input.trusted.len() > 31 || input.crls.len() > 7 || size > 12_000 {
            skipped += 1;
            continue;
        }
        let bytes = input.encode_raw();
        let name: String = id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        std::fs::write(dir.join(format!("limbo-{name}")), bytes).expect("seed");
        written += 1;
    }
    println!(
        "x509-limbo seeds: {written} written to {}, {skipped} left out",
        dir.display()
    );
}
