//! EC2 images and snapshots as ami-snap sees them: its tags, the `ami` and `snapshot`
//! documents made from describe output, per-region clients, and the waits for an image
//! or a snapshot to become usable.

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{Image, ImageState, Snapshot, SnapshotState};
use awsops_core::all_items;
use awsops_core::ec2::{filter, tag_value};
use awsops_core::error::aws_error;
use awsops_core::kinds::{AmiDoc, SnapshotDoc};
use awsops_core::ownership::TOOL_TAG;
use awsops_core::permissions::Grant;
use awsops_core::waiter::{Poll, Waiter};
use awsops_core::{Error, Result};
use std::time::Duration;

/// Reading images, their snapshots and source instances (every subcommand; waits poll these).
pub static READ_IMAGES: Grant = Grant::any("ReadImages", &["ec2:DescribeImages", "ec2:DescribeInstances", "ec2:DescribeSnapshots"]);

pub const TOOL: &str = "ami-snap";
/// The retention group an image belongs to.
pub const GROUP_TAG: &str = "awsops:group";
pub const SOURCE_INSTANCE_TAG: &str = "awsops:source-instance";
/// On a copy: the image and region it was copied from (how a re-run finds the copy).
pub const SOURCE_IMAGE_TAG: &str = "awsops:source-image";
pub const SOURCE_REGION_TAG: &str = "awsops:source-region";

/// A client for one region, from the command's loaded config.
pub fn client_in(config: &aws_config::SdkConfig, region: &str) -> Client {
    Client::new(&awsops_core::aws_config::in_region(config, region))
}

pub fn snapshot_ids(image: &Image) -> Vec<String> {
    image.block_device_mappings().iter().filter_map(|m| m.ebs().and_then(|e| e.snapshot_id())).map(str::to_owned).collect()
}

pub fn ami_doc(region: &str, image: &Image, created_now: bool) -> AmiDoc {
    let tags = image.tags();
    AmiDoc {
        image_id: image.image_id().unwrap_or_default().to_owned(),
        region: region.to_owned(),
        name: image.name().unwrap_or_default().to_owned(),
        state: image.state().map(|s| s.as_str().to_owned()).unwrap_or_default(),
        created: image.creation_date().map(str::to_owned),
        group: tag_value(tags, GROUP_TAG).map(str::to_owned),
        source_instance_id: tag_value(tags, SOURCE_INSTANCE_TAG).map(str::to_owned),
        source_image_id: tag_value(tags, SOURCE_IMAGE_TAG).map(str::to_owned),
        source_region: tag_value(tags, SOURCE_REGION_TAG).map(str::to_owned),
        snapshot_ids: snapshot_ids(image),
        encrypted: image.block_device_mappings().iter().any(|m| m.ebs().and_then(|e| e.encrypted()).unwrap_or(false)),
        shared_with: Vec::new(),
        created_now,
        account: None,
    }
}

pub fn snapshot_doc(region: &str, snapshot: &Snapshot, instance_id: Option<&str>, device: Option<&str>) -> SnapshotDoc {
    SnapshotDoc {
        snapshot_id: snapshot.snapshot_id().unwrap_or_default().to_owned(),
        region: region.to_owned(),
        volume_id: snapshot.volume_id().unwrap_or_default().to_owned(),
        instance_id: instance_id.map(str::to_owned).or_else(|| tag_value(snapshot.tags(), SOURCE_INSTANCE_TAG).map(str::to_owned)),
        device: device.map(str::to_owned),
        state: snapshot.state().map(|s| s.as_str().to_owned()).unwrap_or_default(),
        size_gib: snapshot.volume_size().unwrap_or_default(),
        encrypted: snapshot.encrypted().unwrap_or(false),
        started: snapshot.start_time().map(|t| t.to_string()),
    }
}

/// One image by id; a usage error when it does not exist (in that region).
pub async fn describe_image(ec2: &Client, region: &str, image_id: &str) -> Result<Image> {
    let out = ec2.describe_images().image_ids(image_id).send().await.map_err(|e| {
        let err = Error::from_aws("DescribeImages", e);
        if awsops_core::error::is_not_found(&err) { Error::usage(format!("no image {image_id} in {region}")) } else { err }
    })?;
    out.images().first().cloned().ok_or_else(|| Error::usage(format!("no image {image_id} in {region}")))
}

/// The account's own images, optionally filtered.
pub async fn own_images(ec2: &Client, filters: Vec<aws_sdk_ec2::types::Filter>) -> Result<Vec<Image>> {
    all_items!(ec2.describe_images().owners("self").set_filters((!filters.is_empty()).then_some(filters)), "DescribeImages")
}

