//! efs-mount: a shared EFS file system from nothing to a mounted, fstab-managed directory:
//! `create` makes (or finds again) the file system, its NFS group and mount targets;
//! `mount` on the client picks the mount target of the host's AZ and writes fstab.

pub mod file_system;
pub mod fstab;
pub mod host;
pub mod mount_plan;
pub mod spec;

use awsops_core::confirm::confirm;
use awsops_core::kinds::{EfsDoc, EfsMountDoc, VpcDoc};
use awsops_core::output::Output;
use awsops_core::{CommandCli, CommonArgs, Error, Outcome, Result};
use clap::{Args, Parser, Subcommand};
use file_system::Clients;
use std::path::PathBuf;
use std::time::Duration;

pub const NAME: &str = "efs-mount";

#[derive(Parser, Debug)]
#[command(
    name = "efs-mount",
    version,
    about = "Create an encrypted EFS file system with mount targets, and mount it on hosts through fstab",
    long_about = "Create (or find again by its name, the creation token) an encrypted EFS file system with backups, \
                  lifecycle to Infrequent Access, an NFS security group admitting the clients' groups, one mount \
                  target per AZ and optional access points and TLS-only policy; then, on each client host, mount \
                  it from the mount target of the host's own AZ (from instance metadata) with amazon-efs-utils \
                  and TLS when installed or NFSv4.1 with AWS's recommended options, and keep an fstab line \
                  (_netdev,nofail) for it. `create` reads a `vpc` document (private subnets, web/private groups) \
                  and prints an `efs` document, which `mount` reads.\n\n\
                  IAM permissions: elasticfilesystem:CreateFileSystem, DescribeFileSystems, CreateMountTarget, \
                  DescribeMountTargets, DescribeMountTargetSecurityGroups, PutLifecycleConfiguration, \
                  DescribeLifecycleConfiguration, DescribeBackupPolicy, PutFileSystemPolicy, \
                  DescribeFileSystemPolicy, CreateAccessPoint, DescribeAccessPoints, TagResource; for destroy \
                  DeleteMountTarget, DeleteAccessPoint, DeleteFileSystem; ec2:DescribeSubnets, \
                  DescribeSecurityGroups, CreateSecurityGroup, AuthorizeSecurityGroupIngress, CreateTags, \
                  DeleteSecurityGroup, CreateNetworkInterface, DescribeNetworkInterfaces."
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
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create or converge the file system, its security group, mount targets and access points
    Create(CreateArgs),
    /// Mount the file system on this host and keep its fstab line (run on the client)
    Mount(MountArgs),
    /// Unmount a mount point and remove its fstab line (run on the client)
    Unmount(UnmountArgs),
    /// The `efs` document of an existing file system
    Status(WhichArgs),
    /// Delete the mount targets, access points, file system and the security group efs-mount made
    Destroy(DestroyArgs),
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// The file system's name: its creation token (re-runs find it) and Name tag
    #[arg(long, value_name = "NAME", env = "AWSOPS_EFS_NAME")]
    pub name: String,
    /// A subnet for a mount target (one per AZ; repeat) [default: the private subnets of a piped `vpc` document]
    #[arg(long = "subnet", value_name = "SUBNET_ID", value_delimiter = ',')]
    pub subnets: Vec<String>,
    /// A client security group admitted on NFS (repeat) [default: the web and private groups of a piped `vpc` document]
    #[arg(long = "client-sg", value_name = "SG_ID", value_delimiter = ',')]
    pub client_sgs: Vec<String>,
    /// Read the `vpc` document from FILE (`-` for stdin)
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    /// KMS key for encryption at rest [default: the AWS-managed key]
    #[arg(long, value_name = "KEY")]
    pub kms_key: Option<String>,
    #[arg(long, default_value = "generalPurpose", value_parser = ["generalPurpose", "maxIO"])]
    pub performance_mode: String,
    #[arg(long, default_value = "elastic", value_parser = ["elastic", "bursting", "provisioned"])]
    pub throughput_mode: String,
    /// Throughput with --throughput-mode provisioned
    #[arg(long, value_name = "MIBPS")]
    pub provisioned_mibps: Option<f64>,
    /// Move files not read for this many days to Infrequent Access
    #[arg(long, default_value_t = 30, value_name = "DAYS", conflicts_with = "no_lifecycle")]
    pub ia_after_days: u32,
    /// Keep every file in Standard storage
    #[arg(long)]
    pub no_lifecycle: bool,
    /// Do not turn on automatic backups
    #[arg(long)]
    pub no_backups: bool,
    /// An access point UID:GID:/PATH (repeat)
    #[arg(long = "access-point", value_name = "UID:GID:/PATH")]
    pub access_points: Vec<String>,
    /// A file-system policy that denies clients not using TLS
    #[arg(long)]
    pub require_tls: bool,
    /// Print the document with what would change, and change nothing
    #[arg(long, env = "AWSOPS_DRY_RUN")]
    pub dry_run: bool,
    /// Give up waiting for the file system and mount targets after this long
    #[arg(long, default_value = "10m", value_parser = parse_duration, value_name = "DURATION", env = "AWSOPS_TIMEOUT")]
    pub timeout: Duration,
}

