//! Ownership tags: how awsops finds again what it created (so re-runs converge without
//! a state file), and how it knows never to modify or delete anything else.

use crate::error::{Error, Result};

pub const STACK_TAG: &str = "awsops:stack";
pub const ROLE_TAG: &str = "awsops:role";
pub const TOOL_TAG: &str = "awsops:tool";
pub const NAME_TAG: &str = "Name";
/// The role tag value of the bastion host vpc-bootstrap launches (bastion-ssh finds it by it).
pub const BASTION_ROLE: &str = "bastion";
/// A per-request mark on resources of which many may carry the same other tags (a
/// volume's snapshots): how a create whose answer was lost finds its own resource.
pub const REQUEST_TAG: &str = "awsops:request";

/// The owner of a set of resources: a command and the stack name the user chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ownership {
    pub tool: &'static str,
    pub stack: String,
}

impl Ownership {
    pub fn new(tool: &'static str, stack: impl Into<String>) -> Result<Self> {
        let stack = stack.into();
        validate_stack_name(&stack)?;
        Ok(Ownership { tool, stack })
    }

    /// The tags for one resource: owner, role (e.g. `nat:a`) and a Name.
    pub fn tags(&self, role: &str, name: &str) -> Vec<(String, String)> {
        vec![
            (NAME_TAG.to_owned(), name.to_owned()),
            (STACK_TAG.to_owned(), self.stack.clone()),
            (ROLE_TAG.to_owned(), role.to_owned()),
            (TOOL_TAG.to_owned(), self.tool.to_owned()),
        ]
    }

    /// Whether a resource with these tags belongs to this stack.
    pub fn owns<'a>(&self, tags: impl IntoIterator<Item = (&'a str, &'a str)>) -> bool {
        tags.into_iter().any(|(k, v)| k == STACK_TAG && v == self.stack)
    }
}

/// The role tag of a resource, if it has one.
pub fn role_of<'a>(tags: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<&'a str> {
    tags.into_iter().find(|(k, _)| *k == ROLE_TAG).map(|(_, v)| v)
}

/// Stack names go into tags and resource names: 1–64 of `[A-Za-z0-9._-]`, starting alphanumeric.
pub fn validate_stack_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::usage(format!("invalid name {name:?}: use 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_name_the_owner_and_role() {
        let o = Ownership::new("vpc-bootstrap", "lab").unwrap();
        let tags = o.tags("nat:a", "lab-nat-a");
        assert!(tags.contains(&("awsops:stack".into(), "lab".into())));
        assert!(tags.contains(&("awsops:role".into(), "nat:a".into())));
        assert!(tags.contains(&("Name".into(), "lab-nat-a".into())));
        let view = tags.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        assert!(o.owns(view.clone()));
        assert_eq!(role_of(view), Some("nat:a"));
        assert!(!Ownership::new("vpc-bootstrap", "other").unwrap().owns(tags.iter().map(|(k, v)| (k.as_str(), v.as_str()))));
    }

    #[test]
    fn stack_names_are_checked() {
        for good in ["lab", "prod-eu", "a", "x.y_z-1"] {
            assert!(validate_stack_name(good).is_ok(), "{good}");
        }
        for bad in ["", "-lab", "has space", "ünï", &"x".repeat(65)] {
            assert_eq!(validate_stack_name(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }
}
