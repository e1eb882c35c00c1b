//! Which (account, region) pairs a fleet run covers, decided without any AWS call: account
//! ids and shards are checked here (a malformed id or `--shard 4/3` is a usage error
//! before anything is sent), exclusions applied, and `--shard K/N` keeps the targets whose
//! stable hash (account id, then region) falls in shard K. The hash is FNV-1a, the same in
//! every build, so N machines running the same command with K = 1..N cover every target
//! exactly once. Kubernetes Indexed Jobs (`JOB_COMPLETION_INDEX`) and AWS Batch array jobs
//! (`AWS_BATCH_JOB_ARRAY_INDEX`) number their members from 0; shards are numbered from 1
//! on the command line, so index i is shard i+1.

use crate::error::{Error, Result};

/// Kubernetes' Indexed Job member index (0-based).
pub const K8S_INDEX_ENV: &str = "JOB_COMPLETION_INDEX";
/// AWS Batch's array job child index (0-based).
pub const BATCH_INDEX_ENV: &str = "AWS_BATCH_JOB_ARRAY_INDEX";

/// A 12-digit AWS account id.
pub fn parse_account_id(text: &str) -> Result<String> {
    let id = text.trim();
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(id.to_owned())
    } else {
        Err(Error::usage(format!("invalid account id {text:?}: expected 12 digits")))
    }
}

/// An organizational unit id (`ou-` root id `-` 8 to 32 lower-case letters or digits) or
/// the root (`r-` 4 to 32), as Organizations spells them.
pub fn parse_ou_id(text: &str) -> Result<String> {
    let id = text.trim();
    let ok = match id.split('-').collect::<Vec<_>>()[..] {
        ["ou", root, unit] => {
            (4..=32).contains(&root.len())
                && (8..=32).contains(&unit.len())
                && root.bytes().chain(unit.bytes()).all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        }
        ["r", root] => (4..=32).contains(&root.len()) && root.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
        _ => false,
    };
    if ok {
        Ok(id.to_owned())
    } else {
        Err(Error::usage(format!("invalid --ou {text:?}: expected an OU id like ou-ab12-cd34ef56 or a root id like r-ab12")))
    }
}

/// One part of the work: an account, and a region where the command is regional.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Target {
    pub account: String,
    pub region: Option<String>,
}

impl Target {
    /// `123456789012` or `123456789012/eu-west-1`, for log lines and errors.
    pub fn label(&self) -> String {
        match &self.region {
            Some(region) => format!("{}/{region}", self.account),
            None => self.account.clone(),
        }
    }
}

/// `--shard K/N`: this run takes shard K (1-based) of N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

/// What `--shard` says: both numbers, or only N with K left to the job's index variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShardArg {
    Given(Shard),
    FromEnvironment { count: u32 },
}

/// The most shards a run may be split into (far beyond any Indexed Job or array job).
pub const MAX_SHARDS: u32 = 10_000;

fn shard_count(text: &str, whole: &str) -> Result<u32> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_SHARDS).contains(&n) => Ok(n),
        _ => Err(Error::usage(format!("invalid --shard {whole:?}: N must be a whole number from 1 to {MAX_SHARDS}"))),
    }
}

/// `K/N` (1 ≤ K ≤ N) or `N` alone.
pub fn parse_shard(text: &str) -> Result<ShardArg> {
    match text.split_once('/') {
        None => Ok(ShardArg::FromEnvironment { count: shard_count(text, text)? }),
        Some((k, n)) => {
            let count = shard_count(n, text)?;
            match k.trim().parse::<u32>() {
                Ok(index) if (1..=count).contains(&index) => Ok(ShardArg::Given(Shard { index, count })),
                _ => Err(Error::usage(format!("invalid --shard {text:?}: K must be a whole number from 1 to N ({count})"))),
            }
        }
    }
}

/// The shard to run: as given, or K = index + 1 from the first of the job index variables
/// that is set (`env` looks one up; the process environment in use).
pub fn resolve_shard(arg: ShardArg, env: impl Fn(&str) -> Option<String>) -> Result<Shard> {
    let count = match arg {
        ShardArg::Given(shard) => return Ok(shard),
        ShardArg::FromEnvironment { count } => count,
    };
    let Some((name, value)) = [K8S_INDEX_ENV, BATCH_INDEX_ENV].iter().find_map(|name| env(name).map(|v| (*name, v))) else {
        return Err(Error::usage(format!(
            "--shard {count}: no shard index: give --shard K/{count}, or run as a Kubernetes Indexed Job ({K8S_INDEX_ENV}) or an AWS Batch array job ({BATCH_INDEX_ENV})"
        )));
    };
    match value.trim().parse::<u32>() {
        Ok(i) if i < count => Ok(Shard { index: i + 1, count }),
        _ => Err(Error::usage(format!("{name}={value:?}: expected a 0-based index below the shard count {count}"))),
    }
}

impl Shard {
    /// Whether the target falls in this shard: FNV-1a of the account id, then the region.
    pub fn holds(&self, target: &Target) -> bool {
        let mut key = target.account.clone().into_bytes();
        key.push(0);
        key.extend(target.region.as_deref().unwrap_or_default().bytes());
        crate::stable_hash::fnv1a(&key) % u64::from(self.count) == u64::from(self.index - 1)
    }
}