#[derive(Args, Debug)]
pub struct WhichArgs {
    /// The file system: its name (creation token) or id (fs-…)
    #[arg(value_name = "NAME|ID")]
    pub file_system: String,
}

#[derive(Args, Debug)]
pub struct DestroyArgs {
    #[command(flatten)]
    pub which: WhichArgs,
    /// Do not ask; required when not on a terminal
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Print what would be deleted, and delete nothing
    #[arg(long, env = "AWSOPS_DRY_RUN")]
    pub dry_run: bool,
    #[arg(long, default_value = "10m", value_parser = parse_duration, value_name = "DURATION", env = "AWSOPS_TIMEOUT")]
    pub timeout: Duration,
}

#[derive(Args, Debug)]
pub struct HostArgs {
    /// The fstab to keep the line in
    #[arg(long, default_value = "/etc/fstab", value_name = "PATH", env = "AWSOPS_FSTAB")]
    pub fstab: PathBuf,
    /// The mount table that says what is mounted
    #[arg(long, default_value = "/proc/self/mounts", value_name = "PATH", hide = true, env = "AWSOPS_MOUNTS_FILE")]
    pub mounts_file: PathBuf,
    /// Print the commands and the fstab change, and change nothing
    #[arg(long, env = "AWSOPS_DRY_RUN")]
    pub dry_run: bool,
}

#[derive(Args, Debug)]
pub struct MountArgs {
    /// Where to mount it
    #[arg(value_name = "MOUNT_POINT")]
    pub mount_point: String,
    /// Read the `efs` document from FILE (`-` for stdin) [default: stdin when piped]
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    /// The file system by name or id instead of a document (looked up in EFS)
    #[arg(long, value_name = "NAME|ID", conflicts_with = "from")]
    pub file_system: Option<String>,
    /// This host's AZ (name or id) instead of asking instance metadata
    #[arg(long, value_name = "AZ")]
    pub az: Option<String>,
    /// The instance metadata service
    #[arg(long, default_value = "http://169.254.169.254", value_name = "URL", env = "AWS_EC2_METADATA_SERVICE_ENDPOINT")]
    pub imds_endpoint: String,
    /// Mount through this access point (needs amazon-efs-utils)
    #[arg(long, value_name = "FSAP_ID")]
    pub access_point: Option<String>,
    /// Use amazon-efs-utils (mount -t efs, TLS) or the kernel NFS client [default: efs-utils when installed]
    #[arg(long, value_parser = ["efs", "nfs"], value_name = "HELPER")]
    pub helper: Option<String>,
    /// Mount read-only
    #[arg(long)]
    pub read_only: bool,
    /// Connect to this address instead of the mount target's (unusual networks, tests)
    #[arg(long, value_name = "IP")]
    pub address: Option<std::net::IpAddr>,
    /// The port the reachability check probes (the mount itself uses 2049)
    #[arg(long, default_value_t = 2049, value_name = "PORT", hide = true)]
    pub check_port: u16,
    /// Skip the TCP check of port 2049 before mounting
    #[arg(long)]
    pub no_check: bool,
    /// The mount program
    #[arg(long, default_value = "mount", value_name = "PROGRAM", hide = true, env = "AWSOPS_MOUNT_PROGRAM")]
    pub mount_program: String,
    #[command(flatten)]
    pub host: HostArgs,
}

