//! bastion-ssh against real OpenSSH servers: the bastion's sshd in one network namespace,
//! the target's in another reachable only through the bastion (a direct connect fails);
//! instances registered in moto, resolved through it, and mapped to the servers with
//! --resolve. Exit statuses, stdin, 64 MiB each way checksummed, host keys unknown /
//! recorded / changed, a loose key file, ambiguous targets, fan-out documents, forwards,
//! a config `ssh -G` accepts, and Instance Connect's pushed keys. Each test runs in a
//! network namespace of its own (only `lo`, plus the lab's veth pairs).

use crate::aws_view::Ec2View;
use crate::harness::{CallProxy, Moto, TestCommand};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::Duration;
use xtask::ssh_lab::SshLab;

struct Fleet {
    moto: Moto,
    lab: SshLab,
    bastion_id: String,
    bastion_ip: String,
    web: Vec<(String, String)>,
    known_hosts: PathBuf,
}

/// A VPC with a bastion (tagged as the stack's) and two web servers (role=web) in moto.
fn fleet(accept_any_key: bool) -> Fleet {
    let moto = Moto::start();
    let lab = SshLab::start(accept_any_key);
    let aws = Ec2View::new(&moto.url());
    let mut launched =
        aws.launch_lab(&[("bastion", ("awsops:role", "bastion")), ("web-1", ("role", "web")), ("web-2", ("role", "web"))]).into_iter();
    let (bastion_id, bastion_ip) = launched.next().unwrap();
    let web: Vec<(String, String)> = launched.collect();
    let known_hosts = lab.dir.join("known_hosts");
    Fleet { moto, lab, bastion_id, bastion_ip, web, known_hosts }
}

impl Fleet {
    /// The subcommand and its arguments, then the flags every test run needs.
    fn cmd(&self, endpoint: &str, sub: &[&str]) -> TestCommand {
        let mut maps = vec![(self.bastion_ip.as_str(), self.lab.bastion)];
        maps.extend(self.web.iter().map(|(_, ip)| (ip.as_str(), self.lab.target)));
        TestCommand::new("bastion-ssh", endpoint).args(sub).args(crate::harness::hop_flags(&self.known_hosts, &self.lab.client_key, &maps))
    }

    fn exec(&self, target: &str, command: &[&str]) -> TestCommand {
        self.cmd(&self.moto.url(), &["exec", target]).args(["--"]).args(command)
    }

    fn trust_both(&self) {
        let lines = format!(
            "{}\n{}\n{}\n",
            self.lab.known_hosts_line(&self.bastion_ip, true),
            self.lab.known_hosts_line(&self.web[0].1, false),
            self.lab.known_hosts_line(&self.web[1].1, false)
        );
        std::fs::write(&self.known_hosts, lines).unwrap();
    }
}

