//! Node's `tls.connect()` options: the engine's copy of them, Node's defaults, and
//! Node's validation. Every host hands its options here, so every host applies
//! the same rules.

use zeroize::Zeroize;

use crate::{names, TlsError};

/// PEM data given as text or as bytes (a JavaScript string or a Buffer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pem {
    /// PEM text.
    Text(String),
    /// PEM text as bytes.
    Bytes(Vec<u8>),
}

impl Pem {
    /// The PEM bytes, whichever form they came in.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Pem::Text(text) => text.as_bytes(),
            Pem::Bytes(bytes) => bytes,
        }
    }
}

/// One private key and, optionally, its own passphrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyEntry {
    /// The PEM-encoded key.
    pub pem: Pem,
    /// The passphrase for this key; falls back to `ConnectOptions::passphrase`.
    pub passphrase: Option<String>,
}

/// One PKCS#12 bundle and, optionally, its own passphrase (Node's `pfx: [{buf, passphrase}]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PfxEntry {
    /// The DER bytes.
    pub buf: Vec<u8>,
    /// The passphrase for this bundle; falls back to `ConnectOptions::passphrase`.
    pub passphrase: Option<String>,
}

/// Who runs `checkServerIdentity` after the chain verified.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IdentityCheck {
    /// Node's default function, run by the engine.
    #[default]
    Builtin,
    /// The caller's own function: the handshake pauses until the caller settles it.
    Caller,
}

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

/// Node's `ALPNProtocols` in its three accepted forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlpnProtocols {
    /// An array of strings.
    Names(Vec<String>),
    /// An array of Buffers.
    Buffers(Vec<Vec<u8>>),
    /// One Buffer in wire format (length-prefixed names).
    Wire(Vec<u8>),
}

/// The options of `tls.connect()` that the engine understands. `None` means "not
/// given": Node's default applies.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConnectOptions {
    /// `host`; default `'localhost'`.
    pub host: Option<String>,
    /// `port`.
    pub port: Option<u32>,
    /// `path`: a Unix socket.
    pub path: Option<String>,
    /// `servername`: SNI, sent only when non-empty.
    pub servername: Option<String>,
    /// `rejectUnauthorized`; default true.
    pub reject_unauthorized: Option<bool>,
    /// `ca`: trusted roots replacing the default ones.
    pub ca: Option<Vec<Pem>>,
    /// `crl`: certificate revocation lists, the first CRL of each item. Given,
    /// the whole chain is checked: every issuer needs one.
    pub crl: Option<Vec<Pem>>,
    /// `cert`: the client certificate chain.
    pub cert: Option<Vec<Pem>>,
    /// `key`: the client key.
    pub key: Option<Vec<KeyEntry>>,
    /// `passphrase`.
    pub passphrase: Option<String>,
    /// `ciphers`, OpenSSL cipher-list syntax.
    pub ciphers: Option<String>,
    /// `minVersion`.
    pub min_version: Option<String>,
    /// `maxVersion`.
    pub max_version: Option<String>,
    /// `ALPNProtocols`.
    pub alpn_protocols: Option<AlpnProtocols>,
    /// `allowHalfOpen`; default false.
    pub allow_half_open: Option<bool>,
    /// `pfx`: PKCS#12 bundles with the client chain and key.
    pub pfx: Option<Vec<PfxEntry>>,
    /// `ecdhCurve`: colon-separated group names or 'auto'.
    pub ecdh_curve: Option<String>,
    /// `sigalgs`: colon-separated signature algorithm names.
    pub sigalgs: Option<String>,
    /// `secureProtocol`: OpenSSL's method name.
    pub secure_protocol: Option<String>,
    /// `secureOptions`: OpenSSL's `SSL_OP_*` bits.
    pub secure_options: Option<f64>,
    /// `allowPartialTrustChain`; default false.
    pub allow_partial_trust_chain: Option<bool>,
    /// `requestOCSP`; default false.
    pub request_ocsp: Option<bool>,
    /// `enableTrace`; default false.
    pub enable_trace: Option<bool>,
    /// `minDHSize`; default 1024.
    pub min_dh_size: Option<f64>,
    /// `session`: bytes from `getSession()` or a `'session'` event.
    pub session: Option<Vec<u8>>,
    /// Who runs `checkServerIdentity`.
    pub identity_check: Option<IdentityCheck>,
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

