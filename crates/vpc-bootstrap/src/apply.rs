//! Applying a plan: each step runs as soon as the steps it depends on are done, so
//! independent calls overlap and the wall time approaches the longest dependent chain.
//! On a failure no new step starts, the running ones finish (so everything created is
//! tagged), and the error is returned: a re-run discovers what exists and converges.

pub mod grants;

use crate::plan::{Action, Plan, Ref, Step};
use crate::state::Permission;
use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{
    AttributeBooleanValue, BlockDeviceMapping, DomainType, EbsBlockDevice, HttpTokensState, InstanceMetadataEndpointState,
    InstanceMetadataOptionsRequest, InstanceNetworkInterfaceSpecification, InstanceStateName, InstanceType, IpPermission, IpRange,
    NatGatewayState, ResourceType, UserIdGroupPair, VolumeType, VpcEndpointType,
};
use awsops_core::all_items;
use awsops_core::create_once::{self, create_once};
use awsops_core::ec2::{filter, gone_is_ok, one_attempt, owned_filter, pairs, retry_codes, role_filter, settle, tag_spec};
use awsops_core::error::aws_error;
use awsops_core::ownership::Ownership;
use awsops_core::waiter::{Poll, Waiter};
use awsops_core::{Error, Result};
use futures_util::stream::{FuturesUnordered, StreamExt};
use std::collections::HashMap;
use std::time::Duration;

pub struct Context<'a> {
    pub ec2: &'a Client,
    pub owner: &'a Ownership,
    /// The limit of each wait (NAT gateway, instance) and of dependency retries.
    pub timeout: Duration,
    /// NAT gateways whose create call already answered `available`: no poll needed.
    available_at_creation: std::sync::Mutex<std::collections::HashSet<String>>,
    /// The bastion image's root device and size, looked up while the network is built.
    bastion_root: std::sync::Mutex<Option<RootLookup>>,
    /// The stack lease's check, made before each step starts: a run that lost its lease
    /// (paused past its expiry) makes no further change.
    fence: Option<awsops_core::stack_lease::Fence>,
    /// For the load balancer's steps (`vpc-bootstrap lb`, and `destroy`).
    elb: Option<aws_sdk_elasticloadbalancingv2::Client>,
}

/// The lookup of an image's root device name and size (GiB), running on its own.
type RootLookup = tokio::task::JoinHandle<Result<(String, i32)>>;

impl<'a> Context<'a> {
    pub fn new(ec2: &'a Client, owner: &'a Ownership, timeout: Duration) -> Self {
        Context { ec2, owner, timeout, available_at_creation: Default::default(), bastion_root: Default::default(), fence: None, elb: None }
    }

    /// Lets the load balancer's steps run.
    pub fn with_elb(mut self, elb: aws_sdk_elasticloadbalancingv2::Client) -> Self {
        self.elb = Some(elb);
        self
    }

    fn elb(&self) -> Result<&aws_sdk_elasticloadbalancingv2::Client> {
        self.elb.as_ref().ok_or_else(|| Error::failed("internal: a load balancer step without an ELBv2 client"))
    }

    /// Checks the lease before each step.
    pub fn fenced(mut self, fence: awsops_core::stack_lease::Fence) -> Self {
        self.fence = Some(fence);
        self
    }

    /// Starts looking up the bastion image's root device now, off the critical path.
    pub fn prefetch_bastion_root(self, ami: &str) -> Self {
        let (ec2, ami) = (self.ec2.clone(), ami.to_owned());
        let handle = tokio::spawn(async move { crate::bastion_ami::root_device(&ec2, &ami).await });
        if let Ok(mut slot) = self.bastion_root.lock() {
            *slot = Some(handle);
        }
        self
    }
}

pub async fn apply(ctx: &Context<'_>, plan: &Plan) -> Result<()> {
    apply_then(ctx, plan, || async { Ok(()) }).await
}

