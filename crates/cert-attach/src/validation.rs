//! ACM's DNS validation records and the Route 53 changes that publish them: each record
//! goes to the hosted zone of the name it validates (longest suffix), a CNAME that several
//! names share (a wildcard and its parent, or ACM reusing one record) is written once, and
//! a record already in place is not written again.

use awsops_core::dns_name::DomainName;
use awsops_core::hosted_zone::{self, Zone};
use awsops_core::kinds::{ChangeAction, RecordChange, RecordSet};
use awsops_core::{Error, Result};
use std::collections::BTreeMap;

/// TTL of the validation CNAMEs (ACM's console uses 300 too).
pub const TTL: i64 = 300;

/// One record ACM asks for, for one of the certificate's names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ValidationRecord {
    /// The certificate name it validates.
    pub for_name: DomainName,
    /// Lowercase, without the trailing dot.
    pub name: String,
    pub rtype: String,
    pub value: String,
}

impl ValidationRecord {
    pub fn new(for_name: DomainName, name: &str, rtype: &str, value: &str) -> ValidationRecord {
        ValidationRecord {
            for_name,
            name: name.trim_end_matches('.').to_ascii_lowercase(),
            rtype: rtype.to_ascii_uppercase(),
            value: value.trim_end_matches('.').to_ascii_lowercase(),
        }
    }

    pub fn record_set(&self) -> RecordSet {
        RecordSet { name: self.name.clone(), rtype: self.rtype.clone(), alias: None, values: vec![self.value.clone()], ttl: Some(TTL) }
    }
}

/// The zone each name is validated in, found before anything changes: a name without a
/// public zone (or outside every pinned zone) is a usage error naming it.
pub fn zones_for<'a>(names: &[DomainName], zones: &'a [Zone], pinned: &[String]) -> Result<BTreeMap<DomainName, &'a Zone>> {
    let mut out = BTreeMap::new();
    for name in names {
        let at = crate::names::validated_at(name)?;
        let zone = if pinned.is_empty() {
            hosted_zone::choose(&at, zones, hosted_zone::Among::PublicOnly, None)
        } else {
            // Among the pinned zones, the one that holds the name.
            let pins: Vec<Zone> = pinned
                .iter()
                .map(|id| {
                    let id = id.trim_start_matches("/hostedzone/");
                    zones.iter().find(|z| z.id == id).cloned().ok_or_else(|| Error::usage(format!("no hosted zone {id} in this account")))
                })
                .collect::<Result<_>>()?;
            let holder = hosted_zone::choose(&at, &pins, hosted_zone::Among::PublicOnly, None)
                .map_err(|_| Error::usage(format!("{name} is in none of the public zones given with --zone-id ({})", pinned.join(", "))))?
                .id
                .clone();
            zones.iter().find(|z| z.id == holder).ok_or_else(|| Error::failed(format!("hosted zone {holder} vanished")))
        }
        .map_err(|e| Error::usage(format!("cannot validate {name}: {e}")))?;
        out.insert(name.clone(), zone);
    }
    Ok(out)
}

/// The distinct records per zone id (a record several names share appears once).
pub fn by_zone(records: &[ValidationRecord], zones: &BTreeMap<DomainName, &Zone>) -> Result<BTreeMap<String, Vec<RecordSet>>> {
    let mut out: BTreeMap<String, Vec<RecordSet>> = BTreeMap::new();
    for r in records {
        let zone = zones
            .get(&r.for_name)
            .ok_or_else(|| Error::failed(format!("ACM asked to validate {}, which was not requested", r.for_name)))?;
        let set = r.record_set();
        let list = out.entry(zone.id.clone()).or_default();
        match list.iter().find(|s| s.name == set.name && s.rtype == set.rtype) {
            Some(same) if same.values == set.values => {}
            Some(other) => {
                return Err(Error::failed(format!(
                    "ACM asked for two values of {} {}: {} and {}",
                    set.rtype, set.name, other.values[0], set.values[0]
                )));
            }
            None => list.push(set),
        }
    }
    Ok(out)
}

/// The UPSERTs a zone needs: the wanted records that are not already there as they are.
pub fn changes(wanted: &[RecordSet], existing: &[RecordSet]) -> Vec<RecordChange> {
    wanted
        .iter()
        .filter(|w| !existing.iter().any(|e| e.name == w.name && e.rtype == w.rtype && same_values(&e.values, &w.values)))
        .map(|w| RecordChange { action: ChangeAction::Upsert, record: w.clone() })
        .collect()
}

