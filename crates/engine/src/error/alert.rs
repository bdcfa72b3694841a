//! Node's codes for TLS failures that are not certificate decisions: alerts from
//! the server, protocol errors, and the end of the stream during the handshake.
//! Node shows OpenSSL's errors as `ERR_SSL_<REASON>` with the text
//! `error:0A000<nnn>:SSL routines::<reason>`.

use rustls::{AlertDescription, CertificateError, Error, InvalidMessage};

use crate::TlsError;

/// OpenSSL's reason text for an alert received from the peer.
fn alert_reason(alert: AlertDescription) -> Option<&'static str> {
    use AlertDescription as A;
    Some(match alert {
        A::UnexpectedMessage => "ssl/tls alert unexpected message",
        A::BadRecordMac => "ssl/tls alert bad record mac",
        A::DecompressionFailure => "ssl/tls alert decompression failure",
        A::HandshakeFailure => "ssl/tls alert handshake failure",
        A::NoCertificate => "ssl/tls alert no certificate",
        A::BadCertificate => "ssl/tls alert bad certificate",
        A::UnsupportedCertificate => "ssl/tls alert unsupported certificate",
        A::CertificateRevoked => "ssl/tls alert certificate revoked",
        A::CertificateExpired => "ssl/tls alert certificate expired",
        A::CertificateUnknown => "ssl/tls alert certificate unknown",
        A::IllegalParameter => "ssl/tls alert illegal parameter",
        A::DecryptionFailed => "tlsv1 alert decryption failed",
        A::RecordOverflow => "tlsv1 alert record overflow",
        A::UnknownCA => "tlsv1 alert unknown ca",
        A::AccessDenied => "tlsv1 alert access denied",
        A::DecodeError => "tlsv1 alert decode error",
        A::DecryptError => "tlsv1 alert decrypt error",
        A::ExportRestriction => "tlsv1 alert export restriction",
        A::ProtocolVersion => "tlsv1 alert protocol version",
        A::InsufficientSecurity => "tlsv1 alert insufficient security",
        A::InternalError => "tlsv1 alert internal error",
        A::InappropriateFallback => "tlsv1 alert inappropriate fallback",
        A::UserCanceled => "tlsv1 alert user cancelled",
        A::NoRenegotiation => "tlsv1 alert no renegotiation",
        A::MissingExtension => "tlsv13 alert missing extension",
        A::UnsupportedExtension => "tlsv1 unsupported extension",
        A::CertificateUnobtainable => "tlsv1 certificate unobtainable",
        A::UnrecognisedName => "tlsv1 unrecognized name",
        A::BadCertificateStatusResponse => "tlsv1 bad certificate status response",
        A::BadCertificateHashValue => "tlsv1 bad certificate hash value",
        A::UnknownPSKIdentity => "tlsv1 alert unknown psk identity",
        A::CertificateRequired => "tlsv13 alert certificate required",
        A::NoApplicationProtocol => "tlsv1 alert no application protocol",
        _ => return None,
    })
}

/// Node's error for a rustls failure met while the server's records are not
/// encrypted yet: OpenSSL 3.5 calls a record longer than TLS allows there
/// "data length too long"; otherwise as [`from_rustls`].
pub(crate) fn from_rustls_before_encryption(err: &Error) -> TlsError {
    match err {
        Error::InvalidMessage(InvalidMessage::MessageTooLarge) => {
            TlsError::ssl(0x92, "data length too long")
        }
        other => from_rustls(other),
    }
}

/// Node's error for a rustls failure.
pub(crate) fn from_rustls(err: &Error) -> TlsError {
    match err {
        Error::AlertReceived(alert) => match alert_reason(*alert) {
            // OpenSSL's reason code for an alert is 1000 plus the alert number.
            Some(reason) => TlsError::ssl(1000 + u32::from(u8::from(*alert)), reason),
            None => TlsError::ssl(0x3F8, "unknown alert type"),
        },
        // The first bytes were not a TLS record: OpenSSL calls this a version mismatch.
        Error::InvalidMessage(
            InvalidMessage::InvalidContentType | InvalidMessage::UnknownProtocolVersion,
        ) => TlsError::ssl(0x10B, "wrong version number"),
        // An encrypted record longer than TLS allows (OpenSSL 3.0 said
        // "packet length too long").
        Error::InvalidMessage(InvalidMessage::MessageTooLarge) => {
            TlsError::ssl(0x96, "encrypted length too long")
        }
        // A handshake message over rustls's cap of 65,535 bytes (a server's
        // certificate message, in practice): refused as OpenSSL refuses one
        // over its limit (102,400 bytes for a certificate message). rustls's cap
        // is fixed, so messages between the two are refused here, not in Node
        // (README, "Hostile peers and bad input").
        Error::InvalidMessage(
            InvalidMessage::HandshakePayloadTooLarge | InvalidMessage::CertificatePayloadTooLarge,
        ) => excessive_message_size(),
        Error::InvalidMessage(_) => TlsError::ssl(0x9F, "bad record type"),
        Error::DecryptError => TlsError::ssl(0x119, "decryption failed or bad record mac"),
        Error::NoApplicationProtocol => TlsError::ssl(0x460, "tlsv1 alert no application protocol"),
        Error::PeerIncompatible(_) => TlsError::ssl(0x410, "ssl/tls alert handshake failure"),
        // rustls refuses a TLS 1.2 ServerKeyExchange signed by a scheme it does
        // not name (rsa_pss_pss_*, by an RSA-PSS key) as the wrong algorithm.
        Error::PeerMisbehaved(
            rustls::PeerMisbehaved::SignedHandshakeWithUnadvertisedSigScheme
            | rustls::PeerMisbehaved::SignedKxWithWrongAlgorithm,
        ) => TlsError::ssl(0x172, "wrong signature type"),
        // A failure the verifier already named (verify.rs) comes through rustls whole.
        Error::InvalidCertificate(CertificateError::Other(other)) => {
            match other.0.downcast_ref::<TlsError>() {
                Some(named) => named.clone(),
                None => verify_failed(),
            }
        }
        Error::InvalidCertificate(_) => verify_failed(),
        other => TlsError::new("ERR_SSL_PROTOCOL_ERROR", format!("TLS failure: {other}")),
    }
}

