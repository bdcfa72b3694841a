//! Certificates for the demo and the tests, made fresh with rcgen: a CA that
//! issues intermediates and leaves, and self-signed leaves. Never downloaded.
//!
//! Keys are ECDSA P-256 (rcgen's default). These helpers panic if rcgen fails:
//! their input comes from the program itself, never from a peer.

use std::net::IpAddr;
use std::time::{Duration, SystemTime};

use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, CertifiedIssuer,
    DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, KeyIdMethod, KeyPair,
    KeyUsagePurpose, RevocationReason, RevokedCertParams, SanType, SerialNumber,
};

const DAY: Duration = Duration::from_secs(86_400);

/// The time `days` days from now (negative: in the past), for [`LeafSpec`]'s validity.
pub fn days_from_now(days: i64) -> SystemTime {
    let now = SystemTime::now();
    let span = DAY * u32::try_from(days.unsigned_abs()).unwrap_or(u32::MAX);
    if days < 0 {
        now - span
    } else {
        now + span
    }
}

/// A certificate authority that can issue certificates.
pub struct Ca {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

/// An issued certificate and its key.
#[derive(Debug, Clone)]
pub struct Issued {
    /// The certificate, PEM.
    pub cert_pem: String,
    /// The private key, PKCS#8 PEM.
    pub key_pem: String,
    /// The certificate, DER.
    pub cert_der: Vec<u8>,
}

/// What a leaf certificate says.
#[derive(Debug, Clone)]
pub struct LeafSpec {
    /// Subject common name.
    pub common_name: String,
    /// DNS subject alternative names (ASCII).
    pub dns_names: Vec<String>,
    /// IP subject alternative names.
    pub ip_addresses: Vec<IpAddr>,
    /// Start of validity (see [`days_from_now`]).
    pub not_before: SystemTime,
    /// End of validity.
    pub not_after: SystemTime,
    /// Extended key usage serverAuth.
    pub server_auth: bool,
    /// Extended key usage clientAuth.
    pub client_auth: bool,
}

impl LeafSpec {
    /// A server certificate (serverAuth) for `names`, each a DNS name or an IP
    /// address, valid from a day ago for thirty days.
    pub fn server(common_name: &str, names: &[&str]) -> Self {
        let (ips, dns): (Vec<&str>, Vec<&str>) =
            names.iter().partition(|n| n.parse::<IpAddr>().is_ok());
        Self {
            common_name: common_name.to_owned(),
            dns_names: dns.into_iter().map(str::to_owned).collect(),
            ip_addresses: ips.into_iter().filter_map(|ip| ip.parse().ok()).collect(),
            not_before: days_from_now(-1),
            not_after: days_from_now(30),
            server_auth: true,
            client_auth: false,
        }
    }

    /// A client certificate (clientAuth only, no names), valid from a day ago for thirty days.
    pub fn client(common_name: &str) -> Self {
        Self {
            server_auth: false,
            client_auth: true,
            ..Self::server(common_name, &[])
        }
    }

    fn params(&self) -> CertificateParams {
        let mut params = CertificateParams::default();
        params.distinguished_name = named(&self.common_name);
        let dns = self.dns_names.iter().map(|name| {
            let name = name
                .clone()
                .try_into()
                .unwrap_or_else(|_| panic!("DNS name {name:?} is not ASCII"));
            SanType::DnsName(name)
        });
        let ips = self.ip_addresses.iter().map(|ip| SanType::IpAddress(*ip));
        params.subject_alt_names = dns.chain(ips).collect();
        params.not_before = self.not_before.into();
        params.not_after = self.not_after.into();
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        if self.server_auth {
            params
                .extended_key_usages
                .push(ExtendedKeyUsagePurpose::ServerAuth);
        }
        if self.client_auth {
            params
                .extended_key_usages
                .push(ExtendedKeyUsagePurpose::ClientAuth);
        }
        // Lets OpenSSL and webpki match the leaf to its issuer by key id, as real chains do.
        params.use_authority_key_identifier_extension = true;
        params
    }
}

fn named(common_name: &str) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, common_name);
    name.push(DnType::OrganizationName, "tls-connect tests");
    name
}

