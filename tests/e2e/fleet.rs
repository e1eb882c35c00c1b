//! Fleet runs against moto's AWS Organizations and its per-account resources: an
//! organization with OUs (one nested) and member accounts seeded with different IAM
//! problems and images, reached by AssumeRole. moto lets any role be assumed, so the call
//! proxy answers AssumeRole into one account with AccessDenied, as AWS does when the role
//! is missing there: that account is reported failed while the others complete. Also:
//! `--ou` with child OUs, exclusions, `--regions all`, shards 1/3..3/3 adding up to the
//! whole run, the shard index from the Indexed Job / array job variables, and bad input
//! refused before any call.

use crate::harness::{CallProxy, Moto, TestCommand};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::time::Duration;

/// The organization: accounts in the root, in OU prod, in prod's child OU prod-eu, and in
/// OU dev (whose role the proxy refuses). Account n gets n users with access keys and no
/// MFA, and n images in us-east-1 and n + 1 in eu-west-1 tagged as ami-snap's. Prints the
/// ids as JSON.
const SEED: &str = r#"
import boto3, json, sys
url = sys.argv[1]
kw = dict(endpoint_url=url, region_name="us-east-1")
org = boto3.client("organizations", **kw)
org.create_organization(FeatureSet="ALL")
root = org.list_roots()["Roots"][0]["Id"]
prod = org.create_organizational_unit(ParentId=root, Name="prod")["OrganizationalUnit"]["Id"]
prod_eu = org.create_organizational_unit(ParentId=prod, Name="prod-eu")["OrganizationalUnit"]["Id"]
dev = org.create_organizational_unit(ParentId=root, Name="dev")["OrganizationalUnit"]["Id"]
accounts = {}
for n, (name, parent) in enumerate([("in-root", root), ("prod", prod), ("prod-eu", prod_eu), ("dev", dev)], start=1):
    a = org.create_account(AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"]["AccountId"]
    if parent != root:
        org.move_account(AccountId=a, SourceParentId=root, DestinationParentId=parent)
    accounts[name] = a
    c = boto3.client("sts", **kw).assume_role(RoleArn=f"arn:aws:iam::{a}:role/OrganizationAccountAccessRole", RoleSessionName="seed")["Credentials"]
    session = boto3.session.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
    iam = session.client("iam", **kw)
    for u in range(n):
        iam.create_user(UserName=f"{name}-user{u}")
        iam.create_access_key(UserName=f"{name}-user{u}")
    for region, count in [("us-east-1", n), ("eu-west-1", n + 1)]:
        ec2 = session.client("ec2", endpoint_url=url, region_name=region)
        base = [i for i in ec2.describe_images(Owners=["amazon"])["Images"] if i.get("RootDeviceType") == "ebs"][0]["ImageId"]
        source = ec2.run_instances(ImageId=base, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                                   TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web-source"}]}])["Instances"][0]["InstanceId"]
        for k in range(count):
            tags = [{"Key": "awsops:tool", "Value": "ami-snap"}, {"Key": "awsops:group", "Value": "web"}]
            ec2.create_image(InstanceId=source, Name=f"web-{name}-{k}", TagSpecifications=[{"ResourceType": "image", "Tags": tags}])
print(json.dumps({"accounts": accounts, "prod": prod, "dev": dev}))
"#;

struct Org {
    moto: Moto,
    /// Every call goes through here; AssumeRole into the dev account is refused.
    proxy: CallProxy,
    accounts: BTreeMap<String, String>,
    prod: String,
    lock: tempfile::TempDir,
}

/// The management account moto's organization is run from (the caller's, used directly).
const MANAGEMENT: &str = "123456789012";

fn org() -> Org {
    let moto = Moto::start();
    let mut cmd = Command::new(xtask::moto::moto_server_path().with_file_name("python"));
    cmd.args(["-c", SEED, &moto.url()]);
    xtask::moto::use_emulator(&mut cmd, &moto.url());
    let out = cmd.output().expect("python (moto's venv)");
    assert!(out.status.success(), "seeding the organization: {}", String::from_utf8_lossy(&out.stderr));
    let seeded: Value = serde_json::from_slice(&out.stdout).expect("the seed's JSON");
    let accounts: BTreeMap<String, String> =
        seeded["accounts"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned())).collect();
    let faults = xtask::faults::Faults { deny: vec![("AssumeRole".into(), accounts["dev"].clone())], ..Default::default() };
    let proxy = CallProxy::start_with(moto.addr(), Duration::ZERO, faults).expect("call proxy");
    Org { proxy, accounts, prod: seeded["prod"].as_str().unwrap().to_owned(), moto, lock: tempfile::tempdir().unwrap() }
}

impl Org {
    fn command(&self, name: &str) -> TestCommand {
        TestCommand::new(name, &self.proxy.url()).env("AWSOPS_AMI_LOCK", self.lock.path().join("ami-snap.lock").to_str().unwrap())
    }

    fn id(&self, name: &str) -> &str {
        &self.accounts[name]
    }
}

fn kind<'a>(docs: &'a [Value], kind: &str) -> Vec<&'a Value> {
    docs.iter().filter(|d| d["kind"] == kind).collect()
}

