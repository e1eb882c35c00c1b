use super::*;
use crate::observed::{GroupState, TLS_POLICY_ID, TargetState};
use awsops_core::kinds::{EfsAccessPoint, EfsMountTarget};
use proptest::prelude::*;

fn spec() -> CreateSpec {
    CreateSpec::example()
}

fn placement() -> Placement {
    Placement {
        vpc_id: "vpc-11111111".into(),
        subnets: vec![("subnet-aaaaaaaa".into(), "ap-northeast-2a".into()), ("subnet-cccccccc".into(), "ap-northeast-2c".into())],
    }
}

const CLIENTS: [&str; 2] = ["sg-0000000a", "sg-0000000b"];

fn clients() -> Vec<String> {
    CLIENTS.iter().map(|s| (*s).to_owned()).collect()
}

/// What AWS would hold after the steps ran: the model the property tests check against.
fn applied(observed: &Observed, steps: &[Step], wanted: &Wanted) -> Observed {
    let spec = wanted.spec;
    let mut o = observed.clone();
    let mut counter = 0;
    let mut fresh = |prefix: &str| {
        counter += 1;
        format!("{prefix}-{counter:08x}")
    };
    for step in steps {
        match step {
            Step::CreateFileSystem => {
                let id = fresh("fs");
                o.fs = Some(FsState {
                    arn: format!("arn:aws:elasticfilesystem:ap-northeast-2:123456789012:file-system/{id}"),
                    id,
                    name: spec.name.clone(),
                    creation_token: spec.name.clone(),
                    state: "available".into(),
                    encrypted: true,
                    kms_key_id: spec.kms_key.clone(),
                    performance_mode: spec.performance_mode.clone(),
                    throughput_mode: spec.throughput_mode.clone(),
                    provisioned_mibps: spec.provisioned_mibps,
                    ia_days: None,
                    backups: spec.backups,
                    policy: None,
                })
            }
            Step::CreateGroup { .. } => {
                o.group = Some(GroupState { id: fresh("sg"), vpc_id: wanted.placement.vpc_id.clone(), admitted: vec![] })
            }
            Step::AdmitClients { groups } => o.group.as_mut().unwrap().admitted.extend(groups.iter().cloned()),
            Step::UpdateThroughput { mode, mibps } => {
                let fs = o.fs.as_mut().unwrap();
                fs.throughput_mode = mode.clone();
                fs.provisioned_mibps = *mibps;
            }
            Step::PutLifecycle { ia_days } => o.fs.as_mut().unwrap().ia_days = *ia_days,
            Step::PutBackups { enabled } => o.fs.as_mut().unwrap().backups = *enabled,
            Step::PutTlsPolicy => {
                let fs = o.fs.as_mut().unwrap();
                fs.policy = Some(crate::spec::tls_policy(&fs.arn));
            }
            Step::CreateMountTarget { subnet_id, az } => {
                let group = o.group.as_ref().unwrap().id.clone();
                o.targets.push(TargetState {
                    target: EfsMountTarget {
                        id: fresh("fsmt"),
                        az: az.clone(),
                        az_id: String::new(),
                        ip: "10.1.0.9".into(),
                        subnet_id: subnet_id.clone(),
                        state: "available".into(),
                    },
                    vpc_id: wanted.placement.vpc_id.clone(),
                    groups: vec![group],
                })
            }
            Step::AddGroupToTarget { target_id, keep, .. } => {
                let group = o.group.as_ref().unwrap().id.clone();
                let t = o.targets.iter_mut().find(|t| &t.target.id == target_id).unwrap();
                t.groups = keep.iter().cloned().chain([group]).collect();
            }
            Step::CreateAccessPoint(ap) => {
                o.access_points.push(EfsAccessPoint { id: fresh("fsap"), uid: ap.uid, gid: ap.gid, path: ap.path.clone() })
            }
        }
    }
    o
}

fn wanted<'a>(spec: &'a CreateSpec, placement: &'a Placement, clients: &'a [String]) -> Wanted<'a> {
    Wanted { spec, placement, clients }
}

