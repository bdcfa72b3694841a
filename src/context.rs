//! The secure context: Node's `createSecureContext` options (ca, cert, key,
//! passphrase, ciphers, versions) and ALPN turned into a rustls `ClientConfig`.

use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ClientConfig, SupportedProtocolVersion};
use zeroize::Zeroizing;

use crate::names::{self, select_suites, Version};
use crate::options::{AlpnProtocols, ConnectOptions, KeyEntry};
use crate::verify::{certificates_in, AcceptChainVerifier, TrustStore};
use crate::TlsError;
use crate::{record_crypto, signatures};

/// What a connection needs from its secure context: the rustls config and the
/// trust store its chain is judged against.
#[derive(Debug, Clone)]
pub struct SecureContext {
    /// The rustls configuration.
    pub config: Arc<ClientConfig>,
    /// The trusted roots.
    pub trust: TrustStore,
    /// The handshake verifier; each connection gets its own copy that keeps the OCSP response.
    pub verifier: Arc<AcceptChainVerifier>,
    /// `SSL_OP_NO_TICKET`: TLS 1.2 resumes by session id only.
    pub no_tickets: bool,
}

impl SecureContext {
    /// Builds the context from the options, applying Node's defaults and checks.
    /// `send_sni` turns the SNI extension on (Node sends it only for `servername`).
    pub fn from_options(options: &ConnectOptions, send_sni: bool) -> Result<Self, TlsError> {
        let base = rustls::crypto::ring::default_provider();
        let cipher_suites = record_crypto::host_first(select_suites(
            options.ciphers.as_deref(),
            &base.cipher_suites,
        )?);
        let provider = Arc::new(CryptoProvider {
            cipher_suites,
            signature_verification_algorithms: signatures::ALGORITHMS,
            ..base
        });
        let versions = protocol_versions(options)?;
        let verifier = Arc::new(AcceptChainVerifier::new(
            provider.signature_verification_algorithms,
            None,
        ));
        let builder = ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&versions)
            .map_err(|_| no_ciphers_available())?
            .dangerous()
            .with_custom_certificate_verifier(verifier.clone());
        let mut config = match client_identity(options)? {
            // rustls takes its own copy and wipes it once loaded; ours is wiped on drop.
            Some((chain, key)) => builder
                .with_client_auth_cert(chain, key.clone_key())
                .map_err(|e| TlsError::new("ERR_OSSL_X509_KEY_VALUES_MISMATCH", e.to_string()))?,
            None => builder.with_no_client_auth(),
        };
        config.enable_sni = send_sni;
        if let Some(alpn) = &options.alpn_protocols {
            config.alpn_protocols = alpn_list(alpn)?;
        }
        Ok(Self {
            config: Arc::new(config),
            trust: TrustStore::from_ca(options.ca.as_deref()).with_crls(options.crl.as_deref())?,
            verifier,
            no_tickets: false,
        })
    }
}

/// The versions rustls may use within Node's `minVersion`..`maxVersion`
/// (default TLSv1.2..TLSv1.3). rustls has no TLS 1.0 or 1.1: a range that holds
/// only those fails as OpenSSL does when no version is left.
fn protocol_versions(
    options: &ConnectOptions,
) -> Result<Vec<&'static SupportedProtocolVersion>, TlsError> {
    let min = match &options.min_version {
        Some(name) => Version::parse(name, "minimum")?,
        None => names::DEFAULT_MIN_VERSION,
    };
    let max = match &options.max_version {
        Some(name) => Version::parse(name, "maximum")?,
        None => names::DEFAULT_MAX_VERSION,
    };
    let mut versions = Vec::new();
    if min <= Version::Tls13 && Version::Tls13 <= max {
        versions.push(&rustls::version::TLS13);
    }
    if min <= Version::Tls12 && Version::Tls12 <= max {
        versions.push(&rustls::version::TLS12);
    }
    if versions.is_empty() {
        return Err(TlsError::new(
            "ERR_SSL_NO_PROTOCOLS_AVAILABLE",
            "error:0A0000BF:SSL routines::no protocols available",
        ));
    }
    Ok(versions)
}

/// OpenSSL's error when no offered suite fits the allowed versions.
fn no_ciphers_available() -> TlsError {
    TlsError::new(
        "ERR_SSL_NO_CIPHERS_AVAILABLE",
        "error:0A0000B5:SSL routines::no ciphers available",
    )
}

/// A decoded private key, wiped when dropped.
type SecretKey = Zeroizing<PrivateKeyDer<'static>>;

