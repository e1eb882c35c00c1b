//! The rest of the reference web stack, built by vpc-bootstrap against moto: the lab with
//! a route table per private subnet (verified table by table, switched to per-AZ and back
//! without orphans), and the application load balancer with two web instances registered
//! by tag, its listener and stickiness, re-registered as instances change, piped into
//! `cert-attach --redirect-http` and `dns-alias set`, and removed by `destroy`.

use crate::aws_view::{Ec2View, emulator_client, tag};
use crate::harness::{CallProxy, Moto, TestCommand, check_schema};
use aws_sdk_ec2::types::{ResourceType, Tag, TagSpecification};
use std::collections::BTreeMap;
use std::time::Duration;

const SSH_FROM: &str = "203.0.113.7/32";

fn vpc(endpoint: &str) -> TestCommand {
    TestCommand::new("vpc-bootstrap", endpoint).env("AWSOPS_SSH_FROM", SSH_FROM)
}

const LAB: &[&str] = &["create", "lab", "--cidr", "10.1.0.0/16", "--az", "a,c", "--private-per-az", "2", "--endpoint", "s3"];

fn lab_with(extra: &[&str]) -> Vec<String> {
    LAB.iter().chain(extra).map(|s| s.to_string()).collect()
}

/// Mutating calls the proxy saw since it was last cleared.
fn writes(proxy: &CallProxy) -> Vec<String> {
    proxy.calls().into_iter().filter(|c| !c.is_read_only()).map(|c| c.action).collect()
}

/// Each private subnet's route table, and each private table's default route and subnets.
fn private_tables(aws: &Ec2View, vpc: &str) -> BTreeMap<String, (Option<String>, Vec<String>)> {
    let subnets = aws.subnets(vpc);
    let name = |id: &str| subnets.iter().find(|s| s.subnet_id() == Some(id)).and_then(|s| tag(s.tags(), "Name")).unwrap_or("?").to_owned();
    aws.route_tables(vpc)
        .iter()
        .filter(|t| tag(t.tags(), "awsops:role").is_some_and(|r| r.starts_with("rt:private:") || r.starts_with("rt:subnet:")))
        .map(|t| {
            let target = t
                .routes()
                .iter()
                .find(|r| r.destination_cidr_block() == Some("0.0.0.0/0"))
                .and_then(|r| r.nat_gateway_id().or(r.gateway_id()))
                .map(str::to_owned);
            let mut on: Vec<String> = t.associations().iter().filter_map(|a| a.subnet_id()).map(name).collect();
            on.sort();
            (tag(t.tags(), "awsops:role").unwrap().to_owned(), (target, on))
        })
        .collect()
}