fn ca_params(common_name: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = named(common_name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    params.not_before = days_from_now(-1).into();
    params.not_after = days_from_now(365).into();
    params
}

fn new_key() -> KeyPair {
    KeyPair::generate().expect("ECDSA P-256 key generation")
}

/// A leaf for `spec` with a new key, its parameters changed by `adjust`, then
/// signed by `sign` (by an issuer, or by its own key).
fn new_leaf(
    spec: &LeafSpec,
    adjust: impl FnOnce(&mut CertificateParams),
    sign: impl FnOnce(CertificateParams, &KeyPair) -> Result<rcgen::Certificate, rcgen::Error>,
) -> Issued {
    let key = new_key();
    let mut params = spec.params();
    adjust(&mut params);
    let cert = sign(params, &key).expect("leaf certificate");
    Issued {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
        cert_der: cert.der().to_vec(),
    }
}

impl Ca {
    /// A new self-signed root CA, valid from a day ago for a year.
    pub fn new_root(common_name: &str) -> Self {
        Self::new_root_with(common_name, |_| {})
    }

    /// A new self-signed root CA, its parameters changed by `adjust` first
    /// (name constraints, say).
    pub fn new_root_with(common_name: &str, adjust: impl FnOnce(&mut CertificateParams)) -> Self {
        let mut params = ca_params(common_name);
        adjust(&mut params);
        let issuer = CertifiedIssuer::self_signed(params, new_key()).expect("root CA certificate");
        Self { issuer }
    }

    /// An intermediate CA issued by this one.
    pub fn issue_intermediate(&self, common_name: &str) -> Ca {
        self.issue_intermediate_with(common_name, |_| {})
    }

    /// An intermediate issued by this CA, its parameters changed by `adjust`
    /// first: name constraints, or basic constraints that make it no CA at all.
    pub fn issue_intermediate_with(
        &self,
        common_name: &str,
        adjust: impl FnOnce(&mut CertificateParams),
    ) -> Ca {
        let mut params = ca_params(common_name);
        params.use_authority_key_identifier_extension = true;
        adjust(&mut params);
        let issuer = CertifiedIssuer::signed_by(params, new_key(), &self.issuer)
            .expect("intermediate CA certificate");
        Ca { issuer }
    }

    /// A leaf certificate issued by this CA.
    ///
    /// # Panics
    /// If a DNS name in `spec` is not ASCII.
    pub fn issue(&self, spec: &LeafSpec) -> Issued {
        self.issue_with(spec, |_| {})
    }

    /// A leaf certificate issued by this CA, its parameters changed by `adjust`
    /// first (a chosen serial number, CA basic constraints).
    ///
    /// # Panics
    /// If a DNS name in `spec` is not ASCII.
    pub fn issue_with(
        &self,
        spec: &LeafSpec,
        adjust: impl FnOnce(&mut CertificateParams),
    ) -> Issued {
        new_leaf(spec, adjust, |params, key| {
            params.signed_by(key, &self.issuer)
        })
    }

    /// A CRL from this CA, valid from a day ago for a week, revoking the
    /// certificates with these serial numbers (big-endian bytes), PEM.
    pub fn crl_revoking(&self, serials: &[&[u8]]) -> String {
        let revoked_certs = serials
            .iter()
            .map(|serial| RevokedCertParams {
                serial_number: SerialNumber::from_slice(serial),
                revocation_time: days_from_now(-1).into(),
                reason_code: Some(RevocationReason::KeyCompromise),
                invalidity_date: None,
            })
            .collect();
        let params = CertificateRevocationListParams {
            this_update: days_from_now(-1).into(),
            next_update: days_from_now(7).into(),
            crl_number: SerialNumber::from_slice(&[1]),
            issuing_distribution_point: None,
            revoked_certs,
            key_identifier_method: KeyIdMethod::Sha256,
        };
        params
            .signed_by(&self.issuer)
            .and_then(|crl| crl.pem())
            .expect("CRL")
    }

    /// This CA's private key, PKCS#8 PEM: for signing, with the openssl CLI,
    /// what rcgen cannot make (SHA-1 signatures, keys ring cannot generate).
    pub fn key_pem(&self) -> String {
        self.issuer.key().serialize_pem()
    }

    /// This CA's certificate, PEM.
    pub fn cert_pem(&self) -> String {
        self.issuer.pem()
    }

    /// This CA's certificate, DER.
    pub fn cert_der(&self) -> Vec<u8> {
        self.issuer.der().to_vec()
    }
}

/// A self-signed leaf certificate (not a CA).
///
/// # Panics
/// If a DNS name in `spec` is not ASCII.
pub fn self_signed_leaf(spec: &LeafSpec) -> Issued {
    self_signed_leaf_with(spec, |_| {})
}

/// A self-signed certificate, its parameters changed by `adjust` first (CA basic
/// constraints make it a CA certificate served as a leaf).
///
/// # Panics
/// If a DNS name in `spec` is not ASCII.
pub fn self_signed_leaf_with(
    spec: &LeafSpec,
    adjust: impl FnOnce(&mut CertificateParams),
) -> Issued {
    new_leaf(spec, adjust, |params, key| params.self_signed(key))
}

/// The demo's certificates: a fresh root CA, a server certificate for localhost,
/// 127.0.0.1 and ::1, and a client certificate, both issued by the CA.
pub struct DemoPki {
    /// The CA certificate both sides trust, PEM.
    pub ca_pem: String,
    /// The server's certificate (CN and SAN localhost, 127.0.0.1, ::1) and key.
    pub server: Issued,
    /// The client's certificate (CN "tls-connect demo client", clientAuth) and key.
    pub client: Issued,
}

impl DemoPki {
    /// Generates a new set.
    pub fn generate() -> Self {
        let ca = Ca::new_root("tls-connect demo CA");
        Self {
            ca_pem: ca.cert_pem(),
            server: ca.issue(&LeafSpec::server(
                "localhost",
                &["localhost", "127.0.0.1", "::1"],
            )),
            client: ca.issue(&LeafSpec::client("tls-connect demo client")),
        }
    }
}
