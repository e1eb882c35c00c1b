//! `ami-snap create`: an AMI of each selected instance (by id or by tag), without a
//! reboot unless asked, tagged with its group and source at creation (image and
//! snapshots), waited for, and printed as `ami` documents. An image of the same name
//! that exists already is reported, not made twice.

use crate::images::{self, GROUP_TAG, SOURCE_INSTANCE_TAG, TOOL};
use crate::name_template::{self, Facts};
use crate::plan::Plan;
use crate::{ChangeArgs, parse_tag};
use aws_sdk_ec2::Client;
use aws_sdk_ec2::error::ProvideErrorMetadata;
use aws_sdk_ec2::types::{Instance, ResourceType};
use awsops_core::batch::Batch;
use awsops_core::create_once::create_once;
use awsops_core::ec2::one_attempt;
use awsops_core::ec2::{filter, name, tag_spec};
use awsops_core::error::aws_error;
use awsops_core::output::Output;
use awsops_core::ownership::{NAME_TAG, TOOL_TAG};
use awsops_core::permissions::Grant;
use awsops_core::{CommonArgs, Error, Outcome, Result};
use clap::Args;

/// Imaging instances the user selected (not ami-snap's own, so no tag condition).
pub static IMAGE_INSTANCES: Grant = Grant::any("ImageInstances", &["ec2:CreateImage"]).on(&[awsops_core::ec2_arn!("instance")]);
/// The image and its snapshots, created with ami-snap's tags (EC2 image and snapshot ARNs have no account).
pub static CREATE_IMAGES: Grant = Grant::any("CreateImages", &["ec2:CreateImage"])
    .on(&["arn:{partition}:ec2:{region}::image/*", "arn:{partition}:ec2:{region}::snapshot/*"])
    .tags_on_create();
/// Tagging the image's snapshots that EC2 left untagged, with ami-snap's tags only.
pub static TAG_IMAGE_SNAPSHOTS: Grant =
    Grant::any("TagImageSnapshots", &["ec2:CreateTags"]).on(&["arn:{partition}:ec2:{region}::snapshot/*"]).tags_on_create();

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// Instances to image (repeat or comma-separate)
    #[arg(long = "instance", value_delimiter = ',', value_name = "INSTANCE_ID", required_unless_present = "select")]
    pub instances: Vec<String>,
    /// Image every instance with this tag (repeatable)
    #[arg(long = "select", value_name = "KEY=VALUE")]
    pub select: Vec<String>,
    /// The image name: {name} (the instance's Name tag, else its id), {instance}, {date}, {time}, {timestamp}
    #[arg(long, default_value = name_template::DEFAULT_TEMPLATE, value_name = "TEMPLATE", env = "AWSOPS_AMI_NAME")]
    pub name: String,
    /// The retention group prune uses [default: the instance's Name tag, else its id]
    #[arg(long, value_name = "GROUP", env = "AWSOPS_AMI_GROUP")]
    pub group: Option<String>,
    /// Reboot the instance for a file-system-consistent image [default: no reboot]
    #[arg(long)]
    pub reboot: bool,
    /// An extra tag on the image and its snapshots (repeatable)
    #[arg(long = "tag", value_name = "KEY=VALUE")]
    pub tags: Vec<String>,
    /// Print the documents as soon as the images are requested, without waiting
    #[arg(long)]
    pub no_wait: bool,
    #[command(flatten)]
    pub change: ChangeArgs,
    #[command(flatten)]
    pub fleet: awsops_core::fleet::FleetArgs,
}

/// One image to make.
struct Job {
    instance_id: String,
    name: String,
    group: String,
    tags: Vec<(String, String)>,
}

