//! What still uses an image, which keeps it from being pruned. DescribeImageReferences
//! answers for every resource type where the endpoint has it; an endpoint without it
//! (moto answers HTTP 500, older partitions `UnknownOperation`) is found out by one probe
//! sent without retries, never retried, and the users are then found by describing
//! instances (not terminated) and every launch template version. Each lookup is sent in
//! batches of the API's maximum size, the batches concurrently (at most `jobs` at once),
//! so 1,000 images cost a few round trips of wall time, not a hundred in a row.

use aws_config::retry::RetryConfig;
use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::ImageReference;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use awsops_core::all_items;
use awsops_core::batch::at_most;
use awsops_core::ec2::filter;
use awsops_core::permissions::Grant;
use awsops_core::{Error, Result};
use std::collections::BTreeMap;

/// What still uses an image (instances, launch templates, other references) keeps it.
pub static READ_REFERENCES: Grant = Grant::any(
    "ReadImageUsers",
    &["ec2:DescribeImageReferences", "ec2:DescribeInstances", "ec2:DescribeLaunchTemplateVersions", "ec2:DescribeLaunchTemplates"],
);

/// DescribeImageReferences takes at most 10 image ids per call (EC2 API reference).
pub const REFERENCE_BATCH: usize = 10;
/// EC2 takes at most 200 values per filter.
pub const FILTER_BATCH: usize = 200;

/// Image id → who uses it (an ARN, an instance id, or `launch template NAME vN`).
pub type Users = BTreeMap<String, Vec<String>>;

/// The users of each of `ids`; an image nobody uses has no entry.
pub async fn image_users(ec2: &Client, ids: &[String], jobs: usize) -> Result<Users> {
    let batches: Vec<Vec<String>> = ids.chunks(REFERENCE_BATCH).map(<[String]>::to_vec).collect();
    let Some((first, rest)) = batches.split_first() else { return Ok(Users::new()) };
    match probe_references(ec2, first).await {
        Probe::Supported(mut users) => {
            let results = at_most(rest.iter().map(|batch| references(ec2, batch, None)), jobs).await;
            for found in results {
                merge(&mut users, found?);
            }
            Ok(users)
        }
        Probe::Unsupported(why) => {
            tracing::debug!("DescribeImageReferences unavailable ({why}); describing instances and launch templates");
            let (instances, templates) = futures_util::future::join(instance_users(ec2, ids, jobs), template_users(ec2, ids, jobs)).await;
            let mut users = instances?;
            merge(&mut users, templates?);
            Ok(users)
        }
    }
}

enum Probe {
    Supported(Users),
    Unsupported(String),
}

/// Whether an answer to an operation says the endpoint does not have it, rather than that
/// this call failed: a retry cannot change either. A 500 or 501 that names no error code
/// is an emulator's "not implemented" (AWS's own internal errors carry `InternalError`).
pub fn is_unsupported(status: Option<u16>, code: Option<&str>) -> bool {
    match code {
        Some(code) => {
            matches!(code, "UnknownOperation" | "UnknownOperationException" | "InvalidAction" | "UnsupportedOperation" | "NotImplemented")
        }
        None => matches!(status, Some(500 | 501)),
    }
}

/// The first batch, sent once without retries: it answers whether the endpoint has the
/// operation. An error that is not "unsupported" (throttling, a dropped connection) sends
/// the batch again with the usual retries; denied access also falls back, as before.
async fn probe_references(ec2: &Client, batch: &[String]) -> Probe {
    let once = ec2
        .describe_image_references()
        .set_image_ids(Some(batch.to_vec()))
        .include_all_resource_types(true)
        .customize()
        .config_override(aws_sdk_ec2::config::Builder::default().retry_config(RetryConfig::disabled()))
        .send()
        .await;
    let first_page = match once {
        Ok(page) => page,
        Err(e) => {
            let status = e.raw_response().map(|r| r.status().as_u16());
            if is_unsupported(status, e.code()) {
                return Probe::Unsupported(format!("HTTP {}, code {}", status.unwrap_or_default(), e.code().unwrap_or("none")));
            }
            return match references(ec2, batch, None).await {
                Ok(users) => Probe::Supported(users),
                Err(e) => Probe::Unsupported(e.to_string()),
            };
        }
    };
    let mut users = referenced(first_page.image_references());
    let Some(token) = first_page.next_token().filter(|t| !t.is_empty()) else { return Probe::Supported(users) };
    match references(ec2, batch, Some(token)).await {
        Ok(more) => {
            merge(&mut users, more);
            Probe::Supported(users)
        }
        Err(e) => Probe::Unsupported(e.to_string()),
    }
}

