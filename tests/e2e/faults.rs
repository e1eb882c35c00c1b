//! vpc-bootstrap on a network that loses responses, throttles and resets, with two runs at
//! once, and killed at every mutating call: each ends in the clean run's network, with
//! nothing made twice, and `destroy` leaves nothing. The fault proxy keeps AWS's
//! client-token promise that moto does not, so what it shows is what AWS would do.

use crate::aws_view::Ec2View;
use crate::harness::{CallProxy, Moto, TestCommand};
use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::{Duration, Instant};
use xtask::faults::Faults;

const SSH_FROM: &str = "203.0.113.7/32";

/// The reference lab of the README (one NAT gateway, S3 endpoint, bastion).
fn lab(stack: &str) -> Vec<String> {
    ["create", stack, "--cidr", "10.1.0.0/16", "--az", "a,c", "--private-per-az", "2", "--endpoint", "s3", "--bastion"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn vpc(endpoint: &str) -> TestCommand {
    TestCommand::new("vpc-bootstrap", endpoint).env("AWSOPS_SSH_FROM", SSH_FROM)
}

/// A document with its ids blanked: what two runs of one spec must agree on.
fn shape(doc: &serde_json::Value) -> serde_json::Value {
    match doc {
        serde_json::Value::String(s)
            if s.contains('-') && s.split('-').next_back().is_some_and(|h| h.len() >= 8 && h.bytes().all(|b| b.is_ascii_hexdigit())) =>
        {
            serde_json::Value::String(format!("{}-…", s.split('-').next().unwrap_or_default()))
        }
        serde_json::Value::Object(map) => map
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "name" | "public_ip" | "private_ip"))
            .map(|(k, v)| (k.clone(), shape(v)))
            .collect(),
        serde_json::Value::Array(items) => items.iter().map(shape).collect(),
        other => other.clone(),
    }
}

/// How many live resources of each kind (`vpc`, `subnet`, `eipalloc`...) the stack owns.
fn census(aws: &Ec2View, stack: &str) -> BTreeMap<String, usize> {
    xtask::census::kinds(&aws.tagged(stack))
}

/// The clean run's document shape and census, and its mutating calls in order.
fn clean_run(moto: &Moto) -> (serde_json::Value, BTreeMap<String, usize>, Vec<String>) {
    let proxy = CallProxy::start(moto.addr(), Duration::ZERO).unwrap();
    let doc = vpc(&proxy.url()).args(lab("clean")).run().ok().remove(0);
    let writes = proxy.calls().into_iter().filter(|c| !c.is_read_only()).map(|c| c.action).collect();
    let aws = Ec2View::new(&moto.url());
    (shape(&doc), census(&aws, "clean"), writes)
}

/// A network with a private subnet in each of two AZs (no NAT), as the `vpc` document
/// efs-mount reads.
fn small_network(moto: &Moto) -> String {
    vpc(&moto.url())
        .args(["create", "net", "--cidr", "10.1.0.0/16", "--az", "a,c", "--private-per-az", "1", "--nat", "none"])
        .run()
        .ok()
        .remove(0)
        .to_string()
}

fn destroy_leaves_nothing(moto: &Moto, stack: &str) {
    vpc(&moto.url()).args(["destroy", stack, "--yes"]).run().ok();
    assert_eq!(Ec2View::new(&moto.url()).tagged(stack), Vec::<String>::new(), "{stack}: destroy left something");
}

