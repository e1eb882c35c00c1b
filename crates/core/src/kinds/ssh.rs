//! The documents of bastion-ssh: `exec` (one per host of a fan-out: exit status, output,
//! duration) and `ssh-config` (what `bastion-ssh config` wrote).

use crate::document::Document;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExecDoc {
    /// The Name tag, or the instance id.
    pub host: String,
    pub instance_id: String,
    pub address: String,
    /// The remote exit status; 255 when the connection failed.
    pub exit_status: i32,
    pub stdout: String,
    pub stderr: String,
    pub duration_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Document for ExecDoc {
    const KIND: &'static str = "exec";
    const SCHEMA_VERSION: u32 = 1;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SshConfigDoc {
    pub path: String,
    /// The Host aliases in the managed block.
    pub hosts: Vec<String>,
    pub changed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup: Option<String>,
    /// With --dry-run: the change as a unified diff (nothing is written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

impl Document for SshConfigDoc {
    const KIND: &'static str = "ssh-config";
    const SCHEMA_VERSION: u32 = 1;
}
