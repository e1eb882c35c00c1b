//! ELBv2 calls around the listener plan: the load balancer's listeners (with every
//! certificate of its HTTPS ones), target groups named by the user, the TLS policy check,
//! and carrying out the steps, retrying the minute in which ELB refuses a certificate that
//! ACM has only just issued.

use crate::listener_plan::{Action, HTTPS_PORT, Listener, Step};
use aws_sdk_elasticloadbalancingv2::Client;
use aws_sdk_elasticloadbalancingv2::error::ProvideErrorMetadata;
use aws_sdk_elasticloadbalancingv2::types::{
    Action as ApiAction, ActionTypeEnum, Certificate, ForwardActionConfig, ProtocolEnum, RedirectActionConfig,
    RedirectActionStatusCodeEnum, Tag, TargetGroupTuple,
};
use awsops_core::error::aws_error;
use awsops_core::ownership::TOOL_TAG;
use awsops_core::waiter::{Poll, Waiter};
use awsops_core::{Error, Result};
use std::time::Duration;

use awsops_core::permissions::Grant;

/// The load balancer's listeners, their certificates, target groups and the TLS policy
/// (Describe calls: `*` only).
pub static READ_LISTENERS: Grant = Grant::any(
    "ReadListeners",
    &[
        "elasticloadbalancing:DescribeListenerCertificates",
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeSSLPolicies",
        "elasticloadbalancing:DescribeTargetGroups",
    ],
);
/// The HTTPS listener (tagged on creation), its certificate, and the HTTP redirect, on
/// the named load balancer (`{load_balancer}`: its name, when given by name).
pub static CHANGE_LISTENERS: Grant = Grant::any(
    "ServeHttps",
    &[
        "elasticloadbalancing:AddListenerCertificates",
        "elasticloadbalancing:AddTags",
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:ModifyListener",
    ],
)
.on(&[
    "arn:{partition}:elasticloadbalancing:{region}:{account}:loadbalancer/*/{load_balancer}/*",
    "arn:{partition}:elasticloadbalancing:{region}:{account}:listener/*/{load_balancer}/*",
]);

fn action_of(a: &ApiAction) -> Action {
    match a.r#type() {
        Some(ActionTypeEnum::Forward) => {
            let tuples = a.forward_config().map(|f| f.target_groups()).unwrap_or_default();
            let target_groups = if tuples.is_empty() {
                a.target_group_arn().map(|arn| vec![(arn.to_owned(), None)]).unwrap_or_default()
            } else {
                tuples.iter().filter_map(|t| t.target_group_arn().map(|arn| (arn.to_owned(), t.weight()))).collect()
            };
            Action::Forward { target_groups }
        }
        Some(ActionTypeEnum::Redirect) => {
            let r = a.redirect_config();
            Action::Redirect {
                protocol: r.and_then(|r| r.protocol()).unwrap_or("#{protocol}").to_owned(),
                port: r.and_then(|r| r.port()).unwrap_or("#{port}").to_owned(),
                status: r.and_then(|r| r.status_code()).map(|s| s.as_str().to_owned()).unwrap_or_default(),
            }
        }
        other => Action::Other { kind: other.map(|t| t.as_str().to_owned()).unwrap_or_default() },
    }
}

/// The listeners, each HTTPS one with its whole certificate list (default first).
pub async fn describe(elb: &Client, lb_arn: &str) -> Result<Vec<Listener>> {
    let out = elb.describe_listeners().load_balancer_arn(lb_arn).send().await.map_err(aws_error("DescribeListeners"))?;
    let mut listeners: Vec<Listener> = out
        .listeners()
        .iter()
        .map(|l| {
            let mut actions: Vec<&ApiAction> = l.default_actions().iter().collect();
            actions.sort_by_key(|a| a.order().unwrap_or(i32::MAX));
            Listener {
                arn: l.listener_arn().unwrap_or_default().to_owned(),
                port: l.port().unwrap_or_default(),
                protocol: l.protocol().map(|p| p.as_str().to_owned()).unwrap_or_default(),
                actions: actions.into_iter().map(action_of).collect(),
                certificates: l.certificates().iter().filter_map(|c| c.certificate_arn().map(str::to_owned)).collect(),
            }
        })
        .collect();
    let https: Vec<usize> = (0..listeners.len()).filter(|i| listeners[*i].protocol == "HTTPS").collect();
    let lists = futures_util::future::try_join_all(https.iter().map(|i| certificates(elb, &listeners[*i].arn))).await?;
    for (i, list) in https.into_iter().zip(lists) {
        for arn in list {
            if !listeners[i].certificates.contains(&arn) {
                listeners[i].certificates.push(arn);
            }
        }
    }
    Ok(listeners)
}

