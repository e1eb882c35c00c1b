//! The checks: pure functions from what was collected (principals and policies, the
//! credential report, the password policy, the account summary) and the thresholds to
//! findings, each with an id, severity, resource ARN, evidence and remediation. A check
//! whose input could not be collected is reported as skipped, and the others still run.

use crate::account::Account;
use crate::credential_report::{ROOT, Row};
use crate::evaluator::Evaluator;
use crate::policy::Effect;
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
    /// For stderr: what the findings alone would not make plain (e.g. policies missing from the input).
    pub warnings: Vec<String>,
}

pub(crate) struct Sink {
    out: Outcome,
}

impl Sink {
    pub(crate) fn add(&mut self, check: &str, severity: Severity, title: String, resource: &str, evidence: Value, remediation: &str) {
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

    pub(crate) fn warn(&mut self, warning: String) {
        self.out.warnings.push(warning);
    }

    pub(crate) fn ran(&mut self, checks: &[&str]) {
        self.out.run.extend(checks.iter().map(|c| (*c).to_owned()));
    }

    pub(crate) fn skip(&mut self, checks: &[&str], reason: &str) {
        self.out.skipped.extend(checks.iter().map(|c| SkippedCheck { check: (*c).to_owned(), reason: reason.to_owned() }));
    }
}

/// The account's id: from its principals and policies, else from the credential report.
fn account_id(i: &Inputs) -> String {
    if !i.account.id.is_empty() {
        return i.account.id.clone();
    }
    let rows = i.report.as_deref().unwrap_or_default();
    rows.iter().map(|r| Account::account_of(&r.arn)).find(|a| !a.is_empty()).unwrap_or_default()
}

pub fn run_all(i: &Inputs, t: &Thresholds) -> Outcome {
    let mut s = Sink { out: Outcome { findings: Vec::new(), run: Vec::new(), skipped: Vec::new(), warnings: Vec::new() } };
    root(&mut s, i, t);
    users(&mut s, i, t);
    password_policy(&mut s, i, t);
    let mut evaluator = Evaluator::new(&i.account);
    crate::grant_checks::policies(&mut s, &mut evaluator);
    let holders = crate::grant_checks::holders(&mut evaluator);
    crate::grant_checks::principals(&mut s, &i.account, &holders);
    crate::assume_paths::check(&mut s, &mut evaluator, &holders);
    crate::action_catalogue::check(&mut s, &i.account);
    trust(&mut s, &i.account);
    roles_unused(&mut s, &i.account, i.now, t);
    s.out
}

fn days_ago(now: i64, then: i64) -> i64 {
    (now - then) / DAY
}

fn root(s: &mut Sink, i: &Inputs, t: &Thresholds) {
    let root_row = i.report.as_ref().ok().and_then(|rows| rows.iter().find(|r| r.user == ROOT));
    let root_arn = root_row.map(|r| r.arn.clone()).unwrap_or_else(|| format!("arn:aws:iam::{}:root", account_id(i)));
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

const USER_CHECKS: [&str; 6] = [
    "user-console-without-mfa",
    "user-api-without-mfa",
    "access-key-old",
    "access-key-unused",
    "user-two-active-keys",
    "credentials-never-used",
];

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
        let active_keys = r.keys.iter().filter(|k| k.active).count();
        if !r.password_enabled && !r.mfa_active && active_keys > 0 {
            s.add(
                "user-api-without-mfa",
                Severity::Medium,
                format!("{} has {active_keys} active access key(s) and no MFA", r.user),
                &r.arn,
                json!({"password_enabled": false, "mfa_active": false, "active_keys": active_keys}),
                "A leaked long-lived key is enough here: prefer roles; else enable MFA and require aws:MultiFactorAuthPresent for sensitive actions.",
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
    let account = format!("arn:aws:iam::{}:root", account_id(i));
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

/// The AWS principals a trust statement names (`*` included).
pub(crate) fn aws_principals(principal: &Value) -> Vec<String> {
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
    use crate::account::Principal;
    use crate::credential_report::Key;
    use crate::policy::PolicyDocument;

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
        a.policies.insert(
            "arn:aws:iam::aws:policy/ReadOnlyAccess".into(),
            crate::account::ManagedPolicy {
                name: "ReadOnlyAccess".into(),
                arn: "arn:aws:iam::aws:policy/ReadOnlyAccess".into(),
                document: doc(
                    r#"{"Statement":{"Effect":"Allow","Action":["s3:Get*","ec2:Describe*","iam:Get*","iam:List*"],"Resource":"*"}}"#,
                ),
                aws_managed: true,
            },
        );
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

    fn managed(a: &mut Account, name: &str, json: &str) -> String {
        let arn = format!("arn:aws:iam::111111111111:policy/{name}");
        a.policies.insert(
            arn.clone(),
            crate::account::ManagedPolicy { name: name.into(), arn: arn.clone(), document: doc(json), aws_managed: false },
        );
        arn
    }

    fn find<'a>(o: &'a Outcome, check: &str, resource_tail: &str) -> Option<&'a FindingDoc> {
        o.findings.iter().find(|f| f.check == check && f.resource.rsplit('/').next() == Some(resource_tail))
    }

    #[test]
    fn api_only_users_without_mfa_are_flagged_below_console_users() {
        let key = Key { active: true, last_rotated: Some(NOW - DAY), last_used: Some(NOW - DAY) };
        let row = |user: &str, password: bool, mfa: bool, keys: [Key; 2]| Row {
            user: user.into(),
            arn: format!("arn:aws:iam::1:user/{user}"),
            created: Some(NOW - DAY),
            password_enabled: password,
            password_last_used: password.then_some(NOW),
            mfa_active: mfa,
            keys,
        };
        let rows = vec![
            row("api", false, false, [key.clone(), Key::default()]),
            row("api-mfa", false, true, [key.clone(), Key::default()]),
            row("idle", false, false, [Key { active: false, ..key.clone() }, Key::default()]),
            row("console", true, false, [key.clone(), Key::default()]),
        ];
        let o = run_all(&inputs(Account::default(), rows), &Thresholds::default());
        let api = find(&o, "user-api-without-mfa", "api").expect("api-only user without MFA");
        let console = find(&o, "user-console-without-mfa", "console").unwrap();
        assert!(api.severity < console.severity, "lower than console users");
        assert_eq!(api.evidence["active_keys"], 1);
        for quiet in ["api-mfa", "idle", "console"] {
            assert!(find(&o, "user-api-without-mfa", quiet).is_none(), "{quiet}");
        }
    }

    #[test]
    fn policies_say_whether_attached_and_unattached_escalation_is_found() {
        let mut a = Account { id: "111111111111".into(), ..Account::default() };
        let keys = managed(&mut a, "keys", r#"{"Statement":{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*"}}"#);
        let versions =
            managed(&mut a, "versions", r#"{"Statement":{"Effect":"Allow","Action":["iam:CreatePolicyVersion"],"Resource":"*"}}"#);
        let admin = managed(&mut a, "admin", r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#);
        let idle_admin = managed(&mut a, "idle-admin", r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#);
        let fine = managed(&mut a, "fine", r#"{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#);
        a.users.push(Principal { attached: vec![versions.clone(), admin.clone(), fine], ..user("u") });
        a.roles.push(Principal {
            name: "r".into(),
            arn: "arn:aws:iam::111111111111:role/r".into(),
            attached: vec![admin.clone()],
            inline: vec![("esc".into(), doc(r#"{"Statement":{"Effect":"Allow","Action":"iam:PutRolePolicy","Resource":"*"}}"#))],
            last_used: Some(NOW),
            ..Principal::default()
        });
        let _ = (&keys, &idle_admin);
        let o = run_all(&inputs(a, vec![]), &Thresholds::default());
        let unattached = find(&o, "privilege-escalation", "keys").expect("an unattached escalation policy");
        assert_eq!(unattached.evidence["attached"], false);
        assert_eq!(unattached.evidence["paths"], json!(["CreateAccessKey on other users"]));
        assert_eq!(find(&o, "privilege-escalation", "versions").unwrap().evidence["attached"], true);
        assert_eq!(find(&o, "admin-policy", "admin").unwrap().evidence["attachments"], 2);
        assert_eq!(find(&o, "admin-policy", "idle-admin").unwrap().evidence["attached"], false);
        assert!(find(&o, "privilege-escalation", "fine").is_none() && find(&o, "admin-policy", "fine").is_none());
        let inline = o
            .findings
            .iter()
            .find(|f| f.check == "privilege-escalation" && f.evidence["inline_policy"] == "esc")
            .expect("an inline escalation policy, even on an admin role");
        assert!(inline.resource.ends_with("role/r") && inline.evidence["attached"] == true);
    }

    #[test]
    fn actions_and_services_that_do_not_exist() {
        let mut a = Account { id: "111111111111".into(), ..Account::default() };
        managed(
            &mut a,
            "typos",
            r#"{"Statement":[{"Effect":"Allow","Action":["s3:GetObjcet","s3:GetObject","iam:PassRoles","s3:Frob*"],"Resource":"*"},
                            {"Effect":"Deny","NotAction":["s4:*","ec2:RunInstances"],"Resource":"*"}]}"#,
        );
        managed(&mut a, "clean", r#"{"Statement":{"Effect":"Allow","Action":["S3:getobject","ec2:Describe*","*"],"Resource":"*"}}"#);
        a.users.push(Principal {
            inline: vec![("x".into(), doc(r#"{"Statement":{"Effect":"Allow","Action":"nosuchsvc:Do","Resource":"*"}}"#))],
            ..user("u")
        });
        let o = run_all(&inputs(a, vec![]), &Thresholds::default());
        let actions = find(&o, "invalid-action", "typos").expect("typos");
        assert_eq!(actions.evidence["actions"], json!(["iam:PassRoles", "s3:Frob*", "s3:GetObjcet"]));
        assert_eq!(find(&o, "invalid-service", "typos").unwrap().evidence["actions"], json!(["s4:*"]));
        let inline = find(&o, "invalid-service", "u").unwrap();
        assert_eq!(inline.evidence["inline_policy"], "x");
        assert!(find(&o, "invalid-action", "clean").is_none() && find(&o, "invalid-service", "clean").is_none());
        assert!(o.run.contains(&"invalid-action".to_owned()) && o.run.contains(&"invalid-service".to_owned()));
    }

    fn role(name: &str, trust: &str, policies: &[(&str, &str)]) -> Principal {
        Principal {
            name: name.into(),
            arn: format!("arn:aws:iam::111111111111:role/{name}"),
            trust: Some(doc(trust)),
            inline: policies.iter().map(|(n, d)| ((*n).to_owned(), doc(d))).collect(),
            last_used: Some(NOW),
            ..Principal::default()
        }
    }

    const ASSUME_ANY: &str = r#"{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}}"#;
    const ADMIN: &str = r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;

    #[test]
    fn assume_role_paths_to_admin_are_reported_whole() {
        let mut a = Account { id: "111111111111".into(), ..Account::default() };
        let by_root = r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}}"#;
        let by_deploy =
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/deploy"},"Action":"sts:AssumeRole"}}"#;
        let by_loop_b =
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/loop-b"},"Action":"sts:AssumeRole"}}"#;
        let by_loop_a =
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/loop-a"},"Action":"sts:AssumeRole"}}"#;
        a.users.push(Principal { inline: vec![("assume".into(), doc(ASSUME_ANY))], ..user("alice") });
        a.users.push(user("bob"));
        a.users.push(Principal {
            inline: vec![
                ("assume".into(), doc(ASSUME_ANY)),
                (
                    "no".into(),
                    doc(r#"{"Statement":{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111111111111:role/deploy"}}"#),
                ),
            ],
            ..user("carol")
        });
        a.roles.push(role("deploy", by_root, &[("assume", ASSUME_ANY)]));
        a.roles.push(role("admin", by_deploy, &[("admin", ADMIN)]));
        // Two roles that trust each other, and may assume only each other: a cycle leading nowhere.
        let loops = r#"{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111111111111:role/loop-*"}}"#;
        a.roles.push(role("loop-a", by_loop_b, &[("assume", loops)]));
        a.roles.push(role("loop-b", by_loop_a, &[("assume", loops)]));
        let o = run_all(&inputs(a, vec![]), &Thresholds::default());
        let alice = find(&o, "assume-role-escalation", "alice").expect("alice reaches admin");
        assert_eq!(alice.evidence["path"], json!(["user:alice", "role:deploy", "role:admin"]));
        assert_eq!(alice.evidence["reaches"], "admin");
        assert!(alice.title.contains("user:alice → role:deploy → role:admin"), "{}", alice.title);
        assert!(find(&o, "assume-role-escalation", "deploy").is_some(), "deploy itself reaches admin");
        for none in ["bob", "carol", "admin", "loop-a", "loop-b"] {
            assert!(find(&o, "assume-role-escalation", none).is_none(), "{none}: {:?}", checks(&o));
        }
    }

    #[test]
    fn a_boundary_limits_what_a_principal_holds() {
        let mut a = Account { id: "111111111111".into(), ..Account::default() };
        let admin = managed(&mut a, "admin", ADMIN);
        let fence = managed(&mut a, "fence", r#"{"Statement":{"Effect":"Allow","Action":["s3:*","ec2:*"],"Resource":"*"}}"#);
        a.users.push(Principal { attached: vec![admin.clone()], boundary: Some(fence.clone()), ..user("fenced") });
        a.users.push(Principal { attached: vec![admin.clone()], ..user("free") });
        a.roles.push(Principal { boundary: Some(fence), ..role("fenced-role", r#"{"Statement":[]}"#, &[("admin", ADMIN)]) });
        let o = run_all(&inputs(a, vec![]), &Thresholds::default());
        assert!(find(&o, "admin-principal", "free").is_some());
        for fenced in ["fenced", "fenced-role"] {
            assert!(find(&o, "admin-principal", fenced).is_none() && find(&o, "privilege-escalation", fenced).is_none(), "{fenced}");
        }
    }

    #[test]
    fn policies_missing_from_the_input_make_verdicts_uncertain_not_silent() {
        let mut a = Account { id: "111111111111".into(), ..Account::default() };
        a.users.push(Principal { attached: vec!["arn:aws:iam::aws:policy/AdministratorAccess".into()], ..user("ops") });
        a.roles.push(Principal {
            attached: vec!["arn:aws:iam::111111111111:policy/gone".into()],
            inline: vec![("admin".into(), doc(ADMIN))],
            ..role("r", r#"{"Statement":[]}"#, &[])
        });
        a.users.push(user("plain"));
        let o = run_all(&inputs(a, vec![]), &Thresholds::default());
        let ops = find(&o, "grants-uncertain", "ops").expect("ops is uncertain");
        assert_eq!(ops.evidence["missing_policies"], json!(["arn:aws:iam::aws:policy/AdministratorAccess"]));
        assert_eq!(ops.severity, Severity::Info);
        let r = find(&o, "admin-principal", "r").expect("what is known still counts");
        assert_eq!(r.evidence["uncertain"], true);
        assert!(find(&o, "grants-uncertain", "plain").is_none());
        assert_eq!(o.warnings.len(), 1);
        assert!(o.warnings[0].contains("AdministratorAccess") && o.warnings[0].contains("policy/gone"), "{}", o.warnings[0]);
    }

    #[test]
    fn a_group_missing_from_the_input_makes_its_members_uncertain() {
        let mut a = Account { id: "111111111111".into(), ..Account::default() };
        a.users.push(Principal { groups: vec!["admins".into()], ..user("dev") });
        let o = run_all(&inputs(a, vec![]), &Thresholds::default());
        let dev = find(&o, "grants-uncertain", "dev").expect("a membership of an unknown group is not dropped");
        assert_eq!(dev.evidence["missing_policies"], json!(["arn:aws:iam::111111111111:group/admins"]));
        assert!(o.warnings.iter().any(|w| w.contains("group/admins")), "{:?}", o.warnings);
    }

    #[test]
    fn the_root_arn_always_names_the_account() {
        let mut i =
            inputs(Account::default(), vec![Row { user: "u".into(), arn: "arn:aws:iam::123456789012:user/u".into(), ..Row::default() }]);
        i.summary = Ok(HashMap::from([("AccountMFAEnabled".into(), 0)]));
        i.password_policy = Ok(None);
        let o = run_all(&i, &Thresholds::default());
        for check in ["root-mfa-off", "password-policy"] {
            let f = o.findings.iter().find(|f| f.check == check).unwrap();
            assert_eq!(f.resource, "arn:aws:iam::123456789012:root", "{check}");
        }
    }
}
