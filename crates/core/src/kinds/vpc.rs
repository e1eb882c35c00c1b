//! The `vpc` document: what vpc-bootstrap built, in the shape efs-mount and bastion-ssh read.

use crate::document::Document;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct VpcDoc {
    /// The stack name (the `awsops:stack` tag).
    pub name: String,
    pub region: String,
    pub vpc_id: String,
    pub cidr: String,
    #[serde(default)]
    pub subnets: Vec<VpcSubnet>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internet_gateway_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nat_gateways: Vec<VpcNatGateway>,
    /// Security group ids by role: `web`, `bastion`, `private`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub security_groups: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<VpcEndpoint>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bastion: Option<VpcBastion>,
    /// Ids of owned duplicates this run removed (a lost response's second VPC, gateway,
    /// Elastic IP or route table); absent when there were none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub duplicates_removed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct VpcSubnet {
    pub id: String,
    pub name: String,
    pub az: String,
    #[serde(default)]
    pub az_id: String,
    pub cidr: String,
    /// `public` or `private`.
    pub tier: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_table_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct VpcNatGateway {
    pub id: String,
    pub az: String,
    pub subnet_id: String,
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct VpcEndpoint {
    pub id: String,
    /// `s3` or `dynamodb`.
    pub service: String,
    pub route_table_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct VpcBastion {
    pub instance_id: String,
    pub state: String,
    pub subnet_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_name: Option<String>,
}

impl Document for VpcDoc {
    const KIND: &'static str = "vpc";
    const SCHEMA_VERSION: u32 = 1;
}

impl VpcDoc {
    pub fn subnets_in_tier<'a>(&'a self, tier: &'a str) -> impl Iterator<Item = &'a VpcSubnet> + 'a {
        self.subnets.iter().filter(move |s| s.tier == tier)
    }
}
