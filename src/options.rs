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
        ecdh_curve: "auto".to_owned(),
        min_version: names::DEFAULT_MIN_VERSION.node_name().to_owned(),
        max_version: names::DEFAULT_MAX_VERSION.node_name().to_owned(),
    }
}

/// Node's default host.
pub const DEFAULT_HOST: &str = "localhost";

impl ConnectOptions {
    /// Applies Node's defaults and checks the connection-level options.
    pub fn settings(&self) -> Result<Settings, TlsError> {
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

    /// net's options for a TCP connection, checked as Node checks them.
    pub fn tcp_options(&self) -> Result<TcpOptions, TlsError> {
        // TODO(options helper): Node's checks of family, localAddress, localPort, timeout, keep-alive.
        Ok(TcpOptions::default())
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
