//! What a bundle's bags hold, read as `parse_pk12` reads them: the first
//! key and every certificate, in order; then the chain OpenSSL makes of them,
//! the certificate whose public key is the key's first.

use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use zeroize::Zeroizing;

use super::asn1;
use super::bags::{BagValue, SafeBag};
use super::certificate;
use super::content::{ContentInfo, Encrypted};
use super::decrypt::decrypt;
use super::errors::{openssl_reason, reason};
use super::password::Password;
use super::private_key::{checked_key, key_public_bits, private_key_info_shape};
use crate::credentials::pbe::KdfBudget;
use crate::TlsError;

/// What a bundle holds for the client to present.
pub(crate) struct Bundle {
    /// The certificate chain, leaf first.
    pub chain: Vec<CertificateDer<'static>>,
    /// The leaf's private key (PKCS#8), wiped when dropped.
    pub key: Zeroizing<PrivateKeyDer<'static>>,
}

/// What the bags gave so far: the first key, and every certificate in order.
#[derive(Default)]
pub(super) struct Found {
    key: Option<FoundKey>,
    certs: Vec<FoundCert>,
}

/// The first key's PKCS#8 DER (wiped when dropped) and its bag's localKeyID.
type FoundKey = (Zeroizing<Vec<u8>>, Option<Vec<u8>>);

/// A certificate from a certBag: its DER, public key bits and localKeyID.
struct FoundCert {
    der: Vec<u8>,
    public_key: Vec<u8>,
    local_key_id: Option<Vec<u8>>,
}

impl Found {
    /// `parse_pk12` for one ContentInfo of the authSafe.
    pub(super) fn read_safe(
        &mut self,
        safe: &ContentInfo<'_>,
        password: &Password<'_>,
        budget: &mut KdfBudget,
    ) -> Result<(), TlsError> {
        match safe {
            ContentInfo::Data(Some(octets)) => self.read_contents(octets, password, budget),
            ContentInfo::Encrypted(Some(Encrypted {
                algorithm,
                ciphertext: Some(ciphertext),
            })) => {
                let plain = decrypt(algorithm, ciphertext, *password, budget)?;
                self.read_contents(&plain, password, budget)
            }
            ContentInfo::Data(None) | ContentInfo::Encrypted(_) => {
                Err(openssl_reason("decode error"))
            }
            ContentInfo::Other => Ok(()),
        }
    }

    /// One SafeContents: every bag is decoded first, as OpenSSL does, then used.
    fn read_contents(
        &mut self,
        der: &[u8],
        password: &Password<'_>,
        budget: &mut KdfBudget,
    ) -> Result<(), TlsError> {
        let bags = asn1::outer_tlv(der)
            .and_then(|tlv| SafeBag::parse_all(tlv, 0))
            .map_err(reason)?;
        self.use_bags(&bags, password, budget)
    }

    /// Takes in the bags: the first key (decrypted if shrouded), every
    /// certificate, and the bags nested inside.
    fn use_bags(
        &mut self,
        bags: &[SafeBag<'_>],
        password: &Password<'_>,
        budget: &mut KdfBudget,
    ) -> Result<(), TlsError> {
        for bag in bags {
            match &bag.value {
                BagValue::Key(der) if self.key.is_none() => {
                    let key = Zeroizing::new(der.to_vec());
                    self.key = Some((checked_key(key)?, bag.local_key_id.clone()));
                }
                BagValue::ShroudedKey(algorithm, ciphertext) if self.key.is_none() => {
                    let plain = decrypt(algorithm, ciphertext, *password, budget)?;
                    let info = asn1::outer_tlv(&plain)
                        .and_then(|tlv| private_key_info_shape(tlv).map(|()| tlv.raw.len()))
                        .map_err(reason)?;
                    let mut key = plain;
                    key.truncate(info);
                    self.key = Some((checked_key(key)?, bag.local_key_id.clone()));
                }
                BagValue::Cert(der) => {
                    let bits = certificate::public_key_bits(der).map_err(reason)?;
                    self.certs.push(FoundCert {
                        der: der.to_vec(),
                        public_key: bits,
                        local_key_id: bag.local_key_id.clone(),
                    });
                }
                BagValue::Nested(inner) => self.use_bags(inner, password, budget)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// Node's checks after `PKCS12_parse`, and OpenSSL's choice of certificate:
    /// the first whose public key is the key's.
    pub(super) fn into_bundle(self) -> Result<Bundle, TlsError> {
        let Some((mut key, key_id)) = self.key else {
            return Err(TlsError::new(
                "ERR_CRYPTO_OPERATION_FAILED",
                "Unable to load private key from PFX data",
            ));
        };
        // Moved out, not copied: the emptied buffer is what `key` wipes.
        let leaf = match key_public_bits(&key) {
            Some(bits) => self.certs.iter().position(|c| c.public_key == bits),
            // A key this engine cannot load: the bag attributes pair them, as
            // OpenSSL before 3.0 did; the handshake then reports the key.
            None => self
                .certs
                .iter()
                .position(|c| c.local_key_id.is_some() && c.local_key_id == key_id),
        };
        let Some(leaf) = leaf else {
            return Err(TlsError::new(
                "ERR_CRYPTO_OPERATION_FAILED",
                "Unable to load certificate from PFX data",
            ));
        };
        let key = Zeroizing::new(PrivateKeyDer::Pkcs8(std::mem::take(&mut *key).into()));
        let mut certs = self.certs;
        // The leaf first, the others in the bundle's order.
        if let Some(up_to_leaf) = certs.get_mut(..=leaf) {
            up_to_leaf.rotate_right(1);
        }
        let chain = certs
            .into_iter()
            .map(|c| CertificateDer::from(c.der))
            .collect();
        Ok(Bundle { chain, key })
    }
}
