//! Transitive escalation through sts:AssumeRole (PMapper's idea): a user or role that may
//! assume a role whose trust policy admits it, possibly through several roles, reaches
//! whatever the last role holds. When that is administrator access, or an escalation the
//! start lacks, the finding names the whole path. Each trust policy is read once into an
//! index; the distance from every role to the nearest dangerous one is one reverse BFS over
//! the role graph, so each principal only picks its best first hop (an account where
//! thousands of roles trust the account root costs the size of its graph, not its square);
//! cycles end at visited roles.

use crate::checks::{Sink, aws_principals};
use crate::evaluator::Evaluator;
use crate::grant_checks::Holder;
use crate::policy::{Decision, Effect, PolicyDocument};
use awsops_core::kinds::Severity;
use serde_json::json;
use std::collections::{HashMap, HashSet, VecDeque};

/// Roles assumed in a row, at most: beyond this a path is not reported.
pub const MAX_HOPS: usize = 6;

/// How a trust policy admits a principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// By its own ARN: the trust policy alone grants it (only an explicit Deny stops it).
    ByArn,
    /// By its account (root, id) or `*`: its own policies must also allow sts:AssumeRole.
    ByAccount,
}

/// A trust policy read once: whom it admits to sts:AssumeRole without conditions, and how.
struct TrustIndex {
    by_arn: HashSet<String>,
    by_account: bool,
    denied: HashSet<String>,
    denied_account: bool,
}

impl TrustIndex {
    fn new(trust: &PolicyDocument, account: &str) -> TrustIndex {
        let root = format!("arn:aws:iam::{account}:root");
        let mut index = TrustIndex { by_arn: HashSet::new(), by_account: false, denied: HashSet::new(), denied_account: false };
        let applies = |st: &&crate::policy::Statement| !st.not_principal && st.matches_action("sts:AssumeRole") && st.condition.is_none();
        for st in trust.statements.iter().filter(applies) {
            let Some(principal) = st.principal.as_ref() else { continue };
            let listed = aws_principals(principal);
            let account_wide = listed.iter().any(|p| p == "*" || p == account || *p == root);
            match st.effect {
                Effect::Deny => {
                    index.denied_account |= account_wide;
                    index.denied.extend(listed);
                }
                Effect::Allow => {
                    index.by_account |= account_wide;
                    index.by_arn.extend(listed);
                }
            }
        }
        index
    }

    fn admits(&self, who: &str) -> Option<Admission> {
        if self.denied_account || self.denied.contains(who) {
            None
        } else if self.by_arn.contains(who) {
            Some(Admission::ByArn)
        } else if self.by_account {
            Some(Admission::ByAccount)
        } else {
            None
        }
    }
}

/// Whether a trust policy lets `who` (an ARN of `account`) assume the role without conditions.
pub fn admits(trust: &PolicyDocument, who: &str, account: &str) -> Option<Admission> {
    TrustIndex::new(trust, account).admits(who)
}

/// Whether a role's trust names any AWS principal at all (service-only roles cannot be entered by users).
fn trusts_aws_principals(trust: Option<&PolicyDocument>) -> bool {
    trust.is_some_and(|t| {
        t.statements.iter().any(|st| st.effect == Effect::Allow && st.principal.as_ref().is_some_and(|p| !aws_principals(p).is_empty()))
    })
}

struct Search<'e, 'a> {
    e: &'e mut Evaluator<'a>,
    /// Per entrable role (holder index): its sts:AssumeRole probe and its trust, read once.
    doors: HashMap<usize, (usize, TrustIndex)>,
}

impl Search<'_, '_> {
    fn edge(&mut self, holders: &[Holder], from: usize, to: usize) -> bool {
        let Some((probe, trust)) = self.doors.get(&to) else { return false };
        if from == to {
            return false;
        }
        let probe = *probe;
        match trust.admits(&holders[from].principal.arn) {
            Some(Admission::ByArn) => !self.e.explicitly_denied(&holders[from].grants, probe),
            Some(Admission::ByAccount) => self.e.decide(&holders[from].grants, probe) == Decision::Allowed,
            None => false,
        }
    }
}

/// For every node, the number of roles still to assume to reach one `targets` holds (0: it
/// is one), at most `MAX_HOPS - 1`, and the next role on that way: a reverse BFS in which
/// each step asks `can_assume(from, to)` only of the roles not reached yet. The edges are
/// never listed, so an account where every role may assume every other (roles trusting
/// the account root) costs about one pass over its roles, not its square.
fn distances(
    targets: impl Iterator<Item = usize>,
    roles: &[usize],
    nodes: usize,
    mut can_assume: impl FnMut(usize, usize) -> bool,
) -> (Vec<Option<usize>>, Vec<usize>) {
    let mut dist: Vec<Option<usize>> = vec![None; nodes];
    let mut next: Vec<usize> = (0..nodes).collect();
    let mut queue: VecDeque<usize> = VecDeque::new();
    for t in targets {
        dist[t] = Some(0);
        queue.push_back(t);
    }
    let mut unreached: Vec<usize> = roles.iter().copied().filter(|r| dist[*r].is_none()).collect();
    while let Some(n) = queue.pop_front() {
        let d = dist[n].unwrap_or_default();
        if d + 1 >= MAX_HOPS {
            continue;
        }
        unreached.retain(|p| {
            if can_assume(*p, n) {
                dist[*p] = Some(d + 1);
                next[*p] = n;
                queue.push_back(*p);
                false
            } else {
                true
            }
        });
    }
    (dist, next)
}

