//! PKCS#12 (`pfx`) bundles, read as OpenSSL 3's `d2i_PKCS12_bio` and
//! `PKCS12_parse` read them for Node's `loadPKCS12`: the MAC checked with the
//! passphrase, the `data` and `encryptedData` safes opened, the first private
//! key taken (keyBag or pkcs8ShroudedKeyBag) and every X.509 certBag; the
//! certificate whose public key is the key's leads the chain, the others follow
//! in the bundle's order.
//!
//! Errors are Node's: OpenSSL's reason string as the message and no code
//! ("mac verify failure"), or Node's own `ERR_CRYPTO_*` errors. Work is bounded
//! by [`KdfLimits::PFX`], lengths are checked, and nesting is capped as in
//! OpenSSL, so no input can trap the guest.

use std::borrow::Cow;

use hmac::digest::DynDigest;
use pkcs8::der::asn1::ObjectIdentifier as Oid;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use zeroize::Zeroizing;

use crate::credentials::pbe::{self, Cbc, DecryptError, KdfBudget, KdfLimits, Pbes2Error};
use crate::credentials::ClientIdentity;
use crate::TlsError;
use asn1::{Reason, Tlv};

/// Decodes a bundle with Node's passphrase (none and empty are both tried, as
/// OpenSSL does) into the chain and key the client presents.
pub(crate) fn decode(der: &[u8], passphrase: Option<&str>) -> Result<ClientIdentity, TlsError> {
    decode_with_limits(der, passphrase, KdfLimits::PFX)
}

/// [`decode`] with other caps on key derivation (the fuzzer keeps them low).
pub(crate) fn decode_with_limits(
    der: &[u8],
    passphrase: Option<&str>,
    limits: KdfLimits,
) -> Result<ClientIdentity, TlsError> {
    let mut budget = KdfBudget::new(limits);
    let pfx = asn1::outer_object(der)
        .and_then(Pfx::parse)
        .map_err(reason)?;
    // Node hands OpenSSL a C string: the passphrase ends at its first NUL.
    let given = passphrase.and_then(|p| p.split('\0').next());
    let password = pfx.password(given, &mut budget)?;
    let mut found = Found::default();
    for safe in pfx.safes()?.iter() {
        found.read_safe(safe, &password, &mut budget)?;
    }
    found.into_identity()
}

/// An error as Node reports OpenSSL's: the reason as message, no code.
fn openssl_reason(message: &str) -> TlsError {
    TlsError::new("", message)
}

fn reason(reason: Reason) -> TlsError {
    openssl_reason(reason.message())
}

/// Node's error for what OpenSSL's providers lack, and here for what this
/// engine lacks or refuses to spend on.
fn unsupported() -> TlsError {
    TlsError::new(
        "ERR_CRYPTO_UNSUPPORTED_OPERATION",
        "Unsupported PKCS12 PFX data",
    )
}

fn decrypt_error(err: DecryptError) -> TlsError {
    openssl_reason(match err {
        DecryptError::WrongFinalBlockLength => "wrong final block length",
        DecryptError::BadDecrypt => "bad decrypt",
    })
}

/// Object identifiers this module reads.
mod oid {
    use super::Oid;

    pub(super) const DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
    pub(super) const ENCRYPTED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.6");
    pub(super) const KEY_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.1");
    pub(super) const SHROUDED_KEY_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.2");
    pub(super) const CERT_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.3");
    pub(super) const SAFE_CONTENTS_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.6");
    pub(super) const CRL_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.4");
    pub(super) const SECRET_BAG: Oid = Oid::new_unwrap("1.2.840.113549.1.12.10.1.5");
    pub(super) const X509_CERTIFICATE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.22.1");
    pub(super) const SDSI_CERTIFICATE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.22.2");
    pub(super) const X509_CRL: Oid = Oid::new_unwrap("1.2.840.113549.1.9.23.1");
    pub(super) const LOCAL_KEY_ID: Oid = Oid::new_unwrap("1.2.840.113549.1.9.21");
    /// pbeWithSHAAnd…: 128BitRC4, 40BitRC4, 3-KeyTripleDES-CBC, 2-KeyTripleDES-CBC,
    /// 128BitRC2-CBC, 40BitRC2-CBC are `.1` to `.6` under this arc.
    pub(super) const PKCS12_PBE_ARC: &[u8] =
        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01];
    pub(super) const PBES2: Oid = Oid::new_unwrap("1.2.840.113549.1.5.13");
    pub(super) const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
    pub(super) const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
    /// PKCS #5 v1.5's pbeWith…: MD2/MD5/SHA-1 with DES or RC2, `.1` to `.11`.
    pub(super) const PKCS5_ARC: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05];

    pub(super) const MD5: Oid = Oid::new_unwrap("1.2.840.113549.2.5");
    pub(super) const SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
    pub(super) const SHA224: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.4");
    pub(super) const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
    pub(super) const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
    pub(super) const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");
    pub(super) const SHA512_224: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.5");
    pub(super) const SHA512_256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.6");

    /// Whether the encoded identifier `der` is `oid`.
    pub(super) fn is(der: &[u8], oid: Oid) -> bool {
        der == oid.as_bytes()
    }
}

/// `PFX ::= SEQUENCE { version, authSafe ContentInfo, macData MacData OPTIONAL }`.
struct Pfx<'a> {
    auth_safe: ContentInfo<'a>,
    mac: Option<MacData<'a>>,
}

/// `ContentInfo`, as OpenSSL's PKCS7 type reads it for the types PKCS#12 uses.
enum ContentInfo<'a> {
    /// `data`: its octets, when present.
    Data(Option<Cow<'a, [u8]>>),
    /// `encryptedData`: its algorithm and ciphertext, when present.
    Encrypted(Option<Encrypted<'a>>),
    /// Any other type: skipped, as OpenSSL skips it.
    Other,
}

/// An encrypted content: the algorithm and the ciphertext.
struct Encrypted<'a> {
    algorithm: Algorithm<'a>,
    ciphertext: Option<Cow<'a, [u8]>>,
}

/// `AlgorithmIdentifier`: the encoded OID and its parameters.
#[derive(Clone, Copy)]
struct Algorithm<'a> {
    oid: &'a [u8],
    parameters: Option<Tlv<'a>>,
    /// The whole encoding, for the PKCS #5 parser.
    raw: &'a [u8],
}

/// `MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }`.
struct MacData<'a> {
    digest: &'a [u8],
    value: Cow<'a, [u8]>,
    salt: Cow<'a, [u8]>,
    iterations: i64,
}

impl<'a> Pfx<'a> {
    /// `d2i_PKCS12`: the whole outer structure, with OpenSSL's reasons.
    fn parse(object: Tlv<'a>) -> Result<Self, Reason> {
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

    /// `PKCS12_parse`'s choice of passphrase: a given one must verify the MAC
    /// ("mac absent" without one); without one, no passphrase and then the empty
    /// one are tried, which differ in PKCS#12.
    fn password<'p>(
        &self,
        given: Option<&'p str>,
        budget: &mut KdfBudget,
    ) -> Result<Password<'p>, TlsError> {
        let mac_failure = || openssl_reason("mac verify failure");
        match (given.filter(|p| !p.is_empty()), &self.mac) {
            (Some(_), None) => Err(openssl_reason("mac absent")),
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
        let key = hash.derive(
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
    fn safes(&self) -> Result<Vec<ContentInfo<'_>>, TlsError> {
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

impl<'a> ContentInfo<'a> {
    /// `ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY OPTIONAL }`.
    fn parse(tlv: Tlv<'a>) -> Result<Self, Reason> {
        let mut seq = tlv.sequence()?;
        let content_type = seq.oid()?;
        let is_data = oid::is(content_type, oid::DATA);
        let is_encrypted = oid::is(content_type, oid::ENCRYPTED_DATA);
        let content = match seq.optional_last(asn1::context(0))? {
            Some(explicit) => Some(explicit.explicit_then(|inner| {
                Ok(if is_data {
                    Self::Data(Some(inner.expect_tag(asn1::OCTET_STRING)?.octets()?))
                } else if is_encrypted {
                    Self::Encrypted(Some(Encrypted::parse(inner)?))
                } else {
                    Self::Other
                })
            })?),
            None => None,
        };
        seq.finish()?;
        Ok(content.unwrap_or(if is_data {
            Self::Data(None)
        } else if is_encrypted {
            Self::Encrypted(None)
        } else {
            Self::Other
        }))
    }
}

impl<'a> Encrypted<'a> {
    /// `EncryptedData ::= SEQUENCE { version, EncryptedContentInfo }`, and
    /// `EncryptedContentInfo ::= SEQUENCE { contentType, algorithm, [0] IMPLICIT OCTET STRING OPTIONAL }`.
    fn parse(tlv: Tlv<'a>) -> Result<Self, Reason> {
        let mut seq = tlv.sequence()?;
        seq.integer()?;
        let mut info = seq.expect(asn1::SEQUENCE)?.sequence()?;
        seq.finish()?;
        info.oid()?;
        let algorithm = Algorithm::parse(info.expect(asn1::SEQUENCE)?)?;
        let ciphertext = match info.optional_last(asn1::context(0))? {
            Some(tlv) => Some(tlv.octets()?),
            None => None,
        };
        info.finish()?;
        Ok(Self {
            algorithm,
            ciphertext,
        })
    }
}

impl<'a> Algorithm<'a> {
    /// `AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }`.
    fn parse(tlv: Tlv<'a>) -> Result<Self, Reason> {
        let mut seq = tlv.sequence()?;
        let oid = seq.oid()?;
        let parameters = seq.next()?;
        seq.finish()?;
        Ok(Self {
            oid,
            parameters,
            raw: tlv.raw,
        })
    }
}

impl<'a> MacData<'a> {
    fn parse(tlv: Tlv<'a>) -> Result<Self, Reason> {
        let mut seq = tlv.sequence()?;
        let mut digest_info = seq.expect(asn1::SEQUENCE)?.sequence()?;
        let digest = Algorithm::parse(digest_info.expect(asn1::SEQUENCE)?)?.oid;
        let value = digest_info.expect(asn1::OCTET_STRING)?.octets()?;
        digest_info.finish()?;
        let salt = seq.expect(asn1::OCTET_STRING)?.octets()?;
        let iterations = match seq.optional_last(asn1::INTEGER)? {
            Some(tlv) => tlv.integer_value()?,
            None => 1,
        };
        seq.finish()?;
        Ok(Self {
            digest,
            value,
            salt,
            iterations,
        })
    }
}

/// A passphrase as OpenSSL's PKCS#12 code takes it: none at all differs from an
/// empty one in the PKCS#12 key derivation (no bytes, against a UTF-16 NUL).
#[derive(Debug, Clone, Copy)]
enum Password<'a> {
    Absent,
    Text(&'a str),
}

impl<'a> Password<'a> {
    /// The PKCS#12 derivation's input: UTF-16BE with a trailing NUL, as
    /// OpenSSL's `OPENSSL_utf82uni` makes it. Wiped when dropped.
    fn bmp(self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::new());
        if let Password::Text(text) = self {
            for unit in text.encode_utf16().chain([0]) {
                out.extend_from_slice(&unit.to_be_bytes());
            }
        }
        out
    }

    /// PBES2's input: the UTF-8 bytes, none when absent.
    fn utf8(self) -> &'a [u8] {
        match self {
            Password::Absent => &[],
            Password::Text(text) => text.as_bytes(),
        }
    }
}

/// The digests a MAC may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hash {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    Sha512_224,
    Sha512_256,
}

