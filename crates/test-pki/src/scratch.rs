//! A scratch directory for a test's files, with the openssl CLI run inside it.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::Tool;

/// A directory removed with its contents when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// A new, empty directory named after `prefix`, the process and a counter.
    pub fn new(prefix: &str) -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("tls-connect-{prefix}-{}-{n}", std::process::id()));
        // Left over from an earlier process that had this pid.
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("temp dir");
        Self(path)
    }

    /// A new directory for a test that runs openssl in it, or `None` (with
    /// the skip message of [`crate::require`]) when openssl is not on PATH.
    pub fn for_openssl(prefix: &str) -> Option<Self> {
        crate::require(&["openssl"]).then(|| Self::new(prefix))
    }

    /// The directory itself.
    pub fn dir(&self) -> &Path {
        &self.0
    }

    /// A path inside it.
    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// Reads a file inside it.
    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).unwrap_or_else(|e| panic!("fixture file {name}: {e}"))
    }

    /// Reads a text file inside it (PEM, a config).
    pub fn read_text(&self, name: &str) -> String {
        String::from_utf8(self.read(name)).unwrap_or_else(|_| panic!("{name} is not text"))
    }

    /// Writes a file inside it and returns its path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("write fixture");
        path
    }

    /// Runs `openssl args…` in it: its stdout. Panics with its stderr if it fails.
    pub fn openssl(&self, args: &[impl AsRef<OsStr>]) -> Vec<u8> {
        self.openssl_here(args).run()
    }

    /// Like [`TempDir::openssl`], but whether it worked.
    pub fn try_openssl(&self, args: &[impl AsRef<OsStr>]) -> bool {
        self.openssl_here(args).try_run().is_ok()
    }

    /// `openssl args…`, to run in it.
    pub(crate) fn openssl_here(&self, args: &[impl AsRef<OsStr>]) -> Tool {
        Tool::openssl().args(args).current_dir(self.dir())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