/// The shortest path (holder indices, start first) from `start` to a target: the doors
/// (entrable roles with a distance) are tried nearest first, ties by index, and the first
/// one `start` can assume is taken.
fn path_via(
    start: usize,
    doors: &[usize],
    (dist, next): &(Vec<Option<usize>>, Vec<usize>),
    mut can_assume: impl FnMut(usize, usize) -> bool,
) -> Option<Vec<usize>> {
    let door = doors.iter().copied().find(|d| *d != start && can_assume(start, *d))?;
    let mut path = vec![start, door];
    let mut at = door;
    while dist[at] != Some(0) {
        at = next[at];
        path.push(at);
    }
    Some(path)
}

/// The entrable roles that lead to a target, nearest first (ties by index).
fn doors_by_distance(entrable: &[usize], dist: &[Option<usize>]) -> Vec<usize> {
    let mut doors: Vec<(usize, usize)> = entrable.iter().filter_map(|r| dist[*r].map(|d| (d, *r))).collect();
    doors.sort_unstable();
    doors.into_iter().map(|(_, r)| r).collect()
}

pub(crate) fn check(s: &mut Sink, e: &mut Evaluator, holders: &[Holder]) {
    s.ran(&["assume-role-escalation"]);
    let account = e.account();
    let entrable: Vec<usize> =
        (0..holders.len()).filter(|i| holders[*i].kind == "role" && trusts_aws_principals(holders[*i].principal.trust.as_ref())).collect();
    if entrable.is_empty() {
        return;
    }
    let doors = entrable
        .iter()
        .filter_map(|i| {
            let trust = TrustIndex::new(holders[*i].principal.trust.as_ref()?, &account.id);
            Some((*i, (e.probe("sts:AssumeRole", &holders[*i].principal.arn), trust)))
        })
        .collect();
    let mut search = Search { e, doors };
    let roles: Vec<usize> = (0..holders.len()).filter(|i| holders[*i].kind == "role").collect();
    let to_admin = distances((0..holders.len()).filter(|i| holders[*i].admin), &roles, holders.len(), |f, t| search.edge(holders, f, t));
    let to_escalation = distances((0..holders.len()).filter(|i| !holders[*i].escalations.is_empty()), &roles, holders.len(), |f, t| {
        search.edge(holders, f, t)
    });
    let admin_doors = doors_by_distance(&entrable, &to_admin.0);
    let escalation_doors = doors_by_distance(&entrable, &to_escalation.0);
    if admin_doors.is_empty() && escalation_doors.is_empty() {
        return;
    }
    for start in (0..holders.len()).filter(|i| !holders[*i].admin) {
        let admin = path_via(start, &admin_doors, &to_admin, |f, t| search.edge(holders, f, t));
        let found = admin.map(|p| (p, true)).or_else(|| {
            if holders[start].escalations.is_empty() {
                path_via(start, &escalation_doors, &to_escalation, |f, t| search.edge(holders, f, t)).map(|p| (p, false))
            } else {
                None
            }
        });
        let Some((path, to_admin)) = found else { continue };
        let h = &holders[start];
        let names: Vec<String> = path.iter().map(|i| format!("{}:{}", holders[*i].kind, holders[*i].principal.name)).collect();
        let arns: Vec<&str> = path.iter().map(|i| holders[*i].principal.arn.as_str()).collect();
        let last = &holders[*path.last().unwrap_or(&start)];
        let reaches =
            if to_admin { "administrator access".to_owned() } else { format!("privilege escalation ({})", last.escalations.join(", ")) };
        let mut evidence = json!({
            "path": names, "arns": arns,
            "reaches": if to_admin { "admin" } else { "privilege-escalation" },
        });
        if !to_admin {
            evidence["paths"] = json!(last.escalations);
        }
        if path.iter().any(|i| !holders[*i].grants.missing.is_empty()) {
            evidence["uncertain"] = json!(true);
        }
        s.add(
            "assume-role-escalation",
            Severity::High,
            format!("{} {} can reach {reaches} by assuming roles: {}", h.kind, h.principal.name, names.join(" → ")),
            &h.principal.arn,
            evidence,
            "Narrow the roles' trust policies to the principals that need them, or the principals' sts:AssumeRole to the roles they need.",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> PolicyDocument {
        PolicyDocument::parse(text)
    }

    #[test]
    fn trust_admits_by_arn_or_by_account() {
        let alice = "arn:aws:iam::111111111111:user/alice";
        let by_arn = doc(&format!(r#"{{"Statement":{{"Effect":"Allow","Principal":{{"AWS":["{alice}"]}},"Action":"sts:AssumeRole"}}}}"#));
        let by_root =
            doc(r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}}"#);
        let by_id = doc(r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:*"}}"#);
        let other =
            doc(r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"sts:AssumeRole"}}"#);
        let service = doc(r#"{"Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}"#);
        let mfa = doc(
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}}"#,
        );
        let denied = doc(&format!(
            r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"AWS":"111111111111"}},"Action":"sts:AssumeRole"}},{{"Effect":"Deny","Principal":{{"AWS":"{alice}"}},"Action":"sts:AssumeRole"}}]}}"#
        ));
        let not_principal =
            doc(&format!(r#"{{"Statement":{{"Effect":"Allow","NotPrincipal":{{"AWS":"{alice}"}},"Action":"sts:AssumeRole"}}}}"#));
        let web = doc(r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRoleWithWebIdentity"}}"#);
        let account = "111111111111";
        assert_eq!(admits(&by_arn, alice, account), Some(Admission::ByArn));
        assert_eq!(admits(&by_root, alice, account), Some(Admission::ByAccount));
        assert_eq!(admits(&by_id, alice, account), Some(Admission::ByAccount));
        for (no, why) in [
            (&other, "other account"),
            (&service, "service"),
            (&mfa, "conditional"),
            (&denied, "deny"),
            (&not_principal, "NotPrincipal"),
            (&web, "other action"),
        ] {
            assert_eq!(admits(no, alice, account), None, "{why}");
        }
    }

    #[test]
    fn shortest_paths_stop_at_cycles_and_at_the_hop_limit() {
        // 0 → 1 ⇄ 2 → 3; 3 is wanted; a chain 10 → 11 → … → 20 longer than MAX_HOPS.
        let edges = |list: Vec<(usize, usize)>| move |f: usize, t: usize| list.contains(&(f, t));
        let roles: Vec<usize> = (1..30).collect();
        let ring = edges(vec![(0, 1), (1, 2), (2, 1), (2, 3)]);
        let found = |target: usize, can: &dyn Fn(usize, usize) -> bool, start: usize, entrable: &[usize]| {
            let d = distances([target].into_iter(), &roles, 30, can);
            path_via(start, &doors_by_distance(entrable, &d.0), &d, can)
        };
        assert_eq!(found(3, &ring, 0, &[1, 2, 3]), Some(vec![0, 1, 2, 3]));
        assert_eq!(found(9, &ring, 0, &[1, 2, 3]), None, "a cycle ends");
        let chain = edges((10..20).map(|i| (i, i + 1)).collect());
        let entrable: Vec<usize> = (11..=20).collect();
        assert_eq!(found(20, &chain, 10, &entrable), None);
        let far = 11 + MAX_HOPS - 1;
        assert_eq!(found(far, &chain, 10, &entrable).map(|p| p.len()), Some(MAX_HOPS + 1));
        // Two doors: the nearer wins, whatever its index.
        let two = edges(vec![(0, 5), (0, 6), (5, 3), (6, 7), (7, 3)]);
        assert_eq!(found(3, &two, 0, &[3, 5, 6, 7]), Some(vec![0, 5, 3]));
    }

    proptest::proptest! {
        /// On random graphs the implicit search finds paths exactly as long as a plain BFS over
        /// the listed edges, and every step of them is an edge.
        #[test]
        fn the_implicit_search_agrees_with_a_plain_bfs(
            edge_list in proptest::collection::vec((0usize..12, 0usize..12), 0..40),
            target in 0usize..12,
            start in 0usize..12,
        ) {
            // The search never starts at a target: admins are not searched from, and an
            // escalation path is looked for only from principals without one.
            proptest::prop_assume!(target != start);
            let can = |f: usize, t: usize| f != t && edge_list.contains(&(f, t));
            let roles: Vec<usize> = (0..12).collect();
            let d = distances([target].into_iter(), &roles, 12, can);
            let got = path_via(start, &doors_by_distance(&roles, &d.0), &d, can);
            // Plain BFS from start over the listed edges, path length in roles assumed.
            let mut seen = [None; 12];
            let mut queue = VecDeque::new();
            for t in (0..12).filter(|t| *t != start && can(start, *t)) {
                if seen[t].is_none() { seen[t] = Some(1usize); queue.push_back(t); }
            }
            while let Some(n) = queue.pop_front() {
                let h = seen[n].unwrap();
                if n == target || h >= MAX_HOPS { continue; }
                for t in (0..12).filter(|t| *t != start && can(n, *t)) {
                    if seen[t].is_none() { seen[t] = Some(h + 1); queue.push_back(t); }
                }
            }
            let want = seen[target];
            match (&got, want) {
                (Some(path), Some(h)) => {
                    proptest::prop_assert_eq!(path.len() - 1, h);
                    proptest::prop_assert!(path.windows(2).all(|w| can(w[0], w[1])));
                    proptest::prop_assert_eq!(*path.last().unwrap(), target);
                }
                (None, None) => {}
                other => proptest::prop_assert!(false, "{:?} vs {:?}", other.0, other.1),
            }
        }
    }
}
