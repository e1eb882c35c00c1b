//! The test harness: moto on a free loopback port (xtask::moto, failing loudly when it
//! cannot start), and a `TestCommand` that runs the binaries with static credentials, no
//! instance-metadata lookups and no profile files, so no request ever leaves the machine.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

pub use xtask::call_proxy::CallProxy;
pub use xtask::moto::{Moto, REGION, free_port};

/// The seven commands, as installed: links named like them to the multi-call binary.
pub const COMMANDS: &[&str] = &["ami-snap", "bastion-ssh", "cert-attach", "dns-alias", "efs-mount", "iam-audit", "vpc-bootstrap"];

/// The path of a command: from `AWSOPS_TEST_BIN_DIR` when set (a private copy, for a target
/// directory that other checkouts build into too, or an installed prefix's `bin`), else a
/// link named like the command to cargo's `awsops`, so the tests call the commands the way
/// users do (the multi-call binary choosing by `argv[0]`).
pub fn binary(name: &str) -> PathBuf {
    assert!(COMMANDS.contains(&name), "unknown command {name}");
    if let Some(dir) = std::env::var_os("AWSOPS_TEST_BIN_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir).join(name);
    }
    command_links().join(name)
}

/// A directory of links (in cargo's private temp dir for tests) made once per test process;
/// each link is made under a private name and renamed into place, so test processes running
/// at once never see a half-made one.
fn command_links() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("commands");
        std::fs::create_dir_all(&dir).expect("the links' directory");
        for name in COMMANDS {
            let staged = dir.join(format!(".{name}.{}", std::process::id()));
            let _ = std::fs::remove_file(&staged);
            std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_awsops"), &staged).expect("a command link");
            std::fs::rename(&staged, dir.join(name)).expect("a command link");
        }
        dir
    })
}

/// Runs the calling test again in a network namespace of its own that has only `lo`, so
/// that no client that sees emulator data (moto's made-up addresses) can reach anything
/// but loopback, whatever goes wrong. Returns true in the parent (which then only checks
/// that the child passed), false in the child (which runs the test's body).
pub fn in_own_netns(test: &str) -> bool {
    if let Some(marker) = std::env::var_os("AWSOPS_TEST_IN_NETNS") {
        std::fs::write(marker, test).expect("the child's marker");
        return false;
    }
    // The child leaves a mark, so a misspelt name (zero tests run) cannot pass.
    let marker = tempfile::NamedTempFile::new().expect("marker file");
    std::fs::write(marker.path(), "").expect("marker file");
    let exe = std::env::current_exe().expect("the test binary");
    let status = Command::new("unshare")
        .args(["--net", "sh", "-c", "ip link set lo up && exec \"$0\" \"$@\""])
        .arg(exe)
        .args([test, "--exact", "--nocapture", "--test-threads", "1"])
        .env("AWSOPS_TEST_IN_NETNS", marker.path())
        .status()
        .expect("unshare (util-linux)");
    assert!(status.success(), "{test} failed in its own network namespace");
    assert_eq!(std::fs::read_to_string(marker.path()).unwrap_or_default(), test, "{test} did not run in its namespace");
    true
}

/// The flags a bastion-ssh test run needs: root, the test's known_hosts and client key, and
/// each emulator address mapped (`--resolve NAME=ADDR:PORT`) to a test server.
pub fn hop_flags(known_hosts: &std::path::Path, key: &std::path::Path, maps: &[(&str, std::net::SocketAddr)]) -> Vec<String> {
    let mut flags: Vec<String> = ["--user", "root", "--known-hosts"].map(str::to_owned).to_vec();
    flags.extend([known_hosts.display().to_string(), "-i".into(), key.display().to_string()]);
    for (name, addr) in maps {
        flags.extend(["--resolve".to_owned(), format!("{name}={addr}")]);
    }
    flags
}

