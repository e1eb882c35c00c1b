//! The document kinds that travel between commands. They live in the core, not in the
//! command that prints them, so a reader depends only on the contract.

pub mod ami;
pub mod vpc;

pub use ami::{AmiDoc, AmiPruneDoc, PrunedSnapshot, SnapshotDoc};
pub use vpc::{VpcBastion, VpcDoc, VpcEndpoint, VpcNatGateway, VpcSubnet};
