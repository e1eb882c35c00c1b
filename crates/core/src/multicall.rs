//! The seven commands as one installed binary, `awsops`, chosen by the name it is called
//! by (busybox, uutils' `coreutils`): the seven names are links to it, so users still type
//! `vpc-bootstrap …`, and `awsops vpc-bootstrap …` works too. One binary carries the SDK
//! runtime, TLS and OpenSSL once instead of seven times (see scripts/bench footprint).

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::path::Path;

/// The name of the multi-call binary itself.
pub const MULTICALL_NAME: &str = "awsops";

/// What a call of the multi-call binary asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Selection {
    /// Run the command at this index of the table, with these arguments (the first is
    /// the command's name, for clap's usage lines).
    Command { index: usize, args: Vec<OsString> },
    /// `awsops --list`: the command names, one a line (what scripts/install links).
    List,
    /// `awsops --help`.
    Help,
    /// `awsops --version`.
    Version,
    /// No command, or one that does not exist: usage on stderr, status 2.
    Unknown(Option<OsString>),
}

/// Chooses by the file name of `argv[0]` (a link named like a command), else by
/// `argv[1]` (`awsops vpc-bootstrap …`).
pub fn select(argv: &[OsString], names: &[&str]) -> Selection {
    let find = |name: &OsStr| names.iter().position(|n| OsStr::new(n) == name);
    let called_as = argv.first().map(|a| Path::new(a).file_name().unwrap_or(a.as_os_str()));
    if let Some(index) = called_as.and_then(find) {
        return Selection::Command { index, args: argv.to_vec() };
    }
    match argv.get(1) {
        None => Selection::Unknown(None),
        Some(first) if first == "--list" => Selection::List,
        Some(first) if first == "--help" || first == "-h" || first == "help" => Selection::Help,
        Some(first) if first == "--version" || first == "-V" => Selection::Version,
        Some(first) => match find(first) {
            Some(index) => Selection::Command { index, args: argv[1..].to_vec() },
            None => Selection::Unknown(Some(first.clone())),
        },
    }
}

/// The usage text of the multi-call binary.
pub fn usage(names: &[&str]) -> String {
    let mut text = format!(
        "Usage: {MULTICALL_NAME} COMMAND [ARGS]...\n       COMMAND [ARGS]...   (through a link named like the command)\n\nCommands:\n"
    );
    for name in names {
        text.push_str(&format!("  {name}\n"));
    }
    text.push_str(&format!("\n`{MULTICALL_NAME} COMMAND --help` for a command's own help; `{MULTICALL_NAME} --list` names them.\n"));
    text
}

/// One entry of the command table: the command's name and what runs it on its arguments.
pub type Entry = (&'static str, fn(Vec<OsString>) -> i32);

/// The `main` of the multi-call binary: selects, runs and exits.
pub fn main(table: &[Entry]) -> ! {
    let argv: Vec<OsString> = std::env::args_os().collect();
    let names: Vec<&str> = table.iter().map(|(name, _)| *name).collect();
    let code = match select(&argv, &names) {
        Selection::Command { index, args } => (table[index].1)(args),
        Selection::List => print_or_quiet(&names.join("\n")),
        Selection::Help => print_or_quiet(usage(&names).trim_end()),
        Selection::Version => print_or_quiet(&format!("{MULTICALL_NAME} {}", env!("CARGO_PKG_VERSION"))),
        Selection::Unknown(what) => {
            let mut err = std::io::stderr();
            if let Some(what) = what {
                let _ = writeln!(err, "{MULTICALL_NAME}: no command {:?}", what.to_string_lossy());
            }
            let _ = write!(err, "{}", usage(&names));
            crate::error::exit::USAGE
        }
    };
    std::process::exit(code)
}

/// Prints one block on stdout; a closed stdout (`| head`) is not an error.
fn print_or_quiet(text: &str) -> i32 {
    let _ = writeln!(std::io::stdout(), "{text}");
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: &[&str] = &["ami-snap", "vpc-bootstrap"];

    fn argv(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn a_link_named_like_a_command_runs_it_with_every_argument() {
        let args = argv(&["/usr/local/bin/vpc-bootstrap", "show", "lab"]);
        assert_eq!(select(&args, NAMES), Selection::Command { index: 1, args: args.clone() });
        let args = argv(&["ami-snap"]);
        assert_eq!(select(&args, NAMES), Selection::Command { index: 0, args: args.clone() });
    }

    #[test]
    fn the_multicall_name_takes_the_command_from_the_first_argument() {
        let selected = select(&argv(&["/opt/bin/awsops", "vpc-bootstrap", "show", "lab"]), NAMES);
        assert_eq!(selected, Selection::Command { index: 1, args: argv(&["vpc-bootstrap", "show", "lab"]) });
        // Any other name for the binary (a renamed copy) behaves like `awsops`.
        let selected = select(&argv(&["./my-copy", "ami-snap", "--help"]), NAMES);
        assert_eq!(selected, Selection::Command { index: 0, args: argv(&["ami-snap", "--help"]) });
    }

    #[test]
    fn its_own_flags_and_unknown_commands() {
        assert_eq!(select(&argv(&["awsops", "--list"]), NAMES), Selection::List);
        assert_eq!(select(&argv(&["awsops", "--help"]), NAMES), Selection::Help);
        assert_eq!(select(&argv(&["awsops", "-h"]), NAMES), Selection::Help);
        assert_eq!(select(&argv(&["awsops", "--version"]), NAMES), Selection::Version);
        assert_eq!(select(&argv(&["awsops"]), NAMES), Selection::Unknown(None));
        assert_eq!(select(&argv(&[]), NAMES), Selection::Unknown(None));
        assert_eq!(select(&argv(&["awsops", "vpc"]), NAMES), Selection::Unknown(Some("vpc".into())));
        // A command's own flag after it is the command's business.
        let selected = select(&argv(&["awsops", "vpc-bootstrap", "--list"]), NAMES);
        assert_eq!(selected, Selection::Command { index: 1, args: argv(&["vpc-bootstrap", "--list"]) });
    }

    #[test]
    fn usage_names_every_command() {
        let text = usage(NAMES);
        assert!(NAMES.iter().all(|n| text.contains(&format!("  {n}\n"))), "{text}");
    }
}
