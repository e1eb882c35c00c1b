//! cert-attach: a DNS-validated ACM certificate for a domain, its validation records in
//! Route 53, and the certificate on a load balancer's HTTPS listener, in one idempotent
//! command whose output dns-alias reads.

pub mod acm;
pub mod cloudfront;
pub mod listener_plan;
pub mod listeners;
pub mod names;
pub mod permissions;
pub mod reachability;
pub mod validation;

use aws_sdk_acm::types::KeyAlgorithm;
use awsops_core::cli::{DryRun, Timeout};
use awsops_core::kinds::{CertificateDoc, LoadBalancerDoc, RecordSet};
use awsops_core::load_balancer::{self, LbRef};
use awsops_core::output::Output;
use awsops_core::{CommandCli, CommonArgs, Error, Outcome, Result};
use awsops_core::{hosted_zone::Zone, route53};
use clap::Parser;
use listener_plan::{Listener, Step, Want};
use names::CertNames;
use std::collections::BTreeMap;

pub const NAME: &str = "cert-attach";

/// The default TLS policy of new HTTPS listeners: TLS 1.3 and 1.2 only (the API's own
/// default is the 2016 policy, which still allows TLS 1.0).
pub const DEFAULT_SSL_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/// Shown for a certificate that a dry run would request.
const PLANNED: &str = "planned";

awsops_core::waits_for!(ValidationWait, "30m", "Give up waiting for validation after this long");

#[derive(Parser, Debug)]
#[command(
    name = "cert-attach",
    version,
    about = "Request a DNS-validated ACM certificate, validate it through Route 53, and serve it on a load balancer's HTTPS listener",
    long_about = "Request a DNS-validated ACM certificate for DOMAIN and NAMES (or reuse an issued or pending \
                  one for exactly those names), write its validation records into the Route 53 zones that hold \
                  the names (longest suffix; shared records once), wait until it is ISSUED, and, with \
                  --load-balancer (or a piped `load-balancer` document), serve it on HTTPS:443: a new listener forwarding where HTTP forwards \
                  (TLS 1.3 policy), or added (SNI) to the HTTPS listener that exists. --redirect-http turns \
                  port 80 into a 301 to HTTPS. With --cloudfront DIST_ID the certificate is requested in \
                  us-east-1 and becomes the distribution's viewer certificate (SNI, TLSv1.2_2021), the names \
                  join its aliases (an update guarded by the ETag), and the command waits until it is \
                  Deployed. A re-run changes nothing.\n\n\
                  Prints a `certificate` document, which `dns-alias set NAME --from -` reads to alias NAME \
                  to the load balancer or distribution."
)]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    /// The certificate's domain, e.g. example.com or *.example.com
    #[arg(value_name = "DOMAIN")]
    pub domain: String,
    /// More names the certificate covers, e.g. www.example.com
    #[arg(value_name = "NAMES")]
    pub names: Vec<String>,
    /// Serve the certificate on this application load balancer (name, ARN or DNS name)
    #[arg(long, visible_alias = "lb", value_name = "LB", env = "AWSOPS_LOAD_BALANCER")]
    pub load_balancer: Option<String>,
    /// Serve the certificate on this CloudFront distribution (its id): the certificate is requested in us-east-1, the names join the distribution's aliases
    #[arg(long, value_name = "DIST_ID", env = "AWSOPS_DISTRIBUTION_ID", conflicts_with_all = ["load_balancer", "from", "target_group", "redirect_http", "no_wait"])]
    pub cloudfront: Option<String>,
    /// The load balancer from a `load-balancer` document in FILE (`-` for stdin); without --load-balancer a piped one is read
    #[arg(long, value_name = "FILE", conflicts_with = "load_balancer")]
    pub from: Option<std::path::PathBuf>,
    /// Forward the new HTTPS listener to this target group (name or ARN; repeat for several) instead of where HTTP forwards
    #[arg(long, value_name = "TG")]
    pub target_group: Vec<String>,
    /// Turn the HTTP:80 listener into a 301 redirect to HTTPS:443 (creating it if there is none)
    #[arg(long)]
    pub redirect_http: bool,
    /// TLS policy of a new HTTPS listener
    #[arg(long, default_value = DEFAULT_SSL_POLICY, value_name = "POLICY", env = "AWSOPS_SSL_POLICY")]
    pub ssl_policy: String,
    /// Key algorithm of a new certificate
    #[arg(long, default_value = "RSA_2048", value_parser = acm::key_algorithm, value_name = "ALGORITHM")]
    pub key_algorithm: KeyAlgorithm,
    /// Write validation records only into these hosted zones (repeat for several)
    #[arg(long, value_name = "ZONE_ID", env = "AWSOPS_ZONE_ID", value_delimiter = ',')]
    pub zone_id: Vec<String>,
    /// Assume this role for Route 53 (the zones live in another account)
    #[arg(long, value_name = "ROLE_ARN", env = "AWSOPS_ZONE_ROLE_ARN")]
    pub zone_role_arn: Option<String>,
    #[command(flatten)]
    pub dry_run: DryRun,
    /// Do not wait for ISSUED (only without --load-balancer): print the pending certificate
    #[arg(long, conflicts_with = "load_balancer")]
    pub no_wait: bool,
    #[command(flatten)]
    pub timeout: Timeout<ValidationWait>,
}

