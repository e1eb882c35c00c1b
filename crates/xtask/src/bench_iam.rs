//! `cargo xtask bench iam`: iam-audit against moto with AWS's managed policies loaded
//! (`MOTO_IAM_LOAD_MANAGED_POLICIES=true`), seeded with 100, 1,000 and 5,000 users (keys,
//! console passwords, groups, inline and managed policies, roles; ReadOnlyAccess and other
//! large AWS policies on about half the users and roles, as in real accounts), through the
//! call proxy to count API calls, under `/usr/bin/time` for wall time, CPU and peak memory;
//! beside a boto3 client that only fetches what the audit needs (authorization details,
//! credential report, password policy, account summary), measured the same way.

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
import boto3, json, sys, threading
from concurrent.futures import ThreadPoolExecutor
n = int(sys.argv[1])
iam = boto3.client("iam")
admin = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
read = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::b/*"}]})
esc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:CreatePolicyVersion"], "Resource": "*"}]})
large = ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", "arn:aws:iam::aws:policy/SecurityAudit"]
local = threading.local()
def client():
    # One client per thread: creating a boto3 client costs more than the calls it makes here.
    if not hasattr(local, "iam"):
        local.iam = boto3.session.Session().client("iam")
    return local.iam
groups = []
for g in range(10):
    name = f"team{g}"
    iam.create_group(GroupName=name)
    arn = iam.create_policy(PolicyName=f"team{g}-policy", PolicyDocument=read if g else admin)["Policy"]["Arn"]
    iam.attach_group_policy(GroupName=name, PolicyArn=arn)
    groups.append(name)
def user(u):
    c = client()
    name = f"user{u:05d}"
    c.create_user(UserName=name)
    c.add_user_to_group(GroupName=groups[u % 10], UserName=name)
    c.create_access_key(UserName=name)
    if u % 10 == 0:
        c.create_login_profile(UserName=name, Password="Correct-horse-9!")
    if u % 5 == 0:
        c.put_user_policy(UserName=name, PolicyName="extra", PolicyDocument=esc)
    if u % 2 == 0:
        c.attach_user_policy(UserName=name, PolicyArn=large[0])
    if u % 6 == 0:
        c.attach_user_policy(UserName=name, PolicyArn=large[1 + (u // 6) % 2])
trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
def role(r):
    c = client()
    name = f"role{r:04d}"
    c.create_role(RoleName=name, AssumeRolePolicyDocument=trust)
    if r % 2 == 0:
        c.attach_role_policy(RoleName=name, PolicyArn=large[0])
    if r % 4 == 1:
        c.attach_role_policy(RoleName=name, PolicyArn=large[2])
with ThreadPoolExecutor(max_workers=8) as pool:
    list(pool.map(user, range(n)))
# Roles one at a time: moto answered 500 to concurrent role creation at 5,000 users.
for r in range(n // 10):
    role(r)
"#;

const FETCH: &str = r#"
import boto3, time
iam = boto3.client("iam")
calls = 0
for page in iam.get_paginator("get_account_authorization_details").paginate(PaginationConfig={"PageSize": 1000}):
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
print(calls)
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

/// What `/usr/bin/time` saw of one process, and its stdout.
pub(crate) struct Measured {
    pub(crate) wall: Duration,
    pub(crate) cpu: Duration,
    pub(crate) rss_kib: u64,
    pub(crate) stdout: String,
}

pub(crate) fn timed(program: Command, what: &str) -> Result<Measured, String> {
    let report = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
    let mut cmd = Command::new("/usr/bin/time");
    cmd.args(["-f", "%e %U %S %M", "-o"]).arg(report.path()).arg(program.get_program()).args(program.get_args());
    for (k, v) in program.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let out = cmd.output().map_err(|e| format!("cannot run /usr/bin/time (apt install time): {e}"))?;
    if !out.status.success() {
        return Err(format!("{what} failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let measured = std::fs::read_to_string(report.path()).map_err(|e| e.to_string())?;
    let f: Vec<f64> = measured.lines().last().unwrap_or_default().split_whitespace().filter_map(|s| s.parse().ok()).collect();
    let [wall, user, sys, rss] = f[..] else { return Err(format!("unexpected /usr/bin/time output: {measured}")) };
    Ok(Measured {
        wall: Duration::from_secs_f64(wall),
        cpu: Duration::from_secs_f64(user + sys),
        rss_kib: rss as u64,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
    })
}

/// One audit: its measures and the findings printed.
fn audit(options: &Options, endpoint: &str) -> Result<(Measured, usize), String> {
    let mut cmd = Command::new(&options.iam_audit);
    use_emulator(&mut cmd, endpoint);
    let m = timed(cmd, "iam-audit")?;
    let findings = m.stdout.lines().filter(|l| l.contains("\"kind\":\"finding\"")).count();
    Ok((m, findings))
}

/// The boto3 client fetching the same inputs: its measures and its API calls.
fn fetch(options: &Options, moto: &Moto) -> Result<(Measured, usize), String> {
    let mut cmd = Command::new(&options.python);
    cmd.arg("-c").arg(FETCH);
    use_emulator(&mut cmd, &moto.url());
    let m = timed(cmd, "the boto3 fetch")?;
    let calls = m.stdout.trim().parse().map_err(|_| format!("no call count from the fetch script: {}", m.stdout))?;
    Ok((m, calls))
}

pub(crate) fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

pub fn bench(options: &Options) -> Result<String, String> {
    let mut report = String::from(
        "iam-audit against moto with AWS managed policies loaded; ReadOnlyAccess (and ViewOnlyAccess, SecurityAudit) on about \
         half the users and roles\n(median of runs; wall, CPU = user+sys and peak RSS from /usr/bin/time; calls through the call proxy)\n\n\
         | users | iam-audit wall | CPU | peak RSS | API calls | findings | boto3 fetch wall | its CPU | its peak RSS | its calls |\n\
         |---|---|---|---|---|---|---|---|---|---|\n",
    );
    for &users in &options.sizes {
        let moto = Moto::start_with(&[("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")]);
        eprintln!("bench iam: seeding {users} users");
        python(options, &moto, SEED, &[users.to_string()])?;
        let proxy = CallProxy::start(moto.addr(), Duration::ZERO).map_err(|e| e.to_string())?;
        let (mut walls, mut cpus, mut rss, mut calls, mut findings) = (Vec::new(), Vec::new(), 0u64, 0, 0);
        for _ in 0..options.runs {
            proxy.clear();
            let (m, found) = audit(options, &proxy.url())?;
            walls.push(m.wall);
            cpus.push(m.cpu);
            rss = rss.max(m.rss_kib);
            calls = proxy.calls().len();
            findings = found;
        }
        let (mut fetch_walls, mut fetch_cpus, mut fetch_rss, mut fetch_calls) = (Vec::new(), Vec::new(), 0u64, 0);
        for _ in 0..options.runs {
            let (m, n) = fetch(options, &moto)?;
            fetch_walls.push(m.wall);
            fetch_cpus.push(m.cpu);
            fetch_rss = fetch_rss.max(m.rss_kib);
            fetch_calls = n;
        }
        let row = format!(
            "| {users} | {} | {} | {} | {calls} | {findings} | {} | {} | {} | {fetch_calls} |\n",
            seconds(median(walls)),
            seconds(median(cpus)),
            mib(rss),
            seconds(median(fetch_walls)),
            seconds(median(fetch_cpus)),
            mib(fetch_rss),
        );
        // Each row as soon as it is measured, so a failure at a larger size keeps the smaller ones.
        eprint!("bench iam: {row}");
        report.push_str(&row);
    }
    Ok(report)
}
