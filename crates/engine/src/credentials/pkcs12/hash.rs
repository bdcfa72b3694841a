//! The digests a bundle's MAC and key derivation may use, behind one code
//! path, and HMAC over them.

use hmac::digest::DynDigest;
use zeroize::Zeroizing;

use super::oid;

/// The digests a MAC may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Hash {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    Sha512_224,
    Sha512_256,
}

impl Hash {
    /// The digest named by an encoded OID.
    pub(super) fn from_oid(der: &[u8]) -> Option<Self> {
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

    /// The digest's length in bytes, PKCS#12's u.
    pub(super) fn output_len(self) -> usize {
        match self {
            Hash::Md5 => 16,
            Hash::Sha1 => 20,
            Hash::Sha224 | Hash::Sha512_224 => 28,
            Hash::Sha256 | Hash::Sha512_256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }

    /// The hash's block length, PKCS#12's v.
    pub(super) fn block_len(self) -> usize {
        match self {
            Hash::Md5 | Hash::Sha1 | Hash::Sha224 | Hash::Sha256 => 64,
            _ => 128,
        }
    }

    /// A fresh hasher. One code path serves every hash: generic code
    /// instantiated for eight of them would add its size eight times to the guest.
    pub(super) fn hasher(self) -> Box<dyn DynDigest> {
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
    pub(super) fn hmac_matches(self, key: &[u8], data: &[u8], expected: &[u8]) -> bool {
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
