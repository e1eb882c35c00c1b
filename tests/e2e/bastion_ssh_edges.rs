//! bastion-ssh at its edges, through the command: arguments refused before any AWS call or
//! connection; the connect guard with emulator data (nothing from moto is dialled unless
//! mapped with --resolve, loopback only when named); known_hosts files that cannot be
//! trusted; concurrent --accept-new fan-outs over one bastion session that record each
//! host exactly once; -D, a SOCKS5 proxy whose connections leave from the target; and -R,
//! the target's connections brought back to a service here.
//! One loopback sshd is both the bastion and (through itself) every target; each test runs
//! in a network namespace of its own with only `lo` (moto, sshd and the clients alike).

use crate::aws_view::Ec2View;
use crate::harness::{Moto, TestCommand};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::time::Duration;
use xtask::ssh_lab::LoopbackSshd;

struct Loop {
    moto: Moto,
    sshd: LoopbackSshd,
    bastion_ip: String,
    web: Vec<(String, String)>,
    known_hosts: PathBuf,
}

fn lab(webs: usize) -> Loop {
    let moto = Moto::start();
    let sshd = LoopbackSshd::start(&["ed25519"]);
    let names: Vec<String> = (1..=webs).map(|i| format!("web-{i}")).collect();
    let mut specs = vec![("bastion", ("awsops:role", "bastion"))];
    specs.extend(names.iter().map(|n| (n.as_str(), ("role", "web"))));
    let mut launched = Ec2View::new(&moto.url()).launch_lab(&specs).into_iter();
    let bastion_ip = launched.next().unwrap().1;
    let known_hosts = sshd.dir().join("known_hosts");
    Loop { moto, sshd, bastion_ip, web: launched.collect(), known_hosts }
}

impl Loop {
    /// The subcommand with the flags every run needs: every moto address mapped to the sshd.
    fn cmd(&self, sub: &[&str]) -> TestCommand {
        let mut maps = vec![(self.bastion_ip.as_str(), self.sshd.addr)];
        maps.extend(self.web.iter().map(|(_, ip)| (ip.as_str(), self.sshd.addr)));
        TestCommand::new("bastion-ssh", &self.moto.url()).args(sub).args(crate::harness::hop_flags(
            &self.known_hosts,
            &self.sshd.client_key,
            &maps,
        ))
    }

    fn trust(&self, names: &[&str]) {
        let key = self.sshd.host_key("ed25519").unwrap();
        std::fs::write(&self.known_hosts, names.iter().map(|n| format!("{n} {key}\n")).collect::<String>()).unwrap();
    }
}

fn assert_usage(run: crate::harness::Run, needles: &[&str]) {
    assert_eq!(run.code, 2, "expected exit 2; stderr: {}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    for n in needles {
        assert!(run.stderr.contains(n), "{:?} does not mention {n:?}", run.stderr);
    }
}

