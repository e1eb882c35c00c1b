//! Creates that AWS cannot deduplicate (no client token: `CreateVpc`, `AllocateAddress`,
//! `CreateImage`, ...) must never be re-sent blindly: when a response is lost after the
//! server acted, the SDK's standard retry makes a second resource. Such calls go out with
//! the SDK's retries off (`single_attempt`) through `create_once`, which retries only what
//! AWS guarantees was not done (throttling, 503) and, after an ambiguous failure (a reset,
//! a timeout, a truncated answer, a 500) or a "duplicate" answer, looks the resource up by
//! the tags the create carried before it tries again.

use crate::error::{Error, Result};
use crate::waiter::{backoff_delay, deadline_after};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::future::Future;
use std::time::Duration;

/// Attempts of one create, the first included.
pub const MAX_ATTEMPTS: u32 = 6;

/// What a failed create call tells about the resource it asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// AWS refused before acting (throttling, unavailable) or a dependency is not
    /// visible yet (`*.NotFound` just after its create): send again after a pause.
    NotDone,
    /// The request may have been carried out (connection lost after sending, timeout,
    /// an unreadable answer, an internal error): look for the resource before sending again.
    Ambiguous,
    /// AWS says something with this identity exists (`*.Duplicate`, a CIDR conflict):
    /// it may be the one a lost response made; look it up, and fail if it is not ours.
    Exists,
    /// A definite answer (bad parameter, quota, permission): report it.
    Final,
}

/// The service error codes that mean "throttled or unavailable, nothing was done".
fn throttled(code: &str) -> bool {
    matches!(
        code,
        "RequestLimitExceeded"
            | "Throttling"
            | "ThrottlingException"
            | "ThrottledException"
            | "RequestThrottled"
            | "RequestThrottledException"
            | "TooManyRequestsException"
            | "SlowDown"
            | "PriorRequestNotComplete"
            | "ServiceUnavailable"
            | "Unavailable"
            | "EC2ThrottledException"
    )
}

/// Classifies a service error by its code and HTTP status (pure, for tests).
pub fn classify_service(code: Option<&str>, status: u16) -> Failure {
    match code {
        Some(c) if throttled(c) => Failure::NotDone,
        Some(c) if c.ends_with(".NotFound") => Failure::NotDone,
        Some(c) if c.ends_with(".Duplicate") || c.ends_with("AlreadyExists") || c == "InvalidSubnet.Conflict" => Failure::Exists,
        Some("InternalError" | "InternalFailure" | "ServerInternal") => Failure::Ambiguous,
        _ if status == 503 || status == 429 => Failure::NotDone,
        _ if status >= 500 => Failure::Ambiguous,
        _ => Failure::Final,
    }
}

/// Classifies any SDK error.
pub fn classify<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> Failure {
    match err {
        SdkError::ConstructionFailure(_) => Failure::Final,
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => Failure::Ambiguous,
        SdkError::ServiceError(service) => classify_service(service.err().code(), service.raw().status().as_u16()),
        _ => Failure::Ambiguous,
    }
}

/// Sends a token-less create at most until one attempt is known to have acted.
///
/// `send` makes one attempt (its request built with [`single_attempt`] retries off);
/// `find` looks for the resource by the identity the create gave it (ownership tags,
/// a name unique in its scope) and returns its id. `Ok(id)` is the created or found
/// resource.
pub async fn create_once<T, E, F, Fut, L, LFut>(operation: &'static str, mut send: F, mut find: L) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = std::result::Result<T, SdkError<E, HttpResponse>>>,
    L: FnMut() -> LFut,
    LFut: Future<Output = Result<Option<T>>>,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let deadline = deadline_after(tokio::time::Instant::now(), Duration::from_secs(120));
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let err = match send().await {
            Ok(created) => return Ok(created),
            Err(err) => err,
        };
        let failure = classify(&err);
        let last = attempt >= MAX_ATTEMPTS || tokio::time::Instant::now() >= deadline;
        match failure {
            Failure::Final => return Err(Error::from_aws(operation, err)),
            Failure::Exists => {
                tracing::info!(operation, "create answered {:?}: looking for the resource it may have made", err.code());
                return match find_settled(&mut find).await? {
                    Some(found) => Ok(found),
                    None => Err(Error::from_aws(operation, err)),
                };
            }
            Failure::Ambiguous => {
                tracing::warn!(operation, "no clear answer ({}); looking for the resource before sending again", describe(&err));
                if let Some(found) = find_settled(&mut find).await? {
                    return Ok(found);
                }
                if last {
                    return Err(Error::from_aws(operation, err));
                }
            }
            Failure::NotDone if last => return Err(Error::from_aws(operation, err)),
            Failure::NotDone => tracing::debug!(operation, "not done ({}); sending again", describe(&err)),
        }
        tokio::time::sleep(backoff_delay(attempt - 1, Duration::from_millis(200), Duration::from_secs(5), fastrand::f64())).await;
    }
}

