//! The documents of iam-audit: one `finding` per problem (check id, severity, the resource's
//! ARN, evidence, remediation), then one `iam-audit-summary` (counts, and the checks that
//! could not run and why).

use crate::document::Document;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FindingDoc {
    /// The check's id, e.g. `user-console-without-mfa`.
    pub check: String,
    pub severity: Severity,
    pub title: String,
    /// The ARN of the principal, policy or account concerned.
    pub resource: String,
    /// What was seen (fields depend on the check).
    pub evidence: serde_json::Value,
    pub remediation: String,
    /// Set when a suppression accepts the finding: its reason (the finding is still printed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<String>,
}

impl Document for FindingDoc {
    const KIND: &'static str = "finding";
    const SCHEMA_VERSION: u32 = 1;
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SkippedCheck {
    pub check: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AuditSummaryDoc {
    pub account_id: String,
    pub users: usize,
    pub groups: usize,
    pub roles: usize,
    pub policies: usize,
    /// Unsuppressed findings per severity.
    pub findings: std::collections::BTreeMap<String, usize>,
    pub suppressed: usize,
    pub checks_run: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks_skipped: Vec<SkippedCheck>,
    /// The --fail-on threshold, and whether a finding reached it (exit status 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<Severity>,
    pub failed: bool,
}

impl Document for AuditSummaryDoc {
    const KIND: &'static str = "iam-audit-summary";
    const SCHEMA_VERSION: u32 = 1;
}

/// The total of a fleet audit (`--accounts`, `--org`), after every account's own
/// `iam-audit-summary`: the accounts audited and failed, findings summed per severity.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct AuditFleetSummaryDoc {
    /// Accounts audited to the end.
    pub accounts: usize,
    /// Accounts whose audit failed (their `fleet-target` documents say why).
    pub accounts_failed: usize,
    /// Unsuppressed findings per severity, over every account audited.
    pub findings: std::collections::BTreeMap<String, usize>,
    pub suppressed: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<Severity>,
    /// Accounts with a finding at or above --fail-on (exit status 3).
    pub accounts_at_fail_on: usize,
    pub failed: bool,
}

impl AuditFleetSummaryDoc {
    /// Adds one account's summary.
    pub fn add(&mut self, account: &AuditSummaryDoc) {
        self.accounts += 1;
        for (severity, n) in &account.findings {
            *self.findings.entry(severity.clone()).or_default() += n;
        }
        self.suppressed += account.suppressed;
        if account.failed {
            self.accounts_at_fail_on += 1;
            self.failed = true;
        }
    }
}

impl Document for AuditFleetSummaryDoc {
    const KIND: &'static str = "iam-audit-fleet-summary";
    const SCHEMA_VERSION: u32 = 1;
}
