//! Developer tasks. Generated files from one definition (each command's clap `Cli` and
//! document types): shell completions, man pages and JSON schemas; `cargo xtask docs`
//! writes them, and `cargo xtask docs --check` and this crate's test fail when the
//! committed ones are stale. Also the emulator launcher and call proxy that the
//! end-to-end tests share with the benchmark.

pub mod bench;
pub mod bench_ami;
pub mod bench_faults;
pub mod bench_fleet;
pub mod bench_iam;
pub mod bench_prune;
pub mod bench_ssh;
pub mod call_proxy;
pub mod census;
pub mod cli_checks;
pub mod dist;
pub mod faults;
pub mod moto;
pub mod ssh_lab;

use awsops_core::cli::SDK_ENVIRONMENT;
use awsops_core::document::schema;
use awsops_core::permissions::{Grant, Table, Tagging};
use awsops_core::policy_document::TAG_ON_CREATE_SID;
use awsops_core::{CommandCli, Document};
use clap::Command;
use clap_complete::Shell;
use clap_mangen::roff::{Roff, bold, roman};
use std::path::{Path, PathBuf};

/// Every binary: its clap command (with each subcommand's IAM permissions line in its
/// help, as the binary shows it) and every grant each subcommand may need.
pub fn commands_with_permissions() -> Vec<(Command, Table)> {
    fn one<C: CommandCli>() -> (Command, Table) {
        (C::command_with_permissions(), C::permissions())
    }
    vec![
        one::<awsops_ami_snap::Cli>(),
        one::<awsops_bastion_ssh::Cli>(),
        one::<awsops_cert_attach::Cli>(),
        one::<awsops_dns_alias::Cli>(),
        one::<awsops_efs_mount::Cli>(),
        one::<awsops_iam_audit::Cli>(),
        one::<awsops_vpc_bootstrap::Cli>(),
    ]
}

/// Every binary's clap command, as the binary shows it.
pub fn commands() -> Vec<Command> {
    commands_with_permissions().into_iter().map(|(c, _)| c).collect()
}

/// The JSON schemas of every document kind: (file name, schema).
pub fn schemas() -> Vec<(String, serde_json::Value)> {
    fn one<T: Document>() -> (String, serde_json::Value) {
        (format!("{}.v{}.json", T::KIND, T::SCHEMA_VERSION), schema::<T>())
    }
    vec![
        one::<awsops_core::kinds::AmiDoc>(),
        one::<awsops_core::kinds::AmiPruneDoc>(),
        one::<awsops_core::kinds::SnapshotDoc>(),
        one::<awsops_ami_snap::plan::Plan>(),
        one::<awsops_core::kinds::CertificateDoc>(),
        one::<awsops_core::kinds::AuditSummaryDoc>(),
        one::<awsops_core::kinds::AuditFleetSummaryDoc>(),
        one::<awsops_core::kinds::EfsDoc>(),
        one::<awsops_core::kinds::ExecDoc>(),
        one::<awsops_core::kinds::FindingDoc>(),
        one::<awsops_core::kinds::FleetTargetDoc>(),
        one::<awsops_core::kinds::EfsMountDoc>(),
        one::<awsops_core::kinds::LoadBalancerDoc>(),
        one::<awsops_core::kinds::PeeringDoc>(),
        one::<awsops_core::kinds::RecordDoc>(),
        one::<awsops_core::kinds::SshConfigDoc>(),
        one::<awsops_core::kinds::VpcDoc>(),
        one::<awsops_vpc_bootstrap::plan::Plan>(),
    ]
}

