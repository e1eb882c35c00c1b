//! The desired network, built from the command line and the region's AZs and checked
//! before anything is sent: which AZs, which subnets with which names and CIDRs.

use crate::cidr_plan::{SlotLayout, Tier, check_layout};
use awsops_core::{Error, Result};
use ipnet::Ipv4Net;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubnetSpec {
    pub name: String,
    pub tier: Tier,
    pub az: String,
    pub cidr: Ipv4Net,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkSpec {
    pub stack: String,
    pub region: String,
    pub cidr: Ipv4Net,
    pub subnets: Vec<SubnetSpec>,
}

/// An AZ chosen for the network, with its position among the region's AZs (its slot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChosenAz {
    pub index: usize,
    pub name: String,
}

/// The AZ's letter(s) after the region name: `ap-northeast-2a` → `a`.
pub fn az_suffix<'a>(region: &str, az: &'a str) -> &'a str {
    az.strip_prefix(region).filter(|s| !s.is_empty()).unwrap_or(az)
}

/// Picks AZs by count (the first N of the region) or by name (`a`, `c` or full names).
pub fn choose_azs(region: &str, region_azs: &[String], count: usize, named: &[String]) -> Result<Vec<ChosenAz>> {
    let mut sorted: Vec<String> = region_azs.to_vec();
    sorted.sort();
    if sorted.is_empty() {
        return Err(Error::failed(format!("region {region} reports no available AZs")));
    }
    if named.is_empty() {
        if count == 0 {
            return Err(Error::usage("--azs must be at least 1"));
        }
        if count > sorted.len() {
            return Err(Error::usage(format!("--azs {count}: region {region} has only {} AZs ({})", sorted.len(), sorted.join(", "))));
        }
        return Ok(sorted.into_iter().take(count).enumerate().map(|(index, name)| ChosenAz { index, name }).collect());
    }
    let mut chosen: Vec<ChosenAz> = Vec::new();
    for wanted in named {
        let full = if wanted.starts_with(region) { wanted.clone() } else { format!("{region}{wanted}") };
        let index = sorted
            .iter()
            .position(|az| *az == full)
            .ok_or_else(|| Error::usage(format!("unknown AZ {wanted:?} in {region}: the region has {}", sorted.join(", "))))?;
        if chosen.iter().any(|c| c.index == index) {
            return Err(Error::usage(format!("AZ {full} named twice")));
        }
        chosen.push(ChosenAz { index, name: full });
    }
    chosen.sort_by_key(|c| c.index);
    Ok(chosen)
}

/// `public-subnet-a1`: tier, AZ letter, ordinal from 1 (the reference lab's names).
pub fn subnet_name(tier: Tier, az_letter: &str, ordinal: usize) -> String {
    format!("{}-subnet-{az_letter}{}", tier.as_str(), ordinal + 1)
}

/// The subnets of every (tier, AZ, ordinal), each in its stable slot.
pub fn desired_subnets(
    region: &str,
    layout: &SlotLayout,
    azs: &[ChosenAz],
    public_per_az: usize,
    private_per_az: usize,
) -> Result<Vec<SubnetSpec>> {
    let mut subnets = Vec::new();
    for (tier, count) in [(Tier::Public, public_per_az), (Tier::Private, private_per_az)] {
        for ordinal in 0..count {
            for az in azs {
                subnets.push(SubnetSpec {
                    name: subnet_name(tier, az_suffix(region, &az.name), ordinal),
                    tier,
                    az: az.name.clone(),
                    cidr: layout.cidr(tier, az.index, ordinal)?,
                });
            }
        }
    }
    Ok(subnets)
}

