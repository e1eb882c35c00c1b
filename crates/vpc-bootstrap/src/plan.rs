//! Planning: the difference between the desired network and what exists, as a list of
//! steps with their dependencies. Pure: `--dry-run` prints it, `apply` executes it.

use crate::cidr_plan::Tier;
use crate::lb_spec::HealthCheck;
use crate::spec::{NatMode, NetworkSpec, PrivateRouteTables, az_suffix};
use crate::state::{Existing, Permission};
use awsops_core::{Document, Error, Result};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A resource: one that exists (its id) or one an earlier step creates (that step's key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Ref {
    Id(String),
    Step { step: String },
}

impl Ref {
    pub fn step(key: &str) -> Ref {
        Ref::Step { step: key.to_owned() }
    }

    pub fn id(&self) -> &str {
        match self {
            Ref::Id(id) => id,
            Ref::Step { step } => step,
        }
    }
}

/// An instance in a target group, on a port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TargetRef {
    pub id: String,
    pub port: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    CreateVpc {
        name: String,
        cidr: String,
    },
    EnableDnsSupport {
        vpc: Ref,
    },
    EnableDnsHostnames {
        vpc: Ref,
    },
    /// Revokes every rule of the VPC's default security group.
    StripDefaultSecurityGroup {
        vpc: Ref,
    },
    CreateSubnet {
        vpc: Ref,
        name: String,
        tier: Tier,
        az: String,
        cidr: String,
    },
    MapPublicIpOnLaunch {
        subnet: Ref,
    },
    CreateInternetGateway {
        name: String,
    },
    AttachInternetGateway {
        internet_gateway: Ref,
        vpc: Ref,
    },
    CreateRouteTable {
        vpc: Ref,
        name: String,
        role: String,
    },
    /// A route to an internet gateway (`igw-…`) or NAT gateway (`nat-…`).
    CreateRoute {
        route_table: Ref,
        destination: String,
        target: Ref,
    },
    ReplaceRoute {
        route_table: Ref,
        destination: String,
        target: Ref,
    },
    AssociateRouteTable {
        route_table: Ref,
        subnet: Ref,
    },
    /// Moves a subnet from the table it is on to another (a change of route-table layout).
    ReplaceRouteTableAssociation {
        association: Ref,
        route_table: Ref,
    },
    AllocateAddress {
        name: String,
        role: String,
    },
    CreateNatGateway {
        subnet: Ref,
        allocation: Ref,
        name: String,
        role: String,
    },
    WaitNatAvailable {
        nat: Ref,
    },
    CreateSecurityGroup {
        vpc: Ref,
        name: String,
        role: String,
        description: String,
    },
    /// Adds rules; from `source_group` when set, otherwise from each rule's CIDR.
    AuthorizeIngress {
        group: Ref,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source_group: Option<Ref>,
        rules: Vec<Permission>,
    },
    CreateGatewayEndpoint {
        vpc: Ref,
        service: String,
        name: String,
        role: String,
        route_tables: Vec<Ref>,
    },
    AddEndpointRouteTables {
        endpoint: Ref,
        route_tables: Vec<Ref>,
    },
    /// Takes route tables about to be deleted off an endpoint.
    RemoveEndpointRouteTables {
        endpoint: Ref,
        route_tables: Vec<Ref>,
    },
    RunBastion {
        subnet: Ref,
        security_group: Ref,
        ami: String,
        instance_type: String,
        key_name: Option<String>,
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        root_device: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        root_size_gib: Option<i32>,
    },
    WaitInstanceRunning {
        instance: Ref,
    },
    // The load balancer (`vpc-bootstrap lb`); refs hold ARNs.
    CreateTargetGroup {
        vpc: Ref,
        name: String,
        port: u16,
        health: HealthCheck,
    },
    ModifyTargetGroupHealthCheck {
        target_group: Ref,
        health: HealthCheck,
    },
    SetTargetGroupAttributes {
        target_group: Ref,
        attributes: BTreeMap<String, String>,
    },
    CreateLoadBalancer {
        name: String,
        subnets: Vec<Ref>,
        security_group: Ref,
    },
    SetLoadBalancerAttributes {
        load_balancer: Ref,
        attributes: BTreeMap<String, String>,
    },
    CreateListener {
        load_balancer: Ref,
        port: u16,
        target_group: Ref,
    },
    /// Makes the listener's default action a forward to the target group.
    ForwardListener {
        listener: Ref,
        target_group: Ref,
    },
    RegisterTargets {
        target_group: Ref,
        targets: Vec<TargetRef>,
    },
    DeregisterTargets {
        target_group: Ref,
        targets: Vec<TargetRef>,
    },
    WaitTargetsHealthy {
        target_group: Ref,
        targets: Vec<TargetRef>,
    },
    /// Turns deletion protection off first when it is on (destroy is explicit).
    DeleteLoadBalancer {
        load_balancer: Ref,
    },
    DeleteTargetGroup {
        target_group: Ref,
    },
    /// Deletes a peering connection, and the routes to it in a VPC of this account.
    DeletePeeringConnection {
        peering: Ref,
    },
    // Teardown.
    TerminateInstance {
        instance: Ref,
    },
    DeleteNatGateway {
        nat: Ref,
    },
    ReleaseAddress {
        allocation: Ref,
    },
    DetachInternetGateway {
        internet_gateway: Ref,
        vpc: Ref,
    },
    DeleteInternetGateway {
        internet_gateway: Ref,
    },
    DeleteVpcEndpoints {
        endpoints: Vec<Ref>,
    },
    DisassociateRouteTable {
        association: Ref,
    },
    DeleteRouteTable {
        route_table: Ref,
    },
    RevokeIngress {
        group: Ref,
        rules: Vec<Permission>,
    },
    DeleteSecurityGroup {
        group: Ref,
    },
    DeleteSubnet {
        subnet: Ref,
    },
    DeleteVpc {
        vpc: Ref,
    },
}

