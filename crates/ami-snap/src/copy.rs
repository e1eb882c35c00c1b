//! `ami-snap copy`: images to one or more regions at once, encrypted with a KMS key per
//! region if asked, with client tokens, the source's tags plus tags naming the source
//! image; a region already holding a copy of the source is skipped, so re-runs converge.
//! Takes `ami` documents from stdin (`ami-snap create | ami-snap copy --to …`) or --image.

use crate::copy_encryption::{COPY_ENCRYPTION_TAG, CopyEncryption};
use crate::images::{self, SOURCE_IMAGE_TAG, SOURCE_REGION_TAG, TOOL};
use crate::plan::Plan;
use crate::{ChangeArgs, check_regions_exist};
use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{Image, ResourceType, Tag};
use awsops_core::batch::Batch;
use awsops_core::ec2::{filter, tag_spec, tag_value};
use awsops_core::error::aws_error;
use awsops_core::kinds::AmiDoc;
use awsops_core::output::Output;
use awsops_core::ownership::TOOL_TAG;
use awsops_core::permissions::Grant;
use awsops_core::{CommonArgs, Error, Outcome, Result};
use clap::Args;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Copying images into the target regions, created (and tagged again) with ami-snap's tags.
pub static COPY_IMAGES: Grant = Grant::any("CopyImages", &["ec2:CopyImage", "ec2:CreateTags"])
    .on(&["arn:{partition}:ec2:{region}::image/*", "arn:{partition}:ec2:{region}::snapshot/*"])
    .tags_on_create();
/// EC2 encrypts a copy with a customer key (--kms-key) using the caller's permissions on it.
pub static USE_COPY_KEYS: Grant = Grant::any(
    "UseCopyKeys",
    &["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
)
.on(&["arn:{partition}:kms:{region}:{account}:key/*"]);

#[derive(Args, Debug)]
pub struct CopyArgs {
    /// Regions to copy to (repeat or comma-separate)
    #[arg(long = "to", value_delimiter = ',', value_name = "REGION", required = true, env = "AWSOPS_AMI_COPY_TO")]
    pub to: Vec<String>,
    /// Images to copy from the configured region, instead of `ami` documents on stdin
    #[arg(long = "image", value_delimiter = ',', value_name = "AMI_ID")]
    pub images: Vec<String>,
    /// Read `ami` documents from FILE (`-` for stdin); without it, stdin when it is a pipe or file
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    /// Encrypt the copies with the region's default EBS key unless --kms-key names one (the default; kept for scripts that pass it)
    #[arg(long, conflicts_with = "no_encrypt")]
    pub encrypt: bool,
    /// Do not encrypt the copies (their volumes keep the source's encryption)
    #[arg(long)]
    pub no_encrypt: bool,
    /// The KMS key for one region's copies: REGION=KEY_ID_OR_ARN (repeatable)
    #[arg(long = "kms-key", value_name = "REGION=KEY")]
    pub kms_keys: Vec<String>,
    /// Print the documents as soon as the copies are requested, without waiting
    #[arg(long)]
    pub no_wait: bool,
    #[command(flatten)]
    pub change: ChangeArgs,
    #[command(flatten)]
    pub fleet: awsops_core::fleet::FleetArgs,
}

/// The source images: from --image, or from `ami` documents.
pub async fn sources(
    ec2_in: impl Fn(&str) -> Client,
    home: &str,
    ids: &[String],
    from: Option<&std::path::Path>,
) -> Result<Vec<(String, Image)>> {
    let mut wanted: Vec<(String, String)> = ids.iter().map(|id| (home.to_owned(), id.clone())).collect();
    if ids.is_empty() {
        let docs: Vec<AmiDoc> = awsops_core::input::read(from)?;
        if docs.is_empty() {
            return Err(Error::usage("no images: pass --image AMI_ID or pipe in `ami` documents (from ami-snap create or list)"));
        }
        // A document's region picks the endpoint: checked like a flag, before any call.
        for d in &docs {
            awsops_core::aws_config::known_region(&d.region)?;
        }
        wanted.extend(docs.into_iter().map(|d| (d.region, d.image_id)));
    }
    describe_sources(ec2_in, wanted).await
}

/// Each (region, image id), described in its region; an id that is not one is a usage error.
async fn describe_sources(ec2_in: impl Fn(&str) -> Client, mut wanted: Vec<(String, String)>) -> Result<Vec<(String, Image)>> {
    if let Some((_, bad)) = wanted.iter().find(|(_, id)| !id.starts_with("ami-")) {
        return Err(Error::usage(format!("{bad:?}: expected an image id (ami-…)")));
    }
    wanted.dedup();
    futures_util::future::try_join_all(wanted.into_iter().map(|(region, id)| {
        let ec2 = ec2_in(&region);
        async move {
            let image = images::describe_image(&ec2, &region, &id).await?;
            Ok::<_, Error>((region, image))
        }
    }))
    .await
}

fn kms_keys(args: &CopyArgs) -> Result<BTreeMap<String, String>> {
    let mut keys = BTreeMap::new();
    if args.no_encrypt && !args.kms_keys.is_empty() {
        return Err(Error::usage("--no-encrypt and --kms-key contradict each other: drop one"));
    }
    for spec in &args.kms_keys {
        let (region, key) =
            crate::parse_pair(spec).map_err(|_| Error::usage(format!("--kms-key {spec:?}: expected REGION=KEY_ID_OR_ARN")))?;
        awsops_core::aws_config::known_region(&region)?;
        if !args.to.contains(&region) {
            return Err(Error::usage(format!("--kms-key {spec:?}: {region} is not among --to")));
        }
        keys.insert(region, key);
    }
    Ok(keys)
}

/// One copy to make (or find).
struct Job<'a> {
    source_region: &'a str,
    source: &'a Image,
    target: &'a str,
    encryption: CopyEncryption,
}

