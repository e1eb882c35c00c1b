//! The load balancer `vpc-bootstrap lb` asks for, from its flags alone and checked before
//! any call: the name ELBv2 allows, health-check settings inside AWS's ranges, targets by
//! instance id or tag, stickiness, access logs; and the attributes these mean, which a
//! re-run compares with what AWS reports so that only the differences are set.

use awsops_core::{Error, Result};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The health check of the target group (HTTP), as AWS names its settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct HealthCheck {
    pub path: String,
    pub interval_seconds: i32,
    pub timeout_seconds: i32,
    pub healthy_threshold: i32,
    pub unhealthy_threshold: i32,
    /// HTTP codes that mean healthy: `200`, `200-299`, `200,302`.
    pub matcher: String,
}

impl HealthCheck {
    /// Refuses settings AWS would refuse (ranges of the ELBv2 API), naming the flag.
    pub fn check(&self) -> Result<()> {
        let range = |flag: &str, value: i32, low: i32, high: i32| {
            if (low..=high).contains(&value) { Ok(()) } else { Err(Error::usage(format!("{flag} {value}: expected {low} to {high}"))) }
        };
        range("--health-interval", self.interval_seconds, 5, 300)?;
        range("--health-timeout", self.timeout_seconds, 2, 120)?;
        range("--healthy-threshold", self.healthy_threshold, 2, 10)?;
        range("--unhealthy-threshold", self.unhealthy_threshold, 2, 10)?;
        if self.timeout_seconds >= self.interval_seconds {
            return Err(Error::usage(format!(
                "--health-timeout {} must be shorter than --health-interval {}",
                self.timeout_seconds, self.interval_seconds
            )));
        }
        let path_ok = self.path.starts_with('/')
            && self.path.len() <= 1024
            && self.path.chars().all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}'));
        if !path_ok {
            return Err(Error::usage(format!("--health-path {:?}: expected an absolute URL path of at most 1024 characters", self.path)));
        }
        if !matcher_ok(&self.matcher) {
            return Err(Error::usage(format!(
                "--health-codes {:?}: expected HTTP codes 200-499, as 200, 200,302 or 200-299",
                self.matcher
            )));
        }
        Ok(())
    }
}

/// `200`, `200,302`, `200-299`: codes from 200 to 499, a range low to high.
fn matcher_ok(text: &str) -> bool {
    let code = |s: &str| s.len() == 3 && s.parse::<u16>().is_ok_and(|c| (200..=499).contains(&c));
    match text.split_once('-') {
        Some((low, high)) => code(low) && code(high) && low < high,
        None => !text.is_empty() && text.split(',').all(code),
    }
}

/// Which instances the target group holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetSelector {
    Instance(String),
    /// Running instances of the network's VPC with this tag.
    Tag {
        key: String,
        value: String,
    },
}

/// `i-0123456789abcdef0` or `KEY=VALUE` (e.g. `role=web`).
pub fn parse_target(text: &str) -> Result<TargetSelector> {
    if let Some((key, value)) = text.split_once('=') {
        awsops_core::aws_limits::check_tag("--target", key, value)?;
        return Ok(TargetSelector::Tag { key: key.to_owned(), value: value.to_owned() });
    }
    if awsops_core::aws_ids::matches(awsops_core::aws_ids::INSTANCE_ID, text) {
        return Ok(TargetSelector::Instance(text.to_owned()));
    }
    Err(Error::usage(format!("--target {text:?}: expected an instance id (i-…) or a tag as KEY=VALUE (e.g. role=web)")))
}

/// ELBv2's rule for load balancer and target group names: 1–32 letters, digits and
/// hyphens, no hyphen at either end, not starting with `internal-`.
pub fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 32
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.starts_with("internal-");
    if ok {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "load balancer name {name:?}: expected 1-32 letters, digits and hyphens, not starting or ending with a hyphen (pass --name)"
        )))
    }
}

/// Where access logs go: `s3://BUCKET[/PREFIX]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessLogs {
    pub bucket: String,
    pub prefix: String,
}

