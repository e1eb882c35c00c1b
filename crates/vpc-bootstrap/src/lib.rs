//! vpc-bootstrap: create, show and tear down a named VPC network whose resources are
//! found again by their ownership tags, so re-runs converge without a state file.

pub mod apply;
pub mod bastion_ami;
pub mod caller_ip;
pub mod cidr_plan;
pub mod dedupe;
pub mod discover;
pub mod lb;
pub mod lb_aws;
pub mod lb_plan;
pub mod lb_spec;
pub mod peer;
pub mod peer_plan;
pub mod permissions;
pub mod plan;
pub mod render;
pub mod routes;
pub mod spec;
pub mod state;
pub mod teardown;

use awsops_core::all_items;
use awsops_core::cli::{DryRun, Timeout};
use awsops_core::confirm::confirm;
use awsops_core::kinds::EndpointService;
use awsops_core::output::Output;
use awsops_core::ownership::Ownership;
use awsops_core::stack_lease::{Fence as StackFence, StackLease};
use awsops_core::{CommandCli, CommonArgs, Error, Outcome, Result};
use clap::{Args, Parser, Subcommand};
use discover::Depth;
use spec::NatMode;

pub const NAME: &str = "vpc-bootstrap";

#[derive(Parser, Debug)]
#[command(
    name = "vpc-bootstrap",
    version,
    about = "Create, show and tear down a tagged VPC network",
    long_about = "Create, show and tear down a named VPC network: public and private subnets across AZs in \
                  stable CIDR slots, an internet gateway, NAT gateways with Elastic IPs, public and private \
                  route tables, web/bastion/private security groups, S3 and DynamoDB gateway endpoints and an \
                  optional bastion host. Every resource carries the tag awsops:stack=NAME, so a re-run finds \
                  what exists and creates only what is missing, and destroy removes only what it created.\n\n\
                  `lb` adds the network's application load balancer (target group, health check, HTTP \
                  listener, targets by id or tag, stickiness) and prints a `load-balancer` document; `peer` \
                  peers its VPC with another network or VPC (routes on both sides) and prints a `peering` \
                  document; destroy removes both.\n\n\
                  Prints one `vpc` document (JSON) on stdout, which efs-mount and bastion-ssh read."
)]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(subcommand)]
    pub command: Command,
}

impl CommandCli for Cli {
    fn common(&self) -> &CommonArgs {
        &self.common
    }

    fn needs(&self) -> Result<awsops_core::permissions::Needs> {
        permissions::needs(self)
    }

