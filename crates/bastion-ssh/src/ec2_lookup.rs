//! The instances of the region (or a VPC) as targets, the VPC CIDRs the connect guard
//! allows, and EC2 Instance Connect's one-minute keys.

use crate::target::Instance;
use aws_sdk_ec2::types::Filter;
use awsops_core::error::aws_error;
use awsops_core::{Result, all_items};

pub async fn instances(ec2: &aws_sdk_ec2::Client) -> Result<Vec<Instance>> {
    let reservations: Vec<_> = all_items!(
        ec2.describe_instances().filters(
            Filter::builder().name("instance-state-name").values("pending").values("running").values("stopping").values("stopped").build()
        ),
        "DescribeInstances"
    )?;
    Ok(reservations
        .iter()
        .flat_map(|r| r.instances())
        .map(|i| {
            let tags: Vec<(String, String)> =
                i.tags().iter().filter_map(|t| Some((t.key()?.to_owned(), t.value().unwrap_or_default().to_owned()))).collect();
            Instance {
                id: i.instance_id().unwrap_or_default().to_owned(),
                name: tags.iter().find(|(k, _)| k == "Name").map(|(_, v)| v.clone()),
                state: i.state().and_then(|s| s.name()).map(|n| n.as_str().to_owned()).unwrap_or_default(),
                private_ip: i.private_ip_address().map(str::to_owned),
                public_ip: i.public_ip_address().map(str::to_owned),
                vpc_id: i.vpc_id().map(str::to_owned),
                tags,
            }
        })
        .collect())
}

/// Every VPC's CIDRs, by VPC id: fetched alongside the instances (one round trip, not
/// two in a row), since which VPC matters is known only once the instances are.
pub async fn vpc_cidrs(ec2: &aws_sdk_ec2::Client) -> Result<std::collections::HashMap<String, Vec<String>>> {
    let vpcs: Vec<_> = all_items!(ec2.describe_vpcs(), "DescribeVpcs")?;
    Ok(vpcs
        .iter()
        .filter_map(|v| {
            let cidrs = v
                .cidr_block_association_set()
                .iter()
                .filter_map(|a| a.cidr_block().map(str::to_owned))
                .chain(v.cidr_block().map(str::to_owned))
                .collect();
            Some((v.vpc_id()?.to_owned(), cidrs))
        })
        .collect())
}

/// Pushes a public key for `user` to an instance for 60 seconds.
pub async fn send_key(client: &aws_sdk_ec2instanceconnect::Client, instance_id: &str, user: &str, public_key: &str) -> Result<()> {
    client
        .send_ssh_public_key()
        .instance_id(instance_id)
        .instance_os_user(user)
        .ssh_public_key(public_key)
        .send()
        .await
        .map_err(aws_error("SendSSHPublicKey"))?;
    Ok(())
}
