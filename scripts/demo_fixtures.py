"""What scripts/demo needs that the toolkit deliberately does not make, against the emulator:
the application's instances (two web servers in the lab's private subnets), the public
hosted zone a real account already has, an IAM user for iam-audit to find something in,
and the load balancer when no command of the toolkit makes one. Reads the endpoint and
credentials from the environment scripts/lib.sh's use_emulator sets; prints JSON.

usage: demo_fixtures.py web LAB_JSON | zone DOMAIN | iam-user | load-balancer LAB_JSON NAME
       | terminate ID... | delete-load-balancer NAME | delete-zone DOMAIN | delete-images GROUP REGION...
"""

import json
import os
import sys

import boto3


def client(service):
    return boto3.client(service, endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ["AWS_REGION"])


def lab(path):
    with open(path) as f:
        return json.loads(f.readline())


def web(lab_json):
    """Two web servers (role=web), one in each AZ's first private subnet of the lab."""
    doc = lab(lab_json)
    ec2 = client("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    private = {}
    for s in doc["subnets"]:
        if s["tier"] == "private":
            private.setdefault(s["az"], s["id"])
    out = []
    for n, subnet in enumerate(sorted(private.values())[:2], start=1):
        tags = [{"Key": "Name", "Value": f"web-{n}"}, {"Key": "role", "Value": "web"}]
        i = ec2.run_instances(
            ImageId=image,
            MinCount=1,
            MaxCount=1,
            SubnetId=subnet,
            SecurityGroupIds=[doc["security_groups"]["private"], doc["security_groups"]["web"]],
            TagSpecifications=[{"ResourceType": "instance", "Tags": tags}],
        )["Instances"][0]
        out.append({"name": f"web-{n}", "instance_id": i["InstanceId"], "private_ip": i["PrivateIpAddress"]})
    print(json.dumps(out))


def zone(domain):
    r53 = client("route53")
    z = r53.create_hosted_zone(Name=domain, CallerReference=f"awsops-demo-{domain}")["HostedZone"]
    print(json.dumps({"zone_id": z["Id"].split("/")[-1], "name": z["Name"]}))


def iam_user():
    """A deploy user with an administrator inline policy and two access keys: findings."""
    iam = client("iam")
    iam.create_user(UserName="deploy")
    admin = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    iam.put_user_policy(UserName="deploy", PolicyName="admin", PolicyDocument=json.dumps(admin))
    for _ in range(2):
        iam.create_access_key(UserName="deploy")
    print(json.dumps({"user": "deploy"}))


def load_balancer(lab_json, name):
    doc = lab(lab_json)
    elb = client("elbv2")
    public = [s["id"] for s in doc["subnets"] if s["tier"] == "public"]
    lb = elb.create_load_balancer(Name=name, Subnets=public, SecurityGroups=[doc["security_groups"]["web"]], Scheme="internet-facing")
    lb = lb["LoadBalancers"][0]
    tg = elb.create_target_group(Name=f"{name}-web", Protocol="HTTP", Port=80, VpcId=doc["vpc_id"], TargetType="instance")
    tg_arn = tg["TargetGroups"][0]["TargetGroupArn"]
    elb.create_listener(
        LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80, DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_arn}]
    )
    print(json.dumps({"arn": lb["LoadBalancerArn"], "dns_name": lb["DNSName"]}))


def terminate(ids):
    ec2 = client("ec2")
    ec2.terminate_instances(InstanceIds=ids)


def delete_load_balancer(name):
    elb = client("elbv2")
    for lb in elb.describe_load_balancers(Names=[name])["LoadBalancers"]:
        for listener in elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]:
            elb.delete_listener(ListenerArn=listener["ListenerArn"])
        elb.delete_load_balancer(LoadBalancerArn=lb["LoadBalancerArn"])
    for tg in elb.describe_target_groups()["TargetGroups"]:
        if tg["TargetGroupName"] == f"{name}-web":
            elb.delete_target_group(TargetGroupArn=tg["TargetGroupArn"])


def delete_images(group, *regions):
    """ami-snap prune keeps at least one image per group by design: the demo's go this way."""
    for region in regions:
        ec2 = boto3.client("ec2", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=region)
        images = ec2.describe_images(Owners=["self"], Filters=[{"Name": "tag:awsops:group", "Values": [group]}])["Images"]
        for image in images:
            ec2.deregister_image(ImageId=image["ImageId"])
            for device in image.get("BlockDeviceMappings", []):
                if "Ebs" in device and device["Ebs"].get("SnapshotId"):
                    ec2.delete_snapshot(SnapshotId=device["Ebs"]["SnapshotId"])


def delete_zone(domain):
    r53 = client("route53")
    for z in r53.list_hosted_zones()["HostedZones"]:
        if z["Name"].rstrip(".") != domain:
            continue
        changes = [
            {"Action": "DELETE", "ResourceRecordSet": r}
            for r in r53.list_resource_record_sets(HostedZoneId=z["Id"])["ResourceRecordSets"]
            if r["Type"] not in ("NS", "SOA")
        ]
        if changes:
            r53.change_resource_record_sets(HostedZoneId=z["Id"], ChangeBatch={"Changes": changes})
        r53.delete_hosted_zone(Id=z["Id"])


if __name__ == "__main__":
    what, args = sys.argv[1], sys.argv[2:]
    {
        "web": web,
        "zone": zone,
        "iam-user": iam_user,
        "load-balancer": load_balancer,
        "terminate": lambda *ids: terminate(list(ids)),
        "delete-load-balancer": delete_load_balancer,
        "delete-zone": delete_zone,
        "delete-images": delete_images,
    }[what](*args)
