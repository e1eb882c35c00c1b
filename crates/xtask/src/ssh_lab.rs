//! Real OpenSSH servers for the bastion-ssh tests and benchmark: a bastion `sshd` in one
//! network namespace, reachable from here over a veth pair, and a target `sshd` in a
//! second namespace reachable only from the bastion's (no route from here, no
//! forwarding there). Keys, host keys and configs live in a private directory under /run
//! (sshd insists that an AuthorizedKeysCommand's path is root-owned and not world-writable).
//! Everything is removed on drop. Needs root, `ip` and `sshd`; panics loudly without them.

use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

static NEXT: AtomicU32 = AtomicU32::new(0);

pub struct SshLab {
    pub dir: PathBuf,
    /// The bastion's sshd, as seen from here.
    pub bastion: SocketAddr,
    /// The target's sshd, as seen from the bastion only.
    pub target: SocketAddr,
    /// The client's private key (mode 600) and the servers' host public keys.
    pub client_key: PathBuf,
    pub bastion_host_key: PathBuf,
    pub target_host_key: PathBuf,
    ns_bastion: String,
    ns_target: String,
    blocked_route: String,
    servers: Vec<Child>,
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
}

fn ip(args: &[&str]) {
    run(Command::new("ip").args(args));
}

fn in_ns(ns: &str, args: &[&str]) {
    run(Command::new("ip").args(["netns", "exec", ns]).args(args));
}

fn keygen(path: &Path) {
    run(Command::new("ssh-keygen").args(["-q", "-t", "ed25519", "-N", "", "-C", "awsops-test", "-f"]).arg(path));
}

impl SshLab {
    /// Starts both servers; `accept_any_key` makes the target and bastion also accept any
    /// ed25519 key offered (through an AuthorizedKeysCommand), for Instance Connect's
    /// one-minute keys, which no test can know in advance.
    pub fn start(accept_any_key: bool) -> SshLab {
        SshLab::start_with(accept_any_key, "")
    }

