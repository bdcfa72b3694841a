//! The PKCS#12 key derivation (RFC 7292, appendix B.2), charged to the
//! decoding's budget before any work.

use zeroize::Zeroizing;

use super::errors::unsupported;
use super::hash::Hash;
use super::password::Password;
use crate::credentials::pbe::KdfBudget;
use crate::TlsError;

/// The PKCS#12 key derivation's purpose byte.
#[derive(Debug, Clone, Copy)]
pub(super) enum KdfId {
    /// A cipher key.
    Key = 1,
    /// A cipher's IV.
    Iv = 2,
    /// A MAC key.
    Mac = 3,
}

/// `len` bytes of RFC 7292 appendix B.2 with `hash`, charged to `budget`
/// first. Wiped when dropped.
pub(super) fn derive(
    hash: Hash,
    id: KdfId,
    password: Password<'_>,
    salt: &[u8],
    iterations: u64,
    len: usize,
    budget: &mut KdfBudget,
) -> Result<Zeroizing<Vec<u8>>, TlsError> {
    let blocks = len.div_ceil(hash.output_len()) as u64;
    budget
        .charge(iterations, blocks)
        .map_err(|_| unsupported())?;
    let password = password.bmp();
    let mut out = Zeroizing::new(vec![0; len]);
    // The budget has capped iterations far below u32::MAX.
    let rounds = u32::try_from(iterations).map_err(|_| unsupported())?;
    pkcs12_kdf(hash, id as u8, &password, salt, rounds, &mut out);
    Ok(out)
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
