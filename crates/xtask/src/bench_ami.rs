//! `cargo xtask bench ami`: `ami-snap create` of three instances piped into `ami-snap copy`
//! to three regions, with `--jobs 1` (one image or copy at a time) and with the default
//! concurrency, on bare moto and through the call proxy's fixed per-call latency.

use crate::bench::{median, seconds};
use crate::call_proxy::{CallProxy, longest_chain};
use crate::moto::{Moto, use_emulator};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const COPY_TO: &str = "us-east-1,eu-west-1,us-west-2";

pub struct Options {
    pub ami_snap: PathBuf,
    /// A Python with boto3, to launch the instances to image.
    pub python: PathBuf,
    pub runs: usize,
    pub delay: Duration,
}

const LAUNCH: &str = r#"
import boto3
ec2 = boto3.client("ec2")
image = [i for i in ec2.describe_images(Owners=["amazon"])["Images"] if i.get("RootDeviceType") == "ebs"][0]["ImageId"]
ids = [ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                         TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": f"web{n}"}]}])
       ["Instances"][0]["InstanceId"] for n in range(3)]
print(",".join(ids))
"#;

fn launch(options: &Options, moto: &Moto) -> Result<String, String> {
    let mut cmd = Command::new(&options.python);
    cmd.args(["-c", LAUNCH]);
    use_emulator(&mut cmd, &moto.url());
    let out = cmd.output().map_err(|e| format!("cannot run python: {e}"))?;
    if !out.status.success() {
        return Err(format!("launching instances failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// `create | copy` as a shell would run it; returns its wall time.
fn pipeline(
    options: &Options,
    endpoint: &str,
    instances: &str,
    jobs: Option<usize>,
    lock_dir: &std::path::Path,
) -> Result<Duration, String> {
    let jobs_args: Vec<String> = jobs.map(|j| vec!["--jobs".to_owned(), j.to_string()]).unwrap_or_default();
    let mut create = Command::new(&options.ami_snap);
    create.args(["create", "--instance", instances]).args(&jobs_args).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut copy = Command::new(&options.ami_snap);
    copy.args(["copy", "--to", COPY_TO]).args(&jobs_args).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (cmd, name) in [(&mut create, "create"), (&mut copy, "copy")] {
        use_emulator(cmd, endpoint);
        cmd.env("AWSOPS_AMI_LOCK", lock_dir.join(format!("{name}.lock")));
    }
    let start = Instant::now();
    let mut first = create.spawn().map_err(|e| format!("cannot run ami-snap: {e}"))?;
    copy.stdin(first.stdout.take().ok_or("no stdout")?);
    let second = copy.spawn().map_err(|e| format!("cannot run ami-snap: {e}"))?;
    let copied = second.wait_with_output().map_err(|e| e.to_string())?;
    let created = first.wait_with_output().map_err(|e| e.to_string())?;
    let wall = start.elapsed();
    for (name, out) in [("create", &created), ("copy", &copied)] {
        if !out.status.success() {
            return Err(format!("ami-snap {name} failed: {}", String::from_utf8_lossy(&out.stderr)));
        }
    }
    let copies = String::from_utf8_lossy(&copied.stdout).lines().count();
    if copies != 9 {
        return Err(format!("expected 9 copies, got {copies}"));
    }
    Ok(wall)
}

pub fn bench(options: &Options) -> Result<String, String> {
    let moto = Moto::start();
    let lock_dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut report = format!(
        "ami-snap create --instance (3 instances) | ami-snap copy --to {COPY_TO}: 3 images, 9 copies\n\
         median of {} runs each; moto reset and instances relaunched before every run\n\n{:<20} {:<22} {:>9} {:>6} {:>7}\n",
        options.runs, "setting", "mode", "wall", "calls", "chain"
    );
    // A warm-up: moto loads its AMI catalogue on first use.
    moto.reset();
    let instances = launch(options, &moto)?;
    pipeline(options, &moto.url(), &instances, None, lock_dir.path())?;
    for delay in [None, Some(options.delay)] {
        for (mode, jobs) in [("sequential (--jobs 1)", Some(1)), ("concurrent (default)", None)] {
            let mut walls = Vec::new();
            let mut calls = Vec::new();
            for _ in 0..options.runs {
                moto.reset();
                let instances = launch(options, &moto)?;
                let proxy = CallProxy::start(moto.addr(), delay.unwrap_or(Duration::ZERO)).map_err(|e| e.to_string())?;
                let endpoint = if delay.is_some() { proxy.url() } else { moto.url() };
                walls.push(pipeline(options, &endpoint, &instances, jobs, lock_dir.path())?);
                if delay.is_some() {
                    calls = proxy.calls();
                }
            }
            if delay.is_none() {
                moto.reset();
                let instances = launch(options, &moto)?;
                let proxy = CallProxy::start(moto.addr(), Duration::ZERO).map_err(|e| e.to_string())?;
                pipeline(options, &proxy.url(), &instances, jobs, lock_dir.path())?;
                calls = proxy.calls();
            }
            let setting = delay.map(|d| format!("moto + {} ms/call", d.as_millis())).unwrap_or_else(|| "bare moto".into());
            report.push_str(&format!(
                "{:<20} {:<22} {:>9} {:>6} {:>7}\n",
                setting,
                mode,
                seconds(median(walls)),
                calls.len(),
                longest_chain(&calls)
            ));
        }
    }
    report.push_str("\nwall: both commands of the pipe, first start to last exit. calls: API calls seen by the proxy. chain: the longest run of calls each started after the previous ended.\n");
    Ok(report)
}
