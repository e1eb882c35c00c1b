//! Planner tests. A small simulator applies actions to an `Existing` the way EC2 would,
//! so convergence, crash recovery and teardown can be checked as properties.

use super::*;
use crate::cidr_plan::SlotLayout;
use crate::spec::{BastionSpec, choose_azs, desired_subnets};
use crate::state::*;
use awsops_core::kinds::EndpointService;
use proptest::prelude::*;
use std::collections::HashMap;

const REGION: &str = "ap-northeast-2";

fn region_azs() -> Vec<String> {
    ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c", "ap-northeast-2d"].map(String::from).to_vec()
}

fn spec(azs: usize, public: usize, private: usize, nat: NatMode) -> NetworkSpec {
    let layout = SlotLayout::new("10.1.0.0/16".parse().unwrap(), 24).unwrap();
    let chosen = choose_azs(REGION, &region_azs(), azs, &[]).unwrap();
    let subnets = desired_subnets(REGION, &layout, &chosen, public, private).unwrap();
    let mut s = NetworkSpec::bare("lab", REGION, "10.1.0.0/16".parse().unwrap(), subnets);
    s.nat = nat;
    s.ssh_sources = vec!["203.0.113.7/32".parse().unwrap()];
    s
}

fn lab() -> NetworkSpec {
    let mut s = spec(2, 1, 2, NatMode::Single);
    s.endpoints = vec![EndpointService::S3];
    s.bastion = Some(BastionSpec {
        ami: "ami-1".into(),
        instance_type: "t3.micro".into(),
        key_name: Some("ops".into()),
        root_device: Some("/dev/xvda".into()),
        root_size_gib: Some(8),
    });
    s
}

/// Applies the first `upto` steps of a plan as EC2 would; returns nothing, mutates `world`.
fn simulate(world: &mut Existing, plan: &Plan, upto: usize, counter: &mut u32) {
    let mut outputs: HashMap<String, String> = HashMap::new();
    for step in plan.steps.iter().take(upto) {
        let mut action = step.action.clone();
        action.visit_refs(&mut |r| {
            if let Ref::Step { step } = r {
                *r = Ref::Id(outputs.get(step).unwrap_or_else(|| panic!("{step} ran after its dependent")).clone());
            }
        });
        let id = apply_one(world, action, counter);
        outputs.insert(step.key.clone(), id);
    }
}