#[test]
fn bad_arguments_are_refused_before_any_aws_call_or_connection() {
    if crate::harness::in_own_netns("bastion_ssh_edges::bad_arguments_are_refused_before_any_aws_call_or_connection") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key");
    std::fs::write(&key, "not used").unwrap();
    std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let not_utf8 = dir.path().join("latin1_known_hosts");
    std::fs::write(&not_utf8, b"caf\xe9 ssh-ed25519 AAAA\n").unwrap();
    // Nothing listens here: a command that called AWS or dialled anything would fail with 1 or 255.
    let nowhere = format!("http://127.0.0.1:{}", crate::harness::free_port());
    // The subcommand and target, the flags, then the rest (after `--` for exec).
    let run = |args: &[&str]| {
        let c = TestCommand::new("bastion-ssh", &nowhere).args(&args[..2]);
        c.args(["-i", key.to_str().unwrap(), "--known-hosts", "/dev/null"]).args(&args[2..]).run()
    };
    let one_line = |r: crate::harness::Run, needle: &str| r.usage_error(needle);
    one_line(run(&["forward", "web-1", "-L", "8080:db:0"]), "port 0");
    one_line(run(&["forward", "web-1", "-L", "0:db:5432"]), "port 0");
    one_line(run(&["forward", "web-1", "-D", "0"]), "port 0");
    one_line(run(&["forward", "web-1", "-R", "9000:h:0"]), "port 0");
    one_line(run(&["forward", "web-1", "-R", "9000:no.such.name.invalid:22"]), "cannot resolve");
    one_line(run(&["forward", "web-1", "-L", "8080:db:5432", "-D", "nohost:1080"]), "not an IP address");
    one_line(run(&["exec", "web-1", "--bastion", "h:0", "--", "true"]), "port 0");
    one_line(run(&["exec", "web-1", "--bastion", "fe80::1:99999", "--", "true"]), "[ADDR]:PORT");
    one_line(run(&["exec", "web-1", "--resolve", "web=127.0.0.1", "--", "true"]), "ADDR:PORT");
    one_line(run(&["exec", "web-1", "--allow", "10.0.0.1/8", "--", "true"]), "host bits");
    one_line(run(&["exec", "i-xyz", "--", "true"]), "not an instance id");
    one_line(
        TestCommand::new("bastion-ssh", &nowhere)
            .args(["exec", "web-1", "-i", key.to_str().unwrap(), "--known-hosts", dir.path().to_str().unwrap(), "--", "true"])
            .run(),
        "is a directory",
    );
    one_line(
        TestCommand::new("bastion-ssh", &nowhere)
            .args(["exec", "web-1", "-i", key.to_str().unwrap(), "--known-hosts", not_utf8.to_str().unwrap(), "--", "true"])
            .run(),
        "not UTF-8",
    );
    // clap's own checks: exit 2, naming the flag.
    assert_usage(run(&["exec", "web-1", "--port", "0", "--", "true"]), &["--port", "0"]);
    assert_usage(run(&["exec", "web-1", "--connect-timeout", "0s", "--", "true"]), &["--connect-timeout", "zero"]);
    assert_usage(run(&["exec", "web-1", "--jobs", "0", "--", "true"]), &["--jobs"]);
    assert_usage(run(&["forward", "web-1"]), &["-L"]);
}

#[test]
fn the_guard_dials_nothing_from_the_emulator_unless_mapped_and_loopback_only_when_named() {
    if crate::harness::in_own_netns(
        "bastion_ssh_edges::the_guard_dials_nothing_from_the_emulator_unless_mapped_and_loopback_only_when_named",
    ) {
        return;
    }
    let l = lab(1);
    let (web_id, web_ip) = l.web[0].clone();
    let key = l.sshd.host_key("ed25519").unwrap().to_owned();
    let n = format!("[127.0.0.1]:{}", l.sshd.addr.port());
    l.trust(&[&l.bastion_ip, &web_ip, &n]);
    assert_eq!(l.cmd(&["exec", "web-1"]).args(["--", "true"]).run().code, 0, "everything mapped");
    let bare = |target: &str| {
        TestCommand::new("bastion-ssh", &l.moto.url()).args(["exec", target]).args([
            "--user",
            "root",
            "--known-hosts",
            l.known_hosts.to_str().unwrap(),
            "-i",
            l.sshd.client_key.to_str().unwrap(),
        ])
    };
    // The bastion's address from moto, not mapped: refused, not dialled.
    bare("web-1")
        .args(["--resolve", &format!("{web_ip}={}", l.sshd.addr), "--", "true"])
        .run()
        .usage_error(&format!("refusing to connect to {}:22", l.bastion_ip));
    // The target's address from moto, not mapped (the VPC's CIDR comes from the emulator too).
    let unmapped = bare(&web_id).args(["--resolve", &format!("{}={}", l.bastion_ip, l.sshd.addr), "--", "true"]).run();
    unmapped.usage_error("non-AWS --endpoint-url");
    // Loopback typed as an address is named; reached through DNS ("localhost") it must be --allow'ed.
    let port = l.sshd.addr.port().to_string();
    let via = |bastion: &str, extra: &[&str]| {
        bare("web-1").args(["--bastion", bastion, "--resolve", &format!("{web_ip}={}", l.sshd.addr)]).args(extra).args(["--", "true"]).run()
    };
    assert_eq!(via(&format!("127.0.0.1:{port}"), &[]).code, 0);
    // (The target mapped to another loopback address, so 127.0.0.1 is named nowhere; the
    // bastion is refused before the target would be dialled.)
    bare("web-1")
        .args(["--bastion", &format!("localhost:{port}"), "--resolve", &format!("{web_ip}=127.0.0.2:{port}"), "--", "true"])
        .run()
        .usage_error("only when named");
    std::fs::write(&l.known_hosts, format!("{n} {key}\n[localhost]:{port} {key}\n{web_ip} {key}\n")).unwrap();
    let allowed = via(&format!("localhost:{port}"), &["--allow", "127.0.0.1"]);
    assert_eq!(allowed.code, 0, "{}", allowed.stderr);
    // An IPv6 bastion in brackets parses; mapped with --resolve, its known_hosts name is the address.
    std::fs::write(&l.known_hosts, format!("::1 {key}\n{web_ip} {key}\n")).unwrap();
    let v6 = via("[::1]:22", &["--resolve", &format!("::1={}", l.sshd.addr)]);
    assert_eq!(v6.code, 0, "{}", v6.stderr);
}

