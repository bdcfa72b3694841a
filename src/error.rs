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

impl fmt::Display for TlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for TlsError {}
