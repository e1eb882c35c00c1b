//! Routes by target kind: EC2 takes a route's target in a parameter named after its kind
//! (internet gateway, NAT gateway, peering connection), so each create or replace picks
//! the parameter from the id's prefix. Shared by `create` and `peer`.

use awsops_core::Result;
use awsops_core::ec2::settle;

/// What a route points at, told by the id's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteTarget<'a> {
    NatGateway(&'a str),
    PeeringConnection(&'a str),
    /// An internet gateway (or any other gateway id).
    Gateway(&'a str),
}

impl<'a> RouteTarget<'a> {
    pub fn of(id: &'a str) -> RouteTarget<'a> {
        if id.starts_with("nat-") {
            RouteTarget::NatGateway(id)
        } else if id.starts_with("pcx-") {
            RouteTarget::PeeringConnection(id)
        } else {
            RouteTarget::Gateway(id)
        }
    }
}

/// Adds a route; one already there for the destination (a retry after a lost answer, or
/// a route someone else made) is pointed at the target instead.
pub async fn create_route(ec2: &aws_sdk_ec2::Client, table: &str, destination: &str, target: &str) -> Result<()> {
    let created = settle("CreateRoute", || {
        let call = ec2.create_route().route_table_id(table).destination_cidr_block(destination);
        match RouteTarget::of(target) {
            RouteTarget::NatGateway(id) => call.nat_gateway_id(id),
            RouteTarget::PeeringConnection(id) => call.vpc_peering_connection_id(id),
            RouteTarget::Gateway(id) => call.gateway_id(id),
        }
        .send()
    })
    .await;
    match created {
        Err(e) if e.aws_code() == Some("RouteAlreadyExists") => replace_route(ec2, table, destination, target).await,
        other => other.map(drop),
    }
}

/// Points an existing route at another target.
pub async fn replace_route(ec2: &aws_sdk_ec2::Client, table: &str, destination: &str, target: &str) -> Result<()> {
    settle("ReplaceRoute", || {
        let call = ec2.replace_route().route_table_id(table).destination_cidr_block(destination);
        match RouteTarget::of(target) {
            RouteTarget::NatGateway(id) => call.nat_gateway_id(id),
            RouteTarget::PeeringConnection(id) => call.vpc_peering_connection_id(id),
            RouteTarget::Gateway(id) => call.gateway_id(id),
        }
        .send()
    })
    .await
    .map(drop)
}

/// Removes a route; one already gone is done.
pub async fn delete_route(ec2: &aws_sdk_ec2::Client, table: &str, destination: &str) -> Result<()> {
    match ec2.delete_route().route_table_id(table).destination_cidr_block(destination).send().await {
        Ok(_) => Ok(()),
        Err(e) => {
            let err = awsops_core::Error::from_aws("DeleteRoute", e);
            if awsops_core::error::is_not_found(&err) { Ok(()) } else { Err(err) }
        }
    }
}

/// Routes to a peer's CIDR in both sides' route tables (the peer's tables carry no awsops
/// tag when the peer is not a stack), and their removal.
pub static PEER_ROUTES: awsops_core::permissions::Grant =
    awsops_core::permissions::Grant::any("RouteToPeer", &["ec2:CreateRoute", "ec2:DeleteRoute", "ec2:ReplaceRoute"])
        .on(&[awsops_core::ec2_arn!("route-table")]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_told_by_prefix() {
        assert_eq!(RouteTarget::of("nat-0a1"), RouteTarget::NatGateway("nat-0a1"));
        assert_eq!(RouteTarget::of("pcx-0a1"), RouteTarget::PeeringConnection("pcx-0a1"));
        assert_eq!(RouteTarget::of("igw-0a1"), RouteTarget::Gateway("igw-0a1"));
    }
}
