//! Rendering: what exists, as the `vpc` document the other commands read.

use crate::state::Existing;
use awsops_core::kinds::{VpcBastion, VpcDoc, VpcEndpoint, VpcNatGateway, VpcSubnet};
use awsops_core::{Error, Result};

pub fn render(stack: &str, region: &str, existing: &Existing) -> Result<VpcDoc> {
    let vpc = existing.vpc.as_ref().ok_or_else(|| Error::usage(format!("no network named {stack} in {region}")))?;
    let mut subnets: Vec<VpcSubnet> = existing
        .subnets
        .iter()
        .map(|s| VpcSubnet {
            id: s.id.clone(),
            name: s.name.clone(),
            az: s.az.clone(),
            az_id: s.az_id.clone(),
            cidr: s.cidr.clone(),
            tier: s.tier.map(|t| t.as_str().to_owned()).unwrap_or_else(|| "unknown".into()),
            route_table_id: existing.route_table_of(&s.id).map(|t| t.id.clone()),
        })
        .collect();
    // Public first, then by name: the order a person reads the lab in.
    subnets.sort_by(|a, b| (b.tier == "public").cmp(&(a.tier == "public")).then(a.name.cmp(&b.name)));
    let az_of = |subnet_id: &str| existing.subnets.iter().find(|s| s.id == subnet_id).map(|s| s.az.clone()).unwrap_or_default();
    let mut nat_gateways: Vec<VpcNatGateway> = existing
        .nat_gateways
        .iter()
        .filter(|n| matches!(n.state.as_str(), "pending" | "available"))
        .map(|n| VpcNatGateway {
            id: n.id.clone(),
            az: az_of(&n.subnet_id),
            subnet_id: n.subnet_id.clone(),
            state: n.state.clone(),
            allocation_id: n.allocation_id.clone(),
            public_ip: n.public_ip.clone(),
        })
        .collect();
    nat_gateways.sort_by(|a, b| a.az.cmp(&b.az));
    let mut endpoints: Vec<VpcEndpoint> = existing
        .endpoints
        .iter()
        .map(|e| VpcEndpoint {
            id: e.id.clone(),
            service: e.role.strip_prefix("endpoint:").unwrap_or(&e.service_name).to_owned(),
            route_table_ids: {
                let mut ids = e.route_table_ids.clone();
                ids.sort();
                ids
            },
        })
        .collect();
    endpoints.sort_by(|a, b| a.service.cmp(&b.service));
    Ok(VpcDoc {
        name: stack.to_owned(),
        region: region.to_owned(),
        vpc_id: vpc.id.clone(),
        cidr: vpc.cidr.clone(),
        subnets,
        internet_gateway_id: existing
            .internet_gateway
            .as_ref()
            .filter(|g| g.attached_vpc.as_deref() == Some(&vpc.id))
            .map(|g| g.id.clone()),
        nat_gateways,
        security_groups: existing
            .security_groups
            .iter()
            .filter_map(|g| g.role.strip_prefix("sg:").map(|role| (role.to_owned(), g.id.clone())))
            .collect(),
        endpoints,
        bastion: existing.bastion.as_ref().map(|b| VpcBastion {
            instance_id: b.id.clone(),
            state: b.state.clone(),
            subnet_id: b.subnet_id.clone(),
            private_ip: b.private_ip.clone(),
            public_ip: b.public_ip.clone(),
            key_name: b.key_name.clone(),
        }),
        duplicates_removed: Vec::new(),
    })
}

/// One line per step for stderr: what a changed command is about to do.
pub fn describe_changes(plan: &crate::plan::Plan) -> Vec<String> {
    plan.steps.iter().filter(|s| s.action.mutates()).map(|s| format!("+ {}", s.key)).collect()
}
