//! The formats spelled out, and hostile input: errors are fine, panics are not.

use super::*;
use crate::x509::format::serial_hex;
use crate::x509::key::bn_print;

#[test]
fn formats_are_openssls() {
    let draft = Draft {
        serial: vec![0x00, 0x0a, 0xbc],
        not_before: tlv(0x17, b"261103090501Z"),
        not_after: tlv(0x18, b"20500101000000Z"),
        extensions: vec![ext(
            "2.5.29.17",
            &seq(&[
                &tlv(0x82, b"a,b.test"),
                &tlv(0x82, b"ok.test"),
                &tlv(0x87, &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
            ]),
        )],
        ..Draft::default()
    };
    let info = describe(&draft.der()).unwrap();
    assert_eq!(info.valid_from, "Nov  3 09:05:01 2026 GMT");
    assert_eq!(info.valid_to, "Jan  1 00:00:00 2050 GMT");
    assert_eq!(info.serial_number, "0ABC");
    assert_eq!(
        info.subjectaltname.as_deref(),
        Some(r#"DNS:"a\u002cb.test", DNS:ok.test, IP Address:0:0:0:0:0:0:0:1"#)
    );
    assert_eq!(info.asn1_curve.as_deref(), Some("prime256v1"));
    assert_eq!(info.fingerprint.len(), 20 * 3 - 1);
    assert_eq!(serial_hex(&[0x80]), "-80");
    assert_eq!(serial_hex(&[0]), "0");
    assert_eq!(bn_print(&[0x01, 0xab]), "1AB");
    assert_eq!(bn_print(&[0, 1, 0, 1]), "10001");
}

// -- Hostile input -------------------------------------------------------

#[test]
fn garbage_is_an_error_not_a_panic() {
    for junk in [&b"not a certificate"[..], &[], &[0x30, 0x82, 0xff, 0xff]] {
        let err = describe(junk).unwrap_err();
        assert_eq!(err.code, "ERR_OSSL_ASN1_NESTED_ASN1_ERROR");
    }
}

/// Every truncation and many single-byte corruptions of a certificate with
/// every kind of field: errors are fine, panics are not.
#[test]
fn corrupted_certificates_never_panic() {
    let der = Draft::with_extensions(vec![
        ext(
            "2.5.29.17",
            &seq(&[
                &tlv(0x82, b"a,b"),
                &tlv(0x87, &[1, 2, 3, 4]),
                &tlv(0xa4, &cn("d")),
            ]),
        ),
        ext(
            "1.3.6.1.5.5.7.1.1",
            &seq(&[&seq(&[&oid("1.3.6.1.5.5.7.48.1"), &tlv(0x86, b"u")])]),
        ),
        ext(BASIC_CA, &seq(&[&[0x01, 0x01, 0xff]])),
        ext("2.5.29.37", &seq(&[&oid("1.3.6.1.5.5.7.3.1")])),
    ])
    .der();
    for len in 0..der.len() {
        let _ = describe(&der[..len]);
    }
    for i in 0..der.len() {
        for value in [0x00, 0xff, 0x80, der[i] ^ 0x01, der[i].wrapping_add(1)] {
            let mut bad = der.clone();
            bad[i] = value;
            let _ = describe(&bad);
        }
    }
}
