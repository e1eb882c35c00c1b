//! The AWS emulator for tests and benchmarks: starts `moto_server` on a free loopback
//! port (failing loudly when it cannot) and gives a command the environment that keeps
//! every request on the machine: static credentials, no instance metadata, no profiles.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The region every test and benchmark uses.
pub const REGION: &str = "ap-northeast-2";

/// A moto server; killed on drop.
pub struct Moto {
    child: Child,
    pub port: u16,
    log: tempfile::NamedTempFile,
}

/// `moto_server` from `AWSOPS_MOTO_SERVER` (set by scripts/lib.sh), else from PATH.
pub fn moto_server_path() -> PathBuf {
    std::env::var_os("AWSOPS_MOTO_SERVER").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("moto_server"))
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("no free loopback port")
}

impl Moto {
    /// Starts moto, or panics saying why: a test must never pass without its emulator.
    pub fn start() -> Moto {
        Self::start_with(&[])
    }

    pub fn start_with(env: &[(&str, &str)]) -> Moto {
        Self::launch(env, None)
    }

    /// Starts moto so that it can enforce IAM ([`Moto::enforce_iam`]) on the Rust SDK's
    /// requests: its SigV4 check is patched out by a small wrapper (it rejects the SDK's
    /// queries that contain a space, e.g. a group description, even for an administrator,
    /// while boto3's identical call passes), leaving the authorization decision to moto.
    pub fn start_authorizing() -> Moto {
        Self::start_authorizing_with(&[])
    }

    pub fn start_authorizing_with(env: &[(&str, &str)]) -> Moto {
        Self::launch(env, Some(AUTHORIZING_WRAPPER))
    }

    fn launch(env: &[(&str, &str)], wrapper: Option<&str>) -> Moto {
        let path = moto_server_path();
        let mut last_output = String::new();
        for _ in 0..3 {
            let log = tempfile::NamedTempFile::new().expect("temp file");
            let port = free_port();
            let mut cmd = match wrapper {
                None => Command::new(&path),
                Some(script) => {
                    let mut c = Command::new(path.with_file_name("python"));
                    c.args(["-c", script]);
                    c
                }
            };
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
            let mut moto = Moto { child, port, log };
            if moto.wait_ready(Duration::from_secs(60)) {
                return moto;
            }
            last_output = std::fs::read_to_string(moto.log.path()).unwrap_or_default();
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
            if http(self.port, "GET", "/moto-api/").is_some() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    /// From now on every AWS request is checked against its caller's IAM policies
    /// (`INITIAL_NO_AUTH_ACTION_COUNT` 0, the counter zeroed).
    pub fn enforce_iam(&self) {
        post(self.port, "/moto-api/reset-auth", "0").expect("moto reset-auth 0");
    }

    /// Forgets every resource and stops enforcing IAM, for the next fixtures.
    pub fn reset_all(&self) {
        self.reset();
        post(self.port, "/moto-api/reset-auth", "inf").expect("moto reset-auth inf");
    }

    /// Forgets every resource, as a fresh server would.
    pub fn reset(&self) {
        http(self.port, "POST", "/moto-api/reset").expect("moto reset");
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP request without a body on loopback; the response body when the status is 200.
pub fn http(port: u16, method: &str, path: &str) -> Option<String> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_millis(500)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n").ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?;
    (status == "200").then(|| body.to_owned())
}

/// A POST with a body on loopback (`text/plain`: moto's reset-auth reads the raw body,
/// which a form content type would consume); the response body when the status is 200.
pub fn post(port: u16, path: &str, body: &str) -> Option<String> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_millis(500)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "POST {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}", body.len())
        .ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    (head.split_whitespace().nth(1)? == "200").then(|| body.to_owned())
}

/// moto_server with its SigV4 signature check replaced by a no-op: who the caller is
/// still comes from the access key, and what it may do from its IAM policies.
const AUTHORIZING_WRAPPER: &str = "import sys\n\
from moto.iam.access_control import IAMRequestBase\n\
IAMRequestBase.check_signature = lambda self: None\n\
from moto.server import main\n\
sys.argv[0] = 'moto_server'\n\
main(sys.argv[1:])\n";

/// Empty AWS config and credentials files, so no real profile is ever read.
fn empty_profile_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("config"), "").expect("config");
        std::fs::write(dir.path().join("credentials"), "").expect("credentials");
        dir
    })
    .path()
}

/// Points a command at `endpoint` with static credentials, no instance-metadata lookups
/// and no profile files, dropping whatever AWS settings the caller's environment has.
pub fn use_emulator(cmd: &mut Command, endpoint: &str) {
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
        .env("AWS_DEFAULT_REGION", REGION)
        .env("AWS_ENDPOINT_URL", endpoint);
}
