//! Turns a target into the records it needs, checking AWS's own rules first: an S3
//! website alias needs a bucket named like the record with website hosting on; a load
//! balancer's alias zone is its canonical zone (looked up through ELBv2); a CloudFront
//! alias needs the name among the distribution's aliases and cannot sit in a private zone.
//! A name pointed at an S3 website (alias or CNAME) needs the bucket to exist, host a
//! website and belong to this account (`ExpectedBucketOwner`): a name left pointing at a
//! missing bucket is a subdomain takeover for whoever creates that bucket name.

use crate::record::Desired;
use crate::s3_website;
use crate::target::Target;
use aws_sdk_s3::error::ProvideErrorMetadata;
use awsops_core::aws_config::in_region;
use awsops_core::dns_name::DomainName;
use awsops_core::error::aws_error;
use awsops_core::kinds::LoadBalancerDoc;
use awsops_core::load_balancer::{self, LbRef};
use awsops_core::{Error, Result};

use awsops_core::permissions::Grant;

/// An S3 website target: the bucket must be this account's (GetCallerIdentity needs no
/// permission, but is called) and host a website.
pub static CHECK_WEBSITE_BUCKET: Grant =
    Grant::any("CheckWebsiteBucket", &["s3:GetBucketLocation", "s3:GetBucketWebsite"]).on(&["arn:{partition}:s3:::{bucket}"]);
pub use awsops_core::permissions::WHO_AM_I;
/// A CloudFront target: the distribution that serves the name (ListDistributions: `*` only).
pub static FIND_DISTRIBUTION: Grant = Grant::any("FindDistribution", &["cloudfront:ListDistributions"]);
pub static READ_DISTRIBUTION: Grant =
    Grant::any("ReadDistribution", &["cloudfront:GetDistribution"]).on(&["arn:{partition}:cloudfront::{account}:distribution/*"]);

/// CloudFront's alias hosted zone id, the same everywhere.
pub const CLOUDFRONT_ZONE_ID: &str = "Z2FDTNDATAQYW2";

pub struct Clients<'a> {
    pub config: &'a aws_config::SdkConfig,
    /// The configured region, where targets that do not name one are looked for.
    pub region: &'a str,
}

impl Clients<'_> {
    fn elbv2(&self, region: &str) -> aws_sdk_elasticloadbalancingv2::Client {
        aws_sdk_elasticloadbalancingv2::Client::new(&in_region(self.config, region))
    }

    fn s3(&self, region: &str) -> aws_sdk_s3::Client {
        // Emulators answer path-style requests only; on AWS the SDK's own rules decide (and
        // already use path style for dotted bucket names, which website buckets often have).
        let conf = aws_sdk_s3::config::Builder::from(&in_region(self.config, region))
            .force_path_style(self.config.endpoint_url().is_some())
            .build();
        aws_sdk_s3::Client::from_conf(conf)
    }
}

pub async fn resolve(c: &Clients<'_>, name: &DomainName, target: &Target, ttl: i64) -> Result<Desired> {
    match target {
        Target::Host { name: host } => Ok(Desired::Cname { host: host.as_str().to_owned(), ttl }),
        Target::S3Website { bucket, region } => s3_website_alias(c, name, bucket, region.as_deref()).await,
        Target::LoadBalancer { dns_name, arn, region } => {
            let lb = load_balancer(c, dns_name.as_deref(), arn.as_deref(), region.as_deref().unwrap_or(c.region)).await?;
            Ok(from_load_balancer(&lb))
        }
        Target::CloudFront { domain } => cloudfront_alias(c, name, domain).await,
    }
}

pub fn from_load_balancer(lb: &LoadBalancerDoc) -> Desired {
    Desired::Alias { dns_name: lb.dns_name.clone(), zone_id: lb.canonical_zone_id.clone(), ipv6: lb.dualstack }
}

async fn s3_website_alias(c: &Clients<'_>, name: &DomainName, bucket: &str, region: Option<&str>) -> Result<Desired> {
    if bucket != name.as_str() {
        return Err(Error::usage(format!(
            "an S3 website alias needs the bucket named like the record: {name} cannot alias bucket {bucket} (name the bucket {name}, or point a CNAME at its website host)"
        )));
    }
    let region = website_bucket(c, bucket, region).await?;
    let zone_id = s3_website::zone_id(&region).ok_or_else(|| {
        Error::usage(format!("no S3 website hosted zone id is known for {region}; point a CNAME at the bucket's website host"))
    })?;
    let endpoint = s3_website::endpoint(&region).unwrap_or_default();
    Ok(Desired::Alias { dns_name: endpoint, zone_id: zone_id.to_owned(), ipv6: false })
}

