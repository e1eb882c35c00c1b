//! The ELBv2 calls of the load balancer, one small function per API action: what ELBv2
//! reports for a name (observe), the creates (token-less, so through `create_once`, found
//! again by their unique name and ownership tags), the attribute and listener changes,
//! target (de)registration, the wait until healthy, and the deletes `destroy` runs.

use crate::lb_plan::{ListenerDefault, ObservedLb, ObservedListener, ObservedLoadBalancer, ObservedTargetGroup, RegisteredTarget};
use crate::lb_spec::HealthCheck;
use crate::plan::TargetRef;
use aws_sdk_elasticloadbalancingv2::Client;
use aws_sdk_elasticloadbalancingv2::types::{
    Action as ListenerAction, ActionTypeEnum, LoadBalancer, LoadBalancerAttribute, LoadBalancerSchemeEnum, LoadBalancerTypeEnum, Matcher,
    ProtocolEnum, Tag, TargetDescription, TargetGroup, TargetGroupAttribute, TargetTypeEnum,
};
use awsops_core::create_once::{self, create_once};
use awsops_core::ec2::retry_codes;
use awsops_core::error::{aws_error, is_not_found};
use awsops_core::ownership::{Ownership, STACK_TAG, TOOL_TAG};
use awsops_core::waiter::{Poll, Waiter};
use awsops_core::{Error, Result, all_items};
use std::collections::BTreeMap;
use std::time::Duration;

pub const LOAD_BALANCER_ROLE: &str = "load-balancer";
pub const TARGET_GROUP_ROLE: &str = "target-group";

/// The ownership tags, as ELBv2 takes them.
fn tags(owner: &Ownership, role: &str, name: &str) -> Vec<Tag> {
    owner.tags(role, name).into_iter().map(|(k, v)| Tag::builder().key(k).value(v).build()).collect()
}

/// One attempt per create call: `create_once` decides about the rest.
fn one_attempt() -> aws_sdk_elasticloadbalancingv2::config::Builder {
    aws_sdk_elasticloadbalancingv2::config::Builder::default().retry_config(create_once::single_attempt())
}

/// A not-found answer as "none" (a name that does not exist yet).
fn none_if_missing<T>(result: Result<T>) -> Result<Option<T>> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn describe_load_balancer(elb: &Client, name: &str) -> Result<Option<LoadBalancer>> {
    let out = none_if_missing(elb.describe_load_balancers().names(name).send().await.map_err(aws_error("DescribeLoadBalancers")))?;
    Ok(out.and_then(|o| o.load_balancers().first().cloned()))
}

pub async fn describe_target_group(elb: &Client, name: &str) -> Result<Option<TargetGroup>> {
    let out = none_if_missing(elb.describe_target_groups().names(name).send().await.map_err(aws_error("DescribeTargetGroups")))?;
    Ok(out.and_then(|o| o.target_groups().first().cloned()))
}

/// The tags of up to 20 resources (ELBv2's limit per call), by ARN.
async fn describe_tags(elb: &Client, arns: &[String]) -> Result<BTreeMap<String, Vec<(String, String)>>> {
    let mut all = BTreeMap::new();
    for chunk in arns.chunks(20) {
        let out = elb.describe_tags().set_resource_arns(Some(chunk.to_vec())).send().await.map_err(aws_error("DescribeTags"))?;
        for d in out.tag_descriptions() {
            let pairs =
                d.tags().iter().map(|t| (t.key().unwrap_or_default().to_owned(), t.value().unwrap_or_default().to_owned())).collect();
            all.insert(d.resource_arn().unwrap_or_default().to_owned(), pairs);
        }
    }
    Ok(all)
}

fn owned_by(owner: &Ownership, tags: Option<&Vec<(String, String)>>) -> bool {
    tags.is_some_and(|t| owner.owns(t.iter().map(|(k, v)| (k.as_str(), v.as_str()))))
}

async fn load_balancer_attributes(elb: &Client, arn: &str) -> Result<BTreeMap<String, String>> {
    let out =
        elb.describe_load_balancer_attributes().load_balancer_arn(arn).send().await.map_err(aws_error("DescribeLoadBalancerAttributes"))?;
    Ok(out.attributes().iter().filter_map(|a| Some((a.key()?.to_owned(), a.value().unwrap_or_default().to_owned()))).collect())
}

