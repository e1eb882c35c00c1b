//! `ami-snap share` / `unshare`: launch permission on images for other accounts, and
//! create-volume permission on their snapshots (without which the account cannot launch
//! them). Everything is checked before anything changes: account ids, that the images
//! exist, and that no snapshot is encrypted with the AWS-managed key, which AWS does not
//! let anyone share.

use crate::ChangeArgs;
use crate::images;
use crate::plan::Plan;
use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{
    Image, ImageAttributeName, LaunchPermission, LaunchPermissionModifications, OperationType, SnapshotAttributeName,
};
use awsops_core::batch::Batch;
use awsops_core::error::aws_error;
use awsops_core::kinds::AmiDoc;
use awsops_core::output::Output;
use awsops_core::permissions::Grant;
use awsops_core::{CommonArgs, Error, Outcome, Result};
use clap::Args;
use std::path::PathBuf;

/// Reading who may launch an image and whether its snapshots' keys can be shared.
pub static READ_SHARES: Grant = Grant::any("ReadShares", &["ec2:DescribeImageAttribute", "ec2:DescribeSnapshots"]);
pub static CHECK_SNAPSHOT_KEYS: Grant =
    Grant::any("CheckSnapshotKeys", &["kms:DescribeKey"]).on(&["arn:{partition}:kms:{region}:{account}:key/*"]);
/// Giving (or taking back) launch and create-volume permission; the images may be any the
/// user names, so no tag condition.
pub static SHARE_IMAGES: Grant = Grant::any("ShareImages", &["ec2:ModifyImageAttribute", "ec2:ModifySnapshotAttribute"])
    .on(&["arn:{partition}:ec2:{region}::image/*", "arn:{partition}:ec2:{region}::snapshot/*"]);

#[derive(Args, Debug)]
pub struct ShareArgs {
    /// Account ids (12 digits; repeat or comma-separate)
    #[arg(long = "account", value_delimiter = ',', value_name = "ACCOUNT_ID", required = true)]
    pub accounts: Vec<String>,
    /// Images in the configured region, instead of `ami` documents on stdin
    #[arg(long = "image", value_delimiter = ',', value_name = "AMI_ID")]
    pub images: Vec<String>,
    /// Read `ami` documents from FILE (`-` for stdin); without it, stdin when it is a pipe or file
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    #[command(flatten)]
    pub change: ChangeArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Share,
    Unshare,
}

impl Direction {
    fn operation(self) -> OperationType {
        match self {
            Direction::Share => OperationType::Add,
            Direction::Unshare => OperationType::Remove,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Direction::Share => "share",
            Direction::Unshare => "unshare",
        }
    }
}

pub fn check_account(id: &str) -> Result<()> {
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Error::usage(format!("malformed account id {id:?}: expected 12 digits")))
    }
}

/// Why a snapshot cannot be shared, if it cannot: it is encrypted with the AWS-managed
/// EBS key (no key id at all means the default, which is that key).
pub fn refusal(snapshot_id: &str, encrypted: bool, key: Option<&str>, key_is_aws_managed: bool) -> Option<String> {
    match (encrypted, key) {
        (false, _) => None,
        (true, None) => Some(format!("{snapshot_id} is encrypted with the AWS-managed key aws/ebs, which cannot be shared")),
        (true, Some(key)) if key_is_aws_managed => Some(format!(
            "{snapshot_id} is encrypted with the AWS-managed key {key}, which cannot be shared; copy the image with a \
             customer-managed key (ami-snap copy --kms-key) and share the copy"
        )),
        (true, Some(_)) => None,
    }
}

async fn unshareable(kms: &aws_sdk_kms::Client, snapshot: &aws_sdk_ec2::types::Snapshot) -> Result<Option<String>> {
    let encrypted = snapshot.encrypted().unwrap_or(false);
    let key = snapshot.kms_key_id();
    let aws_managed = match (encrypted, key) {
        (true, Some(key)) => {
            let described = kms.describe_key().key_id(key).send().await.map_err(aws_error("DescribeKey"))?;
            described.key_metadata().and_then(|m| m.key_manager()) == Some(&aws_sdk_kms::types::KeyManagerType::Aws)
        }
        _ => false,
    };
    Ok(refusal(snapshot.snapshot_id().unwrap_or_default(), encrypted, key, aws_managed))
}