/// The connection-level settings after Node's defaults and checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The name `checkServerIdentity` checks: servername, else host, else 'localhost'.
    pub verify_name: String,
    /// The SNI to send, if any.
    pub sni: Option<String>,
    /// Refuse a server that fails verification.
    pub reject_unauthorized: bool,
    /// Keep writing after the server ends.
    pub allow_half_open: bool,
    /// Who runs `checkServerIdentity`.
    pub identity_check: IdentityCheck,
    /// Report the server's OCSP response (`requestOCSP`).
    pub request_ocsp: bool,
    /// Report handshake events as trace lines (`enableTrace`).
    pub enable_trace: bool,
    /// The session to resume (`session`), as the caller gave it.
    pub session: Option<Vec<u8>>,
}

/// The values of Node's `tls.DEFAULT_*` constants for this engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defaults {
    /// `DEFAULT_CIPHERS`.
    pub ciphers: String,
    /// `DEFAULT_ECDH_CURVE`.
    pub ecdh_curve: String,
    /// `DEFAULT_MIN_VERSION`.
    pub min_version: String,
    /// `DEFAULT_MAX_VERSION`.
    pub max_version: String,
}

/// The defaults `tls.connect()` applies when an option is not given.
pub fn defaults() -> Defaults {
    Defaults {
        ciphers: names::default_cipher_list(),
        // rustls chooses among X25519, P-256 and P-384 itself, as OpenSSL's 'auto' does.
        ecdh_curve: names::AUTO_ECDH_CURVE.to_owned(),
        min_version: names::DEFAULT_MIN_VERSION.node_name().to_owned(),
        max_version: names::DEFAULT_MAX_VERSION.node_name().to_owned(),
    }
}

/// Node's default host.
pub const DEFAULT_HOST: &str = "localhost";

impl ConnectOptions {
    /// Applies Node's defaults and checks the connection-level options.
    pub fn settings(&self) -> Result<Settings, TlsError> {
        self.check_min_dh_size()?;
        let host = self.host.as_deref().filter(|h| !h.is_empty());
        let sni = self.servername.clone().filter(|name| !name.is_empty());
        let verify_name = sni
            .clone()
            .or_else(|| host.map(str::to_owned))
            .unwrap_or_else(|| DEFAULT_HOST.to_owned());
        Ok(Settings {
            verify_name,
            sni,
            reject_unauthorized: self.reject_unauthorized != Some(false),
            allow_half_open: self.allow_half_open == Some(true),
            identity_check: self.identity_check.unwrap_or_default(),
            request_ocsp: self.request_ocsp == Some(true),
            enable_trace: self.enable_trace == Some(true),
            session: self.session.clone(),
        })
    }

    /// Wipes the secrets the caller handed in (private keys and passphrases), for
    /// when the secure context has been built and they are no longer needed.
    pub fn zeroize_secrets(&mut self) {
        for entry in self.key.iter_mut().flatten() {
            match &mut entry.pem {
                Pem::Text(text) => text.zeroize(),
                Pem::Bytes(bytes) => bytes.zeroize(),
            }
            entry.passphrase.zeroize();
        }
        for entry in self.pfx.iter_mut().flatten() {
            entry.buf.zeroize();
            entry.passphrase.zeroize();
        }
        self.passphrase.zeroize();
    }

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

    /// `secureOptions` as OpenSSL's `SSL_OP_*` bits, checked as Node checks
    /// them: 0 and NaN mean none; the value must be a safe integer, and a
    /// negative one stands for its 64-bit two's complement, as Node hands it on.
    pub fn secure_option_bits(&self) -> Result<u64, TlsError> {
        let value = match self.secure_options {
            Some(v) if v != 0.0 && !v.is_nan() => v,
            _ => return Ok(0),
        };
        if !is_integer(value) {
            return Err(out_of_range("secureOptions", "an integer", value));
        }
        if value.abs() > MAX_SAFE_INTEGER {
            return Err(out_of_range(
                "secureOptions",
                ">= -9007199254740991 && <= 9007199254740991",
                value,
            ));
        }
        Ok((value as i64) as u64)
    }

