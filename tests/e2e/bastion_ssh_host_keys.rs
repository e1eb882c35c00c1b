//! bastion-ssh's host-key verdicts against OpenSSH's own, case by case: the same
//! known_hosts files (plain, hashed, `[host]:port`, patterns with negation, `@revoked`
//! before and after, `@cert-authority`, several key types, unknown host, unreadable lines)
//! checked by `bastion-ssh` and by `ssh -o StrictHostKeyChecking=yes|accept-new` against
//! the same loopback sshd servers (one with ed25519, ECDSA and RSA host keys, one with RSA
//! only). The bastion hop is the server under test; the target behind it is a second
//! loopback server whose keys are on record, so only the first hop's verdict varies. The test
//! runs in a network namespace of its own with only `lo`.

use crate::aws_view::Ec2View;
use crate::harness::{Moto, TestCommand};
use std::path::Path;
use std::process::Command;
use xtask::ssh_lab::LoopbackSshd;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Accepted,
    Unknown,
    Changed,
    Revoked,
    Other,
}

fn ssh_verdict(code: Option<i32>, stderr: &str) -> Verdict {
    if code == Some(0) {
        Verdict::Accepted
    } else if stderr.contains("REVOKED HOST KEY") {
        Verdict::Revoked
    } else if stderr.contains("REMOTE HOST IDENTIFICATION HAS CHANGED") {
        Verdict::Changed
    } else if stderr.contains("host key is known for") {
        Verdict::Unknown
    } else {
        Verdict::Other
    }
}

fn bastion_ssh_verdict(code: i32, stderr: &str, name: &str) -> Verdict {
    let about_the_hop = stderr.contains(name);
    if code == 0 {
        Verdict::Accepted
    } else if about_the_hop && stderr.contains("REVOKED host key") {
        Verdict::Revoked
    } else if about_the_hop && stderr.contains("HOST KEY CHANGED") {
        Verdict::Changed
    } else if about_the_hop && stderr.contains("unknown host key") {
        Verdict::Unknown
    } else {
        Verdict::Other
    }
}

/// `names KEY` hashed by OpenSSH itself (`ssh-keygen -H`).
fn hashed(dir: &Path, name: &str, key: &str) -> String {
    let file = dir.join("to_hash");
    std::fs::write(&file, format!("{name} {key}\n")).unwrap();
    let out = Command::new("ssh-keygen").arg("-H").arg("-f").arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("|1|"), "{text}");
    text.trim().to_owned()
}

fn foreign_key(dir: &Path, kind: &str) -> String {
    let path = dir.join(format!("foreign_{kind}"));
    let out = Command::new("ssh-keygen").args(["-q", "-t", kind, "-N", "", "-f"]).arg(&path).output().unwrap();
    assert!(out.status.success());
    let public = std::fs::read_to_string(path.with_extension("pub")).unwrap();
    public.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
}

/// The known_hosts cases for a server known as `n`: (label, lines); `None` when the server
/// lacks a key type the case needs.
fn cases(dir: &Path, n: &str, server: &LoopbackSshd) -> Vec<(String, Option<String>)> {
    let (o_ed, o_rsa) = (foreign_key(dir, "ed25519"), foreign_key(dir, "rsa"));
    let own = |t: &str| server.host_key(t).map(str::to_owned);
    let with = |t: &str, f: &dyn Fn(&str) -> String| own(t).map(|k| f(&k));
    let port = n.rsplit(':').next().unwrap();
    vec![
        ("unknown host".into(), Some(String::new())),
        ("plain rsa match".into(), with("rsa", &|k| format!("{n} {k}"))),
        ("plain ed25519 match".into(), with("ed25519", &|k| format!("{n} {k}"))),
        ("plain ecdsa match".into(), with("ecdsa", &|k| format!("{n} {k}"))),
        ("only another ed25519 key".into(), Some(format!("{n} {o_ed}"))),
        ("only another rsa key".into(), Some(format!("{n} {o_rsa}"))),
        ("stale ed25519 beside the rsa match".into(), with("rsa", &|k| format!("{n} {o_ed}\n{n} {k}"))),
        ("rsa match, then @revoked".into(), with("rsa", &|k| format!("{n} {k}\n@revoked {n} {k}"))),
        ("@revoked, then rsa match".into(), with("rsa", &|k| format!("@revoked {n} {k}\n{n} {k}"))),
        ("only @revoked ed25519".into(), with("ed25519", &|k| format!("@revoked {n} {k}"))),
        ("@revoked foreign key beside a match".into(), with("rsa", &|k| format!("@revoked {n} {o_ed}\n{n} {k}"))),
        ("only @cert-authority".into(), Some(format!("@cert-authority {n} {o_ed}"))),
        ("@cert-authority with the host key".into(), with("ed25519", &|k| format!("@cert-authority {n} {k}"))),
        ("@cert-authority beside the rsa match".into(), with("rsa", &|k| format!("@cert-authority {n} {o_ed}\n{n} {k}"))),
        ("hashed rsa match".into(), with("rsa", &|k| hashed(dir, n, k))),
        ("hashed other key".into(), Some(hashed(dir, n, &o_ed))),
        ("wildcard pattern match".into(), with("rsa", &|k| format!("[127.0.0.*]:*,other {k}"))),
        ("negated pattern with another key".into(), Some(format!("[127.0.0.*]:*,!{n} {o_ed}"))),
        ("negated pattern, then the match".into(), with("rsa", &|k| format!("[127.0.0.*]:*,!{n} {o_ed}\n{n} {k}"))),
        ("name without the port".into(), Some(format!("127.0.0.1 {o_ed}"))),
        ("another port".into(), Some(format!("[127.0.0.1]:{} {o_ed}", u32::from(port.parse::<u16>().unwrap()) + 1))),
        (
            "unreadable lines, then the match".into(),
            with("rsa", &|k| format!("{n} ssh-ed25519 AAAA!!\n@bogus {n} {o_ed}\n{n} ssh-rsa {}\n{n} {k}", &o_ed[12..])),
        ),
    ]
}

