//! The certificates a client trusts, as Node's options make them: `ca` (or
//! the default Mozilla roots), `allowPartialTrustChain`, a `pfx`'s other
//! certificates, and the `crl` revocation lists; split into webpki's trust
//! anchors and the issuers on the way to one, as OpenSSL's store serves them.

use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, CertificateRevocationListDer, TrustAnchor};
use x509_parser::asn1_rs::{Any, FromDer};

use super::openssl_chain;
use super::roots;
use crate::options::Pem;
use crate::TlsError;

/// The certificates a client trusts (Node's `ca`, or the default Mozilla roots)
/// and the revocation lists it checks them against (Node's `crl`).
#[derive(Debug, Clone)]
pub struct TrustStore {
    /// webpki's trust anchors: the default roots, or the certificates of `ca`
    /// OpenSSL takes as anchors (the self-signed ones; every one with
    /// `allowPartialTrustChain`).
    pub(super) anchors: Arc<Vec<TrustAnchor<'static>>>,
    /// The other certificates of `ca`: issuers on the way to an anchor, as
    /// OpenSSL finds them in its store.
    pub(super) ca_issuers: Arc<Vec<CertificateDer<'static>>>,
    /// `ca` in the order given (OpenSSL's store); `None`: the default roots.
    ca: Option<Arc<Vec<CertificateDer<'static>>>>,
    /// `allowPartialTrustChain`.
    pub(super) partial: bool,
    /// The CRLs of `crl`, parsed for webpki.
    pub(super) crls: Arc<Vec<webpki::CertRevocationList<'static>>>,
    /// The same CRLs, DER, for the OpenSSL model.
    pub(super) crl_ders: Arc<Vec<Vec<u8>>>,
}

impl TrustStore {
    /// The default roots (Mozilla's, as Node bundles them).
    pub fn default_roots() -> Self {
        Self {
            anchors: roots::default_anchors(),
            ca_issuers: Arc::default(),
            ca: None,
            partial: false,
            crls: Arc::default(),
            crl_ders: Arc::default(),
        }
    }

    /// Node's `crl`: the first CRL of each item, as OpenSSL's PEM reader takes
    /// it. An item with none that parses fails as Node's `addCRL` does.
    pub fn with_crls(mut self, items: Option<&[Pem]>) -> Result<Self, TlsError> {
        let mut crls = Vec::new();
        let mut ders = Vec::new();
        for item in items.unwrap_or_default() {
            let der = CertificateRevocationListDer::pem_slice_iter(item.as_bytes())
                .next()
                .and_then(Result::ok);
            let parsed = der.as_ref().and_then(|der| {
                webpki::OwnedCertRevocationList::from_der(der)
                    .ok()
                    .map(|crl| (crl, der.to_vec()))
            });
            match parsed {
                Some((crl, der)) => {
                    crls.push(webpki::CertRevocationList::Owned(crl));
                    ders.push(der);
                }
                None => {
                    return Err(TlsError::new(
                        "ERR_CRYPTO_OPERATION_FAILED",
                        "Failed to parse CRL",
                    ))
                }
            }
        }
        self.crls = Arc::new(crls);
        self.crl_ders = Arc::new(ders);
        Ok(self)
    }

    /// Node's `ca`: every CERTIFICATE block in every item. Text that is not a
    /// certificate is skipped, as Node skips it; an empty list means the defaults.
    /// As in OpenSSL without `allowPartialTrustChain`, only a self-signed
    /// certificate is a trust anchor; the others are issuers on the way to one.
    pub fn from_ca(items: Option<&[Pem]>) -> Self {
        match items {
            Some(items) if !items.is_empty() => {
                let ca = items
                    .iter()
                    .flat_map(|item| certificates_in(item.as_bytes()))
                    .collect();
                Self::from_certificates(Arc::new(ca), false)
            }
            _ => Self::default_roots(),
        }
    }

