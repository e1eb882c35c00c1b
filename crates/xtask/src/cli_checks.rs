//! Checks every command's clap definition the way a user reads it: clap's own debug
//! assertions, and the rendered `--help` of each (sub)command, where the AWS flags must
//! sit under "AWS options" and nothing else may (clap issue 4957 once leaked the heading
//! onto -v, -q and whole commands' options), with defaults always as "[default: …]".

use awsops_core::aws_config::AWS_HEADING;
use clap::Command;

/// The argument ids of the flattened AWS flags.
const AWS_ARGS: &[&str] = &["region", "profile", "endpoint_url"];

/// Each (sub)command of `cmd`, built, with its path ("vpc-bootstrap create").
pub fn all_commands(cmd: &Command) -> Vec<(String, Command)> {
    let mut cmd = cmd.clone();
    cmd.build();
    let mut out = Vec::new();
    collect(&cmd, cmd.get_name().to_owned(), &mut out);
    out
}

fn collect(cmd: &Command, path: String, out: &mut Vec<(String, Command)>) {
    out.push((path.clone(), cmd.clone()));
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        collect(sub, format!("{path} {}", sub.get_name()), out);
    }
}

/// The flags of a rendered help text with the heading each is listed under.
pub fn flags_by_heading(help: &str) -> Vec<(String, String)> {
    let mut heading = String::new();
    let mut out = Vec::new();
    for line in help.lines() {
        if !line.starts_with(' ') && line.ends_with(':') {
            heading = line.trim_end_matches(':').to_owned();
        } else if let Some(entry) = line.strip_prefix("  ")
            && entry.trim_start().starts_with('-')
            && entry.len() - entry.trim_start().len() <= 4
        {
            // "  -v, --verbose...", "      --region <REGION>": the long name, else the short.
            let words = entry.trim_start().split([',', ' ', '=', '[', '<']).filter(|w| !w.is_empty());
            let mut words: Vec<&str> = words.take_while(|w| w.starts_with('-')).collect();
            words.sort_by_key(|w| !w.starts_with("--"));
            if let Some(flag) = words.first() {
                out.push((flag.trim_end_matches("...").to_owned(), heading.clone()));
            }
        }
    }
    out
}

