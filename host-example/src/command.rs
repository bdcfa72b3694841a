//! Running a command component (one that exports wasi:cli/run), such as a plugin
//! composed with tls-connect. It loads through [`crate::precompiled`]'s `.cwasm`
//! cache and gets the same store data and imports as [`crate::ClientComponent`],
//! so a composed plugin runs exactly as tls-connect does on its own.
//!
//! With [`Imports::WasiOnly`] the host offers WASI 0.2 and nothing else, as an
//! edge host would; networking then goes through wasi:sockets, which is closed
//! unless [`WasiTcp`] opens it.

use std::net::SocketAddr;
use std::path::Path;

use wasmtime::component::Component;
use wasmtime::{Engine, Result};
use wasmtime_wasi::p2::bindings::sync::Command;
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::sockets::SocketAddrUse;
use wasmtime_wasi::{I32Exit, WasiCtx, WasiCtxBuilder};

use crate::host_crypto::HostCrypto;
use crate::state::{Imports, Loaded};

/// The most a captured stdout or stderr keeps; more fails the guest's write.
const CAPTURE_LIMIT: usize = 16 * 1024 * 1024;

/// Which TCP connections the command may open itself, through wasi:sockets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WasiTcp {
    /// None: wasi:sockets refuses everything (the transport import still works).
    Off,
    /// Connections to loopback addresses only, with name lookup.
    Loopback,
    /// Any address the host can reach, with name lookup.
    Any,
}

/// Where the command's standard streams go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stdio {
    /// Stdin is these bytes; stdout and stderr are kept and returned.
    Captured {
        /// The whole of stdin.
        stdin: Vec<u8>,
    },
    /// The host process's own streams.
    Inherited,
}

/// One run of a command.
#[derive(Debug, Clone)]
pub struct Run {
    /// The arguments, program name first.
    pub args: Vec<String>,
    /// The environment: the only one the command sees.
    pub env: Vec<(String, String)>,
    /// Its standard streams.
    pub stdio: Stdio,
    /// What it may reach through wasi:sockets.
    pub wasi_tcp: WasiTcp,
}

/// How a run ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Finished {
    /// The exit status: 0 for success.
    pub status: i32,
    /// What it wrote to stdout (empty when inherited).
    pub stdout: Vec<u8>,
    /// What it wrote to stderr (empty when inherited).
    pub stderr: Vec<u8>,
}

/// A loaded command component, ready to run as often as needed.
pub struct CommandComponent(Loaded);

impl CommandComponent {
    /// Loads the command at `wasm` (from its `.cwasm` when current), offering `imports`.
    pub fn load(wasm: &Path, imports: Imports) -> Result<Self> {
        Loaded::load(wasm, imports).map(Self)
    }

    /// The names of the component's imports, such as `wasi:sockets/tcp@0.2.6`.
    pub fn import_names(&self) -> Vec<String> {
        import_names(&self.0.engine, &self.0.component)
    }

    /// Runs it once in a fresh store, until `wasi:cli/run` returns or it exits.
    /// A trap is an error; an exit is a status.
    pub fn run(&self, run: &Run) -> Result<Finished> {
        let mut builder = WasiCtx::builder();
        builder.args(&run.args);
        for (name, value) in &run.env {
            builder.env(name, value);
        }
        grant_tcp(&mut builder, run.wasi_tcp);
        let captured = match &run.stdio {
            Stdio::Captured { stdin } => {
                let out = MemoryOutputPipe::new(CAPTURE_LIMIT);
                let err = MemoryOutputPipe::new(CAPTURE_LIMIT);
                builder
                    .stdin(MemoryInputPipe::new(stdin.clone()))
                    .stdout(out.clone())
                    .stderr(err.clone());
                Some((out, err))
            }
            Stdio::Inherited => {
                builder.inherit_stdio();
                None
            }
        };
        let mut store = self.0.store(builder.build(), HostCrypto::Native);
        let command = Command::instantiate(&mut store, &self.0.component, &self.0.linker)?;
        let status = match command.wasi_cli_run().call_run(&mut store) {
            Ok(Ok(())) => 0,
            Ok(Err(())) => 1,
            // `exit(n)` in the guest unwinds as this error; it is an ending, not a fault.
            Err(err) => match err.downcast_ref::<I32Exit>() {
                Some(exit) => exit.0,
                None => return Err(err),
            },
        };
        let (stdout, stderr) = captured
            .map(|(out, err)| (out.contents().to_vec(), err.contents().to_vec()))
            .unwrap_or_default();
        Ok(Finished {
            status,
            stdout,
            stderr,
        })
    }
}

/// The names of `component`'s imports, such as `wasi:sockets/tcp@0.2.6`.
pub(crate) fn import_names(engine: &Engine, component: &Component) -> Vec<String> {
    component
        .component_type()
        .imports(engine)
        .map(|(name, _)| name.to_owned())
        .collect()
}

/// Opens wasi:sockets TCP as `tcp` says. UDP stays closed.
pub(crate) fn grant_tcp(builder: &mut WasiCtxBuilder, tcp: WasiTcp) {
    match tcp {
        WasiTcp::Off => {}
        WasiTcp::Loopback => {
            builder
                .allow_tcp(true)
                .allow_ip_name_lookup(true)
                .socket_addr_check(|addr, use_| Box::pin(async move { loopback_only(addr, use_) }));
        }
        WasiTcp::Any => {
            builder
                .allow_tcp(true)
                .allow_ip_name_lookup(true)
                .inherit_network();
        }
    }
}

/// Outgoing connections to loopback addresses only. A connect first checks an
/// implicit bind to the unspecified address, which must pass; listening and
/// accepting never do.
fn loopback_only(addr: SocketAddr, use_: SocketAddrUse) -> bool {
    match use_ {
        SocketAddrUse::TcpBind => addr.ip().is_unspecified() || addr.ip().is_loopback(),
        SocketAddrUse::TcpConnect => addr.ip().is_loopback(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_policy() {
        let at = |s: &str| s.parse::<SocketAddr>().unwrap();
        assert!(loopback_only(
            at("127.0.0.1:443"),
            SocketAddrUse::TcpConnect
        ));
        assert!(loopback_only(at("[::1]:443"), SocketAddrUse::TcpConnect));
        assert!(!loopback_only(
            at("192.0.2.1:443"),
            SocketAddrUse::TcpConnect
        ));
        assert!(loopback_only(at("0.0.0.0:0"), SocketAddrUse::TcpBind));
        assert!(!loopback_only(at("192.0.2.1:0"), SocketAddrUse::TcpBind));
        assert!(!loopback_only(at("127.0.0.1:0"), SocketAddrUse::TcpListen));
    }
}
