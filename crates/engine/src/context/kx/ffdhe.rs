//! Finite-field Diffie-Hellman over a safe prime with generator 2: RFC 7919's
//! named groups (ffdhe2048 to ffdhe8192) for TLS 1.3 and TLS 1.2, and the
//! groups a TLS 1.2 server may send as its DHE parameters.
//!
//! The exponentiation is crypto-bigint's constant-time Montgomery ladder over
//! an exponent of fixed width; the private exponent is as short as RFC 7919
//! section 5.2 allows for the group, which keeps an 8192-bit exchange quick in
//! wasm.

use std::fmt;

use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, Odd};
use ring::rand::{SecureRandom, SystemRandom};
use rustls::crypto::{ActiveKeyExchange, GetRandomFailed, SharedSecret, SupportedKxGroup};
use rustls::ffdhe_groups::FfdheGroup;
use rustls::{Error, NamedGroup, PeerMisbehaved, ProtocolVersion};
use zeroize::Zeroizing;

/// One finite-field group: its parameters and where rustls may use it.
pub(super) struct Ffdhe {
    name: NamedGroup,
    params: FfdheGroup<'static>,
    /// Offered in `supported_groups` (TLS 1.3 only, as OpenSSL 3.5 offers the
    /// ffdhe groups); otherwise only matched against a TLS 1.2 server's DHE
    /// parameters, and never named on the wire.
    offered: bool,
}

impl Ffdhe {
    /// RFC 7919's group `name`, offered for TLS 1.3.
    pub(super) const fn named(name: NamedGroup, params: FfdheGroup<'static>) -> Self {
        Self {
            name,
            params,
            offered: true,
        }
    }

    /// A group accepted only as a TLS 1.2 server's DHE parameters. `name` is
    /// what rustls reports it under; it is never sent.
    pub(super) const fn tls12_params(name: NamedGroup, params: FfdheGroup<'static>) -> Self {
        Self {
            name,
            params,
            offered: false,
        }
    }

    /// The size of `p` in bits, as OpenSSL reports a DH key's size.
    pub(super) fn bits(&self) -> u32 {
        modulus_bits(self.params.p)
    }

    /// The Montgomery form's constants for `p` (cheap beside one
    /// exponentiation, so not kept); `None` if `p` were even.
    fn monty(&self) -> Option<BoxedMontyParams> {
        let p = BoxedUint::from_be_slice_vartime(self.params.p);
        Option::<Odd<BoxedUint>>::from(Odd::new(p)).map(BoxedMontyParams::new)
    }
}

impl fmt::Debug for Ffdhe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ffdhe")
            .field("name", &self.name)
            .field("bits", &self.bits())
            .finish()
    }
}

impl SupportedKxGroup for Ffdhe {
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, Error> {
        let monty = self
            .monty()
            .ok_or(Error::General("an even DH modulus".into()))?;
        let len = self.params.p.len();
        let exponent_bits = private_exponent_bits(self.bits());
        // Exactly `exponent_bits` long: the top bit set, the rest random.
        let mut bytes = Zeroizing::new(vec![0u8; exponent_bits.div_ceil(8) as usize]);
        SystemRandom::new()
            .fill(&mut bytes)
            .map_err(|_| GetRandomFailed)?;
        let top_bits = exponent_bits - 8 * (bytes.len() as u32 - 1);
        bytes[0] &= 0xff >> (8 - top_bits);
        bytes[0] |= 1 << (top_bits - 1);
        let exponent = BoxedUint::from_be_slice(&bytes, monty.bits_precision())
            .map_err(|_| Error::General("a DH exponent wider than its modulus".into()))?;
        let generator = BoxedUint::from_be_slice(self.params.g, monty.bits_precision())
            .map_err(|_| Error::General("a DH generator wider than its modulus".into()))?;
        let public = BoxedMontyForm::new(generator, &monty)
            .pow_bounded_exp(&exponent, exponent_bits)
            .retrieve();
        Ok(Box::new(ActiveFfdhe {
            group: self.name,
            params: self.params,
            monty,
            exponent: Zeroizing::new(exponent),
            exponent_bits,
            pub_key: fixed_width(&public.to_be_bytes(), len),
        }))
    }

    fn ffdhe_group(&self) -> Option<FfdheGroup<'static>> {
        Some(self.params)
    }

    fn name(&self) -> NamedGroup {
        self.name
    }

    fn usable_for_version(&self, version: ProtocolVersion) -> bool {
        self.offered && version == ProtocolVersion::TLSv1_3
    }
}

/// Our exponent, kept until the server's share arrives.
struct ActiveFfdhe {
    group: NamedGroup,
    params: FfdheGroup<'static>,
    monty: BoxedMontyParams,
    exponent: Zeroizing<BoxedUint>,
    exponent_bits: u32,
    /// `g^x mod p`, as wide as `p` (RFC 8446 section 4.2.8.1).
    pub_key: Vec<u8>,
}

