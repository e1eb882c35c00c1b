//! Rendering: what exists, as the `vpc` document the other commands read.

use crate::state::Existing;
use awsops_core::kinds::{
    EndpointService, SecurityGroupRole, SecurityGroups, Tier, VpcBastion, VpcDoc, VpcEndpoint, VpcNatGateway, VpcSubnet,
};
use awsops_core::{Error, Result};

/// The network's groups by role, from their `sg:ROLE` role tags.
fn security_groups(existing: &Existing) -> SecurityGroups {
    let mut groups = SecurityGroups::default();
    for role in SecurityGroupRole::ALL {
        if let Some(g) = existing.security_group(&format!("sg:{}", role.as_str())) {
            groups.set(role, g.id.clone());
        }
    }
    groups
}

pub fn render(stack: &str, region: &str, existing: &Existing) -> Result<VpcDoc> {
    let vpc = existing.vpc.as_ref().ok_or_else(|| Error::usage(format!("no network named {stack} in {region}")))?;
    let mut subnets: Vec<VpcSubnet> = existing
        .subnets
        .iter()
        .filter_map(|s| {
            // An owned subnet whose role tag was changed by hand: the next `create` tags it
            // again; until then it is left out rather than given a tier that may be wrong.
            let Some(tier) = s.tier else {
                tracing::warn!("subnet {} has no tier in its {} tag; left out of the document", s.id, awsops_core::ownership::ROLE_TAG);
                return None;
            };
            Some(VpcSubnet {
                id: s.id.clone(),
                name: s.name.clone(),
                az: s.az.clone(),
                az_id: s.az_id.clone(),
                cidr: s.cidr.clone(),
                tier,
                route_table_id: existing.route_table_of(&s.id).map(|t| t.id.clone()),
            })
        })
        .collect();
    // Public first, then by name: the order a person reads the lab in.
    subnets.sort_by(|a, b| (a.tier != Tier::Public).cmp(&(b.tier != Tier::Public)).then(a.name.cmp(&b.name)));
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
        .filter_map(|e| {
            let service = e.role.strip_prefix("endpoint:").and_then(|s| s.parse::<EndpointService>().ok());
            let Some(service) = service else {
                tracing::warn!(
                    "endpoint {} ({}) has no service in its {} tag; left out of the document",
                    e.id,
                    e.service_name,
                    awsops_core::ownership::ROLE_TAG
                );
                return None;
            };
            let mut route_table_ids = e.route_table_ids.clone();
            route_table_ids.sort();
            Some(VpcEndpoint { id: e.id.clone(), service, route_table_ids })
        })
        .collect();
    endpoints.sort_by_key(|e| e.service);
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
        security_groups: security_groups(existing),
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
