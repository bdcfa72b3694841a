//! Node's default `tls.checkServerIdentity(hostname, cert)`, in Rust, so every
//! host gets the same answer. It reads the same `subjectaltname` string and
//! subject CN that Node reads, with Node's rules:
//! - an IP host name matches `IP Address:` entries only;
//! - otherwise `DNS:` entries, with a wildcard only in the left-most label, at
//!   most one `*`, partial labels (`b*z`) allowed, no `*.tld`, none in `xn--` labels;
//! - the subject CN counts only when there are no DNS entries.

use std::net::IpAddr;

use crate::certinfo::PeerCertificate;
use crate::TlsError;

/// Node's check: `Ok` when `hostname` matches the certificate, else
/// `ERR_TLS_CERT_ALTNAME_INVALID` with Node's reason, message and host.
pub fn check_server_identity(hostname: &str, cert: &PeerCertificate) -> Result<(), TlsError> {
    let alt_names = cert.subjectaltname.as_deref().unwrap_or("");
    let entries = split_alt_names(alt_names)?;
    let dns_names: Vec<&str> = entries
        .iter()
        .filter_map(|e| e.strip_prefix("DNS:"))
        .collect();
    let ips: Vec<String> = entries
        .iter()
        .filter_map(|e| e.strip_prefix("IP Address:"))
        .map(canonical_ip)
        .collect();
    let hostname = hostname.strip_suffix('.').unwrap_or(hostname);
    let common_names: Vec<&str> = cert
        .subject
        .iter()
        .filter(|(key, _)| key == "CN")
        .map(|(_, value)| value.as_str())
        .collect();

    let verdict = if hostname.parse::<IpAddr>().is_ok() {
        let wanted = canonical_ip(hostname);
        ips.contains(&wanted).then_some(()).ok_or_else(|| {
            format!(
                "IP: {hostname} is not in the cert's list: {}",
                ips.join(", ")
            )
        })
    } else if !dns_names.is_empty() {
        let host = host_labels(hostname);
        dns_names
            .iter()
            .any(|pattern| matches(&host, pattern))
            .then_some(())
            .ok_or_else(|| format!("Host: {hostname}. is not in the cert's altnames: {alt_names}"))
    } else if !common_names.is_empty() {
        let host = host_labels(hostname);
        common_names
            .iter()
            .any(|pattern| matches(&host, pattern))
            .then_some(())
            // Node prints a repeated CN as its array joined by commas.
            .ok_or_else(|| {
                format!(
                    "Host: {hostname}. is not cert's CN: {}",
                    common_names.join(",")
                )
            })
    } else {
        Err("Cert does not contain a DNS name".to_owned())
    };
    verdict.map_err(|reason| TlsError {
        code: "ERR_TLS_CERT_ALTNAME_INVALID".into(),
        message: format!("Hostname/IP does not match certificate's altnames: {reason}"),
        reason: Some(reason),
        host: Some(hostname.to_owned()),
    })
}

/// An IP address in the form Node compares: IPv6 compressed, as inet_ntop writes it.
fn canonical_ip(text: &str) -> String {
    text.parse::<IpAddr>()
        .map_or_else(|_| text.to_owned(), |ip| ip.to_string())
}

/// A name as lowercase labels, a trailing dot dropped.
fn host_labels(name: &str) -> Vec<String> {
    let name = name.strip_suffix('.').unwrap_or(name);
    name.to_ascii_lowercase()
        .split('.')
        .map(str::to_owned)
        .collect()
}

/// Node's wildcard match of host labels against one certificate name.
fn matches(host: &[String], pattern: &str) -> bool {
    if pattern.is_empty() {
        return false;
    }
    let pattern = host_labels(pattern);
    if pattern.len() != host.len() || pattern.iter().any(String::is_empty) {
        return false;
    }
    // Anything outside printable ASCII (U-labels, controls, blanks) never matches.
    if pattern
        .iter()
        .any(|label| label.bytes().any(|b| !(0x21..=0x7f).contains(&b)))
    {
        return false;
    }
    if pattern[1..] != host[1..] {
        return false;
    }
    let (first, wanted) = (&pattern[0], &host[0]);
    let pieces: Vec<&str> = first.splitn(3, '*').collect();
    if pieces.len() == 1 || first.contains("xn--") {
        return first == wanted;
    }
    // More than one '*', or a wildcard directly under a top-level domain.
    if pieces.len() > 2 || pattern.len() <= 2 {
        return false;
    }
    let (prefix, suffix) = (pieces[0], pieces[1]);
    prefix.len() + suffix.len() <= wanted.len()
        && wanted.starts_with(prefix)
        && wanted.ends_with(suffix)
}

/// Splits Node's `subjectaltname` string into entries. Entries with special
/// characters are JSON-quoted by Node (`DNS:"a,b"`); they are unquoted here.
fn split_alt_names(text: &str) -> Result<Vec<String>, TlsError> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    if !text.contains('"') {
        return Ok(text.split(", ").map(str::to_owned).collect());
    }
    let mut entries = Vec::new();
    let mut current = String::new();
    let mut rest = text;
    // Bounded: each turn consumes part of `rest`.
    while !rest.is_empty() {
        let comma = rest.find(',');
        let quote = rest.find('"');
        match (quote, comma) {
            (Some(q), c) if c.is_none_or(|c| q < c) => {
                current.push_str(&rest[..q]);
                let (value, used) = json_string(&rest[q..]).ok_or_else(altname_format)?;
                current.push_str(&value);
                rest = &rest[q + used..];
            }
            (_, Some(c)) => {
                current.push_str(&rest[..c]);
                entries.push(std::mem::take(&mut current));
                rest = rest.get(c + 2..).unwrap_or("");
            }
            _ => {
                current.push_str(rest);
                rest = "";
            }
        }
    }
    entries.push(current);
    Ok(entries)
}

