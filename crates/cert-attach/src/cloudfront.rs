//! HTTPS on a CloudFront distribution (`--cloudfront DIST_ID`): the certificate (always in
//! us-east-1, where CloudFront reads certificates) becomes the distribution's viewer
//! certificate (SNI only, TLS 1.2 at least) and the names join its aliases. The change is
//! a read-modify-write of the whole configuration guarded by its ETag (`If-Match`), so an
//! edit made in between is never overwritten: a `PreconditionFailed` reads again.

use aws_sdk_cloudfront::Client;
use aws_sdk_cloudfront::types::{Aliases, DistributionConfig, MinimumProtocolVersion, SslSupportMethod, ViewerCertificate};
use awsops_core::error::aws_error;
use awsops_core::kinds::DistributionDoc;
use awsops_core::waiter::{Poll, Waiter};
use awsops_core::{Error, Result};
use std::time::Duration;

/// CloudFront reads ACM certificates from this region only.
pub const CERTIFICATE_REGION: &str = "us-east-1";
/// The oldest TLS a viewer may use (CloudFront's recommended policy).
pub const MINIMUM_PROTOCOL: &str = "TLSv1.2_2021";

/// The distribution's configuration and the ETag that guards it.
pub struct Current {
    pub config: DistributionConfig,
    pub etag: String,
}

pub async fn get_config(cf: &Client, id: &str) -> Result<Current> {
    let out = cf.get_distribution_config().id(id).send().await.map_err(aws_error("GetDistributionConfig")).map_err(|e| {
        if awsops_core::error::is_not_found(&e) { Error::usage(format!("no CloudFront distribution {id} in this account")) } else { e }
    })?;
    let config =
        out.distribution_config().cloned().ok_or_else(|| Error::failed(format!("GetDistributionConfig {id}: no configuration")))?;
    let etag =
        out.e_tag().filter(|e| !e.is_empty()).ok_or_else(|| Error::failed(format!("GetDistributionConfig {id}: no ETag")))?.to_owned();
    Ok(Current { config, etag })
}

/// The distribution's aliases (lowercase, sorted).
pub fn aliases(config: &DistributionConfig) -> Vec<String> {
    let mut names: Vec<String> = config.aliases().map(|a| a.items().iter().map(|s| s.to_ascii_lowercase()).collect()).unwrap_or_default();
    names.sort();
    names.dedup();
    names
}

/// The configuration with the names among its aliases and the certificate as its viewer
/// certificate; None when it already says so (nothing to update).
pub fn with_certificate(config: &DistributionConfig, names: &[String], certificate_arn: &str) -> Option<DistributionConfig> {
    let mut wanted = aliases(config);
    for n in names {
        if !wanted.contains(n) {
            wanted.push(n.clone());
        }
    }
    wanted.sort();
    let viewer = config.viewer_certificate();
    let certificate_ok = viewer.is_some_and(|v| {
        v.acm_certificate_arn() == Some(certificate_arn)
            && v.ssl_support_method() == Some(&SslSupportMethod::SniOnly)
            && v.minimum_protocol_version().map(|m| m.as_str()) == Some(MINIMUM_PROTOCOL)
            && v.cloud_front_default_certificate() != Some(true)
    });
    if certificate_ok && wanted == aliases(config) {
        return None;
    }
    let mut next = config.clone();
    let quantity = i32::try_from(wanted.len()).unwrap_or(i32::MAX);
    next.aliases = Aliases::builder().quantity(quantity).set_items(Some(wanted)).build().ok();
    next.viewer_certificate = Some(
        ViewerCertificate::builder()
            .acm_certificate_arn(certificate_arn)
            .ssl_support_method(SslSupportMethod::SniOnly)
            .minimum_protocol_version(MinimumProtocolVersion::from(MINIMUM_PROTOCOL))
            .cloud_front_default_certificate(false)
            .build(),
    );
    Some(next)
}

/// Puts the certificate on the distribution: read, change, write with `If-Match`, and
/// read again when someone else changed it in between (a few times at most).
pub async fn attach(cf: &Client, id: &str, names: &[String], certificate_arn: &str) -> Result<bool> {
    for _ in 0..4 {
        let current = get_config(cf, id).await?;
        let Some(next) = with_certificate(&current.config, names, certificate_arn) else {
            return Ok(false);
        };
        match update(cf, id, next, &current.etag).await {
            Err(e) if e.aws_code() == Some("PreconditionFailed") => {
                tracing::warn!("distribution {id} changed while it was being updated; reading it again");
            }
            other => return other.map(|()| true),
        }
    }
    Err(Error::failed(format!("distribution {id} kept changing while it was being updated; try again")))
}

