//! cert-attach against moto (with ACM issuing after one second): the whole flow (request,
//! validation records in the right zones, wait, HTTPS listener with the TLS 1.3 policy,
//! 301 redirect), a re-run that makes only read calls, reuse of an existing certificate,
//! SNI on an existing HTTPS listener, a dry run, refusals before any change, zones in
//! another account through an assumed role, and `cert-attach | dns-alias set`.

use crate::aws_view::{Ec2View, emulator_client};
use crate::harness::{CallProxy, Moto, TestCommand};
use crate::web_stack::{WebLb, web_load_balancer};
use aws_sdk_elasticloadbalancingv2::types::{ActionTypeEnum, Listener};
use std::time::Duration;

const TLS13: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

fn cert(endpoint: &str) -> TestCommand {
    TestCommand::new("cert-attach", endpoint)
}

struct Site {
    moto: Moto,
    aws: Ec2View,
    /// example.com and api.example.com (a delegated subdomain with its own zone).
    zone_ids: (String, String),
}

impl Site {
    fn new() -> Site {
        let moto = Moto::start_with(&[("MOTO_ACM_VALIDATION_WAIT", "1")]);
        let aws = Ec2View::new(&moto.url());
        let r53 = emulator_client!(aws_sdk_route53, moto.url());
        let mut ids = ["example.com", "api.example.com"].iter().map(|name| {
            let zone = aws.block(r53.create_hosted_zone().name(*name).caller_reference(*name).send()).unwrap();
            zone.hosted_zone().unwrap().id().trim_start_matches("/hostedzone/").to_owned()
        });
        let zone_ids = (ids.next().unwrap(), ids.next().unwrap());
        Site { moto, aws, zone_ids }
    }

    fn lb(&self, name: &str, octet: u8) -> WebLb {
        web_load_balancer(&self.aws, &self.moto.url(), name, octet, true)
    }

