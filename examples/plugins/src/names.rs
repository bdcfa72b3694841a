//! Distinguished names as one line.

/// `CN=localhost, O=Example`: the attributes in certificate order, as tls-connect
/// reports them (Node's `getPeerCertificate().subject`, ungrouped).
pub fn one_line(attributes: &[(String, String)]) -> String {
    attributes
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_in_order() {
        let name = [
            ("CN".to_owned(), "localhost".to_owned()),
            ("O".to_owned(), "Example".to_owned()),
        ];
        assert_eq!(one_line(&name), "CN=localhost, O=Example");
        assert_eq!(one_line(&[]), "");
    }
}
