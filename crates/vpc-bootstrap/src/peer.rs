//! `vpc-bootstrap peer`: a VPC peering between a network and another network, VPC id or
//! `ACCOUNT:REGION:VPC`, as the reference lab connects its subnets: requested, accepted
//! (with the accepter's credentials: this account's, or `--accepter-role-arn`'s), a route
//! to the other side's CIDR in the chosen tables of both sides, and optional rules on the
//! networks' private groups. Overlapping CIDRs are refused before anything changes; a
//! re-run changes nothing; `--delete` (and `destroy`) undoes it. Prints a `peering` document.

use crate::peer_plan::{PeerGroup, PeerRef, PeerSide, PeerStep, PeerTable, RouteTables, Side};
use crate::state::Existing;
use crate::{NAME, discover, plan};
use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{IpPermission, IpRange, ResourceType, VpcPeeringConnection};
use awsops_core::cli::{DryRun, Timeout};
use awsops_core::confirm::confirm;
use awsops_core::create_once::{self, create_once};
use awsops_core::ec2::{filter, one_attempt, owned_filter, pairs, settle, tag_spec};
use awsops_core::error::aws_error;
use awsops_core::kinds::{PeeringDoc, PeeringRoute, PeeringRule, PeeringSide, PeeringSideName, PeeringStatus};
use awsops_core::output::Output;
use awsops_core::ownership::Ownership;
use awsops_core::stack_lease::StackLease;
use awsops_core::waiter::{Poll, Waiter};
use awsops_core::{CommonArgs, Error, Outcome, Result, all_items};
use clap::Args;
use std::time::Duration;

/// The tag naming the network on the accepter side, so that its `destroy` finds the peering.
pub const PEER_STACK_TAG: &str = "awsops:peer-stack";
pub const PEERING_ROLE: &str = "peering";

awsops_core::waits_for!(PeeringWait, "10m", "Give up waiting for the connection after this long");

#[derive(Args, Debug)]
pub struct PeerArgs {
    /// Network name (the requester side)
    #[arg(value_name = "NAME", env = "AWSOPS_STACK")]
    pub stack: String,
    /// The peer: another network's name, a VPC id, or ACCOUNT:REGION:VPC_ID
    #[arg(value_name = "OTHER")]
    pub other: String,
    /// Which route tables of both sides get the route to the other side's CIDR
    #[arg(long, value_enum, default_value = "private", value_name = "TABLES")]
    pub route_tables: RouteTables,
    /// Admit these TCP ports from the other side's CIDR on the networks' private groups (repeat or comma-separate)
    #[arg(long = "allow-from-peer", value_delimiter = ',', value_name = "PORT")]
    pub allow_from_peer: Vec<u16>,
    /// Accept (and route) on the other side with this role: needed when OTHER is in another account
    #[arg(long, value_name = "ROLE_ARN", env = "AWSOPS_ACCEPTER_ROLE_ARN")]
    pub accepter_role_arn: Option<String>,
    /// The region of OTHER when it is a network name or a bare VPC id [default: --region]
    #[arg(long, value_name = "REGION")]
    pub peer_region: Option<String>,
    /// Remove the peering: its routes on both sides, the rules admitting the peer, the connection
    #[arg(long)]
    pub delete: bool,
    /// Do not ask before --delete; required when not on a terminal
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub dry_run: DryRun,
    #[command(flatten)]
    pub timeout: Timeout<PeeringWait>,
}

/// The account of the credentials in use.
async fn caller_account(config: &aws_config::SdkConfig) -> Result<String> {
    let out = aws_sdk_sts::Client::new(config).get_caller_identity().send().await.map_err(aws_error("GetCallerIdentity"))?;
    out.account().map(str::to_owned).ok_or_else(|| Error::failed("GetCallerIdentity returned no account"))
}

/// The account a role ARN lives in (`arn:aws:iam::ACCOUNT:role/...`).
pub fn role_account(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| awsops_core::aws_ids::matches(awsops_core::aws_ids::ACCOUNT_ID, a))
}

/// Both sides' clients and where the accepter is.
struct Sides {
    requester: Client,
    accepter: Client,
    requester_account: String,
    accepter_account: String,
    accepter_region: String,
}

