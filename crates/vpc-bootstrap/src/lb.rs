//! `vpc-bootstrap lb`: the network's application load balancer, as the reference lab
//! builds it: internet-facing in the public subnets with the web group, a target group
//! with the health check asked for, an HTTP:80 listener forwarding to it, the instances
//! selected by id or tag registered (and those no longer selected deregistered), and a
//! bounded wait until they are healthy. Discover → plan → apply like `create`, under the
//! stack's lease when it changes anything; prints the `load-balancer` document that
//! cert-attach and dns-alias read.

use crate::lb_plan::{LbNetwork, ObservedLb};
use crate::lb_spec::{HealthCheck, LbSpec, TargetSelector};
use crate::{Clients, NAME, discover, lb_aws, plan};
use awsops_core::cli::{DryRun, Timeout};
use awsops_core::ec2::filter;
use awsops_core::kinds::{LoadBalancerDoc, LoadBalancerTarget, TargetHealth};
use awsops_core::output::Output;
use awsops_core::ownership::Ownership;
use awsops_core::stack_lease::StackLease;
use awsops_core::{CommonArgs, Error, Outcome, Result, all_items};
use clap::Args;
use std::time::Duration;

awsops_core::waits_for!(LoadBalancerWait, "10m", "Give up waiting (healthy targets, deletions) after this long");

#[derive(Args, Debug)]
pub struct LbArgs {
    /// Network name: the load balancer joins this network's public subnets and web group
    #[arg(value_name = "NAME", env = "AWSOPS_STACK")]
    pub stack: String,
    /// The load balancer's (and its target group's) name [default: NAME-web]
    #[arg(long = "name", value_name = "LB_NAME")]
    pub lb_name: Option<String>,
    /// Register these instances: an id (i-…) or a tag KEY=VALUE of running instances in the network (repeat or comma-separate); without it the registered targets are left as they are
    #[arg(long = "target", value_delimiter = ',', value_name = "ID|KEY=VALUE", env = "AWSOPS_LB_TARGETS")]
    pub targets: Vec<String>,
    /// The port the targets serve HTTP on
    #[arg(long, default_value_t = 80, value_name = "PORT")]
    pub port: u16,
    /// Health check: the URL path asked for
    #[arg(long, default_value = "/", value_name = "PATH")]
    pub health_path: String,
    /// Health check: seconds between checks (5-300)
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub health_interval: i32,
    /// Health check: seconds without an answer that fail a check (2-120, less than the interval)
    #[arg(long, default_value_t = 5, value_name = "SECONDS")]
    pub health_timeout: i32,
    /// Health check: consecutive successes before a target counts as healthy (2-10)
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub healthy_threshold: i32,
    /// Health check: consecutive failures before a target counts as unhealthy (2-10)
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub unhealthy_threshold: i32,
    /// Health check: the HTTP codes that mean healthy (200, 200,302 or 200-299)
    #[arg(long, default_value = "200", value_name = "CODES")]
    pub health_codes: String,
    /// Sticky sessions: a load-balancer cookie (lb_cookie) lasting this long, e.g. 1h, 1d (1s-7d); off without it
    #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
    pub stickiness: Option<Duration>,
    /// Write access logs to this S3 bucket (its policy must admit ELB's log delivery); off without it
    #[arg(long, value_name = "s3://BUCKET[/PREFIX]")]
    pub access_logs: Option<String>,
    /// Turn deletion protection on (destroy turns it off again before it deletes)
    #[arg(long)]
    pub deletion_protection: bool,
    /// Do not wait until the targets are healthy
    #[arg(long)]
    pub no_wait: bool,
    #[command(flatten)]
    pub dry_run: DryRun,
    #[command(flatten)]
    pub timeout: Timeout<LoadBalancerWait>,
}

fn parse_duration(text: &str) -> std::result::Result<Duration, String> {
    awsops_core::waiter::parse_timeout(text)
}

/// Everything the flags alone can refute, refuted before any call.
pub fn check_args(args: &LbArgs) -> Result<(Ownership, LbSpec)> {
    let owner = Ownership::new(NAME, &args.stack)?;
    let name = args.lb_name.clone().unwrap_or_else(|| format!("{}-web", args.stack));
    crate::lb_spec::check_name(&name)?;
    if args.port == 0 {
        return Err(Error::usage("--port 0 is not a port"));
    }
    let health = HealthCheck {
        path: args.health_path.clone(),
        interval_seconds: args.health_interval,
        timeout_seconds: args.health_timeout,
        healthy_threshold: args.healthy_threshold,
        unhealthy_threshold: args.unhealthy_threshold,
        matcher: args.health_codes.clone(),
    };
    health.check()?;
    let targets = if args.targets.is_empty() {
        None
    } else {
        Some(args.targets.iter().map(|t| crate::lb_spec::parse_target(t)).collect::<Result<Vec<_>>>()?)
    };
    let spec = LbSpec {
        name,
        port: args.port,
        health,
        stickiness_seconds: args.stickiness.map(crate::lb_spec::check_stickiness).transpose()?,
        access_logs: args.access_logs.as_deref().map(crate::lb_spec::parse_access_logs).transpose()?,
        deletion_protection: args.deletion_protection,
        targets,
    };
    Ok((owner, spec))
}

