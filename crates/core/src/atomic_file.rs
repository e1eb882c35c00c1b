//! Replacing a configuration file (fstab, ssh_config) safely, on a machine other users
//! share: a symlinked file is written through to the file it points at; the old text is
//! kept as `REAL.awsops.bak`, made as a fresh private temporary file and renamed into
//! place (so a link planted at the backup's name is replaced, never followed); the new
//! text goes to a temporary file in the same directory, is synced, given the old file's
//! owner, group and mode (or `new_mode` for a new file), and renamed over the old one.
//! Links are followed as the kernel's `protected_symlinks` would: never a link another user
//! planted in a sticky world-writable directory. An edit (read, change, write) runs under a
//! lock in a private per-user directory, so two runs at once never lose each other's line.

use crate::error::{Error, Result};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The file a write to `path` must change: `path` itself, or the end of its symlink chain.
/// A dangling link resolves to where it points (the file is created there).
pub fn real_path(path: &Path) -> Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                refuse_planted_link(&current, &meta)?;
                let target =
                    std::fs::read_link(&current).map_err(|e| Error::usage(format!("cannot read the link {}: {e}", current.display())))?;
                current = match current.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(Error::usage(format!("{}: too many levels of symbolic links", path.display())))
}

/// The rule of the kernel's `fs.protected_symlinks`, applied whatever the sysctl says: in a
/// sticky world-writable directory (like /tmp) a link is followed only when it belongs to
/// us or to the directory's owner; anyone else's link there could aim our write anywhere.
fn refuse_planted_link(link: &Path, meta: &std::fs::Metadata) -> Result<()> {
    let Ok(dir) = std::fs::metadata(dir_of(link)) else { return Ok(()) };
    let shared = dir.permissions().mode() & 0o1002 == 0o1002;
    let me = rustix::process::geteuid().as_raw();
    if shared && meta.uid() != me && meta.uid() != dir.uid() {
        return Err(Error::usage(format!(
            "{} is a symbolic link another user (uid {}) made in a shared directory; not following it",
            link.display(),
            meta.uid()
        )));
    }
    Ok(())
}

fn dir_of(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// `text` into a new temporary file next to `real`, synced, with the given owner and mode.
fn staged(real: &Path, text: &[u8], owner: Option<(u32, u32)>, mode: u32) -> Result<tempfile::NamedTempFile> {
    let failed = |what: &str, e: std::io::Error| Error::failed(format!("{what} {}: {e}", real.display()));
    let mut tmp = tempfile::NamedTempFile::new_in(dir_of(real)).map_err(|e| failed("cannot write next to", e))?;
    tmp.write_all(text).map_err(|e| failed("cannot write", e))?;
    if let Some((uid, gid)) = owner {
        std::os::unix::fs::fchown(tmp.as_file(), Some(uid), Some(gid)).map_err(|e| failed("cannot give the owner of", e))?;
    }
    tmp.as_file().set_permissions(std::fs::Permissions::from_mode(mode)).map_err(|e| failed("cannot set the mode of", e))?;
    tmp.as_file().sync_all().map_err(|e| failed("cannot sync", e))?;
    Ok(tmp)
}

/// Writes `text` to `path` atomically (through a symlink to its target); returns the
/// backup's path, made only when the file existed. `new_mode` is the mode of a file that
/// did not exist (0o644 for fstab, 0o600 for ssh_config).
pub fn replace(path: &Path, text: &str, new_mode: u32) -> Result<PathBuf> {
    let real = real_path(path)?;
    let failed = |what: &str, e: std::io::Error| Error::failed(format!("{what} {}: {e}", real.display()));
    let backup = backup_path(&real);
    let (owner, mode) = match std::fs::metadata(&real) {
        Ok(meta) if meta.is_file() => {
            let old = std::fs::read(&real).map_err(|e| failed("cannot back up", e))?;
            let owner = Some((meta.uid(), meta.gid()));
            let mode = meta.permissions().mode() & 0o7777;
            staged(&real, &old, owner, mode)?.persist(&backup).map_err(|e| failed("cannot back up", e.error))?;
            (owner, mode)
        }
        Ok(_) => return Err(Error::usage(format!("{} is not a regular file", real.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (None, new_mode),
        Err(e) => return Err(failed("cannot read", e)),
    };
    staged(&real, text.as_bytes(), owner, mode)?.persist(&real).map_err(|e| failed("cannot replace", e.error))?;
    Ok(backup)
}

fn backup_path(real: &Path) -> PathBuf {
    PathBuf::from(format!("{}.awsops.bak", real.display()))
}

/// Reads the file, lets `change` compute its new text (`None`: no change) and writes it,
/// all under an exclusive lock, so concurrent edits of one file are applied one after the
/// other and none is lost. Returns the backup's path when the file was written.
pub fn edit(path: &Path, new_mode: u32, change: impl FnOnce(&str) -> Result<Option<String>>) -> Result<Option<PathBuf>> {
    let real = real_path(path)?;
    let _lock = edit_lock(&real)?;
    let old = match std::fs::read_to_string(&real) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::usage(format!("cannot read {}: {e}", real.display()))),
    };
    match change(&old)? {
        Some(text) => replace(&real, &text, new_mode).map(Some),
        None => Ok(None),
    }
}

/// Appends what `decide` returns (a line, without its newline; `None`: nothing) to a file
/// that is shared and only ever grown, like known_hosts: under `flock` on the file itself,
/// after reading it under that lock, so `decide` sees every earlier append and two
/// threads or runs never record one host twice; the file is never rewritten, so nothing
/// another writer added is lost. A new file gets `new_mode`. Returns whether it appended.
pub fn append_locked(path: &Path, new_mode: u32, decide: impl FnOnce(&str) -> Result<Option<String>>) -> Result<bool> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let real = real_path(path)?;
    let failed = |what: &str, e: std::io::Error| Error::failed(format!("{what} {}: {e}", real.display()));
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .mode(new_mode)
        .open(&real)
        .map_err(|e| failed("cannot open", e))?;
    if !file.metadata().map_err(|e| failed("cannot read", e))?.is_file() {
        return Err(Error::usage(format!("{} is not a regular file", real.display())));
    }
    file.lock().map_err(|e| failed("cannot lock", e))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(|e| failed("cannot read", e))?;
    let text = String::from_utf8(bytes).map_err(|_| Error::usage(format!("{} is not UTF-8 text", real.display())))?;
    let Some(line) = decide(&text)? else { return Ok(false) };
    let mut out = String::with_capacity(line.len() + 2);
    if !text.is_empty() && !text.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&line);
    out.push('\n');
    file.write_all(out.as_bytes()).map_err(|e| failed("cannot append to", e))?;
    file.sync_data().map_err(|e| failed("cannot sync", e))?;
    Ok(true)
}