    fn permissions() -> awsops_core::permissions::Table {
        permissions::table()
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a network, or converge an existing one, and print its `vpc` document
    Create(Box<CreateArgs>),
    /// Print the `vpc` document of an existing network; changes nothing
    Show(ShowArgs),
    /// Delete everything the network's tags say vpc-bootstrap created, in dependency order
    Destroy(DestroyArgs),
    /// Create or converge the network's application load balancer and print its `load-balancer` document
    #[command(visible_alias = "load-balancer")]
    Lb(Box<lb::LbArgs>),
    /// Peer the network's VPC with another network or VPC (routes on both sides) and print a `peering` document
    Peer(Box<peer::PeerArgs>),
}

awsops_core::waits_for!(NetworkWait, "15m", "Give up waiting (NAT gateways, the bastion) after this long, e.g. 90s, 15m");

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// Network name; every resource is tagged awsops:stack=NAME
    #[arg(value_name = "NAME", env = "AWSOPS_STACK")]
    pub name: String,
    /// The VPC's IPv4 CIDR (/16 to /28, in a private range)
    #[arg(long, default_value = "10.0.0.0/16", env = "AWSOPS_VPC_CIDR", value_name = "CIDR")]
    pub cidr: String,
    /// Allow a VPC CIDR outside the private ranges
    #[arg(long)]
    pub force_cidr: bool,
    /// Use the region's first N AZs
    #[arg(long, default_value_t = 2, env = "AWSOPS_VPC_AZS", value_name = "N", conflicts_with = "az")]
    pub azs: usize,
    /// Use these AZs, by letter or full name (repeat or comma-separate: --az a,c)
    #[arg(long, value_delimiter = ',', value_name = "AZ")]
    pub az: Vec<String>,
    /// Public subnets per AZ
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub public_per_az: usize,
    /// Private subnets per AZ
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub private_per_az: usize,
    /// Subnet size as a prefix length [default: VPC prefix + 8, at most 28]
    #[arg(long, value_name = "PREFIX", value_parser = clap::value_parser!(u8).range(16..=28))]
    pub subnet_prefix: Option<u8>,
    /// An explicit subnet, overriding a planned one of the same name: name=…,cidr=…,az=…[,tier=public|private]
    #[arg(long = "subnet", value_name = "SPEC")]
    pub subnets: Vec<String>,
    /// NAT gateways for the private subnets
    #[arg(long, value_enum, default_value = "single", env = "AWSOPS_VPC_NAT")]
    pub nat: NatMode,
    /// Use this Elastic IP allocation for a NAT gateway instead of allocating one (repeat, in AZ order); never released
    #[arg(long = "nat-eip", value_name = "ALLOCATION_ID")]
    pub nat_eips: Vec<String>,
    /// Ports the web group opens
    #[arg(long = "web-port", value_delimiter = ',', default_value = "80,443", value_name = "PORT")]
    pub web_ports: Vec<u16>,
    /// Where the web group admits traffic from
    #[arg(long = "web-from", value_delimiter = ',', default_value = "0.0.0.0/0", value_name = "CIDR")]
    pub web_from: Vec<String>,
    /// Where the bastion group admits SSH from [default: your public IP/32, detected over HTTPS]
    #[arg(long = "ssh-from", value_delimiter = ',', env = "AWSOPS_SSH_FROM", value_name = "CIDR")]
    pub ssh_from: Vec<String>,
    /// Allow --ssh-from networks that together cover more than a /8 (0.0.0.0/0: SSH from the whole internet)
    #[arg(long)]
    pub allow_ssh_from_anywhere: bool,
    /// Private route tables: one per AZ, or one per private subnet (the reference lab's layout); a change re-associates the subnets and deletes the tables left over
    #[arg(long, value_enum, default_value = "per-az", env = "AWSOPS_PRIVATE_ROUTE_TABLES", value_name = "LAYOUT")]
    pub private_route_tables: spec::PrivateRouteTables,
    /// Gateway endpoints on the private route tables (repeat or comma-separate)
    #[arg(long = "endpoint", value_enum, value_delimiter = ',', value_name = "SERVICE")]
    pub endpoints: Vec<EndpointService>,
    /// Launch a bastion host in the first public subnet
    #[arg(long)]
    pub bastion: bool,
    /// The bastion's AMI [default: latest Amazon Linux 2023, from SSM]
    #[arg(long, value_name = "AMI_ID", requires = "bastion")]
    pub bastion_ami: Option<String>,
    /// The bastion's instance type
    #[arg(long, default_value = "t3.micro", value_name = "TYPE")]
    pub bastion_type: String,
    /// The EC2 key pair the bastion accepts
    #[arg(long, value_name = "NAME", env = "AWSOPS_KEY_NAME")]
    pub key_name: Option<String>,
    #[command(flatten)]
    pub dry_run: DryRun,
    #[command(flatten)]
    pub timeout: Timeout<NetworkWait>,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// Network name [default: every network vpc-bootstrap made in the region]
    #[arg(value_name = "NAME", env = "AWSOPS_STACK")]
    pub name: Option<String>,
    /// With --accounts or --org: the regions to look in (`all`: every enabled region) [default: the configured region]
    #[arg(long = "regions", value_delimiter = ',', value_name = "REGION")]
    pub regions: Vec<String>,
    /// With --accounts or --org: at most this many (account, region) pairs at once
    #[arg(long, default_value_t = 8, value_name = "N", env = "AWSOPS_JOBS")]
    pub jobs: usize,
    #[command(flatten)]
    pub fleet: awsops_core::fleet::FleetArgs,
}

awsops_core::waits_for!(TeardownWait, "15m", "Give up waiting (NAT gateways, instances, draining interfaces) after this long");

