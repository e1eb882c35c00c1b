//! `cert-attach --cloudfront` against moto: the certificate in us-east-1 whatever the
//! region, the distribution's aliases and viewer certificate set by a read-modify-write
//! under its ETag, the wait for Deployed, a re-run that only reads, and the `certificate`
//! document piped into `dns-alias set` for an alias to the distribution.

use crate::aws_view::{Ec2View, emulator_client};
use crate::harness::{CallProxy, Moto, TestCommand, check_schema};
use std::time::Duration;

#[test]
fn https_on_a_cloudfront_distribution_then_its_alias() {
    let moto = Moto::start_with(&[("MOTO_ACM_VALIDATION_WAIT", "1")]);
    let aws = Ec2View::new(&moto.url());
    let r53 = emulator_client!(aws_sdk_route53, moto.url());
    aws.block(r53.create_hosted_zone().name("example.com").caller_reference("cdn").send()).unwrap();
    let (id, domain) = crate::web_stack::website_distribution(&aws, &moto.url(), &[]);
    let cert = |url: &str| TestCommand::new("cert-attach", url);

    cert(&moto.url()).args(["cdn.example.com", "--cloudfront", "NOPE123456"]).run().usage_error("no CloudFront distribution NOPE123456");
    cert(&moto.url()).args(["cdn.example.com", "--cloudfront", "bad id"]).run().usage_error("--cloudfront");
    let planned = cert(&moto.url()).args(["cdn.example.com", "--cloudfront", &id, "--dry-run"]).run().ok().remove(0);
    assert!(
        planned["changes"].as_array().unwrap().iter().any(|c| c.as_str().unwrap().starts_with(&format!("update distribution {id}"))),
        "{planned}"
    );

    let proxy = CallProxy::start(moto.addr(), Duration::ZERO).unwrap();
    let doc = cert(&proxy.url()).args(["cdn.example.com", "--cloudfront", &id, "--region", "ap-northeast-2"]).run().ok().remove(0);
    check_schema(&doc).unwrap();
    assert_eq!(doc["status"], "ISSUED");
    assert!(doc["arn"].as_str().unwrap().starts_with("arn:aws:acm:us-east-1:"), "the certificate is in us-east-1: {}", doc["arn"]);
    assert_eq!(doc["distribution"]["id"], id.as_str());
    assert_eq!(doc["distribution"]["status"], "Deployed");
    assert_eq!(doc["distribution"]["aliases"], serde_json::json!(["cdn.example.com"]));
    // The update was a read-modify-write: the configuration (and its ETag) read before it was written.
    let calls: Vec<String> = proxy.calls().into_iter().map(|c| c.action).collect();
    let read = calls.iter().position(|a| a.starts_with("GET ") && a.ends_with(&format!("/distribution/{id}/config")));
    let write = calls.iter().position(|a| a.starts_with("PUT ") && a.ends_with(&format!("/distribution/{id}/config")));
    assert!(matches!((read, write), (Some(r), Some(w)) if r < w), "{calls:?}");

    let cf = emulator_client!(aws_sdk_cloudfront, moto.url());
    let now = aws.block(cf.get_distribution_config().id(&id).send()).unwrap();
    let config = now.distribution_config().unwrap();
    assert_eq!(config.aliases().unwrap().items(), ["cdn.example.com"]);
    let viewer = config.viewer_certificate().unwrap();
    assert_eq!(viewer.acm_certificate_arn(), doc["arn"].as_str());
    assert_eq!(viewer.ssl_support_method().map(|m| m.as_str()), Some("sni-only"));
    assert_eq!(viewer.minimum_protocol_version().map(|m| m.as_str()), Some("TLSv1.2_2021"));
    assert_eq!((config.comment(), config.is_ipv6_enabled()), ("lab", Some(true)), "the rest of the configuration is kept");

    // A re-run only reads.
    proxy.clear();
    let again = cert(&proxy.url()).args(["cdn.example.com", "--cloudfront", &id]).run().ok().remove(0);
    assert_eq!(again["changed"], false, "{again}");
    let writes: Vec<String> = proxy.calls().into_iter().filter(|c| !c.is_read_only()).map(|c| c.action).collect();
    assert_eq!(writes, Vec::<String>::new());

    // The document aliases the name to the distribution.
    let record = TestCommand::new("dns-alias", &moto.url()).args(["set", "cdn.example.com"]).stdin(doc.to_string()).run().ok().remove(0);
    assert_eq!(record["target_kind"], "cloudfront");
    assert_eq!(record["records"][0]["alias"]["zone_id"], "Z2FDTNDATAQYW2");
    assert_eq!(record["records"][0]["alias"]["dns_name"], domain.to_ascii_lowercase());
}