/// A private (0700, ours) directory for lock files: `$XDG_RUNTIME_DIR/awsops`, else
/// `~/.cache/awsops/locks`. Never a shared directory another user could plant a file in.
pub fn private_lock_dir() -> Result<PathBuf> {
    let dir = match std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        Some(run) => PathBuf::from(run).join("awsops"),
        None => {
            let home = std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .ok_or_else(|| Error::usage("neither XDG_RUNTIME_DIR nor HOME is set: no private place for a lock file"))?;
            PathBuf::from(home).join(".cache").join("awsops").join("locks")
        }
    };
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir)
        .map_err(|e| Error::usage(format!("cannot make the lock directory {}: {e}", dir.display())))?;
    let meta = std::fs::symlink_metadata(&dir).map_err(|e| Error::usage(format!("cannot read {}: {e}", dir.display())))?;
    if !meta.is_dir() || meta.uid() != rustix::process::geteuid().as_raw() || meta.permissions().mode() & 0o077 != 0 {
        return Err(Error::usage(format!("the lock directory {} is not a private directory of this user", dir.display())));
    }
    Ok(dir)
}

/// The lock of one file's edits: named after its real path, blocking until it is free.
fn edit_lock(real: &Path) -> Result<std::fs::File> {
    let name = format!("edit-{:016x}.lock", crate::stable_hash::fnv1a(real.as_os_str().as_encoded_bytes()));
    let path = private_lock_dir()?.join(name);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::usage(format!("cannot open the lock file {}: {e}", path.display())))?;
    file.lock().map_err(|e| Error::failed(format!("cannot lock {}: {e}", path.display())))?;
    Ok(file)
}

