//! Which instance a target names: an instance id, a private IP, `KEY=VALUE` (a tag) or a
//! Name tag. Several matches are an error listing the candidates as JSON (unless the
//! subcommand runs on all of them); a stopped instance is named as stopped.

use awsops_core::{Error, Result};
use serde::Serialize;
use std::net::IpAddr;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instance {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    #[serde(skip)]
    pub tags: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetSpec {
    Id(String),
    Ip(IpAddr),
    Tag(String, String),
    Name(String),
}

impl TargetSpec {
    pub fn parse(text: &str) -> Result<TargetSpec> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Error::usage("empty target"));
        }
        if let Some(rest) = text.strip_prefix("i-") {
            if rest.len() >= 8 && rest.chars().all(|c| c.is_ascii_hexdigit()) {
                return Ok(TargetSpec::Id(text.to_owned()));
            }
            return Err(Error::usage(format!("{text} is not an instance id (i- and 8 or 17 hex digits)")));
        }
        if let Ok(ip) = text.parse::<IpAddr>() {
            return Ok(TargetSpec::Ip(ip));
        }
        if let Some((k, v)) = text.split_once('=') {
            if k.is_empty() {
                return Err(Error::usage(format!("{text}: a tag target is KEY=VALUE")));
            }
            return Ok(TargetSpec::Tag(k.to_owned(), v.to_owned()));
        }
        Ok(TargetSpec::Name(text.to_owned()))
    }

    pub fn matches(&self, i: &Instance) -> bool {
        match self {
            TargetSpec::Id(id) => &i.id == id,
            TargetSpec::Ip(ip) => {
                i.private_ip.as_deref() == Some(ip.to_string().as_str()) || i.public_ip.as_deref() == Some(ip.to_string().as_str())
            }
            TargetSpec::Tag(k, v) => i.tags.iter().any(|(tk, tv)| tk == k && tv == v),
            TargetSpec::Name(n) => i.name.as_deref() == Some(n.as_str()),
        }
    }
}

/// The live (not terminated) instances a spec matches, by id.
pub fn select<'a>(spec: &TargetSpec, instances: &'a [Instance]) -> Vec<&'a Instance> {
    let mut found: Vec<&Instance> =
        instances.iter().filter(|i| !matches!(i.state.as_str(), "terminated" | "shutting-down") && spec.matches(i)).collect();
    found.sort_by(|a, b| a.id.cmp(&b.id));
    found
}

/// Exactly one running instance, or a usage error naming what was found.
pub fn exactly_one<'a>(text: &str, found: &[&'a Instance]) -> Result<&'a Instance> {
    match found {
        [] => Err(Error::usage(format!("no instance matches {text}"))),
        [one] => running(one).map(|()| *one),
        many => Err(Error::usage(format!(
            "{} instances match {text}; name one (by id or IP) or run on all with --all: {}",
            many.len(),
            serde_json::to_string(many).unwrap_or_default()
        ))),
    }
}

pub fn running(i: &Instance) -> Result<()> {
    if i.state == "running" {
        Ok(())
    } else {
        Err(Error::usage(format!("instance {}{} is {}", i.id, i.name.as_deref().map(|n| format!(" ({n})")).unwrap_or_default(), i.state)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inst(id: &str, name: &str, state: &str, ip: &str, role: &str) -> Instance {
        Instance {
            id: id.into(),
            name: Some(name.into()),
            state: state.into(),
            private_ip: Some(ip.into()),
            public_ip: None,
            vpc_id: Some("vpc-1".into()),
            tags: vec![("Name".into(), name.into()), ("role".into(), role.into())],
        }
    }

    fn fleet() -> Vec<Instance> {
        vec![
            inst("i-0000000000000000a", "web-1", "running", "10.1.10.5", "web"),
            inst("i-0000000000000000b", "web-2", "running", "10.1.11.5", "web"),
            inst("i-0000000000000000c", "db", "stopped", "10.1.12.5", "db"),
            inst("i-0000000000000000d", "web-1", "terminated", "10.1.10.6", "web"),
        ]
    }

    #[test]
    fn specs_parse_by_shape() {
        assert_eq!(TargetSpec::parse("i-0123456789abcdef0").unwrap(), TargetSpec::Id("i-0123456789abcdef0".into()));
        assert!(matches!(TargetSpec::parse("10.1.10.5").unwrap(), TargetSpec::Ip(_)));
        assert_eq!(TargetSpec::parse("role=web").unwrap(), TargetSpec::Tag("role".into(), "web".into()));
        assert_eq!(TargetSpec::parse("web-1").unwrap(), TargetSpec::Name("web-1".into()));
        assert_eq!(TargetSpec::parse("i-xyz").unwrap_err().exit_code(), 2);
        assert_eq!(TargetSpec::parse("=web").unwrap_err().exit_code(), 2);
    }

    #[test]
    fn one_many_none_and_stopped() {
        let f = fleet();
        let pick = |t: &str| {
            let spec = TargetSpec::parse(t).unwrap();
            exactly_one(t, &select(&spec, &f)).map(|i| i.id.clone())
        };
        assert_eq!(pick("web-1").unwrap(), "i-0000000000000000a", "terminated ones are ignored");
        assert_eq!(pick("10.1.11.5").unwrap(), "i-0000000000000000b");
        let err = pick("role=web").unwrap_err().to_string();
        assert!(err.contains("2 instances match role=web") && err.contains("\"id\":\"i-0000000000000000b\""), "{err}");
        assert!(!err.contains('\n'));
        assert!(pick("db").unwrap_err().to_string().contains("is stopped"));
        assert!(pick("nope").unwrap_err().to_string().contains("no instance matches nope"));
    }
}
