//! The test harness: starts `moto_server` on a free loopback port (failing loudly when
//! it cannot), and runs the binaries with static credentials, no instance-metadata
//! lookups and no profile files, so no request ever leaves the machine.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const REGION: &str = "ap-northeast-2";

/// A moto server for one test; killed on drop.
pub struct Moto {
    child: Child,
    pub port: u16,
    _log: tempfile::NamedTempFile,
}

fn moto_server_path() -> PathBuf {
    if let Some(path) = std::env::var_os("AWSOPS_MOTO_SERVER") {
        return PathBuf::from(path);
    }
    PathBuf::from("moto_server")
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("no free loopback port")
}

impl Moto {
    pub fn start() -> Moto {
        Self::start_with(&[])
    }

    pub fn start_with(env: &[(&str, &str)]) -> Moto {
        let path = moto_server_path();
        let mut last_output = String::new();
        for _ in 0..3 {
            let log = tempfile::NamedTempFile::new().expect("temp file");
            let port = free_port();
            let mut cmd = Command::new(&path);
            cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdin(Stdio::null())
                .stdout(log.reopen().expect("log"))
                .stderr(log.reopen().expect("log"));
            for (k, v) in env {
                cmd.env(k, v);
            }
            let child = cmd.spawn().unwrap_or_else(|e| {
                panic!(
                    "cannot start {} ({e}): run scripts/test, or set AWSOPS_MOTO_SERVER to the moto_server of `pip install 'moto[server]'`",
                    path.display()
                )
            });
            let mut moto = Moto { child, port, _log: log };
            if moto.wait_ready(Duration::from_secs(60)) {
                return moto;
            }
            last_output = std::fs::read_to_string(moto._log.path()).unwrap_or_default();
        }
        panic!("moto_server did not start on loopback; its output:\n{last_output}");
    }

    fn wait_ready(&mut self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                eprintln!("moto_server exited early: {status}");
                return false;
            }
            if http_get(self.port, "/moto-api/").is_some() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP GET on loopback; the body when the status is 200.
pub fn http_get(port: u16, path: &str) -> Option<String> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_millis(500)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    head.starts_with("HTTP/1.0 200").then(|| body.to_owned()).or_else(|| head.starts_with("HTTP/1.1 200").then(|| body.to_owned()))
}

/// The path of one of the package's binaries.
pub fn binary(name: &str) -> PathBuf {
    match name {
        "vpc-bootstrap" => PathBuf::from(env!("CARGO_BIN_EXE_vpc-bootstrap")),
        other => panic!("unknown binary {other}"),
    }
}

/// Empty AWS config and credentials files, so no real profile is ever read.
fn empty_profile_dir() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("config"), "").expect("config");
        std::fs::write(dir.path().join("credentials"), "").expect("credentials");
        dir
    })
    .path()
}

/// Runs a binary the way a script would, against the emulator.
pub struct TestCommand {
    cmd: Command,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl TestCommand {
    pub fn new(name: &str, endpoint: &str) -> TestCommand {
        let mut cmd = Command::new(binary(name));
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("AWS") {
                cmd.env_remove(&k);
            }
        }
        cmd.env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_CONFIG_FILE", empty_profile_dir().join("config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", empty_profile_dir().join("credentials"))
            .env("AWS_REGION", REGION)
            .env("AWS_ENDPOINT_URL", endpoint)
            .env_remove("AWSOPS_QUIET");
        TestCommand { cmd }
    }

    pub fn for_moto(name: &str, moto: &Moto) -> TestCommand {
        Self::new(name, &moto.url())
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.cmd.args(args);
        self
    }

    pub fn spawn(mut self, stdout: Stdio) -> Child {
        self.cmd.stdin(Stdio::null()).stdout(stdout).stderr(Stdio::piped()).spawn().expect("spawn")
    }

    pub fn run(mut self) -> Run {
        self.cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        self.cmd.stdin(Stdio::null());
        let out = self.cmd.output().expect("run binary");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Asserts success and returns the documents printed.
    pub fn ok(self) -> Vec<serde_json::Value> {
        assert_eq!(self.code, 0, "expected success; stderr:\n{}\nstdout:\n{}", self.stderr, self.stdout);
        self.documents()
    }

    pub fn documents(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {l}")))
            .collect()
    }

    /// Asserts exit status 2 with a one-line message mentioning `needle`.
    pub fn usage_error(self, needle: &str) {
        assert_eq!(self.code, 2, "expected a usage error; stderr:\n{}", self.stderr);
        assert!(self.stdout.is_empty(), "nothing on stdout on error: {}", self.stdout);
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one line on stderr, got: {}", self.stderr);
        assert!(lines[0].contains(needle), "{:?} does not mention {needle:?}", lines[0]);
    }
}
