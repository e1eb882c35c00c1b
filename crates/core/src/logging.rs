//! Logs go to stderr through `tracing`, at the level `-v`/`-q` choose, so stdout stays
//! data only and a cron job's mail shows only what went wrong. Colour only on a terminal
//! and never with `NO_COLOR` (no-color.org) or `TERM=dumb`; each line is written around
//! the progress line (`progress::LogWriter`).

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

/// Whether log lines may carry ANSI colour: on a terminal, unless `NO_COLOR` is set to
/// anything non-empty or the terminal is `dumb`.
pub fn colour(stderr_is_terminal: bool, no_color: Option<&std::ffi::OsStr>, term: Option<&std::ffi::OsStr>) -> bool {
    stderr_is_terminal && no_color.is_none_or(|v| v.is_empty()) && term.is_none_or(|t| t != "dumb")
}

/// Installs the stderr subscriber once; later calls do nothing.
pub fn init(verbose: u8, quiet: bool) {
    let ansi = colour(
        std::io::IsTerminal::is_terminal(&std::io::stderr()),
        std::env::var_os("NO_COLOR").as_deref(),
        std::env::var_os("TERM").as_deref(),
    );
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(|| crate::progress::LogWriter)
        .with_ansi(ansi)
        .with_target(verbose >= 2)
        .without_time();
    let _ = tracing_subscriber::registry().with(layer).with(targets(verbose, quiet)).try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        use std::ffi::OsStr;
        let xterm = Some(OsStr::new("xterm"));
        assert!(colour(true, None, xterm));
        assert!(colour(true, Some(OsStr::new("")), xterm), "an empty NO_COLOR is unset (no-color.org)");
        assert!(!colour(true, Some(OsStr::new("1")), xterm));
        assert!(!colour(false, None, xterm), "a pipe or a file");
        assert!(!colour(true, None, Some(OsStr::new("dumb"))));
    }

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
