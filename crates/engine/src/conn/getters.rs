//! Node's `TLSSocket` getters and the socket methods that read or tune a
//! connection: `authorized`, `getProtocol()`, `getCipher()`,
//! `getPeerCertificate()`, `getSession()`, `exportKeyingMaterial()`, ...

use rustls::{HandshakeKind, NamedGroup, ProtocolVersion};

use super::{Connection, Phase};
use crate::context::{dh_bits, names, SECP384R1_MLKEM1024};
use crate::x509::{self, PeerCertificate};
use crate::TlsError;

/// The most keying material exported on TLS 1.2 (TLS 1.3's HKDF stops at 255
/// hashes by itself): a caller's length must not become an allocation that
/// traps the guest.
const MAX_EXPORT_TLS12: usize = 16 * 1024 * 1024;

/// `getEphemeralKeyInfo()`'s answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EphemeralKeyInfo {
    /// `type`: 'ECDH', 'DH' for a finite-field group, or 'TLSGroup' for a
    /// group OpenSSL gives no size (ML-KEM).
    pub kind: String,
    /// `name`: OpenSSL's name of the group; `None` for 'DH', which Node 26
    /// leaves unnamed.
    pub name: Option<String>,
    /// `size`: bits, as OpenSSL counts them; `None` for a 'TLSGroup'.
    pub size: Option<u32>,
}

/// `getCipher()`'s answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CipherInfo {
    /// OpenSSL's name.
    pub name: String,
    /// IANA's name.
    pub standard_name: String,
    /// 'TLSv1.3' or 'TLSv1.2'.
    pub version: String,
}

impl Connection {
    /// Whether the connection was destroyed.
    pub fn is_destroyed(&self) -> bool {
        matches!(self.phase, Phase::Refused | Phase::Destroyed)
    }

    /// Whether `'secureConnect'` has happened.
    pub fn is_secure(&self) -> bool {
        self.phase == Phase::Secure
    }

    /// Whether the handshake waits for the caller's `settle_identity`.
    pub fn awaits_identity(&self) -> bool {
        self.phase == Phase::AwaitingIdentity
    }

    /// Whether the server has ended its side.
    pub fn peer_ended(&self) -> bool {
        self.peer_ended
    }

    /// `socket.authorized`.
    pub fn authorized(&self) -> bool {
        self.verdict.authorized
    }

    /// `socket.authorizationError`.
    pub fn authorization_error(&self) -> Option<String> {
        self.verdict.authorization_error.clone()
    }

    /// `socket.alpnProtocol`; `None` is Node's `false`.
    pub fn alpn_protocol(&self) -> Option<String> {
        self.tls
            .alpn_protocol()
            .map(|p| String::from_utf8_lossy(p).into_owned())
    }

    /// `socket.servername`; `None` is Node's `false`.
    pub fn servername(&self) -> Option<String> {
        self.settings.sni.clone()
    }

    /// `getProtocol()`: `None` after destroy. Before the handshake ends Node
    /// says 'TLSv1.3' whatever the version range: OpenSSL reports the highest
    /// version its method knows until one is negotiated.
    pub fn protocol(&self) -> Option<String> {
        match self.phase {
            Phase::Refused | Phase::Destroyed => None,
            Phase::Handshaking | Phase::AwaitingIdentity => Some("TLSv1.3".to_owned()),
            Phase::Secure => Some(
                self.tls
                    .protocol_version()
                    .map_or_else(|| "unknown".to_owned(), names::protocol_name),
            ),
        }
    }

    /// `getCipher()`; `None` before the handshake.
    pub fn cipher(&self) -> Option<CipherInfo> {
        let suite = self.tls.negotiated_cipher_suite()?;
        let (name, standard_name) = names::cipher_names(suite.suite());
        Some(CipherInfo {
            name,
            standard_name,
            version: names::protocol_name(suite.version().version),
        })
    }

    /// `getPeerCertificate(detailed)`: the leaf, then (detailed) the rest of the
    /// chain the server sent. Empty is Node's `{}`; `None` is `null` after destroy.
    pub fn peer_certificates(&self, detailed: bool) -> Option<Vec<PeerCertificate>> {
        if self.phase == Phase::Destroyed {
            return None;
        }
        // Node gives `{}` on a resumed session: OpenSSL keeps no chain in it.
        if self.is_session_reused() {
            return Some(Vec::new());
        }
        let chain = self.tls.peer_certificates().unwrap_or(&[]);
        let (sent, issuers) = if detailed {
            // Node continues the chain with issuers from the client's trust store.
            (chain, self.context.trust.issuers_after(chain))
        } else {
            (&chain[..chain.len().min(1)], Vec::new())
        };
        Some(
            sent.iter()
                .chain(&issuers)
                .map_while(|der| x509::describe(der).ok())
                .collect(),
        )
    }

