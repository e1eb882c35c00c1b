//! What an AccessDenied or a missing credential means, said in one line: the IAM action
//! the denied operation needs (from AWS's message, else from the command's declared
//! grants) and `--print-policy`; for missing credentials, the sources the SDK's
//! default chain tried — instead of the SDK's multi-line error and a transport hint.

/// The error codes AWS services use for "the caller may not do this".
pub fn is_denied(code: Option<&str>) -> bool {
    matches!(code, Some("UnauthorizedOperation" | "AccessDenied" | "AccessDeniedException" | "UnauthorizedAccess" | "Forbidden"))
}

pub const DENIED_HINT: &str = "--print-policy prints the IAM policy this invocation needs";

pub const CREDENTIALS_HINT: &str = "set credentials (aws configure, aws sso login, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY); --print-policy prints the IAM policy they need";

/// `denied by IAM: the caller lacks ec2:CreateVpc` — the action from AWS's message
/// ("… is not authorized to perform: ec2:CreateVpc on resource …"), else the action
/// the command declares for the operation, else the operation itself.
pub fn denied_message(operation: &str, aws_message: &str) -> String {
    let action = action_in_message(aws_message)
        .map(str::to_owned)
        .or_else(|| crate::permissions::action_of(operation).map(str::to_owned))
        .unwrap_or_else(|| format!("the permission for {operation}"));
    format!("denied by IAM: the caller lacks {action}")
}

/// The `service:Action` after "perform: " in an AWS authorization message.
pub fn action_in_message(message: &str) -> Option<&str> {
    let after = message.split_once("perform: ")?.1;
    let action = after.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '<' | '"')).next()?;
    let (service, name) = action.split_once(':')?;
    let ok = !service.is_empty()
        && service.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric());
    ok.then_some(action)
}

/// The text of the first `<name>…</name>` in a raw XML error body (as the SDK's error
/// display shows it), when it is a plain value.
pub fn xml_element(text: &str, name: &str) -> Option<String> {
    let start = text.find(&format!("<{name}>"))? + name.len() + 2;
    let len = text[start..].find(&format!("</{name}>"))?;
    let value = &text[start..start + len];
    (!value.is_empty() && value.len() <= 2048 && !value.contains('<')).then(|| value.to_owned())
}

/// Whether an SDK error (its full display) says no credentials could be loaded.
pub fn credentials_missing(detail: &str) -> bool {
    let lower = detail.to_ascii_lowercase();
    lower.contains("credentialsnotloaded")
        || lower.contains("no providers in chain provided credentials")
        || lower.contains("failed to load credentials")
}

/// One line naming the sources the default chain tried, from the environment it read.
pub fn no_credentials_message(env: impl Fn(&str) -> Option<String>) -> String {
    let profile = env("AWS_PROFILE").filter(|p| !p.is_empty()).unwrap_or_else(|| "default".into());
    let imds = if env("AWS_EC2_METADATA_DISABLED").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        "instance metadata (IMDS, disabled by AWS_EC2_METADATA_DISABLED)"
    } else {
        "instance metadata (IMDS)"
    };
    format!(
        "no AWS credentials: tried the environment (AWS_ACCESS_KEY_ID), profile {profile:?} in the config and credentials files (including SSO), web identity, the ECS container endpoint and {imds}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_action_comes_from_aws_message() {
        let moto = "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ec2:CreateVpc";
        assert_eq!(action_in_message(moto), Some("ec2:CreateVpc"));
        let aws = "You are not authorized to perform this operation. User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: elasticfilesystem:CreateFileSystem on resource: arn:aws:elasticfilesystem:… because no identity-based policy allows it. Encoded authorization failure message: abc";
        assert_eq!(action_in_message(aws), Some("elasticfilesystem:CreateFileSystem"));
        assert_eq!(action_in_message("You are not authorized to perform this operation."), None);
        assert_eq!(action_in_message("perform: rm -rf"), None);
        assert_eq!(denied_message("CreateVpc", moto), "denied by IAM: the caller lacks ec2:CreateVpc");
        assert_eq!(denied_message("NoSuchOp", "denied"), "denied by IAM: the caller lacks the permission for NoSuchOp");
    }

    #[test]
    fn codes_and_messages_come_from_a_body_the_sdk_could_not_parse() {
        let detail = r#"raw: Response { status: StatusCode(403), body: SdkBody { inner: Once(Some(b"<?xml version=\"1.0\"?>\n<ErrorResponse><Errors><Error><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/u is not authorized to perform: iam:GetAccountAuthorizationDetails</Message></Error></Errors></ErrorResponse>")) } }"#;
        assert_eq!(xml_element(detail, "Code").as_deref(), Some("AccessDenied"));
        let message = xml_element(detail, "Message").unwrap();
        assert_eq!(action_in_message(&message), Some("iam:GetAccountAuthorizationDetails"));
        assert_eq!(action_in_message("perform: iam:ListUsers</Message>"), Some("iam:ListUsers"));
        assert_eq!(xml_element("<Code></Code>", "Code"), None);
        assert_eq!(xml_element("no xml", "Code"), None);
    }

    #[test]
    fn missing_credentials_name_every_source_in_one_line() {
        assert!(credentials_missing("dispatch failure: other: Failed to load credentials from provider: CredentialsNotLoaded(…)"));
        assert!(!credentials_missing("dispatch failure: io error: Connection refused"));
        let line = no_credentials_message(|k| match k {
            "AWS_PROFILE" => Some("ci".into()),
            "AWS_EC2_METADATA_DISABLED" => Some("true".into()),
            _ => None,
        });
        assert!(!line.contains('\n'));
        for source in ["environment", "profile \"ci\"", "SSO", "web identity", "ECS", "IMDS, disabled"] {
            assert!(line.contains(source), "{source}: {line}");
        }
        assert!(no_credentials_message(|_| None).contains("profile \"default\""));
    }
}
