//! Whether the load balancer's security groups let HTTPS in at all: a listener on 443
//! behind groups that admit nothing on 443 serves no one, which is worth a warning.

use aws_sdk_ec2::types::IpPermission;
use awsops_core::Result;
use awsops_core::error::aws_error;
use awsops_core::permissions::Grant;

/// The warning when the load balancer's groups admit nothing on 443 (skipped when denied).
pub static CHECK_REACHABILITY: Grant = Grant::any("CheckHttpsReachability", &["ec2:DescribeSecurityGroups"]);

/// Whether a rule admits TCP traffic to `port` from anywhere it names.
pub fn admits(rule: &IpPermission, port: i32) -> bool {
    match rule.ip_protocol() {
        Some("-1") => true,
        Some("tcp" | "6") => {
            let (from, to) = (rule.from_port().unwrap_or(0), rule.to_port().unwrap_or(65535));
            (from..=to).contains(&port)
        }
        _ => false,
    }
}

/// The groups, when none of them admits TCP `port` (empty when one does, or there are none).
pub async fn closed_groups(ec2: &aws_sdk_ec2::Client, group_ids: &[String], port: i32) -> Result<Vec<String>> {
    if group_ids.is_empty() {
        return Ok(Vec::new());
    }
    let out =
        ec2.describe_security_groups().set_group_ids(Some(group_ids.to_vec())).send().await.map_err(aws_error("DescribeSecurityGroups"))?;
    let open = out.security_groups().iter().any(|g| g.ip_permissions().iter().any(|r| admits(r, port)));
    Ok(if open { Vec::new() } else { group_ids.to_vec() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(proto: &str, from: i32, to: i32) -> IpPermission {
        IpPermission::builder().ip_protocol(proto).from_port(from).to_port(to).build()
    }

    #[test]
    fn rules_admit_by_protocol_and_range() {
        assert!(admits(&rule("tcp", 443, 443), 443));
        assert!(admits(&rule("tcp", 0, 65535), 443));
        assert!(admits(&IpPermission::builder().ip_protocol("-1").build(), 443));
        assert!(!admits(&rule("tcp", 80, 80), 443));
        assert!(!admits(&rule("udp", 443, 443), 443));
    }
}
