use super::*;
use proptest::prelude::*;

fn blob(kind: &str, body: &[u8]) -> Vec<u8> {
    let mut b = u32::try_from(kind.len()).unwrap().to_be_bytes().to_vec();
    b.extend(kind.as_bytes());
    b.extend(body);
    b
}

fn plain(names: &str, key: &[u8]) -> String {
    format!("{names} {} {}", key_type(key).unwrap(), STANDARD.encode(key))
}

fn hashed(name: &str) -> String {
    let salt = b"0123456789abcdefghij";
    let mut mac = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(salt).unwrap();
    mac.update(name.as_bytes());
    format!("|1|{}|{}", STANDARD.encode(salt), STANDARD.encode(mac.finalize().into_bytes()))
}

fn ed(n: u8) -> Vec<u8> {
    blob("ssh-ed25519", &[n; 32])
}

fn rsa(n: u8) -> Vec<u8> {
    blob("ssh-rsa", &[n; 64])
}

#[test]
fn known_unknown_and_changed_by_any_key_type() {
    let (key, other, rsa_key) = (ed(1), ed(2), rsa(3));
    let text = format!("# comment\n{}\n{}\n", plain("10.0.0.5", &key), plain("10.0.0.9", &other));
    assert_eq!(check(&text, "10.0.0.5", 22, &key), HostCheck::Known);
    assert_eq!(check(&text, "10.0.0.5", 22, &other), HostCheck::Changed { line: 2 });
    assert_eq!(check(&text, "10.0.0.5", 22, &rsa_key), HostCheck::Changed { line: 2 }, "another key type is a change, as in OpenSSH");
    assert_eq!(check(&text, "10.0.0.5", 2222, &key), HostCheck::Unknown, "ports are part of the name");
    assert_eq!(check(&text, "10.0.0.9", 22, &other), HostCheck::Known);
    assert_eq!(check("", "10.0.0.9", 22, &other), HostCheck::Unknown);
    // One matching line among others of the host makes it known (several keys per host).
    let both = format!("{}\n{}\n", plain("h", &rsa_key), plain("h", &key));
    assert_eq!(check(&both, "h", 22, &key), HostCheck::Known);
    assert_eq!(check(&both, "h", 22, &rsa_key), HostCheck::Known);
    assert!(line("h", 2222, &key).starts_with("[h]:2222 ssh-ed25519 "));
}

#[test]
fn revoked_wins_wherever_it_stands() {
    let key = ed(1);
    let revoked = format!("@revoked * {} {}", key_type(&key).unwrap(), STANDARD.encode(&key));
    let before = format!("{revoked}\n{}\n", plain("h", &key));
    let after = format!("{}\n{revoked}\n", plain("h", &key));
    assert_eq!(check(&before, "h", 22, &key), HostCheck::Revoked { line: 1 });
    assert_eq!(check(&after, "h", 22, &key), HostCheck::Revoked { line: 2 });
    assert_eq!(check(&revoked, "h", 22, &key), HostCheck::Revoked { line: 1 });
    // A revoked *other* key is no verdict on this one.
    assert_eq!(check(&revoked, "h", 22, &ed(9)), HostCheck::Unknown);
    // A revocation for another host does not apply.
    let elsewhere = format!("@revoked other {} {}\n{}\n", key_type(&key).unwrap(), STANDARD.encode(&key), plain("h", &key));
    assert_eq!(check(&elsewhere, "h", 22, &key), HostCheck::Known);
}

#[test]
fn cert_authority_lines_are_not_host_keys() {
    let (key, ca) = (ed(1), ed(7));
    let ca_line = format!("@cert-authority *.internal {} {}", key_type(&ca).unwrap(), STANDARD.encode(&ca));
    assert_eq!(check(&ca_line, "web.internal", 22, &key), HostCheck::Unknown, "only CA lines: unknown, not changed");
    assert_eq!(check(&ca_line, "web.internal", 22, &ca), HostCheck::Unknown, "a CA's key is not the host's key");
    let with_plain = format!("{ca_line}\n{}\n", plain("web.internal", &key));
    assert_eq!(check(&with_plain, "web.internal", 22, &key), HostCheck::Known);
    assert_eq!(check(&with_plain, "web.internal", 22, &ed(2)), HostCheck::Changed { line: 2 });
}

#[test]
fn hashed_names_ports_and_negated_patterns() {
    let key = ed(1);
    let text = format!(
        "{} ssh-ed25519 {}\n{}\n",
        hashed("[bastion]:2222"),
        STANDARD.encode(&key),
        plain("*.internal,!bad.internal,[10.0.0.?]:2200", &key)
    );
    assert_eq!(check(&text, "bastion", 2222, &key), HostCheck::Known);
    assert_eq!(check(&text, "bastion", 22, &key), HostCheck::Unknown);
    assert_eq!(check(&text, "web.internal", 22, &key), HostCheck::Known);
    assert_eq!(check(&text, "WEB.Internal", 22, &key), HostCheck::Known, "names compare without case");
    assert_eq!(check(&text, "bad.internal", 22, &key), HostCheck::Unknown, "a negation rules the line out");
    assert_eq!(check(&text, "10.0.0.7", 2200, &key), HostCheck::Known);
    assert_eq!(check(&text, "10.0.0.17", 2200, &key), HostCheck::Unknown);
    assert_eq!(check(&text, "bad.internal", 22, &ed(3)), HostCheck::Unknown, "a negated line is no change either");
}