    /// `minDHSize` as current Node checks it: at least 1 (NaN is refused). Node
    /// 20 refuses 0, negatives and NaN with an internal assertion instead.
    pub fn check_min_dh_size(&self) -> Result<(), TlsError> {
        match self.min_dh_size {
            Some(size) if size.is_nan() || size < 1.0 => {
                Err(out_of_range("options.minDHSize", ">= 1", size))
            }
            _ => Ok(()),
        }
    }
}

/// JavaScript's `Number.MAX_SAFE_INTEGER`.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

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
        return Err(out_of_range("msecs", "a non-negative finite number", msecs));
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

/// JavaScript's ToInt32 (what `~~x` computes): NaN and infinities are 0, others
/// are truncated and wrapped modulo 2^32.
fn to_int32(value: f64) -> i32 {
    if !value.is_finite() {
        return 0;
    }
    let wrapped = value.trunc().rem_euclid(4_294_967_296.0);
    (wrapped as u32) as i32
}

/// Node's `net.isIP(text) != 0`: dotted-quad IPv4 without leading zeros, or
/// IPv6 text, optionally followed by a zone (`fe80::1%eth0`).
pub fn is_ip(text: &str) -> bool {
    let address = match text.split_once('%') {
        Some((address, zone)) if is_zone(zone) => address,
        Some(_) => return false,
        None => text,
    };
    address.parse::<std::net::Ipv6Addr>().is_ok()
        || (address == text && address.parse::<std::net::Ipv4Addr>().is_ok())
}

/// An IPv6 zone as Node's `isIP` takes it: letters, digits, `-`, `.` and `:`.
fn is_zone(zone: &str) -> bool {
    !zone.is_empty()
        && zone
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':'))
}

/// Whether a number is an integer (`Number.isInteger`).
fn is_integer(value: f64) -> bool {
    value.is_finite() && value.trunc() == value
}

/// Node's `ERR_OUT_OF_RANGE` for `name`: "The value of \"name\" is out of range.
/// It must be <range>. Received <value>".
pub fn out_of_range(name: &str, range: &str, value: f64) -> TlsError {
    TlsError::new(
        "ERR_OUT_OF_RANGE",
        format!(
            "The value of \"{name}\" is out of range. It must be {range}. Received {}",
            received_number(value)
        ),
    )
}

/// How `ERR_OUT_OF_RANGE` shows a number: integers beyond 2^32 with `_`
/// between groups of three digits, others as `util.inspect` does.
pub fn received_number(value: f64) -> String {
    if is_integer(value) && value.abs() > 4_294_967_296.0 {
        group_digits(&js_number(value))
    } else {
        inspect_number(value)
    }
}

/// `util.inspect` of a number: JavaScript's text, but `-0` for negative zero.
pub fn inspect_number(value: f64) -> String {
    if value == 0.0 && value.is_sign_negative() {
        "-0".to_owned()
    } else {
        js_number(value)
    }
}

/// Node's numeric separator: `_` before every third character from the end,
/// whatever they are (so `1e+300` becomes `1e+_300`), after a leading minus.
fn group_digits(text: &str) -> String {
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let mut end = body.len();
    let mut groups = Vec::new();
    while end >= 4 {
        groups.push(&body[end - 3..end]);
        end -= 3;
    }
    let mut out = format!("{sign}{}", &body[..end]);
    for group in groups.iter().rev() {
        out.push('_');
        out.push_str(group);
    }
    out
}