impl Action {
    /// Calls `f` on every resource reference the action holds.
    pub fn visit_refs(&mut self, f: &mut impl FnMut(&mut Ref)) {
        match self {
            Action::CreateVpc { .. } | Action::CreateInternetGateway { .. } | Action::AllocateAddress { .. } => {}
            Action::EnableDnsSupport { vpc }
            | Action::EnableDnsHostnames { vpc }
            | Action::StripDefaultSecurityGroup { vpc }
            | Action::CreateSubnet { vpc, .. }
            | Action::CreateRouteTable { vpc, .. }
            | Action::CreateSecurityGroup { vpc, .. }
            | Action::DeleteVpc { vpc } => f(vpc),
            Action::MapPublicIpOnLaunch { subnet } | Action::DeleteSubnet { subnet } => f(subnet),
            Action::AttachInternetGateway { internet_gateway, vpc } | Action::DetachInternetGateway { internet_gateway, vpc } => {
                f(internet_gateway);
                f(vpc);
            }
            Action::DeleteInternetGateway { internet_gateway } => f(internet_gateway),
            Action::CreateRoute { route_table, target, .. } | Action::ReplaceRoute { route_table, target, .. } => {
                f(route_table);
                f(target);
            }
            Action::AssociateRouteTable { route_table, subnet } => {
                f(route_table);
                f(subnet);
            }
            Action::ReplaceRouteTableAssociation { association, route_table } => {
                f(association);
                f(route_table);
            }
            Action::CreateNatGateway { subnet, allocation, .. } => {
                f(subnet);
                f(allocation);
            }
            Action::WaitNatAvailable { nat } | Action::DeleteNatGateway { nat } => f(nat),
            Action::AuthorizeIngress { group, source_group, .. } => {
                f(group);
                if let Some(g) = source_group {
                    f(g);
                }
            }
            Action::CreateGatewayEndpoint { vpc, route_tables, .. } => {
                f(vpc);
                route_tables.iter_mut().for_each(&mut *f);
            }
            Action::AddEndpointRouteTables { endpoint, route_tables } | Action::RemoveEndpointRouteTables { endpoint, route_tables } => {
                f(endpoint);
                route_tables.iter_mut().for_each(&mut *f);
            }
            Action::RunBastion { subnet, security_group, .. } => {
                f(subnet);
                f(security_group);
            }
            Action::WaitInstanceRunning { instance } | Action::TerminateInstance { instance } => f(instance),
            Action::ReleaseAddress { allocation } => f(allocation),
            Action::DeleteVpcEndpoints { endpoints } => endpoints.iter_mut().for_each(&mut *f),
            Action::DisassociateRouteTable { association } => f(association),
            Action::DeleteRouteTable { route_table } => f(route_table),
            Action::RevokeIngress { group, .. } | Action::DeleteSecurityGroup { group } => f(group),
            Action::CreateTargetGroup { vpc, .. } => f(vpc),
            Action::ModifyTargetGroupHealthCheck { target_group, .. }
            | Action::SetTargetGroupAttributes { target_group, .. }
            | Action::RegisterTargets { target_group, .. }
            | Action::DeregisterTargets { target_group, .. }
            | Action::WaitTargetsHealthy { target_group, .. }
            | Action::DeleteTargetGroup { target_group } => f(target_group),
            Action::CreateLoadBalancer { subnets, security_group, .. } => {
                subnets.iter_mut().for_each(&mut *f);
                f(security_group);
            }
            Action::SetLoadBalancerAttributes { load_balancer, .. } | Action::DeleteLoadBalancer { load_balancer } => f(load_balancer),
            Action::CreateListener { load_balancer, target_group, .. } => {
                f(load_balancer);
                f(target_group);
            }
            Action::DeletePeeringConnection { peering } => f(peering),
            Action::ForwardListener { listener, target_group } => {
                f(listener);
                f(target_group);
            }
        }
    }