#[test]
fn lines_openssh_cannot_read_are_skipped() {
    let key = ed(1);
    let enc = STANDARD.encode(&key);
    for junk in [
        format!("h ssh-rsa {enc}"),            // declared type differs from the key's
        format!("h ssh-foo {enc}"),            // unknown type
        "h ssh-ed25519 not*base64".to_owned(), // undecodable
        format!("@bogus h ssh-ed25519 {enc}"), // unknown marker
        "h ssh-ed25519".to_owned(),            // no key
        format!("h 2048 35 {enc}"),            // SSH-1
    ] {
        assert_eq!(check(&junk, "h", 22, &ed(2)), HostCheck::Unknown, "{junk}");
    }
    assert_eq!(check(&format!("  h ssh-ed25519 {enc} a comment\n"), "h", 22, &key), HostCheck::Known);
}

#[test]
fn known_types_are_offered_first() {
    let text = format!("{}\n", plain("[h]:2222", &rsa(1)));
    assert!(algorithm_preference(&text, "h", 2222).starts_with("rsa-sha2-512,rsa-sha2-256,ssh-ed25519,"));
    assert!(algorithm_preference(&text, "h", 22).starts_with("ssh-ed25519,"), "another port: default order");
    let revoked = format!("{text}@revoked * ssh-rsa {}\n", STANDARD.encode(rsa(1)));
    assert!(algorithm_preference(&revoked, "h", 2222).starts_with("ssh-ed25519,"), "a revoked key is not preferred");
    assert_eq!(algorithm_preference("", "h", 22).split(',').count(), HOST_KEY_ALGORITHMS.len());
}

#[test]
fn fingerprints_look_like_ssh_keygen() {
    let f = fingerprint(&ed(1));
    assert!(f.starts_with("SHA256:") && !f.ends_with('='));
    assert_eq!(key_type(&[0, 0, 0, 9, b'x']), None, "a short blob has no type");
    assert_eq!(key_type(&[255, 255, 255, 255]), None);
}

/// A line about `h` (plain, revoked or CA, with one of a few keys) or about another host.
fn any_line() -> impl Strategy<Value = (u8, bool, u8)> {
    (0u8..4, any::<bool>(), 0u8..4)
}

fn render((kind, about_h, key): (u8, bool, u8)) -> String {
    let names = if about_h { "h,x" } else { "other" };
    let k = if key % 2 == 0 { ed(key) } else { rsa(key) };
    match kind {
        0 => format!("@revoked {}", plain(names, &k)),
        1 => format!("@cert-authority {}", plain(names, &k)),
        _ => plain(names, &k),
    }
}

proptest! {
    /// The verdict's kind never depends on the order of the lines.
    #[test]
    fn order_does_not_change_the_verdict(lines in prop::collection::vec(any_line(), 0..8), offered in 0u8..4, seed in any::<u64>()) {
        let offered = if offered % 2 == 0 { ed(offered) } else { rsa(offered) };
        let text: Vec<String> = lines.iter().copied().map(render).collect();
        let mut shuffled = text.clone();
        fastrand::Rng::with_seed(seed).shuffle(&mut shuffled);
        let kind = |c: HostCheck| std::mem::discriminant(&c);
        prop_assert_eq!(kind(check(&text.join("\n"), "h", 22, &offered)), kind(check(&shuffled.join("\n"), "h", 22, &offered)));
    }

    /// Known exactly when a plain line of `h` has the key and no revocation names it;
    /// changed exactly when plain lines of `h` exist and none has it.
    #[test]
    fn verdicts_follow_openssh(lines in prop::collection::vec(any_line(), 0..8), offered in 0u8..4) {
        let key = if offered % 2 == 0 { ed(offered) } else { rsa(offered) };
        let text = lines.iter().copied().map(render).collect::<Vec<_>>().join("\n");
        let revoked = lines.iter().any(|&(kind, about_h, k)| kind == 0 && about_h && k == offered);
        let plain_h: Vec<u8> = lines.iter().filter(|l| l.0 >= 2 && l.1).map(|l| l.2).collect();
        let verdict = check(&text, "h", 22, &key);
        if revoked {
            prop_assert!(matches!(verdict, HostCheck::Revoked { .. }), "{:?}", verdict);
        } else if plain_h.contains(&offered) {
            prop_assert_eq!(verdict, HostCheck::Known);
        } else if plain_h.is_empty() {
            prop_assert_eq!(verdict, HostCheck::Unknown);
        } else {
            prop_assert!(matches!(verdict, HostCheck::Changed { .. }), "{:?}", verdict);
        }
    }
}