fn apply_one(w: &mut Existing, action: Action, counter: &mut u32) -> String {
    *counter += 1;
    let fresh = |prefix: &str| format!("{prefix}-{counter}");
    match action {
        Action::CreateVpc { cidr, .. } => {
            let id = fresh("vpc");
            w.vpc = Some(ExistingVpc { id: id.clone(), cidr, dns_hostnames: false, dns_support: true });
            let all = Permission { protocol: "-1".into(), from_port: -1, to_port: -1, cidr: Some(ANYWHERE.into()), source_group: None };
            w.default_security_group = Some(ExistingSecurityGroup {
                id: fresh("sg-default"),
                role: String::new(),
                name: "default".into(),
                ingress: vec![all.clone()],
                egress: vec![all],
            });
            id
        }
        Action::EnableDnsSupport { .. } => {
            let v = w.vpc.as_mut().unwrap();
            v.dns_support = true;
            v.id.clone()
        }
        Action::EnableDnsHostnames { .. } => {
            let v = w.vpc.as_mut().unwrap();
            v.dns_hostnames = true;
            v.id.clone()
        }
        Action::StripDefaultSecurityGroup { .. } => {
            let g = w.default_security_group.as_mut().unwrap();
            g.ingress.clear();
            g.egress.clear();
            g.id.clone()
        }
        Action::CreateSubnet { name, tier, az, cidr, .. } => {
            let id = fresh("subnet");
            w.subnets.push(ExistingSubnet { id: id.clone(), name, cidr, az, az_id: String::new(), tier: Some(tier), map_public_ip: false });
            id
        }
        Action::MapPublicIpOnLaunch { subnet } => {
            w.subnets.iter_mut().find(|s| s.id == subnet.id()).unwrap().map_public_ip = true;
            subnet.id().to_owned()
        }
        Action::CreateInternetGateway { .. } => {
            let id = fresh("igw");
            assert!(w.internet_gateway.is_none(), "a second internet gateway");
            w.internet_gateway = Some(ExistingIgw { id: id.clone(), attached_vpc: None });
            id
        }
        Action::AttachInternetGateway { vpc, .. } => {
            let g = w.internet_gateway.as_mut().unwrap();
            g.attached_vpc = Some(vpc.id().to_owned());
            g.id.clone()
        }
        Action::CreateRouteTable { role, .. } => {
            let id = fresh("rtb");
            w.route_tables.push(ExistingRouteTable { id: id.clone(), role, routes: vec![], associations: vec![] });
            id
        }
        Action::CreateRoute { route_table, destination, target } | Action::ReplaceRoute { route_table, destination, target } => {
            let t = w.route_tables.iter_mut().find(|t| t.id == route_table.id()).unwrap();
            t.routes.retain(|r| r.destination != destination);
            t.routes.push(ExistingRoute { destination, target: target.id().to_owned() });
            t.id.clone()
        }
        Action::AssociateRouteTable { route_table, subnet } => {
            assert!(w.route_table_of(subnet.id()).is_none(), "subnet associated twice");
            let id = fresh("rtbassoc");
            w.route_tables.iter_mut().find(|t| t.id == route_table.id()).unwrap().associations.push((id.clone(), subnet.id().to_owned()));
            id
        }
        Action::ReplaceRouteTableAssociation { association, route_table } => {
            let subnet = w
                .route_tables
                .iter_mut()
                .find_map(|t| {
                    let at = t.associations.iter().position(|(a, _)| a == association.id())?;
                    Some(t.associations.remove(at).1)
                })
                .expect("the association replaced exists");
            let id = fresh("rtbassoc");
            w.route_tables.iter_mut().find(|t| t.id == route_table.id()).unwrap().associations.push((id.clone(), subnet));
            id
        }
        Action::RemoveEndpointRouteTables { endpoint, route_tables } => {
            let e = w.endpoints.iter_mut().find(|e| e.id == endpoint.id()).unwrap();
            e.route_table_ids.retain(|t| !route_tables.iter().any(|r| r.id() == t));
            e.id.clone()
        }
        Action::AllocateAddress { role, .. } => {
            let id = fresh("eipalloc");
            w.addresses.push(ExistingAddress { allocation_id: id.clone(), role, public_ip: String::new(), foreign_association: false });
            id
        }
        Action::CreateNatGateway { subnet, allocation, role, .. } => {
            let id = fresh("nat");
            w.nat_gateways.push(ExistingNat {
                id: id.clone(),
                role,
                subnet_id: subnet.id().to_owned(),
                state: "pending".into(),
                allocation_id: Some(allocation.id().to_owned()),
                public_ip: None,
                interfaces: vec![],
            });
            id
        }
        Action::WaitNatAvailable { nat } => {
            w.nat_gateways.iter_mut().find(|n| n.id == nat.id()).unwrap().state = "available".into();
            nat.id().to_owned()
        }
        Action::CreateSecurityGroup { role, name, .. } => {
            let id = fresh("sg");
            w.security_groups.push(ExistingSecurityGroup { id: id.clone(), role, name, ingress: vec![], egress: vec![] });
            id
        }
        Action::AuthorizeIngress { group, source_group, rules } => {
            let g = w.security_groups.iter_mut().find(|g| g.id == group.id()).unwrap();
            for mut rule in rules {
                if let Some(src) = &source_group {
                    rule.source_group = Some(src.id().to_owned());
                }
                assert!(!g.ingress.contains(&rule), "duplicate rule");
                g.ingress.push(rule);
            }
            g.id.clone()
        }
        Action::CreateGatewayEndpoint { service, role, route_tables, .. } => {
            let id = fresh("vpce");
            w.endpoints.push(ExistingEndpoint {
                id: id.clone(),
                role,
                service_name: service,
                route_table_ids: route_tables.iter().map(|r| r.id().to_owned()).collect(),
                state: "available".into(),
            });
            id
        }
        Action::AddEndpointRouteTables { endpoint, route_tables } => {
            let e = w.endpoints.iter_mut().find(|e| e.id == endpoint.id()).unwrap();
            e.route_table_ids.extend(route_tables.iter().map(|r| r.id().to_owned()));
            e.id.clone()
        }
        Action::RunBastion { subnet, key_name, .. } => {
            let id = fresh("i");
            assert!(w.bastion.is_none(), "a second bastion");
            w.bastion = Some(ExistingInstance {
                id: id.clone(),
                state: "pending".into(),
                subnet_id: subnet.id().to_owned(),
                private_ip: None,
                public_ip: None,
                key_name,
            });
            id
        }
        Action::WaitInstanceRunning { .. } => {
            w.bastion.as_mut().unwrap().state = "running".into();
            String::new()
        }
        Action::TerminateInstance { .. } => {
            w.bastion = None;
            String::new()
        }
        Action::DeleteNatGateway { nat } => {
            w.nat_gateways.retain(|n| n.id != nat.id());
            String::new()
        }
        Action::ReleaseAddress { allocation } => {
            assert!(!w.nat_gateways.iter().any(|n| n.allocation_id.as_deref() == Some(allocation.id())), "released while in use");
            w.addresses.retain(|a| a.allocation_id != allocation.id());
            String::new()
        }
        Action::DetachInternetGateway { .. } => {
            assert!(w.nat_gateways.is_empty() && w.bastion.is_none(), "detached with public addresses mapped");
            w.internet_gateway.as_mut().unwrap().attached_vpc = None;
            String::new()
        }
        Action::DeleteInternetGateway { .. } => {
            assert!(w.internet_gateway.as_ref().unwrap().attached_vpc.is_none(), "deleted while attached");
            w.internet_gateway = None;
            String::new()
        }
        Action::DeleteVpcEndpoints { endpoints } => {
            w.endpoints.retain(|e| !endpoints.iter().any(|r| r.id() == e.id));
            String::new()
        }
        Action::DisassociateRouteTable { association } => {
            for t in &mut w.route_tables {
                t.associations.retain(|(a, _)| a != association.id());
            }
            String::new()
        }
        Action::DeleteRouteTable { route_table } => {
            let t = w.route_tables.iter().find(|t| t.id == route_table.id()).unwrap();
            assert!(t.associations.is_empty(), "route table deleted while associated");
            assert!(!w.endpoints.iter().any(|e| e.route_table_ids.contains(&t.id)), "route table deleted while an endpoint uses it");
            w.route_tables.retain(|t| t.id != route_table.id());
            String::new()
        }
        Action::RevokeIngress { group, rules } => {
            w.security_groups.iter_mut().find(|g| g.id == group.id()).unwrap().ingress.retain(|r| !rules.contains(r));
            String::new()
        }
        Action::DeleteSecurityGroup { group } => {
            let referenced = w.security_groups.iter().any(|g| g.ingress.iter().any(|r| r.source_group.as_deref() == Some(group.id())));
            assert!(!referenced, "group deleted while another refers to it");
            w.security_groups.retain(|g| g.id != group.id());
            String::new()
        }
        Action::DeleteSubnet { subnet } => {
            assert!(!w.nat_gateways.iter().any(|n| n.subnet_id == subnet.id()), "subnet deleted under a NAT gateway");
            assert!(w.route_table_of(subnet.id()).is_none(), "subnet deleted while associated");
            w.subnets.retain(|s| s.id != subnet.id());
            String::new()
        }
        Action::DeletePeeringConnection { peering } => {
            w.peerings.retain(|p| p != peering.id());
            String::new()
        }
        Action::DeleteLoadBalancer { load_balancer } => {
            w.load_balancers.retain(|l| l.arn != load_balancer.id());
            String::new()
        }
        Action::DeleteTargetGroup { target_group } => {
            assert!(w.load_balancers.is_empty(), "target group deleted while a load balancer may use it");
            w.target_groups.retain(|t| t.arn != target_group.id());
            String::new()
        }
        Action::CreateTargetGroup { .. }
        | Action::ModifyTargetGroupHealthCheck { .. }
        | Action::SetTargetGroupAttributes { .. }
        | Action::CreateLoadBalancer { .. }
        | Action::SetLoadBalancerAttributes { .. }
        | Action::CreateListener { .. }
        | Action::ForwardListener { .. }
        | Action::RegisterTargets { .. }
        | Action::DeregisterTargets { .. }
        | Action::WaitTargetsHealthy { .. } => panic!("a network plan made a load balancer step: {action:?}"),
        Action::DeleteVpc { .. } => {
            assert!(w.load_balancers.is_empty(), "VPC deleted under a load balancer");
            assert!(w.subnets.is_empty() && w.security_groups.is_empty() && w.route_tables.is_empty(), "VPC deleted before its contents");
            w.vpc = None;
            w.default_security_group = None;
            String::new()
        }
    }
}

