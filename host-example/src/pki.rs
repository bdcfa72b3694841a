//! Certificates for the demo and the tests, made fresh with rcgen: a CA that
//! issues intermediates and leaves, and self-signed leaves. Never downloaded.

use std::net::IpAddr;
use std::time::{Duration, SystemTime};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, SanType,
};

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
    /// DNS subject alternative names.
    pub dns_names: Vec<String>,
    /// IP subject alternative names.
    pub ip_addresses: Vec<IpAddr>,
    /// Start of validity.
    pub not_before: SystemTime,
    /// End of validity.
    pub not_after: SystemTime,
    /// Extended key usage serverAuth.
    pub server_auth: bool,
    /// Extended key usage clientAuth.
    pub client_auth: bool,
}

impl LeafSpec {
    /// A server certificate for `names` (DNS names or IP addresses), valid from a
    /// day ago for thirty days.
    pub fn server(common_name: &str, names: &[&str]) -> Self {
        let now = SystemTime::now();
        let (ips, dns): (Vec<&str>, Vec<&str>) =
            names.iter().partition(|n| n.parse::<IpAddr>().is_ok());
        Self {
            common_name: common_name.to_owned(),
            dns_names: dns.into_iter().map(str::to_owned).collect(),
            ip_addresses: ips.into_iter().filter_map(|ip| ip.parse().ok()).collect(),
            not_before: now - Duration::from_secs(86_400),
            not_after: now + Duration::from_secs(30 * 86_400),
            server_auth: true,
            client_auth: false,
        }
    }

    /// A client certificate with clientAuth.
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
        params.subject_alt_names = self
            .dns_names
            .iter()
            .filter_map(|n| n.clone().try_into().ok().map(SanType::DnsName))
            .chain(self.ip_addresses.iter().map(|ip| SanType::IpAddress(*ip)))
            .collect();
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
    let now = SystemTime::now();
    params.not_before = (now - Duration::from_secs(86_400)).into();
    params.not_after = (now + Duration::from_secs(365 * 86_400)).into();
    params
}

fn new_key() -> KeyPair {
    KeyPair::generate().expect("ECDSA P-256 key generation")
}

impl Ca {
    /// A new self-signed root CA.
    pub fn new_root(common_name: &str) -> Self {
        let issuer = CertifiedIssuer::self_signed(ca_params(common_name), new_key())
            .expect("root CA certificate");
        Self { issuer }
    }

    /// An intermediate CA issued by this one.
    pub fn issue_intermediate(&self, common_name: &str) -> Ca {
        let mut params = ca_params(common_name);
        params.use_authority_key_identifier_extension = true;
        let issuer = CertifiedIssuer::signed_by(params, new_key(), &self.issuer)
            .expect("intermediate CA certificate");
        Ca { issuer }
    }

    /// A leaf certificate issued by this CA.
    pub fn issue(&self, spec: &LeafSpec) -> Issued {
        let key = new_key();
        let cert = spec
            .params()
            .signed_by(&key, &self.issuer)
            .expect("leaf certificate");
        Issued {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
            cert_der: cert.der().to_vec(),
        }
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

/// A self-signed leaf certificate.
pub fn self_signed_leaf(spec: &LeafSpec) -> Issued {
    let key = new_key();
    let cert = spec.params().self_signed(&key).expect("self-signed leaf");
    Issued {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
        cert_der: cert.der().to_vec(),
    }
}

/// The demo's certificates: a fresh CA, a server certificate for localhost,
/// 127.0.0.1 and ::1, and a client certificate.
pub struct DemoPki {
    /// The CA certificate both sides trust, PEM.
    pub ca_pem: String,
    /// The server's certificate and key.
    pub server: Issued,
    /// The client's certificate and key.
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
