//! The two outputs for people and dashboards besides JSON Lines: an aligned table, and
//! SARIF 2.1.0 (one rule per check, one result per finding; suppressed ones carry a
//! suppression) for code-scanning dashboards, which need a file-like location: each result
//! gets a stable pseudo-path such as `iam/123456789012/users/alice`.

use awsops_core::kinds::{AuditSummaryDoc, FindingDoc, Severity};
use serde_json::{Value, json};

pub fn table(findings: &[FindingDoc], summary: &AuditSummaryDoc) -> String {
    let mut rows: Vec<[String; 4]> = vec![["SEVERITY".into(), "CHECK".into(), "RESOURCE".into(), "FINDING".into()]];
    for f in findings {
        let severity = if f.suppressed.is_some() { format!("({})", f.severity.as_str()) } else { f.severity.as_str().to_owned() };
        rows.push([severity, f.check.clone(), f.resource.clone(), f.title.clone()]);
    }
    let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let (w0, w1, w2) = (width(0), width(1), width(2));
    let mut out = String::new();
    for r in &rows {
        out.push_str(&format!("{:w0$}  {:w1$}  {:w2$}  {}\n", r[0], r[1], r[2], r[3]));
    }
    let counts: Vec<String> =
        Severity::ALL.iter().map(|s| format!("{} {}", summary.findings.get(s.as_str()).copied().unwrap_or(0), s.as_str())).collect();
    out.push_str(&format!(
        "\n{} users, {} groups, {} roles, {} policies: {}; {} suppressed\n",
        summary.users,
        summary.groups,
        summary.roles,
        summary.policies,
        counts.join(", "),
        summary.suppressed
    ));
    for s in &summary.checks_skipped {
        out.push_str(&format!("not run: {} ({})\n", s.check, s.reason));
    }
    out
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

pub fn sarif(findings: &[FindingDoc], summary: &AuditSummaryDoc) -> Value {
    let mut rule_ids: Vec<&str> = findings.iter().map(|f| f.check.as_str()).collect();
    rule_ids.sort_unstable();
    rule_ids.dedup();
    let rules: Vec<Value> = rule_ids
        .iter()
        .map(|id| {
            let f = findings.iter().find(|f| f.check == *id).expect("a finding of each rule");
            json!({"id": id, "shortDescription": {"text": id.replace('-', " ")}, "help": {"text": f.remediation},
                   "defaultConfiguration": {"level": level(f.severity)}, "properties": {"security-severity": severity_score(f.severity)}})
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut r = json!({
                "ruleId": f.check,
                "ruleIndex": rule_ids.iter().position(|id| *id == f.check),
                "level": level(f.severity),
                "message": {"text": f.title},
                "locations": [{
                    "physicalLocation": {"artifactLocation": {"uri": artifact_uri(f)}, "region": {"startLine": 1}},
                    "logicalLocations": [{"fullyQualifiedName": f.resource, "kind": "resource"}],
                }],
                "partialFingerprints": {"awsops/v1": fingerprint(f)},
                "properties": {"severity": f.severity.as_str(), "evidence": f.evidence},
            });
            if let Some(reason) = &f.suppressed {
                r["suppressions"] = json!([{"kind": "external", "justification": reason}]);
            }
            r
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "iam-audit", "informationUri": "https://github.com/awsops/awsops", "version": env!("CARGO_PKG_VERSION"), "rules": rules}},
            "results": results,
            "properties": {"account_id": summary.account_id, "checks_skipped": summary.checks_skipped},
        }]
    })
}

/// The inline policy a finding is about, if it is about one (its resource is then the owner).
fn inline_policy(f: &FindingDoc) -> Option<&str> {
    f.evidence.get("inline_policy").and_then(serde_json::Value::as_str)
}

/// The access key slot a finding is about (`access_key_1`/`access_key_2`), if any.
fn access_key(f: &FindingDoc) -> Option<&str> {
    ["key", "credential"]
        .iter()
        .find_map(|k| f.evidence.get(*k).and_then(serde_json::Value::as_str))
        .filter(|k| k.starts_with("access_key"))
}

/// Stable across runs: the check and the resource (and the inline policy or the access key
/// slot, so two inline policies or two keys of one owner do not collide).
pub fn fingerprint(f: &FindingDoc) -> String {
    match (inline_policy(f), access_key(f)) {
        (Some(name), _) => format!("{}|{}|inline {name}", f.check, f.resource),
        (None, Some(key)) => format!("{}|{}|{key}", f.check, f.resource),
        (None, None) => format!("{}|{}", f.check, f.resource),
    }
}

/// Characters a path segment may not carry as they are (RFC 3986 pchar, and `/`, `%`).
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

fn segment(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, SEGMENT).to_string()
}