/// Runs a binary the way a script would, against the emulator.
pub struct TestCommand {
    cmd: Command,
    stdin: Option<Vec<u8>>,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl TestCommand {
    pub fn new(name: &str, endpoint: &str) -> TestCommand {
        Self::of_program(&binary(name), endpoint)
    }

    /// A given program (e.g. a link named like a command to another build of awsops).
    pub fn of_program(program: &std::path::Path, endpoint: &str) -> TestCommand {
        let mut cmd = Command::new(program);
        xtask::moto::use_emulator(&mut cmd, endpoint);
        cmd.env_remove("AWSOPS_QUIET");
        TestCommand { cmd, stdin: None }
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

    pub fn arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> Self {
        self.cmd.arg(arg);
        self
    }

    /// No static credentials at all: the SDK's chain finds none (profiles are empty files
    /// and instance metadata is disabled).
    pub fn without_credentials(mut self) -> Self {
        self.cmd.env_remove("AWS_ACCESS_KEY_ID").env_remove("AWS_SECRET_ACCESS_KEY").env_remove("AWS_SESSION_TOKEN");
        self
    }

    pub fn env_remove(mut self, key: &str) -> Self {
        self.cmd.env_remove(key);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.cmd.env(key, value);
        self
    }

    pub fn spawn(mut self, stdout: Stdio) -> Child {
        self.cmd.stdin(Stdio::null()).stdout(stdout).stderr(Stdio::piped()).spawn().expect("spawn")
    }

    /// Starts the command with stdin open for the caller to write to.
    pub fn spawn_with_stdin(mut self, stdout: Stdio) -> Child {
        self.cmd.stdin(Stdio::piped()).stdout(stdout).stderr(Stdio::piped()).spawn().expect("spawn")
    }

    /// Feeds `input` on stdin through a pipe, as `a | b` would.
    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(input.into());
        self
    }

    pub fn run(mut self) -> Run {
        self.cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        self.cmd.stdin(if self.stdin.is_some() { Stdio::piped() } else { Stdio::null() });
        let mut child = self.cmd.spawn().expect("run binary");
        if let Some(input) = self.stdin.take() {
            let mut pipe = child.stdin.take().expect("stdin");
            std::thread::spawn(move || {
                use std::io::Write;
                let _ = pipe.write_all(&input);
            });
        }
        let out = child.wait_with_output().expect("run binary");
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

    /// The documents printed, each checked against its published schema (one validator run
    /// for them all): every document a command prints in the tests conforms.
    pub fn documents(&self) -> Vec<serde_json::Value> {
        let docs: Vec<serde_json::Value> = self
            .stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {l}")))
            .collect();
        if let Err(e) = check_schemas(&docs) {
            panic!("a printed document does not conform to its schema: {e}\nstdout:\n{}", self.stdout);
        }
        docs
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

/// Checks a document against its published JSON Schema (`schemas/KIND.vN.json`) with the
/// `jsonschema` package that moto's venv carries: Err names what does not conform.
pub fn check_schema(doc: &serde_json::Value) -> Result<(), String> {
    if doc.get("kind").and_then(|k| k.as_str()).is_none() {
        return Err("no kind".into());
    }
    check_schemas(std::slice::from_ref(doc))
}

/// Checks every document that has a `kind` (other output, such as SARIF, has none) against
/// `schemas/KIND.vN.json`, in one run of the validator: Err names the first that does not conform.
pub fn check_schemas(docs: &[serde_json::Value]) -> Result<(), String> {
    let docs: Vec<&serde_json::Value> = docs.iter().filter(|d| d.get("kind").and_then(|k| k.as_str()).is_some()).collect();
    if docs.is_empty() {
        return Ok(());
    }
    const VALIDATE: &str = "import json, sys, jsonschema
dir, docs = sys.argv[1], json.loads(sys.stdin.read())
for d in docs:
    path = '%s/%s.v%s.json' % (dir, d['kind'], d.get('schema_version'))
    try:
        schema = json.load(open(path))
    except OSError as e:
        sys.exit('%s: no schema (%s)' % (d['kind'], e))
    try:
        jsonschema.validate(d, schema)
    except jsonschema.ValidationError as e:
        sys.exit('%s: %s at %s' % (d['kind'], e.message, '/'.join(map(str, e.absolute_path))))
";
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let python = xtask::moto::moto_server_path().with_file_name("python");
    let mut child = Command::new(&python)
        .args(["-c", VALIDATE])
        .arg(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {} (moto's venv, for jsonschema): {e}", python.display()));
    let input = serde_json::to_vec(&docs).expect("documents as JSON");
    let mut pipe = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().expect("run the schema validator");
    let _ = writer.join();
    if out.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&out.stderr).trim().to_owned()) }
}

/// `sha256sum`'s digest of `bytes` (the same tool the remote side checks with).
pub fn sha256(bytes: &[u8]) -> String {
    use std::io::Write;
    let mut child = Command::new("sha256sum").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("sha256sum");
    child.stdin.take().expect("stdin").write_all(bytes).expect("sha256sum's stdin");
    let out = child.wait_with_output().expect("sha256sum");
    String::from_utf8_lossy(&out.stdout).split_whitespace().next().unwrap_or_default().to_owned()
}

/// `len` pseudo-random bytes (xorshift64, fixed seed): data that no layer can compress or
/// mistake for a pattern, the same in every run.
pub fn pseudo_random(len: usize) -> Vec<u8> {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut data = vec![0u8; len];
    for chunk in data.chunks_mut(8) {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        chunk.copy_from_slice(&seed.to_le_bytes()[..chunk.len()]);
    }
    data
}
