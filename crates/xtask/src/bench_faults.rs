//! `cargo xtask bench faults`: the lab (`vpc-bootstrap create` as in the README) on a
//! network that loses a fraction of the mutating calls' responses after the emulator acted
//! (half dropped, half truncated), over many seeds. For each seed: did the first run end in
//! the clean network, or after one re-run, or after more, or never; then `destroy` (on the
//! same flaky network, re-run until it succeeds) and what is left: leaked resources and
//! leases. Re-runs face the same fault rate with another seed. A benchmark, not a test: it
//! reports what happened and asserts nothing.

use crate::call_proxy::CallProxy;
use crate::census;
use crate::faults::Faults;
use crate::moto::{Moto, use_emulator};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

pub struct Options {
    pub vpc_bootstrap: PathBuf,
    pub seeds: u64,
    /// The fraction of mutating calls whose response is lost.
    pub lose: f64,
}

/// The lab as the README builds it (its bastion's key pair aside), SSH source given.
const LAB: &[&str] =
    &["--cidr", "10.1.0.0/16", "--az", "a,c", "--private-per-az", "2", "--endpoint", "s3", "--bastion", "--ssh-from", "203.0.113.7/32"];
const MAX_RERUNS: usize = 3;

struct Outcome {
    /// Runs until the network was the clean one (1 = directly); None = never.
    runs_to_clean: Option<usize>,
    faults_injected: usize,
    destroy_runs: usize,
    leaked: Vec<String>,
}

fn run<S: AsRef<std::ffi::OsStr>>(o: &Options, endpoint: &str, args: &[S]) -> (i32, String) {
    let mut cmd = Command::new(&o.vpc_bootstrap);
    use_emulator(&mut cmd, endpoint);
    let out = cmd.args(args).output().expect("run vpc-bootstrap");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

pub fn bench(o: &Options) -> Result<String, String> {
    let moto = Moto::start();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    let ec2 = census::client(&moto.url(), crate::moto::REGION);
    let census_of = |stack: &str| runtime.block_on(census::owned(&ec2, stack));
    let create = |stack: &str| -> Vec<String> { ["create", stack].iter().chain(LAB).map(|s| s.to_string()).collect() };

    let clean = create("clean");
    let (code, err) = run(o, &moto.url(), &clean);
    if code != 0 {
        return Err(format!("the clean run failed: {err}"));
    }
    let want = census::kinds(&census_of("clean"));

    let mut outcomes = Vec::new();
    for seed in 1..=o.seeds {
        let stack = format!("seed-{seed}");
        let mut faults_injected = 0;
        let mut runs_to_clean = None;
        for attempt in 1..=1 + MAX_RERUNS {
            let faults = Faults::lost_responses(seed * 1000 + attempt as u64, o.lose);
            let proxy = CallProxy::start_with(moto.addr(), Duration::ZERO, faults).map_err(|e| e.to_string())?;
            let (code, err) = run(o, &proxy.url(), &create(&stack));
            faults_injected += proxy.faulted().len();
            if code != 0 {
                eprintln!("bench faults: seed {seed}: create {attempt} exited {code}: {}", err.lines().last().unwrap_or_default());
            }
            if code == 0 && census::kinds(&census_of(&stack)) == want {
                runs_to_clean = Some(attempt);
                break;
            }
        }
        let mut destroy_runs = 0;
        for attempt in 1..=1 + MAX_RERUNS {
            destroy_runs = attempt;
            let faults = Faults::lost_responses(seed * 1000 + 100 + attempt as u64, o.lose);
            let proxy = CallProxy::start_with(moto.addr(), Duration::ZERO, faults).map_err(|e| e.to_string())?;
            let (code, err) = run(o, &proxy.url(), &["destroy", &stack, "--yes"]);
            faults_injected += proxy.faulted().len();
            if code == 0 {
                break;
            }
            eprintln!("bench faults: seed {seed}: destroy {attempt} exited {code}: {}", err.lines().last().unwrap_or_default());
        }
        outcomes.push(Outcome { runs_to_clean, faults_injected, destroy_runs, leaked: census_of(&stack) });
        eprintln!("bench faults: seed {seed} done");
    }
    let leases = runtime
        .block_on(ec2.describe_key_pairs().send())
        .map_err(|e| e.to_string())?
        .key_pairs()
        .iter()
        .filter(|k| k.key_name().is_some_and(|n| n.starts_with("awsops-lease.")))
        .count();
    Ok(report(o, &want, &outcomes, leases))
}

fn report(o: &Options, want: &BTreeMap<String, usize>, outcomes: &[Outcome], leases: usize) -> String {
    let count = |n: Option<usize>| outcomes.iter().filter(|x| x.runs_to_clean == n).count();
    let later = outcomes.iter().filter(|x| x.runs_to_clean.is_some_and(|n| n > 2)).count();
    let leaked: usize = outcomes.iter().map(|x| x.leaked.len()).sum();
    let faults: usize = outcomes.iter().map(|x| x.faults_injected).sum();
    let destroy_reruns = outcomes.iter().filter(|x| x.destroy_runs > 1).count();
    let mut out = format!(
        "vpc-bootstrap create (the README lab: {} resources) with {:.0}% of mutating calls' responses lost, {} seeds, {faults} faults injected\n",
        want.values().sum::<usize>(),
        o.lose * 100.0,
        outcomes.len()
    );
    out += &format!("  clean network directly:         {}\n", count(Some(1)));
    out += &format!("  clean after one re-run:         {}\n", count(Some(2)));
    out += &format!("  clean after two or three:       {later}\n");
    out += &format!("  never (after {MAX_RERUNS} re-runs):         {}\n", count(None));
    out += &format!("  destroy needed a re-run:        {destroy_reruns}\n");
    out += &format!("  resources left after destroy:   {leaked}\n");
    out += &format!("  leases left behind:             {leases}\n");
    out
}