/// Every generated file, relative to the workspace root, with its contents.
pub fn generated() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for (mut cmd, table) in commands_with_permissions() {
        // Built, so global flags (--region, -v, ...) propagate into the subcommands.
        cmd.build();
        let name = cmd.get_name().to_owned();
        for (shell, path) in [
            (Shell::Bash, format!("completions/bash/{name}")),
            (Shell::Zsh, format!("completions/zsh/_{name}")),
            (Shell::Fish, format!("completions/fish/{name}.fish")),
            (Shell::Elvish, format!("completions/elvish/{name}.elv")),
            (Shell::PowerShell, format!("completions/powershell/_{name}.ps1")),
        ] {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd.clone(), &name, &mut buf);
            if shell == Shell::Bash {
                buf = fix_bash_case_labels(&String::from_utf8_lossy(&buf)).into_bytes();
            }
            files.push((PathBuf::from(path), buf));
        }
        let all: Vec<(&str, &[&Grant])> = table.iter().map(|(s, g)| (*s, g.as_slice())).collect();
        files.push((PathBuf::from(format!("man/{name}.1")), man_page(&cmd, &name, &all)));
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let full = format!("{name}-{}", sub.get_name());
            let grants: Vec<(&str, &[&Grant])> = all.iter().filter(|(s, _)| *s == sub.get_name()).copied().collect();
            let sub = sub.clone().name(full.clone()).bin_name(format!("{name} {}", sub.get_name())).version(env!("CARGO_PKG_VERSION"));
            files.push((PathBuf::from(format!("man/{full}.1")), man_page(&sub, &full, &grants)));
        }
    }
    for (file, schema) in schemas() {
        let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        text.push('\n');
        files.push((PathBuf::from(format!("schemas/{file}")), text.into_bytes()));
    }
    files
}

