//! The record sets a name should have and the changes that get it there from what Route 53
//! holds: an UPSERT only where something differs, the deletion of what a new type cannot
//! live beside (a CNAME and an A at one name), and deletes only of records that still match.

use awsops_core::dns_name::DomainName;
use awsops_core::{Error, Result};

pub use awsops_core::kinds::{AliasTarget as Alias, ChangeAction as Action, RecordChange as Change, RecordSet};

/// What the user asked the name to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Desired {
    /// A (and AAAA when the target serves IPv6) alias records.
    Alias {
        dns_name: String,
        zone_id: String,
        ipv6: bool,
    },
    Cname {
        host: String,
        ttl: i64,
    },
}

fn host(text: &str) -> String {
    text.trim_end_matches('.').to_ascii_lowercase()
}

pub fn desired_sets(name: &DomainName, desired: &Desired) -> Vec<RecordSet> {
    match desired {
        Desired::Alias { dns_name, zone_id, ipv6 } => {
            let alias = Alias { dns_name: host(dns_name), zone_id: zone_id.clone(), evaluate_target_health: false };
            let types: &[&str] = if *ipv6 { &["A", "AAAA"] } else { &["A"] };
            types
                .iter()
                .map(|t| RecordSet {
                    name: name.as_str().to_owned(),
                    rtype: (*t).to_owned(),
                    alias: Some(alias.clone()),
                    values: Vec::new(),
                    ttl: None,
                })
                .collect()
        }
        Desired::Cname { host: target, ttl } => {
            vec![RecordSet {
                name: name.as_str().to_owned(),
                rtype: "CNAME".into(),
                alias: None,
                values: vec![host(target)],
                ttl: Some(*ttl),
            }]
        }
    }
}

/// Whether two record sets say the same thing (names and hosts compared case-insensitively).
pub fn same(a: &RecordSet, b: &RecordSet) -> bool {
    let alias = |r: &RecordSet| r.alias.as_ref().map(|x| (host(&x.dns_name), x.zone_id.clone(), x.evaluate_target_health));
    let mut va: Vec<String> = a.values.iter().map(|v| host(v)).collect();
    let mut vb: Vec<String> = b.values.iter().map(|v| host(v)).collect();
    va.sort();
    vb.sort();
    host(&a.name) == host(&b.name) && a.rtype == b.rtype && alias(a) == alias(b) && va == vb && a.ttl == b.ttl
}

/// The changes that make `name` what `desired` says, given the record sets at that name.
pub fn plan_set(name: &DomainName, zone: &str, desired: &Desired, existing: &[RecordSet]) -> Result<Vec<Change>> {
    let at_name: Vec<&RecordSet> = existing.iter().filter(|r| host(&r.name) == name.as_str()).collect();
    let want = desired_sets(name, desired);
    let mut changes = Vec::new();
    match desired {
        Desired::Cname { .. } => {
            if name.as_str() == host(zone) {
                return Err(Error::usage(format!(
                    "{name} is the zone apex, where a CNAME is not allowed; point it at an alias target instead"
                )));
            }
            if let Some(other) = at_name.iter().find(|r| !matches!(r.rtype.as_str(), "CNAME" | "A" | "AAAA")) {
                return Err(Error::usage(format!("{name} has {} records, which a CNAME cannot live beside", other.rtype)));
            }
            for r in at_name.iter().filter(|r| matches!(r.rtype.as_str(), "A" | "AAAA")) {
                changes.push(Change { action: Action::Delete, record: (*r).clone() });
            }
        }
        Desired::Alias { .. } => {
            for r in &at_name {
                let stale_aaaa = r.rtype == "AAAA" && r.alias.is_some() && !want.iter().any(|w| w.rtype == "AAAA");
                if r.rtype == "CNAME" || stale_aaaa {
                    changes.push(Change { action: Action::Delete, record: (*r).clone() });
                }
            }
        }
    }
    for w in want {
        let current = at_name.iter().find(|r| r.rtype == w.rtype);
        if !current.is_some_and(|c| same(c, &w)) {
            changes.push(Change { action: Action::Upsert, record: w });
        }
    }
    Ok(changes)
}

/// The deletes that remove what `desired` describes, only where the records still match;
/// nothing at the name is already the goal (a re-run converges).
pub fn plan_delete(name: &DomainName, desired: &Desired, existing: &[RecordSet]) -> Result<Vec<Change>> {
    let at_name: Vec<&RecordSet> = existing.iter().filter(|r| host(&r.name) == name.as_str()).collect();
    let want = desired_sets(name, desired);
    let mut changes = Vec::new();
    for w in &want {
        match at_name.iter().find(|r| r.rtype == w.rtype) {
            Some(current) if same(current, w) => changes.push(Change { action: Action::Delete, record: (*current).clone() }),
            Some(current) => {
                return Err(Error::usage(format!(
                    "{name} {} no longer points at {} (it points at {}); nothing deleted",
                    w.rtype,
                    describe(w),
                    describe(current)
                )));
            }
            None => {}
        }
    }
    if changes.is_empty()
        && let Some(other) = at_name.iter().find(|r| matches!(r.rtype.as_str(), "A" | "AAAA" | "CNAME"))
    {
        return Err(Error::usage(format!(
            "{name} points at {} ({}), not at {}; nothing deleted",
            describe(other),
            other.rtype,
            want.first().map(describe).unwrap_or_default()
        )));
    }
    Ok(changes)
}

