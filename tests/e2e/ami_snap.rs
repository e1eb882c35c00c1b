//! ami-snap against moto: each subcommand, the pipe create | copy | share, prune's rules
//! applied to real images (in use by an instance and by a launch template), refusals
//! before any change, and the cron lock. (Snapshots shared between images and snapshots
//! under the AWS-managed key are unit-tested: moto 5 cannot make either.)

use crate::aws_view::{Ec2View, filter, tag};
use crate::harness::{Moto, REGION, Run, TestCommand};
use aws_sdk_ec2::types::{ImageAttributeName, SnapshotAttributeName};

pub(crate) fn ami(moto: &Moto, lock: &tempfile::TempDir) -> TestCommand {
    TestCommand::for_moto("ami-snap", moto).env("AWSOPS_AMI_LOCK", lock.path().join("ami-snap.lock").to_str().unwrap())
}

/// A running instance named `name`, from one of moto's public images.
pub(crate) fn instance(aws: &Ec2View, name: &str) -> String {
    let images = aws.block(aws.client.describe_images().owners("amazon").send()).unwrap();
    let image = images.images().iter().find(|i| i.root_device_type().map(|t| t.as_str()) == Some("ebs")).unwrap();
    let out = aws
        .block(
            aws.client
                .run_instances()
                .image_id(image.image_id().unwrap())
                .instance_type(aws_sdk_ec2::types::InstanceType::T3Micro)
                .min_count(1)
                .max_count(1)
                .tag_specifications(
                    aws_sdk_ec2::types::TagSpecification::builder()
                        .resource_type(aws_sdk_ec2::types::ResourceType::Instance)
                        .tags(aws_sdk_ec2::types::Tag::builder().key("Name").value(name).build())
                        .tags(aws_sdk_ec2::types::Tag::builder().key("role").value("web").build())
                        .build(),
                )
                .send(),
        )
        .unwrap();
    out.instances()[0].instance_id().unwrap().to_owned()
}

fn lines(docs: &[serde_json::Value]) -> String {
    docs.iter().map(|d| format!("{d}\n")).collect()
}

fn stdout_of(run: Run) -> String {
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    run.stdout
}

#[test]
fn create_images_instances_by_id_and_by_tag_and_tags_image_and_snapshots() {
    let moto = Moto::start();
    let lock = tempfile::tempdir().unwrap();
    let aws = Ec2View::new(&moto.url());
    let web = instance(&aws, "web");

    let plan = ami(&moto, &lock).args(["create", "--instance", &web, "--name", "{name}-{date}", "--dry-run"]).run().ok();
    assert_eq!(plan[0]["kind"], "ami-plan");
    assert_eq!(plan[0]["items"][0]["action"], "CreateImage");
    assert!(aws.block(aws.client.describe_images().owners("self").send()).unwrap().images().is_empty(), "a dry run made nothing");

    let docs = ami(&moto, &lock).args(["create", "--instance", &web, "--tag", "env=prod"]).run().ok();
    assert_eq!(docs.len(), 1);
    let doc = &docs[0];
    assert_eq!(doc["kind"], "ami");
    assert_eq!(doc["state"], "available");
    assert_eq!(doc["group"], "web");
    assert_eq!(doc["source_instance_id"], web.as_str());
    assert_eq!(doc["created_now"], true);
    assert!(doc["name"].as_str().unwrap().starts_with("web-20"), "{doc}");
    let image_id = doc["image_id"].as_str().unwrap();
    let image = aws.block(aws.client.describe_images().image_ids(image_id).send()).unwrap().images()[0].clone();
    assert_eq!(tag(image.tags(), "awsops:tool"), Some("ami-snap"));
    assert_eq!(tag(image.tags(), "env"), Some("prod"));
    let snapshots = aws.block(aws.client.describe_snapshots().filters(filter("tag:awsops:group", "web")).send()).unwrap();
    assert!(!snapshots.snapshots().is_empty(), "the image's snapshots carry the tags too");

    // By tag, with a fixed name: a second run reports the same image instead of a duplicate.
    let by_tag = ami(&moto, &lock).args(["create", "--select", "role=web", "--name", "nightly-{name}", "--group", "nightly"]).run().ok();
    assert_eq!(by_tag[0]["name"], "nightly-web");
    assert_eq!(by_tag[0]["group"], "nightly");
    let again = ami(&moto, &lock).args(["create", "--select", "role=web", "--name", "nightly-{name}", "--group", "nightly"]).run().ok();
    assert_eq!(again[0]["image_id"], by_tag[0]["image_id"]);
    assert_eq!(again[0]["created_now"], false);

    // Refused before anything is made.
    ami(&moto, &lock).args(["create", "--instance", "i-0123456789abcdef0"]).run().usage_error("i-0123456789abcdef0");
    ami(&moto, &lock).args(["create", "--instance", "web"]).run().usage_error("instance id");
    ami(&moto, &lock).args(["create", "--select", "role=nothing"]).run().usage_error("role=nothing");
    ami(&moto, &lock).args(["create", "--instance", &web, "--name", "{hostname}"]).run().usage_error("unknown placeholder");
    ami(&moto, &lock).args(["create", "--instance", &web, "--region", "mars-1"]).run().usage_error("invalid region");

    let listed = ami(&moto, &lock).args(["list"]).run().ok();
    assert_eq!(listed.len(), 2);
}

