//! The `vpc` document: what vpc-bootstrap built, in the shape efs-mount and bastion-ssh read.

use crate::document::Document;
use crate::error::{Error, Result};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

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
    /// Security group ids by role.
    #[serde(default, skip_serializing_if = "SecurityGroups::is_empty")]
    pub security_groups: SecurityGroups,
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
    pub tier: Tier,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_table_id: Option<String>,
}

/// A subnet's tier: `public` subnets route to the internet gateway, `private` ones do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Public,
    Private,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Public => "public",
            Tier::Private => "private",
        }
    }
}

impl FromStr for Tier {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "public" => Ok(Tier::Public),
            "private" => Ok(Tier::Private),
            other => Err(Error::usage(format!("invalid tier {other:?}: expected public or private"))),
        }
    }
}

/// The network's security groups by role: `web` (HTTP/HTTPS from anywhere), `bastion` (SSH
/// from the allowed sources) and `private` (SSH from the bastion group). A struct rather than a
/// map, so the schema names the roles and a reader cannot ask for one that does not exist.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SecurityGroups {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(crate::aws_ids::SECURITY_GROUP_ID))]
    pub web: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(crate::aws_ids::SECURITY_GROUP_ID))]
    pub bastion: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(crate::aws_ids::SECURITY_GROUP_ID))]
    pub private: Option<String>,
}

/// The roles [`SecurityGroups`] has, in the order they are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SecurityGroupRole {
    Web,
    Bastion,
    Private,
}

impl SecurityGroupRole {
    pub const ALL: [SecurityGroupRole; 3] = [SecurityGroupRole::Web, SecurityGroupRole::Bastion, SecurityGroupRole::Private];

    pub fn as_str(self) -> &'static str {
        match self {
            SecurityGroupRole::Web => "web",
            SecurityGroupRole::Bastion => "bastion",
            SecurityGroupRole::Private => "private",
        }
    }
}

impl SecurityGroups {
    pub fn is_empty(&self) -> bool {
        self.web.is_none() && self.bastion.is_none() && self.private.is_none()
    }

    pub fn get(&self, role: SecurityGroupRole) -> Option<&String> {
        match role {
            SecurityGroupRole::Web => self.web.as_ref(),
            SecurityGroupRole::Bastion => self.bastion.as_ref(),
            SecurityGroupRole::Private => self.private.as_ref(),
        }
    }

    pub fn set(&mut self, role: SecurityGroupRole, id: String) {
        let slot = match role {
            SecurityGroupRole::Web => &mut self.web,
            SecurityGroupRole::Bastion => &mut self.bastion,
            SecurityGroupRole::Private => &mut self.private,
        };
        *slot = Some(id);
    }
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
    pub service: EndpointService,
    pub route_table_ids: Vec<String>,
}

/// The gateway endpoints vpc-bootstrap makes (on the private route tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum EndpointService {
    S3,
    Dynamodb,
}

impl EndpointService {
    pub fn as_str(self) -> &'static str {
        match self {
            EndpointService::S3 => "s3",
            EndpointService::Dynamodb => "dynamodb",
        }
    }

    /// The service's name in `region`, as CreateVpcEndpoint wants it.
    pub fn service_name(self, region: &str) -> String {
        format!("com.amazonaws.{region}.{}", self.as_str())
    }
}

impl FromStr for EndpointService {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "s3" => Ok(EndpointService::S3),
            "dynamodb" => Ok(EndpointService::Dynamodb),
            other => Err(Error::usage(format!("invalid endpoint {other:?}: expected s3 or dynamodb"))),
        }
    }
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
    pub fn subnets_in_tier(&self, tier: Tier) -> impl Iterator<Item = &VpcSubnet> + '_ {
        self.subnets.iter().filter(move |s| s.tier == tier)
    }
}
