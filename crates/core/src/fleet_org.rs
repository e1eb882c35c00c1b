//! The accounts of an AWS Organization, as a fleet run's targets: every ACTIVE account
//! (suspended and closing ones cannot be acted in), or those under given OUs including
//! their child OUs, walked breadth-first. Read from the management account or a delegated
//! administrator; an account outside any organization gets a one-line error saying so.

use crate::all_pages;
use crate::error::{Error, Result};
use crate::permissions::Grant;
use aws_sdk_organizations::Client;
use aws_sdk_organizations::types::{Account, AccountStatus};

/// Listing the organization's accounts (`--org`, `--ou`).
pub static LIST_ORGANIZATION: Grant = Grant::any(
    "ListOrganizationAccounts",
    &[
        "organizations:DescribeOrganization",
        "organizations:ListAccounts",
        "organizations:ListAccountsForParent",
        "organizations:ListOrganizationalUnitsForParent",
    ],
);

fn active_ids(accounts: &[Account]) -> impl Iterator<Item = String> + '_ {
    accounts.iter().filter(|a| a.status() == Some(&AccountStatus::Active)).filter_map(|a| a.id().map(str::to_owned))
}

/// The ACTIVE accounts of the organization, or of the OUs (and their children) named.
pub async fn accounts(org: &Client, ous: &[String]) -> Result<Vec<String>> {
    org.describe_organization().send().await.map_err(|e| {
        let err = Error::from_aws("DescribeOrganization", e);
        if err.aws_code() == Some("AWSOrganizationsNotInUseException") {
            Error::failed("--org: the caller's account is not in an AWS Organization; name the accounts with --accounts")
        } else {
            err
        }
    })?;
    if ous.is_empty() {
        let pages: Vec<_> = all_pages!(org.list_accounts(), "ListAccounts")?;
        return Ok(pages.iter().flat_map(|p| active_ids(p.accounts())).collect());
    }
    let mut found = Vec::new();
    let mut parents: Vec<String> = ous.to_vec();
    let mut seen: Vec<String> = Vec::new();
    while let Some(parent) = parents.pop() {
        if seen.contains(&parent) {
            continue;
        }
        let (accounts, children) = futures_util::future::join(
            async { all_pages!(org.list_accounts_for_parent().parent_id(&parent), "ListAccountsForParent") },
            async { all_pages!(org.list_organizational_units_for_parent().parent_id(&parent), "ListOrganizationalUnitsForParent") },
        )
        .await;
        let accounts: Vec<_> = accounts?;
        let children: Vec<_> = children?;
        found.extend(accounts.iter().flat_map(|p| active_ids(p.accounts())));
        parents.extend(children.iter().flat_map(|p| p.organizational_units()).filter_map(|c| c.id().map(str::to_owned)));
        seen.push(parent);
    }
    found.sort();
    found.dedup();
    Ok(found)
}