/// The PKCS#12 key derivation's purpose byte.
#[derive(Debug, Clone, Copy)]
enum KdfId {
    Key = 1,
    Iv = 2,
    Mac = 3,
}

impl Hash {
    fn from_oid(der: &[u8]) -> Option<Self> {
        [
            (oid::MD5, Hash::Md5),
            (oid::SHA1, Hash::Sha1),
            (oid::SHA224, Hash::Sha224),
            (oid::SHA256, Hash::Sha256),
            (oid::SHA384, Hash::Sha384),
            (oid::SHA512, Hash::Sha512),
            (oid::SHA512_224, Hash::Sha512_224),
            (oid::SHA512_256, Hash::Sha512_256),
        ]
        .into_iter()
        .find_map(|(id, hash)| oid::is(der, id).then_some(hash))
    }

    fn output_len(self) -> usize {
        match self {
            Hash::Md5 => 16,
            Hash::Sha1 => 20,
            Hash::Sha224 | Hash::Sha512_224 => 28,
            Hash::Sha256 | Hash::Sha512_256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }

    /// RFC 7292 appendix B.2, charged to `budget` first. Wiped when dropped.
    fn derive(
        self,
        id: KdfId,
        password: Password<'_>,
        salt: &[u8],
        iterations: u64,
        len: usize,
        budget: &mut KdfBudget,
    ) -> Result<Zeroizing<Vec<u8>>, TlsError> {
        let blocks = len.div_ceil(self.output_len()) as u64;
        budget
            .charge(iterations, blocks)
            .map_err(|_| unsupported())?;
        let password = password.bmp();
        let mut out = Zeroizing::new(vec![0; len]);
        // The budget has capped iterations far below u32::MAX.
        let rounds = u32::try_from(iterations).map_err(|_| unsupported())?;
        pkcs12_kdf(self, id as u8, &password, salt, rounds, &mut out);
        Ok(out)
    }

    /// The hash's block length, PKCS#12's v.
    fn block_len(self) -> usize {
        match self {
            Hash::Md5 | Hash::Sha1 | Hash::Sha224 | Hash::Sha256 => 64,
            _ => 128,
        }
    }

    /// A fresh hasher. One code path serves every hash: generic code
    /// instantiated for eight of them would add its size eight times to the guest.
    fn hasher(self) -> Box<dyn DynDigest> {
        match self {
            Hash::Md5 => Box::new(md5::Md5::default()),
            Hash::Sha1 => Box::new(sha1::Sha1::default()),
            Hash::Sha224 => Box::new(sha2::Sha224::default()),
            Hash::Sha256 => Box::new(sha2::Sha256::default()),
            Hash::Sha384 => Box::new(sha2::Sha384::default()),
            Hash::Sha512 => Box::new(sha2::Sha512::default()),
            Hash::Sha512_224 => Box::new(sha2::Sha512_224::default()),
            Hash::Sha512_256 => Box::new(sha2::Sha512_256::default()),
        }
    }

    /// Whether HMAC(`key`, `data`) (RFC 2104) is `expected`, compared in
    /// constant time. The padded keys are wiped when dropped.
    fn hmac_matches(self, key: &[u8], data: &[u8], expected: &[u8]) -> bool {
        let block = self.block_len();
        let mut hasher = self.hasher();
        let mut padded = Zeroizing::new(vec![0u8; block]);
        if key.len() > block {
            hasher.update(key);
            let _ = hasher.finalize_into_reset(&mut padded[..self.output_len()]);
        } else {
            padded[..key.len()].copy_from_slice(key);
        }
        let mut inner = Zeroizing::new([0u8; 64]);
        let inner = &mut inner[..self.output_len()];
        let pad = |byte: u8| -> Zeroizing<Vec<u8>> {
            Zeroizing::new(padded.iter().map(|k| k ^ byte).collect())
        };
        hasher.update(&pad(0x36));
        hasher.update(data);
        let _ = hasher.finalize_into_reset(inner);
        hasher.update(&pad(0x5c));
        hasher.update(inner);
        let mut mac = [0u8; 64];
        let mac = &mut mac[..self.output_len()];
        let _ = hasher.finalize_into_reset(mac);
        mac.len() == expected.len()
            && mac
                .iter()
                .zip(expected)
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}

/// The PKCS#12 key derivation (RFC 7292, appendix B.2) with `hash`:
/// I = salt ‖ password, each repeated to whole blocks of the hash's block
/// length v; each output block is H^rounds(D ‖ I) with D the purpose byte
/// repeated, and I's blocks are then increased by that output (repeated to v
/// bytes) plus one, modulo 2^(8v).
fn pkcs12_kdf(hash: Hash, id: u8, password: &[u8], salt: &[u8], rounds: u32, out: &mut [u8]) {
    let v = hash.block_len();
    let u = hash.output_len();
    let repeat = |src: &[u8]| -> Zeroizing<Vec<u8>> {
        // A slice is at most isize::MAX long, so this cannot overflow.
        let len = src.len().div_ceil(v) * v;
        Zeroizing::new(src.iter().copied().cycle().take(len).collect())
    };
    let mut input = Zeroizing::new([repeat(salt).as_slice(), repeat(password).as_slice()].concat());
    let diversifier = vec![id; v];
    let blocks = out.len().div_ceil(u);
    let mut hasher = hash.hasher();
    let mut a = Zeroizing::new([0u8; 64]);
    let a = &mut a[..u];
    for (n, chunk) in out.chunks_mut(u).enumerate() {
        hasher.update(&diversifier);
        hasher.update(&input);
        let _ = hasher.finalize_into_reset(a);
        for _ in 1..rounds {
            hasher.update(a);
            let _ = hasher.finalize_into_reset(a);
        }
        chunk.copy_from_slice(&a[..chunk.len()]);
        if n + 1 < blocks {
            let b: Zeroizing<Vec<u8>> = Zeroizing::new(a.iter().copied().cycle().take(v).collect());
            for block in input.chunks_mut(v) {
                let mut carry = 1u16;
                for (byte, add) in block.iter_mut().zip(b.iter()).rev() {
                    let sum = u16::from(*byte) + u16::from(*add) + carry;
                    *byte = sum as u8;
                    carry = sum >> 8;
                }
            }
        }
    }
}

/// Decrypts one encrypted content (a safe, or a shrouded key) as
/// `PKCS12_pbe_crypt` does: PBES2, or one of PKCS#12's own SHA-1 PBEs.
fn decrypt(
    algorithm: &Algorithm<'_>,
    ciphertext: &[u8],
    password: Password<'_>,
    budget: &mut KdfBudget,
) -> Result<Zeroizing<Vec<u8>>, TlsError> {
    if oid::is(algorithm.oid, oid::PBES2) {
        pbes2_params::check(algorithm.parameters)?;
        let scheme = pkcs5::EncryptionScheme::try_from(algorithm.raw).map_err(|_| unsupported())?;
        let pkcs5::EncryptionScheme::Pbes2(params) = scheme else {
            return Err(unsupported());
        };
        return pbe::pbes2_decrypt(&params, password.utf8(), ciphertext, budget).map_err(|err| {
            match err {
                Pbes2Error::Decrypt(err) => decrypt_error(err),
                Pbes2Error::MemoryLimit => openssl_reason("memory limit exceeded"),
                Pbes2Error::Unsupported | Pbes2Error::OverLimit => unsupported(),
            }
        });
    }
    let cipher = match algorithm.oid.strip_prefix(oid::PKCS12_PBE_ARC) {
        Some([3]) => Cbc::DesEde3,
        Some([4]) => Cbc::DesEde,
        Some([5]) => Cbc::Rc2 {
            key_len: 16,
            effective_bits: 128,
        },
        Some([6]) => Cbc::Rc2 {
            key_len: 5,
            effective_bits: 40,
        },
        // RC4, and PKCS #5 v1.5's DES and RC2 PBEs: OpenSSL 3 knows them, but
        // only its legacy provider (not loaded by Node) has them.
        Some([1 | 2]) => return Err(unsupported()),
        _ if algorithm.oid.starts_with(oid::PKCS5_ARC) => return Err(unsupported()),
        _ => return Err(openssl_reason("unknown pbe algorithm")),
    };
    let (salt, iterations) = pbe_parameters(algorithm.parameters)?;
    let iterations = u64::try_from(iterations.max(1)).unwrap_or(1);
    let key = Hash::Sha1.derive(
        KdfId::Key,
        password,
        &salt,
        iterations,
        cipher.key_len(),
        budget,
    )?;
    let iv = Hash::Sha1.derive(
        KdfId::Iv,
        password,
        &salt,
        iterations,
        cipher.block_len(),
        budget,
    )?;
    pbe::cbc_decrypt(cipher, &key, &iv, ciphertext).map_err(decrypt_error)
}

/// `PBEParameter ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }`;
/// OpenSSL says "decode error" when it is missing or malformed.
fn pbe_parameters<'a>(parameters: Option<Tlv<'a>>) -> Result<(Cow<'a, [u8]>, i64), TlsError> {
    let decode_error = |_| openssl_reason("decode error");
    let tlv = parameters
        .ok_or(Reason::DecodeError)
        .map_err(decode_error)?;
    let mut seq = tlv
        .expect_tag(asn1::SEQUENCE)
        .and_then(|t| t.sequence())
        .map_err(decode_error)?;
    let salt = seq
        .expect(asn1::OCTET_STRING)
        .and_then(|t| t.octets())
        .map_err(reason)?;
    let iterations = seq
        .expect(asn1::INTEGER)
        .and_then(|t| t.integer_value())
        .map_err(reason)?;
    seq.finish().map_err(reason)?;
    Ok((salt, iterations))
}

/// PBES2's parameters checked in OpenSSL's order and with its errors
/// (`PKCS5_v2_PBE_keyivgen`, `PKCS5_v2_PBKDF2_keyivgen`), before PKCS #5's
/// parser reads them for the derivation.
mod pbes2_params {
    use super::{asn1, openssl_reason, reason, unsupported, Algorithm, Oid, Reason, TlsError, Tlv};

