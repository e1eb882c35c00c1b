//! The instances of the region (or a VPC) as targets, the VPC CIDRs the connect guard
//! allows, and EC2 Instance Connect's one-minute keys.

use crate::target::Instance;
use aws_sdk_ec2::types::Filter;
use awsops_core::error::aws_error;
use awsops_core::permissions::Grant;
use awsops_core::{Result, all_items};

/// Finding the bastion and the targets, and the VPC CIDRs the connect guard may open
/// (EC2 Describe: `*` only).
pub static LOOKUP: Grant = Grant::any("FindInstances", &["ec2:DescribeInstances", "ec2:DescribeVpcs"]);
/// `--instance-connect`: a one-minute key pushed to the bastion and the target.
pub static PUSH_KEY: Grant =
    Grant::any("PushOneMinuteKeys", &["ec2-instance-connect:SendSSHPublicKey"]).on(&[awsops_core::ec2_arn!("instance")]);

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

#[cfg(test)]
mod permission_tests {
    use super::*;
    use awsops_core::CommandCli;
    use clap::Parser;

    #[test]
    fn every_sdk_call_is_declared_by_its_module() {
        awsops_core::sdk_calls::assert_declared(env!("CARGO_MANIFEST_DIR"), &[("ec2_lookup.rs", &[&LOOKUP, &PUSH_KEY])]);
    }

    #[test]
    fn instance_connect_adds_the_key_push() {
        let needs = |args: &[&str]| {
            crate::Cli::try_parse_from(std::iter::once("bastion-ssh").chain(args.iter().copied())).unwrap().needs().unwrap()
        };
        assert_eq!(needs(&["exec", "web-1", "--", "true"]).actions(), vec!["ec2:DescribeInstances", "ec2:DescribeVpcs"]);
        assert!(needs(&["shell", "web-1", "--instance-connect"]).actions().contains(&"ec2-instance-connect:SendSSHPublicKey"));
    }
}
