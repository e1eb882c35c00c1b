//! `cargo xtask bench ssh`: bastion-ssh against OpenSSH's `ssh` with ProxyJump through the
//! same two servers (the SshLab: bastion and target sshd in network namespaces), in one
//! run: connection setup (`exec true`, median of N); a 512 MiB stream to the target, its
//! throughput and the client's CPU seconds (user + system, GNU time, the ProxyJump child
//! included); and the throughput of a local forward (-L) and of a SOCKS5 forward (-D) to a
//! sink in the target's namespace. OpenSSH is timed with its default key exchange
//! (post-quantum in 9.x) and with curve25519-sha256, which is what libssh2 negotiates.
//! `main` runs it inside a network namespace of its own with only `lo` (the clients see
//! moto's made-up addresses).

use crate::bench::{median, seconds};
use crate::moto::{Moto, use_emulator};
use crate::ssh_lab::SshLab;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
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

/// `cmd` under GNU time: its CPU seconds (user + system, children included).
fn cpu_timed(cmd: &Command, out: &Path) -> Command {
    let mut timed = Command::new("/usr/bin/time");
    timed.args(["-f", "%U %S", "-o"]).arg(out).arg(cmd.get_program()).args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => timed.env(k, v),
            None => timed.env_remove(k),
        };
    }
    timed
}

fn cpu_seconds(file: &Path) -> Result<f64, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("GNU time wrote nothing ({e}); is /usr/bin/time GNU time?"))?;
    let last = text.lines().last().unwrap_or_default();
    last.split_whitespace().map(|f| f.parse::<f64>().map_err(|_| format!("GNU time: {last:?}"))).sum()
}

/// A sink in the target's namespace: reads each connection to its end, then closes it.
const SINK: &str = r#"
import socket, sys, threading
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
def drain(c):
    while c.recv(1 << 20): pass
    c.close()
while True:
    c, _ = s.accept(); threading.Thread(target=drain, args=(c,), daemon=True).start()
"#;

