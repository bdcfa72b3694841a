//! Node's default `tls.checkServerIdentity(hostname, cert)`, in Rust, so every
//! host gets Node's answer. It reads the same `subjectaltname` string and subject
//! CN that Node reads, with the rules of Node's `lib/tls.js`:
//! - an IP host name (as `net.isIP` sees it) matches `IP Address:` entries only,
//!   both sides compared in libuv's canonical form;
//! - otherwise `DNS:` entries match, ASCII case-insensitively, with a wildcard
//!   only in the left-most label, at most one `*`, partial labels (`b*z`)
//!   allowed, no `*.tld`, none in `xn--` labels, nothing outside printable ASCII;
//! - the subject CN counts only when there are no `DNS:` entries.

use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::x509::PeerCertificate;
use crate::TlsError;

/// Node's default checkServerIdentity: Ok when `hostname` matches the certificate.
///
/// A mismatch is `ERR_TLS_CERT_ALTNAME_INVALID` with Node's message, `reason`
/// and `host`. A `subjectaltname` Node cannot split is
/// `ERR_TLS_CERT_ALTNAME_FORMAT` (which Node throws rather than returns).
pub fn check_server_identity(hostname: &str, cert: &PeerCertificate) -> Result<(), TlsError> {
    let alt_names = cert.subjectaltname.as_deref().unwrap_or("");
    let mut dns_names = Vec::new();
    let mut ips = Vec::new();
    for entry in split_alt_names(alt_names)? {
        if let Some(name) = entry.strip_prefix("DNS:") {
            dns_names.push(name.to_owned());
        } else if let Some(ip) = entry.strip_prefix("IP Address:") {
            ips.push(canonical_ip(ip));
        }
    }
    // One trailing dot goes, for matching and in the messages.
    let hostname = hostname.strip_suffix('.').unwrap_or(hostname);

    let reason = if is_ip(hostname) {
        if ips.contains(&canonical_ip(hostname)) {
            return Ok(());
        }
        // An entry that does not canonicalise is `undefined` to Node, joined as "".
        let list: Vec<&str> = ips.iter().map(|ip| ip.as_deref().unwrap_or("")).collect();
        format!(
            "IP: {hostname} is not in the cert's list: {}",
            list.join(", ")
        )
    } else if !dns_names.is_empty() {
        let host = split_host(hostname);
        if dns_names.iter().any(|pattern| matches(&host, pattern)) {
            return Ok(());
        }
        format!("Host: {hostname}. is not in the cert's altnames: {alt_names}")
    } else if let Some(common_names) = common_names(cert) {
        let host = split_host(hostname);
        if common_names.iter().any(|pattern| matches(&host, pattern)) {
            return Ok(());
        }
        // A repeated CN is an array to Node, shown joined by commas.
        format!(
            "Host: {hostname}. is not cert's CN: {}",
            common_names.join(",")
        )
    } else {
        "Cert does not contain a DNS name".to_owned()
    };
    Err(TlsError {
        code: "ERR_TLS_CERT_ALTNAME_INVALID".to_owned(),
        message: format!("Hostname/IP does not match certificate's altnames: {reason}"),
        reason: Some(reason),
        host: Some(hostname.to_owned()),
    })
}

/// The subject CN as Node's `subject?.CN` sees it: none, or one empty string,
/// counts as absent; a repeated CN is an array, which always counts.
fn common_names(cert: &PeerCertificate) -> Option<Vec<&str>> {
    let names: Vec<&str> = cert
        .subject
        .iter()
        .filter(|(key, _)| key == "CN")
        .map(|(_, value)| value.as_str())
        .collect();
    match names.as_slice() {
        [] | [""] => None,
        _ => Some(names),
    }
}

/// A name as Node's `splitHost` makes it: one trailing dot dropped, A-Z
/// lowercased (nothing else), split at dots.
fn split_host(name: &str) -> Vec<String> {
    let name = name.strip_suffix('.').unwrap_or(name);
    name.to_ascii_lowercase()
        .split('.')
        .map(str::to_owned)
        .collect()
}

/// Node's match of host labels against one certificate name (`check()` in
/// lib/tls.js, wildcards allowed).
fn matches(host: &[String], pattern: &str) -> bool {
    if pattern.is_empty() {
        return false;
    }
    let pattern = split_host(pattern);
    if pattern.len() != host.len() || pattern.iter().any(String::is_empty) {
        return false;
    }
    // U-labels, controls and blanks never match.
    if pattern
        .iter()
        .any(|label| label.chars().any(|c| !('\u{21}'..='\u{7f}').contains(&c)))
    {
        return false;
    }
    if !pattern.iter().skip(1).eq(host.iter().skip(1)) {
        return false;
    }
    let (Some(first), Some(wanted)) = (pattern.first(), host.first()) else {
        return false;
    };
    let pieces: Vec<&str> = first.split('*').collect();
    // No wildcard, or an A-label, which RFC 6125 says to match verbatim.
    if pieces.len() == 1 || first.contains("xn--") {
        return first == wanted;
    }
    // More than one '*', or a wildcard directly under a top-level domain.
    let [prefix, suffix] = pieces.as_slice() else {
        return false;
    };
    if pattern.len() <= 2 {
        return false;
    }
    prefix.len() + suffix.len() <= wanted.len()
        && wanted.starts_with(prefix)
        && wanted.ends_with(suffix)
}

