//! The AWS side of efs-mount, kept thin: discovery of what exists for a file system name
//! (every list paginated, independent calls concurrent) into `Observed`, the checks of
//! subnets and client groups, and the execution of the steps `create_plan` chose, with the
//! waits they need. Creates that have no client token (the security group, mount targets)
//! find what a lost response already made instead of failing or duplicating it.

use crate::create_plan::{DestroyStep, Step, Wanted};
use crate::observed::{FsState, GroupState, Observed, TargetState};
use crate::spec::Placement;
use aws_sdk_ec2::types::{IpPermission, ResourceType, UserIdGroupPair};
use aws_sdk_efs::types::{
    BackupPolicy, CreationInfo, FileSystemDescription, LifeCycleState, LifecyclePolicy, PerformanceMode, PosixUser, RootDirectory, Status,
    Tag, ThroughputMode, TransitionToIaRules,
};
use awsops_core::ec2::{filter, gone_is_ok, retry_codes, tag_spec};
use awsops_core::error::{aws_error, is_not_found};
use awsops_core::kinds::{EfsAccessPoint, EfsMountTarget};
use awsops_core::ownership::{Ownership, ROLE_TAG, STACK_TAG, TOOL_TAG};
use awsops_core::waiter::{Poll, Waiter};
use awsops_core::{Error, Result, all_items};
use std::time::Duration;

use awsops_core::permissions::Grant;

const FILE_SYSTEMS: &str = "arn:{partition}:elasticfilesystem:{region}:{account}:file-system/*";
const ACCESS_POINTS: &str = "arn:{partition}:elasticfilesystem:{region}:{account}:access-point/*";

/// Where the file system goes and who may reach it: subnets and groups (EC2 Describe: `*` only).
pub static READ_PLACEMENT: Grant = Grant::any("ReadPlacement", &["ec2:DescribeSecurityGroups", "ec2:DescribeSubnets"]);
/// `mount --az`: the AZ named is checked against the region's.
pub static READ_ZONES: Grant = Grant::any("ReadAvailabilityZones", &["ec2:DescribeAvailabilityZones"]);
/// What `mount` checks a document against: the file system, its targets, access point and TLS policy.
pub static READ_MOUNT_TARGETS: Grant = Grant::any(
    "ReadMountTargets",
    &[
        "elasticfilesystem:DescribeAccessPoints",
        "elasticfilesystem:DescribeFileSystemPolicy",
        "elasticfilesystem:DescribeFileSystems",
        "elasticfilesystem:DescribeMountTargetSecurityGroups",
        "elasticfilesystem:DescribeMountTargets",
    ],
);
/// The file system found again by its creation token, with everything set on it.
pub static READ_FILE_SYSTEM: Grant = Grant::any(
    "ReadFileSystem",
    &[
        "elasticfilesystem:DescribeAccessPoints",
        "elasticfilesystem:DescribeBackupPolicy",
        "elasticfilesystem:DescribeFileSystemPolicy",
        "elasticfilesystem:DescribeFileSystems",
        "elasticfilesystem:DescribeLifecycleConfiguration",
        "elasticfilesystem:DescribeMountTargetSecurityGroups",
        "elasticfilesystem:DescribeMountTargets",
    ],
);
/// The file system, tagged on creation (EFS authorizes those tags as TagResource).
pub static CREATE_FILE_SYSTEM: Grant =
    Grant::any("CreateFileSystem", &["elasticfilesystem:CreateFileSystem", "elasticfilesystem:TagResource"])
        .on(&[FILE_SYSTEMS])
        .tags_on_create();
