//! The fleet runner any command can use: the same work in every account of a list or an
//! AWS Organization (and every region, where the command is regional), from one process
//! or split over N machines with `--shard`. Each target runs with credentials of the
//! account's fleet role (the caller's own account directly), at most `--jobs` at a time;
//! its documents are stamped with `account` (and `region`) and written when it ends,
//! followed by a `fleet-target` document saying ok or failed, with the error and the
//! time it took. One target's failure never stops the others; the run exits 1 if any
//! failed. Only the targets in flight hold memory: their output, clients and credentials
//! are dropped as each one ends.

use crate::aws_config::in_region;
use crate::batch::Batch;
use crate::error::{Error, Result};
use crate::fleet_credentials::RoleCredentials;
use crate::fleet_targets::{Shard, Target};
use crate::kinds::{FleetTargetDoc, TargetStatus};
use crate::output::Output;
use crate::permissions::Grant;
use aws_config::SdkConfig;
use clap::Args;
use futures_util::StreamExt;
use std::collections::HashMap;
use std::future::Future;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Assuming the fleet role in each member account.
pub static ASSUME_FLEET_ROLE: Grant = Grant::any("AssumeFleetRole", &["sts:AssumeRole"]).on(&["arn:{partition}:iam::*:role/{role_name}"]);
/// Whose account the caller is in (used directly, without a role).
pub static FLEET_CALLER: Grant = Grant::any("FleetCaller", &["sts:GetCallerIdentity"]);
/// `--regions all`: the regions enabled in the caller's account (regional commands only).
pub static ENABLED_REGIONS: Grant = Grant::any("EnabledRegions", &["ec2:DescribeRegions"]);

/// Every grant a fleet run may add, for a command's permissions table (`--help`, man page).
pub fn grants() -> [&'static Grant; 4] {
    [&FLEET_CALLER, &ASSUME_FLEET_ROLE, &ENABLED_REGIONS, &crate::fleet_org::LIST_ORGANIZATION]
}

/// The role an organization creates in each member account it makes.
pub const DEFAULT_ROLE: &str = "OrganizationAccountAccessRole";

/// Flags of every command that can run over a fleet.
#[derive(Args, Debug, Clone, Default)]
pub struct FleetArgs {
    /// Run in each of these accounts (12-digit ids), assuming --role-name in each
    #[arg(long, value_delimiter = ',', value_name = "ID", env = "AWSOPS_ACCOUNTS")]
    pub accounts: Vec<String>,
    /// Run in every ACTIVE account of the caller's AWS Organization
    #[arg(long, env = "AWSOPS_ORG", conflicts_with = "accounts")]
    pub org: bool,
    /// With --org: only the accounts under these OUs (child OUs included)
    #[arg(long, value_delimiter = ',', value_name = "OU_ID", requires = "org")]
    pub ou: Vec<String>,
    /// Leave these accounts out
    #[arg(long, value_delimiter = ',', value_name = "ID", env = "AWSOPS_EXCLUDE_ACCOUNTS")]
    pub exclude_accounts: Vec<String>,
    /// The role assumed in each account (the caller's own account is used directly); for audits, a read-only role
    #[arg(long, default_value = DEFAULT_ROLE, value_name = "NAME", env = "AWSOPS_ROLE_NAME")]
    pub role_name: String,
    /// The external id the fleet role's trust policy asks for
    #[arg(long, value_name = "ID", env = "AWSOPS_EXTERNAL_ID")]
    pub external_id: Option<String>,
    /// Take shard K of N of the targets (1 <= K <= N, a stable hash of account then region); N alone takes K from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job), which count from 0: index i is shard i+1
    #[arg(long, value_name = "K/N", env = "AWSOPS_SHARD")]
    pub shard: Option<String>,
}

/// The fleet flags, checked: what a run needs before its first call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetPlan {
    pub accounts: Vec<String>,
    pub org: bool,
    pub ous: Vec<String>,
    pub exclude: Vec<String>,
    pub role_name: String,
    pub external_id: Option<String>,
    pub shard: Option<Shard>,
}

impl FleetArgs {
    /// Whether this is a fleet run at all.
    pub fn is_set(&self) -> bool {
        !self.accounts.is_empty() || self.org
    }

