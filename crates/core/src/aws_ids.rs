//! The strict shapes of the AWS ids and addresses that documents carry. A document is
//! input: before an id reaches a file (fstab, ssh_config) or an argv it must match one of
//! these, and the same constants are the `pattern`s of the published JSON schemas, so the
//! code and the schema cannot disagree.

use crate::error::{Error, Result};

pub const FILE_SYSTEM_ID: &str = r"^fs-[0-9a-f]{8,40}$";
/// A planned (dry-run) document has no id yet.
pub const FILE_SYSTEM_ID_OR_PLANNED: &str = r"^(fs-[0-9a-f]{8,40})?$";
pub const MOUNT_TARGET_ID: &str = r"^fsmt-[0-9a-f]{8,40}$";
pub const ACCESS_POINT_ID: &str = r"^fsap-[0-9a-f]{8,40}$";
pub const SUBNET_ID: &str = r"^subnet-[0-9a-f]{8,40}$";
pub const SECURITY_GROUP_ID: &str = r"^sg-[0-9a-f]{8,40}$";
pub const VPC_ID: &str = r"^vpc-[0-9a-f]{8,40}$";
pub const EIP_ALLOCATION_ID: &str = r"^eipalloc-[0-9a-f]{8,40}$";
pub const INSTANCE_ID: &str = r"^i-[0-9a-f]{8,40}$";
pub const ROUTE_TABLE_ID: &str = r"^rtb-[0-9a-f]{8,40}$";
pub const PEERING_CONNECTION_ID: &str = r"^pcx-[0-9a-f]{8,40}$";
/// A peering connection id, or nothing (a dry run's new connection).
pub const PEERING_CONNECTION_ID_OR_PLANNED: &str = r"^(pcx-[0-9a-f]{8,40})?$";
pub const ACCOUNT_ID: &str = r"^[0-9]{12}$";
/// An application or network load balancer's ARN.
pub const LOAD_BALANCER_ARN: &str = r"^arn:aws[a-z-]*:elasticloadbalancing:[a-z]{2}(-[a-z]+)+-[0-9]{1,2}:[0-9]{12}:loadbalancer/(app|net)/[A-Za-z0-9-]{1,32}/[0-9a-f]{1,40}$";
pub const TARGET_GROUP_ARN: &str =
    r"^arn:aws[a-z-]*:elasticloadbalancing:[a-z]{2}(-[a-z]+)+-[0-9]{1,2}:[0-9]{12}:targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{1,40}$";
pub const LISTENER_ARN: &str = r"^arn:aws[a-z-]*:elasticloadbalancing:[a-z]{2}(-[a-z]+)+-[0-9]{1,2}:[0-9]{12}:listener/(app|net)/[A-Za-z0-9-]{1,32}/[0-9a-f]{1,40}/[0-9a-f]{1,40}$";
/// A Route 53 hosted zone id (also the canonical zone of a load balancer).
pub const HOSTED_ZONE_ID: &str = r"^Z[A-Z0-9]{1,32}$";
/// A CloudFront distribution id: upper-case letters and digits (AWS's start with `E`).
pub const DISTRIBUTION_ID: &str = r"^[A-Z][A-Z0-9]{5,20}$";
pub const REGION: &str = r"^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$";
/// `ap-northeast-2a`, and Local Zones such as `us-west-2-lax-1a`.
pub const AVAILABILITY_ZONE: &str = r"^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}(-[a-z]+-[0-9]{1,2})?[a-z]$";
/// `apne2-az1`, `usw2-lax1-az1`.
pub const AVAILABILITY_ZONE_ID: &str = r"^[a-z]{2,5}[0-9]{1,2}(-[a-z]+[0-9]{1,2})?-az[0-9]{1,2}$";
/// An AZ id, or nothing (when EFS did not report it).
pub const AVAILABILITY_ZONE_ID_OR_EMPTY: &str = r"^([a-z]{2,5}[0-9]{1,2}(-[a-z]+[0-9]{1,2})?-az[0-9]{1,2})?$";
/// Dotted-quad IPv4, no leading zeros (which some parsers read as octal).
pub const IPV4: &str = r"^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$";
/// A lower-case DNS name of at least two labels (empty in a planned document).
pub const DNS_NAME_OR_PLANNED: &str = r"^(([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})?$";
/// An absolute path inside a file system, without control characters (EFS access point roots).
pub const EFS_PATH: &str = r"^/[^\x00-\x1f\x7f]{0,99}$";

