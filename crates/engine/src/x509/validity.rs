//! `valid_from` and `valid_to` as OpenSSL's `ASN1_TIME_print` writes them:
//! `Nov  3 09:05:01 2026 GMT`, the day padded with a space, a time given with
//! an offset shown in GMT, and a GeneralizedTime's fraction of a second kept.

use x509_parser::asn1_rs::{Any, Class, FromDer};
use x509_parser::prelude::X509Certificate;
use x509_parser::time::ASN1Time;

/// `valid_from` and `valid_to`. The raw time strings are read too, for the
/// fraction of a second OpenSSL prints from a GeneralizedTime.
pub(super) fn validity_texts(cert: &X509Certificate<'_>) -> (String, String) {
    let raw = raw_validity(cert.tbs_certificate.as_ref());
    let validity = cert.validity();
    (
        openssl_time(&validity.not_before, raw.map(|r| r.0)),
        openssl_time(&validity.not_after, raw.map(|r| r.1)),
    )
}

/// Whether OpenSSL 3.5 refuses to load the certificate for its validity's
/// encoding: a UTCTime in `Z` without seconds (`YYMMDDHHMMZ`), or a
/// GeneralizedTime with neither `Z` nor an offset. OpenSSL 3.0 loaded both.
pub(super) fn openssl_refuses_times(cert: &X509Certificate<'_>) -> bool {
    let Some(times) = validity_times(cert.tbs_certificate.as_ref()) else {
        return false;
    };
    times.iter().any(|time| match time.header.tag().0 {
        23 => time.data.len() == 11 && time.data.ends_with(b"Z"),
        24 => !time.data.iter().any(|b| matches!(b, b'Z' | b'+' | b'-')),
        _ => false,
    })
}

/// The contents of notBefore and notAfter, found by walking the TBS.
fn raw_validity(tbs: &[u8]) -> Option<(&[u8], &[u8])> {
    let [not_before, not_after] = validity_times(tbs)?;
    Some((not_before.data, not_after.data))
}

/// notBefore and notAfter, tags and contents, found by walking the TBS.
fn validity_times(tbs: &[u8]) -> Option<[Any<'_>; 2]> {
    let (_, tbs) = Any::from_der(tbs).ok()?;
    let mut rest = tbs.data;
    let mut fields = Vec::with_capacity(5);
    // version [0] (optional), serial, signature, issuer, validity.
    while fields.len() < 5 && !rest.is_empty() {
        let (next, field) = Any::from_der(rest).ok()?;
        fields.push(field);
        rest = next;
    }
    let skip = usize::from(fields.first()?.header.class() == Class::ContextSpecific);
    let validity = fields.get(skip + 3)?;
    let (rest, not_before) = Any::from_der(validity.data).ok()?;
    let (_, not_after) = Any::from_der(rest).ok()?;
    Some([not_before, not_after])
}

/// One time in `ASN1_TIME_print`'s form, its fraction read from `raw`.
fn openssl_time(time: &ASN1Time, raw: Option<&[u8]>) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    // The same instant in UTC. x509-parser reads UTCTime (1950 to 2049, any
    // offset) and DER's GeneralizedTime (ending in Z), so the year stays
    // within the time crate's range; were it not, OpenSSL's own words are shown.
    let Ok(utc) = ASN1Time::from_timestamp(time.timestamp()).map(|t| t.to_datetime()) else {
        return "Bad time value".to_owned();
    };
    let raw = raw.unwrap_or_default();
    // A GeneralizedTime has its fraction, if any, at offset 14: `YYYYMMDDHHMMSS.fff`.
    let fraction = match raw.get(14..) {
        Some([b'.', tail @ ..]) => {
            let digits = tail
                .split(|b| !b.is_ascii_digit())
                .next()
                .unwrap_or_default();
            format!(".{}", String::from_utf8_lossy(digits))
        }
        _ => String::new(),
    };
    let month = MONTHS
        .get(usize::from(u8::from(utc.month())).saturating_sub(1))
        .unwrap_or(&"???");
    format!(
        "{month} {:>2} {:02}:{:02}:{:02}{fraction} {} GMT",
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second(),
        utc.year(),
    )
}