    /// As `start`, with `sshd_extra` (sshd_config lines, e.g. `Ciphers …`) added to both
    /// servers' configuration.
    pub fn start_with(accept_any_key: bool, sshd_extra: &str) -> SshLab {
        assert!(Path::new("/usr/sbin/sshd").exists(), "sshd is missing: run scripts/test (it installs openssh-server)");
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let id = (std::process::id() % 200) * 8 + n % 8;
        let (a, b) = (format!("aw{id}a"), format!("aw{id}b"));
        let octet = 10 + (id % 240);
        let dir = PathBuf::from(format!("/run/awsops-ssh-lab-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("lab directory");
        std::fs::create_dir_all("/run/sshd").expect("/run/sshd");
        for ns in [&a, &b] {
            let _ = Command::new("ip").args(["netns", "del", ns]).output();
            ip(&["netns", "add", ns]);
        }
        let (va0, va1, vb0, vb1) = (format!("{a}0"), format!("{a}1"), format!("{b}0"), format!("{b}1"));
        let _ = Command::new("ip").args(["link", "del", &va0]).output();
        ip(&["link", "add", &va0, "type", "veth", "peer", "name", &va1]);
        ip(&["link", "set", &va1, "netns", &a]);
        ip(&["addr", "add", &format!("10.201.{octet}.1/24"), "dev", &va0]);
        ip(&["link", "set", &va0, "up"]);
        in_ns(&a, &["ip", "addr", "add", &format!("10.201.{octet}.2/24"), "dev", &va1]);
        in_ns(&a, &["ip", "link", "set", &va1, "up"]);
        in_ns(&a, &["ip", "link", "set", "lo", "up"]);
        // No route from here to the target's network: packets for it never leave this host.
        let _ = Command::new("ip").args(["route", "del", &format!("10.202.{octet}.0/24")]).output();
        ip(&["route", "add", "unreachable", &format!("10.202.{octet}.0/24")]);
        ip(&["netns", "exec", &a, "ip", "link", "add", &vb0, "type", "veth", "peer", "name", &vb1]);
        in_ns(&a, &["ip", "link", "set", &vb1, "netns", &b]);
        in_ns(&a, &["ip", "addr", "add", &format!("10.202.{octet}.1/24"), "dev", &vb0]);
        in_ns(&a, &["ip", "link", "set", &vb0, "up"]);
        in_ns(&b, &["ip", "addr", "add", &format!("10.202.{octet}.2/24"), "dev", &vb1]);
        in_ns(&b, &["ip", "link", "set", &vb1, "up"]);
        in_ns(&b, &["ip", "link", "set", "lo", "up"]);
        let client_key = dir.join("client_key");
        keygen(&client_key);
        let authorized = dir.join("authorized_keys");
        std::fs::copy(client_key.with_extension("pub"), &authorized).expect("authorized_keys");
        let akc = dir.join("accept-any-key");
        std::fs::write(&akc, "#!/bin/sh\n# Accepts the ed25519 key offered (%t %k), for one-minute Instance Connect keys.\n[ \"$1\" = ssh-ed25519 ] && echo \"$1 $2\"\nexit 0\n").expect("script");
        run(Command::new("chmod").arg("755").arg(&akc));
        let mut lab = SshLab {
            bastion: format!("10.201.{octet}.2:22").parse().expect("addr"),
            target: format!("10.202.{octet}.2:22").parse().expect("addr"),
            bastion_host_key: dir.join("host_bastion.pub"),
            target_host_key: dir.join("host_target.pub"),
            client_key,
            dir: dir.clone(),
            ns_bastion: a.clone(),
            ns_target: b.clone(),
            blocked_route: format!("10.202.{octet}.0/24"),
            servers: Vec::new(),
        };
        for (ns, name, addr) in [(&a, "bastion", lab.bastion), (&b, "target", lab.target)] {
            let host_key = dir.join(format!("host_{name}"));
            keygen(&host_key);
            let mut conf = format!(
                "ListenAddress {addr}\nHostKey {}\nAuthorizedKeysFile {}\nPidFile none\nUsePAM no\nStrictModes no\n\
                 PermitRootLogin prohibit-password\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n\
                 AllowTcpForwarding yes\nMaxSessions 64\nMaxStartups 64:30:100\nLogLevel ERROR\n",
                host_key.display(),
                authorized.display()
            );
            conf.push_str(sshd_extra);
            if accept_any_key {
                conf.push_str(&format!("AuthorizedKeysCommand {} %t %k\nAuthorizedKeysCommandUser root\n", akc.display()));
            }
            let conf_path = dir.join(format!("sshd_{name}.conf"));
            std::fs::write(&conf_path, conf).expect("sshd config");
            let child = Command::new("ip")
                .args(["netns", "exec", ns, "/usr/sbin/sshd", "-D", "-f"])
                .arg(&conf_path)
                .arg("-E")
                .arg(dir.join(format!("sshd_{name}.log")))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("sshd");
            lab.servers.push(child);
        }
        lab.wait_ready();
        lab
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let bastion = TcpStream::connect_timeout(&self.bastion, Duration::from_millis(300)).is_ok();
            let target = Command::new("ip")
                .args([
                    "netns",
                    "exec",
                    &self.ns_bastion,
                    "bash",
                    "-c",
                    &format!("exec 3<>/dev/tcp/{}/{}", self.target.ip(), self.target.port()),
                ])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if bastion && target {
                return;
            }
            if Instant::now() >= deadline {
                let logs: Vec<String> = ["bastion", "target"]
                    .iter()
                    .map(|n| format!("{n}: {}", std::fs::read_to_string(self.dir.join(format!("sshd_{n}.log"))).unwrap_or_default().trim()))
                    .collect();
                panic!("the test sshd servers did not start listening (bastion {bastion}, target {target}); logs: {}", logs.join("; "));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A known_hosts line for a server as `name` (how the client will know it).
    pub fn known_hosts_line(&self, name: &str, bastion: bool) -> String {
        let key = std::fs::read_to_string(if bastion { &self.bastion_host_key } else { &self.target_host_key }).expect("host key");
        let mut parts = key.split_whitespace();
        format!("{name} {} {}", parts.next().unwrap_or_default(), parts.next().unwrap_or_default())
    }

    /// Runs a program inside the target's namespace (a service to forward to).
    pub fn spawn_in_target(&self, args: &[&str]) -> Child {
        Command::new("ip")
            .args(["netns", "exec", &self.ns_target])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn in target")
    }
}

impl Drop for SshLab {
    fn drop(&mut self) {
        for s in &mut self.servers {
            let _ = s.kill();
            let _ = s.wait();
        }
        for ns in [&self.ns_target, &self.ns_bastion] {
            let _ = Command::new("ip").args(["netns", "del", ns]).output();
        }
        let _ = Command::new("ip").args(["route", "del", &self.blocked_route]).output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One OpenSSH server on a loopback port with host keys of the types asked for (`ed25519`,
/// `ecdsa`, `rsa`), for tests that compare bastion-ssh with OpenSSH's own client against
/// the same server. Root may log in with `client_key`; TCP forwarding is on, so the server
/// can also be its own jump host. Stopped and removed on drop.
pub struct LoopbackSshd {
    pub addr: SocketAddr,
    pub client_key: PathBuf,
    dir: tempfile::TempDir,
    host_keys: Vec<(String, String)>,
    server: Child,
}

impl LoopbackSshd {
    pub fn start(types: &[&str]) -> LoopbackSshd {
        assert!(Path::new("/usr/sbin/sshd").exists(), "sshd is missing: run scripts/test (it installs openssh-server)");
        std::fs::create_dir_all("/run/sshd").expect("/run/sshd");
        let dir = tempfile::Builder::new().prefix("awsops-sshd-").tempdir().expect("temp dir");
        let client_key = dir.path().join("client_key");
        keygen(&client_key);
        let port = crate::moto::free_port();
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
        let authorized = dir.path().join("authorized_keys");
        std::fs::copy(client_key.with_extension("pub"), &authorized).expect("authorized_keys");
        let mut conf = format!(
            "ListenAddress {addr}\nAuthorizedKeysFile {}\nPidFile none\nUsePAM no\nStrictModes no\nPermitRootLogin prohibit-password\n\
             PasswordAuthentication no\nKbdInteractiveAuthentication no\nAllowTcpForwarding yes\nMaxSessions 64\nMaxStartups 64:30:100\nLogLevel ERROR\n",
            authorized.display()
        );
        let mut host_keys = Vec::new();
        for t in types {
            let path = dir.path().join(format!("host_{t}"));
            run(Command::new("ssh-keygen").args(["-q", "-t", t, "-N", "", "-f"]).arg(&path));
            conf.push_str(&format!("HostKey {}\n", path.display()));
            let public = std::fs::read_to_string(path.with_extension("pub")).expect("host key");
            let mut parts = public.split_whitespace();
            host_keys.push(((*t).to_owned(), format!("{} {}", parts.next().unwrap_or_default(), parts.next().unwrap_or_default())));
        }
        let conf_path = dir.path().join("sshd_config");
        std::fs::write(&conf_path, conf).expect("sshd config");
        let server = Command::new("/usr/sbin/sshd")
            .args(["-D", "-f"])
            .arg(&conf_path)
            .arg("-E")
            .arg(dir.path().join("sshd.log"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sshd");
        let sshd = LoopbackSshd { addr, client_key, dir, host_keys, server };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect_timeout(&sshd.addr, Duration::from_millis(300)).is_err() {
            assert!(
                Instant::now() < deadline,
                "the loopback sshd did not start: {}",
                std::fs::read_to_string(sshd.dir.path().join("sshd.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        sshd
    }

    /// `TYPE BASE64` of the host key of this type (`ed25519`, `ecdsa`, `rsa`), if it has one.
    pub fn host_key(&self, kind: &str) -> Option<&str> {
        self.host_keys.iter().find(|(t, _)| t == kind).map(|(_, k)| k.as_str())
    }

    /// Every host key, as `TYPE BASE64`.
    pub fn host_keys(&self) -> impl Iterator<Item = &str> {
        self.host_keys.iter().map(|(_, k)| k.as_str())
    }

    /// Lets root log in with another client's key too (`private_key`'s `.pub`).
    pub fn authorize(&self, private_key: &Path) {
        use std::io::Write;
        let public = std::fs::read(private_key.with_extension("pub")).expect("public key");
        let mut file = std::fs::OpenOptions::new().append(true).open(self.dir.path().join("authorized_keys")).expect("authorized_keys");
        file.write_all(&public).expect("authorized_keys");
    }

    /// A private directory for the test's files, removed with the server.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for LoopbackSshd {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}
