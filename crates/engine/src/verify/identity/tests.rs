//! Node's `checkServerIdentity` against Node itself, case by case, and its
//! reasons and IPv6 canonical form spelled out.

use super::*;
use serde_json::{json, Value};

fn cert(subjectaltname: Option<&str>, common_names: &[&str]) -> PeerCertificate {
    PeerCertificate {
        subject: common_names
            .iter()
            .map(|v| ("CN".to_owned(), v.to_string()))
            .collect(),
        subjectaltname: subjectaltname.map(str::to_owned),
        ..PeerCertificate::default()
    }
}

/// (hostname, subjectaltname, CNs), each checked against Node below.
const CASES: &[(&str, Option<&str>, &[&str])] = &[
    // Plain names, case, trailing dots.
    ("localhost", Some("DNS:localhost"), &[]),
    ("LocalHost.", Some("DNS:localhost"), &[]),
    ("localhost", Some("DNS:LOCALHOST."), &[]),
    ("localhost..", Some("DNS:localhost"), &[]),
    ("other.test", Some("DNS:agent1, DNS:localhost"), &[]),
    ("other.test.", Some("DNS:agent1, DNS:localhost"), &[]),
    ("", Some("DNS:localhost"), &[]),
    ("localhost", Some("DNS:"), &[]),
    ("bad..example.com", Some("DNS:bad..example.com"), &[]),
    // Wildcards.
    ("a.example.com", Some("DNS:*.example.com"), &[]),
    ("A.EXAMPLE.COM", Some("DNS:*.Example.com"), &[]),
    ("a.b.example.com", Some("DNS:*.example.com"), &[]),
    ("example.com", Some("DNS:*.example.com"), &[]),
    ("foo.com", Some("DNS:*.com"), &[]),
    ("foo.com", Some("DNS:*.com."), &[]),
    ("baz.example.com", Some("DNS:b*z.example.com"), &[]),
    ("bz.example.com", Some("DNS:b*z.example.com"), &[]),
    ("bar.example.com", Some("DNS:b*z.example.com"), &[]),
    ("bzz.example.com", Some("DNS:bz*z.example.com"), &[]),
    ("a.example.com", Some("DNS:**.example.com"), &[]),
    ("aba.example.com", Some("DNS:*b*.example.com"), &[]),
    ("xn--abc.example.com", Some("DNS:xn--*.example.com"), &[]),
    ("xn--abc.example.com", Some("DNS:xn--abc.example.com"), &[]),
    ("XN--ABC.example.com", Some("DNS:xn--abc.example.com"), &[]),
    ("a.xn--abc.com", Some("DNS:*.xn--abc.com"), &[]),
    ("a.x.example.com", Some("DNS:a.*.example.com"), &[]),
    ("*.example.com", Some("DNS:*.example.com"), &[]),
    ("\u{e9}.example.com", Some("DNS:*.example.com"), &[]),
    ("caf\u{e9}.test", Some("DNS:caf\u{e9}.test"), &[]),
    ("a b.test", Some("DNS:a b.test"), &[]),
    ("a.test", Some("DNS:a.test\u{7f}"), &[]),
    // IP addresses: SAN IPs only, compared canonically.
    (
        "127.0.0.1",
        Some("DNS:localhost, IP Address:127.0.0.1"),
        &[],
    ),
    ("127.0.0.2", Some("IP Address:127.0.0.1"), &[]),
    ("127.0.0.1.", Some("IP Address:127.0.0.1"), &[]),
    ("::1", Some("IP Address:0:0:0:0:0:0:0:1"), &[]),
    ("0:0::1", Some("IP Address:::1"), &[]),
    ("127.0.0.1", Some("DNS:127.0.0.1"), &["127.0.0.1"]),
    ("1.2.3.4", Some("IP Address:<invalid length=5>"), &[]),
    (
        "1.2.3.4",
        Some("IP Address:<invalid length=5>, IP Address:1.2.3.5"),
        &[],
    ),
    ("fe80::1%eth0", Some("IP Address:FE80:0:0:0:0:0:0:1"), &[]),
    (
        "::ffff:1.2.3.4",
        Some("IP Address:0:0:0:0:0:FFFF:102:304"),
        &[],
    ),
    // The subject CN, only without DNS names.
    ("localhost", None, &["localhost"]),
    ("other", None, &["localhost"]),
    ("localhost", Some("DNS:other.test"), &["localhost"]),
    ("localhost", Some("IP Address:127.0.0.1"), &["localhost"]),
    ("localhost", Some(""), &["localhost"]),
    ("a.example.com", None, &["*.example.com"]),
    ("b", None, &["a", "b"]),
    ("c", None, &["a", "b"]),
    ("x", None, &[""]),
    ("x", None, &["", ""]),
    (
        "localhost",
        Some("email:a@b.test, URI:http://localhost/"),
        &[],
    ),
    ("localhost", None, &[]),
    // Node's JSON-quoted entries.
    ("a,b.test", Some(r#"DNS:"a\u002cb.test""#), &[]),
    ("x.test", Some(r#"DNS:"a\u002cb.test", DNS:x.test"#), &[]),
    ("y.test", Some(r#"DNS:"a\u002cb.test", DNS:x.test"#), &[]),
    ("q\"x", Some(r#"DNS:"q\"x""#), &[]),
    (
        "a.test",
        Some(r#"othername:"UPN:u\u002cpn", DNS:a.test"#),
        &[],
    ),
    (
        "a.test",
        Some(r#"DirName:"CN=x\\\u002cy", DNS:a.test"#),
        &[],
    ),
    (
        "a.test",
        Some(r#"DNS:a.test, DNS:"\ud83d\ude00\/\b\f\n\r\t""#),
        &[],
    ),
    ("a.test", Some(r#"DNS:"\ud83d", DNS:a.test"#), &[]),
    ("a.test", Some("DNS:\"x\",\u{1f600}DNS:a.test"), &[]),
    ("a.test", Some("DNS:\"x\", DNS:a.test,"), &[]),
    ("a.test", Some("DNS:\"x\", DNS:a.test, "), &[]),
    ("1.2.3.4", Some(r#"DNS:"x", IP Address:1.2.3.4"#), &[]),
    // Strings Node cannot split: it throws.
    ("a.test", Some(r#"DNS:"unterminated"#), &[]),
    ("a.test", Some(r#"DNS:"bad\x", DNS:a.test"#), &[]),
    ("a.test", Some(r#"DNS:"\u12", DNS:a.test"#), &[]),
    ("a.test", Some("DNS:\"tab\t\", DNS:a.test"), &[]),
    ("a.test", Some("DNS:a\"b, DNS:a.test"), &[]),
];

/// Strings on both sides of Node's `net.isIP` and libuv's canonical form.
const ADDRESSES: &[&str] = &[
    "1.2.3.4",
    "0.0.0.0",
    "255.255.255.255",
    "01.2.3.4",
    "1.2.3.04",
    "1.2.3",
    "1.2.3.4.5",
    "256.1.1.1",
    "1.2.3.4 ",
    "",
    "::",
    "::1",
    "1::",
    "::2",
    "::0:0:0:2",
    "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7::",
    "::2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8:9",
    "1::2::3",
    ":1::",
    "1:::2",
    "12345::",
    "00000::1",
    "0000:0000:0000:0000:0000:0000:0000:0001",
    "::ffff:1.2.3.4",
    "::1.2.3.4",
    "0:0:0:0:0:ffff:1.2.3.4",
    "1:2:3:4:5:6:1.2.3.4",
    "1:2:3:4:5:6:7:1.2.3.4",
    "::ffff:01.2.3.4",
    "a::b:c:d:e:f:1.2.3.4",
    "FE80::1",
    "fe80::1%eth0",
    "fe80::1%",
    "fe80::1%a%b",
    "fe80::1%e:t.h-0",
    "fe80::1%\u{e9}",
    "1.2.3.4%x",
    "2001:db8::1:0:0:1",
    "2001:db8:0:0:1::1",
    "1:0:0:2::3",
    "1:0:0:2:0:0:0:3",
    "0:0:1:0:0:0:0:0",
    "[::1]",
    " ::1",
];

/// Every case, plus each address as a host name and as a SAN entry, in our
/// function and in Node's, with the same code, message, reason and host.
#[test]
fn node_agrees_on_every_case() {
    if !test_pki::require(&["node"]) {
        return;
    }
    let mut cases: Vec<(String, Option<String>, Vec<String>)> = CASES
        .iter()
        .map(|(host, san, cns)| {
            let cns = cns.iter().map(|cn| cn.to_string()).collect();
            (host.to_string(), san.map(str::to_owned), cns)
        })
        .collect();
    for address in ADDRESSES {
        let san = format!("IP Address:{address}, IP Address:1.1.1.1");
        cases.push(("9.9.9.9".into(), Some(san), Vec::new()));
        let san = "IP Address:0:0:0:0:0:0:0:1, IP Address:1.2.3.4".to_owned();
        cases.push((address.to_string(), Some(san), Vec::new()));
    }
    let dir = test_pki::TempDir::new("identity");
    let path = dir.write("cases.json", json!(cases).to_string());
    let script = r#"
        const tls = require('tls');
        const cases = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));
        console.log(JSON.stringify(cases.map(([host, san, cns]) => {
          const subject = cns.length === 0 ? {} : { CN: cns.length === 1 ? cns[0] : cns };
          const cert = { subject, subjectaltname: san === null ? undefined : san };
          try {
            const e = tls.checkServerIdentity(host, cert);
            return e ? [e.code, e.message, e.reason, e.host] : null;
          } catch (e) {
            return ['thrown', e.code, e.message];
          }
        })));"#;
    let out = test_pki::node::run(script, &[path.as_os_str()]);
    let node: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(node.len(), cases.len());
    for ((host, san, cns), node_says) in cases.iter().zip(node) {
        let cns: Vec<&str> = cns.iter().map(String::as_str).collect();
        let ours = match check_server_identity(host, &cert(san.as_deref(), &cns)) {
            Ok(()) => Value::Null,
            Err(TlsError {
                code,
                message,
                reason: Some(reason),
                host: Some(host),
            }) => json!([code, message, reason, host]),
            Err(e) => json!(["thrown", e.code, e.message]),
        };
        assert_eq!(ours, node_says, "host {host:?}, san {san:?}, cn {cns:?}");
    }
}

#[test]
fn reasons_are_nodes() {
    let reason = |host: &str, san: Option<&str>, cns: &[&str]| {
        check_server_identity(host, &cert(san, cns))
            .unwrap_err()
            .reason
            .unwrap()
    };
    assert_eq!(
        reason("127.0.0.1", Some("DNS:localhost"), &[]),
        "IP: 127.0.0.1 is not in the cert's list: "
    );
    assert_eq!(
        reason("other.test.", Some("DNS:agent1, DNS:localhost"), &[]),
        "Host: other.test. is not in the cert's altnames: DNS:agent1, DNS:localhost"
    );
    assert_eq!(reason("x", None, &["y"]), "Host: x. is not cert's CN: y");
    assert_eq!(reason("x", None, &[]), "Cert does not contain a DNS name");
    let err = check_server_identity("other.test", &cert(Some("DNS:localhost"), &[])).unwrap_err();
    assert_eq!(err.code, "ERR_TLS_CERT_ALTNAME_INVALID");
    assert_eq!(err.host.as_deref(), Some("other.test"));
    assert_eq!(
        err.message,
        "Hostname/IP does not match certificate's altnames: Host: other.test. is not in the cert's altnames: DNS:localhost"
    );
}

#[test]
fn ipv6_is_canonicalised_as_libuv_does() {
    let canonical = |text: &str| canonical_ip(text).unwrap();
    assert_eq!(canonical("0:0:0:0:0:0:0:1"), "::1");
    assert_eq!(canonical("0:0:0:0:0:FFFF:102:304"), "::ffff:1.2.3.4");
    assert_eq!(canonical("0:0:0:0:0:0:102:304"), "::1.2.3.4");
    assert_eq!(canonical("1:0:0:2:0:0:0:3"), "1:0:0:2::3");
    assert_eq!(canonical("fe80::1%eth0"), "fe80::1");
    assert_eq!(canonical_ip("<invalid length=5>"), None);
}
