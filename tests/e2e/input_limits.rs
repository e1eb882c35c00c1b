//! Input every command refuses before any AWS call (an unknown region, a timeout past its
//! bound, values AWS would reject halfway through a run), and the largest values they
//! accept, taken without a panic. Where no call may be made, the endpoint is a closed port.

use crate::harness::{Moto, TestCommand, free_port};

/// A valid invocation of each command that would call AWS.
const EVERY_COMMAND: &[(&str, &[&str])] = &[
    ("vpc-bootstrap", &["show", "lab"]),
    ("ami-snap", &["list"]),
    ("efs-mount", &["status", "shared"]),
    ("bastion-ssh", &["exec", "web-1", "--", "true"]),
    ("iam-audit", &[]),
    ("dns-alias", &["set", "www.example.com", "origin.example.net", "--cname"]),
    ("cert-attach", &["example.com"]),
];

fn nowhere() -> String {
    format!("http://127.0.0.1:{}", free_port())
}

#[test]
fn an_unknown_region_is_exit_2_naming_it_in_every_command() {
    let endpoint = nowhere();
    for (command, args) in EVERY_COMMAND {
        let run = TestCommand::new(command, &endpoint).args(["--region", "xx-nowhere-9"]).args(*args).run();
        assert_eq!(run.code, 2, "{command}: {}", run.stderr);
        assert!(run.stderr.contains("unknown region \"xx-nowhere-9\"") && run.stderr.lines().count() == 1, "{command}: {}", run.stderr);
        // The same region from the environment (as a profile or CI would set it).
        let run = TestCommand::new(command, &endpoint).args(*args).env("AWS_REGION", "xx-nowhere-9").run();
        assert_eq!(run.code, 2, "{command} with AWS_REGION: {}", run.stderr);
        // A region newer than this build is let through when named.
        let run = TestCommand::new(command, &endpoint)
            .args(["--region", "xx-nowhere-9"])
            .args(*args)
            .env("AWSOPS_EXTRA_REGIONS", "xx-nowhere-9")
            .run();
        assert!(!run.stderr.contains("unknown region"), "{command}: {}", run.stderr);
    }
}

#[test]
fn a_timeout_past_the_bound_is_exit_2_and_the_largest_accepted_does_not_panic() {
    let endpoint = nowhere();
    let with_timeout: &[(&str, &[&str])] = &[
        ("vpc-bootstrap", &["create", "lab"]),
        ("vpc-bootstrap", &["destroy", "lab", "--yes"]),
        ("ami-snap", &["create", "--instance", "i-0123456789abcdef0"]),
        ("efs-mount", &["create", "--name", "shared", "--subnet", "subnet-0123456789abcdef0"]),
        ("dns-alias", &["set", "www.example.com", "origin.example.net", "--cname"]),
        ("cert-attach", &["example.com"]),
        ("iam-audit", &[]),
    ];
    for (command, args) in with_timeout {
        for bad in ["200000000000000d", "367d", "0s"] {
            let run = TestCommand::new(command, &endpoint).args(*args).args(["--timeout", bad]).run();
            assert_eq!(run.code, 2, "{command} --timeout {bad}: {}", run.stderr);
            assert!(run.stderr.contains("--timeout"), "{command} --timeout {bad}: refused for the timeout: {}", run.stderr);
        }
    }
    // The largest value accepted, through a real run that waits (NAT gateway, instance):
    // deadlines saturate instead of overflowing.
    let moto = Moto::start();
    let vpc = |args: &[&str]| TestCommand::for_moto("vpc-bootstrap", &moto).env("AWSOPS_SSH_FROM", "203.0.113.7/32").args(args).run();
    let doc = vpc(&["create", "big", "--azs", "1", "--private-per-az", "1", "--timeout", "366d"]).ok();
    assert_eq!(doc[0]["kind"], "vpc");
    let efs = TestCommand::for_moto("efs-mount", &moto)
        .args(["create", "--name", "shared", "--from", "-", "--timeout", "366d"])
        .stdin(serde_json::to_string(&doc[0]).unwrap())
        .run()
        .ok();
    assert_eq!(efs[0]["kind"], "efs");
    TestCommand::for_moto("efs-mount", &moto).args(["destroy", "shared", "--yes", "--timeout", "366d"]).run().ok();
    vpc(&["destroy", "big", "--yes", "--timeout", "366d"]).ok();
}

#[test]
fn values_aws_would_refuse_are_exit_2_before_any_call() {
    let endpoint = nowhere();
    let run = |command: &str, args: &[&str]| TestCommand::new(command, &endpoint).args(args).run();
    let long_name = format!("name={},cidr=10.0.9.0/24,az=a,tier=private", "n".repeat(300));
    run("vpc-bootstrap", &["create", "x", "--subnet", &long_name]).usage_error("256");
    run(
        "vpc-bootstrap",
        &[
            "create",
            "x",
            "--subnet",
            "name=db,cidr=10.0.9.0/24,az=a,tier=private",
            "--subnet",
            "name=db,cidr=10.0.10.0/24,az=c,tier=private",
        ],
    )
    .usage_error("given twice");
    run("ami-snap", &["create", "--instance", "i-0123456789abcdef0", "--tag", "aws:owner=me"]).usage_error("reserved");
    let long_value = format!("team={}", "v".repeat(257));
    run("ami-snap", &["create", "--instance", "i-0123456789abcdef0", "--tag", &long_value]).usage_error("256");
    for arn in ["arn:aws:iam::12345678901:role/dns", "arn:aws:iam::123456789012:user/dns", "arn:nope:iam::123456789012:role/dns"] {
        run("cert-attach", &["example.com", "--zone-role-arn", arn]).usage_error("--zone-role-arn");
    }
}
