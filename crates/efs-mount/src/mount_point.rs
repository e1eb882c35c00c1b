//! Which directories efs-mount may mount on or unmount: absolute, normalised paths without
//! control characters (fstab cannot carry them and they hide what a line says), never `/`
//! nor the system's own directories, whose loss would take the host down with them.

use awsops_core::{Error, Result};

/// Directories a host needs for itself: mounting over one of them (or unmounting it)
/// breaks the machine. `/home`, `/srv`, `/opt`, `/mnt`, `/media`, and directories below
/// `/var` and `/tmp` such as `/var/www/uploads`, stay allowed: shared data on EFS lives there.
const SYSTEM_DIRS: [&str; 5] = ["/", "/tmp", "/var", "/home", "/opt"];
/// Trees of the system itself: neither they nor anything below them is a place for a file
/// system (`/etc/ssh`, `/usr/bin`, `/var/lib/dpkg`, `/root/.ssh` …).
const SYSTEM_TREES: [&str; 23] = [
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/sys",
    "/usr",
    "/var/lib",
    "/var/log",
    "/var/cache",
    "/var/spool",
    "/var/tmp",
    "/var/run",
    "/var/lock",
    "/var/mail",
    "/var/backups",
];

const MAX_LEN: usize = 4095;

/// The mount point, checked and normalised (no trailing `/`), or a usage error.
pub fn check(path: &str) -> Result<String> {
    let bad = |why: &str| Error::usage(format!("mount point {path:?}: {why}"));
    if !path.starts_with('/') {
        return Err(bad("give an absolute path"));
    }
    if path.len() > MAX_LEN {
        return Err(bad("too long"));
    }
    if path.chars().any(char::is_control) {
        return Err(bad("contains a control character"));
    }
    let trimmed = path.trim_end_matches('/');
    let normal = if trimmed.is_empty() { "/" } else { trimmed };
    if normal.split('/').skip(1).any(|part| part.is_empty() || part == "." || part == "..") {
        return Err(bad("not a normalised path (empty, . or .. parts)"));
    }
    if SYSTEM_DIRS.contains(&normal) || SYSTEM_TREES.iter().any(|t| normal == *t || normal.starts_with(&format!("{t}/"))) {
        return Err(bad("a directory of the system itself; efs-mount never mounts on or unmounts it"));
    }
    Ok(normal.to_owned())
}

/// The mount point on disk: no part of the path that exists may be a symbolic link, since
/// mount(8) and the kernel follow links, so a link planted at (or above) the mount point
/// would put the file system over wherever it points (`/etc`). Checked before anything is
/// done and again right before the mount.
pub fn check_no_links(path: &str) -> Result<()> {
    let mut prefix = std::path::PathBuf::from("/");
    for part in path.split('/').filter(|p| !p.is_empty()) {
        prefix.push(part);
        match std::fs::symlink_metadata(&prefix) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(Error::usage(format!("mount point {path:?}: {} is a symbolic link; give the real path", prefix.display())));
            }
            Ok(_) => {}
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ordinary_paths_pass_normalised() {
        assert_eq!(check("/mnt/efs/").unwrap(), "/mnt/efs");
        assert_eq!(check("/var/www/uploads").unwrap(), "/var/www/uploads");
        assert_eq!(check("/mnt/shared files").unwrap(), "/mnt/shared files");
        assert_eq!(check("/mnt/a\u{a0}b").unwrap(), "/mnt/a\u{a0}b", "a non-breaking space is an ordinary character");
        assert_eq!(check("/home/shared").unwrap(), "/home/shared");
        assert_eq!(check("/tmp/x").unwrap(), "/tmp/x");
        assert_eq!(check("/usrdata").unwrap(), "/usrdata", "a prefix of a name is not its tree");
    }

    #[test]
    fn the_system_and_odd_paths_are_refused() {
        for bad in [
            "/",
            "//",
            "/boot",
            "/boot/",
            "/etc",
            "/usr",
            "/var",
            "/proc/1",
            "/sys/fs",
            "/dev/shm",
            "/run/user",
            "mnt",
            "",
            "/mnt/../etc",
            "/mnt/./x",
            "/mnt//x",
            "/mnt/a\rb",
            "/mnt/a\u{b}b",
            "/mnt/a\nb",
            "/mnt/a\tb",
        ] {
            assert_eq!(check(bad).map_err(|e| e.exit_code()), Err(2), "{bad:?}");
        }
    }

    #[test]
    fn links_on_the_way_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        std::os::unix::fs::symlink("/etc", dir.path().join("shared")).unwrap();
        std::os::unix::fs::symlink(&real, dir.path().join("up")).unwrap();
        check_no_links(real.to_str().unwrap()).unwrap();
        check_no_links(dir.path().join("missing/below").to_str().unwrap()).unwrap();
        for linked in ["shared", "up/below"] {
            let err = check_no_links(dir.path().join(linked).to_str().unwrap()).unwrap_err();
            assert_eq!(err.exit_code(), 2);
            assert!(err.to_string().contains("symbolic link"), "{err}");
        }
    }

    proptest! {
        #[test]
        fn what_passes_is_absolute_clean_and_stable(path in "(/[a-z .\u{a0}\r\n\t]{0,6}){0,4}/?") {
            if let Ok(normal) = check(&path) {
                prop_assert!(normal.starts_with('/') && !normal.ends_with('/'));
                prop_assert!(!normal.chars().any(char::is_control));
                prop_assert_eq!(check(&normal).unwrap(), normal.clone());
            }
        }
    }
}
