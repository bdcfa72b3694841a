//! `describe` against Node, whose `getPeerCertificate()` is the reference:
//! certificates made by rcgen and openssl, and certificates written by hand
//! ([`Draft`]) for what no tool writes; then the formats spelled out, and
//! hostile input.

mod crafted;
mod formats;
mod generated;

use std::ffi::OsStr;

use serde_json::{json, Map, Value};
use test_pki::TempDir;

use super::format::hex_upper;
use super::{describe, PeerCertificate};
use crate::der;

// -- Hand-made DER: certificates to be parsed, never verified ----------

/// An element with a one-byte identifier and these contents.
fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    der::tlv(tag, &[body])
}

fn seq(parts: &[&[u8]]) -> Vec<u8> {
    der::sequence(parts)
}

/// An OBJECT IDENTIFIER from its dotted form.
fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u32> = dotted.split('.').map(|a| a.parse().unwrap()).collect();
    let mut body = der::base128(arcs[0] * 40 + arcs[1]);
    for arc in &arcs[2..] {
        body.extend(der::base128(*arc));
    }
    tlv(0x06, &body)
}

fn unhex(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

fn utf8(text: &str) -> Vec<u8> {
    tlv(0x0c, text.as_bytes())
}

/// One attribute of a name: `SEQUENCE { type, value }`.
fn attribute(dotted: &str, value: &[u8]) -> Vec<u8> {
    seq(&[&oid(dotted), value])
}

/// A relative distinguished name of one attribute: `SET { SEQUENCE { type, value } }`.
fn rdn(dotted: &str, value: &[u8]) -> Vec<u8> {
    tlv(0x31, &attribute(dotted, value))
}

/// A Name from RDNs, each a set of (attribute type, value TLV).
fn name(rdns: &[&[(&str, Vec<u8>)]]) -> Vec<u8> {
    let sets: Vec<u8> = rdns
        .iter()
        .flat_map(|rdn| {
            let pairs: Vec<u8> = rdn.iter().flat_map(|(o, v)| attribute(o, v)).collect();
            tlv(0x31, &pairs)
        })
        .collect();
    tlv(0x30, &sets)
}

fn cn(text: &str) -> Vec<u8> {
    name(&[&[("2.5.4.3", utf8(text))]])
}

fn ext(id: &str, value: &[u8]) -> Vec<u8> {
    seq(&[&oid(id), &tlv(0x04, value)])
}

const BASIC_CA: &str = "2.5.29.19";
const KEY_USAGE: &str = "2.5.29.15";

/// A P-256 SubjectPublicKeyInfo holding `point`.
fn p256_spki_of(point: &[u8]) -> Vec<u8> {
    seq(&[
        &seq(&[&oid("1.2.840.10045.2.1"), &oid("1.2.840.10045.3.1.7")]),
        &tlv(0x03, &[&[0], point].concat()),
    ])
}

/// The P-256 generator as a public key: a valid point, so OpenSSL takes it.
fn p256_spki() -> Vec<u8> {
    p256_spki_of(&unhex(concat!(
        "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
        "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"
    )))
}

/// A certificate's fields, to be changed one at a time.
struct Draft {
    v3: bool,
    serial: Vec<u8>,
    issuer: Vec<u8>,
    subject: Vec<u8>,
    not_before: Vec<u8>,
    not_after: Vec<u8>,
    spki: Vec<u8>,
    extensions: Vec<Vec<u8>>,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            v3: true,
            serial: vec![1],
            issuer: cn("issuer"),
            subject: cn("subject"),
            not_before: tlv(0x17, b"250101000000Z"),
            not_after: tlv(0x17, b"350101000000Z"),
            spki: p256_spki(),
            extensions: Vec::new(),
        }
    }
}

impl Draft {
    fn with_extensions(extensions: Vec<Vec<u8>>) -> Self {
        Draft {
            extensions,
            ..Draft::default()
        }
    }

    fn with_subject(subject: Vec<u8>) -> Self {
        Draft {
            subject,
            ..Draft::default()
        }
    }

    /// The certificate, signed with junk: parsers do not check signatures.
    fn der(&self) -> Vec<u8> {
        let algorithm = seq(&[&oid("1.2.840.10045.4.3.2")]);
        let mut tbs = Vec::new();
        if self.v3 {
            tbs.extend(tlv(0xa0, &tlv(0x02, &[2])));
        }
        tbs.extend(tlv(0x02, &self.serial));
        tbs.extend(&algorithm);
        tbs.extend(&self.issuer);
        tbs.extend(seq(&[&self.not_before, &self.not_after]));
        tbs.extend(&self.subject);
        tbs.extend(&self.spki);
        if !self.extensions.is_empty() {
            tbs.extend(tlv(0xa3, &tlv(0x30, &self.extensions.concat())));
        }
        let mut signature = vec![0];
        signature.extend(seq(&[&tlv(0x02, &[1]), &tlv(0x02, &[1])]));
        seq(&[&tlv(0x30, &tbs), &algorithm, &tlv(0x03, &signature)])
    }
}

// -- Node, the reference ------------------------------------------------

