//! `cargo xtask bench iam`: iam-audit against moto seeded with 100 and 1,000 users (keys,
//! console passwords, groups, inline and managed policies, roles), through the call proxy
//! to count API calls, under `/usr/bin/time` for peak memory; beside a boto3 client that
//! only fetches what the audit needs (authorization details, credential report, password
//! policy, account summary).

use crate::bench::{median, seconds};
use crate::call_proxy::CallProxy;
use crate::moto::{Moto, use_emulator};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

pub struct Options {
    pub iam_audit: PathBuf,
    pub python: PathBuf,
    pub runs: usize,
    pub sizes: Vec<usize>,
}

const SEED: &str = r#"
import boto3, json, sys
n = int(sys.argv[1])
iam = boto3.client("iam")
admin = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
read = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::b/*"}]})
esc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:CreatePolicyVersion"], "Resource": "*"}]})
groups = []
for g in range(10):
    name = f"team{g}"
    iam.create_group(GroupName=name)
    arn = iam.create_policy(PolicyName=f"team{g}-policy", PolicyDocument=read if g else admin)["Policy"]["Arn"]
    iam.attach_group_policy(GroupName=name, PolicyArn=arn)
    groups.append(name)
for u in range(n):
    name = f"user{u:05d}"
    iam.create_user(UserName=name)
    iam.add_user_to_group(GroupName=groups[u % 10], UserName=name)
    iam.create_access_key(UserName=name)
    if u % 10 == 0:
        iam.create_login_profile(UserName=name, Password="Correct-horse-9!")
    if u % 5 == 0:
        iam.put_user_policy(UserName=name, PolicyName="extra", PolicyDocument=esc)
trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
for r in range(n // 10):
    iam.create_role(RoleName=f"role{r:04d}", AssumeRolePolicyDocument=trust)
"#;

const FETCH: &str = r#"
import boto3, time
iam = boto3.client("iam")
start = time.perf_counter()
calls = 0
for page in iam.get_paginator("get_account_authorization_details").paginate():
    calls += 1
while True:
    calls += 1
    if iam.generate_credential_report()["State"] == "COMPLETE":
        break
    time.sleep(0.2)
iam.get_credential_report(); calls += 1
try:
    iam.get_account_password_policy()
except iam.exceptions.NoSuchEntityException:
    pass
calls += 1
iam.get_account_summary(); calls += 1
print(time.perf_counter() - start, calls)
"#;

fn python(options: &Options, moto: &Moto, script: &str, args: &[String]) -> Result<String, String> {
    let mut cmd = Command::new(&options.python);
    cmd.arg("-c").arg(script).args(args);
    use_emulator(&mut cmd, &moto.url());
    let out = cmd.output().map_err(|e| format!("cannot run python: {e}"))?;
    if !out.status.success() {
        return Err(format!("python failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// One audit: (wall time, peak RSS in KiB, findings printed).
fn audit(options: &Options, endpoint: &str) -> Result<(Duration, u64, usize), String> {
    let report = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
    let mut cmd = Command::new("/usr/bin/time");
    cmd.args(["-f", "%e %M", "-o"]).arg(report.path()).arg(&options.iam_audit);
    use_emulator(&mut cmd, endpoint);
    let out = cmd.output().map_err(|e| format!("cannot run /usr/bin/time (apt install time): {e}"))?;
    if !out.status.success() {
        return Err(format!("iam-audit failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let measured = std::fs::read_to_string(report.path()).map_err(|e| e.to_string())?;
    let mut fields = measured.split_whitespace();
    let wall: f64 = fields.next().and_then(|s| s.parse().ok()).ok_or("no wall time from /usr/bin/time")?;
    let rss: u64 = fields.next().and_then(|s| s.parse().ok()).ok_or("no peak RSS from /usr/bin/time")?;
    let findings = String::from_utf8_lossy(&out.stdout).lines().filter(|l| l.contains("\"kind\":\"finding\"")).count();
    Ok((Duration::from_secs_f64(wall), rss, findings))
}

pub fn bench(options: &Options) -> Result<String, String> {
    let mut report = String::from(
        "iam-audit against moto (median of runs; calls through the call proxy; peak RSS from /usr/bin/time)\n\n\
         | users | iam-audit wall | peak RSS | API calls | findings | boto3 fetch only (in-process) | its calls |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for &users in &options.sizes {
        let moto = Moto::start();
        eprintln!("bench iam: seeding {users} users");
        python(options, &moto, SEED, &[users.to_string()])?;
        let proxy = CallProxy::start(moto.addr(), Duration::ZERO).map_err(|e| e.to_string())?;
        let (mut walls, mut rss, mut calls, mut findings) = (Vec::new(), 0u64, 0, 0);
        for _ in 0..options.runs {
            proxy.clear();
            let (wall, peak, found) = audit(options, &proxy.url())?;
            walls.push(wall);
            rss = rss.max(peak);
            calls = proxy.calls().len();
            findings = found;
        }
        let mut fetches = Vec::new();
        let mut fetch_calls = 0;
        for _ in 0..options.runs {
            let out = python(options, &moto, FETCH, &[])?;
            let mut f = out.split_whitespace();
            fetches.push(Duration::from_secs_f64(f.next().and_then(|s| s.parse().ok()).ok_or("no time from the fetch script")?));
            fetch_calls = f.next().and_then(|s| s.parse().ok()).unwrap_or(0);
        }
        report.push_str(&format!(
            "| {users} | {} | {:.1} MiB | {calls} | {findings} | {} | {fetch_calls} |\n",
            seconds(median(walls)),
            rss as f64 / 1024.0,
            seconds(median(fetches)),
        ));
    }
    Ok(report)
}
