//! `--print-policy` from outside: every command and subcommand prints its policy with
//! no credentials and no reachable endpoint (so it makes no AWS call), the output is
//! frozen per flag combination in `tests/golden/policies/` (reviewed by eye once;
//! `AWSOPS_BLESS=1` rewrites them after a deliberate change), and the one-line errors
//! for missing credentials name the sources tried.

use crate::harness::{Moto, TestCommand};
use std::path::PathBuf;

/// (golden file, command, arguments): a few flag combinations per command.
const CASES: &[(&str, &str, &[&str])] = &[
    (
        "vpc-bootstrap-create-lab",
        "vpc-bootstrap",
        &["create", "lab", "--az", "a,c", "--private-per-az", "2", "--endpoint", "s3", "--bastion"],
    ),
    ("vpc-bootstrap-create-no-nat", "vpc-bootstrap", &["create", "lab", "--nat", "none"]),
    ("vpc-bootstrap-create-dry-run", "vpc-bootstrap", &["create", "lab", "--dry-run"]),
    ("vpc-bootstrap-destroy", "vpc-bootstrap", &["destroy", "lab", "--yes"]),
    ("vpc-bootstrap-show", "vpc-bootstrap", &["show", "lab"]),
    ("ami-snap-create", "ami-snap", &["create", "--select", "role=web"]),
    ("ami-snap-copy-kms", "ami-snap", &["copy", "--to", "us-west-2", "--image", "ami-12345678", "--kms-key", "us-west-2=alias/dr"]),
    ("ami-snap-share", "ami-snap", &["share", "--account", "123456789012", "--image", "ami-12345678"]),
    ("ami-snap-prune-dry-run", "ami-snap", &["prune", "--keep", "7", "--dry-run"]),
    ("efs-mount-create", "efs-mount", &["create", "--name", "uploads", "--subnet", "subnet-12345678"]),
    ("efs-mount-mount", "efs-mount", &["mount", "/mnt/efs", "--file-system", "uploads"]),
    ("efs-mount-destroy", "efs-mount", &["destroy", "uploads", "--yes"]),
    ("bastion-ssh-exec", "bastion-ssh", &["exec", "web-1", "--", "uptime"]),
    ("bastion-ssh-shell-instance-connect", "bastion-ssh", &["shell", "web-1", "--instance-connect"]),
    ("iam-audit", "iam-audit", &[]),
    ("iam-audit-access-advisor", "iam-audit", &["--access-advisor"]),
    ("iam-audit-org", "iam-audit", &["--org", "--role-name", "awsops-audit"]),
    ("ami-snap-prune-fleet", "ami-snap", &["prune", "--accounts", "111122223333", "--regions", "all", "--keep", "7", "--yes"]),
    ("dns-alias-set-s3", "dns-alias", &["set", "mydomain.com", "s3://mydomain.com"]),
    (
        "dns-alias-set-lb-zone",
        "dns-alias",
        &["set", "api.mydomain.com", "my-alb-123.ap-northeast-2.elb.amazonaws.com", "--zone-id", "Z0123456789ABC"],
    ),
    ("cert-attach-lb", "cert-attach", &["mydomain.com", "www.mydomain.com", "--lb", "web-alb", "--redirect-http"]),
    ("cert-attach-zone-role", "cert-attach", &["mydomain.com", "--zone-role-arn", "arn:aws:iam::111122223333:role/dns-validation"]),
];

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/policies")
}

/// The command with no credentials of any kind and an endpoint where nothing listens.
fn offline(command: &str) -> TestCommand {
    TestCommand::new(command, "http://127.0.0.1:9").without_credentials()
}

