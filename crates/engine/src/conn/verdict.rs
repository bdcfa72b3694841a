//! The certificate decision, as Node makes it after the handshake: the chain's
//! verdict, then `checkServerIdentity` (the engine's, or the caller's through
//! `settle_identity`), and `rejectUnauthorized` refuses or records. Nothing
//! the caller wrote leaves before it.

use rustls::pki_types::UnixTime;

use super::{Connection, Fed, Phase, SocketEvent};
use crate::context::dh_bits;
use crate::options::IdentityCheck;
use crate::verify::{self, identity};
use crate::{x509, TlsError};

impl Connection {
    /// The caller's `checkServerIdentity` verdict: `None` accepts. An error
    /// becomes `authorizationError` and, with `rejectUnauthorized`, refuses.
    pub fn settle_identity(&mut self, verdict: Option<TlsError>) -> Result<Fed, TlsError> {
        if self.phase != Phase::AwaitingIdentity {
            return Err(TlsError::invalid_state(
                "No server identity check is pending on this socket",
            ));
        }
        let mut fed = Fed::default();
        match verdict {
            Some(err) => {
                self.verdict.authorization_error = Some(err.code.clone());
                if self.settings.reject_unauthorized {
                    self.refuse();
                    return Err(err);
                }
            }
            None => self.verdict.authorized = true,
        }
        self.go_secure(&mut fed)?;
        self.drain_plaintext(&mut fed)?;
        self.collect_sessions();
        fed.events = self.events.take();
        Ok(fed)
    }

    /// Node's post-handshake decision: the chain's verdict, then checkServerIdentity
    /// when the chain verified; `rejectUnauthorized` refuses or records.
    /// A resumed session keeps its original verdict and skips the identity check;
    /// otherwise the chain is judged, then the name, by the engine or the caller.
    pub(super) fn decide(&mut self, fed: &mut Fed) -> Result<(), TlsError> {
        self.trace_handshake();
        // Taken now, whatever the decision, so no later connection finds it.
        let leaf = self.tls.peer_certificates().and_then(|c| c.first());
        let response = leaf.and_then(|leaf| self.context.verifier.take_ocsp(leaf.as_ref()));
        // Node emits 'OCSPResponse' from OpenSSL's status callback: before the
        // certificate decision and before our Finished is sent, so a host that
        // reports it before sending this batch's bytes lets its handler end the
        // handshake with destroy(). An empty response is none (Node's null).
        if self.settings.request_ocsp {
            let response = response.filter(|r| !r.is_empty());
            self.events.push(SocketEvent::OcspResponse(response));
        }
        // Node checks `minDHSize` first, before the certificate.
        if let Err(err) = self.check_dh_size() {
            self.refuse();
            return Err(err);
        }
        if self.is_session_reused() {
            self.verdict = self.sessions.offered_verdict();
            if let Some(code) = self.verdict.authorization_error.clone() {
                if self.settings.reject_unauthorized {
                    self.refuse();
                    return Err(verify::openssl_error(&code));
                }
            }
            return self.go_secure(fed);
        }
        let verdict = self
            .verify_chain()
            .and_then(|()| match self.settings.identity_check {
                IdentityCheck::Builtin => self.check_identity(),
                IdentityCheck::Caller => Ok(()),
            });
        self.events.trace(format!(
            "TLS client: Server certificate: {}",
            verdict
                .as_ref()
                .map_or_else(|e| e.code.clone(), |()| "ok".to_owned())
        ));
        if let Err(err) = verdict {
            // Node records the code on the socket whether it refuses or not.
            self.verdict.authorization_error = Some(err.code.clone());
            if self.settings.reject_unauthorized {
                self.refuse();
                return Err(err);
            }
            return self.go_secure(fed);
        }
        if self.settings.identity_check == IdentityCheck::Caller {
            self.phase = Phase::AwaitingIdentity;
            fed.check_identity = true;
            return Ok(());
        }
        self.verdict.authorized = true;
        self.go_secure(fed)
    }

    /// Node's `'secureConnect'`, then what was held back.
    fn go_secure(&mut self, fed: &mut Fed) -> Result<(), TlsError> {
        self.phase = Phase::Secure;
        fed.secure_connect = true;
        self.outbox.release(&mut self.tls)?;
        if self.outbox.write_ended() {
            self.tls.send_close_notify();
        }
        Ok(())
    }

    /// `minDHSize`: a finite-field group smaller fails the connection, with
    /// Node's message (which always says 2048, whatever the option).
    fn check_dh_size(&self) -> Result<(), TlsError> {
        let bits = self.tls.negotiated_key_exchange_group().and_then(dh_bits);
        match bits {
            Some(bits) if u64::from(bits) < self.settings.min_dh_bits => Err(TlsError::new(
                "ERR_TLS_DH_PARAM_SIZE",
                format!("DH parameter size {bits} is less than 2048"),
            )),
            _ => Ok(()),
        }
    }

    fn refuse(&mut self) {
        self.phase = Phase::Refused;
        self.outbox.discard();
    }

    fn verify_chain(&self) -> Result<(), TlsError> {
        let chain = self.tls.peer_certificates().unwrap_or(&[]);
        let algorithms = &self
            .context
            .config
            .crypto_provider()
            .signature_verification_algorithms;
        verify::verify_chain(&self.context.trust, algorithms, chain, UnixTime::now())
    }

    fn check_identity(&self) -> Result<(), TlsError> {
        let chain = self.tls.peer_certificates().unwrap_or(&[]);
        let leaf = x509::describe(chain.first().map_or(&[][..], |c| c.as_ref()))?;
        identity::check_server_identity(&self.settings.verify_name, &leaf)
    }

    /// The trace line for a finished handshake.
    fn trace_handshake(&mut self) {
        if !self.events.tracing() {
            return;
        }
        let version = self.protocol().unwrap_or_default();
        let cipher = self.cipher().map(|c| c.standard_name).unwrap_or_default();
        let group = self
            .ephemeral_key_info()
            .and_then(|k| k.name.or(k.size.map(|bits| format!("DH {bits}"))))
            .unwrap_or_else(|| "none".to_owned());
        let certificates = self.tls.peer_certificates().map_or(0, <[_]>::len);
        let kind = if self.is_session_reused() {
            "resumed"
        } else {
            "full"
        };
        self.events.trace(format!(
            "TLS client: Received ServerHello ({version}, {cipher}, key exchange {group}); {kind} handshake; {certificates} server certificate(s)"
        ));
    }
}
