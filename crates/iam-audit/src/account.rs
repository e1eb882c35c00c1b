//! An account's principals and policies as the checks see them, built from
//! GetAccountAuthorizationDetails (live) or from its saved JSON (`aws iam
//! get-account-authorization-details > details.json`, for offline audits).

use crate::policy::PolicyDocument;
use aws_sdk_iam::operation::get_account_authorization_details::GetAccountAuthorizationDetailsOutput;
use awsops_core::{Error, Result};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Debug, Clone, Default)]
pub struct Principal {
    pub name: String,
    pub arn: String,
    /// Seconds since the epoch.
    pub created: Option<i64>,
    pub inline: Vec<(String, PolicyDocument)>,
    /// Managed policy ARNs attached directly.
    pub attached: Vec<String>,
    /// Users only: the groups they are in.
    pub groups: Vec<String>,
    /// Roles only.
    pub trust: Option<PolicyDocument>,
    /// The permissions boundary's policy ARN (users and roles).
    pub boundary: Option<String>,
    pub last_used: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct ManagedPolicy {
    pub name: String,
    pub arn: String,
    pub document: PolicyDocument,
    pub aws_managed: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Account {
    pub id: String,
    pub users: Vec<Principal>,
    pub groups: Vec<Principal>,
    pub roles: Vec<Principal>,
    /// The managed policies a principal holds (attached or as its boundary), and every customer one.
    pub policies: BTreeMap<String, ManagedPolicy>,
    /// How many managed policies the input listed (AWS's own included, held or not).
    pub policies_listed: usize,
    /// AWS managed policies that no principal held when listed (AttachmentCount 0): their
    /// document text, parsed in `finish` only if a principal turns out to hold one. An
    /// emulator (or a full dump) lists all ~1,300 of AWS's policies; parsing them all was
    /// most of an audit's CPU.
    pub(crate) unheld: HashMap<String, (String, String)>,
}

impl Account {
    pub fn account_of(arn: &str) -> String {
        arn.split(':').nth(4).unwrap_or_default().to_owned()
    }

    /// The account id from the first ARN that names one (users, roles, groups, customer policies).
    fn find_id(&mut self) {
        let principals = self.users.iter().chain(&self.roles).chain(&self.groups).map(|p| p.arn.as_str());
        let policies = self.policies.values().filter(|p| !p.aws_managed).map(|p| p.arn.as_str());
        self.id = principals.chain(policies).map(Account::account_of).find(|a| !a.is_empty()).unwrap_or_default();
    }

    /// A managed policy's name, or its ARN when the input has none (never a blank).
    fn policy_name(name: Option<&str>, arn: &str) -> String {
        name.filter(|n| !n.trim().is_empty()).unwrap_or(arn).to_owned()
    }

    /// Adds one page of the API's answer (so a page can be dropped once read).
    pub fn add_page(&mut self, mut page: GetAccountAuthorizationDetailsOutput) {
        let account = self;
        for u in page.user_detail_list() {
            account.users.push(Principal {
                name: u.user_name().unwrap_or_default().to_owned(),
                arn: u.arn().unwrap_or_default().to_owned(),
                created: u.create_date().map(|d| d.secs()),
                inline: u
                    .user_policy_list()
                    .iter()
                    .map(|p| {
                        (p.policy_name().unwrap_or_default().to_owned(), PolicyDocument::parse(p.policy_document().unwrap_or_default()))
                    })
                    .collect(),
                attached: u.attached_managed_policies().iter().filter_map(|a| a.policy_arn().map(str::to_owned)).collect(),
                groups: u.group_list().to_vec(),
                boundary: u.permissions_boundary().and_then(|b| b.permissions_boundary_arn()).map(str::to_owned),
                ..Principal::default()
            });
        }
        for g in page.group_detail_list() {
            account.groups.push(Principal {
                name: g.group_name().unwrap_or_default().to_owned(),
                arn: g.arn().unwrap_or_default().to_owned(),
                created: g.create_date().map(|d| d.secs()),
                inline: g
                    .group_policy_list()
                    .iter()
                    .map(|p| {
                        (p.policy_name().unwrap_or_default().to_owned(), PolicyDocument::parse(p.policy_document().unwrap_or_default()))
                    })
                    .collect(),
                attached: g.attached_managed_policies().iter().filter_map(|a| a.policy_arn().map(str::to_owned)).collect(),
                ..Principal::default()
            });
        }
        for r in page.role_detail_list() {
            account.roles.push(Principal {
                name: r.role_name().unwrap_or_default().to_owned(),
                arn: r.arn().unwrap_or_default().to_owned(),
                created: r.create_date().map(|d| d.secs()),
                inline: r
                    .role_policy_list()
                    .iter()
                    .map(|p| {
                        (p.policy_name().unwrap_or_default().to_owned(), PolicyDocument::parse(p.policy_document().unwrap_or_default()))
                    })
                    .collect(),
                attached: r.attached_managed_policies().iter().filter_map(|a| a.policy_arn().map(str::to_owned)).collect(),
                trust: r.assume_role_policy_document().map(PolicyDocument::parse),
                last_used: r.role_last_used().and_then(|l| l.last_used_date()).map(|d| d.secs()),
                boundary: r.permissions_boundary().and_then(|b| b.permissions_boundary_arn()).map(str::to_owned),
                ..Principal::default()
            });
        }
        for p in page.policies.take().unwrap_or_default() {
            account.policies_listed += 1;
            let arn = p.arn.unwrap_or_default();
            let name = Account::policy_name(p.policy_name.as_deref(), &arn);
            let text = p.policy_version_list.unwrap_or_default().into_iter().find(|v| v.is_default_version).and_then(|v| v.document);
            let aws_managed = arn.contains(":iam::aws:");
            if aws_managed && p.attachment_count == Some(0) && p.permissions_boundary_usage_count.unwrap_or(0) == 0 {
                account.unheld.insert(arn, (name, text.unwrap_or_default()));
                continue;
            }
            let document = text.as_deref().map(PolicyDocument::parse).unwrap_or_default();
            account.policies.insert(arn.clone(), ManagedPolicy { name, aws_managed, arn, document });
        }
    }

    /// The ARNs of the managed policies principals hold (attached or as a boundary).
    fn held(&self) -> HashSet<&str> {
        let principals = self.users.iter().chain(&self.groups).chain(&self.roles);
        principals.flat_map(|p| p.attached.iter().chain(&p.boundary)).map(String::as_str).collect()
    }

    /// After the last page: parses the AWS managed policies that turned out to be held.
    pub fn finish(&mut self) {
        let unheld = std::mem::take(&mut self.unheld);
        let held: HashSet<String> = self.held().into_iter().map(str::to_owned).collect();
        for (arn, (name, text)) in unheld.into_iter().filter(|(arn, _)| held.contains(arn)) {
            let document = PolicyDocument::parse(&text);
            self.policies.insert(arn.clone(), ManagedPolicy { name, aws_managed: true, arn, document });
        }
        self.find_id();
    }

    /// From the saved JSON of `aws iam get-account-authorization-details` (documents may be
    /// objects or URL-encoded strings; dates ISO 8601).
    pub fn from_saved(value: &Value, origin: &str) -> Result<Account> {
        if value.get("UserDetailList").is_none() && value.get("RoleDetailList").is_none() {
            return Err(Error::usage(format!(
                "{origin}: not the output of get-account-authorization-details (no UserDetailList/RoleDetailList)"
            )));
        }
        let list = |key: &str| value.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
        let inline = |v: &Value, key: &str| {
            v.get(key)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|p| (text(p, "PolicyName"), PolicyDocument::from_value(p.get("PolicyDocument").unwrap_or(&Value::Null))))
                        .collect()
                })
                .unwrap_or_default()
        };
        let attached = |v: &Value| {
            v.get("AttachedManagedPolicies")
                .and_then(Value::as_array)
                .map(|a| a.iter().map(|p| text(p, "PolicyArn")).collect())
                .unwrap_or_default()
        };
        let boundary = |v: &Value| {
            v.get("PermissionsBoundary").and_then(|b| b.get("PermissionsBoundaryArn")).and_then(Value::as_str).map(str::to_owned)
        };
        let date = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).and_then(crate::credential_report::parse_time);
        let mut account = Account::default();
        for u in list("UserDetailList") {
            account.users.push(Principal {
                name: text(u, "UserName"),
                arn: text(u, "Arn"),
                created: date(u, "CreateDate"),
                inline: inline(u, "UserPolicyList"),
                attached: attached(u),
                groups: u
                    .get("GroupList")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(|g| g.as_str().map(str::to_owned)).collect())
                    .unwrap_or_default(),
                boundary: boundary(u),
                ..Principal::default()
            });
        }
        for g in list("GroupDetailList") {
            account.groups.push(Principal {
                name: text(g, "GroupName"),
                arn: text(g, "Arn"),
                created: date(g, "CreateDate"),
                inline: inline(g, "GroupPolicyList"),
                attached: attached(g),
                ..Principal::default()
            });
        }
        for r in list("RoleDetailList") {
            account.roles.push(Principal {
                name: text(r, "RoleName"),
                arn: text(r, "Arn"),
                created: date(r, "CreateDate"),
                inline: inline(r, "RolePolicyList"),
                attached: attached(r),
                trust: r.get("AssumeRolePolicyDocument").map(PolicyDocument::from_value),
                last_used: r.get("RoleLastUsed").and_then(|l| date(l, "LastUsedDate")),
                boundary: boundary(r),
                ..Principal::default()
            });
        }
        let held: HashSet<String> = account.held().into_iter().map(str::to_owned).collect();
        for p in list("Policies") {
            account.policies_listed += 1;
            let arn = text(p, "Arn");
            if arn.contains(":iam::aws:") && !held.contains(&arn) {
                continue;
            }
            let document = p
                .get("PolicyVersionList")
                .and_then(Value::as_array)
                .and_then(|vs| vs.iter().find(|v| v.get("IsDefaultVersion").and_then(Value::as_bool) == Some(true)))
                .and_then(|v| v.get("Document"))
                .map(PolicyDocument::from_value)
                .unwrap_or_default();
            account.policies.insert(
                arn.clone(),
                ManagedPolicy {
                    name: Account::policy_name(p.get("PolicyName").and_then(Value::as_str), &arn),
                    aws_managed: arn.contains(":iam::aws:"),
                    arn,
                    document,
                },
            );
        }
        account.finish();
        Ok(account)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn saved_files_keep_boundaries_and_name_nameless_policies_by_arn() {
        let saved = json!({
            "UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::123456789012:user/u",
                "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::123456789012:policy/fence"}}],
            "RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::123456789012:role/r", "CreateDate": "2020-01-01T09:00:00+09:00"}],
            "Policies": [
                {"Arn": "arn:aws:iam::123456789012:policy/fence", "PolicyVersionList": [{"IsDefaultVersion": true, "Document": {"Statement": []}}]},
                {"PolicyName": "  ", "Arn": "arn:aws:iam::123456789012:policy/blank"},
                {"PolicyName": "named", "Arn": "arn:aws:iam::123456789012:policy/named"}
            ]
        });
        let a = Account::from_saved(&saved, "test").unwrap();
        assert_eq!(a.id, "123456789012");
        assert_eq!(a.users[0].boundary.as_deref(), Some("arn:aws:iam::123456789012:policy/fence"));
        assert_eq!(a.roles[0].created, Some(1_577_836_800), "offsets are honoured");
        assert_eq!(a.policies["arn:aws:iam::123456789012:policy/fence"].name, "arn:aws:iam::123456789012:policy/fence");
        assert_eq!(a.policies["arn:aws:iam::123456789012:policy/blank"].name, "arn:aws:iam::123456789012:policy/blank");
        assert_eq!(a.policies["arn:aws:iam::123456789012:policy/named"].name, "named");
    }

    #[test]
    fn aws_policies_nobody_holds_are_counted_but_not_parsed() {
        use aws_sdk_iam::types::{AttachedPolicy, ManagedPolicyDetail, PolicyVersion, UserDetail};
        let policy = |arn: &str, attachments: i32| {
            ManagedPolicyDetail::builder()
                .arn(arn)
                .policy_name(arn.rsplit('/').next().unwrap())
                .attachment_count(attachments)
                .policy_version_list(
                    PolicyVersion::builder()
                        .is_default_version(true)
                        .document("%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%7D")
                        .build(),
                )
                .build()
        };
        // The first page names a user holding an AWS policy listed (with AttachmentCount 0, as a
        // stale count could say) on the second page.
        let first = GetAccountAuthorizationDetailsOutput::builder()
            .user_detail_list(
                UserDetail::builder()
                    .user_name("u")
                    .arn("arn:aws:iam::123456789012:user/u")
                    .attached_managed_policies(AttachedPolicy::builder().policy_arn("arn:aws:iam::aws:policy/Held").build())
                    .build(),
            )
            .build();
        let second = GetAccountAuthorizationDetailsOutput::builder()
            .policies(policy("arn:aws:iam::aws:policy/Held", 0))
            .policies(policy("arn:aws:iam::aws:policy/Unheld", 0))
            .policies(policy("arn:aws:iam::aws:policy/Counted", 3))
            .policies(policy("arn:aws:iam::123456789012:policy/Mine", 0))
            .build();
        let mut a = Account::default();
        a.add_page(first);
        a.add_page(second);
        a.finish();
        assert_eq!(a.policies_listed, 4);
        let kept: Vec<&str> = a.policies.keys().map(String::as_str).collect();
        assert_eq!(kept, ["arn:aws:iam::123456789012:policy/Mine", "arn:aws:iam::aws:policy/Counted", "arn:aws:iam::aws:policy/Held"]);
        assert_eq!(a.policies["arn:aws:iam::aws:policy/Held"].document.statements.len(), 1);
        assert!(a.unheld.is_empty());
        assert_eq!(a.id, "123456789012");
    }
}