async fn target_group_attributes(elb: &Client, arn: &str) -> Result<BTreeMap<String, String>> {
    let out =
        elb.describe_target_group_attributes().target_group_arn(arn).send().await.map_err(aws_error("DescribeTargetGroupAttributes"))?;
    Ok(out.attributes().iter().filter_map(|a| Some((a.key()?.to_owned(), a.value().unwrap_or_default().to_owned()))).collect())
}

/// The listener of a load balancer on `port`.
pub async fn listener_on(elb: &Client, lb_arn: &str, port: u16) -> Result<Option<aws_sdk_elasticloadbalancingv2::types::Listener>> {
    let listeners: Vec<aws_sdk_elasticloadbalancingv2::types::Listener> =
        all_items!(elb.describe_listeners().load_balancer_arn(lb_arn), "DescribeListeners")?;
    Ok(listeners.into_iter().find(|l| l.port() == Some(i32::from(port))))
}

/// A listener's default action, as convergence sees it.
pub fn listener_default(actions: &[ListenerAction]) -> ListenerDefault {
    let Some(first) = actions.iter().min_by_key(|a| a.order().unwrap_or(i32::MAX)) else {
        return ListenerDefault::Other("none".into());
    };
    match first.r#type() {
        Some(ActionTypeEnum::Forward) => {
            let mut groups: Vec<String> = first.target_group_arn().map(str::to_owned).into_iter().collect();
            if groups.is_empty() {
                groups = first
                    .forward_config()
                    .map(|f| f.target_groups().iter().filter_map(|t| t.target_group_arn().map(str::to_owned)).collect())
                    .unwrap_or_default();
            }
            ListenerDefault::Forward(groups)
        }
        Some(ActionTypeEnum::Redirect) if first.redirect_config().and_then(|r| r.protocol()) == Some("HTTPS") => {
            ListenerDefault::RedirectToHttps
        }
        other => ListenerDefault::Other(other.map(|t| t.as_str().to_owned()).unwrap_or_default()),
    }
}

async fn registered_targets(elb: &Client, tg_arn: &str) -> Result<Vec<RegisteredTarget>> {
    let out = elb.describe_target_health().target_group_arn(tg_arn).send().await.map_err(aws_error("DescribeTargetHealth"))?;
    Ok(out
        .target_health_descriptions()
        .iter()
        .filter_map(|d| {
            let target = d.target()?;
            Some(RegisteredTarget {
                id: target.id()?.to_owned(),
                port: target.port().and_then(|p| u16::try_from(p).ok()).unwrap_or_default(),
                state: d.target_health().and_then(|h| h.state()).map(|s| s.as_str().to_owned()).unwrap_or_default(),
            })
        })
        .collect())
}

fn health_of(tg: &TargetGroup) -> HealthCheck {
    HealthCheck {
        path: tg.health_check_path().unwrap_or("/").to_owned(),
        interval_seconds: tg.health_check_interval_seconds().unwrap_or_default(),
        timeout_seconds: tg.health_check_timeout_seconds().unwrap_or_default(),
        healthy_threshold: tg.healthy_threshold_count().unwrap_or_default(),
        unhealthy_threshold: tg.unhealthy_threshold_count().unwrap_or_default(),
        matcher: tg.matcher().and_then(|m| m.http_code()).unwrap_or_default().to_owned(),
    }
}

