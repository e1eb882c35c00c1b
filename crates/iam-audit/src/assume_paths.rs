//! Transitive escalation through sts:AssumeRole (PMapper's idea): a user or role that may
//! assume a role whose trust policy admits it, possibly through several roles, reaches
//! whatever the last role holds. When that is administrator access, or an escalation the
//! start lacks, the finding names the whole path. The search is a bounded BFS over the
//! roles that can lead to a dangerous one, so accounts whose roles trust only services
//! cost nothing here; cycles end at visited roles.

use crate::account::Account;
use crate::checks::{Sink, aws_principals};
use crate::evaluator::Evaluator;
use crate::grant_checks::Holder;
use crate::policy::{Decision, Effect, PolicyDocument};
use awsops_core::kinds::Severity;
use serde_json::json;
use std::collections::{HashMap, VecDeque};

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

/// Whether a trust policy lets `who` (an ARN of `account`) assume the role without conditions.
pub fn admits(trust: &PolicyDocument, who: &str, account: &str) -> Option<Admission> {
    let root = format!("arn:aws:iam::{account}:root");
    let names = |st: &crate::policy::Statement| -> Option<Admission> {
        let principal = st.principal.as_ref()?;
        let listed = aws_principals(principal);
        if listed.iter().any(|p| p == who) {
            Some(Admission::ByArn)
        } else if listed.iter().any(|p| p == "*" || p == account || *p == root) {
            Some(Admission::ByAccount)
        } else {
            None
        }
    };
    let applies = |st: &&crate::policy::Statement| !st.not_principal && st.matches_action("sts:AssumeRole");
    if trust.statements.iter().filter(applies).any(|st| st.effect == Effect::Deny && st.condition.is_none() && names(st).is_some()) {
        return None;
    }
    trust
        .statements
        .iter()
        .filter(applies)
        .filter(|st| st.effect == Effect::Allow && st.condition.is_none())
        .filter_map(names)
        .min_by_key(|a| if *a == Admission::ByArn { 0 } else { 1 })
}

/// Whether a role's trust names any AWS principal at all (service-only roles cannot be entered by users).
fn trusts_aws_principals(trust: Option<&PolicyDocument>) -> bool {
    trust.is_some_and(|t| {
        t.statements.iter().any(|st| st.effect == Effect::Allow && st.principal.as_ref().is_some_and(|p| !aws_principals(p).is_empty()))
    })
}

struct Search<'e, 'a> {
    e: &'e mut Evaluator<'a>,
    account: &'a Account,
    /// Per entrable role (holder index): its sts:AssumeRole probe.
    probes: HashMap<usize, usize>,
}

impl Search<'_, '_> {
    fn edge(&mut self, holders: &[Holder], from: usize, to: usize) -> bool {
        let (Some(probe), Some(trust)) = (self.probes.get(&to).copied(), holders[to].principal.trust.as_ref()) else { return false };
        if from == to {
            return false;
        }
        match admits(trust, &holders[from].principal.arn, &self.account.id) {
            Some(Admission::ByArn) => !self.e.explicitly_denied(&holders[from].grants, probe),
            Some(Admission::ByAccount) => self.e.decide(&holders[from].grants, probe) == Decision::Allowed,
            None => false,
        }
    }
}

/// The shortest path (holder indices, start first) from `start` to a node `wanted` accepts,
/// stepping only through `next`'s roles, at most `MAX_HOPS` of them.
fn shortest(start: usize, first: &[usize], next: &HashMap<usize, Vec<usize>>, wanted: impl Fn(usize) -> bool) -> Option<Vec<usize>> {
    let mut parent: HashMap<usize, usize> = HashMap::new();
    let mut queue: VecDeque<(usize, usize)> = first.iter().map(|r| (*r, 1)).collect();
    for r in first {
        parent.entry(*r).or_insert(start);
    }
    while let Some((node, hops)) = queue.pop_front() {
        if wanted(node) {
            let mut path = vec![node];
            let mut at = node;
            while let Some(p) = parent.get(&at).copied() {
                path.push(p);
                if p == start {
                    break;
                }
                at = p;
            }
            path.reverse();
            return Some(path);
        }
        if hops >= MAX_HOPS {
            continue;
        }
        for n in next.get(&node).map(Vec::as_slice).unwrap_or_default() {
            if *n != start && !parent.contains_key(n) {
                parent.insert(*n, node);
                queue.push_back((*n, hops + 1));
            }
        }
    }
    None
}

pub(crate) fn check(s: &mut Sink, e: &mut Evaluator, holders: &[Holder]) {
    s.ran(&["assume-role-escalation"]);
    let account = e.account();
    let entrable: Vec<usize> =
        (0..holders.len()).filter(|i| holders[*i].kind == "role" && trusts_aws_principals(holders[*i].principal.trust.as_ref())).collect();
    if entrable.is_empty() {
        return;
    }
    let probes = entrable.iter().map(|i| (*i, e.probe("sts:AssumeRole", &holders[*i].principal.arn))).collect();
    let mut search = Search { e, account, probes };
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
    for start in (0..holders.len()).filter(|i| !holders[*i].admin) {
        let first: Vec<usize> = doors.iter().copied().filter(|to| search.edge(holders, start, *to)).collect();
        if first.is_empty() {
            continue;
        }
        let admin = shortest(start, &first, &next, |n| holders[n].admin);
        let found = admin.map(|p| (p, true)).or_else(|| {
            if holders[start].escalations.is_empty() {
                shortest(start, &first, &next, |n| !holders[n].escalations.is_empty()).map(|p| (p, false))
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
        let next: HashMap<usize, Vec<usize>> = HashMap::from([(1, vec![2]), (2, vec![1, 3])]);
        assert_eq!(shortest(0, &[1], &next, |n| n == 3), Some(vec![0, 1, 2, 3]));
        assert_eq!(shortest(0, &[1], &next, |n| n == 9), None, "a cycle ends");
        let chain: HashMap<usize, Vec<usize>> = (11..20).map(|i| (i, vec![i + 1])).collect();
        assert_eq!(shortest(10, &[11], &chain, |n| n == 20), None);
        assert_eq!(shortest(10, &[11], &chain, |n| n == 11 + MAX_HOPS - 1).map(|p| p.len()), Some(MAX_HOPS + 1));
    }
}
