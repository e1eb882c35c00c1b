//! What exists in AWS for one file system name, as plain data: the file system with every
//! attribute `create` manages, its NFS group, mount targets and access points. Discovery
//! fills it (efs_api), planning compares it with the spec (create_plan), and the `efs`
//! document is rendered from it, so the three never disagree about what "exists" means.

use awsops_core::kinds::{EfsAccessPoint, EfsDoc, EfsMountTarget};

/// The `Id` of the file-system policy efs-mount writes; a policy with another id is not ours.
pub const TLS_POLICY_ID: &str = "awsops-efs-require-tls";

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Observed {
    pub fs: Option<FsState>,
    /// The NFS group efs-mount made for this name (found by its ownership tags).
    pub group: Option<GroupState>,
    pub targets: Vec<TargetState>,
    pub access_points: Vec<EfsAccessPoint>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FsState {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub creation_token: String,
    pub state: String,
    pub encrypted: bool,
    pub kms_key_id: Option<String>,
    pub performance_mode: String,
    pub throughput_mode: String,
    pub provisioned_mibps: Option<f64>,
    pub ia_days: Option<u32>,
    pub backups: bool,
    /// The file-system policy as EFS returns it.
    pub policy: Option<String>,
}

impl FsState {
    /// Whether the policy in place is the one efs-mount writes (by its `Id`).
    pub fn policy_is_ours(&self) -> bool {
        self.policy
            .as_deref()
            .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
            .is_some_and(|p| p.get("Id").and_then(|i| i.as_str()) == Some(TLS_POLICY_ID))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupState {
    pub id: String,
    pub vpc_id: String,
    /// Client groups admitted on TCP 2049.
    pub admitted: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetState {
    pub target: EfsMountTarget,
    pub vpc_id: String,
    /// The security groups on the mount target.
    pub groups: Vec<String>,
}

impl Observed {
    /// The `efs` document of what exists (`None` when there is no file system).
    pub fn document(&self, region: &str) -> Option<EfsDoc> {
        let fs = self.fs.as_ref()?;
        let mut mount_targets: Vec<EfsMountTarget> = self.targets.iter().map(|t| t.target.clone()).collect();
        mount_targets.sort_by(|a, b| a.az.cmp(&b.az));
        let mut access_points = self.access_points.clone();
        access_points.sort_by(|a, b| a.path.cmp(&b.path).then(a.id.cmp(&b.id)));
        Some(EfsDoc {
            name: fs.name.clone(),
            file_system_id: fs.id.clone(),
            region: region.to_owned(),
            dns_name: format!("{}.efs.{region}.amazonaws.com", fs.id),
            state: fs.state.clone(),
            encrypted: fs.encrypted,
            kms_key_id: fs.kms_key_id.clone(),
            performance_mode: fs.performance_mode.clone(),
            throughput_mode: fs.throughput_mode.clone(),
            transition_to_ia_days: fs.ia_days,
            backups: fs.backups,
            require_tls: fs.policy.as_deref().is_some_and(|p| p.contains("aws:SecureTransport")),
            vpc_id: self.targets.first().map(|t| t.vpc_id.clone()).or_else(|| self.group.as_ref().map(|g| g.vpc_id.clone())),
            security_group_id: self
                .group
                .as_ref()
                .map(|g| g.id.clone())
                .or_else(|| self.targets.first().and_then(|t| t.groups.first().cloned())),
            mount_targets,
            access_points,
            changed: false,
            changes: Vec::new(),
        })
    }
}