#[derive(Args, Debug)]
pub struct DestroyArgs {
    /// Network name
    #[arg(value_name = "NAME", env = "AWSOPS_STACK")]
    pub name: String,
    /// Do not ask; required when not on a terminal
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub dry_run: DryRun,
    #[command(flatten)]
    pub timeout: Timeout<TeardownWait>,
}

pub async fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Create(args) => create(&cli.common, *args).await,
        Command::Show(args) => show(&cli.common, args).await,
        Command::Destroy(args) => destroy(&cli.common, args).await,
        Command::Lb(args) => lb::run(&cli.common, *args).await,
        Command::Peer(args) => peer::run(&cli.common, *args).await,
    }
}

pub(crate) struct Clients {
    ec2: aws_sdk_ec2::Client,
    config: aws_config::SdkConfig,
    region: String,
}

pub(crate) async fn clients(common: &CommonArgs) -> Result<Clients> {
    let config = common.aws.load().await?;
    let region = config.region().map(ToString::to_string).unwrap_or_default();
    Ok(Clients { ec2: aws_sdk_ec2::Client::new(&config), config, region })
}

/// Everything the command line alone can refute, refuted before any call.
#[derive(Clone)]
struct Checked {
    owner: Ownership,
    cidr: ipnet::Ipv4Net,
    layout: cidr_plan::SlotLayout,
    explicit: Vec<spec::ExplicitSubnet>,
    web_sources: Vec<ipnet::Ipv4Net>,
    ssh_sources: Vec<ipnet::Ipv4Net>,
}

fn check_args(args: &CreateArgs) -> Result<Checked> {
    let owner = Ownership::new(NAME, &args.name)?;
    let cidr = cidr_plan::parse_vpc_cidr(&args.cidr, args.force_cidr)?;
    let layout = cidr_plan::SlotLayout::new(cidr, args.subnet_prefix.unwrap_or_else(|| cidr_plan::default_subnet_prefix(cidr)))?;
    let explicit = args.subnets.iter().map(|s| spec::parse_explicit_subnet(s)).collect::<Result<Vec<_>>>()?;
    spec::check_distinct_names(&explicit)?;
    if args.public_per_az == 0 && args.private_per_az == 0 && explicit.is_empty() {
        return Err(Error::usage("no subnets asked for: --public-per-az and --private-per-az are both 0"));
    }
    let web_sources = args.web_from.iter().map(|c| cidr_plan::parse_cidr(c)).collect::<Result<Vec<_>>>()?;
    let ssh_sources = args.ssh_from.iter().map(|c| cidr_plan::parse_cidr(c)).collect::<Result<Vec<_>>>()?;
    if cidr_plan::addresses_covered(&ssh_sources) > cidr_plan::SSH_SOURCES_MAX_ADDRESSES && !args.allow_ssh_from_anywhere {
        return Err(Error::usage(format!(
            "--ssh-from {} opens SSH to more than a /8 of the internet; add --allow-ssh-from-anywhere if you mean it",
            args.ssh_from.join(",")
        )));
    }
    if args.web_ports.contains(&0) {
        return Err(Error::usage("--web-port 0 is not a port"));
    }
    if let Some(bad) = args.nat_eips.iter().find(|e| !awsops_core::aws_ids::matches(awsops_core::aws_ids::EIP_ALLOCATION_ID, e)) {
        return Err(Error::usage(format!("--nat-eip {bad:?}: expected an Elastic IP allocation id (eipalloc-…)")));
    }
    if let Some(ami) = &args.bastion_ami
        && !ami.starts_with("ami-")
    {
        return Err(Error::usage(format!("--bastion-ami {ami:?}: expected an AMI id (ami-…)")));
    }
    Ok(Checked { owner, cidr, layout, explicit, web_sources, ssh_sources })
}