#[test]
fn exec_statuses_stdin_and_64_mib_each_way_through_the_jump() {
    if crate::harness::in_own_netns("bastion_ssh::exec_statuses_stdin_and_64_mib_each_way_through_the_jump") {
        return;
    }
    let f = fleet(false);
    f.trust_both();
    // The target is not reachable from here: only through the bastion.
    assert!(TcpStream::connect_timeout(&f.lab.target, Duration::from_secs(2)).is_err(), "the target must not be directly reachable");

    let ok = f.exec("web-1", &["sh", "-c", "echo out; echo err >&2"]).run();
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert_eq!(ok.stdout, "out\n");
    assert!(ok.stderr.contains("err"), "{}", ok.stderr);
    assert_eq!(f.exec("web-1", &["sh", "-c", "exit 3"]).run().code, 3);
    assert_eq!(f.exec(&f.web[0].0, &["false"]).run().code, 1, "by instance id");
    let echoed = f.exec(&f.web[0].1, &["cat"]).stdin("hello through two hops\n").run();
    assert_eq!(echoed.stdout, "hello through two hops\n", "by private IP, with stdin: {}", echoed.stderr);

    // The bastion named explicitly, or taken from a `vpc` document, instead of found by its tag.
    let url = f.moto.url();
    assert_eq!(f.cmd(&url, &["exec", "web-1", "--bastion", "bastion"]).args(["--", "true"]).run().code, 0);
    assert_eq!(f.cmd(&url, &["exec", "web-1", "--bastion", &f.bastion_id]).args(["--", "true"]).run().code, 0);
    let doc = serde_json::json!({"kind": "vpc", "schema_version": 1, "name": "lab", "region": crate::harness::REGION, "vpc_id": "vpc-lab",
        "cidr": "10.1.0.0/16", "bastion": {"instance_id": f.bastion_id, "state": "running", "subnet_id": "subnet-lab"}});
    let doc_file = f.lab.dir.join("vpc.json");
    std::fs::write(&doc_file, format!("{doc}\n")).unwrap();
    let from_doc = f.cmd(&url, &["exec", "web-1", "--from", doc_file.to_str().unwrap()]).args(["--", "true"]).run();
    assert_eq!(from_doc.code, 0, "{}", from_doc.stderr);

    // 64 MiB up (checksummed remotely) and 64 MiB down (a file the target's sshd can read).
    let data = crate::harness::pseudo_random(64 << 20);
    let want = crate::harness::sha256(&data);
    let up = f.exec("web-1", &["sha256sum"]).stdin(data.clone()).run();
    assert_eq!(up.code, 0, "{}", up.stderr);
    assert_eq!(up.stdout.split_whitespace().next(), Some(want.as_str()));
    let file = f.lab.dir.join("big.bin");
    std::fs::write(&file, &data).unwrap();
    let mut child = f.exec("web-1", &["cat", file.to_str().unwrap()]).spawn(std::process::Stdio::piped());
    let mut got = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut got).unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(got.len(), data.len());
    assert_eq!(crate::harness::sha256(&got), want);
}

