//! The two outputs for people and dashboards besides JSON Lines: an aligned table, and
//! SARIF 2.1.0 (one rule per check, one result per finding; suppressed ones carry a
//! suppression) for code-scanning dashboards.

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
                "locations": [{"logicalLocations": [{"fullyQualifiedName": f.resource, "kind": "resource"}]}],
                "partialFingerprints": {"awsops/v1": format!("{}|{}", f.check, f.resource)},
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
