//! Teardown planning: what `destroy` deletes, in dependency order, and only what carries
//! this network's ownership tags. Pure, so `--dry-run` prints exactly what would run.

use crate::dedupe::Duplicate;
use crate::plan::{Action, Builder, Plan, Ref};
use crate::state::Existing;

/// A network interface in the VPC, as the blocker check sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    pub id: String,
    pub kind: String,
    pub description: String,
    pub instance_id: Option<String>,
    pub requester: Option<String>,
}

/// Interfaces in the VPC that this network did not create and that would block its
/// deletion (a load balancer's, a Lambda's, an instance someone else launched...).
pub fn blockers(existing: &Existing, interfaces: &[Interface]) -> Vec<String> {
    let ours = |i: &Interface| {
        let nat = existing.nat_gateways.iter().any(|n| n.interfaces.contains(&i.id) || i.description.contains(&n.id));
        let bastion = existing.bastion.as_ref().is_some_and(|b| i.instance_id.as_deref() == Some(b.id.as_str()))
            || i.instance_id.as_ref().is_some_and(|id| existing.ended_instances.contains(id));
        // A load balancer's interfaces are described `ELB app/NAME/ID`.
        let load_balancer = existing
            .load_balancers
            .iter()
            .any(|lb| i.description.strip_prefix("ELB app/").is_some_and(|rest| rest.starts_with(&format!("{}/", lb.name))));
        nat || bastion || load_balancer
    };
    interfaces
        .iter()
        .filter(|i| !ours(i))
        .map(|i| {
            let what = match (&i.instance_id, i.description.is_empty()) {
                (Some(instance), _) => format!("attached to instance {instance}"),
                (None, false) => i.description.clone(),
                (None, true) => i.requester.clone().map(|r| format!("managed by {r}")).unwrap_or_else(|| i.kind.clone()),
            };
            format!("{} ({what})", i.id)
        })
        .collect()
}

/// Steps that remove the owned duplicates nothing uses (keys `dedupe:<id>`); both
/// `create` and `destroy` run them.
pub(crate) fn remove_duplicates(b: &mut Builder, existing: &Existing) {
    for duplicate in &existing.duplicates {
        let key = format!("dedupe:{}", duplicate.id());
        match duplicate {
            Duplicate::InternetGateway { id, attached_vpc } => {
                let detach = format!("dedupe-detach:{id}");
                if let Some(vpc) = attached_vpc {
                    b.add(
                        detach.clone(),
                        Action::DetachInternetGateway { internet_gateway: Ref::Id(id.clone()), vpc: Ref::Id(vpc.clone()) },
                        &[],
                    );
                }
                b.add(key, Action::DeleteInternetGateway { internet_gateway: Ref::Id(id.clone()) }, &[detach.as_str()]);
            }
            Duplicate::Address(id) => {
                b.add(key, Action::ReleaseAddress { allocation: Ref::Id(id.clone()) }, &[]);
            }
            Duplicate::RouteTable(id) => {
                b.add(key, Action::DeleteRouteTable { route_table: Ref::Id(id.clone()) }, &[]);
            }
            Duplicate::Endpoint(id) => {
                b.add(key, Action::DeleteVpcEndpoints { endpoints: vec![Ref::Id(id.clone())] }, &[]);
            }
            Duplicate::Vpc(_) => {}
        }
    }
    // A duplicate VPC goes after the gateways detached from it.
    for duplicate in &existing.duplicates {
        if let Duplicate::Vpc(id) = duplicate {
            let detaches: Vec<String> = existing
                .duplicates
                .iter()
                .filter(|d| matches!(d, Duplicate::InternetGateway { attached_vpc: Some(v), .. } if v == id))
                .map(|d| format!("dedupe:{}", d.id()))
                .collect();
            let after: Vec<&str> = detaches.iter().map(String::as_str).collect();
            b.add(format!("dedupe:{id}"), Action::DeleteVpc { vpc: Ref::Id(id.clone()) }, &after);
        }
    }
}