/// Applies the plan and runs `then` (the final describe) as soon as every step whose
/// effect shows in the document is done, alongside the steps that remain (routes, rules),
/// so describing the result costs no round trip of its own. Its result is returned only
/// when every step succeeded.
pub async fn apply_then<T, F, Fut>(ctx: &Context<'_>, plan: &Plan, then: F) -> Result<T>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let mut then = Some(then);
    let mut follow = std::pin::pin!(futures_util::future::OptionFuture::from(None::<Fut>));
    let mut followed: Option<Result<T>> = None;
    let mut visible_left = plan.steps.iter().filter(|s| s.action.shows_in_document()).count();
    let mut outputs: HashMap<&str, String> = HashMap::new();
    let mut waiting: Vec<&Step> = plan.steps.iter().collect();
    let mut running = FuturesUnordered::new();
    let mut failure: Option<Error> = None;
    loop {
        if failure.is_none()
            && visible_left == 0
            && let Some(start) = then.take()
        {
            follow.set(Some(start()).into());
        }
        if failure.is_none() {
            let (ready, rest): (Vec<&Step>, Vec<&Step>) =
                waiting.into_iter().partition(|s| s.after.iter().all(|dep| outputs.contains_key(dep.as_str())));
            waiting = rest;
            // A lost lease starts nothing more; the running steps finish (so all they made is tagged).
            let lost = if ready.is_empty() { None } else { ctx.fence.as_ref().and_then(|f| f.check().err()) };
            if let Some(lost) = lost {
                failure = Some(lost);
                waiting.extend(ready);
            } else {
                for step in ready {
                    let action = resolve(&step.action, &outputs)?;
                    running.push(async move {
                        tracing::info!(step = %step.key, "start");
                        (step.key.as_str(), execute(ctx, action).await)
                    });
                }
            }
        }
        let next = tokio::select! {
            next = running.next() => next,
            Some(result) = &mut follow, if followed.is_none() && then.is_none() => {
                followed = Some(result);
                continue;
            }
        };
        match next {
            None => break,
            Some((key, Ok(id))) => {
                tracing::info!(step = key, id = %id, "done");
                if plan.steps.iter().any(|s| s.key == key && s.action.shows_in_document()) {
                    visible_left -= 1;
                }
                outputs.insert(key, id);
            }
            Some((key, Err(err))) => {
                tracing::warn!(step = key, "failed: {err}");
                failure.get_or_insert(err);
            }
        }
    }
    match failure {
        Some(err) => Err(err),
        None if !waiting.is_empty() => Err(Error::failed(format!("plan has steps that can never run: {}", waiting[0].key))),
        None => match (followed, then) {
            (Some(result), _) => result,
            (None, Some(start)) => start().await,
            (None, None) => follow.await.unwrap_or_else(|| Err(Error::failed("the final describe never started"))),
        },
    }
}

/// Replaces references to earlier steps by the ids those steps produced.
fn resolve(action: &Action, outputs: &HashMap<&str, String>) -> Result<Action> {
    let mut action = action.clone();
    let mut missing = None;
    action.visit_refs(&mut |r| {
        if let Ref::Step { step } = r {
            match outputs.get(step.as_str()) {
                Some(id) => *r = Ref::Id(id.clone()),
                None => missing = Some(step.clone()),
            }
        }
    });
    match missing {
        Some(step) => Err(Error::failed(format!("step {step} produced no id"))),
        None => Ok(action),
    }
}

fn yes() -> AttributeBooleanValue {
    AttributeBooleanValue::builder().value(true).build()
}

/// The lowest id among those found: every run picks the same one.
fn lowest<'a>(ids: impl Iterator<Item = &'a str>) -> Option<String> {
    ids.min().map(str::to_owned)
}

fn created(id: Option<&str>, operation: &str) -> Result<String> {
    id.map(str::to_owned).ok_or_else(|| Error::failed(format!("{operation} returned no id")))
}

fn ip_permissions(rules: &[Permission], source_group: Option<&str>) -> Vec<IpPermission> {
    rules
        .iter()
        .map(|r| {
            let mut p = IpPermission::builder().ip_protocol(&r.protocol).from_port(r.from_port).to_port(r.to_port);
            match (source_group.or(r.source_group.as_deref()), &r.cidr) {
                (Some(group), _) => p = p.user_id_group_pairs(UserIdGroupPair::builder().group_id(group).build()),
                (None, Some(cidr)) => p = p.ip_ranges(IpRange::builder().cidr_ip(cidr).build()),
                (None, None) => {}
            }
            p.build()
        })
        .collect()
}

/// How long a just-created resource may stay invisible to the next call.
const SETTLE: Duration = Duration::from_secs(20);

/// A resource not visible yet, but not a rule that is simply not there.
fn not_visible_yet(code: &str) -> bool {
    code.ends_with(".NotFound") && code != "InvalidPermission.NotFound"
}

/// A revoke of a rule that is not there is done (a retry after a lost answer).
fn revoked(result: Result<()>) -> Result<()> {
    match result {
        Err(e) if e.aws_code() == Some("InvalidPermission.NotFound") => Ok(()),
        other => other,
    }
}

/// Codes that mean "something still holds on to it": retried while a dependency drains.
fn still_in_use(code: &str) -> bool {
    matches!(code, "DependencyViolation" | "InvalidIPAddress.InUse" | "AuthFailure.AddressNotOwned")
}

