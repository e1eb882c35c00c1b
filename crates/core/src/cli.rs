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
    /// Print the IAM policy (JSON) with exactly the permissions this invocation, with its flags, can use; makes no AWS call
    #[arg(long, global = true)]
    pub print_policy: bool,
}

/// Implemented by every command's `Cli`.
pub trait CommandCli: clap::Parser {
    fn common(&self) -> &CommonArgs;

    /// The permissions this invocation can use, from the grants its code paths declare
    /// (`--print-policy`); a usage error when the flags it needs are invalid.
    fn needs(&self) -> crate::Result<crate::permissions::Needs>;

    /// Every grant each subcommand may need whatever its flags (for `--help`, the man
    /// page's PERMISSIONS section, and naming the action of an AccessDenied).
    fn permissions() -> crate::permissions::Table;

    /// The clap command with each subcommand's IAM permissions line in its help.
    fn command_with_permissions() -> clap::Command {
        crate::permissions::with_help_lines(<Self as clap::CommandFactory>::command(), &Self::permissions())
    }
}

/// Environment variables the SDK reads on its own; listed in every man page.
pub const SDK_ENVIRONMENT: &[(&str, &str)] = &[
    ("AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN", "static credentials"),
    ("AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE", "where profiles are read from"),
    ("AWS_EC2_METADATA_DISABLED", "set to true to never query instance metadata"),
    ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "instance metadata endpoint (an emulator's, in tests)"),
    ("AWS_MAX_ATTEMPTS, AWS_RETRY_MODE", "SDK retry settings"),
];
