//! Credentials in a member account: `sts:AssumeRole` into the fleet role, with a session
//! name that names the tool, held until five minutes before they expire and then assumed
//! again, so a run longer than the role's session never sends an expired key. The first
//! answer is asked for before the target's own work starts, so "cannot assume the role"
//! is the target's error instead of an unreadable credentials failure of its first call;
//! the SDK's identity cache in front of this one then finds it already fresh.

use crate::error::{Error, Result};
use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider, error::CredentialsError, future};
use futures_util::lock::Mutex;
use std::time::{Duration, SystemTime};

/// Credentials closer than this to their expiry are assumed again.
pub const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(300);

/// The role session name: `awsops-<tool>`, so CloudTrail says which command acted.
pub fn session_name(tool: &str) -> String {
    let name: String = format!("awsops-{tool}").chars().filter(|c| c.is_ascii_alphanumeric() || "=,.@-_".contains(*c)).collect();
    name.chars().take(64).collect()
}

/// Whether held credentials are still good at `now`.
pub fn fresh(expiry: Option<SystemTime>, now: SystemTime) -> bool {
    match expiry {
        None => true,
        Some(expiry) => expiry.duration_since(now).is_ok_and(|left| left > REFRESH_BEFORE_EXPIRY),
    }
}

/// A role in one member account, assumed on demand and cached until near expiry.
#[derive(Debug)]
pub struct RoleCredentials {
    role_arn: String,
    provider: aws_config::sts::AssumeRoleProvider,
    held: Mutex<Option<Credentials>>,
}

impl RoleCredentials {
    pub async fn new(base: &SdkConfig, role_arn: String, external_id: Option<&str>, tool: &str) -> RoleCredentials {
        let mut builder = aws_config::sts::AssumeRoleProvider::builder(role_arn.clone()).session_name(session_name(tool)).configure(base);
        if let Some(id) = external_id {
            builder = builder.external_id(id);
        }
        RoleCredentials { role_arn, provider: builder.build().await, held: Mutex::new(None) }
    }

    /// The held credentials, or new ones; the lock is held while assuming, so the
    /// account's targets starting together wait for one AssumeRole instead of each sending one.
    async fn credentials(&self) -> std::result::Result<Credentials, CredentialsError> {
        let mut held = self.held.lock().await;
        if let Some(c) = held.as_ref()
            && fresh(c.expiry(), SystemTime::now())
        {
            return Ok(c.clone());
        }
        let assumed = self.provider.provide_credentials().await?;
        *held = Some(assumed.clone());
        Ok(assumed)
    }

    /// Assumes the role now (once): the target's error when it cannot be.
    pub async fn check(&self) -> Result<()> {
        self.credentials().await.map(|_| ()).map_err(|e| {
            let detail = aws_smithy_types::error::display::DisplayErrorContext(&e).to_string();
            let code = crate::access::xml_element(&detail, "Code");
            let message = crate::access::xml_element(&detail, "Message").unwrap_or(detail);
            Error::failed(format!(
                "cannot assume {}{}: {message}; the role must exist in the account and trust the caller",
                self.role_arn,
                code.map(|c| format!(" ({c})")).unwrap_or_default()
            ))
        })
    }

    pub fn shared(self: std::sync::Arc<Self>) -> SharedCredentialsProvider {
        SharedCredentialsProvider::new(ArcProvider(self))
    }
}

#[derive(Debug)]
struct ArcProvider(std::sync::Arc<RoleCredentials>);

impl ProvideCredentials for ArcProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.0.credentials())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_names_name_the_tool_within_sts_limits() {
        assert_eq!(session_name("iam-audit"), "awsops-iam-audit");
        assert_eq!(session_name("a b/c"), "awsops-abc");
        assert_eq!(session_name(&"x".repeat(100)).len(), 64);
    }

    #[test]
    fn credentials_are_renewed_five_minutes_before_expiry() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert!(fresh(None, now), "long-term keys do not expire");
        assert!(fresh(Some(now + Duration::from_secs(3600)), now));
        assert!(!fresh(Some(now + Duration::from_secs(299)), now));
        assert!(!fresh(Some(now + REFRESH_BEFORE_EXPIRY), now));
        assert!(!fresh(Some(now - Duration::from_secs(1)), now), "expired");
    }
}
