//! The command line: a subcommand, then `--name value` pairs and bare flags,
//! with the lookups each measurement needs.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use host_example::{ClientComponent, ClientInstance, HostCrypto};

/// What `tls-bench` accepts.
pub const USAGE: &str = "usage:
  tls-bench pki --out DIR
  tls-bench handshakes --client wasm|native --port PORT --ca FILE [--cipher NAME] [--count N] [--resume]
  tls-bench bulk --client wasm|native --port PORT --ca FILE [--cipher NAME] [--bytes N] [--chunk N]
                 [--crypto host|guest]
  tls-bench memory --port PORT --ca FILE [--connections N] [--crypto host|guest]
  tls-bench startup [--runs N]
--crypto says who does the component's record AEAD and signature checks: the host (ring) or the guest.
Every subcommand but pki takes --component FILE (default target/tls-connect.wasm)
and --limit SECONDS (default 120). Results are JSON lines on stdout.";

/// The parsed command line: a subcommand, `--name value` pairs, and bare flags.
pub struct Args {
    /// The subcommand.
    pub command: String,
    values: HashMap<String, String>,
    flags: Vec<String>,
}

/// Flags that take no value.
const FLAGS: &[&str] = &["--resume"];

impl Args {
    /// Parses the arguments after the program's name.
    pub fn parse(mut raw: impl Iterator<Item = String>) -> Result<Self, String> {
        let command = raw.next().ok_or(USAGE)?;
        let mut args = Args {
            command,
            values: HashMap::new(),
            flags: Vec::new(),
        };
        while let Some(name) = raw.next() {
            if !name.starts_with("--") {
                return Err(format!("unexpected argument {name}\n{USAGE}"));
            }
            if FLAGS.contains(&name.as_str()) {
                args.flags.push(name);
            } else {
                let value = raw.next().ok_or_else(|| format!("{name} needs a value"))?;
                args.values.insert(name, value);
            }
        }
        Ok(args)
    }

    /// The value of `--name`, if given.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// The value of `--name`, which must be given.
    pub fn required(&self, name: &str) -> Result<&str, String> {
        self.text(name)
            .ok_or_else(|| format!("{} needs {name}\n{USAGE}", self.command))
    }

    /// `--name` as a number, `default` when not given.
    pub fn number<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, String> {
        match self.text(name) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|_| format!("{name}: not a number: {v}")),
        }
    }

    /// Whether the bare flag `name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }

    /// `--port`.
    pub fn port(&self) -> Result<u16, String> {
        let v = self.required("--port")?;
        v.parse().map_err(|_| format!("--port: bad port {v}"))
    }

    /// The PEM text of the `--ca` file.
    pub fn ca_pem(&self) -> Result<String, String> {
        let path = self.required("--ca")?;
        std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
    }

    /// `--cipher`, TLS_AES_128_GCM_SHA256 by default.
    pub fn cipher(&self) -> &str {
        self.text("--cipher").unwrap_or("TLS_AES_128_GCM_SHA256")
    }

    /// `--ecdh-curve`: Node's `ecdhCurve`; none, the default groups.
    pub fn ecdh_curve(&self) -> Option<&str> {
        self.text("--ecdh-curve")
    }

    /// `--limit` in seconds, 120 by default.
    pub fn limit(&self) -> Result<Duration, String> {
        Ok(Duration::from_secs_f64(self.number("--limit", 120.0)?))
    }

    /// `--component`, or the workspace's target/tls-connect.wasm.
    pub fn component_path(&self) -> PathBuf {
        self.text("--component")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/tls-connect.wasm")
            })
    }

    /// `--crypto host` (the default: the host's ring seals records and checks
    /// signatures) or `guest`.
    pub fn aead(&self) -> Result<(&str, HostCrypto), String> {
        match self.text("--crypto").unwrap_or("host") {
            "host" => Ok(("host", HostCrypto::Native)),
            "guest" => Ok(("guest", HostCrypto::Declined)),
            other => Err(format!("--crypto: {other} is neither host nor guest")),
        }
    }

    /// A fresh instance of the component, with `--crypto`'s choice.
    pub fn instance(&self) -> Result<ClientInstance, String> {
        self.component()?
            .instantiate_with(self.aead()?.1)
            .map_err(|e| format!("instantiate: {e:#}"))
    }

    /// The component at `--component`, loaded from its .cwasm when current.
    pub fn component(&self) -> Result<ClientComponent, String> {
        let path = self.component_path();
        ClientComponent::load(&path)
            .map_err(|e| format!("could not load {}: {e:#}", path.display()))
    }
}