/// account (and region) → status of every `fleet-target` document.
fn statuses(docs: &[Value]) -> BTreeMap<String, String> {
    kind(docs, "fleet-target")
        .iter()
        .map(|d| {
            let label = match d["region"].as_str() {
                Some(r) => format!("{}/{r}", d["account"].as_str().unwrap()),
                None => d["account"].as_str().unwrap().to_owned(),
            };
            (label, d["status"].as_str().unwrap().to_owned())
        })
        .collect()
}

/// A run's documents as a set, without what differs from run to run (times) and the
/// run's own total (each shard totals its own part).
fn as_set(docs: &[Value]) -> BTreeSet<String> {
    docs.iter()
        .filter(|d| d["kind"] != "iam-audit-fleet-summary")
        .map(|d| {
            let mut d = d.clone();
            d.as_object_mut().unwrap().remove("duration_ms");
            d.to_string()
        })
        .collect()
}

#[test]
fn iam_audit_over_an_organization_reports_each_account_and_the_failed_one() {
    let org = org();
    let run = org.command("iam-audit").args(["--org", "--jobs", "3"]).run();
    assert_eq!(run.code, 1, "one account could not be audited: exit 1; stderr:\n{}", run.stderr);
    let docs = run.documents();
    let expected: BTreeMap<String, String> = [MANAGEMENT, org.id("in-root"), org.id("prod"), org.id("prod-eu"), org.id("dev")]
        .iter()
        .map(|a| (a.to_string(), if *a == org.id("dev") { "failed" } else { "ok" }.to_owned()))
        .collect();
    assert_eq!(statuses(&docs), expected);
    let failed = kind(&docs, "fleet-target").into_iter().find(|d| d["status"] == "failed").unwrap().clone();
    let error = failed["error"].as_str().unwrap();
    assert!(error.contains("cannot assume") && error.contains(org.id("dev")) && error.contains("AccessDenied"), "{error}");
    assert!(run.stderr.contains(org.id("dev")), "the failure is named on stderr: {}", run.stderr);
    // Each member account's own users, counted in its own summary, stamped with the account.
    for (n, name) in ["in-root", "prod", "prod-eu"].iter().enumerate() {
        let summary = kind(&docs, "iam-audit-summary").into_iter().find(|d| d["account"] == org.id(name)).expect("a summary per account");
        assert_eq!(summary["account_id"], org.id(name));
        assert_eq!(summary["users"], n + 1, "{name}");
        let keys_without_mfa =
            kind(&docs, "finding").into_iter().filter(|f| f["account"] == org.id(name) && f["check"] == "user-api-without-mfa").count();
        assert_eq!(keys_without_mfa, n + 1, "{name}: each user's findings, in its account only");
    }
    assert!(kind(&docs, "finding").iter().all(|f| f["account"].is_string()), "every document carries its account");
    let total = kind(&docs, "iam-audit-fleet-summary");
    assert_eq!(total.len(), 1);
    assert_eq!(total[0]["accounts"], 4);
    assert_eq!(total[0]["accounts_failed"], 1);
    let highs: u64 = kind(&docs, "iam-audit-summary").iter().map(|s| s["findings"]["high"].as_u64().unwrap()).sum();
    assert_eq!(total[0]["findings"]["high"], highs, "the total sums the accounts");
    // AssumeRole once per member account (the management account is the caller's own).
    let assumed = org.proxy.calls().iter().filter(|c| c.action == "AssumeRole").count();
    assert_eq!(assumed, 4, "one AssumeRole per member account, none for the caller's");
}

