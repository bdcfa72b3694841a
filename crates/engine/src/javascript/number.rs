//! Numbers as JavaScript prints and converts them.

/// JavaScript's `Number.MAX_SAFE_INTEGER`.
pub(crate) const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// Whether a number is an integer (`Number.isInteger`).
pub(crate) fn is_integer(value: f64) -> bool {
    value.is_finite() && value.trunc() == value
}

/// JavaScript's ToInt32 (what `~~x` computes): NaN and infinities are 0, others
/// are truncated and wrapped modulo 2^32.
pub(crate) fn to_int32(value: f64) -> i32 {
    if !value.is_finite() {
        return 0;
    }
    let wrapped = value.trunc().rem_euclid(4_294_967_296.0);
    (wrapped as u32) as i32
}

/// How `ERR_OUT_OF_RANGE` shows a number: integers beyond 2^32 with `_`
/// between groups of three digits, others as `util.inspect` does.
pub(crate) fn received_number(value: f64) -> String {
    if is_integer(value) && value.abs() > 4_294_967_296.0 {
        group_digits(&js_number(value))
    } else {
        inspect_number(value)
    }
}

/// `util.inspect` of a number: JavaScript's text, but `-0` for negative zero.
pub(crate) fn inspect_number(value: f64) -> String {
    if value == 0.0 && value.is_sign_negative() {
        "-0".to_owned()
    } else {
        js_number(value)
    }
}

/// Node's numeric separator: `_` before every third character from the end,
/// whatever they are (so `1e+300` becomes `1e+_300`), after a leading minus.
fn group_digits(text: &str) -> String {
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let mut end = body.len();
    let mut groups = Vec::new();
    while end >= 4 {
        groups.push(&body[end - 3..end]);
        end -= 3;
    }
    let mut out = format!("{sign}{}", &body[..end]);
    for group in groups.iter().rev() {
        out.push('_');
        out.push_str(group);
    }
    out
}

/// JavaScript's `String(number)`: the shortest digits that read back as the
/// same number, in plain notation from 1e-6 up to 1e21 and in exponent notation
/// (`1e+21`, `1.5e-7`) outside.
pub(crate) fn js_number(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value == 0.0 {
        return "0".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    let sign = if value < 0.0 { "-" } else { "" };
    // Rust's `{:e}` also prints the shortest round-tripping digits: `1.5e-7`.
    let scientific = format!("{:e}", value.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let exponent: i32 = exponent.parse().unwrap_or(0);
    format!("{sign}{}", place_point(&digits, exponent))
}

/// ECMAScript's Number::toString layout of `digits` (d.ddd) times 10^`exponent`.
fn place_point(digits: &str, exponent: i32) -> String {
    let count = digits.len() as i32;
    // `point`: where the decimal point falls, counted from the first digit.
    let point = exponent + 1;
    if count <= point && point <= 21 {
        format!("{digits}{}", "0".repeat((point - count) as usize))
    } else if 0 < point && point <= 21 {
        let (whole, fraction) = digits.split_at(point as usize);
        format!("{whole}.{fraction}")
    } else if -6 < point && point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        let (first, rest) = digits.split_at(1);
        let rest = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        format!("{first}{rest}e{sign}{}", exponent.abs())
    }
}
