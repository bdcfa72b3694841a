//! Errors as Node reports them: a `code` and a `message`, plus the two extra
//! fields Node sets on `ERR_TLS_CERT_ALTNAME_INVALID`.

pub(crate) mod alert;

use std::fmt;

use crate::javascript::received_number;

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

    /// An error of OpenSSL's SSL library as Node shows it: the code
    /// `ERR_SSL_<REASON>` and the text `error:0A<nnnnnn>:SSL routines::<reason>`,
    /// where `code` is OpenSSL's reason code (with its function bits, if any).
    pub(crate) fn ssl(code: u32, reason: &str) -> Self {
        let name = format!("ERR_SSL_{}", reason.to_uppercase().replace([' ', '-'], "_"));
        // OpenSSL 3 packs the library (20, SSL) into the top bits: 0x0A000000.
        let message = format!("error:{:08X}:SSL routines::{reason}", 0x0A00_0000 | code);
        Self::new(name, message)
    }

    /// Node's `ERR_TLS_INVALID_STATE`-style misuse of a socket in the wrong mode or state.
    pub fn invalid_state(message: impl Into<String>) -> Self {
        Self::new("ERR_TLS_INVALID_STATE", message)
    }

    /// Node's `ERR_INVALID_ARG_VALUE`: "The property 'options.<name>' is invalid. Received <shown>".
    pub fn invalid_arg_value(property: &str, shown: &str) -> Self {
        Self::invalid_arg_value_because(property, "is invalid", shown)
    }

    /// Node's `ERR_INVALID_ARG_VALUE` with its own reason: "The property
    /// 'options.<name>' <reason>. Received <shown>".
    pub fn invalid_arg_value_because(property: &str, reason: &str, shown: &str) -> Self {
        Self::new(
            "ERR_INVALID_ARG_VALUE",
            format!("The property 'options.{property}' {reason}. Received {shown}"),
        )
    }

    /// Node's `ERR_OUT_OF_RANGE`: "The value of \"<name>\" is out of range. It must be <range>. Received <value>".
    pub fn out_of_range(name: &str, range: &str, received: f64) -> Self {
        Self::new(
            "ERR_OUT_OF_RANGE",
            format!(
                "The value of \"{name}\" is out of range. It must be {range}. Received {}",
                received_number(received)
            ),
        )
    }
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

    /// The received value as Node's `ERR_OUT_OF_RANGE` prints it: `util.inspect`
    /// (so `-0` and `1e-7`), and `_` between digit groups above 2^32.
    #[test]
    fn out_of_range_prints_the_value_as_node_does() {
        let received = |value: f64| {
            let message = TlsError::out_of_range("length", "an integer", value).message;
            message
                .rsplit_once("Received ")
                .map(|(_, shown)| shown.to_owned())
                .unwrap_or_default()
        };
        assert_eq!(received(0.0), "0");
        assert_eq!(received(-0.0), "-0");
        assert_eq!(received(-1.0), "-1");
        assert_eq!(received(1.5), "1.5");
        assert_eq!(received(1e-7), "1e-7");
        assert_eq!(received(f64::NAN), "NaN");
        assert_eq!(received(4_294_967_296.0), "4294967296");
        assert_eq!(received(4_294_967_297.0), "4_294_967_297");
    }
}
