//! `cargo xtask dist [--binary FILE] [--out DIR]`: the release tarball. It holds exactly
//! what `scripts/install` puts under a prefix (it stages with that script, so the two never
//! differ), plus README.md, LICENSE and a SHA256SUMS of every file in it; beside the tarball
//! a SHA256SUMS of the tarball itself. Unpacked into a prefix
//! (`tar -xzf … -C ~/.local --strip-components=1`) it is an installation.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Options {
    /// An already-built awsops; else built as scripts/install builds it.
    pub binary: Option<PathBuf>,
    pub out: PathBuf,
}

/// Builds (unless given) the binary, stages, checksums and packs. Returns the tarball.
pub fn dist(root: &Path, options: &Options) -> Result<PathBuf, String> {
    let triple = host_triple()?;
    let name = format!("awsops-{}-{triple}", env!("CARGO_PKG_VERSION"));
    let binary = match &options.binary {
        Some(binary) => binary.clone(),
        None => build(root)?,
    };
    let stage_parent = tempfile::tempdir().map_err(|e| format!("staging directory: {e}"))?;
    let stage = stage_parent.path().join(&name);
    run(Command::new(root.join("scripts/install")).arg("--prefix").arg(&stage).arg("--binary").arg(&binary))?;
    for file in ["README.md", "LICENSE"] {
        std::fs::copy(root.join(file), stage.join(file)).map_err(|e| format!("{file}: {e}"))?;
    }
    let sums = checksums(&stage)?;
    std::fs::write(stage.join("SHA256SUMS"), sums).map_err(|e| format!("SHA256SUMS: {e}"))?;

    std::fs::create_dir_all(&options.out).map_err(|e| format!("{}: {e}", options.out.display()))?;
    let tarball = options.out.join(format!("{name}.tar.gz"));
    // Owner, order and times fixed: the same inputs pack to the same bytes.
    run(Command::new("tar")
        .args(["--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0", "-czf"])
        .arg(&tarball)
        .arg("-C")
        .arg(stage_parent.path())
        .arg(&name)
        .env("GZIP", "-n"))?;
    let line = sum_line(&std::fs::read(&tarball).map_err(|e| e.to_string())?, &format!("{name}.tar.gz"));
    std::fs::write(options.out.join("SHA256SUMS"), line).map_err(|e| format!("SHA256SUMS: {e}"))?;
    Ok(tarball)
}

/// `sha256sum` lines (checkable with `sha256sum -c`) for every regular file under `dir`,
/// sorted by path; links are listed by what they point to in the tarball, not summed.
pub fn checksums(dir: &Path) -> Result<String, String> {
    let mut files = Vec::new();
    walk(dir, dir, &mut files)?;
    files.sort();
    let mut out = String::new();
    for relative in files {
        let bytes = std::fs::read(dir.join(&relative)).map_err(|e| format!("{relative}: {e}"))?;
        out.push_str(&sum_line(&bytes, &relative));
    }
    Ok(out)
}

fn sum_line(bytes: &[u8], name: &str) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{hex}  {name}\n")
}

fn walk(root: &Path, dir: &Path, files: &mut Vec<String>) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let kind = entry.file_type().map_err(|e| e.to_string())?;
        if kind.is_dir() {
            walk(root, &entry.path(), files)?;
        } else if kind.is_file() {
            let relative = entry.path().strip_prefix(root).map_err(|e| e.to_string())?.to_string_lossy().into_owned();
            files.push(relative);
        }
    }
    Ok(())
}

fn build(root: &Path) -> Result<PathBuf, String> {
    let out = Command::new("bash")
        .args(["-c", "source scripts/lib.sh && build_dist"])
        .current_dir(root)
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run bash: {e}"))?;
    if !out.status.success() {
        return Err("the optimized build failed".into());
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

fn host_triple() -> Result<String, String> {
    let out = Command::new("rustc").arg("-vV").output().map_err(|e| format!("rustc -vV: {e}"))?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .ok_or_else(|| "rustc -vV names no host".into())
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("{:?}: {e}", cmd.get_program()))?;
    if status.success() { Ok(()) } else { Err(format!("{:?} failed ({status})", cmd.get_program())) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_list_every_regular_file_sorted_and_skip_links() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("bin")).unwrap();
        std::fs::write(dir.path().join("bin/awsops"), b"abc").unwrap();
        std::os::unix::fs::symlink("awsops", dir.path().join("bin/vpc-bootstrap")).unwrap();
        std::fs::write(dir.path().join("README.md"), b"").unwrap();
        let sums = checksums(dir.path()).unwrap();
        assert_eq!(
            sums,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  README.md\n\
             ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  bin/awsops\n"
        );
    }
}
