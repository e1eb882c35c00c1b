//! bastion-ssh: reach private instances through a bastion with libssh2 (ssh2), with both
//! hops' host keys checked: run commands (one host streamed, or many concurrently as
//! documents), an interactive shell, local forwards, and ssh_config blocks for plain ssh.

pub mod addresses;
pub mod ec2_lookup;
pub mod exec;
pub mod forward;
pub mod hop;
pub mod known_hosts;
pub mod pump;
pub mod shell;
pub mod socks;
pub mod ssh_config;
pub mod stdio;
pub mod target;

use addresses::BastionSpec;
use awsops_core::cli::DryRun;
use awsops_core::connect_guard::{ConnectGuard, aws_endpoint, is_special, parse_network};
use awsops_core::kinds::{ExecDoc, SshConfigDoc, VpcDoc};
use awsops_core::output::Output;
use awsops_core::{CommandCli, CommonArgs, Error, Outcome, Result};
use clap::{Args, Parser, Subcommand};
use hop::{Auth, Endpoint};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::os::unix::fs::DirBuilderExt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use target::{Instance, TargetSpec};

pub const NAME: &str = "bastion-ssh";

#[derive(Parser, Debug)]
#[command(
    name = "bastion-ssh",
    version,
    about = "Run commands, shells and port forwards on private instances through a bastion, with host keys checked",
    long_about = "Reach private instances through a bastion with libssh2: targets by instance id, Name tag, KEY=VALUE \
                  tag or private IP (several matches are an error listing them, except for a tag, which runs on \
                  all); the bastion by --bastion, a piped `vpc` document, or the instance tagged as the stack's \
                  bastion. Both hops' host keys are checked against known_hosts (unknown: refused with its \
                  fingerprint unless --accept-new; changed: always refused). Connections go only to the target \
                  VPC, the bastion and --allow networks.\n\n\
                  Exit status of exec: the remote command's, 255 when the connection fails; with several \
                  targets, 0 when every command exited 0, else 1."
)]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(subcommand)]
    pub command: Command,
}

impl CommandCli for Cli {
    fn common(&self) -> &CommonArgs {
        &self.common
    }

    /// Every subcommand looks its hosts up; `--instance-connect` pushes keys.
    fn needs(&self) -> Result<awsops_core::permissions::Needs> {
        let hop = match &self.command {
            Command::Exec(a) => &a.hop,
            Command::Shell(a) => &a.hop,
            Command::Forward(a) => &a.hop,
            Command::Config(a) => &a.hop,
        };
        let mut needs = awsops_core::permissions::Needs::new(awsops_core::permissions::Scope::new(NAME, self.common.aws.region.as_deref()));
        needs.add(&[&ec2_lookup::LOOKUP]).add_if(hop.instance_connect, &[&ec2_lookup::PUSH_KEY]);
        Ok(needs)
    }

