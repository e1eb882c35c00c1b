//! The checks about what is granted: customer policies that grant administrator access,
//! open an escalation path, use service-wide wildcards or PassRole on every role (each
//! said to be attached or not); principals that hold administrator access or can raise
//! their own; and principals whose verdict is uncertain because the input lacks some of
//! their policies. All questions go through the memoized evaluator.

use crate::account::{Account, Principal};
use crate::checks::Sink;
use crate::evaluator::{Evaluator, Grants};
use crate::policy::{Decision, Effect, PolicyDocument};
use awsops_core::kinds::Severity;
use serde_json::json;
use std::collections::{BTreeSet, HashMap};

/// A user or role with what it is granted, worked out once for every check that needs it.
pub struct Holder<'a> {
    pub kind: &'static str,
    pub principal: &'a Principal,
    pub grants: Grants,
    pub admin: bool,
    pub escalations: Vec<&'static str>,
}

pub fn holders<'a>(e: &mut Evaluator<'a>) -> Vec<Holder<'a>> {
    let a = e.account();
    let all = a.users.iter().map(|u| ("user", u)).chain(a.roles.iter().map(|r| ("role", r)));
    all.map(|(kind, principal)| {
        let grants = e.grants(principal);
        let admin = e.is_admin(&grants);
        let escalations = if admin { Vec::new() } else { e.escalations(&grants) };
        Holder { kind, principal, grants, admin, escalations }
    })
    .collect()
}

/// A customer policy, managed (its ARN) or inline (its owner's ARN).
struct CustomerPolicy<'a> {
    resource: &'a str,
    name: String,
    /// Inline: the policy's name within its owner.
    inline: Option<&'a str>,
    doc: &'a PolicyDocument,
    /// How many users, groups and roles hold it (inline: its owner).
    attachments: usize,
}

fn customer_policies(a: &Account) -> Vec<CustomerPolicy<'_>> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for p in a.users.iter().chain(&a.groups).chain(&a.roles) {
        for arn in p.attached.iter().collect::<BTreeSet<_>>() {
            *counts.entry(arn.as_str()).or_default() += 1;
        }
    }
    let mut out: Vec<CustomerPolicy> = a
        .policies
        .values()
        .filter(|p| !p.aws_managed)
        .map(|p| CustomerPolicy {
            resource: &p.arn,
            name: p.name.clone(),
            inline: None,
            doc: &p.document,
            attachments: counts.get(p.arn.as_str()).copied().unwrap_or(0),
        })
        .collect();
    for p in a.users.iter().chain(&a.groups).chain(&a.roles) {
        out.extend(p.inline.iter().map(|(name, doc)| CustomerPolicy {
            resource: &p.arn,
            name: format!("inline {name}"),
            inline: Some(name),
            doc,
            attachments: 1,
        }));
    }
    out
}

pub(crate) fn policies(s: &mut Sink, e: &mut Evaluator) {
    s.ran(&["admin-policy", "service-wildcard", "passrole-wildcard", "inline-policy", "user-attached-policy"]);
    let a = e.account();
    let pass_role = e.probe("iam:PassRole", &format!("arn:aws:iam::{}:role/awsops-audit-probe", a.id));
    for p in customer_policies(a) {
        let id = e.id_of(p.doc);
        let alone = Grants::of_policy(id);
        let mut evidence = json!({"policy": p.name, "attached": p.attachments > 0, "attachments": p.attachments});
        if let Some(inline) = p.inline {
            evidence["inline_policy"] = json!(inline);
        }
        let attached = if p.attachments > 0 { format!("attached {} times", p.attachments) } else { "not attached".to_owned() };
        if e.is_admin(&alone) {
            s.add(
                "admin-policy",
                Severity::High,
                format!("policy {} grants administrator access ({attached})", p.name),
                p.resource,
                evidence.clone(),
                "Grant only the actions and resources needed; keep administrator access to a few break-glass roles.",
            );
        } else {
            let paths = e.escalations(&alone);
            if !paths.is_empty() {
                let mut ev = evidence.clone();
                ev["paths"] = json!(paths);
                s.add(
                    "privilege-escalation",
                    Severity::High,
                    format!("policy {} opens privilege escalation ({}; {attached})", p.name, paths.join(", ")),
                    p.resource,
                    ev,
                    "Remove these IAM write actions from the policy, or restrict them to specific resources and conditions.",
                );
            }
            let wildcards: Vec<&str> = p.doc.statements.iter().flat_map(|st| st.service_wildcards()).collect();
            if !wildcards.is_empty() {
                let mut ev = evidence.clone();
                ev["actions"] = json!(wildcards);
                s.add(
                    "service-wildcard",
                    Severity::Medium,
                    format!("policy {} allows every action of {}", p.name, wildcards.join(", ")),
                    p.resource,
                    ev,
                    "List the actions needed instead of a service-wide wildcard.",
                );
            }
        }
        if e.decide(&alone, pass_role) == Decision::Allowed
            && p.doc
                .statements
                .iter()
                .any(|st| st.effect == Effect::Allow && st.matches_action("iam:PassRole") && st.resources.0.iter().any(|r| r == "*"))
        {
            s.add(
                "passrole-wildcard",
                Severity::High,
                format!("policy {} allows iam:PassRole on every role", p.name),
                p.resource,
                evidence,
                "Limit iam:PassRole to the roles the service needs (and with iam:PassedToService).",
            );
        }
    }
    for p in a.users.iter().chain(&a.groups).chain(&a.roles) {
        for (name, _) in &p.inline {
            s.add(
                "inline-policy",
                Severity::Low,
                format!("{} has inline policy {name}", p.name),
                &p.arn,
                json!({"policy": name, "inline_policy": name}),
                "Use managed policies, which are versioned, reusable and visible in one place.",
            );
        }
    }
    for u in &a.users {
        if !u.attached.is_empty() {
            s.add(
                "user-attached-policy",
                Severity::Low,
                format!("{} has policies attached directly", u.name),
                &u.arn,
                json!({"policies": u.attached}),
                "Attach policies to groups (or roles) and put the user in the group.",
            );
        }
    }
}