impl Job<'_> {
    fn source_id(&self) -> &str {
        self.source.image_id().unwrap_or_default()
    }

    fn label(&self) -> String {
        format!("{} -> {}", self.source_id(), self.target)
    }

    /// Idempotent across re-runs within EC2's token window, and unique per (source,
    /// target, encryption): a copy asked for with other encryption is another copy.
    fn client_token(&self) -> String {
        format!("ami-snap-{}-{}-{}", self.source_id(), self.target, self.encryption.token_part())
    }
}

pub async fn run(common: &CommonArgs, args: CopyArgs) -> Result<Outcome> {
    for r in &args.to {
        awsops_core::aws_config::known_region(r)?;
    }
    let keys = kms_keys(&args)?;
    if let Some(plan) = args.fleet.plan_from_env()? {
        return run_fleet(common, plan, &args, &keys).await;
    }
    let config = common.aws.load().await?;
    let home = config.region().map(ToString::to_string).unwrap_or_default();
    let ec2_in = |r: &str| images::client_in(&config, r);
    check_regions_exist(&ec2_in(&home), &args.to).await?;
    let sources = sources(ec2_in, &home, &args.images, args.from.as_deref()).await?;
    let _lock = args.change.lock()?;
    copy_to(ec2_in, &sources, &args.to, &args, &keys, &mut Output::stdout()).await
}