    fn permissions() -> awsops_core::permissions::Table {
        ["exec", "shell", "forward", "config"].into_iter().map(|s| (s, vec![&ec2_lookup::LOOKUP, &ec2_lookup::PUSH_KEY])).collect()
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a command on the target(s): `bastion-ssh exec web-1 -- uptime`
    Exec(ExecArgs),
    /// An interactive shell on the target
    Shell(ShellArgs),
    /// Forward local ports through the target: -L [BIND:]PORT:HOST:HOSTPORT, -D [BIND:]PORT (SOCKS5) (repeat)
    Forward(ForwardArgs),
    /// Write ProxyJump Host blocks for the bastion and private hosts into an ssh_config file
    Config(ConfigArgs),
}

#[derive(Args, Debug, Clone)]
pub struct HopArgs {
    /// The bastion: instance id, Name tag, or HOST[:PORT] [default: the --from `vpc` document's, or the instance tagged awsops:role=bastion]
    #[arg(long, value_name = "BASTION", env = "AWSOPS_BASTION")]
    pub bastion: Option<String>,
    /// Read the `vpc` document (its bastion) from FILE (`-` for stdin; stdin is otherwise the remote command's)
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    /// The user on the targets
    #[arg(long, short = 'l', default_value = "ec2-user", value_name = "USER", env = "AWSOPS_SSH_USER")]
    pub user: String,
    /// The user on the bastion [default: --user]
    #[arg(long, value_name = "USER")]
    pub bastion_user: Option<String>,
    /// A private key file (repeat) [default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa, then ssh-agent]
    #[arg(long = "identity", short = 'i', value_name = "FILE")]
    pub identities: Vec<PathBuf>,
    /// The known_hosts file both hops are checked against [default: ~/.ssh/known_hosts]
    #[arg(long, value_name = "FILE", env = "AWSOPS_KNOWN_HOSTS")]
    pub known_hosts: Option<PathBuf>,
    /// Record unknown host keys instead of refusing (changed keys are always refused)
    #[arg(long)]
    pub accept_new: bool,
    /// Connect to ADDR:PORT for NAME (an instance's address or a host), like curl's --resolve (repeat)
    #[arg(long, value_name = "NAME=ADDR:PORT")]
    pub resolve: Vec<String>,
    /// Also allow connections to this network (repeat)
    #[arg(long, value_name = "CIDR")]
    pub allow: Vec<String>,
    /// SSH port of the targets
    #[arg(long, default_value_t = 22, value_name = "PORT", value_parser = clap::value_parser!(u16).range(1..))]
    pub port: u16,
    /// Push a one-minute ed25519 key to each hop with EC2 Instance Connect and use it
    #[arg(long)]
    pub instance_connect: bool,
    /// Give up connecting and authenticating after this long
    #[arg(long, default_value = "15s", value_parser = parse_duration, value_name = "DURATION")]
    pub connect_timeout: Duration,
}

#[derive(Args, Debug)]
pub struct ExecArgs {
    /// Instance id, Name tag, KEY=VALUE tag (runs on every match) or private IP
    #[arg(value_name = "TARGET")]
    pub target: String,
    /// The command and its arguments
    #[arg(last = true, required = true, value_name = "CMD")]
    pub command: Vec<String>,
    /// Run on every instance the target matches, printing one `exec` document each
    #[arg(long)]
    pub all: bool,
    /// At most this many hosts at once (all through one bastion session)
    #[arg(long, default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
    #[command(flatten)]
    pub hop: HopArgs,
}

#[derive(Args, Debug)]
pub struct ShellArgs {
    #[arg(value_name = "TARGET")]
    pub target: String,
    #[command(flatten)]
    pub hop: HopArgs,
}

#[derive(Args, Debug)]
pub struct ForwardArgs {
    #[arg(value_name = "TARGET")]
    pub target: String,
    /// [BIND:]PORT:HOST:HOSTPORT, HOST as seen from the target (repeat)
    #[arg(short = 'L', value_name = "SPEC", required_unless_present_any = ["dynamic", "remote"])]
    pub local: Vec<String>,
    /// [BIND:]PORT: a SOCKS5 proxy (CONNECT, no authentication) whose connections leave from the target, like ssh -D (repeat)
    #[arg(short = 'D', value_name = "SPEC")]
    pub dynamic: Vec<String>,
    /// [BIND:]PORT:HOST:HOSTPORT: the target listens on PORT (its loopback unless sshd's GatewayPorts allows BIND; 0: its choice, printed on stderr) and each connection is made from here to HOST:HOSTPORT, like ssh -R (repeat)
    #[arg(short = 'R', value_name = "SPEC")]
    pub remote: Vec<String>,
    #[command(flatten)]
    pub hop: HopArgs,
}

#[derive(Args, Debug)]
pub struct ConfigArgs {
    /// The ssh_config file to keep the block in
    #[arg(long, default_value = "~/.ssh/config", value_name = "FILE")]
    pub file: String,
    /// Only instances this target matches [default: every running instance in the bastion's VPC]
    #[arg(long, value_name = "TARGET")]
    pub select: Option<String>,
    /// Prefix of every Host alias (PREFIXbastion, PREFIXweb-1, …) [default: the stack's name and "-", else "aws-"]
    #[arg(long, value_name = "PREFIX", value_parser = parse_prefix)]
    pub prefix: Option<String>,
    #[command(flatten)]
    pub dry_run: DryRun,
    #[command(flatten)]
    pub hop: HopArgs,
}

fn parse_prefix(text: &str) -> std::result::Result<String, String> {
    ssh_config::check_prefix(text).map(|()| text.to_owned())
}

fn parse_duration(text: &str) -> std::result::Result<Duration, String> {
    match awsops_core::waiter::parse_timeout(text)? {
        d if d.is_zero() => Err("a timeout of zero would give up at once; give a positive duration like 15s".into()),
        d => Ok(d),
    }
}

fn home() -> PathBuf {
    std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default()
}

fn expand(path: &str) -> PathBuf {
    match path.strip_prefix("~/") {
        Some(rest) => home().join(rest),
        None => PathBuf::from(path),
    }
}

/// Everything the SSH part needs, found before connecting.
struct Plan {
    /// Every live instance of the region, as looked up once.
    instances: Vec<Instance>,
    bastion: Endpoint,
    bastion_instance: Option<String>,
    targets: Vec<Instance>,
    auth: Auth,
    guard: ConnectGuard,
    resolve: HashMap<String, SocketAddr>,
    hop: HopArgs,
}

impl Plan {
    fn endpoint(&self, i: &Instance) -> Result<Endpoint> {
        let host = i.private_ip.clone().ok_or_else(|| Error::usage(format!("instance {} has no private address", i.id)))?;
        let connect_to = match self.resolve.get(&host) {
            Some(a) => *a,
            None => SocketAddr::new(host.parse::<IpAddr>().map_err(|_| Error::usage(format!("{host} is not an address")))?, self.hop.port),
        };
        self.guard.check(connect_to)?;
        Ok(Endpoint { host, port: self.hop.port, user: self.hop.user.clone(), connect_to })
    }
}

/// Where to connect for a bastion the user typed as HOST[:PORT]: a --resolve mapping, the
/// address itself (named by the user, so the guard allows it), or DNS (allowed unless the
/// name points at a loopback, link-local or metadata address, which must be named).
async fn typed_bastion(
    host: &str,
    port: u16,
    user: &str,
    resolve: &HashMap<String, SocketAddr>,
    guard: &mut ConnectGuard,
) -> Result<Endpoint> {
    let connect_to = match (resolve.get(host), host.parse::<IpAddr>()) {
        (Some(a), _) => *a,
        (None, Ok(ip)) => {
            guard.allow(ip.into());
            SocketAddr::new(ip, port)
        }
        (None, Err(_)) => {
            // Resolved in Rust, not by glibc (core's name_resolver: the static build).
            let found: Vec<SocketAddr> = awsops_core::name_resolver::lookup(host)
                .await
                .map_err(|e| Error::usage(format!("{e} (the bastion)")))?
                .into_iter()
                .map(|ip| SocketAddr::new(ip, port))
                .collect();
            for a in found.iter().filter(|a| !is_special(a.ip())) {
                guard.allow(a.ip().into());
            }
            // The first address the guard lets through (an --allow'ed loopback among them).
            found
                .iter()
                .find(|a| guard.permits(a.ip()))
                .or(found.first())
                .copied()
                .ok_or_else(|| Error::usage(format!("bastion {host} has no address")))?
        }
    };
    Ok(Endpoint { host: host.to_owned(), port, user: user.to_owned(), connect_to })
}

/// The hop arguments, checked without AWS or the network.
struct CheckedHop {
    resolve: HashMap<String, SocketAddr>,
    bastion: Option<BastionSpec>,
    identities: Vec<PathBuf>,
    known_hosts: PathBuf,
}

/// Checks every argument that can be checked without AWS or the network.
fn check_hop_args(hop: &HopArgs) -> Result<CheckedHop> {
    let resolve = addresses::resolve_map(&hop.resolve)?;
    let bastion = hop.bastion.as_deref().map(BastionSpec::parse).transpose()?;
    for a in &hop.allow {
        parse_network(a)?;
    }
    let mut identities = hop.identities.clone();
    if identities.is_empty() && !hop.instance_connect {
        identities = hop::default_identities();
    }
    for key in &identities {
        hop::check_key_file(key)?;
    }
    let known_hosts = hop.known_hosts.clone().unwrap_or_else(|| home().join(".ssh/known_hosts"));
    hop::read_known_hosts(&known_hosts)?;
    if let Some(from) = &hop.from
        && hop.bastion.is_none()
        && from.as_os_str() != "-"
        && !from.is_file()
    {
        return Err(Error::usage(format!("--from {}: no such file", from.display())));
    }
    Ok(CheckedHop { resolve, bastion, identities, known_hosts })
}

async fn plan(common: &CommonArgs, hop: &HopArgs, target_text: Option<&str>, many: bool) -> Result<Plan> {
    let CheckedHop { resolve, bastion: bastion_spec, identities, known_hosts } = check_hop_args(hop)?;
    let target_spec = target_text.map(TargetSpec::parse).transpose()?;
    common.aws.validate()?;
    // What the user named is always allowed; AWS data only when it comes from AWS.
    let mut guard = ConnectGuard::new(hop.allow.iter().map(|a| parse_network(a)).collect::<Result<Vec<_>>>()?)
        .trusting_aws(aws_endpoint(common.aws.endpoint_url.as_deref()));
    for addr in resolve.values() {
        guard.allow(addr.ip().into());
    }
    let auth = Auth { identities, memory_key: None, known_hosts, accept_new: hop.accept_new, timeout: hop.connect_timeout };
    // Only with --from: stdin belongs to the remote command.
    let doc = match (&hop.bastion, &hop.from) {
        (None, Some(from)) => awsops_core::input::read_one::<VpcDoc>(Some(from.as_path()))?,
        _ => None,
    };
    let config = common.aws.load().await?;
    let ec2 = aws_sdk_ec2::Client::new(&config);
    let (all, vpc_cidrs) = tokio::join!(ec2_lookup::instances(&ec2), ec2_lookup::vpc_cidrs(&ec2));
    let (all, vpc_cidrs) = (all?, vpc_cidrs?);
    let targets: Vec<Instance> = match (target_text, &target_spec) {
        (Some(text), Some(spec)) => {
            let found = target::select(spec, &all);
            if many || matches!(spec, TargetSpec::Tag(..)) {
                if found.is_empty() {
                    return Err(Error::usage(format!("no instance matches {text}")));
                }
                found.into_iter().cloned().collect()
            } else {
                vec![target::exactly_one(text, &found)?.clone()]
            }
        }
        _ => Vec::new(),
    };
    // The bastion: the flag, the document's, or the instance tagged as a bastion in the targets' VPC.
    let bastion_user = hop.bastion_user.clone().unwrap_or_else(|| hop.user.clone());
    let vpc_of_targets = targets.first().and_then(|t| t.vpc_id.clone()).or_else(|| doc.as_ref().map(|d| d.vpc_id.clone()));
    // An instance's address is AWS data: it widens the guard only for real AWS, and never to
    // a special address.
    let by_instance = |i: &Instance, guard: &mut ConnectGuard| -> Result<(Endpoint, Option<String>)> {
        target::running(i)?;
        let host =
            i.public_ip.clone().or_else(|| i.private_ip.clone()).ok_or_else(|| Error::usage(format!("bastion {} has no address", i.id)))?;
        let ip: IpAddr = host.parse().map_err(|_| Error::failed(format!("bastion {}: {host} is not an address", i.id)))?;
        let connect_to = resolve.get(&host).copied().unwrap_or(SocketAddr::new(ip, 22));
        guard.allow_from_aws(ip.into());
        Ok((Endpoint { host, port: 22, user: bastion_user.clone(), connect_to }, Some(i.id.clone())))
    };
    let (bastion, bastion_instance) = match (&bastion_spec, &doc) {
        (Some(BastionSpec::Address { host, port }), _) => (typed_bastion(host, *port, &bastion_user, &resolve, &mut guard).await?, None),
        (Some(BastionSpec::Instance(text)), _) => {
            let spec = TargetSpec::parse(text)?;
            by_instance(target::exactly_one(text, &target::select(&spec, &all))?, &mut guard)?
        }
        (None, Some(d)) => {
            let b = d.bastion.as_ref().ok_or_else(|| Error::usage(format!("the `vpc` document of {} has no bastion", d.name)))?;
            let inst =
                all.iter().find(|i| i.id == b.instance_id).ok_or_else(|| Error::usage(format!("no bastion instance {}", b.instance_id)))?;
            by_instance(inst, &mut guard)?
        }
        (None, None) => {
            let tagged: Vec<&Instance> = all
                .iter()
                .filter(|i| i.tags.iter().any(|(k, v)| k == awsops_core::ownership::ROLE_TAG && v == awsops_core::ownership::BASTION_ROLE))
                .filter(|i| vpc_of_targets.is_none() || i.vpc_id == vpc_of_targets)
                .collect();
            by_instance(
                target::exactly_one("awsops:role=bastion", &tagged)
                    .map_err(|e| Error::usage(format!("no bastion: give --bastion, or pipe in a `vpc` document ({e})")))?,
                &mut guard,
            )?
        }
    };
    if let Some(vpc) = vpc_of_targets {
        for cidr in vpc_cidrs.get(&vpc).into_iter().flatten() {
            guard.allow_from_aws(parse_network(cidr)?);
        }
    }
    // Every hop is checked against the guard before anything is dialled (`config` dials nothing).
    if target_text.is_some() {
        guard.check(bastion.connect_to)?;
    }
    let mut plan = Plan { instances: all, bastion, bastion_instance, targets, auth, guard, resolve, hop: hop.clone() };
    for t in plan.targets.iter().filter(|t| t.state == "running") {
        plan.endpoint(t)?;
    }
    if hop.instance_connect {
        instance_connect(&config, &mut plan).await?;
    }
    Ok(plan)
}

/// A one-minute ed25519 key, made in memory (never written to disk), pushed to each hop
/// that is an instance and then used from memory.
async fn instance_connect(config: &aws_config::SdkConfig, plan: &mut Plan) -> Result<()> {
    let key = hop::MemoryKey::generate()?;
    let public = key.public_openssh()?;
    let client = aws_sdk_ec2instanceconnect::Client::new(config);
    let hops = plan.bastion_instance.iter().map(|id| (id, &plan.bastion.user)).chain(plan.targets.iter().map(|t| (&t.id, &plan.hop.user)));
    let pushes = hops.map(|(id, user)| ec2_lookup::send_key(&client, id, user, &public));
    for pushed in awsops_core::batch::at_most(pushes, 8).await {
        pushed?;
    }
    plan.auth.memory_key = Some(Arc::new(key));
    Ok(())
}

/// Both hops to one target.
fn connect(plan: &Plan, target: &Instance) -> Result<ssh2::Session> {
    let ep = plan.endpoint(target)?;
    let bastion = hop::direct(&plan.guard, &plan.bastion, &plan.auth)?;
    hop::through(&bastion, &ep, &plan.auth)
}

/// Runs the blocking SSH part off the async runtime.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| Error::failed(format!("SSH worker failed: {e}")))?
}