/// One batch's references, from its first page or from `token` on.
async fn references(ec2: &Client, batch: &[String], token: Option<&str>) -> Result<Users> {
    let refs: Vec<_> = all_items!(
        ec2.describe_image_references()
            .set_image_ids(Some(batch.to_vec()))
            .include_all_resource_types(true)
            .set_next_token(token.map(str::to_owned)),
        "DescribeImageReferences"
    )?;
    Ok(referenced(&refs))
}

fn referenced(refs: &[ImageReference]) -> Users {
    refs.iter().filter_map(|r| Some((r.image_id()?.to_owned(), r.arn()?.to_owned()))).fold(Users::new(), collect)
}

fn collect(mut users: Users, (image, user): (String, String)) -> Users {
    users.entry(image).or_default().push(user);
    users
}

fn merge(into: &mut Users, from: Users) {
    for (image, users) in from {
        into.entry(image).or_default().extend(users);
    }
}

/// Instances not terminated that run one of `ids`: 200 image ids per call, concurrently.
async fn instance_users(ec2: &Client, ids: &[String], jobs: usize) -> Result<Users> {
    let lookups = ids.chunks(FILTER_BATCH).map(|chunk| async move {
        let reservations: Vec<_> = all_items!(
            ec2.describe_instances()
                .filters(filter("image-id", chunk.to_vec()))
                .filters(filter("instance-state-name", ["pending", "running", "shutting-down", "stopping", "stopped"])),
            "DescribeInstances"
        )?;
        Ok::<_, Error>(
            reservations
                .iter()
                .flat_map(|r| r.instances())
                .filter_map(|i| Some((i.image_id()?.to_owned(), i.instance_id()?.to_owned())))
                .fold(Users::new(), collect),
        )
    });
    let mut users = Users::new();
    for found in at_most(lookups, jobs).await {
        merge(&mut users, found?);
    }
    Ok(users)
}

/// Launch template versions naming one of `ids`: every template's versions, concurrently.
async fn template_users(ec2: &Client, ids: &[String], jobs: usize) -> Result<Users> {
    let templates: Vec<_> = all_items!(ec2.describe_launch_templates(), "DescribeLaunchTemplates")?;
    let lookups = templates.iter().filter_map(|t| Some((t.launch_template_id()?, t.launch_template_name()))).map(|(id, name)| async move {
        let versions: Vec<_> =
            all_items!(ec2.describe_launch_template_versions().launch_template_id(id), "DescribeLaunchTemplateVersions")?;
        Ok::<_, Error>(
            versions
                .iter()
                .filter_map(|v| {
                    let image = v.launch_template_data()?.image_id()?;
                    ids.iter().any(|i| i == image).then(|| {
                        (image.to_owned(), format!("launch template {} v{}", name.unwrap_or(id), v.version_number().unwrap_or_default()))
                    })
                })
                .fold(Users::new(), collect),
        )
    });
    let mut users = Users::new();
    for found in at_most(lookups, jobs).await {
        merge(&mut users, found?);
    }
    Ok(users)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsupported_is_a_missing_operation_not_a_failed_call() {
        assert!(is_unsupported(Some(500), None), "moto's not implemented");
        assert!(is_unsupported(Some(501), None));
        assert!(is_unsupported(Some(400), Some("UnknownOperation")));
        assert!(is_unsupported(Some(400), Some("InvalidAction")));
        assert!(!is_unsupported(Some(500), Some("InternalError")), "AWS's own 500s are retried");
        assert!(!is_unsupported(Some(503), None));
        assert!(!is_unsupported(Some(400), Some("RequestLimitExceeded")));
        assert!(!is_unsupported(Some(403), Some("UnauthorizedOperation")));
        assert!(!is_unsupported(None, None), "no response at all (a dropped connection) is not an answer");
    }

    #[test]
    fn users_merge_per_image() {
        let mut users = Users::from([("ami-1".to_owned(), vec!["i-1".to_owned()])]);
        merge(&mut users, Users::from([("ami-1".to_owned(), vec!["lt".to_owned()]), ("ami-2".to_owned(), vec!["i-2".to_owned()])]));
        assert_eq!(users["ami-1"], ["i-1", "lt"]);
        assert_eq!(users["ami-2"], ["i-2"]);
    }
}