/// A fleet copy: each `ami` document (of a fleet run: it names its account) is copied
/// within its account, to each --to region, one (account, region) target at a time.
async fn run_fleet(
    common: &CommonArgs,
    plan: awsops_core::fleet::FleetPlan,
    args: &CopyArgs,
    keys: &BTreeMap<String, String>,
) -> Result<Outcome> {
    if !args.images.is_empty() {
        return Err(Error::usage(
            "--image names one account's images: pipe in the `ami` documents of a fleet run (they carry their account)",
        ));
    }
    let docs: Vec<AmiDoc> = awsops_core::input::read(args.from.as_deref())?;
    if docs.is_empty() {
        return Err(Error::usage("no images: pipe in `ami` documents of a fleet run (ami-snap create or list with --accounts or --org)"));
    }
    let mut accounts = Vec::new();
    for d in &docs {
        awsops_core::aws_config::known_region(&d.region)?;
        match &d.account {
            Some(account) => accounts.push(account.clone()),
            None => {
                return Err(Error::usage(format!(
                    "image {}: the document names no account; a fleet copy takes documents of a fleet run",
                    d.image_id
                )));
            }
        }
    }
    accounts.sort();
    accounts.dedup();
    let fleet = awsops_core::fleet::Fleet::connect(common.aws.load().await?, plan, crate::NAME).await?;
    let targets = fleet.targets_among(&accounts, &args.to).await?;
    let _lock = args.change.lock()?;
    let docs = &docs;
    let work = |target: awsops_core::fleet_targets::Target, config: aws_config::SdkConfig, mut out: Output<Vec<u8>>| async move {
        let to = crate::fleet_run::region_of(&target);
        let result = async {
            let wanted: Vec<(String, String)> = docs
                .iter()
                .filter(|d| d.account.as_deref() == Some(target.account.as_str()))
                .map(|d| (d.region.clone(), d.image_id.clone()))
                .collect();
            let ec2_in = |r: &str| images::client_in(&config, r);
            let sources = describe_sources(ec2_in, wanted).await?;
            copy_to(ec2_in, &sources, std::slice::from_ref(&to), args, keys, &mut out).await.map(|_| ())
        }
        .await;
        (out, result)
    };
    fleet.run(targets, args.change.jobs, &mut Output::stdout(), work, |_, _| {}).await?.finish()?;
    Ok(Outcome::Success)
}

/// Copies (or, in a dry run, plans) every source to every region of `to`.
async fn copy_to<W: std::io::Write>(
    ec2_in: impl Fn(&str) -> Client,
    sources: &[(String, Image)],
    to: &[String],
    args: &CopyArgs,
    keys: &BTreeMap<String, String>,
    out: &mut Output<W>,
) -> Result<Outcome> {
    let mut jobs = Vec::new();
    for (region, image) in sources {
        for target in to {
            if target == region {
                tracing::warn!("{}: already in {target}; not copying it onto itself", image.image_id().unwrap_or_default());
                continue;
            }
            jobs.push(Job {
                source_region: region,
                source: image,
                target,
                encryption: CopyEncryption::chosen(args.no_encrypt, keys.get(target)),
            });
        }
    }
    if args.change.dry_run.is_set() {
        let mut plan = Plan::new("copy");
        for job in &jobs {
            let existing = find_copy(&ec2_in(job.target), job).await?;
            let mut detail = vec![("source_region", job.source_region.to_owned()), ("encrypted", job.encryption.encrypted().to_string())];
            if let Some(key) = job.encryption.kms_key() {
                detail.push(("kms_key", key.to_owned()));
            }
            match existing {
                Some(found) => {
                    detail.push(("exists", found.image_id().unwrap_or_default().to_owned()));
                    plan.add("Skip", job.target, job.source_id(), &detail);
                }
                None => plan.add("CopyImage", job.target, job.source_id(), &detail),
            }
        }
        out.emit(&plan)?;
        return Ok(Outcome::Success);
    }
    let results = awsops_core::batch::at_most(jobs.iter().map(|job| copy_one(ec2_in(job.target), job, args)), args.change.jobs).await;
    let mut batch = Batch::new();
    for (job, result) in jobs.iter().zip(results) {
        if let Some(doc) = batch.record(&job.label(), result)? {
            out.emit(&doc)?;
        }
    }
    batch.finish()
}

/// A copy of the job's source that an earlier run made in this region with the same
/// encryption, found by its tags.
async fn find_copy(ec2: &Client, job: &Job<'_>) -> Result<Option<Image>> {
    let (source, source_region) = (job.source_id(), job.source_region);
    let found = images::own_images(ec2, vec![filter(&format!("tag:{SOURCE_IMAGE_TAG}"), [source.to_owned()])]).await?;
    Ok(found.into_iter().find(|i| {
        let any_encrypted = i.block_device_mappings().iter().any(|m| m.ebs().and_then(|e| e.encrypted()) == Some(true));
        tag_value(i.tags(), SOURCE_IMAGE_TAG) == Some(source)
            && tag_value(i.tags(), SOURCE_REGION_TAG).is_none_or(|r| r == source_region)
            && CopyEncryption::of_copy(tag_value(i.tags(), COPY_ENCRYPTION_TAG), any_encrypted).as_ref() == Some(&job.encryption)
            && !matches!(i.state().map(|s| s.as_str()), Some("failed" | "deregistered" | "error" | "invalid"))
    }))
}

