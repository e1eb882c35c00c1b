//! The bastion's image: the latest Amazon Linux 2023 from its public SSM parameter,
//! unless `--bastion-ami` names one; and its root device, so the root volume can be
//! requested encrypted at the image's own size.

use awsops_core::error::aws_error;
use awsops_core::permissions::Grant;
use awsops_core::{Error, Result};

/// The latest Amazon Linux 2023 image id, from AWS's public parameter (no account in its ARN).
pub static LATEST_AMAZON_LINUX: Grant = Grant::any("FindLatestAmazonLinux", &["ssm:GetParameter"])
    .on(&["arn:{partition}:ssm:{region}::parameter/aws/service/ami-amazon-linux-latest/*"]);
/// The image's root device, so the bastion's root volume is encrypted at the image's size.
pub static READ_IMAGE: Grant = Grant::any("ReadBastionImage", &["ec2:DescribeImages"]);

pub const AL2023_PARAMETER: &str = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

pub async fn latest_amazon_linux(ssm: &aws_sdk_ssm::Client) -> Result<String> {
    let out = ssm.get_parameter().name(AL2023_PARAMETER).send().await.map_err(aws_error("GetParameter"))?;
    out.parameter()
        .and_then(|p| p.value())
        .filter(|v| v.starts_with("ami-"))
        .map(str::to_owned)
        .ok_or_else(|| Error::failed(format!("SSM parameter {AL2023_PARAMETER} holds no AMI id; pass --bastion-ami")))
}

/// The image's root device name and size (GiB); an unknown image is a usage error.
pub async fn root_device(ec2: &aws_sdk_ec2::Client, ami: &str) -> Result<(String, i32)> {
    let out = ec2.describe_images().image_ids(ami).send().await.map_err(|e| {
        let err = Error::from_aws("DescribeImages", e);
        if awsops_core::error::is_not_found(&err) { Error::usage(format!("no AMI {ami} in this region")) } else { err }
    })?;
    let image = out.images().first().ok_or_else(|| Error::usage(format!("no AMI {ami} in this region")))?;
    let device = image.root_device_name().unwrap_or("/dev/xvda").to_owned();
    let size = image
        .block_device_mappings()
        .iter()
        .find(|m| m.device_name() == Some(device.as_str()))
        .and_then(|m| m.ebs())
        .and_then(|e| e.volume_size())
        .unwrap_or(8);
    Ok((device, size))
}