/// Runs one action and returns the id it produced (or the id it acted on).
async fn execute(ctx: &Context<'_>, action: Action) -> Result<String> {
    let ec2 = ctx.ec2;
    let owner = ctx.owner;
    match action {
        Action::CreateVpc { name, cidr } => {
            let tags = owner.tags("vpc", &name);
            create_once(
                "CreateVpc",
                || async {
                    let out = ec2
                        .create_vpc()
                        .cidr_block(&cidr)
                        .tag_specifications(tag_spec(ResourceType::Vpc, &tags))
                        .customize()
                        .config_override(one_attempt())
                        .send()
                        .await?;
                    Ok(out.vpc().and_then(|v| v.vpc_id()).unwrap_or_default().to_owned())
                },
                || async {
                    let found = all_items!(ec2.describe_vpcs().filters(owned_filter(owner)).filters(role_filter("vpc")), "DescribeVpcs")?;
                    Ok(lowest(found.iter().filter(|v| v.cidr_block() == Some(cidr.as_str())).filter_map(|v| v.vpc_id())))
                },
            )
            .await
            .and_then(|id| create_once::nonempty_id("CreateVpc", id))
        }
        Action::EnableDnsSupport { vpc } => {
            settle("ModifyVpcAttribute", || ec2.modify_vpc_attribute().vpc_id(vpc.id()).enable_dns_support(yes()).send()).await?;
            Ok(vpc.id().to_owned())
        }
        Action::EnableDnsHostnames { vpc } => {
            settle("ModifyVpcAttribute", || ec2.modify_vpc_attribute().vpc_id(vpc.id()).enable_dns_hostnames(yes()).send()).await?;
            Ok(vpc.id().to_owned())
        }
        Action::StripDefaultSecurityGroup { vpc } => {
            let group = match crate::discover::default_security_group(ec2, vpc.id()).await? {
                Some(g) => g,
                None => return Err(Error::failed(format!("VPC {} has no default security group", vpc.id()))),
            };
            if !group.ingress.is_empty() {
                let perms = ip_permissions(&group.ingress, None);
                revoked(
                    retry_codes("RevokeSecurityGroupIngress", not_visible_yet, SETTLE, || {
                        ec2.revoke_security_group_ingress().group_id(&group.id).set_ip_permissions(Some(perms.clone())).send()
                    })
                    .await
                    .map(drop),
                )?;
            }
            if !group.egress.is_empty() {
                let perms = ip_permissions(&group.egress, None);
                revoked(
                    retry_codes("RevokeSecurityGroupEgress", not_visible_yet, SETTLE, || {
                        ec2.revoke_security_group_egress().group_id(&group.id).set_ip_permissions(Some(perms.clone())).send()
                    })
                    .await
                    .map(drop),
                )?;
            }
            Ok(group.id)
        }
        Action::CreateSubnet { vpc, name, tier, az, cidr } => {
            let tags = owner.tags(&format!("subnet:{}", tier.as_str()), &name);
            create_once(
                "CreateSubnet",
                || async {
                    let out = ec2
                        .create_subnet()
                        .vpc_id(vpc.id())
                        .cidr_block(&cidr)
                        .availability_zone(&az)
                        .tag_specifications(tag_spec(ResourceType::Subnet, &tags))
                        .customize()
                        .config_override(one_attempt())
                        .send()
                        .await?;
                    Ok(out.subnet().and_then(|s| s.subnet_id()).unwrap_or_default().to_owned())
                },
                || async {
                    // A CIDR is unique in its VPC: the subnet with it is the one asked for, if it is ours.
                    let found = all_items!(
                        ec2.describe_subnets().filters(filter("vpc-id", [vpc.id()])).filters(filter("cidr-block", [cidr.as_str()])),
                        "DescribeSubnets"
                    )?;
                    Ok(lowest(found.iter().filter(|s| owner.owns(pairs(s.tags()))).filter_map(|s| s.subnet_id())))
                },
            )
            .await
            .and_then(|id| create_once::nonempty_id("CreateSubnet", id))
        }
        Action::MapPublicIpOnLaunch { subnet } => {
            settle("ModifySubnetAttribute", || ec2.modify_subnet_attribute().subnet_id(subnet.id()).map_public_ip_on_launch(yes()).send())
                .await?;
            Ok(subnet.id().to_owned())
        }
        Action::CreateInternetGateway { name } => {
            let tags = owner.tags("igw", &name);
            create_once(
                "CreateInternetGateway",
                || async {
                    let out = ec2
                        .create_internet_gateway()
                        .tag_specifications(tag_spec(ResourceType::InternetGateway, &tags))
                        .customize()
                        .config_override(one_attempt())
                        .send()
                        .await?;
                    Ok(out.internet_gateway().and_then(|g| g.internet_gateway_id()).unwrap_or_default().to_owned())
                },
                || async {
                    let found = all_items!(
                        ec2.describe_internet_gateways().filters(owned_filter(owner)).filters(role_filter("igw")),
                        "DescribeInternetGateways"
                    )?;
                    Ok(lowest(found.iter().filter(|g| g.attachments().is_empty()).filter_map(|g| g.internet_gateway_id())))
                },
            )
            .await
            .and_then(|id| create_once::nonempty_id("CreateInternetGateway", id))
        }
        Action::AttachInternetGateway { internet_gateway, vpc } => {
            let attached = settle("AttachInternetGateway", || {
                ec2.attach_internet_gateway().internet_gateway_id(internet_gateway.id()).vpc_id(vpc.id()).send()
            })
            .await;
            match attached {
                // A retry after a lost answer: done, if it is attached to this VPC.
                Err(e) if e.aws_code() == Some("Resource.AlreadyAssociated") => {
                    let out = ec2
                        .describe_internet_gateways()
                        .internet_gateway_ids(internet_gateway.id())
                        .send()
                        .await
                        .map_err(aws_error("DescribeInternetGateways"))?;
                    let on_ours = out.internet_gateways().iter().flat_map(|g| g.attachments()).any(|a| a.vpc_id() == Some(vpc.id()));
                    if !on_ours {
                        return Err(e);
                    }
                }
                other => other.map(drop)?,
            }
            Ok(internet_gateway.id().to_owned())
        }
        Action::CreateRouteTable { vpc, name, role } => {
            let tags = owner.tags(&role, &name);
            create_once(
                "CreateRouteTable",
                || async {
                    let out = ec2
                        .create_route_table()
                        .vpc_id(vpc.id())
                        .tag_specifications(tag_spec(ResourceType::RouteTable, &tags))
                        .customize()
                        .config_override(one_attempt())
                        .send()
                        .await?;
                    Ok(out.route_table().and_then(|t| t.route_table_id()).unwrap_or_default().to_owned())
                },
                || async {
                    let found = all_items!(
                        ec2.describe_route_tables()
                            .filters(filter("vpc-id", [vpc.id()]))
                            .filters(owned_filter(owner))
                            .filters(role_filter(&role)),
                        "DescribeRouteTables"
                    )?;
                    Ok(lowest(found.iter().filter_map(|t| t.route_table_id())))
                },
            )
            .await
            .and_then(|id| create_once::nonempty_id("CreateRouteTable", id))
        }
        Action::CreateRoute { route_table, destination, target } => {
            crate::routes::create_route(ec2, route_table.id(), &destination, target.id()).await?;
            Ok(route_table.id().to_owned())
        }
        Action::ReplaceRoute { route_table, destination, target } => {
            crate::routes::replace_route(ec2, route_table.id(), &destination, target.id()).await?;
            Ok(route_table.id().to_owned())
        }
        Action::ReplaceRouteTableAssociation { association, route_table } => {
            let out = settle("ReplaceRouteTableAssociation", || {
                ec2.replace_route_table_association().association_id(association.id()).route_table_id(route_table.id()).send()
            })
            .await?;
            Ok(out.new_association_id().unwrap_or_default().to_owned())
        }
        Action::AssociateRouteTable { route_table, subnet } => {
            let associated = settle("AssociateRouteTable", || {
                ec2.associate_route_table().route_table_id(route_table.id()).subnet_id(subnet.id()).send()
            })
            .await;
            match associated {
                Ok(out) => Ok(out.association_id().unwrap_or_default().to_owned()),
                // A retry after a lost answer: done, if it is this table the subnet is on.
                Err(e) if e.aws_code() == Some("Resource.AlreadyAssociated") => {
                    let out = ec2
                        .describe_route_tables()
                        .route_table_ids(route_table.id())
                        .send()
                        .await
                        .map_err(aws_error("DescribeRouteTables"))?;
                    out.route_tables()
                        .iter()
                        .flat_map(|t| t.associations())
                        .find(|a| a.subnet_id() == Some(subnet.id()))
                        .and_then(|a| a.route_table_association_id())
                        .map(str::to_owned)
                        .ok_or(e)
                }
                Err(e) => Err(e),
            }
        }
        Action::AllocateAddress { name, role } => {
            let tags = owner.tags(&role, &name);
            create_once(
                "AllocateAddress",
                || async {
                    let out = ec2
                        .allocate_address()
                        .domain(DomainType::Vpc)
                        .tag_specifications(tag_spec(ResourceType::ElasticIp, &tags))
                        .customize()
                        .config_override(one_attempt())
                        .send()
                        .await?;
                    Ok(out.allocation_id().unwrap_or_default().to_owned())
                },
                || async {
                    let found = ec2
                        .describe_addresses()
                        .filters(owned_filter(owner))
                        .filters(role_filter(&role))
                        .send()
                        .await
                        .map_err(aws_error("DescribeAddresses"))?;
                    Ok(lowest(
                        found.addresses().iter().filter(|a| a.association_id().is_none_or(str::is_empty)).filter_map(|a| a.allocation_id()),
                    ))
                },
            )
            .await
            .and_then(|id| create_once::nonempty_id("AllocateAddress", id))
        }
        Action::CreateNatGateway { subnet, allocation, name, role } => {
            // The token makes a retried or re-run create return the same gateway.
            let token = format!("awsops-{}-{role}", subnet.id());
            let tags = owner.tags(&role, &name);
            let out = settle("CreateNatGateway", || {
                ec2.create_nat_gateway()
                    .subnet_id(subnet.id())
                    .allocation_id(allocation.id())
                    .client_token(&token)
                    .tag_specifications(tag_spec(ResourceType::Natgateway, &tags))
                    .send()
            })
            .await?;
            let id = created(out.nat_gateway().and_then(|n| n.nat_gateway_id()), "CreateNatGateway")?;
            if out.nat_gateway().and_then(|n| n.state()) == Some(&NatGatewayState::Available) {
                ctx.available_at_creation.lock().map_err(|_| Error::failed("poisoned lock"))?.insert(id.clone());
            }
            Ok(id)
        }
        Action::WaitNatAvailable { nat } => {
            let known = ctx.available_at_creation.lock().map_err(|_| Error::failed("poisoned lock"))?.contains(nat.id());
            if !known {
                wait_nat(ec2, nat.id(), NatGatewayState::Available, ctx.timeout).await?;
            }
            Ok(nat.id().to_owned())
        }
        Action::CreateSecurityGroup { vpc, name, role, description } => {
            let tags = owner.tags(&role, &name);
            create_once(
                "CreateSecurityGroup",
                || async {
                    let out = ec2
                        .create_security_group()
                        .vpc_id(vpc.id())
                        .group_name(&name)
                        .description(&description)
                        .tag_specifications(tag_spec(ResourceType::SecurityGroup, &tags))
                        .customize()
                        .config_override(one_attempt())
                        .send()
                        .await?;
                    Ok(out.group_id().unwrap_or_default().to_owned())
                },
                || async {
                    // A group name is unique in its VPC; it is the one asked for only if it is ours.
                    let found = all_items!(
                        ec2.describe_security_groups().filters(filter("vpc-id", [vpc.id()])).filters(filter("group-name", [name.as_str()])),
                        "DescribeSecurityGroups"
                    )?;
                    Ok(lowest(found.iter().filter(|g| owner.owns(pairs(g.tags()))).filter_map(|g| g.group_id())))
                },
            )
            .await
            .and_then(|id| create_once::nonempty_id("CreateSecurityGroup", id))
        }
        Action::AuthorizeIngress { group, source_group, rules } => {
            let perms = ip_permissions(&rules, source_group.as_ref().map(Ref::id));
            let group_id = group.id();
            let authorize = |perms: Vec<IpPermission>| {
                settle("AuthorizeSecurityGroupIngress", move || {
                    ec2.authorize_security_group_ingress().group_id(group_id).set_ip_permissions(Some(perms.clone())).send()
                })
            };
            match authorize(perms.clone()).await {
                // AWS refuses the whole batch when one rule exists (a retry after a lost
                // answer, or a rule someone added): each rule alone, an existing one is done.
                Err(e) if e.aws_code() == Some("InvalidPermission.Duplicate") => {
                    for perm in perms {
                        match authorize(vec![perm]).await {
                            Err(e) if e.aws_code() == Some("InvalidPermission.Duplicate") => {}
                            other => other.map(drop)?,
                        }
                    }
                }
                other => other.map(drop)?,
            }
            Ok(group.id().to_owned())
        }
        Action::CreateGatewayEndpoint { vpc, service, name, role, route_tables } => {
            let token = format!("awsops-{}-{role}", vpc.id());
            let tags = owner.tags(&role, &name);
            let tables: Vec<String> = route_tables.iter().map(|r| r.id().to_owned()).collect();
            let out = settle("CreateVpcEndpoint", || {
                ec2.create_vpc_endpoint()
                    .vpc_id(vpc.id())
                    .service_name(&service)
                    .vpc_endpoint_type(VpcEndpointType::Gateway)
                    .set_route_table_ids(Some(tables.clone()))
                    .client_token(&token)
                    .tag_specifications(tag_spec(ResourceType::VpcEndpoint, &tags))
                    .send()
            })
            .await?;
            created(out.vpc_endpoint().and_then(|e| e.vpc_endpoint_id()), "CreateVpcEndpoint")
        }
        Action::AddEndpointRouteTables { endpoint, route_tables } => {
            let tables: Vec<String> = route_tables.iter().map(|r| r.id().to_owned()).collect();
            settle("ModifyVpcEndpoint", || {
                ec2.modify_vpc_endpoint().vpc_endpoint_id(endpoint.id()).set_add_route_table_ids(Some(tables.clone())).send()
            })
            .await?;
            Ok(endpoint.id().to_owned())
        }
        Action::RemoveEndpointRouteTables { endpoint, route_tables } => {
            let tables: Vec<String> = route_tables.iter().map(|r| r.id().to_owned()).collect();
            settle("ModifyVpcEndpoint", || {
                ec2.modify_vpc_endpoint().vpc_endpoint_id(endpoint.id()).set_remove_route_table_ids(Some(tables.clone())).send()
            })
            .await?;
            Ok(endpoint.id().to_owned())
        }
        Action::RunBastion { subnet, security_group, ami, instance_type, key_name, name, root_device, root_size_gib } => {
            let (root_device, root_size_gib) = match (root_device, root_size_gib) {
                (Some(device), Some(size)) => (device, size),
                _ => {
                    let prefetched = ctx.bastion_root.lock().map_err(|_| Error::failed("poisoned lock"))?.take();
                    match prefetched {
                        Some(handle) => handle.await.map_err(|e| Error::failed(format!("root device lookup: {e}")))??,
                        None => crate::bastion_ami::root_device(ec2, &ami).await?,
                    }
                }
            };
            let token = format!("awsops-{}-bastion", subnet.id());
            let tags = owner.tags(awsops_core::ownership::BASTION_ROLE, &name);
            let out = settle("RunInstances", || {
                ec2.run_instances()
                    .image_id(&ami)
                    .instance_type(InstanceType::from(instance_type.as_str()))
                    .min_count(1)
                    .max_count(1)
                    .client_token(&token)
                    .set_key_name(key_name.clone())
                    .metadata_options(
                        InstanceMetadataOptionsRequest::builder()
                            .http_tokens(HttpTokensState::Required)
                            .http_endpoint(InstanceMetadataEndpointState::Enabled)
                            .http_put_response_hop_limit(1)
                            .build(),
                    )
                    .block_device_mappings(
                        BlockDeviceMapping::builder()
                            .device_name(&root_device)
                            .ebs(
                                EbsBlockDevice::builder()
                                    .encrypted(true)
                                    .volume_size(root_size_gib)
                                    .volume_type(VolumeType::Gp3)
                                    .delete_on_termination(true)
                                    .build(),
                            )
                            .build(),
                    )
                    .network_interfaces(
                        InstanceNetworkInterfaceSpecification::builder()
                            .device_index(0)
                            .subnet_id(subnet.id())
                            .groups(security_group.id())
                            .associate_public_ip_address(true)
                            .build(),
                    )
                    .tag_specifications(tag_spec(ResourceType::Instance, &tags))
                    .tag_specifications(tag_spec(ResourceType::Volume, &tags))
                    .send()
            })
            .await?;
            created(out.instances().first().and_then(|i| i.instance_id()), "RunInstances")
        }
        Action::WaitInstanceRunning { instance } => {
            wait_instance(ec2, instance.id(), InstanceStateName::Running, ctx.timeout).await?;
            Ok(instance.id().to_owned())
        }
        Action::TerminateInstance { instance } => {
            // Idempotent: an answer lost or cut short (which the SDK does not retry) is
            // sent again; the wait below tells whether it took.
            let mut attempt = 0;
            loop {
                attempt += 1;
                match ec2.terminate_instances().instance_ids(instance.id()).send().await {
                    Ok(_) => break,
                    Err(e) if attempt < 4 && create_once::classify(&e) != create_once::Failure::Final => {
                        tracing::warn!("TerminateInstances: no clear answer; sending it again");
                    }
                    Err(e) => {
                        gone_is_ok(Err(Error::from_aws("TerminateInstances", e)))?;
                        break;
                    }
                }
            }
            wait_instance(ec2, instance.id(), InstanceStateName::Terminated, ctx.timeout).await?;
            Ok(instance.id().to_owned())
        }
        Action::DeleteNatGateway { nat } => {
            gone_is_ok(ec2.delete_nat_gateway().nat_gateway_id(nat.id()).send().await.map(drop).map_err(aws_error("DeleteNatGateway")))?;
            wait_nat(ec2, nat.id(), NatGatewayState::Deleted, ctx.timeout).await?;
            Ok(nat.id().to_owned())
        }
        Action::ReleaseAddress { allocation } => {
            gone_is_ok(
                retry_codes("ReleaseAddress", still_in_use, ctx.timeout, || ec2.release_address().allocation_id(allocation.id()).send())
                    .await
                    .map(drop),
            )?;
            Ok(allocation.id().to_owned())
        }
        Action::DetachInternetGateway { internet_gateway, vpc } => {
            let detached = retry_codes("DetachInternetGateway", still_in_use, ctx.timeout, || {
                ec2.detach_internet_gateway().internet_gateway_id(internet_gateway.id()).vpc_id(vpc.id()).send()
            })
            .await
            .map(drop);
            match detached {
                // Not attached (any more): a retry after a lost answer; done.
                Err(e) if e.aws_code() == Some("Gateway.NotAttached") => {}
                other => gone_is_ok(other)?,
            }
            Ok(internet_gateway.id().to_owned())
        }
        Action::DeleteInternetGateway { internet_gateway } => {
            gone_is_ok(
                retry_codes("DeleteInternetGateway", still_in_use, ctx.timeout, || {
                    ec2.delete_internet_gateway().internet_gateway_id(internet_gateway.id()).send()
                })
                .await
                .map(drop),
            )?;
            Ok(internet_gateway.id().to_owned())
        }
        Action::DeleteVpcEndpoints { endpoints } => {
            let ids: Vec<String> = endpoints.iter().map(|r| r.id().to_owned()).collect();
            let out = match ec2.delete_vpc_endpoints().set_vpc_endpoint_ids(Some(ids)).send().await.map_err(aws_error("DeleteVpcEndpoints"))
            {
                Err(e) if awsops_core::error::is_not_found(&e) => return Ok(String::new()),
                other => other?,
            };
            // AWS answers 200 with the endpoints it could not delete listed apart.
            let failed: Vec<String> = out
                .unsuccessful()
                .iter()
                .filter(|u| !u.error().and_then(|e| e.code()).is_some_and(|c| c.contains("NotFound")))
                .map(|u| {
                    let why = u.error().and_then(|e| e.message()).unwrap_or("no reason given");
                    format!("{} ({why})", u.resource_id().unwrap_or("?"))
                })
                .collect();
            if !failed.is_empty() {
                return Err(Error::failed(format!("DeleteVpcEndpoints left {}", failed.join(", "))));
            }
            Ok(String::new())
        }
        Action::DisassociateRouteTable { association } => {
            gone_is_ok(
                ec2.disassociate_route_table()
                    .association_id(association.id())
                    .send()
                    .await
                    .map(drop)
                    .map_err(aws_error("DisassociateRouteTable")),
            )?;
            Ok(association.id().to_owned())
        }
        Action::DeleteRouteTable { route_table } => {
            gone_is_ok(
                retry_codes("DeleteRouteTable", still_in_use, ctx.timeout, || {
                    ec2.delete_route_table().route_table_id(route_table.id()).send()
                })
                .await
                .map(drop),
            )?;
            Ok(route_table.id().to_owned())
        }
        Action::RevokeIngress { group, rules } => {
            let perms = ip_permissions(&rules, None);
            gone_is_ok(
                ec2.revoke_security_group_ingress()
                    .group_id(group.id())
                    .set_ip_permissions(Some(perms))
                    .send()
                    .await
                    .map(drop)
                    .map_err(aws_error("RevokeSecurityGroupIngress")),
            )?;
            Ok(group.id().to_owned())
        }
        Action::DeleteSecurityGroup { group } => {
            gone_is_ok(
                retry_codes("DeleteSecurityGroup", still_in_use, ctx.timeout, || ec2.delete_security_group().group_id(group.id()).send())
                    .await
                    .map(drop),
            )?;
            Ok(group.id().to_owned())
        }
        Action::DeleteSubnet { subnet } => {
            gone_is_ok(
                retry_codes("DeleteSubnet", still_in_use, ctx.timeout, || ec2.delete_subnet().subnet_id(subnet.id()).send())
                    .await
                    .map(drop),
            )?;
            Ok(subnet.id().to_owned())
        }
        Action::CreateTargetGroup { vpc, name, port, health } => {
            crate::lb_aws::create_target_group(ctx.elb()?, owner, vpc.id(), &name, port, &health).await
        }
        Action::ModifyTargetGroupHealthCheck { target_group, health } => {
            crate::lb_aws::modify_health_check(ctx.elb()?, target_group.id(), &health).await?;
            Ok(target_group.id().to_owned())
        }
        Action::SetTargetGroupAttributes { target_group, attributes } => {
            crate::lb_aws::set_target_group_attributes(ctx.elb()?, target_group.id(), &attributes).await?;
            Ok(target_group.id().to_owned())
        }
        Action::CreateLoadBalancer { name, subnets, security_group } => {
            let subnets: Vec<String> = subnets.iter().map(|r| r.id().to_owned()).collect();
            crate::lb_aws::create_load_balancer(ctx.elb()?, owner, &name, &subnets, security_group.id()).await
        }
        Action::SetLoadBalancerAttributes { load_balancer, attributes } => {
            crate::lb_aws::set_load_balancer_attributes(ctx.elb()?, load_balancer.id(), &attributes).await?;
            Ok(load_balancer.id().to_owned())
        }
        Action::CreateListener { load_balancer, port, target_group } => {
            crate::lb_aws::create_listener(ctx.elb()?, load_balancer.id(), port, target_group.id()).await
        }
        Action::ForwardListener { listener, target_group } => {
            crate::lb_aws::forward_listener(ctx.elb()?, listener.id(), target_group.id()).await?;
            Ok(listener.id().to_owned())
        }
        Action::RegisterTargets { target_group, targets } => {
            crate::lb_aws::register_targets(ctx.elb()?, target_group.id(), &targets).await?;
            Ok(target_group.id().to_owned())
        }
        Action::DeregisterTargets { target_group, targets } => {
            crate::lb_aws::deregister_targets(ctx.elb()?, target_group.id(), &targets).await?;
            Ok(target_group.id().to_owned())
        }
        Action::WaitTargetsHealthy { target_group, targets } => {
            crate::lb_aws::wait_targets_healthy(ctx.elb()?, target_group.id(), &targets, ctx.timeout).await?;
            Ok(target_group.id().to_owned())
        }
        Action::DeleteLoadBalancer { load_balancer } => {
            crate::lb_aws::delete_load_balancer(ctx.elb()?, load_balancer.id(), ctx.timeout).await?;
            Ok(load_balancer.id().to_owned())
        }
        Action::DeleteTargetGroup { target_group } => {
            crate::lb_aws::delete_target_group(ctx.elb()?, target_group.id(), ctx.timeout).await?;
            Ok(target_group.id().to_owned())
        }
        Action::DeletePeeringConnection { peering } => {
            crate::peer::delete_with_routes(ec2, peering.id()).await?;
            Ok(peering.id().to_owned())
        }
        Action::DeleteVpc { vpc } => {
            gone_is_ok(retry_codes("DeleteVpc", still_in_use, ctx.timeout, || ec2.delete_vpc().vpc_id(vpc.id()).send()).await.map(drop))?;
            Ok(vpc.id().to_owned())
        }
    }
}