#[test]
fn host_keys_unknown_recorded_and_changed() {
    if crate::harness::in_own_netns("bastion_ssh::host_keys_unknown_recorded_and_changed") {
        return;
    }
    let f = fleet(false);
    // Unknown: refused with the fingerprint, exit 255 like ssh.
    let refused = f.exec("web-1", &["true"]).run();
    assert_eq!(refused.code, 255, "{}", refused.stderr);
    assert!(refused.stderr.contains("unknown host key") && refused.stderr.contains("SHA256:"), "{}", refused.stderr);
    // --accept-new records both hops; then plain runs work.
    let recorded = TestCommand::new("bastion-ssh", &f.moto.url())
        .args([
            "exec",
            "web-1",
            "--accept-new",
            "--user",
            "root",
            "--known-hosts",
            f.known_hosts.to_str().unwrap(),
            "-i",
            f.lab.client_key.to_str().unwrap(),
        ])
        .args([
            "--resolve",
            &format!("{}={}", f.bastion_ip, f.lab.bastion),
            "--resolve",
            &format!("{}={}", f.web[0].1, f.lab.target),
            "--",
            "true",
        ])
        .run();
    assert_eq!(recorded.code, 0, "{}", recorded.stderr);
    let known = std::fs::read_to_string(&f.known_hosts).unwrap();
    assert_eq!(known.lines().count(), 2, "{known}");
    assert!(known.contains(&f.bastion_ip) && known.contains(&f.web[0].1));
    assert_eq!(f.exec("web-1", &["true"]).run().code, 0);
    // Changed: the target's line now holds another key: refused even with --accept-new, naming the line.
    let other = f.lab.dir.join("other_host_key");
    std::process::Command::new("ssh-keygen").args(["-q", "-t", "ed25519", "-N", "", "-f"]).arg(&other).status().unwrap();
    let other_pub = std::fs::read_to_string(other.with_extension("pub")).unwrap();
    let mut parts = other_pub.split_whitespace();
    let changed: String = known
        .lines()
        .map(|l| {
            if l.starts_with(&f.web[0].1) {
                format!("{} {} {}", f.web[0].1, parts.next().unwrap(), parts.next().unwrap())
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&f.known_hosts, changed + "\n").unwrap();
    let refused = f.exec("web-1", &["true"]).run();
    assert_eq!(refused.code, 255);
    assert!(
        refused.stderr.contains("HOST KEY CHANGED") && refused.stderr.contains(&format!("{}:2", f.known_hosts.display())),
        "{}",
        refused.stderr
    );
}

#[test]
fn bad_keys_ambiguous_targets_fan_out_forwards_and_config() {
    if crate::harness::in_own_netns("bastion_ssh::bad_keys_ambiguous_targets_fan_out_forwards_and_config") {
        return;
    }
    let f = fleet(false);
    f.trust_both();
    let moto = f.moto.url();

    // A key readable by others is refused before connecting.
    let loose = f.lab.dir.join("loose_key");
    std::fs::copy(&f.lab.client_key, &loose).unwrap();
    std::fs::set_permissions(&loose, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    TestCommand::new("bastion-ssh", &moto)
        .args(["exec", "web-1", "-i", loose.to_str().unwrap(), "--", "true"])
        .run()
        .usage_error("readable by others");

    // Ambiguous: two instances named alike; the candidates are listed as JSON.
    let aws = Ec2View::new(&moto);
    aws.block(
        aws.client.create_tags().resources(&f.web[1].0).tags(aws_sdk_ec2::types::Tag::builder().key("Name").value("web-1").build()).send(),
    )
    .unwrap();
    f.exec("web-1", &["true"]).run().usage_error("2 instances match web-1");
    let stopped = f.cmd(&moto, &["exec", "nope"]).args(["--", "true"]).run();
    assert_eq!(stopped.code, 2);

    // A tag runs on every match: one `exec` document each.
    let proxy = CallProxy::start(f.moto.addr(), Duration::ZERO).unwrap();
    let fan = f.cmd(&proxy.url(), &["exec", "role=web"]).args(["--", "sh", "-c", "echo hi"]).run();
    assert_eq!(fan.code, 0, "{}", fan.stderr);
    let docs = fan.documents();
    assert_eq!(docs.len(), 2);
    for d in &docs {
        assert_eq!((d["kind"].as_str(), d["exit_status"].as_i64(), d["stdout"].as_str()), (Some("exec"), Some(0), Some("hi\n")));
        assert!(d["duration_ms"].as_u64().is_some());
    }
    let failing = f.cmd(&moto, &["exec", "role=web"]).args(["--", "sh", "-c", "exit 5"]).run();
    assert_eq!(failing.code, 1);
    assert!(failing.documents().iter().all(|d| d["exit_status"] == 5));

    // Forwards: two -L through the target session: a web server inside the target's namespace, and its sshd.
    let mut server = f.lab.spawn_in_target(&["python3", "-m", "http.server", "8000", "--bind", "127.0.0.1", "--directory", "/"]);
    std::thread::sleep(Duration::from_millis(800));
    let (p1, p2) = (crate::harness::free_port(), crate::harness::free_port());
    let mut fwd = f
        .cmd(
            &moto,
            &["forward", &f.web[0].0, "-L", &format!("{p1}:127.0.0.1:8000"), "-L", &format!("127.0.0.1:{p2}:{}:22", f.lab.target.ip())],
        )
        .spawn(std::process::Stdio::null());
    let http = (0..50)
        .find_map(|_| {
            std::thread::sleep(Duration::from_millis(100));
            let mut s = TcpStream::connect(("127.0.0.1", p1)).ok()?;
            s.write_all(b"GET / HTTP/1.0\r\n\r\n").ok()?;
            let mut body = String::new();
            s.read_to_string(&mut body).ok()?;
            body.starts_with("HTTP/1.0 200").then_some(body)
        })
        .expect("the forward answers");
    assert!(http.contains("Directory listing"), "{http}");
    let mut banner = [0u8; 8];
    TcpStream::connect(("127.0.0.1", p2)).unwrap().read_exact(&mut banner).unwrap();
    assert_eq!(&banner, b"SSH-2.0-");
    let _ = fwd.kill();
    let _ = fwd.wait();
    let _ = server.kill();
    let _ = server.wait();

    // Config: a managed block that plain ssh accepts.
    let config = f.lab.dir.join("ssh_config");
    std::fs::write(&config, "Host mine\n  User me\n").unwrap();
    let written = f.cmd(&moto, &["config", "--file", config.to_str().unwrap()]).run().ok().remove(0);
    assert_eq!(written["changed"], true);
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.ends_with("Host mine\n  User me\n") && text.contains("ProxyJump aws-bastion"), "{text}");
    // Both instances are named web-1 now: one keeps the name, the other is known by its id;
    // every alias has the namespace (no stack tag here: aws-).
    let hosts: Vec<&str> = written["hosts"].as_array().unwrap().iter().map(|h| h.as_str().unwrap()).collect();
    assert_eq!(hosts.len(), 3, "{hosts:?}");
    assert!(hosts.contains(&"aws-bastion") && hosts.contains(&"aws-web-1"), "{hosts:?}");
    for alias in &hosts[1..] {
        let g = std::process::Command::new("ssh").args(["-G", "-F", config.to_str().unwrap(), alias]).output().unwrap();
        assert!(g.status.success(), "{}", String::from_utf8_lossy(&g.stderr));
        let g = String::from_utf8_lossy(&g.stdout);
        assert!(f.web.iter().any(|(_, ip)| g.contains(&format!("hostname {ip}\n"))), "{g}");
        assert!(g.contains("proxyjump aws-bastion"), "{g}");
    }
    let again = f.cmd(&moto, &["config", "--file", config.to_str().unwrap()]).run().ok().remove(0);
    assert_eq!(again["changed"], false);
}

#[test]
fn instance_connect_pushes_a_one_minute_key_to_each_hop() {
    if crate::harness::in_own_netns("bastion_ssh::instance_connect_pushes_a_one_minute_key_to_each_hop") {
        return;
    }
    let f = fleet(true);
    f.trust_both();
    let proxy = CallProxy::start(f.moto.addr(), Duration::ZERO).unwrap();
    let mut c = TestCommand::new("bastion-ssh", &proxy.url()).args(["exec", "web-1", "--instance-connect", "--user", "root"]);
    c = c.args(["--known-hosts", f.known_hosts.to_str().unwrap()]);
    c = c.args(["--resolve", &format!("{}={}", f.bastion_ip, f.lab.bastion), "--resolve", &format!("{}={}", f.web[0].1, f.lab.target)]);
    // The key lives in memory only: nothing is made in TMPDIR (nor anywhere else on disk).
    let tmp = tempfile::tempdir().unwrap();
    let run = c.env("TMPDIR", tmp.path().to_str().unwrap()).args(["--", "echo", "pushed"]).run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "pushed\n");
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0, "no key files left in TMPDIR");
    let pushes = proxy.calls().iter().filter(|c| c.action == "SendSSHPublicKey").count();
    assert_eq!(pushes, 2, "one key pushed to the bastion and one to the target");
}