/// Node's `net.isIP`: a dotted quad without leading zeros, or an IPv6 address
/// with an optional `%zone` of letters, digits, `-`, `.` and `:`.
fn is_ip(text: &str) -> bool {
    if text.parse::<Ipv4Addr>().is_ok() {
        return true;
    }
    let (address, zone) = match text.split_once('%') {
        Some((address, zone)) => (address, Some(zone)),
        None => (text, None),
    };
    let zone_ok = zone.is_none_or(|zone| {
        !zone.is_empty()
            && zone
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b':'))
    });
    zone_ok && address.parse::<Ipv6Addr>().is_ok()
}

/// Node's `canonicalizeIP` (libuv's `inet_pton` then `inet_ntop`); `None` is
/// its `undefined`. libuv ignores an IPv6 zone.
fn canonical_ip(text: &str) -> Option<String> {
    if let Ok(v4) = text.parse::<Ipv4Addr>() {
        return Some(v4.to_string());
    }
    let address = text.split_once('%').map_or(text, |(address, _)| address);
    // libuv refuses an address part longer than INET6_ADDRSTRLEN - 1.
    if address.len() > 45 {
        return None;
    }
    address.parse::<Ipv6Addr>().ok().map(|v6| ntop6(&v6))
}

/// libuv's `inet_ntop6`: lowercase hex, the first longest run of two or more
/// zero groups as `::`, and a trailing IPv4 for `::a.b.c.d` and `::ffff:a.b.c.d`.
fn ntop6(address: &Ipv6Addr) -> String {
    let words = address.segments();
    let mut best: Option<(usize, usize)> = None;
    let mut run: Option<(usize, usize)> = None;
    let mut close = |run: &mut Option<(usize, usize)>| {
        if let Some(done) = run.take() {
            if best.is_none_or(|b| done.1 > b.1) {
                best = Some(done);
            }
        }
    };
    for (i, word) in words.iter().enumerate() {
        if *word == 0 {
            run = Some(run.map_or((i, 1), |(base, len)| (base, len + 1)));
        } else {
            close(&mut run);
        }
    }
    close(&mut run);
    let best = best.filter(|&(_, len)| len >= 2);

    let mut out = String::new();
    for (i, word) in words.iter().enumerate() {
        if let Some((base, len)) = best {
            if (base..base + len).contains(&i) {
                if i == base {
                    out.push(':');
                }
                continue;
            }
        }
        if i != 0 {
            out.push(':');
        }
        let embeds_v4 = matches!(best, Some((0, len))
            if len == 6 || (len == 7 && words[7] != 1) || (len == 5 && words[5] == 0xffff));
        if i == 6 && embeds_v4 {
            let [.., a, b, c, d] = address.octets();
            let _ = write!(out, "{a}.{b}.{c}.{d}");
            return out;
        }
        let _ = write!(out, "{word:x}");
    }
    if best.is_some_and(|(base, len)| base + len == words.len()) {
        out.push(':');
    }
    out
}

/// Splits Node's `subjectaltname` string into entries, as Node's
/// `splitEscapedAltNames` does: entries are separated by `", "`, and a
/// JSON-quoted stretch (`DNS:"a\u002cb"`) is unquoted in place.
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
                current.push_str(rest.get(..q).unwrap_or(""));
                let literal = rest.get(q..).unwrap_or("");
                let (value, used) = json_string(literal).ok_or_else(altname_format)?;
                current.push_str(&value);
                rest = literal.get(used..).unwrap_or("");
            }
            (_, Some(c)) => {
                current.push_str(rest.get(..c).unwrap_or(""));
                entries.push(std::mem::take(&mut current));
                // Node skips the comma and one UTF-16 unit (normally the space);
                // half of a surrogate pair it would leave behind becomes U+FFFD.
                let mut after = rest.get(c + 1..).unwrap_or("").chars();
                if after.next().is_some_and(|skipped| skipped.len_utf16() == 2) {
                    current.push('\u{FFFD}');
                }
                rest = after.as_str();
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

/// Reads the JSON string literal at the start of `text`: its value and its
/// length in bytes. A lone surrogate escape, which Rust strings cannot hold,
/// becomes U+FFFD.
fn json_string(text: &str) -> Option<(String, usize)> {
    let mut chars = text.char_indices();
    if chars.next()?.1 != '"' {
        return None;
    }
    let mut value = String::new();
    let mut pending_high: Option<u32> = None;
    while let Some((i, c)) = chars.next() {
        let unit = match c {
            '"' => None,
            '\\' => match chars.next()?.1 {
                'u' => {
                    let hex: String = chars.by_ref().take(4).map(|(_, h)| h).collect();
                    if hex.len() != 4 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return None;
                    }
                    Some(u32::from_str_radix(&hex, 16).ok()?)
                }
                '"' => Some(u32::from('"')),
                '\\' => Some(u32::from('\\')),
                '/' => Some(u32::from('/')),
                'b' => Some(0x08),
                'f' => Some(0x0c),
                'n' => Some(0x0a),
                'r' => Some(0x0d),
                't' => Some(0x09),
                _ => return None,
            },
            c if u32::from(c) < 0x20 => return None,
            c => Some(u32::from(c)),
        };
        // Pair surrogate escapes the way JSON.parse's UTF-16 string would.
        if let Some(high) = pending_high.take() {
            match unit {
                Some(low @ 0xdc00..=0xdfff) => {
                    let code = 0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00);
                    value.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                    continue;
                }
                _ => value.push('\u{FFFD}'),
            }
        }
        match unit {
            None => return Some((value, i + 1)),
            Some(high @ 0xd800..=0xdbff) => pending_high = Some(high),
            Some(unit) => value.push(char::from_u32(unit).unwrap_or('\u{FFFD}')),
        }
    }
    None
}

#[cfg(test)]
mod tests;
