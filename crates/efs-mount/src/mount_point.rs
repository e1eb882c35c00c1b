//! Which directories efs-mount may mount on or unmount: absolute, normalised paths without
//! control characters (fstab cannot carry them and they hide what a line says), never `/`
//! nor the system's own directories, whose loss would take the host down with them.

use awsops_core::{Error, Result};

/// Directories a host needs for itself: mounting over one of them (or unmounting it)
/// breaks the machine. `/home`, `/srv`, `/opt`, `/mnt` and `/media` stay allowed, as
/// shared homes and data on EFS are common.
const SYSTEM_DIRS: [&str; 18] = [
    "/",
    "/bin",
    "/boot",
    "/boot/efi",
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
    "/tmp",
    "/usr",
    "/var",
];
/// Kernel and runtime trees: nothing below them is a place for a file system.
const SYSTEM_TREES: [&str; 4] = ["/proc/", "/sys/", "/dev/", "/run/"];

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
    if SYSTEM_DIRS.contains(&normal) || SYSTEM_TREES.iter().any(|t| normal.starts_with(t)) {
        return Err(bad("a directory of the system itself; efs-mount never mounts on or unmounts it"));
    }
    Ok(normal.to_owned())
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
        assert_eq!(check("/home").unwrap(), "/home");
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