async fn create(common: &CommonArgs, args: CreateArgs) -> Result<Outcome> {
    let checked = check_args(&args)?;
    let c = clients(common).await?;
    // A converged network (and a dry run) only reads. To change anything a run takes the
    // stack's lease, so two runs of one stack (a retried CI job beside the first) take
    // turns: the second waits, then discovers again and finds everything made.
    // A run of the stack in progress elsewhere (a destroy, say) is waited for even by a
    // run that would only read: it must not report a network being removed.
    let busy = !args.dry_run.is_set() && StackLease::held_by_another(&c.ec2, NAME, &args.name).await?;
    if !busy && let Built::Done(outcome) = build(&c, checked.clone(), &args, None).await? {
        return Ok(outcome);
    }
    let lease = StackLease::acquire(&c.ec2, NAME, &args.name, args.timeout.get()).await?;
    let result = build(&c, checked, &args, Some(lease.fence())).await;
    lease.release().await;
    match result? {
        Built::Done(outcome) => Ok(outcome),
        Built::NeedsLease => Err(Error::failed("internal: a leased run asked for the lease")),
    }
}

enum Built {
    Done(Outcome),
    /// The plan changes something and the run holds no lease yet.
    NeedsLease,
}

/// Discovers, plans and (unless a dry run, or a change without the lease) applies.
async fn build(c: &Clients, checked: Checked, args: &CreateArgs, leased: Option<StackFence>) -> Result<Built> {
    let ssm = aws_sdk_ssm::Client::new(&c.config);
    let bastion_image = async {
        let ami = match (&args.bastion, &args.bastion_ami) {
            (false, _) => return Ok(None),
            // A named image is checked now (an unknown one is a usage error before any change).
            (true, Some(ami)) => ami.clone(),
            // AWS's own image needs no check: its root device is looked up when it launches.
            (true, None) => return Ok(Some((bastion_ami::latest_amazon_linux(&ssm).await?, None, None))),
        };
        let (device, size) = bastion_ami::root_device(&c.ec2, &ami).await?;
        Ok(Some((ami, Some(device), Some(size))))
    };
    let (region_azs, existing, bastion_image) =
        tokio::try_join!(discover::region_azs(&c.ec2), discover::discover(&c.ec2, &checked.owner, Depth::WithAttributes), bastion_image)?;
    refuse_other_vpcs(&args.name, &existing)?;
    let azs = spec::choose_azs(&c.region, &region_azs, args.azs, &args.az)?;
    let subnets = spec::desired_subnets(&c.region, &checked.layout, &azs, args.public_per_az, args.private_per_az)?;
    let subnets = spec::apply_explicit(&c.region, &region_azs, subnets, &checked.explicit)?;
    let mut spec = spec::NetworkSpec::bare(&args.name, &c.region, checked.cidr, subnets);
    spec.nat = args.nat;
    spec.private_route_tables = args.private_route_tables;
    spec.nat_eips = args.nat_eips.clone();
    spec.web_ports = args.web_ports.clone();
    spec.web_sources = checked.web_sources;
    spec.endpoints = {
        let mut e = args.endpoints.clone();
        e.sort();
        e.dedup();
        e
    };
    spec.bastion = bastion_image.map(|(ami, root_device, root_size_gib)| spec::BastionSpec {
        ami,
        instance_type: args.bastion_type.clone(),
        key_name: args.key_name.clone(),
        root_device,
        root_size_gib,
    });
    spec.ssh_sources = if !checked.ssh_sources.is_empty() {
        checked.ssh_sources
    } else if existing.security_group(plan::BASTION_GROUP).is_some_and(|g| g.ingress.iter().any(|p| p.from_port == 22)) {
        // The bastion group already admits someone: a re-run from elsewhere adds nobody.
        Vec::new()
    } else if args.dry_run.is_set() {
        // A real run adds the caller's /32 here; the plan shows that rule with a placeholder.
        spec.ssh_from_caller = true;
        Vec::new()
    } else {
        let ip = caller_ip::detect().await?;
        vec![ipnet::Ipv4Net::new(ip, 32).map_err(|e| Error::failed(e.to_string()))?]
    };
    spec::check(&spec)?;
    for eip in &spec.nat_eips {
        c.ec2.describe_addresses().allocation_ids(eip).send().await.map_err(|e| {
            let err = Error::from_aws("DescribeAddresses", e);
            if awsops_core::error::is_not_found(&err) {
                Error::usage(format!("--nat-eip {eip}: no such Elastic IP allocation"))
            } else {
                err
            }
        })?;
    }
    let plan = plan::plan(&spec, &existing)?;
    let mut out = Output::stdout();
    if args.dry_run.is_set() {
        out.emit(&plan)?;
        return Ok(Built::Done(Outcome::Success));
    }
    if leased.is_none() && (plan.changes_anything() || !existing.duplicates.is_empty()) {
        return Ok(Built::NeedsLease);
    }
    if plan.changes_anything() && existing.vpc.is_some() {
        for line in render::describe_changes(&plan) {
            tracing::warn!("{}: {line}", args.name);
        }
    }
    let describe = || async {
        let now = discover::discover(&c.ec2, &checked.owner, Depth::Resources).await?;
        render::render(&args.name, &c.region, &now)
    };
    let mut ctx = apply::Context::new(&c.ec2, &checked.owner, args.timeout.get());
    if let Some(fence) = leased {
        ctx = ctx.fenced(fence);
    }
    if let Some(bastion) = spec.bastion.as_ref().filter(|b| b.root_device.is_none() && plan.steps.iter().any(|s| s.key == "bastion")) {
        ctx = ctx.prefetch_bastion_root(&bastion.ami);
    }
    let mut doc = apply::apply_then(&ctx, &plan, describe).await?;
    doc.duplicates_removed = existing.duplicates.iter().map(|d| d.id().to_owned()).collect();
    for id in &doc.duplicates_removed {
        tracing::warn!(
            "{}: removed {id}, an unused duplicate of this network's own (a lost response or an overlapping run made it)",
            args.name
        );
    }
    out.emit(&doc)?;
    Ok(Built::Done(Outcome::Success))
}

