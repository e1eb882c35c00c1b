//! vpc-bootstrap against moto: the tracer network, the core's exit paths seen from outside
//! (bad input, unreachable endpoint, closed stdout, Ctrl-C), and the full lab network
//! verified resource by resource, re-run, grown, killed midway, and destroyed.

use crate::aws_view::{Ec2View, tag};
use crate::harness::{CallProxy, Moto, TestCommand, free_port};
use aws_sdk_ec2::types::VpcAttributeName;
use std::collections::BTreeMap;
use std::io::Read;
use std::process::Stdio;
use std::time::Duration;

fn vpc(moto: &Moto) -> TestCommand {
    TestCommand::for_moto("vpc-bootstrap", moto).env("AWSOPS_SSH_FROM", SSH_FROM)
}

/// The caller's address as tests give it: caller-IP detection would go to the internet.
const SSH_FROM: &str = "203.0.113.7/32";

#[test]
fn tracer_creates_a_network_and_a_rerun_changes_nothing() {
    let moto = Moto::start();
    let docs =
        vpc(&moto).args(["create", "tracer", "--cidr", "10.1.0.0/16", "--azs", "1", "--private-per-az", "0", "--nat", "none"]).run().ok();
    assert_eq!(docs.len(), 1);
    let doc = &docs[0];
    assert_eq!(doc["kind"], "vpc");
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["name"], "tracer");
    assert_eq!(doc["cidr"], "10.1.0.0/16");
    assert!(doc["vpc_id"].as_str().unwrap().starts_with("vpc-"));
    assert!(doc["internet_gateway_id"].as_str().unwrap().starts_with("igw-"));
    let subnets = doc["subnets"].as_array().unwrap();
    assert_eq!(subnets.len(), 1);
    assert_eq!(subnets[0]["name"], "public-subnet-a1");
    assert_eq!(subnets[0]["cidr"], "10.1.0.0/24");
    assert_eq!(subnets[0]["az"], "ap-northeast-2a");
    assert!(subnets[0]["route_table_id"].as_str().unwrap().starts_with("rtb-"));

    let plan = vpc(&moto)
        .args(["create", "tracer", "--cidr", "10.1.0.0/16", "--azs", "1", "--private-per-az", "0", "--nat", "none", "--dry-run"])
        .run()
        .ok();
    assert_eq!(plan[0]["kind"], "vpc-plan");
    assert_eq!(plan[0]["steps"], serde_json::json!([]), "a converged network plans nothing");

    let again =
        vpc(&moto).args(["create", "tracer", "--cidr", "10.1.0.0/16", "--azs", "1", "--private-per-az", "0", "--nat", "none"]).run().ok();
    assert_eq!(again, docs, "a re-run prints the same document");
    let shown = vpc(&moto).args(["show", "tracer"]).run().ok();
    assert_eq!(shown, docs);
}

#[test]
fn dry_run_changes_nothing() {
    let moto = Moto::start();
    let plan = vpc(&moto).args(["create", "dry", "--dry-run"]).run().ok();
    let keys: Vec<&str> = plan[0]["steps"].as_array().unwrap().iter().map(|s| s["key"].as_str().unwrap()).collect();
    assert!(keys.contains(&"vpc") && keys.contains(&"igw") && keys.contains(&"subnet:private-subnet-b1"), "{keys:?}");
    assert!(!plan[0].to_string().contains(awsops_vpc_bootstrap::plan::CALLER_IP_PLACEHOLDER), "{}", plan[0]);
    // No --ssh-from: the rule a real run adds for the caller's address is planned too,
    // with a placeholder (a dry run asks no internet service for the address).
    let unset = TestCommand::for_moto("vpc-bootstrap", &moto).args(["create", "dry", "--dry-run"]).run().ok();
    let bastion = unset[0]["steps"].as_array().unwrap().iter().find(|s| s["key"] == "ingress:bastion").expect("an ingress:bastion step");
    assert_eq!(bastion["rules"][0]["cidr"], awsops_vpc_bootstrap::plan::CALLER_IP_PLACEHOLDER, "{bastion}");
    vpc(&moto).args(["show", "dry"]).run().usage_error("no network named dry");
}

