//! The document kinds that travel between commands. They live in the core, not in the
//! command that prints them, so a reader depends only on the contract.

pub mod ami;
pub mod audit;
pub mod dns;
pub mod efs;
pub mod fleet;
pub mod peering;
pub mod ssh;
pub mod vpc;

pub use ami::{AmiDoc, AmiPruneDoc, PruneOutcome, PruneVerdict, PrunedSnapshot, SnapshotDoc};
pub use audit::{AuditFleetSummaryDoc, AuditSummaryDoc, FindingDoc, Severity, SkippedCheck};
pub use dns::{
    AliasTarget, CertificateDoc, ChangeAction, DistributionDoc, LoadBalancerDoc, LoadBalancerTarget, RecordChange, RecordDoc, RecordSet,
    RecordStatus, TargetHealth, TargetKind,
};
pub use efs::{EfsAccessPoint, EfsDoc, EfsMountDoc, EfsMountTarget, MountMethod, MountStatus};
pub use fleet::{FleetTargetDoc, TargetStatus};
pub use peering::{PeeringDoc, PeeringRoute, PeeringRule, PeeringSide, PeeringSideName, PeeringStatus};
pub use ssh::{ExecDoc, SshConfigDoc};
pub use vpc::{EndpointService, SecurityGroupRole, SecurityGroups, Tier, VpcBastion, VpcDoc, VpcEndpoint, VpcNatGateway, VpcSubnet};