/// Everything ELBv2 reports for the name: one round for the two lookups, one for the rest.
pub async fn observe(elb: &Client, owner: &Ownership, name: &str) -> Result<ObservedLb> {
    let (lb, tg) = tokio::try_join!(describe_load_balancer(elb, name), describe_target_group(elb, name))?;
    let arns: Vec<String> =
        lb.iter().filter_map(|l| l.load_balancer_arn()).chain(tg.iter().filter_map(|t| t.target_group_arn())).map(str::to_owned).collect();
    let lb_arn = lb.as_ref().and_then(|l| l.load_balancer_arn()).unwrap_or_default().to_owned();
    let tg_arn = tg.as_ref().and_then(|t| t.target_group_arn()).unwrap_or_default().to_owned();
    let (tags, lb_attributes, tg_attributes, listener, registered) = tokio::try_join!(
        async { if arns.is_empty() { Ok(BTreeMap::new()) } else { describe_tags(elb, &arns).await } },
        async { if lb.is_some() { load_balancer_attributes(elb, &lb_arn).await } else { Ok(BTreeMap::new()) } },
        async { if tg.is_some() { target_group_attributes(elb, &tg_arn).await } else { Ok(BTreeMap::new()) } },
        async { if lb.is_some() { listener_on(elb, &lb_arn, crate::lb_plan::HTTP_PORT).await } else { Ok(None) } },
        async { if tg.is_some() { registered_targets(elb, &tg_arn).await } else { Ok(Vec::new()) } },
    )?;
    Ok(ObservedLb {
        load_balancer: lb.as_ref().map(|l| ObservedLoadBalancer {
            arn: lb_arn.clone(),
            vpc_id: l.vpc_id().unwrap_or_default().to_owned(),
            owned: owned_by(owner, tags.get(&lb_arn)),
            attributes: lb_attributes,
        }),
        target_group: tg.as_ref().map(|t| ObservedTargetGroup {
            arn: tg_arn.clone(),
            vpc_id: t.vpc_id().unwrap_or_default().to_owned(),
            owned: owned_by(owner, tags.get(&tg_arn)),
            port: t.port().and_then(|p| u16::try_from(p).ok()).unwrap_or_default(),
            health: health_of(t),
            attributes: tg_attributes,
        }),
        listener: listener.map(|l| ObservedListener {
            arn: l.listener_arn().unwrap_or_default().to_owned(),
            default: listener_default(l.default_actions()),
        }),
        registered,
    })
}

/// The stack's load balancers and target groups (name, ARN), by their ownership tags.
pub async fn owned_resources(elb: &Client, owner: &Ownership) -> Result<(Vec<(String, String)>, Vec<(String, String)>)> {
    let (lbs, tgs) = tokio::try_join!(
        async {
            let all: Vec<LoadBalancer> = all_items!(elb.describe_load_balancers(), "DescribeLoadBalancers")?;
            Ok::<_, Error>(all)
        },
        async {
            let all: Vec<TargetGroup> = all_items!(elb.describe_target_groups(), "DescribeTargetGroups")?;
            Ok::<_, Error>(all)
        },
    )?;
    let arns: Vec<String> = lbs
        .iter()
        .filter_map(|l| l.load_balancer_arn())
        .chain(tgs.iter().filter_map(|t| t.target_group_arn()))
        .map(str::to_owned)
        .collect();
    let tags = if arns.is_empty() { BTreeMap::new() } else { describe_tags(elb, &arns).await? };
    let ours = |arn: &str| {
        tags.get(arn).is_some_and(|t| {
            t.iter().any(|(k, v)| k == STACK_TAG && *v == owner.stack) && t.iter().any(|(k, v)| k == TOOL_TAG && v == owner.tool)
        })
    };
    let pick = |name: Option<&str>, arn: Option<&str>| match (name, arn) {
        (Some(n), Some(a)) if ours(a) => Some((n.to_owned(), a.to_owned())),
        _ => None,
    };
    let mut load_balancers: Vec<(String, String)> =
        lbs.iter().filter_map(|l| pick(l.load_balancer_name(), l.load_balancer_arn())).collect();
    let mut target_groups: Vec<(String, String)> = tgs.iter().filter_map(|t| pick(t.target_group_name(), t.target_group_arn())).collect();
    load_balancers.sort();
    target_groups.sort();
    Ok((load_balancers, target_groups))
}

/// The ARN, when the resource carries the stack's ownership tags (what a create whose
/// answer was lost looks for: a name is unique, but may be someone else's).
async fn ours(elb: &Client, owner: &Ownership, arn: Option<String>) -> Result<Option<String>> {
    match arn {
        Some(arn) if owned_by(owner, describe_tags(elb, std::slice::from_ref(&arn)).await?.get(&arn)) => Ok(Some(arn)),
        _ => Ok(None),
    }
}

fn health_matcher(health: &HealthCheck) -> Matcher {
    Matcher::builder().http_code(&health.matcher).build()
}

