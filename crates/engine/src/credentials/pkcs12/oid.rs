//! The object identifiers a bundle is read by: content types, bag types,
//! attributes, password-based encryption schemes, key types and digests.

use pkcs8::der::asn1::ObjectIdentifier as Oid;

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
pub(super) const PKCS12_PBE_ARC: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01];
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
