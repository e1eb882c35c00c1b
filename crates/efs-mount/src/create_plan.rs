//! The plans of `create` and `destroy`, as values: every attribute `create` manages
//! (encryption, modes, throughput, lifecycle, backups, TLS policy, NFS group and its rules,
//! mount targets and their groups, access points) compared with what exists, giving the
//! steps that make it so. `--dry-run` prints these steps and the apply runs exactly them,
//! so a dry run says what the real run does. No AWS here.

use crate::observed::{FsState, Observed};
use crate::spec::{AccessPointSpec, CreateSpec, Placement};
use awsops_core::kinds::EfsDoc;
use awsops_core::{Error, Result};

/// What `create` is asked for: the spec, where the mount targets go, which groups are clients.
#[derive(Debug, Clone)]
pub struct Wanted<'a> {
    pub spec: &'a CreateSpec,
    pub placement: &'a Placement,
    pub clients: &'a [String],
}

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    CreateFileSystem,
    CreateGroup {
        name: String,
    },
    /// Admit these client groups on TCP 2049 in the NFS group.
    AdmitClients {
        groups: Vec<String>,
    },
    UpdateThroughput {
        mode: String,
        mibps: Option<f64>,
    },
    PutLifecycle {
        ia_days: Option<u32>,
    },
    PutBackups {
        enabled: bool,
    },
    PutTlsPolicy,
    CreateMountTarget {
        subnet_id: String,
        az: String,
    },
    /// Put the NFS group on a mount target that lacks it, keeping the groups it has.
    AddGroupToTarget {
        target_id: String,
        az: String,
        keep: Vec<String>,
    },
    CreateAccessPoint(AccessPointSpec),
}

impl Step {
    /// The line the document's `changes` carries for this step.
    pub fn describe(&self, spec: &CreateSpec) -> String {
        match self {
            Step::CreateFileSystem => format!(
                "create encrypted file system {} ({}, {}{})",
                spec.name,
                spec.performance_mode,
                spec.throughput_mode,
                if spec.backups { ", backups on" } else { "" }
            ),
            Step::CreateGroup { name } => format!("create security group {name}"),
            Step::AdmitClients { groups } => format!("admit NFS from {}", groups.join(", ")),
            Step::UpdateThroughput { mode, mibps } => match mibps {
                Some(m) => format!("throughput: {mode} {m} MiB/s"),
                None => format!("throughput: {mode}"),
            },
            Step::PutLifecycle { ia_days } => match ia_days {
                Some(d) => format!("lifecycle: to Infrequent Access after {d} days"),
                None => "lifecycle: never to Infrequent Access".to_owned(),
            },
            Step::PutBackups { enabled } => format!("automatic backups {}", if *enabled { "on" } else { "off" }),
            Step::PutTlsPolicy => "file system policy: TLS required".to_owned(),
            Step::CreateMountTarget { subnet_id, az } => format!("create mount target in {az} ({subnet_id})"),
            Step::AddGroupToTarget { target_id, az, .. } => format!("put the NFS group on mount target {target_id} in {az}"),
            Step::CreateAccessPoint(ap) => format!("create access point {}:{}:{}", ap.uid, ap.gid, ap.path),
        }
    }
}

/// What cannot be changed on a file system that exists: a usage error before any change.
fn immutable_conflicts(fs: &FsState, spec: &CreateSpec) -> Result<()> {
    let fix = "EFS fixes it at creation: destroy the file system or use another --name";
    if !fs.encrypted {
        return Err(Error::usage(format!("file system {} is not encrypted; {fix}", fs.id)));
    }
    if fs.performance_mode != spec.performance_mode {
        return Err(Error::usage(format!(
            "file system {} has performance mode {}, not {}; {fix}",
            fs.id, fs.performance_mode, spec.performance_mode
        )));
    }
    if let (Some(want), Some(have)) = (&spec.kms_key, &fs.kms_key_id)
        && !want.starts_with("alias/")
        && !same_key(want, have)
    {
        return Err(Error::usage(format!("file system {} is encrypted with {have}, not {want}; {fix}", fs.id)));
    }
    Ok(())
}

/// A key id, or key ARN, names the same key as an ARN when they end alike.
fn same_key(want: &str, have: &str) -> bool {
    want == have || have.ends_with(&format!("key/{want}"))
}

