//! The certificates `server_bytes` serves and trusts, fixed and committed
//! (`fuzz/pki/server/`, written by `examples/fixed_pki.rs`): a root CA, an
//! intermediate, a server leaf for `localhost` issued by the intermediate, and
//! a client leaf (Ed25519) issued by the root; and the in-memory rustls
//! servers that serve them, whose randomness and key shares are fixed too
//! (`tls_connect_engine::fuzzing::fixed_kx_groups`), so a handshake with the
//! fixed client replays and its secrets can be computed.

use std::sync::{Arc, LazyLock};

use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ResolvesServerCert, WebPkiClientVerifier};
use rustls::sign::CertifiedKey;
use rustls::{RootCertStore, ServerConfig, SupportedProtocolVersion};
use tls_connect_engine::fuzzing::{fixed_kx_groups, fixed_random, Role};

/// The process's certificates, DER and PEM.
pub struct Pki {
    /// The root CA, PEM (what a client passes as `ca`).
    pub root_pem: String,
    /// The root CA, DER.
    pub root_der: Vec<u8>,
    /// The intermediate CA, DER.
    pub intermediate_der: Vec<u8>,
    /// The server leaf (`localhost`, `127.0.0.1`), DER.
    pub leaf_der: Vec<u8>,
    /// The server leaf's key, PKCS#8 DER.
    pub leaf_key_der: Vec<u8>,
    /// The client leaf, PEM.
    pub client_pem: String,
    /// The client leaf's key, PKCS#8 PEM.
    pub client_key_pem: String,
}

/// The certificates, read once per process.
pub static PKI: LazyLock<Pki> = LazyLock::new(|| {
    let root_der = include_bytes!("../pki/server/root.der").to_vec();
    Pki {
        root_pem: pem::encode(&pem::Pem::new("CERTIFICATE", root_der.clone())),
        root_der,
        intermediate_der: include_bytes!("../pki/server/intermediate.der").to_vec(),
        leaf_der: include_bytes!("../pki/server/leaf.der").to_vec(),
        leaf_key_der: include_bytes!("../pki/server/leaf.key.der").to_vec(),
        client_pem: include_str!("../pki/server/client.pem").to_owned(),
        client_key_pem: include_str!("../pki/server/client.key.pem").to_owned(),
    }
});

/// What the in-memory server does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerShape {
    /// Speak TLS 1.2 only (its handshake is in the clear, so mutations reach deeper).
    pub tls12: bool,
    /// Ask for a client certificate (optional), sending a CertificateRequest.
    pub client_auth: bool,
}

/// The server's crypto provider: ring's, with fixed randomness and key shares.
fn server_provider() -> Arc<CryptoProvider> {
    let ring = rustls::crypto::ring::default_provider();
    Arc::new(CryptoProvider {
        kx_groups: fixed_kx_groups(Role::Server, &ring.kx_groups),
        secure_random: fixed_random(Role::Server),
        ..ring
    })
}

/// A rustls server config serving `chain` with the leaf's real key.
pub fn server_config(shape: ServerShape, chain: Vec<Vec<u8>>) -> Arc<ServerConfig> {
    let provider = server_provider();
    let versions: &[&SupportedProtocolVersion] = if shape.tls12 {
        &[&rustls::version::TLS12]
    } else {
        &[&rustls::version::TLS13]
    };
    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(versions)
        .expect("versions");
    let builder = if shape.client_auth {
        builder.with_client_cert_verifier(client_verifier(provider))
    } else {
        builder.with_no_client_auth()
    };
    let mut config = builder.with_cert_resolver(Arc::new(FixedChain(certified_key(chain))));
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Arc::new(config)
}

/// The server configs with the real chain (leaf, intermediate), made once.
pub fn real_server_config(shape: ServerShape) -> Arc<ServerConfig> {
    // Indexed by (tls12, client_auth) as two bits.
    static CONFIGS: LazyLock<Vec<Arc<ServerConfig>>> = LazyLock::new(|| {
        (0..4)
            .map(|bits| {
                let shape = ServerShape {
                    tls12: bits & 2 != 0,
                    client_auth: bits & 1 != 0,
                };
                server_config(shape, real_chain())
            })
            .collect()
    });
    CONFIGS[usize::from(shape.tls12) * 2 + usize::from(shape.client_auth)].clone()
}

/// The chain a well-behaved server sends: leaf then intermediate.
pub fn real_chain() -> Vec<Vec<u8>> {
    vec![PKI.leaf_der.clone(), PKI.intermediate_der.clone()]
}

/// The server leaf's signing key.
pub fn leaf_key() -> Arc<dyn rustls::sign::SigningKey> {
    static KEY: LazyLock<Arc<dyn rustls::sign::SigningKey>> = LazyLock::new(|| {
        let der = PrivateKeyDer::try_from(PKI.leaf_key_der.clone()).expect("pkcs8");
        rustls::crypto::ring::sign::any_supported_type(&der).expect("signing key")
    });
    KEY.clone()
}

fn certified_key(chain: Vec<Vec<u8>>) -> Arc<CertifiedKey> {
    // Not `CertifiedKey::from_der`: that checks the chain against the key, and a
    // hostile server sends whatever it likes.
    Arc::new(CertifiedKey::new(
        chain.into_iter().map(CertificateDer::from).collect(),
        leaf_key(),
    ))
}

fn client_verifier(
    provider: Arc<CryptoProvider>,
) -> Arc<dyn rustls::server::danger::ClientCertVerifier> {
    let mut roots = RootCertStore::empty();
    roots
        .add(CertificateDer::from(PKI.root_der.clone()))
        .expect("root");
    WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
        .allow_unauthenticated()
        .build()
        .expect("client verifier")
}

/// Serves one chain whatever the client asks.
#[derive(Debug)]
struct FixedChain(Arc<CertifiedKey>);

impl ResolvesServerCert for FixedChain {
    fn resolve(&self, _hello: rustls::server::ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.0.clone())
    }
}