fn keys(p: &Plan) -> Vec<&str> {
    p.steps.iter().map(|s| s.key.as_str()).collect()
}

fn build(spec: &NetworkSpec) -> Existing {
    let mut world = Existing::default();
    let mut counter = 0;
    let p = plan(spec, &world).unwrap();
    simulate(&mut world, &p, p.steps.len(), &mut counter);
    world
}

#[test]
fn the_lab_from_nothing() {
    let p = plan(&lab(), &Existing::default()).unwrap();
    let k = keys(&p);
    for expected in [
        "vpc",
        "vpc-dns-hostnames",
        "strip-default-security-group",
        "subnet:public-subnet-a1",
        "subnet:private-subnet-b2",
        "igw",
        "igw-attach",
        "route-table:rt:public",
        "route:rt:public",
        "eip:a",
        "nat:a",
        "wait-nat:a",
        "route-table:rt:private:a",
        "route-table:rt:private:b",
        "route:rt:private:b",
        "endpoint:s3",
        "security-group:sg:web",
        "ingress:web",
        "ingress:bastion",
        "ingress:private",
        "bastion",
        "wait-bastion",
    ] {
        assert!(k.contains(&expected), "missing {expected} in {k:?}");
    }
    assert!(!k.contains(&"nat:b"), "single NAT mode");
    let route_b = &p.steps[k.iter().position(|x| *x == "route:rt:private:b").unwrap()];
    assert_eq!(
        route_b.action,
        Action::CreateRoute {
            route_table: Ref::step("route-table:rt:private:b"),
            destination: ANYWHERE.into(),
            target: Ref::step("nat:a")
        }
    );
    assert!(route_b.after.contains(&"wait-nat:a".to_owned()));
    for (i, s) in p.steps.iter().enumerate() {
        for dep in &s.after {
            assert!(p.steps[..i].iter().any(|e| &e.key == dep), "{} before its dependency {dep}", s.key);
        }
    }
}