pub async fn run(common: &CommonArgs, args: ShareArgs, direction: Direction) -> Result<Outcome> {
    for account in &args.accounts {
        check_account(account)?;
    }
    let config = common.aws.load().await?;
    let home = config.region().map(ToString::to_string).unwrap_or_default();
    let ec2_in = |r: &str| images::client_in(&config, r);
    let sources = crate::copy::sources(ec2_in, &home, &args.images, args.from.as_deref()).await?;

    // Every snapshot of every image, checked before anything is changed.
    let mut checked = Vec::new();
    for (region, image) in &sources {
        let ec2 = ec2_in(region);
        let snapshot_ids = images::snapshot_ids(image);
        let snapshots = if snapshot_ids.is_empty() {
            Vec::new()
        } else {
            ec2.describe_snapshots()
                .set_snapshot_ids(Some(snapshot_ids.clone()))
                .send()
                .await
                .map_err(aws_error("DescribeSnapshots"))?
                .snapshots()
                .to_vec()
        };
        if direction == Direction::Share {
            let kms = aws_sdk_kms::Client::new(&awsops_core::aws_config::in_region(&config, region));
            for s in &snapshots {
                if let Some(why) = unshareable(&kms, s).await? {
                    return Err(Error::usage(format!("cannot share {}: {why}", image.image_id().unwrap_or_default())));
                }
            }
        }
        checked.push((region.as_str(), image, snapshot_ids));
    }

    let mut out = Output::stdout();
    if args.change.dry_run.is_set() {
        let mut plan = Plan::new(direction.name());
        for (region, image, snapshots) in &checked {
            let accounts = args.accounts.join(",");
            plan.add("ModifyImageAttribute", region, image.image_id().unwrap_or_default(), &[("launch_permission", accounts.clone())]);
            for s in snapshots {
                plan.add("ModifySnapshotAttribute", region, s, &[("create_volume_permission", accounts.clone())]);
            }
        }
        out.emit(&plan)?;
        return Ok(Outcome::Success);
    }
    let _lock = args.change.lock()?;
    let results = awsops_core::batch::at_most(
        checked.iter().map(|(region, image, snapshots)| share_one(ec2_in(region), region, image, snapshots, &args.accounts, direction)),
        args.change.jobs,
    )
    .await;
    let mut batch = Batch::new();
    for ((_, image, _), result) in checked.iter().zip(results) {
        if let Some(doc) = batch.record(image.image_id().unwrap_or_default(), result)? {
            out.emit(&doc)?;
        }
    }
    batch.finish()
}

async fn share_one(
    ec2: Client,
    region: &str,
    image: &Image,
    snapshots: &[String],
    accounts: &[String],
    direction: Direction,
) -> Result<AmiDoc> {
    let image_id = image.image_id().unwrap_or_default();
    let permissions: Vec<LaunchPermission> = accounts.iter().map(|a| LaunchPermission::builder().user_id(a).build()).collect();
    let modifications = match direction {
        Direction::Share => LaunchPermissionModifications::builder().set_add(Some(permissions)).build(),
        Direction::Unshare => LaunchPermissionModifications::builder().set_remove(Some(permissions)).build(),
    };
    ec2.modify_image_attribute()
        .image_id(image_id)
        .launch_permission(modifications)
        .send()
        .await
        .map_err(aws_error("ModifyImageAttribute"))?;
    for snapshot in snapshots {
        // The top-level UserId.N form of the call, which every endpoint reads (moto 5 reads
        // only this one); it means the same as CreateVolumePermission.Add/Remove.
        ec2.modify_snapshot_attribute()
            .snapshot_id(snapshot)
            .attribute(SnapshotAttributeName::CreateVolumePermission)
            .operation_type(direction.operation())
            .set_user_ids(Some(accounts.to_vec()))
            .send()
            .await
            .map_err(aws_error("ModifySnapshotAttribute"))?;
    }
    let attribute = ec2
        .describe_image_attribute()
        .image_id(image_id)
        .attribute(ImageAttributeName::LaunchPermission)
        .send()
        .await
        .map_err(aws_error("DescribeImageAttribute"))?;
    let mut doc = images::ami_doc(region, image, false);
    doc.shared_with = attribute.launch_permissions().iter().filter_map(|p| p.user_id().map(str::to_owned)).collect();
    doc.shared_with.sort();
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshots_under_the_aws_managed_key_are_refused() {
        assert_eq!(refusal("snap-1", false, None, false), None);
        assert!(refusal("snap-1", true, None, false).unwrap().contains("aws/ebs"));
        assert!(refusal("snap-1", true, Some("arn:aws:kms:x:1:key/k"), true).unwrap().contains("--kms-key"));
        assert_eq!(refusal("snap-1", true, Some("arn:aws:kms:x:1:key/k"), false), None, "a customer-managed key can be shared");
    }

    #[test]
    fn account_ids_are_twelve_digits() {
        assert!(check_account("123456789012").is_ok());
        for bad in ["12345678901", "1234567890123", "12345678901a", "", "-23456789012"] {
            assert_eq!(check_account(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }
}
