//! `ami-snap snapshot`: EBS snapshots of volumes, or of every EBS volume of an instance,
//! tagged at creation, waited for, and printed as `snapshot` documents.

use crate::images::{self, GROUP_TAG, SOURCE_INSTANCE_TAG, TOOL};
use crate::plan::Plan;
use crate::{ChangeArgs, parse_tag};
use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::ResourceType;
use awsops_core::batch::Batch;
use awsops_core::create_once::create_once;
use awsops_core::ec2::{filter, name, one_attempt, tag_spec};
use awsops_core::error::aws_error;
use awsops_core::kinds::SnapshotDoc;
use awsops_core::output::Output;
use awsops_core::ownership::{NAME_TAG, REQUEST_TAG, TOOL_TAG};
use awsops_core::permissions::Grant;
use awsops_core::{CommonArgs, Error, Outcome, Result};
use clap::Args;

/// Reading the volumes to snapshot (by id or through their instance) and the snapshots made.
pub static READ_VOLUMES: Grant = Grant::any("ReadVolumes", &["ec2:DescribeInstances", "ec2:DescribeSnapshots", "ec2:DescribeVolumes"]);
/// Snapshotting volumes the user named (not ami-snap's own, so no tag condition).
pub static SNAPSHOT_VOLUMES: Grant = Grant::any("SnapshotVolumes", &["ec2:CreateSnapshot"]).on(&[awsops_core::ec2_arn!("volume")]);
/// The snapshots, created with ami-snap's tags.
pub static CREATE_SNAPSHOTS: Grant =
    Grant::any("CreateSnapshots", &["ec2:CreateSnapshot"]).on(&["arn:{partition}:ec2:{region}::snapshot/*"]).tags_on_create();

#[derive(Args, Debug)]
pub struct SnapshotArgs {
    /// Volumes to snapshot (repeat or comma-separate)
    #[arg(long = "volume", value_delimiter = ',', value_name = "VOLUME_ID", required_unless_present = "instance")]
    pub volumes: Vec<String>,
    /// Snapshot every EBS volume attached to this instance
    #[arg(long, value_name = "INSTANCE_ID")]
    pub instance: Option<String>,
    /// The retention group tag [default: the instance's or volume's Name tag, else its id]
    #[arg(long, value_name = "GROUP")]
    pub group: Option<String>,
    /// An extra tag on the snapshots (repeatable)
    #[arg(long = "tag", value_name = "KEY=VALUE")]
    pub tags: Vec<String>,
    /// Print the documents as soon as the snapshots are started, without waiting
    #[arg(long)]
    pub no_wait: bool,
    #[command(flatten)]
    pub change: ChangeArgs,
}

/// One volume to snapshot, with where it is attached.
struct Job {
    volume_id: String,
    instance_id: Option<String>,
    device: Option<String>,
    label: String,
}

async fn jobs(ec2: &Client, region: &str, args: &SnapshotArgs) -> Result<Vec<Job>> {
    let mut jobs = Vec::new();
    if let Some(instance) = &args.instance {
        let found = images::select_instances(ec2, region, std::slice::from_ref(instance), &[], true).await?;
        let i = &found[0];
        let label = name(i.tags()).unwrap_or(instance).to_owned();
        for m in i.block_device_mappings() {
            if let Some(volume) = m.ebs().and_then(|e| e.volume_id()) {
                jobs.push(Job {
                    volume_id: volume.to_owned(),
                    instance_id: Some(instance.clone()),
                    device: m.device_name().map(str::to_owned),
                    label: label.clone(),
                });
            }
        }
        if jobs.is_empty() {
            return Err(Error::usage(format!("instance {instance} has no EBS volumes to snapshot")));
        }
    }
    if !args.volumes.is_empty() {
        if let Some(bad) = args.volumes.iter().find(|v| !v.starts_with("vol-")) {
            return Err(Error::usage(format!("--volume {bad:?}: expected a volume id (vol-…)")));
        }
        let out = ec2.describe_volumes().set_volume_ids(Some(args.volumes.clone())).send().await.map_err(|e| {
            let err = Error::from_aws("DescribeVolumes", e);
            if awsops_core::error::is_not_found(&err) { Error::usage(format!("unknown volume in {region}: {err}")) } else { err }
        })?;
        for id in &args.volumes {
            let v = out
                .volumes()
                .iter()
                .find(|v| v.volume_id() == Some(id.as_str()))
                .ok_or_else(|| Error::usage(format!("unknown volume {id} in {region}")))?;
            let attachment = v.attachments().first();
            jobs.push(Job {
                volume_id: id.clone(),
                instance_id: attachment.and_then(|a| a.instance_id()).map(str::to_owned),
                device: attachment.and_then(|a| a.device()).map(str::to_owned),
                label: name(v.tags()).unwrap_or(id).to_owned(),
            });
        }
    }
    jobs.dedup_by(|a, b| a.volume_id == b.volume_id);
    Ok(jobs)
}

