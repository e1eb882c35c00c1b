//! The `peering` document: a VPC peering connection `vpc-bootstrap peer` made, both of
//! its sides, and the routes and security-group rules it added on each.

use crate::aws_ids;
use crate::document::Document;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PeeringDoc {
    /// The connection's id (empty when a dry run plans a new one).
    #[schemars(pattern(aws_ids::PEERING_CONNECTION_ID_OR_PLANNED))]
    pub id: String,
    pub status: PeeringStatus,
    pub requester: PeeringSide,
    pub accepter: PeeringSide,
    /// The routes to the other side's CIDR through the connection.
    #[serde(default)]
    pub routes: Vec<PeeringRoute>,
    /// The rules admitting the other side's CIDR (`--allow-from-peer`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<PeeringRule>,
    /// Whether anything was (or, in a dry run, would be) changed.
    #[serde(default)]
    pub changed: bool,
    /// What was (or would be) done, one line each, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<String>,
}

/// EC2's peering states, and `planned` for a dry run's new connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PeeringStatus {
    Planned,
    InitiatingRequest,
    PendingAcceptance,
    Provisioning,
    Active,
    Deleting,
    Deleted,
    Rejected,
    Failed,
    Expired,
}

impl PeeringStatus {
    pub fn parse(code: &str) -> Option<PeeringStatus> {
        serde_json::from_value(serde_json::Value::String(code.to_owned())).ok()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PeeringSide {
    #[schemars(pattern(aws_ids::ACCOUNT_ID))]
    pub account_id: String,
    #[schemars(pattern(aws_ids::REGION))]
    pub region: String,
    #[schemars(pattern(aws_ids::VPC_ID))]
    pub vpc_id: String,
    /// The VPC's IPv4 blocks.
    pub cidrs: Vec<String>,
    /// The vpc-bootstrap network, when the side is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
}

/// `requester` (the network named first) or `accepter` (OTHER).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PeeringSideName {
    Requester,
    Accepter,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PeeringRoute {
    pub side: PeeringSideName,
    #[schemars(pattern(aws_ids::ROUTE_TABLE_ID))]
    pub route_table_id: String,
    pub destination: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PeeringRule {
    pub side: PeeringSideName,
    #[schemars(pattern(aws_ids::SECURITY_GROUP_ID))]
    pub group_id: String,
    pub cidr: String,
    /// A TCP port.
    pub port: u16,
}

impl Document for PeeringDoc {
    const KIND: &'static str = "peering";
    const SCHEMA_VERSION: u32 = 1;

    fn validate(&self) -> crate::error::Result<()> {
        aws_ids::check("id", aws_ids::PEERING_CONNECTION_ID_OR_PLANNED, &self.id)?;
        for side in [&self.requester, &self.accepter] {
            aws_ids::check("account_id", aws_ids::ACCOUNT_ID, &side.account_id)?;
            aws_ids::check("region", aws_ids::REGION, &side.region)?;
            aws_ids::check("vpc_id", aws_ids::VPC_ID, &side.vpc_id)?;
        }
        Ok(())
    }
}