impl CommandCli for Cli {
    fn common(&self) -> &CommonArgs {
        &self.common
    }

    fn needs(&self) -> Result<awsops_core::permissions::Needs> {
        permissions::needs(self)
    }

    fn permissions() -> awsops_core::permissions::Table {
        permissions::table()
    }
}

/// The load balancer side, looked up before anything changes.
struct Target {
    doc: LoadBalancerDoc,
    lb_type: String,
    listeners: Vec<Listener>,
    target_groups: Option<Vec<String>>,
    security_groups: Vec<String>,
}

pub async fn run(cli: Cli) -> Result<Outcome> {
    let names = CertNames::parse(&cli.domain, &cli.names)?;
    if let Some(id) = &cli.cloudfront {
        awsops_core::aws_ids::check("--cloudfront", awsops_core::aws_ids::DISTRIBUTION_ID, id)?;
    }
    let piped = match (&cli.load_balancer, &cli.cloudfront) {
        (None, None) => piped_load_balancer(cli.from.as_deref())?,
        _ => None,
    };
    let lb_ref = match (&cli.load_balancer, &piped) {
        (Some(text), _) => Some(LbRef::parse(text)?),
        (None, Some(doc)) => Some(LbRef::Arn(doc.arn.clone())),
        (None, None) => None,
    };
    if lb_ref.is_none() && (cli.redirect_http || !cli.target_group.is_empty()) {
        return Err(Error::usage(
            "--redirect-http and --target-group need a load balancer: give --load-balancer LB or pipe in a `load-balancer` document",
        ));
    }
    if lb_ref.is_some() && cli.no_wait {
        return Err(Error::usage("--no-wait cannot be used with a load balancer: the listener needs an ISSUED certificate"));
    }
    if let Some(role) = &cli.zone_role_arn {
        awsops_core::aws_limits::check_role_arn("--zone-role-arn", role)?;
    }
    let config = cli.common.aws.load().await?;
    let region = config.region().map(ToString::to_string).unwrap_or_default();
    if let Some(doc) = &piped
        && doc.region != region
    {
        return Err(Error::usage(format!("the piped load balancer {} is in {}: pass --region {}", doc.name, doc.region, doc.region)));
    }
    // CloudFront takes certificates from us-east-1 only, whatever the region of the rest.
    let acm = match &cli.cloudfront {
        Some(_) => aws_sdk_acm::Client::new(&awsops_core::aws_config::in_region(&config, cloudfront::CERTIFICATE_REGION)),
        None => aws_sdk_acm::Client::new(&config),
    };
    let cf = aws_sdk_cloudfront::Client::new(&config);
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&config);
    let r53 = match &cli.zone_role_arn {
        None => aws_sdk_route53::Client::new(&config),
        Some(role) => {
            let provider =
                aws_config::sts::AssumeRoleProvider::builder(role).session_name("awsops-cert-attach").configure(&config).build().await;
            aws_sdk_route53::Client::from_conf(aws_sdk_route53::config::Builder::from(&config).credentials_provider(provider).build())
        }
    };

    // Everything to check before a change, concurrently: zones, the certificate, the load balancer.
    let target = async {
        match &lb_ref {
            None => Ok(None),
            Some(which) => look_up_target(&elb, which, &region, &cli).await.map(Some),
        }
    };
    let distribution = async {
        match &cli.cloudfront {
            None => Ok(None),
            Some(id) => cloudfront::get_config(&cf, id).await.map(Some),
        }
    };
    let (zones, existing, target, distribution) =
        tokio::join!(route53::zones(&r53), acm::find_reusable(&acm, &names, &cli.key_algorithm), target, distribution);
    let zones = zones?;
    let distribution = distribution?;
    let all: Vec<_> = names.all.iter().cloned().collect();
    let zone_of = validation::zones_for(&all, &zones, &cli.zone_id)?;
    let target = target?;
    let existing = existing?;

    let placeholder = "(the new certificate)".to_owned();
    let cert_arn = existing.as_ref().map(|c| c.arn.clone()).unwrap_or_else(|| placeholder.clone());
    let steps = match &target {
        Some(t) => listener_plan::plan(&t.lb_type, &t.listeners, &want(&cli, &cert_arn, t))?,
        None => Vec::new(),
    };
    if let Some(t) = &target {
        warn_if_closed(&config, t).await;
    }

    let mut doc = CertificateDoc {
        arn: existing.as_ref().map(|c| c.arn.clone()).unwrap_or_default(),
        domain: names.domain.as_str().to_owned(),
        names: names.as_strings(),
        status: existing.as_ref().map(|c| c.status.clone()).unwrap_or_else(|| PLANNED.to_owned()),
        listener_arn: None,
        load_balancer: target.as_ref().map(|t| t.doc.clone()),
        distribution: None,
        validation_records: Vec::new(),
        changed: false,
        changes: Vec::new(),
    };
    let mut out = Output::stdout();

    if cli.dry_run.is_set() {
        match &existing {
            Some(cert) => {
                doc.changes.push(format!("reuse certificate {} ({})", cert.arn, cert.status));
                let publish = record_changes(&r53, &cert.records, &zone_of).await?;
                describe_publishing(&mut doc, &publish, &zone_of);
                doc.validation_records = unique_records(&cert.records);
            }
            None => {
                doc.changes.push(format!("request a DNS-validated certificate for {}", names.as_strings().join(", ")));
                let zones: BTreeMap<&str, &Zone> = zone_of.values().map(|z| (z.id.as_str(), *z)).collect();
                for z in zones.values() {
                    doc.changes.push(format!("upsert its validation CNAMEs in zone {} ({})", z.name, z.id));
                }
            }
        }
        if existing.as_ref().is_none_or(|c| c.status != "ISSUED") && !cli.no_wait {
            doc.changes.push("wait until the certificate is ISSUED".to_owned());
        }
        doc.changes.extend(steps.iter().map(Step::describe));
        if let (Some(id), Some(current)) = (&cli.cloudfront, &distribution)
            && cloudfront::with_certificate(&current.config, &names.as_strings(), &cert_arn).is_some()
        {
            doc.changes.push(format!(
                "update distribution {id} (If-Match its ETag): aliases {}, viewer certificate SNI {}",
                names.as_strings().join(", "),
                cloudfront::MINIMUM_PROTOCOL
            ));
            doc.changes.push(format!("wait until distribution {id} is Deployed"));
        }
        doc.listener_arn = target.as_ref().and_then(|t| listener_plan::https_listener(&t.listeners).map(|l| l.arn.clone()));
        doc.changed = doc.changes.iter().any(|c| !c.starts_with("reuse ") && !c.starts_with("wait "));
        out.emit(&doc)?;
        return Ok(Outcome::Success);
    }

    // The certificate: reused, or requested (an idempotency token makes a retried request return the same one).
    let arn = match &existing {
        Some(cert) => {
            tracing::info!("reusing certificate {} ({})", cert.arn, cert.status);
            cert.arn.clone()
        }
        None => {
            let arn = acm::request(&acm, &names, &cli.key_algorithm).await?;
            tracing::info!("requested certificate {arn}");
            doc.changes.push(format!("requested certificate {arn} for {}", names.as_strings().join(", ")));
            arn
        }
    };
    doc.arn = arn.clone();
    // Records are kept in place for issued certificates too: ACM renews through them.
    let cert = acm::wait_for_records(&acm, &arn, cli.timeout.get()).await?;
    let publish = record_changes(&r53, &cert.records, &zone_of).await?;
    describe_publishing(&mut doc, &publish, &zone_of);
    let comment = format!("cert-attach validation for {}", names.domain);
    let sent = futures_util::future::try_join_all(publish.iter().filter(|(_, c)| !c.is_empty()).map(|(zone_id, changes)| {
        let (r53, comment) = (&r53, &comment);
        async move { route53::change(r53, zone_id, changes, comment).await }
    }))
    .await?;
    for (id, _) in &sent {
        tracing::info!("validation records sent (change {id})");
    }
    doc.validation_records = unique_records(&cert.records);
    let cert = if cert.status == "ISSUED" || cli.no_wait { cert } else { acm::wait_issued(&acm, &arn, cli.timeout.get()).await? };
    doc.status = cert.status.clone();

    if let Some(t) = &target {
        let steps = listener_plan::plan(&t.lb_type, &t.listeners, &want(&cli, &arn, t))?;
        let mut https = listener_plan::https_listener(&t.listeners).map(|l| l.arn.clone());
        for step in &steps {
            tracing::info!("{}: {}", t.doc.name, step.describe());
            let listener = listeners::apply(&elb, &t.doc.arn, step, &arn, cli.timeout.get()).await?;
            if matches!(step, Step::CreateHttps { .. } | Step::AddCertificate { .. }) {
                https = Some(listener);
            }
            doc.changes.push(step.describe());
        }
        doc.listener_arn = https;
    }
    if let Some(id) = &cli.cloudfront {
        if cloudfront::attach(&cf, id, &names.as_strings(), &arn).await? {
            tracing::info!("distribution {id}: certificate and aliases set; waiting until it is Deployed");
            doc.changes.push(format!("updated distribution {id}: aliases {}, viewer certificate {arn}", names.as_strings().join(", ")));
        }
        cloudfront::wait_deployed(&cf, id, cli.timeout.get()).await?;
        doc.distribution = Some(cloudfront::document(&cf, id).await?);
    }
    doc.changed = !doc.changes.is_empty();
    out.emit(&doc)?;
    Ok(Outcome::Success)
}