pub async fn create_target_group(
    elb: &Client,
    owner: &Ownership,
    vpc: &str,
    name: &str,
    port: u16,
    health: &HealthCheck,
) -> Result<String> {
    let found = || async {
        let arn = describe_target_group(elb, name).await?.and_then(|t| t.target_group_arn().map(str::to_owned));
        ours(elb, owner, arn).await
    };
    create_once(
        "CreateTargetGroup",
        || async {
            let out = elb
                .create_target_group()
                .name(name)
                .protocol(ProtocolEnum::Http)
                .port(i32::from(port))
                .vpc_id(vpc)
                .target_type(TargetTypeEnum::Instance)
                .health_check_protocol(ProtocolEnum::Http)
                .health_check_path(&health.path)
                .health_check_interval_seconds(health.interval_seconds)
                .health_check_timeout_seconds(health.timeout_seconds)
                .healthy_threshold_count(health.healthy_threshold)
                .unhealthy_threshold_count(health.unhealthy_threshold)
                .matcher(health_matcher(health))
                .set_tags(Some(tags(owner, TARGET_GROUP_ROLE, name)))
                .customize()
                .config_override(one_attempt())
                .send()
                .await?;
            Ok(out.target_groups().first().and_then(|t| t.target_group_arn()).unwrap_or_default().to_owned())
        },
        found,
    )
    .await
    .and_then(|arn| create_once::nonempty_id("CreateTargetGroup", arn))
}

pub async fn modify_health_check(elb: &Client, tg: &str, health: &HealthCheck) -> Result<()> {
    elb.modify_target_group()
        .target_group_arn(tg)
        .health_check_path(&health.path)
        .health_check_interval_seconds(health.interval_seconds)
        .health_check_timeout_seconds(health.timeout_seconds)
        .healthy_threshold_count(health.healthy_threshold)
        .unhealthy_threshold_count(health.unhealthy_threshold)
        .matcher(health_matcher(health))
        .send()
        .await
        .map(drop)
        .map_err(aws_error("ModifyTargetGroup"))
}

pub async fn set_target_group_attributes(elb: &Client, tg: &str, attributes: &BTreeMap<String, String>) -> Result<()> {
    let attrs = attributes.iter().map(|(k, v)| TargetGroupAttribute::builder().key(k).value(v).build()).collect();
    elb.modify_target_group_attributes()
        .target_group_arn(tg)
        .set_attributes(Some(attrs))
        .send()
        .await
        .map(drop)
        .map_err(aws_error("ModifyTargetGroupAttributes"))
}

pub async fn create_load_balancer(elb: &Client, owner: &Ownership, name: &str, subnets: &[String], security_group: &str) -> Result<String> {
    let found = || async {
        let arn = describe_load_balancer(elb, name).await?.and_then(|l| l.load_balancer_arn().map(str::to_owned));
        ours(elb, owner, arn).await
    };
    create_once(
        "CreateLoadBalancer",
        || async {
            let out = elb
                .create_load_balancer()
                .name(name)
                .r#type(LoadBalancerTypeEnum::Application)
                .scheme(LoadBalancerSchemeEnum::InternetFacing)
                .set_subnets(Some(subnets.to_vec()))
                .security_groups(security_group)
                .set_tags(Some(tags(owner, LOAD_BALANCER_ROLE, name)))
                .customize()
                .config_override(one_attempt())
                .send()
                .await?;
            Ok(out.load_balancers().first().and_then(|l| l.load_balancer_arn()).unwrap_or_default().to_owned())
        },
        found,
    )
    .await
    .and_then(|arn| create_once::nonempty_id("CreateLoadBalancer", arn))
}

pub async fn set_load_balancer_attributes(elb: &Client, lb: &str, attributes: &BTreeMap<String, String>) -> Result<()> {
    let attrs = attributes.iter().map(|(k, v)| LoadBalancerAttribute::builder().key(k).value(v).build()).collect();
    elb.modify_load_balancer_attributes()
        .load_balancer_arn(lb)
        .set_attributes(Some(attrs))
        .send()
        .await
        .map(drop)
        .map_err(aws_error("ModifyLoadBalancerAttributes"))
}

fn forward_to(tg: &str) -> ListenerAction {
    ListenerAction::builder().r#type(ActionTypeEnum::Forward).target_group_arn(tg).build()
}