/// Everything wrong with the help of `cmd` and its subcommands; empty when right.
pub fn help_problems(cmd: &Command) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, mut sub) in all_commands(cmd) {
        for arg in sub.get_arguments() {
            let aws = AWS_ARGS.contains(&arg.get_id().as_str());
            let heading = arg.get_help_heading();
            if aws != (heading == Some(AWS_HEADING)) || (!aws && heading.is_some()) {
                problems.push(format!("{path}: {} has heading {heading:?}", arg.get_id()));
            }
        }
        let help = sub.render_long_help().to_string();
        if help.contains("(default:") {
            problems.push(format!("{path}: a default written as \"(default: …)\", not \"[default: …]\""));
        }
        for (flag, heading) in flags_by_heading(&help) {
            let aws = ["--region", "--profile", "--endpoint-url"].contains(&flag.as_str());
            let want = if aws { AWS_HEADING } else { "Options" };
            if heading != want {
                problems.push(format!("{path}: {flag} listed under {heading:?}, not {want:?}"));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn check(cmd: Command) {
        cmd.clone().debug_assert();
        let problems = help_problems(&cmd);
        assert!(problems.is_empty(), "{problems:#?}");
        // The check itself sees the three AWS flags and -v under their headings.
        let (_, mut top) = all_commands(&cmd).remove(0);
        let flags = flags_by_heading(&top.render_help().to_string());
        for (flag, heading) in
            [("--region", AWS_HEADING), ("--endpoint-url", AWS_HEADING), ("--verbose", "Options"), ("--quiet", "Options")]
        {
            assert!(flags.contains(&(flag.to_owned(), heading.to_owned())), "{flag} not under {heading}: {flags:?}");
        }
    }

    #[test]
    fn ami_snap_help() {
        check(awsops_ami_snap::Cli::command());
    }
    #[test]
    fn bastion_ssh_help() {
        check(awsops_bastion_ssh::Cli::command());
    }
    #[test]
    fn cert_attach_help() {
        check(awsops_cert_attach::Cli::command());
    }
    #[test]
    fn dns_alias_help() {
        check(awsops_dns_alias::Cli::command());
    }
    #[test]
    fn efs_mount_help() {
        check(awsops_efs_mount::Cli::command());
    }
    #[test]
    fn iam_audit_help() {
        check(awsops_iam_audit::Cli::command());
    }
    #[test]
    fn vpc_bootstrap_help() {
        check(awsops_vpc_bootstrap::Cli::command());
    }

    #[test]
    fn a_leaked_heading_is_caught() {
        let cmd = Command::new("t")
            .arg(clap::Arg::new("region").long("region").help_heading(AWS_HEADING))
            .arg(clap::Arg::new("verbose").long("verbose").short('v').action(clap::ArgAction::SetTrue).help_heading(AWS_HEADING));
        let problems = help_problems(&cmd);
        assert!(problems.iter().any(|p| p.contains("--verbose listed under \"AWS options\"")), "{problems:?}");
    }
}

/// What each shell offers for a command line, from the generated completion scripts
/// sourced in a real bash, zsh and fish.
#[cfg(test)]
mod completion_tests {
    use crate::generated;
    use clap::{Command, CommandFactory};
    use std::path::Path;
    use std::process::Command as Process;

    const ZSH_COMPLETE: &str = include_str!("zsh_complete.zsh");
    const SHARED: &[&str] = &["region", "profile", "endpoint-url", "verbose", "quiet", "help", "version"];

    fn scripts() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, contents) in generated().into_iter().filter(|(p, _)| p.starts_with("completions")) {
            let file = dir.path().join(path.file_name().unwrap());
            std::fs::write(file, contents).unwrap();
        }
        std::fs::write(dir.path().join("zsh_complete.zsh"), ZSH_COMPLETE).unwrap();
        dir
    }

    fn run(cmd: &mut Process) -> Vec<String> {
        let out = cmd.output().expect("the shell is installed (scripts/lib.sh ensure_doc_tools)");
        assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
        // fish adds "\tdescription", zsh "HIT:" before each match.
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.trim_start_matches("HIT:").split('\t').next().unwrap_or("").trim_end_matches('\r').to_owned())
            .collect()
    }

    fn bash(dir: &Path, name: &str, line: &str) -> Vec<String> {
        let script = format!(
            r#"source '{}/{name}'
read -ra words <<< "$LINE"
COMP_WORDS=("${{words[@]}}"); COMP_CWORD=$(( ${{#words[@]}} - 1 )); COMP_LINE="$LINE"; COMP_POINT=${{#LINE}}
fn=$(complete -p '{name}' | sed -E 's/.*-F ([^ ]+).*/\1/')
"$fn" '{name}' "${{words[COMP_CWORD]}}" "${{words[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#,
            dir.display()
        );
        run(Process::new("bash").args(["--norc", "--noprofile", "-c", &script]).env("LINE", line))
    }

    fn zsh(dir: &Path, line: &str) -> Vec<String> {
        run(Process::new("timeout").arg("20").args(["zsh", "-f"]).arg(dir.join("zsh_complete.zsh")).arg(dir).arg(line))
    }

    fn fish(dir: &Path, name: &str, line: &str) -> Vec<String> {
        let script = format!("source '{}/{name}.fish'; complete -C \"$LINE\"", dir.display());
        run(Process::new("fish").args(["--no-config", "-c", &script]).env("LINE", line))
    }

    /// (command line, the match it must offer): a subcommand by its first letters and
    /// one of that subcommand's own options by its first letters, or for a command
    /// without subcommands one of its options.
    fn cases(cmd: &Command) -> Vec<(String, String)> {
        let name = cmd.get_name();
        let own_long =
            |c: &Command| c.get_arguments().filter_map(|a| a.get_long()).find(|l| !SHARED.contains(l) && l.len() > 3).map(str::to_owned);
        let mut out = Vec::new();
        match cmd.get_subcommands().find(|s| s.get_name() != "help" && own_long(s).is_some()) {
            Some(sub) => {
                let s = sub.get_name();
                out.push((format!("{name} {}", &s[..2]), s.to_owned()));
                let long = own_long(sub).unwrap();
                out.push((format!("{name} {s} --{}", &long[..3]), format!("--{long}")));
            }
            None => {
                let long = own_long(cmd).unwrap();
                out.push((format!("{name} --{}", &long[..3]), format!("--{long}")));
            }
        }
        out
    }

    fn check(cmd: Command) {
        let dir = scripts();
        let name = cmd.get_name().to_owned();
        let mut cases = cases(&cmd);
        if name == "vpc-bootstrap" {
            cases.push(("vpc-bootstrap create --ci".into(), "--cidr".into()));
        }
        for (line, want) in cases {
            for (shell, got) in
                [("bash", bash(dir.path(), &name, &line)), ("zsh", zsh(dir.path(), &line)), ("fish", fish(dir.path(), &name, &line))]
            {
                assert!(got.contains(&want), "{shell}: `{line}<TAB>` offers {got:?}, not {want}");
            }
        }
    }

    #[test]
    fn ami_snap_completes() {
        check(awsops_ami_snap::Cli::command());
    }
    #[test]
    fn bastion_ssh_completes() {
        check(awsops_bastion_ssh::Cli::command());
    }
    #[test]
    fn cert_attach_completes() {
        check(awsops_cert_attach::Cli::command());
    }
    #[test]
    fn dns_alias_completes() {
        check(awsops_dns_alias::Cli::command());
    }
    #[test]
    fn efs_mount_completes() {
        check(awsops_efs_mount::Cli::command());
    }
    #[test]
    fn iam_audit_completes() {
        check(awsops_iam_audit::Cli::command());
    }
    #[test]
    fn vpc_bootstrap_completes() {
        check(awsops_vpc_bootstrap::Cli::command());
    }

    #[test]
    fn the_unfixed_bash_script_is_what_the_fix_repairs() {
        let broken = "    cmd=\"a__b__subcmd__c\"\n        a__subcmd__b__subcmd__c)\n";
        assert_eq!(crate::fix_bash_case_labels(broken), "    cmd=\"a__b__subcmd__c\"\n        a__b__subcmd__c)\n");
    }
}