fn jobs(args: &CreateArgs, instances: &[Instance], extra: &[(String, String)], now: &str) -> Result<Vec<Job>> {
    instances
        .iter()
        .map(|i| {
            let id = i.instance_id().unwrap_or_default();
            let label = name(i.tags()).unwrap_or(id);
            let image_name = name_template::expand(&args.name, &Facts { name: label, instance_id: id, now_rfc3339: now })?;
            let group = args.group.clone().unwrap_or_else(|| label.to_owned());
            let mut tags = vec![
                (NAME_TAG.to_owned(), image_name.clone()),
                (TOOL_TAG.to_owned(), TOOL.to_owned()),
                (GROUP_TAG.to_owned(), group.clone()),
                (SOURCE_INSTANCE_TAG.to_owned(), id.to_owned()),
            ];
            tags.extend(extra.iter().cloned());
            Ok(Job { instance_id: id.to_owned(), name: image_name, group, tags })
        })
        .collect()
}

pub async fn run(common: &CommonArgs, args: CreateArgs) -> Result<Outcome> {
    name_template::check(&args.name)?;
    let select = args.select.iter().map(|t| crate::parse_pair(t)).collect::<Result<Vec<_>>>()?;
    let extra = args.tags.iter().map(|t| parse_tag(t)).collect::<Result<Vec<_>>>()?;
    if let Some(bad) = args.instances.iter().find(|i| !i.starts_with("i-")) {
        return Err(Error::usage(format!("--instance {bad:?}: expected an instance id (i-…)")));
    }
    if let Some(plan) = args.fleet.plan_from_env()? {
        if !args.instances.is_empty() {
            return Err(Error::usage("--instance names one account's instances: select them with --select KEY=VALUE in a fleet run"));
        }
        let _lock = args.change.lock()?;
        let (select, extra, args) = (&select, &extra, &args);
        return crate::fleet_run::over_targets(
            common,
            plan,
            &[],
            args.change.jobs,
            |_| Ok(()),
            |target, config, mut out| async move {
                let region = crate::fleet_run::region_of(&target);
                let result = create_in(&images::client_in(&config, &region), &region, args, select, extra, &mut out).await;
                (out, result.map(|_| ()))
            },
        )
        .await;
    }
    let config = common.aws.load().await?;
    let region = config.region().map(ToString::to_string).unwrap_or_default();
    let ec2 = images::client_in(&config, &region);
    let _lock = args.change.lock()?;
    create_in(&ec2, &region, &args, &select, &extra, &mut Output::stdout()).await
}

/// The images of the selected instances in one account and region (or the plan of them).
async fn create_in<W: std::io::Write>(
    ec2: &Client,
    region: &str,
    args: &CreateArgs,
    select: &[(String, String)],
    extra: &[(String, String)],
    out: &mut Output<W>,
) -> Result<Outcome> {
    let instances = images::select_instances(ec2, region, &args.instances, select, !args.fleet.is_set()).await?;
    let now = aws_smithy_types::DateTime::from(std::time::SystemTime::now())
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .map_err(|e| Error::failed(e.to_string()))?;
    let jobs = jobs(args, &instances, extra, &now)?;
    if args.change.dry_run.is_set() {
        let mut plan = Plan::new("create");
        for job in &jobs {
            plan.add(
                "CreateImage",
                region,
                &job.instance_id,
                &[("name", job.name.clone()), ("group", job.group.clone()), ("reboot", args.reboot.to_string())],
            );
        }
        out.emit(&plan)?;
        return Ok(Outcome::Success);
    }
    let results = awsops_core::batch::at_most(jobs.iter().map(|job| create_one(ec2, region, job, args)), args.change.jobs).await;
    let mut batch = Batch::new();
    for (job, result) in jobs.iter().zip(results) {
        if let Some(doc) = batch.record(&job.instance_id, result)? {
            out.emit(&doc)?;
        }
    }
    batch.finish()
}

