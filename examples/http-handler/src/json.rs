//! Just enough JSON to write the handler's answers: objects of strings,
//! booleans and nulls, built in order.

use std::fmt::Write;

/// A JSON object under construction; [`Object::finish`] gives its text.
#[derive(Debug, Default)]
pub struct Object {
    text: String,
}

impl Object {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `"key": "value"`.
    pub fn string(self, key: &str, value: &str) -> Self {
        self.raw(key, &quote(value))
    }

    /// Adds `"key": "value"`, or `"key": null` for `None`.
    pub fn optional(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(value) => self.string(key, value),
            None => self.raw(key, "null"),
        }
    }

    /// Adds `"key": true` or `false`.
    pub fn boolean(self, key: &str, value: bool) -> Self {
        self.raw(key, if value { "true" } else { "false" })
    }

    fn raw(mut self, key: &str, value: &str) -> Self {
        self.text
            .push_str(if self.text.is_empty() { "{" } else { "," });
        self.text.push_str(&quote(key));
        self.text.push(':');
        self.text.push_str(value);
        self
    }

    /// The object's text.
    pub fn finish(self) -> String {
        if self.text.is_empty() {
            "{}".to_owned()
        } else {
            self.text + "}"
        }
    }
}

/// `text` as a JSON string: quoted, with `"`, `\` and control characters escaped.
pub fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                // Writing to a String cannot fail.
                let _ = write!(quoted, "\\u{:04x}", u32::from(c));
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects() {
        assert_eq!(Object::new().finish(), "{}");
        let text = Object::new()
            .boolean("authorized", true)
            .optional("authorizationError", None)
            .string("echo", "hi")
            .finish();
        assert_eq!(
            text,
            r#"{"authorized":true,"authorizationError":null,"echo":"hi"}"#
        );
    }

    #[test]
    fn escapes() {
        assert_eq!(quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(quote("l1\nl2\r\t"), r#""l1\nl2\r\t""#);
        assert_eq!(quote("\u{1}é"), "\"\\u0001é\"");
    }
}
