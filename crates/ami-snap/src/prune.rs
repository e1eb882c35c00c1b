//! `ami-snap prune`: per region and per group, deregisters the images a retention rule
//! does not keep and deletes their snapshots, never an image in use (instances, launch
//! template versions) and never a snapshot another image still uses. Every candidate is
//! printed as an `ami-prune` document with the reason it is kept or pruned, also (and
//! only) in a dry run.

use crate::image_users;
use crate::images::{self, GROUP_TAG};
use crate::retention::{self, Candidate, Rule, Verdict};
use crate::{ChangeArgs, check_regions_exist, parse_duration};
use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::Image;
use awsops_core::batch::Batch;
use awsops_core::confirm::confirm;
use awsops_core::ec2::{retry_codes, tag_value};
use awsops_core::error::aws_error;
use awsops_core::kinds::{AmiPruneDoc, PruneOutcome, PrunedSnapshot};
use awsops_core::output::Output;
use awsops_core::ownership::TOOL_TAG;
use awsops_core::permissions::Grant;
use awsops_core::{CommonArgs, Error, Outcome, Result};
use clap::Args;
use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

/// Deregistering ami-snap's own images and deleting their snapshots.
pub static PRUNE_IMAGES: Grant = Grant::any("PruneOwnImages", &["ec2:DeleteSnapshot", "ec2:DeregisterImage"])
    .on(&["arn:{partition}:ec2:{region}::image/*", "arn:{partition}:ec2:{region}::snapshot/*"])
    .owned();

#[derive(Args, Debug)]
pub struct PruneArgs {
    /// Keep the N newest images of each group
    #[arg(long, value_name = "N", env = "AWSOPS_AMI_KEEP")]
    pub keep: Option<usize>,
    /// Keep every image younger than this, e.g. 30d
    #[arg(long, value_parser = parse_duration, value_name = "AGE", env = "AWSOPS_AMI_MAX_AGE")]
    pub max_age: Option<Duration>,
    /// Never prune an image younger than this, whatever the rest of the rule says
    #[arg(long, default_value = "1h", value_parser = parse_duration, value_name = "AGE", env = "AWSOPS_AMI_MIN_AGE")]
    pub min_age: Duration,
    /// Only these groups (the awsops:group tag ami-snap create sets; repeat or comma-separate)
    #[arg(long = "group", value_delimiter = ',', value_name = "GROUP")]
    pub groups: Vec<String>,
    /// Instead of ami-snap's images: your images whose names start with PREFIX, as one group
    #[arg(long, value_name = "PREFIX", conflicts_with = "groups")]
    pub name_prefix: Option<String>,
    /// Regions to prune in [default: the configured region]; with --accounts or --org, `all` is every enabled region
    #[arg(long = "regions", value_delimiter = ',', value_name = "REGION", env = "AWSOPS_AMI_REGIONS")]
    pub regions: Vec<String>,
    /// Do not ask; required when not on a terminal
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub change: ChangeArgs,
    #[command(flatten)]
    pub fleet: awsops_core::fleet::FleetArgs,
}

/// One region's candidates, decided.
struct RegionPlan {
    region: String,
    docs: Vec<AmiPruneDoc>,
}

pub fn parse_created(text: Option<&str>) -> Option<SystemTime> {
    let dt = aws_smithy_types::DateTime::from_str(text?, aws_smithy_types::date_time::Format::DateTime).ok()?;
    SystemTime::try_from(dt).ok()
}

fn selected(image: &Image, args: &PruneArgs) -> Option<String> {
    let name = image.name().unwrap_or_default();
    if let Some(prefix) = &args.name_prefix {
        return name.starts_with(prefix.as_str()).then(|| prefix.clone());
    }
    if tag_value(image.tags(), TOOL_TAG) != Some(images::TOOL) {
        return None;
    }
    let group = tag_value(image.tags(), GROUP_TAG).unwrap_or(name).to_owned();
    (args.groups.is_empty() || args.groups.contains(&group)).then_some(group)
}