#[test]
fn ssh_never_from_anywhere_by_default() {
    let p = plan(&lab(), &Existing::default()).unwrap();
    let ssh = p.steps.iter().find(|s| s.key == "ingress:bastion").unwrap();
    let Action::AuthorizeIngress { rules, .. } = &ssh.action else { panic!() };
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].cidr.as_deref(), Some("203.0.113.7/32"));
    let private = p.steps.iter().find(|s| s.key == "ingress:private").unwrap();
    assert!(
        matches!(&private.action, Action::AuthorizeIngress { source_group: Some(Ref::Step { step }), .. } if step == "security-group:sg:bastion")
    );
}

#[test]
fn a_converged_lab_plans_nothing() {
    let world = build(&lab());
    let again = plan(&lab(), &world).unwrap();
    assert!(again.steps.is_empty(), "{:?}", keys(&again));
}

#[test]
fn changes_that_cannot_be_made_are_usage_errors() {
    let mut world = build(&spec(1, 1, 1, NatMode::None));
    world.subnets[0].cidr = "10.1.5.0/24".into();
    assert_eq!(plan(&spec(1, 1, 1, NatMode::None), &world).unwrap_err().exit_code(), 2);
    let mut world = build(&spec(1, 1, 1, NatMode::None));
    world.vpc.as_mut().unwrap().cidr = "10.2.0.0/16".into();
    assert!(plan(&spec(1, 1, 1, NatMode::None), &world).unwrap_err().to_string().contains("cannot change"));
}

