//! Discovery: finds a network's resources again by their ownership tags (no state
//! file). Every describe runs in one concurrent round, filtered by the stack tag on
//! the server and checked again here (some APIs, and some emulators, ignore filters).

use crate::cidr_plan::Tier;
use crate::dedupe::{self, Duplicate};
use crate::state::{
    Existing, ExistingAddress, ExistingEndpoint, ExistingIgw, ExistingInstance, ExistingNat, ExistingRoute, ExistingRouteTable,
    ExistingSecurityGroup, ExistingSubnet, ExistingVpc, Permission,
};
use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{IpPermission, SecurityGroup, Tag, VpcAttributeName};
use awsops_core::Result;
use awsops_core::all_items;
use awsops_core::ec2::{filter, name, owned_filter, pairs, role};
use awsops_core::error::aws_error;
use awsops_core::ownership::Ownership;
use awsops_core::permissions::Grant;

/// Reading the network back by its tags, and waiting on what is being made: every run
/// (show, create, destroy, a dry run) starts here. EC2's Describe calls work only on `*`.
pub static READ_NETWORK: Grant = Grant::any(
    "ReadNetwork",
    &[
        "ec2:DescribeAddresses",
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeInstances",
        "ec2:DescribeInternetGateways",
        "ec2:DescribeNatGateways",
        "ec2:DescribeRouteTables",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSubnets",
        "ec2:DescribeVpcAttribute",
        "ec2:DescribeVpcEndpoints",
        "ec2:DescribeVpcs",
    ],
);

/// The names of every network vpc-bootstrap made in the region (its VPCs' stack tags), sorted.
pub async fn stack_names(ec2: &Client) -> Result<Vec<String>> {
    let vpcs: Vec<aws_sdk_ec2::types::Vpc> = all_items!(
        ec2.describe_vpcs().filters(filter(&format!("tag:{}", awsops_core::ownership::TOOL_TAG), [crate::NAME])),
        "DescribeVpcs"
    )?;
    let mut names: Vec<String> = vpcs
        .iter()
        .filter_map(|v| pairs(v.tags()).find(|(k, _)| *k == awsops_core::ownership::STACK_TAG).map(|(_, v)| v.to_owned()))
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

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

/// How much to look at: the VPC's attributes and default group cost a second round,
/// which only planning needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    Resources,
    WithAttributes,
}

