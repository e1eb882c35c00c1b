//! iam-audit: an account's IAM posture from a handful of API calls (or a saved
//! authorization-details file): findings as JSON Lines, a table or SARIF, and an exit
//! status CI can gate on.

pub mod account;
pub mod action_catalogue;
pub mod assume_paths;
pub mod checks;
pub mod collect;
pub mod compiled_policy;
pub mod credential_report;
pub mod evaluator;
pub mod grant_checks;
pub mod pattern;
pub mod policy;
pub mod render;
pub mod suppress;

use awsops_core::cli::Timeout;
use awsops_core::kinds::{AuditFleetSummaryDoc, AuditSummaryDoc, FindingDoc, Severity, SkippedCheck};
use awsops_core::output::Output;
use awsops_core::{CommandCli, CommonArgs, Error, Outcome, Result};
use clap::{Parser, ValueEnum};
use serde_json::json;
use std::path::PathBuf;

pub const NAME: &str = "iam-audit";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `finding` documents, then an `iam-audit-summary`, one JSON object per line
    Json,
    Table,
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Level {
    Low,
    Medium,
    High,
    Critical,
}

impl Level {
    fn severity(self) -> Severity {
        match self {
            Level::Low => Severity::Low,
            Level::Medium => Severity::Medium,
            Level::High => Severity::High,
            Level::Critical => Severity::Critical,
        }
    }
}

awsops_core::waits_for!(CredentialReportWait, "2m", "Give up waiting for the credential report (and access advisor) after this long");

#[derive(Parser, Debug)]
#[command(
    name = "iam-audit",
    version,
    about = "Audit an account's IAM: root, users, keys, password policy, admin and escalation paths, role trust",
    long_about = "Audit an account's IAM posture from GetAccountAuthorizationDetails, the credential report, the \
                  password policy and the account summary (collected concurrently: a few calls, not one per \
                  user), or offline from a saved `aws iam get-account-authorization-details` file. Prints one \
                  `finding` document per problem (check id, severity, resource ARN, evidence, remediation) and an \
                  `iam-audit-summary`; `--format table` for people, `--format sarif` for code-scanning \
                  dashboards. `--fail-on SEVERITY` exits 3 when an unsuppressed finding is at or above it. \
                  Checks whose data the endpoint cannot give are listed as not run; the rest still run. \
                  Administrator access and privilege escalation are judged on principals (with their groups and \
                  permission boundaries, and through chains of sts:AssumeRole) and on customer policies, attached \
                  or not; attached policies missing from the input are named on stderr and their principals \
                  marked grants-uncertain."
)]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Audit this saved get-account-authorization-details JSON instead of calling AWS
    #[arg(long, value_name = "FILE")]
    pub offline: Option<PathBuf>,
    /// With --offline: a saved credential report (CSV) for the credential checks
    #[arg(long, value_name = "FILE", requires = "offline")]
    pub credential_report: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "json", env = "AWSOPS_FORMAT")]
    pub format: Format,
    /// Exit 3 when an unsuppressed finding is at or above this severity
    #[arg(long, value_enum, value_name = "SEVERITY", env = "AWSOPS_FAIL_ON")]
    pub fail_on: Option<Level>,
    /// Accepted findings: a JSON list of {check, resource, reason, expires}
    #[arg(long, value_name = "FILE", env = "AWSOPS_SUPPRESSIONS")]
    pub suppressions: Option<PathBuf>,
    /// Flag access keys older than this many days
    #[arg(long, default_value_t = 90, value_name = "DAYS")]
    pub key_max_age: i64,
    /// Flag access keys and passwords unused for this many days
    #[arg(long, default_value_t = 90, value_name = "DAYS")]
    pub unused_days: i64,
    /// Flag roles unused for this many days
    #[arg(long, default_value_t = 90, value_name = "DAYS")]
    pub role_unused_days: i64,
    /// Flag root use within this many days
    #[arg(long, default_value_t = 30, value_name = "DAYS")]
    pub root_recent_days: i64,
    /// The password length the policy must require at least
    #[arg(long, default_value_t = 14, value_name = "CHARS")]
    pub min_password_length: i32,
    /// Also ask the access advisor which allowed services each user and role never used
    #[arg(long)]
    pub access_advisor: bool,
    /// Concurrent access-advisor jobs, and accounts audited at once with --accounts or --org
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub jobs: usize,
    #[command(flatten)]
    pub timeout: Timeout<CredentialReportWait>,
    #[command(flatten)]
    pub fleet: awsops_core::fleet::FleetArgs,
    /// The audit's "now" as seconds since the epoch (reproducible reports and tests)
    #[arg(long, hide = true, value_name = "EPOCH")]
    pub now: Option<i64>,
}

