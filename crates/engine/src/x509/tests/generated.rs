//! Certificates from real tools against Node: rcgen's, openssl's, every named
//! curve's key in each point form, and one seen over a live TLS connection.

use test_pki::Tool;

use super::*;

/// Runs openssl with `input` on stdin: what it writes to stdout.
fn openssl(args: &[&str], input: &[u8]) -> Vec<u8> {
    Tool::openssl().args(args).stdin(input).run()
}

/// A fresh key from `openssl genpkey` and its SubjectPublicKeyInfo DER.
fn openssl_key(genpkey: &[&str], pubout: &[&str]) -> (Vec<u8>, Vec<u8>) {
    let key = openssl(&[&["genpkey"], genpkey].concat(), b"");
    let spki = openssl(
        &[&["pkey", "-pubout", "-outform", "DER"], pubout].concat(),
        &key,
    );
    (key, spki)
}

/// Realistic certificates: rcgen's EC P-256 and P-384 ones with the usual
/// extensions, and RSA ones from openssl.
#[test]
fn node_agrees_on_generated_certificates() {
    if !test_pki::require(&["node", "openssl"]) {
        return;
    }
    use rcgen::{
        BasicConstraints, CertificateParams, CustomExtension, DnType, ExtendedKeyUsagePurpose,
        IsCa, KeyPair, SanType,
    };
    let aia = seq(&[
        &seq(&[
            &oid("1.3.6.1.5.5.7.48.1"),
            &tlv(0x86, b"http://ocsp.example.test"),
        ]),
        &seq(&[
            &oid("1.3.6.1.5.5.7.48.2"),
            &tlv(0x86, b"http://ca.example.test/ca.pem"),
        ]),
        &seq(&[
            &oid("1.3.6.1.5.5.7.48.1"),
            &tlv(0x86, b"http://ocsp2.example.test"),
        ]),
    ]);
    let mut ders = Vec::new();
    for alg in [
        &rcgen::PKCS_ECDSA_P256_SHA256,
        &rcgen::PKCS_ECDSA_P384_SHA384,
    ] {
        let key = KeyPair::generate_for(alg).unwrap();
        let mut params =
            CertificateParams::new(vec!["localhost".into(), "*.example.test".into()]).unwrap();
        let san = &mut params.subject_alt_names;
        san.push(SanType::IpAddress("127.0.0.1".parse().unwrap()));
        san.push(SanType::IpAddress("::1".parse().unwrap()));
        san.push(SanType::IpAddress(
            "2001:db8::8:800:200c:417a".parse().unwrap(),
        ));
        san.push(SanType::Rfc822Name(
            "admin@example.test".try_into().unwrap(),
        ));
        san.push(SanType::URI(
            "https://example.test/a?b=c".try_into().unwrap(),
        ));
        let dn = &mut params.distinguished_name;
        dn.push(DnType::CountryName, "US");
        dn.push(DnType::StateOrProvinceName, "CA");
        dn.push(DnType::LocalityName, "SF");
        dn.push(DnType::OrganizationName, "Research");
        dn.push(DnType::OrganizationalUnitName, "one");
        dn.push(DnType::OrganizationalUnitName, "two");
        dn.push(DnType::CommonName, "localhost");
        dn.push(
            DnType::CustomDnType(vec![1, 2, 840, 113549, 1, 9, 1]),
            "x@y.test",
        );
        dn.push(
            DnType::CustomDnType(vec![0, 9, 2342, 19200300, 100, 1, 25]),
            "test",
        );
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        params.extended_key_usages = vec![
            ExtendedKeyUsagePurpose::ServerAuth,
            ExtendedKeyUsagePurpose::ClientAuth,
            ExtendedKeyUsagePurpose::Other(vec![1, 3, 6, 1, 4, 1, 99999, 1]),
        ];
        params
            .custom_extensions
            .push(CustomExtension::from_oid_content(
                &[1, 3, 6, 1, 5, 5, 7, 1, 1],
                aia.clone(),
            ));
        params.serial_number = Some(vec![0x00, 0x9a, 0x01, 0x02].into());
        params.not_before =
            rcgen::date_time_ymd(2026, 11, 3) + std::time::Duration::from_secs(32_701);
        params.not_after = rcgen::date_time_ymd(2051, 2, 28);
        ders.push(params.self_signed(&key).unwrap().der().to_vec());
    }
    // RSA: 2048 bits; 1025 bits (a modulus whose first hex digit is 0) with e = 3.
    for (bits, exponent) in [("2048", "65537"), ("1025", "3")] {
        let key = openssl(
            &[
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                &format!("rsa_keygen_bits:{bits}"),
                "-pkeyopt",
                &format!("rsa_keygen_pubexp:{exponent}"),
            ],
            b"",
        );
        let dir = TempDir::new("certinfo");
        let path = dir.write("rsa.pem", &key);
        ders.push(openssl(
            &[
                "req",
                "-x509",
                "-key",
                path.to_str().unwrap(),
                "-days",
                "30",
                "-subj",
                "/C=US/O=Research/CN=rsa.test",
                "-addext",
                "subjectAltName=DNS:rsa.test,IP:10.0.0.1",
                "-addext",
                "extendedKeyUsage=serverAuth",
                "-outform",
                "DER",
            ],
            b"",
        ));
    }
    assert_node_agrees(&ders);
}

