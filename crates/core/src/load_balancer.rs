//! Finding one load balancer by ARN, name or DNS name, as the `load-balancer` document
//! dns-alias aliases and cert-attach attaches certificates to; an unknown one is a usage
//! error (exit 2) naming what was asked for.

use crate::error::{Error, Result, is_not_found};
use crate::kinds::LoadBalancerDoc;
use crate::permissions::Grant;
use aws_sdk_elasticloadbalancingv2::Client;
use aws_sdk_elasticloadbalancingv2::types::LoadBalancer;

/// Finding the load balancer by ARN, name or DNS name: DescribeLoadBalancers works only on `*`.
pub static FIND_LOAD_BALANCER: Grant = Grant::any("FindLoadBalancer", &["elasticloadbalancing:DescribeLoadBalancers"]);

/// How the user named a load balancer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LbRef {
    Arn(String),
    /// Its DNS name (a leading `dualstack.` is ignored).
    DnsName(String),
    Name(String),
}

impl LbRef {
    /// An ARN, a host name (it has a dot), or else a name (1–32 letters, digits, hyphens).
    pub fn parse(text: &str) -> Result<LbRef> {
        let text = text.trim();
        if text.starts_with("arn:") {
            if !text.contains(":loadbalancer/") {
                return Err(Error::usage(format!("{text} is not a load balancer ARN (expected …:loadbalancer/app|net/NAME/ID)")));
            }
            return Ok(LbRef::Arn(text.to_owned()));
        }
        if text.contains('.') {
            return Ok(LbRef::DnsName(text.trim_end_matches('.').trim_start_matches("dualstack.").to_ascii_lowercase()));
        }
        let ok = !text.is_empty()
            && text.len() <= 32
            && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !text.starts_with('-')
            && !text.ends_with('-');
        if !ok {
            return Err(Error::usage(format!(
                "invalid load balancer {text:?}: expected an ARN, a DNS name, or a name of 1-32 letters, digits and hyphens"
            )));
        }
        Ok(LbRef::Name(text.to_owned()))
    }
}

impl std::fmt::Display for LbRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LbRef::Arn(s) | LbRef::DnsName(s) | LbRef::Name(s) => f.write_str(s),
        }
    }
}

/// The load balancer as ELBv2 describes it, or a usage error when there is none.
pub async fn find(elb: &Client, which: &LbRef, region: &str) -> Result<LoadBalancer> {
    let unknown = || Error::usage(format!("no load balancer {which} in {region}"));
    let found = match which {
        LbRef::Arn(arn) => describe_one(elb.describe_load_balancers().load_balancer_arns(arn).send().await, &unknown)?,
        LbRef::Name(name) => describe_one(elb.describe_load_balancers().names(name).send().await, &unknown)?,
        LbRef::DnsName(dns) => {
            let all: Vec<LoadBalancer> = crate::all_items!(elb.describe_load_balancers(), "DescribeLoadBalancers")?;
            all.into_iter().find(|lb| lb.dns_name().is_some_and(|d| d.eq_ignore_ascii_case(dns)))
        }
    };
    found.ok_or_else(unknown)
}

fn describe_one<E>(
    answer: std::result::Result<aws_sdk_elasticloadbalancingv2::operation::describe_load_balancers::DescribeLoadBalancersOutput, E>,
    unknown: &dyn Fn() -> Error,
) -> Result<Option<LoadBalancer>>
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
{
    match answer {
        Ok(out) => Ok(out.load_balancers().first().cloned()),
        Err(e) => {
            let err = Error::from_aws("DescribeLoadBalancers", e);
            // A malformed ARN or name is as unknown as a missing one.
            if is_not_found(&err) || err.aws_code() == Some("ValidationError") { Err(unknown()) } else { Err(err) }
        }
    }
}

/// The document form: what an alias record to it needs.
pub fn document(lb: &LoadBalancer, region: &str) -> LoadBalancerDoc {
    let ip = lb.ip_address_type().map(|t| t.as_str().to_owned()).unwrap_or_default();
    LoadBalancerDoc {
        arn: lb.load_balancer_arn().unwrap_or_default().to_owned(),
        name: lb.load_balancer_name().unwrap_or_default().to_owned(),
        region: region.to_owned(),
        dns_name: lb.dns_name().unwrap_or_default().to_ascii_lowercase(),
        canonical_zone_id: lb.canonical_hosted_zone_id().unwrap_or_default().to_owned(),
        dualstack: ip.starts_with("dualstack"),
        ..LoadBalancerDoc::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_told_apart() {
        let arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
        assert_eq!(LbRef::parse(arn).unwrap(), LbRef::Arn(arn.into()));
        assert_eq!(
            LbRef::parse("dualstack.Web-1.us-east-1.elb.amazonaws.com.").unwrap(),
            LbRef::DnsName("web-1.us-east-1.elb.amazonaws.com".into())
        );
        assert_eq!(LbRef::parse("web-lb").unwrap(), LbRef::Name("web-lb".into()));
        for bad in ["", "-web", "web_lb", "a-name-that-is-much-longer-than-32-chars", "arn:aws:iam::1:role/x"] {
            assert_eq!(LbRef::parse(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }
}
