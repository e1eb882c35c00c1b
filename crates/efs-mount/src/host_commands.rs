//! The host-side subcommands, run on the client as root: `mount` (the document checked
//! against its patterns and, unless `--offline`, against EFS; the host's AZ; the plan; the
//! reachability probe; the mount; the fstab line) and `unmount`. Every refusal happens
//! before anything on the host is changed, and only EFS/NFS mounts and the fstab lines
//! efs-mount writes are ever touched.

use crate::cli::{MountArgs, UnmountArgs};
use crate::efs_api::{self, Clients, Which};
use crate::{fstab, host, mount_plan, mount_point};
use awsops_core::aws_ids;
use awsops_core::confirm::confirm;
use awsops_core::document::Document;
use awsops_core::kinds::{EfsDoc, EfsMountDoc, MountStatus};
use awsops_core::output::Output;
use awsops_core::{CommonArgs, Error, Outcome, Result};
use std::time::Duration;

/// A mount point that exists must be a directory.
fn check_directory(path: &str) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_dir() => Err(Error::usage(format!("mount point {path} exists and is not a directory"))),
        _ => Ok(()),
    }
}

/// The `efs` document: from EFS by name or id, or from `--from`/stdin.
async fn file_system(common: &CommonArgs, args: &MountArgs) -> Result<EfsDoc> {
    let doc = match &args.file_system {
        Some(which) => {
            let c = Clients::new(&common.aws, None).await?;
            let observed = efs_api::observe(&c, Which::IdOrName(which), None).await?;
            let doc = observed.document(&c.region).ok_or_else(|| Error::usage(format!("no EFS file system {which} in {}", c.region)))?;
            doc.validate()?;
            doc
        }
        None => awsops_core::input::read_one::<EfsDoc>(args.from.as_deref())?
            .ok_or_else(|| Error::usage("no file system: pipe in an `efs` document, or give --from or --file-system"))?,
    };
    if doc.file_system_id.is_empty() {
        return Err(Error::usage("the `efs` document is a dry run's plan: the file system does not exist yet"));
    }
    Ok(doc)
}

/// Whether an AZ name is one of `region`'s: `REGIONx`, or a Local Zone `REGION-zone-Nx`.
fn az_in_region(az: &str, region: &str) -> bool {
    aws_ids::matches(aws_ids::AVAILABILITY_ZONE, az) && az.strip_prefix(region).is_some_and(|rest| rest.len() == 1 || rest.starts_with('-'))
}

/// `--az`: a well-formed AZ name (of the file system's region) or AZ id.
fn check_az_shape(az: &str, region: &str) -> Result<()> {
    if aws_ids::matches(aws_ids::AVAILABILITY_ZONE, az) {
        if !az_in_region(az, region) {
            return Err(Error::usage(format!("--az {az} is not an AZ of {region}, the file system's region")));
        }
        return Ok(());
    }
    if aws_ids::matches(aws_ids::AVAILABILITY_ZONE_ID, az) {
        return Ok(());
    }
    Err(Error::usage(format!("--az {az:?} is neither an AZ name (e.g. {region}a) nor an AZ id (e.g. apne2-az1)")))
}

/// Checks the document against EFS (the file system exists; its mount targets are the
/// ones the document names, at the same addresses), the access point against the file
/// system, and an `--az` no target has against the region's AZs. Returns EFS's targets.
async fn verify(common: &CommonArgs, args: &MountArgs, doc: &EfsDoc) -> Result<EfsDoc> {
    let c = Clients::new(&common.aws, Some(&doc.region)).await?;
    let targets = efs_api::current_targets(&c, &doc.file_system_id).await?.ok_or_else(|| {
        Error::usage(format!("file system {} does not exist in {}: the document is stale or altered", doc.file_system_id, doc.region))
    })?;
    for t in &doc.mount_targets {
        match targets.iter().find(|a| a.id == t.id) {
            Some(a) if a.ip == t.ip && a.az == t.az => {}
            Some(a) => {
                return Err(Error::usage(format!(
                    "mount target {} is at {} in {} according to EFS, not {} in {} as the document says",
                    t.id, a.ip, a.az, t.ip, t.az
                )));
            }
            None => return Err(Error::usage(format!("mount target {} is not one of {}'s in EFS", t.id, doc.file_system_id))),
        }
    }
    // TLS-only is EFS's say, not the document's (a stale one would plan plain NFS).
    let require_tls = doc.require_tls || efs_api::requires_tls(&c, &doc.file_system_id).await?;
    if let Some(ap) = &args.access_point
        && !efs_api::access_point_of(&c, &doc.file_system_id, ap).await?
    {
        return Err(Error::usage(format!("access point {ap} does not belong to file system {}", doc.file_system_id)));
    }
    if let Some(az) = &args.az
        && !targets.iter().any(|t| &t.az == az || &t.az_id == az)
    {
        let zones = efs_api::availability_zones(&c).await?;
        if !zones.iter().any(|(name, id)| name == az || id == az) {
            return Err(Error::usage(format!(
                "--az {az}: no such AZ in {} (there: {})",
                doc.region,
                zones.iter().map(|(n, i)| format!("{n}/{i}")).collect::<Vec<_>>().join(", ")
            )));
        }
    }
    Ok(EfsDoc { mount_targets: targets, require_tls, ..doc.clone() })
}

