//! ami-snap: AMIs and EBS snapshots from cron and CI: create (from instances by id or
//! tag), snapshot, copy to other regions, share, and prune by retention rules, with a run
//! lock, per-item failures that do not stop the rest, and JSON Lines out.

pub mod copy;
pub mod copy_encryption;
pub mod create;
pub mod fleet_run;
pub mod image_users;
pub mod images;
pub mod name_template;
pub mod permissions;
pub mod plan;
pub mod prune;
pub mod retention;
pub mod share;
pub mod snapshot;

use awsops_core::cli::{DryRun, Timeout};
use awsops_core::run_lock::{self, RunLock};
use awsops_core::{CommandCli, CommonArgs, Error, Outcome, Result};
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Checking that every region named exists (copy, prune, list): DescribeRegions works only on `*`.
pub static CHECK_REGIONS: awsops_core::permissions::Grant = awsops_core::permissions::Grant::any("CheckRegions", &["ec2:DescribeRegions"]);

pub const NAME: &str = "ami-snap";

#[derive(Parser, Debug)]
#[command(
    name = "ami-snap",
    version,
    about = "Create, snapshot, copy, share and prune AMIs; safe to run from cron",
    long_about = "Create AMIs from instances (by id or tag) and EBS snapshots of volumes, copy images to other \
                  regions (encrypted, idempotently), share them with other accounts, and prune them by \
                  retention rules that never touch an image in use or a snapshot another image needs.\n\n\
                  Prints JSON documents on stdout (`ami`, `snapshot`, `ami-prune`; `ami-plan` for --dry-run); \
                  copy and share read `ami` documents from stdin, so `ami-snap create | ami-snap copy | \
                  ami-snap share` is one pipeline. Changing subcommands hold a lock so two cron runs never \
                  overlap; one item's failure does not stop the others but makes the exit status 1."
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
    /// Create an AMI of each instance selected, tagged, and wait until it is available
    Create(create::CreateArgs),
    /// Snapshot EBS volumes (or every volume of an instance), tagged, and wait until complete
    Snapshot(snapshot::SnapshotArgs),
    /// Copy images to other regions, encrypted if asked; a region already holding a copy is skipped
    Copy(copy::CopyArgs),
    /// Give accounts launch permission on images and create-volume permission on their snapshots
    Share(share::ShareArgs),
    /// Take back what share gave
    Unshare(share::ShareArgs),
    /// Deregister images (and delete their snapshots) that a retention rule does not keep
    Prune(prune::PruneArgs),
    /// Print the images ami-snap manages, as `ami` documents
    List(ListArgs),
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Regions to list [default: the configured region]; with --accounts or --org, `all` is every enabled region
    #[arg(long = "regions", value_delimiter = ',', value_name = "REGION", env = "AWSOPS_AMI_REGIONS")]
    pub regions: Vec<String>,
    /// With --accounts or --org: at most this many (account, region) pairs listed at once
    #[arg(long, default_value_t = 8, value_name = "N", env = "AWSOPS_JOBS")]
    pub jobs: usize,
    #[command(flatten)]
    pub fleet: awsops_core::fleet::FleetArgs,
}

awsops_core::waits_for!(ImagesWait, "1h", "Give up waiting for images and snapshots after this long, e.g. 30m, 2h");

/// The flags of every subcommand that changes something.
#[derive(Args, Debug, Clone)]
pub struct ChangeArgs {
    #[command(flatten)]
    pub dry_run: DryRun,
    /// The lock file that keeps two runs apart [default: $XDG_RUNTIME_DIR/awsops/ami-snap.lock, else ~/.cache/awsops/locks/ami-snap.lock]
    #[arg(long, value_name = "FILE", env = "AWSOPS_AMI_LOCK")]
    pub lock: Option<PathBuf>,
    /// At most this many images, snapshots or copies in flight at once (1: one after another); with --accounts or --org, also this many (account, region) pairs
    #[arg(long, default_value_t = 8, value_name = "N", env = "AWSOPS_JOBS")]
    pub jobs: usize,
    #[command(flatten)]
    pub timeout: Timeout<ImagesWait>,
}

