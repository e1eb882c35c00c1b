//! The documents of efs-mount: `efs` (a file system, its mount targets, security group and
//! access points, which `efs-mount mount` reads on the client host) and `efs-mount` (what a
//! mount or unmount did, or in a dry run would do, on one host).

use crate::aws_ids::{self, check};
use crate::document::Document;
use crate::error::{Error, Result};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EfsDoc {
    /// The creation token, also the Name tag.
    pub name: String,
    /// Empty only in a dry run's plan, before the file system exists.
    #[schemars(pattern(aws_ids::FILE_SYSTEM_ID_OR_PLANNED))]
    pub file_system_id: String,
    #[schemars(pattern(aws_ids::REGION))]
    pub region: String,
    /// The regional DNS name (resolves inside the VPC to the mount target of the caller's AZ).
    #[schemars(pattern(aws_ids::DNS_NAME_OR_PLANNED))]
    pub dns_name: String,
    /// `creating`, `available`, ... (`planned` in a dry run).
    pub state: String,
    pub encrypted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    pub performance_mode: String,
    pub throughput_mode: String,
    /// Files move to Infrequent Access after this many days (none: never).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transition_to_ia_days: Option<u32>,
    pub backups: bool,
    pub require_tls: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(aws_ids::VPC_ID))]
    pub vpc_id: Option<String>,
    /// The group on the mount targets, admitting NFS (TCP 2049) from the clients' groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(aws_ids::SECURITY_GROUP_ID))]
    pub security_group_id: Option<String>,
    #[serde(default)]
    pub mount_targets: Vec<EfsMountTarget>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_points: Vec<EfsAccessPoint>,
    #[serde(default)]
    pub changed: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EfsMountTarget {
    #[schemars(pattern(aws_ids::MOUNT_TARGET_ID))]
    pub id: String,
    #[schemars(pattern(aws_ids::AVAILABILITY_ZONE))]
    pub az: String,
    #[serde(default)]
    #[schemars(pattern(aws_ids::AVAILABILITY_ZONE_ID_OR_EMPTY))]
    pub az_id: String,
    /// The mount target's IPv4 address (what a plain NFS mount connects to).
    #[schemars(pattern(aws_ids::IPV4))]
    pub ip: String,
    #[schemars(pattern(aws_ids::SUBNET_ID))]
    pub subnet_id: String,
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EfsAccessPoint {
    #[schemars(pattern(aws_ids::ACCESS_POINT_ID))]
    pub id: String,
    pub uid: i64,
    pub gid: i64,
    #[schemars(pattern(aws_ids::EFS_PATH))]
    pub path: String,
}

impl Document for EfsDoc {
    const KIND: &'static str = "efs";
    const SCHEMA_VERSION: u32 = 1;

    /// Every id and address that can reach fstab or a mount argv has its strict shape.
    fn validate(&self) -> Result<()> {
        if self.file_system_id.is_empty() {
            if self.state != "planned" {
                return Err(Error::usage("file_system_id is empty (only a dry run's plan has none)"));
            }
        } else {
            check("file_system_id", aws_ids::FILE_SYSTEM_ID, &self.file_system_id)?;
        }
        check("region", aws_ids::REGION, &self.region)?;
        check("dns_name", aws_ids::DNS_NAME_OR_PLANNED, &self.dns_name)?;
        if let Some(vpc) = &self.vpc_id {
            check("vpc_id", aws_ids::VPC_ID, vpc)?;
        }
        if let Some(sg) = &self.security_group_id {
            check("security_group_id", aws_ids::SECURITY_GROUP_ID, sg)?;
        }
        for t in &self.mount_targets {
            check("mount target id", aws_ids::MOUNT_TARGET_ID, &t.id)?;
            check("mount target az", aws_ids::AVAILABILITY_ZONE, &t.az)?;
            check("mount target az_id", aws_ids::AVAILABILITY_ZONE_ID_OR_EMPTY, &t.az_id)?;
            check("mount target ip", aws_ids::IPV4, &t.ip)?;
            check("mount target subnet_id", aws_ids::SUBNET_ID, &t.subnet_id)?;
        }
        for a in &self.access_points {
            check("access point id", aws_ids::ACCESS_POINT_ID, &a.id)?;
            check("access point path", aws_ids::EFS_PATH, &a.path)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EfsMountDoc {
    #[schemars(pattern(aws_ids::FILE_SYSTEM_ID_OR_PLANNED))]
    pub file_system_id: String,
    pub mount_point: String,
    pub status: MountStatus,
    /// The mount target used: its AZ, address and subnet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<EfsMountTarget>,
    /// The host's AZ, when known; and whether the target is in another AZ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_az: Option<String>,
    #[serde(default)]
    pub cross_az: bool,
    /// How it is (to be) mounted; absent for an unmount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<MountMethod>,
    /// The commands run (or to run), each as its argv: no shell is involved.
    #[serde(default)]
    pub commands: Vec<Vec<String>>,
    pub fstab: String,
    /// The fstab change as a unified-diff-like list of `-old`/`+new` lines.
    #[serde(default)]
    pub fstab_diff: Vec<String>,
    pub changed: bool,
}

impl Document for EfsMountDoc {
    const KIND: &'static str = "efs-mount";
    const SCHEMA_VERSION: u32 = 1;
}

/// Where a mount stands after `mount` or `unmount` (`planned` in a dry run that would change it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MountStatus {
    Mounted,
    AlreadyMounted,
    Unmounted,
    NotMounted,
    Planned,
}

/// How a file system is mounted: `efs` (amazon-efs-utils' `mount.efs`, with TLS) or plain `nfs4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MountMethod {
    Efs,
    Nfs4,
}
