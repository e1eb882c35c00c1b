//! The IAM policy document `--print-policy` prints, rendered from an invocation's
//! [`Needs`]: one statement per `Sid`, ARNs filled from the flags, the stack's tag
//! conditions on mutating statements, and the `TagOnCreate` statement that EC2's
//! tag-on-create needs (`ec2:CreateTags` only as part of the creates that ask for it).
//! The output is a plain IAM document (`Version` 2012-10-17), ready for
//! `aws iam create-policy --policy-document file://…`, so it carries no `kind`.

use crate::ownership::{STACK_TAG, TOOL_TAG};
use crate::permissions::{Grant, Needs, Scope, Tagging};
use serde::Serialize;
use std::collections::BTreeMap;

pub const POLICY_VERSION: &str = "2012-10-17";

/// IAM's quotas on a policy's characters (whitespace not counted).
pub const MANAGED_POLICY_MAX: usize = 6144;
pub const ROLE_INLINE_POLICY_MAX: usize = 10240;

/// The `Sid` of the generated statement that lets EC2 creates tag what they make.
pub const TAG_ON_CREATE_SID: &str = "TagOnCreate";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyDocument {
    #[serde(rename = "Version")]
    pub version: &'static str,
    #[serde(rename = "Statement")]
    pub statements: Vec<Statement>,
}

/// `Condition`: operator → key → values.
pub type Conditions = BTreeMap<&'static str, BTreeMap<String, serde_json::Value>>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    #[serde(rename = "Sid")]
    pub sid: String,
    #[serde(rename = "Effect")]
    pub effect: &'static str,
    #[serde(rename = "Action")]
    pub actions: Vec<String>,
    #[serde(rename = "Resource")]
    pub resources: serde_json::Value,
    #[serde(rename = "Condition", skip_serializing_if = "BTreeMap::is_empty")]
    pub conditions: Conditions,
}

impl PolicyDocument {
    /// The policy for `needs`: statements in the order their grants were added.
    pub fn from_needs(needs: &Needs) -> PolicyDocument {
        let mut statements: Vec<Statement> = Vec::new();
        for grant in &needs.grants {
            let statement = statement(grant, &needs.scope);
            match statements.iter_mut().find(|s| s.sid == statement.sid) {
                // One Sid declared twice with the same scope (a grant shared by two code
                // paths in different words) is one statement.
                Some(same) if same.resources == statement.resources && same.conditions == statement.conditions => {
                    same.actions.extend(statement.actions);
                    same.actions.sort();
                    same.actions.dedup();
                }
                Some(_) => {
                    let n = statements.iter().filter(|s| s.sid.starts_with(&statement.sid)).count() + 1;
                    statements.push(Statement { sid: format!("{}{n}", statement.sid), ..statement });
                }
                None => statements.push(statement),
            }
        }
        let creates: Vec<&str> = needs
            .grants
            .iter()
            .filter(|g| g.tagging == Tagging::TagsOnCreate)
            .flat_map(|g| g.actions.iter().copied())
            .filter_map(|a| a.strip_prefix("ec2:"))
            .filter(|a| *a != "CreateTags")
            .collect();
        if !creates.is_empty() {
            statements.push(tag_on_create(&creates, &needs.scope));
        }
        PolicyDocument { version: POLICY_VERSION, statements }
    }