    /// The steps whose output this action reads.
    pub fn step_refs(&self) -> Vec<String> {
        let mut keys = Vec::new();
        self.clone().visit_refs(&mut |r| {
            if let Ref::Step { step } = r
                && !keys.contains(step)
            {
                keys.push(step.clone());
            }
        });
        keys
    }

    /// Whether its effect shows in the `vpc` document (ids, associations, states). Routes,
    /// rules and attributes do not, so the final describe need not wait for them.
    pub fn shows_in_document(&self) -> bool {
        !matches!(
            self,
            Action::EnableDnsSupport { .. }
                | Action::EnableDnsHostnames { .. }
                | Action::StripDefaultSecurityGroup { .. }
                | Action::MapPublicIpOnLaunch { .. }
                | Action::CreateRoute { .. }
                | Action::ReplaceRoute { .. }
                | Action::AuthorizeIngress { .. }
                | Action::RevokeIngress { .. }
        )
    }

    /// Whether the action changes anything (waits do not).
    pub fn mutates(&self) -> bool {
        !matches!(self, Action::WaitNatAvailable { .. } | Action::WaitInstanceRunning { .. } | Action::WaitTargetsHealthy { .. })
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

/// The `vpc-plan` document `--dry-run` prints: what create or destroy would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Plan {
    pub name: String,
    pub region: String,
    /// `create`, `destroy` or `load-balancer`.
    pub operation: String,
    /// The steps, in an order that respects `after`.
    pub steps: Vec<Step>,
}

impl Document for Plan {
    const KIND: &'static str = "vpc-plan";
    const SCHEMA_VERSION: u32 = 1;
}

impl Plan {
    /// Whether applying makes any change (a plan of only waits does not).
    pub fn changes_anything(&self) -> bool {
        self.steps.iter().any(|s| s.action.mutates())
    }
}

/// Accumulates steps; dependencies come from the refs plus any named extra steps.
#[derive(Default)]
pub(crate) struct Builder {
    pub(crate) steps: Vec<Step>,
}

impl Builder {
    pub(crate) fn has(&self, key: &str) -> bool {
        self.steps.iter().any(|s| s.key == key)
    }

    /// Adds a step after the steps it refers to and those of `extra_after` that exist. An
    /// absent one is skipped on purpose (the gateway is attached already: nothing to wait
    /// for), so a key outside the planner's grammar, a typo, panics in every test that
    /// plans instead of silently dropping an ordering.
    pub(crate) fn add(&mut self, key: impl Into<String>, action: Action, extra_after: &[&str]) -> Ref {
        let key = key.into();
        debug_assert!(is_step_key(&key), "step key {key:?} is not in the planner's grammar (plan::STEP_KEYS)");
        let mut after = action.step_refs();
        for extra in extra_after {
            debug_assert!(is_step_key(extra), "step {key:?} is ordered after {extra:?}, which no plan makes (plan::STEP_KEYS)");
            if self.has(extra) && !after.iter().any(|a| a == extra) {
                after.push((*extra).to_owned());
            }
        }
        let r = Ref::step(&key);
        self.steps.push(Step { key, after, action });
        r
    }