    /// Every flag checked (ids, role name, shard and its index variable): a usage error
    /// before any call. `None` when no fleet was asked for.
    pub fn plan(&self, env: impl Fn(&str) -> Option<String>) -> Result<Option<FleetPlan>> {
        if !self.is_set() {
            for (flag, given) in [
                ("--shard", self.shard.is_some()),
                ("--exclude-accounts", !self.exclude_accounts.is_empty()),
                ("--external-id", self.external_id.is_some()),
            ] {
                if given {
                    return Err(Error::usage(format!("{flag} needs --accounts or --org")));
                }
            }
            return Ok(None);
        }
        let ids = |list: &[String]| list.iter().map(|a| crate::fleet_targets::parse_account_id(a)).collect::<Result<Vec<_>>>();
        let role_ok = !self.role_name.is_empty()
            && self.role_name.len() <= 64
            && self.role_name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
        if !role_ok {
            return Err(Error::usage(format!("invalid --role-name {:?}: 1 to 64 letters, digits and +=,.@_-", self.role_name)));
        }
        if let Some(id) = &self.external_id
            && !((2..=1224).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@:/_-".contains(c)))
        {
            return Err(Error::usage("invalid --external-id: 2 to 1224 letters, digits and +=,.@:/_-"));
        }
        let shard = match &self.shard {
            None => None,
            Some(text) => Some(crate::fleet_targets::resolve_shard(crate::fleet_targets::parse_shard(text)?, env)?),
        };
        Ok(Some(FleetPlan {
            accounts: ids(&self.accounts)?,
            org: self.org,
            ous: self.ou.iter().map(|o| crate::fleet_targets::parse_ou_id(o)).collect::<Result<_>>()?,
            exclude: ids(&self.exclude_accounts)?,
            role_name: self.role_name.clone(),
            external_id: self.external_id.clone(),
            shard,
        }))
    }

    /// What a fleet run adds to the command's policy (`--print-policy`): the caller's
    /// identity, the organization's accounts with --org, assuming the role, and the enabled
    /// regions when `regions` asks for `all`.
    /// The role in each member account needs the command's own statements.
    pub fn add_needs(&self, needs: &mut crate::permissions::Needs, regions: &[String]) {
        if !self.is_set() {
            return;
        }
        needs.add(&[&FLEET_CALLER, &ASSUME_FLEET_ROLE]);
        needs.add_if(regions.iter().any(|r| r == "all"), &[&ENABLED_REGIONS]);
        needs.add_if(self.org, &[&crate::fleet_org::LIST_ORGANIZATION]);
        needs.scope = needs.scope.clone().value("role_name", self.role_name.clone());
        needs.notes.push(format!(
            "fleet run: the caller needs this whole policy; the role {} in each member account needs it without the statements {}, {}, {} and {}",
            self.role_name,
            FLEET_CALLER.sid,
            ASSUME_FLEET_ROLE.sid,
            ENABLED_REGIONS.sid,
            crate::fleet_org::LIST_ORGANIZATION.sid
        ));
    }

    /// `plan` on the process environment.
    pub fn plan_from_env(&self) -> Result<Option<FleetPlan>> {
        self.plan(|k| std::env::var(k).ok())
    }
}

/// `--regions`: the regions named (each known to this build), or `all` (alone): the
/// regions enabled in the caller's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Regions {
    Named(Vec<String>),
    AllEnabled,
}

pub fn parse_regions(asked: &[String]) -> Result<Regions> {
    if asked.iter().any(|r| r == "all") {
        return if asked.len() == 1 { Ok(Regions::AllEnabled) } else { Err(Error::usage("--regions all: name no other region with it")) };
    }
    for r in asked {
        crate::aws_config::known_region(r)?;
    }
    Ok(Regions::Named(asked.to_vec()))
}

/// The regions enabled in the account of `config` (DescribeRegions without opt-in ones), sorted.
pub async fn enabled_regions(config: &SdkConfig) -> Result<Vec<String>> {
    let out = aws_sdk_ec2::Client::new(config).describe_regions().send().await.map_err(crate::error::aws_error("DescribeRegions"))?;
    let mut regions: Vec<String> = out.regions().iter().filter_map(|r| r.region_name().map(str::to_owned)).collect();
    regions.sort();
    Ok(regions)
}

/// How a fleet run ended: how many targets, and the error naming the failed ones.
#[derive(Debug)]
pub struct FleetOutcome {
    pub targets: usize,
    pub failed: usize,
    batch: Batch,
}

impl FleetOutcome {
    /// Ok when every target succeeded; otherwise the error (status 1) counting them.
    pub fn finish(self) -> Result<()> {
        self.batch.finish().map(|_| ())
    }
}

/// A fleet: the caller's configuration and account, and the role to assume elsewhere.
pub struct Fleet {
    base: SdkConfig,
    caller: String,
    partition: String,
    plan: FleetPlan,
    tool: &'static str,
    held: Mutex<HashMap<String, (Arc<RoleCredentials>, usize)>>,
}

