//! The checks: pure functions from what was collected (principals and policies, the
//! credential report, the password policy, the account summary) and the thresholds to
//! findings, each with an id, severity, resource ARN, evidence and remediation. A check
//! whose input could not be collected is reported as skipped, and the others still run.

use crate::account::{Account, Principal};
use crate::credential_report::{ROOT, Row};
use crate::policy::{Decision, Effect, PolicyDocument, evaluate, is_admin_equivalent};
use awsops_core::kinds::{FindingDoc, Severity, SkippedCheck};
use serde_json::{Value, json};
use std::collections::HashMap;

const DAY: i64 = 86_400;

#[derive(Debug, Clone)]
pub struct Thresholds {
    pub key_max_age_days: i64,
    pub unused_days: i64,
    pub role_unused_days: i64,
    pub root_recent_days: i64,
    pub password_min_length: i32,
    pub password_reuse_prevention: i32,
    pub password_max_age_days: i32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            key_max_age_days: 90,
            unused_days: 90,
            role_unused_days: 90,
            root_recent_days: 30,
            password_min_length: 14,
            password_reuse_prevention: 24,
            password_max_age_days: 90,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub min_length: i32,
    pub require_symbols: bool,
    pub require_numbers: bool,
    pub require_uppercase: bool,
    pub require_lowercase: bool,
    pub max_age_days: Option<i32>,
    pub reuse_prevention: Option<i32>,
}

/// What collection produced; `Err` carries why an input is missing.
pub struct Inputs {
    pub account: Account,
    pub report: std::result::Result<Vec<Row>, String>,
    /// `Ok(None)`: the account has no password policy.
    pub password_policy: std::result::Result<Option<PasswordPolicy>, String>,
    pub summary: std::result::Result<HashMap<String, i64>, String>,
    pub now: i64,
}

pub struct Outcome {
    pub findings: Vec<FindingDoc>,
    pub run: Vec<String>,
    pub skipped: Vec<SkippedCheck>,
}

struct Sink {
    out: Outcome,
}

impl Sink {
    fn add(&mut self, check: &str, severity: Severity, title: String, resource: &str, evidence: Value, remediation: &str) {
        self.out.findings.push(FindingDoc {
            check: check.to_owned(),
            severity,
            title,
            resource: resource.to_owned(),
            evidence,
            remediation: remediation.to_owned(),
            suppressed: None,
        });
    }

    fn ran(&mut self, checks: &[&str]) {
        self.out.run.extend(checks.iter().map(|c| (*c).to_owned()));
    }

    fn skip(&mut self, checks: &[&str], reason: &str) {
        self.out.skipped.extend(checks.iter().map(|c| SkippedCheck { check: (*c).to_owned(), reason: reason.to_owned() }));
    }
}

pub fn run_all(i: &Inputs, t: &Thresholds) -> Outcome {
    let mut s = Sink { out: Outcome { findings: Vec::new(), run: Vec::new(), skipped: Vec::new() } };
    root(&mut s, i, t);
    users(&mut s, i, t);
    password_policy(&mut s, i, t);
    policies(&mut s, &i.account);
    principals(&mut s, &i.account);
    trust(&mut s, &i.account);
    roles_unused(&mut s, &i.account, i.now, t);
    s.out
}

fn days_ago(now: i64, then: i64) -> i64 {
    (now - then) / DAY
}