    /// Node's `allowPartialTrustChain`: with it, every certificate of `ca` is a
    /// trust anchor, so a chain may end at an intermediate the client trusts.
    pub fn with_partial_chains(self, allow: bool) -> Self {
        match self.ca.clone() {
            Some(ca) if allow != self.partial => Self {
                crls: self.crls,
                crl_ders: self.crl_ders,
                ..Self::from_certificates(ca, allow)
            },
            // The default roots are all self-signed: only the OpenSSL model reads the flag.
            _ => Self {
                partial: allow,
                ..self
            },
        }
    }

    /// The store for these `ca` certificates.
    fn from_certificates(ca: Arc<Vec<CertificateDer<'static>>>, partial: bool) -> Self {
        let mut anchors = Vec::new();
        let mut ca_issuers = Vec::new();
        for der in ca.iter() {
            // A certificate the model cannot read is left to webpki, as before.
            if partial || openssl_chain::is_self_signed(der).unwrap_or(true) {
                anchors.extend(
                    webpki::anchor_from_trusted_cert(der)
                        .ok()
                        .map(|anchor| anchor.to_owned()),
                );
            } else {
                ca_issuers.push(der.clone());
            }
        }
        Self {
            anchors: Arc::new(anchors),
            ca_issuers: Arc::new(ca_issuers),
            ca: Some(ca),
            partial,
            crls: Arc::default(),
            crl_ders: Arc::default(),
        }
    }

    /// Certificates trusted besides `ca` (or the default roots): the other
    /// certificates of a `pfx`, which Node adds to its store.
    pub fn with_extra_certificates(self, extra: &[CertificateDer<'static>]) -> Self {
        if extra.is_empty() {
            return self;
        }
        let mut all = self.trusted().to_vec();
        all.extend(extra.iter().cloned());
        Self {
            crls: self.crls,
            crl_ders: self.crl_ders,
            ..Self::from_certificates(Arc::new(all), self.partial)
        }
    }

    /// The trusted certificates in OpenSSL's order: `ca`, or the default roots.
    pub(super) fn trusted(&self) -> &[CertificateDer<'static>] {
        match &self.ca {
            Some(ca) => ca,
            None => webpki_root_certs::TLS_SERVER_ROOT_CERTS,
        }
    }
}

/// The labels OpenSSL's `PEM_read_bio_X509_AUX` reads a certificate under:
/// today's, the old `X509 CERTIFICATE`, and `TRUSTED CERTIFICATE`, whose
/// certificate is followed by OpenSSL's trust settings.
const CERTIFICATE_LABELS: [&str; 3] = ["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"];

/// Every certificate in a PEM text, under any of [`CERTIFICATE_LABELS`];
/// malformed blocks are skipped, and a trusted certificate's settings left
/// out (they are OpenSSL's own, and not applied here).
pub(crate) fn certificates_in(pem: &[u8]) -> Vec<CertificateDer<'static>> {
    let mut found = Vec::new();
    let mut lines = pem.split(|&b| b == b'\n');
    while let Some(line) = lines.next() {
        let line = line.trim_ascii_end();
        let Some(label) = line
            .strip_prefix(b"-----BEGIN ")
            .and_then(|rest| rest.strip_suffix(b"-----"))
            .and_then(|label| std::str::from_utf8(label).ok())
            .filter(|label| CERTIFICATE_LABELS.contains(label))
        else {
            continue;
        };
        let end = format!("-----END {label}-----");
        let mut block = String::from("-----BEGIN CERTIFICATE-----\n");
        for body in lines.by_ref() {
            let body = body.trim_ascii_end();
            if body == end.as_bytes() {
                block.push_str("-----END CERTIFICATE-----\n");
                break;
            }
            block.push_str(&String::from_utf8_lossy(body));
            block.push('\n');
        }
        let Ok(der) = CertificateDer::from_pem_slice(block.as_bytes()) else {
            continue;
        };
        match label {
            "TRUSTED CERTIFICATE" => {
                if let Ok((rest, _)) = Any::from_der(&der) {
                    let certificate = &der[..der.len() - rest.len()];
                    found.push(CertificateDer::from(certificate.to_vec()));
                }
            }
            _ => found.push(der),
        }
    }
    found
}
