//! The connection part: what each connection decides for itself, even under a
//! shared secure context (SNI, ALPN, verification, sessions, events).

use crate::javascript::is_ip;
use crate::options::{ConnectOptions, DEFAULT_HOST};
use crate::TlsError;

/// Who runs `checkServerIdentity` after the chain verified.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IdentityCheck {
    /// Node's default function, run by the engine.
    #[default]
    Builtin,
    /// The caller's own function: the handshake pauses until the caller settles it.
    Caller,
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

/// The options each connection has of its own. `None` means "not given":
/// Node's default applies.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConnectionOptions {
    /// `servername`: SNI, sent only when non-empty.
    pub servername: Option<String>,
    /// `rejectUnauthorized`; default true.
    pub reject_unauthorized: Option<bool>,
    /// `ALPNProtocols`.
    pub alpn_protocols: Option<AlpnProtocols>,
    /// `allowHalfOpen`; default false.
    pub allow_half_open: Option<bool>,
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
}

/// The connection-level settings after Node's defaults and checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    /// The name `checkServerIdentity` checks: servername, else host, else 'localhost'.
    pub(crate) verify_name: String,
    /// The SNI to send, if any.
    pub(crate) sni: Option<String>,
    /// Refuse a server that fails verification.
    pub(crate) reject_unauthorized: bool,
    /// Keep writing after the server ends.
    pub(crate) allow_half_open: bool,
    /// Who runs `checkServerIdentity`.
    pub(crate) identity_check: IdentityCheck,
    /// Report the server's OCSP response (`requestOCSP`).
    pub(crate) request_ocsp: bool,
    /// Report handshake events as trace lines (`enableTrace`).
    pub(crate) enable_trace: bool,
    /// The session to resume (`session`), as the caller gave it.
    pub(crate) session: Option<Vec<u8>>,
    /// `minDHSize` rounded up: a DH group of fewer bits is refused (sizes are
    /// whole, so `bits < minDHSize` is `bits < min_dh_bits`).
    pub(crate) min_dh_bits: u64,
}

/// Node's default `minDHSize`.
const DEFAULT_MIN_DH_SIZE: f64 = 1024.0;

impl ConnectOptions {
    /// Applies Node's defaults and checks the connection-level options.
    pub(crate) fn settings(&self) -> Result<Settings, TlsError> {
        let connection = &self.connection;
        connection.check_min_dh_size()?;
        connection.check_servername()?;
        let host = self.target.host.as_deref().filter(|h| !h.is_empty());
        let sni = connection
            .servername
            .clone()
            .filter(|name| !name.is_empty());
        let verify_name = sni
            .clone()
            .or_else(|| host.map(str::to_owned))
            .unwrap_or_else(|| DEFAULT_HOST.to_owned());
        Ok(Settings {
            verify_name,
            sni,
            reject_unauthorized: connection.reject_unauthorized != Some(false),
            allow_half_open: connection.allow_half_open == Some(true),
            identity_check: connection.identity_check.unwrap_or_default(),
            request_ocsp: connection.request_ocsp == Some(true),
            enable_trace: connection.enable_trace == Some(true),
            session: connection.session.clone(),
            // Checked to be at least 1 above; `as` saturates Infinity.
            min_dh_bits: connection.min_dh_size.unwrap_or(DEFAULT_MIN_DH_SIZE).ceil() as u64,
        })
    }
}

impl ConnectionOptions {
    /// Node 26 refuses an IP address as `servername` (RFC 6066 names hosts
    /// only); Node 20 warned (DEP0123) and sent none. Its reason ends with a
    /// full stop before Node's own, hence the two.
    fn check_servername(&self) -> Result<(), TlsError> {
        match &self.servername {
            Some(name) if is_ip(name) => Err(TlsError::invalid_arg_value_because(
                "servername",
                "Setting the TLS ServerName to an IP address is not permitted.",
                &format!("'{name}'"),
            )),
            _ => Ok(()),
        }
    }

    /// `minDHSize` as current Node checks it: at least 1 (NaN is refused). Node
    /// 20 refuses 0, negatives and NaN with an internal assertion instead.
    pub(crate) fn check_min_dh_size(&self) -> Result<(), TlsError> {
        match self.min_dh_size {
            Some(size) if size.is_nan() || size < 1.0 => {
                Err(TlsError::out_of_range("options.minDHSize", ">= 1", size))
            }
            _ => Ok(()),
        }
    }
}

/// Node's `ALPNProtocols` as a list of protocol names, with Node's checks.
impl AlpnProtocols {
    /// The protocol names to offer, with Node's checks.
    pub(crate) fn protocol_list(&self) -> Result<Vec<Vec<u8>>, TlsError> {
        let names: Vec<Vec<u8>> = match self {
            AlpnProtocols::Names(names) => names.iter().map(|n| n.as_bytes().to_vec()).collect(),
            AlpnProtocols::Buffers(buffers) => buffers.clone(),
            AlpnProtocols::Wire(wire) => return parse_wire(wire),
        };
        for (index, name) in names.iter().enumerate() {
            if name.len() > 255 {
                return Err(TlsError::new(
                "ERR_OUT_OF_RANGE",
                format!(
                    "The byte length of the protocol at index {index} exceeds the maximum length. It must be <= 255. Received {}",
                    name.len()
                ),
            ));
            }
        }
        Ok(names.into_iter().filter(|n| !n.is_empty()).collect())
    }
}

/// Splits ALPN wire format (`\x08http/1.1\x02h2`) into names.
fn parse_wire(mut wire: &[u8]) -> Result<Vec<Vec<u8>>, TlsError> {
    let mut names = Vec::new();
    while let Some((&len, rest)) = wire.split_first() {
        let len = usize::from(len);
        if len == 0 || rest.len() < len {
            return Err(TlsError::invalid_arg_value(
                "ALPNProtocols",
                "a malformed wire-format buffer",
            ));
        }
        names.push(rest[..len].to_vec());
        wire = &rest[len..];
    }
    Ok(names)
}
