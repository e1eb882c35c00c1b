//! iam-audit against a moto account seeded with known problems and clean principals:
//! every seeded problem found, nothing clean flagged, a handful of calls whatever the
//! number of users, `--fail-on` exit statuses, suppressions, table and SARIF output, and
//! the offline mode on a saved authorization-details file (with policies missing from it:
//! a warning and uncertain verdicts, never a silent drop). The seeded account also has an
//! API-only user without MFA, a policy with typos, an unattached escalation policy, a path
//! to administrator access through two roles, and an admin role fenced by a boundary.

use crate::aws_view::{Ec2View, emulator_client};
use crate::harness::{CallProxy, Moto, TestCommand, check_schema};
use std::time::Duration;

const ADMIN: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const ALL_BUT_BILLING: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"aws-portal:*","Resource":"*"}]}"#;
const ESCALATE: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:CreatePolicyVersion","iam:ListPolicies"],"Resource":"*"}]}"#;
const S3_ALL: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
const READ: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"arn:aws:s3:::reports/*"}]}"#;
const TYPOS: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObjcet","iam:PassRoles","s4:ListBuckets"],"Resource":"*"}]}"#;
const KEY_MAKER: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*"}]}"#;
const ASSUME_ANY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#;
const FENCE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","ec2:Describe*"],"Resource":"*"}]}"#;
const PASS_AND_RUN: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:PassRole","ec2:RunInstances"],"Resource":"*"}]}"#;

fn trust(principal: &str, condition: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"sts:AssumeRole"{condition}}}]}}"#)
}

struct Seeded {
    moto: Moto,
}