#[test]
fn ou_exclusions_fail_on_and_shards() {
    let org = org();
    // --ou takes the OU's accounts and its child OU's.
    let docs = org.command("iam-audit").args(["--org", "--ou", &org.prod]).run().ok();
    let ou: BTreeSet<String> = statuses(&docs).into_keys().collect();
    assert_eq!(ou, BTreeSet::from([org.id("prod").to_owned(), org.id("prod-eu").to_owned()]));

    // Without the refused account, everything completes; --fail-on still exits 3 over the fleet.
    let without_dev = ["--org", "--exclude-accounts", org.id("dev")];
    let all = org.command("iam-audit").args(without_dev).run().ok();
    assert_eq!(statuses(&all).len(), 4);
    assert!(statuses(&all).values().all(|s| s == "ok"));
    let gated = org.command("iam-audit").args(without_dev).args(["--fail-on", "high"]).run();
    assert_eq!(gated.code, 3, "{}", gated.stderr);
    assert_eq!(kind(&gated.documents(), "iam-audit-fleet-summary")[0]["failed"], true);
    // A failed account wins over --fail-on: exit 1.
    assert_eq!(org.command("iam-audit").args(["--org", "--fail-on", "high"]).run().code, 1);

    // Shards 1/3, 2/3, 3/3 add up to the whole run, each target in exactly one.
    let mut union = BTreeSet::new();
    let mut per_shard = Vec::new();
    for k in 1..=3 {
        let shard = org.command("iam-audit").args(without_dev).args(["--shard", &format!("{k}/3")]).run().ok();
        let targets = statuses(&shard).len();
        per_shard.push(targets);
        let set = as_set(&shard);
        assert!(union.is_disjoint(&set), "shard {k} repeats documents");
        union.extend(set);
    }
    assert_eq!(per_shard.iter().sum::<usize>(), 4, "{per_shard:?}");
    assert_eq!(union, as_set(&all), "the shards' documents are the whole run's");

    // The shard index from Kubernetes' and AWS Batch's variables, counted from 0.
    for (var, index, shard) in [("JOB_COMPLETION_INDEX", "0", "1/3"), ("AWS_BATCH_JOB_ARRAY_INDEX", "2", "3/3")] {
        let from_env = org.command("iam-audit").args(without_dev).args(["--shard", "3"]).env(var, index).run().ok();
        let given = org.command("iam-audit").args(without_dev).args(["--shard", shard]).run().ok();
        assert_eq!(as_set(&from_env), as_set(&given), "{var}={index} is shard {shard}");
    }
}