/// The images ami-snap made (or copied).
pub async fn managed_images(ec2: &Client) -> Result<Vec<Image>> {
    let images = own_images(ec2, vec![filter(&format!("tag:{TOOL_TAG}"), [TOOL])]).await?;
    Ok(images.into_iter().filter(|i| tag_value(i.tags(), TOOL_TAG) == Some(TOOL)).collect())
}

/// Waits until an image is available; `failed` is an error naming the reason.
pub async fn wait_image(ec2: &Client, region: &str, image_id: &str, timeout: Duration) -> Result<Image> {
    Waiter::new(format!("image {image_id} in {region}"), timeout)
        .delays(Duration::from_secs(2), Duration::from_secs(30))
        .wait(|| async {
            let image = describe_image(ec2, region, image_id).await?;
            match image.state() {
                Some(ImageState::Available) => Ok(Poll::Ready(image)),
                Some(ImageState::Failed | ImageState::Error | ImageState::Invalid | ImageState::Deregistered) => {
                    Err(Error::failed(format!(
                        "image {image_id} in {region} is {}: {}",
                        image.state().map(|s| s.as_str()).unwrap_or_default(),
                        image.state_reason().and_then(|r| r.message()).unwrap_or("no reason given")
                    )))
                }
                other => Ok(Poll::Pending(other.map(|s| s.as_str().to_owned()).unwrap_or_else(|| "unknown".into()))),
            }
        })
        .await
}

/// Waits until a snapshot is completed.
pub async fn wait_snapshot(ec2: &Client, region: &str, snapshot_id: &str, timeout: Duration) -> Result<Snapshot> {
    Waiter::new(format!("snapshot {snapshot_id} in {region}"), timeout)
        .delays(Duration::from_secs(2), Duration::from_secs(30))
        .wait(|| async {
            let out = ec2.describe_snapshots().snapshot_ids(snapshot_id).send().await.map_err(aws_error("DescribeSnapshots"))?;
            let snapshot = out.snapshots().first().cloned().ok_or_else(|| Error::failed(format!("snapshot {snapshot_id} vanished")))?;
            match snapshot.state() {
                Some(SnapshotState::Completed) => Ok(Poll::Ready(snapshot)),
                Some(SnapshotState::Error) => {
                    Err(Error::failed(format!("snapshot {snapshot_id} failed: {}", snapshot.state_message().unwrap_or("no reason given"))))
                }
                other => Ok(Poll::Pending(format!(
                    "{} {}",
                    other.map(|s| s.as_str()).unwrap_or("unknown"),
                    snapshot.progress().unwrap_or_default()
                ))),
            }
        })
        .await
}

/// Instances by id (each must exist: a usage error names the first that does not) or by
/// tag `KEY=VALUE` (running or stopped ones; a tag no instance has is a usage error when
/// `every_tag_matches`, nothing to do in one account of a fleet otherwise).
pub async fn select_instances(
    ec2: &Client,
    region: &str,
    ids: &[String],
    tags: &[(String, String)],
    every_tag_matches: bool,
) -> Result<Vec<aws_sdk_ec2::types::Instance>> {
    let mut found = Vec::new();
    if !ids.is_empty() {
        let out: Vec<_> =
            ec2.describe_instances().set_instance_ids(Some(ids.to_vec())).into_paginator().items().send().try_collect().await.map_err(
                |e| {
                    let err = Error::from_aws("DescribeInstances", e);
                    if awsops_core::error::is_not_found(&err) {
                        Error::usage(format!("unknown instance in {region}: {}", err.to_string().split(": ").last().unwrap_or_default()))
                    } else {
                        err
                    }
                },
            )?;
        found.extend(out.iter().flat_map(|r| r.instances().to_vec()));
        if let Some(missing) = ids.iter().find(|id| !found.iter().any(|i| i.instance_id() == Some(id.as_str()))) {
            return Err(Error::usage(format!("unknown instance {missing} in {region}")));
        }
    }
    for (key, value) in tags {
        let selected = filter(&format!("tag:{key}"), [value.clone()]);
        let out: Vec<_> = all_items!(
            ec2.describe_instances()
                .filters(selected)
                .filters(filter("instance-state-name", ["running", "stopped", "stopping", "pending"])),
            "DescribeInstances"
        )?;
        let matched: Vec<_> = out.iter().flat_map(|r| r.instances().to_vec()).collect();
        if matched.is_empty() && every_tag_matches {
            return Err(Error::usage(format!("no instance in {region} has the tag {key}={value}")));
        }
        found.extend(matched);
    }
    found.sort_by(|a, b| a.instance_id().cmp(&b.instance_id()));
    found.dedup_by(|a, b| a.instance_id() == b.instance_id());
    Ok(found)
}
