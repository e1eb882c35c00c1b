//! `cargo xtask bench`: wall time and API calls of vpc-bootstrap building the lab layout,
//! side by side in one run with a sequential boto3 script making the same calls, both
//! against bare moto and through the call proxy adding a fixed latency per call (moto
//! answers one request at a time, so only added latency shows what concurrency buys).
//! A benchmark, not a test: it reports figures and asserts nothing about time.

use crate::call_proxy::{Call, CallProxy, longest_chain};
use crate::moto::{Moto, use_emulator};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

/// The lab layout of the course notes (the README's command, with the SSH source given).
pub const LAB: &[&str] =
    &["create", "lab", "--cidr", "10.1.0.0/16", "--az", "a,c", "--private-per-az", "2", "--ssh-from", "203.0.113.7/32"];
/// What the full layout adds: as the demo builds it.
pub const FULL: &[&str] = &["--endpoint", "s3", "--bastion"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    Lab,
    Full,
}

impl Layout {
    fn label(self) -> &'static str {
        match self {
            Layout::Lab => "lab",
            Layout::Full => "lab+s3+bastion",
        }
    }

    fn vpc_bootstrap_args(self) -> Vec<&'static str> {
        match self {
            Layout::Lab => LAB.to_vec(),
            Layout::Full => LAB.iter().chain(FULL).copied().collect(),
        }
    }
}

pub struct Options {
    /// The vpc-bootstrap binary to measure.
    pub vpc_bootstrap: PathBuf,
    /// A Python with boto3, and the sequential script.
    pub python: PathBuf,
    pub script: PathBuf,
    pub runs: usize,
    pub delay: Duration,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tool {
    VpcBootstrap,
    Boto3,
}

impl Tool {
    fn label(self) -> &'static str {
        match self {
            Tool::VpcBootstrap => "vpc-bootstrap",
            Tool::Boto3 => "boto3 script (sequential)",
        }
    }

    fn command(self, options: &Options, layout: Layout, endpoint: &str) -> Command {
        let mut cmd = match self {
            Tool::VpcBootstrap => {
                let mut c = Command::new(&options.vpc_bootstrap);
                c.args(layout.vpc_bootstrap_args());
                c
            }
            Tool::Boto3 => {
                let mut c = Command::new(&options.python);
                c.arg(&options.script);
                if layout == Layout::Full {
                    c.arg("--full");
                }
                c
            }
        };
        use_emulator(&mut cmd, endpoint);
        cmd
    }
}

/// One run: its wall time, and the time the boto3 script reports for its calls alone
/// (without starting Python and importing boto3).
struct Timed {
    wall: Duration,
    in_script: Option<Duration>,
}

