//! Logs go to stderr through `tracing`, at the level `-v`/`-q` choose, so stdout stays
//! data only and a cron job's mail shows only what went wrong.

use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

/// The level for our own crates: `-q` errors only, default warnings, each `-v` one more.
pub fn level(verbose: u8, quiet: bool) -> LevelFilter {
    match (quiet, verbose) {
        (true, _) => LevelFilter::ERROR,
        (false, 0) => LevelFilter::WARN,
        (false, 1) => LevelFilter::INFO,
        (false, 2) => LevelFilter::DEBUG,
        (false, _) => LevelFilter::TRACE,
    }
}

/// The filter: our crates at `level`; the SDK's only from `-vvv` on, where the wire shows.
pub fn targets(verbose: u8, quiet: bool) -> Targets {
    let ours = level(verbose, quiet);
    let theirs = if verbose >= 3 {
        LevelFilter::DEBUG
    } else if quiet {
        LevelFilter::ERROR
    } else {
        LevelFilter::WARN
    };
    Targets::new().with_default(theirs).with_target("awsops", ours)
}

/// Installs the stderr subscriber once; later calls do nothing.
pub fn init(verbose: u8, quiet: bool) {
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let layer = tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_ansi(ansi).with_target(verbose >= 2).without_time();
    let _ = tracing_subscriber::registry().with(layer).with(targets(verbose, quiet)).try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbosity_ladder() {
        assert_eq!(level(0, true), LevelFilter::ERROR);
        assert_eq!(level(3, true), LevelFilter::ERROR, "-q wins over -v");
        assert_eq!(level(0, false), LevelFilter::WARN);
        assert_eq!(level(1, false), LevelFilter::INFO);
        assert_eq!(level(2, false), LevelFilter::DEBUG);
        assert_eq!(level(9, false), LevelFilter::TRACE);
    }

    #[test]
    fn sdk_logs_only_from_three_v() {
        use tracing::Level;
        let t = targets(2, false);
        assert!(t.would_enable("awsops_vpc_bootstrap::apply", &Level::DEBUG));
        assert!(!t.would_enable("aws_smithy_runtime::client", &Level::DEBUG));
        assert!(targets(3, false).would_enable("aws_smithy_runtime::client", &Level::DEBUG));
    }
}