impl CommandCli for Cli {
    fn common(&self) -> &CommonArgs {
        &self.common
    }

    /// Nothing with --offline; the account's IAM data otherwise; the access advisor on request.
    fn needs(&self) -> Result<awsops_core::permissions::Needs> {
        let mut needs = awsops_core::permissions::Needs::new(awsops_core::permissions::Scope::new(NAME, self.common.aws.region.as_deref()));
        if self.offline.is_none() {
            needs.add(&[&collect::READ_AUTHORIZATION, &collect::CREDENTIAL_REPORT, &collect::ACCOUNT_SETTINGS]);
            needs.add_if(self.access_advisor, &[&collect::ACCESS_ADVISOR, &collect::ACCESS_ADVISOR_RESULTS]);
            self.fleet.add_needs(&mut needs, &[]);
        }
        Ok(needs)
    }

    fn permissions() -> awsops_core::permissions::Table {
        vec![(
            "",
            vec![
                &collect::READ_AUTHORIZATION,
                &collect::CREDENTIAL_REPORT,
                &collect::ACCOUNT_SETTINGS,
                &collect::ACCESS_ADVISOR,
                &collect::ACCESS_ADVISOR_RESULTS,
            ]
            .into_iter()
            .chain(awsops_core::fleet::grants())
            .collect(),
        )]
    }
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or_default()
}

/// One account's audit: its findings (sorted, suppressions applied) and its summary.
pub struct Audit {
    pub findings: Vec<FindingDoc>,
    pub summary: AuditSummaryDoc,
}

/// The flags an audit of one account reads, checked once.
#[derive(Clone)]
struct Settings {
    thresholds: checks::Thresholds,
    suppressions: Option<Vec<suppress::Suppression>>,
    now: i64,
    fail_on: Option<Severity>,
}

fn settings(cli: &Cli) -> Result<Settings> {
    for (flag, v) in [("--key-max-age", cli.key_max_age), ("--unused-days", cli.unused_days), ("--role-unused-days", cli.role_unused_days)]
    {
        if v < 0 {
            return Err(Error::usage(format!("{flag} {v}: expected 0 or more days")));
        }
    }
    Ok(Settings {
        suppressions: cli.suppressions.as_deref().map(suppress::load).transpose()?,
        now: cli.now.unwrap_or_else(now),
        thresholds: checks::Thresholds {
            key_max_age_days: cli.key_max_age,
            unused_days: cli.unused_days,
            role_unused_days: cli.role_unused_days,
            root_recent_days: cli.root_recent_days,
            password_min_length: cli.min_password_length,
            ..checks::Thresholds::default()
        },
        fail_on: cli.fail_on.map(Level::severity),
    })
}

/// The account's inputs from AWS (and the access advisor's, when asked).
async fn collect_online(
    cli: &Cli,
    config: &aws_config::SdkConfig,
    now: i64,
) -> Result<(checks::Inputs, Option<Advised>, Vec<SkippedCheck>)> {
    let iam = aws_sdk_iam::Client::new(config);
    let inputs = collect::collect(&iam, &aws_sdk_sts::Client::new(config), now, cli.timeout.get()).await?;
    let mut skipped = Vec::new();
    let mut advisor = None;
    if cli.access_advisor {
        let arns: Vec<String> = inputs.account.users.iter().chain(&inputs.account.roles).map(|p| p.arn.clone()).collect();
        match collect::never_used_services(&iam, &arns, cli.jobs, cli.timeout.get()).await {
            Ok(found) => advisor = Some(found),
            Err(why) => skipped.push(SkippedCheck { check: "unused-services".into(), reason: why }),
        }
    }
    Ok((inputs, advisor, skipped))
}