/// `toLegacyObject()` runs Node's `X509ToObject()`, the function behind
/// getPeerCertificate() (checked against a live connection in `generated`).
const NODE_VIEWS: &str = r#"
    const { X509Certificate } = require('crypto');
    const hexes = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
    const buffers = (k, v) => (v && v.type === 'Buffer' ? Buffer.from(v.data).toString('hex') : v);
    console.log(JSON.stringify(hexes.map((hex) => {
      let o;
      try { o = new X509Certificate(Buffer.from(hex, 'hex')).toLegacyObject(); }
      catch (e) { return { error: e.message }; }
      // Node's missing name and null extensions are our empty name and None.
      o.subject ??= {};
      o.issuer ??= {};
      if (o.subjectaltname === null) delete o.subjectaltname;
      if (o.infoAccess === null) delete o.infoAccess;
      return JSON.parse(JSON.stringify(o, buffers));
    })));"#;

/// Node's view of each certificate. Node 26.10 crashes (a segmentation
/// fault) on some keys it reads; then each certificate is asked on its own,
/// and one that crashes Node is `{"crash": true}`, which no answer matches.
fn node_views(ders: &[Vec<u8>]) -> Vec<Value> {
    let dir = TempDir::new("certinfo");
    let ask = |ders: &[Vec<u8>]| -> Option<Vec<Value>> {
        let hexes: Vec<String> = ders.iter().map(|d| hex_lower(d)).collect();
        let path = dir.write("views.json", serde_json::to_string(&hexes).unwrap());
        let out = test_pki::Tool::node()
            .args([OsStr::new("-e"), OsStr::new(NODE_VIEWS), path.as_os_str()])
            .output();
        out.status
            .success()
            .then(|| serde_json::from_slice(&out.stdout).expect("Node's views as JSON"))
    };
    ask(ders).unwrap_or_else(|| {
        ders.iter()
            .map(|der| match ask(std::slice::from_ref(der)) {
                Some(mut one) => one.remove(0),
                None => json!({ "crash": true }),
            })
            .collect()
    })
}

fn hex_lower(bytes: &[u8]) -> String {
    hex_upper(bytes, "").to_ascii_lowercase()
}

/// Our description in Node's JSON shape: repeated names grouped into arrays.
fn node_shape(c: &PeerCertificate) -> Value {
    fn grouped(pairs: &[(String, String)], always_array: bool) -> Value {
        let mut object = Map::new();
        for (key, value) in pairs {
            match object.get_mut(key) {
                Some(Value::Array(values)) => values.push(json!(value)),
                Some(single) => *single = json!([single.clone(), value]),
                None if always_array => drop(object.insert(key.clone(), json!([value]))),
                None => drop(object.insert(key.clone(), json!(value))),
            }
        }
        Value::Object(object)
    }
    let mut o = Map::new();
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(value) = value {
            o.insert(key.to_owned(), value);
        }
    };
    put("subject", Some(grouped(&c.subject, false)));
    put("issuer", Some(grouped(&c.issuer, false)));
    put(
        "subjectaltname",
        c.subjectaltname.as_ref().map(|s| json!(s)),
    );
    put(
        "infoAccess",
        c.info_access.as_ref().map(|i| grouped(i, true)),
    );
    put("ca", Some(json!(c.ca)));
    put("bits", c.bits.map(|b| json!(b)));
    put("modulus", c.modulus.as_ref().map(|m| json!(m)));
    put("exponent", c.exponent.as_ref().map(|e| json!(e)));
    put("pubkey", c.pubkey.as_ref().map(|p| json!(hex_lower(p))));
    put("asn1Curve", c.asn1_curve.as_ref().map(|a| json!(a)));
    put("nistCurve", c.nist_curve.as_ref().map(|n| json!(n)));
    put("valid_from", Some(json!(c.valid_from)));
    put("valid_to", Some(json!(c.valid_to)));
    put("fingerprint", Some(json!(c.fingerprint)));
    put("fingerprint256", Some(json!(c.fingerprint256)));
    put("fingerprint512", Some(json!(c.fingerprint512)));
    put("ext_key_usage", c.ext_key_usage.as_ref().map(|e| json!(e)));
    put("serialNumber", Some(json!(c.serial_number)));
    put("raw", Some(json!(hex_lower(&c.raw))));
    Value::Object(o)
}

/// Every field of every certificate as Node shows it; where Node cannot
/// load a certificate, we must refuse it too.
fn assert_node_agrees(ders: &[Vec<u8>]) {
    for (i, (der, node)) in ders.iter().zip(node_views(ders)).enumerate() {
        if node.get("crash").is_some() {
            eprintln!(
                "certificate {i}: Node crashed reading it; ours: {:?}",
                describe(der).map(|c| c.bits)
            );
            continue;
        }
        match describe(der) {
            Ok(ours) => assert_eq!(node_shape(&ours), node, "certificate {i}"),
            Err(err) => assert!(
                node.get("error").is_some(),
                "certificate {i}: we refused it ({err}), Node read {node}"
            ),
        }
    }
}
