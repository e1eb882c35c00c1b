//! EC2 plumbing several commands share: ownership tags as tag specifications, tag
//! filters to find owned resources again, and tag lookups on described resources.

use crate::error::{Error, Result};
use crate::ownership::{Ownership, ROLE_TAG, STACK_TAG};
use aws_sdk_ec2::error::ProvideErrorMetadata;
use aws_sdk_ec2::types::{Filter, ResourceType, Tag, TagSpecification};
use std::future::Future;
use std::time::Duration;

/// Tags applied in the create call itself, so nothing exists untagged even for a moment.
pub fn tag_spec(resource: ResourceType, tags: &[(String, String)]) -> TagSpecification {
    TagSpecification::builder()
        .resource_type(resource)
        .set_tags(Some(tags.iter().map(|(k, v)| Tag::builder().key(k).value(v).build()).collect()))
        .build()
}

pub fn filter(name: &str, values: impl IntoIterator<Item = impl Into<String>>) -> Filter {
    Filter::builder().name(name).set_values(Some(values.into_iter().map(Into::into).collect())).build()
}

/// `tag:awsops:stack = <stack>`
pub fn owned_filter(owner: &Ownership) -> Filter {
    filter(&format!("tag:{STACK_TAG}"), [owner.stack.clone()])
}

/// `tag:awsops:role = <role>`
pub fn role_filter(role: &str) -> Filter {
    filter(&format!("tag:{ROLE_TAG}"), [role])
}

/// The per-call config of a token-less create: the SDK does not retry it, because a
/// retry after a lost response makes a second resource (see `create_once`).
pub fn one_attempt() -> aws_sdk_ec2::config::Builder {
    aws_sdk_ec2::config::Builder::default().retry_config(crate::create_once::single_attempt())
}

pub fn tag_value<'a>(tags: &'a [Tag], key: &str) -> Option<&'a str> {
    tags.iter().find(|t| t.key() == Some(key)).and_then(Tag::value)
}

pub fn role(tags: &[Tag]) -> Option<&str> {
    tag_value(tags, ROLE_TAG)
}

pub fn name(tags: &[Tag]) -> Option<&str> {
    tag_value(tags, "Name")
}

/// Tags as (key, value) pairs, for `Ownership::owns`.
pub fn pairs(tags: &[Tag]) -> impl Iterator<Item = (&str, &str)> + Clone {
    tags.iter().filter_map(|t| Some((t.key()?, t.value()?)))
}

/// EC2 is eventually consistent: a resource just created can be "not found" by the
/// next call for a few seconds. Retries such calls (and only those) briefly.
pub async fn settle<T, E, F, Fut>(operation: &'static str, call: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = std::result::Result<T, E>>,
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    retry_codes(operation, |code| code.ends_with(".NotFound"), Duration::from_secs(20), call).await
}

/// Retries a call while it fails with a code `retryable` accepts (a dependency still
/// draining, a resource not yet visible), with backoff, for at most `budget`; then
/// converts the error.
pub async fn retry_codes<T, E, F, Fut>(
    operation: &'static str,
    retryable: impl Fn(&str) -> bool,
    budget: Duration,
    mut call: F,
) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = std::result::Result<T, E>>,
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let deadline = crate::waiter::deadline_after(tokio::time::Instant::now(), budget);
    let mut attempt = 0;
    loop {
        match call().await {
            Ok(v) => return Ok(v),
            Err(e) if e.code().is_some_and(&retryable) && tokio::time::Instant::now() < deadline => {
                tracing::debug!(operation, "retrying: {e}");
                let delay = crate::waiter::backoff_delay(attempt, Duration::from_millis(250), Duration::from_secs(5), fastrand::f64());
                tokio::time::sleep(delay).await;
                attempt += 1;
            }
            Err(e) => return Err(Error::from_aws(operation, e)),
        }
    }
}

/// For deletes: a resource that is already gone counts as deleted, so a re-run converges.
pub fn gone_is_ok(result: Result<()>) -> Result<()> {
    match result {
        Err(e) if crate::error::is_not_found(&e) => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_and_lookups_agree() {
        let owner = Ownership::new("vpc-bootstrap", "lab").unwrap();
        let spec = tag_spec(ResourceType::Vpc, &owner.tags("vpc", "lab"));
        let tags = spec.tags();
        assert_eq!(role(tags), Some("vpc"));
        assert_eq!(name(tags), Some("lab"));
        assert!(owner.owns(pairs(tags)));
        assert_eq!(owned_filter(&owner).name(), Some("tag:awsops:stack"));
    }
}