async fn sides(c: &crate::Clients, peer: &PeerRef, args: &PeerArgs) -> Result<Sides> {
    let requester_account = caller_account(&c.config).await?;
    let (account, region) = match peer {
        PeerRef::Vpc { account, region, .. } => (account.clone(), region.clone()),
        PeerRef::Stack(_) => (None, None),
    };
    let accepter_account = account.unwrap_or_else(|| requester_account.clone());
    let accepter_region = region.or_else(|| args.peer_region.clone()).unwrap_or_else(|| c.region.clone());
    let base = awsops_core::aws_config::in_region(&c.config, &accepter_region);
    let accepter = match &args.accepter_role_arn {
        Some(role) => {
            if role_account(role) != Some(accepter_account.as_str()) {
                return Err(Error::usage(format!("--accepter-role-arn {role} is not in the peer's account {accepter_account}")));
            }
            let provider =
                aws_config::sts::AssumeRoleProvider::builder(role).session_name("awsops-vpc-bootstrap").configure(&base).build().await;
            Client::from_conf(aws_sdk_ec2::config::Builder::from(&base).credentials_provider(provider).build())
        }
        None if accepter_account != requester_account => {
            return Err(Error::usage(format!(
                "OTHER is in account {accepter_account}: pass --accepter-role-arn arn:aws:iam::{accepter_account}:role/… to check and accept it there"
            )));
        }
        None => Client::new(&base),
    };
    Ok(Sides { requester: c.ec2.clone(), accepter, requester_account, accepter_account, accepter_region })
}

/// A vpc-bootstrap network as one side of the peering.
fn network_side(existing: &Existing, stack: &str, account: &str, region: &str) -> Result<PeerSide> {
    let vpc = existing.vpc.as_ref().ok_or_else(|| Error::usage(format!("no network named {stack} in {region}")))?;
    let cidr = crate::cidr_plan::parse_cidr(&vpc.cidr)?;
    let tables = existing
        .route_tables
        .iter()
        .filter(|t| t.role == plan::PUBLIC_ROUTE_TABLE_ROLE || plan::is_private_route_table_role(&t.role))
        .map(|t| PeerTable {
            id: t.id.clone(),
            public: t.role == plan::PUBLIC_ROUTE_TABLE_ROLE,
            routes: t.routes.iter().map(|r| (r.destination.clone(), r.target.clone())).collect(),
        })
        .collect();
    let private_group = existing.security_group(plan::PRIVATE_GROUP).map(|g| PeerGroup {
        id: g.id.clone(),
        tcp_from: g
            .ingress
            .iter()
            .filter(|p| p.protocol == "tcp" && p.from_port == p.to_port)
            .filter_map(|p| Some((p.cidr.clone()?, u16::try_from(p.from_port).ok()?)))
            .collect(),
    });
    Ok(PeerSide {
        account: account.to_owned(),
        region: region.to_owned(),
        vpc_id: vpc.id.clone(),
        cidrs: vec![cidr],
        stack: Some(stack.to_owned()),
        tables,
        private_group,
    })
}

/// A VPC by id (not a network of ours): its blocks and every route table, public when it
/// routes 0.0.0.0/0 to an internet gateway.
async fn vpc_side(ec2: &Client, vpc_id: &str, account: &str, region: &str) -> Result<PeerSide> {
    let vpcs = match ec2.describe_vpcs().vpc_ids(vpc_id).send().await.map_err(aws_error("DescribeVpcs")) {
        Err(e) if awsops_core::error::is_not_found(&e) => None,
        other => other?.vpcs().first().cloned(),
    };
    let vpc = vpcs.ok_or_else(|| Error::usage(format!("no VPC {vpc_id} in account {account}, {region}")))?;
    let mut cidrs = Vec::new();
    for block in vpc.cidr_block().into_iter().chain(vpc.cidr_block_association_set().iter().filter_map(|a| a.cidr_block())) {
        let net = crate::cidr_plan::parse_cidr(block)?;
        if !cidrs.contains(&net) {
            cidrs.push(net);
        }
    }
    let tables: Vec<aws_sdk_ec2::types::RouteTable> =
        all_items!(ec2.describe_route_tables().filters(filter("vpc-id", [vpc_id])), "DescribeRouteTables")?;
    let tables = tables
        .iter()
        .filter(|t| t.vpc_id() == Some(vpc_id))
        .map(|t| {
            let routes: Vec<(String, String)> = t
                .routes()
                .iter()
                .filter_map(|r| {
                    let target = r.nat_gateway_id().or(r.vpc_peering_connection_id()).or(r.transit_gateway_id()).or(r.gateway_id())?;
                    Some((r.destination_cidr_block()?.to_owned(), target.to_owned()))
                })
                .collect();
            let public = routes.iter().any(|(d, t)| d == plan::ANYWHERE && t.starts_with("igw-"));
            PeerTable { id: t.route_table_id().unwrap_or_default().to_owned(), public, routes }
        })
        .collect();
    Ok(PeerSide {
        account: account.to_owned(),
        region: region.to_owned(),
        vpc_id: vpc_id.to_owned(),
        cidrs,
        stack: None,
        tables,
        private_group: None,
    })
}