/// Node's error for a `subjectaltname` it cannot split.
fn altname_format() -> TlsError {
    TlsError::new(
        "ERR_TLS_CERT_ALTNAME_FORMAT",
        "Invalid subject alternative name string",
    )
}

/// Reads one JSON string literal at the start of `text`: its value and its length.
fn json_string(text: &str) -> Option<(String, usize)> {
    let mut chars = text.char_indices();
    if chars.next()?.1 != '"' {
        return None;
    }
    let mut value = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, i + 1)),
            '\\' => {
                let (_, escaped) = chars.next()?;
                value.push(match escaped {
                    '"' => '"',
                    '\\' => '\\',
                    '/' => '/',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'u' => {
                        let hex: String = (0..4)
                            .filter_map(|_| chars.next().map(|(_, h)| h))
                            .collect();
                        char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
                    }
                    _ => return None,
                });
            }
            c if (c as u32) < 0x20 => return None,
            c => value.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(subjectaltname: Option<&str>, cn: &[&str]) -> PeerCertificate {
        PeerCertificate {
            subject: cn
                .iter()
                .map(|v| ("CN".to_owned(), v.to_string()))
                .collect(),
            subjectaltname: subjectaltname.map(str::to_owned),
            ..PeerCertificate::default()
        }
    }

    /// (hostname, subjectaltname, CNs): checked against Node 20 by
    /// `node_agrees_on_every_case` below.
    const CASES: &[(&str, Option<&str>, &[&str])] = &[
        ("localhost", Some("DNS:localhost"), &[]),
        ("LocalHost.", Some("DNS:localhost"), &[]),
        ("other.test", Some("DNS:agent1, DNS:localhost"), &[]),
        ("a.example.com", Some("DNS:*.example.com"), &[]),
        ("a.b.example.com", Some("DNS:*.example.com"), &[]),
        ("example.com", Some("DNS:*.example.com"), &[]),
        ("foo.com", Some("DNS:*.com"), &[]),
        ("baz.example.com", Some("DNS:b*z.example.com"), &[]),
        ("bz.example.com", Some("DNS:b*z.example.com"), &[]),
        ("bar.example.com", Some("DNS:b*z.example.com"), &[]),
        ("a.example.com", Some("DNS:**.example.com"), &[]),
        ("xn--abc.example.com", Some("DNS:xn--*.example.com"), &[]),
        ("xn--abc.example.com", Some("DNS:xn--abc.example.com"), &[]),
        ("a.x.example.com", Some("DNS:a.*.example.com"), &[]),
        (
            "127.0.0.1",
            Some("DNS:localhost, IP Address:127.0.0.1"),
            &[],
        ),
        ("127.0.0.2", Some("IP Address:127.0.0.1"), &[]),
        ("::1", Some("IP Address:0:0:0:0:0:0:0:1"), &[]),
        ("0:0::1", Some("IP Address:::1"), &[]),
        ("127.0.0.1", Some("DNS:127.0.0.1"), &[]),
        ("localhost", None, &["localhost"]),
        ("other", None, &["localhost"]),
        ("localhost", Some("DNS:other.test"), &["localhost"]),
        ("localhost", Some("IP Address:127.0.0.1"), &["localhost"]),
        ("b", None, &["a", "b"]),
        ("c", None, &["a", "b"]),
        ("localhost", Some("email:a@b.test"), &[]),
        ("a,b.test", Some("DNS:\"a,b.test\""), &[]),
        ("x.test", Some("DNS:\"a,b.test\", DNS:x.test"), &[]),
        ("bad..example.com", Some("DNS:bad..example.com"), &[]),
    ];

    #[test]
    fn node_agrees_on_every_case() {
        let cases: Vec<String> = CASES
            .iter()
            .map(|(host, san, cns)| {
                let san = san.map_or("undefined".to_owned(), |s| format!("{s:?}"));
                let cn = match cns {
                    [] => "undefined".to_owned(),
                    [one] => format!("{one:?}"),
                    many => format!("{many:?}"),
                };
                format!("[{host:?}, {san}, {cn}]")
            })
            .collect();
        let script = format!(
            "const tls = require('tls');
             for (const [h, san, cn] of [{}]) {{
               const cert = {{ subject: cn === undefined ? {{}} : {{ CN: cn }}, subjectaltname: san }};
               const e = tls.checkServerIdentity(h, cert);
               console.log(JSON.stringify(e ? [e.code, e.reason, e.host] : null));
             }}",
            cases.join(", ")
        );
        let node_lines = crate::node_oracle::run(&script, &[]);
        let node: Vec<&str> = node_lines.lines().collect();
        assert_eq!(node.len(), CASES.len());
        for ((host, san, cns), node_says) in CASES.iter().zip(node) {
            let ours = match check_server_identity(host, &cert(*san, cns)) {
                Ok(()) => "null".to_owned(),
                Err(e) => format!(
                    "[{:?},{:?},{:?}]",
                    e.code,
                    e.reason.unwrap(),
                    e.host.unwrap()
                ),
            };
            assert_eq!(ours, node_says, "host {host:?}, san {san:?}, cn {cns:?}");
        }
    }

    #[test]
    fn message_carries_the_reason() {
        let err =
            check_server_identity("other.test", &cert(Some("DNS:localhost"), &[])).unwrap_err();
        assert_eq!(err.code, "ERR_TLS_CERT_ALTNAME_INVALID");
        assert_eq!(
            err.message,
            "Hostname/IP does not match certificate's altnames: Host: other.test. is not in the cert's altnames: DNS:localhost"
        );
    }
}
