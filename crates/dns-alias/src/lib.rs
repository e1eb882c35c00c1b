//! dns-alias: points a name at an S3 website, a load balancer, a CloudFront distribution
//! or any host, in the right hosted zone, with the right record type and alias zone id,
//! changing Route 53 only when something differs, and waiting until the change is live.

pub mod permissions;
pub mod record;
pub mod resolve;
pub mod s3_website;
pub mod target;

use awsops_core::cli::{DryRun, Timeout};
use awsops_core::confirm::confirm;
use awsops_core::dns_name::DomainName;
use awsops_core::document::{from_value, kind_of};
use awsops_core::kinds::{CertificateDoc, LoadBalancerDoc, RecordDoc, RecordStatus, TargetKind};
use awsops_core::output::Output;
use awsops_core::{CommandCli, CommonArgs, Document, Error, Outcome, Result};
use awsops_core::{hosted_zone as zones, route53};
use clap::{Args, Parser, Subcommand};
use record::{Action, Desired};
use std::path::PathBuf;

pub const NAME: &str = "dns-alias";

#[derive(Parser, Debug)]
#[command(
    name = "dns-alias",
    version,
    about = "Point a DNS name at an S3 website, load balancer, CloudFront or host, in Route 53",
    long_about = "Point a DNS name at a target in Route 53: an S3 website (s3://BUCKET or its website host), \
                  an ALB/NLB (DNS name or ARN), a CloudFront domain, or any other host. The hosted zone is \
                  found by the longest matching suffix; alias A (and AAAA) records get the right alias zone \
                  id, other hosts a CNAME. AWS's own rules are checked before any change, an unchanged \
                  record is not touched, and the command waits until the change is INSYNC.\n\n\
                  Without TARGET it reads a `certificate` (from cert-attach: its load balancer or CloudFront \
                  distribution) or `load-balancer` document (from vpc-bootstrap lb) from stdin. Prints a `record` document."
)]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(subcommand)]
    pub command: Command,
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

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Make NAME point at TARGET (UPSERT only when different)
    Set(SetArgs),
    /// Remove NAME's records, only if they still point at TARGET
    Delete(DeleteArgs),
}

awsops_core::waits_for!(InsyncWait, "10m", "Give up waiting for INSYNC after this long");

#[derive(Args, Debug)]
pub struct Where {
    /// The DNS name, e.g. www.example.com
    #[arg(value_name = "NAME")]
    pub name: String,
    /// s3://BUCKET, a website/ELB/CloudFront host, an ELB ARN, or any host [default: a document on stdin]
    #[arg(value_name = "TARGET")]
    pub target: Option<String>,
    /// Read the `certificate` or `load-balancer` document from FILE (`-` for stdin)
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    /// Use this hosted zone instead of finding one by the name
    #[arg(long, value_name = "ZONE_ID", env = "AWSOPS_ZONE_ID")]
    pub zone_id: Option<String>,
    /// Look among private hosted zones instead of public ones
    #[arg(long)]
    pub private: bool,
    /// A CNAME to the target's host even where an alias is possible (never at the zone apex)
    #[arg(long)]
    pub cname: bool,
    /// TTL of a CNAME, in seconds
    #[arg(long, default_value_t = 300, value_name = "SECONDS")]
    pub ttl: i64,
    #[command(flatten)]
    pub dry_run: DryRun,
    /// Do not wait for the change to be INSYNC
    #[arg(long)]
    pub no_wait: bool,
    #[command(flatten)]
    pub timeout: Timeout<InsyncWait>,
}

#[derive(Args, Debug)]
pub struct SetArgs {
    #[command(flatten)]
    pub at: Where,
}

#[derive(Args, Debug)]
pub struct DeleteArgs {
    #[command(flatten)]
    pub at: Where,
    /// Do not ask; required when not on a terminal
    #[arg(long, short = 'y')]
    pub yes: bool,
}

pub async fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Set(args) => apply(&cli.common, &args.at, false, false).await,
        Command::Delete(args) => apply(&cli.common, &args.at, true, args.yes).await,
    }
}

/// `--cname`: the target's host as a CNAME; only targets that are host names have one.
fn cname_to(t: &target::Target, text: &str, ttl: i64) -> Result<Desired> {
    match t {
        target::Target::S3Website { region: Some(_), .. }
        | target::Target::LoadBalancer { dns_name: Some(_), .. }
        | target::Target::CloudFront { .. }
        | target::Target::Host { .. } => Ok(Desired::Cname { host: DomainName::parse(text)?.as_str().to_owned(), ttl }),
        _ => Err(Error::usage(format!("--cname needs a host name as the target, not {text}"))),
    }
}

/// The target: the argument, or the load balancer of a document on stdin.
enum Given {
    Text(target::Target, String),
    LoadBalancer(LoadBalancerDoc),
}