/// Settings, backups, the TLS policy and mount targets on the stack's own file system.
pub static CONFIGURE_FILE_SYSTEM: Grant = Grant::any(
    "ConfigureOwnFileSystem",
    &[
        "elasticfilesystem:CreateMountTarget",
        "elasticfilesystem:ModifyMountTargetSecurityGroups",
        "elasticfilesystem:PutBackupPolicy",
        "elasticfilesystem:PutFileSystemPolicy",
        "elasticfilesystem:PutLifecycleConfiguration",
        "elasticfilesystem:UpdateFileSystem",
    ],
)
.on(&[FILE_SYSTEMS])
.owned();
/// A mount target is a network interface EFS makes with the caller's EC2 permissions.
pub static MOUNT_TARGET_INTERFACES: Grant = Grant::any(
    "MountTargetInterfaces",
    &["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:ModifyNetworkInterfaceAttribute"],
);
pub static CREATE_ACCESS_POINTS: Grant =
    Grant::any("CreateAccessPoints", &["elasticfilesystem:CreateAccessPoint", "elasticfilesystem:TagResource"])
        .on(&[ACCESS_POINTS, FILE_SYSTEMS])
        .tags_on_create();
/// The NFS security group, tagged on creation, in the clients' VPC (not the stack's).
pub static CREATE_NFS_GROUP: Grant = Grant::any("CreateNfsGroup", &["ec2:CreateSecurityGroup"])
    .on(&[awsops_core::ec2_arn!("security-group"), awsops_core::ec2_arn!("vpc")])
    .tags_on_create();
pub static ADMIT_CLIENTS: Grant =
    Grant::any("AdmitClients", &["ec2:AuthorizeSecurityGroupIngress"]).on(&[awsops_core::ec2_arn!("security-group")]).owned();
pub static DELETE_FILE_SYSTEM: Grant = Grant::any(
    "DeleteOwnFileSystem",
    &["elasticfilesystem:DeleteAccessPoint", "elasticfilesystem:DeleteFileSystem", "elasticfilesystem:DeleteMountTarget"],
)
.on(&[FILE_SYSTEMS, ACCESS_POINTS])
.owned();
/// Deleting a mount target deletes its network interface with the caller's permissions.
pub static DELETE_MOUNT_TARGET_INTERFACES: Grant = Grant::any("DeleteMountTargetInterfaces", &["ec2:DeleteNetworkInterface"]);
pub static DELETE_NFS_GROUP: Grant =
    Grant::any("DeleteOwnNfsGroup", &["ec2:DeleteSecurityGroup"]).on(&[awsops_core::ec2_arn!("security-group")]).owned();

pub static CREATE: [&Grant; 6] =
    [&CREATE_FILE_SYSTEM, &CONFIGURE_FILE_SYSTEM, &MOUNT_TARGET_INTERFACES, &CREATE_ACCESS_POINTS, &CREATE_NFS_GROUP, &ADMIT_CLIENTS];
pub static DESTROY: [&Grant; 3] = [&DELETE_FILE_SYSTEM, &DELETE_MOUNT_TARGET_INTERFACES, &DELETE_NFS_GROUP];

pub const NFS_PORT: i32 = 2049;
const SG_ROLE: &str = "efs";

pub struct Clients {
    pub efs: aws_sdk_efs::Client,
    pub ec2: aws_sdk_ec2::Client,
    pub region: String,
}

impl Clients {
    /// Clients in `region` (a document's), else the one the flags and environment choose.
    pub async fn new(aws: &awsops_core::aws_config::AwsArgs, region: Option<&str>) -> Result<Clients> {
        let config = aws.load_in(region.or(aws.region.as_deref())).await?;
        Ok(Clients {
            efs: aws_sdk_efs::Client::new(&config),
            ec2: aws_sdk_ec2::Client::new(&config),
            region: config.region().map(ToString::to_string).unwrap_or_default(),
        })
    }
}

/// The subnets' VPC and AZs, checked: every id known, one VPC, one subnet per AZ.
pub async fn placement(c: &Clients, subnet_ids: &[String]) -> Result<Placement> {
    if subnet_ids.is_empty() {
        return Err(Error::usage("no subnets: give --subnet, or pipe in a `vpc` document"));
    }
    let found: Vec<aws_sdk_ec2::types::Subnet> =
        all_items!(c.ec2.describe_subnets().set_subnet_ids(Some(subnet_ids.to_vec())), "DescribeSubnets").map_err(|err| {
            if is_not_found(&err) { Error::usage(format!("unknown subnet among {}: {err}", subnet_ids.join(", "))) } else { err }
        })?;
    let subnets: Vec<(String, String, String)> = subnet_ids
        .iter()
        .map(|id| {
            let s = found
                .iter()
                .find(|s| s.subnet_id() == Some(id))
                .ok_or_else(|| Error::usage(format!("unknown subnet {id} in {}", c.region)))?;
            Ok((id.clone(), s.availability_zone().unwrap_or_default().to_owned(), s.vpc_id().unwrap_or_default().to_owned()))
        })
        .collect::<Result<_>>()?;
    crate::spec::check_placement(&subnets)
}

