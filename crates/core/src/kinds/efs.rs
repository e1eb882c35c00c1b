//! The documents of efs-mount: `efs` (a file system, its mount targets, security group and
//! access points, which `efs-mount mount` reads on the client host) and `efs-mount` (what a
//! mount or unmount did, or in a dry run would do, on one host).

use crate::document::Document;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EfsDoc {
    /// The creation token, also the Name tag.
    pub name: String,
    pub file_system_id: String,
    pub region: String,
    /// The regional DNS name (resolves inside the VPC to the mount target of the caller's AZ).
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
    pub vpc_id: Option<String>,
    /// The group on the mount targets, admitting NFS (TCP 2049) from the clients' groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    pub id: String,
    pub az: String,
    #[serde(default)]
    pub az_id: String,
    pub ip: String,
    pub subnet_id: String,
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EfsAccessPoint {
    pub id: String,
    pub uid: i64,
    pub gid: i64,
    pub path: String,
}

impl Document for EfsDoc {
    const KIND: &'static str = "efs";
    const SCHEMA_VERSION: u32 = 1;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EfsMountDoc {
    pub file_system_id: String,
    pub mount_point: String,
    /// `mounted`, `unmounted`, `already-mounted`, `not-mounted`, or `planned` (a dry run).
    pub status: String,
    /// The mount target used: its AZ, address and subnet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<EfsMountTarget>,
    /// The host's AZ, when known; and whether the target is in another AZ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_az: Option<String>,
    #[serde(default)]
    pub cross_az: bool,
    /// `efs` (amazon-efs-utils, TLS) or `nfs4`.
    #[serde(default)]
    pub method: String,
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
