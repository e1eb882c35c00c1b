//! Owned duplicates: when a lost response or an old overlapping run left two resources
//! for one role (two VPCs, two internet gateways, two Elastic IPs, two route tables of
//! one role), every run picks the same one to keep by the same rule (the one in use,
//! then the lowest id), and the extras that nothing uses are removed. Pure, so the rule
//! is tested without AWS.

use std::collections::BTreeMap;

/// An owned resource that duplicates the one kept, and is to be removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Duplicate {
    /// An empty VPC (no owned resource in it).
    Vpc(String),
    /// An internet gateway; detached first when attached to an empty duplicate VPC.
    InternetGateway { id: String, attached_vpc: Option<String> },
    /// An Elastic IP allocation that nothing is associated with.
    Address(String),
    /// A route table with no subnet associated and no endpoint on it.
    RouteTable(String),
    /// A second gateway endpoint for one service.
    Endpoint(String),
}

impl Duplicate {
    pub fn id(&self) -> &str {
        match self {
            Duplicate::Vpc(id) | Duplicate::Address(id) | Duplicate::RouteTable(id) | Duplicate::Endpoint(id) => id,
            Duplicate::InternetGateway { id, .. } => id,
        }
    }
}

/// The outcome of choosing among candidates of one role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice<T> {
    pub keep: Option<T>,
    /// Unused duplicates: safe to remove.
    pub remove: Vec<T>,
    /// Duplicates in use: left alone (and reported).
    pub busy: Vec<T>,
}

/// Keeps the in-use candidate with the lowest id (else the lowest id); the others are
/// to be removed when unused, or reported when in use.
pub fn choose<T: Clone>(candidates: &[T], id: impl Fn(&T) -> &str, in_use: impl Fn(&T) -> bool) -> Choice<T> {
    let mut sorted: Vec<&T> = candidates.iter().collect();
    sorted.sort_by(|a, b| in_use(b).cmp(&in_use(a)).then_with(|| id(a).cmp(id(b))));
    let mut rest = sorted.into_iter();
    let keep = rest.next().cloned();
    let (busy, remove): (Vec<&T>, Vec<&T>) = rest.partition(|c| in_use(c));
    Choice { keep, remove: remove.into_iter().cloned().collect(), busy: busy.into_iter().cloned().collect() }
}

/// Groups candidates by role and chooses in each group; returns (kept, removable).
pub fn choose_per_role<T: Clone>(
    candidates: &[T],
    role: impl Fn(&T) -> &str,
    id: impl Fn(&T) -> &str,
    in_use: impl Fn(&T) -> bool,
) -> (Vec<T>, Vec<T>) {
    let mut groups: BTreeMap<&str, Vec<T>> = BTreeMap::new();
    for c in candidates {
        groups.entry(role(c)).or_default().push(c.clone());
    }
    let (mut kept, mut removable) = (Vec::new(), Vec::new());
    for group in groups.values() {
        let choice = choose(group, &id, &in_use);
        kept.extend(choice.keep);
        kept.extend(choice.busy);
        removable.extend(choice.remove);
    }
    (kept, removable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_used_one_is_kept_then_the_lowest_id() {
        let c = choose(&[("vpc-b", false), ("vpc-c", true), ("vpc-a", false)], |c| c.0, |c| c.1);
        assert_eq!(c.keep, Some(("vpc-c", true)));
        assert_eq!(c.remove, vec![("vpc-a", false), ("vpc-b", false)]);
        let c = choose(&[("vpc-b", false), ("vpc-a", false)], |c| c.0, |c| c.1);
        assert_eq!(c.keep, Some(("vpc-a", false)));
        let c = choose(&[("vpc-b", true), ("vpc-a", true)], |c| c.0, |c| c.1);
        assert_eq!((c.keep, c.busy, c.remove.len()), (Some(("vpc-a", true)), vec![("vpc-b", true)], 0));
    }

    #[test]
    fn roles_are_chosen_apart() {
        let items = [("rtb-2", "rt:public", false), ("rtb-1", "rt:public", false), ("rtb-3", "rt:private:a", false)];
        let (kept, removable) = choose_per_role(&items, |i| i.1, |i| i.0, |i| i.2);
        assert_eq!(kept.iter().map(|i| i.0).collect::<Vec<_>>(), ["rtb-3", "rtb-1"]);
        assert_eq!(removable.iter().map(|i| i.0).collect::<Vec<_>>(), ["rtb-2"]);
    }

    proptest! {
        /// Whatever order discovery lists them in, every run keeps the same one, keeps
        /// exactly one per role, and never removes one in use.
        #[test]
        fn every_run_chooses_the_same(mut items in proptest::collection::vec((0u8..20, 0u8..3, any::<bool>()), 1..12), seed in any::<u64>()) {
            items.sort();
            items.dedup_by_key(|i| i.0);
            let as_ids: Vec<(String, String, bool)> = items.iter().map(|(i, r, u)| (format!("id-{i:02}"), format!("role-{r}"), *u)).collect();
            let mut shuffled = as_ids.clone();
            fastrand::Rng::with_seed(seed).shuffle(&mut shuffled);
            let a = choose_per_role(&as_ids, |i| &i.1, |i| &i.0, |i| i.2);
            let b = choose_per_role(&shuffled, |i| &i.1, |i| &i.0, |i| i.2);
            let ids = |v: &Vec<(String, String, bool)>| { let mut x: Vec<String> = v.iter().map(|i| i.0.clone()).collect(); x.sort(); x };
            prop_assert_eq!(ids(&a.0), ids(&b.0));
            prop_assert_eq!(ids(&a.1), ids(&b.1));
            prop_assert!(a.1.iter().all(|i| !i.2));
            prop_assert_eq!(a.0.len() + a.1.len(), as_ids.len());
        }
    }
}
