//! Image names from a template such as `{name}-{date}`: expanded per instance and per
//! run, then checked against EC2's rules for AMI names (3–128 characters from a small
//! set), so a bad template is refused before any image is made.

use awsops_core::{Error, Result};

pub const DEFAULT_TEMPLATE: &str = "{name}-{timestamp}";

/// What a template can refer to.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    /// The instance's Name tag, or its id when it has none.
    pub name: &'a str,
    pub instance_id: &'a str,
    /// The run's time as RFC 3339 UTC (`2026-11-23T09:12:05Z`).
    pub now_rfc3339: &'a str,
}

const PLACEHOLDERS: &[&str] = &["name", "instance", "date", "time", "timestamp"];

/// Checks a template's placeholders and braces.
pub fn check(template: &str) -> Result<()> {
    let facts = Facts { name: "web", instance_id: "i-0123456789abcdef0", now_rfc3339: "2026-01-01T00:00:00Z" };
    expand(template, &facts).map(|_| ())
}

pub fn expand(template: &str, facts: &Facts<'_>) -> Result<String> {
    let bad = |why: String| Error::usage(format!("--name {template:?}: {why}"));
    let date = facts.now_rfc3339.get(..10).unwrap_or_default();
    let time: String = facts.now_rfc3339.get(11..19).unwrap_or_default().chars().filter(char::is_ascii_digit).collect();
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(bad("a `}` without its `{`".into()));
        }
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| bad("a `{` without its `}`".into()))?;
        let key = &after[..close];
        match key {
            "name" => out.push_str(&sanitize(facts.name)),
            "instance" => out.push_str(facts.instance_id),
            "date" => out.push_str(date),
            "time" => out.push_str(&time),
            "timestamp" => out.push_str(&format!("{}T{time}Z", date.replace('-', ""))),
            other => {
                return Err(bad(format!(
                    "unknown placeholder {{{other}}}; known: {}",
                    PLACEHOLDERS.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join(", ")
                )));
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    if out.chars().count() < 3 || out.chars().count() > 128 {
        return Err(bad(format!("the name {out:?} must be 3 to 128 characters")));
    }
    if let Some(c) = out.chars().find(|c| !allowed(*c)) {
        return Err(bad(format!("{c:?} is not allowed in an AMI name (letters, digits, spaces and ()[]./-'@_ are)")));
    }
    Ok(out)
}

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || " ()[]./-'@_".contains(c)
}

/// Characters of a Name tag that AMI names do not allow become `-`.
fn sanitize(name: &str) -> String {
    name.chars().map(|c| if allowed(c) { c } else { '-' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn facts<'a>(name: &'a str) -> Facts<'a> {
        Facts { name, instance_id: "i-0abc", now_rfc3339: "2026-11-23T09:12:05Z" }
    }

    #[test]
    fn placeholders_expand() {
        assert_eq!(expand(DEFAULT_TEMPLATE, &facts("web")).unwrap(), "web-20261123T091205Z");
        assert_eq!(expand("{name}-{date}", &facts("web server")).unwrap(), "web server-2026-11-23");
        assert_eq!(expand("nightly/{instance}/{date}-{time}", &facts("x")).unwrap(), "nightly/i-0abc/2026-11-23-091205");
        assert_eq!(expand("{name}", &facts("café:1")).unwrap(), "caf--1", "disallowed characters of a Name tag are replaced");
    }

    #[test]
    fn bad_templates_are_usage_errors() {
        for (template, needle) in [
            ("{nam}-x", "unknown placeholder {nam}"),
            ("{name", "without its `}`"),
            ("x}", "without its `{`"),
            ("ab", "3 to 128"),
            ("a:b{date}", "':'"),
        ] {
            let err = check(template).unwrap_err();
            assert_eq!(err.exit_code(), 2);
            assert!(err.to_string().contains(needle), "{template}: {err}");
        }
        assert!(check(&"x".repeat(129)).is_err());
        assert!(check(DEFAULT_TEMPLATE).is_ok());
    }

    proptest! {
        #[test]
        fn any_name_tag_gives_a_valid_name_or_a_usage_error(name in "\\PC{0,140}") {
            match expand("{name}-{date}", &facts(&name)) {
                Ok(out) => prop_assert!(out.chars().all(allowed) && (3..=128).contains(&out.chars().count())),
                Err(e) => prop_assert_eq!(e.exit_code(), 2),
            }
        }
    }
}
