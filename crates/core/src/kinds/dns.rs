//! The documents around DNS names: `record` (what dns-alias made a name point at),
//! `certificate` (cert-attach's result, which names the load balancer to alias) and
//! `load-balancer` (a load balancer's alias target); dns-alias reads either of the last two.

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LoadBalancerDoc {
    pub arn: String,
    pub name: String,
    pub region: String,
    pub dns_name: String,
    /// The hosted zone id alias records to it need.
    pub canonical_zone_id: String,
    /// Whether it serves IPv6 (so an AAAA alias makes sense).
    #[serde(default)]
    pub dualstack: bool,
}

impl Document for LoadBalancerDoc {
    const KIND: &'static str = "load-balancer";
    const SCHEMA_VERSION: u32 = 1;
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

impl Document for CertificateDoc {
    const KIND: &'static str = "certificate";
    const SCHEMA_VERSION: u32 = 1;
}