/// The `load-balancer` document on stdin (or in `--from`), if one was given: exactly one.
fn piped_load_balancer(from: Option<&std::path::Path>) -> Result<Option<LoadBalancerDoc>> {
    let Some((origin, values)) = awsops_core::input::read_values(from)? else {
        return Ok(None);
    };
    let mut docs = awsops_core::input::select::<LoadBalancerDoc>(values, &origin)?;
    match docs.len() {
        0 => Ok(None),
        1 => Ok(docs.pop()),
        n => Err(Error::usage(format!("{origin}: {n} `load-balancer` documents; cert-attach serves one load balancer, so pipe in one"))),
    }
}

fn want<'a>(cli: &'a Cli, cert_arn: &'a str, t: &Target) -> Want<'a> {
    Want {
        certificate_arn: cert_arn,
        ssl_policy: &cli.ssl_policy,
        target_groups: t.target_groups.clone(),
        redirect_http: cli.redirect_http,
    }
}

async fn look_up_target(elb: &aws_sdk_elasticloadbalancingv2::Client, which: &LbRef, region: &str, cli: &Cli) -> Result<Target> {
    let lb = load_balancer::find(elb, which, region).await?;
    let arn = lb.load_balancer_arn().unwrap_or_default();
    let (found, groups, policy) = tokio::join!(
        listeners::describe(elb, arn),
        async {
            if cli.target_group.is_empty() {
                Ok(None)
            } else {
                listeners::target_groups(elb, &cli.target_group, lb.vpc_id()).await.map(Some)
            }
        },
        listeners::check_ssl_policy(elb, &cli.ssl_policy),
    );
    policy?;
    Ok(Target {
        doc: load_balancer::document(&lb, region),
        lb_type: lb.r#type().map(|t| t.as_str().to_owned()).unwrap_or_default(),
        listeners: found?,
        target_groups: groups?,
        security_groups: lb.security_groups().to_vec(),
    })
}