/// The targets, account-major (an account's regions next to each other, so its
/// credentials are made once), without the excluded accounts, in this run's shard.
/// `regions` is empty for a command that is not regional.
pub fn plan(accounts: &[String], exclude: &[String], regions: &[String], shard: Option<Shard>) -> Vec<Target> {
    let mut accounts: Vec<&String> = accounts.iter().filter(|a| !exclude.contains(a)).collect();
    accounts.sort();
    accounts.dedup();
    let mut regions: Vec<Option<&String>> = regions.iter().map(Some).collect();
    if regions.is_empty() {
        regions.push(None);
    }
    regions.sort();
    regions.dedup();
    accounts
        .into_iter()
        .flat_map(|a| regions.iter().map(move |r| Target { account: a.clone(), region: r.cloned() }))
        .filter(|t| shard.is_none_or(|s| s.holds(t)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn account_ids_are_twelve_digits() {
        assert_eq!(parse_account_id("123456789012").unwrap(), "123456789012");
        for bad in ["", "12345678901", "1234567890123", "12345678901a", "-23456789012", "arn:aws:iam::123456789012:root"] {
            assert_eq!(parse_account_id(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn ou_ids_follow_organizations() {
        assert!(parse_ou_id("ou-ab12-cd34ef56").is_ok());
        assert!(parse_ou_id("r-ab12").is_ok());
        for bad in ["", "ou-ab12", "ou-AB12-cd34ef56", "ou-ab12-cd3", "r-ab", "ou-ab12-cd34ef56-x", "123456789012"] {
            assert_eq!(parse_ou_id(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn shards_are_one_based_and_bounded() {
        assert_eq!(parse_shard("2/3").unwrap(), ShardArg::Given(Shard { index: 2, count: 3 }));
        assert_eq!(parse_shard("3/3").unwrap(), ShardArg::Given(Shard { index: 3, count: 3 }));
        assert_eq!(parse_shard("4").unwrap(), ShardArg::FromEnvironment { count: 4 });
        for bad in ["0/3", "4/3", "1/0", "0", "a/3", "1/b", "", "/3", "1/3/4", "-1/3", "1/10001"] {
            let err = parse_shard(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
            assert!(err.to_string().contains("--shard"), "{err}");
        }
    }

    #[test]
    fn the_environment_index_is_zero_based() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned())
        };
        let three = ShardArg::FromEnvironment { count: 3 };
        assert_eq!(resolve_shard(three, env(&[(K8S_INDEX_ENV, "0")])).unwrap(), Shard { index: 1, count: 3 });
        assert_eq!(resolve_shard(three, env(&[(BATCH_INDEX_ENV, "2")])).unwrap(), Shard { index: 3, count: 3 });
        assert_eq!(
            resolve_shard(three, env(&[(K8S_INDEX_ENV, "1"), (BATCH_INDEX_ENV, "2")])).unwrap(),
            Shard { index: 2, count: 3 },
            "Kubernetes' index first"
        );
        for bad in [&[(K8S_INDEX_ENV, "3")][..], &[(BATCH_INDEX_ENV, "x")], &[]] {
            assert_eq!(resolve_shard(three, env(bad)).unwrap_err().exit_code(), 2, "{bad:?}");
        }
        let given = ShardArg::Given(Shard { index: 2, count: 3 });
        assert_eq!(resolve_shard(given, env(&[(K8S_INDEX_ENV, "0")])).unwrap(), Shard { index: 2, count: 3 }, "the flag wins");
    }

    #[test]
    fn plan_is_account_major_without_exclusions() {
        let accounts = ["222222222222", "111111111111", "333333333333", "111111111111"].map(String::from);
        let targets = plan(&accounts, &["333333333333".into()], &["us-east-1".into(), "eu-west-1".into()], None);
        let labels: Vec<String> = targets.iter().map(Target::label).collect();
        assert_eq!(labels, ["111111111111/eu-west-1", "111111111111/us-east-1", "222222222222/eu-west-1", "222222222222/us-east-1"]);
        let global = plan(&accounts, &[], &[], None);
        assert_eq!(global.len(), 3);
        assert!(global.iter().all(|t| t.region.is_none()));
    }

    #[test]
    fn the_hash_is_stable() {
        // Pinned: a change would move targets between shards across a fleet's machines.
        let t = Target { account: "123456789012".into(), region: Some("us-east-1".into()) };
        let buckets: Vec<bool> = (1..=7).map(|index| Shard { index, count: 7 }.holds(&t)).collect();
        assert_eq!(buckets.iter().filter(|b| **b).count(), 1);
        assert_eq!(buckets.iter().position(|b| *b), Some((crate::stable_hash::fnv1a(b"123456789012\0us-east-1") % 7) as usize));
    }

    proptest! {
        #[test]
        fn shards_partition_the_targets(ids in proptest::collection::vec(0u64..1_000_000_000_000, 0..40), n in 1u32..9, regional in any::<bool>()) {
            let accounts: Vec<String> = ids.iter().map(|i| format!("{i:012}")).collect();
            let regions: Vec<String> = if regional { vec!["us-east-1".into(), "ap-northeast-2".into()] } else { vec![] };
            let all = plan(&accounts, &[], &regions, None);
            let mut union: Vec<Target> = (1..=n).flat_map(|index| plan(&accounts, &[], &regions, Some(Shard { index, count: n }))).collect();
            prop_assert_eq!(union.len(), all.len(), "no target in two shards");
            union.sort();
            prop_assert_eq!(union, all);
        }
    }
}
