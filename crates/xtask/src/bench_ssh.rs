//! `cargo xtask bench ssh`: bastion-ssh against OpenSSH's `ssh` with ProxyJump through the
//! same two servers (the SshLab: bastion and target sshd in network namespaces), in one
//! run: connection setup (`exec true`, median of N); a 512 MiB stream to the target, its
//! throughput and the client's CPU seconds (user + system, counted in a cgroup, so the
//! ProxyJump child is included even though ssh does not wait for it), and the same for a
//! stream from the target; and the throughput of a local forward (-L) and of a SOCKS5
//! forward (-D) to a sink in the target's namespace. OpenSSH is timed with its default key exchange
//! (post-quantum in 9.x) and with curve25519-sha256, which is what libssh2 negotiates, and
//! with that and aes128-gcm@openssh.com, bastion-ssh's cipher.
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

/// The cipher bastion-ssh prefers (and OpenSSH's first choice when the CPU has AES-NI is
/// chacha20-poly1305): OpenSSH is also timed with it, like for like.
const AES128_GCM: &str = "aes128-gcm@openssh.com";

/// Builds one client's command for the given remote command words.
type MakeCommand<'a> = dyn Fn(&[&str]) -> Command + 'a;

pub struct Options {
    pub bastion_ssh: PathBuf,
    /// Another bastion-ssh (e.g. an earlier build) timed in the same run, with its label.
    pub baseline: Option<(String, PathBuf)>,
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
    let out =
        cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped()).output().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
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

/// The CPU time of a client and of every process it starts, reaped or not: OpenSSH's
/// ProxyJump child (`ssh -W`) is killed at the end, not waited for, so GNU time (children
/// that were waited for) misses its share. Each client runs in a cgroup of its own: v1's
/// cpuacct where it is mounted (this machine), else v2's cpu.stat.
struct CpuGroup {
    dir: PathBuf,
    v2: bool,
}

impl CpuGroup {
    fn new() -> Result<CpuGroup, String> {
        let name = format!("awsops-bench-ssh-{}", std::process::id());
        for (root, v2) in [("/sys/fs/cgroup/cpuacct", false), ("/sys/fs/cgroup", true), ("/sys/fs/cgroup/unified", true)] {
            let dir = Path::new(root).join(&name);
            if std::fs::create_dir(&dir).is_ok() {
                if dir.join(if v2 { "cpu.stat" } else { "cpuacct.usage" }).exists() {
                    return Ok(CpuGroup { dir, v2 });
                }
                let _ = std::fs::remove_dir(&dir);
            }
        }
        Err("cannot make a cgroup to count the clients' CPU in (needs root, and cgroup v1 cpuacct or v2)".to_owned())
    }

    /// CPU seconds used so far by everything that ran in the group.
    fn seconds(&self) -> Result<f64, String> {
        let file = self.dir.join(if self.v2 { "cpu.stat" } else { "cpuacct.usage" });
        let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let number = |t: &str| t.trim().parse::<f64>().map_err(|_| format!("{}: {text:?}", file.display()));
        if self.v2 {
            let usec =
                text.lines().find_map(|l| l.strip_prefix("usage_usec ")).ok_or_else(|| format!("{}: no usage_usec", file.display()))?;
            Ok(number(usec)? / 1e6)
        } else {
            Ok(number(&text)? / 1e9)
        }
    }

    /// `cmd`, started inside the group (so are its children).
    fn command(&self, cmd: &Command) -> Command {
        let mut wrapped = Command::new("sh");
        wrapped.args(["-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\""]).arg(&self.dir).arg(cmd.get_program()).args(cmd.get_args());
        for (k, v) in cmd.get_envs() {
            match v {
                Some(v) => wrapped.env(k, v),
                None => wrapped.env_remove(k),
            };
        }
        wrapped
    }