    const PBKDF2: Oid = Oid::new_unwrap("1.2.840.113549.1.5.12");
    const SCRYPT: Oid = Oid::new_unwrap("1.3.6.1.4.1.11591.4.11");
    /// The ciphers this engine has, with their key and IV lengths.
    const CIPHERS: [(Oid, usize, usize); 5] = [
        (Oid::new_unwrap("2.16.840.1.101.3.4.1.2"), 16, 16),
        (Oid::new_unwrap("2.16.840.1.101.3.4.1.22"), 24, 16),
        (Oid::new_unwrap("2.16.840.1.101.3.4.1.42"), 32, 16),
        (Oid::new_unwrap("1.2.840.113549.3.7"), 24, 8),
        (Oid::new_unwrap("1.3.14.3.2.7"), 8, 8),
    ];
    /// hmacWithSHA1, SHA224, SHA256, SHA384, SHA512 (`.7` to `.11`), which this
    /// engine has, and SHA512-224 and SHA512-256 (`.12`, `.13`), which OpenSSL has.
    const HMAC_ARC: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02];

    /// Checks the PBES2 parameters; `Ok` means PKCS #5 may read them.
    pub(super) fn check(parameters: Option<Tlv<'_>>) -> Result<(), TlsError> {
        let decode_error = || openssl_reason("decode error");
        // ASN1_TYPE_unpack_sequence: anything but a SEQUENCE is "decode error".
        let params = parameters
            .filter(|p| p.tag == asn1::SEQUENCE && p.constructed)
            .ok_or_else(decode_error)?;
        let (kdf, cipher) = (|| {
            let mut seq = params.sequence()?;
            let kdf = Algorithm::parse(seq.expect(asn1::SEQUENCE)?)?;
            let cipher = Algorithm::parse(seq.expect(asn1::SEQUENCE)?)?;
            seq.finish()?;
            Ok((kdf, cipher))
        })()
        .map_err(reason)?;
        let is_pbkdf2 = kdf.oid == PBKDF2.as_bytes();
        if !is_pbkdf2 && kdf.oid != SCRYPT.as_bytes() {
            return Err(openssl_reason("unsupported key derivation function"));
        }
        // OpenSSL's failed cipher fetch (for any name) is what Node reports.
        let Some(&(_, key_len, iv_len)) =
            CIPHERS.iter().find(|(id, ..)| id.as_bytes() == cipher.oid)
        else {
            return Err(unsupported());
        };
        match cipher.parameters {
            Some(iv) if iv.tag == asn1::OCTET_STRING && !iv.constructed => {
                if iv.body.len() != iv_len {
                    return Err(openssl_reason("cipher parameter error"));
                }
            }
            _ => return Err(openssl_reason("data is wrong")),
        }
        let kdf_params = kdf
            .parameters
            .filter(|p| p.tag == asn1::SEQUENCE && p.constructed)
            .ok_or_else(decode_error)?;
        if is_pbkdf2 {
            pbkdf2(kdf_params, key_len)
        } else {
            scrypt(kdf_params)
        }
    }

    /// `PBKDF2-params ::= SEQUENCE { salt, iterationCount, keyLength OPTIONAL, prf DEFAULT hmacWithSHA1 }`.
    fn pbkdf2(params: Tlv<'_>, key_len: usize) -> Result<(), TlsError> {
        let (salt, key_length, prf) = (|| {
            let mut seq = params.sequence()?;
            let salt = seq.next()?.ok_or(Reason::FieldMissing)?;
            seq.integer()?;
            let key_length = match seq.optional(asn1::INTEGER)? {
                Some(tlv) => Some(tlv.integer_value()?),
                None => None,
            };
            let prf = match seq.optional_last(asn1::SEQUENCE)? {
                Some(tlv) => Some(Algorithm::parse(tlv)?.oid),
                None => None,
            };
            seq.finish()?;
            Ok((salt, key_length, prf))
        })()
        .map_err(reason)?;
        if key_length.is_some_and(|len| len != key_len as i64) {
            return Err(openssl_reason("unsupported keylength"));
        }
        if let Some(prf) = prf {
            match prf.strip_prefix(HMAC_ARC) {
                Some([7..=11]) => {}
                Some([12 | 13]) => return Err(unsupported()),
                _ => return Err(openssl_reason("unsupported prf")),
            }
        }
        if salt.tag != asn1::OCTET_STRING {
            return Err(openssl_reason("unsupported salt type"));
        }
        Ok(())
    }

    /// `scrypt-params ::= SEQUENCE { salt, costParameter, blockSize, parallelizationParameter, keyLength OPTIONAL }`.
    fn scrypt(params: Tlv<'_>) -> Result<(), TlsError> {
        (|| {
            let mut seq = params.sequence()?;
            seq.expect(asn1::OCTET_STRING)?;
            for _ in 0..3 {
                seq.integer()?;
            }
            seq.optional_last(asn1::INTEGER)?;
            seq.finish()
        })()
        .map_err(reason)
    }
}

/// What the bags gave so far: the first key, and every certificate in order.
#[derive(Default)]
struct Found {
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

/// OpenSSL's nesting limit for constructed values, here for safeContentsBags.
const MAX_BAG_NESTING: usize = 30;

impl Found {
    /// `parse_pk12` for one ContentInfo of the authSafe.
    fn read_safe(
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
    fn into_identity(self) -> Result<ClientIdentity, TlsError> {
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
        let first = certs.remove(leaf);
        let chain = std::iter::once(first)
            .chain(certs)
            .map(|c| CertificateDer::from(c.der))
            .collect();
        Ok(ClientIdentity { chain, key })
    }
}

/// A decrypted or plain PKCS#8 key that OpenSSL's decoder would take: a
/// PrivateKeyInfo whose RSA or EC key decodes. Else OpenSSL's failed key
/// decoding is what Node reports: "Unsupported PKCS12 PFX data".
fn checked_key(key: Zeroizing<Vec<u8>>) -> Result<Zeroizing<Vec<u8>>, TlsError> {
    let info = pkcs8::PrivateKeyInfo::try_from(key.as_slice()).map_err(|_| unsupported())?;
    let inner = || asn1::outer_tlv(info.private_key).and_then(Tlv::sequence);
    let fits = match info.algorithm.oid {
        // RSAPrivateKey: version, n, e, d, p, q, dP, dQ, qInv (, other primes).
        oid::RSA_ENCRYPTION => inner()
            .and_then(|mut seq| (0..9).try_for_each(|_| seq.integer().map(drop)))
            .is_ok(),
        // ECPrivateKey: version, privateKey, [0] parameters, [1] publicKey.
        oid::EC_PUBLIC_KEY => inner()
            .and_then(|mut seq| {
                seq.integer()?;
                seq.expect(asn1::OCTET_STRING).map(drop)
            })
            .is_ok(),
        _ => true,
    };
    if !fits {
        return Err(unsupported());
    }
    Ok(key)
}

/// The subjectPublicKey bits the certificate of a PKCS#8 key must hold, as
/// OpenSSL's `X509_check_private_key` compares them: from the key's own
/// encoding for RSA (n, e) and EC (its publicKey), else from rustls's ring
/// provider when it loads the key.
fn key_public_bits(pkcs8_der: &[u8]) -> Option<Vec<u8>> {
    let info = pkcs8::PrivateKeyInfo::try_from(pkcs8_der).ok()?;
    if let Some(bits) = key_public_bits_in(&info) {
        return Some(bits);
    }
    let key = Zeroizing::new(PrivateKeyDer::Pkcs8(pkcs8_der.to_vec().into()));
    let signing = rustls::crypto::ring::sign::any_supported_type(&key).ok()?;
    let spki = signing.public_key()?;
    let mut seq = asn1::outer_tlv(spki.as_ref()).ok()?.sequence().ok()?;
    seq.expect(asn1::SEQUENCE).ok()?;
    Some(seq.expect(asn1::BIT_STRING).ok()?.body.get(1..)?.to_vec())
}

/// The public key bits a PKCS#8 key carries itself: RSA's n and e, EC's publicKey.
fn key_public_bits_in(info: &pkcs8::PrivateKeyInfo<'_>) -> Option<Vec<u8>> {
    let inner = || {
        asn1::outer_tlv(info.private_key)
            .and_then(Tlv::sequence)
            .ok()
    };
    match info.algorithm.oid {
        oid::RSA_ENCRYPTION => {
            let mut seq = inner()?;
            seq.integer().ok()?;
            let n = seq.expect(asn1::INTEGER).ok()?;
            let e = seq.expect(asn1::INTEGER).ok()?;
            Some(asn1::sequence_of(&[n.raw, e.raw]))
        }
        oid::EC_PUBLIC_KEY => {
            let mut seq = inner()?;
            seq.integer().ok()?;
            seq.expect(asn1::OCTET_STRING).ok()?;
            while let Ok(Some(field)) = seq.next() {
                if field.tag == asn1::context(1) {
                    let bits = field
                        .explicit_then(|bits| bits.expect_tag(asn1::BIT_STRING))
                        .ok()?;
                    return Some(bits.body.get(1..)?.to_vec());
                }
            }
            None
        }
        _ => None,
    }
}

/// `PrivateKeyInfo` as OpenSSL 3.0's template has it: `SEQUENCE { version
/// INTEGER, algorithm AlgorithmIdentifier, privateKey OCTET STRING,
/// attributes [0] IMPLICIT SET OF Attribute OPTIONAL }`.
fn private_key_info_shape(tlv: Tlv<'_>) -> Result<(), Reason> {
    let mut seq = tlv.sequence()?;
    seq.integer()?;
    Algorithm::parse(seq.expect(asn1::SEQUENCE)?)?;
    seq.expect(asn1::OCTET_STRING)?.octets()?;
    seq.optional_last(asn1::context(0))?;
    seq.finish()
}

/// Certificates as OpenSSL's X.509 template reads them, in document order and
/// with its reasons: the structure's tags, the primitive encodings, and the
/// string types a name may hold. What it yields is the subjectPublicKey bits.
mod certificate {
    use super::asn1::{self, Reason, Tlv};