async fn observe_sides(s: &Sides, owner: &Ownership, peer: &PeerRef, region: &str) -> Result<(PeerSide, PeerSide)> {
    let ours = async {
        let existing = discover::discover(&s.requester, owner, discover::Depth::Resources).await?;
        network_side(&existing, &owner.stack, &s.requester_account, region)
    };
    let theirs = async {
        match peer {
            PeerRef::Stack(name) => {
                let other = Ownership::new(NAME, name)?;
                let existing = discover::discover(&s.accepter, &other, discover::Depth::Resources).await?;
                network_side(&existing, name, &s.accepter_account, &s.accepter_region)
            }
            PeerRef::Vpc { vpc_id, .. } => vpc_side(&s.accepter, vpc_id, &s.accepter_account, &s.accepter_region).await,
        }
    };
    tokio::try_join!(ours, theirs)
}

fn status_of(p: &VpcPeeringConnection) -> Option<PeeringStatus> {
    p.status().and_then(|s| s.code()).and_then(|c| PeeringStatus::parse(c.as_str()))
}

fn live(p: &VpcPeeringConnection) -> bool {
    matches!(
        status_of(p),
        Some(PeeringStatus::InitiatingRequest | PeeringStatus::PendingAcceptance | PeeringStatus::Provisioning | PeeringStatus::Active)
    )
}

/// The live peering between the two VPCs, requested from either side.
async fn find_peering(ec2: &Client, a: &str, b: &str) -> Result<Option<VpcPeeringConnection>> {
    let all: Vec<VpcPeeringConnection> = all_items!(ec2.describe_vpc_peering_connections(), "DescribeVpcPeeringConnections")?;
    let vpc = |info: Option<&aws_sdk_ec2::types::VpcPeeringConnectionVpcInfo>| info.and_then(|i| i.vpc_id()).unwrap_or_default().to_owned();
    let mut found: Vec<VpcPeeringConnection> = all
        .into_iter()
        .filter(live)
        .filter(|p| {
            let (r, x) = (vpc(p.requester_vpc_info()), vpc(p.accepter_vpc_info()));
            (r == a && x == b) || (r == b && x == a)
        })
        .collect();
    found.sort_by(|x, y| x.vpc_peering_connection_id().cmp(&y.vpc_peering_connection_id()));
    Ok(found.into_iter().next())
}

async fn request_peering(ec2: &Client, owner: &Ownership, ours: &PeerSide, theirs: &PeerSide) -> Result<String> {
    let mut tags = owner.tags(PEERING_ROLE, &format!("{}-{}", owner.stack, theirs.stack.as_deref().unwrap_or(&theirs.vpc_id)));
    if let Some(stack) = &theirs.stack {
        tags.push((PEER_STACK_TAG.to_owned(), stack.clone()));
    }
    create_once(
        "CreateVpcPeeringConnection",
        || async {
            let out = ec2
                .create_vpc_peering_connection()
                .vpc_id(&ours.vpc_id)
                .peer_vpc_id(&theirs.vpc_id)
                .peer_owner_id(&theirs.account)
                .peer_region(&theirs.region)
                .tag_specifications(tag_spec(ResourceType::VpcPeeringConnection, &tags))
                .customize()
                .config_override(one_attempt())
                .send()
                .await?;
            Ok(out.vpc_peering_connection().and_then(|p| p.vpc_peering_connection_id()).unwrap_or_default().to_owned())
        },
        || async {
            let found = find_peering(ec2, &ours.vpc_id, &theirs.vpc_id).await?;
            Ok(found.filter(|p| owner.owns(pairs(p.tags()))).and_then(|p| p.vpc_peering_connection_id().map(str::to_owned)))
        },
    )
    .await
    .and_then(|id| create_once::nonempty_id("CreateVpcPeeringConnection", id))
}

