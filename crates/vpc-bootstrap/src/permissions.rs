//! Which of the declared grants (in `discover`, `apply::grants`, `bastion_ami`, the
//! stack lease) an invocation's flags can reach: the policy `--print-policy` prints,
//! and every grant per subcommand for `--help` and the man page.

use crate::apply::grants;
use crate::spec::NatMode;
use crate::{Cli, Command, NAME};
use awsops_core::Result;
use awsops_core::permissions::{Grant, Needs, Scope, Table};
use awsops_core::stack_lease::LEASE;

pub fn needs(cli: &Cli) -> Result<Needs> {
    let region = cli.common.aws.region.as_deref();
    let needs = match &cli.command {
        Command::Create(args) => {
            let mut n = Needs::new(Scope::new(NAME, region).stack(&args.name));
            n.add(&[&crate::discover::READ_NETWORK]);
            if args.bastion {
                n.add(&[&crate::bastion_ami::READ_IMAGE]).add_if(args.bastion_ami.is_none(), &[&crate::bastion_ami::LATEST_AMAZON_LINUX]);
            }
            if !args.dry_run.is_set() {
                n.add(&LEASE).add(&grants::NETWORK).add(&grants::SECURITY_GROUP_RULES).add(&grants::DUPLICATES);
                n.add(&[&grants::MOVE_ROUTE_TABLES]);
                n.add_if(args.nat != NatMode::None, &grants::NAT)
                    .add_if(!args.endpoints.is_empty(), &grants::ENDPOINTS)
                    .add_if(args.bastion, &grants::BASTION);
            }
            n
        }
        Command::Show(args) => {
            let scope = Scope::new(NAME, region);
            let mut n = Needs::new(match &args.name {
                Some(name) => scope.stack(name),
                None => scope,
            });
            n.add(&[&crate::discover::READ_NETWORK]);
            args.fleet.add_needs(&mut n, &args.regions);
            n
        }
        Command::Destroy(args) => {
            let mut n = Needs::new(Scope::new(NAME, region).stack(&args.name));
            n.add(&[&crate::discover::READ_NETWORK, &crate::READ_BLOCKERS]);
            n.add_if(!args.dry_run.is_set(), &LEASE).add_if(!args.dry_run.is_set(), &grants::TEARDOWN);
            n.add(&[&crate::lb_aws::READ_LOAD_BALANCER, &crate::peer::READ_PEERING]);
            n.add_if(
                !args.dry_run.is_set(),
                &[&crate::lb_aws::DELETE_LOAD_BALANCER, &crate::peer::DELETE_PEERING, &crate::routes::PEER_ROUTES],
            );
            n
        }
        Command::Lb(args) => {
            let mut n = Needs::new(Scope::new(NAME, region).stack(&args.stack));
            n.add(&[&crate::discover::READ_NETWORK, &crate::lb_aws::READ_LOAD_BALANCER]);
            if !args.dry_run.is_set() {
                n.add(&LEASE).add(&[
                    &crate::lb_aws::CREATE_LOAD_BALANCER,
                    &crate::lb_aws::ALB_SERVICE_LINKED_ROLE,
                    &crate::lb_aws::CONVERGE_LOAD_BALANCER,
                ]);
            }
            n
        }
        Command::Peer(args) => {
            let mut scope = Scope::new(NAME, region).stack(&args.stack);
            if let Some(role) = &args.accepter_role_arn {
                awsops_core::aws_limits::check_role_arn("--accepter-role-arn", role)?;
                scope = scope.value("accepter_role_arn", role.clone());
            }
            let mut n = Needs::new(scope);
            n.add(&[&crate::discover::READ_NETWORK, &crate::peer::READ_PEERING]);
            if !args.dry_run.is_set() {
                n.add(&LEASE).add(&[&crate::routes::PEER_ROUTES]);
                if args.delete {
                    n.add(&[&crate::peer::DELETE_PEERING, &crate::peer::PEER_RULES]);
                } else {
                    n.add(&[&crate::peer::REQUEST_PEERING]).add_if(!args.allow_from_peer.is_empty(), &[&crate::peer::PEER_RULES]);
                    n.add_if(args.accepter_role_arn.is_none(), &[&crate::peer::ACCEPT_PEERING]);
                }
                if let Some(role) = &args.accepter_role_arn {
                    n.add(&[&crate::peer::ASSUME_ACCEPTER_ROLE]);
                    n.notes.push(format!(
                        "the accepter side runs as {role}: its own policy needs ec2:AcceptVpcPeeringConnection, ec2:CreateRoute, ec2:DeleteRoute, \
                         ec2:AuthorizeSecurityGroupIngress, ec2:RevokeSecurityGroupIngress and the Describe calls"
                    ));
                }
            }
            n
        }
    };
    Ok(needs)
}

