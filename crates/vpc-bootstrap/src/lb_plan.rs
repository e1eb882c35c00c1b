//! Planning the load balancer: the difference between what `vpc-bootstrap lb` asks for and
//! what ELBv2 reports, as steps of a `vpc-plan` (operation `load-balancer`). Pure: the dry
//! run prints it, `apply` runs it. A converged load balancer plans nothing (so a re-run
//! only reads); what AWS fixes at creation (a target group's port, the VPC) is refused.

use crate::lb_spec::{HealthCheck, LbSpec, attribute_changes, load_balancer_attributes, target_group_attributes};
use crate::plan::{Action, Builder, Plan, Ref, TargetRef};
use awsops_core::{Error, Result};
use std::collections::BTreeMap;

/// The listener's port: plain HTTP (cert-attach adds HTTPS:443).
pub const HTTP_PORT: u16 = 80;

/// What the network offers the load balancer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LbNetwork {
    pub vpc_id: String,
    /// The public subnets (in at least two AZs).
    pub public_subnets: Vec<String>,
    pub web_group: String,
}

/// What ELBv2 reports for the load balancer's name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObservedLb {
    pub load_balancer: Option<ObservedLoadBalancer>,
    pub target_group: Option<ObservedTargetGroup>,
    /// The listener on HTTP_PORT.
    pub listener: Option<ObservedListener>,
    /// The target group's targets (none when there is no target group).
    pub registered: Vec<RegisteredTarget>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedLoadBalancer {
    pub arn: String,
    pub vpc_id: String,
    /// Carries this stack's ownership tags.
    pub owned: bool,
    pub attributes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedTargetGroup {
    pub arn: String,
    pub vpc_id: String,
    pub owned: bool,
    pub port: u16,
    pub health: HealthCheck,
    pub attributes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedListener {
    pub arn: String,
    pub default: ListenerDefault,
}

/// A listener's default action, as far as convergence cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListenerDefault {
    /// Forwards to these target groups.
    Forward(Vec<String>),
    /// A redirect to HTTPS (what `cert-attach --redirect-http` makes): kept.
    RedirectToHttps,
    /// Anything else (a fixed response, another redirect): replaced by the forward.
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredTarget {
    pub id: String,
    pub port: u16,
    /// ELBv2's target state: `initial`, `healthy`, `unhealthy`, `draining`, `unused`, ...
    pub state: String,
}

/// AWS's values of the managed attributes on a new load balancer or target group: a
/// new resource needs a call only where the flags ask for something else.
fn defaults(keys: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let known: BTreeMap<&str, &str> =
        [("deletion_protection.enabled", "false"), ("access_logs.s3.enabled", "false"), ("stickiness.enabled", "false")].into();
    keys.keys().filter_map(|k| known.get(k.as_str()).map(|v| (k.clone(), (*v).to_owned()))).collect()
}

/// The attributes as reported, an unreported managed one at AWS's default (AWS reports
/// every attribute; moto leaves `access_logs.s3.enabled` out).
fn reported(wanted: &BTreeMap<String, String>, have: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut all = defaults(wanted);
    all.extend(have.iter().map(|(k, v)| (k.clone(), v.clone())));
    all
}

/// Plans the load balancer. `targets` is the instances the selectors found (None: leave
/// the registered targets alone); `wait` asks for a wait until they are healthy.
pub fn plan(
    stack: &str,
    region: &str,
    spec: &LbSpec,
    net: &LbNetwork,
    observed: &ObservedLb,
    targets: Option<&[String]>,
    wait: bool,
) -> Result<Plan> {
    let mut b = Builder::default();
    let name = &spec.name;
    if let Some(lb) = &observed.load_balancer {
        if !lb.owned {
            return Err(Error::usage(format!(
                "a load balancer named {name} exists and is not network {stack}'s (no awsops:stack={stack} tag): pass another --name"
            )));
        }
        if lb.vpc_id != net.vpc_id {
            return Err(Error::usage(format!("load balancer {name} is in {}, not in network {stack}'s VPC {}", lb.vpc_id, net.vpc_id)));
        }
    }
    if let Some(tg) = &observed.target_group {
        if !tg.owned {
            return Err(Error::usage(format!(
                "a target group named {name} exists and is not network {stack}'s (no awsops:stack={stack} tag): pass another --name"
            )));
        }
        if tg.vpc_id != net.vpc_id || tg.port != spec.port {
            return Err(Error::usage(format!(
                "target group {name} serves port {} in {}; its port and VPC cannot change (pass --port {} or another --name)",
                tg.port, tg.vpc_id, tg.port
            )));
        }
    }

    // The target group: its health check and attributes converge.
    let wanted_tg = target_group_attributes(spec);
    let target_group = match &observed.target_group {
        Some(tg) => {
            let r = Ref::Id(tg.arn.clone());
            if tg.health != spec.health {
                b.add(
                    "target-group-health",
                    Action::ModifyTargetGroupHealthCheck { target_group: r.clone(), health: spec.health.clone() },
                    &[],
                );
            }
            let changes = attribute_changes(&wanted_tg, &reported(&wanted_tg, &tg.attributes));
            if !changes.is_empty() {
                b.add("target-group-attributes", Action::SetTargetGroupAttributes { target_group: r.clone(), attributes: changes }, &[]);
            }
            r
        }
        None => {
            let r = b.add(
                "target-group",
                Action::CreateTargetGroup {
                    vpc: Ref::Id(net.vpc_id.clone()),
                    name: name.clone(),
                    port: spec.port,
                    health: spec.health.clone(),
                },
                &[],
            );
            let changes = attribute_changes(&wanted_tg, &defaults(&wanted_tg));
            if !changes.is_empty() {
                b.add("target-group-attributes", Action::SetTargetGroupAttributes { target_group: r.clone(), attributes: changes }, &[]);
            }
            r
        }
    };

    // The load balancer, in the public subnets with the web group; its attributes converge.
    let wanted_lb = load_balancer_attributes(spec);
    let load_balancer = match &observed.load_balancer {
        Some(lb) => {
            let r = Ref::Id(lb.arn.clone());
            let changes = attribute_changes(&wanted_lb, &reported(&wanted_lb, &lb.attributes));
            if !changes.is_empty() {
                b.add("load-balancer-attributes", Action::SetLoadBalancerAttributes { load_balancer: r.clone(), attributes: changes }, &[]);
            }
            r
        }
        None => {
            let r = b.add(
                "load-balancer",
                Action::CreateLoadBalancer {
                    name: name.clone(),
                    subnets: net.public_subnets.iter().cloned().map(Ref::Id).collect(),
                    security_group: Ref::Id(net.web_group.clone()),
                },
                &[],
            );
            let changes = attribute_changes(&wanted_lb, &defaults(&wanted_lb));
            if !changes.is_empty() {
                b.add("load-balancer-attributes", Action::SetLoadBalancerAttributes { load_balancer: r.clone(), attributes: changes }, &[]);
            }
            r
        }
    };

    // The HTTP listener forwards to the target group (or redirects to HTTPS, cert-attach's choice).
    match &observed.listener {
        None => {
            b.add("listener", Action::CreateListener { load_balancer, port: HTTP_PORT, target_group: target_group.clone() }, &[]);
        }
        Some(l) => {
            let fine = match &l.default {
                ListenerDefault::Forward(groups) => matches!(&target_group, Ref::Id(arn) if groups == std::slice::from_ref(arn)),
                ListenerDefault::RedirectToHttps => true,
                ListenerDefault::Other(_) => false,
            };
            if !fine {
                b.add(
                    "listener-forward",
                    Action::ForwardListener { listener: Ref::Id(l.arn.clone()), target_group: target_group.clone() },
                    &[],
                );
            }
        }
    }

    // Targets: the selected instances registered, the others deregistered.
    if let Some(wanted) = targets {
        let live: Vec<&RegisteredTarget> = observed.registered.iter().filter(|t| t.state != "draining").collect();
        let missing: Vec<TargetRef> = wanted
            .iter()
            .filter(|id| !live.iter().any(|t| &&t.id == id && t.port == spec.port))
            .map(|id| TargetRef { id: id.clone(), port: spec.port })
            .collect();
        let extra: Vec<TargetRef> = live
            .iter()
            .filter(|t| !wanted.contains(&t.id) || t.port != spec.port)
            .map(|t| TargetRef { id: t.id.clone(), port: t.port })
            .collect();
        if !missing.is_empty() {
            b.add("register-targets", Action::RegisterTargets { target_group: target_group.clone(), targets: missing.clone() }, &[]);
        }
        if !extra.is_empty() {
            b.add("deregister-targets", Action::DeregisterTargets { target_group: target_group.clone(), targets: extra }, &[]);
        }
        let unhealthy = !missing.is_empty() || live.iter().any(|t| wanted.contains(&t.id) && t.state != "healthy");
        if wait && !wanted.is_empty() && unhealthy {
            let all: Vec<TargetRef> = wanted.iter().map(|id| TargetRef { id: id.clone(), port: spec.port }).collect();
            b.add("wait-healthy", Action::WaitTargetsHealthy { target_group, targets: all }, &["register-targets", "listener"]);
        }
    }
    Ok(Plan { name: stack.to_owned(), region: region.to_owned(), operation: "load-balancer".into(), steps: b.steps })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> LbSpec {
        LbSpec {
            name: "lab-web".into(),
            port: 80,
            health: HealthCheck {
                path: "/health".into(),
                interval_seconds: 10,
                timeout_seconds: 5,
                healthy_threshold: 2,
                unhealthy_threshold: 3,
                matcher: "200".into(),
            },
            stickiness_seconds: Some(3600),
            access_logs: None,
            deletion_protection: false,
            targets: None,
        }
    }

    fn net() -> LbNetwork {
        LbNetwork { vpc_id: "vpc-1".into(), public_subnets: vec!["subnet-a".into(), "subnet-c".into()], web_group: "sg-web".into() }
    }

    fn keys(p: &Plan) -> Vec<&str> {
        p.steps.iter().map(|s| s.key.as_str()).collect()
    }

    /// What ELBv2 would report after the plan ran.
    fn converged(s: &LbSpec, targets: &[&str]) -> ObservedLb {
        let mut tg_attributes = target_group_attributes(s);
        tg_attributes.insert("deregistration_delay.timeout_seconds".into(), "300".into());
        ObservedLb {
            load_balancer: Some(ObservedLoadBalancer {
                arn: "arn:lb".into(),
                vpc_id: "vpc-1".into(),
                owned: true,
                attributes: load_balancer_attributes(s),
            }),
            target_group: Some(ObservedTargetGroup {
                arn: "arn:tg".into(),
                vpc_id: "vpc-1".into(),
                owned: true,
                port: s.port,
                health: s.health.clone(),
                attributes: tg_attributes,
            }),
            listener: Some(ObservedListener { arn: "arn:l".into(), default: ListenerDefault::Forward(vec!["arn:tg".into()]) }),
            registered: targets.iter().map(|id| RegisteredTarget { id: (*id).into(), port: s.port, state: "healthy".into() }).collect(),
        }
    }

    #[test]
    fn from_nothing_everything_in_order() {
        let targets = ["i-1".to_owned(), "i-2".to_owned()];
        let p = plan("lab", "r", &spec(), &net(), &ObservedLb::default(), Some(&targets), true).unwrap();
        assert_eq!(
            keys(&p),
            ["target-group", "target-group-attributes", "load-balancer", "listener", "register-targets", "wait-healthy"],
            "stickiness on a new group is an attribute call; default LB attributes need none"
        );
        let wait = &p.steps[5];
        assert!(wait.after.contains(&"register-targets".to_owned()) && wait.after.contains(&"listener".to_owned()));
        let listener = &p.steps[3];
        assert!(listener.after.contains(&"target-group".to_owned()) && listener.after.contains(&"load-balancer".to_owned()));
        for s in &p.steps {
            assert!(crate::plan::is_step_key(&s.key), "{}", s.key);
        }
    }

    #[test]
    fn a_converged_load_balancer_plans_nothing() {
        let targets = ["i-1".to_owned()];
        let p = plan("lab", "r", &spec(), &net(), &converged(&spec(), &["i-1"]), Some(&targets), true).unwrap();
        assert!(p.steps.is_empty(), "{:?}", keys(&p));
        let p = plan("lab", "r", &spec(), &net(), &converged(&spec(), &["i-9"]), None, true).unwrap();
        assert!(p.steps.is_empty(), "without --target the registered targets are left alone: {:?}", keys(&p));
    }

    #[test]
    fn drift_converges() {
        let mut seen = converged(&spec(), &["i-1", "i-old"]);
        seen.listener.as_mut().unwrap().default = ListenerDefault::Other("fixed-response".into());
        seen.target_group.as_mut().unwrap().health.path = "/".into();
        seen.target_group.as_mut().unwrap().attributes.insert("stickiness.enabled".into(), "false".into());
        seen.load_balancer.as_mut().unwrap().attributes.insert("deletion_protection.enabled".into(), "true".into());
        let targets = ["i-1".to_owned(), "i-new".to_owned()];
        let p = plan("lab", "r", &spec(), &net(), &seen, Some(&targets), false).unwrap();
        assert_eq!(
            keys(&p),
            [
                "target-group-health",
                "target-group-attributes",
                "load-balancer-attributes",
                "listener-forward",
                "register-targets",
                "deregister-targets"
            ]
        );
        let Action::DeregisterTargets { targets, .. } = &p.steps[5].action else { panic!() };
        assert_eq!(targets, &[TargetRef { id: "i-old".into(), port: 80 }]);
        let Action::SetLoadBalancerAttributes { attributes, .. } = &p.steps[2].action else { panic!() };
        assert_eq!(attributes, &BTreeMap::from([("deletion_protection.enabled".to_owned(), "false".to_owned())]));
    }

    #[test]
    fn an_unreported_attribute_counts_at_its_default() {
        let mut seen = converged(&spec(), &[]);
        seen.load_balancer.as_mut().unwrap().attributes.remove("access_logs.s3.enabled");
        assert!(plan("lab", "r", &spec(), &net(), &seen, None, true).unwrap().steps.is_empty());
    }

    #[test]
    fn cert_attachs_redirect_is_kept() {
        let mut seen = converged(&spec(), &[]);
        seen.listener.as_mut().unwrap().default = ListenerDefault::RedirectToHttps;
        assert!(plan("lab", "r", &spec(), &net(), &seen, None, true).unwrap().steps.is_empty());
    }

    #[test]
    fn what_cannot_change_or_is_not_ours_is_refused() {
        let mut seen = converged(&spec(), &[]);
        seen.load_balancer.as_mut().unwrap().owned = false;
        assert!(plan("lab", "r", &spec(), &net(), &seen, None, true).unwrap_err().to_string().contains("not network lab's"));
        let mut seen = converged(&spec(), &[]);
        seen.target_group.as_mut().unwrap().port = 8080;
        assert_eq!(plan("lab", "r", &spec(), &net(), &seen, None, true).unwrap_err().exit_code(), 2);
        let mut seen = converged(&spec(), &[]);
        seen.load_balancer.as_mut().unwrap().vpc_id = "vpc-2".into();
        assert_eq!(plan("lab", "r", &spec(), &net(), &seen, None, true).unwrap_err().exit_code(), 2);
    }

    #[test]
    fn an_unhealthy_target_is_waited_for_but_not_re_registered() {
        let mut seen = converged(&spec(), &["i-1"]);
        seen.registered[0].state = "initial".into();
        let targets = ["i-1".to_owned()];
        assert_eq!(keys(&plan("lab", "r", &spec(), &net(), &seen, Some(&targets), true).unwrap()), ["wait-healthy"]);
        assert!(plan("lab", "r", &spec(), &net(), &seen, Some(&targets), false).unwrap().steps.is_empty(), "--no-wait");
    }
}
