//! Certificates written by hand against Node: every kind of general name,
//! name values of every string type, serials, dates, `ca` and key usages.

use super::*;
use crate::x509::names::SHORT_NAMES;

/// Every kind of general name, and the characters that make Node quote one.
#[test]
fn node_agrees_on_alt_names_and_info_access() {
    if !test_pki::require(&["node"]) {
        return;
    }
    let dir_name = tlv(
        0xa4,
        &seq(&[
            &rdn("2.5.4.3", &utf8("x,y+z")),
            &tlv(
                0x31,
                &[
                    attribute("2.5.4.10", &tlv(0x13, b" #lead ")),
                    attribute("2.5.4.11", &utf8("\u{e9}\u{1};<>\"\\=")),
                ]
                .concat(),
            ),
            &rdn("1.2.3.4", &utf8("unknown")),
            &rdn("2.5.4.3", &tlv(0x1e, &[0x03, 0xa9])),
            &rdn("2.5.4.7", &tlv(0x14, b"caf\xe9")),
            &rdn("2.5.4.8", &tlv(0x03, &[0, 0xab])),
            &rdn("2.5.4.3", &tlv(0x13, b"#")),
            &rdn("2.5.4.3", &tlv(0x13, b" ")),
        ]),
    );
    let other = |id: &str, value: Vec<u8>| tlv(0xa0, &[oid(id), tlv(0xa0, &value)].concat());
    let names = [
        tlv(0x82, b"localhost"),
        tlv(0x82, b"*.example.test"),
        tlv(0x82, b""),
        tlv(0x82, b"a,b.test"),
        tlv(0x82, b"q\"x"),
        tlv(0x82, b"it's"),
        tlv(0x82, b"back\\slash"),
        tlv(0x82, b"caf\xc3\xa9"),
        tlv(0x82, b"caf\xe9"),
        tlv(0x82, b"ctl\x01\x7f\t"),
        tlv(0x81, b"a,b@x.test"),
        tlv(0x86, b"http://x.test/?a=1,2"),
        tlv(0x87, &[127, 0, 0, 1]),
        tlv(0x87, &[1, 2, 3, 4, 5]),
        tlv(0x87, &(0..16).collect::<Vec<u8>>()),
        tlv(0x87, &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]),
        tlv(0x88, &[0x2a, 0x03, 0x04]),
        dir_name.clone(),
        other("1.3.6.1.4.1.311.20.2.3", utf8("u,pn@\u{e9}")),
        other("1.3.6.1.4.1.311.20.2.3", utf8("upn@example.test")),
        other("1.3.6.1.5.5.7.8.7", tlv(0x16, b"_xmpp.example.test")),
        other("1.3.6.1.5.5.7.8.9", utf8("\u{e9}@example.test")),
        other("1.3.6.1.5.5.7.8.8", utf8("realm\"")),
        other("1.3.6.1.5.5.7.8.5", tlv(0x16, b"wrong-type")),
        other("1.2.3.4", utf8("unknown")),
        tlv(0xa3, &seq(&[])),
        tlv(0xa5, &tlv(0xa1, &utf8("party"))),
    ];
    let san = ext("2.5.29.17", &tlv(0x30, &names.concat()));
    let access = |method: &str, location: &[u8]| seq(&[&oid(method), location]);
    let aia = ext(
        "1.3.6.1.5.5.7.1.1",
        &seq(&[
            &access("1.3.6.1.5.5.7.48.1", &tlv(0x86, b"http://ocsp.test")),
            &access("1.3.6.1.5.5.7.48.2", &tlv(0x86, b"http://ca.test/a,b")),
            &access("1.3.6.1.5.5.7.48.2", &tlv(0x86, b"http://ca2.test")),
            &access("1.3.6.1.5.5.7.48.5", &dir_name),
            &access("1.3.6.1.5.5.7.48.3", &tlv(0x87, &[10, 0, 0, 1])),
            &access("1.2.3.4", &other("1.3.6.1.4.1.311.20.2.3", utf8("u,pn"))),
            &access(
                "1.3.6.1.5.5.7.48.1",
                &other("1.3.6.1.5.5.7.8.7", tlv(0x16, b"_s")),
            ),
            &access("1.3.6.1.5.5.7.48.1", &tlv(0x82, b"caf\xe9")),
            &access("1.3.6.1.5.5.7.48.1", &tlv(0x88, &[0x2a, 0x03])),
        ]),
    );
    let bad_dir = tlv(0xa4, &seq(&[&rdn("2.5.4.3", &tlv(0x1e, b"odd"))]));
    let ders = [
        Draft::with_extensions(vec![san, aia]).der(),
        // Empty lists.
        Draft::with_extensions(vec![
            ext("2.5.29.17", &seq(&[])),
            ext("1.3.6.1.5.5.7.1.1", &seq(&[])),
        ])
        .der(),
        // Extensions OpenSSL cannot decode: Node shows null.
        Draft::with_extensions(vec![ext("2.5.29.17", &[0x30, 0x03, 0x82, 0x05, 0x61])]).der(),
        Draft::with_extensions(vec![ext("2.5.29.17", &seq(&[&bad_dir]))]).der(),
        Draft::with_extensions(vec![ext("1.3.6.1.5.5.7.1.1", &[0x30, 0x01])]).der(),
        // Only the first subjectAltName counts.
        Draft::with_extensions(vec![
            ext("2.5.29.17", &seq(&[&tlv(0x82, b"first.test")])),
            ext("2.5.29.17", &seq(&[&tlv(0x82, b"second.test")])),
        ])
        .der(),
    ];
    assert_node_agrees(&ders);
}