/// Node's error for a failure of rustls's `read_tls`. rustls refuses to buffer
/// more than 64 KiB while it joins a handshake message (the message and the
/// framing of its records): that is a message too large, as OpenSSL names it.
pub(crate) fn from_read_error(err: &std::io::Error) -> TlsError {
    if err.kind() == std::io::ErrorKind::InvalidData && err.to_string() == "message buffer full" {
        return excessive_message_size();
    }
    TlsError::new("ERR_SSL_PROTOCOL_ERROR", err.to_string())
}

/// OpenSSL's error for a handshake message over its limit.
fn excessive_message_size() -> TlsError {
    TlsError::ssl(0x98, "excessive message size")
}

/// OpenSSL's error for a certificate refused during the handshake.
fn verify_failed() -> TlsError {
    TlsError::ssl(0x86, "certificate verify failed")
}

/// Node's `ECONNRESET` when the stream ends before the handshake is done.
pub(crate) fn disconnected_before_secure() -> TlsError {
    TlsError::new(
        "ECONNRESET",
        "Client network socket disconnected before secure TLS connection was established",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts Node's code and OpenSSL's text.
    fn assert_openssl(err: &TlsError, code: &str, message: &str) {
        assert_eq!((err.code.as_str(), err.message.as_str()), (code, message));
    }

    /// A server signing with a scheme the ClientHello did not offer.
    #[test]
    fn an_unoffered_signature_scheme_is_openssls_wrong_signature_type() {
        let err =
            from_rustls(&rustls::PeerMisbehaved::SignedHandshakeWithUnadvertisedSigScheme.into());
        assert_openssl(
            &err,
            "ERR_SSL_WRONG_SIGNATURE_TYPE",
            "error:0A000172:SSL routines::wrong signature type",
        );
    }

    #[test]
    fn alerts_use_openssl_codes_and_text() {
        let err = from_rustls(&Error::AlertReceived(AlertDescription::HandshakeFailure));
        assert_openssl(
            &err,
            "ERR_SSL_SSL/TLS_ALERT_HANDSHAKE_FAILURE",
            "error:0A000410:SSL routines::ssl/tls alert handshake failure",
        );
        let err = from_rustls(&Error::AlertReceived(AlertDescription::CertificateRequired));
        assert_openssl(
            &err,
            "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED",
            "error:0A00045C:SSL routines::tlsv13 alert certificate required",
        );
        let err = from_rustls(&Error::AlertReceived(
            AlertDescription::NoApplicationProtocol,
        ));
        assert_eq!(err.code, "ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL");
    }

    #[test]
    fn a_failure_named_by_the_verifier_passes_through() {
        let named = TlsError::new("UNSPECIFIED", "EE certificate key too weak");
        let err = Error::InvalidCertificate(CertificateError::Other(rustls::OtherError(
            std::sync::Arc::new(named.clone()),
        )));
        assert_eq!(from_rustls(&err), named);
        let err = Error::InvalidCertificate(CertificateError::BadSignature);
        assert_eq!(from_rustls(&err).code, "ERR_SSL_CERTIFICATE_VERIFY_FAILED");
    }

    #[test]
    fn oversized_records_are_too_long_for_their_kind() {
        let too_large = Error::InvalidMessage(InvalidMessage::MessageTooLarge);
        assert_openssl(
            &from_rustls(&too_large),
            "ERR_SSL_ENCRYPTED_LENGTH_TOO_LONG",
            "error:0A000096:SSL routines::encrypted length too long",
        );
        assert_openssl(
            &from_rustls_before_encryption(&too_large),
            "ERR_SSL_DATA_LENGTH_TOO_LONG",
            "error:0A000092:SSL routines::data length too long",
        );
    }

    #[test]
    fn oversized_handshake_messages_are_excessive() {
        let err = from_rustls(&Error::InvalidMessage(
            InvalidMessage::HandshakePayloadTooLarge,
        ));
        assert_openssl(
            &err,
            "ERR_SSL_EXCESSIVE_MESSAGE_SIZE",
            "error:0A000098:SSL routines::excessive message size",
        );
    }

    #[test]
    fn non_tls_bytes_are_a_wrong_version_number() {
        let err = from_rustls(&Error::InvalidMessage(InvalidMessage::InvalidContentType));
        assert_openssl(
            &err,
            "ERR_SSL_WRONG_VERSION_NUMBER",
            "error:0A00010B:SSL routines::wrong version number",
        );
    }
}