#[test]
fn a_lost_response_of_every_kind_of_mutating_call_leaves_the_clean_network() {
    let moto = Moto::start();
    let (want, want_census, writes) = clean_run(&moto);
    let mut actions: Vec<String> = writes.clone();
    actions.sort();
    actions.dedup();
    assert!(actions.iter().any(|a| a == "CreateVpc") && actions.iter().any(|a| a == "AllocateAddress"), "{actions:?}");
    let aws = Ec2View::new(&moto.url());
    for (i, action) in actions.iter().enumerate() {
        let stack = format!("lost-{i}");
        let faults = Faults { lose_nth: vec![(action.clone(), 1)], ..Faults::default() };
        let (doc, injected, first_ok) = lab_under(&moto, &stack, faults);
        assert_eq!(injected, 1, "{action}: the fault was injected once");
        assert!(first_ok, "{action}: one lost answer is resolved within the run");
        assert_eq!(shape(&doc), want, "{action}: the network differs from a clean run's");
        assert_eq!(census(&aws, &stack), want_census, "{action}: resources differ from a clean run's (duplicates?)");
        destroy_leaves_nothing(&moto, &stack);
    }
}

/// The lab built through a proxy injecting `faults`; when that run fails, one re-run on a
/// sound network must converge. The document, how many faults were injected, and whether
/// the run under faults succeeded by itself.
fn lab_under(moto: &Moto, stack: &str, faults: Faults) -> (serde_json::Value, usize, bool) {
    let proxy = CallProxy::start_with(moto.addr(), Duration::ZERO, faults).unwrap();
    let run = vpc(&proxy.url()).args(lab(stack)).run();
    let injected = proxy.faulted().len();
    if run.code == 0 {
        return (run.documents().remove(0), injected, true);
    }
    eprintln!("{stack}: the run under faults exited {}: {}", run.code, run.stderr);
    (vpc(&moto.url()).args(lab(stack)).run().ok().remove(0), injected, false)
}

#[test]
fn throttling_errors_and_resets_on_every_call_kind_are_survived() {
    let moto = Moto::start();
    let (want, want_census, _) = clean_run(&moto);
    let aws = Ec2View::new(&moto.url());
    for seed in 1..=3u64 {
        let stack = format!("flaky-{seed}");
        let faults = Faults { seed, lose: 0.15, throttle: 0.1, server_error: 0.1, reset: 0.05, ..Faults::default() };
        let (doc, injected, _) = lab_under(&moto, &stack, faults);
        assert!(injected >= 3, "seed {seed}: faults were injected: {injected}");
        assert_eq!(shape(&doc), want, "seed {seed}");
        assert_eq!(census(&aws, &stack), want_census, "seed {seed}: duplicates or leaks");
        destroy_leaves_nothing(&moto, &stack);
    }
}

