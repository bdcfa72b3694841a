//! Node's `net.isIP`.

/// Node's `net.isIP(text) != 0`: dotted-quad IPv4 without leading zeros, or
/// IPv6 text, optionally followed by a zone (`fe80::1%eth0`).
pub(crate) fn is_ip(text: &str) -> bool {
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
