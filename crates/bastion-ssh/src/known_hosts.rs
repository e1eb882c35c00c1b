//! known_hosts as OpenSSH keeps it: `host[,host…] keytype base64key` lines, `[host]:port`
//! for ports other than 22, hashed names (`|1|salt|HMAC-SHA1`), comments and markers. A
//! host is known (same key), unknown, or changed (another key of the same type: always
//! refused, naming the line).

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Digest;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostCheck {
    Known,
    Unknown,
    /// The line (1-based) holding the other key.
    Changed {
        line: usize,
    },
}

/// How OpenSSH names a host in known_hosts.
pub fn host_pattern(host: &str, port: u16) -> String {
    if port == 22 { host.to_owned() } else { format!("[{host}]:{port}") }
}

/// The key type a public-key blob starts with (`ssh-ed25519`, `ssh-rsa`, …).
pub fn key_type(blob: &[u8]) -> Option<String> {
    let len = u32::from_be_bytes(blob.get(..4)?.try_into().ok()?) as usize;
    String::from_utf8(blob.get(4..4 + len)?.to_vec()).ok()
}

/// `SHA256:…` as `ssh-keygen -l` prints it.
pub fn fingerprint(blob: &[u8]) -> String {
    format!("SHA256:{}", STANDARD_NO_PAD.encode(sha2::Sha256::digest(blob)))
}

fn hashed_matches(entry: &str, name: &str) -> bool {
    let mut parts = entry.trim_start_matches("|1|").splitn(2, '|');
    let (Some(salt), Some(hash)) = (parts.next(), parts.next()) else { return false };
    let (Ok(salt), Ok(hash)) = (STANDARD.decode(salt), STANDARD.decode(hash)) else { return false };
    let Ok(mut mac) = <Hmac<sha1::Sha1> as Mac>::new_from_slice(&salt) else { return false };
    mac.update(name.as_bytes());
    mac.verify_slice(&hash).is_ok()
}

fn names_match(field: &str, name: &str) -> bool {
    if field.starts_with("|1|") {
        return hashed_matches(field, name);
    }
    let mut hit = false;
    for pattern in field.split(',') {
        if let Some(negated) = pattern.strip_prefix('!') {
            if glob(negated, name) {
                return false;
            }
        } else if glob(pattern, name) {
            hit = true;
        }
    }
    hit
}

/// Host patterns compare without regard to case.
fn glob(pattern: &str, text: &str) -> bool {
    awsops_core::wildcard::matches(pattern, text, true)
}

/// Checks `blob` for `host:port` against known_hosts text.
pub fn check(text: &str, host: &str, port: u16, blob: &[u8]) -> HostCheck {
    let name = host_pattern(host, port);
    let Some(kind) = key_type(blob) else { return HostCheck::Unknown };
    let encoded = STANDARD.encode(blob);
    let mut changed = None;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_whitespace().peekable();
        let marker = fields.peek().is_some_and(|f| f.starts_with('@'));
        let revoked = marker && fields.peek() == Some(&"@revoked");
        if marker {
            fields.next();
        }
        let (Some(hosts), Some(ktype), Some(key)) = (fields.next(), fields.next(), fields.next()) else { continue };
        if !names_match(hosts, &name) {
            continue;
        }
        if revoked && key == encoded {
            return HostCheck::Changed { line: n + 1 };
        }
        if ktype == kind && key == encoded && !revoked {
            return HostCheck::Known;
        }
        if ktype == kind && changed.is_none() {
            changed = Some(n + 1);
        }
    }
    changed.map_or(HostCheck::Unknown, |line| HostCheck::Changed { line })
}

/// The line `--accept-new` appends.
pub fn line(host: &str, port: u16, blob: &[u8]) -> String {
    format!("{} {} {}", host_pattern(host, port), key_type(blob).unwrap_or_default(), STANDARD.encode(blob))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob(kind: &str, body: &[u8]) -> Vec<u8> {
        let mut b = (kind.len() as u32).to_be_bytes().to_vec();
        b.extend(kind.as_bytes());
        b.extend(body);
        b
    }

    #[test]
    fn known_unknown_and_changed() {
        let key = blob("ssh-ed25519", b"one");
        let other = blob("ssh-ed25519", b"two");
        let rsa = blob("ssh-rsa", b"three");
        let text = format!("# comment\n{}\n10.0.0.9 {}\n", line("10.0.0.5", 22, &key), &line("x", 22, &other)[2..]);
        assert_eq!(check(&text, "10.0.0.5", 22, &key), HostCheck::Known);
        assert_eq!(check(&text, "10.0.0.5", 22, &other), HostCheck::Changed { line: 2 });
        assert_eq!(check(&text, "10.0.0.5", 22, &rsa), HostCheck::Unknown, "another key type is not a change");
        assert_eq!(check(&text, "10.0.0.5", 2222, &key), HostCheck::Unknown, "ports are part of the name");
        assert_eq!(check(&text, "10.0.0.9", 22, &other), HostCheck::Known);
        assert!(line("h", 2222, &key).starts_with("[h]:2222 ssh-ed25519 "));
    }

    #[test]
    fn hashed_names_and_patterns() {
        let key = blob("ssh-ed25519", b"one");
        // A hashed entry made like OpenSSH does: HMAC-SHA1 keyed with the salt over the name.
        let salt = b"0123456789abcdefghij";
        let mut mac = <Hmac<sha1::Sha1> as Mac>::new_from_slice(salt).unwrap();
        mac.update(b"[bastion]:2222");
        let hashed = format!("|1|{}|{}", STANDARD.encode(salt), STANDARD.encode(mac.finalize().into_bytes()));
        let text =
            format!("{hashed} ssh-ed25519 {}\n*.internal,!bad.internal ssh-ed25519 {}\n", STANDARD.encode(&key), STANDARD.encode(&key));
        assert_eq!(check(&text, "bastion", 2222, &key), HostCheck::Known);
        assert_eq!(check(&text, "web.internal", 22, &key), HostCheck::Known);
        assert_eq!(check(&text, "bad.internal", 22, &key), HostCheck::Unknown);
        assert_eq!(check(&format!("@revoked * ssh-ed25519 {}\n", STANDARD.encode(&key)), "x", 22, &key), HostCheck::Changed { line: 1 });
    }

    #[test]
    fn fingerprints_look_like_ssh_keygen() {
        let f = fingerprint(&blob("ssh-ed25519", b"one"));
        assert!(f.starts_with("SHA256:") && !f.ends_with('='));
    }
}
