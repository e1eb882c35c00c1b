//! The client host: its AZ from instance metadata (IMDSv2: a session token, then the
//! placement), whether a path is already mounted, whether amazon-efs-utils is installed,
//! a TCP probe of the NFS port, and running a command without a shell.

use awsops_core::{Error, Result};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::Path;
use std::time::Duration;

/// One plain-HTTP request to the metadata service; the body of a 200 answer.
fn imds_request(endpoint: &str, method: &str, path: &str, header: &str) -> std::result::Result<String, String> {
    let hostport = endpoint.trim_start_matches("http://").trim_end_matches('/');
    let addr: SocketAddr =
        hostport.to_socket_addrs().map_err(|e| e.to_string())?.next().ok_or_else(|| format!("{hostport} does not resolve"))?;
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).map_err(|e| e.to_string())?;
    let request = format!("{method} {path} HTTP/1.1\r\nHost: {hostport}\r\n{header}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).map_err(|e| e.to_string())?;
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let status = head.split_whitespace().nth(1).unwrap_or_default();
    if status != "200" {
        return Err(format!("{method} {path} answered {status}"));
    }
    // Chunked answers are not expected from IMDS; a body is a short text.
    Ok(body.trim().to_owned())
}

/// The host's AZ from IMDSv2 at `endpoint` (e.g. http://169.254.169.254).
pub fn availability_zone(endpoint: &str) -> Result<String> {
    let token = imds_request(endpoint, "PUT", "/latest/api/token", "X-aws-ec2-metadata-token-ttl-seconds: 60\r\n")
        .map_err(|e| Error::usage(format!("cannot tell this host's AZ from instance metadata at {endpoint} ({e}); give --az")))?;
    imds_request(endpoint, "GET", "/latest/meta-data/placement/availability-zone", &format!("X-aws-ec2-metadata-token: {token}\r\n"))
        .map_err(|e| Error::usage(format!("cannot tell this host's AZ from instance metadata at {endpoint} ({e}); give --az")))
}

/// Whether `mount_point` is a mount point according to a mounts table (`/proc/self/mounts` format).
pub fn is_mounted(mounts_file: &Path, mount_point: &str) -> Result<bool> {
    let text = std::fs::read_to_string(mounts_file).map_err(|e| Error::failed(format!("cannot read {}: {e}", mounts_file.display())))?;
    let want = mount_point.trim_end_matches('/');
    Ok(text.lines().filter_map(|l| l.split_whitespace().nth(1)).any(|m| crate::fstab::unescape(m).trim_end_matches('/') == want))
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
        std::fs::write(&table, "proc /proc proc rw 0 0\n10.0.1.9:/ /mnt/shared\\040files nfs4 rw 0 0\n").unwrap();
        assert!(is_mounted(&table, "/mnt/shared files/").unwrap());
        assert!(!is_mounted(&table, "/mnt").unwrap());
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