pub async fn mount(common: &CommonArgs, args: &MountArgs) -> Result<Outcome> {
    let mount_point = mount_point::check(&args.mount_point)?;
    mount_point::check_no_links(&mount_point)?;
    check_directory(&mount_point)?;
    let mut fs = file_system(common, args).await?;
    if let Some(az) = &args.az {
        check_az_shape(az, &fs.region)?;
    }
    let mounted = host::mounted_at(&args.host.mounts_file, &mount_point)?;
    if let Some((source, fstype)) = &mounted
        && !host::is_nfs(fstype)
    {
        return Err(Error::usage(format!("{mount_point} is a {fstype} mount of {source:?}; efs-mount mounts only on free directories")));
    }
    if args.offline {
        if let Some(ap) = &args.access_point
            && fs.access_points.is_empty()
        {
            return Err(Error::usage(format!("--offline: the document lists no access points, so {ap} cannot be checked; drop --offline")));
        }
    } else {
        fs = verify(common, args, &fs).await?;
    }
    let host_az = match &args.az {
        Some(az) => az.clone(),
        None => {
            let az = host::availability_zone(args.imds_endpoint.as_deref()).await?;
            if !az_in_region(&az, &fs.region) {
                return Err(Error::usage(format!(
                    "this host is in {az} (instance metadata), not in {}, the file system's region",
                    fs.region
                )));
            }
            az
        }
    };
    let efs_utils = match args.helper.as_deref() {
        Some("efs") => true,
        Some(_) => false,
        None => host::has_efs_utils(),
    };
    let address = args.address.map(|a| a.to_string());
    let plan = mount_plan::plan(
        &fs,
        &mount_plan::Options {
            mount_point: &mount_point,
            host_az: Some(&host_az),
            efs_utils,
            access_point: args.access_point.as_deref(),
            address: address.as_deref(),
            read_only: args.read_only,
        },
    )?;
    // Addresses this file system is reached at: its mount targets (or --address); with
    // efs-utils also the local TLS tunnel it mounts through.
    let mut addresses: Vec<String> = fs.mount_targets.iter().map(|t| t.ip.clone()).chain(address.clone()).collect();
    if plan.method == mount_plan::Method::Efs {
        addresses.push("127.0.0.1".into());
    }
    if let Some((source, _)) = &mounted
        && !addresses.iter().any(|a| source.split(':').next() == Some(a.as_str()))
    {
        return Err(Error::usage(format!(
            "{mount_point} is already mounted from {source:?}, not from {}: unmount it first",
            fs.file_system_id
        )));
    }
    if plan.cross_az {
        tracing::warn!(
            "no available mount target in {host_az}: mounting {}'s in {} (cross-AZ traffic costs money and fails with that AZ)",
            fs.file_system_id,
            plan.target.az
        );
    }
    let fs_id = fs.file_system_id.clone();
    let ours = move |line: &str| fstab::is_for(line, &fs_id, &addresses);
    let old = fstab::read(&args.host.fstab)?;
    let new = fstab::upsert(&old, &plan.entry, &ours)?;
    let is_mounted = mounted.is_some();
    let mut argv = plan.argv.clone();
    argv[0] = args.mount_program.clone();
    let mut doc = EfsMountDoc {
        file_system_id: fs.file_system_id.clone(),
        mount_point: plan.entry.mount_point.clone(),
        status: if is_mounted { MountStatus::AlreadyMounted } else { MountStatus::Mounted },
        target: Some(plan.target.clone()),
        host_az: Some(host_az),
        cross_az: plan.cross_az,
        method: Some(plan.method),
        commands: if is_mounted { Vec::new() } else { vec![argv.clone()] },
        fstab: args.host.fstab.display().to_string(),
        fstab_diff: new.as_deref().map(|n| fstab::diff(&old, n)).unwrap_or_default(),
        changed: !is_mounted || new.is_some(),
    };
    if new.is_some() || !is_mounted {
        fstab::check_writable(&args.host.fstab)?;
    }
    let mut out = Output::stdout();
    if args.host.dry_run.is_set() {
        if doc.changed {
            doc.status = MountStatus::Planned;
        }
        out.emit(&doc)?;
        return Ok(Outcome::Success);
    }
    if !is_mounted {
        if !args.no_check {
            let ip: std::net::IpAddr = address
                .as_deref()
                .unwrap_or(&plan.target.ip)
                .parse()
                .map_err(|_| Error::failed(format!("mount target address {} is not an IP address", plan.target.ip)))?;
            host::probe(std::net::SocketAddr::new(ip, args.check_port), Duration::from_secs(3))?;
        }
        std::fs::create_dir_all(&mount_point).map_err(|e| Error::failed(format!("cannot create mount point {mount_point}: {e}")))?;
        // Again, right before the mount: nothing may have swapped in a link meanwhile.
        mount_point::check_no_links(&mount_point)?;
        host::run(&argv)?;
    }
    if new.is_some() {
        // Read again under the lock: another run may have written its line meanwhile.
        if let Some(backup) = fstab::edit(&args.host.fstab, |now| fstab::upsert(now, &plan.entry, &ours))? {
            tracing::info!("{} updated (previous copy: {})", args.host.fstab.display(), backup.display());
        }
    }
    out.emit(&doc)?;
    Ok(Outcome::Success)
}

