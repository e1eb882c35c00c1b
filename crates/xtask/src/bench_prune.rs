//! `cargo xtask bench prune`: `ami-snap prune --dry-run` over 100 and 1,000 of its images
//! (ten groups, a few in use by instances and a launch template), beside a boto3 script
//! making the same decision the way a script writer would (own images, then the
//! instances and launch templates that use them, one call after another), on bare moto
//! and through the call proxy's fixed per-call latency. moto has no
//! DescribeImageReferences (it answers HTTP 500), so this also measures what finding
//! that out costs. A benchmark, not a test: it reports figures and asserts nothing.

use crate::bench::{median, seconds};
use crate::call_proxy::{CallProxy, longest_chain};
use crate::moto::{Moto, use_emulator};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

pub struct Options {
    pub ami_snap: PathBuf,
    pub python: PathBuf,
    pub runs: usize,
    pub delay: Duration,
    pub sizes: Vec<usize>,
}

/// The retention rule both tools apply.
const KEEP: &str = "5";

const SEED: &str = r#"
import boto3, sys, threading
from concurrent.futures import ThreadPoolExecutor
n = int(sys.argv[1])
ec2 = boto3.client("ec2")
base = [i for i in ec2.describe_images(Owners=["amazon"])["Images"] if i.get("RootDeviceType") == "ebs"][0]["ImageId"]
source = ec2.run_instances(ImageId=base, MinCount=1, MaxCount=1, InstanceType="t3.micro")["Instances"][0]["InstanceId"]
local = threading.local()
def image(k):
    # One client per thread: making a boto3 client costs more than the call.
    if not hasattr(local, "ec2"):
        local.ec2 = boto3.session.Session().client("ec2")
    c = local.ec2
    tags = [{"Key": "awsops:tool", "Value": "ami-snap"}, {"Key": "awsops:group", "Value": f"web{k % 10}"}]
    return c.create_image(InstanceId=source, Name=f"web{k % 10}-{k:05d}",
                          TagSpecifications=[{"ResourceType": "image", "Tags": tags}])["ImageId"]
with ThreadPoolExecutor(max_workers=8) as pool:
    ids = list(pool.map(image, range(n)))
for k in (0, 1, 2):
    ec2.run_instances(ImageId=ids[k], MinCount=1, MaxCount=1, InstanceType="t3.micro")
ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={"ImageId": ids[3]})
"#;

/// The script a user would write for the same dry run: sequential calls, no probing.
const SCRIPT: &str = r#"
import boto3, json, sys
keep = int(sys.argv[1])
ec2 = boto3.client("ec2")
ec2.describe_regions(AllRegions=True)
images = [i for p in ec2.get_paginator("describe_images").paginate(Owners=["self"]) for i in p["Images"]]
tag = lambda i, k: next((t["Value"] for t in i.get("Tags", []) if t["Key"] == k), None)
ours = [i for i in images if tag(i, "awsops:tool") == "ami-snap"]
ids = [i["ImageId"] for i in ours]
used = set()
for k in range(0, len(ids), 199):
    pages = ec2.get_paginator("describe_instances").paginate(Filters=[
        {"Name": "image-id", "Values": ids[k:k + 199]},
        {"Name": "instance-state-name", "Values": ["pending", "running", "shutting-down", "stopping", "stopped"]}])
    used |= {i["ImageId"] for p in pages for r in p["Reservations"] for i in r["Instances"]}
for t in [t for p in ec2.get_paginator("describe_launch_templates").paginate() for t in p["LaunchTemplates"]]:
    for p in ec2.get_paginator("describe_launch_template_versions").paginate(LaunchTemplateId=t["LaunchTemplateId"]):
        used |= {v["LaunchTemplateData"].get("ImageId") for v in p["LaunchTemplateVersions"]}
groups = {}
for i in ours:
    groups.setdefault(tag(i, "awsops:group"), []).append(i)
