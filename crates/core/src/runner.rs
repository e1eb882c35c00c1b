//! The one-line main behind every binary: parse the flags, set up logging, run the
//! command on a runtime with Ctrl-C handling, and turn its result into an exit status.

use crate::cli::CommandCli;
use crate::error::{Error, Outcome, Result, exit};
use crate::{logging, progress};
use std::future::Future;
use std::io::Write;

/// Runs a command on the process's arguments and exits. clap's own usage errors already
/// exit 2, `--help` 0.
pub fn main<C, F, Fut>(name: &'static str, run: F) -> !
where
    C: CommandCli,
    F: FnOnce(C) -> Fut,
    Fut: Future<Output = Result<Outcome>>,
{
    std::process::exit(run_with_args(name, run, std::env::args_os()))
}

/// Runs a command on the given arguments (the first is the name it was called by) and
/// returns its exit status: what the multi-call binary calls for the command it chose.
pub fn run_with_args<C, F, Fut, I, T>(name: &'static str, run: F, args: I) -> i32
where
    C: CommandCli,
    F: FnOnce(C) -> Fut,
    Fut: Future<Output = Result<Outcome>>,
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = parse::<C, _, _>(args);
    let common = cli.common().clone();
    crate::permissions::register(&C::permissions());
    if common.print_policy {
        return print_policy(name, &cli, &mut std::io::stdout(), &mut std::io::stderr());
    }
    logging::init(common.verbose, common.quiet);
    progress::configure(common.quiet);
    let result = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime.block_on(async {
            tokio::select! {
                result = run(cli) => result,
                _ = tokio::signal::ctrl_c() => Err(Error::Interrupted),
            }
        }),
        Err(e) => Err(Error::failed(format!("cannot start the async runtime: {e}"))),
    };
    progress::clear();
    finish(name, result, common.verbose > 0, &mut std::io::stderr())
}

/// The flags, with each subcommand's IAM permissions in its `--help`; clap's own usage
/// errors exit 2, `--help` 0.
fn parse<C, I, T>(args: I) -> C
where
    C: CommandCli,
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let mut matches = C::command_with_permissions().get_matches_from(args);
    C::from_arg_matches_mut(&mut matches).unwrap_or_else(|e| e.exit())
}

/// `--print-policy`: the invocation's IAM policy on stdout, what it leaves open on
/// stderr; no AWS call, no credentials. Returns the exit status.
pub fn print_policy<C: CommandCli>(name: &str, cli: &C, stdout: &mut impl Write, stderr: &mut impl Write) -> i32 {
    match cli.needs() {
        Ok(needs) => {
            for note in needs.scope.notes().iter().chain(&needs.notes) {
                let _ = writeln!(stderr, "{name}: note: {note}");
            }
            let document = crate::policy_document::PolicyDocument::from_needs(&needs);
            if let Some(note) = document.size_note() {
                let _ = writeln!(stderr, "{name}: note: {note}");
            }
            match writeln!(stdout, "{}", document.to_json_pretty()) {
                Ok(()) => exit::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => exit::SUCCESS,
                Err(e) => finish(name, Err(Error::failed(format!("cannot write the policy: {e}"))), false, stderr),
            }
        }
        Err(err) => finish(name, Err(err), false, stderr),
    }
}

/// Reports the result on `stderr` and returns the exit status.
pub fn finish(name: &str, result: Result<Outcome>, verbose: bool, stderr: &mut impl Write) -> i32 {
    match result {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => {
            if let Some(line) = err.render(name, verbose) {
                let _ = writeln!(stderr, "{line}");
            }
            err.exit_code()
        }
    }
}

/// Whether an error is a usage error (status 2), for tests and callers that branch.
pub fn is_usage(err: &Error) -> bool {
    err.exit_code() == exit::USAGE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(result: Result<Outcome>) -> (i32, String) {
        let mut err = Vec::new();
        let code = finish("tool", result, false, &mut err);
        (code, String::from_utf8(err).unwrap())
    }

    #[test]
    fn every_exit_path() {
        assert_eq!(run(Ok(Outcome::Success)), (0, String::new()));
        assert_eq!(run(Ok(Outcome::FoundFailures)), (3, String::new()));
        assert_eq!(run(Ok(Outcome::Status(42))), (42, String::new()));
        assert_eq!(run(Err(Error::usage("bad CIDR"))), (2, "tool: bad CIDR\n".into()));
        assert_eq!(run(Err(Error::failed("boom"))), (1, "tool: boom\n".into()));
        assert_eq!(run(Err(Error::Interrupted)), (130, "tool: interrupted\n".into()));
        assert_eq!(run(Err(Error::ClosedStdout)), (0, String::new()), "a closed stdout exits quietly");
        let (code, line) = run(Err(Error::Timeout { what: "nat".into(), after: "5s".into() }));
        assert_eq!(code, 1);
        assert!(line.starts_with("tool: timed out after 5s waiting for nat"));
        assert!(is_usage(&Error::usage("x")) && !is_usage(&Error::failed("x")));
    }
}
