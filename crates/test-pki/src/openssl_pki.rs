//! Certificates made by the openssl CLI in a [`TempDir`], for what rcgen cannot
//! make: RSA keys (ring generates none), SHA-1 signatures, version 1
//! certificates, `req -x509`'s own defaults, PKCS#12 bundles. Each certificate
//! is named: its key is `{name}.key`, its request `{name}.csr`, the certificate
//! `{name}.pem`, a bundle of the two `{name}.p12`.

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;

use crate::{Ca, Issued, TempDir};

/// A new key for openssl to make (unencrypted, PKCS#8 PEM).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKey {
    /// ECDSA over P-256.
    EcP256,
    /// RSA with this many bits (ring verifies no signature from under 2048).
    Rsa(u32),
}

impl NewKey {
    /// Its options for `openssl req`: `-newkey …`.
    pub fn req_args(self) -> Vec<String> {
        match self {
            Self::EcP256 => owned(&["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]),
            Self::Rsa(bits) => vec!["-newkey".to_owned(), format!("rsa:{bits}")],
        }
    }
}

impl TempDir {
    /// `{name}.key`, a new 2048-bit RSA-PSS key (id-RSASSA-PSS) made with
    /// `-pkeyopt` `options` (none: a key without parameters). Returns its
    /// SubjectPublicKeyInfo, DER.
    pub fn rsa_pss_key(&self, name: &str, options: &[&str]) -> Vec<u8> {
        let key = format!("{name}.key");
        let mut args = owned(&[
            "genpkey",
            "-algorithm",
            "RSA-PSS",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
        ]);
        for option in options {
            args.extend(owned(&["-pkeyopt", option]));
        }
        args.extend(owned(&["-out", &key]));
        self.openssl(&args);
        self.openssl(&["pkey", "-in", &key, "-pubout", "-outform", "DER"])
    }

    /// `{name}.key`, a new key, and `{name}.csr`, a request for it with the
    /// subject `subject` (`/CN=…/O=…`), for [`TempDir::sign`].
    pub fn request(&self, name: &str, key: NewKey, subject: &str) {
        let (key_file, csr) = (format!("{name}.key"), format!("{name}.csr"));
        let mut args = owned(&["req", "-new", "-nodes", "-keyout", &key_file]);
        args.extend(key.req_args());
        args.extend(owned(&["-subj", subject, "-out", &csr]));
        self.openssl(&args);
    }

    /// `{name}.pem`, made by `openssl x509 -req` of `{name}.csr` with serial
    /// number `serial`, valid for `days` (negative: expired already), signed
    /// with `{issuer}.key` as `{issuer}.pem`'s subject (see
    /// [`TempDir::write_ca`]), or self-signed with `-signkey` when `issuer` is
    /// `name`. `extra` goes to openssl as is (`-extfile FILE`, `-sha1`); without
    /// an extensions file the certificate is version 1. Returns it with its key.
    pub fn sign(&self, name: &str, issuer: &str, serial: u32, days: i32, extra: &[&str]) -> Issued {
        let (csr, out) = (format!("{name}.csr"), format!("{name}.pem"));
        let (serial, days) = (serial.to_string(), days.to_string());
        let (ca, ca_key) = (format!("{issuer}.pem"), format!("{issuer}.key"));
        let mut args = vec![
            "x509",
            "-req",
            "-in",
            &csr,
            "-set_serial",
            &serial,
            "-days",
            &days,
        ];
        if issuer == name {
            args.extend(["-signkey", &ca_key]);
        } else {
            args.extend(["-CA", &ca, "-CAkey", &ca_key]);
        }
        args.extend(extra);
        args.extend(["-out", &out]);
        self.openssl(&args);
        self.issued(name)
    }

    /// `{name}.key` and `{name}.pem`: a new key and a self-signed certificate
    /// for `subject` from `openssl req -x509`, valid for `days`, with the
    /// extensions of openssl's config (basicConstraints CA:TRUE, key
    /// identifiers). `extra` goes to openssl as is (`-addext EXT`, `-config
    /// FILE`). Returns it with its key.
    pub fn self_signed(
        &self,
        name: &str,
        key: NewKey,
        subject: &str,
        days: i32,
        extra: &[&str],
    ) -> Issued {
        let (key_file, out, days) = (
            format!("{name}.key"),
            format!("{name}.pem"),
            days.to_string(),
        );
        let mut args = owned(&["req", "-x509", "-nodes", "-keyout", &key_file]);
        args.extend(key.req_args());
        args.extend(owned(&["-subj", subject, "-days", &days, "-out", &out]));
        args.extend(owned(extra));
        self.openssl(&args);
        self.issued(name)
    }

    /// `{name}.p12`: `openssl pkcs12 -export` of `{name}.pem` with its key
    /// `{name}.key`, the certificates in the file `certfile` added when given,
    /// encrypted under `passphrase`; `extra` goes to openssl as is (`-legacy`,
    /// `-macalg sha1`). Its bytes; or, if openssl refused (an algorithm its
    /// build lacks, as RC2 without the legacy provider), what it said.
    pub fn pkcs12(
        &self,
        name: &str,
        certfile: Option<&str>,
        passphrase: &str,
        extra: &[&str],
    ) -> Result<Vec<u8>, String> {
        let (cert, key, out) = (
            format!("{name}.pem"),
            format!("{name}.key"),
            format!("{name}.p12"),
        );
        let passout = format!("pass:{passphrase}");
        let mut args = vec!["pkcs12", "-export", "-in", &cert, "-inkey", &key];
        if let Some(certfile) = certfile {
            args.extend(["-certfile", certfile]);
        }
        args.extend(extra);
        args.extend(["-passout", &passout, "-out", &out]);
        self.openssl_here(&args).try_run()?;
        Ok(self.read(&out))
    }

    /// Writes `ca`'s certificate and key as `{name}.pem` and `{name}.key`, for
    /// [`TempDir::sign`] to issue with.
    pub fn write_ca(&self, name: &str, ca: &Ca) {
        self.write(&format!("{name}.pem"), ca.cert_pem());
        self.write(&format!("{name}.key"), ca.key_pem());
    }

    /// The certificate `{name}.pem` (its first, as DER too) and its key `{name}.key`.
    pub fn issued(&self, name: &str) -> Issued {
        let cert_pem = self.read_text(&format!("{name}.pem"));
        let cert_der = CertificateDer::from_pem_slice(cert_pem.as_bytes())
            .unwrap_or_else(|e| panic!("{name}.pem holds no certificate: {e}"))
            .to_vec();
        Issued {
            cert_pem,
            key_pem: self.read_text(&format!("{name}.key")),
            cert_der,
        }
    }
}

/// Arguments that outlive the values they were made from.
fn owned(args: &[&str]) -> Vec<String> {
    args.iter().map(|arg| (*arg).to_owned()).collect()
}