pub async fn discover(ec2: &Client, owner: &Ownership, depth: Depth) -> Result<Existing> {
    let owned = |tags: &[Tag]| owner.owns(pairs(tags));
    let (vpcs, subnets, igws, tables, addresses, nats, groups, endpoints, instances) = tokio::try_join!(
        async { all_items!(ec2.describe_vpcs().filters(owned_filter(owner)), "DescribeVpcs") },
        async { all_items!(ec2.describe_subnets().filters(owned_filter(owner)), "DescribeSubnets") },
        async { all_items!(ec2.describe_internet_gateways().filters(owned_filter(owner)), "DescribeInternetGateways") },
        async { all_items!(ec2.describe_route_tables().filters(owned_filter(owner)), "DescribeRouteTables") },
        async { ec2.describe_addresses().filters(owned_filter(owner)).send().await.map_err(aws_error("DescribeAddresses")) },
        async { all_items!(ec2.describe_nat_gateways().filter(owned_filter(owner)), "DescribeNatGateways") },
        async { all_items!(ec2.describe_security_groups().filters(owned_filter(owner)), "DescribeSecurityGroups") },
        async { all_items!(ec2.describe_vpc_endpoints().filters(owned_filter(owner)), "DescribeVpcEndpoints") },
        async {
            all_items!(
                ec2.describe_instances()
                    .filters(owned_filter(owner))
                    .filters(filter("instance-state-name", ["pending", "running", "stopping", "stopped", "shutting-down", "terminated"])),
                "DescribeInstances"
            )
        },
    )?;

    // Gone or going instances still hold their interfaces for a while: they count as the
    // network's for the blocker check, and as nothing else.
    let live = |i: &&aws_sdk_ec2::types::Instance| {
        !matches!(i.state().and_then(|s| s.name()).map(|n| n.as_str()), Some("shutting-down" | "terminated"))
    };
    let ended_instances: Vec<String> = instances
        .iter()
        .flat_map(|r| r.instances())
        .filter(|i| owned(i.tags()) && !live(i))
        .filter_map(|i| i.instance_id().map(str::to_owned))
        .collect();
    let owned_vpcs: Vec<_> = vpcs.into_iter().filter(|v| owned(v.tags()) && role(v.tags()) == Some("vpc")).collect();
    // A VPC is in use when anything of the stack lives in it.
    let occupied = |vpc_id: &str| {
        let here = |id: Option<&str>| id == Some(vpc_id);
        subnets.iter().any(|s| owned(s.tags()) && here(s.vpc_id()))
            || tables.iter().any(|t| owned(t.tags()) && here(t.vpc_id()))
            || groups.iter().any(|g| owned(g.tags()) && here(g.vpc_id()))
            || nats.iter().any(|n| owned(n.tags()) && here(n.vpc_id()))
            || endpoints.iter().any(|e| owned(e.tags()) && here(e.vpc_id()))
            || instances.iter().flat_map(|r| r.instances()).filter(live).any(|i| owned(i.tags()) && here(i.vpc_id()))
    };
    let ids: Vec<String> = owned_vpcs.iter().filter_map(|v| v.vpc_id().map(str::to_owned)).collect();
    let choice = dedupe::choose(&ids, String::as_str, |id| occupied(id));
    let vpc = choice.keep.as_ref().and_then(|keep| owned_vpcs.iter().find(|v| v.vpc_id() == Some(keep.as_str())));
    let empty_duplicates: Vec<String> = choice.remove.clone();
    let mut duplicates: Vec<Duplicate> = empty_duplicates.iter().cloned().map(Duplicate::Vpc).collect();
    let vpc_id = vpc.as_ref().and_then(|v| v.vpc_id()).unwrap_or_default().to_owned();
    let in_vpc = |id: Option<&str>| vpc.is_some() && id == Some(vpc_id.as_str());

    // Internet gateways: the one attached to the kept VPC, else one unattached; the rest
    // that are unattached or on an empty duplicate VPC go. Those on another occupied VPC
    // belong to that VPC's set, and one on a VPC not ours is left alone.
    let owned_igws: Vec<ExistingIgw> = igws
        .iter()
        .filter(|g| owned(g.tags()))
        .map(|g| ExistingIgw {
            id: g.internet_gateway_id().unwrap_or_default().to_owned(),
            attached_vpc: g.attachments().iter().find_map(|a| a.vpc_id().map(str::to_owned)),
        })
        .collect();
    let mine = owned_igws.iter().find(|g| vpc.is_some() && g.attached_vpc.as_deref() == Some(vpc_id.as_str())).cloned();
    let loose: Vec<ExistingIgw> = owned_igws
        .iter()
        .filter(|g| g.attached_vpc.as_ref().is_none_or(|v| empty_duplicates.contains(v)))
        .filter(|g| mine.as_ref().is_none_or(|m| m.id != g.id))
        .cloned()
        .collect();
    let foreign: Vec<ExistingIgw> = owned_igws
        .iter()
        .filter(|g| g.attached_vpc.as_ref().is_some_and(|v| !ids.contains(v)))
        .filter(|g| mine.as_ref().is_none_or(|m| m.id != g.id))
        .cloned()
        .collect();
    let internet_gateway = match mine {
        Some(m) => {
            duplicates.extend(loose.into_iter().map(|g| Duplicate::InternetGateway { id: g.id, attached_vpc: g.attached_vpc }));
            Some(m)
        }
        None => {
            let choice = dedupe::choose(&loose, |g| g.id.as_str(), |g| g.attached_vpc.is_none());
            duplicates.extend(
                choice.remove.into_iter().chain(choice.busy).map(|g| Duplicate::InternetGateway { id: g.id, attached_vpc: g.attached_vpc }),
            );
            // One attached to a VPC not ours is never taken for the network's: left alone.
            if let Some(g) = foreign.first() {
                tracing::warn!(
                    "internet gateway {} carries {}'s tags but is attached to {:?}, not one of its VPCs: left alone",
                    g.id,
                    owner.stack,
                    g.attached_vpc
                );
            }
            choice.keep
        }
    };

    // Elastic IPs: one per role; an extra that nothing is associated with goes.
    let owned_addresses: Vec<(ExistingAddress, bool)> = addresses
        .addresses()
        .iter()
        .filter(|a| owned(a.tags()))
        .map(|a| {
            let allocation_id = a.allocation_id().unwrap_or_default().to_owned();
            let on_our_nat = nats
                .iter()
                .filter(|n| owned(n.tags()))
                .any(|n| n.nat_gateway_addresses().iter().any(|x| x.allocation_id() == Some(allocation_id.as_str())));
            // moto answers empty strings where AWS leaves the fields out.
            let association = a.association_id().filter(|s| !s.is_empty());
            let instance = a.instance_id().filter(|s| !s.is_empty());
            let on_our_instance = instance
                .is_some_and(|id| instances.iter().flat_map(|r| r.instances()).any(|i| owned(i.tags()) && i.instance_id() == Some(id)));
            let used = association.is_some() || instance.is_some() || on_our_nat;
            let address = ExistingAddress {
                allocation_id,
                role: role(a.tags()).unwrap_or_default().to_owned(),
                public_ip: a.public_ip().unwrap_or_default().to_owned(),
                foreign_association: (association.is_some() || instance.is_some()) && !on_our_nat && !on_our_instance,
            };
            (address, used)
        })
        .collect();
    let (kept_addresses, extra_addresses) =
        dedupe::choose_per_role(&owned_addresses, |a| a.0.role.as_str(), |a| a.0.allocation_id.as_str(), |a| a.1);
    duplicates.extend(extra_addresses.into_iter().map(|a| Duplicate::Address(a.0.allocation_id)));

    let mut existing = Existing {
        vpc: vpc.as_ref().map(|v| ExistingVpc {
            id: vpc_id.clone(),
            cidr: v.cidr_block().unwrap_or_default().to_owned(),
            dns_hostnames: false,
            dns_support: false,
        }),
        subnets: subnets
            .iter()
            .filter(|s| owned(s.tags()) && in_vpc(s.vpc_id()))
            .map(|s| ExistingSubnet {
                id: s.subnet_id().unwrap_or_default().to_owned(),
                name: name(s.tags()).unwrap_or_default().to_owned(),
                cidr: s.cidr_block().unwrap_or_default().to_owned(),
                az: s.availability_zone().unwrap_or_default().to_owned(),
                az_id: s.availability_zone_id().unwrap_or_default().to_owned(),
                tier: role(s.tags()).and_then(|r| r.strip_prefix("subnet:")).and_then(|t| t.parse::<Tier>().ok()),
                map_public_ip: s.map_public_ip_on_launch().unwrap_or(false),
            })
            .collect(),
        internet_gateway,
        route_tables: tables
            .iter()
            .filter(|t| owned(t.tags()) && in_vpc(t.vpc_id()))
            .map(|t| ExistingRouteTable {
                id: t.route_table_id().unwrap_or_default().to_owned(),
                role: role(t.tags()).unwrap_or_default().to_owned(),
                routes: t
                    .routes()
                    .iter()
                    .filter_map(|r| {
                        let target = r.nat_gateway_id().or(r.vpc_peering_connection_id()).or(r.gateway_id())?;
                        Some(ExistingRoute { destination: r.destination_cidr_block()?.to_owned(), target: target.to_owned() })
                    })
                    .collect(),
                associations: t
                    .associations()
                    .iter()
                    .filter_map(|a| Some((a.route_table_association_id()?.to_owned(), a.subnet_id()?.to_owned())))
                    .collect(),
            })
            .collect(),
        addresses: kept_addresses.into_iter().map(|a| a.0).collect(),
        nat_gateways: nats
            .iter()
            .filter(|n| owned(n.tags()) && in_vpc(n.vpc_id()))
            .map(|n| ExistingNat {
                id: n.nat_gateway_id().unwrap_or_default().to_owned(),
                role: role(n.tags()).unwrap_or_default().to_owned(),
                subnet_id: n.subnet_id().unwrap_or_default().to_owned(),
                state: n.state().map(|s| s.as_str().to_owned()).unwrap_or_default(),
                allocation_id: n.nat_gateway_addresses().iter().find_map(|a| a.allocation_id().map(str::to_owned)),
                public_ip: n.nat_gateway_addresses().iter().find_map(|a| a.public_ip().map(str::to_owned)),
                interfaces: n.nat_gateway_addresses().iter().filter_map(|a| a.network_interface_id().map(str::to_owned)).collect(),
            })
            .collect(),
        security_groups: groups.iter().filter(|g| owned(g.tags()) && in_vpc(g.vpc_id())).map(security_group).collect(),
        endpoints: endpoints
            .iter()
            .filter(|e| owned(e.tags()) && in_vpc(e.vpc_id()))
            .map(|e| ExistingEndpoint {
                id: e.vpc_endpoint_id().unwrap_or_default().to_owned(),
                role: role(e.tags()).unwrap_or_default().to_owned(),
                service_name: e.service_name().unwrap_or_default().to_owned(),
                route_table_ids: e.route_table_ids().to_vec(),
                state: e.state().map(|s| s.as_str().to_owned()).unwrap_or_default(),
            })
            .collect(),
        bastion: instances
            .iter()
            .flat_map(|r| r.instances())
            .filter(live)
            .filter(|i| owned(i.tags()) && role(i.tags()) == Some(awsops_core::ownership::BASTION_ROLE) && in_vpc(i.vpc_id()))
            .map(|i| ExistingInstance {
                id: i.instance_id().unwrap_or_default().to_owned(),
                state: i.state().and_then(|s| s.name()).map(|n| n.as_str().to_owned()).unwrap_or_default(),
                subnet_id: i.subnet_id().unwrap_or_default().to_owned(),
                private_ip: i.private_ip_address().map(str::to_owned),
                public_ip: i.public_ip_address().map(str::to_owned),
                key_name: i.key_name().map(str::to_owned),
            })
            .next(),
        default_security_group: None,
        duplicates,
        other_vpcs: choice.busy,
        ended_instances,
        load_balancers: Vec::new(),
        target_groups: Vec::new(),
        peerings: Vec::new(),
    };
    // Route tables: one per role; an extra with no subnet associated goes.
    let tables = std::mem::take(&mut existing.route_tables);
    let on_endpoint = |id: &str| existing.endpoints.iter().any(|e| e.route_table_ids.iter().any(|t| t == id));
    let (kept, extra) =
        dedupe::choose_per_role(&tables, |t| t.role.as_str(), |t| t.id.as_str(), |t| !t.associations.is_empty() || on_endpoint(&t.id));
    existing.route_tables = kept;
    existing.duplicates.extend(extra.into_iter().map(|t| Duplicate::RouteTable(t.id)));
    // Gateway endpoints: one per role (service); a live extra goes.
    let endpoints: Vec<ExistingEndpoint> = std::mem::take(&mut existing.endpoints)
        .into_iter()
        .filter(|e| !matches!(e.state.to_ascii_lowercase().as_str(), "deleted" | "deleting"))
        .collect();
    let (kept, extra) = dedupe::choose_per_role(&endpoints, |e| e.role.as_str(), |e| e.id.as_str(), |_| false);
    existing.endpoints = kept;
    existing.duplicates.extend(extra.into_iter().map(|e| Duplicate::Endpoint(e.id)));

    if depth == Depth::WithAttributes && existing.vpc.is_some() {
        let (hostnames, support, default_group) = tokio::try_join!(
            vpc_attribute(ec2, &vpc_id, VpcAttributeName::EnableDnsHostnames),
            vpc_attribute(ec2, &vpc_id, VpcAttributeName::EnableDnsSupport),
            default_security_group(ec2, &vpc_id),
        )?;
        if let Some(v) = existing.vpc.as_mut() {
            v.dns_hostnames = hostnames;
            v.dns_support = support;
        }
        existing.default_security_group = default_group;
    }
    Ok(existing)
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

/// The VPC's default security group (AWS creates it with the VPC).
pub async fn default_security_group(ec2: &Client, vpc_id: &str) -> Result<Option<ExistingSecurityGroup>> {
    let out = ec2
        .describe_security_groups()
        .filters(filter("vpc-id", [vpc_id]))
        .filters(filter("group-name", ["default"]))
        .send()
        .await
        .map_err(aws_error("DescribeSecurityGroups"))?;
    Ok(out.security_groups().iter().find(|g| g.group_name() == Some("default")).map(security_group))
}

fn security_group(g: &SecurityGroup) -> ExistingSecurityGroup {
    ExistingSecurityGroup {
        id: g.group_id().unwrap_or_default().to_owned(),
        role: role(g.tags()).unwrap_or_default().to_owned(),
        name: g.group_name().unwrap_or_default().to_owned(),
        ingress: permissions(g.ip_permissions()),
        egress: permissions(g.ip_permissions_egress()),
    }
}

/// Flattens AWS's grouped permissions into one rule per source.
pub fn permissions(perms: &[IpPermission]) -> Vec<Permission> {
    let mut out = Vec::new();
    for p in perms {
        let protocol = p.ip_protocol().unwrap_or("-1").to_owned();
        let (from_port, to_port) = (p.from_port().unwrap_or(-1), p.to_port().unwrap_or(-1));
        for r in p.ip_ranges() {
            out.push(Permission {
                protocol: protocol.clone(),
                from_port,
                to_port,
                cidr: r.cidr_ip().map(str::to_owned),
                source_group: None,
            });
        }
        for r in p.ipv6_ranges() {
            out.push(Permission {
                protocol: protocol.clone(),
                from_port,
                to_port,
                cidr: r.cidr_ipv6().map(str::to_owned),
                source_group: None,
            });
        }
        for g in p.user_id_group_pairs() {
            out.push(Permission {
                protocol: protocol.clone(),
                from_port,
                to_port,
                cidr: None,
                source_group: g.group_id().map(str::to_owned),
            });
        }
    }
    out
}
