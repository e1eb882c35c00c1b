//! efs-mount's AWS side against moto: `vpc-bootstrap | efs-mount create` (encrypted,
//! backups, lifecycle, one mount target per AZ in the private subnets, NFS admitted from
//! the web and private groups), a dry run that lists exactly what the run then does, a
//! re-run that only reads, drift planned back, destroy (its dry run listing everything it
//! deletes), and refusals before any call. The host side is in efs_mount_host.

use crate::aws_view::{Ec2View, emulator_client};
use crate::harness::{CallProxy, Moto, TestCommand, check_schema};
use std::time::Duration;

fn efs(endpoint: &str) -> TestCommand {
    TestCommand::new("efs-mount", endpoint)
}

#[test]
fn vpc_bootstrap_pipes_into_create_and_a_rerun_only_reads() {
    let moto = Moto::start();
    let vpc = TestCommand::new("vpc-bootstrap", &moto.url())
        .args(["create", "lab", "--cidr", "10.1.0.0/16", "--az", "a,c", "--private-per-az", "2", "--nat", "none"])
        .env("AWSOPS_SSH_FROM", "203.0.113.7/32")
        .run();
    assert_eq!(vpc.code, 0, "{}", vpc.stderr);
    let network = vpc.documents().remove(0);
    let proxy = CallProxy::start(moto.addr(), Duration::ZERO).unwrap();
    let args = ["create", "--name", "shared", "--access-point", "1000:1000:/uploads", "--require-tls"];
    let plan = efs(&proxy.url()).args(args).arg("--dry-run").stdin(vpc.stdout.clone()).run().ok().remove(0);
    assert_eq!(plan["state"], "planned");
    assert!(proxy.calls().iter().all(|c| c.is_read_only()), "a dry run only reads");
    let doc = efs(&proxy.url()).args(args).stdin(vpc.stdout.clone()).run().ok().remove(0);
    assert_eq!(doc["changes"], plan["changes"], "the dry run said exactly what the run did");
    check_schema(&plan).unwrap();
    check_schema(&doc).unwrap();
    assert_eq!(doc["changes"].as_array().unwrap().len(), 8, "{}", doc["changes"]);
    assert_eq!(doc["kind"], "efs");
    assert_eq!(doc["changed"], true);
    assert_eq!(doc["encrypted"], true);
    assert_eq!(doc["backups"], true);
    assert_eq!(doc["transition_to_ia_days"], 30);
    assert_eq!(doc["vpc_id"], network["vpc_id"]);
    let fs_id = doc["file_system_id"].as_str().unwrap().to_owned();
    assert!(doc["dns_name"].as_str().unwrap().starts_with(&format!("{fs_id}.efs.")));

    // One target per AZ, each in the first private subnet of its AZ.
    let targets = doc["mount_targets"].as_array().unwrap();
    assert_eq!(targets.len(), 2);
    for t in targets {
        let subnet = network["subnets"].as_array().unwrap().iter().find(|s| s["id"] == t["subnet_id"]).unwrap();
        assert_eq!(subnet["tier"], "private");
        assert_eq!(subnet["az"], t["az"]);
        assert!(subnet["name"].as_str().unwrap().ends_with('1'), "the first private subnet of {}: {subnet}", t["az"]);
        assert_eq!(t["state"], "available");
    }
    assert_eq!(doc["access_points"][0]["path"], "/uploads");
    assert_eq!(doc["require_tls"], true);

    // The NFS group admits TCP 2049 from the web and private groups only.
    let aws = Ec2View::new(&moto.url());
    let sg = doc["security_group_id"].as_str().unwrap();
    let group = aws.block(aws.client.describe_security_groups().group_ids(sg).send()).unwrap().security_groups()[0].clone();
    let rules = group.ip_permissions();
    assert_eq!(rules.len(), 1);
    assert_eq!((rules[0].ip_protocol(), rules[0].from_port(), rules[0].to_port()), (Some("tcp"), Some(2049), Some(2049)));
    let mut from: Vec<&str> = rules[0].user_id_group_pairs().iter().filter_map(|p| p.group_id()).collect();
    from.sort_unstable();
    let mut want = vec![network["security_groups"]["web"].as_str().unwrap(), network["security_groups"]["private"].as_str().unwrap()];
    want.sort_unstable();
    assert_eq!(from, want);
    assert!(rules[0].ip_ranges().is_empty(), "no CIDR is admitted");

    proxy.clear();
    let again = efs(&proxy.url()).args(args).stdin(vpc.stdout.clone()).run().ok().remove(0);
    assert_eq!(again["changed"], false, "{again}");
    assert_eq!(again["file_system_id"], fs_id.as_str());
    let calls = proxy.calls();
    assert!(calls.iter().all(|c| c.is_read_only()), "{:?}", calls.iter().map(|c| &c.action).collect::<Vec<_>>());

    let status = efs(&moto.url()).args(["status", "shared"]).run().ok().remove(0);
    assert_eq!(status["mount_targets"], doc["mount_targets"]);

    // Destroy: its dry run names every thing it deletes; refused off a terminal without
    // --yes; then it deletes exactly those, and nothing of it is left.
    let will = efs(&moto.url()).args(["destroy", "shared", "--dry-run"]).run().ok().remove(0);
    let will_lines: Vec<&str> = will["changes"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert_eq!(will_lines.iter().filter(|l| l.starts_with("delete mount target")).count(), 2);
    assert_eq!(will_lines.iter().filter(|l| l.starts_with("delete access point")).count(), 1);
    assert!(will_lines.contains(&format!("delete file system {fs_id}").as_str()), "{will_lines:?}");
    assert!(will_lines.contains(&format!("delete security group {sg}").as_str()), "{will_lines:?}");
    efs(&moto.url()).args(["destroy", "shared"]).run().usage_error("--yes");
    let gone = efs(&moto.url()).args(["destroy", "shared", "--yes"]).run().ok().remove(0);
    assert_eq!(gone["state"], "deleted");
    assert_eq!(gone["changes"], will["changes"], "destroy did what its dry run said");
    let efs_client = emulator_client!(aws_sdk_efs, moto.url());
    assert!(aws.block(efs_client.describe_file_systems().send()).unwrap().file_systems().is_empty());
    assert!(aws.block(aws.client.describe_security_groups().group_ids(sg).send()).is_err(), "the NFS group is gone");
    efs(&moto.url()).args(["status", "shared"]).run().usage_error("no EFS file system shared");

    // A destroy interrupted after the file system went (simulated here) leaves the group; a re-run removes it.
    let again = efs(&moto.url()).args(["create", "--name", "shared"]).stdin(vpc.stdout.clone()).run().ok().remove(0);
    let fs_id = again["file_system_id"].as_str().unwrap();
    for t in again["mount_targets"].as_array().unwrap() {
        aws.block(efs_client.delete_mount_target().mount_target_id(t["id"].as_str().unwrap()).send()).unwrap();
    }
    aws.block(efs_client.delete_file_system().file_system_id(fs_id).send()).unwrap();
    let sg = again["security_group_id"].as_str().unwrap();
    assert!(aws.block(aws.client.describe_security_groups().group_ids(sg).send()).is_ok());
    efs(&moto.url()).args(["destroy", "shared", "--yes"]).run().ok();
    assert!(aws.block(aws.client.describe_security_groups().group_ids(sg).send()).is_err(), "the leftover group is gone");
    efs(&moto.url()).args(["destroy", "shared", "--yes"]).run().usage_error("no EFS file system shared");
}

#[test]
fn drift_is_planned_back_and_the_plan_is_what_runs() {
    let moto = Moto::start();
    let vpc = TestCommand::new("vpc-bootstrap", &moto.url())
        .args(["create", "drift", "--cidr", "10.3.0.0/16", "--az", "a,c", "--nat", "none"])
        .env("AWSOPS_SSH_FROM", "203.0.113.7/32")
        .run();
    assert_eq!(vpc.code, 0, "{}", vpc.stderr);
    let doc = efs(&moto.url()).args(["create", "--name", "drift"]).stdin(vpc.stdout.clone()).run().ok().remove(0);
    let fs_id = doc["file_system_id"].as_str().unwrap().to_owned();
    let nfs_group = doc["security_group_id"].as_str().unwrap().to_owned();
    let network = vpc.documents().remove(0);
    let web = network["security_groups"]["web"].as_str().unwrap().to_owned();

    // By hand: lifecycle changed, a client rule revoked, the NFS group taken off a mount target.
    let aws = Ec2View::new(&moto.url());
    let efs_client = emulator_client!(aws_sdk_efs, moto.url());
    let policy =
        aws_sdk_efs::types::LifecyclePolicy::builder().transition_to_ia(aws_sdk_efs::types::TransitionToIaRules::After7Days).build();
    aws.block(efs_client.put_lifecycle_configuration().file_system_id(&fs_id).lifecycle_policies(policy).send()).unwrap();
    let rule = aws_sdk_ec2::types::IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(2049)
        .to_port(2049)
        .user_id_group_pairs(aws_sdk_ec2::types::UserIdGroupPair::builder().group_id(&web).description("NFS client (efs-mount)").build())
        .build();
    aws.block(aws.client.revoke_security_group_ingress().group_id(&nfs_group).ip_permissions(rule).send()).unwrap();
    let target = doc["mount_targets"][0]["id"].as_str().unwrap().to_owned();
    let default_sg = aws
        .block(
            aws.client
                .describe_security_groups()
                .filters(aws_sdk_ec2::types::Filter::builder().name("group-name").values("default").build())
                .filters(aws_sdk_ec2::types::Filter::builder().name("vpc-id").values(network["vpc_id"].as_str().unwrap()).build())
                .send(),
        )
        .unwrap()
        .security_groups()[0]
        .group_id()
        .unwrap()
        .to_owned();
    aws.block(efs_client.modify_mount_target_security_groups().mount_target_id(&target).security_groups(&default_sg).send()).unwrap();

    let plan = efs(&moto.url()).args(["create", "--name", "drift", "--dry-run"]).stdin(vpc.stdout.clone()).run().ok().remove(0);
    let lines: Vec<&str> = plan["changes"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    let az = doc["mount_targets"][0]["az"].as_str().unwrap();
    assert_eq!(
        lines,
        [
            "lifecycle: to Infrequent Access after 30 days".to_owned(),
            format!("admit NFS from {web}"),
            format!("put the NFS group on mount target {target} in {az}"),
        ]
    );
    let done = efs(&moto.url()).args(["create", "--name", "drift"]).stdin(vpc.stdout.clone()).run().ok().remove(0);
    assert_eq!(done["changes"], plan["changes"]);
    let groups = aws.block(efs_client.describe_mount_target_security_groups().mount_target_id(&target).send()).unwrap();
    assert_eq!(groups.security_groups(), [default_sg, nfs_group], "the group it had is kept, ours added");
    let again = efs(&moto.url()).args(["create", "--name", "drift", "--dry-run"]).stdin(vpc.stdout.clone()).run().ok().remove(0);
    assert_eq!(again["changed"], false, "{again}");
}

#[test]
fn create_needs_subnets_and_makes_no_call_without_them() {
    let moto = Moto::start();
    let proxy = CallProxy::start(moto.addr(), Duration::ZERO).unwrap();
    // No --subnet, no document (stdin is not a pipe), then an empty pipe, then --from - on an empty pipe.
    efs(&proxy.url()).args(["create", "--name", "x", "--client-sg", "sg-0123abcd"]).run().usage_error("no subnets");
    efs(&proxy.url()).args(["create", "--name", "x", "--client-sg", "sg-0123abcd"]).stdin("").run().usage_error("no subnets");
    efs(&proxy.url()).args(["create", "--name", "x", "--from", "-"]).stdin("").run().usage_error("--from stdin: no documents");
    efs(&proxy.url())
        .args(["create", "--name", "x", "--subnet", "subnet-0123abcd,subnet-0123abcd", "--client-sg", "sg-0123abcd"])
        .run()
        .usage_error("given twice");
    // Flag values clap refuses (its message has more than one line): exit 2 all the same.
    for (args, needle) in
        [(["--subnet", "subnet-x y"], "subnet"), (["--timeout", "200000000000000d"], "duration"), (["--timeout", "0s"], "more than zero")]
    {
        let run = efs(&proxy.url()).args(["create", "--name", "x", "--client-sg", "sg-0123abcd"]).args(args).run();
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains(needle) && !run.stderr.contains("panicked"), "{}", run.stderr);
    }
    assert!(
        proxy.calls().is_empty(),
        "no AWS call before the input is known good: {:?}",
        proxy.calls().iter().map(|c| &c.action).collect::<Vec<_>>()
    );
}

#[test]
fn two_creates_at_once_end_with_one_set_of_resources() {
    let moto = Moto::start();
    let vpc = TestCommand::new("vpc-bootstrap", &moto.url())
        .args(["create", "race", "--cidr", "10.4.0.0/16", "--az", "a,c", "--nat", "none"])
        .env("AWSOPS_SSH_FROM", "203.0.113.7/32")
        .run();
    assert_eq!(vpc.code, 0, "{}", vpc.stderr);
    let dir = tempfile::tempdir().unwrap();
    let network = dir.path().join("vpc.json");
    std::fs::write(&network, &vpc.stdout).unwrap();
    // The same stack twice at once (a retried CI job): the creation token, the group's name
    // and one mount target per AZ make the loser find what the winner made.
    let runs: Vec<_> = (0..2)
        .map(|_| {
            efs(&moto.url()).args(["create", "--name", "race", "--from", network.to_str().unwrap()]).spawn(std::process::Stdio::piped())
        })
        .collect();
    let outputs: Vec<_> = runs.into_iter().map(|c| c.wait_with_output().unwrap()).collect();
    for out in &outputs {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let ids: Vec<serde_json::Value> =
        outputs.iter().map(|o| serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["file_system_id"].clone()).collect();
    assert_eq!(ids[0], ids[1], "one file system");
    let efs_client = emulator_client!(aws_sdk_efs, moto.url());
    let aws = Ec2View::new(&moto.url());
    assert_eq!(aws.block(efs_client.describe_file_systems().send()).unwrap().file_systems().len(), 1);
    let targets = aws.block(efs_client.describe_mount_targets().file_system_id(ids[0].as_str().unwrap()).send()).unwrap();
    assert_eq!(targets.mount_targets().len(), 2, "one mount target per AZ");
    let groups = aws
        .block(
            aws.client
                .describe_security_groups()
                .filters(aws_sdk_ec2::types::Filter::builder().name("tag:awsops:tool").values("efs-mount").build())
                .send(),
        )
        .unwrap();
    assert_eq!(groups.security_groups().len(), 1, "one NFS group");
    let again = efs(&moto.url()).args(["create", "--name", "race", "--from", network.to_str().unwrap(), "--dry-run"]).run().ok().remove(0);
    assert_eq!(again["changed"], false, "{again}");
}