/// Name values of every string type, the ones Node cannot show, and the
/// ones OpenSSL refuses; and every attribute type we name.
#[test]
fn node_agrees_on_names() {
    if !test_pki::require(&["node"]) {
        return;
    }
    let one = |tag: u8, value: &[u8]| {
        name(&[
            &[("2.5.4.3", tlv(tag, value))],
            &[("2.5.4.10", utf8("org"))],
        ])
    };
    let mut subjects = vec![
        one(0x1e, &[0x03, 0xa9, 0x00, 0xe9]),
        one(0x1c, &[0, 1, 0xf6, 0x00, 0, 0, 0, 0x61]),
        one(0x14, b"caf\xe9"),
        one(0x13, b"a\xffb"),
        one(0x12, b"123"),
        one(0x16, b"ia5"),
        one(0x0c, b"a\x00b\n"),
        one(0x0c, b""),
        name(&[
            &[("2.5.4.3", utf8("one")), ("2.5.4.10", utf8("org"))],
            &[("2.5.4.3", utf8("two"))],
            &[("2.5.4.3", utf8("three"))],
        ]),
        tlv(0x30, &[]),
        // Not text: Node shows no subject at all.
        one(0x03, &[0, 0x61]),
        one(0x30, &utf8("inner")),
        // OpenSSL refuses these certificates.
        one(0x1e, &[0xd8, 0x3d, 0xde, 0x00]),
        one(0x1e, &[0x00, 0x61, 0x00]),
        one(0x1c, &[0, 0, 0xd8, 0]),
        one(0x0c, b"a\xffb"),
        one(0x1a, b"visible"),
        one(0x02, &[1]),
        one(0x04, b"octets"),
    ];
    // Context-specific values are refused too.
    subjects.push(name(&[&[("2.5.4.3", tlv(0x80, b"x"))]]));
    let mut every: Vec<(String, Vec<u8>)> = SHORT_NAMES
        .iter()
        .flat_map(|(arc, names)| {
            names
                .iter()
                .map(move |(n, _)| (format!("{arc}.{n}"), utf8("v")))
        })
        .collect();
    every.push(("1.2.3.4".into(), utf8("unknown")));
    every.push(("2.5.4.2".into(), utf8("not known to OpenSSL")));
    every.push(("1.3.6.1.4.1.99999.4294967295".into(), utf8("large arc")));
    let pairs: Vec<(&str, Vec<u8>)> = every.iter().map(|(o, v)| (o.as_str(), v.clone())).collect();
    let rdns: Vec<&[(&str, Vec<u8>)]> = pairs.chunks(1).collect();
    subjects.push(name(&rdns));
    let mut ders: Vec<Vec<u8>> = subjects
        .into_iter()
        .map(|s| Draft::with_subject(s).der())
        .collect();
    ders.push(
        Draft {
            issuer: name(&rdns),
            ..Draft::default()
        }
        .der(),
    );
    assert_node_agrees(&ders);
}