impl Fleet {
    /// Whose the caller's credentials are (GetCallerIdentity): that account needs no role.
    pub async fn connect(base: SdkConfig, plan: FleetPlan, tool: &'static str) -> Result<Fleet> {
        let me =
            aws_sdk_sts::Client::new(&base).get_caller_identity().send().await.map_err(crate::error::aws_error("GetCallerIdentity"))?;
        let caller = me.account().unwrap_or_default().to_owned();
        let partition = me.arn().and_then(|a| a.split(':').nth(1)).unwrap_or("aws").to_owned();
        Ok(Fleet { base, caller, partition, plan, tool, held: Mutex::new(HashMap::new()) })
    }

    pub fn caller(&self) -> &str {
        &self.caller
    }

    /// The targets: the accounts named or the organization's (ACTIVE, under --ou), without
    /// the excluded, times `regions` (empty for a global command), in this run's shard.
    pub async fn targets(&self, regions: &Regions, regional: bool) -> Result<Vec<Target>> {
        let accounts = if self.plan.org {
            let org = aws_sdk_organizations::Client::new(&self.base);
            crate::fleet_org::accounts(&org, &self.plan.ous).await?
        } else {
            self.plan.accounts.clone()
        };
        let regions = match (regional, regions) {
            (false, _) => Vec::new(),
            (true, Regions::Named(named)) if named.is_empty() => self.base.region().map(|r| vec![r.to_string()]).unwrap_or_default(),
            (true, Regions::Named(named)) => named.clone(),
            (true, Regions::AllEnabled) => enabled_regions(&self.base).await?,
        };
        Ok(crate::fleet_targets::plan(&accounts, &self.plan.exclude, &regions, self.plan.shard))
    }

    /// The targets for work that names its accounts itself (documents carrying `account`):
    /// those of `accounts` the fleet flags admit (named, or in the organization), times
    /// `regions`, without the excluded, in this run's shard.
    pub async fn targets_among(&self, accounts: &[String], regions: &[String]) -> Result<Vec<Target>> {
        let admitted = if self.plan.org {
            let org = aws_sdk_organizations::Client::new(&self.base);
            crate::fleet_org::accounts(&org, &self.plan.ous).await?
        } else {
            self.plan.accounts.clone()
        };
        if let Some(outside) = accounts.iter().find(|a| !admitted.contains(a)) {
            return Err(Error::usage(format!("account {outside} is not among the fleet's accounts (--accounts, --org, --ou)")));
        }
        Ok(crate::fleet_targets::plan(accounts, &self.plan.exclude, regions, self.plan.shard))
    }

    fn role_arn(&self, account: &str) -> String {
        format!("arn:{}:iam::{account}:role/{}", self.partition, self.plan.role_name)
    }

    /// The account's credentials, shared by its targets in flight (made by the first).
    async fn acquire(&self, account: &str) -> Arc<RoleCredentials> {
        if let Ok(mut held) = self.held.lock()
            && let Some((creds, users)) = held.get_mut(account)
        {
            *users += 1;
            return creds.clone();
        }
        let creds = Arc::new(RoleCredentials::new(&self.base, self.role_arn(account), self.plan.external_id.as_deref(), self.tool).await);
        if let Ok(mut held) = self.held.lock() {
            let entry = held.entry(account.to_owned()).or_insert_with(|| (creds.clone(), 0));
            entry.1 += 1;
            return entry.0.clone();
        }
        creds
    }

    /// Forgets the account's credentials when its last target in flight ends.
    fn release(&self, account: &str) {
        if let Ok(mut held) = self.held.lock()
            && let Some((_, users)) = held.get_mut(account)
        {
            *users -= 1;
            if *users == 0 {
                held.remove(account);
            }
        }
    }

    /// The SDK configuration of one target: the caller's own, or the account's role; in
    /// the target's region; its own identity cache (dropped with the target).
    async fn config_for(&self, target: &Target) -> Result<SdkConfig> {
        let region = target.region.clone().or_else(|| self.base.region().map(ToString::to_string)).unwrap_or_default();
        let config = in_region(&self.base, &region);
        if target.account == self.caller {
            return Ok(config);
        }
        let creds = self.acquire(&target.account).await;
        let checked = creds.check().await;
        let provider = creds.shared();
        checked?;
        Ok(config.into_builder().credentials_provider(provider).identity_cache(aws_config::identity::IdentityCache::lazy().build()).build())
    }