type Advised = Vec<(String, Vec<String>)>;

/// The checks over collected inputs: findings and the summary.
fn judge(inputs: &checks::Inputs, advisor: Option<Advised>, extra_skipped: Vec<SkippedCheck>, settings: &Settings) -> Audit {
    let mut outcome = checks::run_all(inputs, &settings.thresholds);
    if let Some(found) = advisor {
        outcome.run.push("unused-services".into());
        for (arn, services) in found.into_iter().filter(|(_, s)| !s.is_empty()) {
            outcome.findings.push(FindingDoc {
                check: "unused-services".into(),
                severity: Severity::Low,
                title: format!("{} may use {} services it never used", arn.rsplit('/').next().unwrap_or_default(), services.len()),
                resource: arn,
                evidence: json!({"services": services}),
                remediation: "Remove permissions for services the principal does not use.".into(),
                suppressed: None,
            });
        }
    }
    outcome.skipped.extend(extra_skipped);
    if let Some(s) = &settings.suppressions {
        suppress::apply(&mut outcome.findings, s, settings.now);
    }
    outcome
        .findings
        .sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.check.cmp(&b.check)).then_with(|| a.resource.cmp(&b.resource)));
    let mut counts = std::collections::BTreeMap::new();
    for s in Severity::ALL {
        counts.insert(s.as_str().to_owned(), outcome.findings.iter().filter(|f| f.suppressed.is_none() && f.severity == s).count());
    }
    let failed = settings.fail_on.is_some_and(|t| outcome.findings.iter().any(|f| f.suppressed.is_none() && f.severity >= t));
    let summary = AuditSummaryDoc {
        account_id: inputs.account.id.clone(),
        users: inputs.account.users.len(),
        groups: inputs.account.groups.len(),
        roles: inputs.account.roles.len(),
        policies: inputs.account.policies_listed,
        findings: counts,
        suppressed: outcome.findings.iter().filter(|f| f.suppressed.is_some()).count(),
        checks_run: outcome.run.clone(),
        checks_skipped: outcome.skipped.clone(),
        fail_on: settings.fail_on,
        failed,
    };
    for s in &summary.checks_skipped {
        tracing::warn!("{}: not run: {} ({})", summary.account_id, s.check, s.reason);
    }
    for w in &outcome.warnings {
        tracing::warn!("{w}");
    }
    Audit { findings: outcome.findings, summary }
}

pub async fn run(cli: Cli) -> Result<Outcome> {
    let settings = settings(&cli)?;
    if let Some(plan) = cli.fleet.plan_from_env()? {
        return run_fleet(&cli, plan, &settings).await;
    }
    let audit = match &cli.offline {
        Some(path) => judge(&offline(path, cli.credential_report.as_deref(), settings.now)?, None, Vec::new(), &settings),
        None => {
            let config = cli.common.aws.load().await?;
            let (inputs, advisor, skipped) = collect_online(&cli, &config, settings.now).await?;
            judge(&inputs, advisor, skipped, &settings)
        }
    };
    match cli.format {
        Format::Json => {
            let mut out = Output::stdout();
            for f in &audit.findings {
                out.emit(f)?;
            }
            out.emit(&audit.summary)?;
        }
        Format::Table => Output::stdout().write_text(&render::table(&audit.findings, &audit.summary))?,
        Format::Sarif => {
            let mut text =
                serde_json::to_string_pretty(&render::sarif(&audit.findings, &audit.summary)).map_err(|e| Error::failed(e.to_string()))?;
            text.push('\n');
            Output::stdout().write_text(&text)?;
        }
    }
    Ok(if audit.summary.failed { Outcome::FoundFailures } else { Outcome::Success })
}