pub(crate) fn principals(s: &mut Sink, a: &Account, holders: &[Holder]) {
    s.ran(&["admin-principal", "privilege-escalation", "grants-uncertain"]);
    let groups: HashMap<&str, &Principal> = a.groups.iter().map(|g| (g.name.as_str(), g)).collect();
    let mut missing_everywhere = BTreeSet::new();
    for h in holders {
        let p = h.principal;
        let mut evidence = json!({"through": sources(&groups, p)});
        if let Some(b) = &p.boundary {
            evidence["boundary"] = json!(b);
        }
        if !h.grants.missing.is_empty() {
            evidence["uncertain"] = json!(true);
            evidence["missing_policies"] = json!(h.grants.missing);
            missing_everywhere.extend(h.grants.missing.iter().map(String::as_str));
            s.add(
                "grants-uncertain",
                Severity::Info,
                format!(
                    "{} {}: admin and escalation checks are uncertain ({} of its policies or groups are not in the input)",
                    h.kind,
                    p.name,
                    h.grants.missing.len()
                ),
                &p.arn,
                json!({"missing_policies": h.grants.missing, "uncertain_checks": ["admin-principal", "privilege-escalation", "assume-role-escalation"]}),
                "Audit with every attached policy and group in the input (for a saved file: --filter including Group, AWSManagedPolicy and LocalManagedPolicy).",
            );
        }
        if h.admin {
            s.add(
                "admin-principal",
                Severity::High,
                format!("{} {} holds administrator access", h.kind, p.name),
                &p.arn,
                evidence,
                "Review who needs administrator access; use least-privilege policies for everyone else.",
            );
        } else if !h.escalations.is_empty() {
            evidence["paths"] = json!(h.escalations);
            s.add(
                "privilege-escalation",
                Severity::High,
                format!("{} {} can raise its own access ({})", h.kind, p.name, h.escalations.join(", ")),
                &p.arn,
                evidence,
                "Remove these IAM write actions, or restrict them to specific resources and conditions.",
            );
        }
    }
    if !missing_everywhere.is_empty() {
        let list: Vec<&str> = missing_everywhere.iter().copied().collect();
        let shown = if list.len() > 10 { format!("{}, and {} more", list[..10].join(", "), list.len() - 10) } else { list.join(", ") };
        s.warn(format!(
            "{} attached policies are not in the input, so the admin and escalation checks of the principals holding them are uncertain (see grants-uncertain findings): {shown}",
            list.len()
        ));
    }
}

/// Where a principal's policies come from, for the evidence.
fn sources(groups: &HashMap<&str, &Principal>, p: &Principal) -> Vec<String> {
    let mut out: Vec<String> = p.inline.iter().map(|(n, _)| format!("inline {n}")).collect();
    out.extend(p.attached.iter().cloned());
    for g in p.groups.iter().filter_map(|n| groups.get(n.as_str())) {
        out.extend(g.inline.iter().map(|(n, _)| format!("group {} inline {n}", g.name)));
        out.extend(g.attached.iter().map(|arn| format!("group {} {arn}", g.name)));
    }
    out
}
