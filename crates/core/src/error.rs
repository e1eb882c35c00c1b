//! Errors and exit statuses: every failure becomes one line on stderr and one of the
//! statuses DESIGN.md defines (0, 1, 2, 3, 130), so scripts can branch on them.

use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Exit statuses shared by every command.
pub mod exit {
    pub const SUCCESS: i32 = 0;
    pub const FAILED: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const FOUND: i32 = 3;
    pub const INTERRUPTED: i32 = 130;
}

/// What a command reports when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything asked was done (status 0).
    Success,
    /// Completed, but found what the user asked to fail on (status 3).
    FoundFailures,
    /// A status handed through from elsewhere, e.g. a remote command's (`bastion-ssh exec`).
    Status(u8),
}

impl Outcome {
    pub fn exit_code(self) -> i32 {
        match self {
            Outcome::Success => exit::SUCCESS,
            Outcome::FoundFailures => exit::FOUND,
            Outcome::Status(code) => i32::from(code),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input or usage, caught before anything changed (status 2).
    #[error("{0}")]
    Usage(String),
    /// An AWS call failed (status 1).
    #[error("{operation} failed: {message}{}{}", code_suffix(.code), hint_suffix(.hint))]
    Aws { operation: String, code: Option<String>, message: String, hint: Option<String>, detail: String },
    /// A wait ran past its deadline (status 1).
    #[error("timed out after {after} waiting for {what}; raise --timeout or check the resource in the console")]
    Timeout { what: String, after: String },
    /// Any other failure of the operation (status 1).
    #[error("{0}")]
    Failed(String),
    /// Ctrl-C (status 130).
    #[error("interrupted")]
    Interrupted,
    /// stdout was closed by the reader (`| head`): stop quietly.
    #[error("stdout closed")]
    ClosedStdout,
}

fn code_suffix(code: &Option<String>) -> String {
    code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default()
}

fn hint_suffix(hint: &Option<String>) -> String {
    hint.as_deref().map(|h| format!("; {h}")).unwrap_or_default()
}

impl Error {
    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage(message.into())
    }

    pub fn failed(message: impl Into<String>) -> Self {
        Error::Failed(message.into())
    }

    /// The AWS error code, when this is an AWS error that carried one.
    pub fn aws_code(&self) -> Option<&str> {
        match self {
            Error::Aws { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => exit::USAGE,
            Error::Aws { .. } | Error::Timeout { .. } | Error::Failed(_) => exit::FAILED,
            Error::Interrupted => exit::INTERRUPTED,
            Error::ClosedStdout => exit::SUCCESS,
        }
    }

    /// The line printed on stderr (None when the error is to stay quiet), with the
    /// command name in front; `verbose` adds the SDK's full error chain.
    pub fn render(&self, command: &str, verbose: bool) -> Option<String> {
        match self {
            Error::ClosedStdout => None,
            Error::Aws { detail, .. } if verbose => Some(format!("{command}: {self}\n{command}: detail: {detail}")),
            _ => Some(format!("{command}: {self}")),
        }
    }

    /// Converts any SDK error, classifying it by its code (EC2 models almost no typed errors).
    pub fn from_aws<E>(operation: &str, err: E) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let detail = DisplayErrorContext(&err).to_string();
        // An error body the SDK could not parse (moto wraps IAM's and ELB's errors in
        // EC2's <Errors> element) still names its code and message in the raw response.
        let code = err.code().map(str::to_owned).or_else(|| crate::access::xml_element(&detail, "Code"));
        let message = match err.message() {
            Some(m) if !m.is_empty() => m.to_owned(),
            _ => crate::access::xml_element(&detail, "Message").unwrap_or_else(|| first_cause(&err)),
        };
        if code.is_none() && crate::access::credentials_missing(&detail) {
            let message = crate::access::no_credentials_message(|k| std::env::var(k).ok());
            return Error::Aws {
                operation: operation.to_owned(),
                code: None,
                message,
                hint: Some(crate::access::CREDENTIALS_HINT.into()),
                detail,
            };
        }
        if crate::access::is_denied(code.as_deref()) {
            let message = crate::access::denied_message(operation, &message);
            return Error::Aws { operation: operation.to_owned(), code, message, hint: Some(crate::access::DENIED_HINT.into()), detail };
        }
        let hint = hint_for(code.as_deref(), &detail).map(str::to_owned);
        Error::Aws { operation: operation.to_owned(), code, message, hint, detail }
    }
}

/// `call.send().await.map_err(aws_error("CreateVpc"))?`
pub fn aws_error<E>(operation: &'static str) -> impl FnOnce(E) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    move |err| Error::from_aws(operation, err)
}

/// The innermost cause, which for dispatch failures is the one that says what happened
/// ("Connection refused") rather than "dispatch failure".
fn first_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut current = err;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

/// What to do about the common failures, by AWS error code or transport symptom.
pub fn hint_for(code: Option<&str>, detail: &str) -> Option<&'static str> {
    match code {
        Some("AuthFailure" | "InvalidClientTokenId" | "UnrecognizedClientException" | "SignatureDoesNotMatch") => {
            Some("check the credentials in use (--profile, AWS_PROFILE, AWS_ACCESS_KEY_ID)")
        }
        Some("ExpiredToken" | "ExpiredTokenException" | "RequestExpired") => {
            Some("the credentials have expired: refresh them (aws sso login)")
        }
        Some("RequestLimitExceeded" | "Throttling" | "ThrottlingException") => Some("AWS is throttling the account; retry later"),
        Some(c) if c.ends_with("LimitExceeded") => Some("a service quota is reached: free some or request an increase"),
        None if detail.contains("dispatch failure") || detail.contains("Connection refused") => {
            Some("could not reach the endpoint: check --region, --endpoint-url and the network")
        }
        _ => None,
    }
}

