//! A policy document compiled once for many questions: each statement's actions indexed by
//! service prefix (so a probe for `iam:CreateUser` looks only at the `iam` patterns of a
//! 2,700-pattern ReadOnlyAccess, plus the few whose service is itself a wildcard), every
//! pattern precompiled, and one answer per (action, resource) that says which kinds of
//! statement apply. Combining answers gives exactly `policy::evaluate`'s decision.

use crate::pattern::Pattern;
use crate::policy::{Decision, Effect, PolicyDocument, Statement};
use std::collections::HashMap;

/// A question: an action (split once) on a resource.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Probe {
    pub action: String,
    /// The service prefix, lowercased (`None` for an action without a colon).
    service: Option<String>,
    /// The action's name after the first colon.
    name_at: usize,
    pub resource: String,
}

impl Probe {
    pub fn new(action: &str, resource: &str) -> Probe {
        let (service, name_at) = match action.split_once(':') {
            Some((s, _)) => (Some(s.to_ascii_lowercase()), s.len() + 1),
            None => (None, 0),
        };
        Probe { action: action.to_owned(), service, name_at, resource: resource.to_owned() }
    }

    fn name(&self) -> &str {
        &self.action[self.name_at..]
    }
}

/// Which kinds of statement of a policy (or of several, OR-ed) apply to one probe.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Answer {
    pub allow: bool,
    pub allow_conditional: bool,
    pub deny: bool,
    pub deny_conditional: bool,
}

impl Answer {
    pub fn or(self, o: Answer) -> Answer {
        Answer {
            allow: self.allow || o.allow,
            allow_conditional: self.allow_conditional || o.allow_conditional,
            deny: self.deny || o.deny,
            deny_conditional: self.deny_conditional || o.deny_conditional,
        }
    }

    /// IAM's rule, as `policy::evaluate`: an unconditional Deny wins; a conditional Deny makes
    /// an unconditional Allow uncertain; a conditional Allow alone is uncertain; else denied.
    pub fn decision(self) -> Decision {
        if self.deny {
            Decision::Denied
        } else if self.allow {
            if self.deny_conditional { Decision::Conditional } else { Decision::Allowed }
        } else if self.allow_conditional {
            Decision::Conditional
        } else {
            Decision::Denied
        }
    }
}

#[derive(Debug, Clone)]
struct ActionSet {
    negated: bool,
    /// A pattern of stars only (`*`), if any: it matches every real action.
    any: Option<Pattern>,
    /// Patterns whose service part is literal, by lowercased service: the name part only.
    by_service: HashMap<String, Vec<Pattern>>,
    /// Patterns with a wildcard in the service part (or no colon): matched whole.
    cross: Vec<Pattern>,
}

impl ActionSet {
    fn new(patterns: &[String], negated: bool) -> ActionSet {
        let mut set = ActionSet { negated, any: None, by_service: HashMap::new(), cross: Vec::new() };
        for p in patterns {
            let whole = Pattern::new(p, true);
            if whole.is_any() {
                set.any = Some(whole);
                continue;
            }
            match p.split_once(':') {
                Some((service, name)) if !service.contains(['*', '?']) => {
                    set.by_service.entry(service.to_ascii_lowercase()).or_default().push(Pattern::new(name, true));
                }
                _ => set.cross.push(whole),
            }
        }
        set
    }

    fn matches(&self, probe: &Probe) -> bool {
        let hit = self.any.as_ref().is_some_and(|p| p.matches(&probe.action))
            || probe
                .service
                .as_deref()
                .and_then(|s| self.by_service.get(s))
                .is_some_and(|names| names.iter().any(|n| n.matches(probe.name())))
            || self.cross.iter().any(|p| p.matches(&probe.action));
        hit != self.negated
    }
}

#[derive(Debug, Clone)]
struct ResourceSet {
    negated: bool,
    patterns: Vec<Pattern>,
}

impl ResourceSet {
    fn matches(&self, resource: &str) -> bool {
        if self.patterns.is_empty() && !self.negated {
            return false;
        }
        self.patterns.iter().any(|p| p.matches(resource)) != self.negated
    }
}

#[derive(Debug, Clone)]
struct CompiledStatement {
    effect: Effect,
    conditional: bool,
    actions: ActionSet,
    resources: ResourceSet,
}

#[derive(Debug, Clone, Default)]
pub struct CompiledPolicy {
    statements: Vec<CompiledStatement>,
}