#[test]
fn bad_input_exits_2_before_any_call() {
    // No emulator at all: these must fail on the command line alone.
    let nowhere = format!("http://127.0.0.1:{}", free_port());
    let run = |args: &[&str]| TestCommand::new("vpc-bootstrap", &nowhere).args(args).run();
    run(&["create", "x", "--cidr", "10.1.0.0/33"]).usage_error("malformed CIDR");
    run(&["create", "x", "--cidr", "10.1.0.1/16"]).usage_error("host bits");
    run(&["create", "x", "--cidr", "8.8.0.0/16"]).usage_error("private ranges");
    run(&["create", "x", "--cidr", "10.0.0.0/12"]).usage_error("/16 to /28");
    run(&["create", "bad name"]).usage_error("invalid name");
    run(&["create", "x", "--region", "mars"]).usage_error("invalid region");
    run(&["create", "x", "--endpoint-url", "localhost:1"]).usage_error("--endpoint-url");
    run(&["create", "x", "--ssh-from", "0.0.0.0/0"]).usage_error("--allow-ssh-from-anywhere");
    // The whole internet in two halves, or any sources wider than a /8 together.
    run(&["create", "x", "--ssh-from", "0.0.0.0/1,128.0.0.0/1"]).usage_error("--allow-ssh-from-anywhere");
    run(&["create", "x", "--ssh-from", "10.0.0.0/8,11.0.0.0/16"]).usage_error("more than a /8");
    run(&["create", "x", "--subnet", "name=db,cidr=10.0.9.0/24,tier=private"]).usage_error("az=");
    run(&["create", "x", "--bastion", "--bastion-ami", "img-1"]).usage_error("AMI id");
    run(&["create", "x", "--public-per-az", "0", "--private-per-az", "0"]).usage_error("no subnets");
    run(&["destroy", "bad name", "--yes"]).usage_error("invalid name");
    let clap_error = run(&["create"]);
    assert_eq!(clap_error.code, 2, "clap's own usage errors exit 2 too");
}

#[test]
fn unknown_az_and_too_many_azs_exit_2() {
    let moto = Moto::start();
    vpc(&moto).args(["create", "x", "--az", "a,z"]).run().usage_error("unknown AZ");
    vpc(&moto).args(["create", "x", "--azs", "9"]).run().usage_error("has only");
    vpc(&moto).args(["show", "x"]).run().usage_error("no network named x");
}

#[test]
fn unreachable_endpoint_exits_1_with_one_line() {
    let nowhere = format!("http://127.0.0.1:{}", free_port());
    let run = TestCommand::new("vpc-bootstrap", &nowhere).args(["show", "x"]).run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.starts_with("vpc-bootstrap: ") && run.stderr.contains("--endpoint-url"), "{}", run.stderr);
}

