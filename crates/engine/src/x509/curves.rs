//! The named curves Node describes an EC key on, and OpenSSL's reading of a
//! public point: checked to lie on the curve, then written uncompressed.

use x509_parser::num_bigint::BigUint;

/// A named curve Node describes: `y^2 = x^3 + ax + b` over the prime field `p`.
pub(super) struct Curve {
    /// The curve's OID, dotted.
    pub(super) oid: &'static str,
    /// OpenSSL's short name, Node's `asn1Curve`.
    pub(super) asn1: &'static str,
    /// NIST's name, Node's `nistCurve`, where NIST named it.
    pub(super) nist: Option<&'static str>,
    /// The group order's size in bits, Node's `bits`.
    pub(super) bits: u32,
    /// The field prime, in hex (blanks and line breaks ignored).
    p: &'static str,
    /// The coefficient a, in hex.
    a: &'static str,
    /// The coefficient b, in hex.
    b: &'static str,
}

/// The curves OpenSSL knows that appear in certificates (parameters from
/// SEC 2 and RFC 5639).
#[rustfmt::skip]
const CURVES: &[Curve] = &[
    Curve { oid: "1.2.840.10045.3.1.1", asn1: "prime192v1", nist: Some("P-192"), bits: 192,
        p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFF",
        a: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFC",
        b: "64210519E59C80E70FA7E9AB72243049FEB8DEECC146B9B1",
    },
    Curve { oid: "1.3.132.0.33", asn1: "secp224r1", nist: Some("P-224"), bits: 224,
        p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF000000000000000000000001",
        a: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFE",
        b: "B4050A850C04B3ABF54132565044B0B7D7BFD8BA270B39432355FFB4",
    },
    Curve { oid: "1.2.840.10045.3.1.7", asn1: "prime256v1", nist: Some("P-256"), bits: 256,
        p: "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF",
        a: "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFC",
        b: "5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B",
    },
    Curve { oid: "1.3.132.0.34", asn1: "secp384r1", nist: Some("P-384"), bits: 384,
        p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\
              FFFFFFFFFFFFFFFEFFFFFFFF0000000000000000FFFFFFFF",
        a: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\
              FFFFFFFFFFFFFFFEFFFFFFFF0000000000000000FFFFFFFC",
        b: "B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE814112\
              0314088F5013875AC656398D8A2ED19D2A85C8EDD3EC2AEF",
    },
    Curve { oid: "1.3.132.0.35", asn1: "secp521r1", nist: Some("P-521"), bits: 521,
        p: "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\
              FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
        a: "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\
              FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC",
        b: "0051953EB9618E1C9A1F929A21A0B68540EEA2DA725B99B315F3B8B489918EF109\
              E156193951EC7E937B1652C0BD3BB1BF073573DF883D2C34F1EF451FD46B503F00",
    },
    Curve { oid: "1.3.132.0.10", asn1: "secp256k1", nist: None, bits: 256,
        p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F",
        a: "0",
        b: "7",
    },
    Curve { oid: "1.3.36.3.3.2.8.1.1.7", asn1: "brainpoolP256r1", nist: None, bits: 256,
        p: "A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377",
        a: "7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9",
        b: "26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6",
    },
    Curve { oid: "1.3.36.3.3.2.8.1.1.11", asn1: "brainpoolP384r1", nist: None, bits: 384,
        p: "8CB91E82A3386D280F5D6F7E50E641DF152F7109ED5456B4\
              12B1DA197FB71123ACD3A729901D1A71874700133107EC53",
        a: "7BC382C63D8C150C3C72080ACE05AFA0C2BEA28E4FB22787\
              139165EFBA91F90F8AA5814A503AD4EB04A8C7DD22CE2826",
        b: "04A8C7DD22CE28268B39B55416F0447C2FB77DE107DCD2A6\
              2E880EA53EEB62D57CB4390295DBC9943AB78696FA504C11",
    },
    Curve { oid: "1.3.36.3.3.2.8.1.1.13", asn1: "brainpoolP512r1", nist: None, bits: 512,
        p: "AADD9DB8DBE9C48B3FD4E6AE33C9FC07CB308DB3B3C9D20ED6639CCA70330871\
              7D4D9B009BC66842AECDA12AE6A380E62881FF2F2D82C68528AA6056583A48F3",
        a: "7830A3318B603B89E2327145AC234CC594CBDD8D3DF91610A83441CAEA9863BC\
              2DED5D5AA8253AA10A2EF1C98B9AC8B57F1117A72BF2C7B9E7C1AC4D77FC94CA",
        b: "3DF91610A83441CAEA9863BC2DED5D5AA8253AA10A2EF1C98B9AC8B57F1117A7\
              2BF2C7B9E7C1AC4D77FC94CADC083E67984050B75EBAE5DD2809BD638016F723",
    },
];

