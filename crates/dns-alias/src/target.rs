//! What a name is pointed at, told apart by its shape alone: an S3 website (`s3://bucket`
//! or a website endpoint host), a load balancer (ELB DNS name or ARN), a CloudFront
//! domain, or any other host (which becomes a CNAME). No AWS call is needed to decide.

use crate::s3_website;
use awsops_core::dns_name::DomainName;
use awsops_core::kinds::TargetKind;
use awsops_core::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The bucket's region, when the endpoint host names it.
    S3Website {
        bucket: String,
        region: Option<String>,
    },
    LoadBalancer {
        dns_name: Option<String>,
        arn: Option<String>,
        region: Option<String>,
    },
    CloudFront {
        domain: String,
    },
    Host {
        name: DomainName,
    },
}

impl Target {
    pub fn kind(&self) -> TargetKind {
        match self {
            Target::S3Website { .. } => TargetKind::S3Website,
            Target::LoadBalancer { .. } => TargetKind::LoadBalancer,
            Target::CloudFront { .. } => TargetKind::CloudFront,
            Target::Host { .. } => TargetKind::Host,
        }
    }
}

pub fn classify(text: &str) -> Result<Target> {
    let unknown = |why: &str| Error::usage(format!("target {text:?} is of unknown type: {why}"));
    let text = text.trim();
    if let Some(bucket) = text.strip_prefix("s3://") {
        let bucket = bucket.trim_end_matches('/');
        if bucket.is_empty() || bucket.contains('/') {
            return Err(unknown("expected s3://BUCKET"));
        }
        return Ok(Target::S3Website { bucket: bucket.to_ascii_lowercase(), region: None });
    }
    if text.starts_with("arn:") {
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        return match parts.as_slice() {
            [_, _, "elasticloadbalancing", region, _, resource] if resource.starts_with("loadbalancer/") => {
                Ok(Target::LoadBalancer { dns_name: None, arn: Some(text.to_owned()), region: Some((*region).to_owned()) })
            }
            _ => Err(unknown("only load balancer ARNs are understood")),
        };
    }
    if text.contains("://") {
        return Err(unknown("give a host name, not a URL"));
    }
    let host = DomainName::parse(text).map_err(|_| unknown("not a host name, s3://BUCKET or a load balancer ARN"))?;
    let h = host.as_str();
    if let Some((bucket, region)) = s3_website::parse_host(h) {
        return Ok(Target::S3Website { bucket, region: Some(region) });
    }
    if h.ends_with(".cloudfront.net") {
        return Ok(Target::CloudFront { domain: h.to_owned() });
    }
    if h.ends_with(".amazonaws.com") && h.contains(".elb.") {
        return Ok(Target::LoadBalancer { dns_name: Some(h.to_owned()), arn: None, region: elb_region(h) });
    }
    Ok(Target::Host { name: host })
}

/// The region in an ELB DNS name: `x.REGION.elb.amazonaws.com` (ALB, classic) or
/// `x.elb.REGION.amazonaws.com` (NLB).
pub fn elb_region(host: &str) -> Option<String> {
    let labels: Vec<&str> = host.trim_start_matches("dualstack.").split('.').collect();
    let elb = labels.iter().position(|l| *l == "elb")?;
    let candidate = if labels.get(elb + 1) == Some(&"amazonaws") { labels.get(elb.checked_sub(1)?)? } else { labels.get(elb + 1)? };
    awsops_core::aws_config::validate_region(candidate).ok().map(|()| (*candidate).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_told_apart_by_shape() {
        assert_eq!(classify("s3://mydomain.com").unwrap(), Target::S3Website { bucket: "mydomain.com".into(), region: None });
        assert_eq!(
            classify("mydomain.com.s3-website.ap-northeast-2.amazonaws.com").unwrap(),
            Target::S3Website { bucket: "mydomain.com".into(), region: Some("ap-northeast-2".into()) }
        );
        assert_eq!(
            classify("my-alb-123.ap-northeast-2.elb.amazonaws.com").unwrap(),
            Target::LoadBalancer {
                dns_name: Some("my-alb-123.ap-northeast-2.elb.amazonaws.com".into()),
                arn: None,
                region: Some("ap-northeast-2".into())
            }
        );
        assert_eq!(
            classify("my-nlb-1.elb.us-east-1.amazonaws.com").unwrap(),
            Target::LoadBalancer {
                dns_name: Some("my-nlb-1.elb.us-east-1.amazonaws.com".into()),
                arn: None,
                region: Some("us-east-1".into())
            }
        );
        let arn = "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
        assert_eq!(
            classify(arn).unwrap(),
            Target::LoadBalancer { dns_name: None, arn: Some(arn.into()), region: Some("ap-northeast-2".into()) }
        );
        assert_eq!(
            classify("d111111abcdef8.cloudfront.net").unwrap(),
            Target::CloudFront { domain: "d111111abcdef8.cloudfront.net".into() }
        );
        assert_eq!(classify("app.herokudns.com").unwrap().kind(), TargetKind::Host);
    }

    #[test]
    fn unknown_targets_are_usage_errors() {
        for bad in ["", "https://example.com/", "arn:aws:s3:::bucket", "s3://", "not a host", "10.0.0.1"] {
            let err = classify(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
            assert!(err.to_string().contains("unknown type"), "{bad}: {err}");
        }
    }
}