#[derive(Args, Debug)]
pub struct UnmountArgs {
    /// The mount point
    #[arg(value_name = "MOUNT_POINT")]
    pub mount_point: String,
    /// Do not ask; required when not on a terminal
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// The unmount program
    #[arg(long, default_value = "umount", value_name = "PROGRAM", hide = true, env = "AWSOPS_UMOUNT_PROGRAM")]
    pub umount_program: String,
    #[command(flatten)]
    pub host: HostArgs,
}

fn parse_duration(text: &str) -> std::result::Result<Duration, String> {
    awsops_core::waiter::parse_duration(text)
}

pub async fn run(cli: Cli) -> Result<Outcome> {
    match &cli.command {
        Command::Create(args) => create(&cli.common, args).await,
        Command::Mount(args) => mount(&cli.common, args).await,
        Command::Unmount(args) => unmount(args),
        Command::Status(args) => {
            let c = clients(&cli.common).await?;
            let fs = file_system::find(&c, &args.file_system).await?;
            Output::stdout().emit(&file_system::document(&c, &fs).await?)?;
            Ok(Outcome::Success)
        }
        Command::Destroy(args) => destroy(&cli.common, args).await,
    }
}

async fn clients(common: &CommonArgs) -> Result<Clients> {
    let config = common.aws.load().await?;
    Ok(Clients {
        efs: aws_sdk_efs::Client::new(&config),
        ec2: aws_sdk_ec2::Client::new(&config),
        region: config.region().map(ToString::to_string).unwrap_or_default(),
    })
}

/// Subnets and client groups: the flags, else the piped `vpc` document's private subnets
/// (the first of each AZ) and web/private groups.
fn network(args: &CreateArgs) -> Result<(Vec<String>, Vec<String>)> {
    let (mut subnets, mut groups) = (args.subnets.clone(), args.client_sgs.clone());
    if (subnets.is_empty() || groups.is_empty())
        && let Some(vpc) = awsops_core::input::read_one::<VpcDoc>(args.from.as_deref())?
    {
        if subnets.is_empty() {
            let mut private: Vec<_> = vpc.subnets_in_tier("private").collect();
            private.sort_by(|a, b| a.name.cmp(&b.name));
            for s in private {
                if !subnets.iter().any(|id| vpc.subnets.iter().any(|o| &o.id == id && o.az == s.az)) {
                    subnets.push(s.id.clone());
                }
            }
        }
        if groups.is_empty() {
            groups = ["web", "private"].iter().filter_map(|k| vpc.security_groups.get(*k).cloned()).collect();
        }
    }
    Ok((subnets, groups))
}

async fn create(common: &CommonArgs, args: &CreateArgs) -> Result<Outcome> {
    let spec = spec::CreateSpec {
        name: args.name.clone(),
        kms_key: args.kms_key.clone(),
        performance_mode: args.performance_mode.clone(),
        throughput_mode: args.throughput_mode.clone(),
        provisioned_mibps: args.provisioned_mibps,
        ia_after_days: (!args.no_lifecycle).then_some(args.ia_after_days),
        backups: !args.no_backups,
        require_tls: args.require_tls,
        access_points: args.access_points.iter().map(|a| spec::AccessPointSpec::parse(a)).collect::<Result<_>>()?,
    };
    spec::check(&spec)?;
    let (subnets, groups) = network(args)?;
    let c = clients(common).await?;
    let place = file_system::placement(&c, &subnets).await?;
    file_system::check_client_groups(&c, &groups, &place.vpc_id).await?;
    let mut out = Output::stdout();
    if args.dry_run {
        let doc = match file_system::find_by_token(&c, &spec.name).await? {
            Some(fs) => {
                let mut doc = file_system::document(&c, &fs).await?;
                let missing: Vec<String> = place
                    .subnets
                    .iter()
                    .filter(|(_, az)| !doc.mount_targets.iter().any(|t| &t.az == az))
                    .map(|(s, az)| format!("create mount target in {az} ({s})"))
                    .collect();
                doc.changed = !missing.is_empty();
                doc.changes = missing;
                doc
            }
            None => planned(&spec, &c.region, &place),
        };
        out.emit(&doc)?;
        return Ok(Outcome::Success);
    }
    let doc = file_system::create(&c, &spec, &place, &groups, args.timeout).await?;
    out.emit(&doc)?;
    Ok(Outcome::Success)
}