impl ActiveKeyExchange for ActiveFfdhe {
    /// The secret as wide as `p`. The peer's value must be `1 < y < p - 1`
    /// (RFC 7919 section 5.1), and no wider than `p` once leading zeros go
    /// (TLS 1.2 servers may trim them).
    fn complete(self: Box<Self>, peer_pub_key: &[u8]) -> Result<SharedSecret, Error> {
        let bad_share = || Error::from(PeerMisbehaved::InvalidKeyShare);
        let len = self.params.p.len();
        let trimmed = trim_leading_zeros(peer_pub_key);
        if trimmed.len() > len {
            return Err(bad_share());
        }
        let precision = self.monty.bits_precision();
        let y = BoxedUint::from_be_slice(trimmed, precision).map_err(|_| bad_share())?;
        let p = BoxedUint::from_be_slice(self.params.p, precision).map_err(|_| bad_share())?;
        let one = BoxedUint::one_with_precision(precision);
        let p_minus_one = p.wrapping_sub(&one);
        // The peer's value is public: comparing it in variable time leaks nothing.
        if y.cmp_vartime(&one).is_le() || y.cmp_vartime(&p_minus_one).is_ge() {
            return Err(bad_share());
        }
        let secret = BoxedMontyForm::new(y, &self.monty)
            .pow_bounded_exp(&self.exponent, self.exponent_bits)
            .retrieve();
        let secret = Zeroizing::new(fixed_width(&secret.to_be_bytes(), len));
        // Only an element of order 1 or 2 gives 1, and both were refused
        // above; checked all the same, over every byte, as the secret is secret.
        let (high, last) = secret.split_at(len - 1);
        if high.iter().fold(last[0] ^ 1, |acc, byte| acc | byte) == 0 {
            return Err(bad_share());
        }
        Ok(SharedSecret::from(&secret[..]))
    }

    fn pub_key(&self) -> &[u8] {
        &self.pub_key
    }

    fn ffdhe_group(&self) -> Option<FfdheGroup<'static>> {
        Some(self.params)
    }

    fn group(&self) -> NamedGroup {
        self.group
    }
}

/// The bits of a big-endian modulus.
pub(super) fn modulus_bits(p: &[u8]) -> u32 {
    let p = trim_leading_zeros(p);
    match p.first() {
        Some(top) => 8 * p.len() as u32 - top.leading_zeros(),
        None => 0,
    }
}

/// The private exponent's size for a modulus of `bits`: RFC 7919 section 5.2
/// and Appendix A (twice the group's estimated strength, and more), the same
/// sizes for RFC 3526's primes of the same widths.
pub(super) fn private_exponent_bits(bits: u32) -> u32 {
    match bits {
        0..=2048 => 225,
        2049..=3072 => 275,
        3073..=4096 => 325,
        4097..=6144 => 375,
        _ => 400,
    }
}

/// `bytes` without its leading zeros.
fn trim_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

/// A big-endian number (as wide as crypto-bigint's limbs make it) as exactly
/// `len` bytes; the value is below `p`, so only zeros are dropped.
fn fixed_width(bytes: &[u8], len: usize) -> Vec<u8> {
    if bytes.len() >= len {
        return bytes[bytes.len() - len..].to_vec();
    }
    let mut out = vec![0u8; len - bytes.len()];
    out.extend_from_slice(bytes);
    out
}