#[test]
fn switching_to_a_nat_per_az_replaces_the_routes() {
    let world = build(&spec(2, 1, 1, NatMode::Single));
    let p = plan(&spec(2, 1, 1, NatMode::PerAz), &world).unwrap();
    assert_eq!(keys(&p), ["eip:b", "nat:b", "wait-nat:b", "route:rt:private:b"]);
    assert!(matches!(p.steps[3].action, Action::ReplaceRoute { .. }));
}

#[test]
fn user_supplied_addresses_are_used_not_allocated() {
    let mut s = spec(2, 1, 1, NatMode::PerAz);
    s.nat_eips = vec!["eipalloc-user1".into(), "eipalloc-user2".into()];
    let p = plan(&s, &Existing::default()).unwrap();
    assert!(!keys(&p).iter().any(|k| k.starts_with("eip:")));
    let nat_b = p.steps.iter().find(|s| s.key == "nat:b").unwrap();
    assert!(matches!(&nat_b.action, Action::CreateNatGateway { allocation: Ref::Id(a), .. } if a == "eipalloc-user2"));
    // ... and teardown never releases them: they carry no tags of ours.
    let world = build(&s);
    assert!(world.addresses.is_empty());
}

#[test]
fn plan_serialises_with_refs() {
    let p = plan(&spec(1, 1, 0, NatMode::None), &Existing::default()).unwrap();
    let v = awsops_core::document::to_value(&p).unwrap();
    assert_eq!(v["kind"], "vpc-plan");
    assert_eq!(v["operation"], "create");
    assert_eq!(
        v["steps"][1],
        serde_json::json!({"key": "vpc-dns-hostnames", "after": ["vpc"], "action": "enable_dns_hostnames", "vpc": {"step": "vpc"}})
    );
}

fn nat_mode() -> impl Strategy<Value = NatMode> {
    prop_oneof![Just(NatMode::None), Just(NatMode::Single), Just(NatMode::PerAz)]
}

fn any_spec() -> impl Strategy<Value = NetworkSpec> {
    (1usize..=3, 1usize..=2, 0usize..=2, nat_mode(), any::<bool>(), any::<bool>()).prop_map(
        |(azs, public, private, nat, endpoint, bastion)| {
            let mut s = spec(azs, public, private, nat);
            if endpoint && private > 0 {
                s.endpoints = vec![EndpointService::S3, EndpointService::Dynamodb];
            }
            if bastion {
                s.bastion = Some(BastionSpec {
                    ami: "ami-1".into(),
                    instance_type: "t3.micro".into(),
                    key_name: None,
                    root_device: Some("/dev/xvda".into()),
                    root_size_gib: Some(8),
                });
            }
            s
        },
    )
}

fn counts(w: &Existing) -> (usize, usize, usize, usize, usize, usize) {
    (w.subnets.len(), w.route_tables.len(), w.nat_gateways.len(), w.security_groups.len(), w.endpoints.len(), w.addresses.len())
}

proptest! {
    /// Any spec: applying its plan converges (a second plan is empty).
    #[test]
    fn applying_converges(s in any_spec()) {
        let world = build(&s);
        let again = plan(&s, &world).unwrap();
        prop_assert!(again.steps.is_empty(), "{:?}", keys(&again));
    }

    /// A run killed after any number of steps, then re-run, converges to the same
    /// resources as an uninterrupted run: nothing missing, nothing duplicated.
    #[test]
    fn a_crashed_run_converges_without_duplicates(s in any_spec(), cut in 0usize..60) {
        let mut world = Existing::default();
        let mut counter = 0;
        let first = plan(&s, &world).unwrap();
        simulate(&mut world, &first, cut.min(first.steps.len()), &mut counter);
        let second = plan(&s, &world).unwrap();
        simulate(&mut world, &second, second.steps.len(), &mut counter);
        prop_assert!(plan(&s, &world).unwrap().steps.is_empty());
        prop_assert_eq!(counts(&world), counts(&build(&s)));
    }

    /// Growing a network (more AZs, more subnets) only adds: no step deletes or moves.
    #[test]
    fn growth_only_adds(azs in 1usize..=2, public in 1usize..=2, private in 0usize..=2, nat in nat_mode()) {
        let small = spec(azs, public, private, nat);
        let world = build(&small);
        let bigger = spec(azs + 1, public, private + 1, nat);
        let p = plan(&bigger, &world).unwrap();
        for step in &p.steps {
            let ok = !matches!(step.action, Action::DeleteSubnet { .. } | Action::DeleteVpc { .. } | Action::DeleteNatGateway { .. } | Action::CreateVpc { .. });
            prop_assert!(ok, "growth planned {}", step.key);
        }
    }

    /// Teardown of any built network leaves nothing of ours, in an order EC2 accepts
    /// (the simulator asserts each dependency).
    #[test]
    fn teardown_leaves_nothing(s in any_spec()) {
        let mut world = build(&s);
        let mut counter = 1000;
        let p = crate::teardown::plan("lab", REGION, &world);
        simulate(&mut world, &p, p.steps.len(), &mut counter);
        prop_assert_eq!(world, Existing::default());
    }
}

