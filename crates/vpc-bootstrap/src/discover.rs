//! Discovery: finds a network's resources again by their ownership tags (no state
//! file), with the independent describe calls made concurrently.

use crate::cidr_plan::Tier;
use crate::state::{Existing, ExistingIgw, ExistingRoute, ExistingRouteTable, ExistingSubnet, ExistingVpc};
use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::VpcAttributeName;
use awsops_core::ec2::{filter, name, owned_filter, role};
use awsops_core::error::aws_error;
use awsops_core::ownership::{Ownership, ROLE_TAG};
use awsops_core::{Error, Result};

/// The region's available AZs (names).
pub async fn region_azs(ec2: &Client) -> Result<Vec<String>> {
    let out = ec2
        .describe_availability_zones()
        .filters(filter("state", ["available"]))
        .filters(filter("zone-type", ["availability-zone"]))
        .send()
        .await
        .map_err(aws_error("DescribeAvailabilityZones"))?;
    Ok(out.availability_zones().iter().filter_map(|az| az.zone_name().map(str::to_owned)).collect())
}

pub async fn discover(ec2: &Client, owner: &Ownership) -> Result<Existing> {
    let vpcs = ec2
        .describe_vpcs()
        .filters(owned_filter(owner))
        .filters(filter(&format!("tag:{ROLE_TAG}"), ["vpc"]))
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(aws_error("DescribeVpcs"))?;
    if vpcs.len() > 1 {
        let ids: Vec<&str> = vpcs.iter().filter_map(|v| v.vpc_id()).collect();
        return Err(Error::failed(format!(
            "network {} has {} VPCs ({}): a crashed run may have left one; destroy the extra one by id",
            owner.stack,
            ids.len(),
            ids.join(", ")
        )));
    }
    let vpc = vpcs.into_iter().next();
    let igw = discover_igw(ec2, owner);
    let Some(vpc) = vpc else {
        return Ok(Existing { internet_gateway: igw.await?, ..Existing::default() });
    };
    let vpc_id = vpc.vpc_id().unwrap_or_default().to_owned();
    let (hostnames, support, subnets, igw, route_tables) = tokio::try_join!(
        vpc_attribute(ec2, &vpc_id, VpcAttributeName::EnableDnsHostnames),
        vpc_attribute(ec2, &vpc_id, VpcAttributeName::EnableDnsSupport),
        discover_subnets(ec2, owner, &vpc_id),
        igw,
        discover_route_tables(ec2, owner, &vpc_id),
    )?;
    Ok(Existing {
        vpc: Some(ExistingVpc {
            id: vpc_id,
            cidr: vpc.cidr_block().unwrap_or_default().to_owned(),
            dns_hostnames: hostnames,
            dns_support: support,
        }),
        subnets,
        internet_gateway: igw,
        route_tables,
    })
}

async fn vpc_attribute(ec2: &Client, vpc_id: &str, attribute: VpcAttributeName) -> Result<bool> {
    let out =
        ec2.describe_vpc_attribute().vpc_id(vpc_id).attribute(attribute.clone()).send().await.map_err(aws_error("DescribeVpcAttribute"))?;
    let value = match attribute {
        VpcAttributeName::EnableDnsHostnames => out.enable_dns_hostnames(),
        _ => out.enable_dns_support(),
    };
    Ok(value.and_then(|v| v.value()).unwrap_or(false))
}

async fn discover_subnets(ec2: &Client, owner: &Ownership, vpc_id: &str) -> Result<Vec<ExistingSubnet>> {
    let subnets = ec2
        .describe_subnets()
        .filters(filter("vpc-id", [vpc_id]))
        .filters(owned_filter(owner))
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(aws_error("DescribeSubnets"))?;
    Ok(subnets
        .iter()
        .map(|s| ExistingSubnet {
            id: s.subnet_id().unwrap_or_default().to_owned(),
            name: name(s.tags()).unwrap_or_default().to_owned(),
            cidr: s.cidr_block().unwrap_or_default().to_owned(),
            az: s.availability_zone().unwrap_or_default().to_owned(),
            az_id: s.availability_zone_id().unwrap_or_default().to_owned(),
            tier: role(s.tags()).and_then(|r| r.strip_prefix("subnet:")).and_then(|t| t.parse::<Tier>().ok()),
            map_public_ip: s.map_public_ip_on_launch().unwrap_or(false),
        })
        .collect())
}

async fn discover_igw(ec2: &Client, owner: &Ownership) -> Result<Option<ExistingIgw>> {
    let igws = ec2
        .describe_internet_gateways()
        .filters(owned_filter(owner))
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(aws_error("DescribeInternetGateways"))?;
    Ok(igws.first().map(|igw| ExistingIgw {
        id: igw.internet_gateway_id().unwrap_or_default().to_owned(),
        attached_vpc: igw.attachments().iter().find_map(|a| a.vpc_id().map(str::to_owned)),
    }))
}

async fn discover_route_tables(ec2: &Client, owner: &Ownership, vpc_id: &str) -> Result<Vec<ExistingRouteTable>> {
    let tables = ec2
        .describe_route_tables()
        .filters(filter("vpc-id", [vpc_id]))
        .filters(owned_filter(owner))
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(aws_error("DescribeRouteTables"))?;
    Ok(tables
        .iter()
        .map(|t| ExistingRouteTable {
            id: t.route_table_id().unwrap_or_default().to_owned(),
            role: role(t.tags()).unwrap_or_default().to_owned(),
            routes: t
                .routes()
                .iter()
                .filter_map(|r| {
                    let target = r.gateway_id().or(r.nat_gateway_id())?;
                    Some(ExistingRoute { destination: r.destination_cidr_block()?.to_owned(), target: target.to_owned() })
                })
                .collect(),
            associated_subnets: t.associations().iter().filter_map(|a| a.subnet_id().map(str::to_owned)).collect(),
        })
        .collect())
}
