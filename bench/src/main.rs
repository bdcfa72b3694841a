//! tls-bench: the Rust clients of the benchmark (`make bench`, driven by
//! `bench/run.mjs`). Each subcommand does one measurement against a TLS echo
//! server on 127.0.0.1 and prints its raw figures as one JSON line.
//!
//! Clients: `wasm`, the component in wasmtime (host-example's sans-IO calls), and
//! `native`, the same engine compiled natively (`tls_connect_engine::Connection`). Both
//! run through one loop ([`driver`]) over a small trait ([`engine::Engine`]).

mod args;
mod cpu;
mod driver;
mod engine;
mod native;
mod wasm;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use serde_json::json;
use test_pki::DemoPki;

use crate::args::{Args, USAGE};
use crate::engine::Engine;
use crate::native::NativeEngine;
use crate::wasm::WasmEngine;

fn main() -> ExitCode {
    let result =
        Args::parse(std::env::args().skip(1)).and_then(|args| match args.command.as_str() {
            "pki" => pki(&args),
            "handshakes" => handshakes(&args),
            "bulk" => bulk(&args),
            "memory" => memory(&args),
            "startup" => startup(&args),
            other => Err(format!("unknown subcommand {other}\n{USAGE}")),
        });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("tls-bench: {msg}");
            ExitCode::FAILURE
        }
    }
}

/// A fresh CA and a server certificate for 127.0.0.1 and localhost, as PEM files.
fn pki(args: &Args) -> Result<(), String> {
    let dir = PathBuf::from(args.required("--out")?);
    let pki = DemoPki::generate();
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text)
            .map_err(|e| format!("{}: {e}", dir.join(name).display()))
    };
    write("ca.pem", &pki.ca_pem)?;
    write("server-cert.pem", &pki.server.cert_pem)?;
    write("server-key.pem", &pki.server.key_pem)?;
    print_line(json!({ "kind": "pki", "dir": dir }));
    Ok(())
}

/// A measurement that runs on either Rust client.
trait Measure {
    fn run<E: Engine>(self, engine: &mut E) -> Result<driver::Sample, String>;
}

/// Runs `measure` on the client `--client` names, after one untimed connection
/// (which warms the engine and, when resuming, brings the first session ticket).
/// Also returns what the client reports of itself (for the component: who sealed
/// the records).
fn on_client(
    args: &Args,
    resume: bool,
    measure: impl Measure,
) -> Result<(driver::Sample, serde_json::Value), String> {
    let ca_pem = args.ca_pem()?;
    let port = args.port()?;
    match args.required("--client")? {
        "wasm" => {
            let mut engine = WasmEngine::new(
                args.instance()?,
                &ca_pem,
                args.cipher(),
                args.ecdh_curve(),
                resume,
            );
            let sample = warm_then(&mut engine, port, measure)?;
            let about = json!({
                "aead": args.aead()?.0,
                "keysTaken": engine.instance().host_crypto_counts().keys_taken,
            });
            Ok((sample, about))
        }
        "native" => {
            let mut engine = NativeEngine::new(&ca_pem, args.cipher(), args.ecdh_curve(), resume)?;
            Ok((warm_then(&mut engine, port, measure)?, json!({})))
        }
        other => Err(format!("--client: unknown client {other} (wasm or native)")),
    }
}

fn warm_then<E: Engine>(
    engine: &mut E,
    port: u16,
    measure: impl Measure,
) -> Result<driver::Sample, String> {
    let open = driver::connect(engine, port)?;
    driver::close(engine, open)?;
    measure.run(engine)
}

/// Merges a client's report about itself into a result line.
fn with_about(mut line: serde_json::Value, about: serde_json::Value) -> serde_json::Value {
    if let (Some(line), serde_json::Value::Object(about)) = (line.as_object_mut(), about) {
        line.extend(about);
    }
    line
}

