//! Which of the declared grants (core's Route 53 and load balancer calls, `resolve`'s
//! target lookups) an invocation reaches: the target's kind picks the lookup, `--zone-id`
//! scopes the record grants to that zone, `--dry-run` drops the change and `--no-wait`
//! the wait. The policy `--print-policy` prints, and every grant for `--help` and the man page.

use crate::resolve::{CHECK_WEBSITE_BUCKET, FIND_DISTRIBUTION, READ_DISTRIBUTION, WHO_AM_I};
use crate::target::{self, Target};
use crate::{Cli, Command, NAME, Where};
use awsops_core::Result;
use awsops_core::load_balancer::FIND_LOAD_BALANCER;
use awsops_core::permissions::{Grant, Needs, Scope, Table};
use awsops_core::route53::{CHANGE_RECORDS, LIST_ZONES, READ_RECORDS, WAIT_FOR_CHANGE};

pub fn needs(cli: &Cli) -> Result<Needs> {
    let at: &Where = match &cli.command {
        Command::Set(a) => &a.at,
        Command::Delete(a) => &a.at,
    };
    let mut scope = Scope::new(NAME, cli.common.aws.region.as_deref());
    if let Some(zone) = &at.zone_id {
        scope = scope.value("zone_id", zone.trim_start_matches("/hostedzone/"));
    }
    let target = at.target.as_deref().map(target::classify).transpose()?;
    if let Some(Target::S3Website { bucket, .. }) = &target {
        scope = scope.value("bucket", bucket.clone());
    }
    let mut n = Needs::new(scope);
    n.add(&[&LIST_ZONES, &READ_RECORDS]);
    match &target {
        Some(Target::S3Website { .. }) => {
            n.add(&[&WHO_AM_I, &CHECK_WEBSITE_BUCKET]);
        }
        Some(Target::CloudFront { .. }) if !at.cname => {
            n.add(&[&FIND_DISTRIBUTION, &READ_DISTRIBUTION]);
        }
        // A document (or a load balancer's name) is looked up; with --cname a DNS name is not.
        Some(Target::LoadBalancer { dns_name: None, .. }) => {
            n.add(&[&FIND_LOAD_BALANCER]);
        }
        // A `load-balancer` document, or a `certificate` document that names a load balancer
        // or a CloudFront distribution: either may be looked up.
        None => {
            n.add(&[&FIND_LOAD_BALANCER, &FIND_DISTRIBUTION, &READ_DISTRIBUTION]);
        }
        Some(Target::LoadBalancer { .. }) if !at.cname => {
            n.add(&[&FIND_LOAD_BALANCER]);
        }
        Some(_) => {}
    }
    n.add_if(!at.dry_run.is_set(), &[&CHANGE_RECORDS]).add_if(!at.dry_run.is_set() && !at.no_wait, &[&WAIT_FOR_CHANGE]);
    Ok(n)
}

pub fn table() -> Table {
    let all: Vec<&'static Grant> = vec![
        &LIST_ZONES,
        &READ_RECORDS,
        &WHO_AM_I,
        &CHECK_WEBSITE_BUCKET,
        &FIND_DISTRIBUTION,
        &READ_DISTRIBUTION,
        &FIND_LOAD_BALANCER,
        &CHANGE_RECORDS,
        &WAIT_FOR_CHANGE,
    ];
    vec![("set", all.clone()), ("delete", all)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use awsops_core::policy_document::PolicyDocument;

    fn policy(args: &[&str]) -> PolicyDocument {
        PolicyDocument::from_needs(&awsops_core::permissions::needs_of::<Cli>("dns-alias", args).unwrap())
    }

    #[test]
    fn every_sdk_call_is_declared_by_its_module() {
        awsops_core::sdk_calls::assert_declared(
            env!("CARGO_MANIFEST_DIR"),
            &[("resolve.rs", &[&CHECK_WEBSITE_BUCKET, &WHO_AM_I, &FIND_DISTRIBUTION, &READ_DISTRIBUTION])],
        );
    }

    #[test]
    fn the_target_and_flags_pick_the_grants() {
        let s3 = policy(&["set", "mydomain.com", "s3://mydomain.com", "--zone-id", "Z123"]);
        let json = s3.to_value();
        let st = json["Statement"].as_array().unwrap();
        let bucket = st.iter().find(|s| s["Sid"] == "CheckWebsiteBucket").unwrap();
        assert_eq!(bucket["Resource"][0], "arn:aws:s3:::mydomain.com");
        let change = st.iter().find(|s| s["Sid"] == "ChangeRecords").unwrap();
        assert_eq!(change["Resource"][0], "arn:aws:route53:::hostedzone/Z123");
        assert!(!s3.actions().contains(&"elasticloadbalancing:DescribeLoadBalancers"));
        let lb = policy(&["set", "api.mydomain.com", "my-alb-123.ap-northeast-2.elb.amazonaws.com", "--no-wait"]);
        assert!(lb.actions().contains(&"elasticloadbalancing:DescribeLoadBalancers"));
        assert!(!lb.actions().contains(&"route53:GetChange"));
        let dry = policy(&["delete", "www.mydomain.com", "d111111abcdef8.cloudfront.net", "--dry-run"]);
        assert!(dry.actions().contains(&"cloudfront:ListDistributions"));
        assert!(!dry.actions().contains(&"route53:ChangeResourceRecordSets"));
    }
}
