//! Planning: the difference between the desired network and what exists, as a list of
//! steps with their dependencies. Pure: `--dry-run` prints it, `apply` executes it.

use crate::cidr_plan::Tier;
use crate::spec::NetworkSpec;
use crate::state::Existing;
use awsops_core::{Document, Error, Result};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A resource: one that exists (its id) or one an earlier step creates (that step's key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Ref {
    Id(String),
    Step { step: String },
}

impl Ref {
    fn step(key: &str) -> Ref {
        Ref::Step { step: key.to_owned() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    CreateVpc { name: String, cidr: String },
    EnableDnsHostnames { vpc: Ref },
    EnableDnsSupport { vpc: Ref },
    CreateSubnet { vpc: Ref, name: String, tier: Tier, az: String, cidr: String },
    MapPublicIpOnLaunch { subnet: Ref },
    CreateInternetGateway { name: String },
    AttachInternetGateway { internet_gateway: Ref, vpc: Ref },
    CreateRouteTable { vpc: Ref, name: String, role: String },
    CreateRoute { route_table: Ref, destination: String, gateway: Ref },
    AssociateRouteTable { route_table: Ref, subnet: Ref },
}

impl Action {
    /// The steps this action reads the output of.
    pub fn refs(&self) -> Vec<&Ref> {
        match self {
            Action::CreateVpc { .. } | Action::CreateInternetGateway { .. } => vec![],
            Action::EnableDnsHostnames { vpc } | Action::EnableDnsSupport { vpc } => vec![vpc],
            Action::CreateSubnet { vpc, .. } | Action::CreateRouteTable { vpc, .. } => vec![vpc],
            Action::MapPublicIpOnLaunch { subnet } => vec![subnet],
            Action::AttachInternetGateway { internet_gateway, vpc } => vec![internet_gateway, vpc],
            Action::CreateRoute { route_table, gateway, .. } => vec![route_table, gateway],
            Action::AssociateRouteTable { route_table, subnet } => vec![route_table, subnet],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Step {
    pub key: String,
    /// Steps that must finish first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
    #[serde(flatten)]
    pub action: Action,
}

/// The `plan` document `--dry-run` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Plan {
    pub name: String,
    pub region: String,
    /// The steps, in an order that respects `after`.
    pub steps: Vec<Step>,
}

impl Document for Plan {
    const KIND: &'static str = "vpc-plan";
    const SCHEMA_VERSION: u32 = 1;
}

struct Builder {
    steps: Vec<Step>,
}

impl Builder {
    fn add(&mut self, key: String, action: Action, extra_after: &[&str]) -> Ref {
        let mut after: Vec<String> = action
            .refs()
            .into_iter()
            .filter_map(|r| match r {
                Ref::Step { step } => Some(step.clone()),
                Ref::Id(_) => None,
            })
            .collect();
        for extra in extra_after {
            if self.steps.iter().any(|s| s.key == *extra) && !after.iter().any(|a| a == extra) {
                after.push((*extra).to_owned());
            }
        }
        let r = Ref::step(&key);
        self.steps.push(Step { key, after, action });
        r
    }
}

pub const PUBLIC_ROUTE_TABLE_ROLE: &str = "rt:public";
pub const ANYWHERE: &str = "0.0.0.0/0";

pub fn plan(spec: &NetworkSpec, existing: &Existing) -> Result<Plan> {
    let mut b = Builder { steps: Vec::new() };
    let stack = &spec.stack;

    let vpc = match &existing.vpc {
        Some(v) if v.cidr != spec.cidr.to_string() => {
            return Err(Error::usage(format!(
                "network {stack} exists as {} with CIDR {}, not {}: a VPC's CIDR cannot change (destroy it first, or pass --cidr {})",
                v.id, v.cidr, spec.cidr, v.cidr
            )));
        }
        Some(v) => {
            if !v.dns_support {
                b.add("vpc-dns-support".into(), Action::EnableDnsSupport { vpc: Ref::Id(v.id.clone()) }, &[]);
            }
            if !v.dns_hostnames {
                b.add("vpc-dns-hostnames".into(), Action::EnableDnsHostnames { vpc: Ref::Id(v.id.clone()) }, &["vpc-dns-support"]);
            }
            Ref::Id(v.id.clone())
        }
        None => {
            let r = b.add("vpc".into(), Action::CreateVpc { name: stack.clone(), cidr: spec.cidr.to_string() }, &[]);
            b.add("vpc-dns-hostnames".into(), Action::EnableDnsHostnames { vpc: r.clone() }, &[]);
            r
        }
    };

    let mut subnet_refs = Vec::new();
    for want in &spec.subnets {
        let r = match existing.subnet(&want.name) {
            Some(have) if have.cidr != want.cidr.to_string() || have.az != want.az => {
                return Err(Error::usage(format!(
                    "subnet {} exists as {} ({} in {}), not {} in {}: a subnet cannot move; pass an explicit subnet to keep it",
                    want.name, have.id, have.cidr, have.az, want.cidr, want.az
                )));
            }
            Some(have) => {
                if want.tier == Tier::Public && !have.map_public_ip {
                    b.add(format!("subnet-public-ip:{}", want.name), Action::MapPublicIpOnLaunch { subnet: Ref::Id(have.id.clone()) }, &[]);
                }
                Ref::Id(have.id.clone())
            }
            None => {
                let r = b.add(
                    format!("subnet:{}", want.name),
                    Action::CreateSubnet {
                        vpc: vpc.clone(),
                        name: want.name.clone(),
                        tier: want.tier,
                        az: want.az.clone(),
                        cidr: want.cidr.to_string(),
                    },
                    &[],
                );
                if want.tier == Tier::Public {
                    b.add(format!("subnet-public-ip:{}", want.name), Action::MapPublicIpOnLaunch { subnet: r.clone() }, &[]);
                }
                r
            }
        };
        subnet_refs.push((want, r));
    }

    let public: Vec<_> = subnet_refs.iter().filter(|(s, _)| s.tier == Tier::Public).collect();
    if public.is_empty() {
        return Ok(Plan { name: stack.clone(), region: spec.region.clone(), steps: b.steps });
    }

    let vpc_id = existing.vpc.as_ref().map(|v| v.id.as_str());
    let igw = match &existing.internet_gateway {
        Some(igw) => {
            match igw.attached_vpc.as_deref() {
                Some(attached) if Some(attached) == vpc_id => {}
                Some(other) => {
                    return Err(Error::usage(format!(
                        "internet gateway {} of {stack} is attached to {other}, not to this network's VPC",
                        igw.id
                    )));
                }
                None => {
                    b.add(
                        "igw-attach".into(),
                        Action::AttachInternetGateway { internet_gateway: Ref::Id(igw.id.clone()), vpc: vpc.clone() },
                        &[],
                    );
                }
            }
            Ref::Id(igw.id.clone())
        }
        None => {
            let r = b.add("igw".into(), Action::CreateInternetGateway { name: format!("{stack}-igw") }, &[]);
            b.add("igw-attach".into(), Action::AttachInternetGateway { internet_gateway: r.clone(), vpc: vpc.clone() }, &[]);
            r
        }
    };

    let (rt, routes, associated) = match existing.route_table(PUBLIC_ROUTE_TABLE_ROLE) {
        Some(t) => (Ref::Id(t.id.clone()), t.routes.clone(), t.associated_subnets.clone()),
        None => {
            let r = b.add(
                format!("route-table:{PUBLIC_ROUTE_TABLE_ROLE}"),
                Action::CreateRouteTable { vpc: vpc.clone(), name: format!("{stack}-public"), role: PUBLIC_ROUTE_TABLE_ROLE.into() },
                &[],
            );
            (r, Vec::new(), Vec::new())
        }
    };
    if !routes.iter().any(|r| r.destination == ANYWHERE) {
        // A route to an internet gateway is refused until the gateway is attached.
        b.add(
            format!("route:{PUBLIC_ROUTE_TABLE_ROLE}:{ANYWHERE}"),
            Action::CreateRoute { route_table: rt.clone(), destination: ANYWHERE.into(), gateway: igw.clone() },
            &["igw-attach"],
        );
    }
    for (want, subnet) in public {
        let already = match subnet {
            Ref::Id(id) => associated.iter().any(|a| a == id),
            Ref::Step { .. } => false,
        };
        if !already {
            b.add(format!("associate:{}", want.name), Action::AssociateRouteTable { route_table: rt.clone(), subnet: subnet.clone() }, &[]);
        }
    }
    Ok(Plan { name: stack.clone(), region: spec.region.clone(), steps: b.steps })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::SubnetSpec;
    use crate::state::{ExistingIgw, ExistingRoute, ExistingRouteTable, ExistingSubnet, ExistingVpc};

    fn spec() -> NetworkSpec {
        NetworkSpec {
            stack: "lab".into(),
            region: "ap-northeast-2".into(),
            cidr: "10.1.0.0/16".parse().unwrap(),
            subnets: vec![
                SubnetSpec {
                    name: "public-subnet-a1".into(),
                    tier: Tier::Public,
                    az: "ap-northeast-2a".into(),
                    cidr: "10.1.0.0/24".parse().unwrap(),
                },
                SubnetSpec {
                    name: "private-subnet-a1".into(),
                    tier: Tier::Private,
                    az: "ap-northeast-2a".into(),
                    cidr: "10.1.128.0/24".parse().unwrap(),
                },
            ],
        }
    }

    fn keys(p: &Plan) -> Vec<&str> {
        p.steps.iter().map(|s| s.key.as_str()).collect()
    }

    fn converged() -> Existing {
        Existing {
            vpc: Some(ExistingVpc { id: "vpc-1".into(), cidr: "10.1.0.0/16".into(), dns_hostnames: true, dns_support: true }),
            subnets: vec![
                ExistingSubnet {
                    id: "subnet-p".into(),
                    name: "public-subnet-a1".into(),
                    cidr: "10.1.0.0/24".into(),
                    az: "ap-northeast-2a".into(),
                    az_id: "apne2-az1".into(),
                    tier: Some(Tier::Public),
                    map_public_ip: true,
                },
                ExistingSubnet {
                    id: "subnet-q".into(),
                    name: "private-subnet-a1".into(),
                    cidr: "10.1.128.0/24".into(),
                    az: "ap-northeast-2a".into(),
                    az_id: "apne2-az1".into(),
                    tier: Some(Tier::Private),
                    map_public_ip: false,
                },
            ],
            internet_gateway: Some(ExistingIgw { id: "igw-1".into(), attached_vpc: Some("vpc-1".into()) }),
            route_tables: vec![ExistingRouteTable {
                id: "rtb-1".into(),
                role: PUBLIC_ROUTE_TABLE_ROLE.into(),
                routes: vec![ExistingRoute { destination: ANYWHERE.into(), target: "igw-1".into() }],
                associated_subnets: vec!["subnet-p".into()],
            }],
        }
    }

    #[test]
    fn from_nothing_everything_is_planned_in_dependency_order() {
        let p = plan(&spec(), &Existing::default()).unwrap();
        assert_eq!(
            keys(&p),
            [
                "vpc",
                "vpc-dns-hostnames",
                "subnet:public-subnet-a1",
                "subnet-public-ip:public-subnet-a1",
                "subnet:private-subnet-a1",
                "igw",
                "igw-attach",
                "route-table:rt:public",
                "route:rt:public:0.0.0.0/0",
                "associate:public-subnet-a1",
            ]
        );
        let route = p.steps.iter().find(|s| s.key.starts_with("route:")).unwrap();
        assert_eq!(route.after, ["route-table:rt:public", "igw", "igw-attach"]);
        for (i, s) in p.steps.iter().enumerate() {
            for dep in &s.after {
                assert!(p.steps[..i].iter().any(|e| &e.key == dep), "{} before its dependency {dep}", s.key);
            }
        }
    }

    #[test]
    fn a_converged_network_plans_nothing() {
        assert!(plan(&spec(), &converged()).unwrap().steps.is_empty());
    }

    #[test]
    fn a_half_made_network_plans_only_the_rest() {
        let mut half = converged();
        half.route_tables.clear();
        half.internet_gateway.as_mut().unwrap().attached_vpc = None;
        let p = plan(&spec(), &half).unwrap();
        assert_eq!(keys(&p), ["igw-attach", "route-table:rt:public", "route:rt:public:0.0.0.0/0", "associate:public-subnet-a1"]);
        assert_eq!(
            p.steps[0].action,
            Action::AttachInternetGateway { internet_gateway: Ref::Id("igw-1".into()), vpc: Ref::Id("vpc-1".into()) }
        );
    }

    #[test]
    fn changes_that_cannot_be_made_are_usage_errors() {
        let mut moved = converged();
        moved.subnets[0].cidr = "10.1.5.0/24".into();
        assert_eq!(plan(&spec(), &moved).unwrap_err().exit_code(), 2);
        let mut other_cidr = converged();
        other_cidr.vpc.as_mut().unwrap().cidr = "10.2.0.0/16".into();
        assert!(plan(&spec(), &other_cidr).unwrap_err().to_string().contains("cannot change"));
    }

    #[test]
    fn plan_serialises_with_refs() {
        let p = plan(&spec(), &Existing::default()).unwrap();
        let v = awsops_core::document::to_value(&p).unwrap();
        assert_eq!(v["kind"], "vpc-plan");
        assert_eq!(
            v["steps"][1],
            serde_json::json!({"key": "vpc-dns-hostnames", "after": ["vpc"], "action": "enable_dns_hostnames", "vpc": {"step": "vpc"}})
        );
    }
}
