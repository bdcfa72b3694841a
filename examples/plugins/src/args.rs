//! Command-line arguments and the credentials passed through the environment.

/// The environment variable holding the CA certificates to trust, PEM text.
/// Unset: the default (Mozilla) roots.
pub const CA_VAR: &str = "TLS_CONNECT_CA";
/// The environment variable holding a client certificate chain, PEM text.
pub const CERT_VAR: &str = "TLS_CONNECT_CERT";
/// The environment variable holding the client certificate's key, PEM text.
pub const KEY_VAR: &str = "TLS_CONNECT_KEY";

/// Certificates and keys as PEM text, each optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    /// Trusted CA certificates (Node's `ca`).
    pub ca: Option<String>,
    /// Client certificate chain (Node's `cert`).
    pub cert: Option<String>,
    /// Client key (Node's `key`).
    pub key: Option<String>,
}

impl Credentials {
    /// Reads [`CA_VAR`], [`CERT_VAR`] and [`KEY_VAR`] through `get`; empty values count as unset.
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Self {
        let var = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        Self {
            ca: var(CA_VAR),
            cert: var(CERT_VAR),
            key: var(KEY_VAR),
        }
    }
}

/// Where the echo client connects: Node's `host`, `port` and `servername`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EchoArgs {
    /// Host to connect to and to verify; Node's default `localhost`.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// SNI and the name verified, when given.
    pub servername: Option<String>,
}

/// The echo client's usage line.
pub const ECHO_USAGE: &str = "usage: tls-echo [--host HOST] --port PORT [--servername NAME]
Sends its input to the server once connected, then prints what comes back.
PEM text in TLS_CONNECT_CA, TLS_CONNECT_CERT and TLS_CONNECT_KEY.";

/// Parses the echo client's arguments (without the program name).
pub fn parse_echo_args(args: impl IntoIterator<Item = String>) -> Result<EchoArgs, String> {
    let mut host = "localhost".to_owned();
    let mut port = None;
    let mut servername = None;
    let mut it = args.into_iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--host" => host = value()?,
            "--port" => {
                let v = value()?;
                port = Some(v.parse().map_err(|_| format!("bad port: {v}"))?);
            }
            "--servername" => servername = Some(value()?),
            other => return Err(format!("unknown argument {other}\n{ECHO_USAGE}")),
        }
    }
    Ok(EchoArgs {
        host,
        port: port.ok_or_else(|| format!("--port is required\n{ECHO_USAGE}"))?,
        servername,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn echo_args() {
        let parsed = parse_echo_args(strings(&["--port", "8000"])).unwrap();
        assert_eq!(parsed.host, "localhost");
        assert_eq!(parsed.port, 8000);
        assert_eq!(parsed.servername, None);
        let parsed = parse_echo_args(strings(&[
            "--host",
            "127.0.0.1",
            "--port",
            "1",
            "--servername",
            "a.test",
        ]))
        .unwrap();
        assert_eq!(parsed.host, "127.0.0.1");
        assert_eq!(parsed.servername.as_deref(), Some("a.test"));
        assert!(parse_echo_args(strings(&["--host", "x"])).is_err());
        assert!(parse_echo_args(strings(&["--port", "70000"])).is_err());
        assert!(parse_echo_args(strings(&["--port"])).is_err());
    }

    #[test]
    fn credentials_from_env() {
        let creds = Credentials::from_env(|name| match name {
            CA_VAR => Some("-----BEGIN CERTIFICATE-----".into()),
            CERT_VAR => Some(" ".into()),
            _ => None,
        });
        assert!(creds.ca.is_some());
        assert_eq!(creds.cert, None);
        assert_eq!(creds.key, None);
    }
}
