//! The IAM permissions of the plan's steps, declared beside the code that runs them
//! (`apply.rs`): creates tag what they make with the stack's tags (tag-on-create), and
//! every change or delete is scoped to resources carrying `awsops:stack=<stack>`.
//! The VPC's default security group is the one thing changed that vpc-bootstrap did not
//! create: it carries no tag, so stripping its rules is granted on security groups
//! without a tag condition.

use awsops_core::ec2_arn;
use awsops_core::permissions::Grant;

pub static CREATE_VPC: Grant = Grant::any("CreateVpc", &["ec2:CreateVpc"]).on(&[ec2_arn!("vpc")]).tags_on_create();
pub static CONFIGURE_VPC: Grant = Grant::any("ConfigureOwnVpc", &["ec2:ModifyVpcAttribute"]).on(&[ec2_arn!("vpc")]).owned();
pub static BUILD_IN_OWN_VPC: Grant =
    Grant::any("BuildInOwnVpc", &["ec2:AttachInternetGateway", "ec2:CreateRouteTable", "ec2:CreateSecurityGroup", "ec2:CreateSubnet"])
        .on(&[ec2_arn!("vpc")])
        .owned();
pub static STRIP_DEFAULT_SECURITY_GROUP: Grant =
    Grant::any("StripDefaultSecurityGroup", &["ec2:RevokeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress"])
        .on(&[ec2_arn!("security-group")]);
pub static CREATE_SUBNETS: Grant = Grant::any("CreateSubnets", &["ec2:CreateSubnet"]).on(&[ec2_arn!("subnet")]).tags_on_create();
pub static CONFIGURE_SUBNETS: Grant = Grant::any("ConfigureOwnSubnets", &["ec2:ModifySubnetAttribute"]).on(&[ec2_arn!("subnet")]).owned();
pub static CREATE_INTERNET_GATEWAY: Grant =
    Grant::any("CreateInternetGateway", &["ec2:CreateInternetGateway"]).on(&[ec2_arn!("internet-gateway")]).tags_on_create();
pub static ATTACH_INTERNET_GATEWAY: Grant =
    Grant::any("AttachOwnInternetGateway", &["ec2:AttachInternetGateway"]).on(&[ec2_arn!("internet-gateway")]).owned();
pub static CREATE_ROUTE_TABLES: Grant =
    Grant::any("CreateRouteTables", &["ec2:CreateRouteTable"]).on(&[ec2_arn!("route-table")]).tags_on_create();
pub static ROUTE: Grant = Grant::any("RouteOwnTables", &["ec2:AssociateRouteTable", "ec2:CreateRoute", "ec2:ReplaceRoute"])
    .on(&[ec2_arn!("route-table"), ec2_arn!("subnet")])
    .owned();
pub static ALLOCATE_NAT_ADDRESSES: Grant =
    Grant::any("AllocateNatAddresses", &["ec2:AllocateAddress"]).on(&[ec2_arn!("elastic-ip")]).tags_on_create();
pub static CREATE_NAT_GATEWAY: Grant = Grant::any("CreateNatGateway", &["ec2:CreateNatGateway"])
    .on(&[ec2_arn!("natgateway"), ec2_arn!("subnet"), ec2_arn!("elastic-ip")])
    .tags_on_create();
pub static CREATE_SECURITY_GROUPS: Grant =
    Grant::any("CreateSecurityGroups", &["ec2:CreateSecurityGroup"]).on(&[ec2_arn!("security-group")]).tags_on_create();
pub static OPEN_SECURITY_GROUPS: Grant =
    Grant::any("OpenOwnSecurityGroups", &["ec2:AuthorizeSecurityGroupIngress"]).on(&[ec2_arn!("security-group")]).owned();
pub static CREATE_GATEWAY_ENDPOINTS: Grant = Grant::any("CreateGatewayEndpoints", &["ec2:CreateVpcEndpoint"])
    .on(&[ec2_arn!("vpc-endpoint"), ec2_arn!("vpc"), ec2_arn!("route-table")])
    .tags_on_create();
pub static ROUTE_ENDPOINTS: Grant =
    Grant::any("RouteOwnEndpoints", &["ec2:ModifyVpcEndpoint"]).on(&[ec2_arn!("vpc-endpoint"), ec2_arn!("route-table")]).owned();
pub static LAUNCH_BASTION: Grant = Grant::any("LaunchBastion", &["ec2:RunInstances"])
    .on(&[ec2_arn!("instance"), ec2_arn!("volume"), ec2_arn!("network-interface")])
    .tags_on_create();
pub static LAUNCH_BASTION_IN_OWN_NETWORK: Grant =
    Grant::any("LaunchBastionInOwnNetwork", &["ec2:RunInstances"]).on(&[ec2_arn!("subnet"), ec2_arn!("security-group")]).owned();
