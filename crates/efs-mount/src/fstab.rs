//! /etc/fstab editing: one line per mount point, added or replaced in place, never
//! duplicated, everything else (comments, blank lines, other entries, a missing final
//! newline) kept byte for byte; written atomically (temporary file, fsync, rename) after
//! a backup of the old file. Fields are split and escaped by libmount's own rule (blanks
//! are space and tab; space, tab, newline and backslash are written as `\ooo`), and only
//! lines efs-mount manages (EFS or AWS-style NFS mounts) are ever replaced or removed.

use awsops_core::{Error, Result};
use std::path::{Path, PathBuf};

/// AWS's recommended NFS client options for EFS: what efs-mount writes, and so also how it
/// recognises an NFS line as its own.
pub const NFS_OPTIONS: [&str; 7] = ["nfsvers=4.1", "rsize=1048576", "wsize=1048576", "hard", "timeo=600", "retrans=2", "noresvport"];
/// Boot must not hang on, nor wait for, a network file system.
pub const BOOT_OPTIONS: [&str; 2] = ["_netdev", "nofail"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub spec: String,
    pub mount_point: String,
    pub fstype: String,
    pub options: Vec<String>,
}

impl Entry {
    pub fn line(&self) -> String {
        format!("{} {} {} {} 0 0", escape(&self.spec), escape(&self.mount_point), self.fstype, self.options.join(","))
    }
}