fn root(s: &mut Sink, i: &Inputs, t: &Thresholds) {
    let root_row = i.report.as_ref().ok().and_then(|rows| rows.iter().find(|r| r.user == ROOT));
    let root_arn = root_row.map(|r| r.arn.clone()).unwrap_or_else(|| format!("arn:aws:iam::{}:root", i.account.id));
    match &i.summary {
        Ok(summary) => {
            s.ran(&["root-mfa-off", "root-access-keys"]);
            if summary.get("AccountMFAEnabled").copied().unwrap_or(0) == 0 {
                s.add(
                    "root-mfa-off",
                    Severity::Critical,
                    "the root user has no MFA".into(),
                    &root_arn,
                    json!({"AccountMFAEnabled": 0}),
                    "Enable a hardware or virtual MFA device for the root user.",
                );
            }
            if summary.get("AccountAccessKeysPresent").copied().unwrap_or(0) > 0 {
                s.add(
                    "root-access-keys",
                    Severity::Critical,
                    "the root user has access keys".into(),
                    &root_arn,
                    json!({"AccountAccessKeysPresent": summary["AccountAccessKeysPresent"]}),
                    "Delete the root user's access keys; use IAM roles or users instead.",
                );
            }
        }
        Err(why) => s.skip(&["root-mfa-off", "root-access-keys"], why),
    }
    match (&i.report, root_row) {
        (Ok(_), Some(row)) => {
            s.ran(&["root-used-recently"]);
            let last = [row.password_last_used, row.keys[0].last_used, row.keys[1].last_used].into_iter().flatten().max();
            if let Some(last) = last.filter(|l| days_ago(i.now, *l) <= t.root_recent_days) {
                s.add(
                    "root-used-recently",
                    Severity::Medium,
                    format!("the root user was used {} days ago", days_ago(i.now, last)),
                    &root_arn,
                    json!({"last_used": last, "days_ago": days_ago(i.now, last)}),
                    "Keep the root user for the few tasks that need it; use roles for daily work.",
                );
            }
        }
        (Ok(_), None) => s.skip(&["root-used-recently"], "the credential report has no <root_account> row"),
        (Err(why), _) => s.skip(&["root-used-recently"], why),
    }
}

const USER_CHECKS: [&str; 5] =
    ["user-console-without-mfa", "access-key-old", "access-key-unused", "user-two-active-keys", "credentials-never-used"];

fn users(s: &mut Sink, i: &Inputs, t: &Thresholds) {
    let rows = match &i.report {
        Ok(rows) => rows,
        Err(why) => return s.skip(&USER_CHECKS, why),
    };
    s.ran(&USER_CHECKS);
    for r in rows.iter().filter(|r| r.user != ROOT) {
        if r.password_enabled && !r.mfa_active {
            s.add(
                "user-console-without-mfa",
                Severity::High,
                format!("{} signs in to the console without MFA", r.user),
                &r.arn,
                json!({"password_enabled": true, "mfa_active": false}),
                "Require MFA for console users (enable a device, or deny actions without aws:MultiFactorAuthPresent).",
            );
        }
        let created_days = r.created.map(|c| days_ago(i.now, c));
        if r.password_enabled && r.password_last_used.is_none() && created_days.is_some_and(|d| d >= t.unused_days) {
            s.add(
                "credentials-never-used",
                Severity::Low,
                format!("{}'s console password was never used", r.user),
                &r.arn,
                json!({"credential": "password", "created_days_ago": created_days}),
                "Remove the login profile of a user who does not sign in.",
            );
        }
        let active: Vec<(usize, &crate::credential_report::Key)> = r.keys.iter().enumerate().filter(|(_, k)| k.active).collect();
        for (n, k) in &active {
            let key = format!("access_key_{}", n + 1);
            let age = k.last_rotated.map(|d| days_ago(i.now, d));
            if age.is_some_and(|a| a > t.key_max_age_days) {
                s.add(
                    "access-key-old",
                    Severity::Medium,
                    format!("{}'s {key} is {} days old", r.user, age.unwrap_or_default()),
                    &r.arn,
                    json!({"key": key, "age_days": age, "max_days": t.key_max_age_days}),
                    "Rotate the key (create a new one, switch, deactivate and delete the old), or move to roles.",
                );
            }
            match k.last_used {
                Some(used) if days_ago(i.now, used) > t.unused_days => s.add(
                    "access-key-unused",
                    Severity::Medium,
                    format!("{}'s {key} was last used {} days ago", r.user, days_ago(i.now, used)),
                    &r.arn,
                    json!({"key": key, "last_used_days_ago": days_ago(i.now, used), "max_days": t.unused_days}),
                    "Deactivate and delete access keys that are not used.",
                ),
                None if age.is_some_and(|a| a >= t.unused_days) => s.add(
                    "credentials-never-used",
                    Severity::Low,
                    format!("{}'s {key} was never used", r.user),
                    &r.arn,
                    json!({"credential": key, "age_days": age}),
                    "Delete access keys that were never used.",
                ),
                _ => {}
            }
        }
        if active.len() == 2 {
            s.add(
                "user-two-active-keys",
                Severity::Low,
                format!("{} has two active access keys", r.user),
                &r.arn,
                json!({"active_keys": 2}),
                "Keep one active key per user; two only while rotating.",
            );
        }
    }
}