/// The steps that make what exists match what is wanted; empty when it already does.
pub fn plan_create(wanted: &Wanted, observed: &Observed) -> Result<Vec<Step>> {
    let spec = wanted.spec;
    let mut steps = Vec::new();
    if let Some(other) = observed.targets.iter().find(|t| t.vpc_id != wanted.placement.vpc_id) {
        return Err(Error::usage(format!(
            "file system {} already has mount targets in {}, not {}",
            observed.fs.as_ref().map(|f| f.id.as_str()).unwrap_or(&spec.name),
            other.vpc_id,
            wanted.placement.vpc_id
        )));
    }
    if let Some(g) = &observed.group
        && g.vpc_id != wanted.placement.vpc_id
    {
        return Err(Error::usage(format!(
            "the NFS group {} of {} is in {}, not {}: destroy the file system first to move it",
            g.id, spec.name, g.vpc_id, wanted.placement.vpc_id
        )));
    }
    match &observed.fs {
        None => {
            steps.push(Step::CreateFileSystem);
            if spec.ia_after_days.is_some() {
                steps.push(Step::PutLifecycle { ia_days: spec.ia_after_days });
            }
            if spec.require_tls {
                steps.push(Step::PutTlsPolicy);
            }
        }
        Some(fs) => {
            immutable_conflicts(fs, spec)?;
            let mibps = if spec.throughput_mode == "provisioned" { spec.provisioned_mibps } else { None };
            let have_mibps = if fs.throughput_mode == "provisioned" { fs.provisioned_mibps } else { None };
            if fs.throughput_mode != spec.throughput_mode || mibps != have_mibps {
                steps.push(Step::UpdateThroughput { mode: spec.throughput_mode.clone(), mibps });
            }
            if fs.ia_days != spec.ia_after_days {
                steps.push(Step::PutLifecycle { ia_days: spec.ia_after_days });
            }
            if fs.backups != spec.backups {
                steps.push(Step::PutBackups { enabled: spec.backups });
            }
            if spec.require_tls
                && !fs.policy.as_deref().is_some_and(|p| crate::spec::same_policy(Some(p), &crate::spec::tls_policy(&fs.arn)))
            {
                if fs.policy.is_some() && !fs.policy_is_ours() {
                    return Err(Error::usage(format!(
                        "file system {} has a policy efs-mount did not write; add the TLS condition to it yourself, or remove it \
                         and re-run with --require-tls",
                        fs.id
                    )));
                }
                steps.push(Step::PutTlsPolicy);
            }
        }
    }
    match &observed.group {
        None => {
            steps.push(Step::CreateGroup { name: format!("efs-{}", spec.name) });
            steps.push(Step::AdmitClients { groups: wanted.clients.to_vec() });
        }
        Some(g) => {
            let missing: Vec<String> = wanted.clients.iter().filter(|c| !g.admitted.contains(c)).cloned().collect();
            if !missing.is_empty() {
                steps.push(Step::AdmitClients { groups: missing });
            }
        }
    }
    for (subnet_id, az) in &wanted.placement.subnets {
        if !observed.targets.iter().any(|t| &t.target.az == az) {
            steps.push(Step::CreateMountTarget { subnet_id: subnet_id.clone(), az: az.clone() });
        }
    }
    let our_group = observed.group.as_ref().map(|g| g.id.as_str());
    for t in &observed.targets {
        if our_group.is_none_or(|g| !t.groups.iter().any(|x| x == g)) {
            steps.push(Step::AddGroupToTarget { target_id: t.target.id.clone(), az: t.target.az.clone(), keep: t.groups.clone() });
        }
    }
    for ap in &spec.access_points {
        if !observed.access_points.iter().any(|a| a.uid == ap.uid && a.gid == ap.gid && a.path == ap.path) {
            steps.push(Step::CreateAccessPoint(ap.clone()));
        }
    }
    Ok(steps)
}

/// The document a dry run prints: what exists (or a planned file system) with the steps.
pub fn planned_document(wanted: &Wanted, observed: &Observed, steps: &[Step], region: &str) -> EfsDoc {
    let spec = wanted.spec;
    let mut doc = observed.document(region).unwrap_or_else(|| EfsDoc {
        name: spec.name.clone(),
        file_system_id: String::new(),
        region: region.to_owned(),
        dns_name: String::new(),
        state: "planned".into(),
        encrypted: true,
        kms_key_id: spec.kms_key.clone(),
        performance_mode: spec.performance_mode.clone(),
        throughput_mode: spec.throughput_mode.clone(),
        transition_to_ia_days: spec.ia_after_days,
        backups: spec.backups,
        require_tls: spec.require_tls,
        vpc_id: Some(wanted.placement.vpc_id.clone()),
        security_group_id: observed.group.as_ref().map(|g| g.id.clone()),
        mount_targets: Vec::new(),
        access_points: Vec::new(),
        changed: false,
        changes: Vec::new(),
    });
    doc.changes = steps.iter().map(|s| s.describe(spec)).collect();
    doc.changed = !steps.is_empty();
    doc
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DestroyStep {
    DeleteMountTarget { id: String, az: String },
    DeleteAccessPoint { id: String },
    DeleteFileSystem { id: String },
    DeleteGroup { id: String },
}

impl DestroyStep {
    pub fn describe(&self) -> String {
        match self {
            DestroyStep::DeleteMountTarget { id, az } => format!("delete mount target {id} in {az}"),
            DestroyStep::DeleteAccessPoint { id } => format!("delete access point {id}"),
            DestroyStep::DeleteFileSystem { id } => format!("delete file system {id}"),
            DestroyStep::DeleteGroup { id } => format!("delete security group {id}"),
        }
    }
}

/// Everything `destroy` deletes, in dependency order: mount targets, access points, the
/// file system, then the NFS group efs-mount made (never another group).
pub fn plan_destroy(observed: &Observed) -> Vec<DestroyStep> {
    let mut steps: Vec<DestroyStep> =
        observed.targets.iter().map(|t| DestroyStep::DeleteMountTarget { id: t.target.id.clone(), az: t.target.az.clone() }).collect();
    steps.extend(observed.access_points.iter().map(|a| DestroyStep::DeleteAccessPoint { id: a.id.clone() }));
    if let Some(fs) = &observed.fs {
        steps.push(DestroyStep::DeleteFileSystem { id: fs.id.clone() });
    }
    if let Some(g) = &observed.group {
        steps.push(DestroyStep::DeleteGroup { id: g.id.clone() });
    }
    steps
}

#[cfg(test)]
mod tests;