    /// `getCertificate()`: this side's certificate, when one is configured.
    pub fn own_certificate(&self) -> Option<PeerCertificate> {
        let resolver = &self.context.config.client_auth_cert_resolver;
        let certified = crate::credentials::configured_identity(resolver.as_ref())?;
        x509::describe(certified.cert.first()?.as_ref()).ok()
    }

    /// `isSessionReused()`.
    pub fn is_session_reused(&self) -> bool {
        self.tls.handshake_kind() == Some(HandshakeKind::Resumed)
    }

    /// `getSession()`: the newest session; `None` before `'secureConnect'`.
    pub fn session(&mut self) -> Option<Vec<u8>> {
        if self.phase != Phase::Secure {
            return None;
        }
        Some(self.sessions.latest(&self.verdict))
    }

    /// `getEphemeralKeyInfo()`; `None` before the handshake or without a key exchange.
    pub fn ephemeral_key_info(&self) -> Option<EphemeralKeyInfo> {
        if !matches!(self.phase, Phase::Secure | Phase::AwaitingIdentity) {
            return None;
        }
        let negotiated = self.tls.negotiated_key_exchange_group()?;
        if let Some(bits) = dh_bits(negotiated) {
            return Some(EphemeralKeyInfo {
                kind: "DH".to_owned(),
                name: None,
                size: Some(bits),
            });
        }
        let (name, size) = match negotiated.name() {
            NamedGroup::X25519 => ("X25519", Some(253)),
            NamedGroup::X448 => ("X448", Some(448)),
            NamedGroup::secp256r1 => ("prime256v1", Some(256)),
            NamedGroup::secp384r1 => ("secp384r1", Some(384)),
            NamedGroup::secp521r1 => ("secp521r1", Some(521)),
            NamedGroup::X25519MLKEM768 => ("X25519MLKEM768", None),
            NamedGroup::secp256r1MLKEM768 => ("SecP256r1MLKEM768", None),
            NamedGroup::MLKEM768 => ("MLKEM768", None),
            NamedGroup::MLKEM1024 => ("MLKEM1024", None),
            NamedGroup::Unknown(SECP384R1_MLKEM1024) => ("SecP384r1MLKEM1024", None),
            _ => return None,
        };
        let kind = if size.is_some() { "ECDH" } else { "TLSGroup" };
        Some(EphemeralKeyInfo {
            kind: kind.to_owned(),
            name: Some(name.to_owned()),
            size,
        })
    }

    /// `exportKeyingMaterial(length, label, context)`, with Node's checks of `length`.
    pub fn export_keying_material(
        &self,
        length: f64,
        label: &str,
        context: Option<&[u8]>,
    ) -> Result<Vec<u8>, TlsError> {
        if length.fract() != 0.0 || !length.is_finite() {
            return Err(TlsError::out_of_range("length", "an integer", length));
        }
        if !(1.0..=4_294_967_295.0).contains(&length) {
            return Err(TlsError::out_of_range(
                "length",
                ">= 1 && <= 4294967295",
                length,
            ));
        }
        if self.phase != Phase::Secure {
            return Err(TlsError::invalid_state(
                "TLS socket connection must be securely established",
            ));
        }
        let internal = || TlsError::ssl(0x0C0103, "internal error");
        let length = length as usize;
        let tls12 = self.tls.protocol_version() == Some(ProtocolVersion::TLSv1_2);
        if tls12 && length > MAX_EXPORT_TLS12 {
            return Err(internal());
        }
        // TLS 1.3's exporter gives at most 255 hashes: refused before allocating.
        let hash_len = match self.tls.negotiated_cipher_suite().map(|s| s.suite()) {
            Some(rustls::CipherSuite::TLS13_AES_256_GCM_SHA384) => 48,
            _ => 32,
        };
        let limit = 255 * hash_len;
        if !tls12 && length > limit {
            return Err(internal());
        }
        self.tls
            .export_keying_material(vec![0u8; length], label.as_bytes(), context)
            .map_err(|_| internal())
    }

    /// `setMaxSendFragment(size)`: applied and true within 512..16384, as OpenSSL.
    pub fn set_max_send_fragment(&mut self, size: f64) -> bool {
        self.outbox.set_max_fragment(size)
    }
}