/// A warning (not an error: the groups may be changed later) when HTTPS cannot get in.
async fn warn_if_closed(config: &aws_config::SdkConfig, t: &Target) {
    let ec2 = aws_sdk_ec2::Client::new(config);
    match reachability::closed_groups(&ec2, &t.security_groups, listener_plan::HTTPS_PORT).await {
        Ok(closed) if !closed.is_empty() => tracing::warn!(
            "{}: its security groups ({}) admit nothing on TCP {}: clients cannot reach HTTPS until one does",
            t.doc.name,
            closed.join(", "),
            listener_plan::HTTPS_PORT
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!("{}: could not check that its security groups admit HTTPS: {e}", t.doc.name),
    }
}

/// The validation records each zone still needs, by zone id (zones needing none map to an empty list).
async fn record_changes(
    r53: &aws_sdk_route53::Client,
    records: &[validation::ValidationRecord],
    zone_of: &BTreeMap<awsops_core::dns_name::DomainName, &Zone>,
) -> Result<BTreeMap<String, Vec<awsops_core::kinds::RecordChange>>> {
    let wanted = validation::by_zone(records, zone_of)?;
    let lookups = wanted.iter().flat_map(|(zone_id, sets)| {
        sets.iter().map(move |set| async move {
            let name = awsops_core::dns_name::DomainName::parse(&set.name)?;
            Ok::<_, Error>((zone_id.clone(), set.clone(), route53::records_at(r53, zone_id, &name).await?))
        })
    });
    let found = futures_util::future::try_join_all(lookups).await?;
    let mut out: BTreeMap<String, Vec<awsops_core::kinds::RecordChange>> = BTreeMap::new();
    for (zone_id, set, existing) in found {
        out.entry(zone_id).or_default().extend(validation::changes(std::slice::from_ref(&set), &existing));
    }
    Ok(out)
}

fn describe_publishing(
    doc: &mut CertificateDoc,
    publish: &BTreeMap<String, Vec<awsops_core::kinds::RecordChange>>,
    zone_of: &BTreeMap<awsops_core::dns_name::DomainName, &Zone>,
) {
    for (zone_id, changes) in publish.iter().filter(|(_, c)| !c.is_empty()) {
        let zone_name = zone_of.values().find(|z| &z.id == zone_id).map(|z| z.name.as_str()).unwrap_or_default();
        let what: Vec<&str> = changes.iter().map(|c| c.record.name.as_str()).collect();
        doc.changes.push(format!("upsert validation CNAME {} in zone {zone_name} ({zone_id})", what.join(", ")));
    }
}

fn unique_records(records: &[validation::ValidationRecord]) -> Vec<RecordSet> {
    let mut sets: Vec<RecordSet> = records.iter().map(validation::ValidationRecord::record_set).collect();
    sets.sort_by(|a, b| a.name.cmp(&b.name));
    sets.dedup();
    sets
}