#[test]
fn host_key_verdicts_match_openssh_case_by_case() {
    if crate::harness::in_own_netns("bastion_ssh_host_keys::host_key_verdicts_match_openssh_case_by_case") {
        return;
    }
    let moto = Moto::start();
    let aws = Ec2View::new(&moto.url());
    let target_ip = aws.launch_lab(&[("web-1", ("role", "web"))]).remove(0).1;

    let target = LoopbackSshd::start(&["ed25519", "ecdsa", "rsa"]);
    let target_lines: String = target.host_keys().map(|k| format!("{target_ip} {k}\n")).collect();
    let servers = [LoopbackSshd::start(&["ed25519", "ecdsa", "rsa"]), LoopbackSshd::start(&["rsa"])];
    for s in &servers {
        target.authorize(&s.client_key);
    }
    let mut compared = 0;
    let mut mismatches = Vec::new();
    for server in &servers {
        let n = format!("[127.0.0.1]:{}", server.addr.port());
        for (label, lines) in cases(server.dir(), &n, server) {
            let Some(lines) = lines else { continue };
            for mode in ["yes", "accept-new"] {
                let text = if lines.is_empty() { String::new() } else { format!("{lines}\n") };
                let ssh_file = server.dir().join("ssh_known_hosts");
                std::fs::write(&ssh_file, &text).unwrap();
                let ssh = Command::new("ssh")
                    .args(["-F", "/dev/null", "-o", &format!("StrictHostKeyChecking={mode}"), "-o"])
                    .arg(format!("UserKnownHostsFile={}", ssh_file.display()))
                    .args([
                        "-o",
                        "GlobalKnownHostsFile=/dev/null",
                        "-o",
                        "BatchMode=yes",
                        "-o",
                        "UpdateHostKeys=no",
                        "-o",
                        "CheckHostIP=no",
                    ])
                    .args(["-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=10", "-i"])
                    .arg(&server.client_key)
                    .args(["-p", &server.addr.port().to_string(), "root@127.0.0.1", "true"])
                    .output()
                    .unwrap();
                let ssh_stderr = String::from_utf8_lossy(&ssh.stderr);
                let ssh_says = ssh_verdict(ssh.status.code(), &ssh_stderr);
                let ssh_added = std::fs::read_to_string(&ssh_file).unwrap().lines().count() - text.lines().count();

                let ours_file = server.dir().join("our_known_hosts");
                std::fs::write(&ours_file, format!("{text}{target_lines}")).unwrap();
                let mut cmd = TestCommand::new("bastion-ssh", &moto.url()).args(["exec", "web-1", "--user", "root", "-i"]);
                cmd = cmd.arg(&server.client_key).args(["--known-hosts", ours_file.to_str().unwrap()]);
                cmd = cmd.args(["--bastion", &server.addr.to_string(), "--resolve", &format!("{target_ip}={}", target.addr)]);
                if mode == "accept-new" {
                    cmd = cmd.arg("--accept-new");
                }
                let ours = cmd.args(["--", "true"]).run();
                let ours_says = bastion_ssh_verdict(ours.code, &ours.stderr, &n);
                let ours_added =
                    std::fs::read_to_string(&ours_file).unwrap().lines().count() - text.lines().count() - target_lines.lines().count();

                assert_ne!(ssh_says, Verdict::Other, "{label} ({mode}): ssh said something unexpected: {ssh_stderr}");
                if (ssh_says, ssh_added) != (ours_says, ours_added) {
                    mismatches.push(format!(
                        "{label} [{n}, {mode}]: ssh {ssh_says:?} (+{ssh_added} lines), bastion-ssh {ours_says:?} (+{ours_added} lines): {}",
                        ours.stderr.trim()
                    ));
                }
                compared += 1;
            }
        }
    }
    assert!(mismatches.is_empty(), "{} of {compared} verdicts differ from OpenSSH's:\n{}", mismatches.len(), mismatches.join("\n"));
    assert!(compared >= 70, "only {compared} cases compared");
}