async fn wait_nat(ec2: &Client, id: &str, want: NatGatewayState, timeout: Duration) -> Result<()> {
    let what = format!("NAT gateway {id} to be {}", want.as_str());
    Waiter::new(what, timeout)
        .wait(|| {
            let want = want.clone();
            async move {
                let out = ec2.describe_nat_gateways().nat_gateway_ids(id).send().await.map_err(aws_error("DescribeNatGateways"))?;
                let Some(nat) = out.nat_gateways().first() else {
                    return Ok(if want == NatGatewayState::Deleted { Poll::Ready(()) } else { Poll::Pending("not visible yet".into()) });
                };
                match nat.state() {
                    Some(state) if *state == want => Ok(Poll::Ready(())),
                    Some(NatGatewayState::Failed) if want != NatGatewayState::Deleted => Err(Error::failed(format!(
                        "NAT gateway {id} failed: {} ({}); delete it (vpc-bootstrap destroy, or by id) and re-run",
                        nat.failure_message().unwrap_or("no reason given"),
                        nat.failure_code().unwrap_or("no code")
                    ))),
                    Some(NatGatewayState::Failed) => Ok(Poll::Ready(())),
                    state => Ok(Poll::Pending(state.map(|s| s.as_str().to_owned()).unwrap_or_default())),
                }
            }
        })
        .await
}

