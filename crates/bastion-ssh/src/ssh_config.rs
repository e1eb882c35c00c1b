//! The ssh_config block bastion-ssh manages: `Host` entries for the bastion and each
//! private host with `ProxyJump`, between marker lines, so plain `ssh PREFIX-web-1` works.
//! No network here.
//!
//! ssh_config takes the first value it meets for most keys, so where the block stands
//! decides what it means. It goes at the top of the file (moved there if an older run left
//! it lower), which makes its own entries win for its own aliases; every alias carries a
//! prefix (the stack's name) so it cannot capture a name the user already uses (an
//! instance named `github.com` becomes `lab-github-com`, never `github.com`); and the block
//! ends with `Host *`, so whatever the user wrote below it applies to every host as before
//! instead of becoming part of the block's last entry. Entries set `ForwardAgent no`.

pub const BEGIN: &str = "# BEGIN awsops bastion-ssh (managed; edits here are replaced)";
pub const END: &str = "# END awsops bastion-ssh";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostEntry {
    pub alias: String,
    pub host_name: String,
    pub port: u16,
    pub user: String,
    pub identity_file: Option<String>,
    pub proxy_jump: Option<String>,
}

/// Letters, digits, `-` and `_` (no dots: a dotted alias could shadow a real domain name,
/// and no pattern characters); anything else becomes `-`.
pub fn alias(text: &str) -> String {
    let a: String = text.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' }).collect();
    a.trim_matches('-').to_owned()
}

/// A usage error unless `prefix` is made of alias characters only.
pub fn check_prefix(prefix: &str) -> Result<(), String> {
    if prefix.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        Ok(())
    } else {
        Err(format!("--prefix {prefix:?}: use letters, digits, - and _ only"))
    }
}

/// The alias of each instance (`(id, Name)`), in order, and a warning for each one that
/// could not keep its name: characters replaced, or a clash with the bastion's alias or an
/// earlier instance's (then it is known by its id).
pub fn aliases(prefix: &str, bastion_alias: &str, instances: &[(String, Option<String>)]) -> (Vec<String>, Vec<String>) {
    let mut taken = std::collections::HashSet::from([bastion_alias.to_owned()]);
    let (mut out, mut warnings) = (Vec::new(), Vec::new());
    for (id, name) in instances {
        let base = name.as_deref().map(alias).filter(|a| !a.is_empty()).unwrap_or_else(|| id.clone());
        let mut chosen = format!("{prefix}{base}");
        if let Some(n) = name.as_deref().filter(|n| alias(n) != *n) {
            warnings.push(format!("instance {id} is named {n:?}: written as Host {chosen}"));
        }
        if !taken.insert(chosen.clone()) {
            let by_id = format!("{prefix}{id}");
            warnings.push(format!("instance {id}: Host {chosen} is taken (the bastion or another instance); written as Host {by_id}"));
            chosen = by_id;
            taken.insert(chosen.clone());
        }
        out.push(chosen);
    }
    (out, warnings)
}

pub fn block(entries: &[HostEntry], known_hosts: Option<&str>) -> String {
    let mut out = format!("{BEGIN}\n");
    for e in entries {
        out.push_str(&format!("Host {}\n  HostName {}\n  User {}\n", e.alias, e.host_name, e.user));
        if e.port != 22 {
            out.push_str(&format!("  Port {}\n", e.port));
        }
        if let Some(id) = &e.identity_file {
            out.push_str(&format!("  IdentityFile \"{id}\"\n  IdentitiesOnly yes\n"));
        }
        if let Some(j) = &e.proxy_jump {
            out.push_str(&format!("  ProxyJump {j}\n"));
        }
        if let Some(k) = &known_hosts {
            out.push_str(&format!("  UserKnownHostsFile \"{k}\"\n"));
        }
        out.push_str("  StrictHostKeyChecking yes\n  ForwardAgent no\n");
    }
    // Back to every host: the user's lines below keep applying as they did.
    out.push_str("Host *\n");
    out.push_str(END);
    out.push('\n');
    out
}

