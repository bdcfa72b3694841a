//! Protocol versions and OpenSSL's method names, as Node reads
//! `minVersion`, `maxVersion`, `secureProtocol` and `secureOptions`.

use rustls::ProtocolVersion;

use crate::TlsError;

/// A TLS version as Node names it, ordered oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Version {
    /// 'TLSv1'
    Tls10,
    /// 'TLSv1.1'
    Tls11,
    /// 'TLSv1.2'
    Tls12,
    /// 'TLSv1.3'
    Tls13,
}

/// Node's `tls.DEFAULT_MIN_VERSION`.
pub(crate) const DEFAULT_MIN_VERSION: Version = Version::Tls12;

/// Node's `tls.DEFAULT_MAX_VERSION`.
pub(crate) const DEFAULT_MAX_VERSION: Version = Version::Tls13;

impl Version {
    /// The name Node gives this version: `'TLSv1.2'`.
    pub(crate) fn node_name(self) -> &'static str {
        match self {
            Version::Tls10 => "TLSv1",
            Version::Tls11 => "TLSv1.1",
            Version::Tls12 => "TLSv1.2",
            Version::Tls13 => "TLSv1.3",
        }
    }

    /// Parses a `minVersion`/`maxVersion` value; `bound` is "minimum" or "maximum"
    /// for Node's error message.
    pub(crate) fn parse(name: &str, bound: &str) -> Result<Self, TlsError> {
        match name {
            "TLSv1" => Ok(Version::Tls10),
            "TLSv1.1" => Ok(Version::Tls11),
            "TLSv1.2" => Ok(Version::Tls12),
            "TLSv1.3" => Ok(Version::Tls13),
            _ => Err(TlsError::new(
                "ERR_TLS_INVALID_PROTOCOL_VERSION",
                format!("\"{name}\" is not a valid {bound} TLS protocol version"),
            )),
        }
    }
}

/// Node's name for a negotiated protocol version (`getProtocol()`).
pub(crate) fn protocol_name(version: ProtocolVersion) -> String {
    match version {
        ProtocolVersion::TLSv1_3 => "TLSv1.3".to_owned(),
        ProtocolVersion::TLSv1_2 => "TLSv1.2".to_owned(),
        ProtocolVersion::TLSv1_1 => "TLSv1.1".to_owned(),
        ProtocolVersion::TLSv1_0 => "TLSv1".to_owned(),
        _ => "unknown".to_owned(),
    }
}

/// What an OpenSSL method name (Node's `secureProtocol`) allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ProtocolMethod {
    /// The lowest version.
    pub min: Version,
    /// The highest version.
    pub max: Version,
    /// False for the `*_server_method` names, with which a client cannot connect.
    pub client: bool,
}

/// Node's reading of `secureProtocol`: `TLS_method` (any version),
/// `SSLv23_method` (Node's default minimum up to TLS 1.2), `TLSv1_2_method`,
/// `TLSv1_1_method` and `TLSv1_method` (that version only), each also with
/// `_client_method` and `_server_method`. SSLv2 and SSLv3 names are refused
/// as disabled, anything else as unknown.
pub(crate) fn protocol_method(name: &str) -> Result<ProtocolMethod, TlsError> {
    let (base, client) = if let Some(base) = name.strip_suffix("_client_method") {
        (base, true)
    } else if let Some(base) = name.strip_suffix("_server_method") {
        (base, false)
    } else {
        (name.strip_suffix("_method").unwrap_or_default(), true)
    };
    let (min, max) = match base {
        "TLS" => (Version::Tls10, Version::Tls13),
        "SSLv23" => (DEFAULT_MIN_VERSION, Version::Tls12),
        "TLSv1_2" => (Version::Tls12, Version::Tls12),
        "TLSv1_1" => (Version::Tls11, Version::Tls11),
        "TLSv1" => (Version::Tls10, Version::Tls10),
        "SSLv3" | "SSLv2" => {
            return Err(invalid_protocol_method(&format!("{base} methods disabled")))
        }
        _ => return Err(invalid_protocol_method(&format!("Unknown method: {name}"))),
    };
    Ok(ProtocolMethod { min, max, client })
}

/// Node's `ERR_TLS_INVALID_PROTOCOL_METHOD` with its message.
fn invalid_protocol_method(message: &str) -> TlsError {
    TlsError::new("ERR_TLS_INVALID_PROTOCOL_METHOD", message)
}

/// OpenSSL's `SSL_OP_NO_TICKET`: no session tickets.
pub(crate) const SSL_OP_NO_TICKET: u64 = 0x4000;

/// OpenSSL's `SSL_OP_NO_TLSv1`, `_NO_TLSv1_1`, `_NO_TLSv1_2` and `_NO_TLSv1_3` bits.
pub(crate) fn disabling_bit(version: Version) -> u64 {
    match version {
        Version::Tls10 => 0x0400_0000,
        Version::Tls11 => 0x1000_0000,
        Version::Tls12 => 0x0800_0000,
        Version::Tls13 => 0x2000_0000,
    }
}