#[test]
fn printed_policies_match_their_golden_files() {
    let bless = std::env::var_os("AWSOPS_BLESS").is_some();
    let mut stale = Vec::new();
    for (file, command, args) in CASES {
        let run = offline(command).arg("--print-policy").args(*args).run();
        assert_eq!(run.code, 0, "{command} {args:?} --print-policy: {}", run.stderr);
        let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{file}: not JSON ({e})"));
        assert_eq!(doc["Version"], "2012-10-17", "{file}");
        let sids: Vec<&str> = doc["Statement"].as_array().unwrap().iter().map(|s| s["Sid"].as_str().unwrap()).collect();
        let mut unique = sids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), sids.len(), "{file}: Sids are unique");
        assert!(run.stderr.contains("the account is not known"), "{file}: the open account is said: {}", run.stderr);
        let path = golden_dir().join(format!("{file}.json"));
        if bless {
            std::fs::create_dir_all(golden_dir()).unwrap();
            std::fs::write(&path, &run.stdout).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(run.stdout.as_str()) {
            stale.push(format!("{file} ({})", path.display()));
        }
    }
    assert!(stale.is_empty(), "printed policies differ from their golden files (AWSOPS_BLESS=1 after review): {stale:?}");
}

#[test]
fn every_subcommand_prints_a_policy_without_credentials_or_network() {
    for (command, calls) in [
        ("vpc-bootstrap", vec![vec!["create", "x"], vec!["show", "x"], vec!["destroy", "x"]]),
        (
            "ami-snap",
            vec![
                vec!["create", "--instance", "i-12345678"],
                vec!["snapshot", "--volume", "vol-12345678"],
                vec!["copy", "--to", "us-east-1"],
                vec!["share", "--account", "123456789012"],
                vec!["unshare", "--account", "123456789012"],
                vec!["prune", "--keep", "1"],
                vec!["list"],
            ],
        ),
        (
            "efs-mount",
            vec![
                vec!["create", "--name", "x"],
                vec!["mount", "/mnt/x"],
                vec!["unmount", "/mnt/x"],
                vec!["status", "x"],
                vec!["destroy", "x"],
            ],
        ),
        (
            "bastion-ssh",
            vec![vec!["exec", "t", "--", "true"], vec!["shell", "t"], vec!["forward", "t", "-L", "8080:localhost:80"], vec!["config"]],
        ),
        ("iam-audit", vec![vec![]]),
        ("dns-alias", vec![vec!["set", "a.example.com", "host.example.net"], vec!["delete", "a.example.com", "host.example.net"]]),
        ("cert-attach", vec![vec!["example.com"]]),
    ] {
        for args in calls {
            let run = offline(command).arg("--print-policy").args(&args).env_remove("AWS_REGION").env_remove("AWS_DEFAULT_REGION").run();
            assert_eq!(run.code, 0, "{command} {args:?}: {}", run.stderr);
            let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
            assert_eq!(doc["Version"], "2012-10-17");
            assert!(run.stderr.contains("no region given") || run.stderr.contains("several regions"), "{command} {args:?}: {}", run.stderr);
        }
    }
}

#[test]
fn help_lists_the_permissions_of_each_subcommand() {
    let run = offline("vpc-bootstrap").args(["create", "--help"]).run();
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("IAM permissions") && run.stdout.contains("ec2:CreateNatGateway"), "{}", run.stdout);
    let run = offline("vpc-bootstrap").args(["show", "--help"]).run();
    assert!(run.stdout.contains("ec2:DescribeVpcs") && !run.stdout.contains("ec2:CreateVpc"), "{}", run.stdout);
}

#[test]
fn missing_credentials_say_which_sources_were_tried_in_one_line() {
    let moto = Moto::start();
    let run = TestCommand::for_moto("iam-audit", &moto).without_credentials().run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {}", run.stderr);
    for source in ["no AWS credentials", "environment", "profile \"default\"", "SSO", "IMDS", "--print-policy"] {
        assert!(lines[0].contains(source), "{source} missing from: {}", lines[0]);
    }
    assert!(!lines[0].contains("could not reach the endpoint"), "{}", lines[0]);
}
