//! Prune's selection as a table (images × rules → kept or pruned, with the reason) and
//! as properties that hold for any group of images and any rule.

use super::*;
use proptest::prelude::*;

const DAY: Duration = Duration::from_secs(86_400);

fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + DAY * 20_000
}

fn image(id: &str, group: &str, age_days: Option<u64>) -> Candidate {
    Candidate {
        image_id: id.to_owned(),
        name: format!("{group}-{id}"),
        group: group.to_owned(),
        created: age_days.map(|d| now() - DAY * u32::try_from(d).unwrap()),
        in_use_by: Vec::new(),
        snapshots: vec![format!("snap-{id}")],
    }
}

/// An image id, its verdict, and words its reason must contain.
type Expected = (&'static str, Verdict, &'static str);

fn verdicts(candidates: &[Candidate], rule: &Rule) -> Vec<(String, Verdict, String)> {
    decide(candidates, rule, now()).into_iter().map(|d| (d.image_id, d.verdict, d.reason)).collect()
}

#[test]
fn the_table_of_images_and_rules() {
    use Verdict::{Keep, Prune};
    // web: 1, 3, 8, 10 and 40 days old; one in use; db: one image, 50 days old; one undated.
    let mut images = vec![
        image("ami-w1", "web", Some(1)),
        image("ami-w3", "web", Some(3)),
        image("ami-w8", "web", Some(8)),
        image("ami-w10", "web", Some(10)),
        image("ami-w40", "web", Some(40)),
        image("ami-d50", "db", Some(50)),
        image("ami-u", "web", None),
    ];
    images[3].in_use_by = vec!["i-0abc".to_owned()];

    let table: Vec<(Rule, Vec<Expected>)> = vec![
        (
            Rule::new(Some(2), None, Duration::ZERO).unwrap(),
            vec![
                ("ami-w1", Keep, "one of the 2 newest of group web (#2)"),
                ("ami-w3", Prune, "not one of the 2 newest of group web (#3)"),
                ("ami-w8", Prune, "not one of the 2 newest"),
                ("ami-w10", Keep, "in use by i-0abc"),
                ("ami-w40", Prune, "not one of the 2 newest"),
                ("ami-d50", Keep, "one of the 2 newest of group db (#1)"),
                ("ami-u", Keep, "creation date is unknown"),
            ],
        ),
        (
            Rule::new(None, Some(DAY * 7), Duration::ZERO).unwrap(),
            vec![
                ("ami-w1", Keep, "younger (1d) than the maximum age 7d"),
                ("ami-w3", Keep, "maximum age"),
                ("ami-w8", Prune, "older (8d) than the maximum age 7d"),
                ("ami-w10", Keep, "in use"),
                ("ami-w40", Prune, "older"),
                ("ami-d50", Prune, "older"),
                ("ami-u", Keep, "unknown"),
            ],
        ),
        (
            // keep the newest OR anything under 9 days; never under 2 days.
            Rule::new(Some(1), Some(DAY * 9), DAY * 2).unwrap(),
            vec![
                ("ami-w1", Keep, "younger (1d) than the minimum age 2d"),
                ("ami-w3", Keep, "maximum age"),
                ("ami-w8", Keep, "maximum age"),
                ("ami-w10", Keep, "in use"),
                ("ami-w40", Prune, "not one of the 1 newest of group web (#6) and older (40d) than the maximum age 9d"),
                ("ami-d50", Keep, "one of the 1 newest of group db"),
                ("ami-u", Keep, "unknown"),
            ],
        ),
        (
            // A minimum age beyond everything: nothing goes.
            Rule::new(Some(1), None, DAY * 100).unwrap(),
            vec![
                ("ami-w1", Keep, "minimum age"),
                ("ami-w3", Keep, "minimum age"),
                ("ami-w8", Keep, "minimum age"),
                ("ami-w10", Keep, "in use"),
                ("ami-w40", Keep, "minimum age"),
                ("ami-d50", Keep, "minimum age"),
                ("ami-u", Keep, "unknown"),
            ],
        ),
    ];
    for (rule, expected) in table {
        let got = verdicts(&images, &rule);
        assert_eq!(got.len(), expected.len());
        for ((id, verdict, reason), (want_id, want_verdict, want_reason)) in got.iter().zip(&expected) {
            assert_eq!(id, want_id);
            assert_eq!(verdict, want_verdict, "{id} under {rule:?}: {reason}");
            assert!(reason.contains(want_reason), "{id} under {rule:?}: {reason:?} lacks {want_reason:?}");
        }
    }
}

#[test]
fn ages_read_as_in_rules() {
    assert_eq!(human(DAY * 40), "40d");
    assert_eq!(human(Duration::from_secs(7_300)), "2h");
    assert_eq!(human(Duration::from_secs(61)), "1m");
    assert_eq!(human(Duration::ZERO), "0s");
}

