//! The printed policies, proven against an enforcer nobody here wrote: moto checking
//! every request against the caller's IAM policies. For each command's main scenario, a
//! user holding exactly the actions of the command's `--print-policy` succeeds; the same
//! user without any one statement fails with a clean exit 1 naming the denied action (or,
//! where the command degrades by design, reports the part it could not do).
//!
//! What moto cannot prove, and the unit tests pin instead: it matches EC2 resources only
//! against `*` and ignores conditions, so the users get the statements' actions on `*`
//! (resource scoping and the tag conditions are checked by each crate's policy tests);
//! a statement whose actions all appear in other statements (on other resources) is
//! therefore not run alone; it does not authorize the tags of tag-on-create nor the EC2
//! calls EFS makes for a mount target, and paths a clean run does not take (removing
//! owned duplicates) are not exercised: those are listed as unprovable, each with why.
//! `route53:ListHostedZones` was reported denied even when allowed; with the signature
//! check patched out it is enforced like any other action, so dns-alias and cert-attach
//! are proven here too.

use crate::harness::{Moto, Run, TestCommand};

/// A user's access keys.
pub struct Keys {
    pub id: String,
    pub secret: String,
}

/// One scenario to prove: the invocation whose policy is printed and run.
pub struct Proof<'a> {
    pub command: &'a str,
    pub args: Vec<String>,
    /// Statements whose removal moto cannot notice, each with the reason.
    pub unprovable: &'a [(&'a str, &'a str)],
    /// Statements without which the command reports what it skipped and still exits 0.
    pub degrades: &'a [&'a str],
}