pub fn parse_access_logs(text: &str) -> Result<AccessLogs> {
    let bad = || Error::usage(format!("--access-logs {text:?}: expected s3://BUCKET or s3://BUCKET/PREFIX"));
    let rest = text.strip_prefix("s3://").ok_or_else(bad)?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let bucket_ok = (3..=63).contains(&bucket.len())
        && bucket.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        && bucket.starts_with(|c: char| c.is_ascii_alphanumeric())
        && bucket.ends_with(|c: char| c.is_ascii_alphanumeric());
    let prefix = prefix.trim_end_matches('/');
    // AWS refuses a prefix that contains AWSLogs.
    if !bucket_ok || prefix.contains("AWSLogs") || prefix.len() > 700 || prefix.chars().any(char::is_control) {
        return Err(bad());
    }
    Ok(AccessLogs { bucket: bucket.to_owned(), prefix: prefix.to_owned() })
}

/// Stickiness cookies last from 1 second to 7 days.
pub const STICKINESS_MAX_SECONDS: u64 = 7 * 24 * 3600;

pub fn check_stickiness(duration: std::time::Duration) -> Result<u64> {
    let secs = duration.as_secs();
    if (1..=STICKINESS_MAX_SECONDS).contains(&secs) && duration.subsec_nanos() == 0 {
        Ok(secs)
    } else {
        Err(Error::usage(format!("--stickiness {}s: expected whole seconds from 1s to 7d", duration.as_secs_f64())))
    }
}

/// Everything the flags ask of the load balancer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LbSpec {
    pub name: String,
    /// The targets' port (the listener is HTTP:80).
    pub port: u16,
    pub health: HealthCheck,
    /// The lb_cookie duration in seconds; None turns stickiness off.
    pub stickiness_seconds: Option<u64>,
    pub access_logs: Option<AccessLogs>,
    pub deletion_protection: bool,
    /// None: the registered targets are left as they are.
    pub targets: Option<Vec<TargetSelector>>,
}

/// The load balancer attributes the command manages, as AWS names them.
pub fn load_balancer_attributes(spec: &LbSpec) -> BTreeMap<String, String> {
    let mut a = BTreeMap::new();
    a.insert("deletion_protection.enabled".to_owned(), spec.deletion_protection.to_string());
    match &spec.access_logs {
        Some(logs) => {
            a.insert("access_logs.s3.enabled".to_owned(), "true".to_owned());
            a.insert("access_logs.s3.bucket".to_owned(), logs.bucket.clone());
            a.insert("access_logs.s3.prefix".to_owned(), logs.prefix.clone());
        }
        None => {
            a.insert("access_logs.s3.enabled".to_owned(), "false".to_owned());
        }
    }
    a
}

/// The target group attributes the command manages.
pub fn target_group_attributes(spec: &LbSpec) -> BTreeMap<String, String> {
    let mut a = BTreeMap::new();
    match spec.stickiness_seconds {
        Some(seconds) => {
            a.insert("stickiness.enabled".to_owned(), "true".to_owned());
            a.insert("stickiness.type".to_owned(), "lb_cookie".to_owned());
            a.insert("stickiness.lb_cookie.duration_seconds".to_owned(), seconds.to_string());
        }
        None => {
            a.insert("stickiness.enabled".to_owned(), "false".to_owned());
        }
    }
    a
}

