//! CBC's length rule, and the budget's two caps.

use super::budget::{KdfBudget, KdfLimits, OverLimit};
use super::cbc::{cbc_decrypt, Cbc, DecryptError};

#[test]
fn ciphertext_must_be_whole_blocks() {
    for len in [0, 7, 15, 17] {
        let err = cbc_decrypt(Cbc::Aes128, &[0; 16], &[0; 16], &vec![0; len]);
        assert_eq!(err.unwrap_err(), DecryptError::WrongFinalBlockLength);
    }
    // Eight bytes are a whole DES block but half an AES one.
    assert_eq!(
        cbc_decrypt(Cbc::Des, &[0; 8], &[0; 8], &[0; 8]).unwrap_err(),
        DecryptError::BadDecrypt
    );
    assert_eq!(
        cbc_decrypt(Cbc::Aes256, &[0; 32], &[0; 16], &[0; 8]).unwrap_err(),
        DecryptError::WrongFinalBlockLength
    );
}

#[test]
fn budget_refuses_one_big_or_many_small() {
    let mut budget = KdfBudget::new(KdfLimits {
        max_iterations: 100,
        max_total: 250,
    });
    assert_eq!(budget.charge(101, 1), Err(OverLimit));
    assert_eq!(budget.charge(100, 2), Ok(()));
    assert_eq!(budget.charge(50, 1), Ok(()));
    assert_eq!(budget.charge(1, 1), Err(OverLimit));
    assert_eq!(KdfBudget::unbounded().charge(u64::MAX, u64::MAX), Ok(()));
}
