//! The release binary runs anywhere: copied alone into an empty root (a user namespace and
//! `unshare --root`: no dynamic loader, no libc, no NSS modules, no resolv.conf; only a CA bundle
//! and an `/etc/hosts` naming the emulator), every command starts, and real calls reach the
//! emulator by host name. scripts/test builds the binary as `scripts/install` does (glibc
//! linked statically, the same flags; scripts/lib.sh `build_static`) but in the dev profile,
//! which spares CI a second optimized build of the SDK, and names it in
//! AWSOPS_TEST_STATIC_BIN; point that at the installed binary to check a release.

use crate::harness::{COMMANDS, Moto};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CA_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

pub fn static_binary() -> PathBuf {
    let path = std::env::var_os("AWSOPS_TEST_STATIC_BIN").filter(|p| !p.is_empty()).map(PathBuf::from).unwrap_or_else(|| {
        panic!("AWSOPS_TEST_STATIC_BIN is not set: scripts/test builds the static binary (scripts/lib.sh build_static) and names it there")
    });
    assert!(path.is_file(), "AWSOPS_TEST_STATIC_BIN={} is not a file", path.display());
    path
}

/// libssh2's OpenSSL was configured with threads. bastion-ssh drives two SSH sessions from two
/// threads; OpenSSL's Configure turns threads off when it sees `-static` (which cc passes on
/// for a crt-static target), leaving its locks and reference counts no-ops: double frees under
/// AES-CTR with an HMAC. scripts/openssl-configure-perl drops that flag.
#[test]
fn the_static_binarys_openssl_is_built_with_threads() {
    let bytes = std::fs::read(static_binary()).unwrap();
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"crypto/threads_pthread.c"), "OpenSSL's pthread locks are missing from the static binary");
    assert!(!has(b"crypto/threads_none.c"), "the static binary's OpenSSL was configured without threads");
}

/// An otherwise empty root: /bin/awsops, the seven command links, /etc/hosts, the CA bundle.
fn empty_root(binary: &Path) -> tempfile::TempDir {
    let root = tempfile::tempdir().expect("root");
    let bin = root.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::copy(binary, bin.join("awsops")).unwrap();
    for name in COMMANDS {
        std::os::unix::fs::symlink("awsops", bin.join(name)).unwrap();
    }
    let certs = root.path().join("etc/ssl/certs");
    std::fs::create_dir_all(&certs).unwrap();
    std::fs::copy(CA_BUNDLE, certs.join("ca-certificates.crt")).expect("the host's CA bundle (ca-certificates)");
    // Empty AWS config files: nothing from the host's profile, and no warning about missing ones.
    std::fs::create_dir_all(root.path().join("aws")).unwrap();
    std::fs::write(root.path().join("aws/config"), "").unwrap();
    std::fs::write(root.path().join("aws/credentials"), "").unwrap();
    std::fs::write(root.path().join("etc/hosts"), "127.0.0.1\tlocalhost\n127.0.0.1\tmoto.test\n").unwrap();
    root
}

/// Runs `/bin/NAME ARGS` inside the root, as root of a new user namespace, with test
/// credentials and the emulator named by host name.
fn in_root(root: &Path, endpoint: &str, name: &str, args: &[&str]) -> Output {
    Command::new("unshare")
        .args(["--user", "--map-root-user"])
        .arg(format!("--root={}", root.display()))
        .arg(format!("/bin/{name}"))
        .args(args)
        .env_clear()
        .env("PATH", "/bin")
        .env("HOME", "/")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/aws/config")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/aws/credentials")
        .env("AWS_REGION", crate::harness::REGION)
        .env("AWS_ENDPOINT_URL", endpoint)
        .output()
        .expect("unshare (util-linux)")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_static_binary_links_nothing_dynamically() {
    let binary = static_binary();
    let out = Command::new("ldd").arg(&binary).output().expect("ldd");
    let said = text(&out.stdout) + &text(&out.stderr);
    assert!(said.contains("not a dynamic executable") || said.contains("statically linked"), "{}: {said}", binary.display());
    assert!(!said.contains("=>"), "{} loads shared libraries: {said}", binary.display());
}

#[test]
fn every_command_runs_in_an_empty_root_and_reaches_the_emulator_by_name() {
    let root = empty_root(&static_binary());
    let moto = Moto::start();
    let endpoint = format!("http://moto.test:{}", moto.addr().port());
    for name in COMMANDS.iter().chain(&["awsops"]) {
        let out = in_root(root.path(), &endpoint, name, &["--version"]);
        assert!(out.status.success(), "{name} --version in the empty root: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout).trim(), format!("{name} {}", env!("CARGO_PKG_VERSION")));
    }

    // A network created through the name, then found again through it: real calls, both ways.
    let created = in_root(
        root.path(),
        &endpoint,
        "vpc-bootstrap",
        // The SSH source is given: detecting it would go to the internet.
        &[
            "create",
            "chrooted",
            "--cidr",
            "10.9.0.0/16",
            "--azs",
            "1",
            "--private-per-az",
            "0",
            "--nat",
            "none",
            "--ssh-from",
            "203.0.113.7/32",
        ],
    );
    assert!(created.status.success(), "vpc-bootstrap create: {}", text(&created.stderr));
    let created: serde_json::Value = serde_json::from_slice(&created.stdout).expect("a vpc document");
    assert_eq!(created["kind"], "vpc");
    assert!(created["vpc_id"].as_str().is_some_and(|id| id.starts_with("vpc-")), "{created}");
    let shown = in_root(root.path(), &endpoint, "awsops", &["vpc-bootstrap", "show", "chrooted"]);
    assert!(shown.status.success(), "awsops vpc-bootstrap show: {}", text(&shown.stderr));
    let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("a vpc document");
    assert_eq!(shown["vpc_id"], created["vpc_id"]);

    // IAM and STS through the same resolver: the audit runs to its report.
    let audit = in_root(root.path(), &endpoint, "iam-audit", &[]);
    assert!(matches!(audit.status.code(), Some(0 | 3)), "iam-audit: {}", text(&audit.stderr));
    assert!(text(&audit.stdout).lines().all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()), "{}", text(&audit.stdout));

    // A name the root's hosts file does not know (and it has no name server) is one line, status 1.
    let lost = format!("http://not-in-hosts.test:{}", moto.addr().port());
    let out = in_root(root.path(), &lost, "ami-snap", &["list"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