for group, members in sorted(groups.items()):
    members.sort(key=lambda i: (i["CreationDate"], i["ImageId"]), reverse=True)
    for n, i in enumerate(members):
        verdict = "keep" if n < keep or i["ImageId"] in used else "prune"
        print(json.dumps({"kind": "ami-prune", "image_id": i["ImageId"], "group": group, "verdict": verdict}))
"#;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tool {
    AmiSnap,
    Boto3,
}

impl Tool {
    fn label(self) -> &'static str {
        match self {
            Tool::AmiSnap => "ami-snap prune --dry-run",
            Tool::Boto3 => "boto3 script",
        }
    }

    fn command(self, options: &Options, endpoint: &str) -> Command {
        let mut cmd = match self {
            Tool::AmiSnap => {
                let mut c = Command::new(&options.ami_snap);
                c.args(["prune", "--dry-run", "--keep", KEEP, "--min-age", "0s"]);
                c
            }
            Tool::Boto3 => {
                let mut c = Command::new(&options.python);
                c.args(["-c", SCRIPT, KEEP]);
                c
            }
        };
        use_emulator(&mut cmd, endpoint);
        cmd
    }
}

/// One run: wall time and the documents printed.
fn run(options: &Options, tool: Tool, endpoint: &str) -> Result<(Duration, usize), String> {
    let start = Instant::now();
    let out = tool.command(options, endpoint).output().map_err(|e| format!("cannot run {}: {e}", tool.label()))?;
    let wall = start.elapsed();
    if !out.status.success() {
        return Err(format!("{} failed: {}", tool.label(), String::from_utf8_lossy(&out.stderr)));
    }
    Ok((wall, String::from_utf8_lossy(&out.stdout).lines().count()))
}

fn seed(options: &Options, moto: &Moto, images: usize) -> Result<(), String> {
    let mut cmd = Command::new(&options.python);
    cmd.args(["-c", SEED, &images.to_string()]);
    use_emulator(&mut cmd, &moto.url());
    let out = cmd.output().map_err(|e| format!("cannot run python: {e}"))?;
    if out.status.success() { Ok(()) } else { Err(format!("seeding failed: {}", String::from_utf8_lossy(&out.stderr))) }
}

pub fn bench(options: &Options) -> Result<String, String> {
    let mut report = format!(
        "prune dry run, --keep {KEEP} over ten groups (4 images in use), median of {} runs; calls and chain through the call proxy\n\n\
         | images | setting | tool | wall | calls | chain | documents |\n|---|---|---|---|---|---|---|\n",
        options.runs
    );
    for &images in &options.sizes {
        let moto = Moto::start();
        eprintln!("bench prune: seeding {images} images");
        seed(options, &moto, images)?;
        for delay in [Duration::ZERO, options.delay] {
            for tool in [Tool::AmiSnap, Tool::Boto3] {
                // Bare runs go straight to moto; the proxy (with the delay, or none) counts calls.
                let proxy = CallProxy::start(moto.addr(), delay).map_err(|e| e.to_string())?;
                let endpoint = if delay.is_zero() { moto.url() } else { proxy.url() };
                let mut walls = Vec::new();
                let mut documents = 0;
                for _ in 0..options.runs {
                    proxy.clear();
                    let (wall, docs) = run(options, tool, &endpoint)?;
                    walls.push(wall);
                    documents = docs;
                }
                if delay.is_zero() {
                    proxy.clear();
                    run(options, tool, &proxy.url())?;
                }
                let calls = proxy.calls();
                let setting = if delay.is_zero() { "bare moto".to_owned() } else { format!("moto + {} ms/call", delay.as_millis()) };
                let row = format!(
                    "| {images} | {setting} | {} | {} | {} | {} | {documents} |\n",
                    tool.label(),
                    seconds(median(walls)),
                    calls.len(),
                    longest_chain(&calls)
                );
                eprint!("bench prune: {row}");
                report.push_str(&row);
            }
        }
    }
    report.push_str(
        "\nwall: process start to exit. calls: API calls seen by the proxy (one run). chain: the longest run of calls each started after the previous ended.\n",
    );
    Ok(report)
}