/// The client certificate chain and key, when both are given. A key is decoded
/// whenever given, as Node's `setKey` throws on a bad one; Node accepts a key
/// without a certificate or the reverse, and OpenSSL then sends no certificate.
fn client_identity(
    options: &ConnectOptions,
) -> Result<Option<(Vec<CertificateDer<'static>>, SecretKey)>, TlsError> {
    let key = match options.key.as_deref().and_then(<[KeyEntry]>::first) {
        Some(entry) => Some(private_key(entry, options.passphrase.as_deref())?),
        None => None,
    };
    let chain: Vec<_> = options
        .cert
        .iter()
        .flatten()
        .flat_map(|item| certificates_in(item.as_bytes()))
        .collect();
    Ok(key.filter(|_| !chain.is_empty()).map(|key| (chain, key)))
}

/// Decodes one PEM private key: PKCS#8, PKCS#1, SEC1, or encrypted PKCS#8 with
/// the entry's passphrase, else the `passphrase` option.
fn private_key(entry: &KeyEntry, passphrase: Option<&str>) -> Result<SecretKey, TlsError> {
    let pem = entry.pem.as_bytes();
    if let Some(text) = std::str::from_utf8(pem).ok().and_then(rewrapped_pem) {
        if let Ok((label, document)) = pkcs8::SecretDocument::from_pem(&text) {
            if label == "ENCRYPTED PRIVATE KEY" {
                return decrypt_pkcs8(
                    document.as_bytes(),
                    entry.passphrase.as_deref().or(passphrase),
                );
            }
        }
    }
    PrivateKeyDer::from_pem_slice(pem)
        .map(Zeroizing::new)
        .map_err(|_| {
            TlsError::new(
                "ERR_OSSL_UNSUPPORTED",
                "error:1E08010C:DECODER routines::unsupported",
            )
        })
}

/// The first encrypted PKCS#8 block of `text`, its base64 re-wrapped at 64
/// columns: OpenSSL reads any line width (76 is common) and skips what comes
/// before the block, pkcs8's RFC 7468 reader does neither. Wiped when dropped.
fn rewrapped_pem(text: &str) -> Option<Zeroizing<String>> {
    let mut lines = text.lines().map(str::trim);
    let begin = lines.find(|line| *line == "-----BEGIN ENCRYPTED PRIVATE KEY-----")?;
    let mut body = Zeroizing::new(String::new());
    let end = lines.find(|line| {
        let is_end = line.starts_with("-----END ");
        if !is_end {
            body.push_str(line);
        }
        is_end
    })?;
    let mut out = Zeroizing::new(String::with_capacity(body.len() + body.len() / 64 + 80));
    out.push_str(begin);
    out.push('\n');
    for chunk in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).ok()?);
        out.push('\n');
    }
    out.push_str(end);
    out.push('\n');
    Some(out)
}

/// Decrypts an encrypted PKCS#8 key; a wrong or missing passphrase is OpenSSL's
/// "bad decrypt".
fn decrypt_pkcs8(der: &[u8], passphrase: Option<&str>) -> Result<SecretKey, TlsError> {
    let bad_decrypt = || {
        TlsError::new(
            "ERR_OSSL_BAD_DECRYPT",
            "error:1C800064:Provider routines::bad decrypt",
        )
    };
    let info = pkcs8::EncryptedPrivateKeyInfo::try_from(der).map_err(|_| bad_decrypt())?;
    kdf_within_limits(&info)?;
    let document = info
        .decrypt(passphrase.ok_or_else(bad_decrypt)?)
        .map_err(|_| bad_decrypt())?;
    // `document` wipes itself on drop; the copy is wiped by `SecretKey`.
    Ok(Zeroizing::new(PrivateKeyDer::Pkcs8(
        document.as_bytes().to_vec().into(),
    )))
}

/// OpenSSL's limits on the key derivation of an encrypted key, checked before
/// any work: scrypt may use 32 MiB (a key asking for more fails as in Node
/// instead of being allocated: in the guest, a failed allocation of 4 GiB, say,
/// is a trap), and PBKDF2 iteration counts must fit OpenSSL's `int` (a larger one
/// fails at once in Node, where it would run here for hours).
fn kdf_within_limits(info: &pkcs8::EncryptedPrivateKeyInfo<'_>) -> Result<(), TlsError> {
    const MAX_MEM: u128 = 32 * 1024 * 1024;
    let Some(pbes2) = info.encryption_algorithm.pbes2() else {
        return Ok(());
    };
    if let Some(pbkdf2) = pbes2.kdf.pbkdf2() {
        if pbkdf2.iteration_count > i32::MAX as u32 {
            return Err(TlsError::new(
                "ERR_OSSL_UNSUPPORTED",
                "error:1E08010C:DECODER routines::unsupported",
            ));
        }
    }
    let Some(params) = pbes2.kdf.scrypt() else {
        return Ok(());
    };
    let n = u128::from(params.cost_parameter);
    let r = u128::from(params.block_size);
    let p = u128::from(params.parallelization);
    // OpenSSL's count: 128·r·p bytes of B, and 128·r·(N+2) bytes of V and X.
    if 128 * r * p + 128 * r * (n + 2) > MAX_MEM {
        return Err(TlsError::new(
            "ERR_OSSL_EVP_MEMORY_LIMIT_EXCEEDED",
            "error:030000AC:digital envelope routines::memory limit exceeded",
        ));
    }
    Ok(())
}

