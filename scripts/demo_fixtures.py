"""What scripts/demo needs that the toolkit deliberately does not make, against the emulator:
the application's instances (two web servers in the lab's private subnets), the public
hosted zone and CloudFront distribution a real account already has, and an IAM user for
iam-audit to find something in. Reads the endpoint and
credentials from the environment scripts/lib.sh's use_emulator sets; prints JSON.

usage: demo_fixtures.py web LAB_JSON | zone DOMAIN | iam-user | distribution
       | terminate ID... | delete-zone DOMAIN | delete-images GROUP REGION...
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


def distribution():
    """The site's CloudFront distribution in front of an S3 bucket, as an account has it."""
    s3 = client("s3")
    s3.create_bucket(Bucket="demo-site-origin", CreateBucketConfiguration={"LocationConstraint": os.environ["AWS_REGION"]})
    cf = client("cloudfront")
    origin = {"Id": "s3", "DomainName": "demo-site-origin.s3.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}
    config = {
        "CallerReference": "awsops-demo",
        "Comment": "awsops demo",
        "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [origin]},
        "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "redirect-to-https", "MinTTL": 0,
                                 "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
                                 "TrustedSigners": {"Enabled": False, "Quantity": 0}},
    }
    print(cf.create_distribution(DistributionConfig=config)["Distribution"]["Id"])


def terminate(ids):
    ec2 = client("ec2")
    ec2.terminate_instances(InstanceIds=ids)


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
        "distribution": distribution,
        "terminate": lambda *ids: terminate(list(ids)),
        "delete-zone": delete_zone,
        "delete-images": delete_images,
    }[what](*args)
