//! The key-exchange groups a context can offer: ring's X25519, P-256 and
//! P-384, X448 (`x448`), RFC 7919's ffdhe groups (`ffdhe`), the ML-KEM groups
//! (`hybrid`) that OpenSSL 3.5 has; the finite-field groups a TLS 1.2 server
//! may send (`modp`), and the DHE-RSA suites that use them (`dhe_suites`).

mod dhe_suites;
mod ffdhe;
mod hybrid;
mod modp;
mod x448;

pub(crate) use dhe_suites::dhe_suites;

use rustls::crypto::ring::kx_group::{SECP256R1, SECP384R1, X25519};
use rustls::crypto::SupportedKxGroup;
use rustls::ffdhe_groups::{self, FfdheGroup};
use rustls::NamedGroup;

use ffdhe::Ffdhe;
use hybrid::{Kem, MlKemGroup, Order};
use x448::X448;

/// `SecP384r1MLKEM1024`: rustls 0.23 names no code point for it.
pub(crate) const SECP384R1_MLKEM1024: u16 = 0x11ed;

static X25519_MLKEM768: MlKemGroup = MlKemGroup {
    name: NamedGroup::X25519MLKEM768,
    kem: Kem::MlKem768,
    classical: Some((X25519, Order::KemFirst)),
};
static SECP256R1_MLKEM768_GROUP: MlKemGroup = MlKemGroup {
    name: NamedGroup::secp256r1MLKEM768,
    kem: Kem::MlKem768,
    classical: Some((SECP256R1, Order::CurveFirst)),
};
static SECP384R1_MLKEM1024_GROUP: MlKemGroup = MlKemGroup {
    name: NamedGroup::Unknown(SECP384R1_MLKEM1024),
    kem: Kem::MlKem1024,
    classical: Some((SECP384R1, Order::CurveFirst)),
};
static MLKEM768: MlKemGroup = MlKemGroup {
    name: NamedGroup::MLKEM768,
    kem: Kem::MlKem768,
    classical: None,
};
static MLKEM1024: MlKemGroup = MlKemGroup {
    name: NamedGroup::MLKEM1024,
    kem: Kem::MlKem1024,
    classical: None,
};

static FFDHE2048: Ffdhe = Ffdhe::named(NamedGroup::FFDHE2048, ffdhe_groups::FFDHE2048);
static FFDHE3072: Ffdhe = Ffdhe::named(NamedGroup::FFDHE3072, ffdhe_groups::FFDHE3072);
static FFDHE4096: Ffdhe = Ffdhe::named(NamedGroup::FFDHE4096, ffdhe_groups::FFDHE4096);
static FFDHE6144: Ffdhe = Ffdhe::named(NamedGroup::FFDHE6144, ffdhe_groups::FFDHE6144);
static FFDHE8192: Ffdhe = Ffdhe::named(NamedGroup::FFDHE8192, ffdhe_groups::FFDHE8192);

/// Node 26's groups under `ecdhCurve: 'auto'`, as many as we have, in OpenSSL
/// 3.5's order: X25519MLKEM768 (with X25519's share beside it), X25519, P-256,
/// X448, P-384, ffdhe2048, ffdhe3072 (P-521, between P-384 and ffdhe2048 there,
/// ring lacks).
pub(crate) static DEFAULT_GROUPS: &[&dyn SupportedKxGroup] = &[
    &X25519_MLKEM768,
    X25519,
    SECP256R1,
    &X448,
    SECP384R1,
    &FFDHE2048,
    &FFDHE3072,
];

/// Every group we can offer when `ecdhCurve` names it.
pub(crate) static ALL_GROUPS: &[&dyn SupportedKxGroup] = &[
    &X25519_MLKEM768,
    X25519,
    SECP256R1,
    SECP384R1,
    &X448,
    &FFDHE2048,
    &FFDHE3072,
    &FFDHE4096,
    &FFDHE6144,
    &FFDHE8192,
    &SECP256R1_MLKEM768_GROUP,
    &SECP384R1_MLKEM1024_GROUP,
    &MLKEM768,
    &MLKEM1024,
];

/// A TLS 1.2 parameter group's name, never sent: rustls reports the group
/// under it, and a code in 0x0100..0x01FF (the finite-field range; these are
/// unassigned there) makes rustls treat the group as finite-field, stripping
/// the premaster secret's leading zeros as TLS 1.2 requires.
const fn modp_name(code: u16) -> NamedGroup {
    NamedGroup::Unknown(code)
}

/// The DHE parameters a TLS 1.2 server may send that we accept, whatever
/// `ecdhCurve` says (OpenSSL's client takes any, its security level allowing):
/// RFC 7919's groups, and the RFC 3526 primes OpenSSL's `dhparam: 'auto'` picks.
/// Other parameters rustls refuses (`illegal_parameter`): it matches a
/// server's `p` and `g` against these and nothing else.
pub(crate) static TLS12_PARAMS: &[&dyn SupportedKxGroup] = &[
    &Ffdhe::tls12_params(NamedGroup::FFDHE2048, ffdhe_groups::FFDHE2048),
    &Ffdhe::tls12_params(NamedGroup::FFDHE3072, ffdhe_groups::FFDHE3072),
    &Ffdhe::tls12_params(NamedGroup::FFDHE4096, ffdhe_groups::FFDHE4096),
    &Ffdhe::tls12_params(NamedGroup::FFDHE6144, ffdhe_groups::FFDHE6144),
    &Ffdhe::tls12_params(NamedGroup::FFDHE8192, ffdhe_groups::FFDHE8192),
    &Ffdhe::tls12_params(modp_name(0x01F0), modp_group(&modp::MODP_2048)),
    &Ffdhe::tls12_params(modp_name(0x01F1), modp_group(&modp::MODP_3072)),
    &Ffdhe::tls12_params(modp_name(0x01F2), modp_group(&modp::MODP_4096)),
    &Ffdhe::tls12_params(modp_name(0x01F3), modp_group(&modp::MODP_6144)),
    &Ffdhe::tls12_params(modp_name(0x01F4), modp_group(&modp::MODP_8192)),
];

/// An RFC 3526 prime with its generator, 2.
const fn modp_group(p: &'static [u8]) -> FfdheGroup<'static> {
    FfdheGroup { p, g: &[2] }
}

/// The size in bits of a finite-field group's prime, for `getEphemeralKeyInfo()`
/// and `minDHSize`; `None` for other groups.
pub(crate) fn dh_bits(group: &dyn SupportedKxGroup) -> Option<u32> {
    Some(ffdhe::modulus_bits(group.ffdhe_group()?.p))
}

/// The ML-KEM groups, for tests that reach them without rustls's trait objects.
#[cfg(test)]
static ML_KEM_GROUPS: &[&MlKemGroup] = &[
    &X25519_MLKEM768,
    &SECP256R1_MLKEM768_GROUP,
    &SECP384R1_MLKEM1024_GROUP,
    &MLKEM768,
    &MLKEM1024,
];

#[cfg(test)]
mod tests;
