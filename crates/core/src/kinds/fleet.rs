//! The document of a fleet run: one `fleet-target` per (account, region) when it ends, ok
//! or failed with the error and how long it took, so a failed account is seen in the
//! stream while the rest still run. The documents a target printed carry `account` (and
//! `region`) themselves (see `document::schema`).

use crate::aws_ids;
use crate::document::Document;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TargetStatus {
    Ok,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FleetTargetDoc {
    #[schemars(pattern(aws_ids::ACCOUNT_ID))]
    pub account: String,
    /// Absent for a command that is not regional (iam-audit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(aws_ids::REGION))]
    pub region: Option<String>,
    pub status: TargetStatus,
    /// Why the target failed (assuming its role, or the command's own error).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub duration_ms: u64,
}

impl Document for FleetTargetDoc {
    const KIND: &'static str = "fleet-target";
    const SCHEMA_VERSION: u32 = 1;
}