#[test]
fn concurrent_accept_new_fan_outs_record_each_host_once() {
    if crate::harness::in_own_netns("bastion_ssh_edges::concurrent_accept_new_fan_outs_record_each_host_once") {
        return;
    }
    let l = lab(6);
    std::fs::write(&l.known_hosts, "# mine\n").unwrap();
    let runs: Vec<_> = (0..3)
        .map(|_| l.cmd(&["exec", "role=web", "--accept-new"]).args(["--", "echo", "hi"]).spawn(std::process::Stdio::piped()))
        .collect();
    for child in runs {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let docs: Vec<serde_json::Value> =
            String::from_utf8_lossy(&out.stdout).lines().map(|line| serde_json::from_str(line).unwrap()).collect();
        assert_eq!(docs.len(), 6);
        assert!(docs.iter().all(|d| d["stdout"] == "hi\n"), "{docs:?}");
    }
    let text = std::fs::read_to_string(&l.known_hosts).unwrap();
    assert_eq!(text.lines().count(), 8, "the comment, the bastion and six targets, once each:\n{text}");
    assert!(text.starts_with("# mine\n"));
    for (_, ip) in &l.web {
        assert_eq!(text.lines().filter(|line| line.starts_with(&format!("{ip} "))).count(), 1, "{ip}: {text}");
    }
}

/// An echo server on `addr` (one thread per connection) for the SOCKS test.
fn echo_server(addr: &str) -> u16 {
    let listener = TcpListener::bind(addr).unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut conn in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = conn.read(&mut buf) {
                    if n == 0 || conn.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            });
        }
    });
    port
}

/// A SOCKS5 CONNECT by hand: the destination as the address bytes of type `atyp`.
fn socks_echo(proxy: u16, atyp: u8, addr: &[u8], port: u16) -> Vec<u8> {
    let mut s = TcpStream::connect(("127.0.0.1", proxy)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(&[5, 1, 0]).unwrap();
    let mut method = [0u8; 2];
    s.read_exact(&mut method).unwrap();
    assert_eq!(method, [5, 0]);
    let mut req = vec![5, 1, 0, atyp];
    req.extend_from_slice(addr);
    req.extend_from_slice(&port.to_be_bytes());
    s.write_all(&req).unwrap();
    let mut reply = [0u8; 10];
    s.read_exact(&mut reply).unwrap();
    if reply[1] != 0 {
        return reply[..2].to_vec();
    }
    s.write_all(b"ping through the target").unwrap();
    let mut back = vec![0u8; 23];
    s.read_exact(&mut back).unwrap();
    back
}

#[test]
fn dynamic_forwarding_is_a_socks5_proxy_from_the_target() {
    if crate::harness::in_own_netns("bastion_ssh_edges::dynamic_forwarding_is_a_socks5_proxy_from_the_target") {
        return;
    }
    let l = lab(1);
    l.trust(&[&l.bastion_ip, &l.web[0].1]);
    let (v4, v6) = (echo_server("127.0.0.1:0"), echo_server("[::1]:0"));
    let proxy = crate::harness::free_port();
    let mut fwd = l.cmd(&["forward", "web-1", "-D", &proxy.to_string()]).spawn(std::process::Stdio::null());
    let ready = (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        TcpStream::connect(("127.0.0.1", proxy)).is_ok()
    });
    assert!(ready, "the SOCKS listener is up");
    let ping = b"ping through the target".to_vec();
    assert_eq!(socks_echo(proxy, 1, &[127, 0, 0, 1], v4), ping, "IPv4");
    assert_eq!(socks_echo(proxy, 4, &std::net::Ipv6Addr::LOCALHOST.octets(), v6), ping, "IPv6");
    let mut name = vec![9u8];
    name.extend_from_slice(b"localhost");
    assert_eq!(socks_echo(proxy, 3, &name, v4), ping, "a name, resolved by the target");
    assert_eq!(socks_echo(proxy, 1, &[127, 0, 0, 1], crate::harness::free_port()), vec![5, 1], "a refused destination is reported");
    // curl speaks to it as to ssh -D.
    let http = TcpListener::bind("127.0.0.1:0").unwrap();
    let http_port = http.local_addr().unwrap().port();
    std::thread::spawn(move || {
        if let Some(Ok(mut c)) = http.incoming().next() {
            let mut buf = [0u8; 1024];
            let _ = c.read(&mut buf);
            let _ = c.write_all(b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        }
    });
    let curl = std::process::Command::new("curl")
        .args(["-s", "--max-time", "10", "--socks5-hostname", &format!("127.0.0.1:{proxy}"), &format!("http://localhost:{http_port}/")])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&curl.stdout), "hello", "{}", String::from_utf8_lossy(&curl.stderr));
    let _ = fwd.kill();
    let _ = fwd.wait();
}

