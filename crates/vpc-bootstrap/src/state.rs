//! What already exists of a network, as discovery found it by its ownership tags: the
//! input of planning (what is missing), of teardown, and of the `vpc` document.

use crate::cidr_plan::Tier;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Existing {
    pub vpc: Option<ExistingVpc>,
    pub subnets: Vec<ExistingSubnet>,
    pub internet_gateway: Option<ExistingIgw>,
    pub route_tables: Vec<ExistingRouteTable>,
    pub addresses: Vec<ExistingAddress>,
    pub nat_gateways: Vec<ExistingNat>,
    pub security_groups: Vec<ExistingSecurityGroup>,
    pub endpoints: Vec<ExistingEndpoint>,
    pub bastion: Option<ExistingInstance>,
    /// The VPC's default security group, when discovery looked at it.
    pub default_security_group: Option<ExistingSecurityGroup>,
    /// Owned duplicates nothing uses (a lost response's second resource): removed on
    /// the next create or destroy.
    pub duplicates: Vec<crate::dedupe::Duplicate>,
    /// Other VPCs of the same stack with resources in them (left by overlapping runs of
    /// an older version): `destroy` removes them one by one; `create` refuses.
    pub other_vpcs: Vec<String>,
    /// The network's instances that are shutting down or terminated (their interfaces
    /// may linger; they are not someone else's).
    pub ended_instances: Vec<String>,
    /// The load balancers and target groups `vpc-bootstrap lb` made (found by `destroy`).
    pub load_balancers: Vec<Named>,
    pub target_groups: Vec<Named>,
    /// The live VPC peering connections of the network (requested by it, or into it).
    pub peerings: Vec<String>,
}

/// A resource known by name and ARN (ELBv2's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub name: String,
    pub arn: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingVpc {
    pub id: String,
    pub cidr: String,
    pub dns_hostnames: bool,
    pub dns_support: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingSubnet {
    pub id: String,
    pub name: String,
    pub cidr: String,
    pub az: String,
    pub az_id: String,
    pub tier: Option<Tier>,
    pub map_public_ip: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingIgw {
    pub id: String,
    pub attached_vpc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingRouteTable {
    pub id: String,
    /// The `awsops:role` tag, e.g. `rt:public`, `rt:private:a`.
    pub role: String,
    pub routes: Vec<ExistingRoute>,
    /// (association id, subnet id) of the explicit subnet associations.
    pub associations: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingRoute {
    pub destination: String,
    /// The gateway, NAT gateway, peering connection or endpoint the route points at.
    pub target: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingAddress {
    pub allocation_id: String,
    pub role: String,
    pub public_ip: String,
    /// Associated with something this network did not make (not its NAT gateway or
    /// bastion): never released.
    pub foreign_association: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingNat {
    pub id: String,
    pub role: String,
    pub subnet_id: String,
    /// pending, available, deleting, deleted or failed.
    pub state: String,
    pub allocation_id: Option<String>,
    pub public_ip: Option<String>,
    /// The gateway's own network interfaces.
    pub interfaces: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingSecurityGroup {
    pub id: String,
    pub role: String,
    pub name: String,
    pub ingress: Vec<Permission>,
    pub egress: Vec<Permission>,
}

/// One rule: protocol and ports, from a CIDR or from a security group.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Permission {
    pub protocol: String,
    pub from_port: i32,
    pub to_port: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_group: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingEndpoint {
    pub id: String,
    pub role: String,
    pub service_name: String,
    pub route_table_ids: Vec<String>,
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingInstance {
    pub id: String,
    pub state: String,
    pub subnet_id: String,
    pub private_ip: Option<String>,
    pub public_ip: Option<String>,
    pub key_name: Option<String>,
}

impl Existing {
    pub fn subnet(&self, name: &str) -> Option<&ExistingSubnet> {
        self.subnets.iter().find(|s| s.name == name)
    }

    pub fn route_table(&self, role: &str) -> Option<&ExistingRouteTable> {
        self.route_tables.iter().find(|t| t.role == role)
    }

    /// The route table a subnet is explicitly associated with.
    pub fn route_table_of(&self, subnet_id: &str) -> Option<&ExistingRouteTable> {
        self.association_of(subnet_id).map(|(t, _)| t)
    }

    /// The route table a subnet is explicitly associated with, and the association's id.
    pub fn association_of(&self, subnet_id: &str) -> Option<(&ExistingRouteTable, &str)> {
        self.route_tables.iter().find_map(|t| t.associations.iter().find(|(_, s)| s == subnet_id).map(|(a, _)| (t, a.as_str())))
    }

    pub fn address(&self, role: &str) -> Option<&ExistingAddress> {
        self.addresses.iter().find(|a| a.role == role)
    }

    /// A NAT gateway that is, or is becoming, usable.
    pub fn live_nat(&self, role: &str) -> Option<&ExistingNat> {
        self.nat_gateways.iter().find(|n| n.role == role && matches!(n.state.as_str(), "pending" | "available"))
    }

    pub fn security_group(&self, role: &str) -> Option<&ExistingSecurityGroup> {
        self.security_groups.iter().find(|g| g.role == role)
    }

    pub fn endpoint(&self, role: &str) -> Option<&ExistingEndpoint> {
        self.endpoints.iter().find(|e| e.role == role && !matches!(e.state.to_ascii_lowercase().as_str(), "deleted" | "deleting"))
    }
}
