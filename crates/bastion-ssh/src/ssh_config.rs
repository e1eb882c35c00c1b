//! The ssh_config block bastion-ssh manages: `Host` entries for the bastion and each
//! private host with `ProxyJump`, between marker lines, replaced in place on every run
//! (anything else in the file is kept), so plain `ssh web-1` works.

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

/// A Host alias ssh accepts: letters, digits, `-`, `_`, `.`; anything else becomes `-`.
pub fn alias(text: &str) -> String {
    let a: String = text.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '-' }).collect();
    a.trim_matches('-').to_owned()
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
        if let Some(k) = known_hosts {
            out.push_str(&format!("  UserKnownHostsFile \"{k}\"\n"));
        }
        out.push_str("  StrictHostKeyChecking yes\n");
    }
    out.push_str(END);
    out.push('\n');
    out
}

/// The file with the managed block replaced (or appended); `None` when already so.
pub fn upsert(text: &str, new_block: &str) -> Option<String> {
    let out = match (text.find(BEGIN), text.find(END)) {
        (Some(start), Some(end)) if end > start => {
            let after = text[end + END.len()..].strip_prefix('\n').unwrap_or(&text[end + END.len()..]);
            format!("{}{new_block}{after}", &text[..start])
        }
        _ => {
            let mut t = text.to_owned();
            if !t.is_empty() && !t.ends_with('\n') {
                t.push('\n');
            }
            if !t.is_empty() {
                t.push('\n');
            }
            t.push_str(new_block);
            t
        }
    };
    (out != text).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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
                alias: "web-1".into(),
                host_name: "10.1.10.5".into(),
                port: 22,
                user: "ec2-user".into(),
                identity_file: Some("/k".into()),
                proxy_jump: Some("lab-bastion".into()),
            },
        ]
    }

    #[test]
    fn the_block_is_replaced_in_place_and_the_rest_kept() {
        let b = block(&entries(), None);
        let mine = "Host personal\n  User me\n";
        let first = upsert(mine, &b).unwrap();
        assert!(first.starts_with(mine) && first.contains("ProxyJump lab-bastion"));
        assert_eq!(upsert(&first, &b), None, "idempotent");
        let mut fewer = entries();
        fewer.pop();
        let second = upsert(&format!("{first}Host after\n"), &block(&fewer, None)).unwrap();
        assert!(second.starts_with(mine) && second.ends_with("Host after\n") && !second.contains("web-1"));
        assert_eq!(second.matches(BEGIN).count(), 1);
    }

    #[test]
    fn aliases_are_safe() {
        assert_eq!(alias("web server #1"), "web-server--1");
        assert_eq!(alias("db.prod"), "db.prod");
    }
}