async fn certificates(elb: &Client, listener_arn: &str) -> Result<Vec<String>> {
    let mut all = Vec::new();
    let mut marker = None;
    loop {
        let out = elb
            .describe_listener_certificates()
            .listener_arn(listener_arn)
            .set_marker(marker)
            .send()
            .await
            .map_err(aws_error("DescribeListenerCertificates"))?;
        all.extend(out.certificates().iter().filter_map(|c| c.certificate_arn().map(str::to_owned)));
        marker = out.next_marker().map(str::to_owned);
        if marker.is_none() {
            return Ok(all);
        }
    }
}

/// Target groups by name or ARN, checked to exist and to be in the load balancer's VPC.
pub async fn target_groups(elb: &Client, given: &[String], vpc_id: Option<&str>) -> Result<Vec<String>> {
    let mut arns = Vec::new();
    for tg in given {
        let call = if tg.starts_with("arn:") {
            elb.describe_target_groups().target_group_arns(tg)
        } else {
            elb.describe_target_groups().names(tg)
        };
        let out = match call.send().await {
            Ok(out) => out,
            Err(e) if matches!(e.code(), Some("TargetGroupNotFound" | "ValidationError")) => {
                return Err(Error::usage(format!("no target group {tg}")));
            }
            Err(e) => return Err(Error::from_aws("DescribeTargetGroups", e)),
        };
        let found = out.target_groups().first().ok_or_else(|| Error::usage(format!("no target group {tg}")))?;
        if let (Some(want), Some(have)) = (vpc_id, found.vpc_id())
            && want != have
        {
            return Err(Error::usage(format!("target group {tg} is in {have}, the load balancer in {want}")));
        }
        arns.push(found.target_group_arn().unwrap_or_default().to_owned());
    }
    Ok(arns)
}

/// A TLS policy ELB knows (checked up front, so a typo fails before any change).
pub async fn check_ssl_policy(elb: &Client, policy: &str) -> Result<()> {
    match elb.describe_ssl_policies().names(policy).send().await {
        Ok(out) if out.ssl_policies().iter().any(|p| p.name() == Some(policy)) => Ok(()),
        Ok(_) => Err(Error::usage(format!("unknown TLS policy {policy}"))),
        Err(e) if matches!(e.code(), Some("SSLPolicyNotFound" | "ValidationError")) => {
            Err(Error::usage(format!("unknown TLS policy {policy}")))
        }
        Err(e) => Err(Error::from_aws("DescribeSslPolicies", e)),
    }
}

fn redirect_action() -> ApiAction {
    let config = RedirectActionConfig::builder()
        .protocol("HTTPS")
        .port(HTTPS_PORT.to_string())
        .status_code(RedirectActionStatusCodeEnum::Http301)
        .build();
    ApiAction::builder().r#type(ActionTypeEnum::Redirect).redirect_config(config).build()
}

fn forward_action(forward: &[(String, Option<i32>)]) -> ApiAction {
    let b = ApiAction::builder().r#type(ActionTypeEnum::Forward);
    let b = match forward {
        [(arn, None)] => b.target_group_arn(arn),
        many => b.forward_config(
            ForwardActionConfig::builder()
                .set_target_groups(Some(
                    many.iter()
                        .map(|(arn, weight)| TargetGroupTuple::builder().target_group_arn(arn).set_weight(*weight).build())
                        .collect(),
                ))
                .build(),
        ),
    };
    b.build()
}

fn tool_tag() -> Tag {
    Tag::builder().key(TOOL_TAG).value(crate::NAME).build()
}

