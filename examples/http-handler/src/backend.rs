//! Which backend a request names: its query, `?host=H&port=P[&servername=N]`,
//! the names of Node's `tls.connect()` options.

/// Where one request's exchange connects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backend {
    /// Host to connect to and to verify; Node's default `localhost`.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// SNI and the name verified, when given; else, as in Node, no SNI is sent
    /// and the host is the name verified.
    pub servername: Option<String>,
}

/// What the query may hold, for error messages.
pub const QUERY_USAGE: &str = "the query names the backend: ?host=HOST&port=PORT[&servername=NAME]";

impl Backend {
    /// Reads the backend from a request's path and query (`/any/path?port=8443`).
    /// Every parameter once at most; `port` is required; anything else is refused.
    pub fn from_path_with_query(path_with_query: &str) -> Result<Self, String> {
        let query = path_with_query
            .split_once('?')
            .map_or("", |(_, query)| query);
        let mut host = None;
        let mut port = None;
        let mut servername = None;
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(value)?;
            let slot = match percent_decode(name)?.as_str() {
                "host" => &mut host,
                "port" => &mut port,
                "servername" => &mut servername,
                other => return Err(format!("unknown parameter {other:?}; {QUERY_USAGE}")),
            };
            if slot.replace(value).is_some() {
                return Err(format!("a parameter is given twice; {QUERY_USAGE}"));
            }
        }
        let port = port.ok_or_else(|| format!("no port; {QUERY_USAGE}"))?;
        let port = match port.parse::<u16>() {
            Ok(port) if port != 0 => port,
            _ => return Err(format!("bad port {port:?}; {QUERY_USAGE}")),
        };
        let host = host.unwrap_or_else(|| "localhost".to_owned());
        if host.is_empty() {
            return Err(format!("an empty host; {QUERY_USAGE}"));
        }
        Ok(Self {
            host,
            port,
            servername,
        })
    }
}

/// Decodes a query component: `%XX` escapes and `+` for a space, to UTF-8 text.
fn percent_decode(text: &str) -> Result<String, String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    // Bounded by the input: each turn consumes one byte or one escape.
    while let Some((&first, after)) = rest.split_first() {
        rest = after;
        match first {
            b'+' => bytes.push(b' '),
            b'%' => {
                let escape = rest
                    .get(..2)
                    // Hex digits only: from_str_radix would also take a sign.
                    .filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))
                    .and_then(|hex| std::str::from_utf8(hex).ok())
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                    .ok_or_else(|| format!("a bad %-escape in {text:?}"))?;
                bytes.push(escape);
                rest = &rest[2..];
            }
            byte => bytes.push(byte),
        }
    }
    String::from_utf8(bytes).map_err(|_| format!("{text:?} does not decode to UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(path: &str) -> Result<Backend, String> {
        Backend::from_path_with_query(path)
    }

    #[test]
    fn host_port_and_servername() {
        let backend = parse("/?host=127.0.0.1&port=8443&servername=db.example.test").unwrap();
        assert_eq!(backend.host, "127.0.0.1");
        assert_eq!(backend.port, 8443);
        assert_eq!(backend.servername.as_deref(), Some("db.example.test"));
        let backend = parse("/echo?port=1&").unwrap();
        assert_eq!((backend.host.as_str(), backend.port), ("localhost", 1));
        assert_eq!(backend.servername, None);
        assert_eq!(parse("/?port=9&host=%3A%3A1").unwrap().host, "::1");
    }

    #[test]
    fn refusals() {
        for bad in [
            "/",
            "/?host=localhost",
            "/?port=0",
            "/?port=65536",
            "/?port=x",
            "/?port=1&port=2",
            "/?port=1&host=",
            "/?port=1&verbose=1",
            "/?port=1&host=%zz",
            "/?port=1&host=%f",
            "/?port=1&host=%ff",
            "/?port=1&host=%+1",
        ] {
            let err = parse(bad).expect_err(bad);
            assert!(
                err.contains(QUERY_USAGE) || err.contains('%') || err.contains("UTF-8"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("a+b%20c%C3%A9").unwrap(), "a b cé");
        assert!(percent_decode("%").is_err());
        assert!(percent_decode("%4").is_err());
    }
}