    /// The subjectPublicKey bits of an X.509 certificate, or why OpenSSL refuses it.
    pub(super) fn public_key_bits(der: &[u8]) -> Result<Vec<u8>, Reason> {
        let mut cert = asn1::outer_tlv(der)?.sequence()?;
        let mut tbs = cert.expect(asn1::SEQUENCE)?.sequence()?;
        if let Some(version) = tbs.optional(asn1::context(0))? {
            version.explicit_then(|v| v.expect_tag(asn1::INTEGER)?.integer_bytes().map(drop))?;
        }
        tbs.integer()?;
        algorithm(tbs.expect(asn1::SEQUENCE)?)?;
        name(tbs.expect(asn1::SEQUENCE)?)?;
        let mut validity = tbs.expect(asn1::SEQUENCE)?.sequence()?;
        for _ in 0..2 {
            let time = validity.next()?.ok_or(Reason::FieldMissing)?;
            mstring(time, &[23, 24])?;
        }
        validity.finish()?;
        name(tbs.expect(asn1::SEQUENCE)?)?;
        let mut spki = tbs.expect(asn1::SEQUENCE)?.sequence()?;
        algorithm(spki.expect(asn1::SEQUENCE)?)?;
        let bits = spki.expect(asn1::BIT_STRING)?;
        asn1::walk(bits)?;
        spki.finish()?;
        for unique_id in [1, 2] {
            tbs.optional(asn1::context(unique_id))?;
        }
        if let Some(extensions) = tbs.optional_last(asn1::context(3))? {
            extensions.explicit_then(|list| {
                let mut list = list.sequence()?;
                while let Some(extension) = list.next()? {
                    let mut fields = extension.sequence()?;
                    fields.oid()?;
                    if let Some(critical) = fields.optional(asn1::BOOLEAN)? {
                        asn1::walk(critical)?;
                    }
                    fields.expect(asn1::OCTET_STRING)?;
                    fields.finish()?;
                }
                Ok(())
            })?;
        }
        tbs.finish()?;
        algorithm(cert.expect(asn1::SEQUENCE)?)?;
        asn1::walk(cert.expect(asn1::BIT_STRING)?)?;
        cert.finish()?;
        Ok(bits.body.get(1..).unwrap_or_default().to_vec())
    }

    /// `AlgorithmIdentifier`: an OID and any parameters.
    fn algorithm(tlv: Tlv<'_>) -> Result<(), Reason> {
        let mut seq = tlv.sequence()?;
        seq.oid()?;
        if let Some(parameters) = seq.next()? {
            asn1::walk(parameters)?;
        }
        seq.finish()
    }

    /// `Name ::= SEQUENCE OF SET OF SEQUENCE { type OID, value }`, each value
    /// one of the string types OpenSSL's `ASN1_PRINTABLE` takes.
    fn name(tlv: Tlv<'_>) -> Result<(), Reason> {
        const PRINTABLE: &[u32] = &[12, 16, 18, 19, 20, 21, 22, 25, 26, 27, 28, 30];
        let mut rdns = tlv.sequence()?;
        while let Some(rdn) = rdns.next()? {
            let mut entries = rdn.set()?;
            while let Some(entry) = entries.next()? {
                let mut fields = entry.sequence()?;
                fields.oid()?;
                mstring(fields.next()?.ok_or(Reason::FieldMissing)?, PRINTABLE)?;
                fields.finish()?;
            }
        }
        Ok(())
    }

    /// OpenSSL's MSTRING: a universal type among `allowed`, well formed.
    fn mstring(tlv: Tlv<'_>, allowed: &[u32]) -> Result<(), Reason> {
        if tlv.tag.class != 0 {
            return Err(Reason::MstringNotUniversal);
        }
        if !allowed.contains(&tlv.tag.number) {
            return Err(Reason::MstringWrongTag);
        }
        asn1::walk(tlv)
    }
}

/// `SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT ANY, bagAttributes SET OF Attribute OPTIONAL }`.
struct SafeBag<'a> {
    value: BagValue<'a>,
    local_key_id: Option<Vec<u8>>,
}

/// The bags OpenSSL uses; the others are decoded and skipped.
enum BagValue<'a> {
    /// A PrivateKeyInfo.
    Key(&'a [u8]),
    /// An EncryptedPrivateKeyInfo.
    ShroudedKey(Algorithm<'a>, Cow<'a, [u8]>),
    /// An X.509 certificate.
    Cert(Cow<'a, [u8]>),
    /// A safeContentsBag.
    Nested(Vec<SafeBag<'a>>),
    Other,
}

impl<'a> SafeBag<'a> {
    /// `SafeContents ::= SEQUENCE OF SafeBag`, nested at most [`MAX_BAG_NESTING`] deep.
    fn parse_all(tlv: Tlv<'a>, depth: usize) -> Result<Vec<Self>, Reason> {
        if depth > MAX_BAG_NESTING {
            return Err(Reason::NestedTooDeep);
        }
        let mut seq = tlv.sequence()?;
        let mut bags = Vec::new();
        while let Some(item) = seq.next()? {
            bags.push(Self::parse(item, depth)?);
        }
        Ok(bags)
    }

    fn parse(tlv: Tlv<'a>, depth: usize) -> Result<Self, Reason> {
        let mut seq = tlv.sequence()?;
        let bag_id = seq.oid()?;
        let value = seq
            .expect(asn1::context(0))?
            .explicit_then(|value| Self::value(bag_id, value, depth))?;
        let local_key_id = match seq.optional_last(asn1::SET)? {
            Some(set) => local_key_id(set)?,
            None => None,
        };
        seq.finish()?;
        Ok(Self {
            value,
            local_key_id,
        })
    }

    /// The bag's value, read as OpenSSL's template for its type reads it.
    fn value(bag_id: &[u8], value: Tlv<'a>, depth: usize) -> Result<BagValue<'a>, Reason> {
        Ok(if oid::is(bag_id, oid::KEY_BAG) {
            private_key_info_shape(value)?;
            BagValue::Key(value.raw)
        } else if oid::is(bag_id, oid::SHROUDED_KEY_BAG) {
            let mut info = value.sequence()?;
            let algorithm = Algorithm::parse(info.expect(asn1::SEQUENCE)?)?;
            let ciphertext = info.expect(asn1::OCTET_STRING)?.octets()?;
            info.finish()?;
            BagValue::ShroudedKey(algorithm, ciphertext)
        } else if oid::is(bag_id, oid::SAFE_CONTENTS_BAG) {
            BagValue::Nested(Self::parse_all(value, depth + 1)?)
        } else if [oid::CERT_BAG, oid::CRL_BAG, oid::SECRET_BAG]
            .iter()
            .any(|&id| oid::is(bag_id, id))
        {
            // `CertBag`, `CRLBag` and `SecretBag` share OpenSSL's PKCS12_BAGS:
            // `SEQUENCE { type OID, value [0] EXPLICIT ANY DEFINED BY type }`.
            let mut bag = value.sequence()?;
            let kind = bag.oid()?;
            let value = bag.expect(asn1::context(0))?.explicit_then(|inner| {
                if oid::is(kind, oid::X509_CERTIFICATE) || oid::is(kind, oid::X509_CRL) {
                    let octets = inner.expect_tag(asn1::OCTET_STRING)?.octets()?;
                    let is_cert =
                        oid::is(bag_id, oid::CERT_BAG) && oid::is(kind, oid::X509_CERTIFICATE);
                    return Ok(if is_cert {
                        BagValue::Cert(octets)
                    } else {
                        BagValue::Other
                    });
                }
                if oid::is(kind, oid::SDSI_CERTIFICATE) {
                    inner.expect_tag(asn1::IA5_STRING)?;
                }
                Ok(BagValue::Other)
            })?;
            bag.finish()?;
            value
        } else {
            BagValue::Other
        })
    }
}

/// The localKeyID among a bag's attributes (`Attribute ::= SEQUENCE { OID, SET OF ANY }`).
fn local_key_id(set: Tlv<'_>) -> Result<Option<Vec<u8>>, Reason> {
    let mut attributes = set.set()?;
    let mut found = None;
    while let Some(attribute) = attributes.next()? {
        let mut seq = attribute.sequence()?;
        let id = seq.oid()?;
        let mut values = seq.expect(asn1::SET)?.set()?;
        seq.finish()?;
        let first = values.next()?;
        while values.next()?.is_some() {}
        if found.is_none() && oid::is(id, oid::LOCAL_KEY_ID) {
            if let Some(value) = first.filter(|v| v.tag == asn1::OCTET_STRING) {
                found = Some(value.octets()?.into_owned());
            }
        }
    }
    Ok(found)
}

/// A BER reader that refuses what OpenSSL's ASN.1 decoder refuses, with its
/// reason strings. Lengths are checked against what is there before use,
/// indefinite lengths are followed without recursion, and nesting is capped.
mod asn1 {
    use std::borrow::Cow;

    /// OpenSSL's reason for refusing an encoding; Node shows it as the message.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(super) enum Reason {
        NotEnoughData,
        HeaderTooLong,
        TooLong,
        WrongTag,
        FieldMissing,
        SequenceLengthMismatch,
        SequenceNotConstructed,
        ExplicitTagNotConstructed,
        ExplicitLengthMismatch,
        TypeNotPrimitive,
        NestedTooDeep,
        NestedAsn1String,
        MissingEoc,
        IllegalZeroContent,
        IllegalPadding,
        InvalidObjectEncoding,
        BooleanIsWrongLength,
        NullIsWrongLength,
        StringTooShort,
        InvalidBitStringBitsLeft,
        BmpStringIsWrongLength,
        UniversalStringIsWrongLength,
        InvalidUtf8String,
        MstringNotUniversal,
        MstringWrongTag,
        DecodeError,
    }

    impl Reason {
        /// OpenSSL's reason string.
        pub(super) fn message(self) -> &'static str {
            match self {
                Reason::NotEnoughData => "not enough data",
                Reason::HeaderTooLong => "header too long",
                Reason::TooLong => "too long",
                Reason::WrongTag => "wrong tag",
                Reason::FieldMissing => "field missing",
                Reason::SequenceLengthMismatch => "sequence length mismatch",
                Reason::SequenceNotConstructed => "sequence not constructed",
                Reason::ExplicitTagNotConstructed => "explicit tag not constructed",
                Reason::ExplicitLengthMismatch => "explicit length mismatch",
                Reason::TypeNotPrimitive => "type not primitive",
                Reason::NestedTooDeep => "nested too deep",
                Reason::NestedAsn1String => "nested asn1 string",
                Reason::MissingEoc => "missing eoc",
                Reason::IllegalZeroContent => "illegal zero content",
                Reason::IllegalPadding => "illegal padding",
                Reason::InvalidObjectEncoding => "invalid object encoding",
                Reason::BooleanIsWrongLength => "boolean is wrong length",
                Reason::NullIsWrongLength => "null is wrong length",
                Reason::StringTooShort => "string too short",
                Reason::InvalidBitStringBitsLeft => "invalid bit string bits left",
                Reason::BmpStringIsWrongLength => "bmpstring is wrong length",
                Reason::UniversalStringIsWrongLength => "universalstring is wrong length",
                Reason::InvalidUtf8String => "invalid utf8string",
                Reason::MstringNotUniversal => "mstring not universal",
                Reason::MstringWrongTag => "mstring wrong tag",
                Reason::DecodeError => "decode error",
            }
        }
    }

    /// A tag: its class (0 universal to 3 private) and number.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(super) struct Tag {
        pub class: u8,
        pub number: u32,
    }

    const fn universal(number: u32) -> Tag {
        Tag { class: 0, number }
    }

    pub(super) const BOOLEAN: Tag = universal(1);
    pub(super) const INTEGER: Tag = universal(2);
    pub(super) const BIT_STRING: Tag = universal(3);
    pub(super) const OCTET_STRING: Tag = universal(4);
    pub(super) const OBJECT_IDENTIFIER: Tag = universal(6);
    pub(super) const SEQUENCE: Tag = universal(16);
    pub(super) const SET: Tag = universal(17);
    pub(super) const IA5_STRING: Tag = universal(22);

    /// A context-specific tag, `[n]`.
    pub(super) const fn context(number: u32) -> Tag {
        Tag { class: 2, number }
    }

    /// One element: its tag, whether constructed, its contents (without an
    /// indefinite form's end-of-contents), and its whole encoding.
    #[derive(Debug, Clone, Copy)]
    pub(super) struct Tlv<'a> {
        pub tag: Tag,
        pub constructed: bool,
        pub body: &'a [u8],
        pub raw: &'a [u8],
    }