/// A usage error unless the file (through its symlinks; or, when missing, its directory)
/// can be read and written, and its backup can be made.
pub fn check_writable(path: &Path, what: &str) -> Result<()> {
    let real = real_path(path)?;
    if std::fs::symlink_metadata(backup_path(&real)).is_ok_and(|m| m.is_dir()) {
        return Err(Error::usage(format!("{what} backup {} is a directory; remove it", backup_path(&real).display())));
    }
    let dir = dir_of(&real);
    let unwritable =
        |p: &Path, e: std::io::Error| Error::usage(format!("{what} {} is not writable ({}: {e})", path.display(), p.display()));
    match std::fs::metadata(&real) {
        Ok(meta) if meta.is_dir() => return Err(Error::usage(format!("{what} {} is a directory", path.display()))),
        Ok(meta) if !meta.is_file() => return Err(Error::usage(format!("{what} {} is not a regular file", path.display()))),
        Ok(_) => {
            std::fs::OpenOptions::new().read(true).append(true).open(&real).map_err(|e| unwritable(&real, e))?;
        }
        Err(_) => {}
    }
    tempfile::NamedTempFile::new_in(dir).map_err(|e| unwritable(dir, e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn replaced_with_a_backup_and_checked_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("conf");
        std::fs::write(&path, "old\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        check_writable(&path, "conf").unwrap();
        let backup = replace(&path, "new\n", 0o600).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        assert_eq!(std::fs::read_to_string(&backup).unwrap(), "old\n");
        assert_eq!((mode(&path), mode(&backup)), (0o640, 0o640), "the old mode is kept on both");
        assert_eq!(check_writable(dir.path(), "conf").unwrap_err().exit_code(), 2);
        assert_eq!(check_writable(Path::new("/nonexistent-dir/conf"), "conf").unwrap_err().exit_code(), 2);
    }

    #[test]
    fn a_new_file_gets_the_mode_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fstab");
        replace(&path, "x\n", 0o644).unwrap();
        assert_eq!(mode(&path), 0o644);
        assert!(!dir.path().join("fstab.awsops.bak").exists(), "nothing to back up");
    }

    #[test]
    fn a_symlinked_file_is_written_through_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("dotfiles").join("config");
        std::fs::create_dir(dir.path().join("dotfiles")).unwrap();
        std::fs::write(&real, "old\n").unwrap();
        let link = dir.path().join("config");
        symlink("dotfiles/config", &link).unwrap();
        let backup = replace(&link, "new\n", 0o600).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is kept");
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new\n");
        assert_eq!(backup, PathBuf::from(format!("{}.awsops.bak", real.display())));
        assert_eq!(std::fs::read_to_string(backup).unwrap(), "old\n");
    }

    #[test]
    fn a_link_planted_at_the_backups_name_is_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fstab");
        std::fs::write(&path, "secret old text\n").unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "victim\n").unwrap();
        std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o600)).unwrap();
        symlink(&victim, dir.path().join("fstab.awsops.bak")).unwrap();
        let backup = replace(&path, "new\n", 0o644).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "victim\n", "the link's target is untouched");
        assert!(!std::fs::symlink_metadata(&backup).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&backup).unwrap(), "secret old text\n");
    }

    /// Needs root (as the whole suite does) to give a link to another user.
    #[test]
    fn another_users_link_in_a_shared_directory_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "victim\n").unwrap();
        let link = shared.join("fstab");
        symlink(&victim, &link).unwrap();
        replace(&link, "ours\n", 0o644).unwrap_or_else(|e| panic!("our own link is followed: {e}"));
        std::fs::write(&victim, "victim\n").unwrap();
        std::os::unix::fs::lchown(&link, Some(12345), Some(12345)).expect("lchown needs root, as the test suite does");
        let err = replace(&link, "planted\n", 0o644).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("another user"), "{err}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "victim\n");
    }

    #[test]
    fn concurrent_edits_are_applied_one_after_the_other() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fstab");
        let threads: Vec<_> = (0..16)
            .map(|i| {
                let path = path.clone();
                std::thread::spawn(move || {
                    edit(&path, 0o644, |old| {
                        std::thread::sleep(std::time::Duration::from_millis(5));
                        Ok(Some(format!("{old}line {i}\n")))
                    })
                    .unwrap()
                })
            })
            .collect();
        threads.into_iter().for_each(|t| drop(t.join().unwrap()));
        assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 16, "no edit lost");
        assert_eq!(edit(&path, 0o644, |_| Ok(None)).unwrap(), None, "no change, no write");
    }

    #[test]
    fn concurrent_appends_each_see_the_others_and_never_rewrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("known_hosts");
        std::fs::write(&path, "kept, no newline").unwrap();
        let threads: Vec<_> = (0..24)
            .map(|i| {
                let path = path.clone();
                std::thread::spawn(move || {
                    // Six hosts, four threads each: one line per host in the end.
                    let line = format!("host{} key", i % 6);
                    append_locked(&path, 0o600, |text| Ok((!text.lines().any(|l| l == line)).then(|| line.clone()))).unwrap()
                })
            })
            .collect();
        let appended = threads.into_iter().map(|t| t.join().unwrap()).filter(|a| *a).count();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(appended, 6, "{text}");
        assert_eq!(text.lines().count(), 7, "{text}");
        assert!(text.starts_with("kept, no newline\n"));
        let fresh = dir.path().join("new");
        append_locked(&fresh, 0o600, |_| Ok(Some("x".into()))).unwrap();
        assert_eq!(mode(&fresh), 0o600);
        std::fs::write(&fresh, b"\xff\xfe").unwrap();
        assert_eq!(append_locked(&fresh, 0o600, |_| Ok(Some("x".into()))).unwrap_err().exit_code(), 2, "not UTF-8");
        assert_eq!(append_locked(dir.path(), 0o600, |_| Ok(Some("x".into()))).unwrap_err().exit_code(), 1, "a directory cannot be opened");
    }

    #[test]
    fn a_directory_at_the_backups_name_is_refused_before_any_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fstab");
        std::fs::write(&path, "x\n").unwrap();
        std::fs::create_dir(dir.path().join("fstab.awsops.bak")).unwrap();
        assert_eq!(check_writable(&path, "fstab").unwrap_err().exit_code(), 2);
    }

    #[test]
    fn symlink_loops_and_special_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        symlink(dir.path().join("b"), &a).unwrap();
        symlink(&a, dir.path().join("b")).unwrap();
        assert_eq!(replace(&a, "x", 0o644).unwrap_err().exit_code(), 2);
        assert_eq!(check_writable(Path::new("/dev/null"), "fstab").unwrap_err().exit_code(), 2);
    }
}