#[test]
fn closed_stdout_exits_quietly() {
    let moto = Moto::start();
    vpc(&moto).args(["create", "pipe", "--azs", "1"]).run().ok();
    let mut child = vpc(&moto).args(["show", "pipe"]).spawn(Stdio::piped());
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn ctrl_c_exits_130() {
    // An endpoint that accepts connections and never answers keeps the command busy.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let mut child = TestCommand::new("vpc-bootstrap", &endpoint).args(["show", "x"]).spawn(Stdio::null());
    let _conn = listener.accept().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let killed = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
}

/// The reference lab of the course notes, with everything vpc-bootstrap can add.
const LAB: &[&str] =
    &["create", "lab", "--cidr", "10.1.0.0/16", "--az", "a,c", "--private-per-az", "2", "--endpoint", "s3,dynamodb", "--bastion"];

fn lab_with(extra: &[&str]) -> Vec<String> {
    LAB.iter().chain(extra).map(|s| s.to_string()).collect()
}

#[test]
fn the_lab_is_built_as_asked_resource_by_resource() {
    let moto = Moto::start();
    let proxy = CallProxy::start(moto.addr(), Duration::ZERO).unwrap();
    let run = TestCommand::new("vpc-bootstrap", &proxy.url()).env("AWSOPS_SSH_FROM", SSH_FROM).args(LAB).run();
    let doc = run.ok().remove(0);
    let aws = Ec2View::new(&moto.url());

    let vpcs = aws.vpcs("lab");
    assert_eq!(vpcs.len(), 1);
    let vpc = vpcs[0].vpc_id().unwrap().to_owned();
    assert_eq!(doc["vpc_id"], vpc.as_str());
    assert_eq!(vpcs[0].cidr_block(), Some("10.1.0.0/16"));
    assert_eq!(tag(vpcs[0].tags(), "Name"), Some("lab"));
    assert!(aws.vpc_attribute(&vpc, VpcAttributeName::EnableDnsSupport), "DNS support on");
    assert!(aws.vpc_attribute(&vpc, VpcAttributeName::EnableDnsHostnames), "DNS hostnames on");

    // Subnets: names, CIDRs and AZs of the course notes.
    let subnets = aws.subnets(&vpc);
    let layout: BTreeMap<String, (String, String, bool)> = subnets
        .iter()
        .map(|s| {
            let name = tag(s.tags(), "Name").unwrap().to_owned();
            (name, (s.cidr_block().unwrap().to_owned(), s.availability_zone().unwrap().to_owned(), s.map_public_ip_on_launch().unwrap()))
        })
        .collect();
    let expected: BTreeMap<String, (String, String, bool)> = [
        ("public-subnet-a1", "10.1.0.0/24", "a", true),
        ("public-subnet-c1", "10.1.2.0/24", "c", true),
        ("private-subnet-a1", "10.1.128.0/24", "a", false),
        ("private-subnet-c1", "10.1.130.0/24", "c", false),
        ("private-subnet-a2", "10.1.136.0/24", "a", false),
        ("private-subnet-c2", "10.1.138.0/24", "c", false),
    ]
    .into_iter()
    .map(|(n, c, az, public)| (n.to_owned(), (c.to_owned(), format!("ap-northeast-2{az}"), public)))
    .collect();
    assert_eq!(layout, expected);
    let subnet_id = |name: &str| subnets.iter().find(|s| tag(s.tags(), "Name") == Some(name)).unwrap().subnet_id().unwrap().to_owned();

    // Internet gateway attached; one NAT gateway (the default, single) in public-subnet-a1 with an Elastic IP we allocated.
    let igws = aws.internet_gateways(&vpc);
    assert_eq!(igws.len(), 1);
    let igw = igws[0].internet_gateway_id().unwrap().to_owned();
    let nats = aws.live_nat_gateways(&vpc);
    assert_eq!(nats.len(), 1);
    let nat = nats[0].nat_gateway_id().unwrap().to_owned();
    assert_eq!(nats[0].subnet_id(), Some(subnet_id("public-subnet-a1").as_str()));
    let eip = nats[0].nat_gateway_addresses()[0].allocation_id().unwrap().to_owned();
    let address = aws.addresses().into_iter().find(|a| a.allocation_id() == Some(eip.as_str())).unwrap();
    assert_eq!(tag(address.tags(), "awsops:stack"), Some("lab"));

    // Route tables: public to the IGW for both public subnets; each AZ's private table to the NAT.
    let tables = aws.route_tables(&vpc);
    let default_route = |t: &aws_sdk_ec2::types::RouteTable| {
        t.routes()
            .iter()
            .find(|r| r.destination_cidr_block() == Some("0.0.0.0/0"))
            .map(|r| r.gateway_id().or(r.nat_gateway_id()).unwrap_or_default().to_owned())
    };
    let associated = |t: &aws_sdk_ec2::types::RouteTable| {
        let mut s: Vec<String> = t.associations().iter().filter_map(|a| a.subnet_id().map(str::to_owned)).collect();
        s.sort();
        s
    };
    let by_role =
        |role: &str| tables.iter().find(|t| tag(t.tags(), "awsops:role") == Some(role)).unwrap_or_else(|| panic!("no table {role}"));
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(default_route(by_role("rt:public")), Some(igw.clone()));
    assert_eq!(associated(by_role("rt:public")), sorted(vec![subnet_id("public-subnet-a1"), subnet_id("public-subnet-c1")]));
    for az in ["a", "c"] {
        let table = by_role(&format!("rt:private:{az}"));
        assert_eq!(default_route(table), Some(nat.clone()), "private {az} routes through the NAT");
        assert_eq!(
            associated(table),
            sorted(vec![subnet_id(&format!("private-subnet-{az}1")), subnet_id(&format!("private-subnet-{az}2"))])
        );
    }

    // Security groups: web 80/443 from anywhere, bastion 22 from the caller only, private 22 from the bastion group; default stripped.
    let groups = aws.security_groups(&vpc);
    let group =
        |role: &str| groups.iter().find(|g| tag(g.tags(), "awsops:role") == Some(role)).unwrap_or_else(|| panic!("no group {role}"));
    let rules = |g: &aws_sdk_ec2::types::SecurityGroup| {
        let mut r: Vec<(i32, String)> = g
            .ip_permissions()
            .iter()
            .flat_map(|p| {
                let port = p.from_port().unwrap_or(-1);
                p.ip_ranges()
                    .iter()
                    .map(move |c| (port, c.cidr_ip().unwrap().to_owned()))
                    .chain(p.user_id_group_pairs().iter().map(move |u| (port, u.group_id().unwrap().to_owned())))
            })
            .collect();
        r.sort();
        r
    };
    assert_eq!(rules(group("sg:web")), vec![(80, "0.0.0.0/0".to_owned()), (443, "0.0.0.0/0".to_owned())]);
    assert_eq!(rules(group("sg:bastion")), vec![(22, SSH_FROM.to_owned())]);
    let bastion_group = group("sg:bastion").group_id().unwrap().to_owned();
    assert_eq!(rules(group("sg:private")), vec![(22, bastion_group.clone())]);
    let default = groups.iter().find(|g| g.group_name() == Some("default")).unwrap();
    assert!(default.ip_permissions().is_empty() && default.ip_permissions_egress().is_empty(), "default group stripped");
    assert_eq!(doc["security_groups"]["bastion"], bastion_group.as_str());

    // Gateway endpoints on both private route tables.
    let endpoints = aws.endpoints(&vpc);
    assert_eq!(endpoints.len(), 2);
    let private_tables = sorted(vec![
        by_role("rt:private:a").route_table_id().unwrap().to_owned(),
        by_role("rt:private:c").route_table_id().unwrap().to_owned(),
    ]);
    for e in &endpoints {
        assert_eq!(e.vpc_endpoint_type().map(|t| t.as_str()), Some("Gateway"));
        assert_eq!(sorted(e.route_table_ids().to_vec()), private_tables, "{:?}", e.service_name());
    }

    // The bastion: Amazon Linux from SSM, IMDSv2 required, public subnet, bastion group, encrypted root.
    let instances = aws.live_instances(&vpc);
    assert_eq!(instances.len(), 1);
    let bastion = &instances[0];
    assert_eq!(bastion.subnet_id(), Some(subnet_id("public-subnet-a1").as_str()));
    assert_eq!(bastion.metadata_options().and_then(|m| m.http_tokens()).map(|t| t.as_str()), Some("required"));
    let bastion_groups: Vec<&str> = bastion.network_interfaces().iter().flat_map(|n| n.groups()).filter_map(|g| g.group_id()).collect();
    assert_eq!(bastion_groups, vec![bastion_group.as_str()]);
    let root = bastion.block_device_mappings()[0].ebs().and_then(|e| e.volume_id()).unwrap();
    let volume = aws.block(aws.client.describe_volumes().volume_ids(root).send()).unwrap().volumes()[0].clone();
    assert_eq!(volume.encrypted(), Some(true), "the bastion's root volume is encrypted");
    assert_eq!(tag(bastion.tags(), "awsops:role"), Some("bastion"));
    assert_eq!(doc["bastion"]["instance_id"], bastion.instance_id().unwrap());

    // The document was described while the last routes and rules were still being made:
    // it is the same as a later `show`.
    assert_eq!(TestCommand::for_moto("vpc-bootstrap", &moto).args(["show", "lab"]).run().ok()[0], doc);

    // Every call went to loopback through the proxy, and the run was not wasteful.
    let calls = proxy.calls();
    assert!(calls.iter().all(|c| c.status == 200), "{calls:?}");
    assert!(calls.iter().any(|c| c.action == "GetParameter"), "the AMI came from SSM");

    // A re-run makes read-only calls only and prints the same document.
    proxy.clear();
    let again = TestCommand::new("vpc-bootstrap", &proxy.url()).env("AWSOPS_SSH_FROM", SSH_FROM).args(LAB).run().ok();
    assert_eq!(again[0], doc);
    let writes: Vec<String> = proxy.calls().into_iter().filter(|c| !c.is_read_only()).map(|c| c.action).collect();
    assert!(writes.is_empty(), "a converged re-run changed {writes:?}");
}

#[test]
fn a_dry_run_makes_no_mutating_call() {
    let moto = Moto::start();
    let proxy = CallProxy::start(moto.addr(), Duration::ZERO).unwrap();
    let plan = TestCommand::new("vpc-bootstrap", &proxy.url()).args(lab_with(&["--dry-run"])).run().ok();
    assert_eq!(plan[0]["kind"], "vpc-plan");
    assert_eq!(plan[0]["operation"], "create");
    let keys: Vec<&str> = plan[0]["steps"].as_array().unwrap().iter().map(|s| s["key"].as_str().unwrap()).collect();
    for key in ["vpc", "nat:a", "endpoint:s3", "endpoint:dynamodb", "bastion", "subnet:private-subnet-c2"] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    let calls = proxy.calls();
    assert!(!calls.is_empty());
    let writes: Vec<&str> = calls.iter().filter(|c| !c.is_read_only()).map(|c| c.action.as_str()).collect();
    assert!(writes.is_empty(), "a dry run called {writes:?}");
    assert!(Ec2View::new(&moto.url()).tagged("lab").is_empty());

    // And on an existing network, a dry run of a destroy.
    vpc(&moto).args(LAB).run().ok();
    proxy.clear();
    let teardown = TestCommand::new("vpc-bootstrap", &proxy.url()).args(["destroy", "lab", "--dry-run"]).run().ok();
    assert_eq!(teardown[0]["operation"], "destroy");
    assert!(proxy.calls().iter().all(|c| c.is_read_only()), "{:?}", proxy.calls());
}

#[test]
fn growing_the_network_adds_without_renumbering() {
    let moto = Moto::start();
    let first = vpc(&moto).args(["create", "grow", "--cidr", "10.1.0.0/16", "--az", "a,c", "--nat", "none"]).run().ok().remove(0);
    let grown = vpc(&moto)
        .args(["create", "grow", "--cidr", "10.1.0.0/16", "--az", "a,b,c", "--private-per-az", "2", "--nat", "per-az"])
        .run()
        .ok()
        .remove(0);
    let ids = |doc: &serde_json::Value| -> BTreeMap<String, (String, String)> {
        doc["subnets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (s["name"].as_str().unwrap().to_owned(), (s["id"].as_str().unwrap().to_owned(), s["cidr"].as_str().unwrap().to_owned()))
            })
            .collect()
    };
    let (before, after) = (ids(&first), ids(&grown));
    for (name, id_and_cidr) in &before {
        assert_eq!(after.get(name), Some(id_and_cidr), "{name} was kept as it was");
    }
    assert_eq!(after.len(), 9, "{after:?}");
    assert_eq!(after["public-subnet-b1"].1, "10.1.1.0/24");
    assert_eq!(after["private-subnet-b2"].1, "10.1.137.0/24");
    assert_eq!(grown["nat_gateways"].as_array().unwrap().len(), 3);
}

