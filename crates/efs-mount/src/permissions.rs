//! Which of the grants declared in `efs_api` an invocation's flags can reach: the
//! policy `--print-policy` prints, and every grant per subcommand for `--help` and the
//! man page. Changes are scoped to the file system's stack tag (`--name`); a destroy by
//! file system id, whose name is not known without a call, is scoped to the tool's tag.

use crate::cli::{Cli, Command};
use crate::efs_api::{self, READ_FILE_SYSTEM, READ_MOUNT_TARGETS, READ_PLACEMENT, READ_ZONES};
use awsops_core::Result;
use awsops_core::permissions::{Grant, Needs, Scope, Table};

pub fn needs(cli: &Cli) -> Result<Needs> {
    let scope = Scope::new(crate::NAME, cli.common.aws.region.as_deref());
    let by_name = |which: &str| {
        if awsops_core::aws_ids::matches(awsops_core::aws_ids::FILE_SYSTEM_ID, which) { scope.clone() } else { scope.clone().stack(which) }
    };
    let mut n = Needs::new(scope.clone());
    match &cli.command {
        Command::Create(args) => {
            n.scope = scope.clone().stack(&args.name);
            n.add(&[&READ_PLACEMENT, &READ_FILE_SYSTEM]);
            n.add_if(!args.dry_run.is_set(), &efs_api::CREATE);
        }
        // A document is checked against EFS; a file system named on the command line is
        // looked up the way `status` does.
        Command::Mount(args) if !args.offline => {
            if let Some(which) = &args.file_system {
                n.scope = by_name(which);
                n.add(&[&READ_PLACEMENT, &READ_FILE_SYSTEM]);
            }
            n.add(&[&READ_MOUNT_TARGETS]).add_if(args.az.is_some(), &[&READ_ZONES]);
        }
        Command::Mount(_) => {}
        Command::Unmount(_) => {}
        Command::Status(which) => {
            n.scope = by_name(&which.file_system);
            n.add(&[&READ_PLACEMENT, &READ_FILE_SYSTEM]);
        }
        Command::Destroy(args) => {
            n.scope = by_name(&args.which.file_system);
            n.add(&[&READ_PLACEMENT, &READ_FILE_SYSTEM]);
            n.add_if(!args.dry_run.is_set(), &efs_api::DESTROY);
        }
    }
    Ok(n)
}

pub fn table() -> Table {
    let reads: Vec<&'static Grant> = vec![&READ_PLACEMENT, &READ_FILE_SYSTEM];
    vec![
        ("create", reads.iter().copied().chain(efs_api::CREATE).collect()),
        ("mount", reads.iter().copied().chain([&READ_MOUNT_TARGETS, &READ_ZONES]).collect()),
        ("unmount", vec![]),
        ("status", reads.clone()),
        ("destroy", reads.iter().copied().chain(efs_api::DESTROY).collect()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use awsops_core::policy_document::PolicyDocument;

    fn policy(args: &[&str]) -> PolicyDocument {
        PolicyDocument::from_needs(&awsops_core::permissions::needs_of::<Cli>("efs-mount", args).unwrap())
    }

    #[test]
    fn every_sdk_call_is_declared_by_its_module() {
        let all: Vec<&Grant> = table().into_iter().flat_map(|(_, g)| g).collect();
        awsops_core::sdk_calls::assert_declared(env!("CARGO_MANIFEST_DIR"), &[("efs_api.rs", &all)]);
    }

    #[test]
    fn subcommands_and_flags_change_the_policy() {
        let create = policy(&["create", "--name", "uploads", "--subnet", "subnet-12345678", "--region", "ap-northeast-2"]);
        assert!(create.actions().contains(&"elasticfilesystem:CreateFileSystem"));
        let json = serde_json::to_value(&create).unwrap();
        let fs = json["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == "CreateFileSystem").unwrap();
        assert_eq!(fs["Resource"][0], "arn:aws:elasticfilesystem:ap-northeast-2:*:file-system/*");
        assert_eq!(fs["Condition"]["StringEquals"]["aws:RequestTag/awsops:stack"], "uploads");
        let dry = policy(&["create", "--name", "uploads", "--subnet", "subnet-12345678", "--dry-run"]);
        assert!(dry.actions().iter().all(|a| a.contains(":Describe")), "{:?}", dry.actions());
        assert!(policy(&["mount", "/mnt/x", "--file-system", "uploads", "--offline"]).statements.is_empty());
        assert!(policy(&["unmount", "/mnt/x"]).statements.is_empty());
        let by_id = serde_json::to_value(policy(&["destroy", "fs-0123456789abcdef0", "--yes"])).unwrap();
        let del = by_id["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == "DeleteOwnFileSystem").unwrap();
        assert_eq!(del["Condition"]["StringEquals"]["aws:ResourceTag/awsops:tool"], "efs-mount");
    }
}