/// Sequential connections, each a full (or resumed) handshake plus a one-byte echo.
fn handshakes(args: &Args) -> Result<(), String> {
    struct Handshakes {
        port: u16,
        count: usize,
        limit: Duration,
    }
    impl Measure for Handshakes {
        fn run<E: Engine>(self, engine: &mut E) -> Result<driver::Sample, String> {
            driver::handshakes(engine, self.port, self.count, self.limit)
        }
    }
    let count = args.number("--count", 200)?;
    let resume = args.flag("--resume");
    let (sample, about) = on_client(
        args,
        resume,
        Handshakes {
            port: args.port()?,
            count,
            limit: args.limit()?,
        },
    )?;
    print_line(with_about(
        json!({
            "kind": "handshakes",
            "client": args.required("--client")?,
            "resume": resume,
            "cipher": args.cipher(),
            "count": count,
            "seconds": sample.seconds,
            "cpuSeconds": sample.cpu_seconds,
        }),
        about,
    ));
    Ok(())
}

/// One connection echoing `--bytes` in writes of `--chunk`.
fn bulk(args: &Args) -> Result<(), String> {
    struct Bulk {
        port: u16,
        bytes: usize,
        chunk: usize,
        limit: Duration,
    }
    impl Measure for Bulk {
        fn run<E: Engine>(self, engine: &mut E) -> Result<driver::Sample, String> {
            driver::bulk(engine, self.port, self.bytes, self.chunk, self.limit)
        }
    }
    let bytes = args.number("--bytes", 64 << 20)?;
    let chunk = args.number("--chunk", 16 << 10)?;
    if chunk == 0 {
        return Err("--chunk must be positive".into());
    }
    let (sample, about) = on_client(
        args,
        false,
        Bulk {
            port: args.port()?,
            bytes,
            chunk,
            limit: args.limit()?,
        },
    )?;
    print_line(with_about(
        json!({
            "kind": "bulk",
            "client": args.required("--client")?,
            "cipher": args.cipher(),
            "bytes": bytes,
            "chunk": chunk,
            "seconds": sample.seconds,
            "cpuSeconds": sample.cpu_seconds,
        }),
        about,
    ));
    Ok(())
}

/// The guest's linear memory in one instance before and after `--connections`
/// idle connections (handshake and one-byte echo done, held open).
fn memory(args: &Args) -> Result<(), String> {
    let connections = args.number("--connections", 100)?;
    let port = args.port()?;
    let limit = args.limit()?;
    let mut engine = WasmEngine::new(
        args.instance()?,
        &args.ca_pem()?,
        args.cipher(),
        args.ecdh_curve(),
        false,
    );
    let after_instantiate = engine.instance().guest_memory_bytes();
    // One connection first, so one-time allocations are not charged to the hundred.
    let warm = driver::connect(&mut engine, port)?;
    driver::close(&mut engine, warm)?;
    let before = engine.instance().guest_memory_bytes();
    let start = Instant::now();
    let mut open = Vec::with_capacity(connections);
    for i in 0..connections {
        if start.elapsed() > limit {
            return Err(format!(
                "only {i} of {connections} connections within {limit:?}"
            ));
        }
        open.push(driver::connect(&mut engine, port)?);
    }
    let after = engine.instance().guest_memory_bytes();
    for conn in open {
        driver::close(&mut engine, conn)?;
    }
    print_line(json!({
        "kind": "memory",
        "client": "wasm",
        "aead": args.aead()?.0,
        "connections": connections,
        "afterInstantiate": after_instantiate,
        "before": before,
        "after": after,
    }));
    Ok(())
}

/// Loading the component from its `.cwasm` plus instantiating it, `--runs` times
/// in this process; the first run is the cold one a fresh host process pays.
fn startup(args: &Args) -> Result<(), String> {
    let runs = args.number("--runs", 1usize)?;
    let (mut load, mut instantiate) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let t0 = Instant::now();
        let component = args.component()?;
        let t1 = Instant::now();
        let instance = component
            .instantiate()
            .map_err(|e| format!("instantiate: {e:#}"))?;
        let t2 = Instant::now();
        drop(instance);
        load.push((t1 - t0).as_secs_f64());
        instantiate.push((t2 - t1).as_secs_f64());
    }
    print_line(json!({
        "kind": "startup",
        "client": "wasm",
        "loadSeconds": load,
        "instantiateSeconds": instantiate,
    }));
    Ok(())
}

fn print_line(value: serde_json::Value) {
    println!("{value}");
}