/// The account: problems on alice..grace and some roles; bob, partner-ok and app are clean.
fn seed() -> Seeded {
    let moto = Moto::start();
    let aws = Ec2View::new(&moto.url());
    let iam = emulator_client!(aws_sdk_iam, moto.url());
    for name in ["alice", "bob", "carol", "dave", "erin", "frank", "grace"] {
        aws.block(iam.create_user().user_name(name).send()).unwrap();
    }
    aws.block(iam.create_login_profile().user_name("alice").password("Correct-horse-1!").send()).unwrap();
    aws.block(iam.create_login_profile().user_name("bob").password("Correct-horse-2!").send()).unwrap();
    let mfa = aws.block(iam.create_virtual_mfa_device().virtual_mfa_device_name("bob").send()).unwrap();
    let serial = mfa.virtual_mfa_device().unwrap().serial_number().to_owned();
    aws.block(
        iam.enable_mfa_device()
            .user_name("bob")
            .serial_number(&serial)
            .authentication_code1("123456")
            .authentication_code2("654321")
            .send(),
    )
    .unwrap();
    aws.block(iam.create_group().group_name("readers").send()).unwrap();
    let read = aws.block(iam.create_policy().policy_name("read-reports").policy_document(READ).send()).unwrap();
    aws.block(iam.attach_group_policy().group_name("readers").policy_arn(read.policy().unwrap().arn().unwrap()).send()).unwrap();
    aws.block(iam.add_user_to_group().group_name("readers").user_name("bob").send()).unwrap();
    for _ in 0..2 {
        aws.block(iam.create_access_key().user_name("carol").send()).unwrap();
    }
    aws.block(iam.put_user_policy().user_name("dave").policy_name("admin").policy_document(ADMIN).send()).unwrap();
    let everything = aws.block(iam.create_policy().policy_name("everything").policy_document(ALL_BUT_BILLING).send()).unwrap();
    aws.block(iam.create_group().group_name("admins").send()).unwrap();
    aws.block(iam.attach_group_policy().group_name("admins").policy_arn(everything.policy().unwrap().arn().unwrap()).send()).unwrap();
    aws.block(iam.add_user_to_group().group_name("admins").user_name("erin").send()).unwrap();
    aws.block(iam.put_user_policy().user_name("frank").policy_name("escalate").policy_document(ESCALATE).send()).unwrap();
    let s3_all = aws.block(iam.create_policy().policy_name("s3-all").policy_document(S3_ALL).send()).unwrap();
    aws.block(iam.attach_user_policy().user_name("grace").policy_arn(s3_all.policy().unwrap().arn().unwrap()).send()).unwrap();
    let roles = [
        ("public", trust(r#"{"AWS":"*"}"#, "")),
        ("partner", trust(r#"{"AWS":"arn:aws:iam::222222222222:root"}"#, "")),
        ("partner-ok", trust(r#"{"AWS":"arn:aws:iam::222222222222:root"}"#, r#","Condition":{"StringEquals":{"sts:ExternalId":"k3y"}}"#)),
        ("app", trust(r#"{"Service":"ec2.amazonaws.com"}"#, "")),
        ("deployer", trust(r#"{"Service":"codebuild.amazonaws.com"}"#, "")),
    ];
    for (name, doc) in &roles {
        aws.block(iam.create_role().role_name(*name).assume_role_policy_document(doc).send()).unwrap();
    }
    aws.block(iam.put_role_policy().role_name("app").policy_name("read").policy_document(READ).send()).unwrap();
    aws.block(iam.put_role_policy().role_name("deployer").policy_name("deploy").policy_document(PASS_AND_RUN).send()).unwrap();
    aws.block(iam.update_account_password_policy().minimum_password_length(8).send()).unwrap();

    // Policies nobody holds: typos (invalid actions and a service that does not exist), and an escalation.
    aws.block(iam.create_policy().policy_name("typos").policy_document(TYPOS).send()).unwrap();
    aws.block(iam.create_policy().policy_name("key-maker").policy_document(KEY_MAKER).send()).unwrap();
    // henry → role hop (trusts the account) → role breakglass (trusts hop, holds admin).
    aws.block(iam.create_user().user_name("henry").send()).unwrap();
    aws.block(iam.put_user_policy().user_name("henry").policy_name("assume").policy_document(ASSUME_ANY).send()).unwrap();
    let hop = trust(r#"{"AWS":"arn:aws:iam::123456789012:root"}"#, "");
    aws.block(iam.create_role().role_name("hop").assume_role_policy_document(hop).send()).unwrap();
    aws.block(iam.put_role_policy().role_name("hop").policy_name("assume").policy_document(ASSUME_ANY).send()).unwrap();
    let breakglass = trust(r#"{"AWS":"arn:aws:iam::123456789012:role/hop"}"#, "");
    aws.block(iam.create_role().role_name("breakglass").assume_role_policy_document(breakglass).send()).unwrap();
    aws.block(iam.put_role_policy().role_name("breakglass").policy_name("admin").policy_document(ADMIN).send()).unwrap();
    // An admin policy under a boundary without iam:*: not an administrator.
    let fence = aws.block(iam.create_policy().policy_name("fence").policy_document(FENCE).send()).unwrap();
    let fenced = trust(r#"{"Service":"ec2.amazonaws.com"}"#, "");
    aws.block(
        iam.create_role()
            .role_name("fenced")
            .assume_role_policy_document(fenced)
            .permissions_boundary(fence.policy().unwrap().arn().unwrap())
            .send(),
    )
    .unwrap();
    aws.block(iam.put_role_policy().role_name("fenced").policy_name("admin").policy_document(ADMIN).send()).unwrap();
    Seeded { moto }
}

fn audit(endpoint: &str) -> TestCommand {
    TestCommand::new("iam-audit", endpoint)
}

fn name_of(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

#[test]
fn every_seeded_problem_is_found_and_nothing_clean_is_flagged() {
    let s = seed();
    let proxy = CallProxy::start(s.moto.addr(), Duration::ZERO).unwrap();
    let docs = audit(&proxy.url()).run().ok();
    let (summary, findings) = docs.split_last().unwrap();
    assert_eq!(summary["kind"], "iam-audit-summary");
    let found: Vec<(String, String)> =
        findings.iter().map(|f| (f["check"].as_str().unwrap().to_owned(), name_of(f["resource"].as_str().unwrap()).to_owned())).collect();
    let has = |check: &str, who: &str| found.iter().any(|(c, r)| c == check && r == who);
    for (check, who) in [
        ("root-mfa-off", "arn:aws:iam::123456789012:root"),
        ("user-console-without-mfa", "alice"),
        ("user-two-active-keys", "carol"),
        ("inline-policy", "dave"),
        ("admin-policy", "dave"),
        ("admin-principal", "dave"),
        ("admin-policy", "everything"),
        ("admin-principal", "erin"),
        ("privilege-escalation", "frank"),
        ("user-attached-policy", "grace"),
        ("service-wildcard", "s3-all"),
        ("role-trust-public", "public"),
        ("role-trust-cross-account", "partner"),
        ("passrole-wildcard", "deployer"),
        ("privilege-escalation", "deployer"),
        ("password-policy", "arn:aws:iam::123456789012:root"),
        ("user-api-without-mfa", "carol"),
        ("invalid-action", "typos"),
        ("invalid-service", "typos"),
        ("privilege-escalation", "key-maker"),
        ("assume-role-escalation", "henry"),
        ("assume-role-escalation", "hop"),
        ("admin-principal", "breakglass"),
    ] {
        assert!(has(check, who), "{check} on {who} not found in {found:?}");
    }
    let finding =
        |check: &str, who: &str| findings.iter().find(|f| f["check"] == check && name_of(f["resource"].as_str().unwrap()) == who).unwrap();
    assert_eq!(finding("user-api-without-mfa", "carol")["severity"], "medium");
    assert_eq!(finding("user-console-without-mfa", "alice")["severity"], "high");
    assert_eq!(finding("invalid-action", "typos")["evidence"]["actions"], serde_json::json!(["iam:PassRoles", "s3:GetObjcet"]));
    assert_eq!(finding("invalid-service", "typos")["evidence"]["actions"], serde_json::json!(["s4:ListBuckets"]));
    assert_eq!(finding("privilege-escalation", "key-maker")["evidence"]["attached"], false);
    assert_eq!(finding("admin-policy", "everything")["evidence"]["attached"], true);
    assert_eq!(
        finding("assume-role-escalation", "henry")["evidence"]["path"],
        serde_json::json!(["user:henry", "role:hop", "role:breakglass"])
    );
    assert!(has("admin-policy", "fenced"), "the fenced role's own policy grants everything: {found:?}");
    for (check, who) in [("admin-principal", "fenced"), ("privilege-escalation", "fenced"), ("admin-policy", "fence")] {
        assert!(!has(check, who), "{check} on {who}: the boundary has no iam:* ({found:?})");
    }
    for clean in ["bob", "partner-ok", "readers", "read-reports"] {
        assert!(!found.iter().any(|(_, r)| r == clean), "{clean} is clean: {found:?}");
    }
    // app has an inline policy (a finding of its own) but nothing else.
    assert!(found.iter().filter(|(_, r)| r == "app").all(|(c, _)| c == "inline-policy"), "{found:?}");
    for f in findings {
        assert!(!f["remediation"].as_str().unwrap().is_empty() && f["evidence"].is_object(), "{f}");
    }
    // Collection is a handful of calls, not one per user.
    let calls = proxy.calls();
    assert!(calls.len() <= 8, "{:?}", calls.iter().map(|c| &c.action).collect::<Vec<_>>());
    // moto's credential report has no <root_account> row: that one check says it could not run.
    let skipped = summary["checks_skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{summary}");
    assert_eq!(skipped[0]["check"], "root-used-recently");
    assert!(skipped[0]["reason"].as_str().unwrap().contains("<root_account>"));

    // Stricter thresholds reach carol's new keys (moto cannot backdate a key).
    let strict = audit(&s.moto.url()).args(["--key-max-age", "0", "--now", "4102444800"]).run().ok();
    assert!(strict.iter().any(|f| f["check"] == "access-key-old" && name_of(f["resource"].as_str().unwrap_or_default()) == "carol"));
}

#[test]
fn fail_on_suppressions_and_formats() {
    let s = seed();
    let moto = s.moto.url();
    let run = audit(&moto).args(["--fail-on", "critical"]).run();
    assert_eq!(run.code, 3, "a critical finding fails the gate: {}", run.stderr);
    assert_eq!(run.documents().last().unwrap()["failed"], true);

    // Accept every critical and high finding (with reasons): the gate passes, the findings still print.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("accepted.json");
    std::fs::write(
        &file,
        r#"[{"check":"*","resource":"*","reason":"lab account","expires":"2099-01-01"},
            {"check":"root-mfa-off","resource":"*","reason":"expired","expires":"2000-01-01"}]"#,
    )
    .unwrap();
    let passed = audit(&moto).args(["--fail-on", "high", "--suppressions", file.to_str().unwrap()]).run();
    assert_eq!(passed.code, 0, "{}", passed.stderr);
    let docs = passed.documents();
    assert!(docs.iter().filter(|d| d["kind"] == "finding").all(|d| d["suppressed"] == "lab account"));

    let table = audit(&moto).args(["--format", "table"]).run();
    assert_eq!(table.code, 0);
    assert!(table.stdout.starts_with("SEVERITY") && table.stdout.contains("role-trust-public"), "{}", table.stdout);
    let sarif = audit(&moto).args(["--format", "sarif"]).run();
    let v: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "admin-principal"));
    for r in results {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap_or_default();
        assert!(uri.starts_with("iam/123456789012/"), "every result has a pseudo-path: {r}");
    }
    let dave =
        results.iter().find(|r| r["ruleId"] == "admin-principal" && r["message"]["text"].as_str().unwrap().contains("dave")).unwrap();
    assert_eq!(dave["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "iam/123456789012/users/dave");
    assert_eq!(dave["partialFingerprints"]["awsops/v1"], "admin-principal|arn:aws:iam::123456789012:user/dave");
    let again: serde_json::Value = serde_json::from_str(&audit(&moto).args(["--format", "sarif"]).run().stdout).unwrap();
    let prints = |v: &serde_json::Value| {
        let mut p: Vec<String> = v["runs"][0]["results"].as_array().unwrap().iter().map(|r| r["partialFingerprints"].to_string()).collect();
        p.sort();
        p
    };
    assert_eq!(prints(&v), prints(&again), "fingerprints are stable across runs");
    assert_eq!(
        prints(&v).len(),
        {
            let mut d = prints(&v);
            d.dedup();
            d.len()
        },
        "and unique"
    );

    // The emulator has no access advisor: that check is reported as not run, the rest still run.
    let advisor = audit(&moto).args(["--access-advisor"]).run().ok();
    let summary = advisor.last().unwrap();
    assert!(summary["checks_skipped"].as_array().unwrap().iter().any(|c| c["check"] == "unused-services"), "{summary}");
    assert!(advisor.iter().any(|d| d["check"] == "admin-principal"));

    std::fs::write(&file, "[{\"check\":\"x\"}]").unwrap();
    audit(&moto).args(["--suppressions", file.to_str().unwrap()]).run().usage_error("not a JSON list of suppressions");
}

#[test]
fn a_saved_authorization_details_file_is_audited_offline() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("details.json");
    let details = serde_json::json!({
        "UserDetailList": [
            {"UserName": "ops", "Arn": "arn:aws:iam::333333333333:user/ops", "CreateDate": "2020-01-01T00:00:00Z", "GroupList": [],
             "UserPolicyList": [{"PolicyName": "admin", "PolicyDocument": serde_json::from_str::<serde_json::Value>(ADMIN).unwrap()}],
             "AttachedManagedPolicies": []}
        ],
        "GroupDetailList": [],
        "RoleDetailList": [
            {"RoleName": "open", "Arn": "arn:aws:iam::333333333333:role/open", "CreateDate": "2020-01-01T00:00:00Z",
             "AssumeRolePolicyDocument": "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%22%2A%22%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D",
             "RolePolicyList": [], "AttachedManagedPolicies": [], "RoleLastUsed": {}}
        ],
        "Policies": []
    });
    std::fs::write(&saved, details.to_string()).unwrap();
    // No endpoint at all: offline needs none.
    let docs = audit("http://127.0.0.1:9").args(["--offline", saved.to_str().unwrap(), "--now", "1800000000"]).run().ok();
    let checks: Vec<&str> = docs.iter().filter_map(|d| d["check"].as_str()).collect();
    for want in ["admin-principal", "admin-policy", "role-trust-public", "role-unused"] {
        assert!(checks.contains(&want), "{want} in {checks:?}");
    }
    let summary = docs.last().unwrap();
    assert_eq!(summary["account_id"], "333333333333");
    let skipped: Vec<&str> = summary["checks_skipped"].as_array().unwrap().iter().map(|s| s["check"].as_str().unwrap()).collect();
    assert!(skipped.contains(&"user-console-without-mfa") && skipped.contains(&"password-policy"), "{skipped:?}");
    std::fs::write(&saved, "{\"kind\":\"vpc\"}").unwrap();
    audit("http://127.0.0.1:9")
        .args(["--offline", saved.to_str().unwrap()])
        .run()
        .usage_error("not the output of get-account-authorization-details");
}

#[test]
fn offline_with_a_saved_credential_report_and_thresholds() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("details.json");
    std::fs::write(
        &saved,
        serde_json::json!({"UserDetailList": [{"UserName": "ops", "Arn": "arn:aws:iam::333333333333:user/ops", "GroupList": [],
                           "UserPolicyList": [], "AttachedManagedPolicies": []}], "GroupDetailList": [], "RoleDetailList": [], "Policies": []})
        .to_string(),
    )
    .unwrap();
    let report = dir.path().join("report.csv");
    std::fs::write(
        &report,
        "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,\
access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,\
access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,\
cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n\
ops,arn:aws:iam::333333333333:user/ops,2026-01-01T00:00:00+00:00,true,2026-11-01T00:00:00+00:00,N/A,N/A,false,\
true,2026-10-01T00:00:00+00:00,2026-11-20T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n",
    )
    .unwrap();
    let now = "1795392000"; // 2026-11-23
    let run = |extra: &[&str]| {
        let docs = audit("http://127.0.0.1:9")
            .args(["--offline", saved.to_str().unwrap(), "--credential-report", report.to_str().unwrap(), "--now", now])
            .args(extra)
            .run()
            .ok();
        docs.iter().filter_map(|d| d["check"].as_str().map(str::to_owned)).collect::<Vec<_>>()
    };
    // The report's checks run offline: a console user without MFA; the 53-day-old key is young by default.
    let default = run(&[]);
    assert!(default.contains(&"user-console-without-mfa".to_owned()), "{default:?}");
    assert!(!default.contains(&"access-key-old".to_owned()), "{default:?}");
    assert!(run(&["--key-max-age", "30"]).contains(&"access-key-old".to_owned()));
    audit("http://127.0.0.1:9").args(["--offline", saved.to_str().unwrap(), "--unused-days=-1"]).run().usage_error("--unused-days");
}

#[test]
fn offline_without_aws_managed_policies_warns_and_says_uncertain() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("details.json");
    // As saved with `--filter User Role Group LocalManagedPolicy`: AWS's policies are not in it.
    let details = serde_json::json!({
        "UserDetailList": [
            {"UserName": "ops", "Arn": "arn:aws:iam::333333333333:user/ops", "GroupList": ["admins"], "UserPolicyList": [],
             "AttachedManagedPolicies": [{"PolicyName": "ReadOnlyAccess", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]},
            {"UserName": "dev", "Arn": "arn:aws:iam::333333333333:user/dev", "GroupList": [], "UserPolicyList": [], "AttachedManagedPolicies": []}
        ],
        "GroupDetailList": [
            {"GroupName": "admins", "Arn": "arn:aws:iam::333333333333:group/admins", "GroupPolicyList": [],
             "AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}]}
        ],
        "RoleDetailList": [],
        "Policies": [
            {"Arn": "arn:aws:iam::333333333333:policy/nameless", "AttachmentCount": 0, "DefaultVersionId": "v1",
             "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true,
                "Document": serde_json::from_str::<serde_json::Value>(ADMIN).unwrap()}]}
        ]
    });
    std::fs::write(&saved, details.to_string()).unwrap();
    let run = audit("http://127.0.0.1:9").args(["--offline", saved.to_str().unwrap(), "--now", "1800000000"]).run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warning = run.stderr.lines().find(|l| l.contains("not in the input")).unwrap_or_else(|| panic!("a warning: {}", run.stderr));
    assert!(warning.contains("arn:aws:iam::aws:policy/AdministratorAccess") && warning.contains("ReadOnlyAccess"), "{warning}");
    let docs = run.documents();
    let uncertain: Vec<&str> =
        docs.iter().filter(|d| d["check"] == "grants-uncertain").map(|d| name_of(d["resource"].as_str().unwrap())).collect();
    assert_eq!(uncertain, ["ops"], "{docs:?}");
    let ops = docs.iter().find(|d| d["check"] == "grants-uncertain").unwrap();
    assert_eq!(ops["evidence"]["missing_policies"].as_array().unwrap().len(), 2);
    // A customer policy without a PolicyName is named by its ARN, never a blank.
    let nameless = docs.iter().find(|d| d["check"] == "admin-policy").unwrap();
    assert!(nameless["title"].as_str().unwrap().contains("policy arn:aws:iam::333333333333:policy/nameless grants"), "{nameless}");
    assert_eq!(nameless["evidence"]["attached"], false);
}

#[test]
fn an_empty_account_names_its_root_user_with_the_account_id() {
    // Nothing in the account names it (no users, roles or customer policies): the account
    // id comes from STS, so the root ARN is a whole ARN, never `arn:aws:iam:::root`.
    let moto = Moto::start();
    let docs = audit(&moto.url()).run().ok();
    let roots: Vec<&str> = docs.iter().filter_map(|d| d["resource"].as_str()).filter(|r| r.ends_with(":root")).collect();
    assert!(!roots.is_empty(), "no finding about the root user: {docs:?}");
    for r in roots {
        assert_eq!(r, "arn:aws:iam::123456789012:root");
    }
    let summary = docs.iter().find(|d| d["kind"] == "iam-audit-summary").expect("a summary");
    assert_eq!(summary["account_id"], "123456789012");
    for d in &docs {
        check_schema(d).unwrap_or_else(|e| panic!("{} does not conform: {e}", d["kind"]));
    }
}