/// JavaScript's `String(number)`: the shortest digits that read back as the
/// same number, in plain notation from 1e-6 up to 1e21 and in exponent notation
/// (`1e+21`, `1.5e-7`) outside.
pub fn js_number(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value == 0.0 {
        return "0".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    let sign = if value < 0.0 { "-" } else { "" };
    // Rust's `{:e}` also prints the shortest round-tripping digits: `1.5e-7`.
    let scientific = format!("{:e}", value.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let exponent: i32 = exponent.parse().unwrap_or(0);
    format!("{sign}{}", place_point(&digits, exponent))
}

/// ECMAScript's Number::toString layout of `digits` (d.ddd) times 10^`exponent`.
fn place_point(digits: &str, exponent: i32) -> String {
    let count = digits.len() as i32;
    // `point`: where the decimal point falls, counted from the first digit.
    let point = exponent + 1;
    if count <= point && point <= 21 {
        format!("{digits}{}", "0".repeat((point - count) as usize))
    } else if 0 < point && point <= 21 {
        let (whole, fraction) = digits.split_at(point as usize);
        format!("{whole}.{fraction}")
    } else if -6 < point && point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        let (first, rest) = digits.split_at(1);
        let rest = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        format!("{first}{rest}e{sign}{}", exponent.abs())
    }
}

/// Node's `ERR_SOCKET_BAD_PORT` for a number out of range.
fn bad_port(port: u32) -> TlsError {
    TlsError::new(
        "ERR_SOCKET_BAD_PORT",
        format!("Port should be >= 0 and < 65536. Received type number ({port})."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `call` in Node for each JavaScript expression in `values` (as `v`)
    /// and returns what it threw: `None`, or the error's code and message.
    fn node_throws(call: &str, values: &[&str]) -> Vec<Option<(String, String)>> {
        let script = format!(
            r#"
            const tls = require('tls');
            for (const expr of JSON.parse(process.argv[1])) {{
              const v = eval(expr);
              try {{ {call}; console.log('null'); }}
              catch (e) {{ console.log(JSON.stringify([e.code ?? '', e.message])); }}
            }}"#
        );
        let json = serde_json::to_string(values).unwrap();
        let out = crate::node_oracle::run(&script, &[std::ffi::OsStr::new(&json)]);
        out.lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }

    /// JavaScript expressions for numbers, and the same numbers here.
    const NUMBERS: &[(&str, f64)] = &[
        ("0", 0.0),
        ("-0", -0.0),
        ("1", 1.0),
        ("-1", -1.0),
        ("0.5", 0.5),
        ("-0.5", -0.5),
        ("1.5", 1.5),
        ("4.5", 4.5),
        ("5", 5.0),
        ("NaN", f64::NAN),
        ("Infinity", f64::INFINITY),
        ("-Infinity", f64::NEG_INFINITY),
        ("2**31", 2_147_483_648.0),
        ("2**32", 4_294_967_296.0),
        ("2**32+1", 4_294_967_297.0),
        ("-(2**40)", -1_099_511_627_776.0),
        ("2**53-1", 9_007_199_254_740_991.0),
        ("2**53", 9_007_199_254_740_992.0),
        ("-(2**53)-2", -9_007_199_254_740_994.0),
        ("2**64", 18_446_744_073_709_551_616.0),
        ("1e21", 1e21),
        ("1e300", 1e300),
        ("1.5e-7", 1.5e-7),
        ("0.000001", 0.000001),
        ("123456789.125", 123_456_789.125),
        ("0x20000000", 536_870_912.0),
    ];

    /// Asserts that `ours` fails for the numbers Node's `call` throws for, with
    /// the same code and message.
    fn assert_number_errors(call: &str, ours: impl Fn(f64) -> Option<TlsError>) {
        assert_errors_for(NUMBERS, call, ours);
    }

    /// [`assert_number_errors`] for some of the numbers.
    fn assert_errors_for(
        numbers: &[(&str, f64)],
        call: &str,
        ours: impl Fn(f64) -> Option<TlsError>,
    ) {
        let exprs: Vec<&str> = numbers.iter().map(|(expr, _)| *expr).collect();
        for ((expr, value), node) in numbers.iter().zip(node_throws(call, &exprs)) {
            let ours = ours(*value).map(|e| (e.code, e.message));
            assert_eq!(ours, node, "{call} with {expr}");
        }
    }

    #[test]
    fn numbers_are_written_as_javascript_writes_them() {
        let exprs: Vec<&str> = NUMBERS.iter().map(|(expr, _)| *expr).collect();
        let script = "for (const e of JSON.parse(process.argv[1])) console.log(String(eval(e)))";
        let json = serde_json::to_string(&exprs).unwrap();
        let out = crate::node_oracle::run(script, &[std::ffi::OsStr::new(&json)]);
        for ((expr, value), node) in NUMBERS.iter().zip(out.lines()) {
            assert_eq!(js_number(*value), node, "String({expr})");
        }
    }

    #[test]
    fn secure_options_fail_where_node_fails() {
        assert_number_errors("tls.createSecureContext({ secureOptions: v })", |v| {
            let options = ConnectOptions {
                secure_options: Some(v),
                ..Default::default()
            };
            options.secure_option_bits().err()
        });
    }

    /// Node hands a negative value on as its 64-bit two's complement, and bits
    /// above 32 as they are (a negative one therefore sets every high bit).
    #[test]
    fn secure_options_become_openssl_bits() {
        for (value, bits) in [
            (0.0, 0),
            (f64::NAN, 0),
            (-1.0, u64::MAX),
            (4_831_838_208.0, 0x1_2000_0000),
            (-536_870_912.0, 0xFFFF_FFFF_E000_0000),
        ] {
            let options = ConnectOptions {
                secure_options: Some(value),
                ..Default::default()
            };
            assert_eq!(options.secure_option_bits().unwrap(), bits, "{value}");
        }
    }

    /// Current Node refuses a `minDHSize` under 1, with this message (Node
    /// 26.10); Node 20 refuses 0, negatives and NaN with an internal assertion.
    #[test]
    fn min_dh_size_below_one_is_out_of_range() {
        let check = |size: f64| {
            ConnectOptions {
                min_dh_size: Some(size),
                ..Default::default()
            }
            .settings()
            .err()
        };
        for (size, shown) in [
            (0.0, "0"),
            (-0.0, "-0"),
            (-1.0, "-1"),
            (f64::NAN, "NaN"),
            (0.5, "0.5"),
            (f64::NEG_INFINITY, "-Infinity"),
            (-1_099_511_627_776.0, "-1_099_511_627_776"),
        ] {
            let err = check(size).expect("refused");
            assert_eq!(err.code, "ERR_OUT_OF_RANGE");
            assert_eq!(
                err.message,
                format!(
                    "The value of \"options.minDHSize\" is out of range. It must be >= 1. Received {shown}"
                )
            );
        }
        for size in [1.0, 1024.0, 1.5, f64::INFINITY] {
            assert_eq!(check(size), None, "{size}");
        }
    }

    /// Node 20 refuses the same sizes (outside 0..1, where current Node is stricter).
    #[test]
    fn node_20_refuses_the_same_min_dh_sizes() {
        let call = "tls.connect({ port: 1, host: '127.0.0.1', minDHSize: v }).on('error', () => {}).destroy()";
        let exprs: Vec<&str> = NUMBERS
            .iter()
            .filter(|(_, v)| !(0.0 < *v && *v < 1.0))
            .map(|(expr, _)| *expr)
            .collect();
        for (expr, node) in exprs.iter().zip(node_throws(call, &exprs)) {
            let value = NUMBERS.iter().find(|(e, _)| e == expr).unwrap().1;
            let options = ConnectOptions {
                min_dh_size: Some(value),
                ..Default::default()
            };
            assert_eq!(
                options.check_min_dh_size().is_err(),
                node.is_some(),
                "{expr}: {node:?}"
            );
        }
    }

    /// TCP options to `localhost` (a name, so `family` is checked) with `net`.
    fn tcp(net: NetOptions) -> Result<TcpOptions, TlsError> {
        ConnectOptions {
            host: Some("localhost".into()),
            net: Some(net),
            ..Default::default()
        }
        .tcp_options()
    }

    /// Node 20 aborts (a failed native assertion) on `family: -0`, which is
    /// 0 here; every other number is compared.
    #[test]
    fn family_fails_where_node_fails() {
        let numbers: Vec<(&str, f64)> = NUMBERS
            .iter()
            .copied()
            .filter(|(e, _)| *e != "-0")
            .collect();
        assert_errors_for(
            &numbers,
            "tls.connect({ port: 1, host: 'localhost', family: v }).on('error', () => {}).destroy()",
            |v| {
                tcp(NetOptions {
                    family: Some(v),
                    ..Default::default()
                })
                .err()
            },
        );
    }

    /// Node looks up no address, and so ignores `family`, when `host` is one.
    #[test]
    fn family_is_ignored_for_an_address_host() {
        for host in ["127.0.0.1", "::1"] {
            let options = ConnectOptions {
                host: Some(host.into()),
                net: Some(NetOptions {
                    family: Some(5.0),
                    ..Default::default()
                }),
                ..Default::default()
            };
            assert_eq!(options.tcp_options().unwrap().family, 0, "{host}");
        }
        let six = tcp(NetOptions {
            family: Some(6.0),
            ..Default::default()
        });
        assert_eq!(six.unwrap().family, 6);
        let negative_zero = tcp(NetOptions {
            family: Some(-0.0),
            ..Default::default()
        });
        assert_eq!(negative_zero.unwrap().family, 0);
        let err = tcp(NetOptions {
            family: Some(5.0),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(err.code, "ERR_INVALID_ARG_VALUE");
        assert_eq!(
            err.message,
            "The property 'options.family' must be one of: 0, 4, 6. Received 5"
        );
    }

    #[test]
    fn timeout_fails_where_node_fails() {
        assert_number_errors(
            "tls.connect({ port: 1, host: '127.0.0.1', timeout: v }).on('error', () => {}).destroy()",
            |v| {
                tcp(NetOptions {
                    timeout: Some(v),
                    ..Default::default()
                })
                .err()
            },
        );
    }

    /// Node's timers wait at least 1 ms and at most 2^31 - 1.
    #[test]
    fn timeout_is_whole_milliseconds_within_node_timers() {
        for (given, ms) in [
            (0.0, None),
            (f64::NAN, None),
            (0.5, Some(1)),
            (1.5, Some(1)),
            (2500.0, Some(2500)),
            (4_294_967_296.0, Some(2_147_483_647)),
        ] {
            let options = tcp(NetOptions {
                timeout: Some(given),
                ..Default::default()
            });
            assert_eq!(options.unwrap().timeout, ms, "{given}");
        }
    }

    #[test]
    fn local_address_must_be_an_ip_as_node_says() {
        let candidates = [
            "127.0.0.1",
            "::1",
            "nope",
            "localhost",
            "127.0.0.1 ",
            " ::1",
            "fe80::1%lo",
            "fe80::1%eth0.5",
            "fe80::1%",
            "fe80::1%a b",
            "127.0.0.1%lo",
            "::ffff:127.0.0.1",
            "::127.0.0.1",
            "1.2.3",
            "1.2.3.4.5",
            "01.2.3.4",
            "256.1.1.1",
            "0.0.0.0",
            "::",
            "1::2::3",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8:9",
            "[::1]",
            "ABCD::ef",
            "::1/128",
            "1:2:3:4:5:6:1.2.3.4",
            "12345::1",
            "0x7f.0.0.1",
        ];
        let script = "const net = require('net'); for (const a of JSON.parse(process.argv[1])) console.log(net.isIP(a) !== 0)";
        let json = serde_json::to_string(&candidates).unwrap();
        let out = crate::node_oracle::run(script, &[std::ffi::OsStr::new(&json)]);
        for (address, node) in candidates.iter().zip(out.lines()) {
            assert_eq!(is_ip(address).to_string(), node, "{address:?}");
        }
        let err = tcp(NetOptions {
            local_address: Some("nope".into()),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(err.code, "ERR_INVALID_IP_ADDRESS");
        assert_eq!(err.message, "Invalid IP address: nope");
        let node = node_throws(
            "tls.connect({ port: 1, host: '127.0.0.1', localAddress: v }).on('error', () => {}).destroy()",
            &["'nope'"],
        );
        assert_eq!(
            node[0]
                .as_ref()
                .map(|(code, message)| (code.as_str(), message.as_str())),
            Some((err.code.as_str(), err.message.as_str()))
        );
        let empty = tcp(NetOptions {
            local_address: Some(String::new()),
            ..Default::default()
        });
        assert_eq!(empty.unwrap().local_address, None);
    }

    #[test]
    fn local_port_keeps_sixteen_bits_as_nodes_binding() {
        let port = |p: u32| {
            tcp(NetOptions {
                local_port: Some(p),
                ..Default::default()
            })
        };
        assert_eq!(port(0).unwrap().local_port, None);
        assert_eq!(port(65535).unwrap().local_port, Some(65535));
        assert_eq!(port(70000).unwrap().local_port, Some(4464));
        assert_eq!(port(65536).unwrap().local_port, None);
    }

    /// Node keeps `~~(keepAliveInitialDelay / 1000)` seconds; 0 leaves the system's delay.
    #[test]
    fn keep_alive_delay_is_whole_seconds() {
        for (enabled, delay, expected) in [
            (None, Some(5000.0), None),
            (Some(false), Some(5000.0), None),
            (Some(true), None, Some(0)),
            (Some(true), Some(1500.0), Some(1000)),
            (Some(true), Some(-1.0), Some(0)),
            (Some(true), Some(-5000.0), Some(0)),
            (Some(true), Some(f64::NAN), Some(0)),
            (Some(true), Some(60_000.0), Some(60_000)),
            (Some(true), Some(1e13), Some(u32::MAX)),
        ] {
            let options = tcp(NetOptions {
                keep_alive: enabled,
                keep_alive_initial_delay: delay,
                ..Default::default()
            });
            assert_eq!(
                options.unwrap().keep_alive,
                expected,
                "{enabled:?} {delay:?}"
            );
        }
        assert_eq!(to_int32(1e10), 1_410_065_408);
        assert_eq!(to_int32(-1.9), -1);
        assert_eq!(to_int32(f64::INFINITY), 0);
    }

    /// Nagle's algorithm stays off unless `noDelay: false` asks for it.
    #[test]
    fn no_delay_is_on_unless_refused() {
        assert!(tcp(NetOptions::default()).unwrap().no_delay);
        assert!(ConnectOptions::default().tcp_options().unwrap().no_delay);
        let off = tcp(NetOptions {
            no_delay: Some(false),
            ..Default::default()
        });
        assert!(!off.unwrap().no_delay);
    }

    #[test]
    fn verified_name_prefers_servername_then_host_then_localhost() {
        let mut options = ConnectOptions::default();
        assert_eq!(options.settings().unwrap().verify_name, "localhost");
        options.host = Some("example.test".into());
        assert_eq!(options.settings().unwrap().verify_name, "example.test");
        assert_eq!(options.settings().unwrap().sni, None);
        options.servername = Some("sni.test".into());
        let settings = options.settings().unwrap();
        assert_eq!(settings.verify_name, "sni.test");
        assert_eq!(settings.sni.as_deref(), Some("sni.test"));
    }

    #[test]
    fn empty_servername_sends_no_sni() {
        let options = ConnectOptions {
            servername: Some(String::new()),
            host: Some("h.test".into()),
            ..Default::default()
        };
        let settings = options.settings().unwrap();
        assert_eq!(settings.sni, None);
        assert_eq!(settings.verify_name, "h.test");
    }

    #[test]
    fn reject_unauthorized_is_true_unless_false() {
        let mut options = ConnectOptions::default();
        assert!(options.settings().unwrap().reject_unauthorized);
        options.reject_unauthorized = Some(true);
        assert!(options.settings().unwrap().reject_unauthorized);
        options.reject_unauthorized = Some(false);
        assert!(!options.settings().unwrap().reject_unauthorized);
    }

    #[test]
    fn zeroize_secrets_wipes_keys_and_passphrases_only() {
        let mut options = ConnectOptions {
            host: Some("h.test".into()),
            passphrase: Some("s3cret".into()),
            key: Some(vec![
                KeyEntry {
                    pem: Pem::Text("-----BEGIN PRIVATE KEY-----".into()),
                    passphrase: Some("own".into()),
                },
                KeyEntry {
                    pem: Pem::Bytes(b"-----BEGIN EC PRIVATE KEY-----".to_vec()),
                    passphrase: None,
                },
            ]),
            ..Default::default()
        };
        options.zeroize_secrets();
        assert_eq!(options.passphrase, None);
        let keys = options.key.as_deref().unwrap();
        assert_eq!(keys.len(), 2);
        assert!(keys
            .iter()
            .all(|k| k.pem.as_bytes().is_empty() && k.passphrase.is_none()));
        assert_eq!(options.host.as_deref(), Some("h.test"));
    }

    #[test]
    fn target_needs_port_or_path_and_path_wins() {
        let mut options = ConnectOptions::default();
        assert_eq!(options.target().unwrap_err().code, "ERR_MISSING_ARGS");
        options.port = Some(70000);
        let err = options.target().unwrap_err();
        assert_eq!(err.code, "ERR_SOCKET_BAD_PORT");
        assert_eq!(
            err.message,
            "Port should be >= 0 and < 65536. Received type number (70000)."
        );
        options.port = Some(8443);
        assert_eq!(
            options.target().unwrap(),
            Target::Tcp {
                host: "localhost".into(),
                port: 8443,
                options: TcpOptions::default(),
            }
        );
        options.path = Some("/tmp/s".into());
        assert_eq!(
            options.target().unwrap(),
            Target::Unix {
                path: "/tmp/s".into()
            }
        );
    }
}