/// Carries out one step; returns the ARN of the listener it made or changed.
pub async fn apply(elb: &Client, lb_arn: &str, step: &Step, certificate_arn: &str, timeout: Duration) -> Result<String> {
    let cert = Certificate::builder().certificate_arn(certificate_arn).build();
    match step {
        Step::CreateHttps { port, ssl_policy, forward } => {
            let action = forward_action(forward);
            refused_while_new(certificate_arn, timeout, || {
                create_listener_once(elb, lb_arn, *port, || {
                    elb.create_listener()
                        .load_balancer_arn(lb_arn)
                        .protocol(ProtocolEnum::Https)
                        .port(*port)
                        .ssl_policy(ssl_policy)
                        .certificates(cert.clone())
                        .default_actions(action.clone())
                        .tags(tool_tag())
                })
            })
            .await
        }
        Step::AddCertificate { listener_arn, .. } => {
            refused_while_new(certificate_arn, timeout, || async {
                elb.add_listener_certificates()
                    .listener_arn(listener_arn)
                    .certificates(cert.clone())
                    .send()
                    .await
                    .map(|_| listener_arn.clone())
                    .map_err(|e| Error::from_aws("AddListenerCertificates", e))
            })
            .await
        }
        Step::RedirectHttp { listener_arn, .. } => {
            elb.modify_listener()
                .listener_arn(listener_arn)
                .default_actions(redirect_action())
                .send()
                .await
                .map_err(aws_error("ModifyListener"))?;
            Ok(listener_arn.clone())
        }
        Step::CreateHttpRedirect { port } => {
            create_listener_once(elb, lb_arn, *port, || {
                elb.create_listener()
                    .load_balancer_arn(lb_arn)
                    .protocol(ProtocolEnum::Http)
                    .port(*port)
                    .default_actions(redirect_action())
                    .tags(tool_tag())
            })
            .await
        }
    }
}

/// A port holds one listener, so a create whose answer was lost is found again by its
/// port instead of being sent twice (AWS answers a repeat with the same listener; moto
/// makes a second one).
async fn create_listener_once<B>(elb: &Client, lb_arn: &str, port: i32, build: B) -> Result<String>
where
    B: Fn() -> aws_sdk_elasticloadbalancingv2::operation::create_listener::builders::CreateListenerFluentBuilder,
{
    let arn = awsops_core::create_once::create_once(
        "CreateListener",
        || async {
            let one_attempt =
                aws_sdk_elasticloadbalancingv2::config::Builder::default().retry_config(awsops_core::create_once::single_attempt());
            build()
                .customize()
                .config_override(one_attempt)
                .send()
                .await
                .map(|out| out.listeners().first().and_then(|l| l.listener_arn()).unwrap_or_default().to_owned())
        },
        || async {
            let out = elb.describe_listeners().load_balancer_arn(lb_arn).send().await.map_err(aws_error("DescribeListeners"))?;
            Ok(out.listeners().iter().filter(|l| l.port() == Some(port)).filter_map(|l| l.listener_arn()).min().map(str::to_owned))
        },
    )
    .await?;
    awsops_core::create_once::nonempty_id("CreateListener", arn)
}

/// ELB can refuse a certificate for a short while after ACM issues it (it has not reached
/// ELB yet): those refusals are retried with backoff until the deadline.
async fn refused_while_new<F, Fut>(certificate_arn: &str, timeout: Duration, mut call: F) -> Result<String>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<String>>,
{
    Waiter::new(format!("the load balancer to accept certificate {certificate_arn}"), timeout.min(Duration::from_secs(300)))
        .delays(Duration::from_secs(2), Duration::from_secs(15))
        .wait(|| {
            let attempt = call();
            async move {
                match attempt.await {
                    Ok(arn) => Ok(Poll::Ready(arn)),
                    Err(e) if is_new_certificate_refusal(e.aws_code()) => {
                        tracing::info!("not accepted yet: {e}");
                        Ok(Poll::Pending(e.aws_code().unwrap_or_default().to_owned()))
                    }
                    Err(e) => Err(e),
                }
            }
        })
        .await
}

pub fn is_new_certificate_refusal(code: Option<&str>) -> bool {
    matches!(code, Some("CertificateNotFound" | "UnsupportedCertificate"))
}