#[test]
fn ami_snap_lists_and_prunes_every_account_and_region() {
    let org = org();
    let members = [org.id("in-root"), org.id("prod")];
    let accounts = members.join(",");
    let listed = org.command("ami-snap").args(["list", "--accounts", &accounts, "--regions", "all"]).run().ok();
    let targets = statuses(&listed);
    let regions: BTreeSet<&str> = kind(&listed, "fleet-target").iter().map(|d| d["region"].as_str().unwrap()).collect();
    assert!(regions.len() > 10 && regions.contains("eu-west-1") && regions.contains("us-east-1"), "{regions:?}");
    assert_eq!(targets.len(), regions.len() * 2, "every (account, region)");
    assert!(targets.values().all(|s| s == "ok"));
    for (n, account) in members.iter().enumerate() {
        for (region, count) in [("us-east-1", n + 1), ("eu-west-1", n + 2)] {
            let images = kind(&listed, "ami").into_iter().filter(|d| d["account"] == *account && d["region"] == region).count();
            assert_eq!(images, count, "{account} {region}: its own images only");
        }
    }

    let rule = ["--keep", "1", "--min-age", "0s", "--regions", "us-east-1,eu-west-1"];
    let dry = org.command("ami-snap").args(["prune", "--accounts", &accounts, "--dry-run"]).args(rule).run().ok();
    assert_eq!(statuses(&dry).len(), 4);
    let planned = |docs: &[Value], account: &str| {
        kind(docs, "ami-prune").into_iter().filter(|d| d["account"] == account && d["verdict"] == "prune").count()
    };
    // Keep 1 of n + n + 1 images per account: (n - 1) + n to prune.
    assert_eq!(planned(&dry, members[0]), 1);
    assert_eq!(planned(&dry, members[1]), 3);

    let done = org.command("ami-snap").args(["prune", "--accounts", &accounts, "--yes"]).args(rule).run().ok();
    assert!(kind(&done, "ami-prune").iter().filter(|d| d["verdict"] == "prune").all(|d| d["outcome"] == "done"));
    let after = org.command("ami-snap").args(["list", "--accounts", &accounts, "--regions", "us-east-1,eu-west-1"]).run().ok();
    assert_eq!(kind(&after, "ami").len(), 4, "one image kept per (account, region)");

    // create | copy over the fleet: an image of each account's tagged instance, copied
    // within its own account (the documents carry it) to another region.
    let created = org
        .command("ami-snap")
        .args(["create", "--accounts", &accounts, "--select", "Name=web-source", "--region", "us-east-1", "--group", "nightly"])
        .run()
        .ok();
    let made = kind(&created, "ami");
    assert_eq!(made.iter().map(|d| d["account"].as_str().unwrap()).collect::<BTreeSet<_>>(), BTreeSet::from(members));
    let piped: String = made.iter().map(|d| format!("{d}\n")).collect();
    let copied = org.command("ami-snap").args(["copy", "--accounts", &accounts, "--to", "eu-west-2"]).stdin(piped).run().ok();
    assert_eq!(statuses(&copied).len(), 2, "one target per (account, --to region)");
    for account in members {
        let source = made.iter().find(|d| d["account"] == account).unwrap()["image_id"].clone();
        let copies: Vec<&Value> = kind(&copied, "ami").into_iter().filter(|d| d["account"] == account).collect();
        assert_eq!(copies.len(), 1, "{account}");
        assert_eq!((&copies[0]["region"], &copies[0]["source_image_id"]), (&Value::from("eu-west-2"), &source));
    }
    let in_eu_west_2 = org.command("ami-snap").args(["list", "--accounts", &accounts, "--regions", "eu-west-2"]).run().ok();
    for account in members {
        assert_eq!(kind(&in_eu_west_2, "ami").iter().filter(|d| d["account"] == account).count(), 1, "the copy is in {account}");
    }
    // A document of another account than the fleet's is refused before any change.
    let foreign = made[0].to_string().replace(made[0]["account"].as_str().unwrap(), "999999999999");
    org.command("ami-snap").args(["copy", "--accounts", &accounts, "--to", "eu-west-2"]).stdin(foreign).run().usage_error("999999999999");

    // An account whose role cannot be assumed fails alone.
    let with_dev = format!("{accounts},{}", org.id("dev"));
    let run = org.command("ami-snap").args(["list", "--accounts", &with_dev, "--regions", "us-east-1"]).run();
    assert_eq!(run.code, 1);
    let statuses = statuses(&run.documents());
    assert_eq!(statuses[&format!("{}/us-east-1", org.id("dev"))], "failed");
    assert_eq!(statuses.values().filter(|s| *s == "ok").count(), 2);
}