pub async fn create_listener(elb: &Client, lb: &str, port: u16, tg: &str) -> Result<String> {
    create_once(
        "CreateListener",
        || async {
            let out = elb
                .create_listener()
                .load_balancer_arn(lb)
                .protocol(ProtocolEnum::Http)
                .port(i32::from(port))
                .default_actions(forward_to(tg))
                .customize()
                .config_override(one_attempt())
                .send()
                .await?;
            Ok(out.listeners().first().and_then(|l| l.listener_arn()).unwrap_or_default().to_owned())
        },
        || async { Ok(listener_on(elb, lb, port).await?.and_then(|l| l.listener_arn().map(str::to_owned))) },
    )
    .await
    .and_then(|arn| create_once::nonempty_id("CreateListener", arn))
}

pub async fn forward_listener(elb: &Client, listener: &str, tg: &str) -> Result<()> {
    elb.modify_listener().listener_arn(listener).default_actions(forward_to(tg)).send().await.map(drop).map_err(aws_error("ModifyListener"))
}

fn descriptions(targets: &[TargetRef]) -> Vec<TargetDescription> {
    targets.iter().map(|t| TargetDescription::builder().id(&t.id).port(i32::from(t.port)).build()).collect()
}

pub async fn register_targets(elb: &Client, tg: &str, targets: &[TargetRef]) -> Result<()> {
    elb.register_targets()
        .target_group_arn(tg)
        .set_targets(Some(descriptions(targets)))
        .send()
        .await
        .map(drop)
        .map_err(aws_error("RegisterTargets"))
}

pub async fn deregister_targets(elb: &Client, tg: &str, targets: &[TargetRef]) -> Result<()> {
    elb.deregister_targets()
        .target_group_arn(tg)
        .set_targets(Some(descriptions(targets)))
        .send()
        .await
        .map(drop)
        .map_err(aws_error("DeregisterTargets"))
}

/// Waits until every target is `healthy`; names the ones that are not when time runs out.
pub async fn wait_targets_healthy(elb: &Client, tg: &str, targets: &[TargetRef], timeout: Duration) -> Result<()> {
    let what = format!("{} target(s) to be healthy", targets.len());
    Waiter::new(what, timeout)
        .wait(|| async {
            let seen = registered_targets(elb, tg).await?;
            let waiting: Vec<String> = targets
                .iter()
                .filter(|t| !seen.iter().any(|s| s.id == t.id && s.port == t.port && s.state == "healthy"))
                .map(|t| {
                    let state = seen.iter().find(|s| s.id == t.id).map(|s| s.state.as_str()).unwrap_or("not registered");
                    format!("{} {state}", t.id)
                })
                .collect();
            Ok(if waiting.is_empty() { Poll::Ready(()) } else { Poll::Pending(waiting.join(", ")) })
        })
        .await
}

/// Deletes a load balancer (its listeners go with it) and waits until ELBv2 no longer
/// reports it; deletion protection, when on, is turned off first.
pub async fn delete_load_balancer(elb: &Client, lb: &str, timeout: Duration) -> Result<()> {
    let attributes = match none_if_missing(load_balancer_attributes(elb, lb).await)? {
        Some(a) => a,
        None => return Ok(()),
    };
    if attributes.get("deletion_protection.enabled").is_some_and(|v| v == "true") {
        tracing::warn!("{lb}: turning deletion protection off to delete it");
        let off = BTreeMap::from([("deletion_protection.enabled".to_owned(), "false".to_owned())]);
        set_load_balancer_attributes(elb, lb, &off).await?;
    }
    match elb.delete_load_balancer().load_balancer_arn(lb).send().await.map_err(aws_error("DeleteLoadBalancer")) {
        Err(e) if is_not_found(&e) => return Ok(()),
        other => other.map(drop)?,
    }
    Waiter::new(format!("load balancer {lb} to be deleted"), timeout)
        .wait(|| async {
            let out = elb.describe_load_balancers().load_balancer_arns(lb).send().await.map_err(aws_error("DescribeLoadBalancers"));
            match none_if_missing(out)? {
                Some(o) if !o.load_balancers().is_empty() => Ok(Poll::Pending("still there".into())),
                _ => Ok(Poll::Ready(())),
            }
        })
        .await
}

/// Deletes a target group, retrying while a listener still uses it.
pub async fn delete_target_group(elb: &Client, tg: &str, timeout: Duration) -> Result<()> {
    let deleted =
        retry_codes("DeleteTargetGroup", |code| code == "ResourceInUse", timeout, || elb.delete_target_group().target_group_arn(tg).send())
            .await
            .map(drop);
    match deleted {
        Err(e) if is_not_found(&e) => Ok(()),
        other => other,
    }
}