    /// Waits (up to 10 s) until every process that ran in the group has gone.
    fn wait_empty(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline && !std::fs::read_to_string(self.dir.join("cgroup.procs")).unwrap_or_default().trim().is_empty() {
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Runs `run` on the wrapped command; its result and the CPU seconds the group used.
    fn measure<T>(&self, cmd: &Command, run: impl FnOnce(&mut Command) -> Result<T, String>) -> Result<(T, f64), String> {
        let before = self.seconds()?;
        let result = run(&mut self.command(cmd))?;
        self.wait_empty();
        Ok((result, self.seconds()? - before))
    }
}

impl Drop for CpuGroup {
    fn drop(&mut self) {
        self.wait_empty();
        let _ = std::fs::remove_dir(&self.dir);
    }
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
    // The median of three connections through the one forward (a single one varies by ±20% here).
    let result = wait_listening(port).and_then(|()| {
        let mut times = (0..3).map(|_| through_forward(port, socks, mib)).collect::<Result<Vec<_>, _>>()?;
        times.sort();
        Ok(times[1])
    });
    let _ = child.kill();
    let _ = child.wait();
    result
}

fn openssh_config(lab: &SshLab, path: &Path, kex: Option<&str>, cipher: Option<&str>) -> Result<(), String> {
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
    if let Some(c) = cipher {
        text.push_str(&format!("  Ciphers {c}\n"));
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
    let gcm_cfg = lab.dir.join("ssh_config_curve25519_aes128gcm");
    openssh_config(&lab, &default_cfg, None, None)?;
    openssh_config(&lab, &curve_cfg, Some("curve25519-sha256"), None)?;
    openssh_config(&lab, &gcm_cfg, Some("curve25519-sha256"), Some(AES128_GCM))?;

    let ours = |binary: &Path, extra: &[&str]| {
        let mut c = Command::new(binary);
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
    let cpu = CpuGroup::new()?;
    let sink_port = crate::moto::free_port();
    let mut sink = lab.spawn_in_target(&["python3", "-c", SINK, &sink_port.to_string()]);
    std::thread::sleep(Duration::from_millis(500));
    let mut report = format!(
        "bastion-ssh vs OpenSSH ssh (ProxyJump) through the same bastion and target sshd (network namespaces, inside one with only lo)\n\
         setup: `exec true`, median of {runs} runs; stream: {mib} MiB of zeros to `cat > /dev/null`, median of 3, with the \
         client's CPU (user + system of it and every process it started, from a cgroup) of that run; down: the same from `head -c` on the target to the client's \
         stdout; -L, -D: {mib} MiB through a forward (SOCKS5 CONNECT for -D) to a \
         sink in the target's namespace, median of 3\n\n\
         | client | setup | stream up | up | client CPU up | down | client CPU down | -L | -D |\n|---|---|---|---|---|---|---|---|---|\n",
        runs = options.runs,
        mib = options.stream_mib
    );
    let target_sink = format!("127.0.0.1:{sink_port}");
    let ours_forward = |binary: &Path, spec: &[&str]| {
        let mut c = Command::new(binary);
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
    let mut ours_rows: Vec<(String, &Path)> =
        vec![("bastion-ssh (libssh2; includes 2 EC2 lookups on moto)".to_owned(), options.bastion_ssh.as_path())];
    if let Some((label, binary)) = &options.baseline {
        ours_rows.push((format!("bastion-ssh, {label}"), binary.as_path()));
    }
    let mut rows: Vec<(String, Box<MakeCommand>, Forwards)> = Vec::new();
    for (name, binary) in ours_rows {
        let (ours, ours_forward, target_sink) = (&ours, &ours_forward, &target_sink);
        rows.push((
            name,
            // Ours quotes each argument for the remote shell; ssh joins them with spaces.
            Box::new(move |e: &[&str]| if e == ["true"] { ours(binary, e) } else { ours(binary, &["sh", "-c", e[0]]) }),
            (
                Box::new(move |p: u16| ours_forward(binary, &["-L", &format!("{p}:{target_sink}")])),
                Box::new(move |p: u16| ours_forward(binary, &["-D", &p.to_string()])),
            ),
        ));
    }
    rows.extend::<Vec<(String, Box<MakeCommand>, Forwards)>>(vec![
        (
            "ssh -J, default key exchange".to_owned(),
            Box::new(|e: &[&str]| openssh(&default_cfg, e)),
            (
                Box::new(|p: u16| openssh_forward(&default_cfg, &["-L", &format!("{p}:{target_sink}")])),
                Box::new(|p: u16| openssh_forward(&default_cfg, &["-D", &p.to_string()])),
            ),
        ),
        (
            "ssh -J, curve25519-sha256".to_owned(),
            Box::new(|e: &[&str]| openssh(&curve_cfg, e)),
            (
                Box::new(|p: u16| openssh_forward(&curve_cfg, &["-L", &format!("{p}:{target_sink}")])),
                Box::new(|p: u16| openssh_forward(&curve_cfg, &["-D", &p.to_string()])),
            ),
        ),
        (
            format!("ssh -J, curve25519-sha256, {AES128_GCM}"),
            Box::new(|e: &[&str]| openssh(&gcm_cfg, e)),
            (
                Box::new(|p: u16| openssh_forward(&gcm_cfg, &["-L", &format!("{p}:{target_sink}")])),
                Box::new(|p: u16| openssh_forward(&gcm_cfg, &["-D", &p.to_string()])),
            ),
        ),
    ]);
    let mib = options.stream_mib;
    let mut measure = || -> Result<(), String> {
        for (name, make, (local, dynamic)) in &rows {
            let mut setups = Vec::new();
            for _ in 0..options.runs {
                setups.push(timed(&mut make(&["true"]))?);
            }
            let mut streams = Vec::new();
            let mut downs = Vec::new();
            let down_command = format!("head -c {} /dev/zero", mib << 20);
            for _ in 0..3 {
                streams.push(cpu.measure(&make(&["cat > /dev/null"]), |c| streamed(c, mib))?);
                downs.push(cpu.measure(&make(&[&down_command]), timed)?);
            }
            streams.sort_by_key(|(wall, _)| *wall);
            downs.sort_by_key(|(wall, _)| *wall);
            let (stream, up_cpu) = streams[1];
            let (down, down_cpu) = downs[1];
            let rate = |d: Duration| format!("{:.0} MiB/s", mib as f64 / d.as_secs_f64());
            let l = forward_throughput(local.as_ref(), None, mib)?;
            let d = forward_throughput(dynamic.as_ref(), Some(sink_port), mib)?;
            report.push_str(&format!(
                "| {name} | {} | {} | {} | {up_cpu:.2} s | {} | {down_cpu:.2} s | {} | {} |\n",
                seconds(median(setups)),
                seconds(stream),
                rate(stream),
                rate(down),
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
