//! A load balancer in the emulator the way the reference lab builds one: a VPC with two
//! subnets, a security group, a target group and an application load balancer whose
//! HTTP:80 listener forwards to it; and the CloudFront distribution in front of the lab's
//! website. Shared by the dns-alias and cert-attach tests.

use crate::aws_view::{Ec2View, emulator_client};

pub struct WebLb {
    pub arn: String,
    pub dns_name: String,
    pub canonical_zone_id: String,
    pub vpc_id: String,
    pub target_group_arn: String,
    /// The HTTP:80 listener, when asked for.
    pub http_listener_arn: Option<String>,
}

/// `name` also names the target group; `octet` picks the VPC's 10.X.0.0/16 so several fit in one account.
pub fn web_load_balancer(aws: &Ec2View, endpoint: &str, name: &str, octet: u8, http_listener: bool) -> WebLb {
    let ec2 = &aws.client;
    let vpc = aws.block(ec2.create_vpc().cidr_block(format!("10.{octet}.0.0/16")).send()).unwrap();
    let vpc_id = vpc.vpc().unwrap().vpc_id().unwrap().to_owned();
    let subnets: Vec<String> = ["a", "c"]
        .iter()
        .enumerate()
        .map(|(i, az)| {
            let s = aws
                .block(
                    ec2.create_subnet()
                        .vpc_id(&vpc_id)
                        .cidr_block(format!("10.{octet}.{i}.0/24"))
                        .availability_zone(format!("{}{az}", crate::harness::REGION))
                        .send(),
                )
                .unwrap();
            s.subnet().unwrap().subnet_id().unwrap().to_owned()
        })
        .collect();
    let sg = aws.block(ec2.create_security_group().group_name(format!("{name}-lb")).description("web").vpc_id(&vpc_id).send()).unwrap();
    let sg_id = sg.group_id().unwrap().to_owned();
    let elb = emulator_client!(aws_sdk_elasticloadbalancingv2, endpoint);
    let out = aws.block(elb.create_load_balancer().name(name).set_subnets(Some(subnets)).security_groups(&sg_id).send()).unwrap();
    let lb = &out.load_balancers()[0];
    let arn = lb.load_balancer_arn().unwrap().to_owned();
    let tg = aws
        .block(
            elb.create_target_group()
                .name(name)
                .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
                .port(80)
                .vpc_id(&vpc_id)
                .send(),
        )
        .unwrap();
    let target_group_arn = tg.target_groups()[0].target_group_arn().unwrap().to_owned();
    let http_listener_arn = http_listener.then(|| {
        let forward = aws_sdk_elasticloadbalancingv2::types::Action::builder()
            .r#type(aws_sdk_elasticloadbalancingv2::types::ActionTypeEnum::Forward)
            .target_group_arn(&target_group_arn)
            .build();
        let l = aws
            .block(
                elb.create_listener()
                    .load_balancer_arn(&arn)
                    .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
                    .port(80)
                    .default_actions(forward)
                    .send(),
            )
            .unwrap();
        l.listeners()[0].listener_arn().unwrap().to_owned()
    });
    WebLb {
        arn,
        dns_name: lb.dns_name().unwrap().to_owned(),
        canonical_zone_id: lb.canonical_hosted_zone_id().unwrap().to_owned(),
        vpc_id,
        target_group_arn,
        http_listener_arn,
    }
}

/// A CloudFront distribution in front of the lab's website bucket, with these aliases and
/// IPv6 on; (id, domain).
pub fn website_distribution(aws: &Ec2View, endpoint: &str, aliases: &[&str]) -> (String, String) {
    use aws_sdk_cloudfront::types::{
        Aliases, CustomOriginConfig, DefaultCacheBehavior, DistributionConfig, Origin, OriginProtocolPolicy, Origins, ViewerProtocolPolicy,
    };
    let cf = emulator_client!(aws_sdk_cloudfront, endpoint);
    let origin = Origin::builder()
        .id("site")
        .domain_name("mydomain.com.s3-website.ap-northeast-2.amazonaws.com")
        .custom_origin_config(
            CustomOriginConfig::builder()
                .http_port(80)
                .https_port(443)
                .origin_protocol_policy(OriginProtocolPolicy::HttpOnly)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let items: Vec<String> = aliases.iter().map(|a| a.to_string()).collect();
    let config = DistributionConfig::builder()
        .caller_reference("lab")
        .aliases(Aliases::builder().quantity(items.len() as i32).set_items(Some(items)).build().unwrap())
        .origins(Origins::builder().quantity(1).items(origin).build().unwrap())
        .default_cache_behavior(
            DefaultCacheBehavior::builder()
                .target_origin_id("site")
                .viewer_protocol_policy(ViewerProtocolPolicy::RedirectToHttps)
                .build()
                .unwrap(),
        )
        .comment("lab")
        .enabled(true)
        .is_ipv6_enabled(true)
        .build()
        .unwrap();
    let out = aws.block(cf.create_distribution().distribution_config(config).send()).unwrap();
    let d = out.distribution().unwrap();
    (d.id().to_owned(), d.domain_name().to_owned())
}