async fn create_one(ec2: &Client, region: &str, job: &Job, args: &CreateArgs) -> Result<awsops_core::kinds::AmiDoc> {
    // Image names are unique per account and region: an image of this name is this run's
    // earlier attempt (or a same-minute re-run); report it instead of failing on a duplicate.
    let existing = images::own_images(ec2, vec![filter("name", [job.name.clone()])]).await?;
    let (image_id, created_now) = match existing.first().and_then(|i| i.image_id()) {
        Some(id) => (id.to_owned(), false),
        None => (request_image(ec2, job, args.reboot).await?, true),
    };
    tracing::info!("{}: image {image_id} ({})", job.instance_id, job.name);
    let image = if args.no_wait {
        images::describe_image(ec2, region, &image_id).await?
    } else {
        images::wait_image(ec2, region, &image_id, args.change.timeout.get()).await?
    };
    tag_untagged_snapshots(ec2, &image, &job.tags).await?;
    Ok(images::ami_doc(region, &image, created_now))
}

/// CreateImage with the tags on the image and its snapshots in the call itself, sent
/// once per attempt (`create_once`): the name is unique in the account and region, so a
/// lost answer is found again by name instead of being sent twice. Some endpoints (moto 5)
/// fail on snapshot tags in the call; then the image is requested with its own tags only,
/// and the snapshots are tagged once they exist.
async fn request_image(ec2: &Client, job: &Job, reboot: bool) -> Result<String> {
    let snapshot_tags = std::sync::atomic::AtomicBool::new(true);
    let call = |snapshot_tags: bool| {
        let mut call = ec2
            .create_image()
            .instance_id(&job.instance_id)
            .name(&job.name)
            .description(format!("ami-snap of {} (group {})", job.instance_id, job.group))
            .no_reboot(!reboot)
            .tag_specifications(tag_spec(ResourceType::Image, &job.tags));
        if snapshot_tags {
            call = call.tag_specifications(tag_spec(ResourceType::Snapshot, &job.tags));
        }
        call
    };
    create_once(
        "CreateImage",
        || async {
            let with_snapshot_tags = snapshot_tags.load(std::sync::atomic::Ordering::SeqCst);
            let result = call(with_snapshot_tags).customize().config_override(one_attempt()).send().await;
            if let Err(e) = &result
                && with_snapshot_tags
                && e.raw_response().is_some_and(|r| r.status().is_server_error())
                && e.code().is_none()
            {
                tracing::debug!(
                    "{}: CreateImage with snapshot tags failed on the server; tagging the snapshots afterwards",
                    job.instance_id
                );
                snapshot_tags.store(false, std::sync::atomic::Ordering::SeqCst);
            }
            result.map(|out| out.image_id().unwrap_or_default().to_owned())
        },
        || async {
            let found = images::own_images(ec2, vec![filter("name", [job.name.clone()])]).await?;
            Ok(found.iter().filter_map(|i| i.image_id()).min().map(str::to_owned))
        },
    )
    .await
    .and_then(|id| awsops_core::create_once::nonempty_id("CreateImage", id))
}

/// Tags the image's snapshots that lack ami-snap's tag (after the fallback above, or on
/// a re-run after a crash between the two steps).
async fn tag_untagged_snapshots(ec2: &Client, image: &aws_sdk_ec2::types::Image, tags: &[(String, String)]) -> Result<()> {
    let ids = images::snapshot_ids(image);
    if ids.is_empty() {
        return Ok(());
    }
    let snapshots = ec2.describe_snapshots().set_snapshot_ids(Some(ids)).send().await.map_err(aws_error("DescribeSnapshots"))?;
    let untagged: Vec<String> = snapshots
        .snapshots()
        .iter()
        .filter(|s| awsops_core::ec2::tag_value(s.tags(), TOOL_TAG).is_none())
        .filter_map(|s| s.snapshot_id().map(str::to_owned))
        .collect();
    if untagged.is_empty() {
        return Ok(());
    }
    let tag_list: Vec<aws_sdk_ec2::types::Tag> =
        tags.iter().map(|(k, v)| aws_sdk_ec2::types::Tag::builder().key(k).value(v).build()).collect();
    ec2.create_tags().set_resources(Some(untagged)).set_tags(Some(tag_list)).send().await.map_err(aws_error("CreateTags"))?;
    Ok(())
}