pub fn plan(stack: &str, region: &str, existing: &Existing) -> Plan {
    let mut b = Builder::default();
    remove_duplicates(&mut b, existing);

    // Instances and NAT gateways first: they hold addresses, interfaces and groups.
    if let Some(instance) = &existing.bastion {
        b.add("terminate:bastion", Action::TerminateInstance { instance: Ref::Id(instance.id.clone()) }, &[]);
    }
    for nat in existing.nat_gateways.iter().filter(|n| !matches!(n.state.as_str(), "deleted" | "deleting")) {
        b.add(format!("delete-nat:{}", nat.role), Action::DeleteNatGateway { nat: Ref::Id(nat.id.clone()) }, &[]);
    }
    // Load balancers hold interfaces in the public subnets and the web group; their target
    // groups go once no listener uses them.
    for lb in &existing.load_balancers {
        b.add(format!("delete-load-balancer:{}", lb.name), Action::DeleteLoadBalancer { load_balancer: Ref::Id(lb.arn.clone()) }, &[]);
    }
    let load_balancers = b.keys_with_prefix("delete-load-balancer:");
    // Peerings: their routes in the other VPC go with them (the network's own go with its tables).
    for id in &existing.peerings {
        b.add(format!("delete-peering:{id}"), Action::DeletePeeringConnection { peering: Ref::Id(id.clone()) }, &[]);
    }
    for tg in &existing.target_groups {
        let after: Vec<&str> = load_balancers.iter().map(String::as_str).collect();
        b.add(format!("delete-target-group:{}", tg.name), Action::DeleteTargetGroup { target_group: Ref::Id(tg.arn.clone()) }, &after);
    }
    let holders: Vec<String> = [b.keys_with_prefix("terminate:"), b.keys_with_prefix("delete-nat:"), load_balancers].concat();
    let holders: Vec<&str> = holders.iter().map(String::as_str).collect();

    let endpoints: Vec<Ref> =
        existing.endpoints.iter().filter(|e| !e.state.eq_ignore_ascii_case("deleted")).map(|e| Ref::Id(e.id.clone())).collect();
    if !endpoints.is_empty() {
        b.add("delete-endpoints", Action::DeleteVpcEndpoints { endpoints }, &[]);
    }

    // Only the addresses this network allocated; user-supplied ones carry no tags of ours.
    for address in existing.addresses.iter().filter(|a| !a.foreign_association) {
        b.add(format!("release:{}", address.role), Action::ReleaseAddress { allocation: Ref::Id(address.allocation_id.clone()) }, &holders);
    }

    if let Some(igw) = &existing.internet_gateway {
        if let Some(vpc) = &igw.attached_vpc {
            b.add(
                "detach-igw",
                Action::DetachInternetGateway { internet_gateway: Ref::Id(igw.id.clone()), vpc: Ref::Id(vpc.clone()) },
                &holders,
            );
        }
        b.add("delete-igw", Action::DeleteInternetGateway { internet_gateway: Ref::Id(igw.id.clone()) }, &["detach-igw"]);
    }

    for table in &existing.route_tables {
        let mut disassociations = Vec::new();
        for (association, subnet) in &table.associations {
            let key = format!("disassociate:{subnet}");
            b.add(key.clone(), Action::DisassociateRouteTable { association: Ref::Id(association.clone()) }, &[]);
            disassociations.push(key);
        }
        let mut after: Vec<&str> = disassociations.iter().map(String::as_str).collect();
        after.push("delete-endpoints");
        b.add(format!("delete-route-table:{}", table.role), Action::DeleteRouteTable { route_table: Ref::Id(table.id.clone()) }, &after);
    }

    // Rules that point at another of our groups go first, or neither group can be deleted.
    let group_ids: Vec<&str> = existing.security_groups.iter().map(|g| g.id.as_str()).collect();
    let mut revocations = Vec::new();
    for group in &existing.security_groups {
        let cross: Vec<_> =
            group.ingress.iter().filter(|p| p.source_group.as_deref().is_some_and(|s| group_ids.contains(&s))).cloned().collect();
        if !cross.is_empty() {
            let key = format!("revoke:{}", group.role);
            b.add(key.clone(), Action::RevokeIngress { group: Ref::Id(group.id.clone()), rules: cross }, &[]);
            revocations.push(key);
        }
    }
    let mut group_after: Vec<&str> = revocations.iter().map(String::as_str).collect();
    group_after.extend(holders.iter().copied());
    for group in &existing.security_groups {
        b.add(
            format!("delete-security-group:{}", group.role),
            Action::DeleteSecurityGroup { group: Ref::Id(group.id.clone()) },
            &group_after,
        );
    }

    for subnet in &existing.subnets {
        let disassociate = format!("disassociate:{}", subnet.id);
        let mut after = holders.clone();
        after.push(&disassociate);
        b.add(format!("delete-subnet:{}", subnet.name), Action::DeleteSubnet { subnet: Ref::Id(subnet.id.clone()) }, &after);
    }

    if let Some(vpc) = &existing.vpc {
        let everything: Vec<String> = b.steps.iter().map(|s| s.key.clone()).collect();
        let everything: Vec<&str> = everything.iter().map(String::as_str).collect();
        b.add("delete-vpc", Action::DeleteVpc { vpc: Ref::Id(vpc.id.clone()) }, &everything);
    }
    Plan { name: stack.to_owned(), region: region.to_owned(), operation: "destroy".into(), steps: b.steps }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::*;

    fn lab() -> Existing {
        let perm = |src: Option<&str>| Permission {
            protocol: "tcp".into(),
            from_port: 22,
            to_port: 22,
            cidr: src.is_none().then(|| "203.0.113.7/32".into()),
            source_group: src.map(Into::into),
        };
        Existing {
            vpc: Some(ExistingVpc { id: "vpc-1".into(), cidr: "10.1.0.0/16".into(), dns_hostnames: true, dns_support: true }),
            subnets: vec![
                ExistingSubnet {
                    id: "subnet-p".into(),
                    name: "public-subnet-a1".into(),
                    cidr: "10.1.0.0/24".into(),
                    az: "a".into(),
                    az_id: String::new(),
                    tier: None,
                    map_public_ip: true,
                },
                ExistingSubnet {
                    id: "subnet-q".into(),
                    name: "private-subnet-a1".into(),
                    cidr: "10.1.128.0/24".into(),
                    az: "a".into(),
                    az_id: String::new(),
                    tier: None,
                    map_public_ip: false,
                },
            ],
            internet_gateway: Some(ExistingIgw { id: "igw-1".into(), attached_vpc: Some("vpc-1".into()) }),
            route_tables: vec![
                ExistingRouteTable {
                    id: "rtb-pub".into(),
                    role: "rt:public".into(),
                    routes: vec![],
                    associations: vec![("rtbassoc-1".into(), "subnet-p".into())],
                },
                ExistingRouteTable {
                    id: "rtb-priv".into(),
                    role: "rt:private:a".into(),
                    routes: vec![],
                    associations: vec![("rtbassoc-2".into(), "subnet-q".into())],
                },
            ],
            addresses: vec![ExistingAddress {
                allocation_id: "eipalloc-1".into(),
                role: "eip:nat:a".into(),
                public_ip: "198.51.100.1".into(),
                foreign_association: false,
            }],
            nat_gateways: vec![ExistingNat {
                id: "nat-1".into(),
                role: "nat:a".into(),
                subnet_id: "subnet-p".into(),
                state: "available".into(),
                allocation_id: Some("eipalloc-1".into()),
                public_ip: None,
                interfaces: vec!["eni-nat2".into()],
            }],
            security_groups: vec![
                ExistingSecurityGroup {
                    id: "sg-b".into(),
                    role: "sg:bastion".into(),
                    name: "b".into(),
                    ingress: vec![perm(None)],
                    egress: vec![],
                },
                ExistingSecurityGroup {
                    id: "sg-p".into(),
                    role: "sg:private".into(),
                    name: "p".into(),
                    ingress: vec![perm(Some("sg-b"))],
                    egress: vec![],
                },
            ],
            endpoints: vec![ExistingEndpoint {
                id: "vpce-1".into(),
                role: "endpoint:s3".into(),
                service_name: "s3".into(),
                route_table_ids: vec!["rtb-priv".into()],
                state: "available".into(),
            }],
            bastion: Some(ExistingInstance {
                id: "i-1".into(),
                state: "running".into(),
                subnet_id: "subnet-p".into(),
                private_ip: None,
                public_ip: None,
                key_name: None,
            }),
            default_security_group: None,
            duplicates: vec![],
            other_vpcs: vec![],
            ended_instances: vec![],
            load_balancers: vec![Named { name: "lab-web".into(), arn: "arn:lb".into() }],
            target_groups: vec![Named { name: "lab-web".into(), arn: "arn:tg".into() }],
            peerings: vec!["pcx-1".into()],
        }
    }

    fn position(p: &Plan, key: &str) -> usize {
        p.steps.iter().position(|s| s.key == key).unwrap_or_else(|| panic!("no step {key}"))
    }

    fn depends(p: &Plan, key: &str, on: &str) -> bool {
        p.steps[position(p, key)].after.iter().any(|a| a == on)
    }

    #[test]
    fn teardown_goes_in_dependency_order() {
        let p = plan("lab", "ap-northeast-2", &lab());
        assert!(depends(&p, "release:eip:nat:a", "delete-nat:nat:a"), "addresses after the NAT gateway lets go");
        assert!(depends(&p, "detach-igw", "delete-nat:nat:a") && depends(&p, "detach-igw", "terminate:bastion"));
        assert!(depends(&p, "delete-igw", "detach-igw"));
        assert!(depends(&p, "delete-target-group:lab-web", "delete-load-balancer:lab-web"), "no listener uses it any more");
        assert!(depends(&p, "delete-vpc", "delete-peering:pcx-1"));
        assert!(depends(&p, "delete-security-group:sg:bastion", "delete-load-balancer:lab-web"), "groups go after the load balancer");
        assert!(depends(&p, "delete-subnet:public-subnet-a1", "delete-load-balancer:lab-web"));
        assert!(depends(&p, "detach-igw", "delete-load-balancer:lab-web"), "its public addresses go first");
        assert!(depends(&p, "delete-route-table:rt:private:a", "disassociate:subnet-q"));
        assert!(depends(&p, "delete-route-table:rt:private:a", "delete-endpoints"));
        assert!(depends(&p, "delete-security-group:sg:bastion", "revoke:sg:private"), "cross-group rule revoked first");
        assert!(depends(&p, "delete-security-group:sg:bastion", "terminate:bastion"));
        assert!(depends(&p, "delete-subnet:public-subnet-a1", "delete-nat:nat:a"));
        assert!(depends(&p, "delete-subnet:private-subnet-a1", "disassociate:subnet-q"));
        assert_eq!(p.steps.last().unwrap().key, "delete-vpc");
        assert_eq!(p.steps.last().unwrap().after.len(), p.steps.len() - 1, "the VPC goes last");
        for (i, s) in p.steps.iter().enumerate() {
            for dep in &s.after {
                assert!(position(&p, dep) < i, "{} listed before {dep}", s.key);
            }
        }
    }

    #[test]
    fn nothing_to_tear_down_is_an_empty_plan() {
        assert!(plan("lab", "r", &Existing::default()).steps.is_empty());
    }

    #[test]
    fn strays_of_a_crashed_run_are_removed_without_a_vpc() {
        let stray = Existing {
            internet_gateway: Some(ExistingIgw { id: "igw-9".into(), attached_vpc: None }),
            addresses: vec![ExistingAddress {
                allocation_id: "eipalloc-9".into(),
                role: "eip:nat:a".into(),
                public_ip: String::new(),
                foreign_association: false,
            }],
            ..Existing::default()
        };
        let keys: Vec<String> = plan("lab", "r", &stray).steps.into_iter().map(|s| s.key).collect();
        assert_eq!(keys, ["release:eip:nat:a", "delete-igw"]);
    }

    #[test]
    fn blockers_are_what_we_did_not_create() {
        let interfaces = vec![
            Interface {
                id: "eni-nat".into(),
                kind: "nat_gateway".into(),
                description: "Interface for NAT Gateway nat-1".into(),
                instance_id: None,
                requester: None,
            },
            Interface { id: "eni-nat2".into(), kind: "interface".into(), description: String::new(), instance_id: None, requester: None },
            Interface {
                id: "eni-b".into(),
                kind: "interface".into(),
                description: String::new(),
                instance_id: Some("i-1".into()),
                requester: None,
            },
            Interface {
                id: "eni-lb".into(),
                kind: "interface".into(),
                description: "ELB app/shop/123".into(),
                instance_id: None,
                requester: Some("amazon-elb".into()),
            },
            Interface {
                id: "eni-x".into(),
                kind: "interface".into(),
                description: String::new(),
                instance_id: Some("i-other".into()),
                requester: None,
            },
        ];
        assert_eq!(blockers(&lab(), &interfaces), ["eni-lb (ELB app/shop/123)", "eni-x (attached to instance i-other)"]);
        let ours = Interface {
            id: "eni-ours".into(),
            kind: "interface".into(),
            description: "ELB app/lab-web/50dc6c495c0c9188".into(),
            instance_id: None,
            requester: Some("amazon-elb".into()),
        };
        assert!(blockers(&lab(), &[ours]).is_empty(), "the network's own load balancer's interface is not a blocker");
    }

    #[test]
    fn unused_duplicates_go_igw_detached_before_its_vpc() {
        let existing = Existing {
            duplicates: vec![
                Duplicate::Vpc("vpc-2".into()),
                Duplicate::InternetGateway { id: "igw-2".into(), attached_vpc: Some("vpc-2".into()) },
                Duplicate::Address("eipalloc-2".into()),
                Duplicate::RouteTable("rtb-2".into()),
            ],
            ..Existing::default()
        };
        let plan = plan("lab", "ap-northeast-2", &existing);
        let step = |key: &str| plan.steps.iter().find(|s| s.key == key).unwrap_or_else(|| panic!("no step {key}"));
        assert!(matches!(step("dedupe-detach:igw-2").action, Action::DetachInternetGateway { .. }));
        assert_eq!(step("dedupe:igw-2").after, ["dedupe-detach:igw-2"]);
        assert_eq!(step("dedupe:vpc-2").after, ["dedupe:igw-2"]);
        assert!(matches!(step("dedupe:eipalloc-2").action, Action::ReleaseAddress { .. }));
        assert!(matches!(step("dedupe:rtb-2").action, Action::DeleteRouteTable { .. }));
        assert_eq!(plan.steps.len(), 5, "nothing else: the network itself is not there");
    }
}
