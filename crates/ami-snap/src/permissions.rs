//! Which of the declared grants (beside the calls, in each subcommand's module) an
//! invocation's flags can reach: the policy `--print-policy` prints, and every grant
//! per subcommand for `--help` and the man page. ami-snap has no stack: what it made
//! carries `awsops:tool=ami-snap`, and prune's deletes are scoped to that tag.

use crate::{Cli, Command, NAME, copy, create, image_users, images, prune, share, snapshot};
use awsops_core::Result;
use awsops_core::permissions::{Grant, Needs, Scope, Table};

pub fn needs(cli: &Cli) -> Result<Needs> {
    let region = cli.common.aws.region.as_deref();
    let scope = Scope::new(NAME, region);
    let mut n = Needs::new(scope.clone());
    match &cli.command {
        Command::Create(args) => {
            args.fleet.add_needs(&mut n, &[]);
            n.add(&[&images::READ_IMAGES]);
            n.add_if(!args.change.dry_run.is_set(), &[&create::IMAGE_INSTANCES, &create::CREATE_IMAGES, &create::TAG_IMAGE_SNAPSHOTS]);
        }
        Command::Snapshot(args) => {
            n.add(&[&snapshot::READ_VOLUMES]);
            n.add_if(!args.change.dry_run.is_set(), &[&snapshot::SNAPSHOT_VOLUMES, &snapshot::CREATE_SNAPSHOTS]);
        }
        Command::Copy(args) => {
            n.scope = scope.in_several_regions();
            args.fleet.add_needs(&mut n, &[]);
            n.add(&[&images::READ_IMAGES]);
            n.add_if(!args.fleet.is_set(), &[&crate::CHECK_REGIONS]);
            n.add_if(!args.change.dry_run.is_set(), &[&copy::COPY_IMAGES]);
            n.add_if(!args.change.dry_run.is_set() && !args.kms_keys.is_empty(), &[&copy::USE_COPY_KEYS]);
        }
        Command::Share(args) | Command::Unshare(args) => {
            n.scope = scope.in_several_regions();
            n.add(&[&images::READ_IMAGES, &share::READ_SHARES, &share::CHECK_SNAPSHOT_KEYS]);
            n.add_if(!args.change.dry_run.is_set(), &[&share::SHARE_IMAGES]);
        }
        Command::Prune(args) => {
            if !args.regions.is_empty() || args.fleet.is_set() {
                n.scope = scope.in_several_regions();
            }
            args.fleet.add_needs(&mut n, &args.regions);
            n.add(&[&images::READ_IMAGES]);
            n.add_if(!args.fleet.is_set(), &[&crate::CHECK_REGIONS]);
            n.add(&[&image_users::READ_REFERENCES]);
            n.add_if(!args.change.dry_run.is_set(), &[&prune::PRUNE_IMAGES]);
        }
        Command::List(args) => {
            if !args.regions.is_empty() || args.fleet.is_set() {
                n.scope = scope.in_several_regions();
            }
            args.fleet.add_needs(&mut n, &args.regions);
            n.add(&[&images::READ_IMAGES]);
            n.add_if(!args.fleet.is_set(), &[&crate::CHECK_REGIONS]);
        }
    }
    Ok(n)
}

pub fn table() -> Table {
    let reads = [&images::READ_IMAGES];
    let share: Vec<&'static Grant> = vec![&images::READ_IMAGES, &share::READ_SHARES, &share::CHECK_SNAPSHOT_KEYS, &share::SHARE_IMAGES];
    let fleet = awsops_core::fleet::grants();
    let with_fleet = |grants: Vec<&'static Grant>| grants.into_iter().chain(fleet).collect::<Vec<_>>();
    vec![
        ("create", with_fleet(vec![&images::READ_IMAGES, &create::IMAGE_INSTANCES, &create::CREATE_IMAGES, &create::TAG_IMAGE_SNAPSHOTS])),
        ("snapshot", vec![&snapshot::READ_VOLUMES, &snapshot::SNAPSHOT_VOLUMES, &snapshot::CREATE_SNAPSHOTS]),
        ("copy", with_fleet(vec![&images::READ_IMAGES, &crate::CHECK_REGIONS, &copy::COPY_IMAGES, &copy::USE_COPY_KEYS])),
        ("share", share.clone()),
        ("unshare", share),
        ("prune", with_fleet(vec![&images::READ_IMAGES, &crate::CHECK_REGIONS, &image_users::READ_REFERENCES, &prune::PRUNE_IMAGES])),
        ("list", with_fleet(reads.into_iter().chain([&crate::CHECK_REGIONS]).collect())),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use awsops_core::policy_document::PolicyDocument;

    fn policy(args: &[&str]) -> PolicyDocument {
        PolicyDocument::from_needs(&awsops_core::permissions::needs_of::<Cli>("ami-snap", args).unwrap())
    }

    #[test]
    fn every_sdk_call_is_declared_by_its_module() {
        awsops_core::sdk_calls::assert_declared(
            env!("CARGO_MANIFEST_DIR"),
            &[
                ("lib.rs", &[&crate::CHECK_REGIONS]),
                ("images.rs", &[&images::READ_IMAGES]),
                ("create.rs", &[&images::READ_IMAGES, &create::CREATE_IMAGES, &create::TAG_IMAGE_SNAPSHOTS]),
                ("snapshot.rs", &[&snapshot::READ_VOLUMES, &snapshot::CREATE_SNAPSHOTS]),
                ("copy.rs", &[&copy::COPY_IMAGES]),
                ("share.rs", &[&share::READ_SHARES, &share::CHECK_SNAPSHOT_KEYS, &share::SHARE_IMAGES]),
                ("prune.rs", &[&prune::PRUNE_IMAGES]),
                ("image_users.rs", &[&image_users::READ_REFERENCES]),
            ],
        );
    }

    #[test]
    fn dry_runs_only_read_and_keys_add_kms() {
        for args in [
            &["create", "--instance", "i-12345678", "--dry-run"][..],
            &["copy", "--to", "us-east-1", "--image", "ami-12345678", "--dry-run"],
            &["prune", "--keep", "3", "--dry-run"],
            &["share", "--account", "123456789012", "--image", "ami-12345678", "--dry-run"],
        ] {
            let doc = policy(args);
            assert!(doc.actions().iter().all(|a| a.contains(":Describe")), "{args:?}: {:?}", doc.actions());
        }
        let keyed = policy(&["copy", "--to", "us-east-1", "--image", "ami-12345678", "--kms-key", "us-east-1=alias/dr"]);
        assert!(keyed.actions().contains(&"kms:CreateGrant"));
        assert!(!policy(&["copy", "--to", "us-east-1", "--image", "ami-12345678"]).actions().contains(&"kms:CreateGrant"));
    }

    #[test]
    fn prune_deletes_only_what_ami_snap_tagged() {
        let doc = serde_json::to_value(policy(&["prune", "--keep", "3", "--yes", "--region", "us-east-1"])).unwrap();
        let prune = doc["Statement"].as_array().unwrap().iter().find(|s| s["Sid"] == "PruneOwnImages").unwrap();
        assert_eq!(prune["Condition"], serde_json::json!({"StringEquals": {"aws:ResourceTag/awsops:tool": "ami-snap"}}));
        assert_eq!(prune["Resource"][0], "arn:aws:ec2:us-east-1::image/*");
    }
}