pub fn unmount(args: &UnmountArgs) -> Result<Outcome> {
    let mount_point = mount_point::check(&args.mount_point)?;
    let mounted = host::mounted_at(&args.host.mounts_file, &mount_point)?;
    if let Some((source, fstype)) = &mounted
        && !host::is_nfs(fstype)
    {
        return Err(Error::usage(format!(
            "{mount_point} is a {fstype} mount of {source:?}, not an EFS/NFS mount; efs-mount leaves it alone"
        )));
    }
    let old = fstab::read(&args.host.fstab)?;
    let new = fstab::remove(&old, &mount_point)?;
    if new.is_some() {
        fstab::check_writable(&args.host.fstab)?;
    }
    let argv = vec![args.umount_program.clone(), mount_point.clone()];
    let file_system_id = fstab::spec_of(&old, &mount_point)
        .map(|s| s.split(':').next().unwrap_or_default().to_owned())
        .filter(|id| aws_ids::matches(aws_ids::FILE_SYSTEM_ID, id))
        .unwrap_or_default();
    let mut doc = EfsMountDoc {
        file_system_id,
        mount_point: mount_point.clone(),
        status: if mounted.is_some() { MountStatus::Unmounted } else { MountStatus::NotMounted },
        target: None,
        host_az: None,
        cross_az: false,
        method: None,
        commands: if mounted.is_some() { vec![argv.clone()] } else { Vec::new() },
        fstab: args.host.fstab.display().to_string(),
        fstab_diff: new.as_deref().map(|n| fstab::diff(&old, n)).unwrap_or_default(),
        changed: mounted.is_some() || new.is_some(),
    };
    let mut out = Output::stdout();
    if args.host.dry_run.is_set() || !doc.changed {
        if doc.changed {
            doc.status = MountStatus::Planned;
        }
        out.emit(&doc)?;
        return Ok(Outcome::Success);
    }
    if !confirm(&format!("unmount {mount_point} and remove its fstab line"), args.yes)? {
        return Err(Error::failed("not confirmed; nothing was changed"));
    }
    if mounted.is_some() {
        host::run(&argv)?;
    }
    if new.is_some() {
        fstab::edit(&args.host.fstab, |now| fstab::remove(now, &mount_point))?;
    }
    out.emit(&doc)?;
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn az_flags_must_be_of_the_file_systems_region() {
        check_az_shape("ap-northeast-2a", "ap-northeast-2").unwrap();
        check_az_shape("apne2-az1", "ap-northeast-2").unwrap();
        check_az_shape("us-east-1-bos-1a", "us-east-1").unwrap();
        for bad in ["us-east-1a", "ap-northeast-2", "ap-northeast-2ab", "x", "ap-northeast-2a\n", "us-east-10a"] {
            assert_eq!(check_az_shape(bad, "ap-northeast-2").unwrap_err().exit_code(), 2, "{bad:?}");
        }
    }
}
