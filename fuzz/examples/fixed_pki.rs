//! Writes the fuzz targets' fixed certificates under `fuzz/pki/` (replacing
//! what is there), made once with rcgen and committed, valid from 2000 to
//! 2099, so that every process uses the same ones: an input found by one run
//! replays byte for byte in another, and recorded server flights stay valid.
//! Nothing here is secret: the keys are for fuzzing.
//!
//! - `server/`: what `server_bytes` serves and trusts: a root, an
//!   intermediate, a leaf for localhost and its key (P-256), and a client
//!   certificate with an Ed25519 key (its signatures are deterministic, so a
//!   TLS 1.2 handshake with client authentication replays).
//! - `universe/`: what the `chain` target combines: roots, intermediates and
//!   leaves with the properties OpenSSL and webpki judge differently or alike
//!   (cross-signing, name constraints, path lengths, CA flags, key usages,
//!   EKUs, dates, impostors, critical extensions, key types), each `NN-name.der`,
//!   and CRLs `crl-NN-name.der`.
//!
//! `cargo +nightly run --release --example fixed_pki` from `fuzz/`.

use std::path::Path;

use test_pki::rcgen::{
    self, BasicConstraints, CertificateParams, CertificateRevocationListParams, CertifiedIssuer,
    CustomExtension, DnType, ExtendedKeyUsagePurpose, GeneralSubtree, IsCa, KeyIdMethod, KeyPair,
    KeyUsagePurpose, NameConstraints, RevocationReason, RevokedCertParams, SanType, SerialNumber,
    SignatureAlgorithm,
};

type Issuer = CertifiedIssuer<'static, KeyPair>;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("pki");
    let _ = std::fs::remove_dir_all(&root);
    let server = root.join("server");
    let universe = root.join("universe");
    std::fs::create_dir_all(&server).expect("pki/server");
    std::fs::create_dir_all(&universe).expect("pki/universe");
    write_server(&server);
    let count = write_universe(&universe);
    println!(
        "fixed PKI written to {}: {count} universe files",
        root.display()
    );
}

fn key(alg: &'static SignatureAlgorithm) -> KeyPair {
    KeyPair::generate_for(alg).expect("key")
}

fn p256() -> KeyPair {
    key(&rcgen::PKCS_ECDSA_P256_SHA256)
}

/// Parameters valid from 2000 to 2099, named `common_name`, with key identifiers.
fn params(common_name: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    params
        .distinguished_name
        .push(DnType::CommonName, common_name);
    params.not_before = rcgen::date_time_ymd(2000, 1, 1);
    params.not_after = rcgen::date_time_ymd(2099, 12, 31);
    params.use_authority_key_identifier_extension = true;
    params
}

fn ca(common_name: &str) -> CertificateParams {
    let mut params = params(common_name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params
}

fn server_leaf(common_name: &str, names: &[&str]) -> CertificateParams {
    let mut params = params(common_name);
    params.subject_alt_names = names
        .iter()
        .map(|name| match name.parse() {
            Ok(ip) => SanType::IpAddress(ip),
            Err(_) => SanType::DnsName((*name).try_into().expect("DNS name")),
        })
        .collect();
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params
}

fn root_of(params: CertificateParams, key: KeyPair) -> Issuer {
    CertifiedIssuer::self_signed(params, key).expect("root")
}

fn ca_by(params: CertificateParams, key: KeyPair, issuer: &Issuer) -> Issuer {
    CertifiedIssuer::signed_by(params, key, issuer).expect("CA")
}

fn leaf_by(params: CertificateParams, key: &KeyPair, issuer: &Issuer) -> Vec<u8> {
    params.signed_by(key, issuer).expect("leaf").der().to_vec()
}

fn write_server(dir: &Path) {
    let root = root_of(ca("tls-connect fuzz root"), p256());
    let intermediate = ca_by(ca("tls-connect fuzz intermediate"), p256(), &root);
    let leaf_key = p256();
    let leaf = leaf_by(
        server_leaf("localhost", &["localhost", "127.0.0.1"]),
        &leaf_key,
        &intermediate,
    );
    let client_key = key(&rcgen::PKCS_ED25519);
    let mut client = params("fuzz client");
    client.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let client = client.signed_by(&client_key, &root).expect("client");
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).expect("write");
    write("root.der", root.der());
    write("intermediate.der", intermediate.der());
    write("leaf.der", &leaf);
    write("leaf.key.der", &leaf_key.serialize_der());
    write("client.pem", client.pem().as_bytes());
    write("client.key.pem", client_key.serialize_pem().as_bytes());
}