/// The desired attributes whose values AWS reports differently (or not at all).
pub fn attribute_changes(desired: &BTreeMap<String, String>, have: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    desired.iter().filter(|(k, v)| have.get(*k) != Some(*v)).map(|(k, v)| (k.clone(), v.clone())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn health() -> HealthCheck {
        HealthCheck {
            path: "/".into(),
            interval_seconds: 30,
            timeout_seconds: 5,
            healthy_threshold: 5,
            unhealthy_threshold: 2,
            matcher: "200".into(),
        }
    }

    #[test]
    fn health_checks_inside_aws_ranges_pass() {
        assert!(health().check().is_ok());
        for matcher in ["200", "200,302", "200-299", "499"] {
            assert!(HealthCheck { matcher: matcher.into(), ..health() }.check().is_ok(), "{matcher}");
        }
        let bad = [
            HealthCheck { interval_seconds: 4, ..health() },
            HealthCheck { interval_seconds: 301, ..health() },
            HealthCheck { timeout_seconds: 30, ..health() },
            HealthCheck { healthy_threshold: 11, ..health() },
            HealthCheck { unhealthy_threshold: 1, ..health() },
            HealthCheck { path: "health".into(), ..health() },
            HealthCheck { path: "/a b".into(), ..health() },
            HealthCheck { matcher: "".into(), ..health() },
            HealthCheck { matcher: "500".into(), ..health() },
            HealthCheck { matcher: "299-200".into(), ..health() },
            HealthCheck { matcher: "2xx".into(), ..health() },
        ];
        for h in bad {
            assert_eq!(h.check().unwrap_err().exit_code(), 2, "{h:?}");
        }
    }

    #[test]
    fn targets_are_instance_ids_or_tags() {
        assert_eq!(parse_target("i-0123456789abcdef0").unwrap(), TargetSelector::Instance("i-0123456789abcdef0".into()));
        assert_eq!(parse_target("role=web").unwrap(), TargetSelector::Tag { key: "role".into(), value: "web".into() });
        for bad in ["web-1", "i-xyz", "=web", "aws:x=1"] {
            assert_eq!(parse_target(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn names_follow_elbv2s_rule() {
        for good in ["web", "lab-web", &"a".repeat(32)] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in ["", "-web", "web-", "we_b", "internal-web", "lab.web", &"a".repeat(33)] {
            assert_eq!(check_name(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn access_logs_name_a_bucket_and_prefix() {
        assert_eq!(parse_access_logs("s3://logs-bucket").unwrap(), AccessLogs { bucket: "logs-bucket".into(), prefix: String::new() });
        assert_eq!(parse_access_logs("s3://logs.b/alb/web/").unwrap(), AccessLogs { bucket: "logs.b".into(), prefix: "alb/web".into() });
        for bad in ["logs", "s3://", "s3://Logs", "s3://ab", "s3://b-b/AWSLogs/x"] {
            assert_eq!(parse_access_logs(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn attributes_say_on_or_off_explicitly() {
        let spec = LbSpec {
            name: "web".into(),
            port: 80,
            health: health(),
            stickiness_seconds: Some(86400),
            access_logs: None,
            deletion_protection: false,
            targets: None,
        };
        let tg = target_group_attributes(&spec);
        assert_eq!(tg["stickiness.type"], "lb_cookie");
        assert_eq!(tg["stickiness.lb_cookie.duration_seconds"], "86400");
        let lb = load_balancer_attributes(&spec);
        assert_eq!((lb["deletion_protection.enabled"].as_str(), lb["access_logs.s3.enabled"].as_str()), ("false", "false"));
        assert_eq!(target_group_attributes(&LbSpec { stickiness_seconds: None, ..spec })["stickiness.enabled"], "false");
        assert!(check_stickiness(std::time::Duration::from_secs(0)).is_err());
        assert!(check_stickiness(std::time::Duration::from_secs(STICKINESS_MAX_SECONDS + 1)).is_err());
        assert_eq!(check_stickiness(std::time::Duration::from_secs(60)).unwrap(), 60);
    }

    proptest! {
        /// Setting the changes makes AWS's view equal the desired one for every managed key.
        #[test]
        fn applying_the_changes_converges(
            desired in proptest::collection::btree_map("[a-z.]{1,8}", "[a-z0-9]{0,4}", 0..6),
            have in proptest::collection::btree_map("[a-z.]{1,8}", "[a-z0-9]{0,4}", 0..6),
        ) {
            let mut after = have.clone();
            after.extend(attribute_changes(&desired, &have));
            prop_assert!(attribute_changes(&desired, &after).is_empty());
            for (k, v) in &have {
                if !desired.contains_key(k) {
                    prop_assert_eq!(after.get(k), Some(v), "an unmanaged attribute was touched");
                }
            }
        }
    }
}