fn given(at: &Where) -> Result<Given> {
    if let Some(text) = &at.target {
        return Ok(Given::Text(target::classify(text)?, text.clone()));
    }
    let Some((origin, values)) = awsops_core::input::read_values(at.from.as_deref())? else {
        return Err(Error::usage("no TARGET: give one, or pipe in a `certificate` or `load-balancer` document"));
    };
    // Exactly one: with several, which name would point where is a guess.
    let count = values.len();
    let Some(value) = values.into_iter().next() else {
        return Err(Error::usage(format!("{origin}: no document")));
    };
    if count > 1 {
        return Err(Error::usage(format!("{origin}: {count} documents; dns-alias points one name at one target, so pipe in exactly one")));
    }
    match kind_of(&value) {
        Some(LoadBalancerDoc::KIND) => Ok(Given::LoadBalancer(from_value::<LoadBalancerDoc>(value, &origin)?)),
        Some(CertificateDoc::KIND) => {
            let cert = from_value::<CertificateDoc>(value, &origin)?;
            // On a CloudFront distribution (`cert-attach --cloudfront`): its domain, checked
            // like a typed target (and its aliases against CloudFront before any change).
            if let Some(d) = &cert.distribution {
                let t = target::classify(&d.domain_name)?;
                if !matches!(t, target::Target::CloudFront { .. }) {
                    return Err(Error::usage(format!(
                        "{origin}: distribution {} has domain {}, not a CloudFront domain",
                        d.id, d.domain_name
                    )));
                }
                return Ok(Given::Text(t, d.domain_name.clone()));
            }
            cert.load_balancer.map(Given::LoadBalancer).ok_or_else(|| {
                Error::usage(format!("{origin}: certificate {} is not attached to a load balancer, so there is nothing to alias", cert.arn))
            })
        }
        other => Err(Error::usage(format!(
            "{origin}: expected a `certificate` or `load-balancer` document, got {}",
            other.map(|k| format!("a `{k}` document")).unwrap_or_else(|| "JSON without a `kind`".into())
        ))),
    }
}

async fn apply(common: &CommonArgs, at: &Where, delete: bool, yes: bool) -> Result<Outcome> {
    let name = DomainName::parse(&at.name)?;
    if !(1..=2_147_483_647).contains(&at.ttl) {
        return Err(Error::usage(format!("--ttl {}: expected 1 or more seconds", at.ttl)));
    }
    let given = given(at)?;
    if let Given::LoadBalancer(doc) = &given {
        // The region picks the endpoint a client is built for: checked like a flag.
        awsops_core::aws_config::known_region(&doc.region)?;
    }
    let config = common.aws.load().await?;
    let region = config.region().map(ToString::to_string).unwrap_or_default();
    let r53 = aws_sdk_route53::Client::new(&config);
    let clients = resolve::Clients { config: &config, region: &region };
    // The zone and the target are independent lookups: both at once.
    let target = async {
        Ok::<_, Error>(match &given {
            Given::Text(t, text) if at.cname => {
                let desired = cname_to(t, text, at.ttl)?;
                if let target::Target::S3Website { bucket, region } = t {
                    resolve::website_bucket(&clients, bucket, region.as_deref()).await?;
                }
                (desired, text.clone(), t.kind())
            }
            Given::Text(t, text) => (resolve::resolve(&clients, &name, t, at.ttl).await?, text.clone(), t.kind()),
            // A document is input: the load balancer it names must exist, and AWS's own
            // DNS name and zone are used, not the document's.
            Given::LoadBalancer(doc) => {
                let lb = resolve::load_balancer(&clients, None, Some(&doc.arn), &doc.region).await?;
                if !lb.dns_name.eq_ignore_ascii_case(&doc.dns_name) {
                    tracing::warn!("the document says {} is {}, AWS says {}: using AWS's", doc.arn, doc.dns_name, lb.dns_name);
                }
                let desired =
                    if at.cname { Desired::Cname { host: lb.dns_name.clone(), ttl: at.ttl } } else { resolve::from_load_balancer(&lb) };
                (desired, lb.dns_name.clone(), TargetKind::LoadBalancer)
            }
        })
    };
    let (all_zones, target) = tokio::join!(route53::zones(&r53), target);
    // The zone's errors first, whichever lookup finished first: the message does not depend on timing.
    let zone =
        zones::choose(&name, &all_zones?, if at.private { zones::Among::Private } else { zones::Among::Public }, at.zone_id.as_deref())?
            .clone();
    let (desired, target_text, target_kind) = target?;
    if zone.private && target_kind == TargetKind::CloudFront && !at.cname {
        return Err(Error::usage("a CloudFront alias cannot be in a private hosted zone"));
    }
    let existing = route53::records_at(&r53, &zone.id, &name).await?;
    let changes =
        if delete { record::plan_delete(&name, &desired, &existing)? } else { record::plan_set(&name, &zone.name, &desired, &existing)? };
    let records = if delete { changes.iter().map(|c| c.record.clone()).collect() } else { record::desired_sets(&name, &desired) };
    let mut doc = RecordDoc {
        name: name.as_str().to_owned(),
        zone_id: zone.id.clone(),
        zone_name: zone.name.clone(),
        target: target_text,
        target_kind,
        records,
        changed: !changes.is_empty(),
        changes: changes.clone(),
        status: RecordStatus::Unchanged,
        change_id: None,
    };
    let mut out = Output::stdout();
    if at.dry_run.is_set() {
        if doc.changed {
            doc.status = RecordStatus::Planned;
        }
        out.emit(&doc)?;
        return Ok(Outcome::Success);
    }
    if changes.is_empty() {
        if delete {
            tracing::warn!("{name}: no record points at {}; nothing to delete", doc.target);
        }
        out.emit(&doc)?;
        return Ok(Outcome::Success);
    }
    if delete && !confirm(&format!("delete {} record(s) of {name}", changes.len()), yes)? {
        return Err(Error::failed("not confirmed; nothing was changed"));
    }
    for c in &changes {
        let verb = if c.action == Action::Delete { "delete" } else { "upsert" };
        tracing::info!("{name}: {verb} {} -> {}", c.record.rtype, record::describe(&c.record));
    }
    let (id, status) = route53::change(&r53, &zone.id, &changes, &format!("dns-alias {}", if delete { "delete" } else { "set" })).await?;
    doc.change_id = Some(id.clone());
    doc.status =
        RecordStatus::from_change_status(&if at.no_wait { status } else { route53::wait_insync(&r53, &id, at.timeout.get()).await? });
    out.emit(&doc)?;
    Ok(Outcome::Success)
}