/// The image (AWS's own, or --bastion-ami) and the key pair are not the stack's.
pub static LAUNCH_BASTION_FROM_IMAGE: Grant =
    Grant::any("LaunchBastionFromImage", &["ec2:RunInstances"]).on(&["arn:{partition}:ec2:{region}::image/*", ec2_arn!("key-pair")]);

/// `--private-route-tables` changed on a re-run: subnets moved to their new tables, the
/// endpoints' tables swapped, the orphaned tables deleted.
pub static MOVE_ROUTE_TABLES: Grant = Grant::any("MoveSubnetsBetweenOwnRouteTables", &["ec2:ReplaceRouteTableAssociation"])
    .on(&[ec2_arn!("route-table"), ec2_arn!("subnet"), ec2_arn!("vpc-endpoint")])
    .owned();

pub static TERMINATE_BASTION: Grant = Grant::any("TerminateOwnBastion", &["ec2:TerminateInstances"]).on(&[ec2_arn!("instance")]).owned();
pub static DELETE_NAT_GATEWAYS: Grant = Grant::any("DeleteOwnNatGateways", &["ec2:DeleteNatGateway"]).on(&[ec2_arn!("natgateway")]).owned();
pub static RELEASE_ADDRESSES: Grant = Grant::any("ReleaseOwnAddresses", &["ec2:ReleaseAddress"]).on(&[ec2_arn!("elastic-ip")]).owned();
pub static REMOVE_INTERNET_GATEWAY: Grant =
    Grant::any("RemoveOwnInternetGateway", &["ec2:DeleteInternetGateway", "ec2:DetachInternetGateway"])
        .on(&[ec2_arn!("internet-gateway"), ec2_arn!("vpc")])
        .owned();
pub static DELETE_ENDPOINTS: Grant = Grant::any("DeleteOwnEndpoints", &["ec2:DeleteVpcEndpoints"]).on(&[ec2_arn!("vpc-endpoint")]).owned();
pub static DELETE_ROUTE_TABLES: Grant = Grant::any("DeleteOwnRouteTables", &["ec2:DeleteRouteTable", "ec2:DisassociateRouteTable"])
    .on(&[ec2_arn!("route-table"), ec2_arn!("subnet")])
    .owned();
pub static REVOKE_RULES: Grant =
    Grant::any("RevokeOwnRules", &["ec2:RevokeSecurityGroupIngress"]).on(&[ec2_arn!("security-group")]).owned();
pub static DELETE_SECURITY_GROUPS: Grant =
    Grant::any("DeleteOwnSecurityGroups", &["ec2:DeleteSecurityGroup"]).on(&[ec2_arn!("security-group")]).owned();
pub static DELETE_SUBNETS: Grant = Grant::any("DeleteOwnSubnets", &["ec2:DeleteSubnet"]).on(&[ec2_arn!("subnet")]).owned();
pub static DELETE_VPC: Grant = Grant::any("DeleteOwnVpc", &["ec2:DeleteVpc"]).on(&[ec2_arn!("vpc")]).owned();

/// What every create can run: the network without NAT gateways, endpoints or bastion.
pub static NETWORK: [&Grant; 11] = [
    &CREATE_VPC,
    &CONFIGURE_VPC,
    &BUILD_IN_OWN_VPC,
    &STRIP_DEFAULT_SECURITY_GROUP,
    &CREATE_SUBNETS,
    &CONFIGURE_SUBNETS,
    &CREATE_INTERNET_GATEWAY,
    &ATTACH_INTERNET_GATEWAY,
    &CREATE_ROUTE_TABLES,
    &ROUTE,
    &CREATE_SECURITY_GROUPS,
];
pub static SECURITY_GROUP_RULES: [&Grant; 1] = [&OPEN_SECURITY_GROUPS];
pub static NAT: [&Grant; 2] = [&ALLOCATE_NAT_ADDRESSES, &CREATE_NAT_GATEWAY];
pub static ENDPOINTS: [&Grant; 2] = [&CREATE_GATEWAY_ENDPOINTS, &ROUTE_ENDPOINTS];
pub static BASTION: [&Grant; 3] = [&LAUNCH_BASTION, &LAUNCH_BASTION_IN_OWN_NETWORK, &LAUNCH_BASTION_FROM_IMAGE];
/// Removing owned duplicates that lost responses or overlapping runs left (create and destroy).
pub static DUPLICATES: [&Grant; 5] = [&REMOVE_INTERNET_GATEWAY, &RELEASE_ADDRESSES, &DELETE_ROUTE_TABLES, &DELETE_ENDPOINTS, &DELETE_VPC];
/// The whole teardown.
pub static TEARDOWN: [&Grant; 10] = [
    &TERMINATE_BASTION,
    &DELETE_NAT_GATEWAYS,
    &RELEASE_ADDRESSES,
    &REMOVE_INTERNET_GATEWAY,
    &DELETE_ENDPOINTS,
    &DELETE_ROUTE_TABLES,
    &REVOKE_RULES,
    &DELETE_SECURITY_GROUPS,
    &DELETE_SUBNETS,
    &DELETE_VPC,
];
