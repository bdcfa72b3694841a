//! PEM splitting and base64 as OpenSSL reads them.

use super::*;

#[test]
fn base64_takes_padding_only_at_the_end() {
    let decode = |text: &str| base64_decode(text.bytes()).map(|v| v.to_vec());
    assert_eq!(decode("aGk=").unwrap(), b"hi");
    assert_eq!(decode("aGV5\n").unwrap(), b"hey");
    assert_eq!(decode("aA==").unwrap(), b"h");
    assert_eq!(decode("").unwrap(), b"");
    for bad in ["aGk", "a===", "aG=k", "aGk=aGk=", "aGk!"] {
        assert_eq!(decode(bad), None, "{bad}");
    }
    // OpenSSL ignores the bits a padded group leaves over.
    assert_eq!(decode("aB==").unwrap(), b"h");
    assert_eq!(decode("aGl=").unwrap(), b"hi");
}

#[test]
fn header_is_what_precedes_the_blank_line() {
    let text = b"junk\n-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n\
        -----BEGIN RSA PRIVATE KEY-----\r\nProc-Type: 4,ENCRYPTED  \r\nDEK-Info: X\r\n\r\naGk=\r\n-----END RSA PRIVATE KEY-----\r\n";
    let block = first_key_block(text).unwrap();
    assert_eq!(block.label, "RSA PRIVATE KEY");
    assert_eq!(block.header, "Proc-Type: 4,ENCRYPTED\nDEK-Info: X\n");
    assert_eq!(&block.decode_body().unwrap()[..], b"hi");
    let plain =
        first_key_block(b"-----BEGIN PRIVATE KEY-----\naGk=\n-----END PRIVATE KEY-----").unwrap();
    assert!(plain.header.is_empty());
    assert!(first_key_block(b"-----BEGIN PRIVATE KEY-----\naGk=\n").is_none());
}