#[test]
fn shell_gets_a_pty_of_the_terminals_size_follows_resizes_and_restores_the_terminal() {
    if crate::harness::in_own_netns("bastion_ssh::shell_gets_a_pty_of_the_terminals_size_follows_resizes_and_restores_the_terminal") {
        return;
    }
    let f = fleet(false);
    f.trust_both();
    let binary = crate::harness::binary("bastion-ssh");
    let flags = format!(
        "--user root --known-hosts {} -i {} --resolve {}={} --resolve {}={}",
        f.known_hosts.display(),
        f.lab.client_key.display(),
        f.bastion_ip,
        f.lab.bastion,
        f.web[0].1,
        f.lab.target
    );
    // Inside a pseudo-terminal made by script(1): a 40x100 terminal, the shell started in the
    // background on it, resized to 50x120 after a second (SIGWINCH), and the terminal's
    // settings compared before and after.
    let inner = format!(
        "stty rows 40 cols 100; before=$(stty -g); {} shell web-1 {flags} < /dev/tty & pid=$!; sleep 2; stty rows 50 cols 120; kill -WINCH $pid; wait $pid; rc=$?; \
         echo; echo status=$rc; [ \"$(stty -g)\" = \"$before\" ] && echo restored",
        binary.display()
    );
    let mut child = std::process::Command::new("script")
        .args(["-qec", &inner, "/dev/null"])
        .env("AWS_ENDPOINT_URL", f.moto.url())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", crate::harness::REGION)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1200));
        let _ = stdin.write_all(b"stty size; echo first-$((6*7))\n");
        std::thread::sleep(Duration::from_millis(2500));
        let _ = stdin.write_all(b"stty size; echo second-$((6*7)); exit 7\n");
        std::thread::sleep(Duration::from_secs(3));
    });
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("40 100") && text.contains("first-42"), "the PTY has the terminal's size: {text}");
    assert!(text.contains("50 120") && text.contains("second-42"), "a resize reaches the remote PTY: {text}");
    assert!(text.contains("status=7"), "the shell's exit status: {text}");
    assert!(text.contains("restored"), "the terminal is restored: {text}");
}