pub async fn run(common: &CommonArgs, args: PruneArgs) -> Result<Outcome> {
    let rule = Rule::new(args.keep, args.max_age, args.min_age)?;
    if args.name_prefix.as_deref().is_some_and(|p| p.trim().is_empty()) {
        return Err(Error::usage("--name-prefix must not be empty: it would select every image you own"));
    }
    if let Some(plan) = args.fleet.plan_from_env()? {
        return run_fleet(common, plan, &args, &rule).await;
    }
    let (config, regions) = crate::regions(common, &args.regions).await?;
    let home = config.region().map(ToString::to_string).unwrap_or_default();
    check_regions_exist(&images::client_in(&config, &home), &regions).await?;
    // Planned under the lock: a second run waits for nothing and plans what the first left,
    // instead of carrying out a plan the first made stale.
    let _lock = args.change.lock()?;
    let now = SystemTime::now();
    let plans = futures_util::future::try_join_all(
        regions.iter().map(|region| plan_region(images::client_in(&config, region), region, &args, &rule, now)),
    )
    .await?;

    let mut out = Output::stdout();
    let prunes: usize = plans.iter().flat_map(|p| &p.docs).filter(|d| d.verdict == Verdict::Prune).count();
    if args.change.dry_run.is_set() || prunes == 0 {
        for doc in plans.iter().flat_map(|p| &p.docs) {
            out.emit(doc)?;
        }
        return Ok(Outcome::Success);
    }
    let total: usize = plans.iter().map(|p| p.docs.len()).sum();
    if !confirm(&format!("deregister {prunes} of {total} images in {}", regions.join(", ")), args.yes)? {
        return Err(Error::failed("not confirmed; nothing was changed"));
    }
    let mut batch = Batch::new();
    for plan in plans {
        let ec2 = images::client_in(&config, &plan.region);
        apply(&ec2, plan, args.change.jobs, &mut out, &mut batch).await?;
    }
    batch.finish()
}

/// Every (account, region) of the fleet, planned and pruned under the one lock; asked
/// once for the whole fleet (or --yes), since the plans are made as targets run.
async fn run_fleet(common: &CommonArgs, plan: awsops_core::fleet::FleetPlan, args: &PruneArgs, rule: &Rule) -> Result<Outcome> {
    let _lock = args.change.lock()?;
    let now = SystemTime::now();
    let dry_run = args.change.dry_run.is_set();
    let confirmed = |targets: &[awsops_core::fleet_targets::Target]| {
        if !dry_run && !confirm(&format!("prune by the rule in {} account-regions", targets.len()), args.yes)? {
            return Err(Error::failed("not confirmed; nothing was changed"));
        }
        Ok(())
    };
    crate::fleet_run::over_targets(common, plan, &args.regions, args.change.jobs, confirmed, |target, config, mut out| async move {
        let region = crate::fleet_run::region_of(&target);
        let result = async {
            let ec2 = images::client_in(&config, &region);
            let plan = plan_region(ec2.clone(), &region, args, rule, now).await?;
            if dry_run {
                for doc in &plan.docs {
                    out.emit(doc)?;
                }
                return Ok(());
            }
            let mut batch = Batch::new();
            apply(&ec2, plan, args.change.jobs, &mut out, &mut batch).await?;
            batch.finish().map(|_| ())
        }
        .await;
        (out, result)
    })
    .await
}

/// Carries out one region's plan, `jobs` images at a time; each document says how it went.
async fn apply<W: std::io::Write>(ec2: &Client, plan: RegionPlan, jobs: usize, out: &mut Output<W>, batch: &mut Batch) -> Result<()> {
    let results = awsops_core::batch::at_most(plan.docs.iter().map(|doc| execute(ec2, doc)), jobs).await;
    for (mut doc, result) in plan.docs.into_iter().zip(results) {
        if doc.verdict == Verdict::Prune {
            let label = format!("{} in {}", doc.image_id, doc.region);
            let failure = result.as_ref().err().map(ToString::to_string);
            match batch.record(&label, result)? {
                Some(()) => doc.outcome = PruneOutcome::Done,
                None => {
                    doc.outcome = PruneOutcome::Failed;
                    doc.error = failure;
                }
            }
        }
        out.emit(&doc)?;
    }
    Ok(())
}