/// A certificate policies extension naming anyPolicy, critical.
fn critical_policies() -> CustomExtension {
    // SEQUENCE { SEQUENCE { OID 2.5.29.32.0 } }
    let value = vec![0x30, 0x08, 0x30, 0x06, 0x06, 0x04, 0x55, 0x1D, 0x20, 0x00];
    let mut ext = CustomExtension::from_oid_content(&[2, 5, 29, 32], value);
    ext.set_criticality(true);
    ext
}

/// An extension nobody knows, critical.
fn critical_unknown() -> CustomExtension {
    let mut ext =
        CustomExtension::from_oid_content(&[1, 3, 6, 1, 4, 1, 55_555, 9], vec![0x05, 0x00]);
    ext.set_criticality(true);
    ext
}

fn write_universe(dir: &Path) -> usize {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |name: &str, der: &[u8]| {
        files.push((format!("{:02}-{name}.der", files.len()), der.to_vec()));
    };

    let root_a = root_of(ca("Universe Root A"), p256());
    let root_b = root_of(ca("Universe Root B"), key(&rcgen::PKCS_ECDSA_P384_SHA384));
    let int_a_params = ca("Universe Intermediate A");
    let int_a = ca_by(int_a_params.clone(), p256(), &root_a);
    let int_a2 = ca_by(ca("Universe Intermediate A2"), p256(), &int_a);
    // The same name and key as int-a, signed by root B: a cross-signed issuer.
    let cross = int_a_params
        .signed_by(int_a.key(), &root_b)
        .expect("cross")
        .der()
        .to_vec();
    let mut nc = ca("Universe Constrained");
    nc.name_constraints = Some(NameConstraints {
        permitted_subtrees: vec![GeneralSubtree::DnsName("localhost".to_owned())],
        excluded_subtrees: vec![GeneralSubtree::DnsName("bad.localhost".to_owned())],
    });
    let int_nc = ca_by(nc, p256(), &root_a);
    let mut pathlen0 = ca("Universe Path Length 0");
    pathlen0.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    let int_pathlen0 = ca_by(pathlen0, p256(), &root_a);
    let int_under = ca_by(ca("Universe Under Path Length 0"), p256(), &int_pathlen0);
    let mut not_ca = ca("Universe Not A CA");
    not_ca.is_ca = IsCa::ExplicitNoCa;
    let int_not_ca = ca_by(not_ca, p256(), &root_a);
    let mut no_bc = ca("Universe No Basic Constraints");
    no_bc.is_ca = IsCa::NoCa;
    let int_no_bc = ca_by(no_bc, p256(), &root_a);
    let mut eku_client = ca("Universe Client EKU");
    eku_client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let int_eku_client = ca_by(eku_client, p256(), &root_a);
    let mut expired = ca("Universe Expired");
    expired.not_after = rcgen::date_time_ymd(2001, 1, 1);
    let int_expired = ca_by(expired, p256(), &root_a);
    let impostor = root_of(ca("Universe Root A"), p256());
    let int_ed25519 = ca_by(ca("Universe Ed25519"), key(&rcgen::PKCS_ED25519), &root_a);
    let mut critical = ca("Universe Critical");
    critical.custom_extensions = vec![critical_unknown()];
    let int_critical = ca_by(critical, p256(), &root_a);
    let mut policies = ca("Universe Policies");
    policies.custom_extensions = vec![critical_policies()];
    let int_policies = ca_by(policies, p256(), &root_a);

    add("root-a", root_a.der());
    add("root-b", root_b.der());
    add("int-a", int_a.der());
    add("int-a2", int_a2.der());
    add("int-a-cross-by-b", &cross);
    add("int-name-constrained", int_nc.der());
    add("int-path-length-0", int_pathlen0.der());
    add("int-under-path-length-0", int_under.der());
    add("int-ca-false", int_not_ca.der());
    add("int-no-basic-constraints", int_no_bc.der());
    add("int-client-eku", int_eku_client.der());
    add("int-expired", int_expired.der());
    add("root-a-impostor", impostor.der());
    add("int-ed25519", int_ed25519.der());
    add("int-critical-unknown", int_critical.der());
    add("int-critical-policies", int_policies.der());

    let localhost = || server_leaf("localhost", &["localhost"]);
    let leaf = |params: CertificateParams, issuer: &Issuer| leaf_by(params, &p256(), issuer);
    add("leaf-by-int-a", &leaf(localhost(), &int_a));
    add("leaf-by-int-a2", &leaf(localhost(), &int_a2));
    add("leaf-by-root-a", &leaf(localhost(), &root_a));
    add("leaf-by-root-b", &leaf(localhost(), &root_b));
    add("leaf-constrained-ok", &leaf(localhost(), &int_nc));
    add(
        "leaf-constrained-excluded",
        &leaf(server_leaf("bad.localhost", &["bad.localhost"]), &int_nc),
    );
    add("leaf-under-path-length-0", &leaf(localhost(), &int_under));
    add("leaf-by-ca-false", &leaf(localhost(), &int_not_ca));
    add(
        "leaf-by-no-basic-constraints",
        &leaf(localhost(), &int_no_bc),
    );
    add("leaf-by-client-eku", &leaf(localhost(), &int_eku_client));
    add("leaf-by-expired", &leaf(localhost(), &int_expired));
    let mut old = localhost();
    old.not_after = rcgen::date_time_ymd(2001, 1, 1);
    add("leaf-expired", &leaf(old, &int_a));
    let mut future = localhost();
    future.not_before = rcgen::date_time_ymd(2090, 1, 1);
    add("leaf-not-yet-valid", &leaf(future, &int_a));
    add("leaf-by-impostor", &leaf(localhost(), &impostor));
    add(
        "leaf-ed25519",
        &leaf_by(localhost(), &key(&rcgen::PKCS_ED25519), &int_ed25519),
    );
    add(
        "leaf-by-critical-unknown",
        &leaf(localhost(), &int_critical),
    );
    add(
        "leaf-by-critical-policies",
        &leaf(localhost(), &int_policies),
    );
    let mut ca_leaf = localhost();
    ca_leaf.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    add("leaf-ca", &leaf(ca_leaf, &int_a));
    let mut no_eku = localhost();
    no_eku.extended_key_usages = Vec::new();
    add("leaf-no-eku", &leaf(no_eku, &int_a));
    let mut client_eku = localhost();
    client_eku.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    add("leaf-client-eku", &leaf(client_eku, &int_a));
    let mut cert_sign = localhost();
    cert_sign.key_usages = vec![KeyUsagePurpose::KeyCertSign];
    add("leaf-key-cert-sign-only", &leaf(cert_sign, &int_a));
    let mut critical_leaf = localhost();
    critical_leaf.custom_extensions = vec![critical_unknown()];
    add("leaf-critical-unknown", &leaf(critical_leaf, &int_a));
    let self_key = p256();
    add(
        "leaf-self-signed",
        localhost()
            .self_signed(&self_key)
            .expect("self-signed")
            .der(),
    );
    let mut revoked = localhost();
    revoked.serial_number = Some(SerialNumber::from_slice(&[0x77]));
    add("leaf-revoked", &leaf(revoked, &int_a));

    let crl = |issuer: &Issuer, serials: &[&[u8]]| -> Vec<u8> {
        let params = CertificateRevocationListParams {
            this_update: rcgen::date_time_ymd(2000, 1, 1),
            next_update: rcgen::date_time_ymd(2099, 12, 31),
            crl_number: SerialNumber::from_slice(&[1]),
            issuing_distribution_point: None,
            revoked_certs: serials
                .iter()
                .map(|serial| RevokedCertParams {
                    serial_number: SerialNumber::from_slice(serial),
                    revocation_time: rcgen::date_time_ymd(2000, 1, 2),
                    reason_code: Some(RevocationReason::KeyCompromise),
                    invalidity_date: None,
                })
                .collect(),
            key_identifier_method: KeyIdMethod::Sha256,
        };
        params.signed_by(issuer).expect("CRL").der().to_vec()
    };
    let crls = [
        ("crl-00-root-a", crl(&root_a, &[])),
        ("crl-01-int-a", crl(&int_a, &[&[0x77]])),
        ("crl-02-root-b", crl(&root_b, &[])),
    ];
    let count = files.len() + crls.len();
    for (name, der) in files {
        std::fs::write(dir.join(name), der).expect("write");
    }
    for (name, der) in crls {
        std::fs::write(dir.join(format!("{name}.der")), der).expect("write");
    }
    count
}