pub fn table() -> Table {
    let create: Vec<&'static Grant> =
        [&crate::discover::READ_NETWORK, &crate::bastion_ami::READ_IMAGE, &crate::bastion_ami::LATEST_AMAZON_LINUX]
            .into_iter()
            .chain(LEASE)
            .chain(grants::NETWORK)
            .chain(grants::SECURITY_GROUP_RULES)
            .chain(grants::DUPLICATES)
            .chain(grants::NAT)
            .chain(grants::ENDPOINTS)
            .chain(grants::BASTION)
            .chain([&grants::MOVE_ROUTE_TABLES])
            .collect();
    let destroy = [&crate::discover::READ_NETWORK, &crate::READ_BLOCKERS]
        .into_iter()
        .chain(LEASE)
        .chain(grants::TEARDOWN)
        .chain([&crate::lb_aws::READ_LOAD_BALANCER, &crate::peer::READ_PEERING])
        .chain([&crate::lb_aws::DELETE_LOAD_BALANCER, &crate::peer::DELETE_PEERING, &crate::routes::PEER_ROUTES])
        .collect();
    let lb = [&crate::discover::READ_NETWORK, &crate::lb_aws::READ_LOAD_BALANCER]
        .into_iter()
        .chain(LEASE)
        .chain([&crate::lb_aws::CREATE_LOAD_BALANCER, &crate::lb_aws::ALB_SERVICE_LINKED_ROLE, &crate::lb_aws::CONVERGE_LOAD_BALANCER])
        .collect();
    let peer = [&crate::discover::READ_NETWORK, &crate::peer::READ_PEERING]
        .into_iter()
        .chain(LEASE)
        .chain([
            &crate::routes::PEER_ROUTES,
            &crate::peer::REQUEST_PEERING,
            &crate::peer::ACCEPT_PEERING,
            &crate::peer::PEER_RULES,
            &crate::peer::DELETE_PEERING,
            &crate::peer::ASSUME_ACCEPTER_ROLE,
        ])
        .collect();
    vec![
        ("create", create),
        ("show", [&crate::discover::READ_NETWORK].into_iter().chain(awsops_core::fleet::grants()).collect()),
        ("destroy", destroy),
        ("lb", lb),
        ("peer", peer),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use awsops_core::CommandCli;
    use awsops_core::policy_document::PolicyDocument;
    use clap::Parser;

    fn policy(args: &[&str]) -> PolicyDocument {
        PolicyDocument::from_needs(&awsops_core::permissions::needs_of::<Cli>("vpc-bootstrap", args).unwrap())
    }

    fn sids(doc: &PolicyDocument) -> Vec<&str> {
        doc.statements.iter().map(|s| s.sid.as_str()).collect()
    }

    #[test]
    fn every_sdk_call_is_declared_by_its_module() {
        let apply: Vec<&Grant> = std::iter::once(&crate::discover::READ_NETWORK)
            .chain(grants::NETWORK)
            .chain(grants::SECURITY_GROUP_RULES)
            .chain(grants::NAT)
            .chain(grants::ENDPOINTS)
            .chain(grants::BASTION)
            .chain(grants::TEARDOWN)
            .chain([&grants::MOVE_ROUTE_TABLES])
            .collect();
        let declared: &[(&str, &[&Grant])] = &[
            ("lib.rs", &[&crate::discover::READ_NETWORK, &crate::READ_BLOCKERS]),
            ("discover.rs", &[&crate::discover::READ_NETWORK]),
            ("bastion_ami.rs", &[&crate::bastion_ami::READ_IMAGE, &crate::bastion_ami::LATEST_AMAZON_LINUX]),
            ("apply.rs", &apply),
            ("lb.rs", &[&crate::discover::READ_NETWORK, &crate::lb_aws::READ_LOAD_BALANCER]),
            (
                "lb_aws.rs",
                &[
                    &crate::lb_aws::READ_LOAD_BALANCER,
                    &crate::lb_aws::CREATE_LOAD_BALANCER,
                    &crate::lb_aws::CONVERGE_LOAD_BALANCER,
                    &crate::lb_aws::DELETE_LOAD_BALANCER,
                ],
            ),
            (
                "peer.rs",
                &[
                    &crate::discover::READ_NETWORK,
                    &crate::peer::READ_PEERING,
                    &awsops_core::permissions::WHO_AM_I,
                    &crate::peer::REQUEST_PEERING,
                    &crate::peer::ACCEPT_PEERING,
                    &crate::peer::PEER_RULES,
                    &crate::peer::DELETE_PEERING,
                ],
            ),
            ("routes.rs", &[&crate::routes::PEER_ROUTES]),
        ];
        awsops_core::sdk_calls::assert_declared(env!("CARGO_MANIFEST_DIR"), declared);
        // The check catches a missing declaration: without the NAT grants apply.rs's
        // create_nat_gateway() and allocate_address() are reported.
        let without_nat: Vec<&Grant> = apply.iter().copied().filter(|g| !grants::NAT.contains(g)).collect();
        let without: Vec<(&str, &[&Grant])> =
            declared.iter().map(|(file, grants)| (*file, if *file == "apply.rs" { &without_nat[..] } else { *grants })).collect();
        let missing = awsops_core::sdk_calls::undeclared_calls(
            &awsops_core::sdk_calls::checkout_dir(env!("CARGO_MANIFEST_DIR")).join("src"),
            &without,
            awsops_core::sdk_calls::SdkOperations::of_workspace(),
        );
        assert!(missing.iter().any(|m| m.contains(".create_nat_gateway() needs ec2:CreateNatGateway")), "{missing:?}");
        assert!(missing.iter().any(|m| m.contains(".allocate_address() needs ec2:AllocateAddress")), "{missing:?}");
        assert!(missing.iter().all(|m| m.starts_with("apply.rs:")), "{missing:?}");
    }

    #[test]
    fn flags_change_the_policy() {
        let lab = policy(&["create", "lab", "--region", "ap-northeast-2", "--endpoint", "s3", "--bastion", "--key-name", "k"]);
        for sid in [
            "ReadNetwork",
            "CreateVpc",
            "CreateNatGateway",
            "CreateGatewayEndpoints",
            "LaunchBastion",
            "FindLatestAmazonLinux",
            "TagOnCreate",
        ] {
            assert!(sids(&lab).contains(&sid), "{sid} in {:?}", sids(&lab));
        }
        let no_nat = policy(&["create", "lab", "--nat", "none"]);
        assert!(!no_nat.actions().contains(&"ec2:CreateNatGateway") && !no_nat.actions().contains(&"ec2:AllocateAddress"));
        assert!(!no_nat.actions().contains(&"ec2:RunInstances") && !no_nat.actions().contains(&"ssm:GetParameter"));
        let own_ami = policy(&["create", "lab", "--bastion", "--bastion-ami", "ami-12345678"]);
        assert!(own_ami.actions().contains(&"ec2:RunInstances") && !own_ami.actions().contains(&"ssm:GetParameter"));
        for dry in
            [policy(&["create", "lab", "--dry-run", "--bastion"]), policy(&["destroy", "lab", "--dry-run"]), policy(&["show", "lab"])]
        {
            assert!(
                dry.actions().iter().all(|a| a.contains(":Describe") || *a == "ssm:GetParameter"),
                "a dry run only reads: {:?}",
                dry.actions()
            );
        }
        let destroy = policy(&["destroy", "lab"]);
        assert!(destroy.actions().contains(&"ec2:DeleteVpc") && !destroy.actions().contains(&"ec2:CreateVpc"));
    }

    #[test]
    fn mutations_are_scoped_to_the_stack_and_creates_tag_on_create() {
        let doc = policy(&["create", "lab", "--region", "ap-northeast-2", "--endpoint", "s3"]);
        let json = serde_json::to_value(&doc).unwrap();
        for st in json["Statement"].as_array().unwrap() {
            let actions: Vec<&str> = st["Action"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
            let reads = actions.iter().all(|a| a.contains(":Describe"));
            if reads {
                assert_eq!(st["Resource"], "*", "{st}");
                continue;
            }
            for arn in st["Resource"].as_array().unwrap() {
                assert!(arn.as_str().unwrap().starts_with("arn:aws:ec2:ap-northeast-2:"), "{st}");
            }
            if st["Sid"] == "StripDefaultSecurityGroup" || st["Sid"] == "TagOnCreate" {
                continue;
            }
            let cond = &st["Condition"]["StringEquals"];
            assert!(
                cond["aws:ResourceTag/awsops:stack"] == "lab" || cond["aws:RequestTag/awsops:stack"] == "lab",
                "a mutation not scoped to the stack: {st}"
            );
        }
        let tag = json["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == "TagOnCreate").unwrap();
        let creates = tag["Condition"]["StringEquals"]["ec2:CreateAction"].as_array().unwrap();
        for create in ["CreateVpc", "CreateSubnet", "CreateNatGateway", "AllocateAddress", "CreateVpcEndpoint", "ImportKeyPair"] {
            assert!(creates.iter().any(|c| c == create), "{create} can tag on create");
        }
    }

    #[test]
    fn every_policy_stays_within_the_subcommands_grants() {
        let table = table();
        for args in [
            vec!["create", "lab", "--bastion", "--endpoint", "s3,dynamodb", "--nat", "per-az"],
            vec!["create", "lab", "--dry-run"],
            vec!["show", "lab"],
            vec!["destroy", "lab"],
        ] {
            let cli = Cli::try_parse_from(std::iter::once("vpc-bootstrap").chain(args.iter().copied())).unwrap();
            let all = &table.iter().find(|(s, _)| *s == args[0]).unwrap().1;
            for g in cli.needs().unwrap().grants {
                assert!(all.contains(&g), "{} not in the {} table", g.sid, args[0]);
            }
        }
    }
}