async fn wait_instance(ec2: &Client, id: &str, want: InstanceStateName, timeout: Duration) -> Result<()> {
    let what = format!("instance {id} to be {}", want.as_str());
    Waiter::new(what, timeout)
        .wait(|| {
            let want = want.clone();
            async move {
                let out = match ec2.describe_instances().instance_ids(id).send().await.map_err(aws_error("DescribeInstances")) {
                    Err(e) if awsops_core::error::is_not_found(&e) && want == InstanceStateName::Terminated => return Ok(Poll::Ready(())),
                    Err(e) if awsops_core::error::is_not_found(&e) => return Ok(Poll::Pending("not visible yet".into())),
                    other => other?,
                };
                let state = out.reservations().iter().flat_map(|r| r.instances()).find_map(|i| i.state().and_then(|s| s.name()).cloned());
                match state {
                    Some(s) if s == want => Ok(Poll::Ready(())),
                    None if want == InstanceStateName::Terminated => Ok(Poll::Ready(())),
                    Some(InstanceStateName::Terminated | InstanceStateName::ShuttingDown) if want == InstanceStateName::Running => {
                        Err(Error::failed(format!("instance {id} stopped before it ran; see its state reason in the console")))
                    }
                    s => Ok(Poll::Pending(s.map(|s| s.as_str().to_owned()).unwrap_or_else(|| "unknown".into()))),
                }
            }
        })
        .await
}