    pub(crate) fn keys_with_prefix(&self, prefix: &str) -> Vec<String> {
        self.steps.iter().filter(|s| s.key.starts_with(prefix)).map(|s| s.key.clone()).collect()
    }
}

/// Every step key a plan can hold: a fixed key, or a prefix ending in ':' and a role,
/// name or id.
pub const STEP_KEYS: &[&str] = &[
    "vpc",
    "vpc-dns-support",
    "vpc-dns-hostnames",
    "strip-default-security-group",
    "igw",
    "igw-attach",
    "bastion",
    "wait-bastion",
    "delete-endpoints",
    "detach-igw",
    "delete-igw",
    "delete-vpc",
    "target-group",
    "target-group-health",
    "target-group-attributes",
    "load-balancer",
    "load-balancer-attributes",
    "listener",
    "listener-forward",
    "register-targets",
    "deregister-targets",
    "wait-healthy",
    "delete-load-balancer:",
    "delete-target-group:",
    "delete-peering:",
    "subnet:",
    "subnet-public-ip:",
    "eip:",
    "nat:",
    "wait-nat:",
    "endpoint:",
    "endpoint-route-tables:",
    "endpoint-route-tables-remove:",
    "route-table:",
    "route:",
    "associate:",
    "security-group:",
    "ingress:",
    "dedupe:",
    "dedupe-detach:",
    "terminate:",
    "delete-nat:",
    "release:",
    "disassociate:",
    "delete-route-table:",
    "revoke:",
    "delete-security-group:",
    "delete-subnet:",
];

pub fn is_step_key(key: &str) -> bool {
    STEP_KEYS.iter().any(|k| match k.strip_suffix(':') {
        Some(_) => key.len() > k.len() && key.starts_with(k),
        None => key == *k,
    })
}

pub const PUBLIC_ROUTE_TABLE_ROLE: &str = "rt:public";
pub const ANYWHERE: &str = "0.0.0.0/0";

pub fn private_route_table_role(region: &str, az: &str) -> String {
    format!("rt:private:{}", az_suffix(region, az))
}

/// The role of a private subnet's own table (`--private-route-tables per-subnet`).
pub fn subnet_route_table_role(subnet: &str) -> String {
    format!("rt:subnet:{subnet}")
}

/// Whether a table of the network is a private one (per AZ or per subnet).
pub fn is_private_route_table_role(role: &str) -> bool {
    role.starts_with("rt:private:") || role.starts_with("rt:subnet:")
}

/// One private route table the spec asks for: its role, Name, AZ and subnets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateTable<'a> {
    pub role: String,
    pub name: String,
    pub az: &'a str,
    pub subnets: Vec<&'a crate::spec::SubnetSpec>,
}

/// The private route tables of a spec: one per AZ (its private subnets share it), or one
/// per private subnet, in AZ then name order.
pub fn private_tables(spec: &NetworkSpec) -> Vec<PrivateTable<'_>> {
    let mut private: Vec<&crate::spec::SubnetSpec> = spec.subnets.iter().filter(|s| s.tier == Tier::Private).collect();
    private.sort_by(|a, b| (&a.az, &a.name).cmp(&(&b.az, &b.name)));
    match spec.private_route_tables {
        PrivateRouteTables::PerAz => spec
            .private_azs()
            .into_iter()
            .map(|az| PrivateTable {
                role: private_route_table_role(&spec.region, az),
                name: format!("{}-private-{}", spec.stack, az_suffix(&spec.region, az)),
                az,
                subnets: private.iter().copied().filter(|s| s.az == az).collect(),
            })
            .collect(),
        PrivateRouteTables::PerSubnet => private
            .into_iter()
            .map(|s| PrivateTable {
                role: subnet_route_table_role(&s.name),
                name: format!("{}-{}-rt", spec.stack, s.name),
                az: &s.az,
                subnets: vec![s],
            })
            .collect(),
    }
}

pub fn nat_role(region: &str, az: &str) -> String {
    format!("nat:{}", az_suffix(region, az))
}

pub fn address_role(region: &str, az: &str) -> String {
    format!("eip:nat:{}", az_suffix(region, az))
}

pub const WEB_GROUP: &str = "sg:web";
pub const BASTION_GROUP: &str = "sg:bastion";
pub const PRIVATE_GROUP: &str = "sg:private";

/// The source a dry run plans for the bastion's SSH rule when a real run would detect the
/// caller's public address (`--ssh-from` unset): the rule is shown, the address is not.
pub const CALLER_IP_PLACEHOLDER: &str = "CALLER_IP/32";