/// Like ssh: a failure to connect or authenticate is reported and exits 255.
fn ssh_status(result: Result<i32>) -> Result<Outcome> {
    match result {
        Ok(status) => Ok(Outcome::Status(u8::try_from(status.clamp(0, 255)).unwrap_or(255))),
        Err(e) if e.exit_code() == 2 => Err(e),
        Err(e) => {
            if let Some(line) = e.render(NAME, false) {
                eprintln!("{line}");
            }
            Ok(Outcome::Status(255))
        }
    }
}

pub async fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Exec(args) => exec_command(&cli.common, args).await,
        Command::Shell(args) => {
            let plan = plan(&cli.common, &args.hop, Some(&args.target), false).await?;
            ssh_status(
                blocking(move || {
                    let session = connect(&plan, &plan.targets[0])?;
                    shell::run(&session)
                })
                .await,
            )
        }
        Command::Forward(args) => {
            let mut specs =
                args.local.iter().map(|s| forward::Forward::parse(s).map(forward::Listen::Local)).collect::<Result<Vec<_>>>()?;
            for d in &args.dynamic {
                specs.push(forward::Listen::Socks(forward::Dynamic::parse(d)?));
            }
            let remotes = args.remote.iter().map(|r| forward::Remote::parse(r)).collect::<Result<Vec<_>>>()?;
            check_hop_args(&args.hop)?;
            let remotes = resolve_remotes(remotes).await?;
            let listeners = forward::bind(&specs)?;
            let plan = plan(&cli.common, &args.hop, Some(&args.target), false).await?;
            ssh_status(
                blocking(move || {
                    let session = connect(&plan, &plan.targets[0])?;
                    for (l, what) in &listeners {
                        let to = match what {
                            forward::Listen::Local(f) => format!("{}:{}", f.host, f.host_port),
                            forward::Listen::Socks(_) => "SOCKS5 destinations".to_owned(),
                        };
                        let from = l.local_addr().map(|a| a.to_string()).unwrap_or_default();
                        tracing::info!("forwarding {from} to {to} via {}", plan.targets[0].id);
                    }
                    forward::run(&session, listeners, remotes).map(|()| 0)
                })
                .await,
            )
        }
        Command::Config(args) => config_command(&cli.common, args).await,
    }
}