#[test]
fn a_dry_run_without_ssh_from_plans_the_callers_rule() {
    let mut s = lab();
    s.ssh_sources.clear();
    s.ssh_from_caller = true;
    let planned = serde_json::to_string(&plan(&s, &Existing::default()).unwrap()).unwrap();
    assert!(planned.contains(CALLER_IP_PLACEHOLDER), "{planned}");
    s.ssh_from_caller = false;
    let planned = serde_json::to_string(&plan(&s, &Existing::default()).unwrap()).unwrap();
    assert!(!planned.contains(CALLER_IP_PLACEHOLDER));
}

#[test]
fn step_keys_follow_the_grammar() {
    assert!(is_step_key("igw-attach") && is_step_key("wait-nat:a") && is_step_key("subnet:private-subnet-a1"));
    assert!(!is_step_key("igw-atach") && !is_step_key("wait-nat:") && !is_step_key("wait-nats:a"));
    for step in plan(&lab(), &Existing::default()).unwrap().steps {
        assert!(is_step_key(&step.key), "{}", step.key);
        assert!(step.after.iter().all(|a| is_step_key(a)), "{:?}", step.after);
    }
}

#[test]
#[should_panic(expected = "which no plan makes")]
fn a_dependency_on_an_unknown_step_panics() {
    let mut b = Builder::default();
    b.add("igw", Action::CreateInternetGateway { name: "lab-igw".into() }, &["igw-atach"]);
}

fn per_subnet(mut s: NetworkSpec) -> NetworkSpec {
    s.private_route_tables = crate::spec::PrivateRouteTables::PerSubnet;
    s
}

/// The private tables' roles, each with the names of the subnets on it (sorted).
fn private_layout(w: &Existing) -> Vec<(String, Vec<String>)> {
    let name = |id: &str| w.subnets.iter().find(|s| s.id == id).map(|s| s.name.clone()).unwrap_or_default();
    let mut tables: Vec<(String, Vec<String>)> = w
        .route_tables
        .iter()
        .filter(|t| is_private_route_table_role(&t.role))
        .map(|t| {
            let mut subnets: Vec<String> = t.associations.iter().map(|(_, s)| name(s)).collect();
            subnets.sort();
            (t.role.clone(), subnets)
        })
        .collect();
    tables.sort();
    tables
}

#[test]
fn the_lab_with_a_table_per_private_subnet() {
    let world = build(&per_subnet(lab()));
    let layout = private_layout(&world);
    let want: Vec<(String, Vec<String>)> = ["private-subnet-a1", "private-subnet-a2", "private-subnet-b1", "private-subnet-b2"]
        .iter()
        .map(|n| (format!("rt:subnet:{n}"), vec![n.to_string()]))
        .collect();
    assert_eq!(layout, want);
    let nat = world.nat_gateways[0].id.clone();
    for t in world.route_tables.iter().filter(|t| is_private_route_table_role(&t.role)) {
        assert_eq!(t.routes, vec![ExistingRoute { destination: ANYWHERE.into(), target: nat.clone() }], "{}", t.role);
    }
    assert_eq!(world.endpoints[0].route_table_ids.len(), 4, "the endpoint is on every private table");
    assert!(plan(&per_subnet(lab()), &world).unwrap().steps.is_empty());
}

