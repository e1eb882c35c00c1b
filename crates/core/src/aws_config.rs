//! The AWS flags every command takes (`--region`, `--profile`, `--endpoint-url`, each
//! also from the SDK's own environment), and the SDK configuration built from them:
//! the default credential chain, standard retries with backoff, bounded timeouts.

use crate::error::{Error, Result};
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use clap::Args;
use std::time::Duration;

// Per argument, not `next_help_heading` on the struct: that one leaks to every argument
// declared after the flatten (clap issue 4957), which put -v, -q and whole commands'
// options under this heading.
/// The help heading of the AWS flags; every other flag stays under clap's "Options".
pub const AWS_HEADING: &str = "AWS options";

#[derive(Args, Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsArgs {
    /// AWS region, e.g. ap-northeast-2
    #[arg(long, env = "AWS_REGION", global = true, value_name = "REGION", help_heading = AWS_HEADING)]
    pub region: Option<String>,
    /// Named profile from ~/.aws/config and ~/.aws/credentials
    #[arg(long, env = "AWS_PROFILE", global = true, value_name = "NAME", help_heading = AWS_HEADING)]
    pub profile: Option<String>,
    /// Send every AWS call to this endpoint (an emulator such as moto, or a VPC endpoint)
    #[arg(long, env = "AWS_ENDPOINT_URL", global = true, value_name = "URL", help_heading = AWS_HEADING)]
    pub endpoint_url: Option<String>,
}

/// Attempts per call, including the first, in the SDK's standard retry mode.
pub const MAX_ATTEMPTS: u32 = 5;

impl AwsArgs {
    /// Checks the flags before anything is sent.
    pub fn validate(&self) -> Result<()> {
        if let Some(url) = &self.endpoint_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(Error::usage(format!("invalid --endpoint-url {url:?}: expected http:// or https://")));
        }
        if let Some(region) = &self.region {
            known_region(region)?;
        }
        Ok(())
    }

    /// The SDK configuration for the chosen (or default) region.
    pub async fn load(&self) -> Result<SdkConfig> {
        self.load_in(self.region.as_deref()).await
    }

    /// The SDK configuration for another region (copies, multi-region prunes).
    pub async fn load_in(&self, region: Option<&str>) -> Result<SdkConfig> {
        self.validate()?;
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(crate::name_resolver::http_client())
            .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS))
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .read_timeout(Duration::from_secs(30))
                    .operation_attempt_timeout(Duration::from_secs(60))
                    .operation_timeout(Duration::from_secs(180))
                    .build(),
            );
        if let Some(region) = region {
            known_region(region)?;
            loader = loader.region(Region::new(region.to_owned()));
        }
        if let Some(profile) = &self.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(url) = &self.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let config = loader.load().await;
        match config.region() {
            None => return Err(Error::usage("no AWS region: pass --region, set AWS_REGION, or set one in the profile")),
            // A region from the profile is checked as well as one from the flag.
            Some(region) => check_known_region(region.as_ref(), std::env::var(EXTRA_REGIONS_ENV).ok().as_deref())?,
        }
        Ok(config)
    }
}

/// The command's loaded configuration moved to another region (copies, prunes and shares
/// across regions, targets in the region their ARN or host names): the same credentials,
/// endpoint, retries and timeouts, so no command builds a per-region client by hand.
/// `Client::new(&in_region(config, region))` for any SDK client.
pub fn in_region(config: &SdkConfig, region: &str) -> SdkConfig {
    config.to_builder().region(Region::new(region.to_owned())).build()
}

/// The regions this build knows (all partitions, late 2026). A region launched later is
/// named in `AWSOPS_EXTRA_REGIONS` (comma-separated) until the next release.
pub const KNOWN_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eusc-de-east-1",
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
];

pub const EXTRA_REGIONS_ENV: &str = "AWSOPS_EXTRA_REGIONS";

/// `check_known_region` with the extra regions from the environment.
pub fn known_region(region: &str) -> Result<()> {
    check_known_region(region, std::env::var(EXTRA_REGIONS_ENV).ok().as_deref())
}

/// An unknown region is a usage error before any call: a typo would otherwise surface as
/// an unreadable transport error (`error parsing XML`) from a host that does not exist.
pub fn check_known_region(region: &str, extra: Option<&str>) -> Result<()> {
    validate_region(region)?;
    let extra = extra.unwrap_or_default().split(',').map(str::trim);
    if KNOWN_REGIONS.contains(&region) || extra.clone().any(|r| r == region) {
        return Ok(());
    }
    Err(Error::usage(format!(
        "unknown region {region:?}: not one of the {} regions this build knows (`aws ec2 describe-regions --all-regions` lists the account's); for a region newer than this build, set {EXTRA_REGIONS_ENV}={region}",
        KNOWN_REGIONS.len()
    )))
}

/// Region names look like `ap-northeast-2`, `us-gov-west-1`, `cn-north-1`.
pub fn validate_region(region: &str) -> Result<()> {
    let parts: Vec<&str> = region.split('-').collect();
    let ok = parts.len() >= 3
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
        && parts.last().is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()));
    if ok { Ok(()) } else { Err(Error::usage(format!("invalid region {region:?}: expected a name like ap-northeast-2"))) }
}

#[cfg(test)]
mod tests {

    #[test]
    fn in_region_keeps_everything_but_the_region() {
        let base = SdkConfig::builder()
            .region(Region::new("ap-northeast-2"))
            .endpoint_url("http://127.0.0.1:5000")
            .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS))
            .behavior_version(BehaviorVersion::latest())
            .build();
        let moved = in_region(&base, "us-east-1");
        assert_eq!(moved.region().map(|r| r.as_ref()), Some("us-east-1"));
        assert_eq!(moved.endpoint_url(), Some("http://127.0.0.1:5000"));
        assert_eq!(moved.retry_config().map(|r| r.max_attempts()), Some(MAX_ATTEMPTS));
        assert_eq!(base.region().map(|r| r.as_ref()), Some("ap-northeast-2"), "the original is untouched");
    }
    use super::*;

    #[test]
    fn regions_are_checked() {
        for good in ["ap-northeast-2", "us-east-1", "us-gov-west-1", "eu-central-2"] {
            assert!(validate_region(good).is_ok(), "{good}");
        }
        for bad in ["", "us", "us-east", "US-EAST-1", "us-east-x", "us east 1"] {
            assert_eq!(validate_region(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn unknown_regions_are_refused_unless_named_as_extra() {
        for known in KNOWN_REGIONS {
            assert!(validate_region(known).is_ok() && check_known_region(known, None).is_ok(), "{known}");
        }
        let err = check_known_region("xx-nowhere-9", None).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("xx-nowhere-9") && err.to_string().contains(EXTRA_REGIONS_ENV), "{err}");
        assert!(check_known_region("xx-nowhere-9", Some("ap-x-1, xx-nowhere-9")).is_ok());
        assert!(check_known_region("xx-nowhere-9", Some("")).is_err());
    }

    #[test]
    fn endpoint_must_be_http() {
        let args = AwsArgs { endpoint_url: Some("localhost:5000".into()), ..AwsArgs::default() };
        assert_eq!(args.validate().unwrap_err().exit_code(), 2);
        let args = AwsArgs { endpoint_url: Some("http://127.0.0.1:5000".into()), ..AwsArgs::default() };
        assert!(args.validate().is_ok());
    }
}