/// Waits until the connection (as `ec2` sees it) is in one of `want`; a rejected, failed
/// or expired one is an error naming EC2's reason.
async fn wait_peering(ec2: &Client, id: &str, want: &[PeeringStatus], timeout: Duration) -> Result<()> {
    Waiter::new(format!("peering {id} to be {want:?}"), timeout)
        .wait(|| async {
            let out = ec2.describe_vpc_peering_connections().vpc_peering_connection_ids(id).send().await;
            let out = match out.map_err(aws_error("DescribeVpcPeeringConnections")) {
                Err(e) if awsops_core::error::is_not_found(&e) => return Ok(Poll::Pending("not visible yet".into())),
                other => other?,
            };
            let Some(p) = out.vpc_peering_connections().iter().find(|p| p.vpc_peering_connection_id() == Some(id)) else {
                return Ok(Poll::Pending("not visible yet".into()));
            };
            match status_of(p) {
                Some(s) if want.contains(&s) => Ok(Poll::Ready(())),
                Some(s @ (PeeringStatus::Rejected | PeeringStatus::Failed | PeeringStatus::Expired | PeeringStatus::Deleted)) => Err(
                    Error::failed(format!("peering {id} is {s:?}: {}", p.status().and_then(|s| s.message()).unwrap_or("no reason given"))),
                ),
                other => Ok(Poll::Pending(format!("{other:?}"))),
            }
        })
        .await
}

async fn accept_peering(ec2: &Client, id: &str) -> Result<()> {
    match settle("AcceptVpcPeeringConnection", || ec2.accept_vpc_peering_connection().vpc_peering_connection_id(id).send()).await {
        // Accepted already (a retry after a lost answer, or the other side did it).
        Err(e) if e.aws_code() == Some("InvalidStateTransition") => Ok(()),
        other => other.map(drop),
    }
}

fn tcp_from(cidr: &str, port: u16) -> IpPermission {
    IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(i32::from(port))
        .to_port(i32::from(port))
        .ip_ranges(IpRange::builder().cidr_ip(cidr).description("awsops: from the peered VPC").build())
        .build()
}

async fn allow_tcp(ec2: &Client, group: &str, cidr: &str, port: u16) -> Result<()> {
    match ec2.authorize_security_group_ingress().group_id(group).ip_permissions(tcp_from(cidr, port)).send().await {
        Ok(_) => Ok(()),
        Err(e) => {
            let err = Error::from_aws("AuthorizeSecurityGroupIngress", e);
            if err.aws_code() == Some("InvalidPermission.Duplicate") { Ok(()) } else { Err(err) }
        }
    }
}

async fn revoke_tcp(ec2: &Client, group: &str, cidr: &str, port: u16) -> Result<()> {
    let perm = IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(i32::from(port))
        .to_port(i32::from(port))
        .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
        .build();
    match ec2.revoke_security_group_ingress().group_id(group).ip_permissions(perm).send().await {
        Ok(_) => Ok(()),
        Err(e) => awsops_core::ec2::gone_is_ok(Err(Error::from_aws("RevokeSecurityGroupIngress", e))),
    }
}

async fn delete_peering(ec2: &Client, id: &str) -> Result<()> {
    awsops_core::ec2::gone_is_ok(
        ec2.delete_vpc_peering_connection()
            .vpc_peering_connection_id(id)
            .send()
            .await
            .map(drop)
            .map_err(aws_error("DeleteVpcPeeringConnection")),
    )
}