/// Where each remote forward's connections go from here: the address given, or the names
/// resolved (before connecting, so a name that does not resolve is a usage error).
async fn resolve_remotes(remotes: Vec<forward::Remote>) -> Result<Vec<forward::RemoteListen>> {
    let mut out = Vec::new();
    for remote in remotes {
        let ips = match remote.host.parse::<std::net::IpAddr>() {
            Ok(ip) => vec![ip],
            Err(_) => awsops_core::name_resolver::lookup(&remote.host)
                .await
                .map_err(|e| Error::usage(format!("-R {}: cannot resolve {}: {e}", remote.spec, remote.host)))?,
        };
        if ips.is_empty() {
            return Err(Error::usage(format!("-R {}: {} has no address", remote.spec, remote.host)));
        }
        let to = ips.into_iter().map(|ip| std::net::SocketAddr::new(ip, remote.host_port)).collect();
        out.push(forward::RemoteListen { remote, to });
    }
    Ok(out)
}

async fn exec_command(common: &CommonArgs, args: ExecArgs) -> Result<Outcome> {
    let plan = plan(common, &args.hop, Some(&args.target), args.all).await?;
    let command = exec::command_line(&args.command);
    let fan_out = args.all || matches!(TargetSpec::parse(&args.target)?, TargetSpec::Tag(..));
    if !fan_out {
        return ssh_status(
            blocking(move || {
                let session = connect(&plan, &plan.targets[0])?;
                exec::streamed(&session, &command, true)
            })
            .await,
        );
    }
    for t in &plan.targets {
        target::running(t)?;
    }
    // One bastion session carries every target's channel: one handshake, not N.
    let plan = Arc::new(plan);
    let bastion = {
        let plan = Arc::clone(&plan);
        match blocking(move || hop::direct(&plan.guard, &plan.bastion, &plan.auth)).await {
            Ok(session) => session,
            Err(e) => return ssh_status(Err(e)),
        }
    };
    let command = Arc::new(command);
    let runs = plan.targets.iter().cloned().map(|t| {
        let (plan, command, bastion) = (Arc::clone(&plan), Arc::clone(&command), bastion.clone());
        async move {
            let started = Instant::now();
            let outcome = blocking({
                let t = t.clone();
                move || {
                    let session = hop::through(&bastion, &plan.endpoint(&t)?, &plan.auth)?;
                    exec::captured(&session, &command)
                }
            })
            .await;
            let (exit_status, out, err, error) = match outcome {
                Ok((status, out, err)) => (status, out, err, None),
                Err(e) => (255, Vec::new(), Vec::new(), Some(e.to_string())),
            };
            ExecDoc {
                host: t.name.clone().unwrap_or_else(|| t.id.clone()),
                instance_id: t.id.clone(),
                address: t.private_ip.clone().unwrap_or_default(),
                exit_status,
                stdout: String::from_utf8_lossy(&out).into_owned(),
                stderr: String::from_utf8_lossy(&err).into_owned(),
                duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                error,
            }
        }
    });
    let docs = awsops_core::batch::at_most(runs, usize::from(args.jobs)).await;
    let mut out = Output::stdout();
    for d in &docs {
        out.emit(d)?;
    }
    Ok(if docs.iter().all(|d| d.exit_status == 0) { Outcome::Success } else { Outcome::Status(1) })
}