/// More than one VPC of the stack with resources in each cannot be merged: name them.
fn refuse_other_vpcs(stack: &str, existing: &state::Existing) -> Result<()> {
    if existing.other_vpcs.is_empty() {
        return Ok(());
    }
    let kept = existing.vpc.as_ref().map(|v| v.id.as_str()).unwrap_or_default();
    Err(Error::failed(format!(
        "network {stack} has {} VPCs with resources in them ({kept}, {}), left by overlapping runs; `vpc-bootstrap destroy {stack}` removes them all",
        existing.other_vpcs.len() + 1,
        existing.other_vpcs.join(", ")
    )))
}

async fn show(common: &CommonArgs, args: ShowArgs) -> Result<Outcome> {
    if let Some(name) = &args.name {
        Ownership::new(NAME, name)?;
    }
    if let Some(plan) = args.fleet.plan_from_env()? {
        let regions = awsops_core::fleet::parse_regions(&args.regions)?;
        let fleet = awsops_core::fleet::Fleet::connect(common.aws.load().await?, plan, NAME).await?;
        let targets = fleet.targets(&regions, true).await?;
        let name = args.name.as_deref();
        let mut out = Output::stdout();
        let work = |target: awsops_core::fleet_targets::Target, config: aws_config::SdkConfig, mut buffer: Output<Vec<u8>>| async move {
            let region = target.region.clone().unwrap_or_default();
            let result = show_in(&aws_sdk_ec2::Client::new(&config), &region, name, &mut buffer).await;
            (buffer, result)
        };
        fleet.run(targets, args.jobs, &mut out, work, |_, _| {}).await?.finish()?;
        return Ok(Outcome::Success);
    }
    if !args.regions.is_empty() {
        return Err(Error::usage("--regions needs --accounts or --org (one account: --region)"));
    }
    let c = clients(common).await?;
    show_in(&c.ec2, &c.region, args.name.as_deref(), &mut Output::stdout()).await?;
    Ok(Outcome::Success)
}

/// The `vpc` document of the network named, or of every network in the region.
async fn show_in<W: std::io::Write>(ec2: &aws_sdk_ec2::Client, region: &str, name: Option<&str>, out: &mut Output<W>) -> Result<()> {
    let names = match name {
        Some(name) => vec![name.to_owned()],
        None => discover::stack_names(ec2).await?,
    };
    for name in names {
        let existing = discover::discover(ec2, &Ownership::new(NAME, &name)?, Depth::Resources).await?;
        out.emit(&render::render(&name, region, &existing)?)?;
    }
    Ok(())
}

