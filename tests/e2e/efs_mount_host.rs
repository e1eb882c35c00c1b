//! efs-mount on the client host, against moto and a scratch directory: the AZ from
//! instance metadata (a standard keep-alive HTTP/1.1 server answering like IMDSv2: moto's
//! metadata token lacks the TTL header AWS sends and the SDK requires), the exact mount command (a recording stand-in for `mount`), the fstab it
//! writes (checked with `findmnt --verify` and `mount --fake -a` in a private mount
//! namespace, as the system would read it), unmount, and every refusal before a change:
//! hostile documents, system directories, foreign fstab lines, unknown AZs, another file
//! system's access point, TLS without amazon-efs-utils.

use crate::aws_view::{Ec2View, emulator_client};
use crate::harness::{Moto, Run, TestCommand, check_schema};
use std::path::{Path, PathBuf};
use std::process::Command;

fn efs(endpoint: &str) -> TestCommand {
    TestCommand::new("efs-mount", endpoint)
}

/// The fstab as the system reads it: findmnt finds no error, no target twice, no odd path;
/// `mount --fake -a` (in a private mount namespace, so nothing is mounted) takes every
/// EFS/NFS line.
fn check_fstab_with_system_tools(path: &Path) {
    let out = Command::new("findmnt").arg("--verify").arg("--tab-file").arg(path).output().expect("findmnt (util-linux)");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "findmnt --verify failed:\n{text}\n{}", std::fs::read_to_string(path).unwrap());
    assert!(!text.contains("[E]") && !text.contains("more than once") && !text.contains("non-canonical"), "{text}");
    let out = Command::new("unshare")
        .args(["--mount", "mount", "--fake", "--all", "--verbose", "--types", "nfs4,efs", "--fstab"])
        .arg(path)
        .output()
        .expect("unshare and mount (util-linux)");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "mount --fake -a failed:\n{text}");
}

/// A refusal: status 2, nothing on stdout, one line naming the problem.
fn refused(run: Run, needle: &str) {
    run.usage_error(needle)
}

/// A file system in us-east-1 (the AZ moto's instance metadata reports is us-east-1a),
/// with mount targets in us-east-1a and us-east-1b.
fn east_file_system(moto: &Moto) -> String {
    east_file_system_named(moto, "east", "10.7")
}