async fn copy_one(ec2: Client, job: &Job<'_>, args: &CopyArgs) -> Result<AmiDoc> {
    let ec2 = &ec2;
    let (image_id, created_now) = match find_copy(ec2, job).await? {
        Some(found) => {
            tracing::info!("{}: {} exists already", job.label(), found.image_id().unwrap_or_default());
            (found.image_id().unwrap_or_default().to_owned(), false)
        }
        None => {
            let tags = copy_tags(job.source.tags(), job.source_id(), job.source_region, &job.encryption);
            let out = ec2
                .copy_image()
                .source_image_id(job.source_id())
                .source_region(job.source_region)
                .name(job.source.name().unwrap_or(job.source_id()))
                .description(format!("ami-snap copy of {} from {}", job.source_id(), job.source_region))
                .encrypted(job.encryption.encrypted())
                .set_kms_key_id(job.encryption.kms_key().map(str::to_owned))
                .client_token(job.client_token())
                .tag_specifications(tag_spec(ResourceType::Image, &tags))
                .send()
                .await
                .map_err(aws_error("CopyImage"))?;
            let id = out.image_id().ok_or_else(|| Error::failed("CopyImage returned no image id"))?.to_owned();
            // Tagged again after the call: not every endpoint applies tag specifications
            // on CopyImage, and these tags are how a re-run finds the copy.
            let tag_list: Vec<Tag> = tags.iter().map(|(k, v)| Tag::builder().key(k).value(v).build()).collect();
            awsops_core::ec2::settle("CreateTags", || ec2.create_tags().resources(&id).set_tags(Some(tag_list.clone())).send()).await?;
            (id, true)
        }
    };
    let image = if args.no_wait {
        images::describe_image(ec2, job.target, &image_id).await?
    } else {
        images::wait_image(ec2, job.target, &image_id, args.change.timeout.get()).await?
    };
    Ok(images::ami_doc(job.target, &image, created_now))
}

/// The source's own tags (but not AWS-reserved ones), plus ami-snap's and the source's id and region.
fn copy_tags(source_tags: &[Tag], source: &str, source_region: &str, encryption: &CopyEncryption) -> Vec<(String, String)> {
    let mut tags: Vec<(String, String)> = source_tags
        .iter()
        .filter_map(|t| Some((t.key()?.to_owned(), t.value().unwrap_or_default().to_owned())))
        .filter(|(k, _)| {
            !k.starts_with("aws:") && k != SOURCE_IMAGE_TAG && k != SOURCE_REGION_TAG && k != TOOL_TAG && k != COPY_ENCRYPTION_TAG
        })
        .collect();
    tags.push((TOOL_TAG.to_owned(), TOOL.to_owned()));
    tags.push((SOURCE_IMAGE_TAG.to_owned(), source.to_owned()));
    tags.push((SOURCE_REGION_TAG.to_owned(), source_region.to_owned()));
    tags.push((COPY_ENCRYPTION_TAG.to_owned(), encryption.tag_value()));
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_keep_the_source_tags_and_name_their_source() {
        let source = [
            Tag::builder().key("Name").value("web").build(),
            Tag::builder().key("aws:cloudformation:stack-name").value("x").build(),
            Tag::builder().key(SOURCE_IMAGE_TAG).value("ami-older").build(),
        ];
        let tags = copy_tags(&source, "ami-1", "ap-northeast-2", &CopyEncryption::DefaultKey);
        assert_eq!(
            tags,
            vec![
                ("Name".to_owned(), "web".to_owned()),
                (TOOL_TAG.to_owned(), TOOL.to_owned()),
                (SOURCE_IMAGE_TAG.to_owned(), "ami-1".to_owned()),
                (SOURCE_REGION_TAG.to_owned(), "ap-northeast-2".to_owned()),
                (COPY_ENCRYPTION_TAG.to_owned(), "default-key".to_owned()),
            ]
        );
    }
}
