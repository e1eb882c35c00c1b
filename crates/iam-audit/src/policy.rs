//! IAM policy documents and the part of IAM's evaluation an audit needs: statements with
//! Action/NotAction, Resource/NotResource, wildcards (`*`, `?`; actions case-insensitive),
//! explicit Deny over Allow, and conditions (an Allow under a condition grants only
//! conditionally, so it is not counted as an unconditional grant).

use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub effect: Effect,
    /// (patterns, negated: NotAction)
    pub actions: (Vec<String>, bool),
    /// (patterns, negated: NotResource); a trust policy has none.
    pub resources: (Vec<String>, bool),
    /// The Principal block (trust policies), as written; with `not_principal`, the NotPrincipal block.
    pub principal: Option<Value>,
    pub not_principal: bool,
    /// The Condition block, as written (`None` when absent or empty).
    pub condition: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PolicyDocument {
    pub statements: Vec<Statement>,
}

/// A string or a list of strings.
fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect(),
        _ => Vec::new(),
    }
}

/// IAM returns documents URL-encoded (RFC 3986); saved CLI output has them decoded. A stray
/// `%` or an escape that is not UTF-8 is kept as it is, never a panic.
pub fn decode(text: &str) -> std::borrow::Cow<'_, str> {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy()
}

impl PolicyDocument {
    /// From a JSON value (an object), or from its text (URL-encoded or not).
    pub fn from_value(v: &Value) -> PolicyDocument {
        match v {
            Value::String(text) => PolicyDocument::parse(text),
            other => PolicyDocument::from_object(other),
        }
    }

    pub fn parse(text: &str) -> PolicyDocument {
        // Text that is already JSON is not decoded again: a literal `%20` in a resource stays.
        let parsed =
            if text.trim_start().starts_with('{') { serde_json::from_str::<Value>(text) } else { serde_json::from_str(&decode(text)) };
        parsed.map(|v| PolicyDocument::from_object(&v)).unwrap_or_default()
    }

    fn from_object(v: &Value) -> PolicyDocument {
        let list = match v.get("Statement") {
            Some(Value::Array(a)) => a.clone(),
            Some(one @ Value::Object(_)) => vec![one.clone()],
            _ => Vec::new(),
        };
        let statements = list
            .iter()
            .filter_map(|s| {
                let (actions, not_action) = match s.get("NotAction") {
                    Some(na) => (strings(Some(na)), true),
                    None => (strings(s.get("Action")), false),
                };
                let (resources, not_resource) = match s.get("NotResource") {
                    Some(nr) => (strings(Some(nr)), true),
                    None => (strings(s.get("Resource")), false),
                };
                // IAM accepts only Allow and Deny, and a NotAction/NotResource that lists
                // something: a statement outside that grammar cannot be in force, so it
                // grants nothing (rather than "everything", or a Deny read as an Allow).
                let effect = match s.get("Effect").and_then(Value::as_str).map(str::trim) {
                    Some(e) if e.eq_ignore_ascii_case("Allow") => Effect::Allow,
                    Some(e) if e.eq_ignore_ascii_case("Deny") => Effect::Deny,
                    _ => return None,
                };
                if (not_action && actions.is_empty()) || (not_resource && resources.is_empty()) {
                    return None;
                }
                Some(Statement {
                    effect,
                    actions: (actions, not_action),
                    resources: (resources, not_resource),
                    principal: s.get("Principal").or_else(|| s.get("NotPrincipal")).cloned(),
                    not_principal: s.get("Principal").is_none() && s.get("NotPrincipal").is_some(),
                    condition: s.get("Condition").filter(|c| c.as_object().is_some_and(|o| !o.is_empty())).cloned(),
                })
            })
            .collect();
        PolicyDocument { statements }
    }
}

pub use awsops_core::wildcard::matches as wildcard;

impl Statement {
    pub fn matches_action(&self, action: &str) -> bool {
        let (patterns, negated) = &self.actions;
        let hit = patterns.iter().any(|p| wildcard(p, action, true));
        hit != *negated
    }

    pub fn matches_resource(&self, resource: &str) -> bool {
        let (patterns, negated) = &self.resources;
        if patterns.is_empty() && !negated {
            return false;
        }
        let hit = patterns.iter().any(|p| wildcard(p, resource, false));
        hit != *negated
    }

    /// An Allow of `svc:*` (a whole service), not `*`.
    pub fn service_wildcards(&self) -> Vec<&str> {
        if self.effect != Effect::Allow || self.actions.1 {
            return Vec::new();
        }
        self.actions.0.iter().filter(|a| a.ends_with(":*") && a.len() > 2).map(String::as_str).collect()
    }
}

