//! ami-snap over a fleet (`--accounts`, `--org`): each subcommand's work for one account
//! and region, run in every (account, region) by the core's fleet runner, with the
//! regions from `--regions` (`all`: every region enabled in the caller's account).

use aws_config::SdkConfig;
use awsops_core::fleet::{Fleet, FleetPlan, parse_regions};
use awsops_core::fleet_targets::Target;
use awsops_core::output::Output;
use awsops_core::{CommonArgs, Outcome, Result};
use std::future::Future;

/// Runs `work` in every target; `before` sees the targets first (prune's confirmation).
pub async fn over_targets<F, Fut>(
    common: &CommonArgs,
    plan: FleetPlan,
    regions: &[String],
    jobs: usize,
    before: impl FnOnce(&[Target]) -> Result<()>,
    work: F,
) -> Result<Outcome>
where
    F: Fn(Target, SdkConfig, Output<Vec<u8>>) -> Fut,
    Fut: Future<Output = (Output<Vec<u8>>, Result<()>)>,
{
    let regions = parse_regions(regions)?;
    let fleet = Fleet::connect(common.aws.load().await?, plan, crate::NAME).await?;
    let targets = fleet.targets(&regions, true).await?;
    before(&targets)?;
    let mut out = Output::stdout();
    fleet.run(targets, jobs, &mut out, work, |_, _| {}).await?.finish()?;
    Ok(Outcome::Success)
}

/// The target's region (every ami-snap target has one).
pub fn region_of(target: &Target) -> String {
    target.region.clone().unwrap_or_default()
}