fn planned(spec: &spec::CreateSpec, region: &str, place: &file_system::Placement) -> EfsDoc {
    let mut changes = vec![
        format!("create encrypted file system {} ({}, {})", spec.name, spec.performance_mode, spec.throughput_mode),
        format!("create security group efs-{} admitting NFS from the clients", spec.name),
    ];
    changes.extend(place.subnets.iter().map(|(s, az)| format!("create mount target in {az} ({s})")));
    changes.extend(spec.access_points.iter().map(|a| format!("create access point {}:{}:{}", a.uid, a.gid, a.path)));
    if spec.require_tls {
        changes.push("file system policy: TLS required".into());
    }
    EfsDoc {
        name: spec.name.clone(),
        file_system_id: String::new(),
        region: region.to_owned(),
        dns_name: String::new(),
        state: "planned".into(),
        encrypted: true,
        kms_key_id: spec.kms_key.clone(),
        performance_mode: spec.performance_mode.clone(),
        throughput_mode: spec.throughput_mode.clone(),
        transition_to_ia_days: spec.ia_after_days,
        backups: spec.backups,
        require_tls: spec.require_tls,
        vpc_id: Some(place.vpc_id.clone()),
        security_group_id: None,
        mount_targets: Vec::new(),
        access_points: Vec::new(),
        changed: true,
        changes,
    }
}

/// A mount point that exists must be a directory.
fn check_mount_point(path: &str) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_dir() => Err(Error::usage(format!("mount point {path} exists and is not a directory"))),
        _ => Ok(()),
    }
}

async fn mount(common: &CommonArgs, args: &MountArgs) -> Result<Outcome> {
    check_mount_point(&args.mount_point)?;
    let fs: EfsDoc = match &args.file_system {
        Some(which) => {
            let c = clients(common).await?;
            let found = file_system::find(&c, which).await?;
            file_system::document(&c, &found).await?
        }
        None => awsops_core::input::read_one::<EfsDoc>(args.from.as_deref())?
            .ok_or_else(|| Error::usage("no file system: pipe in an `efs` document, or give --from or --file-system"))?,
    };
    if fs.file_system_id.is_empty() {
        return Err(Error::usage("the `efs` document is a dry run's plan: the file system does not exist yet"));
    }
    let host_az = match &args.az {
        Some(az) => Some(az.clone()),
        None => Some(host::availability_zone(&args.imds_endpoint)?),
    };
    let efs_utils = match args.helper.as_deref() {
        Some("efs") => true,
        Some(_) => false,
        None => host::has_efs_utils(),
    };
    let address = args.address.map(|a| a.to_string());
    let plan = mount_plan::plan(
        &fs,
        &mount_plan::Options {
            mount_point: &args.mount_point,
            host_az: host_az.as_deref(),
            efs_utils,
            access_point: args.access_point.as_deref(),
            address: address.as_deref(),
            read_only: args.read_only,
        },
    )?;
    if plan.cross_az {
        tracing::warn!(
            "no available mount target in {}: mounting {}'s in {} (cross-AZ traffic costs money and fails with that AZ)",
            host_az.as_deref().unwrap_or("this host's AZ"),
            fs.file_system_id,
            plan.target.az
        );
    }
    let old = fstab::read(&args.host.fstab)?;
    let new = fstab::upsert(&old, &plan.entry);
    let mounted = host::is_mounted(&args.host.mounts_file, &args.mount_point)?;
    let mut argv = plan.argv.clone();
    argv[0] = args.mount_program.clone();
    let mut doc = EfsMountDoc {
        file_system_id: fs.file_system_id.clone(),
        mount_point: plan.entry.mount_point.clone(),
        status: if mounted { "already-mounted".into() } else { "mounted".into() },
        target: Some(plan.target.clone()),
        host_az,
        cross_az: plan.cross_az,
        method: plan.method.name().into(),
        commands: if mounted { Vec::new() } else { vec![argv.clone()] },
        fstab: args.host.fstab.display().to_string(),
        fstab_diff: new.as_deref().map(|n| fstab::diff(&old, n)).unwrap_or_default(),
        changed: !mounted || new.is_some(),
    };
    if new.is_some() || !mounted {
        fstab::check_writable(&args.host.fstab)?;
    }
    let mut out = Output::stdout();
    if args.host.dry_run {
        if doc.changed {
            doc.status = "planned".into();
        }
        out.emit(&doc)?;
        return Ok(Outcome::Success);
    }
    if !mounted {
        if !args.no_check {
            let ip: std::net::IpAddr = address
                .as_deref()
                .unwrap_or(&plan.target.ip)
                .parse()
                .map_err(|_| Error::failed(format!("mount target address {} is not an IP address", plan.target.ip)))?;
            host::probe(std::net::SocketAddr::new(ip, args.check_port), Duration::from_secs(3))?;
        }
        std::fs::create_dir_all(&args.mount_point)
            .map_err(|e| Error::failed(format!("cannot create mount point {}: {e}", args.mount_point)))?;
        host::run(&argv)?;
    }
    if let Some(text) = &new {
        let backup = fstab::write(&args.host.fstab, text)?;
        tracing::info!("{} updated (previous copy: {})", args.host.fstab.display(), backup.display());
    }
    out.emit(&doc)?;
    Ok(Outcome::Success)
}