/// What a set of policies decides for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// An unconditional Allow and no Deny that could apply.
    Allowed,
    /// Allowed only under conditions (or a conditional Deny may apply): not a sure grant.
    Conditional,
    /// An explicit Deny applies, or nothing allows.
    Denied,
}

/// IAM's evaluation for identity policies: an explicit Deny wins (a conditional Deny makes
/// an Allow uncertain), then an unconditional Allow, then a conditional one, else implicit deny.
pub fn evaluate<'a>(policies: impl IntoIterator<Item = &'a PolicyDocument> + Clone, action: &str, resource: &str) -> Decision {
    let applies = |s: &&Statement| s.matches_action(action) && s.matches_resource(resource);
    let statements = || policies.clone().into_iter().flat_map(|p| p.statements.iter()).filter(applies);
    let mut conditional_deny = false;
    for s in statements().filter(|s| s.effect == Effect::Deny) {
        if s.condition.is_none() {
            return Decision::Denied;
        }
        conditional_deny = true;
    }
    let allows: Vec<&Statement> = statements().filter(|s| s.effect == Effect::Allow).collect();
    if allows.iter().any(|s| s.condition.is_none()) {
        return if conditional_deny { Decision::Conditional } else { Decision::Allowed };
    }
    if allows.is_empty() { Decision::Denied } else { Decision::Conditional }
}

/// Actions and resources that only an administrator holds all of: a policy that allows all
/// of them unconditionally is admin-equivalent (`*` on `*`, or NotAction forms that leave them).
pub const ADMIN_PROBES: [(&str, &str); 6] = [
    ("iam:CreateUser", "*"),
    ("iam:AttachRolePolicy", "*"),
    ("ec2:RunInstances", "*"),
    ("s3:DeleteBucket", "*"),
    ("kms:ScheduleKeyDeletion", "*"),
    ("organizations:LeaveOrganization", "*"),
];

