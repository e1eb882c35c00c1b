//! What principals and policies are granted, at a cost paid once per distinct policy, not
//! once per principal: each policy document is compiled the first time it is needed, its
//! answer to each probe (action, resource) is memoized, and a principal's decision combines
//! the answers of its policies (inline, attached, its groups'), then intersects them with
//! its permissions boundary, as IAM does. Attached policies that the input lacks are
//! recorded, so the checks can say their verdict is uncertain instead of dropping them.

use crate::account::{Account, Principal};
use crate::compiled_policy::{Answer, CompiledPolicy, Probe};
use crate::policy::{Decision, PolicyDocument};
use std::collections::HashMap;

pub type PolicyId = usize;
pub type ProbeId = usize;

/// Actions and resources that only an administrator holds all of (see `policy::ADMIN_PROBES`).
pub use crate::policy::ADMIN_PROBES;

/// Privilege-escalation paths: each a set of actions that together let a principal raise its own access.
pub const ESCALATIONS: [(&str, &[&str]); 15] = [
    ("CreatePolicyVersion", &["iam:CreatePolicyVersion"]),
    ("SetDefaultPolicyVersion", &["iam:SetDefaultPolicyVersion"]),
    ("AttachUserPolicy", &["iam:AttachUserPolicy"]),
    ("AttachGroupPolicy", &["iam:AttachGroupPolicy"]),
    ("AttachRolePolicy", &["iam:AttachRolePolicy"]),
    ("PutUserPolicy", &["iam:PutUserPolicy"]),
    ("PutGroupPolicy", &["iam:PutGroupPolicy"]),
    ("PutRolePolicy", &["iam:PutRolePolicy"]),
    ("AddUserToGroup", &["iam:AddUserToGroup"]),
    ("UpdateAssumeRolePolicy", &["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"]),
    ("CreateAccessKey on other users", &["iam:CreateAccessKey"]),
    ("CreateLoginProfile on other users", &["iam:CreateLoginProfile"]),
    ("UpdateLoginProfile on other users", &["iam:UpdateLoginProfile"]),
    ("PassRole with RunInstances", &["iam:PassRole", "ec2:RunInstances"]),
    ("PassRole with Lambda", &["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]),
];

/// The resource an action is probed on: another principal of the account, a policy, or `*`.
pub fn probe_resource(account: &str, action: &str) -> String {
    let other = |kind: &str| format!("arn:aws:iam::{account}:{kind}/awsops-audit-probe");
    let verb = action.split(':').nth(1).unwrap_or_default();
    if !action.starts_with("iam:") && !action.starts_with("sts:") {
        return "*".into();
    }
    if verb.contains("PolicyVersion") {
        other("policy")
    } else if verb.contains("Group") {
        other("group")
    } else if verb.contains("Role") {
        other("role")
    } else if verb.contains("User") || verb.contains("LoginProfile") || verb.contains("AccessKey") {
        other("user")
    } else {
        "*".into()
    }
}

/// The policies that decide what one principal (or one policy on its own) is granted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grants {
    pub identity: Vec<PolicyId>,
    pub boundary: Option<PolicyId>,
    /// Attached (or boundary) policy ARNs the input does not hold.
    pub missing: Vec<String>,
}

impl Grants {
    pub fn of_policy(id: PolicyId) -> Grants {
        Grants { identity: vec![id], ..Grants::default() }
    }
}

const KNOWN: u8 = 0x10;

fn pack(a: Answer) -> u8 {
    KNOWN | u8::from(a.allow) | u8::from(a.allow_conditional) << 1 | u8::from(a.deny) << 2 | u8::from(a.deny_conditional) << 3
}

fn unpack(b: u8) -> Answer {
    Answer { allow: b & 1 != 0, allow_conditional: b & 2 != 0, deny: b & 4 != 0, deny_conditional: b & 8 != 0 }
}

/// Both must allow: an explicit or implicit deny in either denies; anything uncertain stays uncertain.
fn both(a: Decision, b: Decision) -> Decision {
    match (a, b) {
        (Decision::Denied, _) | (_, Decision::Denied) => Decision::Denied,
        (Decision::Allowed, Decision::Allowed) => Decision::Allowed,
        _ => Decision::Conditional,
    }
}

pub struct Evaluator<'a> {
    account: &'a Account,
    groups: HashMap<&'a str, &'a Principal>,
    /// Document address → id: a document is one policy however many principals hold it.
    ids: HashMap<usize, PolicyId>,
    docs: Vec<&'a PolicyDocument>,
    compiled: Vec<Option<CompiledPolicy>>,
    probes: Vec<Probe>,
    probe_ids: HashMap<(String, String), ProbeId>,
    /// Per policy, per probe: the packed answer, 0 when not asked yet.
    memo: Vec<Vec<u8>>,
    admin: Vec<ProbeId>,
    escalation: Vec<(&'static str, Vec<ProbeId>)>,
}

impl<'a> Evaluator<'a> {
    pub fn new(account: &'a Account) -> Evaluator<'a> {
        let mut e = Evaluator {
            account,
            groups: account.groups.iter().map(|g| (g.name.as_str(), g)).collect(),
            ids: HashMap::new(),
            docs: Vec::new(),
            compiled: Vec::new(),
            probes: Vec::new(),
            probe_ids: HashMap::new(),
            memo: Vec::new(),
            admin: Vec::new(),
            escalation: Vec::new(),
        };
        e.admin = ADMIN_PROBES.iter().map(|(a, r)| e.probe(a, r)).collect();
        e.escalation = ESCALATIONS
            .iter()
            .map(|(name, actions)| (*name, actions.iter().map(|a| e.probe(a, &probe_resource(&account.id, a))).collect()))
            .collect();
        e
    }

    pub fn account(&self) -> &'a Account {
        self.account
    }

    /// The id of a document (the same document, the same id).
    pub fn id_of(&mut self, doc: &'a PolicyDocument) -> PolicyId {
        let key = std::ptr::from_ref(doc) as usize;
        if let Some(id) = self.ids.get(&key) {
            return *id;
        }
        let id = self.docs.len();
        self.docs.push(doc);
        self.compiled.push(None);
        self.memo.push(Vec::new());
        self.ids.insert(key, id);
        id
    }

    pub fn probe(&mut self, action: &str, resource: &str) -> ProbeId {
        let key = (action.to_owned(), resource.to_owned());
        if let Some(id) = self.probe_ids.get(&key) {
            return *id;
        }
        let id = self.probes.len();
        self.probes.push(Probe::new(action, resource));
        self.probe_ids.insert(key, id);
        id
    }

    /// The managed policy of an ARN, as an id, when the input holds it.
    pub fn managed(&mut self, arn: &str) -> Option<PolicyId> {
        let doc = &self.account.policies.get(arn)?.document;
        Some(self.id_of(doc))
    }

    /// A principal's policies: its inline and attached ones, its groups' (users), its boundary.
    pub fn grants(&mut self, p: &'a Principal) -> Grants {
        let mut g = Grants::default();
        let mut holders = vec![p];
        for name in &p.groups {
            match self.groups.get(name.as_str()) {
                Some(group) => holders.push(group),
                // A membership whose group the input lacks (a dump made with --filter User Role):
                // its policies are unknown, which makes the verdicts uncertain, never silently clean.
                None => g.missing.push(format!("arn:aws:iam::{}:group/{name}", self.account.id)),
            }
        }
        for h in holders {
            for (_, doc) in &h.inline {
                g.identity.push(self.id_of(doc));
            }
            for arn in &h.attached {
                match self.managed(arn) {
                    Some(id) => g.identity.push(id),
                    None => g.missing.push(arn.clone()),
                }
            }
        }
        if let Some(arn) = &p.boundary {
            match self.managed(arn) {
                Some(id) => g.boundary = Some(id),
                None => g.missing.push(arn.clone()),
            }
        }
        g.identity.sort_unstable();
        g.identity.dedup();
        g.missing.sort();
        g.missing.dedup();
        g
    }

    /// One policy's memoized answer to one probe.
    pub fn answer(&mut self, policy: PolicyId, probe: ProbeId) -> Answer {
        let row = &mut self.memo[policy];
        if row.len() <= probe {
            row.resize(self.probes.len().max(probe + 1), 0);
        }
        if row[probe] != 0 {
            return unpack(row[probe]);
        }
        let doc = self.docs[policy];
        let answer = self.compiled[policy].get_or_insert_with(|| CompiledPolicy::new(doc)).answer(&self.probes[probe]);
        self.memo[policy][probe] = pack(answer);
        answer
    }

    pub fn decide(&mut self, g: &Grants, probe: ProbeId) -> Decision {
        let identity = g.identity.iter().fold(Answer::default(), |acc, id| acc.or(self.answer(*id, probe))).decision();
        match g.boundary {
            Some(b) => both(identity, self.answer(b, probe).decision()),
            None => identity,
        }
    }

    /// Whether an unconditional Deny (in an identity policy or the boundary) applies.
    pub fn explicitly_denied(&mut self, g: &Grants, probe: ProbeId) -> bool {
        g.identity.iter().chain(&g.boundary).any(|id| self.answer(*id, probe).deny)
    }

    pub fn is_admin(&mut self, g: &Grants) -> bool {
        (0..self.admin.len()).all(|i| self.decide(g, self.admin[i]) == Decision::Allowed)
    }

    /// The escalation paths whose every action is unconditionally allowed.
    pub fn escalations(&mut self, g: &Grants) -> Vec<&'static str> {
        let mut open = Vec::new();
        for i in 0..self.escalation.len() {
            if (0..self.escalation[i].1.len()).all(|j| self.decide(g, self.escalation[i].1[j]) == Decision::Allowed) {
                open.push(self.escalation[i].0);
            }
        }
        open
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::ManagedPolicy;
    use crate::policy::{evaluate, is_admin_equivalent};
    use proptest::prelude::*;
    use serde_json::json;

    fn doc(v: serde_json::Value) -> PolicyDocument {
        PolicyDocument::from_value(&v)
    }

    fn managed(arn: &str, d: PolicyDocument) -> (String, ManagedPolicy) {
        (arn.to_owned(), ManagedPolicy { name: arn.rsplit('/').next().unwrap().into(), arn: arn.into(), document: d, aws_managed: false })
    }

    #[test]
    fn a_boundary_without_iam_stops_an_admin_policy() {
        let admin = "arn:aws:iam::1:policy/admin";
        let fence = "arn:aws:iam::1:policy/fence";
        let mut a = Account { id: "1".into(), ..Account::default() };
        a.policies.extend([
            managed(admin, doc(json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}))),
            managed(fence, doc(json!({"Statement": {"Effect": "Allow", "Action": ["s3:*", "ec2:*"], "Resource": "*"}}))),
        ]);
        let free = Principal { name: "free".into(), attached: vec![admin.into()], ..Principal::default() };
        let fenced = Principal { boundary: Some(fence.into()), ..free.clone() };
        let lost = Principal { boundary: Some("arn:aws:iam::1:policy/gone".into()), ..free.clone() };
        let mut e = Evaluator::new(&a);
        let (gf, gb, gl) = (e.grants(&free), e.grants(&fenced), e.grants(&lost));
        assert!(e.is_admin(&gf));
        assert!(!e.is_admin(&gb), "the boundary has no iam:*");
        assert!(e.escalations(&gb).is_empty());
        let run = e.probe("ec2:RunInstances", "*");
        assert_eq!(e.decide(&gb, run), Decision::Allowed, "what both allow stays allowed");
        assert_eq!(gl.missing, ["arn:aws:iam::1:policy/gone"]);
        assert!(e.is_admin(&gl), "an unknown boundary is not assumed to limit");
        assert_eq!(gf.identity, gb.identity, "one policy, one id");
    }

    #[test]
    fn missing_attached_policies_are_recorded() {
        let mut a = Account { id: "1".into(), ..Account::default() };
        a.groups.push(Principal {
            name: "g".into(),
            attached: vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()],
            ..Principal::default()
        });
        let u = Principal {
            name: "u".into(),
            groups: vec!["g".into()],
            attached: vec!["arn:aws:iam::1:policy/x".into()],
            ..Principal::default()
        };
        a.users.push(u);
        let mut e = Evaluator::new(&a);
        let g = e.grants(&a.users[0]);
        assert_eq!(g.missing, ["arn:aws:iam::1:policy/x", "arn:aws:iam::aws:policy/ReadOnlyAccess"]);
        assert!(g.identity.is_empty());
    }

    fn statement() -> impl Strategy<Value = serde_json::Value> {
        let actions = prop::sample::subsequence(
            vec![
                "*",
                "iam:*",
                "iam:Create*",
                "iam:CreatePolicyVersion",
                "iam:Attach*Policy",
                "iam:PassRole",
                "ec2:*",
                "ec2:Run*",
                "s3:*",
                "kms:*",
                "organizations:*",
                "lambda:*",
                "sts:AssumeRole",
                "*:Create*",
            ],
            0..4,
        );
        let resources =
            prop::sample::subsequence(vec!["*", "arn:aws:iam::1:role/*", "arn:aws:iam::1:user/*", "arn:aws:iam::1:policy/*"], 0..3);
        (any::<bool>(), actions, any::<bool>(), resources, any::<bool>(), any::<bool>()).prop_map(|(deny, a, na, r, nr, cond)| {
            let mut s = json!({"Effect": if deny { "Deny" } else { "Allow" }});
            s[if na { "NotAction" } else { "Action" }] = json!(a);
            s[if nr { "NotResource" } else { "Resource" }] = json!(r);
            if cond {
                s["Condition"] = json!({"Bool": {"aws:SecureTransport": "true"}});
            }
            s
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        /// The memoized evaluator and the naive one agree on every principal of random accounts,
        /// asked twice (the second time from the memo).
        #[test]
        fn memoized_grants_agree_with_the_naive_evaluator(
            policies in prop::collection::vec(prop::collection::vec(statement(), 1..4), 1..5),
            holdings in prop::collection::vec(prop::collection::vec(0..5usize, 0..4), 1..6),
            boundary in prop::option::of(0..5usize),
        ) {
            let mut a = Account { id: "1".into(), ..Account::default() };
            let arns: Vec<String> = (0..policies.len()).map(|i| format!("arn:aws:iam::1:policy/p{i}")).collect();
            for (arn, st) in arns.iter().zip(&policies) {
                a.policies.extend([managed(arn, doc(json!({"Statement": st})))]);
            }
            for (n, held) in holdings.iter().enumerate() {
                a.users.push(Principal {
                    name: format!("u{n}"),
                    attached: held.iter().filter_map(|i| arns.get(*i).cloned()).collect(),
                    boundary: if n % 2 == 0 { boundary.and_then(|b| arns.get(b).cloned()) } else { None },
                    ..Principal::default()
                });
            }
            let mut e = Evaluator::new(&a);
            for _ in 0..2 {
                for u in &a.users {
                    let g = e.grants(u);
                    let docs: Vec<&PolicyDocument> = u.attached.iter().map(|arn| &a.policies[arn].document).collect();
                    let bound = u.boundary.as_ref().map(|b| &a.policies[b].document);
                    let naive = |action: &str, resource: &str| {
                        let d = evaluate(docs.iter().copied(), action, resource);
                        match bound { Some(b) => both(d, evaluate([b], action, resource)), None => d }
                    };
                    let naive_admin = ADMIN_PROBES.iter().all(|(ac, r)| naive(ac, r) == Decision::Allowed);
                    prop_assert_eq!(e.is_admin(&g), naive_admin);
                    if bound.is_none() {
                        prop_assert_eq!(e.is_admin(&g), is_admin_equivalent(docs.iter().copied()));
                    }
                    let naive_paths: Vec<&str> = ESCALATIONS.iter()
                        .filter(|(_, acts)| acts.iter().all(|ac| naive(ac, &probe_resource("1", ac)) == Decision::Allowed))
                        .map(|(n, _)| *n).collect();
                    prop_assert_eq!(e.escalations(&g), naive_paths);
                }
            }
        }
    }
}