    /// Every action the document allows, sorted.
    pub fn actions(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self.statements.iter().flat_map(|s| s.actions.iter().map(String::as_str)).collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// The same document without the statement `sid`, for proving that each is needed.
    pub fn without(&self, sid: &str) -> PolicyDocument {
        PolicyDocument { version: self.version, statements: self.statements.iter().filter(|s| s.sid != sid).cloned().collect() }
    }

    /// The document as JSON, for checks that look into it.
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    /// Characters IAM counts against its size quotas (the document without whitespace).
    pub fn size(&self) -> usize {
        serde_json::to_string(self).map(|s| s.len()).unwrap_or_default()
    }

    /// What to say when the document is over IAM's size quota for a managed policy.
    pub fn size_note(&self) -> Option<String> {
        let size = self.size();
        (size > MANAGED_POLICY_MAX).then(|| {
            format!(
                "this policy is {size} characters, over the {MANAGED_POLICY_MAX} of a managed policy: attach it inline to a role (up to {ROLE_INLINE_POLICY_MAX}) or split its statements into two managed policies"
            )
        })
    }

    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

fn statement(grant: &Grant, scope: &Scope) -> Statement {
    let mut actions: Vec<String> = grant.actions.iter().map(|a| (*a).to_owned()).collect();
    actions.sort();
    actions.dedup();
    let resources = if grant.resources.is_empty() {
        serde_json::Value::from("*")
    } else {
        let mut arns: Vec<String> = grant.resources.iter().map(|t| scope.render(t)).collect();
        arns.dedup();
        serde_json::Value::from(arns)
    };
    let mut conditions = Conditions::new();
    match grant.tagging {
        Tagging::Untagged => {}
        Tagging::StackOwned => {
            conditions.insert("StringEquals", owner_condition("aws:ResourceTag", scope));
        }
        Tagging::TagsOnCreate => {
            conditions.insert("StringEquals", owner_condition("aws:RequestTag", scope));
        }
    }
    Statement { sid: grant.sid.to_owned(), effect: "Allow", actions, resources, conditions }
}

/// `aws:ResourceTag/awsops:stack = <stack>`, or the tool's tag when there is no stack.
fn owner_condition(prefix: &str, scope: &Scope) -> BTreeMap<String, serde_json::Value> {
    let (key, value) = match &scope.stack {
        Some(stack) => (STACK_TAG, stack.clone()),
        None => (TOOL_TAG, scope.tool.to_owned()),
    };
    BTreeMap::from([(format!("{prefix}/{key}"), serde_json::Value::from(value))])
}

/// `ec2:CreateTags` on any EC2 resource of the region, but only inside the creates below.
fn tag_on_create(creates: &[&str], scope: &Scope) -> Statement {
    let mut creates: Vec<String> = creates.iter().map(|c| (*c).to_owned()).collect();
    creates.sort();
    creates.dedup();
    let mut conditions = Conditions::new();
    conditions.insert("StringEquals", BTreeMap::from([("ec2:CreateAction".to_owned(), serde_json::Value::from(creates))]));
    Statement {
        sid: TAG_ON_CREATE_SID.to_owned(),
        effect: "Allow",
        actions: vec!["ec2:CreateTags".to_owned()],
        resources: serde_json::Value::from(vec![scope.render("arn:{partition}:ec2:{region}:{account}:*/*")]),
        conditions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static READ: Grant = Grant::any("ReadNetwork", &["ec2:DescribeVpcs", "ec2:DescribeSubnets"]);
    static CREATE: Grant =
        Grant::any("CreateVpc", &["ec2:CreateVpc"]).on(&["arn:{partition}:ec2:{region}:{account}:vpc/*"]).tags_on_create();
    static DELETE: Grant = Grant::any("DeleteVpc", &["ec2:DeleteVpc"]).on(&["arn:{partition}:ec2:{region}:{account}:vpc/*"]).owned();
    static READ_MORE: Grant = Grant::any("ReadNetwork", &["ec2:DescribeRouteTables", "ec2:DescribeVpcs"]);
    static SCOPED_READ: Grant = Grant::any("ReadNetwork", &["ec2:DescribeImages"]).on(&["arn:aws:ec2:::image/*"]);

    fn needs(grants: &[&'static Grant], stack: Option<&str>) -> Needs {
        let mut scope = Scope::new("vpc-bootstrap", Some("ap-northeast-2"));
        scope.stack = stack.map(str::to_owned);
        let mut n = Needs::new(scope);
        n.add(grants);
        n
    }

    #[test]
    fn reads_are_on_star_without_conditions() {
        let doc = PolicyDocument::from_needs(&needs(&[&READ], Some("lab")));
        let json = serde_json::to_value(&doc).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "ReadNetwork", "Effect": "Allow", "Action": ["ec2:DescribeSubnets", "ec2:DescribeVpcs"], "Resource": "*"}
            ]})
        );
    }

    #[test]
    fn creates_carry_request_tags_and_the_tag_on_create_statement() {
        let doc = PolicyDocument::from_needs(&needs(&[&READ, &CREATE, &DELETE], Some("lab")));
        let json = serde_json::to_value(&doc).unwrap();
        let st = json["Statement"].as_array().unwrap();
        assert_eq!(st[1]["Resource"], serde_json::json!(["arn:aws:ec2:ap-northeast-2:*:vpc/*"]));
        assert_eq!(st[1]["Condition"], serde_json::json!({"StringEquals": {"aws:RequestTag/awsops:stack": "lab"}}));
        assert_eq!(st[2]["Condition"], serde_json::json!({"StringEquals": {"aws:ResourceTag/awsops:stack": "lab"}}));
        assert_eq!(
            st[3],
            serde_json::json!({"Sid": "TagOnCreate", "Effect": "Allow", "Action": ["ec2:CreateTags"],
                "Resource": ["arn:aws:ec2:ap-northeast-2:*:*/*"],
                "Condition": {"StringEquals": {"ec2:CreateAction": ["CreateVpc"]}}})
        );
        assert_eq!(doc.actions(), vec!["ec2:CreateTags", "ec2:CreateVpc", "ec2:DeleteVpc", "ec2:DescribeSubnets", "ec2:DescribeVpcs"]);
        assert_eq!(doc.without("TagOnCreate").statements.len(), 3);
    }

    #[test]
    fn a_policy_over_the_managed_quota_says_so() {
        static WIDE: Grant = Grant::any("Wide", &["ec2:DescribeVpcs"]).on(&[
            "arn:aws:ec2:ap-northeast-2:123456789012:vpc/vpc-0000000000000000000000000000000000000000000000000000000000000000000000000000000000",
        ]);
        let small = PolicyDocument::from_needs(&needs(&[&READ], None));
        assert_eq!(small.size_note(), None);
        assert_eq!(small.size(), serde_json::to_string(&small).unwrap().len());
        let mut many = small.clone();
        let one = PolicyDocument::from_needs(&needs(&[&WIDE], None)).statements.remove(0);
        for n in 0..60 {
            many.statements.push(Statement { sid: format!("Wide{n}"), ..one.clone() });
        }
        let note = many.size_note().unwrap();
        assert!(note.contains("6144") && note.contains("inline to a role"), "{note}");
    }

    #[test]
    fn without_a_stack_the_tool_tag_scopes_mutations() {
        let doc = PolicyDocument::from_needs(&needs(&[&DELETE], None));
        assert_eq!(
            serde_json::to_value(&doc.statements[0].conditions).unwrap(),
            serde_json::json!({"StringEquals": {"aws:ResourceTag/awsops:tool": "vpc-bootstrap"}})
        );
    }

    #[test]
    fn one_sid_twice_merges_or_is_numbered() {
        let doc = PolicyDocument::from_needs(&needs(&[&READ, &READ_MORE], None));
        assert_eq!(doc.statements.len(), 1);
        assert_eq!(doc.statements[0].actions, vec!["ec2:DescribeRouteTables", "ec2:DescribeSubnets", "ec2:DescribeVpcs"]);
        let doc = PolicyDocument::from_needs(&needs(&[&READ, &SCOPED_READ], None));
        let sids: Vec<&str> = doc.statements.iter().map(|s| s.sid.as_str()).collect();
        assert_eq!(sids, vec!["ReadNetwork", "ReadNetwork2"]);
    }
}
