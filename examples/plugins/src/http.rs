//! Just enough HTTP/1.1 for one GET: the URL, the request, and the response
//! (length-delimited, chunked, or ended by the server's close).

use std::net::IpAddr;

/// An `https://` URL, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// The host to connect to, without IPv6 brackets.
    pub host: String,
    /// The port; 443 when the URL names none.
    pub port: u16,
    /// The path and query; `/` when the URL has none.
    pub path: String,
    /// The authority as written, for the `Host` header.
    authority: String,
}

impl Url {
    /// Parses `https://host[:port][/path]`; the host may be a bracketed IPv6 address.
    pub fn parse(url: &str) -> Result<Self, String> {
        let rest = url
            .strip_prefix("https://")
            .ok_or_else(|| format!("not an https:// URL: {url}"))?;
        let (authority, path) = match rest.find(['/', '?']) {
            Some(i) if rest[i..].starts_with('/') => (&rest[..i], rest[i..].to_owned()),
            Some(i) => (&rest[..i], format!("/{}", &rest[i..])),
            None => (rest, "/".to_owned()),
        };
        let (host, port) =
            split_authority(authority).ok_or_else(|| format!("bad host or port in URL: {url}"))?;
        if host.is_empty() {
            return Err(format!("no host in URL: {url}"));
        }
        Ok(Self {
            host: host.to_owned(),
            port,
            path,
            authority: authority.to_owned(),
        })
    }

    /// The name for SNI and verification, as Node's `https` chooses it: the host,
    /// unless it is an IP address (no SNI then; the address itself is verified).
    pub fn servername(&self) -> Option<String> {
        self.host
            .parse::<IpAddr>()
            .is_err()
            .then(|| self.host.clone())
    }
}

/// `host[:port]` or `[v6][:port]`.
fn split_authority(authority: &str) -> Option<(&str, u16)> {
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']')?;
        (host, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        Some(port) => port.parse().ok()?,
        None => 443,
    };
    Some((host, port))
}

/// The request: a GET for `url`, asking the server to close once it has answered,
/// so that the response ends with the connection.
pub fn get_request(url: &Url) -> Vec<u8> {
    format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: tls-connect-https-get\r\nAccept: */*\r\nConnection: close\r\n\r\n",
        url.path, url.authority
    )
    .into_bytes()
}

/// A parsed response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// `HTTP/1.1 200 OK`.
    pub status_line: String,
    /// Header names (as sent) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of header `name`, matched without regard to case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Parses everything the server sent before it closed.
pub fn parse_response(bytes: &[u8]) -> Result<Response, String> {
    let head_end = find(bytes, b"\r\n\r\n").ok_or("the response has no complete header")?;
    let head = std::str::from_utf8(&bytes[..head_end]).map_err(|_| "the header is not UTF-8")?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default().to_owned();
    if !status_line.starts_with("HTTP/1.") {
        return Err(format!("not an HTTP/1.x status line: {status_line:?}"));
    }
    let headers = lines
        .map(|line| {
            line.split_once(':')
                .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
                .ok_or_else(|| format!("bad header line: {line:?}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut response = Response {
        status_line,
        headers,
        body: Vec::new(),
    };
    let rest = &bytes[head_end + 4..];
    response.body = if response
        .header("transfer-encoding")
        .is_some_and(|te| te.eq_ignore_ascii_case("chunked"))
    {
        dechunk(rest)?
    } else if let Some(length) = response.header("content-length") {
        let length: usize = length
            .parse()
            .map_err(|_| format!("bad Content-Length: {length}"))?;
        rest.get(..length)
            .ok_or("the body is shorter than its Content-Length")?
            .to_vec()
    } else {
        rest.to_vec()
    };
    Ok(response)
}

/// Decodes a chunked body; trailers are ignored.
fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    // Bounded by the input: each turn consumes a chunk or returns.
    loop {
        let line_end = find(rest, b"\r\n").ok_or("a chunk size line is cut short")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).map_err(|_| "bad chunk size")?;
        // Chunk extensions (`;name=value`) carry nothing we need.
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| format!("bad chunk size: {size_text:?}"))?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        let chunk = rest.get(..size).ok_or("a chunk is cut short")?;
        body.extend_from_slice(chunk);
        rest = rest
            .get(size..)
            .and_then(|r| r.strip_prefix(b"\r\n"))
            .ok_or("a chunk does not end with CRLF")?;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let url = Url::parse("https://localhost:8443/a?b=c").unwrap();
        assert_eq!((url.host.as_str(), url.port), ("localhost", 8443));
        assert_eq!(url.path, "/a?b=c");
        assert_eq!(url.servername().as_deref(), Some("localhost"));
        let url = Url::parse("https://example.test").unwrap();
        assert_eq!((url.port, url.path.as_str()), (443, "/"));
        let url = Url::parse("https://[::1]:9/").unwrap();
        assert_eq!((url.host.as_str(), url.port), ("::1", 9));
        assert_eq!(url.servername(), None);
        let url = Url::parse("https://127.0.0.1?x").unwrap();
        assert_eq!(url.path, "/?x");
        assert_eq!(url.servername(), None);
        assert!(Url::parse("http://localhost/").is_err());
        assert!(Url::parse("https://localhost:x/").is_err());
        assert!(Url::parse("https://:1/").is_err());
    }

    #[test]
    fn request() {
        let url = Url::parse("https://localhost:8443/x").unwrap();
        let request = String::from_utf8(get_request(&url)).unwrap();
        assert!(request.starts_with("GET /x HTTP/1.1\r\nHost: localhost:8443\r\n"));
        assert!(request.ends_with("Connection: close\r\n\r\n"));
    }

    #[test]
    fn length_delimited() {
        let r = parse_response(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi").unwrap();
        assert_eq!(r.status_line, "HTTP/1.1 200 OK");
        assert_eq!(r.header("content-length"), Some("2"));
        assert_eq!(r.body, b"hi");
        assert!(parse_response(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nhi").is_err());
    }

    #[test]
    fn chunked_and_close_delimited() {
        let r = parse_response(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;x=y\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n",
        )
        .unwrap();
        assert_eq!(r.body, b"hello");
        let r = parse_response(b"HTTP/1.0 404 Not Found\r\n\r\nnope").unwrap();
        assert_eq!(r.status_line, "HTTP/1.0 404 Not Found");
        assert_eq!(r.body, b"nope");
        assert!(parse_response(b"HTTP/1.1 200 OK\r\n").is_err());
        assert!(parse_response(b"SSH-2.0\r\n\r\n").is_err());
    }
}