/// A pseudo-path for a finding's resource: `iam/ACCOUNT/users/NAME` (roles, groups, policies
/// likewise; `iam/aws/policies/NAME` for AWS's own; `iam/ACCOUNT/root` for the account), with
/// `/inline/POLICY` for an inline policy; anything else under `iam/other/`.
pub fn artifact_uri(f: &FindingDoc) -> String {
    let parts: Vec<&str> = f.resource.splitn(6, ':').collect();
    let mut uri = match parts.as_slice() {
        ["arn", _, "iam", "", account, rest] if !account.is_empty() => {
            let (kind, name) = match rest.split_once('/') {
                Some((kind, path_and_name)) => (kind, path_and_name.rsplit('/').next().unwrap_or_default()),
                None => (*rest, ""),
            };
            let folder = match kind {
                "user" => Some("users"),
                "role" => Some("roles"),
                "group" => Some("groups"),
                "policy" => Some("policies"),
                _ => None,
            };
            match (folder, name) {
                (Some(folder), name) if !name.is_empty() => format!("iam/{}/{folder}/{}", segment(account), segment(name)),
                _ => format!("iam/{}/{}", segment(account), segment(rest)),
            }
        }
        _ => format!("iam/other/{}", segment(&f.resource)),
    };
    if let Some(name) = inline_policy(f) {
        uri.push_str("/inline/");
        uri.push_str(&segment(name));
    }
    uri
}

fn severity_score(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Vec<FindingDoc>, AuditSummaryDoc) {
        let f = FindingDoc {
            check: "root-mfa-off".into(),
            severity: Severity::Critical,
            title: "the root user has no MFA".into(),
            resource: "arn:aws:iam::1:root".into(),
            evidence: json!({}),
            remediation: "Enable MFA.".into(),
            suppressed: None,
        };
        let summary = AuditSummaryDoc {
            account_id: "1".into(),
            users: 1,
            groups: 0,
            roles: 0,
            policies: 0,
            findings: [("critical".to_owned(), 1)].into(),
            suppressed: 0,
            checks_run: vec!["root-mfa-off".into()],
            checks_skipped: vec![],
            fail_on: None,
            failed: false,
        };
        (vec![f.clone(), FindingDoc { suppressed: Some("accepted".into()), ..f }], summary)
    }

    #[test]
    fn sarif_has_rules_results_and_suppressions() {
        let (f, s) = sample();
        let v = sarif(&f, &s);
        assert_eq!(v["version"], "2.1.0");
        assert_eq!(v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().len(), 1);
        assert_eq!(v["runs"][0]["results"][0]["level"], "error");
        assert_eq!(v["runs"][0]["results"][1]["suppressions"][0]["justification"], "accepted");
        let location = &v["runs"][0]["results"][0]["locations"][0];
        assert_eq!(location["physicalLocation"]["artifactLocation"]["uri"], "iam/1/root");
        assert_eq!(location["logicalLocations"][0]["fullyQualifiedName"], "arn:aws:iam::1:root");
        assert_eq!(v["runs"][0]["results"][0]["partialFingerprints"]["awsops/v1"], "root-mfa-off|arn:aws:iam::1:root");
    }

    #[test]
    fn pseudo_paths_are_stable_and_safe() {
        let (f, _) = sample();
        let at = |resource: &str, evidence: Value| artifact_uri(&FindingDoc { resource: resource.into(), evidence, ..f[0].clone() });
        assert_eq!(at("arn:aws:iam::123456789012:user/alice", json!({})), "iam/123456789012/users/alice");
        assert_eq!(at("arn:aws:iam::123456789012:user/eng/ops/bob", json!({})), "iam/123456789012/users/bob");
        assert_eq!(at("arn:aws:iam::123456789012:role/aws-service-role/x.amazonaws.com/AWSX", json!({})), "iam/123456789012/roles/AWSX");
        assert_eq!(at("arn:aws:iam::123456789012:group/admins", json!({})), "iam/123456789012/groups/admins");
        assert_eq!(at("arn:aws:iam::aws:policy/ReadOnlyAccess", json!({})), "iam/aws/policies/ReadOnlyAccess");
        assert_eq!(at("arn:aws-cn:iam::123456789012:policy/p+q=r,s@t", json!({})), "iam/123456789012/policies/p+q=r,s@t");
        assert_eq!(at("arn:aws:iam::123456789012:root", json!({})), "iam/123456789012/root");
        assert_eq!(
            at("arn:aws:iam::123456789012:user/dave", json!({"inline_policy": "admin #1"})),
            "iam/123456789012/users/dave/inline/admin%20%231"
        );
        assert_eq!(at("not an arn/%é", json!({})), "iam/other/not%20an%20arn%2F%25%C3%A9");
        assert_eq!(at("arn:aws:iam:::root", json!({})), "iam/other/arn:aws:iam:::root");
        let inline = FindingDoc { evidence: json!({"inline_policy": "p"}), ..f[0].clone() };
        assert_eq!(fingerprint(&inline), "root-mfa-off|arn:aws:iam::1:root|inline p");
        let key = |k: &str| fingerprint(&FindingDoc { evidence: json!({"key": k}), ..f[0].clone() });
        assert_ne!(key("access_key_1"), key("access_key_2"), "two keys of one user are two alerts");
        let password = FindingDoc { evidence: json!({"credential": "password"}), ..f[0].clone() };
        assert_eq!(fingerprint(&password), "root-mfa-off|arn:aws:iam::1:root", "unchanged where nothing collides");
    }

    #[test]
    fn the_table_is_aligned_and_totals() {
        let (f, s) = sample();
        let t = table(&f, &s);
        let header = t.lines().next().unwrap();
        assert!(header.starts_with("SEVERITY  ") && header.find("CHECK") == t.lines().nth(1).unwrap().find("root-mfa-off"), "{t}");
        assert!(t.contains("(critical)") && t.contains("1 critical"));
    }
}