/// Runs the steps: the connection first (request, then accept with the accepter's
/// credentials), then every route and rule of both sides at once.
async fn apply(
    s: &Sides,
    owner: &Ownership,
    ours: &PeerSide,
    theirs: &PeerSide,
    existing: Option<String>,
    steps: &[PeerStep],
    timeout: Duration,
) -> Result<Option<String>> {
    let mut id = existing;
    for step in steps.iter().filter(|s| matches!(s, PeerStep::Request | PeerStep::Accept)) {
        match step {
            PeerStep::Request => {
                let new = request_peering(&s.requester, owner, ours, theirs).await?;
                tracing::info!("requested peering {new}");
                id = Some(new);
            }
            _ => {
                let pcx = id.clone().ok_or_else(|| Error::failed("internal: accept before request"))?;
                wait_peering(&s.accepter, &pcx, &[PeeringStatus::PendingAcceptance, PeeringStatus::Active], timeout).await?;
                accept_peering(&s.accepter, &pcx).await?;
                wait_peering(&s.requester, &pcx, &[PeeringStatus::Active], timeout).await?;
            }
        }
    }
    let pcx = id.clone().unwrap_or_default();
    let client = |side: &Side| if *side == Side::Requester { &s.requester } else { &s.accepter };
    let rest = steps.iter().filter(|s| !matches!(s, PeerStep::Request | PeerStep::Accept | PeerStep::Delete)).map(|step| {
        let pcx = pcx.clone();
        async move {
            match step {
                PeerStep::Route { side, table, destination } => crate::routes::create_route(client(side), table, destination, &pcx).await,
                PeerStep::Allow { side, group, cidr, port } => allow_tcp(client(side), group, cidr, *port).await,
                PeerStep::DeleteRoute { side, table, destination } => crate::routes::delete_route(client(side), table, destination).await,
                PeerStep::Revoke { side, group, cidr, port } => revoke_tcp(client(side), group, cidr, *port).await,
                PeerStep::Request | PeerStep::Accept | PeerStep::Delete => Ok(()),
            }
        }
    });
    futures_util::future::try_join_all(rest).await?;
    if steps.contains(&PeerStep::Delete) && !pcx.is_empty() {
        delete_peering(&s.requester, &pcx).await?;
    }
    Ok(id)
}

pub async fn run(common: &CommonArgs, args: PeerArgs) -> Result<Outcome> {
    let owner = Ownership::new(NAME, &args.stack)?;
    let peer = crate::peer_plan::parse_peer(&args.other)?;
    if let PeerRef::Stack(other) = &peer
        && *other == args.stack
        && args.peer_region.is_none()
    {
        return Err(Error::usage(format!("network {other} cannot peer with itself")));
    }
    if args.allow_from_peer.contains(&0) {
        return Err(Error::usage("--allow-from-peer 0 is not a port"));
    }
    if let Some(role) = &args.accepter_role_arn {
        awsops_core::aws_limits::check_role_arn("--accepter-role-arn", role)?;
    }
    if let Some(region) = &args.peer_region {
        awsops_core::aws_config::known_region(region)?;
    }
    let c = crate::clients(common).await?;
    let s = sides(&c, &peer, &args).await?;
    let (ours, theirs) = observe_sides(&s, &owner, &peer, &c.region).await?;
    let found = find_peering(&s.requester, &ours.vpc_id, &theirs.vpc_id).await?;
    let pcx = found.as_ref().and_then(|p| p.vpc_peering_connection_id()).map(str::to_owned);
    let active = found.as_ref().is_some_and(|p| status_of(p) == Some(PeeringStatus::Active));
    let steps = match (&pcx, args.delete) {
        (Some(id), true) => crate::peer_plan::plan_delete(&ours, &theirs, id),
        (None, true) => Vec::new(),
        (_, false) => {
            crate::peer_plan::plan(&ours, &theirs, pcx.as_deref().map(|id| (id, active)), args.route_tables, &args.allow_from_peer)?
        }
    };
    let label = pcx.clone().unwrap_or_else(|| "the new peering".to_owned());
    let changes: Vec<String> = steps.iter().map(|st| st.describe(&label)).collect();
    if args.dry_run.is_set() {
        let status = match (&found, args.delete) {
            (Some(p), _) => status_of(p).unwrap_or(PeeringStatus::Planned),
            (None, true) => PeeringStatus::Deleted,
            (None, false) => PeeringStatus::Planned,
        };
        let mut doc = document(pcx.unwrap_or_default(), status, &ours, &theirs);
        doc.changed = !changes.is_empty();
        doc.changes = changes;
        Output::stdout().emit(&doc)?;
        return Ok(Outcome::Success);
    }
    if args.delete && !steps.is_empty() && !confirm(&format!("delete peering {label} of {} ({} steps)", args.stack, steps.len()), args.yes)?
    {
        return Err(Error::failed("not confirmed; nothing was changed"));
    }
    let mut id = pcx.clone();
    if !steps.is_empty() {
        let lease = StackLease::acquire(&c.ec2, NAME, &args.stack, args.timeout.get()).await?;
        let result = apply(&s, &owner, &ours, &theirs, pcx, &steps, args.timeout.get()).await;
        lease.release().await;
        id = result?;
    }
    let (ours, theirs) = observe_sides(&s, &owner, &peer, &c.region).await?;
    let status = if args.delete {
        PeeringStatus::Deleted
    } else {
        match &id {
            Some(pcx) => {
                let out = s
                    .requester
                    .describe_vpc_peering_connections()
                    .vpc_peering_connection_ids(pcx)
                    .send()
                    .await
                    .map_err(aws_error("DescribeVpcPeeringConnections"))?;
                out.vpc_peering_connections().first().and_then(status_of).unwrap_or(PeeringStatus::Active)
            }
            None => PeeringStatus::Deleted,
        }
    };
    let mut doc = document(id.unwrap_or_default(), status, &ours, &theirs);
    doc.changed = !changes.is_empty();
    doc.changes = changes;
    Output::stdout().emit(&doc)?;
    Ok(Outcome::Success)
}

