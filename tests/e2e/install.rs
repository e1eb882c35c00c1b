//! `scripts/install` into a private prefix: the binary, a link per command that runs it,
//! the man pages and the bash, zsh and fish completions where those shells look, and a
//! re-run that replaces them. It installs the binary this test run built (`--binary`), so
//! the suite does not make a second optimized build; the release binary itself is checked
//! in self_contained.

use crate::harness::COMMANDS;
use std::path::Path;
use std::process::Command;

fn install(prefix: &Path) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/install");
    let out = Command::new(&script)
        .arg("--prefix")
        .arg(prefix)
        .args(["--binary", env!("CARGO_BIN_EXE_awsops")])
        .output()
        .expect("scripts/install");
    assert!(out.status.success(), "scripts/install: {}", String::from_utf8_lossy(&out.stderr));
}

fn same_file(installed: &Path, committed: &str) {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join(committed);
    let (a, b) = (std::fs::read(installed), std::fs::read(&committed));
    assert!(a.is_ok() && a.ok() == b.ok(), "{} is not {}", installed.display(), committed.display());
}

#[test]
fn install_puts_commands_man_pages_and_completions_under_the_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("prefix");
    install(&prefix);
    install(&prefix); // a re-run replaces what is there

    let awsops = prefix.join("bin/awsops");
    let listed = Command::new(&awsops).arg("--list").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&listed.stdout).lines().collect::<Vec<_>>(), COMMANDS);
    for name in COMMANDS {
        let link = prefix.join("bin").join(name);
        assert_eq!(std::fs::read_link(&link).unwrap(), Path::new("awsops"), "{name} is a relative link");
        let out = Command::new(&link).arg("--version").output().unwrap();
        assert!(out.status.success(), "{name} --version");
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), format!("{name} {}", env!("CARGO_PKG_VERSION")));
        same_file(&prefix.join(format!("share/bash-completion/completions/{name}")), &format!("completions/bash/{name}"));
        same_file(&prefix.join(format!("share/zsh/site-functions/_{name}")), &format!("completions/zsh/_{name}"));
        same_file(&prefix.join(format!("share/fish/vendor_completions.d/{name}.fish")), &format!("completions/fish/{name}.fish"));
    }
    let man = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let mut pages = 0;
    for page in std::fs::read_dir(&man).unwrap() {
        let name = page.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".1") {
            same_file(&prefix.join("share/man/man1").join(&name), &format!("man/{name}"));
            pages += 1;
        }
    }
    assert!(pages >= COMMANDS.len(), "{pages} man pages");
    // man finds them under the prefix.
    let found = Command::new("man").arg("-M").arg(prefix.join("share/man")).args(["-w", "vpc-bootstrap"]).output().expect("man");
    assert!(found.status.success(), "man -w: {}", String::from_utf8_lossy(&found.stderr));
}

#[test]
fn install_refuses_what_it_cannot_install() {
    let dir = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/install");
    let out = Command::new(&script).args(["--prefix"]).arg(dir.path()).args(["--binary", "/nonexistent/awsops"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let out = Command::new(&script).arg("--frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("bin").exists(), "nothing installed");
}

#[test]
fn xtask_dist_packs_the_installation_with_readme_license_and_checksums() {
    let out = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let options = xtask::dist::Options { binary: Some(env!("CARGO_BIN_EXE_awsops").into()), out: out.path().to_owned() };
    let tarball = xtask::dist::dist(root, &options).expect("cargo xtask dist");
    let check = |dir: &Path| {
        let status = Command::new("sha256sum").args(["--check", "--quiet", "--strict", "SHA256SUMS"]).current_dir(dir).status().unwrap();
        assert!(status.success(), "sha256sum -c in {}", dir.display());
    };
    check(out.path());

    let unpacked = tempfile::tempdir().unwrap();
    let status = Command::new("tar").arg("-xzf").arg(&tarball).arg("-C").arg(unpacked.path()).status().unwrap();
    assert!(status.success());
    let top = unpacked.path().join(tarball.file_name().unwrap().to_string_lossy().trim_end_matches(".tar.gz"));
    check(&top);
    for file in ["README.md", "LICENSE", "bin/awsops", "share/man/man1/vpc-bootstrap.1", "share/zsh/site-functions/_iam-audit"] {
        assert!(top.join(file).is_file(), "{file} is in the tarball");
    }
    for name in COMMANDS {
        assert_eq!(std::fs::read_link(top.join("bin").join(name)).unwrap(), Path::new("awsops"));
    }
    let sums = std::fs::read_to_string(top.join("SHA256SUMS")).unwrap();
    assert!(sums.contains("  bin/awsops\n") && sums.contains("  LICENSE\n"), "{sums}");
}