/// Kills a lab run after it has made `writes` mutating calls, re-runs it, and checks the
/// network converged with nothing made twice.
fn kill_after_writes_then_converge(writes: usize) {
    let moto = Moto::start();
    let proxy = CallProxy::start(moto.addr(), Duration::from_millis(20)).unwrap();
    let mut child = TestCommand::new("vpc-bootstrap", &proxy.url()).env("AWSOPS_SSH_FROM", SSH_FROM).args(LAB).spawn(Stdio::null());
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while proxy.calls().iter().filter(|c| !c.is_read_only()).count() < writes {
        assert!(std::time::Instant::now() < deadline, "the run never reached {writes} writes");
        assert!(child.try_wait().unwrap().is_none(), "the run ended before {writes} writes");
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    drop(proxy);

    let doc = vpc(&moto).args(LAB).run().ok().remove(0);
    let aws = Ec2View::new(&moto.url());
    assert_eq!(aws.vpcs("lab").len(), 1, "one VPC after a kill at write {writes}");
    let vpc_id = doc["vpc_id"].as_str().unwrap();
    assert_eq!(aws.subnets(vpc_id).len(), 6);
    assert_eq!(aws.internet_gateways(vpc_id).len(), 1);
    assert_eq!(aws.live_nat_gateways(vpc_id).len(), 1);
    let ours = aws.addresses().into_iter().filter(|a| tag(a.tags(), "awsops:stack") == Some("lab")).count();
    assert_eq!(ours, 1, "one Elastic IP after a kill at write {writes}");
    assert_eq!(aws.route_tables(vpc_id).len(), 4, "main + public + two private");
    assert_eq!(aws.security_groups(vpc_id).len(), 4, "default + web + bastion + private");
    assert_eq!(aws.endpoints(vpc_id).len(), 2);
    assert_eq!(aws.live_instances(vpc_id).len(), 1);
    // And the converged network is the one a clean run prints.
    let again = vpc(&moto).args(LAB).run().ok().remove(0);
    assert_eq!(again, doc);
}

#[test]
fn a_run_killed_midway_converges_without_duplicates() {
    for writes in [1, 4, 11, 19, 26] {
        kill_after_writes_then_converge(writes);
    }
}

#[test]
fn destroy_leaves_nothing_tagged_and_keeps_what_it_did_not_create() {
    let moto = Moto::start();
    let aws = Ec2View::new(&moto.url());
    // An Elastic IP the user owns, handed to the NAT gateway: never released.
    let theirs = aws.block(aws.client.allocate_address().send()).unwrap().allocation_id().unwrap().to_owned();
    vpc(&moto).args(lab_with(&["--nat-eip", &theirs])).run().ok();
    assert!(!aws.tagged("lab").is_empty());

    // Off a terminal, destroy needs --yes, and without it changes nothing.
    vpc(&moto).args(["destroy", "lab"]).run().usage_error("--yes");
    assert_eq!(aws.vpcs("lab").len(), 1);

    vpc(&moto).args(["destroy", "lab", "--yes"]).run().ok();
    assert_eq!(aws.tagged("lab"), Vec::<String>::new(), "nothing tagged awsops:stack=lab is left");
    assert!(aws.vpcs("lab").is_empty());
    assert!(aws.addresses().iter().any(|a| a.allocation_id() == Some(theirs.as_str())), "the user's Elastic IP is kept");

    // A second destroy (a cleanup trap, a re-run) converges.
    let again = vpc(&moto).args(["destroy", "lab", "--yes"]).run();
    assert_eq!(again.code, 0, "{}", again.stderr);
}

#[test]
fn destroy_stops_before_anything_when_someone_elses_resource_blocks_it() {
    let moto = Moto::start();
    let doc = vpc(&moto).args(["create", "shared", "--azs", "1", "--nat", "none"]).run().ok().remove(0);
    let aws = Ec2View::new(&moto.url());
    let subnet = doc["subnets"][0]["id"].as_str().unwrap();
    let eni = aws.block(aws.client.create_network_interface().subnet_id(subnet).send()).unwrap();
    let eni = eni.network_interface().unwrap().network_interface_id().unwrap().to_owned();
    let before = aws.tagged("shared");

    let run = vpc(&moto).args(["destroy", "shared", "--yes"]).run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains(&eni), "names the blocker: {}", run.stderr);
    assert_eq!(aws.tagged("shared"), before, "nothing was deleted");

    aws.block(aws.client.delete_network_interface().network_interface_id(&eni).send()).unwrap();
    vpc(&moto).args(["destroy", "shared", "--yes"]).run().ok();
    assert!(aws.tagged("shared").is_empty());
}