pub async fn run(common: &CommonArgs, args: LbArgs) -> Result<Outcome> {
    let (owner, spec) = check_args(&args)?;
    let c = crate::clients(common).await?;
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&c.config);
    let net = network(&c, &owner).await?;
    let targets = match &spec.targets {
        Some(selectors) => Some(resolve_targets(&c.ec2, &net.vpc_id, selectors).await?),
        None => None,
    };
    let plan_now =
        |observed: &ObservedLb| crate::lb_plan::plan(&args.stack, &c.region, &spec, &net, observed, targets.as_deref(), !args.no_wait);
    let observed = lb_aws::observe(&elb, &owner, &spec.name).await?;
    let planned = plan_now(&observed)?;
    if args.dry_run.is_set() {
        Output::stdout().emit(&planned)?;
        return Ok(Outcome::Success);
    }
    if planned.changes_anything() || StackLease::held_by_another(&c.ec2, NAME, &args.stack).await? {
        // Under the lease a second run waits for the first, then finds what it made.
        let lease = StackLease::acquire(&c.ec2, NAME, &args.stack, args.timeout.get()).await?;
        let result = async {
            let observed = lb_aws::observe(&elb, &owner, &spec.name).await?;
            let planned = plan_now(&observed)?;
            for line in crate::render::describe_changes(&planned) {
                tracing::info!("{}: {line}", spec.name);
            }
            let ctx = crate::apply::Context::new(&c.ec2, &owner, args.timeout.get()).with_elb(elb.clone()).fenced(lease.fence());
            crate::apply::apply(&ctx, &planned).await
        }
        .await;
        lease.release().await;
        result?;
    } else if let Some(wait) = planned.steps.iter().find(|s| matches!(s.action, plan::Action::WaitTargetsHealthy { .. })) {
        let ctx = crate::apply::Context::new(&c.ec2, &owner, args.timeout.get()).with_elb(elb.clone());
        crate::apply::apply(&ctx, &plan::Plan { steps: vec![wait.clone()], ..planned.clone() }).await?;
    }
    Output::stdout().emit(&document(&elb, &c.region, &args.stack, &spec.name).await?)?;
    Ok(Outcome::Success)
}

/// The network's VPC, public subnets (in two AZs at least, as an ALB needs) and web group.
async fn network(c: &Clients, owner: &Ownership) -> Result<LbNetwork> {
    let existing = discover::discover(&c.ec2, owner, discover::Depth::Resources).await?;
    let stack = &owner.stack;
    let vpc = existing
        .vpc
        .as_ref()
        .ok_or_else(|| Error::usage(format!("no network named {stack} in {}: run `vpc-bootstrap create {stack}` first", c.region)))?;
    let public: Vec<&crate::state::ExistingSubnet> =
        existing.subnets.iter().filter(|s| s.tier == Some(crate::cidr_plan::Tier::Public)).collect();
    let mut azs: Vec<&str> = public.iter().map(|s| s.az.as_str()).collect();
    azs.sort();
    azs.dedup();
    if azs.len() < 2 {
        return Err(Error::usage(format!(
            "network {stack} has public subnets in {} AZ(s); an application load balancer needs two: re-run create with --azs 2 or more",
            azs.len()
        )));
    }
    let web = existing
        .security_group(crate::plan::WEB_GROUP)
        .ok_or_else(|| Error::usage(format!("network {stack} has no web security group: re-run `vpc-bootstrap create {stack}`")))?;
    let mut public_subnets: Vec<String> = public.iter().map(|s| s.id.clone()).collect();
    public_subnets.sort();
    Ok(LbNetwork { vpc_id: vpc.id.clone(), public_subnets, web_group: web.id.clone() })
}

