//! Replacing a configuration file (fstab, ssh_config) safely: the old file kept as
//! `PATH.awsops.bak`, the new text written to a temporary file in the same directory,
//! synced, given the old permissions, and renamed over the old one.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `text` to `path` atomically; returns the backup's path (made only when `path` existed).
pub fn replace(path: &Path, text: &str) -> Result<PathBuf> {
    let failed = |what: &str, e: std::io::Error| Error::failed(format!("{what} {}: {e}", path.display()));
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let backup = PathBuf::from(format!("{}.awsops.bak", path.display()));
    let permissions = std::fs::metadata(path).ok().map(|m| m.permissions());
    if path.exists() {
        std::fs::copy(path, &backup).map_err(|e| failed("cannot back up", e))?;
    }
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| failed("cannot write next to", e))?;
    tmp.write_all(text.as_bytes()).map_err(|e| failed("cannot write", e))?;
    tmp.as_file().sync_all().map_err(|e| failed("cannot sync", e))?;
    if let Some(p) = permissions {
        std::fs::set_permissions(tmp.path(), p).map_err(|e| failed("cannot set permissions like", e))?;
    }
    tmp.persist(path).map_err(|e| failed("cannot replace", e.error))?;
    Ok(backup)
}

/// A usage error unless the file (or, when missing, its directory) can be written.
pub fn check_writable(path: &Path, what: &str) -> Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let unwritable =
        |p: &Path, e: std::io::Error| Error::usage(format!("{what} {} is not writable ({}: {e})", path.display(), p.display()));
    if path.is_dir() {
        return Err(Error::usage(format!("{what} {} is a directory", path.display())));
    }
    if path.exists() {
        std::fs::OpenOptions::new().append(true).open(path).map_err(|e| unwritable(path, e))?;
    }
    tempfile::NamedTempFile::new_in(dir).map_err(|e| unwritable(dir, e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaced_with_a_backup_and_checked_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("conf");
        std::fs::write(&path, "old\n").unwrap();
        check_writable(&path, "conf").unwrap();
        let backup = replace(&path, "new\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        assert_eq!(std::fs::read_to_string(backup).unwrap(), "old\n");
        assert_eq!(check_writable(dir.path(), "conf").unwrap_err().exit_code(), 2);
        assert_eq!(check_writable(Path::new("/nonexistent-dir/conf"), "conf").unwrap_err().exit_code(), 2);
    }
}
