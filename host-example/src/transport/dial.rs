//! Opening the transport's connections. TCP follows net's options (`family`,
//! `localAddress`, `localPort`, `noDelay`, `keepAlive`, `timeout`); Nagle's
//! algorithm is off unless asked for: with it on, Nagle plus delayed ACK add
//! 40 ms to a handshake. Failures are named as Node names them.

use std::io;
use std::net::{
    IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6, TcpStream, ToSocketAddrs,
};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use node_net::NetError;
use socket2::{Domain, Protocol, Socket, TcpKeepalive, Type};

use crate::bindings::tls_connect::tls_connect::transport::{IoError, TcpOptions};

/// Opens TCP to host:port with TCP_NODELAY, trying each resolved address in turn.
pub fn dial_tcp(host: &str, port: u16) -> Result<TcpStream, IoError> {
    dial_tcp_with(host, port, &default_tcp_options())
}

/// net's options as the engine sets them when none are given: any address
/// family, no local binding, Nagle's algorithm off, no keep-alive, no timeout.
pub fn default_tcp_options() -> TcpOptions {
    TcpOptions {
        family: 0,
        local_address: None,
        local_port: None,
        no_delay: true,
        keep_alive: None,
        timeout: None,
    }
}

/// Opens TCP to host:port with net's options, as Node's `net.connect` does:
/// only addresses of `family` (none left: `ENOTFOUND`), each tried in turn
/// from `localAddress`:`localPort` when given, with TCP_NODELAY, keep-alive and
/// an idle timeout (on connecting, reading and writing) as asked. The error is
/// the last address's.
pub fn dial_tcp_with(host: &str, port: u16, options: &TcpOptions) -> Result<TcpStream, IoError> {
    let local = options
        .local_address
        .as_deref()
        .map(|text| parse_local_address(text).ok_or_else(|| invalid_ip(text)))
        .transpose()?;
    let addresses: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|_| NetError::not_found(host))?
        .filter(|address| in_family(address, options.family))
        .collect();
    let mut last = None;
    for address in addresses {
        match connect_from(address, local, options) {
            Ok(stream) => return Ok(stream),
            Err(err) => last = Some(err),
        }
    }
    Err(last.unwrap_or_else(|| NetError::not_found(host).into()))
}

/// Whether `address` is of net's `family`: 4, 6, or 0 for either.
fn in_family(address: &SocketAddr, family: u8) -> bool {
    match family {
        4 => address.is_ipv4(),
        6 => address.is_ipv6(),
        _ => true,
    }
}

/// A local address as Node's `net.isIP` takes it, an IPv6 one possibly with a
/// zone: an interface index, or a name looked up as Linux lists interfaces.
/// An unknown zone is scope 0, which the kernel then refuses for a link-local address.
fn parse_local_address(text: &str) -> Option<IpAddr> {
    let Some((address, _)) = text.split_once('%') else {
        return text.parse().ok();
    };
    address.parse::<Ipv6Addr>().ok().map(IpAddr::V6)
}

/// The scope id of a local address's zone (`%eth0` or `%2`), 0 when none or unknown.
fn zone_scope(text: &str) -> u32 {
    let Some((_, zone)) = text.split_once('%') else {
        return 0;
    };
    zone.parse().ok().unwrap_or_else(|| {
        std::fs::read_to_string(format!("/sys/class/net/{zone}/ifindex"))
            .ok()
            .and_then(|index| index.trim().parse().ok())
            .unwrap_or(0)
    })
}

/// The engine checks `localAddress`; a host handed a bad one says so as Node would.
fn invalid_ip(text: &str) -> IoError {
    IoError {
        code: "ERR_INVALID_IP_ADDRESS".to_owned(),
        message: format!("Invalid IP address: {text}"),
    }
}

/// One attempt: a socket of `address`'s family, bound and set up as `options`
/// say, connected to `address`.
fn connect_from(
    address: SocketAddr,
    local: Option<IpAddr>,
    options: &TcpOptions,
) -> Result<TcpStream, IoError> {
    let remote = node_address(&address.ip().to_string(), address.port());
    let socket = Socket::new(
        Domain::for_address(address),
        Type::STREAM,
        Some(Protocol::TCP),
    )
    .map_err(|e| io_error("connect", &e, &remote))?;
    bind_local(&socket, address, local, options)?;
    socket
        .set_tcp_nodelay(options.no_delay)
        .map_err(|e| io_error("setsockopt", &e, &remote))?;
    if let Some(delay_ms) = options.keep_alive {
        set_keep_alive(&socket, delay_ms);
    }
    let idle = options
        .timeout
        .filter(|ms| *ms > 0)
        .map(|ms| Duration::from_millis(u64::from(ms)));
    let connected = match idle {
        Some(limit) => socket.connect_timeout(&address.into(), limit),
        None => socket.connect(&address.into()),
    };
    connected.map_err(|e| connect_error(&e, &remote, address, options))?;
    let stream = TcpStream::from(socket);
    // A blocked read or write past the limit fails, and is named ETIMEDOUT.
    stream
        .set_read_timeout(idle)
        .and_then(|()| stream.set_write_timeout(idle))
        .map_err(|e| io_error("setsockopt", &e, &remote))?;
    Ok(stream)
}