impl ChangeArgs {
    /// The run lock, unless this is a dry run (which changes nothing).
    pub fn lock(&self) -> Result<Option<RunLock>> {
        if self.dry_run.is_set() {
            return Ok(None);
        }
        let path = match &self.lock {
            Some(path) => path.clone(),
            None => run_lock::default_path(NAME)?,
        };
        RunLock::acquire(Path::new(&path)).map(Some)
    }
}

pub fn parse_duration(text: &str) -> std::result::Result<Duration, String> {
    awsops_core::waiter::parse_duration(text)
}

/// `KEY=VALUE`, for --tag selections and extra tags.
pub fn parse_pair(text: &str) -> Result<(String, String)> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_owned(), v.trim().to_owned())),
        _ => Err(Error::usage(format!("{text:?}: expected KEY=VALUE"))),
    }
}

/// A `--tag KEY=VALUE` to write: within AWS's tag limits (checked before any call).
pub fn parse_tag(text: &str) -> Result<(String, String)> {
    let (k, v) = parse_pair(text)?;
    awsops_core::aws_limits::check_tag("--tag", &k, &v)?;
    Ok((k, v))
}

pub async fn run(cli: Cli) -> Result<Outcome> {
    let common = &cli.common;
    match cli.command {
        Command::Create(args) => create::run(common, args).await,
        Command::Snapshot(args) => snapshot::run(common, args).await,
        Command::Copy(args) => copy::run(common, args).await,
        Command::Share(args) => share::run(common, args, share::Direction::Share).await,
        Command::Unshare(args) => share::run(common, args, share::Direction::Unshare).await,
        Command::Prune(args) => prune::run(common, args).await,
        Command::List(args) => list(common, args).await,
    }
}

/// The configured region, and the regions a multi-region subcommand covers.
pub async fn regions(common: &CommonArgs, asked: &[String]) -> Result<(aws_config::SdkConfig, Vec<String>)> {
    for r in asked {
        awsops_core::aws_config::known_region(r)?;
    }
    let config = common.aws.load().await?;
    let home = config.region().map(ToString::to_string).unwrap_or_default();
    let mut regions = if asked.is_empty() { vec![home] } else { asked.to_vec() };
    regions.dedup();
    Ok((config, regions))
}

/// Refuses regions EC2 does not know (a typo must fail before anything is made).
pub async fn check_regions_exist(ec2: &aws_sdk_ec2::Client, regions: &[String]) -> Result<()> {
    let out = ec2.describe_regions().all_regions(true).send().await.map_err(awsops_core::error::aws_error("DescribeRegions"))?;
    let known: Vec<&str> = out.regions().iter().filter_map(|r| r.region_name()).collect();
    match regions.iter().find(|r| !known.contains(&r.as_str())) {
        Some(unknown) => Err(Error::usage(format!("unknown region {unknown}"))),
        None => Ok(()),
    }
}

async fn list(common: &CommonArgs, args: ListArgs) -> Result<Outcome> {
    if let Some(plan) = args.fleet.plan_from_env()? {
        return fleet_run::over_targets(
            common,
            plan,
            &args.regions,
            args.jobs,
            |_| Ok(()),
            |target, config, mut out| async move {
                let result = async {
                    for doc in list_region(&config, &fleet_run::region_of(&target)).await? {
                        out.emit(&doc)?;
                    }
                    Ok(())
                }
                .await;
                (out, result)
            },
        )
        .await;
    }
    let (config, regions) = regions(common, &args.regions).await?;
    let home = images::client_in(&config, config.region().map(|r| r.as_ref()).unwrap_or_default());
    check_regions_exist(&home, &regions).await?;
    let per_region = futures_util::future::try_join_all(regions.iter().map(|region| list_region(&config, region))).await?;
    let mut out = awsops_core::output::Output::stdout();
    for doc in per_region.iter().flatten() {
        out.emit(doc)?;
    }
    Ok(Outcome::Success)
}

/// The images ami-snap manages in one region, oldest first.
async fn list_region(config: &aws_config::SdkConfig, region: &str) -> Result<Vec<awsops_core::kinds::AmiDoc>> {
    let ec2 = images::client_in(config, region);
    let mut found = images::managed_images(&ec2).await?;
    found.sort_by(|a, b| a.creation_date().cmp(&b.creation_date()).then(a.image_id().cmp(&b.image_id())));
    Ok(found.iter().map(|i| images::ami_doc(region, i, false)).collect())
}
