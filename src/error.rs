//! Errors as Node reports them: a `code` and a `message`, plus the two extra
//! fields Node sets on `ERR_TLS_CERT_ALTNAME_INVALID`.

use std::fmt;

/// An error in Node's shape. Every failure the engine reports is one of these,
/// so every host shows the same code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsError {
    /// Node's `err.code`.
    pub code: String,
    /// Node's `err.message`.
    pub message: String,
    /// Node's `err.reason` (host-name mismatch only).
    pub reason: Option<String>,
    /// Node's `err.host` (host-name mismatch only).
    pub host: Option<String>,
}

impl TlsError {
    /// An error with a code and a message and nothing else.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            reason: None,
            host: None,
        }
    }

    /// Node's `ERR_TLS_INVALID_STATE`-style misuse of a socket in the wrong mode or state.
    pub fn invalid_state(message: impl Into<String>) -> Self {
        Self::new("ERR_TLS_INVALID_STATE", message)
    }

    /// Node's `ERR_INVALID_ARG_VALUE`: "The property 'options.<name>' is invalid. Received <shown>".
    pub fn invalid_arg_value(property: &str, shown: &str) -> Self {
        Self::new(
            "ERR_INVALID_ARG_VALUE",
            format!("The property 'options.{property}' is invalid. Received {shown}"),
        )
    }
}

impl TlsError {
    /// Node's `ERR_OUT_OF_RANGE`: "The value of \"<name>\" is out of range. It must be <range>. Received <value>".
    pub fn out_of_range(name: &str, range: &str, received: f64) -> Self {
        Self::new(
            "ERR_OUT_OF_RANGE",
            format!(
                "The value of \"{name}\" is out of range. It must be {range}. Received {}",
                node_number(received)
            ),
        )
    }
}

/// A number as Node's error messages print it: integers above 2^32 with `_`
/// between groups of three digits (`4_294_967_296`), others as JavaScript prints them.
pub fn node_number(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if value.fract() != 0.0 || value.abs() >= 1e21 {
        return format!("{value}");
    }
    let digits = format!("{}", value.abs() as u128);
    let sign = if value < 0.0 { "-" } else { "" };
    if value.abs() <= 4_294_967_296.0 {
        return format!("{sign}{digits}");
    }
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('_');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped}")
}

impl fmt::Display for TlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for TlsError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_node_prints_them() {
        assert_eq!(node_number(0.0), "0");
        assert_eq!(node_number(-1.0), "-1");
        assert_eq!(node_number(1.5), "1.5");
        assert_eq!(node_number(f64::NAN), "NaN");
        assert_eq!(node_number(4_294_967_296.0), "4294967296");
        assert_eq!(node_number(4_294_967_297.0), "4_294_967_297");
    }
}
