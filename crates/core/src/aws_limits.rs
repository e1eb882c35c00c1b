//! The limits AWS puts on values users hand us (tag keys and values, role ARNs), checked
//! before anything changes: AWS would refuse them halfway through a run, after other
//! resources were made.

use crate::error::{Error, Result};

/// Longest tag key and value AWS accepts (characters).
pub const TAG_KEY_MAX: usize = 128;
pub const TAG_VALUE_MAX: usize = 256;

/// A tag AWS will accept: key 1–128 characters, value up to 256, no `aws:` prefix (AWS
/// reserves it), no control characters. `what` names the flag in the message.
pub fn check_tag(what: &str, key: &str, value: &str) -> Result<()> {
    let bad = |why: String| Err(Error::usage(format!("{what} {key:?}: {why}")));
    if key.is_empty() {
        return bad("the tag key is empty".into());
    }
    if key.chars().count() > TAG_KEY_MAX {
        return bad(format!("a tag key has at most {TAG_KEY_MAX} characters"));
    }
    if value.chars().count() > TAG_VALUE_MAX {
        return bad(format!("a tag value has at most {TAG_VALUE_MAX} characters ({} given)", value.chars().count()));
    }
    if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
        return bad("the aws: prefix is reserved for AWS".into());
    }
    if key.chars().chain(value.chars()).any(char::is_control) {
        return bad("tags cannot hold control characters".into());
    }
    Ok(())
}

/// The partitions an ARN can name.
pub const PARTITIONS: &[&str] = &["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"];

/// An IAM role ARN: `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME`, a known partition, a
/// 12-digit account and a role name AWS allows (1–64 of `[\w+=,.@-]`).
pub fn check_role_arn(what: &str, arn: &str) -> Result<()> {
    let bad = |why: &str| Err(Error::usage(format!("{what} {arn:?}: {why}; expected arn:aws:iam::123456789012:role/NAME")));
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, region, account, resource] = parts[..] else { return bad("not an ARN") };
    if prefix != "arn" {
        return bad("not an ARN");
    }
    if !PARTITIONS.contains(&partition) {
        return bad("unknown partition");
    }
    if service != "iam" || !region.is_empty() {
        return bad("not an IAM ARN");
    }
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return bad("the account must be 12 digits");
    }
    let Some(path_and_name) = resource.strip_prefix("role/") else { return bad("not a role") };
    let name = path_and_name.rsplit('/').next().unwrap_or_default();
    let name_ok = (1..=64).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b));
    if !name_ok {
        return bad("invalid role name");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tags_within_limits_pass_and_others_name_the_problem() {
        assert!(check_tag("--tag", "team", "web").is_ok());
        assert!(check_tag("--tag", "team", "").is_ok());
        let long = "x".repeat(257);
        assert!(check_tag("--tag", "team", &long).unwrap_err().to_string().contains("256"));
        assert!(check_tag("--tag", &"k".repeat(129), "v").unwrap_err().to_string().contains("128"));
        assert!(check_tag("--tag", "AWS:createdBy", "x").unwrap_err().to_string().contains("reserved"));
        assert!(check_tag("--tag", "a", "line\nbreak").is_err());
        assert!(check_tag("--tag", "", "v").is_err());
        // Multi-byte characters count once.
        assert!(check_tag("--tag", "name", &"가".repeat(256)).is_ok());
    }

    #[test]
    fn role_arns_need_partition_account_and_name() {
        assert!(check_role_arn("--zone-role-arn", "arn:aws:iam::123456789012:role/dns").is_ok());
        assert!(check_role_arn("--zone-role-arn", "arn:aws-cn:iam::123456789012:role/path/to/dns-Writer@x").is_ok());
        for bad in [
            "arn:aws:iam::12345678901:role/dns",
            "arn:aws:iam::1234567890123:role/dns",
            "arn:aws:iam::12345678901a:role/dns",
            "arn:awz:iam::123456789012:role/dns",
            "arn:aws:sts::123456789012:role/dns",
            "arn:aws:iam:us-east-1:123456789012:role/dns",
            "arn:aws:iam::123456789012:user/dns",
            "arn:aws:iam::123456789012:role/",
            "role/dns",
        ] {
            let err = check_role_arn("--zone-role-arn", bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn tag_checks_never_panic(key in "\\PC{0,200}", value in "\\PC{0,300}") {
            let _ = check_tag("--tag", &key, &value);
            let _ = check_role_arn("--x", &format!("arn:aws:iam::{key}:role/{value}"));
        }
    }
}
