//! `cargo xtask bench fleet`: iam-audit over an organization of 50 member accounts of 100
//! users each (access keys, console passwords, groups with customer policies, inline
//! policies, roles), through the call proxy at 100 ms per call, against one of those
//! accounts audited alone the same way: wall time, CPU and peak memory from
//! `/usr/bin/time`, API calls from the proxy. moto is one Python process, so the fleet's
//! wall also shows moto's own time: "moto in use" is how long it had a request in hand
//! (near the wall: moto set the pace), "calls only" what the added latency alone would
//! cost along the longest chain of calls. AWS's managed policies are not
//! loaded: moto would copy its ~1,300 into each of the 50 accounts' backends.

use crate::bench::seconds;
use crate::bench_iam::{mib, timed};
use crate::call_proxy::{CallProxy, emulator_in_use, longest_chain};
use crate::moto::{Moto, use_emulator};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

pub struct Options {
    pub iam_audit: PathBuf,
    pub python: PathBuf,
    pub accounts: usize,
    pub users: usize,
    pub jobs: usize,
    pub delay: Duration,
}

const SEED: &str = r#"
import boto3, json, sys
from concurrent.futures import ThreadPoolExecutor
accounts, users = int(sys.argv[1]), int(sys.argv[2])
org = boto3.client("organizations")
org.create_organization(FeatureSet="ALL")
admin = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
read = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::b/*"}]})
esc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:CreatePolicyVersion"], "Resource": "*"}]})
trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
def seed(n):
    a = org.create_account(AccountName=f"member{n:03d}", Email=f"m{n}@example.com")["CreateAccountStatus"]["AccountId"]
    c = boto3.client("sts").assume_role(RoleArn=f"arn:aws:iam::{a}:role/OrganizationAccountAccessRole", RoleSessionName="seed")["Credentials"]
    iam = boto3.session.Session(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                                aws_session_token=c["SessionToken"]).client("iam")
    for g in range(5):
        iam.create_group(GroupName=f"team{g}")
        arn = iam.create_policy(PolicyName=f"team{g}", PolicyDocument=read if g else admin)["Policy"]["Arn"]
        iam.attach_group_policy(GroupName=f"team{g}", PolicyArn=arn)
    for u in range(users):
        name = f"user{u:04d}"
        iam.create_user(UserName=name)
        iam.add_user_to_group(GroupName=f"team{u % 5}", UserName=name)
        iam.create_access_key(UserName=name)
        if u % 10 == 0:
            iam.create_login_profile(UserName=name, Password="Correct-horse-9!")
        if u % 5 == 0:
            iam.put_user_policy(UserName=name, PolicyName="extra", PolicyDocument=esc)
    for r in range(users // 10):
        iam.create_role(RoleName=f"role{r:03d}", AssumeRolePolicyDocument=trust)
    return a
with ThreadPoolExecutor(max_workers=4) as pool:
    print(",".join(pool.map(seed, range(accounts))))
"#;

fn audit(options: &Options, endpoint: &str, accounts: &str, jobs: usize) -> Result<crate::bench_iam::Measured, String> {
    let mut cmd = Command::new(&options.iam_audit);
    cmd.args(["--accounts", accounts, "--jobs", &jobs.to_string()]);
    use_emulator(&mut cmd, endpoint);
    timed(cmd, "iam-audit")
}

pub fn bench(options: &Options) -> Result<String, String> {
    let moto = Moto::start();
    eprintln!("bench fleet: seeding {} accounts of {} users", options.accounts, options.users);
    let mut seed = Command::new(&options.python);
    seed.args(["-c", SEED, &options.accounts.to_string(), &options.users.to_string()]);
    use_emulator(&mut seed, &moto.url());
    let out = seed.output().map_err(|e| format!("cannot run python: {e}"))?;
    if !out.status.success() {
        return Err(format!("seeding failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let all = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let one = all.split(',').next().unwrap_or_default().to_owned();
    let proxy = CallProxy::start(moto.addr(), options.delay).map_err(|e| e.to_string())?;
    let mut report = format!(
        "iam-audit through the call proxy at {} ms per call; {} member accounts of {} users (keys, groups, inline policies, roles)\n\
         wall, CPU (user+sys) and peak RSS from /usr/bin/time; calls through the proxy\n\n\
         | run | accounts | --jobs | wall | CPU | peak RSS | API calls | chain | calls only (chain x delay) | moto in use (some request in hand) |\n|---|---|---|---|---|---|---|---|---|---|\n",
        options.delay.as_millis(),
        options.accounts,
        options.users
    );
    let mut walls = Vec::new();
    let mut details = String::new();
    for (label, accounts, count, jobs) in [("one account", one.as_str(), 1, 1), ("fleet", all.as_str(), options.accounts, options.jobs)] {
        proxy.clear();
        let m = audit(options, &proxy.url(), accounts, jobs)?;
        let calls = proxy.calls();
        let targets = m.stdout.lines().filter(|l| l.contains("\"kind\":\"fleet-target\"") && l.contains("\"status\":\"ok\"")).count();
        if targets != count {
            return Err(format!("{label}: {targets} of {count} accounts audited"));
        }
        let chain = longest_chain(&calls);
        let busy = emulator_in_use(&calls);
        let row = format!(
            "| {label} | {count} | {jobs} | {} | {} | {} | {} | {chain} | {} | {} |\n",
            seconds(m.wall),
            seconds(m.cpu),
            mib(m.rss_kib),
            calls.len(),
            seconds(options.delay * u32::try_from(chain).unwrap_or(u32::MAX)),
            seconds(busy),
        );
        eprint!("bench fleet: {row}");
        report.push_str(&row);
        walls.push(m.wall);
        if count > 1 {
            // Where moto's time went, per action (answer times summed over the run's calls).
            let mut by_action: std::collections::BTreeMap<&str, (usize, Duration)> = std::collections::BTreeMap::new();
            for c in &calls {
                let entry = by_action.entry(c.action.as_str()).or_default();
                entry.0 += 1;
                entry.1 += c.upstream;
            }
            let mut ranked: Vec<_> = by_action.into_iter().collect();
            ranked.sort_by_key(|(_, (_, t))| std::cmp::Reverse(*t));
            let line: Vec<String> = ranked.iter().map(|(a, (n, t))| format!("{a} x{n}: {}", seconds(*t))).collect();
            details = format!("\nmoto's answer times in the fleet run, summed per action: {}\n", line.join(", "));
        }
    }
    report.push_str(&details);
    if let [one, fleet] = walls[..] {
        report.push_str(&format!(
            "\nfleet / one account: {:.2}x wall for {}x the accounts\n",
            fleet.as_secs_f64() / one.as_secs_f64().max(1e-9),
            options.accounts
        ));
    }
    Ok(report)
}