/// Whether `value` has the shape `pattern` (one of this module's constants) describes.
/// Compiled per call: a document carries a handful of ids, and the patterns are tiny.
pub fn matches(pattern: &'static str, value: &str) -> bool {
    regex_lite::Regex::new(pattern).is_ok_and(|re| re.is_match(value))
}

/// A usage error naming the field and showing the value escaped, unless it matches.
pub fn check(field: &str, pattern: &'static str, value: &str) -> Result<()> {
    if matches(pattern, value) { Ok(()) } else { Err(Error::usage(format!("{field} {value:?} is not a valid value (expected {pattern})"))) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_their_shape_only() {
        for (pattern, good, bad) in [
            (FILE_SYSTEM_ID, "fs-0123456789abcdef0", vec!["fs-01234567 ", "fs-0123\n/dev/sda1", "fs-", "FS-01234567", ""]),
            (MOUNT_TARGET_ID, "fsmt-0123abcd", vec!["fsmt-0123abcd\n"]),
            (ACCESS_POINT_ID, "fsap-0123456789abcdef0", vec!["fsap-1,rw", "fsap-01234567 x"]),
            (SUBNET_ID, "subnet-0123abcd", vec!["subnet-xyz12345"]),
            (SECURITY_GROUP_ID, "sg-0123abcd", vec!["sg-0123abcd;"]),
            (VPC_ID, "vpc-0123abcd", vec!["vpc-"]),
            (REGION, "ap-northeast-2", vec!["ap-northeast-2a", "xx", "us-east-1 "]),
            (AVAILABILITY_ZONE, "ap-northeast-2a", vec!["ap-northeast-2", "ap-northeast-2ab", "a\n"]),
            (AVAILABILITY_ZONE, "us-west-2-lax-1a", vec![]),
            (AVAILABILITY_ZONE_ID, "apne2-az1", vec!["apne2-az", "apne2-az1 "]),
            (AVAILABILITY_ZONE_ID, "usw2-lax1-az1", vec![]),
            (IPV4, "10.0.1.9", vec!["10.0.1.9 ", "10.0.1", "256.0.0.1", "010.0.0.1", "10.0.1.9\n/dev/sda1 /y ext4", "::1"]),
            (DNS_NAME_OR_PLANNED, "fs-1.efs.ap-northeast-2.amazonaws.com", vec!["a b.com", "x.com\n", "-x.com"]),
            (EFS_PATH, "/uploads/a b", vec!["uploads", "/a\nb", ""]),
        ] {
            assert!(matches(pattern, good), "{good:?} should match {pattern}");
            for b in bad {
                assert!(!matches(pattern, b), "{b:?} should not match {pattern}");
            }
        }
        assert!(matches(FILE_SYSTEM_ID_OR_PLANNED, "") && matches(DNS_NAME_OR_PLANNED, ""));
        assert!(matches(AVAILABILITY_ZONE_ID_OR_EMPTY, "") && matches(AVAILABILITY_ZONE_ID_OR_EMPTY, "apne2-az1"));
        assert!(!matches(AVAILABILITY_ZONE_ID_OR_EMPTY, "apne2-az1 x"));
    }

    #[test]
    fn a_mismatch_is_a_usage_error_with_the_value_escaped() {
        let err = check("file_system_id", FILE_SYSTEM_ID, "fs-1\n/dev/sda1").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains(r#""fs-1\n/dev/sda1""#), "{err}");
        assert!(!err.to_string().contains('\n'), "one line");
    }
}