    /// Runs `work` on every target, at most `jobs` at a time. `work` gets the target, its
    /// configuration and an output that stamps documents with the target, and hands the
    /// output back with its result; `done` sees each success (for totals). Output goes to
    /// `out` as each target ends, then its `fleet-target` document.
    pub async fn run<T, F, Fut, W>(
        &self,
        targets: Vec<Target>,
        jobs: usize,
        out: &mut Output<W>,
        work: F,
        mut done: impl FnMut(&Target, &T),
    ) -> Result<FleetOutcome>
    where
        F: Fn(Target, SdkConfig, Output<Vec<u8>>) -> Fut,
        Fut: Future<Output = (Output<Vec<u8>>, Result<T>)>,
        W: Write,
    {
        let count = targets.len();
        let work = &work;
        let mut running = futures_util::stream::iter(targets)
            .map(|target| async move {
                let started = Instant::now();
                let buffer = Output::new(Vec::new(), false).stamped(&target.account, target.region.as_deref());
                let (buffer, result) = match self.config_for(&target).await {
                    Ok(config) => work(target.clone(), config, buffer).await,
                    Err(e) => (buffer, Err(e)),
                };
                if target.account != self.caller {
                    self.release(&target.account);
                }
                (target, buffer.into_inner(), result, started.elapsed())
            })
            .buffer_unordered(jobs.max(1));
        let mut batch = Batch::new();
        while let Some((target, printed, result, took)) = running.next().await {
            out.write_lines(&printed)?;
            let error = result.as_ref().err().map(ToString::to_string);
            let status = match batch.record(&target.label(), result)? {
                Some(value) => {
                    done(&target, &value);
                    TargetStatus::Ok
                }
                None => TargetStatus::Failed,
            };
            out.emit(&FleetTargetDoc {
                account: target.account.clone(),
                region: target.region.clone(),
                status,
                error,
                duration_ms: u64::try_from(took.as_millis()).unwrap_or(u64::MAX),
            })?;
        }
        let failed = batch.failures().len();
        Ok(FleetOutcome { targets: count, failed, batch })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        fleet: FleetArgs,
    }

    fn plan(args: &[&str], env: &[(&str, &str)]) -> Result<Option<FleetPlan>> {
        let cli = Cli::try_parse_from(std::iter::once("t").chain(args.iter().copied())).unwrap();
        cli.fleet.plan(|k| env.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned()))
    }

    #[test]
    fn no_fleet_flags_is_no_fleet() {
        assert_eq!(plan(&[], &[]).unwrap(), None);
        for lone in [&["--shard", "1/2"][..], &["--exclude-accounts", "123456789012"], &["--external-id", "xyz"]] {
            assert_eq!(plan(lone, &[]).unwrap_err().exit_code(), 2, "{lone:?}");
        }
    }

    #[test]
    fn every_flag_is_checked_before_any_call() {
        let ok = plan(&["--accounts", "111111111111,222222222222", "--shard", "2/3", "--external-id", "tenant-7"], &[]).unwrap().unwrap();
        assert_eq!(ok.accounts, ["111111111111", "222222222222"]);
        assert_eq!(ok.shard, Some(Shard { index: 2, count: 3 }));
        assert_eq!(ok.role_name, DEFAULT_ROLE);
        let from_env = plan(&["--org", "--shard", "3"], &[("JOB_COMPLETION_INDEX", "2")]).unwrap().unwrap();
        assert_eq!(from_env.shard, Some(Shard { index: 3, count: 3 }));
        for bad in [
            &["--accounts", "12345"][..],
            &["--accounts", "111111111111", "--exclude-accounts", "x"],
            &["--accounts", "111111111111", "--shard", "0/3"],
            &["--accounts", "111111111111", "--shard", "4/3"],
            &["--accounts", "111111111111", "--shard", "3"],
            &["--accounts", "111111111111", "--role-name", "a/b"],
            &["--accounts", "111111111111", "--external-id", "x"],
            &["--org", "--ou", "ou-x"],
        ] {
            assert_eq!(plan(bad, &[]).unwrap_err().exit_code(), 2, "{bad:?}");
        }
    }

    #[test]
    fn regions_all_stands_alone() {
        assert_eq!(parse_regions(&["all".into()]).unwrap(), Regions::AllEnabled);
        assert_eq!(parse_regions(&[]).unwrap(), Regions::Named(vec![]));
        assert_eq!(parse_regions(&["all".into(), "us-east-1".into()]).unwrap_err().exit_code(), 2);
        assert_eq!(parse_regions(&["xx-nowhere-9".into()]).unwrap_err().exit_code(), 2);
    }
}