/// Binds to `localAddress`:`localPort` when either is given (the port alone
/// binds the unspecified address of the remote's family), as Node does; with
/// SO_REUSEADDR, as libuv sets for every bind.
fn bind_local(
    socket: &Socket,
    remote: SocketAddr,
    local: Option<IpAddr>,
    options: &TcpOptions,
) -> Result<(), IoError> {
    let port = options.local_port.unwrap_or(0);
    if local.is_none() && port == 0 {
        return Ok(());
    }
    let unspecified = match remote {
        SocketAddr::V4(_) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        SocketAddr::V6(_) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    };
    let ip = local.unwrap_or(unspecified);
    let shown = options
        .local_address
        .clone()
        .unwrap_or_else(|| unspecified.to_string());
    let failure = |code: &str| NetError::named("bind", code, &node_address(&shown, port)).into();
    // libuv cannot read an address of the other family for this socket: EINVAL.
    if ip.is_ipv4() != remote.is_ipv4() {
        return Err(failure("EINVAL"));
    }
    let at = match ip {
        IpAddr::V4(v4) => SocketAddr::V4(SocketAddrV4::new(v4, port)),
        IpAddr::V6(v6) => SocketAddr::V6(SocketAddrV6::new(
            v6,
            port,
            0,
            zone_scope(options.local_address.as_deref().unwrap_or_default()),
        )),
    };
    socket
        .set_reuse_address(true)
        .and_then(|()| socket.bind(&at.into()))
        .map_err(|e| failure(bind_errno(&e)))
}

/// Node's `address:port` in messages: the port only when above 0, an IPv6
/// address without brackets (`::1:443`).
fn node_address(address: &str, port: u16) -> String {
    if port > 0 {
        format!("{address}:{port}")
    } else {
        address.to_owned()
    }
}

/// The errno name of a failed bind; the shared table lacks the two a bind
/// fails with most.
fn bind_errno(err: &io::Error) -> &'static str {
    match err.kind() {
        io::ErrorKind::AddrInUse => "EADDRINUSE",
        io::ErrorKind::InvalidInput => "EINVAL",
        _ => node_net::errno_name(err),
    }
}

/// Node's error for a failed connect: `connect ECONNREFUSED ::1:443`, and
/// ` - Local (0.0.0.0:5000)` when a local port was asked for.
fn connect_error(
    err: &io::Error,
    remote: &str,
    address: SocketAddr,
    options: &TcpOptions,
) -> IoError {
    let mut failure = NetError::io("connect", err, remote);
    if let Some(port) = options.local_port.filter(|p| *p > 0) {
        let local = options
            .local_address
            .clone()
            .unwrap_or_else(|| match address {
                SocketAddr::V4(_) => Ipv4Addr::UNSPECIFIED.to_string(),
                SocketAddr::V6(_) => Ipv6Addr::UNSPECIFIED.to_string(),
            });
        failure
            .message
            .push_str(&format!(" - Local ({local}:{port})"));
    }
    failure.into()
}

/// TCP keep-alive, first probe after `delay_ms` when at least a second (Linux
/// counts whole seconds), else after the system's delay. Node ignores a delay
/// the system refuses, and so does this.
fn set_keep_alive(socket: &Socket, delay_ms: u32) {
    if socket.set_keepalive(true).is_err() || delay_ms < 1000 {
        return;
    }
    let first_probe =
        TcpKeepalive::new().with_time(Duration::from_secs(u64::from(delay_ms / 1000)));
    let _ = socket.set_tcp_keepalive(&first_probe);
}

/// Opens the Unix socket at `path`.
pub fn dial_unix(path: &str) -> Result<UnixStream, IoError> {
    UnixStream::connect(path).map_err(|e| io_error("connect", &e, path))
}

/// Node's shape for a socket error: `connect ECONNREFUSED 127.0.0.1:8000`.
pub fn io_error(syscall: &str, err: &io::Error, address: &str) -> IoError {
    NetError::io(syscall, err, address).into()
}

impl From<NetError> for IoError {
    fn from(err: NetError) -> Self {
        IoError {
            code: err.code,
            message: err.message,
        }
    }
}