/// The `peering` document from both sides as they are: the routes through the connection
/// and the private groups' rules admitting the other side.
fn document(id: String, status: PeeringStatus, ours: &PeerSide, theirs: &PeerSide) -> PeeringDoc {
    let side_doc = |s: &PeerSide| PeeringSide {
        account_id: s.account.clone(),
        region: s.region.clone(),
        vpc_id: s.vpc_id.clone(),
        cidrs: s.cidrs.iter().map(ToString::to_string).collect(),
        stack: s.stack.clone(),
    };
    let mut routes = Vec::new();
    let mut rules = Vec::new();
    for (name, here, there) in [(PeeringSideName::Requester, ours, theirs), (PeeringSideName::Accepter, theirs, ours)] {
        for t in &here.tables {
            for (destination, target) in &t.routes {
                if !id.is_empty() && *target == id {
                    routes.push(PeeringRoute { side: name, route_table_id: t.id.clone(), destination: destination.clone() });
                }
            }
        }
        if let Some(g) = &here.private_group {
            for (cidr, port) in &g.tcp_from {
                if there.cidrs.iter().any(|c| c.to_string() == *cidr) {
                    rules.push(PeeringRule { side: name, group_id: g.id.clone(), cidr: cidr.clone(), port: *port });
                }
            }
        }
    }
    routes.sort_by(|a, b| (a.route_table_id.as_str(), a.destination.as_str()).cmp(&(b.route_table_id.as_str(), b.destination.as_str())));
    PeeringDoc { id, status, requester: side_doc(ours), accepter: side_doc(theirs), routes, rules, changed: false, changes: Vec::new() }
}