#[test]
fn rules_that_would_keep_nothing_are_refused() {
    assert!(Rule::new(None, None, Duration::ZERO).unwrap_err().to_string().contains("needs a retention rule"));
    assert!(Rule::new(Some(0), None, Duration::ZERO).unwrap_err().to_string().contains("keep nothing"));
    assert!(Rule::new(None, Some(Duration::ZERO), Duration::ZERO).unwrap_err().to_string().contains("keep nothing"));
    assert!(Rule::new(Some(0), Some(Duration::ZERO), DAY).is_err());
    assert!(Rule::new(None, Some(DAY), DAY * 2).unwrap_err().to_string().contains("--min-age"));
    assert!(Rule::new(Some(0), Some(DAY), Duration::ZERO).is_ok());
}

#[test]
fn a_snapshot_another_image_uses_is_kept() {
    let mut old = image("ami-old", "web", Some(30));
    old.snapshots = vec!["snap-a".into(), "snap-shared".into()];
    let others = vec![
        ("ami-old".to_owned(), vec!["snap-a".to_owned(), "snap-shared".to_owned()]),
        ("ami-foreign".to_owned(), vec!["snap-shared".to_owned()]),
    ];
    let plan = snapshots_to_delete(&[&old], &others);
    let decisions = &plan["ami-old"];
    assert_eq!(decisions[0], SnapshotDecision { snapshot_id: "snap-a".into(), delete: true, reason: "only ami-old used it".into() });
    assert!(!decisions[1].delete && decisions[1].reason.contains("ami-foreign"));

    // Two pruned images sharing a snapshot: both go, so it goes.
    let mut twin = image("ami-twin", "web", Some(31));
    twin.snapshots = vec!["snap-shared".into()];
    let others = vec![("ami-old".to_owned(), old.snapshots.clone()), ("ami-twin".to_owned(), twin.snapshots.clone())];
    let plan = snapshots_to_delete(&[&old, &twin], &others);
    assert!(plan.values().flatten().all(|d| d.delete));
}

fn arb_images() -> impl Strategy<Value = Vec<Candidate>> {
    prop::collection::vec((0..3usize, prop::option::weighted(0.9, 0..400u64), prop::bool::weighted(0.15)), 0..25).prop_map(|specs| {
        specs
            .into_iter()
            .enumerate()
            .map(|(i, (g, age, used))| {
                let mut c = image(&format!("ami-{i:03}"), ["web", "db", "batch"][g], age);
                if used {
                    c.in_use_by = vec![format!("i-{i}")];
                }
                c
            })
            .collect()
    })
}

fn arb_rule() -> impl Strategy<Value = Rule> {
    (prop::option::of(0..6usize), prop::option::of(0..200u64), 0..30u64).prop_filter_map(
        "a rule that keeps something",
        |(keep, max_age, min_age)| {
            Rule::new(keep, max_age.map(|d| DAY * u32::try_from(d).unwrap()), DAY * u32::try_from(min_age).unwrap()).ok()
        },
    )
}

proptest! {
    #[test]
    fn never_prunes_what_is_in_use_young_undated_or_among_the_newest(images in arb_images(), rule in arb_rule()) {
        let decisions = decide(&images, &rule, now());
        prop_assert_eq!(decisions.len(), images.len());
        for (c, d) in images.iter().zip(&decisions) {
            prop_assert_eq!(&c.image_id, &d.image_id);
            if d.verdict == Verdict::Prune {
                prop_assert!(c.in_use_by.is_empty());
                let created = c.created.expect("an undated image is never pruned");
                let age = now().duration_since(created).unwrap();
                prop_assert!(age >= rule.min_age);
                if let Some(max_age) = rule.max_age { prop_assert!(age >= max_age); }
                if let Some(keep) = rule.keep {
                    let newer = images.iter().filter(|o| o.group == c.group && o.image_id != c.image_id)
                        .filter(|o| o.created.is_none_or(|t| t > created || (t == created && o.image_id < c.image_id))).count();
                    prop_assert!(newer >= keep, "{} has only {} newer images but keep is {}", c.image_id, newer, keep);
                }
            }
        }
    }

    #[test]
    fn every_group_keeps_its_newest_when_keep_is_set(images in arb_images(), keep in 1..4usize) {
        let rule = Rule::new(Some(keep), None, Duration::ZERO).unwrap();
        let decisions = decide(&images, &rule, now());
        for group in ["web", "db", "batch"] {
            let members = images.iter().filter(|c| c.group == group).count();
            let kept = images.iter().zip(&decisions).filter(|(c, d)| c.group == group && d.verdict == Verdict::Keep).count();
            prop_assert!(kept >= members.min(keep));
        }
    }

    #[test]
    fn deciding_is_independent_of_the_order_images_are_listed(images in arb_images(), rule in arb_rule(), seed in any::<u64>()) {
        let mut shuffled = images.clone();
        fastrand::Rng::with_seed(seed).shuffle(&mut shuffled);
        let a: BTreeMap<String, Verdict> = decide(&images, &rule, now()).into_iter().map(|d| (d.image_id, d.verdict)).collect();
        let b: BTreeMap<String, Verdict> = decide(&shuffled, &rule, now()).into_iter().map(|d| (d.image_id, d.verdict)).collect();
        prop_assert_eq!(a, b);
    }
}