/// The curve with this dotted OID, when Node describes keys on it.
pub(super) fn named(oid: &str) -> Option<&'static Curve> {
    CURVES.iter().find(|curve| curve.oid == oid)
}

/// A public point as OpenSSL 3.5 shows it: checked to lie on the curve, then
/// written as the certificate encodes it (OpenSSL 3.0 wrote it uncompressed).
pub(super) fn ec_point(curve: &Curve, encoded: &[u8]) -> Option<Vec<u8>> {
    let number = |hex: &str| {
        let digits: String = hex.chars().filter(char::is_ascii_hexdigit).collect();
        BigUint::parse_bytes(digits.as_bytes(), 16)
    };
    let (p, a, b) = (number(curve.p)?, number(curve.a)?, number(curve.b)?);
    let field = usize::try_from(p.bits().div_ceil(8)).ok()?;
    let (&form, coordinates) = encoded.split_first()?;
    let x = BigUint::from_bytes_be(coordinates.get(..field)?);
    if x >= p {
        return None;
    }
    // x³ + ax + b, by multiplication: a modular power costs far more.
    let rhs = ((&x * &x % &p) * &x + &a * &x + &b) % &p;
    let odd = form & 1 == 1;
    let y = match form {
        0x02 | 0x03 if coordinates.len() == field => {
            let root = sqrt_mod(&rhs, &p)?;
            if root.bit(0) == odd {
                root
            } else if root.bits() == 0 {
                return None;
            } else {
                &p - root
            }
        }
        0x04 | 0x06 | 0x07 if coordinates.len() == 2 * field => {
            let y = BigUint::from_bytes_be(coordinates.get(field..)?);
            let hybrid_ok = form == 0x04 || y.bit(0) == odd;
            if y >= p || (&y * &y) % &p != rhs || !hybrid_ok {
                return None;
            }
            y
        }
        _ => return None,
    };
    // Checked only: a compressed point's y is found to prove it exists.
    let _ = y;
    Some(encoded.to_vec())
}

/// A square root of `n` modulo the odd prime `p` (Tonelli-Shanks), if any.
fn sqrt_mod(n: &BigUint, p: &BigUint) -> Option<BigUint> {
    let one = BigUint::from(1u32);
    if n.bits() == 0 {
        return Some(BigUint::ZERO);
    }
    let p_minus_one = p - &one;
    let half = &p_minus_one >> 1u32;
    if n.modpow(&half, p) != one {
        return None;
    }
    // p - 1 = q * 2^s with q odd.
    let s = p_minus_one.trailing_zeros()?;
    let q = &p_minus_one >> s;
    // Any quadratic non-residue; small ones abound, and p is a constant.
    let mut z = BigUint::from(2u32);
    while z.modpow(&half, p) != p_minus_one {
        z += 1u32;
    }
    let mut m = s;
    let mut c = z.modpow(&q, p);
    let mut t = n.modpow(&q, p);
    let mut r = n.modpow(&((&q + &one) >> 1u32), p);
    // Bounded: m shrinks every turn.
    while t != one {
        let mut i = 0;
        let mut t_power = t.clone();
        while t_power != one {
            t_power = &t_power * &t_power % p;
            i += 1;
            if i >= m {
                return None;
            }
        }
        let b = c.modpow(&(BigUint::from(1u32) << (m - i - 1)), p);
        m = i;
        c = &b * &b % p;
        t = &t * &c % p;
        r = &r * &b % p;
    }
    Some(r)
}
