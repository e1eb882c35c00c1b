//! Planning a VPC peering (`vpc-bootstrap peer`): which VPC the peer is, whether the two
//! address spaces overlap (refused: AWS cannot route between them), and the steps that
//! make the peering, its routes in the chosen tables of both sides and the rules that
//! admit the peer's CIDR, or undo them (`--delete`). Pure: the dry run prints the steps,
//! `peer` runs them.

use awsops_core::ownership::validate_stack_name;
use awsops_core::{Error, Result, aws_ids};
use ipnet::Ipv4Net;

/// How OTHER names the peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerRef {
    /// Another vpc-bootstrap network, found by its tags.
    Stack(String),
    /// A VPC by id, in this account and region unless named.
    Vpc { vpc_id: String, account: Option<String>, region: Option<String> },
}

/// `lab2`, `vpc-0abc…` or `123456789012:us-west-2:vpc-0abc…`.
pub fn parse_peer(text: &str) -> Result<PeerRef> {
    let parts: Vec<&str> = text.split(':').collect();
    match parts.as_slice() {
        [account, region, vpc] => {
            aws_ids::check("OTHER's account", aws_ids::ACCOUNT_ID, account)?;
            aws_ids::check("OTHER's region", aws_ids::REGION, region)?;
            aws_ids::check("OTHER's VPC", aws_ids::VPC_ID, vpc)?;
            Ok(PeerRef::Vpc { vpc_id: (*vpc).to_owned(), account: Some((*account).to_owned()), region: Some((*region).to_owned()) })
        }
        [one] if one.starts_with("vpc-") => {
            aws_ids::check("OTHER", aws_ids::VPC_ID, one)?;
            Ok(PeerRef::Vpc { vpc_id: (*one).to_owned(), account: None, region: None })
        }
        [one] => {
            validate_stack_name(one)?;
            Ok(PeerRef::Stack((*one).to_owned()))
        }
        _ => Err(Error::usage(format!("OTHER {text:?}: expected a network name, a VPC id, or ACCOUNT:REGION:VPC_ID"))),
    }
}

/// Which route tables of each side get the route to the other's CIDR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RouteTables {
    Private,
    Public,
    All,
}

/// The requester (the network named first) or the accepter (OTHER).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Requester,
    Accepter,
}

/// One side of the peering as discovered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerSide {
    pub account: String,
    pub region: String,
    pub vpc_id: String,
    /// Every IPv4 block of the VPC, the primary first.
    pub cidrs: Vec<Ipv4Net>,
    /// The vpc-bootstrap network, when the side is one.
    pub stack: Option<String>,
    pub tables: Vec<PeerTable>,
    /// The network's private group (a vpc-bootstrap network only).
    pub private_group: Option<PeerGroup>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerTable {
    pub id: String,
    pub public: bool,
    /// (destination, target) of each IPv4 route.
    pub routes: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerGroup {
    pub id: String,
    /// (CIDR, port) of each single-port TCP rule from a CIDR.
    pub tcp_from: Vec<(String, u16)>,
}

/// A step of a peering plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerStep {
    /// Requests the peering from the requester's VPC.
    Request,
    /// Accepts it with the accepter's credentials.
    Accept,
    Route {
        side: Side,
        table: String,
        destination: String,
    },
    Allow {
        side: Side,
        group: String,
        cidr: String,
        port: u16,
    },
    DeleteRoute {
        side: Side,
        table: String,
        destination: String,
    },
    Revoke {
        side: Side,
        group: String,
        cidr: String,
        port: u16,
    },
    Delete,
}

