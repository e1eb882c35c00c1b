//! Applying a plan: each step runs as soon as the steps it depends on are done, so
//! independent calls overlap and the wall time approaches the longest dependent chain.
//! On a failure no new step starts, the running ones finish (so everything created is
//! tagged), and the error is returned: a re-run discovers what exists and converges.

use crate::plan::{Action, Plan, Ref, Step};
use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{AttributeBooleanValue, ResourceType};
use awsops_core::ec2::{settle, tag_spec};
use awsops_core::error::aws_error;
use awsops_core::ownership::Ownership;
use awsops_core::{Error, Result};
use futures_util::stream::{FuturesUnordered, StreamExt};
use std::collections::HashMap;

pub async fn apply(ec2: &Client, owner: &Ownership, plan: &Plan) -> Result<()> {
    let mut outputs: HashMap<&str, String> = HashMap::new();
    let mut waiting: Vec<&Step> = plan.steps.iter().collect();
    let mut running = FuturesUnordered::new();
    let mut failure: Option<Error> = None;
    loop {
        if failure.is_none() {
            let (ready, rest): (Vec<&Step>, Vec<&Step>) =
                waiting.into_iter().partition(|s| s.after.iter().all(|dep| outputs.contains_key(dep.as_str())));
            waiting = rest;
            for step in ready {
                let action = resolve(&step.action, &outputs)?;
                running.push(async move {
                    tracing::info!(step = %step.key, "applying");
                    (step.key.as_str(), execute(ec2, owner, action).await)
                });
            }
        }
        match running.next().await {
            None => break,
            Some((key, Ok(id))) => {
                tracing::debug!(step = key, id = %id, "done");
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
        None => Ok(()),
    }
}

/// Replaces references to earlier steps by the ids those steps produced.
fn resolve(action: &Action, outputs: &HashMap<&str, String>) -> Result<Action> {
    let mut action = action.clone();
    let fix = |r: &mut Ref| -> Result<()> {
        if let Ref::Step { step } = r {
            let id = outputs.get(step.as_str()).ok_or_else(|| Error::failed(format!("step {step} produced no id")))?;
            *r = Ref::Id(id.clone());
        }
        Ok(())
    };
    match &mut action {
        Action::CreateVpc { .. } | Action::CreateInternetGateway { .. } => {}
        Action::EnableDnsHostnames { vpc } | Action::EnableDnsSupport { vpc } => fix(vpc)?,
        Action::CreateSubnet { vpc, .. } | Action::CreateRouteTable { vpc, .. } => fix(vpc)?,
        Action::MapPublicIpOnLaunch { subnet } => fix(subnet)?,
        Action::AttachInternetGateway { internet_gateway, vpc } => {
            fix(internet_gateway)?;
            fix(vpc)?;
        }
        Action::CreateRoute { route_table, gateway, .. } => {
            fix(route_table)?;
            fix(gateway)?;
        }
        Action::AssociateRouteTable { route_table, subnet } => {
            fix(route_table)?;
            fix(subnet)?;
        }
    }
    Ok(action)
}

fn id(r: &Ref) -> &str {
    match r {
        Ref::Id(id) => id,
        Ref::Step { step } => step,
    }
}

fn yes() -> AttributeBooleanValue {
    AttributeBooleanValue::builder().value(true).build()
}

/// Runs one action and returns the id it produced (or the id it acted on).
async fn execute(ec2: &Client, owner: &Ownership, action: Action) -> Result<String> {
    match action {
        Action::CreateVpc { name, cidr } => {
            let out = ec2
                .create_vpc()
                .cidr_block(&cidr)
                .tag_specifications(tag_spec(ResourceType::Vpc, &owner.tags("vpc", &name)))
                .send()
                .await
                .map_err(aws_error("CreateVpc"))?;
            created(out.vpc().and_then(|v| v.vpc_id()), "CreateVpc")
        }
        Action::EnableDnsSupport { vpc } => {
            let vpc = id(&vpc).to_owned();
            settle("ModifyVpcAttribute", || ec2.modify_vpc_attribute().vpc_id(&vpc).enable_dns_support(yes()).send()).await?;
            Ok(vpc)
        }
        Action::EnableDnsHostnames { vpc } => {
            let vpc = id(&vpc).to_owned();
            settle("ModifyVpcAttribute", || ec2.modify_vpc_attribute().vpc_id(&vpc).enable_dns_hostnames(yes()).send()).await?;
            Ok(vpc)
        }
        Action::CreateSubnet { vpc, name, tier, az, cidr } => {
            let tags = owner.tags(&format!("subnet:{}", tier.as_str()), &name);
            let out = settle("CreateSubnet", || {
                ec2.create_subnet()
                    .vpc_id(id(&vpc))
                    .cidr_block(&cidr)
                    .availability_zone(&az)
                    .tag_specifications(tag_spec(ResourceType::Subnet, &tags))
                    .send()
            })
            .await?;
            created(out.subnet().and_then(|s| s.subnet_id()), "CreateSubnet")
        }
        Action::MapPublicIpOnLaunch { subnet } => {
            let subnet = id(&subnet).to_owned();
            settle("ModifySubnetAttribute", || ec2.modify_subnet_attribute().subnet_id(&subnet).map_public_ip_on_launch(yes()).send())
                .await?;
            Ok(subnet)
        }
        Action::CreateInternetGateway { name } => {
            let out = ec2
                .create_internet_gateway()
                .tag_specifications(tag_spec(ResourceType::InternetGateway, &owner.tags("igw", &name)))
                .send()
                .await
                .map_err(aws_error("CreateInternetGateway"))?;
            created(out.internet_gateway().and_then(|g| g.internet_gateway_id()), "CreateInternetGateway")
        }
        Action::AttachInternetGateway { internet_gateway, vpc } => {
            settle("AttachInternetGateway", || {
                ec2.attach_internet_gateway().internet_gateway_id(id(&internet_gateway)).vpc_id(id(&vpc)).send()
            })
            .await?;
            Ok(id(&internet_gateway).to_owned())
        }
        Action::CreateRouteTable { vpc, name, role } => {
            let tags = owner.tags(&role, &name);
            let out = settle("CreateRouteTable", || {
                ec2.create_route_table().vpc_id(id(&vpc)).tag_specifications(tag_spec(ResourceType::RouteTable, &tags)).send()
            })
            .await?;
            created(out.route_table().and_then(|t| t.route_table_id()), "CreateRouteTable")
        }
        Action::CreateRoute { route_table, destination, gateway } => {
            settle("CreateRoute", || {
                ec2.create_route().route_table_id(id(&route_table)).destination_cidr_block(&destination).gateway_id(id(&gateway)).send()
            })
            .await?;
            Ok(id(&route_table).to_owned())
        }
        Action::AssociateRouteTable { route_table, subnet } => {
            let out = settle("AssociateRouteTable", || {
                ec2.associate_route_table().route_table_id(id(&route_table)).subnet_id(id(&subnet)).send()
            })
            .await?;
            Ok(out.association_id().unwrap_or_default().to_owned())
        }
    }
}

fn created(id: Option<&str>, operation: &str) -> Result<String> {
    id.map(str::to_owned).ok_or_else(|| Error::failed(format!("{operation} returned no id")))
}
