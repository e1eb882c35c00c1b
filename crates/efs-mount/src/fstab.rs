//! /etc/fstab editing: one line per mount point, added or replaced in place, never
//! duplicated, everything else (comments, blank lines, other entries, a missing final
//! newline) kept byte for byte; written atomically (temporary file, fsync, rename) after
//! a backup of the old file.

use awsops_core::{Error, Result};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub spec: String,
    pub mount_point: String,
    pub fstype: String,
    pub options: Vec<String>,
}

impl Entry {
    pub fn line(&self) -> String {
        format!("{} {} {} {} 0 0", self.spec, escape(&self.mount_point), self.fstype, self.options.join(","))
    }
}

/// fstab separates fields by whitespace: spaces and tabs in paths are written octal-escaped.
pub fn escape(path: &str) -> String {
    path.replace('\\', "\\134").replace(' ', "\\040").replace('\t', "\\011").replace('\n', "\\012")
}

pub fn unescape(field: &str) -> String {
    field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\")
}

/// The fields of a non-comment line.
fn fields(line: &str) -> Option<Vec<&str>> {
    let trimmed = line.trim_start();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return None;
    }
    Some(trimmed.split_whitespace().collect())
}

fn mount_point_of(line: &str) -> Option<String> {
    fields(line)
        .and_then(|f| f.get(1).map(|m| unescape(m).trim_end_matches('/').to_owned()))
        .map(|m| if m.is_empty() { "/".into() } else { m })
}

fn same_entry(line: &str, entry: &Entry) -> bool {
    let Some(f) = fields(line) else { return false };
    if f.len() < 4 {
        return false;
    }
    let mut theirs: Vec<&str> = f[3].split(',').collect();
    let mut ours: Vec<&str> = entry.options.iter().map(String::as_str).collect();
    theirs.sort_unstable();
    ours.sort_unstable();
    f[0] == entry.spec
        && unescape(f[1]).trim_end_matches('/') == entry.mount_point.trim_end_matches('/')
        && f[2] == entry.fstype
        && theirs == ours
}

/// The text with exactly one line for the entry's mount point (the first such line is
/// replaced in place, later ones removed); `None` when nothing changes.
pub fn upsert(text: &str, entry: &Entry) -> Option<String> {
    let target = entry.mount_point.trim_end_matches('/');
    let lines: Vec<&str> = text.lines().collect();
    let matching: Vec<usize> = (0..lines.len()).filter(|i| mount_point_of(lines[*i]).as_deref() == Some(target)).collect();
    if matching.len() == 1 && same_entry(lines[matching[0]], entry) {
        return None;
    }
    let new_line = entry.line();
    let mut out: Vec<&str> = Vec::with_capacity(lines.len() + 1);
    let mut placed = false;
    for (i, line) in lines.iter().enumerate() {
        if matching.contains(&i) {
            if !placed {
                out.push(&new_line);
                placed = true;
            }
        } else {
            out.push(line);
        }
    }
    if !placed {
        out.push(&new_line);
    }
    Some(join(&out))
}

/// The text without any line for the mount point; `None` when there was none.
pub fn remove(text: &str, mount_point: &str) -> Option<String> {
    let target = mount_point.trim_end_matches('/');
    let lines: Vec<&str> = text.lines().collect();
    let kept: Vec<&str> = lines.iter().copied().filter(|l| mount_point_of(l).as_deref() != Some(target)).collect();
    (kept.len() != lines.len()).then(|| join(&kept))
}

/// Lines back into a file; the result ends with a newline (a file that lacked one gets it,
/// since a line appended after it would otherwise be glued to the last line).
fn join(lines: &[&str]) -> String {
    let mut s = lines.join("\n");
    if !s.is_empty() {
        s.push('\n');
    }
    s
}

/// `-old` / `+new` lines between two texts (line sets; order is kept by the editor).
pub fn diff(old: &str, new: &str) -> Vec<String> {
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let mut out: Vec<String> = old_lines.iter().filter(|l| !new_lines.contains(l)).map(|l| format!("-{l}")).collect();
    out.extend(new_lines.iter().filter(|l| !old_lines.contains(l)).map(|l| format!("+{l}")));
    out
}

/// The file's text (a missing file is empty), or a usage error when it cannot be read.
pub fn read(path: &Path) -> Result<String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(Error::usage(format!("cannot read {}: {e}", path.display()))),
    }
}

/// A usage error unless the fstab (or, when missing, its directory) can be written.
pub fn check_writable(path: &Path) -> Result<()> {
    awsops_core::atomic_file::check_writable(path, "fstab")
}