/// An AWS error whose code says the named thing does not exist.
pub fn is_not_found(err: &Error) -> bool {
    err.aws_code().is_some_and(|c| c.contains("NotFound") || c.contains("NoSuch") || c.ends_with(".Malformed"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_its_exit_status() {
        assert_eq!(Error::usage("x").exit_code(), 2);
        assert_eq!(Error::failed("x").exit_code(), 1);
        assert_eq!(Error::Timeout { what: "x".into(), after: "1s".into() }.exit_code(), 1);
        let aws = Error::Aws { operation: "CreateVpc".into(), code: None, message: "m".into(), hint: None, detail: "d".into() };
        assert_eq!(aws.exit_code(), 1);
        assert_eq!(Error::Interrupted.exit_code(), 130);
        assert_eq!(Error::ClosedStdout.exit_code(), 0);
    }

    #[test]
    fn outcomes_map_to_statuses() {
        assert_eq!(Outcome::Success.exit_code(), 0);
        assert_eq!(Outcome::FoundFailures.exit_code(), 3);
        assert_eq!(Outcome::Status(255).exit_code(), 255);
        assert_eq!(Outcome::Status(7).exit_code(), 7);
    }

    #[test]
    fn render_is_one_line_with_the_command_name() {
        let aws = Error::Aws {
            operation: "CreateVpc".into(),
            code: Some("VpcLimitExceeded".into()),
            message: "The maximum number of VPCs has been reached.".into(),
            hint: hint_for(Some("VpcLimitExceeded"), "").map(str::to_owned),
            detail: "service error: ...".into(),
        };
        let line = aws.render("vpc-bootstrap", false).unwrap();
        assert_eq!(
            line,
            "vpc-bootstrap: CreateVpc failed: The maximum number of VPCs has been reached. (VpcLimitExceeded); a service quota is reached: free some or request an increase"
        );
        assert!(!line.contains('\n'));
        assert!(aws.render("vpc-bootstrap", true).unwrap().contains("detail: service error"));
        assert_eq!(Error::ClosedStdout.render("x", true), None);
        assert_eq!(Error::usage("bad CIDR 10.0.0.0/33").render("vpc-bootstrap", false).unwrap(), "vpc-bootstrap: bad CIDR 10.0.0.0/33");
    }

    #[test]
    fn hints_cover_transport_and_auth() {
        assert!(hint_for(None, "dispatch failure: io error: Connection refused").unwrap().contains("--endpoint-url"));
        assert!(hint_for(Some("AuthFailure"), "").unwrap().contains("credentials"));
        assert_eq!(hint_for(Some("InvalidParameterValue"), ""), None);
    }

    #[test]
    fn not_found_codes_are_recognised() {
        let mk =
            |c: &str| Error::Aws { operation: "x".into(), code: Some(c.into()), message: String::new(), hint: None, detail: String::new() };
        assert!(is_not_found(&mk("InvalidInstanceID.NotFound")));
        assert!(is_not_found(&mk("NoSuchHostedZone")));
        assert!(!is_not_found(&mk("AuthFailure")));
        assert!(!is_not_found(&Error::usage("x")));
    }
}