/// Where a record set points, for messages.
pub fn describe(r: &RecordSet) -> String {
    match &r.alias {
        Some(a) => format!("alias {} (zone {})", a.dns_name, a.zone_id),
        None => r.values.join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(n: &str) -> DomainName {
        DomainName::parse(n).unwrap()
    }

    fn alias(dns: &str, ipv6: bool) -> Desired {
        Desired::Alias { dns_name: dns.into(), zone_id: "ZALB".into(), ipv6 }
    }

    fn actions(changes: &[Change]) -> Vec<(Action, &str)> {
        changes.iter().map(|c| (c.action, c.record.rtype.as_str())).collect()
    }

    #[test]
    fn nothing_changes_when_the_records_already_say_it() {
        let n = name("api.example.com");
        let desired = alias("LB-1.elb.amazonaws.com.", true);
        let existing = desired_sets(&n, &alias("lb-1.elb.amazonaws.com", true));
        assert!(plan_set(&n, "example.com", &desired, &existing).unwrap().is_empty());
        let cname = Desired::Cname { host: "x.herokudns.com".into(), ttl: 300 };
        let existing = desired_sets(&name("www.example.com"), &cname);
        assert!(plan_set(&name("www.example.com"), "example.com", &cname, &existing).unwrap().is_empty());
    }

    #[test]
    fn a_different_target_is_an_upsert_and_a_type_change_deletes_first() {
        let n = name("api.example.com");
        let old = desired_sets(&n, &alias("old.elb.amazonaws.com", true));
        let changes = plan_set(&n, "example.com", &alias("new.elb.amazonaws.com", false), &old).unwrap();
        assert_eq!(
            actions(&changes),
            vec![(Action::Delete, "AAAA"), (Action::Upsert, "A")],
            "the old AAAA would still point at the old target"
        );

        let cname = desired_sets(&n, &Desired::Cname { host: "elsewhere.net".into(), ttl: 60 });
        let changes = plan_set(&n, "example.com", &alias("lb.elb.amazonaws.com", false), &cname).unwrap();
        assert_eq!(actions(&changes), vec![(Action::Delete, "CNAME"), (Action::Upsert, "A")]);

        let changes = plan_set(&n, "example.com", &Desired::Cname { host: "h.net".into(), ttl: 300 }, &old).unwrap();
        assert_eq!(actions(&changes), vec![(Action::Delete, "A"), (Action::Delete, "AAAA"), (Action::Upsert, "CNAME")]);
        let ttl_only = plan_set(
            &name("www.example.com"),
            "example.com",
            &Desired::Cname { host: "h.net".into(), ttl: 60 },
            &desired_sets(&name("www.example.com"), &Desired::Cname { host: "h.net".into(), ttl: 300 }),
        )
        .unwrap();
        assert_eq!(actions(&ttl_only), vec![(Action::Upsert, "CNAME")]);
    }

    #[test]
    fn a_cname_at_the_apex_or_beside_other_records_is_refused() {
        let apex = plan_set(&name("example.com"), "example.com.", &Desired::Cname { host: "h.net".into(), ttl: 300 }, &[]).unwrap_err();
        assert_eq!(apex.exit_code(), 2);
        assert!(apex.to_string().contains("apex"));
        let txt =
            RecordSet { name: "www.example.com".into(), rtype: "TXT".into(), alias: None, values: vec!["\"v=1\"".into()], ttl: Some(300) };
        let err = plan_set(
            &name("www.example.com"),
            "example.com",
            &Desired::Cname { host: "h.net".into(), ttl: 300 },
            std::slice::from_ref(&txt),
        )
        .unwrap_err();
        assert!(err.to_string().contains("TXT"));
        // Other types are left alone beside an alias.
        assert_eq!(
            actions(&plan_set(&name("www.example.com"), "example.com", &alias("lb", false), &[txt]).unwrap()),
            vec![(Action::Upsert, "A")]
        );
    }

    #[test]
    fn delete_only_what_still_matches() {
        let n = name("api.example.com");
        let existing = desired_sets(&n, &alias("lb.elb.amazonaws.com", true));
        let changes = plan_delete(&n, &alias("LB.elb.amazonaws.com.", true), &existing).unwrap();
        assert_eq!(actions(&changes), vec![(Action::Delete, "A"), (Action::Delete, "AAAA")]);
        let err = plan_delete(&n, &alias("other.elb.amazonaws.com", true), &existing).unwrap_err();
        assert!(err.to_string().contains("no longer points at") && err.to_string().contains("nothing deleted"), "{err}");
        assert!(plan_delete(&n, &alias("lb.elb.amazonaws.com", true), &[]).unwrap().is_empty(), "already gone converges");
        let err = plan_delete(&n, &Desired::Cname { host: "h.net".into(), ttl: 300 }, &existing).unwrap_err();
        assert!(err.to_string().contains("not at h.net"), "another type at the name is not deleted: {err}");
    }
}