/// Public keys: every named curve we know, a compressed point, RSA keys
/// with odd encodings, and key types Node does not describe.
#[test]
fn node_agrees_on_public_keys() {
    if !test_pki::require(&["node", "openssl"]) {
        return;
    }
    let mut spkis = Vec::new();
    for curve in [
        "prime192v1",
        "secp224r1",
        "prime256v1",
        "secp384r1",
        "secp521r1",
        "secp256k1",
        "brainpoolP256r1",
        "brainpoolP384r1",
        "brainpoolP512r1",
    ] {
        let genpkey = [
            "-algorithm",
            "EC",
            "-pkeyopt",
            &format!("ec_paramgen_curve:{curve}"),
        ]
        .map(str::to_owned);
        let genpkey: Vec<&str> = genpkey.iter().map(String::as_str).collect();
        // OpenSSL re-encodes compressed and hybrid points uncompressed.
        let (key, spki) = openssl_key(&genpkey, &[]);
        spkis.push(spki);
        for form in ["compressed", "hybrid"] {
            let args = ["pkey", "-pubout", "-outform", "DER", "-ec_conv_form", form];
            spkis.push(openssl(&args, &key));
        }
    }
    spkis.push(openssl_key(&["-algorithm", "ED25519"], &[]).1);
    spkis.push(
        openssl_key(
            &["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:1024"],
            &[],
        )
        .1,
    );
    let rsa = |algorithm: Vec<u8>, modulus: &[u8], exponent: &[u8]| {
        let mut key = vec![0];
        key.extend(seq(&[&tlv(0x02, modulus), &tlv(0x02, exponent)]));
        seq(&[&algorithm, &tlv(0x03, &key)])
    };
    let rsa_alg = seq(&[&oid("1.2.840.113549.1.1.1"), &[0x05, 0x00]]);
    let mut modulus = vec![0x00, 0xc5];
    modulus.extend([0x5a; 63]);
    // Without the NULL parameters, with a 9-byte exponent, with a small modulus.
    spkis.push(rsa(
        seq(&[&oid("1.2.840.113549.1.1.1")]),
        &modulus,
        &[1, 0, 1],
    ));
    spkis.push(rsa(rsa_alg.clone(), &modulus, &[1, 0, 0, 0, 0, 0, 0, 0, 1]));
    spkis.push(rsa(rsa_alg.clone(), &[0x00, 0x00, 0x0f, 0xff], &[3]));
    // EC points OpenSSL refuses: the wrong size, off the curve, x too
    // large, and a compressed x with no square root; and the point at infinity.
    let p256 = p256_spki_of;
    let good = p256_spki();
    let mut off_curve = good.clone();
    *off_curve.last_mut().unwrap() ^= 1;
    spkis.push(off_curve);
    spkis.push(p256(&[4, 1, 2, 3]));
    spkis.push(p256(&[[4].as_slice(), &[0xff; 64]].concat()));
    spkis.push(p256(&[[2].as_slice(), &[0; 31], &[3]].concat()));
    spkis.push(p256(&[[3].as_slice(), &[0; 31], &[5]].concat()));
    spkis.push(p256(&[0]));
    let ders: Vec<Vec<u8>> = spkis
        .into_iter()
        .map(|spki| {
            Draft {
                spki,
                ..Draft::default()
            }
            .der()
        })
        .collect();
    assert_node_agrees(&ders);
}

/// getPeerCertificate() over a real connection, against our description.
#[test]
fn node_agrees_over_a_tls_connection() {
    if !test_pki::require(&["node"]) {
        return;
    }
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["localhost".into()]).unwrap();
    params
        .subject_alt_names
        .push(rcgen::SanType::IpAddress("127.0.0.1".parse().unwrap()));
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "localhost");
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationalUnitName, "a");
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationalUnitName, "b");
    let cert = params.self_signed(&key).unwrap();
    let dir = TempDir::new("certinfo");
    let key_path = dir.write("tls-key.pem", key.serialize_pem());
    let cert_path = dir.write("tls-cert.pem", cert.pem());
    let script = r#"
        const tls = require('tls');
        const fs = require('fs');
        setTimeout(() => { console.error('timed out'); process.exit(2); }, 10000).unref();
        const server = tls.createServer(
          { key: fs.readFileSync(process.argv[1]), cert: fs.readFileSync(process.argv[2]) },
          (s) => s.end());
        server.listen(0, '127.0.0.1', () => {
          const socket = tls.connect(
            { port: server.address().port, host: '127.0.0.1', rejectUnauthorized: false },
            () => {
              const c = socket.getPeerCertificate();
              console.log(JSON.stringify(c, (k, v) =>
                (v && v.type === 'Buffer' ? Buffer.from(v.data).toString('hex') : v)));
              socket.destroy();
              server.close();
            });
        });"#;
    let out = test_pki::node::run(script, &[key_path.as_os_str(), cert_path.as_os_str()]);
    let node: Value = serde_json::from_str(&out).unwrap();
    let ours = describe(cert.der()).unwrap();
    assert_eq!(node_shape(&ours), node);
}
