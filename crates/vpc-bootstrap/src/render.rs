//! Rendering: what exists, as the `vpc` document the other commands read.

use crate::state::Existing;
use awsops_core::kinds::{VpcDoc, VpcSubnet};
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
        security_groups: Default::default(),
    })
}
