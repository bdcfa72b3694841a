//! Locks that outlive a panic elsewhere.

use std::sync::{Mutex, MutexGuard};

/// Locks `mutex`. A panic while it was held leaves plain data behind (counters,
/// queues of sessions and lines), which stays usable, so a poisoned lock is
/// taken as it is rather than passed on as a second panic.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
