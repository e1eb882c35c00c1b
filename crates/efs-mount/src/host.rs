//! The client host: its AZ from instance metadata (IMDSv2 through the SDK's own client:
//! session token, retries, `AWS_EC2_METADATA_SERVICE_ENDPOINT[_MODE]`, and
//! `AWS_EC2_METADATA_DISABLED` honoured), what is mounted where, whether amazon-efs-utils
//! is installed, a TCP probe of the NFS port, and running a command without a shell.

use awsops_core::aws_ids;
use awsops_core::{Error, Result};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::Duration;

/// Whether the SDK's switch for instance metadata says "off".
fn metadata_disabled() -> bool {
    std::env::var("AWS_EC2_METADATA_DISABLED").is_ok_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// The host's AZ from IMDSv2 (at `endpoint`, else where the SDK's settings say).
pub async fn availability_zone(endpoint: Option<&str>) -> Result<String> {
    if metadata_disabled() {
        return Err(Error::usage("instance metadata is disabled (AWS_EC2_METADATA_DISABLED=true): give --az"));
    }
    let mut builder = aws_config::imds::Client::builder()
        .max_attempts(3)
        .connect_timeout(Duration::from_secs(1))
        .read_timeout(Duration::from_secs(2))
        .operation_timeout(Duration::from_secs(10));
    let place = endpoint.unwrap_or("the default endpoint");
    if let Some(url) = endpoint {
        builder = builder.endpoint(url).map_err(|e| Error::usage(format!("--imds-endpoint {url:?}: {e}")))?;
    }
    let az = builder
        .build()
        .get("/latest/meta-data/placement/availability-zone")
        .await
        .map_err(|e| Error::usage(format!("cannot tell this host's AZ from instance metadata at {place} ({e}); give --az")))?;
    let az = az.as_ref().trim().to_owned();
    aws_ids::check("instance metadata's availability zone", aws_ids::AVAILABILITY_ZONE, &az)?;
    Ok(az)
}

/// What is mounted at `mount_point` (source, type) according to a mounts table
/// (`/proc/self/mounts` format, fields escaped as in fstab); the last mount wins.
pub fn mounted_at(mounts_file: &Path, mount_point: &str) -> Result<Option<(String, String)>> {
    let text = std::fs::read_to_string(mounts_file).map_err(|e| Error::failed(format!("cannot read {}: {e}", mounts_file.display())))?;
    let want = mount_point.trim_end_matches('/');
    Ok(text
        .lines()
        .rev()
        .filter_map(crate::fstab::fields)
        .find(|f| f.len() > 2 && crate::fstab::unescape(f[1]).trim_end_matches('/') == want)
        .map(|f| (crate::fstab::unescape(f[0]), f[2].to_owned())))
}

/// Mount types an EFS mount shows in the mount table (efs-utils mounts NFSv4 through a local TLS tunnel).
pub fn is_nfs(fstype: &str) -> bool {
    matches!(fstype, "nfs4" | "nfs" | "efs")
}

/// amazon-efs-utils installs the `mount.efs` helper.
pub fn has_efs_utils() -> bool {
    ["/sbin/mount.efs", "/usr/sbin/mount.efs", "/bin/mount.efs", "/usr/bin/mount.efs"].iter().any(|p| Path::new(p).exists())
}

/// Probes TCP `addr`; on failure says what usually causes it.
pub fn probe(addr: SocketAddr, timeout: Duration) -> Result<()> {
    TcpStream::connect_timeout(&addr, timeout).map(drop).map_err(|e| {
        Error::failed(format!(
            "cannot reach NFS at {addr} ({e}): the mount target's security group must admit TCP 2049 from this host's \
             security group, and the host's own group must allow it out"
        ))
    })
}

/// Runs argv (no shell); a failure names the command and its stderr.
pub fn run(argv: &[String]) -> Result<()> {
    let (program, args) = argv.split_first().ok_or_else(|| Error::failed("empty command"))?;
    let out = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| Error::failed(format!("cannot run {program}: {e}")))?;
    if out.status.success() {
        return Ok(());
    }
    Err(Error::failed(format!(
        "`{}` failed ({}): {}",
        argv.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stderr).trim().lines().next().unwrap_or_default()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_tables_are_read_by_mount_point() {
        let dir = tempfile::tempdir().unwrap();
        let table = dir.path().join("mounts");
        std::fs::write(&table, "proc /proc proc rw 0 0\n10.0.1.9:/ /mnt/shared\\040files nfs4 rw 0 0\n/dev/sda1 /boot ext4 rw 0 0\n")
            .unwrap();
        assert_eq!(mounted_at(&table, "/mnt/shared files/").unwrap(), Some(("10.0.1.9:/".into(), "nfs4".into())));
        assert_eq!(mounted_at(&table, "/mnt").unwrap(), None);
        let (_, fstype) = mounted_at(&table, "/boot").unwrap().unwrap();
        assert!(!is_nfs(&fstype));
    }

    #[tokio::test]
    async fn metadata_can_be_switched_off_and_bad_endpoints_are_usage_errors() {
        // Whether or not AWS_EC2_METADATA_DISABLED is set around the test, both answers are usage errors.
        let err = availability_zone(Some("not a url")).await.unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn a_closed_port_names_security_groups() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        probe(addr, Duration::from_secs(1)).unwrap();
        drop(listener);
        let err = probe(addr, Duration::from_secs(1)).unwrap_err().to_string();
        assert!(err.contains("security group"), "{err}");
    }

    #[test]
    fn commands_run_without_a_shell() {
        run(&["true".into()]).unwrap();
        let err = run(&["sh".into(), "-c".into(), "echo boom >&2; exit 3".into()]).unwrap_err().to_string();
        assert!(err.contains("boom") && err.contains('3'), "{err}");
        // A shell metacharacter is just an argument.
        run(&["test".into(), "a;false".into(), "=".into(), "a;false".into()]).unwrap();
    }
}