impl PeerStep {
    /// One line for the document's `changes`.
    pub fn describe(&self, peering: &str) -> String {
        let side = |s: &Side| match s {
            Side::Requester => "requester",
            Side::Accepter => "accepter",
        };
        match self {
            PeerStep::Request => "request the peering connection".to_owned(),
            PeerStep::Accept => format!("accept {peering}"),
            PeerStep::Route { side: s, table, destination } => format!("route {destination} via {peering} in {table} ({})", side(s)),
            PeerStep::Allow { side: s, group, cidr, port } => format!("allow TCP {port} from {cidr} in {group} ({})", side(s)),
            PeerStep::DeleteRoute { side: s, table, destination } => format!("delete route {destination} from {table} ({})", side(s)),
            PeerStep::Revoke { side: s, group, cidr, port } => format!("revoke TCP {port} from {cidr} in {group} ({})", side(s)),
            PeerStep::Delete => format!("delete {peering}"),
        }
    }
}

/// Overlapping address spaces cannot be routed between: refused before anything changes.
pub fn check_overlap(a: &PeerSide, b: &PeerSide) -> Result<()> {
    if a.vpc_id == b.vpc_id && a.account == b.account && a.region == b.region {
        return Err(Error::usage(format!("{} cannot peer with itself", a.vpc_id)));
    }
    for x in &a.cidrs {
        for y in &b.cidrs {
            if x.contains(&y.network()) || y.contains(&x.network()) {
                return Err(Error::usage(format!(
                    "{} ({x}) and {} ({y}) overlap: VPCs with overlapping CIDRs cannot be peered",
                    a.vpc_id, b.vpc_id
                )));
            }
        }
    }
    Ok(())
}

fn chosen(side: &PeerSide, which: RouteTables) -> impl Iterator<Item = &PeerTable> {
    side.tables.iter().filter(move |t| match which {
        RouteTables::Private => !t.public,
        RouteTables::Public => t.public,
        RouteTables::All => true,
    })
}

/// The steps that make the peering converge. `peering` is the existing connection's id
/// and whether it is active (None: none exists).
pub fn plan(
    requester: &PeerSide,
    accepter: &PeerSide,
    peering: Option<(&str, bool)>,
    which: RouteTables,
    ports: &[u16],
) -> Result<Vec<PeerStep>> {
    check_overlap(requester, accepter)?;
    let mut steps = Vec::new();
    match peering {
        None => steps.extend([PeerStep::Request, PeerStep::Accept]),
        Some((_, false)) => steps.push(PeerStep::Accept),
        Some((_, true)) => {}
    }
    let pcx = peering.map(|(id, _)| id);
    for (side, here, there) in [(Side::Requester, requester, accepter), (Side::Accepter, accepter, requester)] {
        for table in chosen(here, which) {
            for cidr in &there.cidrs {
                let destination = cidr.to_string();
                match table.routes.iter().find(|(d, _)| *d == destination) {
                    Some((_, target)) if Some(target.as_str()) == pcx => {}
                    Some((_, target)) => {
                        return Err(Error::usage(format!(
                            "route table {} already sends {destination} to {target}: remove that route first",
                            table.id
                        )));
                    }
                    None => steps.push(PeerStep::Route { side, table: table.id.clone(), destination }),
                }
            }
        }
        if let Some(group) = &here.private_group {
            for cidr in &there.cidrs {
                for port in ports {
                    if !group.tcp_from.iter().any(|(c, p)| *c == cidr.to_string() && p == port) {
                        steps.push(PeerStep::Allow { side, group: group.id.clone(), cidr: cidr.to_string(), port: *port });
                    }
                }
            }
        }
    }
    Ok(steps)
}