/// The file with the managed block at the top (an old one removed wherever it was);
/// `None` when already so.
pub fn upsert(text: &str, new_block: &str) -> Option<String> {
    let rest = match (text.find(BEGIN), text.find(END)) {
        (Some(start), Some(end)) if end > start => {
            let after = &text[end + END.len()..];
            let after = after.strip_prefix('\n').unwrap_or(after);
            let before = &text[..start];
            // The blank line an older version put before an appended block goes with it.
            let before = before.strip_suffix("\n\n").map(|b| format!("{b}\n")).unwrap_or_else(|| before.to_owned());
            format!("{before}{after}")
        }
        _ => text.to_owned(),
    };
    // One blank line between the block and the user's text (the one this put there before).
    let rest = rest.trim_start_matches('\n');
    let out = if rest.trim().is_empty() { new_block.to_owned() } else { format!("{new_block}\n{rest}") };
    (out != text).then_some(out)
}

/// A unified diff (3 lines of context) of `old` to `new`, as `diff -u` prints it, for
/// `config --dry-run`; empty when they are equal.
pub fn diff(path: &str, old: &str, new: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    // Longest common subsequence table, from the ends (files here are small).
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    // The edit script: (tag, old line index, new line index).
    let (mut ops, mut i, mut j) = (Vec::new(), 0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', i, j));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', i, j));
            i += 1;
        } else {
            ops.push(('+', i, j));
            j += 1;
        }
    }
    let changed: Vec<usize> = ops.iter().enumerate().filter(|(_, o)| o.0 != ' ').map(|(k, _)| k).collect();
    if changed.is_empty() {
        return String::new();
    }
    let mut out = format!("--- {path}\n+++ {path}\n");
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(3);
        let mut end = (changed[k] + 4).min(ops.len());
        while k + 1 < changed.len() && changed[k + 1] < end + 3 {
            k += 1;
            end = (changed[k] + 4).min(ops.len());
        }
        let hunk = &ops[start..end];
        let old_len = hunk.iter().filter(|o| o.0 != '+').count();
        let new_len = hunk.iter().filter(|o| o.0 != '-').count();
        let old_start = hunk[0].1 + usize::from(old_len > 0);
        let new_start = hunk[0].2 + usize::from(new_len > 0);
        out.push_str(&format!("@@ -{old_start},{old_len} +{new_start},{new_len} @@\n"));
        for &(tag, oi, nj) in hunk {
            let line = if tag == '+' { b[nj] } else { a[oi] };
            out.push_str(&format!("{tag}{line}\n"));
        }
        k += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entries() -> Vec<HostEntry> {
        vec![
            HostEntry {
                alias: "lab-bastion".into(),
                host_name: "203.0.113.9".into(),
                port: 22,
                user: "ec2-user".into(),
                identity_file: Some("/k".into()),
                proxy_jump: None,
            },
            HostEntry {
                alias: "lab-web-1".into(),
                host_name: "10.1.10.5".into(),
                port: 22,
                user: "ec2-user".into(),
                identity_file: Some("/k".into()),
                proxy_jump: Some("lab-bastion".into()),
            },
        ]
    }

    #[test]
    fn the_block_goes_to_the_top_and_the_rest_is_kept() {
        let b = block(&entries(), None);
        assert!(b.contains("ForwardAgent no") && b.ends_with(&format!("Host *\n{END}\n")));
        let mine = "User me\nHost personal\n  User me\n";
        let first = upsert(mine, &b).unwrap();
        assert!(first.starts_with(BEGIN) && first.ends_with(mine), "{first}");
        assert_eq!(upsert(&first, &b), None, "idempotent");
        let mut fewer = entries();
        fewer.pop();
        let second = upsert(&format!("{first}Host after\n"), &block(&fewer, None)).unwrap();
        assert!(second.starts_with(BEGIN) && second.ends_with("Host after\n") && !second.contains("web-1"));
        assert_eq!(second.matches(BEGIN).count(), 1);
        // A block an older version appended is moved to the top.
        let old = format!("{mine}\n{b}");
        let moved = upsert(&old, &b).unwrap();
        assert_eq!(moved, first);
        assert_eq!(upsert("", &b).unwrap(), b);
    }

    #[test]
    fn aliases_are_namespaced_and_never_clash() {
        let inst = |id: &str, name: Option<&str>| (id.to_owned(), name.map(str::to_owned));
        let (names, warnings) = aliases(
            "lab-",
            "lab-bastion",
            &[
                inst("i-1", Some("web-1")),
                inst("i-2", Some("bastion")),
                inst("i-3", Some("github.com")),
                inst("i-4", Some("web-1")),
                inst("i-5", None),
            ],
        );
        assert_eq!(names, ["lab-web-1", "lab-i-2", "lab-github-com", "lab-i-4", "lab-i-5"]);
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[1].contains("github.com"));
        assert_eq!(alias("web server #1"), "web-server--1");
        assert_eq!(alias("db.prod"), "db-prod");
        assert!(check_prefix("lab-").is_ok() && check_prefix("a.b").is_err() && check_prefix("*").is_err());
    }

    /// Applies a unified diff made by [`diff`] (a test's own `patch`).
    fn patch(old: &str, d: &str) -> String {
        let a: Vec<&str> = old.lines().collect();
        let (mut out, mut at) = (String::new(), 0usize);
        for line in d.lines().skip(2) {
            if let Some(header) = line.strip_prefix("@@ -") {
                let (start, len) = header.split_once(' ').unwrap().0.split_once(',').unwrap();
                let (start, len): (usize, usize) = (start.parse().unwrap(), len.parse().unwrap());
                let to = if len == 0 { start } else { start - 1 };
                a[at..to].iter().for_each(|l| out.push_str(&format!("{l}\n")));
                at = to;
            } else if let Some(l) = line.strip_prefix('+') {
                out.push_str(&format!("{l}\n"));
            } else if line.starts_with('-') {
                at += 1;
            } else {
                out.push_str(&format!("{}\n", a[at]));
                at += 1;
            }
        }
        a[at..].iter().for_each(|l| out.push_str(&format!("{l}\n")));
        out
    }

    #[test]
    fn diffs_read_like_diff_u() {
        assert_eq!(diff("f", "a\nb\n", "a\nb\n"), "");
        assert_eq!(diff("f", "a\nb\nc\n", "a\nB\nc\n"), "--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
        assert_eq!(diff("f", "", "x\n"), "--- f\n+++ f\n@@ -0,0 +1,1 @@\n+x\n");
        let far = diff("f", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n");
        assert_eq!(far.matches("@@").count(), 4, "two hunks: {far}");
    }

    proptest! {
        /// Patching the old text with the diff gives the new one.
        #[test]
        fn a_diff_patches_old_into_new(old in prop::collection::vec("[ab]{0,2}", 0..14), new in prop::collection::vec("[ab]{0,2}", 0..14)) {
            let (old, new) = (old.iter().map(|l| format!("{l}\n")).collect::<String>(), new.iter().map(|l| format!("{l}\n")).collect::<String>());
            let d = diff("f", &old, &new);
            prop_assert_eq!(d.is_empty(), old == new);
            prop_assert_eq!(patch(&old, &d), new);
        }

        /// Whatever the names, aliases are distinct, prefixed, dot-free and not the bastion's.
        #[test]
        fn aliases_are_distinct(names in prop::collection::vec(prop::option::of("[a-z.]{0,6}"), 0..10)) {
            let instances: Vec<(String, Option<String>)> = names.into_iter().enumerate().map(|(n, name)| (format!("i-{n}"), name)).collect();
            let (out, _) = aliases("p-", "p-bastion", &instances);
            let unique: std::collections::HashSet<&String> = out.iter().collect();
            prop_assert_eq!(unique.len(), out.len());
            prop_assert!(out.iter().all(|a| a.starts_with("p-") && !a.contains('.') && a != "p-bastion"));
        }
    }
}