/// Everything of the network `destroy` removes: the EC2 resources and the load balancers.
async fn discover_all(c: &Clients, elb: &aws_sdk_elasticloadbalancingv2::Client, owner: &Ownership) -> Result<state::Existing> {
    let (mut existing, (load_balancers, target_groups), peerings) = tokio::try_join!(
        discover::discover(&c.ec2, owner, Depth::Resources),
        lb_aws::owned_resources(elb, owner),
        peer::owned_peerings(&c.ec2, owner)
    )?;
    existing.peerings = peerings;
    let named = |v: Vec<(String, String)>| v.into_iter().map(|(name, arn)| state::Named { name, arn }).collect();
    existing.load_balancers = named(load_balancers);
    existing.target_groups = named(target_groups);
    Ok(existing)
}

async fn destroy(common: &CommonArgs, args: DestroyArgs) -> Result<Outcome> {
    let owner = Ownership::new(NAME, &args.name)?;
    let c = clients(common).await?;
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&c.config);
    let mut existing = discover_all(&c, &elb, &owner).await?;
    let plan = teardown::plan(&args.name, &c.region, &existing);
    if plan.steps.is_empty() {
        // Already gone: a destroy re-run (or one in a cleanup trap) converges.
        tracing::warn!("no network named {} in {}: nothing to destroy", args.name, c.region);
        if args.dry_run.is_set() {
            Output::stdout().emit(&plan)?;
        }
        return Ok(Outcome::Success);
    }
    check_blockers(&c.ec2, &args.name, &existing).await?;
    if args.dry_run.is_set() {
        Output::stdout().emit(&plan)?;
        return Ok(Outcome::Success);
    }
    if !confirm(&format!("destroy network {} ({} steps)", args.name, plan.steps.len()), args.yes)? {
        return Err(Error::failed("not confirmed; nothing was changed"));
    }
    let lease = StackLease::acquire(&c.ec2, NAME, &args.name, args.timeout.get()).await?;
    let ctx = apply::Context::new(&c.ec2, &owner, args.timeout.get()).with_elb(elb.clone()).fenced(lease.fence());
    // Every VPC of the stack goes, one at a time: each round removes the VPC discovery
    // keeps, and the next finds the next (more than one is left only by overlapping runs
    // of an older version). The count bounds the loop.
    let mut result = Ok(());
    for _ in 0..=existing.other_vpcs.len() + 1 {
        existing = match discover_all(&c, &elb, &owner).await {
            Ok(e) => e,
            Err(e) => {
                result = Err(e);
                break;
            }
        };
        let plan = teardown::plan(&args.name, &c.region, &existing);
        if plan.steps.is_empty() {
            break;
        }
        if let Err(e) = check_blockers(&c.ec2, &args.name, &existing).await {
            result = Err(e);
            break;
        }
        if let Err(e) = apply::apply(&ctx, &plan).await {
            result = Err(e);
            break;
        }
    }
    lease.release().await;
    result.map(|()| Outcome::Success)
}

