//! known_hosts as OpenSSH reads it, so a host key bastion-ssh accepts is one `ssh` would
//! accept from the same file: `host[,host…] keytype base64key [comment]` lines, `[host]:port`
//! for ports other than 22, hashed names (`|1|salt|HMAC-SHA1`), `*`/`?` patterns and
//! `!negation`, and the `@revoked` and `@cert-authority` markers. No network here.
//!
//! The verdict follows OpenSSH's `check_hostkeys_by_key_or_type` (hostfile.c): among the
//! lines whose names match, a plain line with the offered key makes it known; any other
//! plain line, of whatever key type, makes it changed; a `@revoked` line with the key
//! refuses it whatever the other lines say; `@cert-authority` lines vouch only for host
//! certificates, which libssh2 cannot negotiate, so they never make a plain key known (nor
//! changed). Lines OpenSSH cannot parse (an unknown marker or key type, a key that does not
//! decode to its declared type) are skipped, as OpenSSH skips them.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Digest;

/// What a known_hosts file says of an offered host key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostCheck {
    Known,
    /// No plain line names the host.
    Unknown,
    /// The line (1-based) holding another key for the host (of any type).
    Changed {
        line: usize,
    },
    /// The `@revoked` line (1-based) naming this key.
    Revoked {
        line: usize,
    },
}

/// The markers a line can start with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    None,
    CertAuthority,
    Revoked,
}

/// One usable line whose names matched the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub line: usize,
    pub marker: Marker,
    pub key_type: String,
    pub blob: Vec<u8>,
}

/// Public-key types OpenSSH reads in known_hosts (plain keys; certificates are never
/// stored there).
const KEY_TYPES: &[&str] = &[
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "ssh-rsa",
    "ssh-dss",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
];

/// The host-key algorithms bastion-ssh offers, in OpenSSH's default order (OpenSSH 9
/// offers no SHA-1 `ssh-rsa` signatures by default, so neither does this).
const HOST_KEY_ALGORITHMS: &[(&str, &str)] = &[
    ("ssh-ed25519", "ssh-ed25519"),
    ("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256"),
    ("ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384"),
    ("ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521"),
    ("rsa-sha2-512", "ssh-rsa"),
    ("rsa-sha2-256", "ssh-rsa"),
];

/// How OpenSSH names a host in known_hosts.
pub fn host_pattern(host: &str, port: u16) -> String {
    if port == 22 { host.to_owned() } else { format!("[{host}]:{port}") }
}

/// The key type a public-key blob starts with (`ssh-ed25519`, `ssh-rsa`, …).
pub fn key_type(blob: &[u8]) -> Option<String> {
    let len = usize::try_from(u32::from_be_bytes(blob.get(..4)?.try_into().ok()?)).ok()?;
    String::from_utf8(blob.get(4..4usize.checked_add(len)?)?.to_vec()).ok()
}

/// `SHA256:…` as `ssh-keygen -l` prints it.
pub fn fingerprint(blob: &[u8]) -> String {
    format!("SHA256:{}", STANDARD_NO_PAD.encode(sha2::Sha256::digest(blob)))
}

fn hashed_matches(entry: &str, name: &str) -> bool {
    let Some(rest) = entry.strip_prefix("|1|") else { return false };
    let Some((salt, hash)) = rest.split_once('|') else { return false };
    let (Ok(salt), Ok(hash)) = (STANDARD.decode(salt), STANDARD.decode(hash)) else { return false };
    let Ok(mut mac) = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(&salt) else { return false };
    mac.update(name.as_bytes());
    mac.verify_slice(&hash).is_ok()
}

/// OpenSSH's `match_hostname`: a hashed name, or a comma list of patterns where any
/// negated pattern that matches rules the line out.
fn names_match(field: &str, name: &str) -> bool {
    if field.starts_with('|') {
        return hashed_matches(field, name);
    }
    let mut hit = false;
    for pattern in field.split(',') {
        if let Some(negated) = pattern.strip_prefix('!') {
            if awsops_core::wildcard::matches(negated, name, true) {
                return false;
            }
        } else if awsops_core::wildcard::matches(pattern, name, true) {
            hit = true;
        }
    }
    hit
}

/// The usable lines of `text` whose names match `name` (as `host_pattern` makes it).
pub fn entries(text: &str, name: &str) -> Vec<Entry> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_whitespace();
        let mut first = fields.next();
        let marker = match first {
            Some("@cert-authority") => Marker::CertAuthority,
            Some("@revoked") => Marker::Revoked,
            Some(m) if m.starts_with('@') => continue,
            _ => Marker::None,
        };
        if marker != Marker::None {
            first = fields.next();
        }
        let (Some(hosts), Some(ktype), Some(key)) = (first, fields.next(), fields.next()) else { continue };
        if !KEY_TYPES.contains(&ktype) || !names_match(hosts, name) {
            continue;
        }
        let Ok(blob) = STANDARD.decode(key) else { continue };
        if key_type(&blob).as_deref() != Some(ktype) {
            continue;
        }
        found.push(Entry { line: n + 1, marker, key_type: ktype.to_owned(), blob });
    }
    found
}

/// Checks the key `blob` offered by `host:port` against known_hosts text.
pub fn check(text: &str, host: &str, port: u16, blob: &[u8]) -> HostCheck {
    let found = entries(text, &host_pattern(host, port));
    if let Some(r) = found.iter().find(|e| e.marker == Marker::Revoked && e.blob == blob) {
        return HostCheck::Revoked { line: r.line };
    }
    let plain: Vec<&Entry> = found.iter().filter(|e| e.marker == Marker::None).collect();
    if plain.iter().any(|e| e.blob == blob) {
        return HostCheck::Known;
    }
    match plain.last() {
        Some(e) => HostCheck::Changed { line: e.line },
        None => HostCheck::Unknown,
    }
}

/// The host-key algorithms to offer for `host:port`, as OpenSSH orders them
/// (`order_hostkeyalgs`): the types known_hosts already has a usable plain key of first,
/// so a server with several host keys shows the one on record, then the rest.
pub fn algorithm_preference(text: &str, host: &str, port: u16) -> String {
    let found = entries(text, &host_pattern(host, port));
    let usable = |ktype: &str| {
        found
            .iter()
            .find(|e| e.marker == Marker::None && e.key_type == ktype)
            .is_some_and(|e| !found.iter().any(|r| r.marker == Marker::Revoked && r.blob == e.blob))
    };
    let (first, last): (Vec<_>, Vec<_>) = HOST_KEY_ALGORITHMS.iter().partition(|(_, ktype)| usable(ktype));
    first.iter().chain(&last).map(|(algorithm, _)| *algorithm).collect::<Vec<_>>().join(",")
}

/// The line `--accept-new` appends.
pub fn line(host: &str, port: u16, blob: &[u8]) -> String {
    format!("{} {} {}", host_pattern(host, port), key_type(blob).unwrap_or_default(), STANDARD.encode(blob))
}

#[cfg(test)]
mod tests;
