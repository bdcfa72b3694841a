//! The handler's answers, as status and JSON body: the echo (200), a failed
//! connection with Node's code and message (502), or a request it cannot serve
//! (400, 413). Every body is a JSON object.

use std::time::Duration;

use example_plugins::tls::Failure;

use crate::exchange::Echoed;
use crate::json::Object;

/// The media type of every body.
pub const CONTENT_TYPE: &str = "application/json";

/// One answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: String,
    /// The backend's handshake, reported as `Server-Timing: tls;dur=MS`.
    pub handshake: Option<Duration>,
}

impl Reply {
    /// 200: `{"authorized", "authorizationError", "protocol", "echo"}`. The echo is
    /// text: bytes that are not UTF-8 become U+FFFD.
    pub fn echoed(echoed: &Echoed) -> Self {
        let body = Object::new()
            .boolean("authorized", echoed.authorized)
            .optional("authorizationError", echoed.authorization_error.as_deref())
            .optional("protocol", echoed.protocol.as_deref())
            .string("echo", &String::from_utf8_lossy(&echoed.echo))
            .finish();
        Self {
            status: 200,
            body,
            handshake: Some(echoed.handshake),
        }
    }

    /// 502 Bad Gateway: `{"code", "message"}` as Node reports the failure
    /// (`ECONNREFUSED`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, ...); a failure that is
    /// not Node's (the echo grew too long) has only a message.
    pub fn failed(failure: &Failure) -> Self {
        let body = match failure {
            Failure::Tls(err) => Object::new()
                .string("code", &err.code)
                .string("message", &err.message),
            Failure::Other(message) => Object::new().string("message", message),
        };
        Self::error(502, body)
    }

    /// 400 Bad Request: `{"message"}`.
    pub fn bad_request(message: &str) -> Self {
        Self::error(400, Object::new().string("message", message))
    }

    /// 413 Content Too Large: the request body is over `limit` bytes.
    pub fn too_large(limit: usize) -> Self {
        let message = format!("the request body is over {limit} bytes");
        Self::error(413, Object::new().string("message", &message))
    }

    /// 500: the handler could not do its part (the host refused a wasi:http call).
    pub fn internal(message: &str) -> Self {
        Self::error(500, Object::new().string("message", message))
    }

    fn error(status: u16, body: Object) -> Self {
        Self {
            status,
            body: body.finish(),
            handshake: None,
        }
    }

    /// The `Server-Timing` header's value, when there was a handshake:
    /// `tls;dur=1.234` (milliseconds).
    pub fn server_timing(&self) -> Option<String> {
        self.handshake
            .map(|d| format!("tls;dur={:.3}", d.as_secs_f64() * 1000.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use example_plugins::tls::TlsError;

    #[test]
    fn echo_answer() {
        let reply = Reply::echoed(&Echoed {
            authorized: true,
            authorization_error: None,
            protocol: Some("TLSv1.3".into()),
            echo: b"hello\n\xff".to_vec(),
            handshake: Duration::from_micros(1500),
        });
        assert_eq!(reply.status, 200);
        assert_eq!(
            reply.body,
            "{\"authorized\":true,\"authorizationError\":null,\"protocol\":\"TLSv1.3\",\"echo\":\"hello\\n\u{fffd}\"}"
        );
        assert_eq!(reply.server_timing().as_deref(), Some("tls;dur=1.500"));
    }

    #[test]
    fn failures() {
        let refused = Reply::failed(&Failure::Tls(TlsError {
            code: "ECONNREFUSED".into(),
            message: "connect ECONNREFUSED 127.0.0.1:1".into(),
            reason: None,
            host: None,
        }));
        assert_eq!(refused.status, 502);
        assert_eq!(
            refused.body,
            r#"{"code":"ECONNREFUSED","message":"connect ECONNREFUSED 127.0.0.1:1"}"#
        );
        assert_eq!(refused.server_timing(), None);
        let other = Reply::failed(&Failure::Other("too long".into()));
        assert_eq!(other.body, r#"{"message":"too long"}"#);
        assert_eq!(Reply::bad_request("no port").status, 400);
        assert_eq!(Reply::too_large(1).status, 413);
        assert_eq!(Reply::internal("x").status, 500);
    }
}
