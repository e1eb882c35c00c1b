//! efs-mount against moto and a scratch directory: `vpc-bootstrap | efs-mount create`
//! (encrypted, backups, lifecycle, one mount target per AZ in the private subnets, NFS
//! admitted from the web and private groups) and a re-run that only reads; the mount path
//! up to the exact command (a recording stand-in for `mount`) and the fstab it writes,
//! with the AZ from moto's instance metadata and the reachability check against a local
//! listener; unmount; destroy; refusals before any change.

use crate::aws_view::{Ec2View, emulator_client};
use crate::harness::{CallProxy, Moto, TestCommand};
use std::path::{Path, PathBuf};
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
    let doc = efs(&proxy.url()).args(args).stdin(vpc.stdout.clone()).run().ok().remove(0);
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

    // Destroy: refused off a terminal without --yes; then nothing of it is left.
    efs(&moto.url()).args(["destroy", "shared"]).run().usage_error("--yes");
    let gone = efs(&moto.url()).args(["destroy", "shared", "--yes"]).run().ok().remove(0);
    assert_eq!(gone["state"], "deleted");
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

/// A file system in us-east-1 (the AZ moto's instance metadata reports is us-east-1a),
/// with mount targets in us-east-1a and us-east-1b.
fn east_file_system(moto: &Moto) -> String {
    let aws = Ec2View::new_in(&moto.url(), "us-east-1");
    let vpc = aws.block(aws.client.create_vpc().cidr_block("10.7.0.0/16").send()).unwrap().vpc().unwrap().vpc_id().unwrap().to_owned();
    let subnets: Vec<String> = ["a", "b"]
        .iter()
        .enumerate()
        .map(|(i, az)| {
            let s = aws
                .block(
                    aws.client
                        .create_subnet()
                        .vpc_id(&vpc)
                        .cidr_block(format!("10.7.{i}.0/24"))
                        .availability_zone(format!("us-east-1{az}"))
                        .send(),
                )
                .unwrap();
            s.subnet().unwrap().subnet_id().unwrap().to_owned()
        })
        .collect();
    let sg = aws.block(aws.client.create_security_group().group_name("web").description("web").vpc_id(&vpc).send()).unwrap();
    let run = efs(&moto.url())
        .args(["create", "--region", "us-east-1", "--name", "east", "--subnet", &subnets.join(","), "--client-sg", sg.group_id().unwrap()])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

struct Host {
    dir: tempfile::TempDir,
}

impl Host {
    fn new() -> Host {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("fstab"), "# static file systems\nUUID=1 / ext4 defaults 0 1").unwrap();
        std::fs::write(dir.path().join("mounts"), "proc /proc proc rw 0 0\n").unwrap();
        // Stand-ins for mount/umount that record their argv (one per line) and succeed.
        for name in ["mount", "umount"] {
            let script = dir.path().join(format!("fake-{name}"));
            std::fs::write(
                &script,
                format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n", dir.path().join(format!("{name}.args")).display()),
            )
            .unwrap();
            std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        }
        Host { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn args(&self, name: &str) -> Option<Vec<String>> {
        std::fs::read_to_string(self.path(&format!("{name}.args"))).ok().map(|t| t.lines().map(str::to_owned).collect())
    }

    fn flags(&self) -> Vec<String> {
        vec!["--fstab".into(), self.path("fstab").display().to_string(), "--mounts-file".into(), self.path("mounts").display().to_string()]
    }
}

fn mount_cmd(moto: &Moto, host: &Host, mount_point: &Path, extra: &[&str]) -> TestCommand {
    efs(&moto.url())
        .args(["mount", mount_point.to_str().unwrap(), "--region", "us-east-1", "--helper", "nfs", "--imds-endpoint", &moto.url()])
        .args(["--address", "127.0.0.1", "--mount-program", host.path("fake-mount").to_str().unwrap()])
        .args(host.flags())
        .args(extra)
}

#[test]
fn mount_takes_the_hosts_az_from_metadata_runs_the_exact_command_and_writes_fstab() {
    let moto = Moto::start();
    let document = east_file_system(&moto);
    let host = Host::new();
    let mount_point = host.path("shared");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();

    let plan = mount_cmd(&moto, &host, &mount_point, &["--check-port", &port, "--dry-run"]).stdin(document.clone()).run().ok().remove(0);
    assert_eq!(plan["status"], "planned");
    assert_eq!(plan["host_az"], "us-east-1a", "from moto's instance metadata (IMDSv2)");
    assert_eq!(plan["target"]["az"], "us-east-1a");
    assert_eq!(plan["cross_az"], false);
    let line = format!(
        "127.0.0.1:/ {} nfs4 nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport,_netdev,nofail 0 0",
        mount_point.display()
    );
    assert_eq!(plan["fstab_diff"], serde_json::json!([format!("+{line}")]));
    assert!(host.args("mount").is_none() && !mount_point.exists(), "a dry run runs nothing");

    let done = mount_cmd(&moto, &host, &mount_point, &["--check-port", &port]).stdin(document.clone()).run().ok().remove(0);
    assert_eq!(done["status"], "mounted");
    let argv = host.args("mount").expect("mount was run");
    assert_eq!(
        argv,
        [
            "-t",
            "nfs4",
            "-o",
            "nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport",
            "127.0.0.1:/",
            mount_point.to_str().unwrap()
        ]
    );
    assert!(mount_point.is_dir());
    let fstab = std::fs::read_to_string(host.path("fstab")).unwrap();
    assert_eq!(fstab, format!("# static file systems\nUUID=1 / ext4 defaults 0 1\n{line}\n"));
    assert_eq!(std::fs::read_to_string(host.path("fstab.awsops.bak")).unwrap(), "# static file systems\nUUID=1 / ext4 defaults 0 1");

    // Mounted now: nothing to run, nothing to write.
    std::fs::write(host.path("mounts"), format!("127.0.0.1:/ {} nfs4 rw 0 0\n", mount_point.display())).unwrap();
    std::fs::remove_file(host.path("mount.args")).unwrap();
    let again = mount_cmd(&moto, &host, &mount_point, &["--check-port", &port]).stdin(document.clone()).run().ok().remove(0);
    assert_eq!((again["status"].as_str(), again["changed"].as_bool()), (Some("already-mounted"), Some(false)));
    assert!(host.args("mount").is_none());
    assert_eq!(std::fs::read_to_string(host.path("fstab")).unwrap(), fstab);

    // amazon-efs-utils: TLS, the chosen target pinned, an access point, read-only.
    let efs_utils = efs(&moto.url())
        .args(["mount", host.path("tls").to_str().unwrap(), "--region", "us-east-1", "--az", "us-east-1a", "--helper", "efs"])
        .args(["--address", "127.0.0.1", "--access-point", "fsap-0123", "--read-only", "--dry-run"])
        .args(host.flags())
        .stdin(document.clone())
        .run()
        .ok()
        .remove(0);
    assert_eq!(efs_utils["method"], "efs");
    let fs_id = efs_utils["file_system_id"].as_str().unwrap();
    let argv: Vec<&str> = efs_utils["commands"][0].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert_eq!(argv[1..5], ["-t", "efs", "-o", "tls,mounttargetip=127.0.0.1,accesspoint=fsap-0123,ro"]);
    assert_eq!(argv[5], format!("{fs_id}:/"));

    // Another AZ: the target of a fixed AZ, flagged (and warned about).
    let other = mount_cmd(&moto, &host, &host.path("elsewhere"), &["--az", "us-east-1f", "--dry-run"]).stdin(document.clone()).run();
    let other_doc = other.documents().remove(0);
    assert_eq!(other_doc["cross_az"], true);
    assert!(other.stderr.contains("cross-AZ"), "{}", other.stderr);

    // Unmount: refused without --yes off a terminal; then umount runs and the line goes.
    let unmount = |extra: &[&str]| {
        efs(&moto.url())
            .args(["unmount", mount_point.to_str().unwrap(), "--umount-program", host.path("fake-umount").to_str().unwrap()])
            .args(host.flags())
            .args(extra)
            .run()
    };
    unmount(&[]).usage_error("--yes");
    let gone = unmount(&["--yes"]).ok().remove(0);
    assert_eq!(gone["status"], "unmounted");
    assert_eq!(host.args("umount").unwrap(), [mount_point.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(host.path("fstab")).unwrap(), "# static file systems\nUUID=1 / ext4 defaults 0 1\n");
}

#[test]
fn an_unreachable_target_and_bad_input_change_nothing() {
    let moto = Moto::start();
    let document = east_file_system(&moto);
    let host = Host::new();
    let mount_point = host.path("shared");
    let before = std::fs::read_to_string(host.path("fstab")).unwrap();

    // Nothing listens on the probed port: exit 1 naming security groups; no mount, no fstab change.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port().to_string();
    drop(closed);
    let run = mount_cmd(&moto, &host, &mount_point, &["--check-port", &port]).stdin(document.clone()).run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("security group"), "{}", run.stderr);
    assert!(host.args("mount").is_none());
    assert_eq!(std::fs::read_to_string(host.path("fstab")).unwrap(), before);

    // A mount point that is a file; an fstab that cannot be written.
    std::fs::write(host.path("file"), "x").unwrap();
    mount_cmd(&moto, &host, &host.path("file"), &[]).stdin(document.clone()).run().usage_error("is not a directory");
    efs(&moto.url())
        .args(["mount", mount_point.to_str().unwrap(), "--az", "us-east-1a", "--helper", "nfs", "--fstab", "/nonexistent-dir/fstab"])
        .args(["--mounts-file", host.path("mounts").to_str().unwrap()])
        .stdin(document.clone())
        .run()
        .usage_error("not writable");
    efs(&moto.url())
        .args(["mount", mount_point.to_str().unwrap()])
        .stdin("{\"kind\":\"vpc\",\"schema_version\":1}\n")
        .run()
        .usage_error("`vpc`");

    // The AWS side: unknown file system, subnets of two VPCs, two subnets in one AZ.
    efs(&moto.url()).args(["status", "fs-0123456789abcdef0", "--region", "us-east-1"]).run().usage_error("no EFS file system");
    let aws = Ec2View::new_in(&moto.url(), "us-east-1");
    let subnet = |cidr_vpc: &str, cidr: &str, az: &str| {
        let vpc = aws.block(aws.client.create_vpc().cidr_block(cidr_vpc).send()).unwrap().vpc().unwrap().vpc_id().unwrap().to_owned();
        let s = aws.block(aws.client.create_subnet().vpc_id(&vpc).cidr_block(cidr).availability_zone(az).send()).unwrap();
        (vpc, s.subnet().unwrap().subnet_id().unwrap().to_owned())
    };
    let (vpc1, a1) = subnet("10.20.0.0/16", "10.20.0.0/24", "us-east-1a");
    let (_, b2) = subnet("10.21.0.0/16", "10.21.0.0/24", "us-east-1b");
    let a1bis =
        aws.block(aws.client.create_subnet().vpc_id(&vpc1).cidr_block("10.20.1.0/24").availability_zone("us-east-1a").send()).unwrap();
    let a1bis = a1bis.subnet().unwrap().subnet_id().unwrap().to_owned();
    let create = |subnets: &str| {
        efs(&moto.url()).args(["create", "--region", "us-east-1", "--name", "bad", "--subnet", subnets, "--client-sg", "sg-1"]).run()
    };
    create(&format!("{a1},{b2}")).usage_error("different VPCs");
    create(&format!("{a1},{a1bis}")).usage_error("two subnets in us-east-1a");
    create("subnet-nope").usage_error("unknown subnet");
    let efs_client = emulator_client!(aws_sdk_efs, moto.url());
    let east =
        aws_sdk_efs::Client::from_conf(efs_client.config().to_builder().region(aws_sdk_efs::config::Region::new("us-east-1")).build());
    assert_eq!(aws.block(east.describe_file_systems().send()).unwrap().file_systems().len(), 1, "only the first file system exists");
}