    /// The most indefinite-length levels followed (OpenSSL's ASN1_MAX_CONSTRUCTED_NEST).
    const MAX_NESTING: u32 = 30;
    /// The most levels of constructed strings (OpenSSL's ASN1_MAX_STRING_NEST).
    const MAX_STRING_NESTING: usize = 5;

    /// A header: tag, constructed bit, length (`None`: indefinite), and its size.
    struct Header {
        tag: Tag,
        constructed: bool,
        length: Option<u64>,
        size: usize,
    }

    /// `ASN1_get_object`'s header rules over `input` (all that may be read):
    /// it wants a byte after the tag and, for a long-form length, a byte after
    /// the length too; an indefinite length must be constructed.
    fn header(input: &[u8]) -> Result<Header, Reason> {
        let mut pos = 0usize;
        let byte = |pos: usize| input.get(pos).copied().ok_or(Reason::HeaderTooLong);
        let first = byte(pos)?;
        let constructed = first & 0x20 != 0;
        let class = first >> 6;
        let mut number = u32::from(first & 0x1f);
        pos += 1;
        if number == 0x1f {
            number = 0;
            loop {
                let b = byte(pos)?;
                pos += 1;
                if number > (i32::MAX as u32) >> 7 {
                    return Err(Reason::HeaderTooLong);
                }
                number = (number << 7) | u32::from(b & 0x7f);
                if b & 0x80 == 0 {
                    break;
                }
            }
        }
        if pos >= input.len() {
            return Err(Reason::HeaderTooLong);
        }
        let len_byte = byte(pos)?;
        pos += 1;
        let length = if len_byte == 0x80 {
            if !constructed {
                return Err(Reason::HeaderTooLong);
            }
            None
        } else if len_byte & 0x80 != 0 {
            let count = usize::from(len_byte & 0x7f);
            let left = input.len() - pos;
            if left < count + 1 {
                return Err(Reason::HeaderTooLong);
            }
            let digits = &input[pos..pos + count];
            pos += count;
            let significant = &digits[digits.iter().take_while(|&&d| d == 0).count()..];
            if significant.len() > 8 {
                return Err(Reason::HeaderTooLong);
            }
            let value = significant
                .iter()
                .fold(0u64, |acc, &d| (acc << 8) | u64::from(d));
            if value > i64::MAX as u64 {
                return Err(Reason::HeaderTooLong);
            }
            Some(value)
        } else {
            Some(u64::from(len_byte))
        };
        Ok(Header {
            tag: Tag { class, number },
            constructed,
            length,
            size: pos,
        })
    }

    /// Where the contents of an indefinite-length element end: the offset of
    /// its end-of-contents in `contents`. Followed with a counter, not recursion.
    fn indefinite_end(contents: &[u8]) -> Result<usize, Reason> {
        let mut pos = 0usize;
        let mut open = 1u32;
        loop {
            let rest = &contents[pos..];
            if rest.is_empty() {
                return Err(Reason::MissingEoc);
            }
            if rest.starts_with(&[0, 0]) {
                open -= 1;
                if open == 0 {
                    return Ok(pos);
                }
                pos += 2;
                continue;
            }
            let h = header(rest)?;
            pos += h.size;
            match h.length {
                None => {
                    open += 1;
                    if open > MAX_NESTING {
                        return Err(Reason::NestedTooDeep);
                    }
                }
                Some(len) => {
                    let len = usize::try_from(len).map_err(|_| Reason::TooLong)?;
                    if len > contents.len() - pos {
                        return Err(Reason::TooLong);
                    }
                    pos += len;
                }
            }
        }
    }

    /// One element at the start of `input`, and the rest.
    fn element(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), Reason> {
        let h = header(input)?;
        let after = &input[h.size..];
        let (body, used) = match h.length {
            Some(len) => {
                let len = usize::try_from(len).map_err(|_| Reason::TooLong)?;
                if len > after.len() {
                    return Err(Reason::TooLong);
                }
                (&after[..len], len)
            }
            None => {
                let end = indefinite_end(after)?;
                (&after[..end], end + 2)
            }
        };
        let total = h.size + used;
        let tlv = Tlv {
            tag: h.tag,
            constructed: h.constructed,
            body,
            raw: &input[..total],
        };
        Ok((tlv, &input[total..]))
    }

