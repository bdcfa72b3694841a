//! Node's peer-certificate object, the fields `getPeerCertificate()` shows.

/// One certificate in the shape of Node's `getPeerCertificate()`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerCertificate {
    /// `subject`: (short name, value) in certificate order; a repeated name
    /// repeats (Node groups those into an array). Empty when Node shows none.
    pub subject: Vec<(String, String)>,
    /// `issuer`, same form.
    pub issuer: Vec<(String, String)>,
    /// `subjectaltname`: `'DNS:localhost, IP Address:127.0.0.1'`.
    pub subjectaltname: Option<String>,
    /// `infoAccess`: (`'OCSP - URI'`, url) in certificate order.
    pub info_access: Option<Vec<(String, String)>>,
    /// `ca`: OpenSSL's `X509_check_ca()` said 1.
    pub ca: bool,
    /// `bits`: RSA modulus size or EC group order size.
    pub bits: Option<u32>,
    /// `modulus` (RSA): uppercase hex.
    pub modulus: Option<String>,
    /// `exponent` (RSA): `'0x10001'`.
    pub exponent: Option<String>,
    /// `pubkey`: RSA's SubjectPublicKeyInfo DER, or EC's point as the certificate encodes it.
    pub pubkey: Option<Vec<u8>>,
    /// `asn1Curve` (EC): `'prime256v1'`.
    pub asn1_curve: Option<String>,
    /// `nistCurve` (EC): `'P-256'`.
    pub nist_curve: Option<String>,
    /// `valid_from`: `'Nov  3 09:05:01 2026 GMT'`.
    pub valid_from: String,
    /// `valid_to`, same form.
    pub valid_to: String,
    /// `fingerprint`: SHA-1 of the DER, colon-separated uppercase hex.
    pub fingerprint: String,
    /// `fingerprint256`: SHA-256, same form.
    pub fingerprint256: String,
    /// `fingerprint512`: SHA-512, same form.
    pub fingerprint512: String,
    /// `ext_key_usage`: dotted OIDs in certificate order.
    pub ext_key_usage: Option<Vec<String>>,
    /// `serialNumber`: uppercase hex, whole bytes.
    pub serial_number: String,
    /// `raw`: the certificate's DER.
    pub raw: Vec<u8>,
}
