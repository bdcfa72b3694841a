//! The `chain` target's certificates (`fuzz/pki/universe/`, written by
//! `examples/fixed_pki.rs`): roots, intermediates and leaves with valid
//! signatures and the properties OpenSSL and webpki judge, and CRLs, read once
//! per process. An input combines them by index, so every combination the
//! fuzzer tries is signed, and both judges have something to accept.

use std::path::Path;
use std::sync::LazyLock;

/// The certificates and CRLs, each in file-name order.
pub struct Universe {
    /// (file name, DER) of each certificate.
    pub certs: Vec<(String, Vec<u8>)>,
    /// (file name, DER) of each CRL.
    pub crls: Vec<(String, Vec<u8>)>,
}

/// The universe, read on first use.
pub static UNIVERSE: LazyLock<Universe> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("pki/universe");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("fuzz/pki/universe")
        .map(|entry| {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            (name, std::fs::read(&path).expect("universe file"))
        })
        .collect();
    files.sort();
    let (crls, certs) = files
        .into_iter()
        .partition(|(name, _)| name.starts_with("crl-"));
    Universe { certs, crls }
});

impl Universe {
    /// The certificate `index` picks (modulo the count).
    pub fn cert(&self, index: u8) -> &[u8] {
        &self.certs[usize::from(index) % self.certs.len()].1
    }

    /// The index of the certificate whose file name ends with `-{name}.der`.
    pub fn index(&self, name: &str) -> u8 {
        let suffix = format!("-{name}.der");
        let at = self
            .certs
            .iter()
            .position(|(file, _)| file.ends_with(&suffix))
            .unwrap_or_else(|| panic!("no universe certificate {name}"));
        u8::try_from(at).expect("fewer than 256 certificates")
    }
}