#[test]
fn the_lab_with_a_route_table_per_private_subnet_and_back() {
    let moto = Moto::start();
    let proxy = CallProxy::start(moto.addr(), Duration::ZERO).unwrap();
    let doc = vpc(&proxy.url()).args(lab_with(&["--private-route-tables", "per-subnet"])).run().ok().remove(0);
    let aws = Ec2View::new(&moto.url());
    let vpc_id = doc["vpc_id"].as_str().unwrap().to_owned();
    let nat = aws.live_nat_gateways(&vpc_id)[0].nat_gateway_id().unwrap().to_owned();

    // Seed 000 to the letter: each private subnet has its own table, routed through the NAT gateway.
    let tables = private_tables(&aws, &vpc_id);
    let want: BTreeMap<String, (Option<String>, Vec<String>)> =
        ["private-subnet-a1", "private-subnet-a2", "private-subnet-c1", "private-subnet-c2"]
            .iter()
            .map(|n| (format!("rt:subnet:{n}"), (Some(nat.clone()), vec![n.to_string()])))
            .collect();
    assert_eq!(tables, want);
    assert_eq!(aws.route_tables(&vpc_id).len(), 6, "main + public + four private");
    let named: Vec<String> = aws.route_tables(&vpc_id).iter().filter_map(|t| tag(t.tags(), "Name").map(str::to_owned)).collect();
    assert!(named.contains(&"lab-private-subnet-a1-rt".to_owned()), "{named:?}");
    // Every subnet in the document names its own table; the S3 endpoint is on all four.
    let private_ids: Vec<String> = aws
        .route_tables(&vpc_id)
        .iter()
        .filter(|t| tag(t.tags(), "awsops:role").is_some_and(|r| r.starts_with("rt:subnet:")))
        .map(|t| t.route_table_id().unwrap().to_owned())
        .collect();
    let mut on_endpoint = aws.endpoints(&vpc_id)[0].route_table_ids().to_vec();
    on_endpoint.sort();
    let mut sorted_ids = private_ids.clone();
    sorted_ids.sort();
    assert_eq!(on_endpoint, sorted_ids);
    let doc_tables: Vec<&str> = doc["subnets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["tier"] == "private")
        .map(|s| s["route_table_id"].as_str().unwrap())
        .collect();
    assert_eq!(doc_tables.len(), 4);
    assert!(doc_tables.iter().all(|t| private_ids.iter().any(|p| p == t)), "{doc_tables:?}");
    check_schema(&doc).unwrap();

    // A re-run only reads.
    proxy.clear();
    let again = vpc(&proxy.url()).args(lab_with(&["--private-route-tables", "per-subnet"])).run().ok().remove(0);
    assert_eq!(again, doc);
    assert_eq!(writes(&proxy), Vec::<String>::new(), "a converged re-run changed something");

    // Back to one table per AZ: subnets move, the per-subnet tables go, the endpoint follows.
    let per_az = vpc(&moto.url()).args(LAB).run().ok().remove(0);
    let tables = private_tables(&aws, &vpc_id);
    let want: BTreeMap<String, (Option<String>, Vec<String>)> = ["a", "c"]
        .iter()
        .map(|az| (format!("rt:private:{az}"), (Some(nat.clone()), vec![format!("private-subnet-{az}1"), format!("private-subnet-{az}2")])))
        .collect();
    assert_eq!(tables, want);
    assert_eq!(aws.route_tables(&vpc_id).len(), 4, "no orphan tables: main + public + two private");
    assert_eq!(aws.endpoints(&vpc_id)[0].route_table_ids().len(), 2);
    assert_eq!(per_az["vpc_id"], doc["vpc_id"]);
    proxy.clear();
    vpc(&proxy.url()).args(LAB).run().ok();
    assert_eq!(writes(&proxy), Vec::<String>::new());

    vpc(&moto.url()).args(["destroy", "lab", "--yes"]).run().ok();
    // moto's gap, not AWS's behaviour: ModifyVpcEndpoint(AddRouteTableIds) adds no route to
    // the tables it adds, so moto's DeleteVpcEndpoints fails on the first of them (its
    // InvalidRoute.NotFound) and keeps the endpoint, whose VPC is gone. Everything else went.
    let left = aws.tagged("lab");
    assert!(left.iter().all(|id| id.starts_with("vpce-")), "{left:?}");
    assert!(aws.vpcs("lab").is_empty());
}

/// Launches a web instance in a subnet of the network, tagged role=web.
fn web_instance(aws: &Ec2View, subnet: &str, name: &str) -> String {
    let image = aws.block(aws.client.describe_images().owners("amazon").send()).unwrap().images()[0].image_id().unwrap().to_owned();
    let tags = TagSpecification::builder()
        .resource_type(ResourceType::Instance)
        .tags(Tag::builder().key("Name").value(name).build())
        .tags(Tag::builder().key("role").value("web").build())
        .build();
    let out = aws
        .block(aws.client.run_instances().image_id(image).min_count(1).max_count(1).subnet_id(subnet).tag_specifications(tags).send())
        .unwrap();
    out.instances()[0].instance_id().unwrap().to_owned()
}

const LB: &[&str] = &[
    "lb",
    "lab",
    "--target",
    "role=web",
    "--stickiness",
    "1d",
    "--health-path",
    "/health",
    "--health-interval",
    "10",
    "--healthy-threshold",
    "3",
    "--unhealthy-threshold",
    "4",
];

#[test]
fn the_load_balancer_of_the_lab_serves_the_web_instances() {
    let moto = Moto::start_with(&[("MOTO_ACM_VALIDATION_WAIT", "1")]);
    let aws = Ec2View::new(&moto.url());
    let network = vpc(&moto.url()).args(["create", "lab", "--cidr", "10.1.0.0/16", "--az", "a,c", "--nat", "none"]).run().ok().remove(0);
    let subnet =
        |name: &str| network["subnets"].as_array().unwrap().iter().find(|s| s["name"] == name).unwrap()["id"].as_str().unwrap().to_owned();
    let web1 = web_instance(&aws, &subnet("private-subnet-a1"), "web-1");
    let web2 = web_instance(&aws, &subnet("private-subnet-c1"), "web-2");

    // A dry run plans everything and changes nothing.
    let proxy = CallProxy::start(moto.addr(), Duration::ZERO).unwrap();
    let planned = vpc(&proxy.url()).args(LB).arg("--dry-run").run().ok().remove(0);
    assert_eq!(planned["kind"], "vpc-plan");
    assert_eq!(planned["operation"], "load-balancer");
    let keys: Vec<&str> = planned["steps"].as_array().unwrap().iter().map(|s| s["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["target-group", "target-group-attributes", "load-balancer", "listener", "register-targets", "wait-healthy"]);
    check_schema(&planned).unwrap();
    assert_eq!(writes(&proxy), Vec::<String>::new());

    proxy.clear();
    let doc = vpc(&proxy.url()).args(LB).run().ok().remove(0);
    assert_eq!(doc["kind"], "load-balancer");
    check_schema(&doc).unwrap();
    assert_eq!(doc["name"], "lab-web");
    assert_eq!(doc["stack"], "lab");
    assert_eq!(doc["vpc_id"], network["vpc_id"]);
    let mut targets: Vec<(String, String)> = doc["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["id"].as_str().unwrap().to_owned(), t["health"].as_str().unwrap().to_owned()))
        .collect();
    targets.sort();
    let mut both = vec![(web1.clone(), "healthy".to_owned()), (web2.clone(), "healthy".to_owned())];
    both.sort();
    assert_eq!(targets, both);
    assert!(proxy.calls().iter().any(|c| c.action == "DescribeTargetHealth"), "the run waited for healthy targets");

    // What ELBv2 holds, read independently.
    let elb = emulator_client!(aws_sdk_elasticloadbalancingv2, moto.url());
    let lb = aws.block(elb.describe_load_balancers().names("lab-web").send()).unwrap().load_balancers()[0].clone();
    assert_eq!(lb.scheme().map(|s| s.as_str()), Some("internet-facing"));
    assert_eq!(lb.security_groups(), [network["security_groups"]["web"].as_str().unwrap()]);
    let mut lb_subnets: Vec<String> = lb.availability_zones().iter().filter_map(|z| z.subnet_id().map(str::to_owned)).collect();
    lb_subnets.sort();
    let mut public = vec![subnet("public-subnet-a1"), subnet("public-subnet-c1")];
    public.sort();
    assert_eq!(lb_subnets, public, "in the public subnets");
    let tg = aws.block(elb.describe_target_groups().names("lab-web").send()).unwrap().target_groups()[0].clone();
    assert_eq!(
        (tg.health_check_path(), tg.health_check_interval_seconds(), tg.healthy_threshold_count(), tg.unhealthy_threshold_count()),
        (Some("/health"), Some(10), Some(3), Some(4))
    );
    let tg_arn = tg.target_group_arn().unwrap().to_owned();
    assert_eq!(doc["target_group_arn"], tg_arn.as_str());
    let attributes: BTreeMap<String, String> = aws
        .block(elb.describe_target_group_attributes().target_group_arn(&tg_arn).send())
        .unwrap()
        .attributes()
        .iter()
        .map(|a| (a.key().unwrap().to_owned(), a.value().unwrap().to_owned()))
        .collect();
    assert_eq!(attributes["stickiness.enabled"], "true");
    assert_eq!(attributes["stickiness.type"], "lb_cookie");
    assert_eq!(attributes["stickiness.lb_cookie.duration_seconds"], "86400");
    let listeners = aws.block(elb.describe_listeners().load_balancer_arn(lb.load_balancer_arn().unwrap()).send()).unwrap();
    let http = &listeners.listeners()[0];
    assert_eq!((http.port(), http.protocol().map(|p| p.as_str())), (Some(80), Some("HTTP")));
    assert_eq!(http.default_actions()[0].target_group_arn(), Some(tg_arn.as_str()));
    let tags = aws.block(elb.describe_tags().resource_arns(lb.load_balancer_arn().unwrap()).send()).unwrap();
    let lb_tags: Vec<(&str, &str)> = tags.tag_descriptions()[0].tags().iter().map(|t| (t.key().unwrap(), t.value().unwrap())).collect();
    assert!(lb_tags.contains(&("awsops:stack", "lab")), "{lb_tags:?}");

    // A re-run only reads and prints the same document.
    proxy.clear();
    let again = vpc(&proxy.url()).args(LB).run().ok().remove(0);
    assert_eq!(again, doc);
    assert_eq!(writes(&proxy), Vec::<String>::new());

    // Instances change: web-2 goes, web-3 comes; stickiness goes off; the listener drifted.
    aws.block(aws.client.terminate_instances().instance_ids(&web2).send()).unwrap();
    let web3 = web_instance(&aws, &subnet("private-subnet-c1"), "web-3");
    let fixed = aws_sdk_elasticloadbalancingv2::types::Action::builder()
        .r#type(aws_sdk_elasticloadbalancingv2::types::ActionTypeEnum::FixedResponse)
        .fixed_response_config(aws_sdk_elasticloadbalancingv2::types::FixedResponseActionConfig::builder().status_code("503").build())
        .build();
    aws.block(elb.modify_listener().listener_arn(http.listener_arn().unwrap()).default_actions(fixed).send()).unwrap();
    let changed: Vec<&str> = LB.iter().copied().filter(|a| *a != "--stickiness" && *a != "1d").collect();
    let moved = vpc(&moto.url()).args(&changed).run().ok().remove(0);
    let mut ids: Vec<&str> = moved["targets"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    ids.sort();
    let mut want = vec![web1.as_str(), web3.as_str()];
    want.sort();
    assert_eq!(ids, want, "re-registered as the instances changed");
    let attributes = aws.block(elb.describe_target_group_attributes().target_group_arn(&tg_arn).send()).unwrap();
    assert!(attributes.attributes().iter().any(|a| a.key() == Some("stickiness.enabled") && a.value() == Some("false")));
    let listeners = aws.block(elb.describe_listeners().load_balancer_arn(lb.load_balancer_arn().unwrap()).send()).unwrap();
    assert_eq!(listeners.listeners()[0].default_actions()[0].target_group_arn(), Some(tg_arn.as_str()), "the forward converged");

    // The document pipes into cert-attach (HTTPS, HTTP redirected), whose output pipes into dns-alias.
    let r53 = emulator_client!(aws_sdk_route53, moto.url());
    aws.block(r53.create_hosted_zone().name("example.com").caller_reference("lab").send()).unwrap();
    let cert = TestCommand::new("cert-attach", &moto.url()).args(["www.example.com", "--redirect-http"]).stdin(moved.to_string()).run();
    let cert_doc = cert.ok().remove(0);
    assert_eq!(cert_doc["status"], "ISSUED");
    assert_eq!(cert_doc["load_balancer"]["arn"], doc["arn"]);
    let listeners = aws.block(elb.describe_listeners().load_balancer_arn(lb.load_balancer_arn().unwrap()).send()).unwrap();
    let ports: Vec<i32> = listeners.listeners().iter().filter_map(|l| l.port()).collect();
    assert!(ports.contains(&443), "{ports:?}");
    let record =
        TestCommand::new("dns-alias", &moto.url()).args(["set", "www.example.com"]).stdin(cert_doc.to_string()).run().ok().remove(0);
    assert_eq!(record["records"][0]["alias"]["dns_name"], doc["dns_name"]);
    assert_eq!(record["records"][0]["alias"]["zone_id"], doc["canonical_zone_id"]);
    // The load-balancer document itself is a dns-alias target too.
    let direct = TestCommand::new("dns-alias", &moto.url()).args(["set", "lb.example.com"]).stdin(moved.to_string()).run().ok().remove(0);
    assert_eq!(direct["target_kind"], "load-balancer");

    // cert-attach's redirect is the listener's default now; a re-run of lb keeps it and only reads.
    proxy.clear();
    vpc(&proxy.url()).args(&changed).run().ok();
    assert_eq!(writes(&proxy), Vec::<String>::new(), "cert-attach's redirect is kept");

    // Deletion protection on, then destroy: protection off, load balancer, target group, network gone.
    vpc(&moto.url()).args(&changed).arg("--deletion-protection").run().ok();
    let protection = aws.block(elb.describe_load_balancer_attributes().load_balancer_arn(lb.load_balancer_arn().unwrap()).send()).unwrap();
    assert!(protection.attributes().iter().any(|a| a.key() == Some("deletion_protection.enabled") && a.value() == Some("true")));
    for id in [&web1, &web3] {
        aws.block(aws.client.terminate_instances().instance_ids(id).send()).unwrap();
    }
    let teardown = vpc(&moto.url()).args(["destroy", "lab", "--dry-run"]).run().ok().remove(0);
    let keys: Vec<&str> = teardown["steps"].as_array().unwrap().iter().map(|s| s["key"].as_str().unwrap()).collect();
    assert!(keys.contains(&"delete-load-balancer:lab-web") && keys.contains(&"delete-target-group:lab-web"), "{keys:?}");
    // moto keeps a terminated instance's interfaces attached (AWS deletes them): destroy
    // counts them as going away, not as someone else's.
    proxy.clear();
    vpc(&proxy.url()).args(["destroy", "lab", "--yes"]).run().ok();
    let actions = writes(&proxy);
    let off = actions.iter().position(|a| a == "ModifyLoadBalancerAttributes").expect("deletion protection turned off");
    let deleted = actions.iter().position(|a| a == "DeleteLoadBalancer").expect("DeleteLoadBalancer");
    assert!(off < deleted, "{actions:?}");
    assert!(aws.block(elb.describe_load_balancers().send()).unwrap().load_balancers().is_empty());
    assert!(aws.block(elb.describe_target_groups().send()).unwrap().target_groups().is_empty());
    assert_eq!(aws.tagged("lab"), Vec::<String>::new());
}

#[test]
fn load_balancer_input_is_checked_before_any_change() {
    let moto = Moto::start();
    let aws = Ec2View::new(&moto.url());
    vpc(&moto.url()).args(["lb", "lab"]).run().usage_error("no network named lab");
    vpc(&moto.url()).args(["create", "one", "--azs", "1", "--nat", "none"]).run().ok();
    vpc(&moto.url()).args(["lb", "one"]).run().usage_error("needs two");
    vpc(&moto.url()).args(["create", "lab", "--az", "a,c", "--nat", "none"]).run().ok();
    vpc(&moto.url()).args(["lb", "lab", "--target", "i-0123456789abcdef0"]).run().usage_error("no pending or running instance");
    vpc(&moto.url()).args(["lb", "lab", "--health-timeout", "40"]).run().usage_error("--health-timeout");
    vpc(&moto.url()).args(["lb", "lab", "--stickiness", "8d"]).run().usage_error("--stickiness");
    // A load balancer of that name that is not the network's is never taken over.
    let elb = emulator_client!(aws_sdk_elasticloadbalancingv2, moto.url());
    let subnets: Vec<String> =
        aws.subnets(aws.vpcs("lab")[0].vpc_id().unwrap()).iter().filter_map(|s| s.subnet_id().map(str::to_owned)).collect();
    aws.block(elb.create_load_balancer().name("theirs").set_subnets(Some(subnets)).send()).unwrap();
    vpc(&moto.url()).args(["lb", "lab", "--name", "theirs"]).run().usage_error("not network lab's");
    let elb_names: Vec<String> = aws
        .block(elb.describe_load_balancers().send())
        .unwrap()
        .load_balancers()
        .iter()
        .filter_map(|l| l.load_balancer_name().map(str::to_owned))
        .collect();
    assert_eq!(elb_names, ["theirs"], "nothing was made");
}

/// A route table's routes through a peering connection: (destination, pcx).
fn peering_routes(aws: &Ec2View, vpc: &str) -> Vec<(String, String, String)> {
    let mut routes: Vec<(String, String, String)> = aws
        .route_tables(vpc)
        .iter()
        .flat_map(|t| {
            let role = tag(t.tags(), "awsops:role").unwrap_or("main").to_owned();
            t.routes()
                .iter()
                .filter_map(|r| Some((role.clone(), r.destination_cidr_block()?.to_owned(), r.vpc_peering_connection_id()?.to_owned())))
                .collect::<Vec<_>>()
        })
        .collect();
    routes.sort();
    routes
}

/// TCP rules of a network's private group from a CIDR: (port, cidr).
fn private_rules(aws: &Ec2View, vpc: &str) -> Vec<(i32, String)> {
    let groups = aws.security_groups(vpc);
    let group = groups.iter().find(|g| tag(g.tags(), "awsops:role") == Some("sg:private")).unwrap();
    group
        .ip_permissions()
        .iter()
        .flat_map(|p| p.ip_ranges().iter().map(move |r| (p.from_port().unwrap_or(-1), r.cidr_ip().unwrap_or_default().to_owned())))
        .collect()
}

#[test]
fn peering_two_networks_of_one_account() {
    let moto = Moto::start();
    let aws = Ec2View::new(&moto.url());
    let url = moto.url();
    let lab = vpc(&url).args(["create", "lab", "--cidr", "10.1.0.0/16", "--az", "a,c", "--nat", "none"]).run().ok().remove(0);
    let lab2 = vpc(&url).args(["create", "lab2", "--cidr", "10.2.0.0/16", "--azs", "2", "--nat", "none"]).run().ok().remove(0);
    vpc(&url).args(["create", "clash", "--cidr", "10.1.0.0/16", "--azs", "1", "--nat", "none"]).run().ok();
    vpc(&url).args(["peer", "lab", "clash"]).run().usage_error("overlap");
    let (a, b) = (lab["vpc_id"].as_str().unwrap(), lab2["vpc_id"].as_str().unwrap());

    let planned = vpc(&url).args(["peer", "lab", "lab2", "--allow-from-peer", "22", "--dry-run"]).run().ok().remove(0);
    assert_eq!(planned["status"], "planned");
    assert_eq!(planned["changes"].as_array().unwrap().len(), 2 + 4 + 2, "{planned}");
    check_schema(&planned).unwrap();

    let proxy = CallProxy::start(moto.addr(), Duration::ZERO).unwrap();
    let doc = vpc(&proxy.url()).args(["peer", "lab", "lab2", "--allow-from-peer", "22"]).run().ok().remove(0);
    check_schema(&doc).unwrap();
    assert_eq!(doc["kind"], "peering");
    assert_eq!(doc["status"], "active");
    let pcx = doc["id"].as_str().unwrap().to_owned();
    assert_eq!((doc["requester"]["vpc_id"].as_str(), doc["accepter"]["vpc_id"].as_str()), (Some(a), Some(b)));
    let want_a: Vec<(String, String, String)> =
        ["rt:private:a", "rt:private:c"].iter().map(|r| (r.to_string(), "10.2.0.0/16".to_owned(), pcx.clone())).collect();
    assert_eq!(peering_routes(&aws, a), want_a, "the requester's private tables route to the peer");
    let want_b: Vec<(String, String, String)> =
        ["rt:private:a", "rt:private:b"].iter().map(|r| (r.to_string(), "10.1.0.0/16".to_owned(), pcx.clone())).collect();
    assert_eq!(peering_routes(&aws, b), want_b, "and the accepter's to the requester");
    assert!(private_rules(&aws, a).contains(&(22, "10.2.0.0/16".to_owned())));
    assert!(private_rules(&aws, b).contains(&(22, "10.1.0.0/16".to_owned())));
    assert_eq!(doc["routes"].as_array().unwrap().len(), 4);
    assert_eq!(doc["rules"].as_array().unwrap().len(), 2);
    let tags = aws.block(aws.client.describe_vpc_peering_connections().vpc_peering_connection_ids(&pcx).send()).unwrap();
    assert_eq!(tag(tags.vpc_peering_connections()[0].tags(), "awsops:stack"), Some("lab"));

    // Idempotent: the same command only reads; from the other side it is the same peering.
    proxy.clear();
    let again = vpc(&proxy.url()).args(["peer", "lab", "lab2", "--allow-from-peer", "22"]).run().ok().remove(0);
    assert_eq!(again["id"], doc["id"]);
    assert_eq!(again["changed"], false);
    assert_eq!(writes(&proxy), Vec::<String>::new());
    // A layout change of the network keeps the peering's routes in every private table.
    vpc(&url)
        .args(["create", "lab", "--cidr", "10.1.0.0/16", "--az", "a,c", "--nat", "none", "--private-route-tables", "per-subnet"])
        .run()
        .ok();
    let routed: Vec<String> = peering_routes(&aws, a).into_iter().map(|(role, ..)| role).collect();
    assert_eq!(routed, ["rt:subnet:private-subnet-a1", "rt:subnet:private-subnet-c1"]);

    // --delete undoes it on both sides.
    vpc(&url).args(["peer", "lab", "lab2", "--delete"]).run().usage_error("--yes");
    let gone = vpc(&url).args(["peer", "lab", "lab2", "--delete", "--yes"]).run().ok().remove(0);
    assert_eq!(gone["status"], "deleted");
    assert!(peering_routes(&aws, a).is_empty() && peering_routes(&aws, b).is_empty());
    assert!(!private_rules(&aws, b).iter().any(|(_, c)| c == "10.1.0.0/16"));
    let status = aws.block(aws.client.describe_vpc_peering_connections().vpc_peering_connection_ids(&pcx).send()).unwrap();
    assert_eq!(status.vpc_peering_connections()[0].status().and_then(|s| s.code()).map(|c| c.as_str()), Some("deleted"));

    // Peered again, then the network destroyed: the peering and the peer's routes to it go, the peer stays.
    vpc(&url).args(["peer", "lab", "lab2"]).run().ok();
    vpc(&url).args(["destroy", "lab", "--yes"]).run().ok();
    assert_eq!(aws.tagged("lab"), Vec::<String>::new());
    assert!(peering_routes(&aws, b).is_empty(), "no route left pointing at a deleted peering");
    assert_eq!(aws.vpcs("lab2").len(), 1);
}

#[test]
fn peering_with_a_vpc_of_another_account_through_a_role() {
    let moto = Moto::start();
    let aws = Ec2View::new(&moto.url());
    let url = moto.url();
    let lab = vpc(&url).args(["create", "lab", "--cidr", "10.1.0.0/16", "--az", "a,c", "--nat", "none"]).run().ok().remove(0);
    // A VPC in account 222222222222, made with that account's (assumed) credentials: moto
    // answers a key from AssumeRole in the account of the role's ARN.
    let role = "arn:aws:iam::222222222222:role/peering";
    let config = aws_sdk_ec2::Config::builder()
        .behavior_version(aws_sdk_ec2::config::BehaviorVersion::latest())
        .region(aws_sdk_ec2::config::Region::new(crate::harness::REGION))
        .endpoint_url(&url)
        .credentials_provider(crate::aws_view::assumed(&aws, &url, role))
        .build();
    let other = aws_sdk_ec2::Client::from_conf(config);
    let their_vpc = aws.block(other.create_vpc().cidr_block("10.9.0.0/16").send()).unwrap().vpc().unwrap().vpc_id().unwrap().to_owned();
    assert!(aws.block(aws.client.describe_vpcs().vpc_ids(&their_vpc).send()).is_err(), "the VPC is not in the caller's account");
    let target = format!("222222222222:{}:{their_vpc}", crate::harness::REGION);

    vpc(&url).args(["peer", "lab", &target]).run().usage_error("--accepter-role-arn");
    vpc(&url)
        .args(["peer", "lab", &target, "--accepter-role-arn", "arn:aws:iam::333333333333:role/x"])
        .run()
        .usage_error("not in the peer's account");
    let doc = vpc(&url).args(["peer", "lab", &target, "--accepter-role-arn", role]).run().ok().remove(0);
    check_schema(&doc).unwrap();
    assert_eq!(doc["status"], "active");
    assert_eq!(doc["accepter"]["account_id"], "222222222222");
    let pcx = doc["id"].as_str().unwrap();
    let a = lab["vpc_id"].as_str().unwrap();
    assert_eq!(peering_routes(&aws, a).len(), 2, "both private tables of the network");
    // In the other account: its (main) table routes back through the peering.
    let tables = aws.block(other.describe_route_tables().filters(crate::aws_view::filter("vpc-id", &their_vpc)).send()).unwrap();
    let back: Vec<(String, String)> = tables
        .route_tables()
        .iter()
        .flat_map(|t| t.routes())
        .filter_map(|r| Some((r.destination_cidr_block()?.to_owned(), r.vpc_peering_connection_id()?.to_owned())))
        .collect();
    assert_eq!(back, [("10.1.0.0/16".to_owned(), pcx.to_owned())]);
    let accepted = aws.block(other.describe_vpc_peering_connections().vpc_peering_connection_ids(pcx).send()).unwrap();
    assert_eq!(accepted.vpc_peering_connections()[0].status().and_then(|s| s.code()).map(|c| c.as_str()), Some("active"));

    // A re-run changes nothing; --delete with the role removes the routes on both sides.
    let again = vpc(&url).args(["peer", "lab", &target, "--accepter-role-arn", role]).run().ok().remove(0);
    assert_eq!(again["changed"], false);
    vpc(&url).args(["peer", "lab", &target, "--accepter-role-arn", role, "--delete", "--yes"]).run().ok();
    assert!(peering_routes(&aws, a).is_empty());
    let tables = aws.block(other.describe_route_tables().filters(crate::aws_view::filter("vpc-id", &their_vpc)).send()).unwrap();
    assert!(tables.route_tables().iter().flat_map(|t| t.routes()).all(|r| r.vpc_peering_connection_id().is_none()));
}

/// How many load balancers, target groups, listeners and registered targets ELBv2 holds.
fn elb_census(url: &str, aws: &Ec2View) -> (usize, usize, usize, usize) {
    let elb = emulator_client!(aws_sdk_elasticloadbalancingv2, url);
    let lbs = aws.block(elb.describe_load_balancers().send()).unwrap().load_balancers().to_vec();
    let tgs = aws.block(elb.describe_target_groups().send()).unwrap().target_groups().to_vec();
    let listeners: usize = lbs
        .iter()
        .map(|l| aws.block(elb.describe_listeners().load_balancer_arn(l.load_balancer_arn().unwrap()).send()).unwrap().listeners().len())
        .sum();
    let targets: usize = tgs
        .iter()
        .map(|t| {
            aws.block(elb.describe_target_health().target_group_arn(t.target_group_arn().unwrap()).send())
                .unwrap()
                .target_health_descriptions()
                .len()
        })
        .sum();
    (lbs.len(), tgs.len(), listeners, targets)
}

#[test]
fn a_lost_response_of_each_load_balancer_call_leaves_one_of_each() {
    let setup = |moto: &Moto| {
        let aws = Ec2View::new(&moto.url());
        let network = vpc(&moto.url()).args(["create", "lab", "--az", "a,c", "--nat", "none"]).run().ok().remove(0);
        let private =
            network["subnets"].as_array().unwrap().iter().find(|s| s["tier"] == "private").unwrap()["id"].as_str().unwrap().to_owned();
        web_instance(&aws, &private, "web-1");
        aws
    };
    let args = ["lb", "lab", "--target", "role=web", "--stickiness", "1h"];
    let clean = Moto::start();
    let aws = setup(&clean);
    let proxy = CallProxy::start(clean.addr(), Duration::ZERO).unwrap();
    vpc(&proxy.url()).args(args).run().ok();
    let mut actions: Vec<String> =
        writes(&proxy).into_iter().filter(|a| !a.starts_with("ImportKeyPair") && !a.ends_with("KeyPair") && a != "CreateTags").collect();
    actions.sort();
    actions.dedup();
    assert!(actions.contains(&"CreateLoadBalancer".to_owned()) && actions.contains(&"RegisterTargets".to_owned()), "{actions:?}");
    let want = elb_census(&clean.url(), &aws);
    assert_eq!(want, (1, 1, 1, 1));
    for action in actions {
        let moto = Moto::start();
        let aws = setup(&moto);
        let faults = xtask::faults::Faults { lose_nth: vec![(action.clone(), 1)], ..Default::default() };
        let proxy = CallProxy::start_with(moto.addr(), Duration::ZERO, faults).unwrap();
        let run = vpc(&proxy.url()).args(args).run();
        assert!(!proxy.faulted().is_empty(), "{action}: the fault was injected");
        if run.code != 0 {
            eprintln!("lb with {action}'s response lost: first run exited {}: {}", run.code, run.stderr);
            vpc(&moto.url()).args(args).run().ok();
        }
        assert_eq!(elb_census(&moto.url(), &aws), want, "lb with {action}'s response lost");
        let proxy = CallProxy::start(moto.addr(), Duration::ZERO).unwrap();
        vpc(&proxy.url()).args(args).run().ok();
        assert_eq!(writes(&proxy), Vec::<String>::new(), "{action}: converged afterwards");
    }
}