/// The steps that undo a peering: every route to it on both sides, the rules admitting
/// the other side's CIDR on the networks' private groups, then the connection.
pub fn plan_delete(requester: &PeerSide, accepter: &PeerSide, peering: &str) -> Vec<PeerStep> {
    let mut steps = Vec::new();
    for (side, here, there) in [(Side::Requester, requester, accepter), (Side::Accepter, accepter, requester)] {
        for table in &here.tables {
            for (destination, target) in &table.routes {
                if target == peering {
                    steps.push(PeerStep::DeleteRoute { side, table: table.id.clone(), destination: destination.clone() });
                }
            }
        }
        if let Some(group) = &here.private_group {
            for (cidr, port) in &group.tcp_from {
                if there.cidrs.iter().any(|c| c.to_string() == *cidr) {
                    steps.push(PeerStep::Revoke { side, group: group.id.clone(), cidr: cidr.clone(), port: *port });
                }
            }
        }
    }
    steps.push(PeerStep::Delete);
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn side(vpc: &str, cidr: &str, stack: Option<&str>) -> PeerSide {
        PeerSide {
            account: "111111111111".into(),
            region: "ap-northeast-2".into(),
            vpc_id: vpc.into(),
            cidrs: vec![cidr.parse().unwrap()],
            stack: stack.map(Into::into),
            tables: vec![
                PeerTable { id: format!("rtb-{vpc}-pub"), public: true, routes: vec![] },
                PeerTable { id: format!("rtb-{vpc}-a"), public: false, routes: vec![] },
                PeerTable { id: format!("rtb-{vpc}-c"), public: false, routes: vec![] },
            ],
            private_group: stack.map(|_| PeerGroup { id: format!("sg-{vpc}"), tcp_from: vec![] }),
        }
    }

    #[test]
    fn others_are_stacks_vpcs_or_qualified_vpcs() {
        assert_eq!(parse_peer("lab2").unwrap(), PeerRef::Stack("lab2".into()));
        assert_eq!(
            parse_peer("vpc-0123456789abcdef0").unwrap(),
            PeerRef::Vpc { vpc_id: "vpc-0123456789abcdef0".into(), account: None, region: None }
        );
        assert_eq!(
            parse_peer("222222222222:us-west-2:vpc-0123456789abcdef0").unwrap(),
            PeerRef::Vpc { vpc_id: "vpc-0123456789abcdef0".into(), account: Some("222222222222".into()), region: Some("us-west-2".into()) }
        );
        for bad in ["vpc-xyz", "2222:us-west-2:vpc-0123456789abcdef0", "222222222222:mars:vpc-0123456789abcdef0", "a:b", "bad name", ""] {
            assert_eq!(parse_peer(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn a_new_peering_routes_the_chosen_tables_of_both_sides() {
        let (a, b) = (side("a", "10.1.0.0/16", Some("lab")), side("b", "10.2.0.0/16", None));
        let steps = plan(&a, &b, None, RouteTables::Private, &[22]).unwrap();
        assert_eq!(steps[..2], [PeerStep::Request, PeerStep::Accept]);
        let routes: Vec<(Side, &str, &str)> = steps
            .iter()
            .filter_map(|s| match s {
                PeerStep::Route { side, table, destination } => Some((*side, table.as_str(), destination.as_str())),
                _ => None,
            })
            .collect();
        assert_eq!(
            routes,
            [
                (Side::Requester, "rtb-a-a", "10.2.0.0/16"),
                (Side::Requester, "rtb-a-c", "10.2.0.0/16"),
                (Side::Accepter, "rtb-b-a", "10.1.0.0/16"),
                (Side::Accepter, "rtb-b-c", "10.1.0.0/16")
            ]
        );
        assert!(steps.contains(&PeerStep::Allow { side: Side::Requester, group: "sg-a".into(), cidr: "10.2.0.0/16".into(), port: 22 }));
        assert_eq!(steps.iter().filter(|s| matches!(s, PeerStep::Allow { .. })).count(), 1, "a bare VPC has no private group of ours");
        assert_eq!(plan(&a, &b, None, RouteTables::All, &[]).unwrap().len(), 2 + 6);
        assert_eq!(plan(&a, &b, None, RouteTables::Public, &[]).unwrap().len(), 2 + 2);
    }

    #[test]
    fn overlaps_and_foreign_routes_are_refused() {
        let a = side("a", "10.1.0.0/16", Some("lab"));
        assert!(plan(&a, &side("b", "10.1.128.0/17", None), None, RouteTables::Private, &[]).unwrap_err().to_string().contains("overlap"));
        assert_eq!(plan(&a, &a, None, RouteTables::Private, &[]).unwrap_err().exit_code(), 2);
        let mut b = side("b", "10.2.0.0/16", None);
        b.tables[1].routes.push(("10.1.0.0/16".into(), "tgw-1".into()));
        assert!(plan(&a, &b, None, RouteTables::Private, &[]).unwrap_err().to_string().contains("already sends"));
    }

    /// What the steps leave behind, applied to both sides.
    fn apply(a: &mut PeerSide, b: &mut PeerSide, steps: &[PeerStep], pcx: &str) {
        for s in steps {
            match s {
                PeerStep::Route { side, table, destination } => {
                    let here = if *side == Side::Requester { &mut *a } else { &mut *b };
                    here.tables.iter_mut().find(|t| &t.id == table).unwrap().routes.push((destination.clone(), pcx.into()));
                }
                PeerStep::Allow { side, cidr, port, .. } => {
                    let here = if *side == Side::Requester { &mut *a } else { &mut *b };
                    here.private_group.as_mut().unwrap().tcp_from.push((cidr.clone(), *port));
                }
                PeerStep::DeleteRoute { side, table, destination } => {
                    let here = if *side == Side::Requester { &mut *a } else { &mut *b };
                    here.tables.iter_mut().find(|t| &t.id == table).unwrap().routes.retain(|(d, _)| d != destination);
                }
                PeerStep::Revoke { side, cidr, port, .. } => {
                    let here = if *side == Side::Requester { &mut *a } else { &mut *b };
                    here.private_group.as_mut().unwrap().tcp_from.retain(|r| r != &(cidr.clone(), *port));
                }
                PeerStep::Request | PeerStep::Accept | PeerStep::Delete => {}
            }
        }
    }

    fn route_tables() -> impl Strategy<Value = RouteTables> {
        prop_oneof![Just(RouteTables::Private), Just(RouteTables::Public), Just(RouteTables::All)]
    }

    proptest! {
        /// Any peering converges in one run (a re-run plans nothing) and its delete leaves
        /// both sides as they were.
        #[test]
        fn peering_converges_and_deletes_cleanly(which in route_tables(), ports in proptest::collection::vec(1u16..1024, 0..3), stack in any::<bool>()) {
            let mut ports = ports;
            ports.sort();
            ports.dedup();
            let before = (side("a", "10.1.0.0/16", Some("lab")), side("b", "172.16.0.0/16", stack.then_some("lab2")));
            let (mut a, mut b) = before.clone();
            let steps = plan(&a, &b, None, which, &ports).unwrap();
            apply(&mut a, &mut b, &steps, "pcx-1");
            prop_assert!(plan(&a, &b, Some(("pcx-1", true)), which, &ports).unwrap().is_empty());
            let undo = plan_delete(&a, &b, "pcx-1");
            apply(&mut a, &mut b, &undo, "pcx-1");
            prop_assert_eq!((a, b), before);
        }

        /// Overlap is symmetric and matches address arithmetic.
        #[test]
        fn overlap_is_what_the_addresses_say(x in 0u8..=255, xp in 8u8..=28, y in 0u8..=255, yp in 8u8..=28) {
            let a: Ipv4Net = Ipv4Net::new(std::net::Ipv4Addr::new(10, x, 0, 0), xp).unwrap().trunc();
            let b: Ipv4Net = Ipv4Net::new(std::net::Ipv4Addr::new(10, y, 0, 0), yp).unwrap().trunc();
            let mut sa = side("a", "10.0.0.0/16", None);
            sa.cidrs = vec![a];
            let mut sb = side("b", "10.0.0.0/16", None);
            sb.cidrs = vec![b];
            let overlap = a.contains(&b.network()) || b.contains(&a.network());
            prop_assert_eq!(check_overlap(&sa, &sb).is_err(), overlap);
            prop_assert_eq!(check_overlap(&sb, &sa).is_err(), overlap);
        }
    }
}
