//! Domain names as Route 53 stores them: checked (labels of 1–63 letters, digits,
//! hyphens or underscores, 253 characters in all, a `*` only as the whole first label),
//! lowercased, without the trailing dot, so comparing two names is comparing strings.

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DomainName(String);

impl DomainName {
    pub fn parse(text: &str) -> Result<DomainName> {
        let bad = |why: &str| Error::usage(format!("invalid domain name {text:?}: {why}"));
        let name = text.trim().trim_end_matches('.').to_ascii_lowercase();
        if name.is_empty() {
            return Err(bad("empty"));
        }
        if name.len() > 253 {
            return Err(bad("longer than 253 characters"));
        }
        let labels: Vec<&str> = name.split('.').collect();
        if labels.len() < 2 {
            return Err(bad("needs at least two labels, like example.com"));
        }
        for (i, label) in labels.iter().enumerate() {
            if label.is_empty() {
                return Err(bad("an empty label (two dots in a row)"));
            }
            if label.len() > 63 {
                return Err(bad("a label longer than 63 characters"));
            }
            if *label == "*" {
                if i != 0 {
                    return Err(bad("`*` is allowed only as the first label"));
                }
                continue;
            }
            if let Some(c) = label.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
                return Err(bad(&format!("{c:?} is not allowed (letters, digits, - and _ are)")));
            }
            if label.starts_with('-') || label.ends_with('-') {
                return Err(bad("a label starts or ends with a hyphen"));
            }
        }
        if labels.last().is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit())) {
            return Err(bad("the last label is all digits (an IP address is not a domain name)"));
        }
        Ok(DomainName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this name is `zone` itself or below it (label-wise, not string-wise).
    pub fn is_within(&self, zone: &str) -> bool {
        let zone = zone.trim_end_matches('.').to_ascii_lowercase();
        self.0 == zone || self.0.ends_with(&format!(".{zone}"))
    }

    /// As Route 53 writes names in record sets: with the trailing dot.
    pub fn fqdn(&self) -> String {
        format!("{}.", self.0)
    }
}

impl std::fmt::Display for DomainName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Route 53 escapes `*` and some other characters in names it returns (`\052`).
pub fn unescape(name: &str) -> String {
    let mut out = String::new();
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            let digits: String = chars.clone().take(3).collect();
            if digits.len() == 3
                && let Ok(code) = u8::from_str_radix(&digits, 8)
            {
                out.push(char::from(code));
                for _ in 0..3 {
                    chars.next();
                }
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_are_normalised() {
        assert_eq!(DomainName::parse("WWW.Example.COM.").unwrap().as_str(), "www.example.com");
        assert_eq!(DomainName::parse("*.example.com").unwrap().fqdn(), "*.example.com.");
        assert_eq!(DomainName::parse("_acme.example.com").unwrap().as_str(), "_acme.example.com");
    }

    #[test]
    fn bad_names_are_usage_errors() {
        for (bad, why) in [
            ("", "empty"),
            ("localhost", "two labels"),
            ("a..b.com", "empty label"),
            ("-a.com", "hyphen"),
            ("a.*.com", "first label"),
            ("exa mple.com", "not allowed"),
            ("10.0.0.1", "IP address"),
        ] {
            let err = DomainName::parse(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2);
            assert!(err.to_string().contains(why), "{bad}: {err}");
        }
        assert!(DomainName::parse(&format!("{}.com", "a".repeat(64))).is_err());
        assert!(DomainName::parse(&format!("{}com", "abcdefghi.".repeat(26))).is_err());
    }

    #[test]
    fn within_is_by_label() {
        let n = DomainName::parse("www.example.com").unwrap();
        assert!(n.is_within("example.com") && n.is_within("example.com.") && n.is_within("www.example.com"));
        assert!(!n.is_within("ample.com") && !n.is_within("other.com"));
    }

    #[test]
    fn route53_escapes_are_undone() {
        assert_eq!(unescape("\\052.example.com."), "*.example.com.");
        assert_eq!(unescape("plain.example.com."), "plain.example.com.");
    }

    proptest! {
        #[test]
        fn parsing_is_idempotent(labels in prop::collection::vec("[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", 2..5)) {
            let text = labels.join(".");
            if let Ok(name) = DomainName::parse(&text) {
                prop_assert_eq!(DomainName::parse(name.as_str()).unwrap(), name.clone());
                prop_assert_eq!(DomainName::parse(&name.fqdn().to_uppercase()).unwrap(), name);
            }
        }
    }
}