fn tcp(port: u16, cidr: Option<String>) -> Permission {
    Permission { protocol: "tcp".into(), from_port: i32::from(port), to_port: i32::from(port), cidr, source_group: None }
}

pub fn plan(spec: &NetworkSpec, existing: &Existing) -> Result<Plan> {
    let mut b = Builder::default();
    crate::teardown::remove_duplicates(&mut b, existing);
    let stack = &spec.stack;
    let region = &spec.region;

    // The VPC and its DNS settings.
    let vpc = match &existing.vpc {
        Some(v) if v.cidr != spec.cidr.to_string() => {
            return Err(Error::usage(format!(
                "network {stack} exists as {} with CIDR {}, not {}: a VPC's CIDR cannot change (pass --cidr {} or destroy it first)",
                v.id, v.cidr, spec.cidr, v.cidr
            )));
        }
        Some(v) => {
            let r = Ref::Id(v.id.clone());
            if !v.dns_support {
                b.add("vpc-dns-support", Action::EnableDnsSupport { vpc: r.clone() }, &[]);
            }
            if !v.dns_hostnames {
                b.add("vpc-dns-hostnames", Action::EnableDnsHostnames { vpc: r.clone() }, &["vpc-dns-support"]);
            }
            if existing.default_security_group.as_ref().is_some_and(|g| !g.ingress.is_empty() || !g.egress.is_empty()) {
                b.add("strip-default-security-group", Action::StripDefaultSecurityGroup { vpc: r.clone() }, &[]);
            }
            r
        }
        None => {
            let r = b.add("vpc", Action::CreateVpc { name: stack.clone(), cidr: spec.cidr.to_string() }, &[]);
            b.add("vpc-dns-hostnames", Action::EnableDnsHostnames { vpc: r.clone() }, &[]);
            b.add("strip-default-security-group", Action::StripDefaultSecurityGroup { vpc: r.clone() }, &[]);
            r
        }
    };

    // Subnets.
    let mut subnet_refs: Vec<(&crate::spec::SubnetSpec, Ref)> = Vec::new();
    for want in &spec.subnets {
        let r = match existing.subnet(&want.name) {
            Some(have) if have.cidr != want.cidr.to_string() || have.az != want.az => {
                return Err(Error::usage(format!(
                    "subnet {} exists as {} ({} in {}), not {} in {}: a subnet cannot move; keep it with --subnet name={},cidr={},az={}",
                    want.name, have.id, have.cidr, have.az, want.cidr, want.az, want.name, have.cidr, have.az
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
    let subnet_ref = |name: &str| subnet_refs.iter().find(|(s, _)| s.name == name).map(|(_, r)| r.clone());

    // Internet gateway and the public route table.
    let public: Vec<&(&crate::spec::SubnetSpec, Ref)> = subnet_refs.iter().filter(|(s, _)| s.tier == Tier::Public).collect();
    if !public.is_empty() {
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
                            "igw-attach",
                            Action::AttachInternetGateway { internet_gateway: Ref::Id(igw.id.clone()), vpc: vpc.clone() },
                            &[],
                        );
                    }
                }
                Ref::Id(igw.id.clone())
            }
            None => {
                let r = b.add("igw", Action::CreateInternetGateway { name: format!("{stack}-igw") }, &[]);
                b.add("igw-attach", Action::AttachInternetGateway { internet_gateway: r.clone(), vpc: vpc.clone() }, &[]);
                r
            }
        };
        let table = route_table(&mut b, existing, &vpc, PUBLIC_ROUTE_TABLE_ROLE, &format!("{stack}-public"));
        // A route to an internet gateway is refused until the gateway is attached.
        route(&mut b, existing, &table, PUBLIC_ROUTE_TABLE_ROLE, &igw, &["igw-attach"]);
        for (want, subnet) in &public {
            associate(&mut b, existing, &table, &want.name, subnet);
        }
    }

    // NAT gateways with their Elastic IPs.
    let mut nats: Vec<(String, Ref)> = Vec::new();
    for (index, (az, public_subnet)) in spec.nat_placements().into_iter().enumerate() {
        let role = nat_role(region, az);
        let letter = az_suffix(region, az);
        let nat = match existing.live_nat(&role) {
            Some(n) => {
                let r = Ref::Id(n.id.clone());
                if n.state == "pending" {
                    b.add(format!("wait-nat:{letter}"), Action::WaitNatAvailable { nat: r.clone() }, &[]);
                }
                r
            }
            None => {
                let allocation = match (spec.nat_eips.get(index), existing.address(&address_role(region, az))) {
                    (Some(user), _) => Ref::Id(user.clone()),
                    (None, Some(ours)) => Ref::Id(ours.allocation_id.clone()),
                    (None, None) => b.add(
                        format!("eip:{letter}"),
                        Action::AllocateAddress { name: format!("{stack}-nat-{letter}"), role: address_role(region, az) },
                        &[],
                    ),
                };
                let subnet = subnet_ref(&public_subnet.name).unwrap_or_else(|| Ref::Id(String::new()));
                let r = b.add(
                    format!("nat:{letter}"),
                    Action::CreateNatGateway { subnet, allocation, name: format!("{stack}-nat-{letter}"), role: role.clone() },
                    &["igw-attach"],
                );
                b.add(format!("wait-nat:{letter}"), Action::WaitNatAvailable { nat: r.clone() }, &[]);
                r
            }
        };
        nats.push((az.to_owned(), nat));
    }

    // Private route tables (one per AZ, or one per private subnet), each to the NAT
    // gateway of its AZ (or the only one), plus the routes to peered VPCs the network's
    // private tables already have (so a layout change keeps its peerings reachable).
    let peer_routes = peering_routes(existing);
    let wanted_tables = private_tables(spec);
    let mut private_tables = Vec::new();
    for want in &wanted_tables {
        let table = route_table(&mut b, existing, &vpc, &want.role, &want.name);
        let nat = match spec.nat {
            NatMode::None => None,
            NatMode::Single => nats.first(),
            NatMode::PerAz => nats.iter().find(|(nat_az, _)| nat_az == want.az).or(nats.first()),
        };
        if let Some((nat_az, nat)) = nat {
            let wait = format!("wait-nat:{}", az_suffix(region, nat_az));
            route(&mut b, existing, &table, &want.role, nat, &[&wait]);
        }
        let have = existing.route_table(&want.role);
        for (destination, peering) in &peer_routes {
            if !have.is_some_and(|t| t.routes.iter().any(|r| &r.destination == destination && &r.target == peering)) {
                b.add(
                    format!("route:{}:{destination}", want.role),
                    Action::CreateRoute { route_table: table.clone(), destination: destination.clone(), target: Ref::Id(peering.clone()) },
                    &[],
                );
            }
        }
        for (subnet_spec, subnet) in subnet_refs.iter().filter(|(s, _)| want.subnets.iter().any(|w| w.name == s.name)) {
            associate(&mut b, existing, &table, &subnet_spec.name, subnet);
        }
        private_tables.push(table);
    }
    // Private tables of another layout: deleted once their subnets have moved, unless a
    // subnet this run does not manage is still on one (then it stays, and is named).
    let wanted_roles: Vec<&str> = wanted_tables.iter().map(|t| t.role.as_str()).collect();
    let managed = |subnet_id: &str| {
        existing.subnets.iter().any(|s| s.id == subnet_id && spec.subnets.iter().any(|w| w.name == s.name && w.tier == Tier::Private))
    };
    let orphans: Vec<&crate::state::ExistingRouteTable> = existing
        .route_tables
        .iter()
        .filter(|t| is_private_route_table_role(&t.role) && !wanted_roles.contains(&t.role.as_str()))
        .filter(|t| {
            let kept = t.associations.iter().any(|(_, subnet)| !managed(subnet));
            if kept {
                tracing::warn!("route table {} ({}) still serves a subnet this run does not manage: left in place", t.id, t.role);
            }
            !kept
        })
        .collect();

    // Gateway endpoints on the private route tables.
    if !spec.endpoints.is_empty() && private_tables.is_empty() {
        return Err(Error::usage("gateway endpoints go on the private route tables: add private subnets or drop --endpoint"));
    }
    let orphan_ids: Vec<&str> = orphans.iter().map(|t| t.id.as_str()).collect();
    for service in &spec.endpoints {
        let role = format!("endpoint:{}", service.as_str());
        match existing.endpoint(&role) {
            Some(e) => {
                let missing: Vec<Ref> =
                    private_tables.iter().filter(|t| !matches!(t, Ref::Id(id) if e.route_table_ids.contains(id))).cloned().collect();
                let add_key = format!("endpoint-route-tables:{}", service.as_str());
                if !missing.is_empty() {
                    b.add(add_key.clone(), Action::AddEndpointRouteTables { endpoint: Ref::Id(e.id.clone()), route_tables: missing }, &[]);
                }
                let leaving: Vec<Ref> =
                    e.route_table_ids.iter().filter(|id| orphan_ids.contains(&id.as_str())).map(|id| Ref::Id(id.clone())).collect();
                if !leaving.is_empty() {
                    // Added first: the moved subnets never lose their way to the service.
                    b.add(
                        format!("endpoint-route-tables-remove:{}", service.as_str()),
                        Action::RemoveEndpointRouteTables { endpoint: Ref::Id(e.id.clone()), route_tables: leaving },
                        &[add_key.as_str()],
                    );
                }
            }
            None => {
                b.add(
                    format!("endpoint:{}", service.as_str()),
                    Action::CreateGatewayEndpoint {
                        vpc: vpc.clone(),
                        service: service.service_name(region),
                        name: format!("{stack}-{}", service.as_str()),
                        role,
                        route_tables: private_tables.clone(),
                    },
                    &[],
                );
            }
        }
    }
    for orphan in &orphans {
        let mut after: Vec<String> = b.keys_with_prefix("associate:");
        after.extend(b.keys_with_prefix("endpoint-route-tables-remove:"));
        let after: Vec<&str> = after.iter().map(String::as_str).collect();
        b.add(format!("delete-route-table:{}", orphan.role), Action::DeleteRouteTable { route_table: Ref::Id(orphan.id.clone()) }, &after);
    }

    // Security groups: web, bastion (SSH from the caller only), private (SSH from the bastion group).
    let web = group(&mut b, existing, &vpc, WEB_GROUP, &format!("{stack}-web"), "HTTP and HTTPS from the internet (awsops)");
    let web_rules: Vec<Permission> =
        spec.web_ports.iter().flat_map(|p| spec.web_sources.iter().map(move |src| tcp(*p, Some(src.to_string())))).collect();
    authorize(&mut b, existing, "web", &web, WEB_GROUP, None, web_rules);
    let bastion_group = group(&mut b, existing, &vpc, BASTION_GROUP, &format!("{stack}-bastion"), "SSH from the operator only (awsops)");
    let mut ssh_rules: Vec<Permission> = spec.ssh_sources.iter().map(|src| tcp(22, Some(src.to_string()))).collect();
    if spec.ssh_from_caller {
        ssh_rules.push(tcp(22, Some(CALLER_IP_PLACEHOLDER.to_owned())));
    }
    authorize(&mut b, existing, "bastion", &bastion_group, BASTION_GROUP, None, ssh_rules);
    let private_group = group(&mut b, existing, &vpc, PRIVATE_GROUP, &format!("{stack}-private"), "SSH from the bastion group (awsops)");
    authorize(&mut b, existing, "private", &private_group, PRIVATE_GROUP, Some(bastion_group.clone()), vec![tcp(22, None)]);

    // The bastion host, in the first public subnet.
    if let Some(bastion) = &spec.bastion {
        match &existing.bastion {
            Some(i) if i.state == "pending" => {
                b.add("wait-bastion", Action::WaitInstanceRunning { instance: Ref::Id(i.id.clone()) }, &[]);
            }
            Some(_) => {}
            None => {
                let (_, first_public) =
                    spec.first_public_subnet().ok_or_else(|| Error::usage("a bastion needs a public subnet: add --public-per-az 1"))?;
                let subnet = subnet_ref(&first_public.name).unwrap_or_else(|| Ref::Id(String::new()));
                let r = b.add(
                    "bastion",
                    Action::RunBastion {
                        subnet,
                        security_group: bastion_group.clone(),
                        ami: bastion.ami.clone(),
                        instance_type: bastion.instance_type.clone(),
                        key_name: bastion.key_name.clone(),
                        name: format!("{stack}-bastion"),
                        root_device: bastion.root_device.clone(),
                        root_size_gib: bastion.root_size_gib,
                    },
                    // Its interface asks for a public address itself, so it need not wait for
                    // the subnet's map-public-IP attribute; it waits for the internet gateway.
                    &["igw-attach"],
                );
                b.add("wait-bastion", Action::WaitInstanceRunning { instance: r }, &[]);
            }
        }
    }

    Ok(Plan { name: stack.clone(), region: region.clone(), operation: "create".into(), steps: b.steps })
}

fn route_table(b: &mut Builder, existing: &Existing, vpc: &Ref, role: &str, name: &str) -> Ref {
    match existing.route_table(role) {
        Some(t) => Ref::Id(t.id.clone()),
        None => b.add(
            format!("route-table:{role}"),
            Action::CreateRouteTable { vpc: vpc.clone(), name: name.to_owned(), role: role.to_owned() },
            &[],
        ),
    }
}

/// The default route of a table: created when missing, replaced when it points elsewhere.
fn route(b: &mut Builder, existing: &Existing, table: &Ref, role: &str, target: &Ref, extra_after: &[&str]) {
    let current = existing.route_table(role).and_then(|t| t.routes.iter().find(|r| r.destination == ANYWHERE));
    let key = format!("route:{role}");
    match (current, target) {
        (Some(r), Ref::Id(id)) if &r.target == id => {}
        (Some(_), _) => {
            b.add(
                key,
                Action::ReplaceRoute { route_table: table.clone(), destination: ANYWHERE.into(), target: target.clone() },
                extra_after,
            );
        }
        (None, _) => {
            b.add(
                key,
                Action::CreateRoute { route_table: table.clone(), destination: ANYWHERE.into(), target: target.clone() },
                extra_after,
            );
        }
    }
}

/// Puts a subnet on a table: associated when on none of the network's tables, moved
/// (its association replaced) when on another.
fn associate(b: &mut Builder, existing: &Existing, table: &Ref, subnet_name: &str, subnet: &Ref) {
    let current = match subnet {
        Ref::Id(s) => existing.association_of(s),
        Ref::Step { .. } => None,
    };
    let key = format!("associate:{subnet_name}");
    match current {
        Some((have, _)) if matches!(table, Ref::Id(t) if *t == have.id) => {}
        Some((_, association)) => {
            b.add(
                key,
                Action::ReplaceRouteTableAssociation { association: Ref::Id(association.to_owned()), route_table: table.clone() },
                &[],
            );
        }
        None => {
            b.add(key, Action::AssociateRouteTable { route_table: table.clone(), subnet: subnet.clone() }, &[]);
        }
    }
}

/// The routes to peering connections (`pcx-…`) on the network's private tables, by
/// destination: every private table carries them.
fn peering_routes(existing: &Existing) -> Vec<(String, String)> {
    let mut routes: Vec<(String, String)> = existing
        .route_tables
        .iter()
        .filter(|t| is_private_route_table_role(&t.role))
        .flat_map(|t| t.routes.iter().filter(|r| r.target.starts_with("pcx-")).map(|r| (r.destination.clone(), r.target.clone())))
        .collect();
    routes.sort();
    routes.dedup_by(|a, b| a.0 == b.0);
    routes
}

fn group(b: &mut Builder, existing: &Existing, vpc: &Ref, role: &str, name: &str, description: &str) -> Ref {
    match existing.security_group(role) {
        Some(g) => Ref::Id(g.id.clone()),
        None => b.add(
            format!("security-group:{role}"),
            Action::CreateSecurityGroup {
                vpc: vpc.clone(),
                name: name.to_owned(),
                role: role.to_owned(),
                description: description.to_owned(),
            },
            &[],
        ),
    }
}

/// Adds the rules the group lacks; never removes one.
fn authorize(b: &mut Builder, existing: &Existing, label: &str, group: &Ref, role: &str, source: Option<Ref>, wanted: Vec<Permission>) {
    let have = existing.security_group(role).map(|g| g.ingress.clone()).unwrap_or_default();
    let missing: Vec<Permission> = wanted
        .into_iter()
        .filter(|w| {
            !have.iter().any(|h| {
                h.protocol == w.protocol
                    && h.from_port == w.from_port
                    && h.to_port == w.to_port
                    && match &source {
                        Some(Ref::Id(src)) => h.source_group.as_deref() == Some(src),
                        Some(Ref::Step { .. }) => false,
                        None => h.cidr == w.cidr,
                    }
            })
        })
        .collect();
    if !missing.is_empty() {
        b.add(format!("ingress:{label}"), Action::AuthorizeIngress { group: group.clone(), source_group: source, rules: missing }, &[]);
    }
}

#[cfg(test)]
mod tests;
