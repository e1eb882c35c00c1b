//! What a stack owns in the emulator, read with the AWS SDK independently of the command
//! under test: every live resource tagged `awsops:stack=STACK` of every type vpc-bootstrap
//! makes. The tests and the fault benchmark count duplicates and leaks with it.

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{Filter, Tag};

/// An EC2 client for the emulator at `endpoint`, with the tests' static credentials.
pub fn client(endpoint: &str, region: &str) -> Client {
    let config = aws_sdk_ec2::Config::builder()
        .behavior_version(aws_sdk_ec2::config::BehaviorVersion::latest())
        .region(aws_sdk_ec2::config::Region::new(region.to_owned()))
        .endpoint_url(endpoint)
        .credentials_provider(aws_sdk_ec2::config::Credentials::new("testing", "testing", None, None, "static"))
        .build();
    Client::from_conf(config)
}

/// An EC2 filter with one value.
pub fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

/// A resource's tag value.
pub fn tag<'a>(tags: &'a [Tag], key: &str) -> Option<&'a str> {
    tags.iter().find(|t| t.key() == Some(key)).and_then(Tag::value)
}

/// Every live resource tagged awsops:stack=STACK, of every type vpc-bootstrap makes.
/// (Not DescribeTags: moto keeps the tags of deleted resources.)
pub async fn owned(c: &Client, stack: &str) -> Vec<String> {
    let f = || filter("tag:awsops:stack", stack);
    let owned = |tags: &[Tag]| tag(tags, "awsops:stack") == Some(stack);
    let mut ids = Vec::new();
    let vpcs = c.describe_vpcs().filters(f()).send().await.expect("DescribeVpcs");
    ids.extend(vpcs.vpcs().iter().filter(|v| owned(v.tags())).filter_map(|v| v.vpc_id()).map(str::to_owned));
    let subnets = c.describe_subnets().filters(f()).send().await.expect("DescribeSubnets");
    ids.extend(subnets.subnets().iter().filter(|v| owned(v.tags())).filter_map(|v| v.subnet_id()).map(str::to_owned));
    let igws = c.describe_internet_gateways().filters(f()).send().await.expect("DescribeInternetGateways");
    ids.extend(igws.internet_gateways().iter().filter(|v| owned(v.tags())).filter_map(|v| v.internet_gateway_id()).map(str::to_owned));
    let tables = c.describe_route_tables().filters(f()).send().await.expect("DescribeRouteTables");
    ids.extend(tables.route_tables().iter().filter(|v| owned(v.tags())).filter_map(|v| v.route_table_id()).map(str::to_owned));
    let groups = c.describe_security_groups().filters(f()).send().await.expect("DescribeSecurityGroups");
    ids.extend(groups.security_groups().iter().filter(|v| owned(v.tags())).filter_map(|v| v.group_id()).map(str::to_owned));
    let addresses = c.describe_addresses().filters(f()).send().await.expect("DescribeAddresses");
    ids.extend(addresses.addresses().iter().filter(|v| owned(v.tags())).filter_map(|v| v.allocation_id()).map(str::to_owned));
    let nats = c.describe_nat_gateways().send().await.expect("DescribeNatGateways");
    ids.extend(
        nats.nat_gateways()
            .iter()
            .filter(|v| owned(v.tags()) && !matches!(v.state().map(|s| s.as_str()), Some("deleted" | "deleting")))
            .filter_map(|v| v.nat_gateway_id())
            .map(str::to_owned),
    );
    let endpoints = c.describe_vpc_endpoints().filters(f()).send().await.expect("DescribeVpcEndpoints");
    ids.extend(
        endpoints
            .vpc_endpoints()
            .iter()
            .filter(|v| {
                owned(v.tags()) && !matches!(v.state().map(|s| s.as_str().to_ascii_lowercase()).as_deref(), Some("deleted" | "deleting"))
            })
            .filter_map(|v| v.vpc_endpoint_id())
            .map(str::to_owned),
    );
    let instances = c.describe_instances().filters(f()).send().await.expect("DescribeInstances");
    ids.extend(
        instances
            .reservations()
            .iter()
            .flat_map(|r| r.instances())
            .filter(|i| {
                owned(i.tags()) && !matches!(i.state().and_then(|s| s.name()).map(|n| n.as_str()), Some("terminated" | "shutting-down"))
            })
            .filter_map(|i| i.instance_id())
            .map(str::to_owned),
    );
    let volumes = c.describe_volumes().filters(f()).send().await.expect("DescribeVolumes");
    ids.extend(volumes.volumes().iter().filter(|v| owned(v.tags())).filter_map(|v| v.volume_id()).map(str::to_owned));
    ids.sort();
    ids
}

/// How many of each kind (`vpc`, `subnet`, `eipalloc`, ...) the ids are.
pub fn kinds(ids: &[String]) -> std::collections::BTreeMap<String, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for id in ids {
        *counts.entry(id.split('-').next().unwrap_or_default().to_owned()).or_insert(0) += 1;
    }
    counts
}