/// Node's `ALPNProtocols` as a list of protocol names, with Node's checks.
pub fn alpn_list(alpn: &AlpnProtocols) -> Result<Vec<Vec<u8>>, TlsError> {
    let names: Vec<Vec<u8>> = match alpn {
        AlpnProtocols::Names(names) => names.iter().map(|n| n.as_bytes().to_vec()).collect(),
        AlpnProtocols::Buffers(buffers) => buffers.clone(),
        AlpnProtocols::Wire(wire) => return parse_wire(wire),
    };
    for (index, name) in names.iter().enumerate() {
        if name.len() > 255 {
            return Err(TlsError::new(
                "ERR_OUT_OF_RANGE",
                format!(
                    "The byte length of the protocol at index {index} exceeds the maximum length. It must be <= 255. Received {}",
                    name.len()
                ),
            ));
        }
    }
    Ok(names.into_iter().filter(|n| !n.is_empty()).collect())
}

/// Splits ALPN wire format (`\x08http/1.1\x02h2`) into names.
fn parse_wire(mut wire: &[u8]) -> Result<Vec<Vec<u8>>, TlsError> {
    let mut names = Vec::new();
    while let Some((&len, rest)) = wire.split_first() {
        let len = usize::from(len);
        if len == 0 || rest.len() < len {
            return Err(TlsError::invalid_arg_value(
                "ALPNProtocols",
                "a malformed wire-format buffer",
            ));
        }
        names.push(rest[..len].to_vec());
        wire = &rest[len..];
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Pem;

    #[test]
    fn alpn_forms_agree() {
        let wire = b"\x08http/1.1\x08http/1.0".to_vec();
        let from_wire = alpn_list(&AlpnProtocols::Wire(wire)).unwrap();
        let from_names = alpn_list(&AlpnProtocols::Names(vec![
            "http/1.1".into(),
            "http/1.0".into(),
        ]))
        .unwrap();
        assert_eq!(from_wire, from_names);
        assert_eq!(from_wire, vec![b"http/1.1".to_vec(), b"http/1.0".to_vec()]);
    }

    #[test]
    fn alpn_name_over_255_bytes_is_out_of_range() {
        let err = alpn_list(&AlpnProtocols::Names(vec!["a".repeat(256)])).unwrap_err();
        assert_eq!(err.code, "ERR_OUT_OF_RANGE");
        assert_eq!(
            err.message,
            "The byte length of the protocol at index 0 exceeds the maximum length. It must be <= 255. Received 256"
        );
    }

    #[test]
    fn versions_below_tls12_only_leave_no_protocol() {
        let options = ConnectOptions {
            max_version: Some("TLSv1.1".into()),
            ..Default::default()
        };
        let err = SecureContext::from_options(&options, false).unwrap_err();
        assert_eq!(err.code, "ERR_SSL_NO_PROTOCOLS_AVAILABLE");
        let options = ConnectOptions {
            min_version: Some("TLSv1".into()),
            max_version: Some("TLSv1.2".into()),
            ..Default::default()
        };
        assert_eq!(protocol_versions(&options).unwrap().len(), 1);
    }

    /// Key-log lines (Node's `'keylog'` event) are never written unless asked,
    /// and nothing asks yet: rustls's default key log discards every secret.
    #[test]
    fn no_key_log_unless_asked() {
        let context = SecureContext::from_options(&ConnectOptions::default(), false).unwrap();
        for label in [
            "CLIENT_RANDOM",
            "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
            "SERVER_HANDSHAKE_TRAFFIC_SECRET",
            "CLIENT_TRAFFIC_SECRET_0",
            "SERVER_TRAFFIC_SECRET_0",
            "EXPORTER_SECRET",
        ] {
            assert!(!context.config.key_log.will_log(label), "{label}");
        }
    }

    #[test]
    fn garbage_key_is_unsupported_even_without_a_cert() {
        let options = ConnectOptions {
            key: Some(vec![KeyEntry {
                pem: Pem::Text("garbage".into()),
                passphrase: None,
            }]),
            ..Default::default()
        };
        let err = SecureContext::from_options(&options, false).unwrap_err();
        assert_eq!(err.code, "ERR_OSSL_UNSUPPORTED");
        assert_eq!(err.message, "error:1E08010C:DECODER routines::unsupported");
    }

    /// An encrypted PKCS#8 key made by openssl decrypts with its passphrase only.
    #[test]
    fn encrypted_pkcs8_key_needs_its_passphrase() {
        let dir = std::env::temp_dir().join(format!("tls-connect-key-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("key.pem");
        let status = std::process::Command::new("openssl")
            .args([
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
            ])
            .args(["-aes-256-cbc", "-pass", "pass:s3cret", "-out"])
            .arg(&path)
            .status()
            .expect("openssl runs");
        assert!(status.success());
        let pem = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(pem.contains("ENCRYPTED PRIVATE KEY"));
        let entry = |passphrase: Option<&str>| KeyEntry {
            pem: Pem::Text(pem.clone()),
            passphrase: passphrase.map(str::to_owned),
        };
        assert!(matches!(
            *private_key(&entry(Some("s3cret")), None).unwrap(),
            PrivateKeyDer::Pkcs8(_)
        ));
        assert!(private_key(&entry(None), Some("s3cret")).is_ok());
        // Other tools wrap base64 at 76 columns; OpenSSL, and so Node, read it.
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let wide: Vec<String> = body
            .as_bytes()
            .chunks(76)
            .map(|c| String::from_utf8(c.to_vec()).unwrap())
            .collect();
        let wide_pem = format!(
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\n{}\n-----END ENCRYPTED PRIVATE KEY-----\n",
            wide.join("\n")
        );
        let wide_entry = KeyEntry {
            pem: Pem::Text(wide_pem),
            passphrase: Some("s3cret".into()),
        };
        assert!(private_key(&wide_entry, None).is_ok());
        let err = private_key(&entry(None), Some("wrong")).unwrap_err();
        assert_eq!(err.code, "ERR_OSSL_BAD_DECRYPT");
        assert_eq!(
            private_key(&entry(None), None).unwrap_err().code,
            "ERR_OSSL_BAD_DECRYPT"
        );
    }

    /// The error of decrypting, with passphrase "x", a key whose (junk)
    /// ciphertext is encrypted under `scheme`.
    fn decrypt_with_scheme(scheme: pkcs8::pkcs5::pbes2::Parameters<'_>) -> TlsError {
        use pkcs8::der::Encode;
        let der = pkcs8::EncryptedPrivateKeyInfo {
            encryption_algorithm: pkcs8::pkcs5::EncryptionScheme::Pbes2(scheme),
            encrypted_data: &[0; 48],
        }
        .to_der()
        .unwrap();
        decrypt_pkcs8(&der, Some("x")).unwrap_err()
    }

    /// An scrypt key asking for more than OpenSSL's 32 MiB fails with Node's
    /// code at once, before any memory is taken for it.
    #[test]
    fn scrypt_key_over_the_memory_limit_is_refused() {
        use pkcs8::pkcs5::{pbes2, scrypt};
        // (log2 N, r, p): 4 GiB of V; 40 MB of B. OpenSSL's own N=2^14, r=8, p=1 fits.
        for (log_n, r, p, refused) in [(22, 8, 1, true), (14, 8, 40_000, true), (14, 8, 1, false)] {
            let params = scrypt::Params::new(log_n, r, p, 32).unwrap();
            let scheme = pbes2::Parameters::scrypt_aes256cbc(params, &[1; 16], &[2; 16]).unwrap();
            let err = decrypt_with_scheme(scheme);
            let code = if refused {
                "ERR_OSSL_EVP_MEMORY_LIMIT_EXCEEDED"
            } else {
                "ERR_OSSL_BAD_DECRYPT"
            };
            assert_eq!(err.code, code, "N=2^{log_n} r={r} p={p}");
        }
    }

    #[test]
    fn pbkdf2_iteration_counts_beyond_openssl_are_refused_at_once() {
        use pkcs8::pkcs5::pbes2;
        for (iterations, code) in [
            (u32::MAX, "ERR_OSSL_UNSUPPORTED"),
            (i32::MAX as u32 + 1, "ERR_OSSL_UNSUPPORTED"),
            (1000, "ERR_OSSL_BAD_DECRYPT"),
        ] {
            // pkcs5 builds no such parameters itself, but decodes them.
            let mut scheme =
                pbes2::Parameters::pbkdf2_sha256_aes256cbc(1000, &[1; 16], &[2; 16]).unwrap();
            if let pbes2::Kdf::Pbkdf2(params) = &mut scheme.kdf {
                params.iteration_count = iterations;
            }
            let err = decrypt_with_scheme(scheme);
            assert_eq!(err.code, code, "{iterations} iterations");
        }
    }
}
