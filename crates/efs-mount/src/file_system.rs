//! The AWS side: a file system found again by its creation token, its NFS security group
//! (by ownership tags), mount targets one per AZ, access points, lifecycle, backups and the
//! TLS policy, made to match what was asked, then described as the `efs` document; and the
//! teardown in dependency order.

use crate::spec::{AccessPointSpec, CreateSpec};
use aws_sdk_ec2::types::{IpPermission, ResourceType, UserIdGroupPair};
use aws_sdk_efs::types::{
    CreationInfo, FileSystemDescription, LifeCycleState, LifecyclePolicy, PerformanceMode, PosixUser, RootDirectory, Tag, ThroughputMode,
    TransitionToIaRules,
};
use awsops_core::ec2::{filter, gone_is_ok, retry_codes, tag_spec};
use awsops_core::error::{aws_error, is_not_found};
use awsops_core::kinds::{EfsAccessPoint, EfsDoc, EfsMountTarget};
use awsops_core::ownership::{Ownership, ROLE_TAG, STACK_TAG, TOOL_TAG};
use awsops_core::waiter::{Poll, Waiter};
use awsops_core::{Error, Result};
use std::time::Duration;

pub const NFS_PORT: i32 = 2049;
const SG_ROLE: &str = "efs";

pub struct Clients {
    pub efs: aws_sdk_efs::Client,
    pub ec2: aws_sdk_ec2::Client,
    pub region: String,
}

/// The subnets' VPC and AZs, checked: known, one VPC, one subnet per AZ.
#[derive(Debug, Clone)]
pub struct Placement {
    pub vpc_id: String,
    /// (subnet id, AZ name)
    pub subnets: Vec<(String, String)>,
}

