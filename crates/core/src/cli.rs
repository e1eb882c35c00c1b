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

/// `--dry-run`, the same flag in every command that changes something: print what would
/// change (the command's own document or plan) and change nothing.
#[derive(Args, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DryRun {
    /// Print what would change (the command's document or plan) and change nothing
    #[arg(long = "dry-run", env = "AWSOPS_DRY_RUN")]
    pub dry_run: bool,
}

impl DryRun {
    pub fn is_set(self) -> bool {
        self.dry_run
    }
}

/// A command's `--timeout` default and what it waits for (shown in its help).
pub trait WaitsFor: Clone + Send + Sync + 'static {
    /// The default, as `--timeout` takes it (e.g. `15m`).
    const DEFAULT: &'static str;
    /// The help line: what the command gives up waiting for.
    const HELP: &'static str;
}

/// `--timeout DURATION`, the same flag in every command that waits: more than zero, at most a
/// year (`waiter::parse_timeout`), from `AWSOPS_TIMEOUT` too; `W` gives the default and help.
#[derive(Args, Debug, Clone)]
pub struct Timeout<W: WaitsFor> {
    #[arg(long = "timeout", value_name = "DURATION", env = "AWSOPS_TIMEOUT", value_parser = crate::waiter::parse_timeout, default_value = W::DEFAULT, help = W::HELP)]
    pub timeout: std::time::Duration,
    #[arg(skip)]
    waits_for: std::marker::PhantomData<W>,
}

impl<W: WaitsFor> Timeout<W> {
    pub fn get(&self) -> std::time::Duration {
        self.timeout
    }
}

impl<W: WaitsFor> Default for Timeout<W> {
    fn default() -> Self {
        let timeout = crate::waiter::parse_timeout(W::DEFAULT).unwrap_or_else(|e| panic!("the default --timeout {}: {e}", W::DEFAULT));
        Timeout { timeout, waits_for: std::marker::PhantomData }
    }
}

/// Declares a [`WaitsFor`] type: `waits_for!(NatAndBastion, "15m", "Give up waiting … after this long");`.
#[macro_export]
macro_rules! waits_for {
    ($name:ident, $default:literal, $help:literal) => {
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name;
        impl $crate::cli::WaitsFor for $name {
            const DEFAULT: &'static str = $default;
            const HELP: &'static str = $help;
        }
    };
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    waits_for!(TestWait, "15m", "Give up waiting for the test after this long");

    #[derive(Parser, Debug)]
    struct Cli {
        #[command(flatten)]
        dry_run: DryRun,
        #[command(flatten)]
        timeout: Timeout<TestWait>,
    }

    #[test]
    fn shared_flags_parse_with_each_commands_default() {
        let cli = Cli::try_parse_from(["t"]).unwrap();
        assert!(!cli.dry_run.dry_run);
        assert_eq!(cli.timeout.get(), std::time::Duration::from_secs(900));
        let cli = Cli::try_parse_from(["t", "--dry-run", "--timeout", "90s"]).unwrap();
        assert!(cli.dry_run.dry_run);
        assert_eq!(cli.timeout.get(), std::time::Duration::from_secs(90));
        assert!(Cli::try_parse_from(["t", "--timeout", "0s"]).is_err());
        assert_eq!(Timeout::<TestWait>::default().get(), std::time::Duration::from_secs(900));
        let help = <Cli as clap::CommandFactory>::command().render_help().to_string();
        assert!(help.contains("Give up waiting for the test after this long"), "{help}");
        assert!(help.contains("[default: 15m]"), "{help}");
    }
}