#[test]
fn someone_elses_instance_blocks_destroy_until_it_is_terminated() {
    let moto = Moto::start();
    let doc = vpc(&moto).args(["create", "app", "--azs", "1", "--nat", "none"]).run().ok().remove(0);
    let aws = Ec2View::new(&moto.url());
    let subnet = doc["subnets"][0]["id"].as_str().unwrap();
    let image = aws.block(aws.client.describe_images().owners("amazon").send()).unwrap().images()[0].image_id().unwrap().to_owned();
    let run = aws.block(aws.client.run_instances().image_id(&image).min_count(1).max_count(1).subnet_id(subnet).send()).unwrap();
    let instance = run.instances()[0].instance_id().unwrap().to_owned();

    let refused = vpc(&moto).args(["destroy", "app", "--yes"]).run();
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(refused.stderr.contains(&instance), "the running instance is named: {}", refused.stderr);

    // Terminated, its interface lingers (for a while in AWS, for good in moto): not a blocker.
    aws.block(aws.client.terminate_instances().instance_ids(&instance).send()).unwrap();
    vpc(&moto).args(["destroy", "app", "--yes"]).run().ok();
    assert!(aws.tagged("app").is_empty());
}

#[test]
fn an_unknown_nat_eip_is_a_usage_error_before_any_change() {
    let moto = Moto::start();
    vpc(&moto).args(["create", "x", "--nat-eip", "eipalloc-0123456789abcdef0"]).run().usage_error("eipalloc-0123456789abcdef0");
    assert!(Ec2View::new(&moto.url()).tagged("x").is_empty());
}