pub fn is_admin_equivalent<'a>(policies: impl IntoIterator<Item = &'a PolicyDocument> + Clone) -> bool {
    ADMIN_PROBES.iter().all(|(a, r)| evaluate(policies.clone(), a, r) == Decision::Allowed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn doc(json: &str) -> PolicyDocument {
        PolicyDocument::parse(json)
    }

    #[test]
    fn wildcards_match_like_iam() {
        assert!(wildcard("iam:*", "IAM:CreateUser", true));
        assert!(wildcard("iam:Create*", "iam:createuser", true));
        assert!(!wildcard("iam:Create*", "iam:DeleteUser", true));
        assert!(wildcard("s3:Get?bject", "s3:GetObject", true));
        assert!(wildcard("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b", false));
        assert!(!wildcard("arn:aws:s3:::bucket/*", "arn:aws:s3:::Bucket/a", false), "resources are case-sensitive");
        assert!(wildcard("*", "", false));
    }

    #[test]
    fn documents_parse_in_every_shape() {
        let encoded =
            "%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%7D";
        let d = doc(encoded);
        assert_eq!(d.statements.len(), 1);
        assert_eq!(d.statements[0].actions.0, ["s3:*"]);
        assert_eq!(d.statements[0].service_wildcards(), ["s3:*"]);
        for outside_the_grammar in [
            r#"{"Statement":{"Effect":"deny ","Action":"*","Resource":"*"}}"#,
            r#"{"Statement":{"Effect":"Permit","Action":"*","Resource":"*"}}"#,
            r#"{"Statement":{"Action":"*","Resource":"*"}}"#,
            r#"{"Statement":{"Effect":"Allow","NotAction":null,"Resource":"*"}}"#,
            r#"{"Statement":{"Effect":"Allow","NotAction":[],"Resource":"*"}}"#,
        ] {
            let d = doc(outside_the_grammar);
            assert!(d.statements.iter().all(|s| s.effect == Effect::Deny), "{outside_the_grammar}: grants nothing");
        }
        assert_eq!(doc(r#"{"Statement":{"Effect":"deny","Action":"*","Resource":"*"}}"#).statements[0].effect, Effect::Deny);
        let d = doc(r#"{"Statement":[{"Effect":"Deny","NotAction":["iam:*"],"NotResource":"arn:x","Condition":{}}]}"#);
        assert_eq!(d.statements[0].effect, Effect::Deny);
        assert!(d.statements[0].actions.1 && d.statements[0].resources.1 && d.statements[0].condition.is_none());
        assert!(doc("not json").statements.is_empty());
    }

    #[test]
    fn hostile_escapes_decode_without_panic() {
        assert_eq!(decode("arn:x/%aé"), "arn:x/%aé");
        assert_eq!(decode("%"), "%");
        assert_eq!(decode("%zz%4"), "%zz%4");
        assert_eq!(decode("a%2Fb%C3%A9"), "a/bé");
        assert_eq!(decode("%FF"), "\u{FFFD}");
        assert!(doc("%7B%22Statement%22%3A%5B%5D%7D%aé").statements.is_empty());
        let d = doc(
            "%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22arn%3Ax%2F%25a%C3%A9%22%7D%7D",
        );
        assert_eq!(d.statements[0].resources.0, ["arn:x/%aé"]);
        let plain = doc(r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/100%20off"}}"#);
        assert_eq!(plain.statements[0].resources.0, ["arn:aws:s3:::b/100%20off"], "decoded text is not decoded twice");
    }

    #[test]
    fn deny_beats_allow_and_conditions_weaken() {
        let allow_all = doc(r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#);
        let deny_iam = doc(r#"{"Statement":{"Effect":"Deny","Action":"iam:*","Resource":"*"}}"#);
        let deny_iam_if = doc(
            r#"{"Statement":{"Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}}"#,
        );
        let allow_if = doc(
            r#"{"Statement":{"Effect":"Allow","Action":"iam:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}"#,
        );
        assert_eq!(evaluate([&allow_all], "iam:CreateUser", "*"), Decision::Allowed);
        assert_eq!(evaluate([&allow_all, &deny_iam], "iam:CreateUser", "*"), Decision::Denied);
        assert_eq!(evaluate([&allow_all, &deny_iam], "s3:GetObject", "*"), Decision::Allowed);
        assert_eq!(evaluate([&allow_all, &deny_iam_if], "iam:CreateUser", "*"), Decision::Conditional);
        assert_eq!(evaluate([&allow_if], "iam:CreateUser", "*"), Decision::Conditional);
        assert_eq!(evaluate([&allow_if], "s3:GetObject", "*"), Decision::Denied);
        assert_eq!(evaluate(std::iter::empty::<&PolicyDocument>(), "s3:GetObject", "*"), Decision::Denied);
    }

    #[test]
    fn not_action_and_not_resource() {
        let all_but_iam = doc(r#"{"Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}"#);
        assert_eq!(evaluate([&all_but_iam], "ec2:RunInstances", "*"), Decision::Allowed);
        assert_eq!(evaluate([&all_but_iam], "iam:PassRole", "*"), Decision::Denied);
        let not_prod = doc(r#"{"Statement":{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::prod/*"}}"#);
        assert_eq!(evaluate([&not_prod], "s3:GetObject", "arn:aws:s3:::dev/x"), Decision::Allowed);
        assert_eq!(evaluate([&not_prod], "s3:GetObject", "arn:aws:s3:::prod/x"), Decision::Denied);
    }

    #[test]
    fn admin_equivalence_includes_not_action_forms() {
        let star = doc(r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#);
        let not_action = doc(r#"{"Statement":{"Effect":"Allow","NotAction":["aws-portal:*"],"Resource":"*"}}"#);
        let power_user = doc(r#"{"Statement":{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"}}"#);
        let s3 = doc(r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#);
        assert!(is_admin_equivalent([&star]));
        assert!(is_admin_equivalent([&not_action]));
        assert!(!is_admin_equivalent([&power_user]));
        assert!(!is_admin_equivalent([&s3]));
    }

    proptest! {
        #[test]
        fn an_unconditional_deny_always_wins(action in "[a-z]{2,5}:[A-Za-z]{1,8}", resource in "arn:aws:[a-z]{1,4}:::[a-z/]{0,8}") {
            let allow = doc(r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#);
            let deny = PolicyDocument::from_value(&serde_json::json!({"Statement": {"Effect": "Deny", "Action": action, "Resource": resource}}));
            prop_assert_eq!(evaluate([&allow, &deny], &action, &resource), Decision::Denied);
            prop_assert_eq!(evaluate([&deny, &allow], &action, &resource), Decision::Denied);
            prop_assert_eq!(evaluate([&allow], &action, &resource), Decision::Allowed);
        }

        #[test]
        fn a_literal_pattern_matches_itself_and_star_matches_all(text in "[a-zA-Z0-9:/*?-]{0,20}", other in "[a-zA-Z0-9:/-]{0,20}") {
            let literal: String = text.chars().filter(|c| *c != '*' && *c != '?').collect();
            prop_assert!(wildcard(&literal, &literal, false));
            prop_assert!(wildcard("*", &other, false));
            let (prefix, text) = (format!("{literal}*"), format!("{literal}{other}"));
            prop_assert!(wildcard(&prefix, &text, false));
        }
    }
}