    /// `asn1_d2i_read_bio`'s framing of a whole input: OpenSSL first reads 8
    /// bytes for the header, then the contents, and ignores what follows.
    pub(super) fn outer_object(input: &[u8]) -> Result<Tlv<'_>, Reason> {
        if input.is_empty() {
            return Err(Reason::NotEnoughData);
        }
        let window = &input[..input.len().min(8)];
        let h = header(window)?;
        let framing = |reason| match reason {
            Reason::TooLong | Reason::MissingEoc => Reason::NotEnoughData,
            other => other,
        };
        if let Some(len) = h.length {
            let available = (input.len() - h.size) as u64;
            if len > available {
                // BIO_read takes an int: a longer wait is refused outright.
                return Err(if len - available > i32::MAX as u64 {
                    Reason::TooLong
                } else {
                    Reason::NotEnoughData
                });
            }
        }
        element(input).map(|(tlv, _)| tlv).map_err(framing)
    }

    /// `ASN1_item_d2i` on bytes already in memory: one element, the rest ignored.
    pub(super) fn outer_tlv(input: &[u8]) -> Result<Tlv<'_>, Reason> {
        if input.is_empty() {
            return Err(Reason::HeaderTooLong);
        }
        element(input).map(|(tlv, _)| tlv)
    }

    impl<'a> Tlv<'a> {
        /// The element, if its tag is `tag`.
        pub(super) fn expect_tag(self, tag: Tag) -> Result<Self, Reason> {
            if self.tag == tag {
                Ok(self)
            } else {
                Err(Reason::WrongTag)
            }
        }

        /// A reader over a SEQUENCE's fields.
        pub(super) fn sequence(self) -> Result<Reader<'a>, Reason> {
            self.constructed_as(SEQUENCE)
        }

        /// A reader over a SET OF's items.
        pub(super) fn set(self) -> Result<Reader<'a>, Reason> {
            self.constructed_as(SET)
        }

        /// OpenSSL checks the tag, then that it is constructed.
        fn constructed_as(self, tag: Tag) -> Result<Reader<'a>, Reason> {
            let tlv = self.expect_tag(tag)?;
            if !tlv.constructed {
                return Err(Reason::SequenceNotConstructed);
            }
            Ok(Reader { rest: tlv.body })
        }

        /// The one element inside an `[n] EXPLICIT` wrapper, read by `read`;
        /// then, as in OpenSSL, nothing may be left.
        pub(super) fn explicit_then<T>(
            self,
            read: impl FnOnce(Tlv<'a>) -> Result<T, Reason>,
        ) -> Result<T, Reason> {
            if !self.constructed {
                return Err(Reason::ExplicitTagNotConstructed);
            }
            let mut inner = Reader { rest: self.body };
            let value = read(inner.next()?.ok_or(Reason::FieldMissing)?)?;
            if !inner.rest.is_empty() {
                return Err(Reason::ExplicitLengthMismatch);
            }
            Ok(value)
        }

        /// An OCTET STRING's bytes: a constructed (BER) one's pieces joined.
        pub(super) fn octets(self) -> Result<Cow<'a, [u8]>, Reason> {
            if !self.constructed {
                return Ok(Cow::Borrowed(self.body));
            }
            let mut out = Vec::new();
            collect(self.body, &mut out, 1)?;
            Ok(Cow::Owned(out))
        }

        /// An INTEGER's value as OpenSSL's `ASN1_INTEGER_get` gives it: -1
        /// when it does not fit.
        pub(super) fn integer_value(self) -> Result<i64, Reason> {
            let bytes = self.integer_bytes()?;
            if bytes.len() > 8 {
                return Ok(-1);
            }
            let negative = bytes[0] & 0x80 != 0;
            let start = if negative { -1i64 } else { 0 };
            Ok(bytes
                .iter()
                .fold(start, |acc, &b| (acc << 8) | i64::from(b)))
        }

        /// An INTEGER's content, checked as `c2i_ASN1_INTEGER` checks it.
        pub(super) fn integer_bytes(self) -> Result<&'a [u8], Reason> {
            if self.constructed {
                return Err(Reason::TypeNotPrimitive);
            }
            let bytes = self.body;
            let (&first, rest) = bytes.split_first().ok_or(Reason::IllegalZeroContent)?;
            if let Some(&second) = rest.first() {
                let padded = first == 0 || (first == 0xff && rest.iter().any(|&b| b != 0));
                if padded && (first & 0x80) == (second & 0x80) {
                    return Err(Reason::IllegalPadding);
                }
            }
            Ok(bytes)
        }

        /// An OBJECT IDENTIFIER's encoded content, checked as `c2i_ASN1_OBJECT` checks it.
        pub(super) fn oid_bytes(self) -> Result<&'a [u8], Reason> {
            if self.constructed {
                return Err(Reason::TypeNotPrimitive);
            }
            let bytes = self.body;
            let bad_end = bytes.last().is_none_or(|&b| b & 0x80 != 0);
            let bad_start = bytes
                .iter()
                .enumerate()
                .any(|(i, &b)| b == 0x80 && (i == 0 || bytes[i - 1] & 0x80 == 0));
            if bad_end || bad_start {
                return Err(Reason::InvalidObjectEncoding);
            }
            Ok(bytes)
        }
    }

    /// Checks every element under `tlv`, in document order, as OpenSSL's
    /// decoders check what they read: headers and lengths, primitive forms, and
    /// the contents of the universal types they look into. Constructed
    /// elements are entered (at most [`MAX_NESTING`] deep), never OCTET or BIT
    /// STRING contents. Iterative, so no input can exhaust the stack.
    pub(super) fn walk(tlv: Tlv<'_>) -> Result<(), Reason> {
        check_primitive(tlv)?;
        if !tlv.constructed {
            return Ok(());
        }
        let mut open = vec![Reader { rest: tlv.body }];
        while let Some(top) = open.last_mut() {
            let Some(child) = top.next()? else {
                open.pop();
                continue;
            };
            check_primitive(child)?;
            if child.constructed {
                if open.len() >= MAX_NESTING as usize {
                    return Err(Reason::NestedTooDeep);
                }
                open.push(Reader { rest: child.body });
            }
        }
        Ok(())
    }

    /// `asn1_ex_c2i`'s checks of one universal element.
    fn check_primitive(tlv: Tlv<'_>) -> Result<(), Reason> {
        if tlv.tag.class != 0 {
            return Ok(());
        }
        let body = tlv.body;
        let fails = |bad: bool, reason| if bad { Err(reason) } else { Ok(()) };
        match tlv.tag.number {
            1 | 2 | 5 | 6 | 10 if tlv.constructed => Err(Reason::TypeNotPrimitive),
            _ if tlv.constructed => Ok(()),
            1 => fails(body.len() != 1, Reason::BooleanIsWrongLength),
            2 | 10 => tlv.integer_bytes().map(drop),
            5 => fails(!body.is_empty(), Reason::NullIsWrongLength),
            6 => tlv.oid_bytes().map(drop),
            3 => match body.first() {
                None => Err(Reason::StringTooShort),
                Some(&unused) => fails(unused > 7, Reason::InvalidBitStringBitsLeft),
            },
            12 => fails(
                std::str::from_utf8(body).is_err(),
                Reason::InvalidUtf8String,
            ),
            28 => fails(
                !body.len().is_multiple_of(4),
                Reason::UniversalStringIsWrongLength,
            ),
            30 => fails(
                !body.len().is_multiple_of(2),
                Reason::BmpStringIsWrongLength,
            ),
            _ => Ok(()),
        }
    }

    /// The DER of `SEQUENCE { parts… }`, each part a whole encoding.
    pub(super) fn sequence_of(parts: &[&[u8]]) -> Vec<u8> {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let mut out = vec![0x30];
        if len < 0x80 {
            out.push(len as u8);
        } else {
            let digits: Vec<u8> = len
                .to_be_bytes()
                .into_iter()
                .skip_while(|&d| d == 0)
                .collect();
            out.push(0x80 | digits.len() as u8);
            out.extend(digits);
        }
        for part in parts {
            out.extend_from_slice(part);
        }
        out
    }

    /// Joins a constructed string's primitive pieces into `out`.
    fn collect(mut body: &[u8], out: &mut Vec<u8>, depth: usize) -> Result<(), Reason> {
        if depth > MAX_STRING_NESTING {
            return Err(Reason::NestedAsn1String);
        }
        while !body.is_empty() {
            let (piece, rest) = element(body)?;
            if piece.tag != OCTET_STRING {
                return Err(Reason::WrongTag);
            }
            if piece.constructed {
                collect(piece.body, out, depth + 1)?;
            } else {
                out.extend_from_slice(piece.body);
            }
            body = rest;
        }
        Ok(())
    }

    /// Reads a constructed element's fields in order.
    pub(super) struct Reader<'a> {
        rest: &'a [u8],
    }

    impl<'a> Reader<'a> {
        /// The next element; `None` at the end.
        #[allow(clippy::should_implement_trait)]
        pub(super) fn next(&mut self) -> Result<Option<Tlv<'a>>, Reason> {
            if self.rest.is_empty() {
                return Ok(None);
            }
            let (tlv, rest) = element(self.rest)?;
            self.rest = rest;
            Ok(Some(tlv))
        }

        /// The next element, which must be there and have tag `tag`.
        pub(super) fn expect(&mut self, tag: Tag) -> Result<Tlv<'a>, Reason> {
            self.next()?.ok_or(Reason::FieldMissing)?.expect_tag(tag)
        }

        /// An OPTIONAL field that is not the last: absent when its tag differs.
        pub(super) fn optional(&mut self, tag: Tag) -> Result<Option<Tlv<'a>>, Reason> {
            if self.rest.is_empty() {
                return Ok(None);
            }
            let (tlv, rest) = element(self.rest)?;
            if tlv.tag != tag {
                return Ok(None);
            }
            self.rest = rest;
            Ok(Some(tlv))
        }

        /// The last field, OPTIONAL: absent only when nothing is left, as
        /// OpenSSL takes a last field that data remains for as required.
        pub(super) fn optional_last(&mut self, tag: Tag) -> Result<Option<Tlv<'a>>, Reason> {
            if self.rest.is_empty() {
                return Ok(None);
            }
            self.expect(tag).map(Some)
        }

        /// A required INTEGER's value.
        pub(super) fn integer(&mut self) -> Result<i64, Reason> {
            self.expect(INTEGER)?.integer_value()
        }

        /// A required OBJECT IDENTIFIER's encoded content.
        pub(super) fn oid(&mut self) -> Result<&'a [u8], Reason> {
            self.expect(OBJECT_IDENTIFIER)?.oid_bytes()
        }

        /// Fails if anything is left.
        pub(super) fn finish(&self) -> Result<(), Reason> {
            if self.rest.is_empty() {
                Ok(())
            } else {
                Err(Reason::SequenceLengthMismatch)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::fixtures::{file, node_context, node_context_with, pki};
    use crate::verify::certificates_in;
    use hmac::{Mac, SimpleHmac};
    use serde_json::json;
    use test_pki::TempDir;

    /// Our answer in Node's terms: `Ok`, or the code (none when empty) and message.
    fn ours(der: &[u8], passphrase: Option<&str>) -> Result<(), (Option<String>, String)> {
        decode(der, passphrase)
            .map(|_| ())
            .map_err(|e| ((!e.code.is_empty()).then_some(e.code), e.message))
    }

    /// Node's answer for `pfx` written to `dir` as `name`.
    fn node(
        dir: &TempDir,
        name: &str,
        der: &[u8],
        passphrase: Option<&str>,
    ) -> Result<(), (Option<String>, String)> {
        let path = dir.write(name, der);
        node_context(&json!({ "pfx": file(&path), "passphrase": passphrase }))
    }

    fn assert_as_node(dir: &TempDir, what: &str, der: &[u8], passphrase: Option<&str>) {
        assert_eq!(
            ours(der, passphrase),
            node(dir, "case.p12", der, passphrase),
            "{what} with passphrase {passphrase:?}"
        );
    }

    fn first_cert(dir: &TempDir, name: &str) -> CertificateDer<'static> {
        certificates_in(&dir.read(name)).remove(0)
    }

    /// Bundles as OpenSSL 3 writes them by default and with each of its
    /// algorithm options decode to the very key and chain openssl was given,
    /// and Node loads each one too.
    #[test]
    fn openssl_bundles_decode_to_their_key_and_chain() {
        for algorithm in ["rsa:2048", "ec"] {
            let dir = pki(algorithm);
            dir.openssl(&[
                "pkcs8",
                "-topk8",
                "-nocrypt",
                "-in",
                "client.key",
                "-outform",
                "DER",
                "-out",
                "client.der",
            ]);
            let key_der = dir.read("client.der");
            let chain = vec![first_cert(&dir, "client.pem"), first_cert(&dir, "ca.pem")];
            // (extra arguments, needs OpenSSL's legacy provider).
            let variants: &[(&[&str], bool)] = &[
                (&[], false),
                (&["-legacy"], true),
                (
                    &[
                        "-certpbe",
                        "PBE-SHA1-3DES",
                        "-keypbe",
                        "PBE-SHA1-3DES",
                        "-macalg",
                        "sha1",
                    ],
                    false,
                ),
                (
                    &[
                        "-certpbe",
                        "PBE-SHA1-RC2-40",
                        "-keypbe",
                        "PBE-SHA1-RC2-128",
                        "-legacy",
                    ],
                    true,
                ),
                (
                    &[
                        "-certpbe",
                        "PBE-SHA1-2DES",
                        "-keypbe",
                        "PBE-SHA1-2DES",
                        "-legacy",
                    ],
                    true,
                ),
                (
                    &[
                        "-certpbe",
                        "AES-128-CBC",
                        "-keypbe",
                        "AES-192-CBC",
                        "-macalg",
                        "sha512",
                    ],
                    false,
                ),
                (
                    &[
                        "-certpbe",
                        "DES-EDE3-CBC",
                        "-keypbe",
                        "AES-256-CBC",
                        "-macalg",
                        "sha384",
                    ],
                    false,
                ),
                (
                    &["-certpbe", "NONE", "-keypbe", "NONE", "-macalg", "sha224"],
                    false,
                ),
                (
                    &["-macalg", "md5", "-iter", "1", "-noiter", "-nomaciter"],
                    false,
                ),
                (&["-macalg", "sha512-256", "-iter", "5000"], false),
            ];
            for (n, (extra, legacy)) in variants.iter().enumerate() {
                let name = format!("v{n}.p12");
                let mut args = vec![
                    "pkcs12",
                    "-export",
                    "-in",
                    "client.pem",
                    "-inkey",
                    "client.key",
                    "-certfile",
                    "ca.pem",
                    "-passout",
                    "pass:s3cret",
                    "-out",
                    &name,
                ];
                args.extend_from_slice(extra);
                if *legacy && !dir.try_openssl(&args) {
                    eprintln!("skipped {extra:?}: no legacy provider in this OpenSSL");
                    continue;
                }
                dir.openssl(&args);
                let der = dir.read(&name);
                let identity =
                    decode(&der, Some("s3cret")).unwrap_or_else(|e| panic!("{extra:?}: {e}"));
                assert_eq!(identity.chain, chain, "{extra:?}");
                match &*identity.key {
                    PrivateKeyDer::Pkcs8(key) => {
                        assert!(
                            key.secret_pkcs8_der() == key_der.as_slice(),
                            "{extra:?}: another key"
                        )
                    }
                    _ => panic!("{extra:?}: not PKCS#8"),
                }
                let node_answer = node_context_with(
                    &json!({ "pfx": file(&dir.path(&name)), "passphrase": "s3cret" }),
                    *legacy,
                );
                assert_eq!(node_answer, Ok(()), "{extra:?}");
                if *legacy {
                    // Node 20 without the legacy provider refuses what we read.
                    let plain = node_context(
                        &json!({ "pfx": file(&dir.path(&name)), "passphrase": "s3cret" }),
                    );
                    if extra.iter().any(|a| a.contains("RC2")) || extra == &["-legacy"] {
                        assert_eq!(
                            plain.unwrap_err(),
                            (
                                Some("ERR_CRYPTO_UNSUPPORTED_OPERATION".into()),
                                "Unsupported PKCS12 PFX data".into()
                            )
                        );
                    }
                }
                for wrong in [Some("wrong"), None, Some("")] {
                    assert_as_node(&dir, &name, &der, wrong);
                }
            }
        }
    }

    /// Passphrases as OpenSSL takes them: UTF-8 made UTF-16, an empty one
    /// standing for none, and the MAC-less bundle that only an empty one opens.
    #[test]
    fn passphrases_answer_as_node() {
        let dir = pki("ec");
        let export = |name: &str, pass: &str, extra: &[&str]| {
            let pass = format!("pass:{pass}");
            let mut args = vec![
                "pkcs12",
                "-export",
                "-in",
                "client.pem",
                "-inkey",
                "client.key",
                "-passout",
                &pass,
                "-out",
                name,
            ];
            args.extend_from_slice(extra);
            dir.openssl(&args);
            dir.read(name)
        };
        let unicode = "pässwörd€😀";
        let cases = [
            (
                export("utf8.p12", unicode, &[]),
                vec![Some(unicode), Some("passwörd"), None],
            ),
            (
                export("empty.p12", "", &[]),
                vec![None, Some(""), Some("x")],
            ),
            (
                export("nomac.p12", "x", &["-nomac"]),
                vec![Some("x"), None, Some("")],
            ),
            (
                export(
                    "nomac-plain.p12",
                    "x",
                    &["-nomac", "-certpbe", "NONE", "-keypbe", "NONE"],
                ),
                vec![Some("x"), None],
            ),
            // Node hands OpenSSL a C string: a NUL ends the passphrase.
            (
                export("nul.p12", "ab", &[]),
                vec![Some("ab\0cd"), Some("\0ab")],
            ),
        ];
        for (der, passphrases) in cases {
            for passphrase in passphrases {
                assert_as_node(&dir, "bundle", &der, passphrase);
            }
        }
        let der = dir.read("utf8.p12");
        assert!(decode(&der, Some(unicode)).is_ok());
        assert!(decode(&dir.read("empty.p12"), None).is_ok());
        assert!(decode(&dir.read("nomac-plain.p12"), None).is_ok());
    }

    /// Junk, cut and damaged bundles, and bundles without a key or
    /// certificate: the same error as Node, word for word.
    #[test]
    fn damaged_bundles_fail_as_in_node() {
        let dir = pki("rsa:2048");
        dir.openssl(&[
            "pkcs12",
            "-export",
            "-in",
            "client.pem",
            "-inkey",
            "client.key",
            "-certfile",
            "ca.pem",
            "-passout",
            "pass:x",
            "-out",
            "good.p12",
        ]);
        dir.openssl(&[
            "pkcs12",
            "-export",
            "-in",
            "client.pem",
            "-nokeys",
            "-passout",
            "pass:x",
            "-out",
            "nokey.p12",
        ]);
        dir.openssl(&[
            "pkcs12",
            "-export",
            "-inkey",
            "client.key",
            "-nocerts",
            "-passout",
            "pass:x",
            "-out",
            "nocert.p12",
        ]);
        let good = dir.read("good.p12");
        let mut cases: Vec<(String, Vec<u8>)> = vec![
            ("junk".into(), b"junk".to_vec()),
            ("empty".into(), Vec::new()),
            ("pem".into(), dir.read("client.pem")),
            ("nokey".into(), dir.read("nokey.p12")),
            ("nocert".into(), dir.read("nocert.p12")),
            ("trailing".into(), [good.as_slice(), &[0, 0, 1]].concat()),
            ("seq".into(), vec![0x30, 0]),
            ("version only".into(), vec![0x30, 3, 2, 1, 3]),
            ("long form".into(), vec![0x30, 0x81, 0]),
            (
                "huge length".into(),
                vec![0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0],
            ),
            ("indefinite".into(), vec![0x30, 0x80, 0, 0]),
            ("primitive".into(), vec![0x10, 0]),
        ];
        for cut in [1, 2, 3, 4, 5, 8, 10, 100, 1000, good.len() - 1] {
            cases.push((format!("cut at {cut}"), good[..cut].to_vec()));
        }
        for at in (0..good.len()).step_by(61) {
            let mut damaged = good.clone();
            damaged[at] ^= 0x5a;
            cases.push((format!("byte {at} changed"), damaged));
        }
        for (what, der) in &cases {
            assert_as_node(&dir, what, der, Some("x"));
        }
    }

    /// Minimal DER writing, for bundles no tool writes.
    mod build {
        pub(super) fn tlv(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
            let body = parts.concat();
            let mut out = vec![tag];
            let len = body.len();
            if len < 0x80 {
                out.push(len as u8);
            } else {
                let digits: Vec<u8> = len
                    .to_be_bytes()
                    .into_iter()
                    .skip_while(|&d| d == 0)
                    .collect();
                out.push(0x80 | digits.len() as u8);
                out.extend(digits);
            }
            out.extend(body);
            out
        }
        pub(super) fn seq(parts: &[&[u8]]) -> Vec<u8> {
            tlv(0x30, parts)
        }
        pub(super) fn oid(oid: super::Oid) -> Vec<u8> {
            tlv(0x06, &[oid.as_bytes()])
        }
        pub(super) fn octets(bytes: &[u8]) -> Vec<u8> {
            tlv(0x04, &[bytes])
        }
        pub(super) fn explicit(inner: &[u8]) -> Vec<u8> {
            tlv(0xa0, &[inner])
        }
        pub(super) fn int(value: u32) -> Vec<u8> {
            let bytes = value.to_be_bytes();
            let start = bytes.iter().position(|&b| b != 0).unwrap_or(3);
            let mut digits = bytes[start..].to_vec();
            if digits[0] & 0x80 != 0 {
                digits.insert(0, 0);
            }
            tlv(0x02, &[&digits])
        }
    }

    fn bag(kind: Oid, value: &[u8], key_id: Option<&[u8]>) -> Vec<u8> {
        use build::*;
        let attributes = key_id
            .map(|id| {
                tlv(
                    0x31,
                    &[&seq(&[&oid(oid::LOCAL_KEY_ID), &tlv(0x31, &[&octets(id)])])],
                )
            })
            .unwrap_or_default();
        seq(&[&oid(kind), &explicit(value), &attributes])
    }

    fn cert_bag(cert: &[u8], key_id: Option<&[u8]>) -> Vec<u8> {
        use build::*;
        bag(
            oid::CERT_BAG,
            &seq(&[&oid(oid::X509_CERTIFICATE), &explicit(&octets(cert))]),
            key_id,
        )
    }

    fn data_safe(bags: &[Vec<u8>]) -> Vec<u8> {
        use build::*;
        let refs: Vec<&[u8]> = bags.iter().map(Vec::as_slice).collect();
        seq(&[&oid(oid::DATA), &explicit(&octets(&seq(&refs)))])
    }

    /// A bundle of `safes` with a SHA-256 MAC made by this module's own key
    /// derivation and HMAC (so Node checks them too), `iterations` rounds.
    fn bundle(safes: &[Vec<u8>], password: &str, iterations: u32) -> Vec<u8> {
        bundle_claiming(safes, password, iterations, iterations)
    }

    /// [`bundle`] whose MacData claims `claimed` rounds (the MAC made with `iterations`).
    fn bundle_claiming(
        safes: &[Vec<u8>],
        password: &str,
        iterations: u32,
        claimed: u32,
    ) -> Vec<u8> {
        use build::*;
        let refs: Vec<&[u8]> = safes.iter().map(Vec::as_slice).collect();
        let auth_safe = seq(&refs);
        let salt = [7u8; 8];
        let key = Hash::Sha256
            .derive(
                KdfId::Mac,
                Password::Text(password),
                &salt,
                u64::from(iterations),
                32,
                &mut KdfBudget::unbounded(),
            )
            .unwrap();
        let mut mac = SimpleHmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
        mac.update(&auth_safe);
        let digest = mac.finalize().into_bytes();
        let algorithm = seq(&[&oid(oid::SHA256), &tlv(0x05, &[])]);
        let mac_data = seq(&[
            &seq(&[&algorithm, &octets(&digest)]),
            &octets(&salt),
            &int(claimed),
        ]);
        seq(&[
            &int(3),
            &seq(&[&oid(oid::DATA), &explicit(&octets(&auth_safe))]),
            &mac_data,
        ])
    }

    /// Bundles no tool writes: the leaf after its CA, a key no certificate
    /// matches, two keys, nested and unknown bags, a broken certificate, a
    /// shrouded key in PKCS#12's 3DES: our chain and Node's verdict.
    #[test]
    fn built_bundles_pick_the_leaf_and_fail_as_in_node() {
        let dir = pki("ec");
        let other = pki("ec");
        dir.openssl(&[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            "client.key",
            "-outform",
            "DER",
            "-out",
            "client.der",
        ]);
        other.openssl(&[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            "client.key",
            "-outform",
            "DER",
            "-out",
            "client.der",
        ]);
        dir.openssl(&[
            "pkcs8",
            "-topk8",
            "-in",
            "client.key",
            "-v1",
            "PBE-SHA1-3DES",
            "-passout",
            "pass:x",
            "-outform",
            "DER",
            "-out",
            "shrouded.der",
        ]);
        let key = dir.read("client.der");
        let other_key = other.read("client.der");
        let leaf = first_cert(&dir, "client.pem");
        let ca = first_cert(&dir, "ca.pem");
        let key_bag = bag(oid::KEY_BAG, &key, Some(b"id"));
        let shrouded = bag(oid::SHROUDED_KEY_BAG, &dir.read("shrouded.der"), None);
        let nested = bag(
            oid::SAFE_CONTENTS_BAG,
            &build::seq(&[&cert_bag(&leaf, None)]),
            None,
        );
        let unknown = bag(Oid::new_unwrap("1.2.3.4"), &build::seq(&[]), None);
        let bad_secret = bag(oid::SECRET_BAG, &build::seq(&[]), None);
        let chain = |certs: &[&CertificateDer<'static>]| {
            certs.iter().map(|c| (*c).clone()).collect::<Vec<_>>()
        };
        type Case<'a> = (&'a str, Vec<Vec<u8>>, Option<Vec<CertificateDer<'static>>>);
        let cases: Vec<Case<'_>> = vec![
            (
                "leaf after its CA",
                vec![data_safe(&[
                    cert_bag(&ca, None),
                    cert_bag(&leaf, Some(b"id")),
                    key_bag.clone(),
                ])],
                Some(chain(&[&leaf, &ca])),
            ),
            (
                "key first, certs in a second safe",
                vec![
                    data_safe(std::slice::from_ref(&key_bag)),
                    data_safe(&[cert_bag(&ca, None), cert_bag(&leaf, None)]),
                ],
                Some(chain(&[&leaf, &ca])),
            ),
            (
                "the first of two keys",
                vec![data_safe(&[
                    bag(oid::KEY_BAG, &other_key, None),
                    key_bag.clone(),
                    cert_bag(&leaf, None),
                ])],
                None,
            ),
            (
                "no certificate for the key",
                vec![data_safe(&[
                    bag(oid::KEY_BAG, &other_key, None),
                    cert_bag(&leaf, None),
                    cert_bag(&ca, None),
                ])],
                None,
            ),
            (
                "nested safe contents",
                vec![data_safe(&[unknown, key_bag.clone(), nested])],
                Some(chain(&[&leaf])),
            ),
            (
                "a malformed secret bag",
                vec![data_safe(&[
                    key_bag.clone(),
                    cert_bag(&leaf, None),
                    bad_secret,
                ])],
                None,
            ),
            (
                "shrouded 3DES key",
                vec![data_safe(&[
                    shrouded,
                    cert_bag(&ca, None),
                    cert_bag(&leaf, None),
                ])],
                Some(chain(&[&leaf, &ca])),
            ),
            (
                "broken certificate",
                vec![data_safe(&[
                    key_bag.clone(),
                    cert_bag(&leaf, None),
                    cert_bag(b"\x30\x03\x02\x01\x01", None),
                ])],
                None,
            ),
            (
                "certificates only",
                vec![data_safe(&[cert_bag(&leaf, None)])],
                None,
            ),
            ("nothing", vec![], None),
        ];
        for (what, safes, expected) in cases {
            let der = bundle(&safes, "x", 2048);
            assert_as_node(&dir, what, &der, Some("x"));
            match expected {
                Some(chain) => assert_eq!(decode(&der, Some("x")).unwrap().chain, chain, "{what}"),
                None => assert!(decode(&der, Some("x")).is_err(), "{what}"),
            }
        }
    }

    /// Key derivation is bounded: counts over the cap are refused before any
    /// work, and so is a bundle whose derivations add up past the total.
    #[test]
    fn key_derivation_work_is_bounded() {
        let dir = pki("ec");
        dir.openssl(&[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            "client.key",
            "-outform",
            "DER",
            "-out",
            "client.der",
        ]);
        let key_bag = bag(oid::KEY_BAG, &dir.read("client.der"), None);
        let safes = vec![data_safe(&[
            key_bag,
            cert_bag(&first_cert(&dir, "client.pem"), None),
        ])];
        let small = KdfLimits {
            max_iterations: 4096,
            max_total: 10_000,
        };
        let refused = (
            Some("ERR_CRYPTO_UNSUPPORTED_OPERATION".to_owned()),
            "Unsupported PKCS12 PFX data".to_owned(),
        );
        let limited = |der: &[u8], passphrase: Option<&str>| {
            decode_with_limits(der, passphrase, small)
                .map(|_| ())
                .map_err(|e| ((!e.code.is_empty()).then_some(e.code), e.message))
        };
        assert_eq!(limited(&bundle(&safes, "x", 4096), Some("x")), Ok(()));
        assert_eq!(
            limited(&bundle(&safes, "x", 4097), Some("x")),
            Err(refused.clone())
        );
        // Without a passphrase two MACs are tried: 2 × 4096 fits, 3 × 4096 would not.
        assert_eq!(limited(&bundle(&safes, "", 4096), None), Ok(()));
        let mut budget = KdfBudget::new(small);
        budget.charge(4096, 1).unwrap();
        assert!(budget.charge(4096, 2).is_err());
        // OpenSSL's largest count is refused at once, not run for hours.
        let huge = bundle_claiming(&safes, "x", 1, i32::MAX as u32);
        let start = std::time::Instant::now();
        assert_eq!(ours(&huge, Some("x")), Err(refused));
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
    }

    /// Indefinite lengths and constructed strings (BER, as some Windows and
    /// Java tools write): read as OpenSSL reads them, nesting capped.
    #[test]
    fn ber_forms_are_read_and_nesting_is_capped() {
        let indefinite = [
            0x30, 0x80, 0x02, 0x01, 0x05, 0x24, 0x80, 0x04, 0x01, 0xaa, 0x04, 0x01, 0xbb, 0, 0, 0,
            0,
        ];
        let outer = asn1::outer_object(&indefinite).unwrap();
        assert_eq!(outer.raw.len(), indefinite.len());
        let mut seq = outer.sequence().unwrap();
        assert_eq!(seq.integer().unwrap(), 5);
        let string = seq.expect(asn1::OCTET_STRING).unwrap();
        assert_eq!(&*string.octets().unwrap(), &[0xaa, 0xbb]);
        seq.finish().unwrap();
        // 31 open indefinite levels: over OpenSSL's 30.
        let deep: Vec<u8> = std::iter::repeat_n([0x30, 0x80], 32)
            .flatten()
            .chain([0; 64])
            .collect();
        assert_eq!(asn1::outer_tlv(&deep).unwrap_err(), Reason::NestedTooDeep);
        // Six levels of constructed strings: over OpenSSL's five.
        let mut nested = vec![0x04, 0x01, 0xaa];
        for _ in 0..6 {
            nested = build::tlv(0x24, &[&nested]);
        }
        assert_eq!(
            asn1::outer_tlv(&nested).unwrap().octets().unwrap_err(),
            Reason::NestedAsn1String
        );
    }
}