#[test]
fn remote_forwarding_brings_the_targets_connections_back_here() {
    if crate::harness::in_own_netns("bastion_ssh_edges::remote_forwarding_brings_the_targets_connections_back_here") {
        return;
    }
    let l = lab(1);
    l.trust(&[&l.bastion_ip, &l.web[0].1]);
    // The service here (the client's side) that the target's connections reach.
    let here = echo_server("127.0.0.1:0");
    let fixed = crate::harness::free_port();
    let mut fwd = l
        .cmd(&["forward", "web-1", "-R", &format!("{fixed}:127.0.0.1:{here}"), "-R", &format!("0:localhost:{here}")])
        .spawn(std::process::Stdio::null());
    // The target chose the second port; it is printed on stderr as ssh prints it.
    let mut stderr = std::io::BufReader::new(fwd.stderr.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
    let chosen: u16 = line
        .strip_prefix("bastion-ssh: allocated port ")
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no allocated port in {line:?}"));
    assert!(line.trim_end().ends_with(&format!("for -R 0:localhost:{here}")), "{line}");
    // The loopback sshd is the target: its listeners are on this namespace's loopback.
    for port in [fixed, chosen] {
        let ready = (0..100).any(|_| {
            std::thread::sleep(Duration::from_millis(100));
            TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
        assert!(ready, "the target listens on {port}");
        let mut conn = TcpStream::connect(("127.0.0.1", port)).unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let payload: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let writer = {
            let mut conn = conn.try_clone().unwrap();
            let payload = payload.clone();
            std::thread::spawn(move || conn.write_all(&payload).unwrap())
        };
        let mut back = vec![0u8; payload.len()];
        conn.read_exact(&mut back).unwrap();
        writer.join().unwrap();
        assert_eq!(back, payload, "echoed through -R on port {port}");
    }
    let _ = fwd.kill();
    let _ = fwd.wait();

    // A port the target cannot listen on (taken) is an error before anything is served.
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let refused = l.cmd(&["forward", "web-1", "-R", &format!("{port}:127.0.0.1:{here}")]).run();
    assert_eq!(refused.code, 255, "{}", refused.stderr);
    assert!(refused.stderr.contains("the target refused to listen"), "{}", refused.stderr);
    assert_eq!(refused.stderr.trim().lines().count(), 1, "{}", refused.stderr);
}

/// One static binary: libssh2's OpenSSL and zlib are built in (nothing to mismatch on a
/// bastion or CI image with another OpenSSL), and OpenSSL kept its assembly routines (the
/// AES-NI GCM and CTR code, chosen at run time on CPUs that have the instructions).
#[test]
fn the_binary_links_no_openssl_nor_zlib_and_keeps_the_aes_ni_routines() {
    let binary = crate::harness::binary("bastion-ssh");
    let ldd = std::process::Command::new("ldd").arg(&binary).output().unwrap();
    let libs = String::from_utf8_lossy(&ldd.stdout);
    assert!(ldd.status.success() && libs.contains("libc.so"), "{libs}");
    for lib in ["libssl", "libcrypto", "libz.", "libssh2"] {
        assert!(!libs.contains(lib), "{} links {lib} dynamically:\n{libs}", binary.display());
    }
    let bytes = std::fs::read(&binary).unwrap();
    for symbol in [&b"aesni_gcm_encrypt"[..], b"aesni_ctr32_encrypt_blocks"] {
        assert!(bytes.windows(symbol.len()).any(|w| w == symbol), "{} is missing", String::from_utf8_lossy(symbol));
    }
}

/// `ssh -G` on a config file: the value of each `key` asked for.
fn ssh_g(config: &std::path::Path, host: &str) -> std::collections::HashMap<String, String> {
    let out = std::process::Command::new("ssh").args(["-G", "-F"]).arg(config).arg(host).output().unwrap();
    assert!(out.status.success(), "ssh -G {host}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| l.split_once(' ')).map(|(k, v)| (k.to_owned(), v.to_owned())).collect()
}

#[test]
fn config_aliases_are_namespaced_and_cannot_capture_the_users_hosts() {
    if crate::harness::in_own_netns("bastion_ssh_edges::config_aliases_are_namespaced_and_cannot_capture_the_users_hosts") {
        return;
    }
    let moto = Moto::start();
    let aws = Ec2View::new(&moto.url());
    let launched = aws.launch_lab(&[
        ("bastion", ("awsops:role", "bastion")),
        ("web-1", ("role", "web")),
        ("bastion", ("role", "impostor")),
        ("github.com", ("role", "web")),
    ]);
    let tag = aws_sdk_ec2::types::Tag::builder().key("awsops:stack").value("lab").build();
    aws.block(aws.client.create_tags().resources(&launched[0].0).tags(tag).send()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let mine = "User me\nHost github.com\n  HostName 140.82.112.3\n";
    std::fs::write(&config, mine).unwrap();
    let key = dir.path().join("key");
    std::fs::write(&key, "unused").unwrap();
    std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let cmd = |extra: &[&str]| {
        TestCommand::new("bastion-ssh", &moto.url())
            .args(["config", "--file", config.to_str().unwrap(), "-i", key.to_str().unwrap(), "--known-hosts", "/dev/null"])
            .args(extra)
            .run()
    };
    // --dry-run: the diff, nothing written.
    let dry = cmd(&["--dry-run"]).ok().remove(0);
    assert_eq!(std::fs::read_to_string(&config).unwrap(), mine, "a dry run writes nothing");
    let diff = dry["diff"].as_str().unwrap();
    assert!(diff.starts_with(&format!("--- {}\n+++ ", config.display())) && diff.contains("\n+Host lab-web-1\n"), "{diff}");
    assert_eq!(dry["changed"], true);
    // The real run writes what the dry run showed.
    let run = TestCommand::new("bastion-ssh", &moto.url())
        .args(["config", "--file", config.to_str().unwrap(), "-i", key.to_str().unwrap(), "--known-hosts", "/dev/null"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("github.com") && run.stderr.contains(&launched[2].0),
        "a warning for each renamed instance: {}",
        run.stderr
    );
    let doc = &run.documents()[0];
    let hosts: Vec<&str> = doc["hosts"].as_array().unwrap().iter().map(|h| h.as_str().unwrap()).collect();
    let impostor = format!("lab-{}", launched[2].0);
    assert_eq!(hosts, ["lab-bastion", "lab-web-1", impostor.as_str(), "lab-github-com"]);
    assert!(std::fs::read_to_string(&config).unwrap().ends_with(mine), "the user's lines are kept, after the block");
    // Judged by ssh itself.
    let g = ssh_g(&config, "github.com");
    assert_eq!((g["hostname"].as_str(), g.get("proxyjump")), ("140.82.112.3", None), "the user's github.com is untouched");
    assert_eq!(g["user"], "me");
    let g = ssh_g(&config, "lab-bastion");
    assert_eq!((g["hostname"].as_str(), g.get("proxyjump")), (launched[0].1.as_str(), None), "the bastion does not jump through itself");
    let g = ssh_g(&config, "lab-web-1");
    assert_eq!(
        (g["hostname"].as_str(), g["proxyjump"].as_str(), g["forwardagent"].as_str(), g["user"].as_str()),
        (launched[1].1.as_str(), "lab-bastion", "no", "ec2-user")
    );
    assert_eq!(ssh_g(&config, &impostor)["hostname"], launched[2].1);
    assert_eq!(ssh_g(&config, "lab-github-com")["hostname"], launched[3].1);
    assert_eq!(ssh_g(&config, "elsewhere")["user"], "me", "the user's global lines still apply to every other host");
    assert_eq!(cmd(&[]).ok()[0]["changed"], false, "a second run changes nothing");
    cmd(&["--prefix", "a.b"]).code.eq(&2).then_some(()).expect("a dotted prefix is refused");
}