fn password_policy(s: &mut Sink, i: &Inputs, t: &Thresholds) {
    let account = format!("arn:aws:iam::{}:root", i.account.id);
    let policy = match &i.password_policy {
        Err(why) => return s.skip(&["password-policy"], why),
        Ok(None) => {
            s.ran(&["password-policy"]);
            return s.add(
                "password-policy",
                Severity::Medium,
                "the account has no password policy".into(),
                &account,
                json!({"policy": null}),
                "Set a password policy: at least 14 characters, all character classes, reuse prevention 24, expiry 90 days.",
            );
        }
        Ok(Some(p)) => p,
    };
    s.ran(&["password-policy"]);
    let mut weak = Vec::new();
    if policy.min_length < t.password_min_length {
        weak.push(format!("minimum length {} < {}", policy.min_length, t.password_min_length));
    }
    if policy.reuse_prevention.unwrap_or(0) < t.password_reuse_prevention {
        weak.push(format!("reuse prevention {} < {}", policy.reuse_prevention.unwrap_or(0), t.password_reuse_prevention));
    }
    match policy.max_age_days {
        None => weak.push("passwords never expire".into()),
        Some(d) if d > t.password_max_age_days => weak.push(format!("expiry after {d} days > {}", t.password_max_age_days)),
        _ => {}
    }
    for (on, class) in [
        (policy.require_symbols, "symbols"),
        (policy.require_numbers, "numbers"),
        (policy.require_uppercase, "uppercase letters"),
        (policy.require_lowercase, "lowercase letters"),
    ] {
        if !on {
            weak.push(format!("{class} not required"));
        }
    }
    if !weak.is_empty() {
        s.add(
            "password-policy",
            Severity::Medium,
            format!("the password policy is weak: {}", weak.join("; ")),
            &account,
            json!({"weaknesses": weak}),
            "Tighten the password policy (aws iam update-account-password-policy).",
        );
    }
}

/// Every customer policy document: managed (customer) ones by ARN and inline ones by owner.
fn customer_documents(a: &Account) -> Vec<(String, String, &PolicyDocument)> {
    let mut docs: Vec<(String, String, &PolicyDocument)> =
        a.policies.values().filter(|p| !p.aws_managed).map(|p| (p.arn.clone(), p.name.clone(), &p.document)).collect();
    for p in a.users.iter().chain(&a.groups).chain(&a.roles) {
        docs.extend(p.inline.iter().map(|(name, d)| (p.arn.clone(), format!("inline {name}"), d)));
    }
    docs
}