impl CompiledPolicy {
    pub fn new(doc: &PolicyDocument) -> CompiledPolicy {
        let statements = doc
            .statements
            .iter()
            .map(|s: &Statement| CompiledStatement {
                effect: s.effect.clone(),
                conditional: s.condition.is_some(),
                actions: ActionSet::new(&s.actions.0, s.actions.1),
                resources: ResourceSet { negated: s.resources.1, patterns: s.resources.0.iter().map(|r| Pattern::new(r, false)).collect() },
            })
            .collect();
        CompiledPolicy { statements }
    }

    pub fn answer(&self, probe: &Probe) -> Answer {
        let mut a = Answer::default();
        for s in self.statements.iter().filter(|s| s.actions.matches(probe) && s.resources.matches(&probe.resource)) {
            match (&s.effect, s.conditional) {
                (Effect::Allow, false) => a.allow = true,
                (Effect::Allow, true) => a.allow_conditional = true,
                (Effect::Deny, false) => a.deny = true,
                (Effect::Deny, true) => a.deny_conditional = true,
            }
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::evaluate;
    use proptest::prelude::*;
    use serde_json::json;

    fn action() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "*",
            "iam:*",
            "IAM:Create*",
            "iam:CreateUser",
            "iam:createuser",
            "iam:PassRole",
            "iam:Pass?ole",
            "s3:*",
            "s3:Get*",
            "*:Get*",
            "i*:Create*",
            "ec2:RunInstances",
            "sts:AssumeRole",
            "nocolon",
            "iam:",
            "*Role",
        ])
        .prop_map(str::to_owned)
    }

    fn resource() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "*",
            "arn:aws:iam::1:role/*",
            "arn:aws:iam::1:role/admin",
            "arn:aws:iam::1:user/*",
            "arn:aws:s3:::b/*",
            "arn:*:iam::*:*",
            "arn:aws:iam::1:ROLE/admin",
        ])
        .prop_map(str::to_owned)
    }

    fn statement() -> impl Strategy<Value = serde_json::Value> {
        (
            any::<bool>(),
            prop::collection::vec(action(), 0..4),
            any::<bool>(),
            prop::collection::vec(resource(), 0..3),
            any::<bool>(),
            0..3u8,
        )
            .prop_map(|(deny, actions, not_action, resources, not_resource, condition)| {
                let mut s = json!({"Effect": if deny { "Deny" } else { "Allow" }});
                s[if not_action { "NotAction" } else { "Action" }] = json!(actions);
                s[if not_resource { "NotResource" } else { "Resource" }] = json!(resources);
                match condition {
                    1 => s["Condition"] = json!({"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
                    2 => s["Condition"] = json!({}),
                    _ => {}
                }
                s
            })
    }

    fn policy() -> impl Strategy<Value = PolicyDocument> {
        prop::collection::vec(statement(), 0..4).prop_map(|st| PolicyDocument::from_value(&json!({"Statement": st})))
    }

    fn probe() -> impl Strategy<Value = (String, String)> {
        (
            prop::sample::select(vec![
                "iam:CreateUser",
                "IAM:createUSER",
                "iam:PassRole",
                "s3:GetObject",
                "ec2:RunInstances",
                "sts:AssumeRole",
                "nocolon",
                "iam:",
            ]),
            prop::sample::select(vec![
                "*",
                "arn:aws:iam::1:role/admin",
                "arn:aws:iam::1:user/x",
                "arn:aws:s3:::b/k",
                "arn:aws:iam::2:role/admin",
            ]),
        )
            .prop_map(|(a, r)| (a.to_owned(), r.to_owned()))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn compiled_answers_combine_to_the_naive_decision(policies in prop::collection::vec(policy(), 0..4), (action, resource) in probe()) {
            let probe = Probe::new(&action, &resource);
            let combined = policies.iter().map(|p| CompiledPolicy::new(p).answer(&probe)).fold(Answer::default(), Answer::or);
            prop_assert_eq!(combined.decision(), evaluate(policies.iter(), &action, &resource));
        }
    }

    #[test]
    fn a_big_policy_is_indexed_by_service() {
        let mut actions: Vec<String> = (0..3000).map(|i| format!("svc{}:Get{i}*", i % 300)).collect();
        actions.push("iam:Get*".into());
        let doc = PolicyDocument::from_value(&json!({"Statement": {"Effect": "Allow", "Action": actions, "Resource": "*"}}));
        let c = CompiledPolicy::new(&doc);
        assert_eq!(c.statements[0].actions.by_service.len(), 301);
        assert!(c.statements[0].actions.any.is_none() && c.statements[0].actions.cross.is_empty());
        assert!(c.answer(&Probe::new("svc7:Get7Thing", "*")).allow);
        assert!(c.answer(&Probe::new("IAM:GetUser", "*")).allow);
        assert_eq!(c.answer(&Probe::new("iam:CreateUser", "*")), Answer::default());
    }
}
