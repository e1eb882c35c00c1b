//! A lock file, so two runs of a command started by cron (a slow night, a retried job)
//! never work on the same resources at once. The lock is the OS's advisory file lock: it
//! goes away with the process, so a killed run never leaves a stale lock behind.

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Held for as long as it lives.
#[derive(Debug)]
pub struct RunLock {
    _file: File,
    pub path: PathBuf,
}

/// `<command>.lock` in the user's private lock directory (`$XDG_RUNTIME_DIR/awsops`, else
/// `~/.cache/awsops/locks`, 0700 and checked): never a predictable name in a shared
/// `/tmp` that another user could hold or point elsewhere.
pub fn default_path(command: &str) -> Result<PathBuf> {
    Ok(crate::atomic_file::private_lock_dir()?.join(format!("{command}.lock")))
}

impl RunLock {
    /// Takes the lock or fails at once, naming the file: a run that finds another one
    /// busy should fail loudly in cron's mail rather than queue behind it.
    pub fn acquire(path: &Path) -> Result<RunLock> {
        // O_NOFOLLOW: a lock path that is a symlink (planted by someone who can write the
        // directory, or a --lock into a shared one) is refused rather than followed.
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
            .open(path)
            .map_err(|e| Error::usage(format!("cannot open the lock file {}: {e}", path.display())))?;
        match file.try_lock() {
            Ok(()) => Ok(RunLock { _file: file, path: path.to_path_buf() }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::failed(format!(
                "another run holds the lock {}; it is still running (or pass a different --lock)",
                path.display()
            ))),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::failed(format!("cannot lock {}: {e}", path.display()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        let first = RunLock::acquire(&path).unwrap();
        let err = RunLock::acquire(&path).unwrap_err();
        assert_eq!(err.exit_code(), 1);
        assert!(err.to_string().contains("another run holds the lock"), "{err}");
        drop(first);
        RunLock::acquire(&path).unwrap();
    }

    #[test]
    fn a_symlinked_lock_file_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere");
        let link = dir.path().join("x.lock");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let err = RunLock::acquire(&link).unwrap_err();
        assert_eq!(err.exit_code(), 2, "{err}");
        assert!(!target.exists(), "the symlink's target was created");
    }

    #[test]
    fn an_unopenable_lock_file_is_a_usage_error() {
        let err = RunLock::acquire(Path::new("/nonexistent-dir/x.lock")).unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }
}