#[test]
fn node_agrees_on_serials_dates_ca_and_key_usage() {
    if !test_pki::require(&["node"]) {
        return;
    }
    let serial = |serial: &[u8]| Draft {
        serial: serial.to_vec(),
        ..Draft::default()
    };
    let dates = |not_before: Vec<u8>, not_after: Vec<u8>| Draft {
        not_before,
        not_after,
        ..Draft::default()
    };
    let ca_true = || ext(BASIC_CA, &seq(&[&[0x01, 0x01, 0xff]]));
    let eku = |oids: &[&str]| {
        let list: Vec<u8> = oids.iter().flat_map(|o| oid(o)).collect();
        ext("2.5.29.37", &tlv(0x30, &list))
    };
    let drafts = [
        serial(&[0]),
        serial(&[0, 0xff]),
        serial(&[0x80]),
        serial(&[0xff, 0x7f]),
        serial(&[0x01, 0x02]),
        serial(&[0x7f; 20]),
        dates(tlv(0x17, b"261103090501Z"), tlv(0x18, b"20500101000000Z")),
        dates(tlv(0x17, b"500101000000Z"), tlv(0x18, b"19991231235959Z")),
        dates(tlv(0x17, b"491231235959Z"), tlv(0x18, b"99991231235959Z")),
        dates(
            tlv(0x18, b"20300101000000.5Z"),
            tlv(0x18, b"20300101000000.123Z"),
        ),
        dates(tlv(0x17, b"3001010000Z"), tlv(0x17, b"300101000000+0100")),
        Draft {
            v3: false,
            ..Draft::default()
        },
        Draft::with_extensions(vec![ca_true()]),
        Draft::with_extensions(vec![ext(
            BASIC_CA,
            &seq(&[&[0x01, 0x01, 0xff], &[0x02, 0x01, 0x00]]),
        )]),
        Draft::with_extensions(vec![ext(BASIC_CA, &seq(&[]))]),
        Draft::with_extensions(vec![ca_true(), ext(KEY_USAGE, &[0x03, 0x02, 0x07, 0x80])]),
        Draft::with_extensions(vec![ca_true(), ext(KEY_USAGE, &[0x03, 0x02, 0x01, 0x06])]),
        Draft::with_extensions(vec![ca_true(), ext(KEY_USAGE, &[0x03, 0x01, 0x00])]),
        Draft::with_extensions(vec![ext(KEY_USAGE, &[0x03, 0x02, 0x01, 0x06])]),
        Draft::with_extensions(vec![ca_true(), ext("2.5.29.17", &[0x30, 0x01])]),
        Draft::with_extensions(vec![ca_true(), ext("1.3.6.1.5.5.7.1.1", &[0x30, 0x01])]),
        Draft::with_extensions(vec![
            ca_true(),
            ext("2.5.29.17", &seq(&[&tlv(0x82, b"a.test")])),
            ext("2.5.29.17", &seq(&[&tlv(0x82, b"b.test")])),
        ]),
        Draft::with_extensions(vec![eku(&[
            "1.3.6.1.5.5.7.3.2",
            "1.3.6.1.5.5.7.3.1",
            "1.2.3.4",
            "2.999.1",
        ])]),
        Draft::with_extensions(vec![eku(&[])]),
        Draft::with_extensions(vec![
            eku(&["1.3.6.1.5.5.7.3.1"]),
            eku(&["1.3.6.1.5.5.7.3.2"]),
        ]),
        Draft::with_extensions(vec![ext("2.5.29.37", &[0x30, 0x03, 0x02, 0x01, 0x01])]),
    ];
    let ders: Vec<Vec<u8>> = drafts.iter().map(Draft::der).collect();
    assert_node_agrees(&ders);
}
