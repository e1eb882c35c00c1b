#!/usr/bin/env python3
"""The lab layout built by a plain sequential boto3 script making the same API calls as
`vpc-bootstrap create lab --cidr 10.1.0.0/16 --az a,c --private-per-az 2` (with --full, as
with `--endpoint s3 --bastion` too): look for what exists, create everything, wait for the
NAT gateway (and the bastion), describe the result. The comparison point of `cargo xtask bench`; it prints
{"calls_seconds": ...}, the time of its calls without Python's start-up and imports.
Endpoint, region and credentials come from the environment (AWS_ENDPOINT_URL, ...)."""

import json
import sys
import time

import boto3

STACK = "lab"
REGION_AZS = ["a", "c"]
SSH_FROM = "203.0.113.7/32"
AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
FULL = "--full" in sys.argv[1:]

ec2 = boto3.client("ec2")
ssm = boto3.client("ssm")
region = ec2.meta.region_name


def tags(kind, role, name):
    return [{
        "ResourceType": kind,
        "Tags": [
            {"Key": "Name", "Value": name},
            {"Key": "awsops:stack", "Value": STACK},
            {"Key": "awsops:role", "Value": role},
            {"Key": "awsops:tool", "Value": "vpc-bootstrap"},
        ],
    }]


def owned():
    return [{"Name": "tag:awsops:stack", "Values": [STACK]}]


def discover():
    ec2.describe_vpcs(Filters=owned())
    ec2.describe_subnets(Filters=owned())
    ec2.describe_internet_gateways(Filters=owned())
    ec2.describe_route_tables(Filters=owned())
    ec2.describe_addresses(Filters=owned())
    ec2.describe_nat_gateways(Filter=owned())
    ec2.describe_security_groups(Filters=owned())
    ec2.describe_vpc_endpoints(Filters=owned())
    ec2.describe_instances(Filters=owned())


start = time.perf_counter()
ec2.describe_availability_zones(Filters=[
    {"Name": "state", "Values": ["available"]},
    {"Name": "zone-type", "Values": ["availability-zone"]},
])
discover()
if FULL:
    ami = ssm.get_parameter(Name=AMI_PARAMETER)["Parameter"]["Value"]

vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16", TagSpecifications=tags("vpc", "vpc", STACK))["Vpc"]["VpcId"]
ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
default_group = ec2.describe_security_groups(Filters=[
    {"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]},
])["SecurityGroups"][0]
igw = ec2.create_internet_gateway(TagSpecifications=tags("internet-gateway", "igw", f"{STACK}-igw"))
igw = igw["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
eip = ec2.allocate_address(Domain="vpc", TagSpecifications=tags("elastic-ip", "eip:nat:a", f"{STACK}-nat-a"))["AllocationId"]

subnets = {}
layout = [
    ("public-subnet-a1", "10.1.0.0/24", "a", "public"),
    ("public-subnet-c1", "10.1.2.0/24", "c", "public"),
    ("private-subnet-a1", "10.1.128.0/24", "a", "private"),
    ("private-subnet-c1", "10.1.130.0/24", "c", "private"),
    ("private-subnet-a2", "10.1.136.0/24", "a", "private"),
    ("private-subnet-c2", "10.1.138.0/24", "c", "private"),
]
for name, cidr, az, tier in layout:
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=region + az,
                               TagSpecifications=tags("subnet", f"subnet:{name}", name))
    subnets[name] = subnet["Subnet"]["SubnetId"]
for name, _, _, tier in layout:
    if tier == "public":
        ec2.modify_subnet_attribute(SubnetId=subnets[name], MapPublicIpOnLaunch={"Value": True})

tables = {}
for role in ["rt:public"] + [f"rt:private:{az}" for az in REGION_AZS]:
    table = ec2.create_route_table(VpcId=vpc, TagSpecifications=tags("route-table", role, f"{STACK}-{role}"))
    tables[role] = table["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=tables["rt:public"], DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
for name, _, az, tier in layout:
    role = "rt:public" if tier == "public" else f"rt:private:{az}"
    ec2.associate_route_table(RouteTableId=tables[role], SubnetId=subnets[name])

groups = {}
for role, description in [("web", "web"), ("bastion", "bastion"), ("private", "private")]:
    group = ec2.create_security_group(VpcId=vpc, GroupName=f"{STACK}-{role}", Description=f"{STACK} {description}",
                                      TagSpecifications=tags("security-group", f"sg:{role}", f"{STACK}-{role}"))
    groups[role] = group["GroupId"]
ec2.authorize_security_group_ingress(GroupId=groups["web"], IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": p, "ToPort": p, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]} for p in (80, 443)
])
ec2.authorize_security_group_ingress(GroupId=groups["bastion"], IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": SSH_FROM}]}
])
ec2.authorize_security_group_ingress(GroupId=groups["private"], IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "UserIdGroupPairs": [{"GroupId": groups["bastion"]}]}
])
ec2.revoke_security_group_egress(GroupId=default_group["GroupId"], IpPermissions=default_group["IpPermissionsEgress"])

nat = ec2.create_nat_gateway(SubnetId=subnets["public-subnet-a1"], AllocationId=eip, ClientToken=f"lab-nat-{vpc}",
                             TagSpecifications=tags("natgateway", "nat:a", f"{STACK}-nat-a"))["NatGateway"]
nat, nat_state = nat["NatGatewayId"], nat.get("State")
if FULL:
    ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{region}.s3", VpcEndpointType="Gateway",
                            RouteTableIds=[tables["rt:private:a"], tables["rt:private:c"]],
                            TagSpecifications=tags("vpc-endpoint", "endpoint:s3", f"{STACK}-s3"))
    image = ec2.describe_images(ImageIds=[ami])["Images"][0]
    root_device = image["RootDeviceName"]
    root_size = image["BlockDeviceMappings"][0]["Ebs"].get("VolumeSize", 8)
    instance = ec2.run_instances(
        ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1, ClientToken=f"lab-bastion-{vpc}",
        MetadataOptions={"HttpTokens": "required", "HttpEndpoint": "enabled", "HttpPutResponseHopLimit": 1},
        BlockDeviceMappings=[{"DeviceName": root_device,
                              "Ebs": {"Encrypted": True, "VolumeSize": root_size, "VolumeType": "gp3", "DeleteOnTermination": True}}],
        NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnets["public-subnet-a1"], "Groups": [groups["bastion"]],
                            "AssociatePublicIpAddress": True}],
        TagSpecifications=tags("instance", "bastion", f"{STACK}-bastion") + tags("volume", "bastion", f"{STACK}-bastion"),
    )["Instances"][0]["InstanceId"]

while nat_state != "available":
    nat_state = ec2.describe_nat_gateways(NatGatewayIds=[nat])["NatGateways"][0]["State"]
    if nat_state != "available":
        time.sleep(1)
for az in REGION_AZS:
    ec2.create_route(RouteTableId=tables[f"rt:private:{az}"], DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
while FULL and ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]["State"]["Name"] != "running":
    time.sleep(1)
discover()
print(json.dumps({"calls_seconds": time.perf_counter() - start}))