/// Client security groups: known, and in the file system's VPC.
pub async fn check_client_groups(c: &Clients, groups: &[String], vpc_id: &str) -> Result<()> {
    if groups.is_empty() {
        return Err(Error::usage("no client security group: give --client-sg, or pipe in a `vpc` document with a web or private group"));
    }
    let found: Vec<aws_sdk_ec2::types::SecurityGroup> =
        all_items!(c.ec2.describe_security_groups().set_group_ids(Some(groups.to_vec())), "DescribeSecurityGroups").map_err(|err| {
            if is_not_found(&err) { Error::usage(format!("unknown security group among {}: {err}", groups.join(", "))) } else { err }
        })?;
    for id in groups {
        let g = found.iter().find(|g| g.group_id() == Some(id)).ok_or_else(|| Error::usage(format!("unknown security group {id}")))?;
        if g.vpc_id() != Some(vpc_id) {
            return Err(Error::usage(format!("security group {id} is in {}, the subnets in {vpc_id}", g.vpc_id().unwrap_or_default())));
        }
    }
    Ok(())
}

/// How a command names its file system.
#[derive(Debug, Clone, Copy)]
pub enum Which<'a> {
    /// The name `create` gave it (its creation token).
    Name(&'a str),
    /// `fs-…`, or a name.
    IdOrName(&'a str),
}

async fn find_file_system(c: &Clients, which: Which<'_>) -> Result<Option<FileSystemDescription>> {
    let (id, token) = match which {
        Which::Name(name) => (None, Some(name)),
        Which::IdOrName(s) if s.starts_with("fs-") => {
            awsops_core::aws_ids::check("file system", awsops_core::aws_ids::FILE_SYSTEM_ID, s)?;
            (Some(s), None)
        }
        Which::IdOrName(s) => (None, Some(s)),
    };
    let found: std::result::Result<Vec<FileSystemDescription>, Error> = all_items!(
        c.efs.describe_file_systems().set_file_system_id(id.map(str::to_owned)).set_creation_token(token.map(str::to_owned)),
        "DescribeFileSystems"
    );
    match found {
        Ok(mut all) => Ok(if all.is_empty() { None } else { Some(all.remove(0)) }),
        Err(err) if is_not_found(&err) || err.aws_code() == Some("BadRequest") => Ok(None),
        Err(err) => Err(err),
    }
}

/// Everything that exists for the file system (`vpc_hint` picks its NFS group when the
/// name has groups in several VPCs).
pub async fn observe(c: &Clients, which: Which<'_>, vpc_hint: Option<&str>) -> Result<Observed> {
    let fs = find_file_system(c, which).await?;
    let name = match (&fs, which) {
        (Some(fs), _) => fs.creation_token().to_owned(),
        (None, Which::Name(n) | Which::IdOrName(n)) => n.to_owned(),
    };
    let Some(fs) = fs else {
        let group = match Ownership::new(crate::NAME, &name) {
            Ok(owner) => find_group(c, &owner, vpc_hint).await?,
            Err(_) => None,
        };
        return Ok(Observed { fs: None, group, targets: Vec::new(), access_points: Vec::new() });
    };
    let fs_id = fs.file_system_id().to_owned();
    let owner = Ownership::new(crate::NAME, &name).ok();
    // With the VPC known (create), the group is looked up alongside the rest; without it,
    // after the mount targets, whose VPC picks it.
    let group_in_hint = async {
        match (&owner, vpc_hint) {
            (Some(owner), Some(vpc)) => find_group(c, owner, Some(vpc)).await.map(Some),
            _ => Ok(None),
        }
    };
    let (targets, ia_days, backups, policy, access_points, hinted) = tokio::try_join!(
        mount_targets(c, &fs_id),
        lifecycle(c, &fs_id),
        backups(c, &fs_id),
        current_policy(c, &fs_id),
        access_points(c, &fs_id),
        group_in_hint,
    )?;
    let group = match (hinted, &owner) {
        (Some(found), _) => found,
        (None, Some(owner)) => find_group(c, owner, targets.first().map(|t| t.vpc_id.as_str())).await?,
        (None, None) => None,
    };
    Ok(Observed {
        fs: Some(FsState {
            arn: fs_arn(&fs, &c.region),
            name: fs.name().map(str::to_owned).unwrap_or_else(|| fs.creation_token().to_owned()),
            creation_token: fs.creation_token().to_owned(),
            state: fs.life_cycle_state().as_str().to_owned(),
            encrypted: fs.encrypted().unwrap_or(false),
            kms_key_id: fs.kms_key_id().map(str::to_owned),
            performance_mode: fs.performance_mode().as_str().to_owned(),
            throughput_mode: fs.throughput_mode().map(|t| t.as_str().to_owned()).unwrap_or_else(|| "bursting".into()),
            provisioned_mibps: fs.provisioned_throughput_in_mibps(),
            ia_days,
            backups,
            policy,
            id: fs_id,
        }),
        group,
        targets,
        access_points,
    })
}

fn fs_arn(fs: &FileSystemDescription, region: &str) -> String {
    fs.file_system_arn()
        .map(str::to_owned)
        .unwrap_or_else(|| format!("arn:aws:elasticfilesystem:{region}:{}:file-system/{}", fs.owner_id(), fs.file_system_id()))
}

/// The NFS group efs-mount made for this name: in `vpc_id` when given, else the only one.
async fn find_group(c: &Clients, owner: &Ownership, vpc_id: Option<&str>) -> Result<Option<GroupState>> {
    let groups: Vec<aws_sdk_ec2::types::SecurityGroup> = all_items!(
        c.ec2
            .describe_security_groups()
            .filters(filter(&format!("tag:{TOOL_TAG}"), [crate::NAME]))
            .filters(filter(&format!("tag:{STACK_TAG}"), [owner.stack.as_str()]))
            .filters(filter(&format!("tag:{ROLE_TAG}"), [SG_ROLE])),
        "DescribeSecurityGroups"
    )?;
    let mut ours: Vec<&aws_sdk_ec2::types::SecurityGroup> =
        groups.iter().filter(|g| vpc_id.is_none_or(|v| g.vpc_id() == Some(v))).collect();
    ours.sort_by_key(|g| g.group_id().map(str::to_owned));
    Ok(ours.first().map(|g| GroupState {
        id: g.group_id().unwrap_or_default().to_owned(),
        vpc_id: g.vpc_id().unwrap_or_default().to_owned(),
        admitted: g
            .ip_permissions()
            .iter()
            .filter(|p| p.ip_protocol() == Some("tcp") && p.from_port() == Some(NFS_PORT) && p.to_port() == Some(NFS_PORT))
            .flat_map(|p| p.user_id_group_pairs().iter().filter_map(|u| u.group_id().map(str::to_owned)))
            .collect(),
    }))
}

async fn mount_targets(c: &Clients, fs_id: &str) -> Result<Vec<TargetState>> {
    let found: Vec<aws_sdk_efs::types::MountTargetDescription> =
        all_items!(c.efs.describe_mount_targets().file_system_id(fs_id), "DescribeMountTargets")?;
    let groups = futures_util::future::try_join_all(found.iter().map(|t| async move {
        let out = c
            .efs
            .describe_mount_target_security_groups()
            .mount_target_id(t.mount_target_id())
            .send()
            .await
            .map_err(aws_error("DescribeMountTargetSecurityGroups"));
        match out {
            Ok(out) => Ok(out.security_groups().to_vec()),
            // A target being deleted has no groups to report.
            Err(e) if is_not_found(&e) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }))
    .await?;
    Ok(found
        .iter()
        .zip(groups)
        .map(|(t, groups)| TargetState {
            target: EfsMountTarget {
                id: t.mount_target_id().to_owned(),
                az: t.availability_zone_name().unwrap_or_default().to_owned(),
                az_id: t.availability_zone_id().unwrap_or_default().to_owned(),
                ip: t.ip_address().unwrap_or_default().to_owned(),
                subnet_id: t.subnet_id().to_owned(),
                state: t.life_cycle_state().as_str().to_owned(),
            },
            vpc_id: t.vpc_id().unwrap_or_default().to_owned(),
            groups,
        })
        .collect())
}

async fn lifecycle(c: &Clients, fs_id: &str) -> Result<Option<u32>> {
    let out =
        c.efs.describe_lifecycle_configuration().file_system_id(fs_id).send().await.map_err(aws_error("DescribeLifecycleConfiguration"))?;
    Ok(out.lifecycle_policies().iter().find_map(|p| p.transition_to_ia()).and_then(|r| crate::spec::ia_days(r.as_str())))
}

async fn backups(c: &Clients, fs_id: &str) -> Result<bool> {
    match c.efs.describe_backup_policy().file_system_id(fs_id).send().await {
        Ok(out) => Ok(out.backup_policy().is_some_and(|b| matches!(b.status(), Status::Enabled | Status::Enabling))),
        Err(e) => {
            let err = Error::from_aws("DescribeBackupPolicy", e);
            if is_not_found(&err) || err.aws_code() == Some("PolicyNotFound") { Ok(false) } else { Err(err) }
        }
    }
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

async fn access_points(c: &Clients, fs_id: &str) -> Result<Vec<EfsAccessPoint>> {
    let found: Vec<aws_sdk_efs::types::AccessPointDescription> =
        all_items!(c.efs.describe_access_points().file_system_id(fs_id), "DescribeAccessPoints")?;
    Ok(found
        .iter()
        .map(|a| EfsAccessPoint {
            id: a.access_point_id().unwrap_or_default().to_owned(),
            uid: a.posix_user().map(|u| u.uid()).unwrap_or_default(),
            gid: a.posix_user().map(|u| u.gid()).unwrap_or_default(),
            path: a.root_directory().and_then(|r| r.path()).unwrap_or("/").to_owned(),
        })
        .collect())
}

fn efs_tags(owner: &Ownership, role: &str) -> Result<Vec<Tag>> {
    owner
        .tags(role, &owner.stack)
        .into_iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build().map_err(|e| Error::failed(e.to_string())))
        .collect()
}

/// What the steps learn as they go: the file system's and the group's ids.
struct Made {
    fs_id: Option<String>,
    fs_arn: Option<String>,
    group_id: Option<String>,
}

impl Made {
    fn fs(&self) -> Result<&str> {
        self.fs_id.as_deref().ok_or_else(|| Error::failed("internal: a step needs the file system before it exists"))
    }
    fn group(&self) -> Result<&str> {
        self.group_id.as_deref().ok_or_else(|| Error::failed("internal: a step needs the NFS group before it exists"))
    }
}

/// Runs the planned steps in order (mount targets concurrently, after the steps they need),
/// then waits until the file system and every mount target are available. Returns the
/// lines of what was done: the plan's own.
pub async fn apply_create(c: &Clients, wanted: &Wanted<'_>, observed: &Observed, steps: &[Step], timeout: Duration) -> Result<Vec<String>> {
    let spec = wanted.spec;
    let owner = Ownership::new(crate::NAME, &spec.name)?;
    let mut made = Made {
        fs_id: observed.fs.as_ref().map(|f| f.id.clone()),
        fs_arn: observed.fs.as_ref().map(|f| f.arn.clone()),
        group_id: observed.group.as_ref().map(|g| g.id.clone()),
    };
    let mut targets = Vec::new();
    for step in steps {
        match step {
            Step::CreateFileSystem => {
                // The creation token makes a repeated call (a lost response retried) return the same file system.
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
                    .set_tags(Some(efs_tags(&owner, "file-system")?))
                    .send()
                    .await;
                let fs = match out {
                    Ok(out) => out.file_system_id().to_owned(),
                    Err(e) => {
                        let err = Error::from_aws("CreateFileSystem", e);
                        if err.aws_code() != Some("FileSystemAlreadyExists") {
                            return Err(err);
                        }
                        find_file_system(c, Which::Name(&spec.name)).await?.map(|f| f.file_system_id().to_owned()).ok_or(err)?
                    }
                };
                wait_file_system(c, &fs, timeout).await?;
                let found = find_file_system(c, Which::IdOrName(&fs)).await?;
                made.fs_arn = found.map(|f| fs_arn(&f, &c.region));
                made.fs_id = Some(fs);
            }
            Step::CreateGroup { name } => made.group_id = Some(create_group(c, &owner, name, &wanted.placement.vpc_id).await?),
            Step::AdmitClients { groups } => admit(c, made.group()?, groups).await?,
            Step::UpdateThroughput { mode, mibps } => {
                c.efs
                    .update_file_system()
                    .file_system_id(made.fs()?)
                    .throughput_mode(ThroughputMode::from(mode.as_str()))
                    .set_provisioned_throughput_in_mibps(*mibps)
                    .send()
                    .await
                    .map_err(aws_error("UpdateFileSystem"))?;
            }
            Step::PutLifecycle { ia_days } => {
                let policies = ia_days
                    .iter()
                    .map(|d| {
                        LifecyclePolicy::builder().transition_to_ia(TransitionToIaRules::from(format!("AFTER_{d}_DAYS").as_str())).build()
                    })
                    .collect();
                c.efs
                    .put_lifecycle_configuration()
                    .file_system_id(made.fs()?)
                    .set_lifecycle_policies(Some(policies))
                    .send()
                    .await
                    .map_err(aws_error("PutLifecycleConfiguration"))?;
            }
            Step::PutBackups { enabled } => {
                let status = if *enabled { Status::Enabled } else { Status::Disabled };
                c.efs
                    .put_backup_policy()
                    .file_system_id(made.fs()?)
                    .backup_policy(BackupPolicy::builder().status(status).build().map_err(|e| Error::failed(e.to_string()))?)
                    .send()
                    .await
                    .map_err(aws_error("PutBackupPolicy"))?;
            }
            Step::PutTlsPolicy => {
                let arn = made.fs_arn.clone().ok_or_else(|| Error::failed("internal: no file system ARN"))?;
                c.efs
                    .put_file_system_policy()
                    .file_system_id(made.fs()?)
                    .policy(crate::spec::tls_policy(&arn))
                    .send()
                    .await
                    .map_err(aws_error("PutFileSystemPolicy"))?;
            }
            // Made together after the loop: independent calls, one per AZ.
            Step::CreateMountTarget { subnet_id, .. } => targets.push(subnet_id.as_str()),
            Step::AddGroupToTarget { target_id, keep, .. } => {
                let mut groups = keep.clone();
                groups.push(made.group()?.to_owned());
                c.efs
                    .modify_mount_target_security_groups()
                    .mount_target_id(target_id)
                    .set_security_groups(Some(groups))
                    .send()
                    .await
                    .map_err(aws_error("ModifyMountTargetSecurityGroups"))?;
            }
            Step::CreateAccessPoint(ap) => {
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
                let fs_id = made.fs()?.to_owned();
                c.efs
                    .create_access_point()
                    .client_token(ap.client_token(&fs_id))
                    .file_system_id(&fs_id)
                    .posix_user(PosixUser::builder().uid(ap.uid).gid(ap.gid).build().map_err(|e| Error::failed(e.to_string()))?)
                    .root_directory(root)
                    .set_tags(Some(efs_tags(&owner, "access-point")?))
                    .send()
                    .await
                    .map_err(aws_error("CreateAccessPoint"))?;
            }
        }
    }
    if !targets.is_empty() {
        let (fs_id, group) = (made.fs()?, made.group()?);
        futures_util::future::try_join_all(targets.iter().map(|subnet| create_mount_target(c, fs_id, subnet, group, timeout))).await?;
    }
    if let Some(fs_id) = &made.fs_id {
        wait_mount_targets(c, fs_id, timeout).await?;
    }
    // Every step ran (a failure returned above): the lines are the plan's, as a dry run printed them.
    Ok(steps.iter().map(|s| s.describe(spec)).collect())
}

/// CreateSecurityGroup has no client token: after a lost response the retry meets
/// `InvalidGroup.Duplicate`, and the group the first call made is found by its tags.
async fn create_group(c: &Clients, owner: &Ownership, name: &str, vpc_id: &str) -> Result<String> {
    let out = c
        .ec2
        .create_security_group()
        .group_name(name)
        .description(format!("NFS to EFS {} (efs-mount)", owner.stack))
        .vpc_id(vpc_id)
        .tag_specifications(tag_spec(ResourceType::SecurityGroup, &owner.tags(SG_ROLE, name)))
        .send()
        .await;
    match out {
        Ok(out) => Ok(out.group_id().unwrap_or_default().to_owned()),
        Err(e) => {
            let err = Error::from_aws("CreateSecurityGroup", e);
            if err.aws_code() != Some("InvalidGroup.Duplicate") {
                return Err(err);
            }
            match find_group(c, owner, Some(vpc_id)).await? {
                Some(g) => Ok(g.id),
                None => Err(Error::usage(format!(
                    "a security group named {name} that efs-mount did not make already exists in {vpc_id}: rename or delete it"
                ))),
            }
        }
    }
}

async fn admit(c: &Clients, group: &str, clients: &[String]) -> Result<()> {
    let rule = IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(NFS_PORT)
        .to_port(NFS_PORT)
        .set_user_id_group_pairs(Some(
            clients.iter().map(|g| UserIdGroupPair::builder().group_id(g).description("NFS client (efs-mount)").build()).collect(),
        ))
        .build();
    match c.ec2.authorize_security_group_ingress().group_id(group).ip_permissions(rule).send().await {
        Ok(_) => Ok(()),
        Err(e) => {
            let err = Error::from_aws("AuthorizeSecurityGroupIngress", e);
            // A retried call whose first answer was lost: the rule is there, which is the goal.
            if err.aws_code() == Some("InvalidPermission.Duplicate") { Ok(()) } else { Err(err) }
        }
    }
}

/// One mount target per AZ: a repeat after a lost response answers `MountTargetConflict`,
/// and the AZ then has its target.
async fn create_mount_target(c: &Clients, fs_id: &str, subnet: &str, group: &str, timeout: Duration) -> Result<()> {
    let out = retry_codes(
        "CreateMountTarget",
        |code| code == "IncorrectFileSystemLifeCycleState",
        timeout,
        || c.efs.create_mount_target().file_system_id(fs_id).subnet_id(subnet).security_groups(group).send(),
    )
    .await;
    match out {
        Ok(_) => Ok(()),
        Err(err) if err.aws_code() == Some("MountTargetConflict") => {
            let targets = mount_targets(c, fs_id).await?;
            if targets.iter().any(|t| t.target.subnet_id == subnet) { Ok(()) } else { Err(err) }
        }
        Err(err) => Err(err),
    }
}

async fn describe_state(c: &Clients, fs_id: &str) -> Result<LifeCycleState> {
    let out = c.efs.describe_file_systems().file_system_id(fs_id).send().await.map_err(aws_error("DescribeFileSystems"))?;
    out.file_systems().first().map(|f| f.life_cycle_state().clone()).ok_or_else(|| Error::failed(format!("file system {fs_id} vanished")))
}

async fn wait_file_system(c: &Clients, fs_id: &str, timeout: Duration) -> Result<()> {
    Waiter::new(format!("file system {fs_id} to be available"), timeout)
        .delays(Duration::from_secs(1), Duration::from_secs(10))
        .wait(|| async {
            Ok(match describe_state(c, fs_id).await? {
                LifeCycleState::Available => Poll::Ready(()),
                LifeCycleState::Error => return Err(Error::failed(format!("file system {fs_id} is in state error"))),
                other => Poll::Pending(other.as_str().to_owned()),
            })
        })
        .await
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

/// Runs the destroy plan: mount targets (then waits until they are gone), access points,
/// the file system, the NFS group (retried while the targets' interfaces drain). A thing
/// already gone counts as deleted, so a re-run after an interruption converges.
pub async fn apply_destroy(c: &Clients, steps: &[DestroyStep], timeout: Duration) -> Result<Vec<String>> {
    // The mount targets do not depend on each other: deleted together, the rest in order.
    futures_util::future::try_join_all(steps.iter().filter_map(|step| match step {
        DestroyStep::DeleteMountTarget { id, .. } => Some(async move {
            gone_is_ok(c.efs.delete_mount_target().mount_target_id(id).send().await.map(drop).map_err(aws_error("DeleteMountTarget")))
        }),
        _ => None,
    }))
    .await?;
    let mut done = Vec::new();
    for step in steps {
        match step {
            DestroyStep::DeleteMountTarget { .. } => {}
            DestroyStep::DeleteAccessPoint { id } => {
                gone_is_ok(c.efs.delete_access_point().access_point_id(id).send().await.map(drop).map_err(aws_error("DeleteAccessPoint")))?;
            }
            DestroyStep::DeleteFileSystem { id } => {
                wait_targets_gone(c, id, timeout).await?;
                gone_is_ok(
                    retry_codes(
                        "DeleteFileSystem",
                        |code| code == "FileSystemInUse",
                        timeout,
                        || c.efs.delete_file_system().file_system_id(id).send(),
                    )
                    .await
                    .map(drop),
                )?;
            }
            DestroyStep::DeleteGroup { id } => {
                gone_is_ok(
                    retry_codes(
                        "DeleteSecurityGroup",
                        |code| code == "DependencyViolation",
                        timeout,
                        || c.ec2.delete_security_group().group_id(id).send(),
                    )
                    .await
                    .map(drop),
                )?;
            }
        }
        done.push(step.describe());
    }
    Ok(done)
}

async fn wait_targets_gone(c: &Clients, fs_id: &str, timeout: Duration) -> Result<()> {
    Waiter::new(format!("the mount targets of {fs_id} to be deleted"), timeout)
        .delays(Duration::from_secs(1), Duration::from_secs(10))
        .wait(|| async {
            let left = match mount_targets(c, fs_id).await {
                Ok(left) => left,
                Err(e) if is_not_found(&e) => Vec::new(),
                Err(e) => return Err(e),
            };
            Ok(if left.is_empty() { Poll::Ready(()) } else { Poll::Pending(format!("{} left", left.len())) })
        })
        .await
}

/// Whether the file system's policy denies clients not using TLS.
pub async fn requires_tls(c: &Clients, fs_id: &str) -> Result<bool> {
    Ok(current_policy(c, fs_id).await?.is_some_and(|p| p.contains("aws:SecureTransport")))
}

/// Whether an access point belongs to the file system (before its id reaches fstab).
pub async fn access_point_of(c: &Clients, fs_id: &str, access_point: &str) -> Result<bool> {
    match c.efs.describe_access_points().access_point_id(access_point).send().await {
        Ok(out) => Ok(out.access_points().iter().any(|a| a.file_system_id() == Some(fs_id))),
        Err(e) => {
            let err = Error::from_aws("DescribeAccessPoints", e);
            if is_not_found(&err) { Ok(false) } else { Err(err) }
        }
    }
}

/// The mount targets of a file system as EFS has them now (to verify a document).
pub async fn current_targets(c: &Clients, fs_id: &str) -> Result<Option<Vec<EfsMountTarget>>> {
    match mount_targets(c, fs_id).await {
        Ok(t) => Ok(Some(t.into_iter().map(|t| t.target).collect())),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The region's AZs as (name, id), for checking `--az`.
pub async fn availability_zones(c: &Clients) -> Result<Vec<(String, String)>> {
    let out = c.ec2.describe_availability_zones().send().await.map_err(aws_error("DescribeAvailabilityZones"))?;
    Ok(out
        .availability_zones()
        .iter()
        .map(|z| (z.zone_name().unwrap_or_default().to_owned(), z.zone_id().unwrap_or_default().to_owned()))
        .collect())
}
