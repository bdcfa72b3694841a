//! The target part: where an attached connection goes, and net's options for
//! the TCP connection a host opens (Node's checks, in Node's order).

use crate::javascript::{inspect_number, is_ip, to_int32};
use crate::options::DEFAULT_HOST;
use crate::TlsError;

/// net's options for a connection the engine's host opens (Node's `family`,
/// `localAddress`, `localPort`, `timeout`, `noDelay`, `keepAlive`, `keepAliveInitialDelay`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NetOptions {
    /// `family`: 0, 4 or 6.
    pub family: Option<f64>,
    /// `localAddress`.
    pub local_address: Option<String>,
    /// `localPort`.
    pub local_port: Option<u32>,
    /// `timeout`, milliseconds.
    pub timeout: Option<f64>,
    /// `noDelay`.
    pub no_delay: Option<bool>,
    /// `keepAlive`.
    pub keep_alive: Option<bool>,
    /// `keepAliveInitialDelay`, milliseconds.
    pub keep_alive_initial_delay: Option<f64>,
}

/// Where the connection goes when the host opens it: Node's `host`, `port`,
/// `path` and net's options.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TargetOptions {
    /// `host`; default `'localhost'`.
    pub host: Option<String>,
    /// `port`.
    pub port: Option<u32>,
    /// `path`: a Unix socket.
    pub path: Option<String>,
    /// net's options, for a connection the host opens.
    pub net: Option<NetOptions>,
}

/// How the host opens a TCP connection: net's options after Node's checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcpOptions {
    /// 0: any address family; 4 or 6: only that one.
    pub family: u8,
    /// The local address to bind.
    pub local_address: Option<String>,
    /// The local port to bind.
    pub local_port: Option<u16>,
    /// Disable Nagle's algorithm.
    pub no_delay: bool,
    /// TCP keep-alive, with this initial delay in milliseconds.
    pub keep_alive: Option<u32>,
    /// Reads idle this many milliseconds fail with `ETIMEDOUT`.
    pub timeout: Option<u32>,
}

impl Default for TcpOptions {
    fn default() -> Self {
        Self {
            family: 0,
            local_address: None,
            local_port: None,
            // TLS records are small and latency-bound: Nagle's algorithm stays off.
            no_delay: true,
            keep_alive: None,
            timeout: None,
        }
    }
}

/// Where an attached connection goes. A caller-supplied stream needs no target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// TCP to host:port.
    Tcp {
        /// Host name or address.
        host: String,
        /// Port.
        port: u16,
        /// net's options.
        options: TcpOptions,
    },
    /// A Unix socket.
    Unix {
        /// Its path.
        path: String,
    },
}

impl TargetOptions {
    /// Where to connect when the caller gave no stream: `path` wins over host and port.
    pub fn target(&self) -> Result<Target, TlsError> {
        if let Some(path) = &self.path {
            return Ok(Target::Unix { path: path.clone() });
        }
        let port = match self.port {
            Some(port) => port,
            None => {
                return Err(TlsError::new(
                    "ERR_MISSING_ARGS",
                    "The \"options\" or \"port\" or \"path\" argument must be specified",
                ))
            }
        };
        let port = u16::try_from(port).map_err(|_| bad_port(port))?;
        let host = self
            .host
            .clone()
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| DEFAULT_HOST.to_owned());
        Ok(Target::Tcp {
            host,
            port,
            options: self.tcp_options()?,
        })
    }

    /// net's options for a TCP connection, checked as Node checks them and in
    /// Node's order: `timeout` (the socket's), `localAddress`, `localPort`, then
    /// `family` (at the name lookup).
    pub fn tcp_options(&self) -> Result<TcpOptions, TlsError> {
        let net = self.net.clone().unwrap_or_default();
        let timeout = idle_timeout(net.timeout)?;
        let local_address = local_address(net.local_address)?;
        let local_port = local_port(net.local_port)?;
        let family = self.lookup_family(net.family)?;
        Ok(TcpOptions {
            family,
            local_address,
            local_port,
            no_delay: net.no_delay.unwrap_or(true),
            keep_alive: keep_alive(net.keep_alive, net.keep_alive_initial_delay),
            timeout,
        })
    }

    /// `family` for the name lookup: 0, 4 or 6. Node looks up no address, so
    /// neither checks nor applies `family`, when `host` is an IP address.
    fn lookup_family(&self, family: Option<f64>) -> Result<u8, TlsError> {
        let host = self.host.as_deref().filter(|h| !h.is_empty());
        if is_ip(host.unwrap_or(DEFAULT_HOST)) {
            return Ok(0);
        }
        match family {
            None => Ok(0),
            // -0 matches too: Node compares with SameValueZero.
            Some(0.0) => Ok(0),
            Some(4.0) => Ok(4),
            Some(6.0) => Ok(6),
            Some(other) => Err(TlsError::new(
                "ERR_INVALID_ARG_VALUE",
                format!(
                    "The property 'options.family' must be one of: 0, 4, 6. Received {}",
                    inspect_number(other)
                ),
            )),
        }
    }
}

