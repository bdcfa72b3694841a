//! The key derivation and the header's errors, spelled out.

use super::*;

#[test]
fn bytes_to_key_chains_md5_blocks() {
    // D1 = MD5("x" ‖ salt); D2 = MD5(D1 ‖ "x" ‖ salt).
    let salt = [1u8, 2, 3, 4, 5, 6, 7, 8];
    let d1 = Md5::new().chain_update(b"x").chain_update(salt).finalize();
    let d2 = Md5::new()
        .chain_update(d1)
        .chain_update(b"x")
        .chain_update(salt)
        .finalize();
    let key = bytes_to_key(b"x", &salt, 24);
    assert_eq!(&key[..16], &d1[..]);
    assert_eq!(&key[16..], &d2[..8]);
}

#[test]
fn header_errors_are_openssls() {
    let iv = "00112233445566778899AABBCCDDEEFF";
    let ok = format!("Proc-Type: 4,ENCRYPTED\nDEK-Info: aes256,{iv}\n");
    assert_eq!(cipher_info(&ok).unwrap().0, Cbc::Aes256);
    for (header, code) in [
        (
            format!("DEK-Info: AES-256-CBC,{iv}\n"),
            "ERR_OSSL_PEM_NOT_PROC_TYPE",
        ),
        (
            "Proc-Type: 4,FOO\n".to_owned(),
            "ERR_OSSL_PEM_NOT_ENCRYPTED",
        ),
        (
            "Proc-Type: 3,ENCRYPTED\n".to_owned(),
            "ERR_OSSL_UNSUPPORTED",
        ),
        (
            "Proc-Type: 4,ENCRYPTED x\n".to_owned(),
            "ERR_OSSL_PEM_SHORT_HEADER",
        ),
        (
            "Proc-Type: 4,ENCRYPTED\n".to_owned(),
            "ERR_OSSL_PEM_NOT_DEK_INFO",
        ),
        (
            format!("Proc-Type: 4,ENCRYPTED\nDEK-Info: CAMELLIA-128-CBC,{iv}\n"),
            "ERR_OSSL_PEM_UNSUPPORTED_ENCRYPTION",
        ),
        (
            "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC\n".to_owned(),
            "ERR_OSSL_PEM_UNSUPPORTED_ENCRYPTION",
        ),
        (
            "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC \n".to_owned(),
            "ERR_OSSL_PEM_MISSING_DEK_IV",
        ),
        (
            "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,0011\n".to_owned(),
            "ERR_OSSL_PEM_BAD_IV_CHARS",
        ),
    ] {
        assert_eq!(cipher_info(&header).unwrap_err().code, code, "{header}");
    }
}
