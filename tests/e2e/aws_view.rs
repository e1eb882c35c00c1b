//! The emulator's state read with the AWS SDK, independently of the commands under test,
//! so a test checks what really exists rather than what a command says it made.

use aws_sdk_ec2::Client;
use std::future::Future;

pub struct Ec2View {
    runtime: tokio::runtime::Runtime,
    pub client: Client,
}

impl Ec2View {
    pub fn new(endpoint: &str) -> Ec2View {
        Self::new_in(endpoint, crate::harness::REGION)
    }

    pub fn new_in(endpoint: &str, region: &str) -> Ec2View {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        Ec2View { runtime, client: xtask::census::client(endpoint, region) }
    }

    pub fn block<F: Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }

    /// A VPC (10.1.0.0/16) with one subnet and one instance per (Name, (tag key, tag value));
    /// each instance's (id, private IP), in order.
    pub fn launch_lab(&self, instances: &[(&str, (&str, &str))]) -> Vec<(String, String)> {
        use aws_sdk_ec2::types::{ResourceType, Tag, TagSpecification};
        let ec2 = &self.client;
        let vpc = self.block(ec2.create_vpc().cidr_block("10.1.0.0/16").send()).unwrap().vpc().unwrap().vpc_id().unwrap().to_owned();
        let subnet = self.block(ec2.create_subnet().vpc_id(&vpc).cidr_block("10.1.10.0/24").send()).unwrap();
        let subnet = subnet.subnet().unwrap().subnet_id().unwrap().to_owned();
        let images = self.block(ec2.describe_images().owners("amazon").send()).unwrap();
        let image = images.images()[0].image_id().unwrap().to_owned();
        instances
            .iter()
            .map(|(name, (key, value))| {
                let tags = TagSpecification::builder()
                    .resource_type(ResourceType::Instance)
                    .tags(Tag::builder().key("Name").value(*name).build())
                    .tags(Tag::builder().key(*key).value(*value).build())
                    .build();
                let run = ec2.run_instances().image_id(&image).min_count(1).max_count(1).subnet_id(&subnet).tag_specifications(tags);
                let out = self.block(run.send()).unwrap();
                let i = &out.instances()[0];
                (i.instance_id().unwrap().to_owned(), i.private_ip_address().unwrap().to_owned())
            })
            .collect()
    }

    /// Every live resource tagged awsops:stack=STACK, of every type vpc-bootstrap makes.
    pub fn tagged(&self, stack: &str) -> Vec<String> {
        self.block(xtask::census::owned(&self.client, stack))
    }

    /// The VPCs tagged awsops:stack=STACK.
    pub fn vpcs(&self, stack: &str) -> Vec<aws_sdk_ec2::types::Vpc> {
        self.block(self.client.describe_vpcs().filters(filter("tag:awsops:stack", stack)).send()).expect("DescribeVpcs").vpcs().to_vec()
    }

    pub fn subnets(&self, vpc: &str) -> Vec<aws_sdk_ec2::types::Subnet> {
        self.block(self.client.describe_subnets().filters(filter("vpc-id", vpc)).send()).expect("DescribeSubnets").subnets().to_vec()
    }

    pub fn route_tables(&self, vpc: &str) -> Vec<aws_sdk_ec2::types::RouteTable> {
        self.block(self.client.describe_route_tables().filters(filter("vpc-id", vpc)).send())
            .expect("DescribeRouteTables")
            .route_tables()
            .to_vec()
    }

    pub fn security_groups(&self, vpc: &str) -> Vec<aws_sdk_ec2::types::SecurityGroup> {
        self.block(self.client.describe_security_groups().filters(filter("vpc-id", vpc)).send())
            .expect("DescribeSecurityGroups")
            .security_groups()
            .to_vec()
    }

    /// NAT gateways of a VPC that are not deleted (moto ignores some filters: checked here).
    pub fn live_nat_gateways(&self, vpc: &str) -> Vec<aws_sdk_ec2::types::NatGateway> {
        let out = self.block(self.client.describe_nat_gateways().send()).expect("DescribeNatGateways");
        out.nat_gateways()
            .iter()
            .filter(|n| n.vpc_id() == Some(vpc))
            .filter(|n| !matches!(n.state().map(|s| s.as_str()), Some("deleted" | "deleting")))
            .cloned()
            .collect()
    }

    pub fn addresses(&self) -> Vec<aws_sdk_ec2::types::Address> {
        self.block(self.client.describe_addresses().send()).expect("DescribeAddresses").addresses().to_vec()
    }

    pub fn internet_gateways(&self, vpc: &str) -> Vec<aws_sdk_ec2::types::InternetGateway> {
        self.block(self.client.describe_internet_gateways().filters(filter("attachment.vpc-id", vpc)).send())
            .expect("DescribeInternetGateways")
            .internet_gateways()
            .to_vec()
    }

    pub fn endpoints(&self, vpc: &str) -> Vec<aws_sdk_ec2::types::VpcEndpoint> {
        self.block(self.client.describe_vpc_endpoints().filters(filter("vpc-id", vpc)).send())
            .expect("DescribeVpcEndpoints")
            .vpc_endpoints()
            .to_vec()
    }

    /// Instances of a VPC that are not terminated.
    pub fn live_instances(&self, vpc: &str) -> Vec<aws_sdk_ec2::types::Instance> {
        let out = self.block(self.client.describe_instances().filters(filter("vpc-id", vpc)).send()).expect("DescribeInstances");
        out.reservations()
            .iter()
            .flat_map(|r| r.instances())
            .filter(|i| !matches!(i.state().and_then(|s| s.name()).map(|n| n.as_str()), Some("terminated" | "shutting-down")))
            .cloned()
            .collect()
    }

    pub fn vpc_attribute(&self, vpc: &str, attribute: aws_sdk_ec2::types::VpcAttributeName) -> bool {
        let out =
            self.block(self.client.describe_vpc_attribute().vpc_id(vpc).attribute(attribute.clone()).send()).expect("DescribeVpcAttribute");
        let value = match attribute {
            aws_sdk_ec2::types::VpcAttributeName::EnableDnsHostnames => out.enable_dns_hostnames(),
            _ => out.enable_dns_support(),
        };
        value.and_then(|v| v.value()).unwrap_or(false)
    }
}

pub use xtask::census::{filter, tag};

/// Credentials of `role` (through the emulator's STS): moto answers a key from AssumeRole
/// in the account of the role's ARN, which is how a test reaches another account.
pub fn assumed(aws: &Ec2View, endpoint: &str, role: &str) -> aws_sdk_sts::config::Credentials {
    let sts = emulator_client!(aws_sdk_sts, endpoint);
    let out = aws.block(sts.assume_role().role_arn(role).role_session_name("setup").send()).unwrap();
    let c = out.credentials().unwrap();
    aws_sdk_sts::config::Credentials::new(c.access_key_id(), c.secret_access_key(), Some(c.session_token().to_owned()), None, "assumed")
}

/// A client of any SDK on the emulator, with the static test credentials.
macro_rules! emulator_client {
    ($sdk:ident, $endpoint:expr) => {{
        let config = $sdk::Config::builder()
            .behavior_version($sdk::config::BehaviorVersion::latest())
            .region($sdk::config::Region::new(crate::harness::REGION))
            .endpoint_url($endpoint)
            .credentials_provider($sdk::config::Credentials::new("testing", "testing", None, None, "static"))
            .build();
        $sdk::Client::from_conf(config)
    }};
}
pub(crate) use emulator_client;