/// Waits for a local listener (a forward starting up).
fn wait_listening(port: u16) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return Err(format!("nothing listens on 127.0.0.1:{port}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

/// Sends `mib` MiB through a forward on `port` (after a SOCKS5 CONNECT to the sink when
/// `socks` names it) and waits for the sink to close: the wall time.
fn through_forward(port: u16, socks: Option<u16>, mib: usize) -> Result<Duration, String> {
    let io = |e: std::io::Error| format!("forward on {port}: {e}");
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(io)?;
    s.set_read_timeout(Some(Duration::from_secs(120))).map_err(io)?;
    if let Some(sink) = socks {
        s.write_all(&[5, 1, 0]).map_err(io)?;
        let mut answer = [0u8; 2];
        s.read_exact(&mut answer).map_err(io)?;
        let mut request = vec![5, 1, 0, 1, 127, 0, 0, 1];
        request.extend(sink.to_be_bytes());
        s.write_all(&request).map_err(io)?;
        let mut reply = [0u8; 10];
        s.read_exact(&mut reply).map_err(io)?;
        if reply[1] != 0 {
            return Err(format!("SOCKS5 CONNECT refused ({})", reply[1]));
        }
    }
    let chunk = vec![0u8; 1 << 20];
    let start = Instant::now();
    for _ in 0..mib {
        s.write_all(&chunk).map_err(io)?;
    }
    s.shutdown(Shutdown::Write).map_err(io)?;
    let mut rest = Vec::new();
    s.read_to_end(&mut rest).map_err(io)?;
    Ok(start.elapsed())
}

/// Runs a forwarding client (`make(listen spec)`), streams through it, stops it.
fn forward_throughput(spawn: &dyn Fn(u16) -> Command, socks: Option<u16>, mib: usize) -> Result<Duration, String> {
    let port = crate::moto::free_port();
    let mut child: Child =
        spawn(port).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().map_err(|e| e.to_string())?;
    let result = wait_listening(port).and_then(|()| through_forward(port, socks, mib));
    let _ = child.kill();
    let _ = child.wait();
    result
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
    let sink_port = crate::moto::free_port();
    let mut sink = lab.spawn_in_target(&["python3", "-c", SINK, &sink_port.to_string()]);
    std::thread::sleep(Duration::from_millis(500));
    let cpu_file = lab.dir.join("cpu");
    let mut report = format!(
        "bastion-ssh vs OpenSSH ssh (ProxyJump) through the same bastion and target sshd (network namespaces, inside one with only lo)\n\
         setup: `exec true`, median of {runs} runs; stream: {mib} MiB of zeros to `cat > /dev/null`, median of 3, with the \
         client's CPU (user + system, GNU time) of that run; -L, -D: {mib} MiB through a forward (SOCKS5 CONNECT for -D) to a \
         sink in the target's namespace\n\n\
         | client | setup | stream | throughput | client CPU | -L | -D |\n|---|---|---|---|---|---|---|\n",
        runs = options.runs,
        mib = options.stream_mib
    );
    let target_sink = format!("127.0.0.1:{sink_port}");
    let ours_forward = |spec: &[&str]| {
        let mut c = Command::new(&options.bastion_ssh);
        c.args(["forward", "web-1", "--user", "root", "-i"]).arg(&lab.client_key).arg("--known-hosts").arg(&ours_known);
        c.args(["--resolve", &format!("{bastion_ip}={}", lab.bastion), "--resolve", &format!("{web_ip}={}", lab.target)]);
        c.args(spec);
        use_emulator(&mut c, &moto.url());
        c
    };
    let openssh_forward = |cfg: &Path, spec: &[&str]| {
        let mut c = Command::new("ssh");
        c.arg("-F").arg(cfg).args(["-N", "-o", "ExitOnForwardFailure=yes"]).args(spec).arg("target");
        c
    };
    type Forwards<'a> = (Box<dyn Fn(u16) -> Command + 'a>, Box<dyn Fn(u16) -> Command + 'a>);
    let rows: Vec<(&str, Box<MakeCommand>, Forwards)> = vec![
        // Ours quotes each argument for the remote shell; ssh joins them with spaces.
        (
            "bastion-ssh (libssh2; includes 2 EC2 lookups on moto)",
            Box::new(|e: &[&str]| if e == ["true"] { ours(e) } else { ours(&["sh", "-c", e[0]]) }),
            (
                Box::new(|p: u16| ours_forward(&["-L", &format!("{p}:{target_sink}")])),
                Box::new(|p: u16| ours_forward(&["-D", &p.to_string()])),
            ),
        ),
        (
            "ssh -J, default key exchange",
            Box::new(|e: &[&str]| openssh(&default_cfg, e)),
            (
                Box::new(|p: u16| openssh_forward(&default_cfg, &["-L", &format!("{p}:{target_sink}")])),
                Box::new(|p: u16| openssh_forward(&default_cfg, &["-D", &p.to_string()])),
            ),
        ),
        (
            "ssh -J, curve25519-sha256",
            Box::new(|e: &[&str]| openssh(&curve_cfg, e)),
            (
                Box::new(|p: u16| openssh_forward(&curve_cfg, &["-L", &format!("{p}:{target_sink}")])),
                Box::new(|p: u16| openssh_forward(&curve_cfg, &["-D", &p.to_string()])),
            ),
        ),
    ];
    let mib = options.stream_mib;
    let mut measure = || -> Result<(), String> {
        for (name, make, (local, dynamic)) in &rows {
            let mut setups = Vec::new();
            for _ in 0..options.runs {
                setups.push(timed(&mut make(&["true"]))?);
            }
            let mut streams = Vec::new();
            for _ in 0..3 {
                let wall = streamed(&mut cpu_timed(&make(&["cat > /dev/null"]), &cpu_file), mib)?;
                streams.push((wall, cpu_seconds(&cpu_file)?));
            }
            streams.sort_by_key(|(wall, _)| *wall);
            let (stream, cpu) = streams[1];
            let rate = |d: Duration| format!("{:.0} MiB/s", mib as f64 / d.as_secs_f64());
            let l = forward_throughput(local.as_ref(), None, mib)?;
            let d = forward_throughput(dynamic.as_ref(), Some(sink_port), mib)?;
            report.push_str(&format!(
                "| {name} | {} | {} | {} | {cpu:.2} s | {} | {} |\n",
                seconds(median(setups)),
                seconds(stream),
                rate(stream),
                rate(l),
                rate(d)
            ));
        }
        Ok(())
    };
    let result = measure();
    let _ = sink.kill();
    let _ = sink.wait();
    result?;
    Ok(report)
}