/// The longest timer Node keeps (a signed 32-bit millisecond count); longer
/// ones are cut to it, with a warning.
const TIMEOUT_MAX: f64 = 2_147_483_647.0;

/// net's `timeout` as the socket's idle timeout in milliseconds: 0 and NaN set
/// none; a negative or infinite one is Node's `ERR_OUT_OF_RANGE`; Node's timers
/// wait at least 1 ms and at most `TIMEOUT_MAX`.
fn idle_timeout(timeout: Option<f64>) -> Result<Option<u32>, TlsError> {
    let msecs = match timeout {
        Some(t) if t != 0.0 && !t.is_nan() => t,
        _ => return Ok(None),
    };
    if msecs < 0.0 || !msecs.is_finite() {
        return Err(TlsError::out_of_range(
            "msecs",
            "a non-negative finite number",
            msecs,
        ));
    }
    Ok(Some(msecs.clamp(1.0, TIMEOUT_MAX) as u32))
}

/// net's `localAddress`: an IP address as Node's `net.isIP` accepts it; the
/// empty string means none.
fn local_address(address: Option<String>) -> Result<Option<String>, TlsError> {
    match address {
        Some(address) if address.is_empty() => Ok(None),
        Some(address) if !is_ip(&address) => Err(TlsError::new(
            "ERR_INVALID_IP_ADDRESS",
            format!("Invalid IP address: {address}"),
        )),
        other => Ok(other),
    }
}

/// net's `localPort`; 0 means any. Node checks only its type and its binding
/// keeps the low 16 bits of a larger one: so does this engine.
fn local_port(port: Option<u32>) -> Result<Option<u16>, TlsError> {
    Ok(port
        .map(|port| (port & 0xffff) as u16)
        .filter(|port| *port != 0))
}

/// net's `keepAlive` with `keepAliveInitialDelay`: the delay in milliseconds,
/// in whole seconds as Node passes it on (`~~(ms / 1000)`); 0 leaves the
/// system's delay, as in Node.
fn keep_alive(enabled: Option<bool>, initial_delay: Option<f64>) -> Option<u32> {
    if enabled != Some(true) {
        return None;
    }
    let seconds = to_int32(initial_delay.unwrap_or(0.0) / 1000.0).max(0);
    Some(u32::try_from(seconds).map_or(u32::MAX, |s| s.saturating_mul(1000)))
}

/// Node's `ERR_SOCKET_BAD_PORT` for a number out of range.
fn bad_port(port: u32) -> TlsError {
    TlsError::new(
        "ERR_SOCKET_BAD_PORT",
        format!("Port should be >= 0 and < 65536. Received type number ({port})."),
    )
}