/// A lookup right after a create can miss it for a moment (EC2 is eventually
/// consistent), so a miss is asked again once after a pause before it counts.
async fn find_settled<T, L, LFut>(find: &mut L) -> Result<Option<T>>
where
    L: FnMut() -> LFut,
    LFut: Future<Output = Result<Option<T>>>,
{
    if let Some(found) = find().await? {
        return Ok(Some(found));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    find().await
}

fn describe<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> String {
    match err {
        SdkError::ServiceError(s) => s.err().code().unwrap_or("service error").to_owned(),
        SdkError::TimeoutError(_) => "timeout".into(),
        SdkError::DispatchFailure(_) => "connection failed".into(),
        SdkError::ResponseError(_) => "unreadable response".into(),
        _ => "error".into(),
    }
}

/// The id a create answered with, refused when empty (an answer without the field).
pub fn nonempty_id(operation: &str, id: String) -> Result<String> {
    if id.is_empty() { Err(Error::failed(format!("{operation} returned no id"))) } else { Ok(id) }
}

/// The retry setting of a token-less create's request: one attempt, `create_once`
/// decides the rest. `call.customize().config_override(ec2::config::Builder::from(..))`
/// takes it through each service's config builder.
pub fn single_attempt() -> aws_config::retry::RetryConfig {
    aws_config::retry::RetryConfig::disabled()
}

// The scripted answers have the shape every SDK send returns; its size is the SDK's.
#[cfg(test)]
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn service_errors_are_classified_by_code_then_status() {
        for code in ["RequestLimitExceeded", "Throttling", "ThrottlingException", "InvalidVpcID.NotFound"] {
            assert_eq!(classify_service(Some(code), 400), Failure::NotDone, "{code}");
        }
        assert_eq!(classify_service(Some("InvalidGroup.Duplicate"), 400), Failure::Exists);
        assert_eq!(classify_service(Some("InvalidAMIName.Duplicate"), 400), Failure::Exists);
        assert_eq!(classify_service(Some("InvalidSubnet.Conflict"), 400), Failure::Exists);
        assert_eq!(classify_service(Some("InternalError"), 500), Failure::Ambiguous);
        assert_eq!(classify_service(None, 500), Failure::Ambiguous);
        assert_eq!(classify_service(None, 503), Failure::NotDone);
        assert_eq!(classify_service(Some("VpcLimitExceeded"), 400), Failure::Final);
        assert_eq!(classify_service(Some("InvalidParameterValue"), 400), Failure::Final);
        assert_eq!(classify_service(Some("UnauthorizedOperation"), 403), Failure::Final);
    }

    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;
    use std::cell::Cell;

    type Answer = std::result::Result<&'static str, SdkError<ErrorMetadata, HttpResponse>>;

    fn service(code: &str, status: u16) -> Answer {
        let raw = HttpResponse::new(StatusCode::try_from(status).unwrap(), SdkBody::empty());
        Err(SdkError::service_error(ErrorMetadata::builder().code(code).build(), raw))
    }

    fn lost() -> Answer {
        Err(SdkError::timeout_error("response lost"))
    }

    /// Runs `create_once` over scripted answers; returns the result, sends and lookups.
    async fn script(answers: Vec<Answer>, found: Option<&'static str>) -> (Result<&'static str>, usize, usize) {
        let answers = std::cell::RefCell::new(answers.into_iter());
        let (sends, finds) = (Cell::new(0), Cell::new(0));
        let result = create_once(
            "CreateThing",
            || {
                sends.set(sends.get() + 1);
                let next = answers.borrow_mut().next().unwrap_or_else(|| service("RequestLimitExceeded", 400));
                async move { next }
            },
            || {
                finds.set(finds.get() + 1);
                async move { Ok(found) }
            },
        )
        .await;
        (result, sends.get(), finds.get())
    }

    #[tokio::test(start_paused = true)]
    async fn a_lost_response_is_found_by_lookup_not_sent_again() {
        let (result, sends, finds) = script(vec![lost(), Ok("fresh")], Some("made-by-first")).await;
        assert_eq!((result.unwrap(), sends, finds), ("made-by-first", 1, 1));
    }

    #[tokio::test(start_paused = true)]
    async fn an_ambiguous_failure_with_nothing_found_is_sent_again() {
        let (result, sends, finds) = script(vec![service("InternalError", 500), Ok("second")], None).await;
        assert_eq!((result.unwrap(), sends, finds), ("second", 2, 2), "a miss is looked up twice before it counts");
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_is_retried_without_a_lookup() {
        let answers = vec![service("RequestLimitExceeded", 400), service("Throttling", 400), Ok("third")];
        let (result, sends, finds) = script(answers, Some("never")).await;
        assert_eq!((result.unwrap(), sends, finds), ("third", 3, 0));
    }

    #[tokio::test(start_paused = true)]
    async fn a_duplicate_answer_is_ours_only_when_found() {
        let (result, sends, _) = script(vec![service("InvalidGroup.Duplicate", 400)], Some("ours")).await;
        assert_eq!((result.unwrap(), sends), ("ours", 1));
        let (result, sends, _) = script(vec![service("InvalidGroup.Duplicate", 400)], None).await;
        assert_eq!(result.unwrap_err().aws_code(), Some("InvalidGroup.Duplicate"));
        assert_eq!(sends, 1);
    }

    #[tokio::test(start_paused = true)]
    async fn final_errors_and_endless_throttling_stop() {
        let (result, sends, finds) = script(vec![service("VpcLimitExceeded", 400)], Some("x")).await;
        assert_eq!((result.unwrap_err().aws_code().map(str::to_owned), sends, finds), (Some("VpcLimitExceeded".into()), 1, 0));
        let (result, sends, _) = script(vec![], None).await;
        assert_eq!(result.unwrap_err().aws_code(), Some("RequestLimitExceeded"));
        assert_eq!(sends, MAX_ATTEMPTS as usize);
    }
}