#[test]
fn vpc_bootstrap_show_inventories_every_stack_of_every_account() {
    let org = org();
    let member = org.id("prod");
    // A network made in the member account, with the member's credentials.
    let mut cmd = Command::new(xtask::moto::moto_server_path().with_file_name("python"));
    cmd.args([
        "-c",
        "import boto3, sys\nc = boto3.client('sts').assume_role(RoleArn=f'arn:aws:iam::{sys.argv[1]}:role/OrganizationAccountAccessRole', RoleSessionName='test')['Credentials']\nprint(c['AccessKeyId'], c['SecretAccessKey'], c['SessionToken'])",
        member,
    ]);
    xtask::moto::use_emulator(&mut cmd, &org.moto.url());
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "assuming the member's role: {}", String::from_utf8_lossy(&out.stderr));
    let out = String::from_utf8(out.stdout).unwrap();
    let creds: Vec<&str> = out.split_whitespace().collect();
    TestCommand::for_moto("vpc-bootstrap", &org.moto)
        .env("AWS_ACCESS_KEY_ID", creds[0])
        .env("AWS_SECRET_ACCESS_KEY", creds[1])
        .env("AWS_SESSION_TOKEN", creds[2])
        .args(["create", "inventory", "--cidr", "10.7.0.0/16", "--az", "a,c", "--ssh-from", "203.0.113.7/32"])
        .run()
        .ok();
    let docs = org.command("vpc-bootstrap").args(["show", "--accounts", &format!("{MANAGEMENT},{member}")]).run().ok();
    let vpcs = kind(&docs, "vpc");
    assert_eq!(vpcs.len(), 1, "the member's network, none in the management account");
    assert_eq!(vpcs[0]["account"], member);
    assert_eq!(vpcs[0]["name"], "inventory");
    assert_eq!(statuses(&docs).len(), 2);
}

#[test]
fn bad_fleet_input_is_refused_before_any_call() {
    let org = org();
    org.proxy.clear();
    let cases: &[(&str, &[&str], &str)] = &[
        ("iam-audit", &["--accounts", "12345"], "invalid account id"),
        ("iam-audit", &["--accounts", "123456789012,x23456789012"], "invalid account id"),
        ("iam-audit", &["--org", "--shard", "4/3"], "--shard"),
        ("iam-audit", &["--org", "--shard", "0/3"], "--shard"),
        ("iam-audit", &["--org", "--shard", "3"], "no shard index"),
        ("iam-audit", &["--org", "--ou", "ou-nope"], "invalid --ou"),
        ("iam-audit", &["--shard", "1/3"], "needs --accounts or --org"),
        ("ami-snap", &["list", "--org", "--regions", "xx-nowhere-9"], "unknown region"),
        ("ami-snap", &["list", "--org", "--regions", "all,us-east-1"], "--regions all"),
        ("ami-snap", &["prune", "--org", "--keep", "1", "--regions", "xx-nowhere-9", "--yes"], "unknown region"),
        ("vpc-bootstrap", &["show", "--org", "--role-name", "a/b"], "--role-name"),
    ];
    for (command, args, needle) in cases {
        org.command(command).args(*args).run().usage_error(needle);
    }
    let index_out_of_range = org.command("iam-audit").args(["--org", "--shard", "3"]).env("JOB_COMPLETION_INDEX", "3").run();
    index_out_of_range.usage_error("JOB_COMPLETION_INDEX");
    assert!(org.proxy.calls().is_empty(), "no call was made: {:?}", org.proxy.calls().iter().map(|c| &c.action).collect::<Vec<_>>());
}
