//! Accepted findings: a JSON file of `{"check", "resource", "reason", "expires"}` entries
//! (resource may use `*` wildcards; `expires` is a date, after which the finding counts
//! again). A suppressed finding is still printed, marked with its reason, and does not
//! count towards `--fail-on`.

use awsops_core::kinds::FindingDoc;
use awsops_core::wildcard::matches as wildcard;
use awsops_core::{Error, Result};
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suppression {
    pub check: String,
    pub resource: String,
    pub reason: String,
    /// YYYY-MM-DD (UTC midnight).
    #[serde(default)]
    pub expires: Option<String>,
}

pub fn load(path: &Path) -> Result<Vec<Suppression>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::usage(format!("cannot read suppressions {}: {e}", path.display())))?;
    let list: Vec<Suppression> =
        serde_json::from_str(&text).map_err(|e| Error::usage(format!("{}: not a JSON list of suppressions ({e})", path.display())))?;
    for s in &list {
        if s.reason.trim().is_empty() {
            return Err(Error::usage(format!("{}: the suppression of {} on {} has no reason", path.display(), s.check, s.resource)));
        }
        if let Some(e) = &s.expires
            && expiry(e).is_none()
        {
            return Err(Error::usage(format!("{}: expires {e:?} is not a YYYY-MM-DD date", path.display())));
        }
    }
    Ok(list)
}

fn expiry(date: &str) -> Option<i64> {
    crate::credential_report::parse_time(&format!("{}T00:00:00Z", date.trim()))
}

/// Marks the findings an unexpired suppression accepts.
pub fn apply(findings: &mut [FindingDoc], suppressions: &[Suppression], now: i64) {
    for f in findings.iter_mut() {
        let hit = suppressions.iter().find(|s| {
            (s.check == f.check || s.check == "*")
                && wildcard(&s.resource, &f.resource, false)
                && s.expires.as_deref().and_then(expiry).is_none_or(|e| now < e)
        });
        f.suppressed = hit.map(|s| s.reason.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use awsops_core::kinds::Severity;

    fn finding(check: &str, resource: &str) -> FindingDoc {
        FindingDoc {
            check: check.into(),
            severity: Severity::High,
            title: String::new(),
            resource: resource.into(),
            evidence: serde_json::Value::Null,
            remediation: String::new(),
            suppressed: None,
        }
    }

    #[test]
    fn suppressions_match_check_and_resource_until_they_expire() {
        let s = vec![
            Suppression {
                check: "admin-principal".into(),
                resource: "arn:aws:iam::1:role/breakglass*".into(),
                reason: "break glass".into(),
                expires: None,
            },
            Suppression {
                check: "*".into(),
                resource: "arn:aws:iam::1:user/ci".into(),
                reason: "old".into(),
                expires: Some("2020-01-01".into()),
            },
        ];
        let mut f = vec![
            finding("admin-principal", "arn:aws:iam::1:role/breakglass-1"),
            finding("admin-principal", "arn:aws:iam::1:role/dev"),
            finding("inline-policy", "arn:aws:iam::1:user/ci"),
        ];
        apply(&mut f, &s, 1_800_000_000);
        assert_eq!(f[0].suppressed.as_deref(), Some("break glass"));
        assert!(f[1].suppressed.is_none());
        assert!(f[2].suppressed.is_none(), "expired");
        apply(&mut f, &s, 1_500_000_000);
        assert_eq!(f[2].suppressed.as_deref(), Some("old"));
    }

    #[test]
    fn files_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        std::fs::write(&path, r#"[{"check":"x","resource":"*","reason":""}]"#).unwrap();
        assert_eq!(load(&path).unwrap_err().exit_code(), 2);
        std::fs::write(&path, r#"[{"check":"x","resource":"*","reason":"r","expires":"soon"}]"#).unwrap();
        assert_eq!(load(&path).unwrap_err().exit_code(), 2);
        std::fs::write(&path, r#"[{"check":"x","resource":"*","reason":"r","expires":"2030-01-01"}]"#).unwrap();
        assert_eq!(load(&path).unwrap().len(), 1);
        assert_eq!(load(&dir.path().join("none")).unwrap_err().exit_code(), 2);
    }
}
