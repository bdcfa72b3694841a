//! Caps on password-based key derivation: the most one derivation may ask
//! for, and the most one decoding may spend in all.

/// Caps on password-based key derivation, so that no input can make the
/// guest work for hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KdfLimits {
    /// The most iterations one derivation may ask for (scrypt: N·r·p).
    pub max_iterations: u64,
    /// The most work all derivations of one decoding may do, in iterations
    /// times output blocks.
    pub max_total: u64,
}

impl KdfLimits {
    /// For PKCS#12 bundles: OpenSSL writes 2048 iterations, Windows 2000,
    /// Java 10000; a million is 500 times OpenSSL's and about a second of
    /// SHA-256 in the guest. A bundle takes at most 8 derivations (two MAC
    /// tries, key and IV of two safes), so 8 million in all lets each use
    /// the maximum. Fuzzing builds (`cfg(fuzzing)`, set by cargo-fuzz) keep
    /// both low, so that no fuzzed input is a slow unit.
    #[allow(unexpected_cfgs)]
    pub(crate) const PFX: KdfLimits = if cfg!(fuzzing) {
        KdfLimits {
            max_iterations: 4096,
            max_total: 32_768,
        }
    } else {
        KdfLimits {
            max_iterations: 1_000_000,
            max_total: 8_000_000,
        }
    };
}

/// What is left of a decoding's [`KdfLimits`].
#[derive(Debug, Clone)]
pub(crate) struct KdfBudget {
    limits: KdfLimits,
    spent: u64,
}

/// A derivation over the limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OverLimit;

impl KdfBudget {
    /// A fresh budget.
    pub(crate) fn new(limits: KdfLimits) -> Self {
        Self { limits, spent: 0 }
    }

    /// No limits: for callers that bounded the work already.
    pub(crate) fn unbounded() -> Self {
        Self::new(KdfLimits {
            max_iterations: u64::MAX,
            max_total: u64::MAX,
        })
    }

    /// Takes one derivation of `iterations` rounds and `blocks` output blocks
    /// from the budget, before any of it is done.
    pub(crate) fn charge(&mut self, iterations: u64, blocks: u64) -> Result<(), OverLimit> {
        if iterations > self.limits.max_iterations {
            return Err(OverLimit);
        }
        let spent = self
            .spent
            .saturating_add(iterations.max(1).saturating_mul(blocks.max(1)));
        if spent > self.limits.max_total {
            return Err(OverLimit);
        }
        self.spent = spent;
        Ok(())
    }
}