#[test]
fn snapshot_every_volume_of_an_instance() {
    let moto = Moto::start();
    let lock = tempfile::tempdir().unwrap();
    let aws = Ec2View::new(&moto.url());
    let web = instance(&aws, "web");
    let docs = ami(&moto, &lock).args(["snapshot", "--instance", &web]).run().ok();
    assert!(!docs.is_empty());
    for d in &docs {
        assert_eq!(d["kind"], "snapshot");
        assert_eq!(d["state"], "completed");
        assert_eq!(d["instance_id"], web.as_str());
        let id = d["snapshot_id"].as_str().unwrap();
        let s = aws.block(aws.client.describe_snapshots().snapshot_ids(id).send()).unwrap().snapshots()[0].clone();
        assert_eq!(tag(s.tags(), "awsops:group"), Some("web"));
    }
    let volume = docs[0]["volume_id"].as_str().unwrap();
    let one = ami(&moto, &lock).args(["snapshot", "--volume", volume, "--group", "data"]).run().ok();
    assert_eq!(one.len(), 1);
    ami(&moto, &lock).args(["snapshot", "--volume", "vol-0123456789abcdef0"]).run().usage_error("vol-0123456789abcdef0");
}

#[test]
fn create_copy_share_as_one_pipeline_and_copies_are_not_made_twice() {
    let moto = Moto::start();
    let lock = tempfile::tempdir().unwrap();
    let aws = Ec2View::new(&moto.url());
    let web = instance(&aws, "web");
    let targets = ["us-east-1", "eu-west-1", "us-west-2"];

    let created = stdout_of(ami(&moto, &lock).args(["create", "--instance", &web]).run());
    let copied = ami(&moto, &lock).args(["copy", "--to", &targets.join(",")]).stdin(created.clone()).run().ok();
    assert_eq!(copied.len(), 3);
    let source = serde_json::from_str::<serde_json::Value>(created.trim()).unwrap()["image_id"].as_str().unwrap().to_owned();
    for (doc, region) in copied.iter().zip(targets) {
        assert_eq!(doc["region"], region);
        assert_eq!(doc["source_image_id"], source.as_str());
        assert_eq!(doc["source_region"], REGION);
        assert_eq!(doc["created_now"], true);
        assert_eq!(doc["group"], "web", "the source's tags are copied");
    }
    // Again: every region already holds its copy.
    let again = ami(&moto, &lock).args(["copy", "--to", &targets.join(",")]).stdin(created.clone()).run().ok();
    for (a, b) in again.iter().zip(&copied) {
        assert_eq!(a["image_id"], b["image_id"]);
        assert_eq!(a["created_now"], false);
    }
    let plan = ami(&moto, &lock).args(["copy", "--to", "us-east-1", "--dry-run"]).stdin(created.clone()).run().ok();
    assert_eq!(plan[0]["items"][0]["action"], "Skip");
    assert_eq!(plan[0]["items"][0]["detail"]["encrypted"], "true", "copies are encrypted by default");
    // A copy asked for with other encryption is not the same copy: never reused.
    for other in [&["--no-encrypt"][..], &["--kms-key", "us-east-1=alias/backup"][..]] {
        let plan = ami(&moto, &lock).args(["copy", "--to", "us-east-1", "--dry-run"]).args(other).stdin(created.clone()).run().ok();
        assert_eq!(plan[0]["items"][0]["action"], "CopyImage", "{other:?}: {}", plan[0]);
    }
    ami(&moto, &lock)
        .args(["copy", "--to", "us-east-1", "--no-encrypt", "--kms-key", "us-east-1=k"])
        .stdin(created.clone())
        .run()
        .usage_error("--kms-key");

    // Share what copy printed.
    let shared = ami(&moto, &lock).args(["share", "--account", "123456789012"]).stdin(lines(&copied)).run().ok();
    assert_eq!(shared.len(), 3);
    for doc in &shared {
        assert_eq!(doc["shared_with"], serde_json::json!(["123456789012"]));
        let regional = Ec2View::new_in(&moto.url(), doc["region"].as_str().unwrap());
        let id = doc["image_id"].as_str().unwrap();
        let attr = regional
            .block(regional.client.describe_image_attribute().image_id(id).attribute(ImageAttributeName::LaunchPermission).send())
            .unwrap();
        assert_eq!(attr.launch_permissions()[0].user_id(), Some("123456789012"));
        for snapshot in doc["snapshot_ids"].as_array().unwrap() {
            let attr = regional
                .block(
                    regional
                        .client
                        .describe_snapshot_attribute()
                        .snapshot_id(snapshot.as_str().unwrap())
                        .attribute(SnapshotAttributeName::CreateVolumePermission)
                        .send(),
                )
                .unwrap();
            assert_eq!(attr.create_volume_permissions()[0].user_id(), Some("123456789012"), "{snapshot}");
        }
    }
    let unshared = ami(&moto, &lock).args(["unshare", "--account", "123456789012"]).stdin(lines(&copied)).run().ok();
    assert!(unshared.iter().all(|d| d.get("shared_with").is_none()), "{unshared:?}");

    // Refusals: bad account, unknown region, a wrong kind of document on stdin.
    ami(&moto, &lock).args(["share", "--account", "12345"]).stdin(created.clone()).run().usage_error("malformed account id");
    ami(&moto, &lock).args(["copy", "--to", "xx-nowhere-9"]).stdin(created.clone()).run().usage_error("unknown region \"xx-nowhere-9\"");
    ami(&moto, &lock)
        .args(["copy", "--to", "us-east-1"])
        .stdin("{\"kind\":\"vpc\",\"schema_version\":1}\n")
        .run()
        .usage_error("expected a `ami` document, got `vpc`");
    ami(&moto, &lock).args(["copy", "--to", "us-east-1"]).run().usage_error("no images");
}

