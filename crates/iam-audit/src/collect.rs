//! Collection, concurrently: GetAccountAuthorizationDetails (all pages), the credential
//! report (generated, polled, parsed), the password policy and the account summary: a
//! handful of calls however many principals there are. An API the endpoint lacks makes
//! its checks "not run" instead of failing the audit. Access-advisor data (one job per
//! principal) only on request, with bounded concurrency.

use crate::account::Account;
use crate::checks::{Inputs, PasswordPolicy};
use crate::credential_report;
use aws_sdk_iam::Client;
use aws_sdk_iam::error::ProvideErrorMetadata;
use aws_sdk_iam::types::{JobStatusType, ReportStateType};
use awsops_core::error::aws_error;
use awsops_core::waiter::{Poll, Waiter};
use awsops_core::{Error, Result};
use futures_util::{StreamExt, TryStreamExt};
use std::collections::HashMap;
use std::time::Duration;

use awsops_core::permissions::Grant;

pub static READ_AUTHORIZATION: Grant = Grant::any("ReadAuthorizationDetails", &["iam:GetAccountAuthorizationDetails"]);
/// The credential report (checks that need it are reported as skipped when denied).
pub static CREDENTIAL_REPORT: Grant = Grant::any("ReadCredentialReport", &["iam:GenerateCredentialReport", "iam:GetCredentialReport"]);
/// The password policy and the account summary (root MFA, root keys).
pub static ACCOUNT_SETTINGS: Grant = Grant::any("ReadAccountSettings", &["iam:GetAccountPasswordPolicy", "iam:GetAccountSummary"]);
/// `--access-advisor`: the services each user and role used, by job.
pub static ACCESS_ADVISOR: Grant = Grant::any("StartAccessAdvisorJobs", &["iam:GenerateServiceLastAccessedDetails"])
    .on(&["arn:{partition}:iam::{account}:user/*", "arn:{partition}:iam::{account}:role/*"]);
pub static ACCESS_ADVISOR_RESULTS: Grant = Grant::any("ReadAccessAdvisorJobs", &["iam:GetServiceLastAccessedDetails"]);

/// Why an optional input is missing, in one line.
fn unavailable<E: ProvideErrorMetadata + std::error::Error + 'static>(operation: &str, e: E) -> String {
    let err = Error::from_aws(operation, e);
    format!("{operation} failed: {}", err.aws_code().map(str::to_owned).unwrap_or_else(|| err.to_string()))
}

pub async fn collect(iam: &Client, sts: &aws_sdk_sts::Client, now: i64, timeout: Duration) -> Result<Inputs> {
    let details = async {
        // Each page is read into the account and dropped, so memory holds one page at a time.
        let mut pages = details_request(iam).into_paginator().send();
        let mut account = Account::default();
        while let Some(page) = pages.next().await {
            account.add_page(page.map_err(aws_error("GetAccountAuthorizationDetails"))?);
        }
        account.finish();
        Ok::<_, Error>(account)
    };
    let (account, report, password_policy, summary) =
        tokio::join!(details, credential_report(iam, timeout), password_policy(iam), summary(iam));
    let mut account = account?;
    if account.id.is_empty() {
        // An account with no users, roles, groups or customer policies names itself nowhere
        // in the details: STS says whose it is (a call that needs no permission).
        let identity = sts.get_caller_identity().send().await.map_err(aws_error("GetCallerIdentity"))?;
        account.id = identity.account().unwrap_or_default().to_owned();
    }
    Ok(Inputs { account, report, password_policy, summary, now })
}

/// Items per page of GetAccountAuthorizationDetails: AWS's default is 100, so a 5,000-user
/// account would take some 80 pages; at the maximum, 1,000, it takes a few.
pub const DETAILS_PAGE_SIZE: i32 = 1000;

pub fn details_request(
    iam: &Client,
) -> aws_sdk_iam::operation::get_account_authorization_details::builders::GetAccountAuthorizationDetailsFluentBuilder {
    iam.get_account_authorization_details().max_items(DETAILS_PAGE_SIZE)
}