/// The live peerings `destroy` removes: those the network requested (its ownership tags)
/// and those another network requested into it (`awsops:peer-stack`).
pub async fn owned_peerings(ec2: &Client, owner: &Ownership) -> Result<Vec<String>> {
    let all: Vec<VpcPeeringConnection> =
        all_items!(ec2.describe_vpc_peering_connections().filters(owned_filter(owner)), "DescribeVpcPeeringConnections")?;
    let mut ids: Vec<String> = all
        .iter()
        .filter(|p| live(p))
        .filter(|p| {
            let tags: Vec<(&str, &str)> = pairs(p.tags()).collect();
            owner.owns(tags.iter().copied()) && tags.iter().any(|(k, v)| *k == awsops_core::ownership::TOOL_TAG && *v == owner.tool)
        })
        .filter_map(|p| p.vpc_peering_connection_id().map(str::to_owned))
        .collect();
    let into: Vec<VpcPeeringConnection> = all_items!(
        ec2.describe_vpc_peering_connections().filters(filter(&format!("tag:{PEER_STACK_TAG}"), [owner.stack.as_str()])),
        "DescribeVpcPeeringConnections"
    )?;
    ids.extend(
        into.iter()
            .filter(|p| live(p) && pairs(p.tags()).any(|(k, v)| k == PEER_STACK_TAG && v == owner.stack))
            .filter_map(|p| p.vpc_peering_connection_id().map(str::to_owned)),
    );
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// `destroy`'s step: the routes through the connection in both VPCs (when they are in this
/// account: another account's stay, and are named), then the connection.
pub async fn delete_with_routes(ec2: &Client, id: &str) -> Result<()> {
    let out = match ec2
        .describe_vpc_peering_connections()
        .vpc_peering_connection_ids(id)
        .send()
        .await
        .map_err(aws_error("DescribeVpcPeeringConnections"))
    {
        Err(e) if awsops_core::error::is_not_found(&e) => return Ok(()),
        other => other?,
    };
    let Some(p) = out.vpc_peering_connections().first() else { return Ok(()) };
    let account = p.requester_vpc_info().and_then(|i| i.owner_id()).unwrap_or_default();
    for info in [p.requester_vpc_info(), p.accepter_vpc_info()].into_iter().flatten() {
        let (Some(vpc), Some(region)) = (info.vpc_id(), info.region()) else { continue };
        if info.owner_id() != Some(account) {
            tracing::warn!("peering {id}: the routes to it in account {} ({vpc}) stay; remove them there", info.owner_id().unwrap_or("?"));
            continue;
        }
        let here = Client::from_conf(ec2.config().to_builder().region(aws_sdk_ec2::config::Region::new(region.to_owned())).build());
        let tables: Vec<aws_sdk_ec2::types::RouteTable> =
            all_items!(here.describe_route_tables().filters(filter("vpc-id", [vpc])), "DescribeRouteTables")?;
        for t in tables.iter().filter(|t| t.vpc_id() == Some(vpc)) {
            for r in t.routes().iter().filter(|r| r.vpc_peering_connection_id() == Some(id)) {
                if let (Some(table), Some(destination)) = (t.route_table_id(), r.destination_cidr_block()) {
                    crate::routes::delete_route(&here, table, destination).await?;
                }
            }
        }
    }
    delete_peering(ec2, id).await
}

/// Reading both sides: the VPCs, their route tables and groups, the peering connections.
pub static READ_PEERING: awsops_core::permissions::Grant = awsops_core::permissions::Grant::any(
    "ReadPeering",
    &["ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcPeeringConnections", "ec2:DescribeVpcs"],
);
/// Requesting the connection from the stack's VPC, tagged on creation.
pub static REQUEST_PEERING: awsops_core::permissions::Grant =
    awsops_core::permissions::Grant::any("RequestPeering", &["ec2:CreateVpcPeeringConnection"])
        .on(&[awsops_core::ec2_arn!("vpc-peering-connection"), awsops_core::ec2_arn!("vpc")])
        .tags_on_create();
/// Accepting it (same account; across accounts the accepter role does this).
pub static ACCEPT_PEERING: awsops_core::permissions::Grant =
    awsops_core::permissions::Grant::any("AcceptPeering", &["ec2:AcceptVpcPeeringConnection"])
        .on(&[awsops_core::ec2_arn!("vpc-peering-connection"), awsops_core::ec2_arn!("vpc")]);
/// Rules admitting the peer's CIDR (`--allow-from-peer`), and their removal on `--delete`.
pub static PEER_RULES: awsops_core::permissions::Grant =
    awsops_core::permissions::Grant::any("AdmitPeer", &["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"])
        .on(&[awsops_core::ec2_arn!("security-group")]);
/// `--delete` and `destroy`: the connection itself.
pub static DELETE_PEERING: awsops_core::permissions::Grant =
    awsops_core::permissions::Grant::any("DeletePeering", &["ec2:DeleteVpcPeeringConnection"])
        .on(&[awsops_core::ec2_arn!("vpc-peering-connection")]);
/// `--accepter-role-arn`: the role in the other account (the SDK's credentials provider calls it).
pub static ASSUME_ACCEPTER_ROLE: awsops_core::permissions::Grant =
    awsops_core::permissions::Grant::any("AssumeAccepterRole", &["sts:AssumeRole"]).on(&["{accepter_role_arn}"]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_roles_account_is_read_from_its_arn() {
        assert_eq!(role_account("arn:aws:iam::222222222222:role/peer"), Some("222222222222"));
        assert_eq!(role_account("arn:aws:iam::2222:role/peer"), None);
        assert_eq!(role_account("role/peer"), None);
    }
}