fn run(mut cmd: Command) -> Result<Timed, String> {
    let start = Instant::now();
    let out = cmd.output().map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    let wall = start.elapsed();
    if !out.status.success() {
        return Err(format!("{:?} failed ({}): {}", cmd.get_program(), out.status, String::from_utf8_lossy(&out.stderr)));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let in_script = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find_map(|v| v.get("calls_seconds").and_then(serde_json::Value::as_f64))
        .map(Duration::from_secs_f64);
    Ok(Timed { wall, in_script })
}

struct Row {
    layout: Layout,
    setting: String,
    tool: Tool,
    wall: Duration,
    in_script: Option<Duration>,
    calls: Vec<Call>,
}

pub(crate) fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn measure(options: &Options, moto: &Moto, layout: Layout, tool: Tool, delay: Option<Duration>) -> Result<Row, String> {
    let mut walls = Vec::new();
    let mut in_script = Vec::new();
    let mut calls = Vec::new();
    for _ in 0..options.runs {
        moto.reset();
        let timed = match delay {
            None => run(tool.command(options, layout, &moto.url()))?,
            Some(delay) => {
                let proxy = CallProxy::start(moto.addr(), delay).map_err(|e| e.to_string())?;
                let timed = run(tool.command(options, layout, &proxy.url()))?;
                calls = proxy.calls();
                timed
            }
        };
        walls.push(timed.wall);
        in_script.extend(timed.in_script);
    }
    if delay.is_none() {
        // Counted apart, through a proxy adding nothing, so the timed runs go straight to moto.
        moto.reset();
        let proxy = CallProxy::start(moto.addr(), Duration::ZERO).map_err(|e| e.to_string())?;
        run(tool.command(options, layout, &proxy.url()))?;
        calls = proxy.calls();
    }
    let setting = match delay {
        None => "bare moto".to_owned(),
        Some(d) => format!("moto + {} ms/call", d.as_millis()),
    };
    Ok(Row { layout, setting, tool, wall: median(walls), in_script: (!in_script.is_empty()).then(|| median(in_script)), calls })
}

pub(crate) fn seconds(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

/// Runs the benchmark and returns its report.
pub fn bench(options: &Options) -> Result<String, String> {
    let moto = Moto::start();
    // moto loads its catalogues (SSM's public parameters, AMIs) on first use, which
    // would otherwise land on whichever tool happens to run first.
    for tool in [Tool::VpcBootstrap, Tool::Boto3] {
        moto.reset();
        run(tool.command(options, Layout::Full, &moto.url()))?;
    }
    let mut rows = Vec::new();
    for layout in [Layout::Lab, Layout::Full] {
        for delay in [None, Some(options.delay)] {
            for tool in [Tool::VpcBootstrap, Tool::Boto3] {
                rows.push(measure(options, &moto, layout, tool, delay)?);
            }
        }
    }
    let mut report = format!(
        "lab: vpc-bootstrap {}\nlab+s3+bastion: the same plus {}\nmedian of {} runs each after one warm-up run of each; moto reset before every run\n\n",
        LAB.join(" "),
        FULL.join(" "),
        options.runs
    );
    report.push_str(&format!(
        "{:<15} {:<20} {:<27} {:>9} {:>12} {:>6} {:>7} {:>14} {:>14}\n",
        "layout", "setting", "tool", "wall", "calls only", "calls", "chain", "sum of calls", "chain x delay"
    ));
    for row in &rows {
        let upstream: Duration = row.calls.iter().map(|c| c.upstream).sum();
        let delay = if row.setting.starts_with("bare") { Duration::ZERO } else { options.delay };
        let round_trips = upstream + delay * u32::try_from(row.calls.len()).unwrap_or(u32::MAX);
        let chain = longest_chain(&row.calls);
        report.push_str(&format!(
            "{:<15} {:<20} {:<27} {:>9} {:>12} {:>6} {:>7} {:>14} {:>14}\n",
            row.layout.label(),
            row.setting,
            row.tool.label(),
            seconds(row.wall),
            row.in_script.map(seconds).unwrap_or_else(|| "-".into()),
            row.calls.len(),
            chain,
            seconds(round_trips),
            if delay.is_zero() { "-".into() } else { seconds(delay * u32::try_from(chain).unwrap_or(u32::MAX)) },
        ));
    }
    report.push_str(
        "\nwall: the whole command, process start to exit. calls only: the script's own timer around its calls.\n\
         calls: API calls seen by the proxy. chain: the longest run of calls each started after the previous ended.\n\
         sum of calls: moto's answer times (plus the added delay) summed, i.e. the wall time of a perfectly sequential client.\n",
    );
    for layout in [Layout::Lab, Layout::Full] {
        let actions = |tool: Tool| -> Vec<String> {
            let mut a: Vec<String> = rows
                .iter()
                .find(|r| r.tool == tool && r.layout == layout && r.setting.starts_with("bare"))
                .map(|r| r.calls.iter().map(|c| c.action.clone()).collect())
                .unwrap_or_default();
            a.sort();
            a
        };
        let (ours, theirs) = (actions(Tool::VpcBootstrap), actions(Tool::Boto3));
        report.push_str(&format!("\n{}: vpc-bootstrap's calls: {}\n", layout.label(), ours.join(" ")));
        if ours == theirs {
            report.push_str("the script makes the same calls (as a multiset)\n");
        } else {
            report.push_str(&format!("the script's calls differ: {}\n", theirs.join(" ")));
        }
    }
    Ok(report)
}
