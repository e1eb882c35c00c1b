//! Prune's selection, apart from any AWS call: which images a retention rule keeps and
//! which it prunes, each with the reason a dry run prints, and which snapshots of the
//! pruned images may go (never one that another image still uses).

use awsops_core::{Error, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, SystemTime};

/// A retention rule, applied to each group of images on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Keep the N newest of each group.
    pub keep: Option<usize>,
    /// Keep every image younger than this.
    pub max_age: Option<Duration>,
    /// Never prune an image younger than this, whatever else the rule says.
    pub min_age: Duration,
}

impl Rule {
    /// Refuses a rule that would keep nothing (a typo in a cron line must not empty a group).
    pub fn new(keep: Option<usize>, max_age: Option<Duration>, min_age: Duration) -> Result<Rule> {
        let keeps_some = keep.is_some_and(|n| n > 0) || max_age.is_some_and(|a| !a.is_zero());
        if !keeps_some {
            return Err(Error::usage(match (keep, max_age) {
                (None, None) => "prune needs a retention rule: --keep N and/or --max-age AGE".to_owned(),
                _ => "this retention rule would keep nothing: give --keep of at least 1 or a --max-age above 0".to_owned(),
            }));
        }
        if let Some(max_age) = max_age
            && keep.is_none()
            && max_age < min_age
        {
            return Err(Error::usage("--max-age is shorter than --min-age, so --min-age alone would decide"));
        }
        Ok(Rule { keep, max_age, min_age })
    }
}

/// One image that prune looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub image_id: String,
    pub name: String,
    pub group: String,
    pub created: Option<SystemTime>,
    /// What uses the image: instances, launch template versions.
    pub in_use_by: Vec<String>,
    pub snapshots: Vec<String>,
}

pub use awsops_core::kinds::PruneVerdict as Verdict;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub image_id: String,
    pub verdict: Verdict,
    pub reason: String,
}

fn age(now: SystemTime, created: SystemTime) -> Duration {
    now.duration_since(created).unwrap_or(Duration::ZERO)
}

/// An age as people say it in retention rules: whole days, hours, minutes or seconds.
pub fn human(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        86_400.. => format!("{}d", s / 86_400),
        3_600.. => format!("{}h", s / 3_600),
        60.. => format!("{}m", s / 60),
        _ => format!("{s}s"),
    }
}

/// Decides every candidate, group by group; decisions come back in the candidates' order.
pub fn decide(candidates: &[Candidate], rule: &Rule, now: SystemTime) -> Vec<Decision> {
    let mut groups: BTreeMap<&str, Vec<&Candidate>> = BTreeMap::new();
    for c in candidates {
        groups.entry(&c.group).or_default().push(c);
    }
    let mut rank: BTreeMap<&str, usize> = BTreeMap::new();
    for members in groups.values_mut() {
        // Newest first; unknown dates count as newest (they are kept anyway); ids break ties.
        members.sort_by_key(|c| (c.created.is_some(), std::cmp::Reverse(c.created), c.image_id.clone()));
        for (i, c) in members.iter().enumerate() {
            rank.insert(&c.image_id, i);
        }
    }
    candidates
        .iter()
        .map(|c| {
            let (verdict, reason) = judge(c, rank[c.image_id.as_str()], rule, now);
            Decision { image_id: c.image_id.clone(), verdict, reason }
        })
        .collect()
}

fn judge(c: &Candidate, rank: usize, rule: &Rule, now: SystemTime) -> (Verdict, String) {
    if !c.in_use_by.is_empty() {
        return (Verdict::Keep, format!("in use by {}", c.in_use_by.join(", ")));
    }
    let Some(created) = c.created else {
        return (Verdict::Keep, "its creation date is unknown".to_owned());
    };
    let age = age(now, created);
    if age < rule.min_age {
        return (Verdict::Keep, format!("younger ({}) than the minimum age {}", human(age), human(rule.min_age)));
    }
    if let Some(keep) = rule.keep
        && rank < keep
    {
        return (Verdict::Keep, format!("one of the {keep} newest of group {} (#{})", c.group, rank + 1));
    }
    if let Some(max_age) = rule.max_age
        && age < max_age
    {
        return (Verdict::Keep, format!("younger ({}) than the maximum age {}", human(age), human(max_age)));
    }
    let mut why = Vec::new();
    if let Some(keep) = rule.keep {
        why.push(format!("not one of the {keep} newest of group {} (#{})", c.group, rank + 1));
    }
    if let Some(max_age) = rule.max_age {
        why.push(format!("older ({}) than the maximum age {}", human(age), human(max_age)));
    }
    (Verdict::Prune, why.join(" and "))
}

/// What happens to one snapshot of a pruned image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotDecision {
    pub snapshot_id: String,
    pub delete: bool,
    pub reason: String,
}

/// The snapshots of pruned images that may be deleted: all but those that an image
/// staying behind (`others`: every image of the region that is not pruned, managed or
/// not, with its snapshots) still uses.
pub fn snapshots_to_delete(pruned: &[&Candidate], others: &[(String, Vec<String>)]) -> BTreeMap<String, Vec<SnapshotDecision>> {
    let pruned_ids: BTreeSet<&str> = pruned.iter().map(|c| c.image_id.as_str()).collect();
    let mut users: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (image, snapshots) in others {
        if pruned_ids.contains(image.as_str()) {
            continue;
        }
        for s in snapshots {
            users.entry(s).or_default().push(image);
        }
    }
    pruned
        .iter()
        .map(|c| {
            let decisions = c
                .snapshots
                .iter()
                .map(|s| match users.get(s.as_str()) {
                    Some(images) => {
                        SnapshotDecision { snapshot_id: s.clone(), delete: false, reason: format!("also used by {}", images.join(", ")) }
                    }
                    None => SnapshotDecision { snapshot_id: s.clone(), delete: true, reason: format!("only {} used it", c.image_id) },
                })
                .collect();
            (c.image_id.clone(), decisions)
        })
        .collect()
}

#[cfg(test)]
mod tests;
