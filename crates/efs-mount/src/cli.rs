//! The command line of efs-mount: one definition for flags, help, man page and completions.

use awsops_core::cli::{DryRun, Timeout};
use awsops_core::{CommandCli, CommonArgs};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

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
                  and prints an `efs` document, which `mount` reads."
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

    fn needs(&self) -> awsops_core::Result<awsops_core::permissions::Needs> {
        crate::permissions::needs(self)
    }

    fn permissions() -> awsops_core::permissions::Table {
        crate::permissions::table()
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

awsops_core::waits_for!(FileSystemWait, "10m", "Give up waiting for the file system and mount targets after this long");

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// The file system's name: its creation token (re-runs find it) and Name tag
    #[arg(long, value_name = "NAME", env = "AWSOPS_EFS_NAME")]
    pub name: String,
    /// A subnet for a mount target (one per AZ; repeat) [default: the private subnets of a piped `vpc` document]
    #[arg(long = "subnet", value_name = "SUBNET_ID", value_delimiter = ',', value_parser = subnet_id)]
    pub subnets: Vec<String>,
    /// A client security group admitted on NFS (repeat) [default: the web and private groups of a piped `vpc` document]
    #[arg(long = "client-sg", value_name = "SG_ID", value_delimiter = ',', value_parser = security_group_id)]
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
    #[command(flatten)]
    pub dry_run: DryRun,
    #[command(flatten)]
    pub timeout: Timeout<FileSystemWait>,
}

#[derive(Args, Debug)]
pub struct WhichArgs {
    /// The file system: its name (creation token) or id (fs-…)
    #[arg(value_name = "NAME|ID")]
    pub file_system: String,
}

awsops_core::waits_for!(DeletionWait, "10m", "Give up waiting for the mount targets and file system to be deleted after this long");

#[derive(Args, Debug)]
pub struct DestroyArgs {
    #[command(flatten)]
    pub which: WhichArgs,
    /// Do not ask; required when not on a terminal
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub dry_run: DryRun,
    #[command(flatten)]
    pub timeout: Timeout<DeletionWait>,
}

#[derive(Args, Debug)]
pub struct HostArgs {
    /// The fstab to keep the line in
    #[arg(long, default_value = "/etc/fstab", value_name = "PATH", env = "AWSOPS_FSTAB")]
    pub fstab: PathBuf,
    /// The mount table that says what is mounted
    #[arg(long, default_value = "/proc/self/mounts", value_name = "PATH", hide = true, env = "AWSOPS_MOUNTS_FILE")]
    pub mounts_file: PathBuf,
    #[command(flatten)]
    pub dry_run: DryRun,
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
    /// The instance metadata service [default: the SDK's, http://169.254.169.254; AWS_EC2_METADATA_DISABLED=true turns it off]
    #[arg(long, value_name = "URL", env = "AWS_EC2_METADATA_SERVICE_ENDPOINT")]
    pub imds_endpoint: Option<String>,
    /// Mount through this access point (needs amazon-efs-utils; checked to belong to the file system)
    #[arg(long, value_name = "FSAP_ID", value_parser = access_point_id)]
    pub access_point: Option<String>,
    /// Trust the document without asking EFS (ids are still checked against their patterns): for hosts without elasticfilesystem:Describe* permissions
    #[arg(long)]
    pub offline: bool,
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

fn subnet_id(text: &str) -> std::result::Result<String, String> {
    awsops_core::aws_ids::check("subnet", awsops_core::aws_ids::SUBNET_ID, text).map_err(|e| e.to_string())?;
    Ok(text.to_owned())
}

fn security_group_id(text: &str) -> std::result::Result<String, String> {
    awsops_core::aws_ids::check("security group", awsops_core::aws_ids::SECURITY_GROUP_ID, text).map_err(|e| e.to_string())?;
    Ok(text.to_owned())
}

fn access_point_id(text: &str) -> std::result::Result<String, String> {
    awsops_core::aws_ids::check("access point", awsops_core::aws_ids::ACCESS_POINT_ID, text).map_err(|e| e.to_string())?;
    Ok(text.to_owned())
}
