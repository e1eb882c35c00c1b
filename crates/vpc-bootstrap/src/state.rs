//! What already exists of a network, as discovery found it by its ownership tags: the
//! input of planning (what is missing) and of rendering (the `vpc` document).

use crate::cidr_plan::Tier;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Existing {
    pub vpc: Option<ExistingVpc>,
    pub subnets: Vec<ExistingSubnet>,
    pub internet_gateway: Option<ExistingIgw>,
    pub route_tables: Vec<ExistingRouteTable>,
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
    /// The `awsops:role` tag, e.g. `rt:public`.
    pub role: String,
    pub routes: Vec<ExistingRoute>,
    pub associated_subnets: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingRoute {
    pub destination: String,
    /// The gateway, NAT gateway or endpoint the route points at.
    pub target: String,
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
        self.route_tables.iter().find(|t| t.associated_subnets.iter().any(|s| s == subnet_id))
    }
}