fn unmount(args: &UnmountArgs) -> Result<Outcome> {
    let mount_point = args.mount_point.trim_end_matches('/');
    let old = fstab::read(&args.host.fstab)?;
    let new = fstab::remove(&old, mount_point);
    if new.is_some() {
        fstab::check_writable(&args.host.fstab)?;
    }
    let mounted = host::is_mounted(&args.host.mounts_file, mount_point)?;
    let argv = vec![args.umount_program.clone(), mount_point.to_owned()];
    let mut doc = EfsMountDoc {
        file_system_id: old_spec(&old, mount_point),
        mount_point: mount_point.to_owned(),
        status: if mounted { "unmounted".into() } else { "not-mounted".into() },
        target: None,
        host_az: None,
        cross_az: false,
        method: String::new(),
        commands: if mounted { vec![argv.clone()] } else { Vec::new() },
        fstab: args.host.fstab.display().to_string(),
        fstab_diff: new.as_deref().map(|n| fstab::diff(&old, n)).unwrap_or_default(),
        changed: mounted || new.is_some(),
    };
    let mut out = Output::stdout();
    if args.host.dry_run || !doc.changed {
        if doc.changed {
            doc.status = "planned".into();
        }
        out.emit(&doc)?;
        return Ok(Outcome::Success);
    }
    if !confirm(&format!("unmount {mount_point} and remove its fstab line"), args.yes)? {
        return Err(Error::failed("not confirmed; nothing was changed"));
    }
    if mounted {
        host::run(&argv)?;
    }
    if let Some(text) = &new {
        fstab::write(&args.host.fstab, text)?;
    }
    out.emit(&doc)?;
    Ok(Outcome::Success)
}

/// What the fstab line for a mount point mounts (its first field), for the document.
fn old_spec(fstab_text: &str, mount_point: &str) -> String {
    fstab_text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|f| f.len() > 1 && fstab::unescape(f[1]).trim_end_matches('/') == mount_point)
        .map(|f| f[0].trim_end_matches(":/").to_owned())
        .unwrap_or_default()
}

async fn destroy(common: &CommonArgs, args: &DestroyArgs) -> Result<Outcome> {
    let c = clients(common).await?;
    let fs = match file_system::find(&c, &args.which.file_system).await {
        Ok(fs) => fs,
        // No file system by that name: what an interrupted destroy left (its group) still goes.
        Err(e) if e.exit_code() == 2 && !args.which.file_system.starts_with("fs-") && !args.dry_run && args.yes => {
            let Some(group) = file_system::destroy_leftovers(&c, &args.which.file_system, args.timeout).await? else { return Err(e) };
            tracing::info!("no file system {} is left; deleted its security group {group}", args.which.file_system);
            return Ok(Outcome::Success);
        }
        Err(e) => return Err(e),
    };
    let mut doc = file_system::document(&c, &fs).await?;
    let mut out = Output::stdout();
    if args.dry_run {
        doc.changes = doc.mount_targets.iter().map(|t| format!("delete mount target in {}", t.az)).collect();
        doc.changes.push(format!("delete file system {}", doc.file_system_id));
        doc.changed = true;
        out.emit(&doc)?;
        return Ok(Outcome::Success);
    }
    if !confirm(&format!("delete EFS file system {} ({}) and everything on it", doc.file_system_id, doc.name), args.yes)? {
        return Err(Error::failed("not confirmed; nothing was deleted"));
    }
    doc.changes = file_system::destroy(&c, &fs, args.timeout).await?;
    doc.changed = true;
    doc.state = "deleted".into();
    out.emit(&doc)?;
    Ok(Outcome::Success)
}
