//! The outer structure of a bundle (`d2i_PKCS12`), the choice of passphrase
//! (`PKCS12_parse`), the MAC check, and the safes inside.

use super::asn1::{self, Reason, Tlv};
use super::content::{ContentInfo, MacData};
use super::errors::{openssl_reason, reason, unsupported};
use super::hash::Hash;
use super::kdf::{self, KdfId};
use super::password::Password;
use crate::credentials::pbe::KdfBudget;
use crate::TlsError;

/// `PFX ::= SEQUENCE { version, authSafe ContentInfo, macData MacData OPTIONAL }`.
pub(super) struct Pfx<'a> {
    auth_safe: ContentInfo<'a>,
    mac: Option<MacData<'a>>,
}

impl<'a> Pfx<'a> {
    /// `d2i_PKCS12`: the whole outer structure, with OpenSSL's reasons.
    pub(super) fn parse(object: Tlv<'a>) -> Result<Self, Reason> {
        let mut seq = object.sequence()?;
        seq.integer()?;
        let auth_safe = ContentInfo::parse(seq.expect(asn1::SEQUENCE)?)?;
        let mac = match seq.optional_last(asn1::SEQUENCE)? {
            Some(tlv) => Some(MacData::parse(tlv)?),
            None => None,
        };
        seq.finish()?;
        Ok(Self { auth_safe, mac })
    }

    /// `PKCS12_parse`'s choice of passphrase: a given one must verify the MAC,
    /// if there is one (OpenSSL 3.5 takes a bundle without a MAC, where 3.0
    /// said "mac absent"); without one, no passphrase and then the empty one
    /// are tried, which differ in PKCS#12.
    pub(super) fn password<'p>(
        &self,
        given: Option<&'p str>,
        budget: &mut KdfBudget,
    ) -> Result<Password<'p>, TlsError> {
        let mac_failure = || openssl_reason("mac verify failure");
        match (given.filter(|p| !p.is_empty()), &self.mac) {
            (Some(text), None) => Ok(Password::Text(text)),
            (Some(text), Some(mac)) => {
                if self.verify_mac(mac, Password::Text(text), budget)? {
                    Ok(Password::Text(text))
                } else {
                    Err(mac_failure())
                }
            }
            (None, None) => Ok(Password::Absent),
            (None, Some(mac)) => {
                for password in [Password::Absent, Password::Text("")] {
                    if self.verify_mac(mac, password, budget)? {
                        return Ok(password);
                    }
                }
                Err(mac_failure())
            }
        }
    }

    /// `PKCS12_verify_mac`: HMAC over the authSafe's octets, keyed by the
    /// PKCS#12 key derivation (ID 3) of the password.
    fn verify_mac(
        &self,
        mac: &MacData<'_>,
        password: Password<'_>,
        budget: &mut KdfBudget,
    ) -> Result<bool, TlsError> {
        let data = self.auth_safe_octets()?;
        // OpenSSL's failed digest fetch is what Node reports.
        let hash = Hash::from_oid(mac.digest).ok_or_else(unsupported)?;
        // OpenSSL: a count below one still hashes once.
        let iterations = u64::try_from(mac.iterations.max(1)).unwrap_or(1);
        let key = kdf::derive(
            hash,
            KdfId::Mac,
            password,
            &mac.salt,
            iterations,
            hash.output_len(),
            budget,
        )?;
        Ok(hash.hmac_matches(&key, data, &mac.value))
    }

    /// The authSafe's `data` octets, with OpenSSL's errors when it has none.
    fn auth_safe_octets(&self) -> Result<&[u8], TlsError> {
        match &self.auth_safe {
            ContentInfo::Data(Some(octets)) => Ok(octets),
            ContentInfo::Data(None) => Err(openssl_reason("decode error")),
            _ => Err(openssl_reason("content type not data")),
        }
    }

    /// `PKCS12_unpack_authsafes`: the ContentInfos inside the authSafe.
    pub(super) fn safes(&self) -> Result<Vec<ContentInfo<'_>>, TlsError> {
        let data = self.auth_safe_octets()?;
        asn1::outer_tlv(data)
            .and_then(|tlv| {
                let mut seq = tlv.sequence()?;
                let mut safes = Vec::new();
                while let Some(item) = seq.next()? {
                    safes.push(ContentInfo::parse(item)?);
                }
                Ok(safes)
            })
            .map_err(reason)
    }
}
