//! `cargo xtask bench ssh`: bastion-ssh against OpenSSH's `ssh` with ProxyJump through the
//! same two servers (the SshLab: bastion and target sshd in network namespaces), in one
//! run: connection setup (`exec true`, median of N) and the throughput of a 512 MiB stream
//! to the target. OpenSSH is timed with its default key exchange (post-quantum in 9.x) and
//! with curve25519-sha256, which is what libssh2 negotiates.

use crate::bench::{median, seconds};
use crate::moto::{Moto, use_emulator};
use crate::ssh_lab::SshLab;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Builds one client's command for the given remote command words.
type MakeCommand<'a> = dyn Fn(&[&str]) -> Command + 'a;

pub struct Options {
    pub bastion_ssh: PathBuf,
    pub python: PathBuf,
    pub runs: usize,
    pub stream_mib: usize,
}

const REGISTER: &str = r#"
import boto3
ec2 = boto3.client("ec2")
vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.10.0/24")["Subnet"]["SubnetId"]
image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
def launch(name, key, value):
    i = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet,
                          TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}, {"Key": key, "Value": value}]}])["Instances"][0]
    return i["PrivateIpAddress"]
print(launch("bastion", "awsops:role", "bastion"), launch("web-1", "role", "web"))
"#;

fn timed(cmd: &mut Command) -> Result<Duration, String> {
    let start = Instant::now();
    let out = cmd.stdout(Stdio::null()).stderr(Stdio::piped()).output().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let elapsed = start.elapsed();
    if !out.status.success() {
        return Err(format!("{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(elapsed)
}

/// Runs `cmd` with `mib` MiB of zeros on its stdin (from `head`, through a pipe); the wall time.
fn streamed(cmd: &mut Command, mib: usize) -> Result<Duration, String> {
    let mut head = Command::new("head")
        .args(["-c", &(mib << 20).to_string(), "/dev/zero"])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let input = head.stdout.take().ok_or("no pipe")?;
    let start = Instant::now();
    let out = cmd.stdin(Stdio::from(input)).stdout(Stdio::null()).stderr(Stdio::piped()).output().map_err(|e| e.to_string())?;
    let elapsed = start.elapsed();
    let _ = head.wait();
    if !out.status.success() {
        return Err(format!("{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(elapsed)
}

fn openssh_config(lab: &SshLab, path: &Path, kex: Option<&str>) -> Result<(), String> {
    let mut text = format!(
        "Host bastion\n  HostName {}\n  Port {}\nHost target\n  HostName {}\n  Port {}\n  ProxyJump bastion\nHost *\n  User root\n  IdentityFile {}\n  IdentitiesOnly yes\n  UserKnownHostsFile {}\n  StrictHostKeyChecking yes\n  BatchMode yes\n",
        lab.bastion.ip(),
        lab.bastion.port(),
        lab.target.ip(),
        lab.target.port(),
        lab.client_key.display(),
        lab.dir.join("known_hosts_openssh").display()
    );
    if let Some(k) = kex {
        text.push_str(&format!("  KexAlgorithms {k}\n"));
    }
    std::fs::write(path, text).map_err(|e| e.to_string())
}

pub fn bench(options: &Options) -> Result<String, String> {
    let moto = Moto::start();
    let lab = SshLab::start(false);
    let mut register = Command::new(&options.python);
    register.args(["-c", REGISTER]);
    use_emulator(&mut register, &moto.url());
    let out = register.output().map_err(|e| format!("cannot run python: {e}"))?;
    if !out.status.success() {
        return Err(format!("registering instances failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let ips = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let (bastion_ip, web_ip) = ips.split_once(' ').ok_or("no instance addresses")?;

    // Both clients trust both servers: ours by the instances' addresses, OpenSSH's by the lab's.
    let ours_known = lab.dir.join("known_hosts_ours");
    std::fs::write(&ours_known, format!("{}\n{}\n", lab.known_hosts_line(bastion_ip, true), lab.known_hosts_line(web_ip, false)))
        .map_err(|e| e.to_string())?;
    std::fs::write(
        lab.dir.join("known_hosts_openssh"),
        format!(
            "{}\n{}\n",
            lab.known_hosts_line(&lab.bastion.ip().to_string(), true),
            lab.known_hosts_line(&lab.target.ip().to_string(), false)
        ),
    )
    .map_err(|e| e.to_string())?;
    let default_cfg = lab.dir.join("ssh_config_default");
    let curve_cfg = lab.dir.join("ssh_config_curve25519");
    openssh_config(&lab, &default_cfg, None)?;
    openssh_config(&lab, &curve_cfg, Some("curve25519-sha256"))?;

    let ours = |extra: &[&str]| {
        let mut c = Command::new(&options.bastion_ssh);
        c.args(["exec", "web-1", "--user", "root", "-i"]).arg(&lab.client_key).arg("--known-hosts").arg(&ours_known);
        c.args(["--resolve", &format!("{bastion_ip}={}", lab.bastion), "--resolve", &format!("{web_ip}={}", lab.target), "--"]);
        c.args(extra);
        use_emulator(&mut c, &moto.url());
        c
    };
    let openssh = |cfg: &Path, extra: &[&str]| {
        let mut c = Command::new("ssh");
        c.arg("-F").arg(cfg).arg("target").args(extra);
        c
    };
    let mut report = format!(
        "bastion-ssh vs OpenSSH ssh (ProxyJump) through the same bastion and target sshd (network namespaces)\n\
         setup: `exec true`, median of {} runs; stream: {} MiB of zeros to `cat > /dev/null`, median of 3\n\n\
         | client | setup | stream | throughput |\n|---|---|---|---|\n",
        options.runs, options.stream_mib
    );
    let rows: Vec<(&str, Box<MakeCommand>)> = vec![
        // Ours quotes each argument for the remote shell; ssh joins them with spaces.
        (
            "bastion-ssh (libssh2; includes 2 EC2 lookups on moto)",
            Box::new(|e: &[&str]| if e == ["true"] { ours(e) } else { ours(&["sh", "-c", e[0]]) }),
        ),
        ("ssh -J, default key exchange", Box::new(|e: &[&str]| openssh(&default_cfg, e))),
        ("ssh -J, curve25519-sha256", Box::new(|e: &[&str]| openssh(&curve_cfg, e))),
    ];
    for (name, make) in &rows {
        let mut setups = Vec::new();
        for _ in 0..options.runs {
            setups.push(timed(&mut make(&["true"]))?);
        }
        let mut streams = Vec::new();
        for _ in 0..3 {
            streams.push(streamed(&mut make(&["cat > /dev/null"]), options.stream_mib)?);
        }
        let stream = median(streams);
        report.push_str(&format!(
            "| {name} | {} | {} | {:.0} MiB/s |\n",
            seconds(median(setups)),
            seconds(stream),
            options.stream_mib as f64 / stream.as_secs_f64()
        ));
    }
    Ok(report)
}