/// Writes the fstab atomically after a backup (`PATH.awsops.bak`).
pub fn write(path: &Path, text: &str) -> Result<PathBuf> {
    awsops_core::atomic_file::replace(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(spec: &str, mp: &str) -> Entry {
        Entry {
            spec: spec.into(),
            mount_point: mp.into(),
            fstype: "nfs4".into(),
            options: ["nfsvers=4.1", "hard", "_netdev", "nofail"].iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    const BASE: &str =
        "# /etc/fstab: static file system information.\n#\nUUID=abc / ext4 errors=remount-ro 0 1\n\n/swapfile none swap sw 0 0\n";

    #[test]
    fn a_new_line_is_appended_and_the_rest_kept() {
        let e = entry("10.0.1.5:/", "/mnt/efs");
        let out = upsert(BASE, &e).unwrap();
        assert!(out.starts_with(BASE));
        assert_eq!(out.lines().last().unwrap(), "10.0.1.5:/ /mnt/efs nfs4 nfsvers=4.1,hard,_netdev,nofail 0 0");
        assert_eq!(upsert(&out, &e), None, "idempotent");
    }

    #[test]
    fn options_in_another_order_are_the_same_line() {
        let text = format!("{BASE}10.0.1.5:/ /mnt/efs/ nfs4 nofail,_netdev,hard,nfsvers=4.1 0 0\n");
        assert_eq!(upsert(&text, &entry("10.0.1.5:/", "/mnt/efs")), None);
    }

    #[test]
    fn an_old_line_is_replaced_in_place_and_duplicates_go() {
        let text = "a / ext4 defaults 0 1\nold:/ /mnt/efs nfs4 defaults 0 0\nb /data ext4 defaults 0 2\nold2:/ /mnt/efs nfs defaults 0 0\n";
        let out = upsert(text, &entry("new:/", "/mnt/efs")).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[1].starts_with("new:/ /mnt/efs "));
        assert_eq!(lines[2], "b /data ext4 defaults 0 2");
    }

    #[test]
    fn a_missing_final_newline_is_not_glued_to() {
        let out = upsert("a / ext4 defaults 0 1", &entry("x:/", "/mnt/efs")).unwrap();
        assert_eq!(out, "a / ext4 defaults 0 1\nx:/ /mnt/efs nfs4 nfsvers=4.1,hard,_netdev,nofail 0 0\n");
        assert!(upsert("", &entry("x:/", "/mnt/efs")).unwrap().ends_with("0 0\n"));
    }

    #[test]
    fn comments_mentioning_the_mount_point_are_kept() {
        let text = "# x:/ /mnt/efs nfs4 defaults 0 0\n";
        let out = upsert(text, &entry("x:/", "/mnt/efs")).unwrap();
        assert!(out.starts_with(text));
        assert_eq!(remove(text, "/mnt/efs"), None);
    }

    #[test]
    fn spaces_in_mount_points_are_escaped() {
        let e = entry("x:/", "/mnt/shared files");
        let out = upsert("", &e).unwrap();
        assert!(out.contains("/mnt/shared\\040files"));
        assert_eq!(upsert(&out, &e), None);
        assert_eq!(remove(&out, "/mnt/shared files").unwrap(), "");
    }

    #[test]
    fn remove_takes_every_line_of_the_mount_point_only() {
        let text = format!("{BASE}x:/ /mnt/efs nfs4 defaults 0 0\ny:/ /mnt/efs2 nfs4 defaults 0 0\n");
        let out = remove(&text, "/mnt/efs").unwrap();
        assert!(out.starts_with(BASE) && out.contains("/mnt/efs2") && !out.contains("x:/"));
        assert_eq!(remove(&out, "/mnt/efs"), None);
    }

    #[test]
    fn writes_are_atomic_with_a_backup_and_checked_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fstab");
        std::fs::write(&path, BASE).unwrap();
        check_writable(&path).unwrap();
        let backup = write(&path, "new\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        assert_eq!(std::fs::read_to_string(backup).unwrap(), BASE);
        assert_eq!(check_writable(dir.path()).unwrap_err().exit_code(), 2);
        assert_eq!(check_writable(Path::new("/nonexistent-dir/fstab")).unwrap_err().exit_code(), 2);
    }

    proptest! {
        #[test]
        fn upsert_leaves_one_line_and_keeps_the_rest(
            others in proptest::collection::vec(prop_oneof![
                Just("# comment".to_owned()),
                Just(String::new()),
                Just("UUID=1 / ext4 defaults 0 1".to_owned()),
                Just("old:/ /mnt/efs nfs4 defaults 0 0".to_owned()),
                Just("z:/ /mnt/efs2 nfs4 defaults 0 0".to_owned()),
            ], 0..8),
            final_newline in any::<bool>(),
        ) {
            let mut text = others.join("\n");
            if final_newline && !text.is_empty() { text.push('\n'); }
            let e = entry("new:/", "/mnt/efs");
            let out = upsert(&text, &e).unwrap_or(text.clone());
            prop_assert_eq!(out.lines().filter(|l| mount_point_of(l).as_deref() == Some("/mnt/efs")).count(), 1);
            let kept: Vec<&str> = text.lines().filter(|l| mount_point_of(l).as_deref() != Some("/mnt/efs")).collect();
            let now: Vec<&str> = out.lines().filter(|l| mount_point_of(l).as_deref() != Some("/mnt/efs")).collect();
            prop_assert_eq!(kept, now);
            prop_assert_eq!(upsert(&out, &e), None);
            let removed = remove(&out, "/mnt/efs").unwrap();
            prop_assert_eq!(remove(&removed, "/mnt/efs"), None);
        }
    }
}
