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
/// is one), at most `MAX_HOPS - 1`, and the next role on that way: one reverse BFS along
/// `into` (who can assume each role).
fn distances(targets: impl Iterator<Item = usize>, into: &HashMap<usize, Vec<usize>>, nodes: usize) -> (Vec<Option<usize>>, Vec<usize>) {
    let mut dist: Vec<Option<usize>> = vec![None; nodes];
    let mut next: Vec<usize> = (0..nodes).collect();
    let mut queue: VecDeque<usize> = VecDeque::new();
    for t in targets {
        dist[t] = Some(0);
        queue.push_back(t);
    }
    while let Some(n) = queue.pop_front() {
        let d = dist[n].unwrap_or_default();
        if d + 1 >= MAX_HOPS {
            continue;
        }
        for p in into.get(&n).map(Vec::as_slice).unwrap_or_default() {
            if dist[*p].is_none() {
                dist[*p] = Some(d + 1);
                next[*p] = n;
                queue.push_back(*p);
            }
        }
    }
    (dist, next)
}

/// The shortest path (holder indices, start first) from `start` through one of the roles it
/// can assume first (`first`, in a fixed order: ties go to the earliest) to a target.
fn path_via(start: usize, first: &[usize], (dist, next): &(Vec<Option<usize>>, Vec<usize>)) -> Option<Vec<usize>> {
    let door = first.iter().copied().filter_map(|r| dist[r].map(|d| (d, r))).min_by_key(|(d, _)| *d)?.1;
    let mut path = vec![start, door];
    let mut at = door;
    while dist[at] != Some(0) {
        at = next[at];
        path.push(at);
    }
    Some(path)
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
    let dangerous_at = |i: usize| holders[i].admin || !holders[i].escalations.is_empty();
    // Role to role: who can go where.
    let mut next: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut into: HashMap<usize, Vec<usize>> = HashMap::new();
    for from in (0..holders.len()).filter(|i| holders[*i].kind == "role") {
        for to in &entrable {
            if search.edge(holders, from, *to) {
                next.entry(from).or_default().push(*to);
                into.entry(*to).or_default().push(from);
            }
        }
    }
    // The entrable roles from which something dangerous is reachable (themselves included).
    let mut leads: Vec<bool> = vec![false; holders.len()];
    let mut queue: VecDeque<usize> = entrable.iter().copied().filter(|i| dangerous_at(*i)).collect();
    for i in &queue {
        leads[*i] = true;
    }
    while let Some(n) = queue.pop_front() {
        for p in into.get(&n).map(Vec::as_slice).unwrap_or_default() {
            if !leads[*p] {
                leads[*p] = true;
                queue.push_back(*p);
            }
        }
    }
    let doors: Vec<usize> = entrable.iter().copied().filter(|i| leads[*i]).collect();
    if doors.is_empty() {
        return;
    }
    let to_admin = distances((0..holders.len()).filter(|i| holders[*i].admin), &into, holders.len());
    let to_escalation = distances((0..holders.len()).filter(|i| !holders[*i].escalations.is_empty()), &into, holders.len());
    for start in (0..holders.len()).filter(|i| !holders[*i].admin) {
        let first: Vec<usize> = doors.iter().copied().filter(|to| search.edge(holders, start, *to)).collect();
        if first.is_empty() {
            continue;
        }
        let admin = path_via(start, &first, &to_admin);
        let found = admin.map(|p| (p, true)).or_else(|| {
            if holders[start].escalations.is_empty() { path_via(start, &first, &to_escalation).map(|p| (p, false)) } else { None }
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
        let into_of = |edges: &[(usize, usize)]| {
            let mut into: HashMap<usize, Vec<usize>> = HashMap::new();
            for (from, to) in edges {
                into.entry(*to).or_default().push(*from);
            }
            into
        };
        let into = into_of(&[(1, 2), (2, 1), (2, 3)]);
        assert_eq!(path_via(0, &[1], &distances([3].into_iter(), &into, 30)), Some(vec![0, 1, 2, 3]));
        assert_eq!(path_via(0, &[1], &distances([9].into_iter(), &into, 30)), None, "a cycle ends");
        let chain = into_of(&(11..20).map(|i| (i, i + 1)).collect::<Vec<_>>());
        assert_eq!(path_via(10, &[11], &distances([20].into_iter(), &chain, 30)), None);
        let far = 11 + MAX_HOPS - 1;
        assert_eq!(path_via(10, &[11], &distances([far].into_iter(), &chain, 30)).map(|p| p.len()), Some(MAX_HOPS + 1));
        // Two doors: the nearer wins, whatever its order.
        let two = into_of(&[(5, 3), (6, 7), (7, 3)]);
        assert_eq!(path_via(0, &[6, 5], &distances([3].into_iter(), &two, 30)), Some(vec![0, 5, 3]));
    }
}