#[test]
fn prune_applies_the_rule_and_spares_images_in_use() {
    let moto = Moto::start();
    let lock = tempfile::tempdir().unwrap();
    let aws = Ec2View::new(&moto.url());
    let web = instance(&aws, "web");
    let mut ids = Vec::new();
    for n in 1..=4 {
        let docs = ami(&moto, &lock).args(["create", "--instance", &web, "--name", &format!("web-{n}"), "--group", "web"]).run().ok();
        ids.push(docs[0]["image_id"].as_str().unwrap().to_owned());
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    // ids[3] is the newest. ids[0] runs an instance; ids[1] is in a launch template.
    aws.block(aws.client.run_instances().image_id(&ids[0]).min_count(1).max_count(1).send()).unwrap();
    aws.block(
        aws.client
            .create_launch_template()
            .launch_template_name("web-lt")
            .launch_template_data(aws_sdk_ec2::types::RequestLaunchTemplateData::builder().image_id(&ids[1]).build())
            .send(),
    )
    .unwrap();
    let pruned_snapshot = aws.block(aws.client.describe_images().image_ids(&ids[2]).send()).unwrap().images()[0].block_device_mappings()[0]
        .ebs()
        .unwrap()
        .snapshot_id()
        .unwrap()
        .to_owned();
    // Someone else's image, not made by ami-snap: never a candidate.
    aws.block(aws.client.register_image().name("someone-elses").root_device_name("/dev/xvda").send()).unwrap();

    let rule = ["--keep", "1", "--min-age", "0s"];
    let dry = ami(&moto, &lock).args(["prune", "--dry-run"]).args(rule).run().ok();
    let verdict = |docs: &[serde_json::Value], id: &str| {
        let d = docs.iter().find(|d| d["image_id"] == id).unwrap_or_else(|| panic!("{id} not listed"));
        (d["verdict"].as_str().unwrap().to_owned(), d["reason"].as_str().unwrap().to_owned(), d.clone())
    };
    assert_eq!(dry.len(), 4, "only ami-snap's images are candidates: {dry:?}");
    let (v, reason, _) = verdict(&dry, &ids[0]);
    assert!(v == "keep" && reason.contains("in use by i-"), "{reason}");
    let (v, reason, _) = verdict(&dry, &ids[1]);
    assert!(v == "keep" && reason.contains("web-lt"), "{reason}");
    let (v, reason, doc) = verdict(&dry, &ids[2]);
    assert!(v == "prune" && reason.contains("not one of the 1 newest"), "{reason}");
    assert_eq!(doc["outcome"], "planned");
    assert_eq!(doc["snapshots"][0]["snapshot_id"], pruned_snapshot.as_str());
    assert_eq!(doc["snapshots"][0]["delete"], true, "{doc}");
    let (v, reason, _) = verdict(&dry, &ids[3]);
    assert!(v == "keep" && reason.contains("newest"), "{reason}");
    assert_eq!(aws.block(aws.client.describe_images().owners("self").send()).unwrap().images().len(), 5, "a dry run changed nothing");

    // Off a terminal, pruning needs --yes; a rule keeping nothing is refused.
    ami(&moto, &lock).args(["prune"]).args(rule).run().usage_error("--yes");
    ami(&moto, &lock).args(["prune", "--keep", "0", "--yes"]).run().usage_error("keep nothing");
    ami(&moto, &lock).args(["prune", "--yes"]).run().usage_error("retention rule");
    ami(&moto, &lock).args(["prune", "--keep", "1", "--regions", "xx-nowhere-9", "--yes"]).run().usage_error("unknown region");

    let done = ami(&moto, &lock).args(["prune", "--yes"]).args(rule).run().ok();
    let (_, _, doc) = verdict(&done, &ids[2]);
    assert_eq!(doc["outcome"], "done");
    let left: Vec<String> = aws
        .block(aws.client.describe_images().owners("self").send())
        .unwrap()
        .images()
        .iter()
        .map(|i| i.image_id().unwrap().to_owned())
        .collect();
    assert!(!left.contains(&ids[2]) && left.contains(&ids[0]) && left.contains(&ids[1]) && left.contains(&ids[3]), "{left:?}");
    let gone = aws.block(aws.client.describe_snapshots().snapshot_ids(&pruned_snapshot).send());
    assert!(gone.is_err() || gone.unwrap().snapshots().is_empty(), "the pruned image's snapshot is deleted");

    // Several regions in one run, and a maximum age that keeps everything.
    let all = ami(&moto, &lock)
        .args(["prune", "--max-age", "30d", "--min-age", "0s", "--regions", "ap-northeast-2,us-east-1", "--yes"])
        .run()
        .ok();
    assert!(all.iter().all(|d| d["verdict"] == "keep"), "{all:?}");
}

#[test]
fn two_runs_never_overlap() {
    let moto = Moto::start();
    let lock = tempfile::tempdir().unwrap();
    let aws = Ec2View::new(&moto.url());
    let web = instance(&aws, "web");
    let path = lock.path().join("ami-snap.lock");
    let held = std::fs::File::create(&path).unwrap();
    held.lock().unwrap();
    let run = ami(&moto, &lock).args(["create", "--instance", &web]).run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("another run holds the lock"), "{}", run.stderr);
    assert!(aws.block(aws.client.describe_images().owners("self").send()).unwrap().images().is_empty());
    drop(held);
    ami(&moto, &lock).args(["create", "--instance", &web]).run().ok();
}