#[test]
fn switching_layouts_moves_subnets_and_leaves_no_orphan_table() {
    let mut world = build(&lab());
    let mut counter = 500;
    let p = plan(&per_subnet(lab()), &world).unwrap();
    let k = keys(&p);
    assert!(k.contains(&"route-table:rt:subnet:private-subnet-a2") && k.contains(&"delete-route-table:rt:private:a"), "{k:?}");
    let moved = p.steps.iter().find(|s| s.key == "associate:private-subnet-a1").unwrap();
    assert!(matches!(moved.action, Action::ReplaceRouteTableAssociation { .. }), "{moved:?}");
    let delete = p.steps.iter().find(|s| s.key == "delete-route-table:rt:private:a").unwrap();
    assert!(delete.after.contains(&"associate:private-subnet-a1".to_owned()));
    assert!(delete.after.contains(&"endpoint-route-tables-remove:s3".to_owned()));
    simulate(&mut world, &p, p.steps.len(), &mut counter);
    assert_eq!(private_layout(&world), private_layout(&build(&per_subnet(lab()))));
    assert!(plan(&per_subnet(lab()), &world).unwrap().steps.is_empty());
    // And back.
    let back = plan(&lab(), &world).unwrap();
    simulate(&mut world, &back, back.steps.len(), &mut counter);
    assert_eq!(private_layout(&world), private_layout(&build(&lab())));
    assert_eq!(world.route_tables.len(), 3, "public + one per AZ, nothing left over");
    assert!(plan(&lab(), &world).unwrap().steps.is_empty());
}

#[test]
fn a_table_still_serving_an_unmanaged_subnet_stays() {
    let mut world = build(&lab());
    let mut counter = 500;
    // Fewer private subnets per AZ now: private-subnet-a2/b2 are not this run's to move.
    let mut smaller = per_subnet(spec(2, 1, 1, NatMode::Single));
    smaller.endpoints = vec![EndpointService::S3];
    let p = plan(&smaller, &world).unwrap();
    assert!(!keys(&p).iter().any(|k| k.starts_with("delete-route-table:")), "{:?}", keys(&p));
    simulate(&mut world, &p, p.steps.len(), &mut counter);
    assert!(plan(&smaller, &world).unwrap().steps.is_empty());
}

#[test]
fn peering_routes_follow_the_private_tables() {
    let mut world = build(&lab());
    for t in world.route_tables.iter_mut().filter(|t| t.role == "rt:private:a") {
        t.routes.push(ExistingRoute { destination: "10.2.0.0/16".into(), target: "pcx-1".into() });
    }
    let p = plan(&lab(), &world).unwrap();
    assert_eq!(keys(&p), ["route:rt:private:b:10.2.0.0/16"], "the other private table gets the peer's route too");
    let mut counter = 700;
    let p = plan(&per_subnet(lab()), &world).unwrap();
    simulate(&mut world, &p, p.steps.len(), &mut counter);
    for t in world.route_tables.iter().filter(|t| is_private_route_table_role(&t.role)) {
        assert!(t.routes.iter().any(|r| r.target == "pcx-1"), "{} lost the peering route", t.role);
    }
}

proptest! {
    /// From any layout to any other (and any spec), the network converges with exactly
    /// the tables the new layout asks for, and each private subnet on its own layout's table.
    #[test]
    fn layout_changes_converge_without_orphans(s in any_spec(), from_subnet in any::<bool>(), to_subnet in any::<bool>(), cut in 0usize..30) {
        let layout = |b: bool| if b { crate::spec::PrivateRouteTables::PerSubnet } else { crate::spec::PrivateRouteTables::PerAz };
        let mut from = s.clone();
        from.private_route_tables = layout(from_subnet);
        let mut to = s;
        to.private_route_tables = layout(to_subnet);
        let mut world = build(&from);
        let mut counter = 900;
        let first = plan(&to, &world).unwrap();
        simulate(&mut world, &first, cut.min(first.steps.len()), &mut counter);
        let second = plan(&to, &world).unwrap();
        simulate(&mut world, &second, second.steps.len(), &mut counter);
        prop_assert!(plan(&to, &world).unwrap().steps.is_empty());
        prop_assert_eq!(private_layout(&world), private_layout(&build(&to)));
        prop_assert_eq!(world.route_tables.len(), build(&to).route_tables.len());
    }
}