fn same_values(a: &[String], b: &[String]) -> bool {
    let norm = |v: &[String]| {
        let mut v: Vec<String> = v.iter().map(|s| s.trim_end_matches('.').to_ascii_lowercase()).collect();
        v.sort();
        v
    };
    norm(a) == norm(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> DomainName {
        DomainName::parse(s).unwrap()
    }

    fn zones() -> Vec<Zone> {
        vec![Zone::new("Z1", "example.com", false), Zone::new("Z2", "api.example.com", false), Zone::new("Z3", "example.com", true)]
    }

    fn record(for_name: &str, name: &str, value: &str) -> ValidationRecord {
        ValidationRecord::new(d(for_name), name, "cname", value)
    }

    #[test]
    fn each_name_goes_to_its_longest_public_zone() {
        let z = zones();
        let names = [d("example.com"), d("*.example.com"), d("v1.api.example.com")];
        let map = zones_for(&names, &z, &[]).unwrap();
        assert_eq!(map[&d("example.com")].id, "Z1");
        assert_eq!(map[&d("*.example.com")].id, "Z1");
        assert_eq!(map[&d("v1.api.example.com")].id, "Z2");
        let err = zones_for(&[d("www.other.org")], &z, &[]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("www.other.org"), "{err}");
    }

    #[test]
    fn pinned_zones_are_checked() {
        let z = zones();
        let map = zones_for(&[d("v1.api.example.com")], &z, &["Z1".into()]).unwrap();
        assert_eq!(map[&d("v1.api.example.com")].id, "Z1");
        assert!(zones_for(&[d("www.other.org")], &z, &["Z1".into()]).unwrap_err().to_string().contains("none of the public zones"));
        assert!(zones_for(&[d("example.com")], &z, &["Z9".into()]).unwrap_err().to_string().contains("no hosted zone Z9"));
    }

    #[test]
    fn shared_records_are_written_once() {
        let z = zones();
        let names = [d("example.com"), d("*.example.com"), d("v1.api.example.com")];
        let map = zones_for(&names, &z, &[]).unwrap();
        let records = [
            record("example.com", "_a.example.com.", "_v.acm-validations.aws."),
            record("*.example.com", "_A.example.com", "_v.acm-validations.aws"),
            record("v1.api.example.com", "_b.v1.api.example.com.", "_w.acm-validations.aws."),
        ];
        let zoned = by_zone(&records, &map).unwrap();
        assert_eq!(zoned["Z1"].len(), 1);
        assert_eq!(zoned["Z1"][0].values, ["_v.acm-validations.aws"]);
        assert_eq!(zoned["Z2"][0].name, "_b.v1.api.example.com");
        let clash = [record("example.com", "_a.example.com", "_v1.aws"), record("*.example.com", "_a.example.com", "_v2.aws")];
        assert!(by_zone(&clash, &map).is_err());
    }

    #[test]
    fn records_in_place_are_not_written_again() {
        let want = vec![record("example.com", "_a.example.com", "_v.aws").record_set()];
        assert_eq!(changes(&want, &[]).len(), 1);
        let mut there = want[0].clone();
        there.values = vec!["_V.aws.".into()];
        assert!(changes(&want, &[there.clone()]).is_empty());
        there.values = vec!["_old.aws".into()];
        assert_eq!(changes(&want, &[there]).len(), 1, "a stale value is overwritten");
    }

    proptest! {
        #[test]
        fn publishing_converges(labels in proptest::collection::vec(("[a-c]", "[a-c]{1,2}", any::<bool>()), 1..12)) {
            let z = zones();
            let records: Vec<ValidationRecord> = labels
                .iter()
                .map(|(label, token, wildcard)| {
                    let name = if *wildcard { format!("*.{label}.example.com") } else { format!("{label}.example.com") };
                    record(&name, &format!("_{token}.{label}.example.com"), &format!("_{token}.acm.aws"))
                })
                .collect();
            let names: Vec<DomainName> = records.iter().map(|r| r.for_name.clone()).collect();
            let map = zones_for(&names, &z, &[]).unwrap();
            // Equal names give equal values here, so grouping never clashes.
            let zoned = by_zone(&records, &map).unwrap();
            for wanted in zoned.values() {
                let mut keys: Vec<_> = wanted.iter().map(|r| (&r.name, &r.rtype)).collect();
                keys.sort();
                let n = keys.len();
                keys.dedup();
                prop_assert_eq!(keys.len(), n, "a record written twice");
                let first = changes(wanted, &[]);
                prop_assert_eq!(first.len(), wanted.len());
                let after: Vec<RecordSet> = first.into_iter().map(|c| c.record).collect();
                prop_assert!(changes(wanted, &after).is_empty());
            }
        }
    }
}