/// What else sits in the VPC and would keep destroy from finishing.
pub static READ_BLOCKERS: awsops_core::permissions::Grant = awsops_core::permissions::Grant::any(
    "ReadWhatBlocksDestroy",
    &["ec2:DescribeNetworkInterfaces", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets"],
);

async fn check_blockers(ec2: &aws_sdk_ec2::Client, stack: &str, existing: &state::Existing) -> Result<()> {
    if let Some(vpc) = &existing.vpc {
        let in_vpc = || awsops_core::ec2::filter("vpc-id", [vpc.id.as_str()]);
        let (interfaces, tables, groups, subnets) = tokio::try_join!(
            network_interfaces(ec2, &vpc.id),
            async { all_items!(ec2.describe_route_tables().filters(in_vpc()), "DescribeRouteTables") },
            async { all_items!(ec2.describe_security_groups().filters(in_vpc()), "DescribeSecurityGroups") },
            async { all_items!(ec2.describe_subnets().filters(in_vpc()), "DescribeSubnets") },
        )?;
        // An instance someone else terminated holds its interfaces only until AWS deletes
        // them (DeleteSubnet retries meanwhile): not a blocker.
        let attached: Vec<String> = interfaces.iter().filter_map(|i| i.instance_id.clone()).collect();
        let gone = ended_instances(ec2, &attached).await?;
        let interfaces: Vec<teardown::Interface> =
            interfaces.into_iter().filter(|i| !i.instance_id.as_ref().is_some_and(|id| gone.contains(id))).collect();
        let mut blockers = teardown::blockers(existing, &interfaces);
        // What else keeps a VPC from being deleted: route tables (but the main one),
        // security groups (but the default one) and subnets that are not the network's.
        let owned_id = |id: Option<&str>, ours: Vec<&str>| id.is_some_and(|id| ours.contains(&id));
        for t in &tables {
            let main = t.associations().iter().any(|a| a.main() == Some(true));
            let ours = existing.route_tables.iter().map(|r| r.id.as_str()).chain(existing.duplicates.iter().map(|d| d.id())).collect();
            if !main && !owned_id(t.route_table_id(), ours) {
                blockers.push(format!("{} (a route table)", t.route_table_id().unwrap_or("?")));
            }
        }
        for g in &groups {
            if g.group_name() != Some("default")
                && !owned_id(g.group_id(), existing.security_groups.iter().map(|x| x.id.as_str()).collect())
            {
                blockers.push(format!("{} (security group {})", g.group_id().unwrap_or("?"), g.group_name().unwrap_or("")));
            }
        }
        for sn in &subnets {
            if !owned_id(sn.subnet_id(), existing.subnets.iter().map(|x| x.id.as_str()).collect()) {
                blockers.push(format!("{} (a subnet)", sn.subnet_id().unwrap_or("?")));
            }
        }
        if !blockers.is_empty() {
            return Err(Error::failed(format!(
                "cannot destroy {stack}: VPC {} holds what vpc-bootstrap did not create: {}; delete those first",
                vpc.id,
                blockers.join(", ")
            )));
        }
    }
    Ok(())
}

/// Which of these instances are shutting down or terminated (or gone altogether).
async fn ended_instances(ec2: &aws_sdk_ec2::Client, ids: &[String]) -> Result<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let found: std::result::Result<Vec<aws_sdk_ec2::types::Reservation>, Error> =
        all_items!(ec2.describe_instances().set_instance_ids(Some(ids.to_vec())), "DescribeInstances");
    let reservations = match found {
        Ok(r) => r,
        // One of them is gone altogether: each asked about alone.
        Err(e) if awsops_core::error::is_not_found(&e) && ids.len() > 1 => {
            let mut ended = Vec::new();
            for id in ids {
                ended.extend(Box::pin(ended_instances(ec2, std::slice::from_ref(id))).await?);
            }
            return Ok(ended);
        }
        Err(e) if awsops_core::error::is_not_found(&e) => return Ok(ids.to_vec()),
        Err(e) => return Err(e),
    };
    Ok(reservations
        .iter()
        .flat_map(|r| r.instances())
        .filter(|i| matches!(i.state().and_then(|s| s.name()).map(|n| n.as_str()), Some("shutting-down" | "terminated")))
        .filter_map(|i| i.instance_id().map(str::to_owned))
        .collect())
}

async fn network_interfaces(ec2: &aws_sdk_ec2::Client, vpc_id: &str) -> Result<Vec<teardown::Interface>> {
    let enis =
        all_items!(ec2.describe_network_interfaces().filters(awsops_core::ec2::filter("vpc-id", [vpc_id])), "DescribeNetworkInterfaces")?;
    Ok(enis
        .iter()
        .map(|e| teardown::Interface {
            id: e.network_interface_id().unwrap_or_default().to_owned(),
            kind: e.interface_type().map(|t| t.as_str().to_owned()).unwrap_or_default(),
            description: e.description().unwrap_or_default().to_owned(),
            instance_id: e.attachment().and_then(|a| a.instance_id()).map(str::to_owned),
            requester: e.requester_id().map(str::to_owned),
        })
        .collect())
}
