//! The documents around DNS names: `record` (what dns-alias made a name point at),
//! `certificate` (cert-attach's result, which names the load balancer to alias) and
//! `load-balancer` (a load balancer's alias target); dns-alias reads either of the last two.

use crate::aws_ids;
use crate::document::Document;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One Route 53 record set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RecordSet {
    /// Lowercase, without the trailing dot.
    pub name: String,
    #[serde(rename = "type")]
    pub rtype: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<AliasTarget>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AliasTarget {
    pub dns_name: String,
    pub zone_id: String,
    pub evaluate_target_health: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum ChangeAction {
    Upsert,
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RecordChange {
    pub action: ChangeAction,
    pub record: RecordSet,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RecordDoc {
    pub name: String,
    pub zone_id: String,
    pub zone_name: String,
    /// The target as given, and what it was taken for.
    pub target: String,
    pub target_kind: TargetKind,
    /// The record sets the name has (for a delete: had) that this command manages.
    pub records: Vec<RecordSet>,
    /// Whether anything was (or, in a dry run, would be) changed.
    pub changed: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<RecordChange>,
    pub status: RecordStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_id: Option<String>,
}

/// What a record's target was taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum TargetKind {
    #[serde(rename = "s3-website")]
    S3Website,
    #[serde(rename = "load-balancer")]
    LoadBalancer,
    #[serde(rename = "cloudfront")]
    CloudFront,
    #[serde(rename = "host")]
    Host,
}

/// Where a record change stands: Route 53's `INSYNC`, or `PENDING` (with --no-wait);
/// `unchanged` when nothing had to change, `planned` in a dry run that would change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum RecordStatus {
    #[serde(rename = "INSYNC")]
    InSync,
    #[serde(rename = "PENDING")]
    Pending,
    #[serde(rename = "unchanged")]
    Unchanged,
    #[serde(rename = "planned")]
    Planned,
}

impl RecordStatus {
    /// From Route 53's ChangeInfo status (`PENDING` or `INSYNC`).
    pub fn from_change_status(status: &str) -> RecordStatus {
        if status == "INSYNC" { RecordStatus::InSync } else { RecordStatus::Pending }
    }
}

impl Document for RecordDoc {
    const KIND: &'static str = "record";
    const SCHEMA_VERSION: u32 = 1;
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LoadBalancerDoc {
    #[schemars(pattern(aws_ids::LOAD_BALANCER_ARN))]
    pub arn: String,
    pub name: String,
    #[schemars(pattern(aws_ids::REGION))]
    pub region: String,
    #[schemars(pattern(aws_ids::DNS_NAME_OR_PLANNED))]
    pub dns_name: String,
    /// The hosted zone id alias records to it need.
    #[schemars(pattern(aws_ids::HOSTED_ZONE_ID))]
    pub canonical_zone_id: String,
    /// Whether it serves IPv6 (so an AAAA alias makes sense).
    #[serde(default)]
    pub dualstack: bool,
    /// The network (`vpc-bootstrap` stack) it belongs to, when `vpc-bootstrap lb` made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(aws_ids::VPC_ID))]
    pub vpc_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_groups: Vec<String>,
    /// The target group its HTTP listener forwards to (`vpc-bootstrap lb`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(aws_ids::TARGET_GROUP_ARN))]
    pub target_group_arn: Option<String>,
    /// Its HTTP:80 listener.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(aws_ids::LISTENER_ARN))]
    pub listener_arn: Option<String>,
    /// The target group's targets and their health.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<LoadBalancerTarget>,
}

/// An instance in the load balancer's target group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LoadBalancerTarget {
    #[schemars(pattern(aws_ids::INSTANCE_ID))]
    pub id: String,
    pub port: u16,
    /// ELBv2's state: `healthy`, `initial`, `unhealthy`, `draining`, ...
    pub health: TargetHealth,
}

/// ELBv2's target health states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TargetHealth {
    Initial,
    Healthy,
    Unhealthy,
    UnhealthyDraining,
    Unused,
    Draining,
    Unavailable,
}

impl TargetHealth {
    pub fn parse(state: &str) -> Option<TargetHealth> {
        serde_json::from_value(serde_json::Value::String(state.to_owned())).ok()
    }
}

impl Document for LoadBalancerDoc {
    const KIND: &'static str = "load-balancer";
    const SCHEMA_VERSION: u32 = 1;

    fn validate(&self) -> crate::error::Result<()> {
        aws_ids::check("arn", aws_ids::LOAD_BALANCER_ARN, &self.arn)?;
        aws_ids::check("region", aws_ids::REGION, &self.region)?;
        aws_ids::check("dns_name", aws_ids::DNS_NAME_OR_PLANNED, &self.dns_name)?;
        aws_ids::check("canonical_zone_id", aws_ids::HOSTED_ZONE_ID, &self.canonical_zone_id)?;
        if let Some(vpc) = &self.vpc_id {
            aws_ids::check("vpc_id", aws_ids::VPC_ID, vpc)?;
        }
        if let Some(tg) = &self.target_group_arn {
            aws_ids::check("target_group_arn", aws_ids::TARGET_GROUP_ARN, tg)?;
        }
        if let Some(l) = &self.listener_arn {
            aws_ids::check("listener_arn", aws_ids::LISTENER_ARN, l)?;
        }
        for t in &self.targets {
            aws_ids::check("targets.id", aws_ids::INSTANCE_ID, &t.id)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CertificateDoc {
    pub arn: String,
    pub domain: String,
    #[serde(default)]
    pub names: Vec<String>,
    /// ACM's status: `ISSUED`, `PENDING_VALIDATION`, ...
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listener_arn: Option<String>,
    /// The load balancer the certificate serves on, when attached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<LoadBalancerDoc>,
    /// The CloudFront distribution the certificate serves on (`--cloudfront`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<DistributionDoc>,
    /// The DNS validation records (kept in place so that ACM can renew).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub validation_records: Vec<RecordSet>,
    /// Whether anything was (or, in a dry run, would be) changed.
    #[serde(default)]
    pub changed: bool,
    /// What was (or would be) done, one line each, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<String>,
}

/// A CloudFront distribution, as an alias record to it needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DistributionDoc {
    #[schemars(pattern(aws_ids::DISTRIBUTION_ID))]
    pub id: String,
    /// `d111111abcdef8.cloudfront.net`
    #[schemars(pattern(aws_ids::DNS_NAME_OR_PLANNED))]
    pub domain_name: String,
    /// Its alternate domain names.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// `Deployed` or `InProgress`.
    pub status: String,
}

impl Document for CertificateDoc {
    const KIND: &'static str = "certificate";
    const SCHEMA_VERSION: u32 = 1;
}
