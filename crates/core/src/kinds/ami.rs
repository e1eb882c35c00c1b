//! The documents of ami-snap: `ami` (an image, as created, copied or shared; what copy
//! and share read from stdin), `snapshot` (an EBS snapshot) and `ami-prune` (one prune
//! candidate, kept or pruned, with the reason).

use crate::document::Document;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AmiDoc {
    pub image_id: String,
    pub region: String,
    pub name: String,
    /// `pending`, `available`, `failed`, ...
    pub state: String,
    /// RFC 3339, as EC2 reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// The retention group (`awsops:group` tag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_instance_id: Option<String>,
    /// For a copy: the image and region it was copied from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_image_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_region: Option<String>,
    #[serde(default)]
    pub snapshot_ids: Vec<String>,
    #[serde(default)]
    pub encrypted: bool,
    /// Accounts with launch permission.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared_with: Vec<String>,
    /// Whether this run made it (false: it existed already, e.g. a copy found in the region).
    #[serde(default)]
    pub created_now: bool,
    /// The account the image is in, on documents of a fleet run (`--accounts`, `--org`);
    /// `ami-snap copy` in a fleet copies each image within its account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(crate::aws_ids::ACCOUNT_ID))]
    pub account: Option<String>,
}

impl Document for AmiDoc {
    const KIND: &'static str = "ami";
    const SCHEMA_VERSION: u32 = 1;

    fn validate(&self) -> crate::Result<()> {
        match &self.account {
            Some(account) => crate::fleet_targets::parse_account_id(account).map(|_| ()),
            None => Ok(()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SnapshotDoc {
    pub snapshot_id: String,
    pub region: String,
    pub volume_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// `pending`, `completed`, `error`.
    pub state: String,
    #[serde(default)]
    pub size_gib: i32,
    #[serde(default)]
    pub encrypted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
}

impl Document for SnapshotDoc {
    const KIND: &'static str = "snapshot";
    const SCHEMA_VERSION: u32 = 1;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AmiPruneDoc {
    pub region: String,
    pub image_id: String,
    pub name: String,
    pub group: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    pub verdict: PruneVerdict,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub snapshots: Vec<PrunedSnapshot>,
    pub outcome: PruneOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What the retention rule decided for an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PruneVerdict {
    Keep,
    Prune,
}

/// What became of an image: `planned` (a dry run), `done` or `failed` (deregistered, or
/// not), `kept` (the verdict was keep).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PruneOutcome {
    Planned,
    Done,
    Failed,
    Kept,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PrunedSnapshot {
    pub snapshot_id: String,
    pub delete: bool,
    pub reason: String,
}

impl Document for AmiPruneDoc {
    const KIND: &'static str = "ami-prune";
    const SCHEMA_VERSION: u32 = 1;
}