async fn plan_region(ec2: Client, region: &str, args: &PruneArgs, rule: &Rule, now: SystemTime) -> Result<RegionPlan> {
    let all = images::own_images(&ec2, Vec::new()).await?;
    let chosen: Vec<(&Image, String)> = all.iter().filter_map(|i| selected(i, args).map(|g| (i, g))).collect();
    let ids: Vec<String> = chosen.iter().filter_map(|(i, _)| i.image_id().map(str::to_owned)).collect();
    let users = image_users::image_users(&ec2, &ids, args.change.jobs).await?;
    let mut candidates: Vec<Candidate> = chosen
        .iter()
        .map(|(image, group)| Candidate {
            image_id: image.image_id().unwrap_or_default().to_owned(),
            name: image.name().unwrap_or_default().to_owned(),
            group: group.clone(),
            created: parse_created(image.creation_date()),
            in_use_by: users.get(image.image_id().unwrap_or_default()).cloned().unwrap_or_default(),
            snapshots: images::snapshot_ids(image),
        })
        .collect();
    candidates.sort_by_key(|c| (c.group.clone(), std::cmp::Reverse(c.created), c.image_id.clone()));
    let decisions = retention::decide(&candidates, rule, now);
    let pruned: Vec<&Candidate> = candidates.iter().zip(&decisions).filter(|(_, d)| d.verdict == Verdict::Prune).map(|(c, _)| c).collect();
    let everyone: Vec<(String, Vec<String>)> =
        all.iter().map(|i| (i.image_id().unwrap_or_default().to_owned(), images::snapshot_ids(i))).collect();
    let snapshots = retention::snapshots_to_delete(&pruned, &everyone);
    let created_text: BTreeMap<&str, &str> = chosen.iter().filter_map(|(i, _)| Some((i.image_id()?, i.creation_date()?))).collect();
    let docs = candidates
        .iter()
        .zip(decisions)
        .map(|(c, d)| {
            let prune = d.verdict == Verdict::Prune;
            AmiPruneDoc {
                region: region.to_owned(),
                image_id: c.image_id.clone(),
                name: c.name.clone(),
                group: c.group.clone(),
                created: created_text.get(c.image_id.as_str()).map(|s| (*s).to_owned()),
                verdict: d.verdict,
                reason: d.reason,
                snapshots: snapshots
                    .get(&c.image_id)
                    .map(|ss| {
                        ss.iter()
                            .map(|s| PrunedSnapshot { snapshot_id: s.snapshot_id.clone(), delete: s.delete, reason: s.reason.clone() })
                            .collect()
                    })
                    .unwrap_or_default(),
                // A real run's prunes are `planned` until done or failed; only a dry run prints them so.
                outcome: if prune { PruneOutcome::Planned } else { PruneOutcome::Kept },
                error: None,
            }
        })
        .collect();
    Ok(RegionPlan { region: region.to_owned(), docs })
}

/// Deregisters a pruned image and deletes the snapshots only it used; a kept one is left.
async fn execute(ec2: &Client, doc: &AmiPruneDoc) -> Result<()> {
    if doc.verdict != Verdict::Prune {
        return Ok(());
    }
    // An image already gone (another tool, a run whose answer was lost) is deregistered.
    match ec2.deregister_image().image_id(&doc.image_id).send().await.map_err(aws_error("DeregisterImage")) {
        Err(e) if awsops_core::error::is_not_found(&e) || e.aws_code() == Some("InvalidAMIID.Unavailable") => {}
        other => {
            other?;
        }
    }
    for s in doc.snapshots.iter().filter(|s| s.delete) {
        // Right after deregistration EC2 may still count the snapshot as in use.
        retry_codes(
            "DeleteSnapshot",
            |code| code == "InvalidSnapshot.InUse",
            Duration::from_secs(60),
            || ec2.delete_snapshot().snapshot_id(&s.snapshot_id).send(),
        )
        .await
        .map(|_| ())
        .or_else(|e| if awsops_core::error::is_not_found(&e) { Ok(()) } else { Err(e) })?;
    }
    Ok(())
}