#[test]
fn nothing_exists_so_everything_is_made_in_order() {
    let (s, p, c) = (CreateSpec { require_tls: true, ..spec() }, placement(), clients());
    let w = wanted(&s, &p, &c);
    let steps = plan_create(&w, &Observed::default()).unwrap();
    let lines: Vec<String> = steps.iter().map(|st| st.describe(&s)).collect();
    assert_eq!(
        lines,
        [
            "create encrypted file system shared (generalPurpose, elastic, backups on)",
            "lifecycle: to Infrequent Access after 30 days",
            "file system policy: TLS required",
            "create security group efs-shared",
            "admit NFS from sg-0000000a, sg-0000000b",
            "create mount target in ap-northeast-2a (subnet-aaaaaaaa)",
            "create mount target in ap-northeast-2c (subnet-cccccccc)",
        ]
    );
    let after = applied(&Observed::default(), &steps, &w);
    assert_eq!(plan_create(&w, &after).unwrap(), vec![], "a re-plan after the apply is empty");
}

#[test]
fn every_managed_attribute_is_compared() {
    let (s, p, c) = (spec(), placement(), clients());
    let w = wanted(&s, &p, &c);
    let converged = applied(&Observed::default(), &plan_create(&w, &Observed::default()).unwrap(), &w);
    // Drift in each attribute, one at a time, is planned back (and only it).
    let mut drift = converged.clone();
    drift.fs.as_mut().unwrap().ia_days = None;
    assert_eq!(plan_create(&w, &drift).unwrap(), vec![Step::PutLifecycle { ia_days: Some(30) }]);
    let mut drift = converged.clone();
    drift.fs.as_mut().unwrap().backups = false;
    assert_eq!(plan_create(&w, &drift).unwrap(), vec![Step::PutBackups { enabled: true }]);
    let mut drift = converged.clone();
    drift.fs.as_mut().unwrap().throughput_mode = "bursting".into();
    assert_eq!(plan_create(&w, &drift).unwrap(), vec![Step::UpdateThroughput { mode: "elastic".into(), mibps: None }]);
    let mut drift = converged.clone();
    drift.group.as_mut().unwrap().admitted.retain(|g| g != "sg-0000000b");
    assert_eq!(plan_create(&w, &drift).unwrap(), vec![Step::AdmitClients { groups: vec!["sg-0000000b".into()] }]);
    let mut drift = converged.clone();
    drift.targets[1].groups = vec!["sg-99999999".into()];
    let steps = plan_create(&w, &drift).unwrap();
    assert!(matches!(&steps[..], [Step::AddGroupToTarget { keep, .. }] if keep == &["sg-99999999".to_owned()]), "{steps:?}");
    let tls = CreateSpec { require_tls: true, ..spec() };
    assert_eq!(plan_create(&wanted(&tls, &p, &c), &converged).unwrap(), vec![Step::PutTlsPolicy]);
    let ap = CreateSpec { access_points: vec![AccessPointSpec::parse("1000:1000:/uploads").unwrap()], ..spec() };
    assert_eq!(
        plan_create(&wanted(&ap, &p, &c), &converged).unwrap(),
        vec![Step::CreateAccessPoint(AccessPointSpec::parse("1000:1000:/uploads").unwrap())]
    );
}

#[test]
fn what_efs_fixes_at_creation_and_foreign_things_are_refused() {
    let (s, p, c) = (spec(), placement(), clients());
    let w = wanted(&s, &p, &c);
    let converged = applied(&Observed::default(), &plan_create(&w, &Observed::default()).unwrap(), &w);
    let refused = |o: &Observed, spec: &CreateSpec, needle: &str| {
        let err = plan_create(&wanted(spec, &p, &c), o).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains(needle), "{err}");
    };
    let mut o = converged.clone();
    o.fs.as_mut().unwrap().encrypted = false;
    refused(&o, &s, "not encrypted");
    refused(&converged, &CreateSpec { performance_mode: "maxIO".into(), throughput_mode: "bursting".into(), ..spec() }, "performance mode");
    let mut o = converged.clone();
    o.fs.as_mut().unwrap().kms_key_id = Some("arn:aws:kms:ap-northeast-2:123456789012:key/1111".into());
    refused(&o, &CreateSpec { kms_key: Some("2222".into()), ..spec() }, "encrypted with");
    assert!(plan_create(&wanted(&CreateSpec { kms_key: Some("1111".into()), ..spec() }, &p, &c), &o).is_ok());
    let mut o = converged.clone();
    o.fs.as_mut().unwrap().policy = Some(r#"{"Version":"2012-10-17","Statement":[]}"#.into());
    refused(&o, &CreateSpec { require_tls: true, ..spec() }, "did not write");
    let mut o = converged.clone();
    o.targets[0].vpc_id = "vpc-22222222".into();
    refused(&o, &s, "already has mount targets in vpc-22222222");
}

