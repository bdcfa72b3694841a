//! Password-based decryption shared by encrypted PEM keys and PKCS#12
//! bundles: CBC ciphers with PKCS#7 padding, PBES2, and a budget that bounds
//! the key derivation's work. Its own module, so that neither user depends on
//! the other.

mod budget;
mod cbc;
mod pbes2;
#[cfg(test)]
mod tests;

pub(crate) use budget::{KdfBudget, KdfLimits};
pub(crate) use cbc::{cbc_decrypt, Cbc, DecryptError};
pub(crate) use pbes2::{pbes2_decrypt, scrypt_memory_fits, Pbes2Error};
