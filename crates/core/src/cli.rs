//! The flags every command shares, flattened into each command's clap `Cli`
//! (cargo-lambda style), and the trait the runner uses to reach them.

use crate::aws_config::AwsArgs;
use clap::Args;

#[derive(Args, Debug, Clone, Default)]
pub struct CommonArgs {
    #[command(flatten)]
    pub aws: AwsArgs,
    /// More detail on stderr (-v info, -vv debug, -vvv the SDK's wire log)
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Errors only on stderr, and no progress
    #[arg(short, long, global = true, env = "AWSOPS_QUIET")]
    pub quiet: bool,
}

/// Implemented by every command's `Cli`.
pub trait CommandCli: clap::Parser {
    fn common(&self) -> &CommonArgs;
}

/// Environment variables the SDK reads on its own; listed in every man page.
pub const SDK_ENVIRONMENT: &[(&str, &str)] = &[
    ("AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN", "static credentials"),
    ("AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE", "where profiles are read from"),
    ("AWS_EC2_METADATA_DISABLED", "set to true to never query instance metadata"),
    ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "instance metadata endpoint (an emulator's, in tests)"),
    ("AWS_MAX_ATTEMPTS, AWS_RETRY_MODE", "SDK retry settings"),
];