#[test]
fn the_tls_policy_is_ours_by_its_id() {
    let mut fs = applied(&Observed::default(), &[Step::CreateFileSystem], &wanted(&spec(), &placement(), &clients())).fs.unwrap();
    fs.policy = Some(crate::spec::tls_policy(&fs.arn));
    assert!(fs.policy_is_ours());
    assert!(fs.policy.as_deref().unwrap().contains(TLS_POLICY_ID));
    fs.policy = Some("{}".into());
    assert!(!fs.policy_is_ours());
}

#[test]
fn destroy_plans_everything_it_deletes_in_dependency_order() {
    let ap = CreateSpec { access_points: vec![AccessPointSpec::parse("1:1:/a").unwrap()], ..spec() };
    let (p, c) = (placement(), clients());
    let w = wanted(&ap, &p, &c);
    let o = applied(&Observed::default(), &plan_create(&w, &Observed::default()).unwrap(), &w);
    let steps = plan_destroy(&o);
    let kinds: Vec<&str> = steps
        .iter()
        .map(|s| match s {
            DestroyStep::DeleteMountTarget { .. } => "target",
            DestroyStep::DeleteAccessPoint { .. } => "access point",
            DestroyStep::DeleteFileSystem { .. } => "file system",
            DestroyStep::DeleteGroup { .. } => "group",
        })
        .collect();
    assert_eq!(kinds, ["target", "target", "access point", "file system", "group"]);
    assert!(plan_destroy(&Observed::default()).is_empty());
}

fn arb_spec() -> impl Strategy<Value = CreateSpec> {
    (
        prop_oneof![
            Just(("elastic", None)),
            Just(("bursting", None)),
            Just(("provisioned", Some(64.0))),
            Just(("provisioned", Some(128.0)))
        ],
        prop_oneof![Just(None), Just(Some(7u32)), Just(Some(30u32))],
        any::<bool>(),
        any::<bool>(),
        proptest::sample::subsequence(vec!["1:1:/a", "2:2:/b", "1000:1000:/uploads"], 0..=3),
    )
        .prop_map(|((mode, mibps), ia, backups, tls, aps)| CreateSpec {
            throughput_mode: mode.into(),
            provisioned_mibps: mibps,
            ia_after_days: ia,
            backups,
            require_tls: tls,
            access_points: aps.iter().map(|a| AccessPointSpec::parse(a).unwrap()).collect(),
            ..spec()
        })
}

fn arb_placement() -> impl Strategy<Value = Placement> {
    proptest::sample::subsequence(vec!["a", "b", "c", "d"], 1..=4).prop_map(|azs| Placement {
        vpc_id: "vpc-11111111".into(),
        subnets: azs.iter().map(|az| (format!("subnet-0000000{az}"), format!("ap-northeast-2{az}"))).collect(),
    })
}

proptest! {
    /// From any state a spec led to (or nothing), under any other spec: the apply of the
    /// plan converges in one go, and its re-plan is empty.
    #[test]
    fn applying_a_plan_then_replanning_gives_an_empty_plan(
        first in arb_spec(), second in arb_spec(), p1 in arb_placement(), p2 in arb_placement(),
        c1 in proptest::sample::subsequence(CLIENTS.to_vec(), 1..=2), c2 in proptest::sample::subsequence(CLIENTS.to_vec(), 1..=2),
        lose_group in any::<bool>(),
    ) {
        let (c1, c2): (Vec<String>, Vec<String>) = (c1.iter().map(|s| (*s).to_owned()).collect(), c2.iter().map(|s| (*s).to_owned()).collect());
        let w1 = wanted(&first, &p1, &c1);
        let mut before = applied(&Observed::default(), &plan_create(&w1, &Observed::default()).unwrap(), &w1);
        if lose_group {
            before.group = None; // deleted by hand: made again and put back on the targets
        }
        let w2 = wanted(&second, &p2, &c2);
        let steps = plan_create(&w2, &before).unwrap();
        let after = applied(&before, &steps, &w2);
        prop_assert_eq!(plan_create(&w2, &after).unwrap(), vec![]);
        // Nothing is ever removed by create: every target and access point is still there.
        prop_assert!(before.targets.iter().all(|t| after.targets.iter().any(|a| a.target.id == t.target.id)));
        prop_assert_eq!(before.access_points.len() <= after.access_points.len(), true);
        // The dry run's lines are the apply's steps, one for one.
        let doc = planned_document(&w2, &before, &steps, "ap-northeast-2");
        prop_assert_eq!(doc.changes.len(), steps.len());
        prop_assert_eq!(doc.changed, !steps.is_empty());
    }
}