pub async fn placement(c: &Clients, subnet_ids: &[String]) -> Result<Placement> {
    let out = c.ec2.describe_subnets().set_subnet_ids(Some(subnet_ids.to_vec())).send().await.map_err(|e| {
        let err = Error::from_aws("DescribeSubnets", e);
        if is_not_found(&err) { Error::usage(format!("unknown subnet among {}: {err}", subnet_ids.join(", "))) } else { err }
    })?;
    let subnets: Vec<(String, String, String)> = out
        .subnets()
        .iter()
        .map(|s| {
            (
                s.subnet_id().unwrap_or_default().to_owned(),
                s.availability_zone().unwrap_or_default().to_owned(),
                s.vpc_id().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    crate::spec::check_placement(&subnets)
}

/// Client security groups: known, and in the file system's VPC.
pub async fn check_client_groups(c: &Clients, groups: &[String], vpc_id: &str) -> Result<()> {
    if groups.is_empty() {
        return Err(Error::usage("no client security group: give --client-sg, or pipe in a `vpc` document with a web or private group"));
    }
    let out = c.ec2.describe_security_groups().set_group_ids(Some(groups.to_vec())).send().await.map_err(|e| {
        let err = Error::from_aws("DescribeSecurityGroups", e);
        if is_not_found(&err) { Error::usage(format!("unknown security group among {}: {err}", groups.join(", "))) } else { err }
    })?;
    for g in out.security_groups() {
        if g.vpc_id() != Some(vpc_id) {
            return Err(Error::usage(format!(
                "security group {} is in {}, the subnets in {vpc_id}",
                g.group_id().unwrap_or_default(),
                g.vpc_id().unwrap_or_default()
            )));
        }
    }
    Ok(())
}

pub async fn find_by_token(c: &Clients, token: &str) -> Result<Option<FileSystemDescription>> {
    let out = c.efs.describe_file_systems().creation_token(token).send().await.map_err(aws_error("DescribeFileSystems"))?;
    Ok(out.file_systems().first().cloned())
}

/// By id (`fs-…`) or creation token; unknown is a usage error.
pub async fn find(c: &Clients, which: &str) -> Result<FileSystemDescription> {
    let found = if which.starts_with("fs-") {
        match c.efs.describe_file_systems().file_system_id(which).send().await {
            Ok(out) => out.file_systems().first().cloned(),
            Err(e) => {
                let err = Error::from_aws("DescribeFileSystems", e);
                if is_not_found(&err) || err.aws_code() == Some("BadRequest") {
                    None
                } else {
                    return Err(err);
                }
            }
        }
    } else {
        find_by_token(c, which).await?
    };
    found.ok_or_else(|| Error::usage(format!("no EFS file system {which} in {}", c.region)))
}

/// The NFS group efs-mount made for this file system name (in `vpc_id`, or anywhere).
async fn find_group(c: &Clients, owner: &Ownership, vpc_id: Option<&str>) -> Result<Option<String>> {
    let out = c
        .ec2
        .describe_security_groups()
        .set_filters(vpc_id.map(|v| vec![filter("vpc-id", [v])]))
        .filters(filter(&format!("tag:{TOOL_TAG}"), [crate::NAME]))
        .filters(filter(&format!("tag:{STACK_TAG}"), [owner.stack.as_str()]))
        .filters(filter(&format!("tag:{ROLE_TAG}"), [SG_ROLE]))
        .send()
        .await
        .map_err(aws_error("DescribeSecurityGroups"))?;
    Ok(out.security_groups().first().and_then(|g| g.group_id()).map(str::to_owned))
}

/// The NFS group: found by its tags or created; then every client group admitted on 2049.
async fn ensure_group(c: &Clients, owner: &Ownership, vpc_id: &str, clients: &[String], changes: &mut Vec<String>) -> Result<String> {
    let id = match find_group(c, owner, Some(vpc_id)).await? {
        Some(id) => id,
        None => {
            let name = format!("efs-{}", owner.stack);
            let out = c
                .ec2
                .create_security_group()
                .group_name(&name)
                .description(format!("NFS to EFS {} (efs-mount)", owner.stack))
                .vpc_id(vpc_id)
                .tag_specifications(tag_spec(ResourceType::SecurityGroup, &owner.tags(SG_ROLE, &name)))
                .send()
                .await
                .map_err(aws_error("CreateSecurityGroup"))?;
            changes.push(format!("created security group {name}"));
            out.group_id().unwrap_or_default().to_owned()
        }
    };
    let out = c.ec2.describe_security_groups().group_ids(&id).send().await.map_err(aws_error("DescribeSecurityGroups"))?;
    let admitted: Vec<String> = out
        .security_groups()
        .iter()
        .flat_map(|g| g.ip_permissions())
        .filter(|p| p.ip_protocol() == Some("tcp") && p.from_port() == Some(NFS_PORT) && p.to_port() == Some(NFS_PORT))
        .flat_map(|p| p.user_id_group_pairs().iter().filter_map(|u| u.group_id().map(str::to_owned)))
        .collect();
    let missing: Vec<&String> = clients.iter().filter(|g| !admitted.contains(g)).collect();
    if !missing.is_empty() {
        let rule = IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(NFS_PORT)
            .to_port(NFS_PORT)
            .set_user_id_group_pairs(Some(
                missing.iter().map(|g| UserIdGroupPair::builder().group_id(*g).description("NFS client (efs-mount)").build()).collect(),
            ))
            .build();
        c.ec2
            .authorize_security_group_ingress()
            .group_id(&id)
            .ip_permissions(rule)
            .send()
            .await
            .map_err(aws_error("AuthorizeSecurityGroupIngress"))?;
        changes.push(format!("admitted NFS from {}", missing.iter().map(|g| g.as_str()).collect::<Vec<_>>().join(", ")));
    }
    Ok(id)
}

fn efs_tags(owner: &Ownership) -> Vec<Tag> {
    owner
        .tags("file-system", &owner.stack)
        .into_iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build().expect("key and value set"))
        .collect()
}

pub async fn create(c: &Clients, spec: &CreateSpec, place: &Placement, clients: &[String], timeout: Duration) -> Result<EfsDoc> {
    let owner = Ownership::new(crate::NAME, &spec.name)?;
    let mut changes = Vec::new();
    let fs = match find_by_token(c, &spec.name).await? {
        Some(fs) => fs,
        None => {
            let out = c
                .efs
                .create_file_system()
                .creation_token(&spec.name)
                .encrypted(true)
                .set_kms_key_id(spec.kms_key.clone())
                .performance_mode(PerformanceMode::from(spec.performance_mode.as_str()))
                .throughput_mode(ThroughputMode::from(spec.throughput_mode.as_str()))
                .set_provisioned_throughput_in_mibps(spec.provisioned_mibps)
                .backup(spec.backups)
                .set_tags(Some(efs_tags(&owner)))
                .send()
                .await
                .map_err(aws_error("CreateFileSystem"))?;
            changes.push(format!("created file system {}", out.file_system_id()));
            describe_one(c, out.file_system_id()).await?
        }
    };
    let fs_id = fs.file_system_id().to_owned();
    let group = ensure_group(c, &owner, &place.vpc_id, clients, &mut changes).await?;
    wait_file_system(c, &fs_id, timeout).await?;

    // Lifecycle, backups, policy: set only when different.
    let lifecycle = c
        .efs
        .describe_lifecycle_configuration()
        .file_system_id(&fs_id)
        .send()
        .await
        .map_err(aws_error("DescribeLifecycleConfiguration"))?;
    let current_ia = lifecycle.lifecycle_policies().iter().find_map(|p| p.transition_to_ia()).map(|r| r.as_str().to_owned());
    let wanted_ia = spec.ia_after_days.map(|d| format!("AFTER_{d}_DAYS"));
    if current_ia != wanted_ia {
        let policies =
            wanted_ia.iter().map(|r| LifecyclePolicy::builder().transition_to_ia(TransitionToIaRules::from(r.as_str())).build()).collect();
        c.efs
            .put_lifecycle_configuration()
            .file_system_id(&fs_id)
            .set_lifecycle_policies(Some(policies))
            .send()
            .await
            .map_err(aws_error("PutLifecycleConfiguration"))?;
        changes.push(format!("lifecycle: {}", wanted_ia.as_deref().unwrap_or("never to IA")));
    }
    if spec.require_tls && !crate::spec::same_policy(current_policy(c, &fs_id).await?.as_deref(), &crate::spec::tls_policy(&fs_arn(&fs))) {
        c.efs
            .put_file_system_policy()
            .file_system_id(&fs_id)
            .policy(crate::spec::tls_policy(&fs_arn(&fs)))
            .send()
            .await
            .map_err(aws_error("PutFileSystemPolicy"))?;
        changes.push("file system policy: TLS required".into());
    }

    // One mount target per AZ, in the subnet given for it (an AZ that has one keeps it).
    let existing = mount_targets(c, &fs_id).await?;
    if let Some(other) = existing.iter().find(|t| t.vpc != place.vpc_id) {
        return Err(Error::usage(format!("file system {fs_id} already has mount targets in {}, not {}", other.vpc, place.vpc_id)));
    }
    let to_make: Vec<&(String, String)> = place.subnets.iter().filter(|(_, az)| !existing.iter().any(|t| t.target.az == *az)).collect();
    let made = futures_util::future::try_join_all(to_make.iter().map(|(subnet, az)| {
        let (fs_id, group) = (&fs_id, &group);
        async move {
            retry_codes(
                "CreateMountTarget",
                |code| code == "IncorrectFileSystemLifeCycleState",
                timeout,
                || c.efs.create_mount_target().file_system_id(fs_id).subnet_id(subnet).security_groups(group).send(),
            )
            .await?;
            Ok::<_, Error>(format!("created mount target in {az} ({subnet})"))
        }
    }))
    .await?;
    changes.extend(made);
    for ap in &spec.access_points {
        if ensure_access_point(c, &fs_id, ap, &owner).await? {
            changes.push(format!("created access point {}:{}:{}", ap.uid, ap.gid, ap.path));
        }
    }
    wait_mount_targets(c, &fs_id, timeout).await?;
    let mut doc = document(c, &describe_one(c, &fs_id).await?).await?;
    doc.changed = !changes.is_empty();
    doc.changes = changes;
    Ok(doc)
}

fn fs_arn(fs: &FileSystemDescription) -> String {
    fs.file_system_arn().map(str::to_owned).unwrap_or_else(|| format!("arn:aws:elasticfilesystem:::file-system/{}", fs.file_system_id()))
}

async fn current_policy(c: &Clients, fs_id: &str) -> Result<Option<String>> {
    match c.efs.describe_file_system_policy().file_system_id(fs_id).send().await {
        Ok(out) => Ok(out.policy().map(str::to_owned)),
        Err(e) => {
            let err = Error::from_aws("DescribeFileSystemPolicy", e);
            if is_not_found(&err) || err.aws_code() == Some("PolicyNotFound") { Ok(None) } else { Err(err) }
        }
    }
}

async fn ensure_access_point(c: &Clients, fs_id: &str, ap: &AccessPointSpec, owner: &Ownership) -> Result<bool> {
    let out = c.efs.describe_access_points().file_system_id(fs_id).send().await.map_err(aws_error("DescribeAccessPoints"))?;
    let exists = out.access_points().iter().any(|a| {
        a.posix_user().is_some_and(|u| u.uid() == ap.uid && u.gid() == ap.gid)
            && a.root_directory().and_then(|r| r.path()) == Some(ap.path.as_str())
    });
    if exists {
        return Ok(false);
    }
    let root = RootDirectory::builder()
        .path(&ap.path)
        .creation_info(
            CreationInfo::builder()
                .owner_uid(ap.uid)
                .owner_gid(ap.gid)
                .permissions("0755")
                .build()
                .map_err(|e| Error::failed(e.to_string()))?,
        )
        .build();
    c.efs
        .create_access_point()
        .client_token(ap.client_token(fs_id))
        .file_system_id(fs_id)
        .posix_user(PosixUser::builder().uid(ap.uid).gid(ap.gid).build().map_err(|e| Error::failed(e.to_string()))?)
        .root_directory(root)
        .set_tags(Some(efs_tags(owner)))
        .send()
        .await
        .map_err(aws_error("CreateAccessPoint"))?;
    Ok(true)
}

async fn describe_one(c: &Clients, fs_id: &str) -> Result<FileSystemDescription> {
    let out = c.efs.describe_file_systems().file_system_id(fs_id).send().await.map_err(aws_error("DescribeFileSystems"))?;
    out.file_systems().first().cloned().ok_or_else(|| Error::failed(format!("file system {fs_id} vanished")))
}

async fn wait_file_system(c: &Clients, fs_id: &str, timeout: Duration) -> Result<()> {
    Waiter::new(format!("file system {fs_id} to be available"), timeout)
        .delays(Duration::from_secs(1), Duration::from_secs(10))
        .wait(|| async {
            let fs = describe_one(c, fs_id).await?;
            Ok(match fs.life_cycle_state() {
                LifeCycleState::Available => Poll::Ready(()),
                LifeCycleState::Error => return Err(Error::failed(format!("file system {fs_id} is in state error"))),
                other => Poll::Pending(other.as_str().to_owned()),
            })
        })
        .await
}

struct Target {
    target: EfsMountTarget,
    vpc: String,
}

async fn mount_targets(c: &Clients, fs_id: &str) -> Result<Vec<Target>> {
    let out = c.efs.describe_mount_targets().file_system_id(fs_id).send().await.map_err(aws_error("DescribeMountTargets"))?;
    Ok(out
        .mount_targets()
        .iter()
        .map(|t| Target {
            target: EfsMountTarget {
                id: t.mount_target_id().to_owned(),
                az: t.availability_zone_name().unwrap_or_default().to_owned(),
                az_id: t.availability_zone_id().unwrap_or_default().to_owned(),
                ip: t.ip_address().unwrap_or_default().to_owned(),
                subnet_id: t.subnet_id().to_owned(),
                state: t.life_cycle_state().as_str().to_owned(),
            },
            vpc: t.vpc_id().unwrap_or_default().to_owned(),
        })
        .collect())
}

async fn wait_mount_targets(c: &Clients, fs_id: &str, timeout: Duration) -> Result<()> {
    Waiter::new(format!("the mount targets of {fs_id} to be available"), timeout)
        .delays(Duration::from_secs(1), Duration::from_secs(10))
        .wait(|| async {
            let targets = mount_targets(c, fs_id).await?;
            let pending: Vec<String> =
                targets.iter().filter(|t| t.target.state != "available").map(|t| format!("{} {}", t.target.az, t.target.state)).collect();
            Ok(if pending.is_empty() { Poll::Ready(()) } else { Poll::Pending(pending.join(", ")) })
        })
        .await
}

/// The security group on the mount targets (they all carry the same one), if any.
async fn nfs_group(c: &Clients, target: Option<&Target>) -> Result<Option<String>> {
    let Some(t) = target else { return Ok(None) };
    let out = c
        .efs
        .describe_mount_target_security_groups()
        .mount_target_id(&t.target.id)
        .send()
        .await
        .map_err(aws_error("DescribeMountTargetSecurityGroups"))?;
    Ok(out.security_groups().first().cloned())
}

/// The `efs` document of a file system as it is.
pub async fn document(c: &Clients, fs: &FileSystemDescription) -> Result<EfsDoc> {
    let fs_id = fs.file_system_id();
    let (targets, lifecycle, backup, policy, aps) = tokio::join!(
        mount_targets(c, fs_id),
        c.efs.describe_lifecycle_configuration().file_system_id(fs_id).send(),
        c.efs.describe_backup_policy().file_system_id(fs_id).send(),
        current_policy(c, fs_id),
        c.efs.describe_access_points().file_system_id(fs_id).send(),
    );
    let targets = targets?;
    let ia = lifecycle
        .map_err(aws_error("DescribeLifecycleConfiguration"))?
        .lifecycle_policies()
        .iter()
        .find_map(|p| p.transition_to_ia())
        .and_then(|r| crate::spec::ia_days(r.as_str()));
    let backups = match backup {
        Ok(out) => out.backup_policy().is_some_and(|b| b.status().as_str() == "ENABLED" || b.status().as_str() == "ENABLING"),
        Err(e) => {
            let err = Error::from_aws("DescribeBackupPolicy", e);
            if is_not_found(&err) || err.aws_code() == Some("PolicyNotFound") { false } else { return Err(err) }
        }
    };
    let security_group_id = nfs_group(c, targets.first()).await?;
    let access_points = aps
        .map_err(aws_error("DescribeAccessPoints"))?
        .access_points()
        .iter()
        .map(|a| EfsAccessPoint {
            id: a.access_point_id().unwrap_or_default().to_owned(),
            uid: a.posix_user().map(|u| u.uid()).unwrap_or_default(),
            gid: a.posix_user().map(|u| u.gid()).unwrap_or_default(),
            path: a.root_directory().and_then(|r| r.path()).unwrap_or("/").to_owned(),
        })
        .collect();
    let name = fs.name().map(str::to_owned).unwrap_or_else(|| fs.creation_token().to_owned());
    let mut mount_targets: Vec<EfsMountTarget> = targets.iter().map(|t| t.target.clone()).collect();
    mount_targets.sort_by(|a, b| a.az.cmp(&b.az));
    Ok(EfsDoc {
        name,
        file_system_id: fs_id.to_owned(),
        region: c.region.clone(),
        dns_name: format!("{fs_id}.efs.{}.amazonaws.com", c.region),
        state: fs.life_cycle_state().as_str().to_owned(),
        encrypted: fs.encrypted().unwrap_or(false),
        kms_key_id: fs.kms_key_id().map(str::to_owned),
        performance_mode: fs.performance_mode().as_str().to_owned(),
        throughput_mode: fs.throughput_mode().map(|t| t.as_str().to_owned()).unwrap_or_default(),
        transition_to_ia_days: ia,
        backups,
        require_tls: policy?.is_some_and(|p| p.contains("aws:SecureTransport")),
        vpc_id: targets.first().map(|t| t.vpc.clone()),
        security_group_id,
        mount_targets,
        access_points,
        changed: false,
        changes: Vec::new(),
    })
}

/// Mount targets (waiting until they are gone), access points, the file system, then the
/// NFS group this command made (retried while the targets' network interfaces drain).
pub async fn destroy(c: &Clients, fs: &FileSystemDescription, timeout: Duration) -> Result<Vec<String>> {
    let fs_id = fs.file_system_id().to_owned();
    let mut changes = Vec::new();
    let targets = mount_targets(c, &fs_id).await?;
    let vpc = targets.first().map(|t| t.vpc.clone());
    let group = nfs_group(c, targets.first()).await?;
    for t in &targets {
        gone_is_ok(
            c.efs.delete_mount_target().mount_target_id(&t.target.id).send().await.map(drop).map_err(aws_error("DeleteMountTarget")),
        )?;
        changes.push(format!("deleted mount target in {}", t.target.az));
    }
    Waiter::new(format!("the mount targets of {fs_id} to be deleted"), timeout)
        .delays(Duration::from_secs(1), Duration::from_secs(10))
        .wait(|| async {
            let left = mount_targets(c, &fs_id).await?;
            Ok(if left.is_empty() { Poll::Ready(()) } else { Poll::Pending(format!("{} left", left.len())) })
        })
        .await?;
    let aps = c.efs.describe_access_points().file_system_id(&fs_id).send().await.map_err(aws_error("DescribeAccessPoints"))?;
    for ap in aps.access_points() {
        let id = ap.access_point_id().unwrap_or_default();
        gone_is_ok(c.efs.delete_access_point().access_point_id(id).send().await.map(drop).map_err(aws_error("DeleteAccessPoint")))?;
        changes.push(format!("deleted access point {id}"));
    }
    gone_is_ok(
        retry_codes(
            "DeleteFileSystem",
            |code| code == "FileSystemInUse",
            timeout,
            || c.efs.delete_file_system().file_system_id(&fs_id).send(),
        )
        .await
        .map(drop),
    )?;
    changes.push(format!("deleted file system {fs_id}"));
    // Only the group efs-mount made for this file system (its tags say so).
    let ours = match Ownership::new(crate::NAME, fs.creation_token()) {
        Ok(owner) => find_group(c, &owner, vpc.as_deref()).await?,
        Err(_) => None,
    };
    if let Some(id) = ours.filter(|id| group.as_deref().is_none_or(|g| g == id)) {
        delete_group(c, &id, timeout).await?;
        changes.push(format!("deleted security group {id}"));
    }
    Ok(changes)
}

/// A group left by a destroy that stopped after deleting the file system: found by its
/// tags (the name is the only thing left to go by) and deleted, so a re-run converges.
pub async fn destroy_leftovers(c: &Clients, name: &str, timeout: Duration) -> Result<Option<String>> {
    let Ok(owner) = Ownership::new(crate::NAME, name) else { return Ok(None) };
    let Some(id) = find_group(c, &owner, None).await? else { return Ok(None) };
    delete_group(c, &id, timeout).await?;
    Ok(Some(id))
}

/// Deletes a security group, retrying while the mount targets' network interfaces drain.
async fn delete_group(c: &Clients, id: &str, timeout: Duration) -> Result<()> {
    gone_is_ok(
        retry_codes(
            "DeleteSecurityGroup",
            |code| code == "DependencyViolation",
            timeout,
            || c.ec2.delete_security_group().group_id(id).send(),
        )
        .await
        .map(drop),
    )
}
