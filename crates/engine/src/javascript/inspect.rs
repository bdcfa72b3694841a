//! `util.inspect` of an array of empty strings, as Node's error messages show
//! one (`ciphers: ':'` splits into `['', '']`), cut to 128 characters as
//! Node's `ERR_INVALID_ARG_VALUE` cuts what it received.

/// Node's longest `Received ...` text before it is cut and followed by `...`.
const MAX_SHOWN: usize = 128;

/// How `util.inspect` prints `count` empty strings: one line up to six, then
/// rows of about `sqrt(2.5 * count)` items (at most 12), as its
/// `groupArrayElements` lays out items two characters wide.
pub(crate) fn inspect_empty_strings(count: usize) -> String {
    let shown = count.min(100);
    let item = "''";
    let text = if count <= 6 {
        format!("[ {} ]", vec![item; count].join(", "))
    } else {
        let columns = ((2.5 * shown as f64).sqrt().round() as usize).clamp(1, 12);
        let mut rows: Vec<String> = vec![item; shown]
            .chunks(columns)
            .map(|row| row.join(", "))
            .collect();
        if count > shown {
            rows.push(format!("... {} more items", count - shown));
        }
        format!("[\n  {}\n]", rows.join(",\n  "))
    };
    if text.len() > MAX_SHOWN {
        return format!("{}...", &text[..MAX_SHOWN]);
    }
    text
}