/// Checks that `bucket` exists, is this account's and hosts a website; returns its region.
pub async fn website_bucket(c: &Clients<'_>, bucket: &str, region: Option<&str>) -> Result<String> {
    let sts = aws_sdk_sts::Client::new(c.config);
    let identity = sts.get_caller_identity().send().await.map_err(aws_error("GetCallerIdentity"))?;
    let owner = identity.account().map(str::to_owned);
    let s3 = c.s3(region.unwrap_or(c.region));
    let region = match region {
        Some(r) => r.to_owned(),
        None => {
            let out = s3
                .get_bucket_location()
                .bucket(bucket)
                .set_expected_bucket_owner(owner.clone())
                .send()
                .await
                .map_err(|e| bucket_error(bucket, "GetBucketLocation", e))?;
            match out.location_constraint().map(|l| l.as_str().to_owned()) {
                Some(l) if !l.is_empty() => l,
                _ => "us-east-1".to_owned(),
            }
        }
    };
    c.s3(&region)
        .get_bucket_website()
        .bucket(bucket)
        .set_expected_bucket_owner(owner)
        .send()
        .await
        .map_err(|e| bucket_error(bucket, "GetBucketWebsite", e))?;
    Ok(region)
}

fn bucket_error<E: ProvideErrorMetadata + std::error::Error + 'static>(bucket: &str, operation: &str, e: E) -> Error {
    match e.code() {
        Some("NoSuchBucket") => Error::usage(format!("no S3 bucket named {bucket}")),
        Some("AccessDenied") => Error::usage(format!(
            "bucket {bucket} is not this account's (or not readable by it): a name pointed at another account's bucket is not yours to serve"
        )),
        Some("NoSuchWebsiteConfiguration") => {
            Error::usage(format!("bucket {bucket} has website hosting off; turn it on (index document) first"))
        }
        _ => Error::from_aws(operation, e),
    }
}

/// A load balancer by ARN or DNS name, as the document dns-alias reads.
pub async fn load_balancer(c: &Clients<'_>, dns_name: Option<&str>, arn: Option<&str>, region: &str) -> Result<LoadBalancerDoc> {
    let which = match arn {
        Some(arn) => LbRef::Arn(arn.to_owned()),
        None => LbRef::parse(dns_name.unwrap_or_default())?,
    };
    let lb = load_balancer::find(&c.elbv2(region), &which, region).await?;
    Ok(load_balancer::document(&lb, region))
}

async fn cloudfront_alias(c: &Clients<'_>, name: &DomainName, domain: &str) -> Result<Desired> {
    let cf = aws_sdk_cloudfront::Client::new(c.config);
    let out = cf.list_distributions().send().await.map_err(aws_error("ListDistributions"))?;
    let items = out.distribution_list().map(|l| l.items()).unwrap_or_default();
    let dist = items
        .iter()
        .find(|d| d.domain_name().eq_ignore_ascii_case(domain))
        .ok_or_else(|| Error::usage(format!("no CloudFront distribution with domain {domain} in this account")))?;
    let mut aliases: Vec<String> = dist.aliases().map(|a| a.items().to_vec()).unwrap_or_default();
    let mut ipv6 = dist.is_ipv6_enabled();
    if !aliases.iter().any(|a| alias_covers(a, name)) {
        // The summary can lag or be trimmed (some endpoints omit it): ask the distribution itself.
        let full = cf.get_distribution().id(dist.id()).send().await.map_err(aws_error("GetDistribution"))?;
        if let Some(config) = full.distribution().and_then(|d| d.distribution_config()) {
            aliases = config.aliases().map(|a| a.items().to_vec()).unwrap_or_default();
            ipv6 = config.is_ipv6_enabled().unwrap_or(ipv6);
        }
    }
    let covered = aliases.iter().any(|a| alias_covers(a, name));
    if !covered {
        return Err(Error::usage(format!(
            "{name} is not among the alternate domain names of distribution {} ({}); add it there first",
            dist.id(),
            if aliases.is_empty() { "it has none".to_owned() } else { aliases.join(", ") }
        )));
    }
    Ok(Desired::Alias { dns_name: domain.to_owned(), zone_id: CLOUDFRONT_ZONE_ID.to_owned(), ipv6 })
}

/// Whether a distribution's alternate domain name (exact, or `*.parent` for one label) covers `name`.
pub fn alias_covers(alias: &str, name: &DomainName) -> bool {
    let alias = alias.trim_end_matches('.').to_ascii_lowercase();
    match alias.strip_prefix("*.") {
        Some(parent) => name.as_str().strip_suffix(parent).is_some_and(|head| head.ends_with('.') && !head[..head.len() - 1].contains('.')),
        None => alias == name.as_str(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_aliases_cover_one_label() {
        let n = |s: &str| DomainName::parse(s).unwrap();
        assert!(alias_covers("cdn.example.com", &n("cdn.example.com")));
        assert!(alias_covers("*.example.com", &n("cdn.example.com")));
        assert!(!alias_covers("*.example.com", &n("a.cdn.example.com")));
        assert!(!alias_covers("*.example.com", &n("example.com")));
        assert!(!alias_covers("cdn.example.com", &n("www.example.com")));
    }
}