/// The policy the command prints for `args` (exit 0, no AWS call: no endpoint given).
pub fn printed_policy(command: &str, args: &[String]) -> serde_json::Value {
    let run = TestCommand::new(command, "http://127.0.0.1:9").arg("--print-policy").args(args).run();
    assert_eq!(run.code, 0, "--print-policy failed: {}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("the policy is JSON");
    assert_eq!(doc["Version"], "2012-10-17");
    doc
}

/// The statements' actions on `*` without conditions (all moto can check), minus `without`.
fn actions_on_star(policy: &serde_json::Value, without: Option<&str>) -> serde_json::Value {
    let statements: Vec<serde_json::Value> = policy["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .filter(|s| Some(s["Sid"].as_str().unwrap_or_default()) != without)
        .map(|s| serde_json::json!({"Sid": s["Sid"], "Effect": "Allow", "Action": s["Action"], "Resource": "*"}))
        .collect();
    serde_json::json!({"Version": "2012-10-17", "Statement": statements})
}

/// Whether statement `sid` grants an action no other statement grants.
fn has_own_action(policy: &serde_json::Value, sid: &str) -> bool {
    let statements = policy["Statement"].as_array().unwrap();
    let actions =
        |s: &serde_json::Value| s["Action"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_owned()).collect::<Vec<_>>();
    let mine = statements.iter().find(|s| s["Sid"] == sid).map(actions).unwrap_or_default();
    let others: Vec<String> = statements.iter().filter(|s| s["Sid"] != sid).flat_map(actions).collect();
    mine.iter().any(|a| !others.contains(a))
}

/// The printed document as it is, ARNs and conditions included, passes IAM's grammar
/// check (moto's CreatePolicy validates documents as IAM does) and fits IAM's 10,240
/// characters of a role's inline policy (`--print-policy` says when it is over the
/// 6,144 of a managed policy, as the lab's is).
fn accepted_by_iam(moto: &Moto, policy: &serde_json::Value) {
    const SCRIPT: &str = "import sys, boto3\n\
iam = boto3.client('iam', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='testing', aws_secret_access_key='testing')\n\
iam.create_policy(PolicyName='printed', PolicyDocument=sys.stdin.read())\n";
    let compact = policy.to_string();
    assert!(compact.len() <= 10240, "the policy is {} characters, over IAM's 10,240 for a role's inline policy", compact.len());
    let python = xtask::moto::moto_server_path().with_file_name("python");
    let mut child = std::process::Command::new(&python)
        .args(["-c", SCRIPT, &moto.url()])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("moto's python");
    {
        use std::io::Write;
        child.stdin.take().expect("stdin").write_all(compact.as_bytes()).expect("policy to python");
    }
    let out = child.wait_with_output().expect("python");
    assert!(out.status.success(), "IAM refuses the printed policy: {}", String::from_utf8_lossy(&out.stderr));
}

/// Makes an IAM user with `policy` inline (none when it has no statement) and its keys,
/// through boto3 in moto's venv, while moto does not enforce yet.
pub fn user(moto: &Moto, name: &str, policy: &serde_json::Value) -> Keys {
    const SCRIPT: &str = "import sys, json, boto3\n\
iam = boto3.client('iam', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='testing', aws_secret_access_key='testing')\n\
policy = json.loads(sys.stdin.read())\n\
iam.create_user(UserName=sys.argv[2])\n\
if policy['Statement']:\n    iam.put_user_policy(UserName=sys.argv[2], PolicyName='awsops', PolicyDocument=json.dumps(policy))\n\
key = iam.create_access_key(UserName=sys.argv[2])['AccessKey']\n\
print(key['AccessKeyId'], key['SecretAccessKey'])\n";
    let python = xtask::moto::moto_server_path().with_file_name("python");
    let mut child = std::process::Command::new(&python)
        .args(["-c", SCRIPT, &moto.url(), name])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {} (moto's venv, for boto3): {e}", python.display()));
    {
        use std::io::Write;
        child.stdin.take().expect("stdin").write_all(policy.to_string().as_bytes()).expect("policy to python");
    }
    let out = child.wait_with_output().expect("python");
    assert!(out.status.success(), "creating user {name}: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace();
    Keys { id: parts.next().expect("key id").to_owned(), secret: parts.next().expect("secret").to_owned() }
}

/// The command run with `keys` instead of the emulator's administrator.
pub fn as_user(cmd: TestCommand, keys: &Keys) -> TestCommand {
    cmd.env("AWS_ACCESS_KEY_ID", &keys.id).env("AWS_SECRET_ACCESS_KEY", &keys.secret)
}

/// Proves `proof` on a fresh moto per variant: `setup` makes the fixtures as the
/// administrator, then moto enforces IAM and `run` runs the scenario with the user's
/// keys. Returns the Sids whose removal made the scenario fail (for the caller's report).
pub fn prove<C>(proof: &Proof<'_>, setup: impl Fn(&Moto) -> C, run: impl Fn(&Moto, &C, &Keys) -> Run) -> Vec<String> {
    prove_on(&Moto::start_authorizing(), proof, setup, run)
}

/// [`prove`] on a moto started by the caller (with settings of its own).
pub fn prove_on<C>(moto: &Moto, proof: &Proof<'_>, setup: impl Fn(&Moto) -> C, run: impl Fn(&Moto, &C, &Keys) -> Run) -> Vec<String> {
    let policy = printed_policy(proof.command, &proof.args);
    let sids: Vec<String> = policy["Statement"].as_array().unwrap().iter().map(|s| s["Sid"].as_str().unwrap().to_owned()).collect();
    for (sid, _) in proof.unprovable.iter() {
        assert!(sids.iter().any(|s| s == sid), "{sid} is listed as unprovable but not printed: {sids:?}");
        assert!(has_own_action(&policy, sid), "{sid} is listed as unprovable but has no action of its own, so it is never run alone");
    }
    moto.reset_all();
    accepted_by_iam(moto, &policy);
    let mut needed = Vec::new();
    // A statement whose actions all appear in others leaves moto's user the same actions:
    // its run would repeat the full policy's, so it is not run again.
    let variants = sids.iter().filter(|s| has_own_action(&policy, s)).map(|s| Some(s.as_str()));
    for (n, without) in std::iter::once(None).chain(variants).enumerate() {
        moto.reset_all();
        let context = setup(moto);
        let keys = user(moto, &format!("least-privilege-{n}"), &actions_on_star(&policy, without));
        moto.enforce_iam();
        let result = run(moto, &context, &keys);
        let what = format!("{} {} without {}", proof.command, proof.args.join(" "), without.unwrap_or("nothing"));
        match without {
            None => assert_eq!(result.code, 0, "{what}: the printed policy is not enough:\n{}", result.stderr),
            Some(sid) if proof.unprovable.iter().any(|(s, _)| *s == sid) => {
                assert_eq!(result.code, 0, "{what}: moto now notices {sid}; move it out of `unprovable`:\n{}", result.stderr)
            }
            Some(sid) if proof.degrades.contains(&sid) => {
                assert_eq!(result.code, 0, "{what}: expected to degrade, not fail:\n{}", result.stderr);
                let said = format!("{}{}", result.stdout, result.stderr);
                assert!(said.contains("AccessDenied") || said.contains("denied"), "{what}: the skipped part is not reported:\n{said}");
                needed.push(sid.to_owned());
            }
            Some(sid) => {
                assert_eq!(result.code, 1, "{what}: expected a clean failure:\nstdout: {}\nstderr: {}", result.stdout, result.stderr);
                assert!(!result.stderr.contains("panicked"), "{what}: {}", result.stderr);
                // The denial's line: the error itself, or a batch's line for the item it
                // stopped (before the batch's summary).
                let line = result.stderr.lines().find(|l| l.contains("denied by IAM")).unwrap_or_default();
                assert!(
                    line.contains("denied by IAM: the caller lacks ") && line.contains("--print-policy"),
                    "{what}: the error line does not name the action and the hint: {line}"
                );
                let statement = policy["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == sid).unwrap();
                let named = statement["Action"].as_array().unwrap().iter().any(|a| line.contains(a.as_str().unwrap()));
                assert!(named, "{what}: the denied action is not one of {sid}'s: {line}");
                needed.push(sid.to_owned());
            }
        }
    }
    needed
}

/// The lab's invocation, as the README gives it (the caller's address supplied).
fn lab_args() -> Vec<String> {
    [
        "create",
        "lab",
        "--cidr",
        "10.1.0.0/16",
        "--az",
        "a,c",
        "--private-per-az",
        "2",
        "--endpoint",
        "s3",
        "--bastion",
        "--ssh-from",
        "203.0.113.7/32",
    ]
    .map(str::to_owned)
    .to_vec()
}

const TAG_ON_CREATE: (&str, &str) = ("TagOnCreate", "moto does not authorize the tags of a create as ec2:CreateTags");

/// vpc-bootstrap create's statements that a clean run of the lab does not use.
const LAB_UNUSED: &[(&str, &str)] = &[
    ("RouteOwnEndpoints", "only adds route tables to an endpoint that exists"),
    ("RemoveOwnInternetGateway", "only removes owned duplicates, which a clean run does not meet"),
    ("ReleaseOwnAddresses", "only removes owned duplicates"),
    ("DeleteOwnRouteTables", "only removes owned duplicates"),
    ("DeleteOwnEndpoints", "only removes owned duplicates"),
    ("DeleteOwnVpc", "only removes owned duplicates"),
    ("MoveSubnetsBetweenOwnRouteTables", "only when a re-run changes --private-route-tables"),
];

/// vpc-bootstrap destroy's statements that the lab without a load balancer or peering does not use.
const DESTROY_UNUSED: &[(&str, &str)] = &[
    ("DeleteOwnLoadBalancer", "only when the stack has a load balancer (vpc-bootstrap lb)"),
    ("DeletePeering", "only when the stack is peered (vpc-bootstrap peer)"),
    ("RouteToPeer", "only when the stack is peered (vpc-bootstrap peer)"),
];

#[test]
fn vpc_bootstrap_lab_needs_exactly_its_printed_policy() {
    // Without HoldStackLease the lease is left to expire on its own (a warning), by design.
    let proof = Proof { command: "vpc-bootstrap", args: lab_args(), unprovable: LAB_UNUSED, degrades: &["HoldStackLease"] };
    let needed = prove(&proof, |_| (), |moto, _, keys| as_user(TestCommand::for_moto("vpc-bootstrap", moto), keys).args(&proof.args).run());
    for sid in ["ReadNetwork", "CreateVpc", "CreateNatGateway", "FindLatestAmazonLinux", "TakeStackLease", "StripDefaultSecurityGroup"] {
        assert!(needed.contains(&sid.to_owned()), "{sid} was not shown to be needed: {needed:?}");
    }
}

#[test]
fn vpc_bootstrap_destroy_needs_exactly_its_printed_policy() {
    let args: Vec<String> = ["destroy", "lab", "--yes"].map(str::to_owned).to_vec();
    let proof = Proof { command: "vpc-bootstrap", args, unprovable: DESTROY_UNUSED, degrades: &["HoldStackLease"] };
    prove(
        &proof,
        |moto| TestCommand::for_moto("vpc-bootstrap", moto).args(lab_args()).run().ok(),
        |moto, _, keys| as_user(TestCommand::for_moto("vpc-bootstrap", moto), keys).args(&proof.args).run(),
    );
}

#[test]
fn iam_audit_needs_exactly_its_printed_policy_and_degrades_without_the_optional_parts() {
    let proof = Proof { command: "iam-audit", args: vec![], unprovable: &[], degrades: &["ReadCredentialReport", "ReadAccountSettings"] };
    prove(&proof, |_| (), |moto, _, keys| as_user(TestCommand::for_moto("iam-audit", moto), keys).run());
}

#[test]
fn efs_mount_create_needs_exactly_its_printed_policy() {
    // The ids do not change the policy; the run uses the fixture's.
    let printed = ["create", "--region", "us-east-1", "--name", "shared", "--subnet", "subnet-12345678", "--client-sg", "sg-12345678"];
    let proof = Proof {
        command: "efs-mount",
        args: printed.iter().copied().chain(["--access-point", "1000:1000:/tls"]).map(str::to_owned).collect(),
        unprovable: &[
            ("MountTargetInterfaces", "EFS makes a mount target's interface with the caller's EC2 permissions; moto does not check them"),
            TAG_ON_CREATE,
        ],
        degrades: &[],
    };
    prove(
        &proof,
        |moto| {
            let aws = crate::aws_view::Ec2View::new_in(&moto.url(), "us-east-1");
            let vpc =
                aws.block(aws.client.create_vpc().cidr_block("10.7.0.0/16").send()).unwrap().vpc().unwrap().vpc_id().unwrap().to_owned();
            let subnets: Vec<String> = ["a", "b"]
                .iter()
                .enumerate()
                .map(|(i, az)| {
                    let s = aws
                        .client
                        .create_subnet()
                        .vpc_id(&vpc)
                        .cidr_block(format!("10.7.{i}.0/24"))
                        .availability_zone(format!("us-east-1{az}"));
                    aws.block(s.send()).unwrap().subnet().unwrap().subnet_id().unwrap().to_owned()
                })
                .collect();
            let sg = aws.block(aws.client.create_security_group().group_name("web").description("web").vpc_id(&vpc).send()).unwrap();
            (subnets.join(","), sg.group_id().unwrap().to_owned())
        },
        |moto, (subnets, sg), keys| {
            as_user(TestCommand::for_moto("efs-mount", moto), keys)
                .args(["create", "--region", "us-east-1", "--name", "shared", "--subnet", subnets, "--client-sg", sg])
                .args(["--access-point", "1000:1000:/tls"])
                .run()
        },
    );
}

#[test]
fn efs_mount_mount_needs_exactly_its_printed_policy() {
    let proof = Proof {
        command: "efs-mount",
        args: ["mount", "/mnt/shared", "--region", "us-east-1"].map(str::to_owned).to_vec(),
        unprovable: &[],
        degrades: &[],
    };
    prove(
        &proof,
        |moto| {
            let document = crate::efs_mount_host::east_file_system_named(moto, "east", "10.7");
            let host = crate::efs_mount_host::Host::new();
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            (document, host, listener)
        },
        |moto, (document, host, listener), keys| {
            let port = listener.local_addr().unwrap().port().to_string();
            let mount_point = host.path("shared");
            as_user(crate::efs_mount_host::mount_cmd(moto, host, &mount_point, &["--check-port", &port]), keys)
                .stdin(document.clone())
                .run()
        },
    );
}

/// An instance to image, as the administrator; and ami-snap's run lock in a private directory.
fn ami_fixture(moto: &Moto, images: usize) -> (tempfile::TempDir, String, String) {
    let lock = tempfile::tempdir().unwrap();
    let aws = crate::aws_view::Ec2View::new(&moto.url());
    let web = crate::ami_snap::instance(&aws, "web");
    let mut docs = String::new();
    for n in 0..images {
        if n > 0 {
            // Creation times are kept to the second: the next image must be newer.
            std::thread::sleep(std::time::Duration::from_millis(1100));
        }
        let run =
            crate::ami_snap::ami(moto, &lock).args(["create", "--instance", &web, "--name", &format!("web-{n}"), "--group", "web"]).run();
        assert_eq!(run.code, 0, "{}", run.stderr);
        docs.push_str(&run.stdout);
    }
    (lock, web, docs)
}

#[test]
fn ami_snap_create_copy_share_prune_each_need_exactly_their_printed_policy() {
    let proof =
        |args: &[&str]| Proof { command: "ami-snap", args: args.iter().map(|a| (*a).to_owned()).collect(), unprovable: &[], degrades: &[] };
    let create = proof(&["create", "--instance", "i-12345678"]);
    prove(
        &create,
        |moto| ami_fixture(moto, 0),
        |moto, (lock, web, _), keys| as_user(crate::ami_snap::ami(moto, lock), keys).args(["create", "--instance", web]).run(),
    );
    let copy = Proof { ..proof(&["copy", "--to", "us-east-1"]) };
    prove(
        &copy,
        |moto| ami_fixture(moto, 1),
        |moto, (lock, _, docs), keys| as_user(crate::ami_snap::ami(moto, lock), keys).args(&copy.args).stdin(docs.clone()).run(),
    );
    let share = Proof {
        unprovable: &[("CheckSnapshotKeys", "only asked for snapshots encrypted with a KMS key; the fixture's are not")],
        ..proof(&["share", "--account", "111122223333"])
    };
    prove(
        &share,
        |moto| ami_fixture(moto, 1),
        |moto, (lock, _, docs), keys| as_user(crate::ami_snap::ami(moto, lock), keys).args(&share.args).stdin(docs.clone()).run(),
    );
    let prune = Proof { ..proof(&["prune", "--keep", "1", "--min-age", "0s", "--yes"]) };
    prove(
        &prune,
        |moto| ami_fixture(moto, 2),
        |moto, (lock, _, _), keys| as_user(crate::ami_snap::ami(moto, lock), keys).args(&prune.args).run(),
    );
}

#[test]
fn bastion_ssh_lookups_need_exactly_their_printed_policy() {
    // `config --dry-run` makes exec's lookups (bastion, targets, VPC CIDRs) and connects to nothing.
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("id_ed25519");
    std::fs::write(&key, "not read by a dry run\n").unwrap();
    std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let file = dir.path().join("ssh_config");
    let args: Vec<String> =
        ["config", "--dry-run", "--file", file.to_str().unwrap(), "-i", key.to_str().unwrap()].map(str::to_owned).to_vec();
    let proof = Proof { command: "bastion-ssh", args, unprovable: &[], degrades: &[] };
    prove(
        &proof,
        |moto| {
            let aws = crate::aws_view::Ec2View::new(&moto.url());
            aws.launch_lab(&[("bastion", ("awsops:role", "bastion")), ("web-1", ("role", "web"))]);
        },
        |moto, _, keys| as_user(TestCommand::for_moto("bastion-ssh", moto), keys).args(&proof.args).run(),
    );
}

/// A hosted zone for example.com, made as the administrator; its id.
fn example_zone(moto: &Moto) -> String {
    let aws = crate::aws_view::Ec2View::new(&moto.url());
    let route53 = crate::aws_view::emulator_client!(aws_sdk_route53, moto.url());
    let zone = aws.block(route53.create_hosted_zone().name("example.com").caller_reference("least-privilege").send()).unwrap();
    zone.hosted_zone().unwrap().id().trim_start_matches("/hostedzone/").to_owned()
}

#[test]
fn dns_alias_set_needs_exactly_its_printed_policy() {
    let args: Vec<String> = ["set", "www.example.com", "host.example.net"].map(str::to_owned).to_vec();
    let proof = Proof { command: "dns-alias", args, unprovable: &[], degrades: &[] };
    prove(&proof, example_zone, |moto, _, keys| as_user(TestCommand::for_moto("dns-alias", moto), keys).args(&proof.args).run());
}

#[test]
fn cert_attach_with_a_load_balancer_needs_exactly_its_printed_policy() {
    let args: Vec<String> = ["example.com", "www.example.com", "--lb", "web", "--redirect-http"].map(str::to_owned).to_vec();
    // Without the reachability check it warns that it could not look, by design.
    let proof = Proof { command: "cert-attach", args, unprovable: &[], degrades: &["CheckHttpsReachability"] };
    let moto = Moto::start_authorizing_with(&[("MOTO_ACM_VALIDATION_WAIT", "1")]);
    prove_on(
        &moto,
        &proof,
        |moto| {
            example_zone(moto);
            crate::web_stack::web_load_balancer(&crate::aws_view::Ec2View::new(&moto.url()), &moto.url(), "web", 1, true);
        },
        |moto, _, keys| as_user(TestCommand::for_moto("cert-attach", moto), keys).args(&proof.args).run(),
    );
}