/// Reading the stack's load balancer, target group, listeners and target health back by
/// name and tags (ELBv2's Describe calls work only on `*`).
pub static READ_LOAD_BALANCER: awsops_core::permissions::Grant = awsops_core::permissions::Grant::any(
    "ReadLoadBalancer",
    &[
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeTags",
        "elasticloadbalancing:DescribeTargetGroupAttributes",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetHealth",
    ],
);
/// Creating the load balancer, target group and listener with the stack's tags (ELBv2
/// authorizes the tags as AddTags). AWS makes the ALB service-linked role on an account's
/// first load balancer.
pub static CREATE_LOAD_BALANCER: awsops_core::permissions::Grant = awsops_core::permissions::Grant::any(
    "CreateLoadBalancer",
    &[
        "elasticloadbalancing:AddTags",
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:CreateLoadBalancer",
        "elasticloadbalancing:CreateTargetGroup",
    ],
)
.on(&[
    "arn:{partition}:elasticloadbalancing:{region}:{account}:loadbalancer/app/*",
    "arn:{partition}:elasticloadbalancing:{region}:{account}:targetgroup/*",
    "arn:{partition}:elasticloadbalancing:{region}:{account}:listener/app/*",
])
.tags_on_create();
pub static ALB_SERVICE_LINKED_ROLE: awsops_core::permissions::Grant =
    awsops_core::permissions::Grant::any("CreateAlbServiceLinkedRole", &["iam:CreateServiceLinkedRole"])
        .on(&["arn:{partition}:iam::{account}:role/aws-service-role/elasticloadbalancing.amazonaws.com/*"]);
/// Converging the stack's own load balancer: attributes, health checks, the listener's
/// default action, and the registered targets.
pub static CONVERGE_LOAD_BALANCER: awsops_core::permissions::Grant = awsops_core::permissions::Grant::any(
    "ConvergeOwnLoadBalancer",
    &[
        "elasticloadbalancing:DeregisterTargets",
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:RegisterTargets",
    ],
)
.on(&[
    "arn:{partition}:elasticloadbalancing:{region}:{account}:loadbalancer/app/*",
    "arn:{partition}:elasticloadbalancing:{region}:{account}:targetgroup/*",
    "arn:{partition}:elasticloadbalancing:{region}:{account}:listener/app/*",
])
.owned();
/// `destroy`: deletion protection off, then the load balancer and its target group.
pub static DELETE_LOAD_BALANCER: awsops_core::permissions::Grant = awsops_core::permissions::Grant::any(
    "DeleteOwnLoadBalancer",
    &[
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
    ],
)
.on(&[
    "arn:{partition}:elasticloadbalancing:{region}:{account}:loadbalancer/app/*",
    "arn:{partition}:elasticloadbalancing:{region}:{account}:targetgroup/*",
])
.owned();

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_elasticloadbalancingv2::types::{ForwardActionConfig, RedirectActionConfig, TargetGroupTuple};

    #[test]
    fn listener_defaults_are_read_as_convergence_needs() {
        assert_eq!(listener_default(&[forward_to("arn:tg")]), ListenerDefault::Forward(vec!["arn:tg".into()]));
        let config = ForwardActionConfig::builder().target_groups(TargetGroupTuple::builder().target_group_arn("arn:tg").build()).build();
        let weighted = ListenerAction::builder().r#type(ActionTypeEnum::Forward).forward_config(config).build();
        assert_eq!(listener_default(&[weighted]), ListenerDefault::Forward(vec!["arn:tg".into()]));
        let redirect = ListenerAction::builder()
            .r#type(ActionTypeEnum::Redirect)
            .redirect_config(RedirectActionConfig::builder().protocol("HTTPS").port("443").build())
            .build();
        assert_eq!(listener_default(&[redirect]), ListenerDefault::RedirectToHttps);
        let fixed = ListenerAction::builder().r#type(ActionTypeEnum::FixedResponse).build();
        assert_eq!(listener_default(&[fixed]), ListenerDefault::Other("fixed-response".into()));
        assert_eq!(listener_default(&[]), ListenerDefault::Other("none".into()));
    }
}