/// clap_complete's bash script names a subcommand's state one way where it is set
/// (`cmd="vpc__bootstrap__subcmd__create"`) and another in the `case` that lists its
/// options (`vpc__subcmd__bootstrap__subcmd__create)`) when the binary's name has a
/// dash (clap issues 6421/6529), so no subcommand option ever completed. Each case
/// label that no `cmd=` assignment produces is renamed to the state it stands for.
pub fn fix_bash_case_labels(script: &str) -> String {
    let squash = |s: &str| s.replace("__subcmd__", "__");
    let states: Vec<&str> = script.lines().filter_map(|l| l.trim().strip_prefix("cmd=\"").and_then(|r| r.strip_suffix('"'))).collect();
    let mut out = String::with_capacity(script.len());
    for line in script.lines() {
        let label = line.strip_prefix("        ").and_then(|l| l.strip_suffix(')'));
        match label {
            Some(label)
                if !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !states.contains(&label) =>
            {
                match states.iter().find(|s| squash(s) == squash(label)) {
                    Some(state) => out.push_str(&format!("        {state})")),
                    None => out.push_str(line),
                }
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// A man page with the usual sections plus ENVIRONMENT, EXIT STATUS and PERMISSIONS
/// (the IAM statements of each subcommand, from the grants its code declares).
pub fn man_page(cmd: &Command, name: &str, permissions: &[(&str, &[&Grant])]) -> Vec<u8> {
    let mut cmd = cmd.clone();
    cmd.build();
    let man = clap_mangen::Man::new(cmd.clone())
        .title(name.to_uppercase())
        .section("1")
        .date(MAN_DATE)
        .source(format!("awsops {}", env!("CARGO_PKG_VERSION")))
        .manual("awsops");
    let mut out = Vec::new();
    let _ = man.render_title(&mut out);
    let _ = man.render_name_section(&mut out);
    let _ = man.render_synopsis_section(&mut out);
    let _ = man.render_description_section(&mut out);
    let _ = man.render_options_section(&mut out);
    if cmd.get_subcommands().any(|s| s.get_name() != "help") {
        let _ = man.render_subcommands_section(&mut out);
    }
    let mut extra = Roff::new();
    extra.control("SH", ["ENVIRONMENT"]);
    for arg in all_args(&cmd) {
        if let Some(env) = arg.get_env() {
            let flag = arg.get_long().map(|l| format!("--{l}")).unwrap_or_else(|| arg.get_id().to_string().to_uppercase());
            extra.control("TP", []).text([bold(env.to_string_lossy().into_owned())]).text([roman(format!("The default of {flag}."))]);
        }
    }
    for (vars, what) in SDK_ENVIRONMENT {
        extra.control("TP", []).text([bold(*vars)]).text([roman(format!("Read by the AWS SDK: {what}."))]);
    }
    extra.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in [
        ("0", "Success."),
        ("1", "The operation failed: an AWS error, a timeout, or the network."),
        ("2", "Usage or invalid input, caught before anything was changed."),
        ("3", "Completed, but found what the user asked to fail on."),
        ("130", "Interrupted (Ctrl-C)."),
    ] {
        extra.control("TP", []).text([bold(code)]).text([roman(meaning)]);
    }
    permissions_section(&mut extra, permissions);
    extra.control("SH", ["OUTPUT"]).text([roman(
        "Documents go to stdout as JSON: one object per line into pipes and files, pretty-printed on a terminal. \
         Logs and progress go to stderr. A closed stdout ends the command quietly.",
    )]);
    let _ = extra.to_writer(&mut out);
    let _ = man.render_version_section(&mut out);
    tidy_paragraphs(&String::from_utf8_lossy(&out)).into_bytes()
}

/// PERMISSIONS: each statement (Sid) a subcommand may need, with its actions and
/// whether it is on `*`, scoped to ARNs, or tied to the stack's tags.
fn permissions_section(roff: &mut Roff, permissions: &[(&str, &[&Grant])]) {
    if permissions.is_empty() {
        return;
    }
    roff.control("SH", ["PERMISSIONS"]).text([roman(
        "The IAM statements each subcommand may need, depending on its flags. Add --print-policy to an invocation to print \
         the exact policy it needs (JSON, with ARNs from the flags and tag conditions), making no AWS call.",
    )]);
    for (sub, grants) in permissions {
        if !sub.is_empty() && permissions.len() > 1 {
            roff.control("SS", [*sub]);
        }
        if grants.is_empty() {
            roff.text([roman("None: it makes no AWS call.")]);
        }
        for grant in grants.iter() {
            let on = match (grant.resources.is_empty(), grant.tagging) {
                (true, Tagging::Untagged) => "on *".to_owned(),
                (true, _) => "on *, with the stack's tags in the request".to_owned(),
                (false, Tagging::Untagged) => format!("on {}", grant.resources.join(", ")),
                (false, Tagging::StackOwned) => format!("on {}, where tagged with the stack", grant.resources.join(", ")),
                (false, Tagging::TagsOnCreate) => format!("on {}, created with the stack's tags", grant.resources.join(", ")),
            };
            roff.control("TP", []).text([bold(grant.sid)]).text([roman(format!("{} {on}.", grant.actions.join(", ")))]);
        }
        let ec2_creates = grants.iter().any(|g| g.tagging == Tagging::TagsOnCreate && g.actions.iter().any(|a| a.starts_with("ec2:")));
        if ec2_creates {
            roff.control("TP", [])
                .text([bold(TAG_ON_CREATE_SID)])
                .text([roman("ec2:CreateTags on the region's EC2 resources, only as part of the creates above (ec2:CreateAction).")]);
        }
    }
}

/// The `.TH` date of every page: the last change to the pages' content, fixed so the
/// generated files stay byte-for-byte reproducible (`cargo xtask docs --check`).
pub const MAN_DATE: &str = "2026-11-26";

/// Collapses each run of `.br` and blank lines (a blank line is `.sp`) that clap_mangen
/// writes around "Possible values" into one break: one blank line if the run had any,
/// else one `.br`. mandoc warns about `br` next to `sp` ("skipping paragraph macro").
pub fn tidy_paragraphs(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    let mut run: Option<bool> = None; // Some(has_blank) while inside a run
    for line in page.lines() {
        let is_break = line == ".br";
        if is_break || line.is_empty() {
            run = Some(run.unwrap_or(false) || line.is_empty());
            continue;
        }
        if let Some(has_blank) = run.take() {
            out.push_str(if has_blank { "\n" } else { ".br\n" });
        }
        out.push_str(line);
        out.push('\n');
    }
    if let Some(has_blank) = run {
        out.push_str(if has_blank { "\n" } else { ".br\n" });
    }
    out
}

fn all_args(cmd: &Command) -> Vec<clap::Arg> {
    let mut args: Vec<clap::Arg> = cmd.get_arguments().cloned().collect();
    for sub in cmd.get_subcommands() {
        for a in all_args(sub) {
            if !args.iter().any(|b| b.get_id() == a.get_id() && b.get_env() == a.get_env()) {
                args.push(a);
            }
        }
    }
    args
}

/// Writes every generated file under `root`.
pub fn write(root: &Path) -> std::io::Result<()> {
    for (path, contents) in generated() {
        let path = root.join(path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, contents)?;
    }
    Ok(())
}

/// The generated files that are missing or differ under `root`.
pub fn stale(root: &Path) -> Vec<PathBuf> {
    generated()
        .into_iter()
        .filter(|(path, contents)| std::fs::read(root.join(path)).ok().as_deref() != Some(contents.as_slice()))
        .map(|(p, _)| p)
        .collect()
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_generated_files_are_fresh() {
        let stale = stale(&workspace_root());
        assert!(stale.is_empty(), "generated files are stale, run `cargo xtask docs`: {stale:?}");
    }

    #[test]
    fn paragraph_breaks_collapse_to_one() {
        assert_eq!(tidy_paragraphs("a\n\n.br\nb\n.br\n\n.br\nc\n.br\nd\n"), "a\n\nb\n\nc\n.br\nd\n");
    }

    /// Every page as mandoc reads it: no warnings (the date slot, `br` around `sp`).
    #[test]
    fn man_pages_pass_mandoc_lint() {
        let dir = tempfile::tempdir().unwrap();
        let mut pages = Vec::new();
        for (path, contents) in generated().into_iter().filter(|(p, _)| p.starts_with("man")) {
            let file = dir.path().join(path.file_name().unwrap());
            std::fs::write(&file, contents).unwrap();
            pages.push(file);
        }
        assert!(pages.len() >= 7);
        let out = std::process::Command::new("mandoc")
            .args(["-T", "lint", "-W", "warning"])
            .args(&pages)
            .output()
            .expect("mandoc is installed (scripts/lib.sh ensure_doc_tools)");
        let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success() && report.trim().is_empty(), "mandoc -T lint -W warning:\n{report}");
    }

    #[test]
    fn man_pages_have_exit_status_and_environment() {
        let page = String::from_utf8(man_page(&commands()[0], "vpc-bootstrap", &[])).unwrap();
        assert!(page.contains(".SH ENVIRONMENT") && page.contains(".SH \"EXIT STATUS\"") || page.contains(".SH EXIT STATUS"), "{page}");
        assert!(page.contains("AWS_REGION") && page.contains("AWS_ENDPOINT_URL"));
    }

    #[test]
    fn man_pages_and_help_list_the_declared_permissions() {
        let files = generated();
        let page = |name: &str| {
            String::from_utf8(files.iter().find(|(p, _)| p == &PathBuf::from(format!("man/{name}.1"))).unwrap().1.clone()).unwrap()
        };
        let create = page("vpc-bootstrap-create");
        assert!(create.contains(".SH PERMISSIONS") && create.contains("CreateNatGateway") && create.contains("ec2:CreateVpc"), "{create}");
        assert!(!page("vpc-bootstrap-show").contains("ec2:CreateVpc"), "show only reads");
        assert!(page("iam-audit").contains("iam:GetAccountAuthorizationDetails"));
        for (mut cmd, table) in commands_with_permissions() {
            cmd.build();
            for (sub, grants) in &table {
                let shown = if sub.is_empty() { &cmd } else { cmd.find_subcommand(sub).unwrap() };
                let help = shown.get_after_help().map(|h| h.to_string()).unwrap_or_default();
                for action in grants.iter().flat_map(|g| g.actions.iter()) {
                    assert!(help.contains(action), "{} {sub}: --help misses {action}", cmd.get_name());
                }
            }
        }
    }

    /// core's AWS calls (the stack lease, Route 53, load balancers, the fleet runner) declare their grants
    /// too; checked here, where every optional core module is built.
    #[test]
    fn every_sdk_call_of_core_is_declared_by_its_module() {
        use awsops_core::{fleet, fleet_org, load_balancer, route53, stack_lease};
        awsops_core::sdk_calls::assert_declared(
            &format!("{}/../core", awsops_core::sdk_calls::checkout_dir(env!("CARGO_MANIFEST_DIR")).display()),
            &[
                ("stack_lease.rs", &stack_lease::LEASE),
                ("route53.rs", &[&route53::LIST_ZONES, &route53::READ_RECORDS, &route53::CHANGE_RECORDS, &route53::WAIT_FOR_CHANGE]),
                ("load_balancer.rs", &[&load_balancer::FIND_LOAD_BALANCER]),
                ("fleet.rs", &[&fleet::FLEET_CALLER, &fleet::ASSUME_FLEET_ROLE, &fleet::ENABLED_REGIONS]),
                ("fleet_org.rs", &[&fleet_org::LIST_ORGANIZATION]),
            ],
        );
    }

    #[test]
    fn every_binary_has_five_completions_and_a_man_page() {
        let files: Vec<String> = generated().into_iter().map(|(p, _)| p.display().to_string()).collect();
        for cmd in commands() {
            let n = cmd.get_name();
            let count = files.iter().filter(|f| f.starts_with("completions/") && f.contains(n)).count();
            assert_eq!(count, 5, "{n}");
            assert!(files.contains(&format!("man/{n}.1")));
        }
    }
}