pub async fn run(common: &CommonArgs, args: SnapshotArgs) -> Result<Outcome> {
    let extra = args.tags.iter().map(|t| parse_tag(t)).collect::<Result<Vec<_>>>()?;
    let config = common.aws.load().await?;
    let region = config.region().map(ToString::to_string).unwrap_or_default();
    let ec2 = images::client_in(&config, &region);
    let jobs = jobs(&ec2, &region, &args).await?;
    let mut out = Output::stdout();
    if args.change.dry_run.is_set() {
        let mut plan = Plan::new("snapshot");
        for job in &jobs {
            plan.add("CreateSnapshot", &region, &job.volume_id, &[("group", args.group.clone().unwrap_or_else(|| job.label.clone()))]);
        }
        out.emit(&plan)?;
        return Ok(Outcome::Success);
    }
    let _lock = args.change.lock()?;
    let results =
        awsops_core::batch::at_most(jobs.iter().map(|job| snapshot_one(&ec2, &region, job, &args, &extra)), args.change.jobs).await;
    let mut batch = Batch::new();
    for (job, result) in jobs.iter().zip(results) {
        if let Some(doc) = batch.record(&job.volume_id, result)? {
            out.emit(&doc)?;
        }
    }
    batch.finish()
}

async fn snapshot_one(ec2: &Client, region: &str, job: &Job, args: &SnapshotArgs, extra: &[(String, String)]) -> Result<SnapshotDoc> {
    let group = args.group.clone().unwrap_or_else(|| job.label.clone());
    let mut tags = vec![
        (NAME_TAG.to_owned(), format!("{}-{}", job.label, job.device.as_deref().unwrap_or(&job.volume_id))),
        (TOOL_TAG.to_owned(), TOOL.to_owned()),
        (GROUP_TAG.to_owned(), group),
    ];
    if let Some(instance) = &job.instance_id {
        tags.push((SOURCE_INSTANCE_TAG.to_owned(), instance.clone()));
    }
    tags.extend(extra.iter().cloned());
    // A volume may have many snapshots with these tags; this request's own mark tells which
    // one a lost answer made, so it is found again instead of made twice.
    let request = format!("{:016x}", fastrand::u64(..));
    tags.push((REQUEST_TAG.to_owned(), request.clone()));
    let created = create_once(
        "CreateSnapshot",
        || async {
            ec2.create_snapshot()
                .volume_id(&job.volume_id)
                .description(format!("ami-snap of {}", job.volume_id))
                .tag_specifications(tag_spec(ResourceType::Snapshot, &tags))
                .customize()
                .config_override(one_attempt())
                .send()
                .await
                .map(|out| (out.snapshot_id().unwrap_or_default().to_owned(), Some(out)))
        },
        || async {
            let found = ec2
                .describe_snapshots()
                .owner_ids("self")
                .filters(filter("volume-id", [job.volume_id.as_str()]))
                .filters(filter(&format!("tag:{REQUEST_TAG}"), [request.as_str()]))
                .send()
                .await
                .map_err(aws_error("DescribeSnapshots"))?;
            Ok(found.snapshots().iter().filter_map(|s| s.snapshot_id()).min().map(|id| (id.to_owned(), None)))
        },
    )
    .await?;
    let (id, answer) = created;
    if id.is_empty() {
        return Err(Error::failed("CreateSnapshot returned no snapshot id"));
    }
    tracing::info!("{}: snapshot {id}", job.volume_id);
    if let (true, Some(created)) = (args.no_wait, answer) {
        let snapshot = aws_sdk_ec2::types::Snapshot::builder()
            .snapshot_id(&id)
            .volume_id(&job.volume_id)
            .set_state(created.state().cloned())
            .set_volume_size(created.volume_size())
            .set_encrypted(created.encrypted())
            .set_start_time(created.start_time().cloned())
            .build();
        return Ok(images::snapshot_doc(region, &snapshot, job.instance_id.as_deref(), job.device.as_deref()));
    }
    let snapshot = if args.no_wait {
        // Found again after a lost answer: as it is now, without waiting.
        let out = ec2.describe_snapshots().snapshot_ids(&id).send().await.map_err(aws_error("DescribeSnapshots"))?;
        out.snapshots().first().cloned().ok_or_else(|| Error::failed(format!("snapshot {id} vanished")))?
    } else {
        images::wait_snapshot(ec2, region, &id, args.change.timeout.get()).await?
    };
    Ok(images::snapshot_doc(region, &snapshot, job.instance_id.as_deref(), job.device.as_deref()))
}
