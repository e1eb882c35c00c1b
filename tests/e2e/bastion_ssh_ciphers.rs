//! Every cipher and MAC bastion-ssh offers, one at a time, through both hops to real OpenSSH
//! servers that allow only that pair: bytes up (checksummed by the target) and down (read
//! back) must be unchanged. It guards awsops' libssh2 patch (vendor/libssh2-sys/AWSOPS-PATCH.md),
//! which hands runs of middle blocks to OpenSSL in one call: AES-GCM (length as AAD, tag),
//! AES-CTR with a MAC over the plaintext and encrypt-then-MAC (length in clear, the run starts 4
//! bytes in), and ChaCha20-Poly1305 (whole packets, untouched by the patch). With AES-CTR and
//! an HMAC the static binary (AWSOPS_TEST_STATIC_BIN) also carries 4 × 24 MiB up: two threads
//! drive OpenSSL there, which must have been built with thread support.

use crate::aws_view::Ec2View;
use crate::harness::{Moto, TestCommand};
use std::io::Read;
use xtask::ssh_lab::SshLab;

/// (cipher, MAC) pairs; `None` is an AEAD cipher (its own MAC).
const PAIRS: &[(&str, Option<&str>)] = &[
    ("aes128-gcm@openssh.com", None),
    ("aes256-gcm@openssh.com", None),
    ("chacha20-poly1305@openssh.com", None),
    ("aes128-ctr", Some("hmac-sha2-256")),
    ("aes128-ctr", Some("hmac-sha2-256-etm@openssh.com")),
    ("aes256-ctr", Some("hmac-sha2-512")),
    ("aes256-ctr", Some("hmac-sha2-512-etm@openssh.com")),
];

#[test]
fn every_offered_cipher_and_mac_carries_bytes_unchanged_both_ways() {
    if crate::harness::in_own_netns("bastion_ssh_ciphers::every_offered_cipher_and_mac_carries_bytes_unchanged_both_ways") {
        return;
    }
    let moto = Moto::start();
    let aws = Ec2View::new(&moto.url());
    let launched = aws.launch_lab(&[("bastion", ("awsops:role", "bastion")), ("web-1", ("role", "web"))]);
    let (bastion_ip, web_ip) = (&launched[0].1, &launched[1].1);
    let payload = crate::harness::pseudo_random((3 << 20) + 777);
    let want = crate::harness::sha256(&payload);
    for (cipher, mac) in PAIRS {
        let mut extra = format!("Ciphers {cipher}\n");
        if let Some(mac) = mac {
            extra.push_str(&format!("MACs {mac}\n"));
        }
        let lab = SshLab::start_with(false, &extra);
        let known_hosts = lab.dir.join("known_hosts");
        std::fs::write(&known_hosts, format!("{}\n{}\n", lab.known_hosts_line(bastion_ip, true), lab.known_hosts_line(web_ip, false)))
            .unwrap();
        let flags = crate::harness::hop_flags(&known_hosts, &lab.client_key, &[(bastion_ip, lab.bastion), (web_ip, lab.target)]);
        let exec = |command: &[&str]| {
            TestCommand::new("bastion-ssh", &moto.url()).args(["exec", "web-1", "-vv"]).args(&flags).args(["--"]).args(command)
        };
        let pair = format!("{cipher} / {}", mac.unwrap_or("its own MAC"));

        // Up: the target checksums what arrived; both hops negotiated this pair.
        let up = exec(&["sha256sum"]).stdin(payload.clone()).run();
        assert_eq!(up.code, 0, "{pair}: {}", up.stderr);
        assert_eq!(up.stdout.split_whitespace().next(), Some(want.as_str()), "{pair}: bytes changed on the way up");
        let negotiated = match mac {
            Some(mac) => format!("cipher {cipher}, mac {mac}\n"),
            None => format!("cipher {cipher}, mac "),
        };
        assert_eq!(up.stderr.matches(&negotiated).count(), 2, "{pair}: not negotiated on both hops: {}", up.stderr);

        // Down: the target reads a file back.
        let file = lab.dir.join("payload.bin");
        std::fs::write(&file, &payload).unwrap();
        let mut child = exec(&["cat", file.to_str().unwrap()]).spawn(std::process::Stdio::piped());
        let mut got = Vec::new();
        child.stdout.take().unwrap().read_to_end(&mut got).unwrap();
        assert!(child.wait().unwrap().success(), "{pair}: cat failed");
        assert_eq!(got.len(), payload.len(), "{pair}: length changed on the way down");
        assert_eq!(crate::harness::sha256(&got), want, "{pair}: bytes changed on the way down");

        // The static binary (what users install) under AES-CTR and an HMAC: both sessions'
        // threads fetch and free digest objects for every packet, which an OpenSSL built
        // without threads (scripts/openssl-configure-perl) turned into double frees.
        if *mac == Some("hmac-sha2-256") {
            let links = tempfile::tempdir().unwrap();
            std::os::unix::fs::symlink(crate::self_contained::static_binary(), links.path().join("bastion-ssh")).unwrap();
            let big = crate::harness::pseudo_random(24 << 20);
            let big_sum = crate::harness::sha256(&big);
            for round in 0..4 {
                let run = TestCommand::of_program(&links.path().join("bastion-ssh"), &moto.url())
                    .args(["exec", "web-1"])
                    .args(&flags)
                    .args(["--", "sha256sum"])
                    .stdin(big.clone())
                    .run();
                assert_eq!(run.code, 0, "static binary, {pair}, round {round}: {}", run.stderr);
                assert_eq!(run.stdout.split_whitespace().next(), Some(big_sum.as_str()), "static binary, {pair}, round {round}");
            }
        }
    }
}