fn policies(s: &mut Sink, a: &Account) {
    s.ran(&["admin-policy", "service-wildcard", "passrole-wildcard", "inline-policy", "user-attached-policy"]);
    let probe_role = format!("arn:aws:iam::{}:role/awsops-audit-probe", a.id);
    for (arn, name, doc) in customer_documents(a) {
        if is_admin_equivalent([doc]) {
            s.add(
                "admin-policy",
                Severity::High,
                format!("policy {name} grants administrator access"),
                &arn,
                json!({"policy": name}),
                "Grant only the actions and resources needed; keep administrator access to a few break-glass roles.",
            );
        } else {
            let wildcards: Vec<&str> = doc.statements.iter().flat_map(|st| st.service_wildcards()).collect();
            if !wildcards.is_empty() {
                s.add(
                    "service-wildcard",
                    Severity::Medium,
                    format!("policy {name} allows every action of {}", wildcards.join(", ")),
                    &arn,
                    json!({"policy": name, "actions": wildcards}),
                    "List the actions needed instead of a service-wide wildcard.",
                );
            }
        }
        if evaluate([doc], "iam:PassRole", &probe_role) == Decision::Allowed
            && doc
                .statements
                .iter()
                .any(|st| st.effect == Effect::Allow && st.matches_action("iam:PassRole") && st.resources.0.iter().any(|r| r == "*"))
        {
            s.add(
                "passrole-wildcard",
                Severity::High,
                format!("policy {name} allows iam:PassRole on every role"),
                &arn,
                json!({"policy": name}),
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
                json!({"policy": name}),
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
fn probe_resource(account: &str, action: &str) -> String {
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

/// The escalation paths a set of policies opens (every action unconditionally allowed).
pub fn escalations(account: &str, docs: &[&PolicyDocument]) -> Vec<&'static str> {
    ESCALATIONS
        .iter()
        .filter(|(_, actions)| actions.iter().all(|a| evaluate(docs.iter().copied(), a, &probe_resource(account, a)) == Decision::Allowed))
        .map(|(name, _)| *name)
        .collect()
}

fn principals(s: &mut Sink, a: &Account) {
    s.ran(&["admin-principal", "privilege-escalation"]);
    for (kind, p) in a.users.iter().map(|u| ("user", u)).chain(a.roles.iter().map(|r| ("role", r))) {
        let docs = a.effective(p);
        if is_admin_equivalent(docs.iter().copied()) {
            s.add(
                "admin-principal",
                Severity::High,
                format!("{kind} {} holds administrator access", p.name),
                &p.arn,
                json!({"through": sources(a, p)}),
                "Review who needs administrator access; use least-privilege policies for everyone else.",
            );
            continue;
        }
        let paths = escalations(&a.id, &docs);
        if !paths.is_empty() {
            s.add(
                "privilege-escalation",
                Severity::High,
                format!("{kind} {} can raise its own access ({})", p.name, paths.join(", ")),
                &p.arn,
                json!({"paths": paths, "through": sources(a, p)}),
                "Remove these IAM write actions, or restrict them to specific resources and conditions.",
            );
        }
    }
}

/// Where a principal's policies come from, for the evidence.
fn sources(a: &Account, p: &Principal) -> Vec<String> {
    let mut out: Vec<String> = p.inline.iter().map(|(n, _)| format!("inline {n}")).collect();
    out.extend(p.attached.iter().cloned());
    for g in p.groups.iter().filter_map(|n| a.groups.iter().find(|g| &g.name == n)) {
        out.extend(g.inline.iter().map(|(n, _)| format!("group {} inline {n}", g.name)));
        out.extend(g.attached.iter().map(|arn| format!("group {} {arn}", g.name)));
    }
    out
}

/// The AWS principals a trust statement names (`*` included).
fn aws_principals(principal: &Value) -> Vec<String> {
    match principal {
        Value::String(s) => vec![s.clone()],
        Value::Object(o) => match o.get("AWS") {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) => a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

fn has_condition_key(condition: Option<&Value>, keys: &[&str]) -> bool {
    let Some(Value::Object(ops)) = condition else { return false };
    ops.values().filter_map(Value::as_object).any(|m| m.keys().any(|k| keys.iter().any(|want| k.eq_ignore_ascii_case(want))))
}

fn trust(s: &mut Sink, a: &Account) {
    s.ran(&["role-trust-public", "role-trust-cross-account"]);
    for r in &a.roles {
        let Some(doc) = &r.trust else { continue };
        for st in doc.statements.iter().filter(|st| st.effect == Effect::Allow) {
            let Some(principal) = &st.principal else { continue };
            for who in aws_principals(principal) {
                if who == "*" {
                    if st.condition.is_none() {
                        s.add(
                            "role-trust-public",
                            Severity::Critical,
                            format!("role {} can be assumed by anyone", r.name),
                            &r.arn,
                            json!({"principal": "*"}),
                            "Name the accounts or principals allowed to assume the role; never `*` without conditions.",
                        );
                    }
                    continue;
                }
                let other = if who.starts_with("arn:") { Account::account_of(&who) } else { who.clone() };
                if other.len() == 12
                    && other != a.id
                    && !has_condition_key(st.condition.as_ref(), &["sts:ExternalId", "aws:MultiFactorAuthPresent", "aws:PrincipalOrgID"])
                {
                    s.add(
                        "role-trust-cross-account",
                        Severity::High,
                        format!("role {} trusts account {other} without an ExternalId or MFA condition", r.name),
                        &r.arn,
                        json!({"principal": who}),
                        "Add a Condition on sts:ExternalId (for third parties) or aws:MultiFactorAuthPresent (for people).",
                    );
                }
            }
        }
    }
}

fn roles_unused(s: &mut Sink, a: &Account, now: i64, t: &Thresholds) {
    s.ran(&["role-unused"]);
    for r in a.roles.iter().filter(|r| !r.arn.contains(":role/aws-service-role/")) {
        let idle_since = r.last_used.or(r.created);
        if let Some(since) = idle_since.filter(|d| days_ago(now, *d) > t.role_unused_days) {
            s.add(
                "role-unused",
                Severity::Low,
                format!(
                    "role {} {} {} days",
                    r.name,
                    if r.last_used.is_some() { "was last used" } else { "was never used in" },
                    days_ago(now, since)
                ),
                &r.arn,
                json!({"last_used": r.last_used, "created": r.created, "max_days": t.role_unused_days}),
                "Delete roles nobody uses (check the access advisor first).",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential_report::Key;

    const NOW: i64 = 1_800_000_000;

    fn doc(json: &str) -> PolicyDocument {
        PolicyDocument::parse(json)
    }

    fn user(name: &str) -> Principal {
        Principal { name: name.into(), arn: format!("arn:aws:iam::111111111111:user/{name}"), ..Principal::default() }
    }

    fn inputs(account: Account, report: Vec<Row>) -> Inputs {
        Inputs {
            account,
            report: Ok(report),
            password_policy: Ok(Some(PasswordPolicy {
                min_length: 14,
                require_symbols: true,
                require_numbers: true,
                require_uppercase: true,
                require_lowercase: true,
                max_age_days: Some(90),
                reuse_prevention: Some(24),
            })),
            summary: Ok(HashMap::from([("AccountMFAEnabled".into(), 1), ("AccountAccessKeysPresent".into(), 0)])),
            now: NOW,
        }
    }

    fn checks(o: &Outcome) -> Vec<(&str, &str)> {
        o.findings.iter().map(|f| (f.check.as_str(), f.resource.rsplit('/').next().unwrap_or_default())).collect()
    }

    #[test]
    fn a_clean_account_has_no_findings() {
        let mut a = Account { id: "111111111111".into(), ..Account::default() };
        a.users.push(Principal { groups: vec!["readers".into()], ..user("clean") });
        a.groups.push(Principal {
            name: "readers".into(),
            arn: "arn:aws:iam::111111111111:group/readers".into(),
            attached: vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()],
            ..Principal::default()
        });
        let row = Row {
            user: "clean".into(),
            arn: a.users[0].arn.clone(),
            created: Some(NOW - 400 * DAY),
            password_enabled: true,
            password_last_used: Some(NOW - DAY),
            mfa_active: true,
            ..Row::default()
        };
        let root = Row {
            user: ROOT.into(),
            arn: "arn:aws:iam::111111111111:root".into(),
            password_last_used: Some(NOW - 300 * DAY),
            ..Row::default()
        };
        let o = run_all(&inputs(a, vec![root, row]), &Thresholds::default());
        assert!(o.findings.is_empty(), "{:?}", o.findings);
        assert!(o.skipped.is_empty());
    }

    #[test]
    fn credential_problems_are_found_by_date() {
        let key = |active, rotated: i64, used: Option<i64>| Key {
            active,
            last_rotated: Some(NOW - rotated * DAY),
            last_used: used.map(|u| NOW - u * DAY),
        };
        let rows = vec![
            Row {
                user: "nomfa".into(),
                arn: "arn:aws:iam::1:user/nomfa".into(),
                created: Some(NOW),
                password_enabled: true,
                password_last_used: Some(NOW),
                ..Row::default()
            },
            Row {
                user: "keys".into(),
                arn: "arn:aws:iam::1:user/keys".into(),
                created: Some(NOW - 500 * DAY),
                keys: [key(true, 200, Some(1)), key(true, 100, None)],
                ..Row::default()
            },
            Row {
                user: "stale".into(),
                arn: "arn:aws:iam::1:user/stale".into(),
                created: Some(NOW - 500 * DAY),
                keys: [key(true, 10, Some(120)), key(false, 400, None)],
                ..Row::default()
            },
            Row { user: ROOT.into(), arn: "arn:aws:iam::1:root".into(), password_last_used: Some(NOW - 2 * DAY), ..Row::default() },
        ];
        let o = run_all(&inputs(Account::default(), rows), &Thresholds::default());
        let found = checks(&o);
        for want in [
            ("user-console-without-mfa", "nomfa"),
            ("access-key-old", "keys"),
            ("credentials-never-used", "keys"),
            ("user-two-active-keys", "keys"),
            ("access-key-unused", "stale"),
            ("root-used-recently", "arn:aws:iam::1:root"),
        ] {
            assert!(found.iter().any(|(c, r)| *c == want.0 && (*r == want.1 || want.1.ends_with(r))), "{want:?} not in {found:?}");
        }
        assert!(!found.iter().any(|(c, r)| *c == "access-key-old" && *r == "stale"), "an inactive old key is not flagged");
        assert_eq!(found.iter().filter(|(c, _)| *c == "user-two-active-keys").count(), 1);
    }

    #[test]
    fn policy_problems_and_who_holds_them() {
        let mut a = Account { id: "111111111111".into(), ..Account::default() };
        a.policies.insert(
            "arn:aws:iam::111111111111:policy/everything".into(),
            crate::account::ManagedPolicy {
                name: "everything".into(),
                arn: "arn:aws:iam::111111111111:policy/everything".into(),
                document: doc(r#"{"Statement":{"Effect":"Allow","NotAction":"billing:*","Resource":"*"}}"#),
                aws_managed: false,
            },
        );
        a.groups.push(Principal {
            name: "admins".into(),
            arn: "arn:aws:iam::111111111111:group/admins".into(),
            attached: vec!["arn:aws:iam::111111111111:policy/everything".into()],
            ..Principal::default()
        });
        a.users.push(Principal { groups: vec!["admins".into()], ..user("via-group") });
        a.users.push(Principal {
            inline: vec![(
                "escalate".into(),
                doc(r#"{"Statement":{"Effect":"Allow","Action":["iam:CreatePolicyVersion","s3:*"],"Resource":"*"}}"#),
            )],
            ..user("escalator")
        });
        a.users.push(Principal {
            inline: vec![(
                "denied".into(),
                doc(r#"{"Statement":[{"Effect":"Allow","Action":["iam:PassRole","ec2:RunInstances"],"Resource":"*"},{"Effect":"Deny","Action":"iam:PassRole","Resource":"*"}]}"#),
            )],
            ..user("denied")
        });
        a.users.push(Principal {
            inline: vec![(
                "conditional".into(),
                doc(r#"{"Statement":{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"*","Condition":{"ArnEquals":{"iam:PolicyARN":"arn:aws:iam::aws:policy/ReadOnlyAccess"}}}}"#),
            )],
            ..user("conditional")
        });
        a.users.push(Principal {
            inline: vec![("pass".into(), doc(r#"{"Statement":{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}}"#))],
            ..user("passer")
        });
        let o = run_all(&inputs(a, vec![]), &Thresholds::default());
        let found = checks(&o);
        assert!(found.contains(&("admin-policy", "everything")), "{found:?}");
        assert!(found.contains(&("admin-principal", "via-group")), "{found:?}");
        assert!(found.contains(&("privilege-escalation", "escalator")), "{found:?}");
        assert!(found.contains(&("service-wildcard", "escalator")), "{found:?}");
        assert!(found.contains(&("inline-policy", "escalator")));
        assert!(!found.iter().any(|(c, r)| *c == "privilege-escalation" && (*r == "denied" || *r == "conditional")), "{found:?}");
        assert!(!found.contains(&("passrole-wildcard", "denied")), "the policy's own Deny cancels its Allow");
        assert!(found.contains(&("passrole-wildcard", "passer")), "{found:?}");
        assert!(!found.contains(&("privilege-escalation", "passer")), "PassRole alone is not a path: {found:?}");
    }

    #[test]
    fn trust_policies_open_to_anyone_or_other_accounts() {
        let mut a = Account { id: "111111111111".into(), ..Account::default() };
        let role = |name: &str, trust: &str| Principal {
            name: name.into(),
            arn: format!("arn:aws:iam::111111111111:role/{name}"),
            trust: Some(doc(trust)),
            last_used: Some(NOW),
            ..Principal::default()
        };
        a.roles.push(role("public", r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}}"#));
        a.roles.push(role(
            "partner",
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"sts:AssumeRole"}}"#,
        ));
        a.roles.push(role(
            "partner-ok",
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x"}}}}"#,
        ));
        a.roles
            .push(role("ec2", r#"{"Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}"#));
        a.roles.push(role(
            "self",
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}}"#,
        ));
        a.roles.push(Principal { last_used: None, created: Some(NOW - 200 * DAY), ..role("idle", r#"{"Statement":[]}"#) });
        let found: Vec<(String, String)> = run_all(&inputs(a, vec![]), &Thresholds::default())
            .findings
            .iter()
            .map(|f| (f.check.clone(), f.resource.rsplit('/').next().unwrap().to_owned()))
            .collect();
        let has = |c: &str, r: &str| found.iter().any(|(fc, fr)| fc == c && fr == r);
        assert!(has("role-trust-public", "public"));
        assert!(has("role-trust-cross-account", "partner"));
        assert!(has("role-unused", "idle"));
        for clean in ["partner-ok", "ec2", "self"] {
            assert!(!found.iter().any(|(_, r)| r == clean), "{clean}: {found:?}");
        }
    }

    #[test]
    fn missing_inputs_skip_their_checks_only() {
        let mut i = inputs(Account::default(), vec![]);
        i.report = Err("GenerateCredentialReport is not available".into());
        i.password_policy = Ok(None);
        let o = run_all(&i, &Thresholds::default());
        assert!(o.skipped.iter().any(|s| s.check == "user-console-without-mfa" && s.reason.contains("not available")));
        assert!(o.findings.iter().any(|f| f.check == "password-policy"));
        assert!(o.run.contains(&"admin-principal".to_owned()));
    }
}