async fn credential_report(iam: &Client, timeout: Duration) -> std::result::Result<Vec<credential_report::Row>, String> {
    let waited = Waiter::new("the credential report", timeout)
        .delays(Duration::from_millis(200), Duration::from_secs(2))
        .wait(|| async {
            let out =
                iam.generate_credential_report().send().await.map_err(|e| Error::failed(unavailable("GenerateCredentialReport", e)))?;
            Ok(match out.state() {
                Some(ReportStateType::Complete) => Poll::Ready(()),
                other => Poll::Pending(other.map(|s| s.as_str().to_owned()).unwrap_or_default()),
            })
        })
        .await;
    waited.map_err(|e| e.to_string())?;
    let out = iam.get_credential_report().send().await.map_err(|e| unavailable("GetCredentialReport", e))?;
    let bytes = out.content().map(|b| b.as_ref().to_vec()).unwrap_or_default();
    credential_report::parse(&String::from_utf8_lossy(&bytes)).map_err(|e| e.to_string())
}

async fn password_policy(iam: &Client) -> std::result::Result<Option<PasswordPolicy>, String> {
    match iam.get_account_password_policy().send().await {
        Ok(out) => Ok(out.password_policy().map(|p| PasswordPolicy {
            min_length: p.minimum_password_length().unwrap_or(0),
            require_symbols: p.require_symbols(),
            require_numbers: p.require_numbers(),
            require_uppercase: p.require_uppercase_characters(),
            require_lowercase: p.require_lowercase_characters(),
            max_age_days: p.max_password_age().filter(|d| *d > 0),
            reuse_prevention: p.password_reuse_prevention(),
        })),
        Err(e) if e.code() == Some("NoSuchEntity") => Ok(None),
        Err(e) => Err(unavailable("GetAccountPasswordPolicy", e)),
    }
}

async fn summary(iam: &Client) -> std::result::Result<HashMap<String, i64>, String> {
    let out = iam.get_account_summary().send().await.map_err(|e| unavailable("GetAccountSummary", e))?;
    Ok(out.summary_map().map(|m| m.iter().map(|(k, v)| (k.as_str().to_owned(), i64::from(*v))).collect()).unwrap_or_default())
}

/// Per principal ARN: the services its policies allow that it never used, from the
/// access advisor (one job per principal, at most `jobs` at a time).
pub async fn never_used_services(
    iam: &Client,
    arns: &[String],
    jobs: usize,
    timeout: Duration,
) -> std::result::Result<Vec<(String, Vec<String>)>, String> {
    futures_util::stream::iter(arns.iter().cloned())
        .map(|arn| async move {
            let job = iam
                .generate_service_last_accessed_details()
                .arn(&arn)
                .send()
                .await
                .map_err(|e| unavailable("GenerateServiceLastAccessedDetails", e))?;
            let job_id = job.job_id().unwrap_or_default().to_owned();
            let services = Waiter::new(format!("access advisor for {arn}"), timeout)
                .delays(Duration::from_millis(300), Duration::from_secs(3))
                .wait(|| async {
                    let out = iam
                        .get_service_last_accessed_details()
                        .job_id(&job_id)
                        .send()
                        .await
                        .map_err(|e| Error::failed(unavailable("GetServiceLastAccessedDetails", e)))?;
                    Ok(match out.job_status() {
                        JobStatusType::Completed => Poll::Ready(
                            out.services_last_accessed()
                                .iter()
                                .filter(|s| s.last_authenticated().is_none())
                                .map(|s| s.service_namespace().to_owned())
                                .collect::<Vec<_>>(),
                        ),
                        JobStatusType::Failed => return Err(Error::failed(format!("access advisor job for {arn} failed"))),
                        other => Poll::Pending(other.as_str().to_owned()),
                    })
                })
                .await
                .map_err(|e| e.to_string())?;
            Ok((arn, services))
        })
        .buffer_unordered(jobs.max(1))
        .try_collect()
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_details_are_asked_for_in_pages_of_1000() {
        let config = aws_sdk_iam::Config::builder().behavior_version(aws_sdk_iam::config::BehaviorVersion::latest()).build();
        let iam = Client::from_conf(config);
        assert_eq!(details_request(&iam).get_max_items(), &Some(1000));
    }
}
