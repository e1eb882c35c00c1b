//! The AWS-side subcommands: `create` (discover, plan, then apply the plan or print it),
//! `status`, and `destroy` (the same plan printed by `--dry-run` and carried out).

use crate::cli::{CreateArgs, DestroyArgs, WhichArgs};
use crate::create_plan::{self, Wanted};
use crate::efs_api::{self, Clients, Which};
use crate::spec::{self, AccessPointSpec, CreateSpec};
use awsops_core::confirm::confirm;
use awsops_core::kinds::{EfsDoc, SecurityGroupRole, Tier, VpcDoc};
use awsops_core::output::Output;
use awsops_core::{CommonArgs, Error, Outcome, Result};

/// Subnets and client groups: the flags, else the piped `vpc` document's private subnets
/// (the first of each AZ) and web/private groups. No subnets at all is a usage error here,
/// before any call: never "every subnet of the region".
fn network(args: &CreateArgs) -> Result<(Vec<String>, Vec<String>)> {
    let (mut subnets, mut groups) = (args.subnets.clone(), args.client_sgs.clone());
    if (subnets.is_empty() || groups.is_empty())
        && let Some(vpc) = awsops_core::input::read_one::<VpcDoc>(args.from.as_deref())?
    {
        if subnets.is_empty() {
            let mut private: Vec<_> = vpc.subnets_in_tier(Tier::Private).collect();
            private.sort_by(|a, b| a.name.cmp(&b.name));
            for s in private {
                if !subnets.iter().any(|id| vpc.subnets.iter().any(|o| &o.id == id && o.az == s.az)) {
                    subnets.push(s.id.clone());
                }
            }
        }
        if groups.is_empty() {
            groups = [SecurityGroupRole::Web, SecurityGroupRole::Private]
                .into_iter()
                .filter_map(|r| vpc.security_groups.get(r).cloned())
                .collect();
        }
    }
    if subnets.is_empty() {
        return Err(Error::usage("no subnets: give --subnet, or pipe in a `vpc` document that has private subnets"));
    }
    if groups.is_empty() {
        return Err(Error::usage("no client security group: give --client-sg, or pipe in a `vpc` document with a web or private group"));
    }
    let mut seen = Vec::new();
    for s in &subnets {
        if seen.contains(&s) {
            return Err(Error::usage(format!("subnet {s} is given twice")));
        }
        seen.push(s);
    }
    Ok((subnets, groups))
}

fn create_spec(args: &CreateArgs) -> Result<CreateSpec> {
    let spec = CreateSpec {
        name: args.name.clone(),
        kms_key: args.kms_key.clone(),
        performance_mode: args.performance_mode.clone(),
        throughput_mode: args.throughput_mode.clone(),
        provisioned_mibps: args.provisioned_mibps,
        ia_after_days: (!args.no_lifecycle).then_some(args.ia_after_days),
        backups: !args.no_backups,
        require_tls: args.require_tls,
        access_points: args.access_points.iter().map(|a| AccessPointSpec::parse(a)).collect::<Result<_>>()?,
    };
    spec::check(&spec)?;
    Ok(spec)
}

pub async fn create(common: &CommonArgs, args: &CreateArgs) -> Result<Outcome> {
    let spec = create_spec(args)?;
    let (subnets, clients) = network(args)?;
    let c = Clients::new(&common.aws, None).await?;
    let placement = efs_api::placement(&c, &subnets).await?;
    efs_api::check_client_groups(&c, &clients, &placement.vpc_id).await?;
    let wanted = Wanted { spec: &spec, placement: &placement, clients: &clients };
    let observed = efs_api::observe(&c, Which::Name(&spec.name), Some(&placement.vpc_id)).await?;
    let steps = create_plan::plan_create(&wanted, &observed)?;
    let mut out = Output::stdout();
    if args.dry_run.is_set() {
        out.emit(&create_plan::planned_document(&wanted, &observed, &steps, &c.region))?;
        return Ok(Outcome::Success);
    }
    let done = efs_api::apply_create(&c, &wanted, &observed, &steps, args.timeout.get()).await?;
    let now = efs_api::observe(&c, Which::Name(&spec.name), Some(&placement.vpc_id)).await?;
    let mut doc = now.document(&c.region).ok_or_else(|| Error::failed(format!("file system {} vanished after create", spec.name)))?;
    doc.changed = !done.is_empty();
    doc.changes = done;
    out.emit(&doc)?;
    Ok(Outcome::Success)
}

pub async fn status(common: &CommonArgs, args: &WhichArgs) -> Result<Outcome> {
    let c = Clients::new(&common.aws, None).await?;
    let observed = efs_api::observe(&c, Which::IdOrName(&args.file_system), None).await?;
    let doc =
        observed.document(&c.region).ok_or_else(|| Error::usage(format!("no EFS file system {} in {}", args.file_system, c.region)))?;
    Output::stdout().emit(&doc)?;
    Ok(Outcome::Success)
}

pub async fn destroy(common: &CommonArgs, args: &DestroyArgs) -> Result<Outcome> {
    let c = Clients::new(&common.aws, None).await?;
    let which = &args.which.file_system;
    let observed = efs_api::observe(&c, Which::IdOrName(which), None).await?;
    let steps = create_plan::plan_destroy(&observed);
    if steps.is_empty() {
        return Err(Error::usage(format!("no EFS file system {which} in {}", c.region)));
    }
    // What an interrupted destroy left (its group) still goes, named by the file system's name.
    let mut doc = observed.document(&c.region).unwrap_or_else(|| leftover_document(which, &c.region));
    doc.changes = steps.iter().map(|s| s.describe()).collect();
    doc.changed = true;
    let mut out = Output::stdout();
    if args.dry_run.is_set() {
        out.emit(&doc)?;
        return Ok(Outcome::Success);
    }
    let what = match &observed.fs {
        Some(fs) => format!("delete EFS file system {} ({}) and everything on it", fs.id, fs.name),
        None => format!("delete what is left of EFS file system {which} ({} step(s))", steps.len()),
    };
    if !confirm(&what, args.yes)? {
        return Err(Error::failed("not confirmed; nothing was deleted"));
    }
    doc.changes = efs_api::apply_destroy(&c, &steps, args.timeout.get()).await?;
    doc.state = "deleted".into();
    out.emit(&doc)?;
    Ok(Outcome::Success)
}

fn leftover_document(name: &str, region: &str) -> EfsDoc {
    EfsDoc {
        name: name.to_owned(),
        file_system_id: String::new(),
        region: region.to_owned(),
        dns_name: String::new(),
        state: "deleted".into(),
        encrypted: true,
        kms_key_id: None,
        performance_mode: String::new(),
        throughput_mode: String::new(),
        transition_to_ia_days: None,
        backups: false,
        require_tls: false,
        vpc_id: None,
        security_group_id: None,
        mount_targets: Vec::new(),
        access_points: Vec::new(),
        changed: false,
        changes: Vec::new(),
    }
}