/// Every account of the fleet, `--jobs` at a time: each account's findings and summary
/// (stamped with the account) as it ends, its `fleet-target`, then the fleet's total.
async fn run_fleet(cli: &Cli, plan: awsops_core::fleet::FleetPlan, settings: &Settings) -> Result<Outcome> {
    if cli.offline.is_some() {
        return Err(Error::usage("--offline audits one saved account: it does not go with --accounts or --org"));
    }
    if cli.format != Format::Json {
        return Err(Error::usage("a fleet audit prints JSON documents (one stream for every account): drop --format or use --format json"));
    }
    let fleet = awsops_core::fleet::Fleet::connect(cli.common.aws.load().await?, plan, NAME).await?;
    let targets = fleet.targets(&awsops_core::fleet::Regions::Named(Vec::new()), false).await?;
    let mut out = Output::stdout();
    let mut total = AuditFleetSummaryDoc { fail_on: settings.fail_on, ..AuditFleetSummaryDoc::default() };
    let outcome = fleet
        .run(
            targets,
            cli.jobs,
            &mut out,
            |_target, config, mut buffer| async move {
                let result = async {
                    let (inputs, advisor, skipped) = collect_online(cli, &config, settings.now).await?;
                    // The checks are CPU work: off the thread that drives the other accounts' calls.
                    let settings = settings.clone();
                    let audit = tokio::task::spawn_blocking(move || judge(&inputs, advisor, skipped, &settings))
                        .await
                        .map_err(|e| Error::failed(format!("the audit's checks stopped: {e}")))?;
                    for f in &audit.findings {
                        buffer.emit(f)?;
                    }
                    buffer.emit(&audit.summary)?;
                    Ok(audit.summary)
                }
                .await;
                (buffer, result)
            },
            |_, summary| total.add(summary),
        )
        .await?;
    total.accounts_failed = outcome.failed;
    out.emit(&total)?;
    outcome.finish()?;
    Ok(if total.failed { Outcome::FoundFailures } else { Outcome::Success })
}

fn offline(path: &std::path::Path, report: Option<&std::path::Path>, now: i64) -> Result<checks::Inputs> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::usage(format!("cannot read {}: {e}", path.display())))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::usage(format!("{}: not JSON ({e})", path.display())))?;
    let account = account::Account::from_saved(&value, &path.display().to_string())?;
    let report = match report {
        Some(p) => {
            let csv = std::fs::read_to_string(p).map_err(|e| Error::usage(format!("cannot read {}: {e}", p.display())))?;
            Ok(credential_report::parse(&csv).map_err(|e| Error::usage(format!("{}: {e}", p.display())))?)
        }
        None => Err("offline: no credential report given (--credential-report)".to_owned()),
    };
    Ok(checks::Inputs {
        account,
        report,
        password_policy: Err("offline: the password policy is not in the saved file".into()),
        summary: Err("offline: the account summary is not in the saved file".into()),
        now,
    })
}

#[cfg(test)]
mod permission_tests {
    use super::*;

    #[test]
    fn every_sdk_call_is_declared_by_its_module() {
        let all: Vec<&awsops_core::permissions::Grant> =
            Cli::permissions().into_iter().flat_map(|(_, g)| g).chain([&awsops_core::permissions::WHO_AM_I]).collect();
        awsops_core::sdk_calls::assert_declared(env!("CARGO_MANIFEST_DIR"), &[("collect.rs", &all)]);
    }

    #[test]
    fn offline_needs_nothing_and_the_advisor_adds_its_jobs() {
        let needs = |args: &[&str]| Cli::try_parse_from(std::iter::once("iam-audit").chain(args.iter().copied())).unwrap().needs().unwrap();
        assert!(needs(&["--offline", "details.json"]).grants.is_empty());
        assert!(!needs(&[]).actions().contains(&"iam:GenerateServiceLastAccessedDetails"));
        assert!(needs(&["--access-advisor"]).actions().contains(&"iam:GenerateServiceLastAccessedDetails"));
    }
}
