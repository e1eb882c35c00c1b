//! The `ami-plan` document a dry run prints: every change a subcommand would make, one
//! item per call it would send, and nothing sent.

use awsops_core::Document;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Plan {
    /// The subcommand: `create`, `snapshot`, `copy`, `share`, `unshare`.
    pub operation: String,
    pub items: Vec<PlanItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlanItem {
    /// The API action it would call, e.g. `CreateImage`.
    pub action: String,
    pub region: String,
    /// What it acts on: an instance, volume or image id.
    pub target: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub detail: BTreeMap<String, String>,
}

impl Document for Plan {
    const KIND: &'static str = "ami-plan";
    const SCHEMA_VERSION: u32 = 1;
}

impl Plan {
    pub fn new(operation: &str) -> Plan {
        Plan { operation: operation.to_owned(), items: Vec::new() }
    }

    pub fn add(&mut self, action: &str, region: &str, target: &str, detail: &[(&str, String)]) {
        self.items.push(PlanItem {
            action: action.to_owned(),
            region: region.to_owned(),
            target: target.to_owned(),
            detail: detail.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(),
        });
    }
}
