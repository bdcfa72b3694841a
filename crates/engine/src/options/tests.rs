//! Node's option rules, each asked of Node first.

use super::*;
use crate::javascript::{is_ip, js_number, to_int32};
use crate::TlsError;

/// Runs `call` in Node for each JavaScript expression in `values` (as `v`)
/// and returns what it threw: `None`, or the error's code and message.
fn node_throws(call: &str, values: &[&str]) -> Vec<Option<(String, String)>> {
    let script = format!(
        r#"
        const tls = require('tls');
        for (const expr of JSON.parse(process.argv[1])) {{
          const v = eval(expr);
          try {{ {call}; console.log('null'); }}
          catch (e) {{ console.log(JSON.stringify([e.code ?? '', e.message])); }}
        }}"#
    );
    let json = serde_json::to_string(values).unwrap();
    let out = test_pki::node::run(&script, &[std::ffi::OsStr::new(&json)]);
    out.lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// JavaScript expressions for numbers, and the same numbers here.
const NUMBERS: &[(&str, f64)] = &[
    ("0", 0.0),
    ("-0", -0.0),
    ("1", 1.0),
    ("-1", -1.0),
    ("0.5", 0.5),
    ("-0.5", -0.5),
    ("1.5", 1.5),
    ("4.5", 4.5),
    ("5", 5.0),
    ("NaN", f64::NAN),
    ("Infinity", f64::INFINITY),
    ("-Infinity", f64::NEG_INFINITY),
    ("2**31", 2_147_483_648.0),
    ("2**32", 4_294_967_296.0),
    ("2**32+1", 4_294_967_297.0),
    ("-(2**40)", -1_099_511_627_776.0),
    ("2**53-1", 9_007_199_254_740_991.0),
    ("2**53", 9_007_199_254_740_992.0),
    ("-(2**53)-2", -9_007_199_254_740_994.0),
    ("2**64", 18_446_744_073_709_551_616.0),
    ("1e21", 1e21),
    ("1e300", 1e300),
    ("1.5e-7", 1.5e-7),
    ("0.000001", 0.000001),
    ("123456789.125", 123_456_789.125),
    ("0x20000000", 536_870_912.0),
];

/// Asserts that `ours` fails for the numbers Node's `call` throws for, with
/// the same code and message.
fn assert_number_errors(call: &str, ours: impl Fn(f64) -> Option<TlsError>) {
    assert_errors_for(NUMBERS, call, ours);
}

/// [`assert_number_errors`] for some of the numbers.
fn assert_errors_for(numbers: &[(&str, f64)], call: &str, ours: impl Fn(f64) -> Option<TlsError>) {
    let exprs: Vec<&str> = numbers.iter().map(|(expr, _)| *expr).collect();
    for ((expr, value), node) in numbers.iter().zip(node_throws(call, &exprs)) {
        let ours = ours(*value).map(|e| (e.code, e.message));
        assert_eq!(ours, node, "{call} with {expr}");
    }
}

#[test]
fn numbers_are_written_as_javascript_writes_them() {
    if !test_pki::require(&["node"]) {
        return;
    }
    let exprs: Vec<&str> = NUMBERS.iter().map(|(expr, _)| *expr).collect();
    let script = "for (const e of JSON.parse(process.argv[1])) console.log(String(eval(e)))";
    let json = serde_json::to_string(&exprs).unwrap();
    let out = test_pki::node::run(script, &[std::ffi::OsStr::new(&json)]);
    for ((expr, value), node) in NUMBERS.iter().zip(out.lines()) {
        assert_eq!(js_number(*value), node, "String({expr})");
    }
}

#[test]
fn secure_options_fail_where_node_fails() {
    if !test_pki::require(&["node"]) {
        return;
    }
    assert_number_errors("tls.createSecureContext({ secureOptions: v })", |v| {
        let options = ContextOptions {
            secure_options: Some(v),
            ..Default::default()
        };
        options.secure_option_bits().err()
    });
}

/// Node hands a negative value on as its 64-bit two's complement, and bits
/// above 32 as they are (a negative one therefore sets every high bit).
#[test]
fn secure_options_become_openssl_bits() {
    for (value, bits) in [
        (0.0, 0),
        (f64::NAN, 0),
        (-1.0, u64::MAX),
        (4_831_838_208.0, 0x1_2000_0000),
        (-536_870_912.0, 0xFFFF_FFFF_E000_0000),
    ] {
        let options = ContextOptions {
            secure_options: Some(value),
            ..Default::default()
        };
        assert_eq!(options.secure_option_bits().unwrap(), bits, "{value}");
    }
}

/// Current Node refuses a `minDHSize` under 1, with this message (Node
/// 26.10); Node 20 refuses 0, negatives and NaN with an internal assertion.
#[test]
fn min_dh_size_below_one_is_out_of_range() {
    let check = |size: f64| {
        ConnectOptions {
            connection: ConnectionOptions {
                min_dh_size: Some(size),
                ..Default::default()
            },
            ..Default::default()
        }
        .settings()
        .err()
    };
    for (size, shown) in [
        (0.0, "0"),
        (-0.0, "-0"),
        (-1.0, "-1"),
        (f64::NAN, "NaN"),
        (0.5, "0.5"),
        (f64::NEG_INFINITY, "-Infinity"),
        (-1_099_511_627_776.0, "-1_099_511_627_776"),
    ] {
        let err = check(size).expect("refused");
        assert_eq!(err.code, "ERR_OUT_OF_RANGE");
        assert_eq!(
            err.message,
            format!(
                "The value of \"options.minDHSize\" is out of range. It must be >= 1. Received {shown}"
            )
        );
    }
    for size in [1.0, 1024.0, 1.5, f64::INFINITY] {
        assert_eq!(check(size), None, "{size}");
    }
}

/// Node 20 refuses the same sizes (outside 0..1, where current Node is stricter).
#[test]
fn node_20_refuses_the_same_min_dh_sizes() {
    if !test_pki::require(&["node"]) {
        return;
    }
    let call =
        "tls.connect({ port: 1, host: '127.0.0.1', minDHSize: v }).on('error', () => {}).destroy()";
    let exprs: Vec<&str> = NUMBERS
        .iter()
        .filter(|(_, v)| !(0.0 < *v && *v < 1.0))
        .map(|(expr, _)| *expr)
        .collect();
    for (expr, node) in exprs.iter().zip(node_throws(call, &exprs)) {
        let value = NUMBERS.iter().find(|(e, _)| e == expr).unwrap().1;
        let options = ConnectionOptions {
            min_dh_size: Some(value),
            ..Default::default()
        };
        assert_eq!(
            options.check_min_dh_size().is_err(),
            node.is_some(),
            "{expr}: {node:?}"
        );
    }
}

/// TCP options to `localhost` (a name, so `family` is checked) with `net`.
fn tcp(net: NetOptions) -> Result<TcpOptions, TlsError> {
    TargetOptions {
        host: Some("localhost".into()),
        net: Some(net),
        ..Default::default()
    }
    .tcp_options()
}

/// Node 20 aborts (a failed native assertion) on `family: -0`, which is
/// 0 here; every other number is compared.
#[test]
fn family_fails_where_node_fails() {
    if !test_pki::require(&["node"]) {
        return;
    }
    let numbers: Vec<(&str, f64)> = NUMBERS
        .iter()
        .copied()
        .filter(|(e, _)| *e != "-0")
        .collect();
    assert_errors_for(
        &numbers,
        "tls.connect({ port: 1, host: 'localhost', family: v }).on('error', () => {}).destroy()",
        |v| {
            tcp(NetOptions {
                family: Some(v),
                ..Default::default()
            })
            .err()
        },
    );
}

/// Node looks up no address, and so ignores `family`, when `host` is one.
#[test]
fn family_is_ignored_for_an_address_host() {
    for host in ["127.0.0.1", "::1"] {
        let options = TargetOptions {
            host: Some(host.into()),
            net: Some(NetOptions {
                family: Some(5.0),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(options.tcp_options().unwrap().family, 0, "{host}");
    }
    let six = tcp(NetOptions {
        family: Some(6.0),
        ..Default::default()
    });
    assert_eq!(six.unwrap().family, 6);
    let negative_zero = tcp(NetOptions {
        family: Some(-0.0),
        ..Default::default()
    });
    assert_eq!(negative_zero.unwrap().family, 0);
    let err = tcp(NetOptions {
        family: Some(5.0),
        ..Default::default()
    })
    .unwrap_err();
    assert_eq!(err.code, "ERR_INVALID_ARG_VALUE");
    assert_eq!(
        err.message,
        "The property 'options.family' must be one of: 0, 4, 6. Received 5"
    );
}

#[test]
fn timeout_fails_where_node_fails() {
    if !test_pki::require(&["node"]) {
        return;
    }
    assert_number_errors(
        "tls.connect({ port: 1, host: '127.0.0.1', timeout: v }).on('error', () => {}).destroy()",
        |v| {
            tcp(NetOptions {
                timeout: Some(v),
                ..Default::default()
            })
            .err()
        },
    );
}

/// Node's timers wait at least 1 ms and at most 2^31 - 1.
#[test]
fn timeout_is_whole_milliseconds_within_node_timers() {
    for (given, ms) in [
        (0.0, None),
        (f64::NAN, None),
        (0.5, Some(1)),
        (1.5, Some(1)),
        (2500.0, Some(2500)),
        (4_294_967_296.0, Some(2_147_483_647)),
    ] {
        let options = tcp(NetOptions {
            timeout: Some(given),
            ..Default::default()
        });
        assert_eq!(options.unwrap().timeout, ms, "{given}");
    }
}

#[test]
fn local_address_must_be_an_ip_as_node_says() {
    if !test_pki::require(&["node"]) {
        return;
    }
    let candidates = [
        "127.0.0.1",
        "::1",
        "nope",
        "localhost",
        "127.0.0.1 ",
        " ::1",
        "fe80::1%lo",
        "fe80::1%eth0.5",
        "fe80::1%",
        "fe80::1%a b",
        "127.0.0.1%lo",
        "::ffff:127.0.0.1",
        "::127.0.0.1",
        "1.2.3",
        "1.2.3.4.5",
        "01.2.3.4",
        "256.1.1.1",
        "0.0.0.0",
        "::",
        "1::2::3",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7:8:9",
        "[::1]",
        "ABCD::ef",
        "::1/128",
        "1:2:3:4:5:6:1.2.3.4",
        "12345::1",
        "0x7f.0.0.1",
    ];
    let script = "const net = require('net'); for (const a of JSON.parse(process.argv[1])) console.log(net.isIP(a) !== 0)";
    let json = serde_json::to_string(&candidates).unwrap();
    let out = test_pki::node::run(script, &[std::ffi::OsStr::new(&json)]);
    for (address, node) in candidates.iter().zip(out.lines()) {
        assert_eq!(is_ip(address).to_string(), node, "{address:?}");
    }
    let err = tcp(NetOptions {
        local_address: Some("nope".into()),
        ..Default::default()
    })
    .unwrap_err();
    assert_eq!(err.code, "ERR_INVALID_IP_ADDRESS");
    assert_eq!(err.message, "Invalid IP address: nope");
    let node = node_throws(
        "tls.connect({ port: 1, host: '127.0.0.1', localAddress: v }).on('error', () => {}).destroy()",
        &["'nope'"],
    );
    assert_eq!(
        node[0]
            .as_ref()
            .map(|(code, message)| (code.as_str(), message.as_str())),
        Some((err.code.as_str(), err.message.as_str()))
    );
    let empty = tcp(NetOptions {
        local_address: Some(String::new()),
        ..Default::default()
    });
    assert_eq!(empty.unwrap().local_address, None);
}

#[test]
fn local_port_keeps_sixteen_bits_as_nodes_binding() {
    let port = |p: u32| {
        tcp(NetOptions {
            local_port: Some(p),
            ..Default::default()
        })
    };
    assert_eq!(port(0).unwrap().local_port, None);
    assert_eq!(port(65535).unwrap().local_port, Some(65535));
    assert_eq!(port(70000).unwrap().local_port, Some(4464));
    assert_eq!(port(65536).unwrap().local_port, None);
}

/// Node keeps `~~(keepAliveInitialDelay / 1000)` seconds; 0 leaves the system's delay.
#[test]
fn keep_alive_delay_is_whole_seconds() {
    for (enabled, delay, expected) in [
        (None, Some(5000.0), None),
        (Some(false), Some(5000.0), None),
        (Some(true), None, Some(0)),
        (Some(true), Some(1500.0), Some(1000)),
        (Some(true), Some(-1.0), Some(0)),
        (Some(true), Some(-5000.0), Some(0)),
        (Some(true), Some(f64::NAN), Some(0)),
        (Some(true), Some(60_000.0), Some(60_000)),
        (Some(true), Some(1e13), Some(u32::MAX)),
    ] {
        let options = tcp(NetOptions {
            keep_alive: enabled,
            keep_alive_initial_delay: delay,
            ..Default::default()
        });
        assert_eq!(
            options.unwrap().keep_alive,
            expected,
            "{enabled:?} {delay:?}"
        );
    }
    assert_eq!(to_int32(1e10), 1_410_065_408);
    assert_eq!(to_int32(-1.9), -1);
    assert_eq!(to_int32(f64::INFINITY), 0);
}

/// Nagle's algorithm stays off unless `noDelay: false` asks for it.
#[test]
fn no_delay_is_on_unless_refused() {
    assert!(tcp(NetOptions::default()).unwrap().no_delay);
    assert!(TargetOptions::default().tcp_options().unwrap().no_delay);
    let off = tcp(NetOptions {
        no_delay: Some(false),
        ..Default::default()
    });
    assert!(!off.unwrap().no_delay);
}

#[test]
fn verified_name_prefers_servername_then_host_then_localhost() {
    let mut options = ConnectOptions::default();
    assert_eq!(options.settings().unwrap().verify_name, "localhost");
    options.target.host = Some("example.test".into());
    assert_eq!(options.settings().unwrap().verify_name, "example.test");
    assert_eq!(options.settings().unwrap().sni, None);
    options.connection.servername = Some("sni.test".into());
    let settings = options.settings().unwrap();
    assert_eq!(settings.verify_name, "sni.test");
    assert_eq!(settings.sni.as_deref(), Some("sni.test"));
}

#[test]
fn empty_servername_sends_no_sni() {
    let options = ConnectOptions {
        connection: ConnectionOptions {
            servername: Some(String::new()),
            ..Default::default()
        },
        target: TargetOptions {
            host: Some("h.test".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let settings = options.settings().unwrap();
    assert_eq!(settings.sni, None);
    assert_eq!(settings.verify_name, "h.test");
}

#[test]
fn reject_unauthorized_is_true_unless_false() {
    let mut options = ConnectOptions::default();
    assert!(options.settings().unwrap().reject_unauthorized);
    options.connection.reject_unauthorized = Some(true);
    assert!(options.settings().unwrap().reject_unauthorized);
    options.connection.reject_unauthorized = Some(false);
    assert!(!options.settings().unwrap().reject_unauthorized);
}

#[test]
fn zeroize_secrets_wipes_keys_and_passphrases_only() {
    let certificate = Pem::Text("-----BEGIN CERTIFICATE-----".into());
    let mut options = Credentials {
        cert: Some(vec![certificate.clone()]),
        passphrase: Some("s3cret".into()),
        key: Some(vec![
            KeyEntry {
                pem: Pem::Text("-----BEGIN PRIVATE KEY-----".into()),
                passphrase: Some("own".into()),
            },
            KeyEntry {
                pem: Pem::Bytes(b"-----BEGIN EC PRIVATE KEY-----".to_vec()),
                passphrase: None,
            },
        ]),
        ..Default::default()
    };
    options.zeroize_secrets();
    assert_eq!(options.passphrase, None);
    let keys = options.key.as_deref().unwrap();
    assert_eq!(keys.len(), 2);
    assert!(keys
        .iter()
        .all(|k| k.pem.as_bytes().is_empty() && k.passphrase.is_none()));
    assert_eq!(options.cert, Some(vec![certificate]));
}

#[test]
fn target_needs_port_or_path_and_path_wins() {
    let mut options = TargetOptions::default();
    assert_eq!(options.target().unwrap_err().code, "ERR_MISSING_ARGS");
    options.port = Some(70000);
    let err = options.target().unwrap_err();
    assert_eq!(err.code, "ERR_SOCKET_BAD_PORT");
    assert_eq!(
        err.message,
        "Port should be >= 0 and < 65536. Received type number (70000)."
    );
    options.port = Some(8443);
    assert_eq!(
        options.target().unwrap(),
        Target::Tcp {
            host: "localhost".into(),
            port: 8443,
            options: TcpOptions::default(),
        }
    );
    options.path = Some("/tmp/s".into());
    assert_eq!(
        options.target().unwrap(),
        Target::Unix {
            path: "/tmp/s".into()
        }
    );
}

#[test]
fn alpn_forms_agree() {
    let wire = b"\x08http/1.1\x08http/1.0".to_vec();
    let from_wire = AlpnProtocols::Wire(wire).protocol_list().unwrap();
    let from_names = AlpnProtocols::Names(vec!["http/1.1".into(), "http/1.0".into()])
        .protocol_list()
        .unwrap();
    assert_eq!(from_wire, from_names);
    assert_eq!(from_wire, vec![b"http/1.1".to_vec(), b"http/1.0".to_vec()]);
}

#[test]
fn alpn_name_over_255_bytes_is_out_of_range() {
    let err = AlpnProtocols::Names(vec!["a".repeat(256)])
        .protocol_list()
        .unwrap_err();
    assert_eq!(err.code, "ERR_OUT_OF_RANGE");
    assert_eq!(
        err.message,
        "The byte length of the protocol at index 0 exceeds the maximum length. It must be <= 255. Received 256"
    );
}