/// The instance ids the selectors name: given ids must exist in the VPC (else exit 2);
/// tags select the VPC's pending or running instances.
async fn resolve_targets(ec2: &aws_sdk_ec2::Client, vpc_id: &str, selectors: &[TargetSelector]) -> Result<Vec<String>> {
    let mut ids: Vec<String> = Vec::new();
    let live = || filter("instance-state-name", ["pending", "running"]);
    for selector in selectors {
        match selector {
            TargetSelector::Instance(id) => {
                let found: std::result::Result<Vec<aws_sdk_ec2::types::Reservation>, Error> =
                    all_items!(ec2.describe_instances().instance_ids(id).filters(live()), "DescribeInstances");
                let in_vpc = match found {
                    Ok(r) => r.iter().flat_map(|r| r.instances()).any(|i| i.vpc_id() == Some(vpc_id)),
                    Err(e) if awsops_core::error::is_not_found(&e) => false,
                    Err(e) => return Err(e),
                };
                if !in_vpc {
                    return Err(Error::usage(format!("--target {id}: no pending or running instance {id} in {vpc_id}")));
                }
                ids.push(id.clone());
            }
            TargetSelector::Tag { key, value } => {
                let found: Vec<aws_sdk_ec2::types::Reservation> = all_items!(
                    ec2.describe_instances()
                        .filters(filter(&format!("tag:{key}"), [value.as_str()]))
                        .filters(filter("vpc-id", [vpc_id]))
                        .filters(live()),
                    "DescribeInstances"
                )?;
                let before = ids.len();
                // Filters are checked again here: some emulators ignore them.
                ids.extend(
                    found
                        .iter()
                        .flat_map(|r| r.instances())
                        .filter(|i| i.vpc_id() == Some(vpc_id))
                        .filter(|i| i.tags().iter().any(|t| t.key() == Some(key) && t.value() == Some(value)))
                        .filter_map(|i| i.instance_id().map(str::to_owned)),
                );
                if ids.len() == before {
                    tracing::warn!("--target {key}={value}: no pending or running instance in {vpc_id} has that tag");
                }
            }
        }
    }
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// The `load-balancer` document, as ELBv2 reports it now.
pub async fn document(elb: &aws_sdk_elasticloadbalancingv2::Client, region: &str, stack: &str, name: &str) -> Result<LoadBalancerDoc> {
    let (lb, tg) = tokio::try_join!(lb_aws::describe_load_balancer(elb, name), lb_aws::describe_target_group(elb, name))?;
    let lb = lb.ok_or_else(|| Error::failed(format!("load balancer {name} is not there after it was made")))?;
    let mut doc = awsops_core::load_balancer::document(&lb, region);
    let lb_arn = doc.arn.clone();
    let tg_arn = tg.as_ref().and_then(|t| t.target_group_arn()).map(str::to_owned);
    let (listener, health) = tokio::try_join!(lb_aws::listener_on(elb, &lb_arn, crate::lb_plan::HTTP_PORT), async {
        match &tg_arn {
            Some(arn) => elb
                .describe_target_health()
                .target_group_arn(arn)
                .send()
                .await
                .map(Some)
                .map_err(awsops_core::error::aws_error("DescribeTargetHealth")),
            None => Ok(None),
        }
    })?;
    doc.stack = Some(stack.to_owned());
    doc.vpc_id = lb.vpc_id().map(str::to_owned);
    doc.security_groups = lb.security_groups().to_vec();
    doc.target_group_arn = tg_arn;
    doc.listener_arn = listener.and_then(|l| l.listener_arn().map(str::to_owned));
    let mut targets: Vec<LoadBalancerTarget> = health
        .iter()
        .flat_map(|h| h.target_health_descriptions())
        .filter_map(|d| {
            let t = d.target()?;
            let state = d.target_health().and_then(|h| h.state()).map(|s| s.as_str()).unwrap_or_default();
            Some(LoadBalancerTarget {
                id: t.id()?.to_owned(),
                port: t.port().and_then(|p| u16::try_from(p).ok()).unwrap_or_default(),
                health: TargetHealth::parse(state).unwrap_or(TargetHealth::Unavailable),
            })
        })
        .collect();
    targets.sort_by(|a, b| a.id.cmp(&b.id));
    doc.targets = targets;
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(extra: &[&str]) -> LbArgs {
        let cli = crate::Cli::try_parse_from(["vpc-bootstrap", "lb", "lab"].iter().chain(extra)).unwrap();
        match cli.command {
            crate::Command::Lb(a) => *a,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn flags_make_the_spec() {
        let (_, spec) =
            check_args(&args(&["--target", "role=web,i-0123456789abcdef0", "--stickiness", "1d", "--health-path", "/up"])).unwrap();
        assert_eq!(spec.name, "lab-web");
        assert_eq!(spec.stickiness_seconds, Some(86400));
        assert_eq!(spec.health.path, "/up");
        assert_eq!(spec.targets.as_ref().map(Vec::len), Some(2));
        assert!(check_args(&args(&[])).unwrap().1.targets.is_none(), "no --target: targets left alone");
    }

    #[test]
    fn bad_flags_are_usage_errors() {
        for bad in [
            vec!["--name", "has_underscore"],
            vec!["--port", "0"],
            vec!["--health-interval", "2"],
            vec!["--health-timeout", "30"],
            vec!["--stickiness", "8d"],
            vec!["--access-logs", "logs"],
            vec!["--target", "web-1"],
        ] {
            assert_eq!(check_args(&args(&bad)).unwrap_err().exit_code(), 2, "{bad:?}");
        }
        let long_stack = crate::Cli::try_parse_from(["vpc-bootstrap", "lb", "a-stack-name-that-is-far-too-long"]).unwrap();
        let crate::Command::Lb(a) = long_stack.command else { panic!() };
        assert!(check_args(&a).unwrap_err().to_string().contains("--name"), "a default name over 32 characters asks for --name");
    }
}