/// libmount's `mangle`: the characters that would split or end a field, octal-escaped.
pub fn escape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    for c in field.chars() {
        match c {
            ' ' | '\t' | '\n' | '\\' => out.push_str(&format!("\\{:03o}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// libmount's `unmangle`: every `\ooo` (three octal digits) is that byte; anything else is kept.
pub fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = |b: u8| (b'0'..=b'7').contains(&b);
        if bytes[i] == b'\\' && i + 3 < bytes.len() && bytes[i + 1..i + 4].iter().all(|b| octal(*b)) {
            let value = u32::from(bytes[i + 1] - b'0') * 64 + u32::from(bytes[i + 2] - b'0') * 8 + u32::from(bytes[i + 3] - b'0');
            out.push(u8::try_from(value).unwrap_or(b'?'));
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The fields of a non-comment line, split on blanks (space, tab) as libmount splits them.
pub fn fields(line: &str) -> Option<Vec<&str>> {
    let trimmed = line.trim_start_matches([' ', '\t']);
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return None;
    }
    Some(trimmed.split([' ', '\t']).filter(|f| !f.is_empty()).collect())
}

fn mount_point_of(line: &str) -> Option<String> {
    fields(line)
        .and_then(|f| f.get(1).map(|m| unescape(m).trim_end_matches('/').to_owned()))
        .map(|m| if m.is_empty() { "/".into() } else { m })
}

/// Whether a line is one efs-mount writes and so may replace or remove: `efs` of an EFS
/// file system id, or NFS with the options efs-mount gives EFS mounts. A line for the same
/// directory that is anything else (a disk, someone's NFS server) is not touched.
pub fn is_managed(line: &str) -> bool {
    let Some(f) = fields(line) else { return false };
    if f.len() < 4 {
        return false;
    }
    let spec = unescape(f[0]);
    let options: Vec<&str> = f[3].split(',').collect();
    match f[2] {
        "efs" => {
            let id = spec.split(':').next().unwrap_or_default();
            awsops_core::aws_ids::matches(awsops_core::aws_ids::FILE_SYSTEM_ID, id)
        }
        "nfs4" | "nfs" => NFS_OPTIONS.iter().all(|o| options.contains(o)),
        _ => false,
    }
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
    unescape(f[0]) == entry.spec
        && unescape(f[1]).trim_end_matches('/') == entry.mount_point.trim_end_matches('/')
        && f[2] == entry.fstype
        && theirs == ours
}

/// Whether a managed line mounts this file system: `efs` of its id, or NFS from one of its
/// mount targets' addresses. Another file system's or server's line is not replaced.
pub fn is_for(line: &str, fs_id: &str, addresses: &[String]) -> bool {
    let Some(f) = fields(line) else { return false };
    if f.len() < 3 || !is_managed(line) {
        return false;
    }
    let spec = unescape(f[0]);
    let host = spec.split(':').next().unwrap_or_default();
    match f[2] {
        "efs" => host == fs_id,
        _ => addresses.iter().any(|a| a == host),
    }
}

fn refuse_foreign(lines: &[&str], matching: &[usize], mount_point: &str, ours: &dyn Fn(&str) -> bool) -> Result<()> {
    match matching.iter().find(|i| !ours(lines[**i])) {
        Some(i) => Err(Error::usage(format!(
            "fstab line {} for {mount_point} is not one efs-mount manages for this file system ({:?}); edit it by hand",
            i + 1,
            lines[*i]
        ))),
        None => Ok(()),
    }
}

/// The text with exactly one line for the entry's mount point (the first such line is
/// replaced in place, later ones removed); `None` when nothing changes. A line for that
/// mount point that `ours` does not accept is a usage error: nothing is changed.
pub fn upsert(text: &str, entry: &Entry, ours: &dyn Fn(&str) -> bool) -> Result<Option<String>> {
    let target = entry.mount_point.trim_end_matches('/');
    let lines: Vec<&str> = text.lines().collect();
    let matching: Vec<usize> = (0..lines.len()).filter(|i| mount_point_of(lines[*i]).as_deref() == Some(target)).collect();
    refuse_foreign(&lines, &matching, target, ours)?;
    if matching.len() == 1 && same_entry(lines[matching[0]], entry) {
        return Ok(None);
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
    Ok(Some(join(&out)))
}

/// The text without the mount point's lines; `None` when there were none. A line for it
/// that efs-mount does not manage is a usage error.
pub fn remove(text: &str, mount_point: &str) -> Result<Option<String>> {
    let target = mount_point.trim_end_matches('/');
    let lines: Vec<&str> = text.lines().collect();
    let matching: Vec<usize> = (0..lines.len()).filter(|i| mount_point_of(lines[*i]).as_deref() == Some(target)).collect();
    refuse_foreign(&lines, &matching, target, &is_managed)?;
    if matching.is_empty() {
        return Ok(None);
    }
    let kept: Vec<&str> = lines.iter().enumerate().filter(|(i, _)| !matching.contains(i)).map(|(_, l)| *l).collect();
    Ok(Some(join(&kept)))
}

/// The first field (what is mounted) of the managed line for a mount point, if any.
pub fn spec_of(text: &str, mount_point: &str) -> Option<String> {
    text.lines()
        .filter(|l| mount_point_of(l).as_deref() == Some(mount_point) && is_managed(l))
        .find_map(|l| fields(l).map(|f| unescape(f[0])))
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

/// The file's text (a missing file is empty), or a usage error when it cannot be read or
/// is not a regular file (a FIFO would block forever).
pub fn read(path: &Path) -> Result<String> {
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        return Err(Error::usage(format!("{} is not a regular file", path.display())));
    }
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

/// Edits the fstab under a lock: reads it again, applies `change`, and writes it atomically
/// after a backup (`PATH.awsops.bak`); a new fstab is 0644. Two runs at once lose nothing.
pub fn edit(path: &Path, change: impl FnOnce(&str) -> Result<Option<String>>) -> Result<Option<PathBuf>> {
    awsops_core::atomic_file::edit(path, 0o644, change)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn up(text: &str, e: &Entry) -> Result<Option<String>> {
        upsert(text, e, &is_managed)
    }

    const NFS: &str = "nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport";

    fn entry(spec: &str, mp: &str) -> Entry {
        Entry {
            spec: spec.into(),
            mount_point: mp.into(),
            fstype: "nfs4".into(),
            options: NFS.split(',').chain(["_netdev", "nofail"]).map(str::to_owned).collect(),
        }
    }

    fn managed(spec: &str, mp: &str) -> String {
        format!("{spec} {mp} nfs4 {NFS},_netdev 0 0")
    }

    const BASE: &str =
        "# /etc/fstab: static file system information.\n#\nUUID=abc / ext4 errors=remount-ro 0 1\n\n/swapfile none swap sw 0 0\n";

    #[test]
    fn a_new_line_is_appended_and_the_rest_kept() {
        let e = entry("10.0.1.5:/", "/mnt/efs");
        let out = up(BASE, &e).unwrap().unwrap();
        assert!(out.starts_with(BASE));
        assert_eq!(out.lines().last().unwrap(), format!("10.0.1.5:/ /mnt/efs nfs4 {NFS},_netdev,nofail 0 0"));
        assert_eq!(up(&out, &e).unwrap(), None, "idempotent");
    }

    #[test]
    fn options_in_another_order_are_the_same_line() {
        let mut opts: Vec<&str> = NFS.split(',').chain(["_netdev", "nofail"]).collect();
        opts.reverse();
        let text = format!("{BASE}10.0.1.5:/ /mnt/efs/ nfs4 {} 0 0\n", opts.join(","));
        assert_eq!(up(&text, &entry("10.0.1.5:/", "/mnt/efs")).unwrap(), None);
    }

    #[test]
    fn an_old_managed_line_is_replaced_in_place_and_duplicates_go() {
        let text = format!(
            "a / ext4 defaults 0 1\n{}\nb /data ext4 defaults 0 2\nfs-0123abcd:/ /mnt/efs efs tls,_netdev 0 0\n",
            managed("10.0.0.1:/", "/mnt/efs")
        );
        let out = up(&text, &entry("10.0.0.2:/", "/mnt/efs")).unwrap().unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[1].starts_with("10.0.0.2:/ /mnt/efs "));
        assert_eq!(lines[2], "b /data ext4 defaults 0 2");
    }

    #[test]
    fn lines_efs_mount_does_not_manage_are_never_touched() {
        for foreign in ["/dev/sda1 /mnt/efs ext4 defaults 0 2", "nas:/export /mnt/efs nfs4 defaults 0 0", "fs-xyz:/ /mnt/efs efs tls 0 0"] {
            let text = format!("{BASE}{foreign}\n");
            let err = up(&text, &entry("10.0.1.5:/", "/mnt/efs")).unwrap_err();
            assert_eq!(err.exit_code(), 2);
            assert!(err.to_string().contains("not one efs-mount manages"), "{err}");
            assert_eq!(remove(&text, "/mnt/efs").unwrap_err().exit_code(), 2);
        }
        assert!(is_managed("fs-0123abcd:/ /x efs tls,_netdev 0 0"));
        assert!(is_managed(&managed("10.0.0.1:/", "/x")));
        assert!(!is_managed("# fs-0123abcd:/ /x efs tls 0 0"));
    }

    #[test]
    fn only_lines_of_this_file_system_are_replaced() {
        let addresses = vec!["10.0.0.1".to_owned()];
        let ours = |l: &str| is_for(l, "fs-0123abcd", &addresses);
        assert!(ours(&managed("10.0.0.1:/", "/x")));
        assert!(ours("fs-0123abcd:/ /x efs tls,_netdev 0 0"));
        assert!(!ours("fs-99999999:/ /x efs tls,_netdev 0 0"), "another file system");
        assert!(!ours(&managed("192.168.5.5:/export", "/x")), "another server");
        let text = format!("{}\n", managed("192.168.5.5:/export", "/mnt/efs"));
        assert_eq!(upsert(&text, &entry("10.0.0.1:/", "/mnt/efs"), &ours).unwrap_err().exit_code(), 2);
        let not_a_file = tempfile::tempdir().unwrap();
        assert_eq!(read(not_a_file.path()).unwrap_err().exit_code(), 2, "not a regular file");
    }

    #[test]
    fn a_missing_final_newline_is_not_glued_to() {
        let out = up("a / ext4 defaults 0 1", &entry("x:/", "/mnt/efs")).unwrap().unwrap();
        assert_eq!(out, format!("a / ext4 defaults 0 1\nx:/ /mnt/efs nfs4 {NFS},_netdev,nofail 0 0\n"));
        assert!(up("", &entry("x:/", "/mnt/efs")).unwrap().unwrap().ends_with("0 0\n"));
    }

    #[test]
    fn comments_mentioning_the_mount_point_are_kept() {
        let text = "# x:/ /mnt/efs nfs4 defaults 0 0\n";
        let out = up(text, &entry("x:/", "/mnt/efs")).unwrap().unwrap();
        assert!(out.starts_with(text));
        assert_eq!(remove(text, "/mnt/efs").unwrap(), None);
    }

    #[test]
    fn fields_are_split_and_escaped_as_libmount_does() {
        for mp in ["/mnt/shared files", "/mnt/a\u{a0}b", "/mnt/back\\slash", "/mnt/tab\there"] {
            let e = entry("x:/", mp);
            let out = up("", &e).unwrap().unwrap();
            let f = fields(out.lines().next().unwrap()).unwrap();
            assert_eq!(f.len(), 6, "{out:?}");
            assert_eq!(unescape(f[1]), mp);
            assert_eq!(up(&out, &e).unwrap(), None, "a re-run finds its line: {mp:?}");
            assert_eq!(remove(&out, mp).unwrap().unwrap(), "");
        }
        assert_eq!(escape("/mnt/shared files"), "/mnt/shared\\040files");
        assert_eq!(unescape("a\\040b\\134c\\9xy\\12"), "a b\\c\\9xy\\12", "only three octal digits are an escape");
        assert_eq!(fields("a\u{a0}b /x\u{b} nfs4 o 0 0").unwrap().len(), 6, "only space and tab separate fields");
    }

    #[test]
    fn remove_takes_every_line_of_the_mount_point_only() {
        let text = format!("{BASE}{}\n{}\n", managed("x:/", "/mnt/efs"), managed("y:/", "/mnt/efs2"));
        let out = remove(&text, "/mnt/efs").unwrap().unwrap();
        assert!(out.starts_with(BASE) && out.contains("/mnt/efs2") && !out.contains("x:/"));
        assert_eq!(remove(&out, "/mnt/efs").unwrap(), None);
        assert_eq!(spec_of(&out, "/mnt/efs2").as_deref(), Some("y:/"));
    }

    #[test]
    fn writes_are_atomic_with_a_backup_and_checked_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fstab");
        std::fs::write(&path, BASE).unwrap();
        check_writable(&path).unwrap();
        let backup = edit(&path, |_| Ok(Some("new\n".into()))).unwrap().unwrap();
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
                Just(managed("old:/", "/mnt/efs")),
                Just("fs-0123abcd:/ /mnt/efs efs tls,_netdev 0 0".to_owned()),
                Just(managed("z:/", "/mnt/efs2")),
            ], 0..8),
            final_newline in any::<bool>(),
            mount_point in "/mnt/[a-z \u{a0}\\\\\t]{1,8}",
        ) {
            let mut text = others.join("\n").replace("/mnt/efs ", &format!("{} ", escape(&mount_point)));
            if final_newline && !text.is_empty() { text.push('\n'); }
            let mp = mount_point.trim_end_matches('/').to_owned();
            let e = entry("new:/", &mp);
            let out = up(&text, &e).unwrap().unwrap_or(text.clone());
            prop_assert_eq!(out.lines().filter(|l| mount_point_of(l).as_deref() == Some(mp.as_str())).count(), 1);
            let kept: Vec<&str> = text.lines().filter(|l| mount_point_of(l).as_deref() != Some(mp.as_str())).collect();
            let now: Vec<&str> = out.lines().filter(|l| mount_point_of(l).as_deref() != Some(mp.as_str())).collect();
            prop_assert_eq!(kept, now);
            prop_assert_eq!(up(&out, &e).unwrap(), None);
            let removed = remove(&out, &mp).unwrap().unwrap();
            prop_assert_eq!(remove(&removed, &mp).unwrap(), None);
        }
    }
}