/// Hex digits as bytes, at compile time: the primes are written as RFC 3526
/// prints them. A bad digit or length fails the build.
pub(super) const fn unhex<const N: usize>(hex: &[u8]) -> [u8; N] {
    const fn digit(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'A'..=b'F' => c - b'A' + 10,
            b'a'..=b'f' => c - b'a' + 10,
            _ => panic!("not a hex digit"),
        }
    }
    assert!(hex.len() == 2 * N, "wrong number of hex digits");
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = digit(hex[2 * i]) << 4 | digit(hex[2 * i + 1]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use num_bigint::BigUint;
    use rustls::ffdhe_groups;

    use super::*;

    /// The groups under test: RFC 7919's, and one RFC 3526 prime.
    fn groups() -> Vec<Ffdhe> {
        let modp = FfdheGroup {
            p: &super::super::modp::MODP_2048,
            g: &[2],
        };
        vec![
            Ffdhe::named(NamedGroup::FFDHE2048, ffdhe_groups::FFDHE2048),
            Ffdhe::named(NamedGroup::FFDHE3072, ffdhe_groups::FFDHE3072),
            Ffdhe::named(NamedGroup::FFDHE4096, ffdhe_groups::FFDHE4096),
            Ffdhe::named(NamedGroup::FFDHE6144, ffdhe_groups::FFDHE6144),
            Ffdhe::named(NamedGroup::FFDHE8192, ffdhe_groups::FFDHE8192),
            Ffdhe::tls12_params(NamedGroup::Unknown(0x01F0), modp),
        ]
    }

    /// A server doing the group's math with num-bigint: its share (as wide as
    /// `p`) and the secret it derives from `client_share`.
    fn serve(group: &Ffdhe, client_share: &[u8], exponent: &[u8]) -> (Vec<u8>, Vec<u8>) {
        let p = BigUint::from_bytes_be(group.params.p);
        let g = BigUint::from_bytes_be(group.params.g);
        let y = BigUint::from_bytes_be(exponent);
        let share = g.modpow(&y, &p).to_bytes_be();
        let secret = BigUint::from_bytes_be(client_share)
            .modpow(&y, &p)
            .to_bytes_be();
        let len = group.params.p.len();
        (fixed_width(&share, len), fixed_width(&secret, len))
    }

    #[test]
    fn every_group_agrees_with_an_independent_server() {
        for group in groups() {
            let client = group.start().unwrap();
            let len = group.params.p.len();
            assert_eq!(client.pub_key().len(), len, "{group:?}");
            let (share, secret) = serve(&group, client.pub_key(), &[0x5a; 40]);
            let ours = client.complete(&share).unwrap();
            assert_eq!(ours.secret_bytes(), &secret[..], "{group:?}");
        }
    }

    /// Two shares from the same group differ, and each is `g^x` for an
    /// exponent of the size RFC 7919 asks: checked by agreeing with itself.
    #[test]
    fn two_clients_agree_and_differ() {
        let group = &groups()[0];
        let a = group.start().unwrap();
        let b = group.start().unwrap();
        assert_ne!(a.pub_key(), b.pub_key());
        let b_share = b.pub_key().to_vec();
        let from_b = b.complete(a.pub_key()).unwrap();
        assert_eq!(
            a.complete(&b_share).unwrap().secret_bytes(),
            from_b.secret_bytes()
        );
    }

    /// TLS 1.2's premaster secret drops leading zeros (rustls does it for a
    /// group named in the finite-field range, as every group here is, RFC
    /// 3526's too); TLS 1.3's keeps the width.
    #[test]
    fn tls12_trims_the_secret_and_tls13_keeps_its_width() {
        let groups = groups();
        for group in [&groups[0], &groups[5]] {
            let found = (2u32..4002).any(|round| {
                let client = group.start().unwrap();
                let (share, secret) = serve(group, client.pub_key(), &round.to_be_bytes());
                if secret[0] != 0 {
                    return false;
                }
                let tls12 = client
                    .complete_for_tls_version(&share, &rustls::version::TLS12)
                    .unwrap();
                assert_eq!(tls12.secret_bytes(), trim_leading_zeros(&secret));
                let client = group.start().unwrap();
                let (share, secret) = serve(group, client.pub_key(), &round.to_be_bytes());
                let tls13 = client
                    .complete_for_tls_version(&share, &rustls::version::TLS13)
                    .unwrap();
                assert_eq!(tls13.secret_bytes(), &secret[..]);
                true
            });
            assert!(
                found,
                "{group:?}: no secret with a leading zero in 4000 rounds"
            );
        }
    }

    /// Values outside 1 < y < p - 1, wider than `p`, or empty are the peer's
    /// error, never a panic; leading zeros before a good value are fine.
    #[test]
    fn malformed_shares_are_refused() {
        for group in groups() {
            let p = group.params.p;
            let len = p.len();
            let p_int = BigUint::from_bytes_be(p);
            let at = |value: BigUint| fixed_width(&value.to_bytes_be(), len);
            let mut too_wide = vec![1u8];
            too_wide.extend_from_slice(&[0; 8]);
            too_wide.resize(len + 1, 7);
            let bad = [
                vec![],
                vec![0; len],
                at(BigUint::from(1u8)),
                at(&p_int - 1u8),
                p.to_vec(),
                at(&p_int + 1u8),
                vec![0xff; len],
                too_wide,
            ];
            for share in bad {
                let client = group.start().unwrap();
                assert!(client.complete(&share).is_err(), "{group:?}: {share:02x?}");
            }
            let client = group.start().unwrap();
            let mut padded = vec![0u8; 3];
            padded.extend_from_slice(&at(BigUint::from(4u8)));
            assert!(client.complete(&padded).is_ok(), "{group:?}");
        }
    }

    #[test]
    fn named_groups_are_offered_for_tls13_and_parameters_never() {
        for group in groups() {
            let tls13 = group.usable_for_version(ProtocolVersion::TLSv1_3);
            assert_eq!(tls13, group.offered, "{group:?}");
            assert!(!group.usable_for_version(ProtocolVersion::TLSv1_2));
            assert_eq!(group.bits(), 8 * group.params.p.len() as u32, "{group:?}");
        }
    }
}