async fn config_command(common: &CommonArgs, args: ConfigArgs) -> Result<Outcome> {
    let path = expand(&args.file);
    awsops_core::atomic_file::check_writable(&path, "ssh config")?;
    let plan = plan(common, &args.hop, None, true).await?;
    let all = &plan.instances;
    let bastion_vpc = plan.bastion_instance.as_ref().and_then(|id| all.iter().find(|i| &i.id == id)).and_then(|b| b.vpc_id.clone());
    let chosen: Vec<&Instance> = match &args.select {
        Some(text) => target::select(&TargetSpec::parse(text)?, all),
        None => all.iter().filter(|i| i.vpc_id.is_some() && i.vpc_id == bastion_vpc).collect(),
    };
    let identity = plan.auth.identities.first().map(|p| p.display().to_string());
    // Every alias is namespaced: the stack's name by default, so no instance can take a
    // name the user already uses.
    let stack = plan
        .bastion_instance
        .as_ref()
        .and_then(|id| all.iter().find(|i| &i.id == id))
        .and_then(|b| b.tags.iter().find(|(k, _)| k == awsops_core::ownership::STACK_TAG).map(|(_, v)| ssh_config::alias(v)))
        .filter(|s| !s.is_empty());
    let prefix = args.prefix.clone().unwrap_or_else(|| format!("{}-", stack.as_deref().unwrap_or("aws")));
    let bastion_alias = format!("{prefix}bastion");
    let mut entries = vec![ssh_config::HostEntry {
        alias: bastion_alias.clone(),
        host_name: plan.bastion.host.clone(),
        port: plan.bastion.port,
        user: plan.bastion.user.clone(),
        identity_file: identity.clone(),
        proxy_jump: None,
    }];
    let hosts: Vec<(&Instance, IpAddr)> = chosen
        .iter()
        .filter(|i| Some(&i.id) != plan.bastion_instance.as_ref() && i.state == "running")
        .filter_map(|i| Some((*i, i.private_ip.as_deref()?.parse::<IpAddr>().ok()?)))
        .collect();
    let named: Vec<(String, Option<String>)> = hosts.iter().map(|(i, _)| (i.id.clone(), i.name.clone())).collect();
    let (aliases, warnings) = ssh_config::aliases(&prefix, &bastion_alias, &named);
    for w in &warnings {
        tracing::warn!("{w}");
    }
    for ((_, ip), alias) in hosts.iter().zip(aliases) {
        entries.push(ssh_config::HostEntry {
            alias,
            host_name: ip.to_string(),
            port: plan.hop.port,
            user: plan.hop.user.clone(),
            identity_file: identity.clone(),
            proxy_jump: Some(bastion_alias.clone()),
        });
    }
    let known = plan.hop.known_hosts.as_ref().map(|k| k.display().to_string());
    let new_block = ssh_config::block(&entries, known.as_deref());
    let hosts = entries.iter().map(|e| e.alias.clone()).collect();
    let display = path.display().to_string();
    if args.dry_run.is_set() {
        let old = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| Error::usage(format!("{display} is not UTF-8 text")))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Error::usage(format!("cannot read {display}: {e}"))),
        };
        let new = ssh_config::upsert(&old, &new_block);
        let diff = new.as_deref().map(|n| ssh_config::diff(&display, &old, n));
        Output::stdout().emit(&SshConfigDoc { path: display, hosts, changed: new.is_some(), backup: None, diff })?;
        return Ok(Outcome::Success);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| Error::failed(format!("cannot create {}: {e}", dir.display())))?;
    }
    let existed = path.exists();
    let backup = awsops_core::atomic_file::edit(&path, 0o600, |old| Ok(ssh_config::upsert(old, &new_block)))?;
    Output::stdout().emit(&SshConfigDoc {
        path: display,
        hosts,
        changed: backup.is_some(),
        backup: backup.filter(|_| existed).map(|b| b.display().to_string()),
        diff: None,
    })?;
    Ok(Outcome::Success)
}