#[test]
fn two_runs_of_one_stack_at_once_make_one_network() {
    let moto = Moto::start();
    let (want, want_census, _) = clean_run(&moto);
    // A little latency per call, as AWS has, so the two runs really overlap.
    let proxy = CallProxy::start(moto.addr(), Duration::from_millis(10)).unwrap();
    let spawn = || vpc(&proxy.url()).args(lab("twice")).spawn(Stdio::piped());
    let (first, second) = (spawn(), spawn());
    let (first, second) = (first.wait_with_output().unwrap(), second.wait_with_output().unwrap());
    for out in [&first, &second] {
        assert!(out.status.success(), "both runs succeed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let doc = |out: &std::process::Output| serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap();
    assert_eq!(doc(&first), doc(&second), "both print the one network");
    assert_eq!(shape(&doc(&first)), want);
    let aws = Ec2View::new(&moto.url());
    assert_eq!(census(&aws, "twice"), want_census, "one set of resources");
    let waited = [&first, &second].iter().any(|o| String::from_utf8_lossy(&o.stderr).contains("another run of vpc-bootstrap twice"));
    assert!(waited, "one run saw the other's lease and waited");
    let leases = aws.block(aws.client.describe_key_pairs().send()).unwrap();
    assert!(leases.key_pairs().iter().all(|k| !k.key_name().unwrap_or_default().starts_with("awsops-lease.")), "leases released");
    destroy_leaves_nothing(&moto, "twice");
}

#[test]
fn killed_at_every_mutating_call_a_rerun_converges() {
    let moto = Moto::start();
    let (want, want_census, writes) = clean_run(&moto);
    let aws = Ec2View::new(&moto.url());
    // The lease's ImportKeyPair is the first write; killing there and after the last
    // write (its release) is covered too.
    for k in 1..=writes.len() {
        let stack = format!("killed-{k}");
        let faults = Faults { hold_mutating: Some(k), ..Faults::default() };
        let proxy = CallProxy::start_with(moto.addr(), Duration::ZERO, faults).unwrap();
        let mut child = vpc(&proxy.url()).args(lab(&stack)).spawn(Stdio::null());
        let deadline = Instant::now() + Duration::from_secs(60);
        while !proxy.holding() {
            assert!(Instant::now() < deadline, "write {k} never came");
            if let Some(status) = child.try_wait().unwrap() {
                panic!("the run ended ({status}) before write {k} of {}", writes.len());
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        drop(proxy);
        let doc = vpc(&moto.url()).args(lab(&stack)).run().ok().remove(0);
        assert_eq!(shape(&doc), want, "killed at write {k} ({})", writes[k - 1]);
        assert_eq!(census(&aws, &stack), want_census, "killed at write {k} ({}): duplicates", writes[k - 1]);
        destroy_leaves_nothing(&moto, &stack);
    }
}

#[test]
fn owned_duplicates_are_removed_and_destroy_takes_every_vpc() {
    let moto = Moto::start();
    let (want, want_census, _) = clean_run(&moto);
    let aws = Ec2View::new(&moto.url());
    vpc(&moto.url()).args(lab("dup")).run().ok();
    // What a lost response made before this version: an empty VPC, a loose gateway, an
    // Elastic IP nobody uses, all with the stack's tags.
    let tags = |role: &str, kind: aws_sdk_ec2::types::ResourceType| {
        let tag = |k: &str, v: &str| aws_sdk_ec2::types::Tag::builder().key(k).value(v).build();
        aws_sdk_ec2::types::TagSpecification::builder()
            .resource_type(kind)
            .tags(tag("awsops:stack", "dup"))
            .tags(tag("awsops:role", role))
            .tags(tag("awsops:tool", "vpc-bootstrap"))
            .tags(tag("Name", "dup"))
            .build()
    };
    use aws_sdk_ec2::types::ResourceType;
    let extra_vpc =
        aws.block(aws.client.create_vpc().cidr_block("10.1.0.0/16").tag_specifications(tags("vpc", ResourceType::Vpc)).send()).unwrap();
    let extra_vpc = extra_vpc.vpc().unwrap().vpc_id().unwrap().to_owned();
    let igw =
        aws.block(aws.client.create_internet_gateway().tag_specifications(tags("igw", ResourceType::InternetGateway)).send()).unwrap();
    let igw = igw.internet_gateway().unwrap().internet_gateway_id().unwrap().to_owned();
    let eip = aws.block(aws.client.allocate_address().tag_specifications(tags("eip:nat:a", ResourceType::ElasticIp)).send()).unwrap();
    let eip = eip.allocation_id().unwrap().to_owned();

    let doc = vpc(&moto.url()).args(lab("dup")).run().ok().remove(0);
    let mut removed: Vec<&str> = doc["duplicates_removed"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    removed.sort();
    let mut expected = vec![extra_vpc.as_str(), igw.as_str(), eip.as_str()];
    expected.sort();
    assert_eq!(removed, expected);
    assert_eq!(census(&aws, "dup"), want_census, "the extras are gone");
    let mut plain = doc.clone();
    plain.as_object_mut().unwrap().remove("duplicates_removed");
    assert_eq!(shape(&plain), want);
    crate::harness::check_schema(&doc).unwrap();

    // A second VPC with a subnet of the stack in it (two old overlapping runs): create
    // refuses, naming both; destroy removes both networks.
    let busy =
        aws.block(aws.client.create_vpc().cidr_block("10.1.0.0/16").tag_specifications(tags("vpc", ResourceType::Vpc)).send()).unwrap();
    let busy = busy.vpc().unwrap().vpc_id().unwrap().to_owned();
    aws.block(
        aws.client
            .create_subnet()
            .vpc_id(&busy)
            .cidr_block("10.1.0.0/24")
            .availability_zone("ap-northeast-2a")
            .tag_specifications(tags("subnet:public", ResourceType::Subnet))
            .send(),
    )
    .unwrap();
    let refused = vpc(&moto.url()).args(lab("dup")).run();
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(refused.stderr.contains(&busy) && refused.stderr.contains("destroy"), "{}", refused.stderr);
    destroy_leaves_nothing(&moto, "dup");
    assert!(aws.vpcs("dup").is_empty());
}

/// efs-mount create and ami-snap create/snapshot, each with the response of each of their
/// mutating calls lost once: the same resources as a clean run, nothing twice.
#[test]
fn efs_mount_and_ami_snap_creates_survive_a_lost_response_of_each_call() {
    let moto = Moto::start();
    let network = small_network(&moto);
    let efs_args = |name: &str| -> Vec<String> {
        ["create", "--name", name, "--access-point", "1000:1000:/uploads"].iter().map(|s| s.to_string()).collect()
    };
    let efs_census = |name: &str| -> (usize, usize, usize, usize) {
        let efs = crate::aws_view::emulator_client!(aws_sdk_efs, moto.url());
        let aws = Ec2View::new(&moto.url());
        let systems = aws.block(efs.describe_file_systems().creation_token(name).send()).unwrap();
        let Some(fs) = systems.file_systems().first() else { return (0, 0, 0, 0) };
        let id = fs.file_system_id();
        let targets = aws.block(efs.describe_mount_targets().file_system_id(id).send()).unwrap().mount_targets().len();
        let points = aws.block(efs.describe_access_points().file_system_id(id).send()).unwrap().access_points().len();
        let groups = aws
            .block(aws.client.describe_security_groups().filters(crate::aws_view::filter("tag:awsops:stack", name)).send())
            .unwrap()
            .security_groups()
            .len();
        (systems.file_systems().len(), targets, points, groups)
    };
    let proxy = CallProxy::start(moto.addr(), Duration::ZERO).unwrap();
    TestCommand::new("efs-mount", &proxy.url()).args(efs_args("clean")).stdin(network.clone()).run().ok();
    let want = efs_census("clean");
    assert_eq!(want, (1, 2, 1, 1));
    let mut actions: Vec<String> = proxy.calls().into_iter().filter(|c| !c.is_read_only()).map(|c| c.action).collect();
    actions.sort();
    actions.dedup();
    for (i, action) in actions.iter().enumerate() {
        let name = format!("lost-{i}");
        let faults = Faults { lose_nth: vec![(action.clone(), 1)], ..Faults::default() };
        let proxy = CallProxy::start_with(moto.addr(), Duration::ZERO, faults).unwrap();
        let run = TestCommand::new("efs-mount", &proxy.url()).args(efs_args(&name)).stdin(network.clone()).run();
        if run.code != 0 {
            eprintln!("efs-mount {action}: first run exited {}: {}", run.code, run.stderr);
            TestCommand::new("efs-mount", &moto.url()).args(efs_args(&name)).stdin(network.clone()).run().ok();
        }
        assert_eq!(efs_census(&name), want, "efs-mount with {action}'s response lost");
    }

    // ami-snap: the image's name and the snapshot's request tag find a lost create again.
    let aws = Ec2View::new(&moto.url());
    let lock = tempfile::tempdir().unwrap();
    let image = aws.block(aws.client.describe_images().owners("amazon").send()).unwrap();
    let image =
        image.images().iter().find(|i| i.root_device_type().map(|t| t.as_str()) == Some("ebs")).unwrap().image_id().unwrap().to_owned();
    let instance = aws.block(aws.client.run_instances().image_id(&image).min_count(1).max_count(1).send()).unwrap().instances()[0]
        .instance_id()
        .unwrap()
        .to_owned();
    for (action, args) in [
        ("CreateImage", vec!["create", "--instance", instance.as_str(), "--name", "lost-image"]),
        ("CreateSnapshot", vec!["snapshot", "--instance", instance.as_str(), "--group", "lost-snap"]),
    ] {
        let faults = Faults { lose_nth: vec![(action.to_owned(), 1)], ..Faults::default() };
        let proxy = CallProxy::start_with(moto.addr(), Duration::ZERO, faults).unwrap();
        let docs = TestCommand::new("ami-snap", &proxy.url())
            .env("AWSOPS_AMI_LOCK", lock.path().join("ami.lock").to_str().unwrap())
            .args(&args)
            .run()
            .ok();
        assert_eq!(proxy.faulted().len(), 1, "{action}: the fault was injected");
        assert_eq!(docs.len(), 1, "{action}");
    }
    let images =
        aws.block(aws.client.describe_images().owners("self").filters(crate::aws_view::filter("name", "lost-image")).send()).unwrap();
    assert_eq!(images.images().len(), 1, "one image after CreateImage's response was lost");
    let volumes =
        aws.block(aws.client.describe_volumes().filters(crate::aws_view::filter("attachment.instance-id", &instance)).send()).unwrap();
    let volume = volumes.volumes()[0].volume_id().unwrap().to_owned();
    let snapshots = aws
        .block(
            aws.client
                .describe_snapshots()
                .owner_ids("self")
                .filters(crate::aws_view::filter("volume-id", &volume))
                .filters(crate::aws_view::filter("tag:awsops:group", "lost-snap"))
                .send(),
        )
        .unwrap();
    assert_eq!(snapshots.snapshots().len(), 1, "one snapshot after CreateSnapshot's response was lost");
}

#[test]
fn two_efs_mount_creates_at_once_make_one_file_system() {
    let moto = Moto::start();
    let network = small_network(&moto);
    let proxy = CallProxy::start(moto.addr(), Duration::from_millis(10)).unwrap();
    let spawn = || {
        let mut child = TestCommand::new("efs-mount", &proxy.url())
            .args(["create", "--name", "twice", "--access-point", "1000:1000:/uploads", "--from", "-"])
            .spawn_with_stdin(Stdio::piped());
        use std::io::Write;
        child.stdin.take().unwrap().write_all(network.as_bytes()).unwrap();
        child
    };
    let (first, second) = (spawn(), spawn());
    let (first, second) = (first.wait_with_output().unwrap(), second.wait_with_output().unwrap());
    for out in [&first, &second] {
        assert!(out.status.success(), "both runs succeed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let efs = crate::aws_view::emulator_client!(aws_sdk_efs, moto.url());
    let aws = Ec2View::new(&moto.url());
    let systems = aws.block(efs.describe_file_systems().creation_token("twice").send()).unwrap();
    assert_eq!(systems.file_systems().len(), 1);
    let id = systems.file_systems()[0].file_system_id();
    assert_eq!(aws.block(efs.describe_mount_targets().file_system_id(id).send()).unwrap().mount_targets().len(), 2);
    assert_eq!(aws.block(efs.describe_access_points().file_system_id(id).send()).unwrap().access_points().len(), 1);
    let groups =
        aws.block(aws.client.describe_security_groups().filters(crate::aws_view::filter("tag:awsops:stack", "twice")).send()).unwrap();
    assert_eq!(groups.security_groups().len(), 1);
}

#[test]
fn efs_mount_create_killed_at_every_mutating_call_a_rerun_converges() {
    let moto = Moto::start();
    let network = small_network(&moto);
    let args = |name: &str| -> Vec<String> {
        ["create", "--name", name, "--access-point", "1000:1000:/uploads", "--from", "-"].iter().map(|s| s.to_string()).collect()
    };
    let proxy = CallProxy::start(moto.addr(), Duration::ZERO).unwrap();
    let clean = TestCommand::new("efs-mount", &proxy.url()).args(args("clean")).stdin(network.clone()).run().ok().remove(0);
    let writes: Vec<String> = proxy.calls().into_iter().filter(|c| !c.is_read_only()).map(|c| c.action).collect();
    assert!(writes.len() >= 5, "{writes:?}");
    for k in 1..=writes.len() {
        let name = format!("killed-{k}");
        let proxy = CallProxy::start_with(moto.addr(), Duration::ZERO, Faults { hold_mutating: Some(k), ..Faults::default() }).unwrap();
        let mut child = TestCommand::new("efs-mount", &proxy.url()).args(args(&name)).spawn_with_stdin(Stdio::null());
        {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(network.as_bytes()).unwrap();
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        while !proxy.holding() {
            assert!(Instant::now() < deadline, "write {k} never came");
            assert!(child.try_wait().unwrap().is_none(), "the run ended before write {k}");
            std::thread::sleep(Duration::from_millis(2));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        drop(proxy);
        let doc = TestCommand::new("efs-mount", &moto.url()).args(args(&name)).stdin(network.clone()).run().ok().remove(0);
        let strip = |d: &serde_json::Value| {
            let mut d = shape(d);
            for volatile in ["changes", "changed", "file_system_id", "dns_name", "access_points", "mount_targets"] {
                d.as_object_mut().unwrap().remove(volatile);
            }
            d
        };
        assert_eq!(strip(&doc), strip(&clean), "killed at write {k} ({})", writes[k - 1]);
        assert_eq!(doc["mount_targets"].as_array().map(Vec::len), clean["mount_targets"].as_array().map(Vec::len), "killed at {k}");
        assert_eq!(doc["access_points"].as_array().map(Vec::len), clean["access_points"].as_array().map(Vec::len), "killed at {k}");
        let efs = crate::aws_view::emulator_client!(aws_sdk_efs, moto.url());
        let aws = Ec2View::new(&moto.url());
        assert_eq!(aws.block(efs.describe_file_systems().creation_token(&name).send()).unwrap().file_systems().len(), 1, "killed at {k}");
        let groups =
            aws.block(aws.client.describe_security_groups().filters(crate::aws_view::filter("tag:awsops:stack", &name)).send()).unwrap();
        assert_eq!(groups.security_groups().len(), 1, "killed at {k}: one NFS group");
    }
}

#[test]
fn a_lost_response_of_every_kind_of_destroy_call_still_leaves_nothing() {
    let moto = Moto::start();
    vpc(&moto.url()).args(lab("clean")).run().ok();
    let proxy = CallProxy::start(moto.addr(), Duration::ZERO).unwrap();
    vpc(&proxy.url()).args(["destroy", "clean", "--yes"]).run().ok();
    let mut actions: Vec<String> = proxy.calls().into_iter().filter(|c| !c.is_read_only()).map(|c| c.action).collect();
    actions.sort();
    actions.dedup();
    assert!(actions.iter().any(|a| a == "DeleteVpc") && actions.iter().any(|a| a == "DetachInternetGateway"), "{actions:?}");
    for (i, action) in actions.iter().enumerate() {
        let stack = format!("gone-{i}");
        vpc(&moto.url()).args(lab(&stack)).run().ok();
        let faults = Faults { lose_nth: vec![(action.clone(), 1)], ..Faults::default() };
        let proxy = CallProxy::start_with(moto.addr(), Duration::ZERO, faults).unwrap();
        let run = vpc(&proxy.url()).args(["destroy", &stack, "--yes", "--timeout", "2m"]).run();
        assert_eq!(proxy.faulted().len(), 1, "{action}: the fault was injected once");
        assert_eq!(run.code, 0, "{action}: one lost answer is resolved within destroy: {}", run.stderr);
        assert_eq!(Ec2View::new(&moto.url()).tagged(&stack), Vec::<String>::new(), "{action}: destroy left something");
    }
}

/// Resources with the stack's tags that are in use outside it (a gateway on someone
/// else's VPC, an Elastic IP on someone else's instance) are never detached, released or
/// deleted; a VPC holding what the network did not make is named before anything goes.
#[test]
fn destroy_leaves_what_is_used_elsewhere_and_names_blockers_first() {
    let moto = Moto::start();
    let aws = Ec2View::new(&moto.url());
    vpc(&moto.url()).args(["create", "lab", "--azs", "1", "--private-per-az", "1", "--nat", "none"]).run().ok();
    use aws_sdk_ec2::types::{ResourceType, Tag, TagSpecification};
    let tags = |role: &str, kind: ResourceType| {
        let tag = |k: &str, v: &str| Tag::builder().key(k).value(v).build();
        TagSpecification::builder()
            .resource_type(kind)
            .tags(tag("awsops:stack", "lab"))
            .tags(tag("awsops:role", role))
            .tags(tag("awsops:tool", "vpc-bootstrap"))
            .build()
    };
    let foreign = aws.block(aws.client.create_vpc().cidr_block("10.9.0.0/16").send()).unwrap().vpc().unwrap().vpc_id().unwrap().to_owned();
    let igw =
        aws.block(aws.client.create_internet_gateway().tag_specifications(tags("igw", ResourceType::InternetGateway)).send()).unwrap();
    let igw = igw.internet_gateway().unwrap().internet_gateway_id().unwrap().to_owned();
    aws.block(aws.client.attach_internet_gateway().internet_gateway_id(&igw).vpc_id(&foreign).send()).unwrap();
    let image = aws.block(aws.client.describe_images().owners("amazon").send()).unwrap();
    let image = image.images()[0].image_id().unwrap().to_owned();
    let instance = aws.block(aws.client.run_instances().image_id(&image).min_count(1).max_count(1).send()).unwrap();
    let instance = instance.instances()[0].instance_id().unwrap().to_owned();
    let eip = aws.block(aws.client.allocate_address().tag_specifications(tags("eip:nat:a", ResourceType::ElasticIp)).send()).unwrap();
    let eip = eip.allocation_id().unwrap().to_owned();
    aws.block(aws.client.associate_address().allocation_id(&eip).instance_id(&instance).send()).unwrap();

    // Someone's route table in the network's VPC: named up front, nothing deleted.
    let network = aws.vpcs("lab").into_iter().find(|v| v.vpc_id() != Some(foreign.as_str())).unwrap();
    let network = network.vpc_id().unwrap().to_owned();
    let theirs = aws.block(aws.client.create_route_table().vpc_id(&network).send()).unwrap();
    let theirs = theirs.route_table().unwrap().route_table_id().unwrap().to_owned();
    let before = aws.tagged("lab");
    let refused = vpc(&moto.url()).args(["destroy", "lab", "--yes"]).run();
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(refused.stderr.contains(&theirs), "the blocker is named: {}", refused.stderr);
    assert_eq!(aws.tagged("lab"), before, "nothing was deleted");

    aws.block(aws.client.delete_route_table().route_table_id(&theirs).send()).unwrap();
    vpc(&moto.url()).args(["destroy", "lab", "--yes"]).run().ok();
    let gateways = aws.block(aws.client.describe_internet_gateways().internet_gateway_ids(&igw).send()).unwrap();
    let attached = gateways.internet_gateways()[0].attachments().iter().any(|a| a.vpc_id() == Some(foreign.as_str()));
    assert!(attached, "the gateway on someone else's VPC is left attached");
    let addresses = aws.block(aws.client.describe_addresses().allocation_ids(&eip).send()).unwrap();
    assert_eq!(addresses.addresses()[0].instance_id(), Some(instance.as_str()), "the Elastic IP in use elsewhere is kept");
}