    fn cnames(&self, zone_id: &str) -> Vec<(String, String)> {
        let r53 = emulator_client!(aws_sdk_route53, self.moto.url());
        let out = self.aws.block(r53.list_resource_record_sets().hosted_zone_id(zone_id).send()).unwrap();
        out.resource_record_sets()
            .iter()
            .filter(|r| r.r#type().as_str() == "CNAME")
            .map(|r| (r.name().trim_end_matches('.').to_owned(), r.resource_records()[0].value().trim_end_matches('.').to_owned()))
            .collect()
    }

    fn listeners(&self, lb_arn: &str) -> Vec<Listener> {
        let elb = emulator_client!(aws_sdk_elasticloadbalancingv2, self.moto.url());
        self.aws.block(elb.describe_listeners().load_balancer_arn(lb_arn).send()).unwrap().listeners().to_vec()
    }

    fn listener_certificates(&self, listener_arn: &str) -> Vec<String> {
        let elb = emulator_client!(aws_sdk_elasticloadbalancingv2, self.moto.url());
        let out = self.aws.block(elb.describe_listener_certificates().listener_arn(listener_arn).send()).unwrap();
        out.certificates().iter().map(|c| c.certificate_arn().unwrap().to_owned()).collect()
    }

    fn certificates(&self) -> Vec<String> {
        let acm = emulator_client!(aws_sdk_acm, self.moto.url());
        let out = self.aws.block(acm.list_certificates().send()).unwrap();
        out.certificate_summary_list().iter().map(|c| c.certificate_arn().unwrap().to_owned()).collect()
    }

    fn request(&self, domain: &str, sans: &[&str]) -> String {
        let acm = emulator_client!(aws_sdk_acm, self.moto.url());
        let mut call = acm.request_certificate().domain_name(domain).validation_method(aws_sdk_acm::types::ValidationMethod::Dns);
        for san in sans {
            call = call.subject_alternative_names(*san);
        }
        self.aws.block(call.send()).unwrap().certificate_arn().unwrap().to_owned()
    }
}

fn on_port(listeners: &[Listener], port: i32) -> Listener {
    listeners.iter().find(|l| l.port() == Some(port)).unwrap_or_else(|| panic!("no listener on {port}: {listeners:?}")).clone()
}

#[test]
fn the_whole_flow_then_a_rerun_that_only_reads() {
    let site = Site::new();
    let lb = site.lb("web", 20);
    let proxy = CallProxy::start(site.moto.addr(), Duration::ZERO).unwrap();
    let args = ["example.com", "www.example.com", "*.example.com", "v1.api.example.com", "--lb", "web", "--redirect-http"];
    let doc = cert(&proxy.url()).args(args).run().ok().remove(0);
    assert_eq!(doc["kind"], "certificate");
    assert_eq!(doc["status"], "ISSUED");
    assert_eq!(doc["domain"], "example.com");
    assert_eq!(doc["names"], serde_json::json!(["*.example.com", "example.com", "v1.api.example.com", "www.example.com"]));
    assert_eq!(doc["changed"], true);
    assert_eq!(doc["load_balancer"]["dns_name"], lb.dns_name.to_ascii_lowercase());
    assert_eq!(doc["load_balancer"]["canonical_zone_id"], lb.canonical_zone_id.as_str());
    let arn = doc["arn"].as_str().unwrap().to_owned();
    assert_eq!(site.certificates(), std::slice::from_ref(&arn), "one certificate requested");

    // Validation CNAMEs in the zone of each name; the wildcard shares its parent's record.
    let (apex_zone, api_zone) = &site.zone_ids;
    let mut apex = site.cnames(apex_zone);
    apex.sort();
    assert_eq!(apex.len(), 2, "example.com and *.example.com share one record: {apex:?}");
    assert!(apex.iter().any(|(n, _)| n.ends_with(".www.example.com")));
    let api = site.cnames(api_zone);
    assert_eq!(api.len(), 1);
    assert!(api[0].0.ends_with(".v1.api.example.com") && api[0].1.ends_with("acm-validations.aws"), "{api:?}");
    assert_eq!(doc["validation_records"].as_array().unwrap().len(), 3);
    let changes: Vec<_> = proxy.calls().into_iter().filter(|c| c.action.starts_with("POST ") && c.action.ends_with("/rrset")).collect();
    assert_eq!(changes.len(), 2, "one change batch per zone");

    // HTTPS:443 with the certificate and the TLS 1.3 policy, forwarding where HTTP did; 80 now redirects.
    let listeners = site.listeners(&lb.arn);
    let https = on_port(&listeners, 443);
    assert_eq!(doc["listener_arn"], https.listener_arn().unwrap());
    assert_eq!(https.protocol().unwrap().as_str(), "HTTPS");
    assert_eq!(https.ssl_policy(), Some(TLS13));
    assert_eq!(https.certificates()[0].certificate_arn(), Some(arn.as_str()));
    let forward = &https.default_actions()[0];
    assert_eq!(forward.r#type(), Some(&ActionTypeEnum::Forward));
    assert_eq!(forward.target_group_arn(), Some(lb.target_group_arn.as_str()));
    let http = on_port(&listeners, 80);
    assert_eq!(http.listener_arn(), lb.http_listener_arn.as_deref());
    let redirect = http.default_actions()[0].redirect_config().expect("a redirect on port 80");
    assert_eq!((redirect.protocol(), redirect.port()), (Some("HTTPS"), Some("443")));
    assert_eq!(redirect.status_code().unwrap().as_str(), "HTTP_301");

    // Again: the same document, nothing changed, and only read calls.
    proxy.clear();
    let again = cert(&proxy.url()).args(args).run().ok().remove(0);
    assert_eq!(again["changed"], false);
    assert_eq!(again["arn"], arn.as_str());
    assert_eq!(again["listener_arn"], doc["listener_arn"]);
    let calls = proxy.calls();
    assert!(calls.iter().all(|c| c.is_read_only()), "a re-run only reads: {:?}", calls.iter().map(|c| &c.action).collect::<Vec<_>>());
    assert_eq!(site.listeners(&lb.arn).len(), 2);
}

#[test]
fn an_existing_certificate_is_reused_and_a_different_one_is_not() {
    let site = Site::new();
    let pending = site.request("shop.example.com", &["www.shop.example.com"]);
    let narrower = site.request("shop.example.com", &[]);
    let doc = cert(&site.moto.url()).args(["www.shop.example.com", "shop.example.com"]).run().ok().remove(0);
    assert_eq!(doc["domain"], "www.shop.example.com", "the domain is the first name given");
    assert_ne!(doc["arn"], pending.as_str(), "a certificate whose domain differs is another certificate");
    let doc = cert(&site.moto.url()).args(["shop.example.com", "www.shop.example.com"]).run().ok().remove(0);
    assert_eq!(doc["arn"], pending.as_str(), "same domain and names: reused");
    assert_eq!(doc["status"], "ISSUED");
    assert_ne!(doc["arn"], narrower.as_str());
    assert_eq!(site.certificates().len(), 3);
    // ACM's validation record for a name is the same for every certificate of the account, so the
    // first run's records serve this one too: nothing requested, nothing written.
    assert_eq!(doc["changed"], false, "{doc}");
    assert_eq!(doc["validation_records"].as_array().unwrap().len(), 2);
}

#[test]
fn an_existing_https_listener_gets_the_certificate_by_sni() {
    let site = Site::new();
    let lb = site.lb("shop", 21);
    let first = cert(&site.moto.url()).args(["example.com", "--lb", &lb.arn]).run().ok().remove(0);
    let second = cert(&site.moto.url()).args(["www.example.com", "--lb", &lb.dns_name, "--target-group", "shop"]).run().ok().remove(0);
    assert_eq!(second["listener_arn"], first["listener_arn"], "added to the listener that exists");
    let listener = first["listener_arn"].as_str().unwrap();
    let https = on_port(&site.listeners(&lb.arn), 443);
    assert_eq!(https.certificates()[0].certificate_arn(), first["arn"].as_str(), "the default certificate is kept");
    let all = site.listener_certificates(listener);
    assert!(all.iter().any(|c| Some(c.as_str()) == second["arn"].as_str()), "{all:?}");
    assert!(all.iter().any(|c| Some(c.as_str()) == first["arn"].as_str()), "{all:?}");
    let http = on_port(&site.listeners(&lb.arn), 80);
    assert_eq!(http.default_actions()[0].r#type(), Some(&ActionTypeEnum::Forward), "no redirect unless asked");
}

#[test]
fn a_dry_run_plans_and_changes_nothing() {
    let site = Site::new();
    let lb = site.lb("web", 22);
    let proxy = CallProxy::start(site.moto.addr(), Duration::ZERO).unwrap();
    let plan = cert(&proxy.url()).args(["example.com", "--lb", "web", "--redirect-http", "--dry-run"]).run().ok().remove(0);
    assert_eq!(plan["status"], "planned");
    assert_eq!(plan["changed"], true);
    let changes: Vec<&str> = plan["changes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert!(changes[0].starts_with("request a DNS-validated certificate"), "{changes:?}");
    assert!(changes.iter().any(|c| c.contains(&site.zone_ids.0)), "{changes:?}");
    assert!(changes.iter().any(|c| c.starts_with("create HTTPS:443 listener (ELBSecurityPolicy-TLS13")), "{changes:?}");
    assert!(changes.iter().any(|c| c.starts_with("redirect HTTP:80")), "{changes:?}");
    assert!(proxy.calls().iter().all(|c| c.is_read_only()), "{:?}", proxy.calls());
    assert!(site.certificates().is_empty());
    assert_eq!(site.listeners(&lb.arn).len(), 1);
}

#[test]
fn bad_input_is_refused_before_any_change() {
    let site = Site::new();
    let web = site.lb("web", 23);
    site.lb("other", 25);
    let moto = site.moto.url();
    cert(&moto).args(["exa mple.com"]).run().usage_error("invalid domain name");
    cert(&moto).args(["example.com", "www..example.com"]).run().usage_error("invalid domain name");
    cert(&moto).args(["example.com", "--lb", "nope"]).run().usage_error("no load balancer nope");
    cert(&moto).args(["example.com", "www.other.org"]).run().usage_error("no public hosted zone for www.other.org");
    cert(&moto).args(["example.com", "--lb", "web", "--ssl-policy", "ELBSecurityPolicy-Nope"]).run().usage_error("unknown TLS policy");
    cert(&moto).args(["example.com", "--lb", "web", "--target-group", "nope"]).run().usage_error("no target group nope");
    cert(&moto)
        .args(["example.com", "--lb", "web", "--target-group", "other"])
        .run()
        .usage_error(&format!("the load balancer in {}", web.vpc_id));
    cert(&moto).args(["example.com", "--zone-id", "ZNOPE"]).run().usage_error("no hosted zone ZNOPE");
    cert(&moto).args(["example.com", "--zone-role-arn", "role/x"]).run().usage_error("--zone-role-arn");
    assert_eq!(cert(&moto).args(["example.com", "--key-algorithm", "DSA"]).run().code, 2);
    assert!(site.certificates().is_empty(), "nothing was requested");
}

#[test]
fn zones_in_another_account_are_reached_through_a_role() {
    let site = Site::new();
    let role = "arn:aws:iam::222222222222:role/dns";
    // The zone lives in account 222222222222, made with that account's (assumed) credentials.
    let r53_config = aws_sdk_route53::Config::builder()
        .behavior_version(aws_sdk_route53::config::BehaviorVersion::latest())
        .region(aws_sdk_route53::config::Region::new(crate::harness::REGION))
        .endpoint_url(site.moto.url())
        .credentials_provider(crate::aws_view::assumed(&site.aws, &site.moto.url(), role))
        .build();
    let other = aws_sdk_route53::Client::from_conf(r53_config);
    let zone = site.aws.block(other.create_hosted_zone().name("partner.net").caller_reference("partner").send()).unwrap();
    let zone_id = zone.hosted_zone().unwrap().id().trim_start_matches("/hostedzone/").to_owned();

    cert(&site.moto.url()).args(["app.partner.net"]).run().usage_error("no public hosted zone for app.partner.net");
    let doc = cert(&site.moto.url()).args(["app.partner.net", "--zone-role-arn", role]).run().ok().remove(0);
    assert_eq!(doc["status"], "ISSUED");
    let out = site.aws.block(other.list_resource_record_sets().hosted_zone_id(&zone_id).send()).unwrap();
    assert!(
        out.resource_record_sets().iter().any(|r| r.r#type().as_str() == "CNAME" && r.name().contains("app.partner.net")),
        "the validation record is in the other account's zone"
    );
}

#[test]
fn cert_attach_pipes_into_dns_alias() {
    let site = Site::new();
    let lb = site.lb("web", 24);
    let moto = site.moto.url();
    let doc = cert(&moto).args(["www.example.com", "--lb", "web"]).run();
    assert_eq!(doc.code, 0, "{}", doc.stderr);
    let record = TestCommand::new("dns-alias", &moto).args(["set", "www.example.com"]).stdin(doc.stdout.clone()).run().ok().remove(0);
    assert_eq!(record["target_kind"], "load-balancer");
    assert_eq!(record["records"][0]["type"], "A");
    assert_eq!(record["records"][0]["alias"]["dns_name"], lb.dns_name.to_ascii_lowercase());
    assert_eq!(record["records"][0]["alias"]["zone_id"], lb.canonical_zone_id.as_str());
    assert_eq!(record["status"], "INSYNC");
}

#[test]
fn a_certificate_not_issued_in_time_is_a_timeout_and_a_rerun_picks_it_up() {
    // moto's own default: ACM validates after 60 s.
    let moto = Moto::start();
    let aws = Ec2View::new(&moto.url());
    let r53 = emulator_client!(aws_sdk_route53, moto.url());
    aws.block(r53.create_hosted_zone().name("example.com").caller_reference("slow").send()).unwrap();
    let run = cert(&moto.url()).args(["slow.example.com", "--timeout", "2s"]).run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("timed out after 2s") && run.stderr.contains("PENDING_VALIDATION"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let pending = cert(&moto.url()).args(["slow.example.com", "--no-wait"]).run().ok().remove(0);
    assert_eq!(pending["status"], "PENDING_VALIDATION");
    assert_eq!(pending["changed"], false, "the same certificate, its records already written: {pending}");
}

#[test]
fn a_lost_response_of_each_mutating_call_leaves_one_certificate_and_one_listener() {
    let args = ["example.com", "www.example.com", "--lb", "web", "--redirect-http"];
    let clean = Site::new();
    let lb = clean.lb("web", 20);
    let proxy = CallProxy::start(clean.moto.addr(), Duration::ZERO).unwrap();
    cert(&proxy.url()).args(args).run().ok();
    // Zone ids differ per site: a change batch is named by the path up to them.
    let mut actions: Vec<String> = proxy
        .calls()
        .into_iter()
        .filter(|c| !c.is_read_only())
        .map(|c| if c.action.contains("/hostedzone/") { "POST /2013-04-01/hostedzone/".to_owned() } else { c.action })
        .collect();
    actions.sort();
    actions.dedup();
    let want = (clean.certificates().len(), clean.listeners(&lb.arn).len(), clean.cnames(&clean.zone_ids.0).len());
    assert_eq!(want, (1, 2, 2));
    for action in actions {
        let site = Site::new();
        let lb = site.lb("web", 20);
        let faults = xtask::faults::Faults { lose_nth: vec![(action.clone(), 1)], ..Default::default() };
        let proxy = CallProxy::start_with(site.moto.addr(), Duration::ZERO, faults).unwrap();
        let run = cert(&proxy.url()).args(args).run();
        assert!(!proxy.faulted().is_empty(), "{action}: the fault was injected");
        if run.code != 0 {
            eprintln!("cert-attach {action}: first run exited {}: {}", run.code, run.stderr);
            cert(&site.moto.url()).args(args).run().ok();
        }
        let got = (site.certificates().len(), site.listeners(&lb.arn).len(), site.cnames(&site.zone_ids.0).len());
        assert_eq!(got, want, "cert-attach with {action}'s response lost");
    }
}
