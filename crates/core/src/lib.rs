//! awsops-core holds everything the seven commands share (AWS flags and clients, the
//! JSON pipe contract, errors and exit statuses, logging and progress, waiters,
//! ownership tags and the connect guard), so a command crate holds only its own job.

pub mod access;
pub mod atomic_file;
pub mod aws_config;
pub mod aws_ids;
pub mod aws_limits;
pub mod batch;
pub mod cli;
pub mod confirm;
pub mod connect_guard;
pub mod create_once;
pub mod dns_name;
pub mod document;
#[cfg(feature = "ec2")]
pub mod ec2;
pub mod error;
#[cfg(feature = "fleet")]
pub mod fleet;
#[cfg(feature = "fleet")]
pub mod fleet_credentials;
#[cfg(feature = "fleet")]
pub mod fleet_org;
pub mod fleet_targets;
#[cfg(feature = "route53")]
pub mod hosted_zone;
pub mod input;
pub mod kinds;
#[cfg(feature = "elbv2")]
pub mod load_balancer;
pub mod logging;
pub mod multicall;
pub mod name_resolver;
pub mod output;
pub mod ownership;
pub mod permissions;
pub mod policy_document;
pub mod progress;
#[cfg(feature = "route53")]
pub mod route53;
pub mod run_lock;
pub mod runner;
pub mod sdk_calls;
pub mod stable_hash;
#[cfg(feature = "ec2")]
pub mod stack_lease;
pub mod waiter;
pub mod wildcard;

pub use cli::{CommandCli, CommonArgs};
pub use document::Document;
pub use error::{Error, Outcome, Result};

/// Every item of a paginated AWS call, its error converted to ours (AWS SDK examples
/// style): `all_items!(ec2.describe_vpcs().filters(f), "DescribeVpcs")?`.
#[macro_export]
macro_rules! all_items {
    ($call:expr, $operation:literal) => {
        $call.into_paginator().items().send().try_collect().await.map_err($crate::error::aws_error($operation))
    };
}

/// Every page of a paginated AWS call whose paginator has no `items()` (Organizations):
/// `all_pages!(org.list_accounts(), "ListAccounts")?`.
#[macro_export]
macro_rules! all_pages {
    ($call:expr, $operation:literal) => {
        $call.into_paginator().send().try_collect().await.map_err($crate::error::aws_error($operation))
    };
}

/// The ARN template of every EC2 resource of a type in the invocation's region and
/// account: `ec2_arn!("vpc")` → `arn:{partition}:ec2:{region}:{account}:vpc/*`.
#[macro_export]
macro_rules! ec2_arn {
    ($resource_type:literal) => {
        concat!("arn:{partition}:ec2:{region}:{account}:", $resource_type, "/*")
    };
}

/// The one-line `main` of every binary: `awsops_core::bin!(awsops_vpc_bootstrap);`.
/// The command crate exports `NAME`, its clap `Cli` and `async fn run(Cli) -> Result<Outcome>`.
#[macro_export]
macro_rules! bin {
    ($command:ident) => {
        fn main() {
            $crate::runner::main($command::NAME, $command::run)
        }
    };
}

/// The `main` of the multi-call binary: every command crate named once,
/// `awsops_core::multicall!(awsops_ami_snap, awsops_vpc_bootstrap, …);` (see `multicall`).
#[macro_export]
macro_rules! multicall {
    ($($command:ident),+ $(,)?) => {
        fn main() {
            $crate::multicall::main(&[
                $((
                    $command::NAME,
                    (|args: ::std::vec::Vec<::std::ffi::OsString>| -> i32 {
                        $crate::runner::run_with_args($command::NAME, $command::run, args)
                    }) as fn(::std::vec::Vec<::std::ffi::OsString>) -> i32,
                ),)+
            ])
        }
    };
}
