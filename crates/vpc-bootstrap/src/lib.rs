//! vpc-bootstrap: create, show and tear down a named VPC network whose resources are
//! found again by their ownership tags, so re-runs converge without a state file.

pub mod apply;
pub mod cidr_plan;
pub mod discover;
pub mod plan;
pub mod render;
pub mod spec;
pub mod state;

use awsops_core::output::Output;
use awsops_core::ownership::Ownership;
use awsops_core::{CommandCli, CommonArgs, Error, Outcome, Result};
use clap::{Args, Parser, Subcommand};
use std::time::Duration;

pub const NAME: &str = "vpc-bootstrap";

#[derive(Parser, Debug)]
#[command(
    name = "vpc-bootstrap",
    version,
    about = "Create, show and tear down a tagged VPC network",
    long_about = "Create, show and tear down a named VPC network: public and private subnets across AZs in \
                  stable CIDR slots, an internet gateway and a public route table. Every resource carries the \
                  tag awsops:stack=NAME, so a re-run finds what exists and creates only what is missing.\n\n\
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
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a network, or converge an existing one, and print its `vpc` document
    Create(CreateArgs),
    /// Print the `vpc` document of an existing network; changes nothing
    Show(ShowArgs),
}

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
    /// Subnet size as a prefix length (default: VPC prefix + 8, at most 28)
    #[arg(long, value_name = "PREFIX", value_parser = clap::value_parser!(u8).range(16..=28))]
    pub subnet_prefix: Option<u8>,
    /// Print the plan as JSON and change nothing
    #[arg(long, env = "AWSOPS_DRY_RUN")]
    pub dry_run: bool,
    /// Give up waiting after this long (e.g. 90s, 15m)
    #[arg(long, default_value = "15m", value_parser = humantime_duration, value_name = "DURATION")]
    pub timeout: Duration,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// Network name
    #[arg(value_name = "NAME", env = "AWSOPS_STACK")]
    pub name: String,
}

fn humantime_duration(text: &str) -> std::result::Result<Duration, String> {
    awsops_core::waiter::parse_duration(text)
}

pub async fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Create(args) => create(&cli.common, args).await,
        Command::Show(args) => show(&cli.common, args).await,
    }
}

async fn client(common: &CommonArgs) -> Result<(aws_sdk_ec2::Client, String)> {
    let config = common.aws.load().await?;
    let region = config.region().map(ToString::to_string).unwrap_or_default();
    Ok((aws_sdk_ec2::Client::new(&config), region))
}

async fn create(common: &CommonArgs, args: CreateArgs) -> Result<Outcome> {
    // Everything the command line alone can refute is refuted before any call.
    let owner = Ownership::new(NAME, &args.name)?;
    let cidr = cidr_plan::parse_vpc_cidr(&args.cidr, args.force_cidr)?;
    let layout = cidr_plan::SlotLayout::new(cidr, args.subnet_prefix.unwrap_or_else(|| cidr_plan::default_subnet_prefix(cidr)))?;
    if args.public_per_az == 0 && args.private_per_az == 0 {
        return Err(Error::usage("no subnets asked for: --public-per-az and --private-per-az are both 0"));
    }
    let (ec2, region) = client(common).await?;
    let (region_azs, existing) = tokio::try_join!(discover::region_azs(&ec2), discover::discover(&ec2, &owner))?;
    let azs = spec::choose_azs(&region, &region_azs, args.azs, &args.az)?;
    let subnets = spec::desired_subnets(&region, &layout, &azs, args.public_per_az, args.private_per_az)?;
    let spec = spec::NetworkSpec { stack: args.name.clone(), region: region.clone(), cidr, subnets };
    spec::check(&spec)?;
    let plan = plan::plan(&spec, &existing)?;
    let mut out = Output::stdout();
    if args.dry_run {
        out.emit(&plan)?;
        return Ok(Outcome::Success);
    }
    if !plan.steps.is_empty() {
        tokio::time::timeout(args.timeout, apply::apply(&ec2, &owner, &plan))
            .await
            .map_err(|_| Error::Timeout { what: format!("network {} to be built", args.name), after: humantime_text(args.timeout) })??;
    }
    let now = discover::discover(&ec2, &owner).await?;
    out.emit(&render::render(&args.name, &region, &now)?)?;
    Ok(Outcome::Success)
}

fn humantime_text(d: Duration) -> String {
    awsops_core::waiter::format_duration(d)
}

async fn show(common: &CommonArgs, args: ShowArgs) -> Result<Outcome> {
    let owner = Ownership::new(NAME, &args.name)?;
    let (ec2, region) = client(common).await?;
    let existing = discover::discover(&ec2, &owner).await?;
    Output::stdout().emit(&render::render(&args.name, &region, &existing)?)?;
    Ok(Outcome::Success)
}
