//! dns-alias against moto: the lab's two records (apex alias to the S3 website bucket of
//! the same name, `www` CNAME to the redirect bucket's website host), a load balancer
//! alias by DNS name, ARN and piped document, re-runs that change nothing (no change call),
//! dry runs, deletes that only remove what still matches, and refusals before any change.

use crate::aws_view::{Ec2View, emulator_client};
use crate::harness::{CallProxy, Moto, TestCommand};
use crate::web_stack::web_load_balancer;
use std::time::Duration;

fn dns(endpoint: &str) -> TestCommand {
    TestCommand::new("dns-alias", endpoint)
}

struct Lab {
    moto: Moto,
    aws: Ec2View,
    zone_id: String,
}

impl Lab {
    /// A public zone mydomain.com, website buckets mydomain.com and www.mydomain.com (a redirect).
    fn new() -> Lab {
        let moto = Moto::start();
        let aws = Ec2View::new(&moto.url());
        let r53 = emulator_client!(aws_sdk_route53, moto.url());
        let zone = aws.block(r53.create_hosted_zone().name("mydomain.com").caller_reference("lab").send()).unwrap();
        let zone_id = zone.hosted_zone().unwrap().id().trim_start_matches("/hostedzone/").to_owned();
        let s3 = s3(&moto);
        for bucket in ["mydomain.com", "www.mydomain.com", "no-website.mydomain.com"] {
            aws.block(
                s3.create_bucket()
                    .bucket(bucket)
                    .create_bucket_configuration(
                        aws_sdk_s3::types::CreateBucketConfiguration::builder()
                            .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::from("ap-northeast-2"))
                            .build(),
                    )
                    .send(),
            )
            .unwrap();
        }
        let index = aws_sdk_s3::types::IndexDocument::builder().suffix("index.html").build().unwrap();
        aws.block(
            s3.put_bucket_website()
                .bucket("mydomain.com")
                .website_configuration(aws_sdk_s3::types::WebsiteConfiguration::builder().index_document(index).build())
                .send(),
        )
        .unwrap();
        let redirect = aws_sdk_s3::types::RedirectAllRequestsTo::builder().host_name("mydomain.com").build().unwrap();
        aws.block(
            s3.put_bucket_website()
                .bucket("www.mydomain.com")
                .website_configuration(aws_sdk_s3::types::WebsiteConfiguration::builder().redirect_all_requests_to(redirect).build())
                .send(),
        )
        .unwrap();
        Lab { moto, aws, zone_id }
    }

    fn records(&self) -> Vec<aws_sdk_route53::types::ResourceRecordSet> {
        let r53 = emulator_client!(aws_sdk_route53, self.moto.url());
        let out = self.aws.block(r53.list_resource_record_sets().hosted_zone_id(&self.zone_id).send()).unwrap();
        out.resource_record_sets().iter().filter(|r| !matches!(r.r#type().as_str(), "SOA" | "NS")).cloned().collect()
    }

    /// An application load balancer in a fresh VPC: (ARN, DNS name, canonical zone id).
    fn load_balancer(&self) -> (String, String, String) {
        let lb = web_load_balancer(&self.aws, &self.moto.url(), "web", 9, false);
        (lb.arn, lb.dns_name, lb.canonical_zone_id)
    }
}

fn s3(moto: &Moto) -> aws_sdk_s3::Client {
    let config = aws_sdk_s3::Config::builder()
        .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
        .region(aws_sdk_s3::config::Region::new(crate::harness::REGION))
        .endpoint_url(moto.url())
        .force_path_style(true)
        .credentials_provider(aws_sdk_s3::config::Credentials::new("testing", "testing", None, None, "static"))
        .build();
    aws_sdk_s3::Client::from_conf(config)
}

#[test]
fn the_lab_records_are_made_once_and_a_rerun_changes_nothing() {
    let lab = Lab::new();
    let proxy = CallProxy::start(lab.moto.addr(), Duration::ZERO).unwrap();
    let apex = dns(&proxy.url()).args(["set", "mydomain.com", "s3://mydomain.com"]).run().ok().remove(0);
    let calls = proxy.calls();
    assert!(calls.iter().any(|c| c.action.starts_with("POST ") && c.action.ends_with("/rrset")), "one change batch: {calls:?}");
    assert!(calls.iter().any(|c| c.action.starts_with("GET ") && c.action.contains("/change/")), "then a wait for INSYNC: {calls:?}");
    assert_eq!(apex["kind"], "record");
    assert_eq!(apex["zone_id"], lab.zone_id.as_str());
    assert_eq!(apex["target_kind"], "s3-website");
    assert_eq!(apex["changed"], true);
    assert_eq!(apex["status"], "INSYNC");
    let www_host = "www.mydomain.com.s3-website.ap-northeast-2.amazonaws.com";
    let www = dns(&proxy.url()).args(["set", "www.mydomain.com", www_host, "--cname"]).run().ok().remove(0);
    assert_eq!(www["records"][0]["type"], "CNAME");

    let records = lab.records();
    assert_eq!(records.len(), 2, "{records:?}");
    let a = records.iter().find(|r| r.r#type().as_str() == "A").unwrap();
    assert_eq!(a.name(), "mydomain.com.");
    let alias = a.alias_target().unwrap();
    assert_eq!(alias.dns_name().trim_end_matches('.'), "s3-website.ap-northeast-2.amazonaws.com");
    assert_eq!(alias.hosted_zone_id(), "Z3W03O7B5YMIYP");
    let cname = records.iter().find(|r| r.r#type().as_str() == "CNAME").unwrap();
    assert_eq!(cname.name(), "www.mydomain.com.");
    assert_eq!(cname.resource_records()[0].value(), www_host);

    // Again: nothing differs, so no change call at all.
    proxy.clear();
    let again = dns(&proxy.url()).args(["set", "mydomain.com", "s3://mydomain.com"]).run().ok().remove(0);
    assert_eq!(again["changed"], false);
    assert_eq!(again["status"], "unchanged");
    let again = dns(&proxy.url()).args(["set", "www.mydomain.com", www_host, "--cname"]).run().ok().remove(0);
    assert_eq!(again["changed"], false);
    let calls = proxy.calls();
    assert!(calls.iter().any(|c| c.action.contains("/rrset")), "the records were read: {calls:?}");
    let writes: Vec<&str> = calls.iter().filter(|c| !c.is_read_only()).map(|c| c.action.as_str()).collect();
    assert!(writes.is_empty(), "an unchanged record made no change call: {writes:?}");

    // AWS's rules, checked before any change.
    let moto = lab.moto.url();
    dns(&moto).args(["set", "mydomain.com", "s3://www.mydomain.com"]).run().usage_error("bucket named like the record");
    dns(&moto).args(["set", "no-website.mydomain.com", "s3://no-website.mydomain.com"]).run().usage_error("website hosting off");
    dns(&moto).args(["set", "x.mydomain.com", "s3://x.mydomain.com"]).run().usage_error("no S3 bucket named x.mydomain.com");
    dns(&moto).args(["set", "mydomain.com", "elsewhere.example.net"]).run().usage_error("zone apex");
    dns(&moto).args(["set", "www.other.org", "s3://www.other.org"]).run().usage_error("no public hosted zone for www.other.org");
    dns(&moto).args(["set", "bad..name.com", "s3://x"]).run().usage_error("invalid domain name");
    dns(&moto).args(["set", "api.mydomain.com", "arn:aws:s3:::bucket"]).run().usage_error("unknown type");
    dns(&moto).args(["set", "api.mydomain.com"]).run().usage_error("no TARGET");
    assert_eq!(lab.records().len(), 2, "nothing changed");
}

#[test]
fn a_load_balancer_alias_by_name_arn_or_document_and_its_delete() {
    let lab = Lab::new();
    let (arn, lb_dns, lb_zone) = lab.load_balancer();
    let moto = lab.moto.url();

    let plan = dns(&moto).args(["set", "api.mydomain.com", &lb_dns, "--dry-run"]).run().ok().remove(0);
    assert_eq!(plan["status"], "planned");
    assert_eq!(plan["changes"][0]["action"], "UPSERT");
    assert!(lab.records().is_empty(), "a dry run changed nothing");

    let doc = dns(&moto).args(["set", "api.mydomain.com", &lb_dns]).run().ok().remove(0);
    assert_eq!(doc["target_kind"], "load-balancer");
    assert_eq!(doc["records"][0]["alias"]["zone_id"], lb_zone.as_str());
    let records = lab.records();
    let a = records.iter().find(|r| r.r#type().as_str() == "A").unwrap();
    assert_eq!(a.alias_target().unwrap().hosted_zone_id(), lb_zone);
    assert_eq!(a.alias_target().unwrap().dns_name().trim_end_matches('.').to_ascii_lowercase(), lb_dns.to_ascii_lowercase());

    // The same by ARN, and from a piped load-balancer document: nothing to change.
    let by_arn = dns(&moto).args(["set", "api.mydomain.com", &arn]).run().ok().remove(0);
    assert_eq!(by_arn["changed"], false);
    let piped = serde_json::json!({"kind": "load-balancer", "schema_version": 1, "arn": arn, "name": "web", "region": "ap-northeast-2",
                                   "dns_name": lb_dns, "canonical_zone_id": lb_zone, "dualstack": false});
    let from_doc = dns(&moto).args(["set", "api.mydomain.com"]).stdin(format!("{piped}\n")).run().ok().remove(0);
    assert_eq!(from_doc["changed"], false);
    let certificate = serde_json::json!({"kind": "certificate", "schema_version": 1, "arn": "arn:aws:acm:ap-northeast-2:123456789012:certificate/x",
                                         "domain": "api.mydomain.com", "status": "ISSUED", "load_balancer": piped});
    let from_cert = dns(&moto).args(["set", "api.mydomain.com"]).stdin(format!("{certificate}\n")).run().ok().remove(0);
    assert_eq!(from_cert["changed"], false, "cert-attach | dns-alias reads the certificate's load balancer");
    dns(&moto)
        .args(["set", "api.mydomain.com"])
        .stdin("{\"kind\":\"vpc\",\"schema_version\":1}\n")
        .run()
        .usage_error("got a `vpc` document");
    dns(&moto).args(["set", "api.mydomain.com", "nope-1.ap-northeast-2.elb.amazonaws.com"]).run().usage_error("no load balancer");
    // A document is input: two are refused (which one?), and the load balancer one names
    // must exist, whatever DNS name the document claims for it.
    dns(&moto).args(["set", "api.mydomain.com"]).stdin(format!("{piped}\n{piped}\n")).run().usage_error("2 documents");
    let mut gone = piped.clone();
    gone["arn"] = serde_json::json!(arn.replace("/web/", "/gone/"));
    dns(&moto).args(["set", "api.mydomain.com"]).stdin(format!("{gone}\n")).run().usage_error("no load balancer");
    let mut lying = piped.clone();
    lying["dns_name"] = serde_json::json!("attacker.example.net");
    let honest = dns(&moto).args(["set", "api.mydomain.com", "--dry-run"]).stdin(format!("{lying}\n")).run().ok().remove(0);
    assert_eq!(honest["target"], lb_dns.as_str(), "AWS's DNS name, not the document's");
    let mut far = piped.clone();
    far["region"] = serde_json::json!("evil.example.com/x");
    dns(&moto).args(["set", "api.mydomain.com"]).stdin(format!("{far}\n")).run().usage_error("region");

    // Delete: refused off a terminal without --yes, refused when the record points elsewhere, then done; again converges.
    dns(&moto).args(["delete", "api.mydomain.com", &lb_dns]).run().usage_error("--yes");
    dns(&moto).args(["delete", "api.mydomain.com", "other.example.net", "--yes"]).run().usage_error("nothing deleted");
    assert_eq!(lab.records().len(), 1);
    let deleted = dns(&moto).args(["delete", "api.mydomain.com", &lb_dns, "--yes"]).run().ok().remove(0);
    assert_eq!(deleted["changed"], true);
    assert!(lab.records().is_empty());
    let again = dns(&moto).args(["delete", "api.mydomain.com", &lb_dns, "--yes"]).run().ok().remove(0);
    assert_eq!(again["changed"], false);
}

#[test]
fn a_cloudfront_alias_needs_the_name_among_its_aliases() {
    let lab = Lab::new();
    let (_, domain) = crate::web_stack::website_distribution(&lab.aws, &lab.moto.url(), &["cdn.mydomain.com"]);

    let doc = dns(&lab.moto.url()).args(["set", "cdn.mydomain.com", &domain]).run().ok().remove(0);
    assert_eq!(doc["target_kind"], "cloudfront");
    let types: Vec<&str> = doc["records"].as_array().unwrap().iter().map(|r| r["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["A", "AAAA"], "the distribution serves IPv6");
    for r in lab.records() {
        assert_eq!(r.alias_target().unwrap().hosted_zone_id(), "Z2FDTNDATAQYW2");
    }
    dns(&lab.moto.url()).args(["set", "static.mydomain.com", &domain]).run().usage_error("alternate domain names");
}

#[test]
fn a_cname_to_an_s3_website_needs_the_bucket_and_its_website() {
    let lab = Lab::new();
    let host = |bucket: &str| format!("{bucket}.s3-website.ap-northeast-2.amazonaws.com");
    // A dangling name would be a subdomain takeover for whoever creates the bucket.
    dns(&lab.moto.url())
        .args(["set", "gone.mydomain.com", &host("gone.mydomain.com"), "--cname"])
        .run()
        .usage_error("no S3 bucket named gone.mydomain.com");
    dns(&lab.moto.url())
        .args(["set", "no-website.mydomain.com", &host("no-website.mydomain.com"), "--cname"])
        .run()
        .usage_error("website hosting off");
    assert!(lab.records().iter().all(|r| !r.name().starts_with("gone.") && !r.name().starts_with("no-website.")));
}