pub(crate) fn east_file_system_named(moto: &Moto, name: &str, net: &str) -> String {
    let aws = Ec2View::new_in(&moto.url(), "us-east-1");
    let vpc =
        aws.block(aws.client.create_vpc().cidr_block(format!("{net}.0.0/16")).send()).unwrap().vpc().unwrap().vpc_id().unwrap().to_owned();
    let subnets: Vec<String> = ["a", "b"]
        .iter()
        .enumerate()
        .map(|(i, az)| {
            let s = aws
                .block(
                    aws.client
                        .create_subnet()
                        .vpc_id(&vpc)
                        .cidr_block(format!("{net}.{i}.0/24"))
                        .availability_zone(format!("us-east-1{az}"))
                        .send(),
                )
                .unwrap();
            s.subnet().unwrap().subnet_id().unwrap().to_owned()
        })
        .collect();
    let sg = aws.block(aws.client.create_security_group().group_name("web").description("web").vpc_id(&vpc).send()).unwrap();
    let run = efs(&moto.url())
        .args(["create", "--region", "us-east-1", "--name", name, "--subnet", &subnets.join(","), "--client-sg", sg.group_id().unwrap()])
        .args(["--access-point", "1000:1000:/tls"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

pub(crate) struct Host {
    imds: StandIn,
    dir: tempfile::TempDir,
}

impl Host {
    pub(crate) fn new() -> Host {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("fstab"), "# static file systems\ntmpfs /tmp tmpfs defaults 0 0").unwrap();
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
        Host { imds: StandIn::start(dir.path(), "us-east-1a"), dir }
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn args(&self, name: &str) -> Option<Vec<String>> {
        std::fs::read_to_string(self.path(&format!("{name}.args"))).ok().map(|t| t.lines().map(str::to_owned).collect())
    }

    fn flags(&self) -> Vec<String> {
        vec!["--fstab".into(), self.path("fstab").display().to_string(), "--mounts-file".into(), self.path("mounts").display().to_string()]
    }
}

/// `mount` with instance metadata (switched on for this command only) saying us-east-1a.
pub(crate) fn mount_cmd(moto: &Moto, host: &Host, mount_point: &Path, extra: &[&str]) -> TestCommand {
    efs(&moto.url())
        .env("AWS_EC2_METADATA_DISABLED", "false")
        .args(["mount", mount_point.to_str().unwrap(), "--region", "us-east-1", "--helper", "nfs", "--imds-endpoint", &host.imds.url()])
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
    assert_eq!(plan["host_az"], "us-east-1a", "from instance metadata (IMDSv2)");
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
    check_schema(&done).unwrap();
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
    assert_eq!(fstab, format!("# static file systems\ntmpfs /tmp tmpfs defaults 0 0\n{line}\n"));
    check_fstab_with_system_tools(&host.path("fstab"));
    assert_eq!(std::fs::read_to_string(host.path("fstab.awsops.bak")).unwrap(), "# static file systems\ntmpfs /tmp tmpfs defaults 0 0");

    // Mounted now: nothing to run, nothing to write.
    std::fs::write(host.path("mounts"), format!("127.0.0.1:/ {} nfs4 rw 0 0\n", mount_point.display())).unwrap();
    std::fs::remove_file(host.path("mount.args")).unwrap();
    let again = mount_cmd(&moto, &host, &mount_point, &["--check-port", &port]).stdin(document.clone()).run().ok().remove(0);
    assert_eq!((again["status"].as_str(), again["changed"].as_bool()), (Some("already-mounted"), Some(false)));
    assert!(host.args("mount").is_none());
    assert_eq!(std::fs::read_to_string(host.path("fstab")).unwrap(), fstab);

    // amazon-efs-utils: TLS, the chosen target pinned, an access point (of this file system), read-only.
    let access_point = serde_json::from_str::<serde_json::Value>(&document).unwrap()["access_points"][0]["id"].as_str().unwrap().to_owned();
    let efs_utils = efs(&moto.url())
        .args(["mount", host.path("tls").to_str().unwrap(), "--region", "us-east-1", "--az", "us-east-1a", "--helper", "efs"])
        .args(["--address", "127.0.0.1", "--access-point", &access_point, "--read-only", "--dry-run"])
        .args(host.flags())
        .stdin(document.clone())
        .run()
        .ok()
        .remove(0);
    assert_eq!(efs_utils["method"], "efs");
    let fs_id = efs_utils["file_system_id"].as_str().unwrap();
    let argv: Vec<&str> = efs_utils["commands"][0].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert_eq!(argv[1..5], ["-t", "efs", "-o", &format!("tls,mounttargetip=127.0.0.1,accesspoint={access_point},ro")]);
    assert_eq!(argv[5], format!("{fs_id}:/"));

    // Another AZ (one that exists, without a target): the target of a fixed AZ, flagged (and warned about).
    let other = mount_cmd(&moto, &host, &host.path("elsewhere"), &["--az", "us-east-1c", "--dry-run"]).stdin(document.clone()).run();
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
    assert_eq!(std::fs::read_to_string(host.path("fstab")).unwrap(), "# static file systems\ntmpfs /tmp tmpfs defaults 0 0\n");
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
    assert_eq!(std::fs::read_to_string(host.path("fstab")).unwrap(), before);

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
        efs(&moto.url()).args(["create", "--region", "us-east-1", "--name", "bad", "--subnet", subnets, "--client-sg", "sg-01234567"]).run()
    };
    create(&format!("{a1},{b2}")).usage_error("different VPCs");
    create(&format!("{a1},{a1bis}")).usage_error("two subnets in us-east-1a");
    create("subnet-0123456789abcdef0").usage_error("unknown subnet");
    let efs_client = emulator_client!(aws_sdk_efs, moto.url());
    let east =
        aws_sdk_efs::Client::from_conf(efs_client.config().to_builder().region(aws_sdk_efs::config::Region::new("us-east-1")).build());
    assert_eq!(aws.block(east.describe_file_systems().send()).unwrap().file_systems().len(), 1, "only the first file system exists");
}

/// A standard HTTP/1.1 server with keep-alive (python's http.server) standing in for IMDSv2:
/// a token from PUT, then the AZ only for a GET that carries it. It logs what it saw.
const IMDS_STAND_IN: &str = r#"
import http.server, sys
log = open(sys.argv[1], "a", buffering=1)
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def reply(self, code, body, headers={}):
        data = body.encode()
        self.send_response(code)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def do_PUT(self):
        ttl = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds")
        log.write(f"PUT {self.path} ttl={ttl}\n")
        if self.path == "/latest/api/token" and ttl:
            self.reply(200, "token-123", {"X-aws-ec2-metadata-token-ttl-seconds": ttl})
        else:
            self.reply(400, "bad request")
    def do_GET(self):
        ok = self.headers.get("X-aws-ec2-metadata-token") == "token-123"
        log.write(f"GET {self.path} token={'ok' if ok else 'missing'}\n")
        if not ok:
            self.reply(401, "unauthorized")
        elif self.path == "/latest/meta-data/placement/availability-zone":
            self.reply(200, sys.argv[2])
        else:
            self.reply(404, "not found")
    def log_message(self, *a):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
print(server.server_address[1], flush=True)
server.serve_forever()
"#;

struct StandIn {
    child: std::process::Child,
    port: u16,
    log: PathBuf,
}

impl StandIn {
    /// A metadata stand-in that says this host is in `az`.
    fn start(dir: &Path, az: &str) -> StandIn {
        use std::io::BufRead;
        let log = dir.join(format!("imds-{az}.log"));
        let mut child = Command::new("python3")
            .args(["-c", IMDS_STAND_IN])
            .arg(&log)
            .arg(az)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 for the metadata stand-in");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        StandIn { child, port: line.trim().parse().expect("the stand-in's port"), log }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_az_comes_from_a_standard_keep_alive_imdsv2_server_and_metadata_can_be_switched_off() {
    let moto = Moto::start();
    let document = east_file_system(&moto);
    let host = Host::new();
    let standin = StandIn::start(host.dir.path(), "us-east-1b");
    let url = standin.url();
    let plan = efs(&moto.url())
        .env("AWS_EC2_METADATA_DISABLED", "false")
        .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url)
        .args(["mount", host.path("shared").to_str().unwrap(), "--helper", "nfs", "--dry-run"])
        .args(host.flags())
        .stdin(document.clone())
        .run()
        .ok()
        .remove(0);
    assert_eq!(plan["host_az"], "us-east-1b", "from the stand-in, through AWS_EC2_METADATA_SERVICE_ENDPOINT");
    assert_eq!((plan["target"]["az"].as_str(), plan["cross_az"].as_bool()), (Some("us-east-1b"), Some(false)));
    let log = std::fs::read_to_string(&standin.log).unwrap();
    assert!(log.starts_with("PUT /latest/api/token ttl="), "IMDSv2: a token first\n{log}");
    assert!(log.contains("GET /latest/meta-data/placement/availability-zone token=ok"), "{log}");
    assert!(!log.contains("token=missing"), "{log}");

    // AWS_EC2_METADATA_DISABLED=true (the harness's default) is honoured: no lookup, a usage error.
    efs(&moto.url())
        .args(["mount", host.path("shared").to_str().unwrap(), "--helper", "nfs", "--imds-endpoint", &url, "--dry-run"])
        .args(host.flags())
        .stdin(document)
        .run()
        .usage_error("AWS_EC2_METADATA_DISABLED");
}

/// The document with one field replaced, as a hostile hand or a tampered pipe would.
fn altered(document: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut doc: serde_json::Value = serde_json::from_str(document).unwrap();
    edit(&mut doc);
    serde_json::to_string(&doc).unwrap()
}

#[test]
fn hostile_documents_system_directories_and_foreign_lines_change_nothing() {
    let moto = Moto::start();
    let document = east_file_system(&moto);
    let other = east_file_system_named(&moto, "other", "10.8");
    let host = Host::new();
    std::fs::write(host.path("fstab"), "# static\ntmpfs /tmp tmpfs defaults 0 0\n/dev/sdb1 /data ext4 defaults 0 2\n").unwrap();
    std::fs::write(host.path("mounts"), "/dev/sda1 /boot ext4 rw 0 0\n/dev/sdb1 /data ext4 rw 0 0\n").unwrap();
    let before = std::fs::read_to_string(host.path("fstab")).unwrap();
    let mp = host.path("shared");
    let mount = |mount_point: &str, doc: &str, extra: &[&str]| {
        let az: &[&str] = if extra.contains(&"--az") { &[] } else { &["--az", "us-east-1a"] };
        efs(&moto.url())
            .args(["mount", mount_point, "--region", "us-east-1", "--helper", "nfs", "--no-check"])
            .args(["--mount-program", host.path("fake-mount").to_str().unwrap()])
            .args(host.flags())
            .args(az)
            .args(extra)
            .stdin(doc.to_owned())
            .run()
    };
    let shared = mp.to_str().unwrap();

    // fstab injection through the file system id or a mount target's address: the published
    // schema refuses such documents too (it accepts the real one).
    let injected = "/dev/sda1 /y ext4 suid,dev,exec 0 0";
    let real: serde_json::Value = serde_json::from_str(&document).unwrap();
    check_schema(&real).unwrap();
    for hostile in [
        altered(&document, |d| d["file_system_id"] = format!("fs-0123abcd\n{injected}").into()),
        altered(&document, |d| d["mount_targets"][0]["ip"] = format!("10.7.0.9 /x\n{injected}").into()),
        altered(&document, |d| d["access_points"][0]["id"] = "fsap-0123abcd,rw".into()),
    ] {
        assert!(check_schema(&serde_json::from_str(&hostile).unwrap()).is_err(), "the schema refuses {hostile}");
    }
    refused(
        mount(shared, &altered(&document, |d| d["file_system_id"] = format!("fs-0123abcd:/ /x nfs4 hard 0 0\n{injected}\n#").into()), &[]),
        "file_system_id",
    );
    refused(
        mount(
            shared,
            &altered(&document, |d| d["mount_targets"][0]["ip"] = format!("10.7.0.9:/ /x nfs4 hard 0 0\n{injected}\n#").into()),
            &[],
        ),
        "mount target ip",
    );
    refused(mount(shared, &altered(&document, |d| d["mount_targets"][0]["ip"] = "010.7.0.9".into()), &[]), "mount target ip");
    // A newer schema, two documents where one is read, a document that does not match EFS.
    refused(mount(shared, &altered(&document, |d| d["schema_version"] = 2.into()), &[]), "newer than this reader's 1");
    refused(mount(shared, &format!("{document}{document}"), &[]), "expected one `efs` document, got 2");
    refused(mount(shared, &altered(&document, |d| d["file_system_id"] = "fs-0123456789abcdef0".into()), &[]), "does not exist");
    refused(mount(shared, &altered(&document, |d| d["mount_targets"][0]["ip"] = "10.9.9.9".into()), &[]), "according to EFS");
    // Unknown AZ, another file system's access point, TLS required without efs-utils.
    refused(mount(shared, &document, &["--az", "us-east-1z"]), "no such AZ");
    refused(mount(shared, &document, &["--az", "eu-west-1a"]), "not an AZ of us-east-1");
    let foreign_ap = serde_json::from_str::<serde_json::Value>(&other).unwrap()["access_points"][0]["id"].as_str().unwrap().to_owned();
    refused(
        efs(&moto.url())
            .args(["mount", shared, "--az", "us-east-1a", "--helper", "efs", "--access-point", &foreign_ap, "--dry-run"])
            .args(host.flags())
            .stdin(document.clone())
            .run(),
        "does not belong to file system",
    );
    refused(mount(shared, &altered(&document, |d| d["require_tls"] = true.into()), &[]), "amazon-efs-utils");
    // The system's own directories, a foreign line, a foreign mount.
    for system in ["/", "/boot", "/usr/", "/proc/1"] {
        refused(mount(system, &document, &[]), "mount point");
    }
    refused(mount("/data", &document, &[]), "ext4 mount of \"/dev/sdb1\"");
    refused(mount("/etc/ssh", &document, &[]), "mount point");
    // A link planted where the mount point will be (e.g. by another user in /tmp) would put
    // the file system over /etc: refused.
    std::os::unix::fs::symlink("/etc", host.path("planted")).unwrap();
    refused(mount(host.path("planted").to_str().unwrap(), &document, &[]), "symbolic link");
    refused(mount(host.path("planted/below").to_str().unwrap(), &document, &[]), "symbolic link");
    // Another file system's line, or another server's, for the mount point is not replaced.
    let fs_line = format!("{before}fs-99999999:/ {shared} efs tls,_netdev,nofail 0 0\n");
    std::fs::write(host.path("fstab"), &fs_line).unwrap();
    refused(mount(shared, &document, &[]), "not one efs-mount manages for this file system");
    std::fs::write(host.path("fstab"), &before).unwrap();
    let data = host.path("data");
    std::fs::write(host.path("fstab"), format!("{before}/dev/sdc1 {} ext4 defaults 0 2\n", data.display())).unwrap();
    refused(mount(data.to_str().unwrap(), &document, &[]), "not one efs-mount manages");
    std::fs::write(host.path("fstab"), &before).unwrap();
    // Control characters that fstab would split on or hide.
    for odd in ["\r", "\u{b}", "\n"] {
        refused(mount(&format!("{shared}{odd}x"), &document, &[]), "control character");
    }
    assert!(host.args("mount").is_none(), "nothing was mounted");
    assert_eq!(std::fs::read_to_string(host.path("fstab")).unwrap(), before, "fstab untouched");

    let unmount = |mount_point: &str| {
        efs(&moto.url())
            .args(["unmount", mount_point, "--yes", "--umount-program", host.path("fake-umount").to_str().unwrap()])
            .args(host.flags())
            .run()
    };
    refused(unmount("/"), "mount point");
    refused(unmount("/boot"), "mount point");
    refused(unmount("/data"), "ext4 mount");
    assert!(host.args("umount").is_none(), "nothing was unmounted");
    assert_eq!(std::fs::read_to_string(host.path("fstab")).unwrap(), before);
}

#[test]
fn unusual_mount_point_names_get_one_line_that_the_system_reads_back() {
    let moto = Moto::start();
    let document = east_file_system(&moto);
    let host = Host::new();
    std::fs::write(host.path("doc.json"), &document).unwrap();
    for name in ["with space", "nb\u{a0}sp", "back\\slash", "hash#not-a-comment"] {
        let mp = host.path(name);
        let mount = || {
            efs(&moto.url())
                .args(["mount", mp.to_str().unwrap(), "--az", "us-east-1a", "--helper", "nfs", "--address", "127.0.0.1", "--no-check"])
                .args(["--mount-program", host.path("fake-mount").to_str().unwrap()])
                .args(host.flags())
                .stdin(document.clone())
                .run()
                .ok()
                .remove(0)
        };
        assert_eq!(mount()["status"], "mounted", "{name:?}");
        let fstab = std::fs::read_to_string(host.path("fstab")).unwrap();
        // A re-run (not mounted per the table, so it mounts again) keeps exactly one line.
        mount();
        assert_eq!(std::fs::read_to_string(host.path("fstab")).unwrap(), fstab, "{name:?}: no duplicate line");
        check_fstab_with_system_tools(&host.path("fstab"));
    }
    let fstab = std::fs::read_to_string(host.path("fstab")).unwrap();
    assert_eq!(fstab.lines().filter(|l| l.contains("127.0.0.1:/")).count(), 4, "{fstab}");

    // Ten mounts at once on one fstab (a fleet's user-data scripts): no line is lost.
    let runs: Vec<_> = (0..10)
        .map(|i| {
            efs(&moto.url())
                .args(["mount", host.path(&format!("parallel-{i}")).to_str().unwrap(), "--az", "us-east-1a", "--helper", "nfs"])
                .args(["--address", "127.0.0.1", "--no-check", "--offline", "--from", host.path("doc.json").to_str().unwrap()])
                .args(["--mount-program", host.path("fake-mount").to_str().unwrap()])
                .args(host.flags())
                .spawn(std::process::Stdio::null())
        })
        .collect::<Vec<_>>();
    for run in runs {
        let out = run.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let fstab = std::fs::read_to_string(host.path("fstab")).unwrap();
    assert_eq!(fstab.lines().filter(|l| l.contains("/parallel-")).count(), 10, "{fstab}");
    check_fstab_with_system_tools(&host.path("fstab"));

    // A symlinked fstab is written through (the link stays) and keeps its mode.
    let real = host.path("real-fstab");
    std::fs::write(&real, "# real\n").unwrap();
    std::fs::set_permissions(&real, std::os::unix::fs::PermissionsExt::from_mode(0o640)).unwrap();
    let link = host.path("linked-fstab");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    efs(&moto.url())
        .args([
            "mount",
            host.path("via-link").to_str().unwrap(),
            "--az",
            "us-east-1a",
            "--helper",
            "nfs",
            "--address",
            "127.0.0.1",
            "--no-check",
        ])
        .args(["--mount-program", host.path("fake-mount").to_str().unwrap(), "--fstab", link.to_str().unwrap()])
        .args(["--mounts-file", host.path("mounts").to_str().unwrap()])
        .stdin(document)
        .run()
        .ok();
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert!(std::fs::read_to_string(&real).unwrap().contains("via-link"));
    assert_eq!(std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&real).unwrap().permissions()) & 0o777, 0o640);
}
