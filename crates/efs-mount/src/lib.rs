//! efs-mount: a shared EFS file system from nothing to a mounted, fstab-managed directory:
//! `create` makes (or finds again) the file system, its NFS group and mount targets;
//! `mount` on the client picks the mount target of the host's AZ and writes fstab.
//! The command line is in `cli`; the AWS side is discovery (`efs_api` into `observed`),
//! pure planning (`create_plan`) and the apply; the host side is pure (`mount_point`,
//! `mount_plan`, `fstab`) around thin system calls (`host`).

pub mod aws_commands;
pub mod cli;
pub mod create_plan;
pub mod efs_api;
pub mod fstab;
pub mod host;
pub mod host_commands;
pub mod mount_plan;
pub mod mount_point;
pub mod observed;
pub mod permissions;
pub mod spec;

pub use cli::{Cli, Command};

use awsops_core::{Outcome, Result};

pub const NAME: &str = "efs-mount";

pub async fn run(cli: Cli) -> Result<Outcome> {
    match &cli.command {
        Command::Create(args) => aws_commands::create(&cli.common, args).await,
        Command::Mount(args) => host_commands::mount(&cli.common, args).await,
        Command::Unmount(args) => host_commands::unmount(args),
        Command::Status(args) => aws_commands::status(&cli.common, args).await,
        Command::Destroy(args) => aws_commands::destroy(&cli.common, args).await,
    }
}