async fn update(cf: &Client, id: &str, config: DistributionConfig, etag: &str) -> Result<()> {
    cf.update_distribution()
        .id(id)
        .if_match(etag)
        .distribution_config(config)
        .send()
        .await
        .map(drop)
        .map_err(aws_error("UpdateDistribution"))
}

/// Waits until CloudFront reports the distribution `Deployed`.
pub async fn wait_deployed(cf: &Client, id: &str, timeout: Duration) -> Result<()> {
    Waiter::new(format!("distribution {id} to be Deployed"), timeout)
        .wait(|| async {
            let out = cf.get_distribution().id(id).send().await.map_err(aws_error("GetDistribution"))?;
            let status = out.distribution().map(|d| d.status().to_owned()).unwrap_or_default();
            Ok(if status == "Deployed" { Poll::Ready(()) } else { Poll::Pending(status) })
        })
        .await
}

/// The distribution as the `certificate` document carries it (what dns-alias aliases).
pub async fn document(cf: &Client, id: &str) -> Result<DistributionDoc> {
    let out = cf.get_distribution().id(id).send().await.map_err(aws_error("GetDistribution"))?;
    let d = out.distribution().ok_or_else(|| Error::failed(format!("GetDistribution {id}: no distribution")))?;
    Ok(DistributionDoc {
        id: id.to_owned(),
        domain_name: d.domain_name().to_ascii_lowercase(),
        aliases: d.distribution_config().map(aliases).unwrap_or_default(),
        status: d.status().to_owned(),
    })
}

/// `--cloudfront`: the distribution's config read with its ETag, updated (aliases, viewer
/// certificate), and read while it deploys.
pub static SERVE_HTTPS_ON_CLOUDFRONT: awsops_core::permissions::Grant = awsops_core::permissions::Grant::any(
    "ServeHttpsOnCloudFront",
    &["cloudfront:GetDistribution", "cloudfront:GetDistributionConfig", "cloudfront:UpdateDistribution"],
)
.on(&["arn:{partition}:cloudfront::{account}:distribution/{distribution}"]);

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudfront::types::{DefaultCacheBehavior, Origins};

    fn config(aliases: &[&str], viewer: Option<ViewerCertificate>) -> DistributionConfig {
        let mut c = DistributionConfig::builder()
            .caller_reference("ref")
            .comment("")
            .enabled(true)
            .origins(Origins::builder().quantity(0).set_items(Some(Vec::new())).build().unwrap())
            .default_cache_behavior(
                DefaultCacheBehavior::builder().target_origin_id("o").viewer_protocol_policy("allow-all".into()).build().unwrap(),
            )
            .build()
            .unwrap();
        let items: Vec<String> = aliases.iter().map(|s| s.to_string()).collect();
        c.aliases = Some(Aliases::builder().quantity(items.len() as i32).set_items(Some(items)).build().unwrap());
        c.viewer_certificate = viewer;
        c
    }

    #[test]
    fn the_names_join_the_aliases_and_the_certificate_is_sni_tls12() {
        let before = config(&["old.example.com"], Some(ViewerCertificate::builder().cloud_front_default_certificate(true).build()));
        let names = vec!["cdn.example.com".to_owned()];
        let next = with_certificate(&before, &names, "arn:aws:acm:us-east-1:1:certificate/x").expect("a change");
        assert_eq!(aliases(&next), ["cdn.example.com", "old.example.com"], "existing aliases are kept");
        assert_eq!(next.aliases.as_ref().unwrap().quantity(), 2);
        let v = next.viewer_certificate.as_ref().unwrap();
        assert_eq!(v.acm_certificate_arn(), Some("arn:aws:acm:us-east-1:1:certificate/x"));
        assert_eq!(v.ssl_support_method(), Some(&SslSupportMethod::SniOnly));
        assert_eq!(v.minimum_protocol_version().map(|m| m.as_str()), Some("TLSv1.2_2021"));
        assert_eq!(v.cloud_front_default_certificate(), Some(false));
        assert_eq!(next.caller_reference(), before.caller_reference(), "the rest of the configuration is kept");
        assert!(with_certificate(&next, &names, "arn:aws:acm:us-east-1:1:certificate/x").is_none(), "converged: no update");
        assert!(with_certificate(&next, &names, "arn:aws:acm:us-east-1:1:certificate/y").is_some(), "another certificate");
    }
}