/// Final checks on a spec: unique names, CIDRs inside the VPC and apart.
pub fn check(spec: &NetworkSpec) -> Result<()> {
    for (i, a) in spec.subnets.iter().enumerate() {
        if spec.subnets[i + 1..].iter().any(|b| b.name == a.name) {
            return Err(Error::usage(format!("duplicate subnet name {}", a.name)));
        }
    }
    let named: Vec<(String, Ipv4Net)> = spec.subnets.iter().map(|s| (s.name.clone(), s.cidr)).collect();
    check_layout(spec.cidr, &named)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn region_azs() -> Vec<String> {
        ["ap-northeast-2d", "ap-northeast-2a", "ap-northeast-2c", "ap-northeast-2b"].map(String::from).to_vec()
    }

    #[test]
    fn azs_by_count_and_by_name() {
        let by_count = choose_azs("ap-northeast-2", &region_azs(), 2, &[]).unwrap();
        assert_eq!(
            by_count,
            vec![ChosenAz { index: 0, name: "ap-northeast-2a".into() }, ChosenAz { index: 1, name: "ap-northeast-2b".into() }]
        );
        let by_name = choose_azs("ap-northeast-2", &region_azs(), 0, &["c".into(), "ap-northeast-2a".into()]).unwrap();
        assert_eq!(
            by_name,
            vec![ChosenAz { index: 0, name: "ap-northeast-2a".into() }, ChosenAz { index: 2, name: "ap-northeast-2c".into() }]
        );
    }

    #[test]
    fn bad_az_choices_are_usage_errors() {
        for (count, named) in [(5, vec![]), (0, vec![]), (0, vec!["z".to_owned()]), (0, vec!["a".to_owned(), "a".to_owned()])] {
            assert_eq!(choose_azs("ap-northeast-2", &region_azs(), count, &named).unwrap_err().exit_code(), 2, "{count} {named:?}");
        }
    }

    #[test]
    fn the_lab_names_and_cidrs() {
        let layout = SlotLayout::new("10.1.0.0/16".parse().unwrap(), 24).unwrap();
        let azs = choose_azs("ap-northeast-2", &region_azs(), 0, &["a".into(), "c".into()]).unwrap();
        let subnets = desired_subnets("ap-northeast-2", &layout, &azs, 1, 2).unwrap();
        let got: Vec<(String, String)> = subnets.iter().map(|s| (s.name.clone(), s.cidr.to_string())).collect();
        let want = [
            ("public-subnet-a1", "10.1.0.0/24"),
            ("public-subnet-c1", "10.1.2.0/24"),
            ("private-subnet-a1", "10.1.128.0/24"),
            ("private-subnet-c1", "10.1.130.0/24"),
            ("private-subnet-a2", "10.1.136.0/24"),
            ("private-subnet-c2", "10.1.138.0/24"),
        ];
        assert_eq!(got, want.map(|(a, b)| (a.to_owned(), b.to_owned())));
    }

    #[test]
    fn duplicate_names_are_refused() {
        let cidr: Ipv4Net = "10.0.0.0/16".parse().unwrap();
        let s = |n: &str, c: &str| SubnetSpec { name: n.into(), tier: Tier::Public, az: "x".into(), cidr: c.parse().unwrap() };
        let spec = NetworkSpec { stack: "s".into(), region: "r".into(), cidr, subnets: vec![s("a", "10.0.0.0/24"), s("a", "10.0.1.0/24")] };
        assert!(check(&spec).unwrap_err().to_string().contains("duplicate subnet name a"));
    }

    proptest! {
        /// Adding AZs or subnets per AZ keeps every existing subnet's name and CIDR.
        #[test]
        fn growth_keeps_what_exists(azs in 1usize..4, extra_azs in 0usize..=1, public in 0usize..3, private in 0usize..3, more in 0usize..3) {
            let layout = SlotLayout::new("10.9.0.0/16".parse().unwrap(), 24).unwrap();
            let region = "ap-northeast-2";
            let small_azs = choose_azs(region, &region_azs(), azs, &[]).unwrap();
            let big_azs = choose_azs(region, &region_azs(), azs + extra_azs, &[]).unwrap();
            let before = desired_subnets(region, &layout, &small_azs, public, private).unwrap();
            let after = desired_subnets(region, &layout, &big_azs, public + more, private + more).unwrap();
            for s in &before {
                prop_assert!(after.contains(s), "{:?} renumbered or renamed", s);
            }
            let spec = NetworkSpec { stack: "s".into(), region: region.into(), cidr: "10.9.0.0/16".parse().unwrap(), subnets: after };
            prop_assert!(check(&spec).is_ok());
        }
    }
}
