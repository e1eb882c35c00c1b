//! The desired network, built from the command line and the region's AZs and checked
//! before anything is sent: which AZs, which subnets with which names and CIDRs.

use crate::cidr_plan::{SlotLayout, Tier, check_layout};
use awsops_core::kinds::EndpointService;
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
    pub nat: NatMode,
    /// Elastic IP allocation ids the user supplied, in AZ order; never released.
    pub nat_eips: Vec<String>,
    /// Ports the web group opens, and from where.
    pub web_ports: Vec<u16>,
    pub web_sources: Vec<Ipv4Net>,
    /// Where the bastion group admits SSH from (the caller's /32 by default).
    pub ssh_sources: Vec<Ipv4Net>,
    /// A dry run without `--ssh-from`: plan the rule a real run adds for the caller's
    /// address without asking the internet for it (see `plan::CALLER_IP_PLACEHOLDER`).
    pub ssh_from_caller: bool,
    pub endpoints: Vec<EndpointService>,
    pub bastion: Option<BastionSpec>,
    /// One private route table per AZ, or one per private subnet (the lab's layout).
    pub private_route_tables: PrivateRouteTables,
}

impl NetworkSpec {
    /// A spec with no NAT, groups, endpoints or bastion: the building block tests extend.
    pub fn bare(stack: &str, region: &str, cidr: Ipv4Net, subnets: Vec<SubnetSpec>) -> Self {
        NetworkSpec {
            stack: stack.into(),
            region: region.into(),
            cidr,
            subnets,
            nat: NatMode::None,
            nat_eips: Vec::new(),
            web_ports: vec![80, 443],
            web_sources: vec![anywhere()],
            ssh_sources: Vec::new(),
            ssh_from_caller: false,
            endpoints: Vec::new(),
            bastion: None,
            private_route_tables: PrivateRouteTables::PerAz,
        }
    }

    /// The AZs that hold a NAT gateway, each with the public subnet it sits in.
    pub fn nat_placements(&self) -> Vec<(&str, &SubnetSpec)> {
        let mut azs: Vec<&str> = Vec::new();
        for s in &self.subnets {
            if !azs.contains(&s.az.as_str()) {
                azs.push(&s.az);
            }
        }
        azs.sort();
        let public_in = |az: &str| self.subnets.iter().filter(|s| s.tier == Tier::Public && s.az == az).min_by(|a, b| a.name.cmp(&b.name));
        let with_public: Vec<(&str, &SubnetSpec)> = azs.iter().filter_map(|az| public_in(az).map(|s| (*az, s))).collect();
        match self.nat {
            NatMode::None => Vec::new(),
            NatMode::Single => with_public.into_iter().take(1).collect(),
            NatMode::PerAz => with_public,
        }
    }

    /// The first public subnet, in AZ order (where a bastion goes).
    pub fn first_public_subnet(&self) -> Option<(&str, &SubnetSpec)> {
        self.subnets
            .iter()
            .filter(|s| s.tier == Tier::Public)
            .min_by(|a, b| (&a.az, &a.name).cmp(&(&b.az, &b.name)))
            .map(|s| (s.az.as_str(), s))
    }

    /// The AZs that hold private subnets (each gets its own private route table).
    pub fn private_azs(&self) -> Vec<&str> {
        let mut azs: Vec<&str> = self.subnets.iter().filter(|s| s.tier == Tier::Private).map(|s| s.az.as_str()).collect();
        azs.sort();
        azs.dedup();
        azs
    }
}

pub fn anywhere() -> Ipv4Net {
    Ipv4Net::new(std::net::Ipv4Addr::UNSPECIFIED, 0).unwrap_or_default()
}

/// How private subnets reach the internet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NatMode {
    /// No NAT gateway: private subnets have no route out.
    None,
    /// One NAT gateway, in the first AZ, shared by every private subnet.
    Single,
    /// One NAT gateway per AZ: no cross-AZ traffic, no single point of failure.
    PerAz,
}

/// How private subnets share route tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum PrivateRouteTables {
    /// One table per AZ, shared by the AZ's private subnets.
    #[default]
    PerAz,
    /// One table per private subnet, as the reference lab builds them.
    PerSubnet,
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BastionSpec {
    pub ami: String,
    pub instance_type: String,
    pub key_name: Option<String>,
    /// The image's root device and size; None when they are looked up at launch (the
    /// SSM image, which needs no checking first), so the lookup is off the critical path.
    pub root_device: Option<String>,
    pub root_size_gib: Option<i32>,
}

/// An explicit subnet from `--subnet name=…,cidr=…,az=…[,tier=…]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplicitSubnet {
    pub name: String,
    pub cidr: Ipv4Net,
    pub az: String,
    pub tier: Tier,
}

/// Parses `name=db-a,cidr=10.1.200.0/24,az=a[,tier=private]`; the tier defaults from a
/// `public`/`private` name prefix.
pub fn parse_explicit_subnet(text: &str) -> Result<ExplicitSubnet> {
    let (mut name, mut cidr, mut az, mut tier) = (None, None, None, None);
    for part in text.split(',') {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| Error::usage(format!("--subnet {text:?}: expected name=…,cidr=…,az=…[,tier=public|private]")))?;
        match key.trim() {
            "name" => name = Some(value.trim().to_owned()),
            "cidr" => cidr = Some(crate::cidr_plan::parse_cidr(value)?),
            "az" => az = Some(value.trim().to_owned()),
            "tier" => tier = Some(value.trim().parse::<Tier>()?),
            other => return Err(Error::usage(format!("--subnet {text:?}: unknown key {other:?}"))),
        }
    }
    let missing = |what: &str| Error::usage(format!("--subnet {text:?}: missing {what}="));
    let name = name.filter(|n| !n.is_empty()).ok_or_else(|| missing("name"))?;
    // The name is the subnet's Name tag.
    awsops_core::aws_limits::check_tag("--subnet name", "Name", &name).map_err(|_| {
        Error::usage(format!("--subnet name {name:?}: a subnet name is a Name tag: at most 256 characters, no control characters"))
    })?;
    let tier = match tier {
        Some(t) => t,
        None if name.starts_with("public") => Tier::Public,
        None if name.starts_with("private") => Tier::Private,
        None => return Err(Error::usage(format!("--subnet {text:?}: add tier=public or tier=private"))),
    };
    Ok(ExplicitSubnet { name, cidr: cidr.ok_or_else(|| missing("cidr"))?, az: az.ok_or_else(|| missing("az"))?, tier })
}

/// Two `--subnet`s with one name would silently merge (the last winning): refused.
pub fn check_distinct_names(explicit: &[ExplicitSubnet]) -> Result<()> {
    for (i, e) in explicit.iter().enumerate() {
        if explicit[..i].iter().any(|earlier| earlier.name == e.name) {
            return Err(Error::usage(format!("--subnet name={} is given twice: subnet names must differ", e.name)));
        }
    }
    Ok(())
}

/// Applies explicit subnets: one with the name of a planned subnet replaces it; others are added.
pub fn apply_explicit(
    region: &str,
    region_azs: &[String],
    mut subnets: Vec<SubnetSpec>,
    explicit: &[ExplicitSubnet],
) -> Result<Vec<SubnetSpec>> {
    check_distinct_names(explicit)?;
    for e in explicit {
        let az = choose_azs(region, region_azs, 0, std::slice::from_ref(&e.az))?.remove(0).name;
        let spec = SubnetSpec { name: e.name.clone(), tier: e.tier, az, cidr: e.cidr };
        match subnets.iter_mut().find(|s| s.name == e.name) {
            Some(slot) => *slot = spec,
            None => subnets.push(spec),
        }
    }
    Ok(subnets)
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

/// Final checks on a spec: unique names, CIDRs inside the VPC and apart, a public
/// subnet wherever a NAT gateway must go, SSH never from anywhere unless asked.
pub fn check(spec: &NetworkSpec) -> Result<()> {
    if spec.nat != NatMode::None && spec.nat_placements().is_empty() {
        return Err(Error::usage("a NAT gateway needs a public subnet: add --public-per-az 1 or pass --nat none"));
    }
    if !spec.nat_eips.is_empty() && spec.nat_eips.len() != spec.nat_placements().len() {
        return Err(Error::usage(format!(
            "{} --nat-eip given for {} NAT gateway(s): give one allocation id per NAT gateway, in AZ order",
            spec.nat_eips.len(),
            spec.nat_placements().len()
        )));
    }
    for eip in &spec.nat_eips {
        if !eip.starts_with("eipalloc-") {
            return Err(Error::usage(format!("--nat-eip {eip:?}: expected an allocation id (eipalloc-…)")));
        }
    }
    for (i, a) in spec.subnets.iter().enumerate() {
        if spec.subnets[i + 1..].iter().any(|b| b.name == a.name) {
            return Err(Error::usage(format!("duplicate subnet name {}", a.name)));
        }
    }
    if spec.private_route_tables == PrivateRouteTables::PerSubnet {
        // The subnet's name goes into its table's role tag.
        for s in spec.subnets.iter().filter(|s| s.tier == Tier::Private) {
            let role = crate::plan::subnet_route_table_role(&s.name);
            awsops_core::aws_limits::check_tag("--private-route-tables per-subnet", awsops_core::ownership::ROLE_TAG, &role).map_err(
                |_| {
                    Error::usage(format!(
                        "subnet name {:?} is too long for a per-subnet route table's role tag (at most 246 characters)",
                        s.name
                    ))
                },
            )?;
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
        let spec = NetworkSpec::bare("s", "r", cidr, vec![s("a", "10.0.0.0/24"), s("a", "10.0.1.0/24")]);
        assert!(check(&spec).unwrap_err().to_string().contains("duplicate subnet name a"));
    }

    #[test]
    fn explicit_subnets_parse_and_override() {
        let e = parse_explicit_subnet("name=db-a,cidr=10.1.200.0/24,az=a,tier=private").unwrap();
        assert_eq!((e.name.as_str(), e.cidr.to_string().as_str(), e.az.as_str(), e.tier), ("db-a", "10.1.200.0/24", "a", Tier::Private));
        assert_eq!(parse_explicit_subnet("name=public-x,cidr=10.1.9.0/24,az=c").unwrap().tier, Tier::Public);
        for bad in [
            "name=x,cidr=10.1.0.0/24,az=a",
            "cidr=10.1.0.0/24,az=a,tier=public",
            "name=a,cidr=10.1.0.0/33,az=a,tier=public",
            "junk",
            "name=a,color=red",
        ] {
            assert_eq!(parse_explicit_subnet(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
        let layout = SlotLayout::new("10.1.0.0/16".parse().unwrap(), 24).unwrap();
        let azs = choose_azs("ap-northeast-2", &region_azs(), 1, &[]).unwrap();
        let planned = desired_subnets("ap-northeast-2", &layout, &azs, 1, 1).unwrap();
        let explicit = [parse_explicit_subnet("name=public-subnet-a1,cidr=10.1.50.0/24,az=a").unwrap(), e];
        let got = apply_explicit("ap-northeast-2", &region_azs(), planned, &explicit).unwrap();
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].cidr.to_string(), "10.1.50.0/24", "same name replaces");
        assert_eq!(got[2].az, "ap-northeast-2a");
        let unknown_az = [parse_explicit_subnet("name=x,cidr=10.1.60.0/24,az=q,tier=public").unwrap()];
        assert_eq!(apply_explicit("ap-northeast-2", &region_azs(), Vec::new(), &unknown_az).unwrap_err().exit_code(), 2);
    }

    #[test]
    fn nat_placement_follows_the_mode() {
        let layout = SlotLayout::new("10.1.0.0/16".parse().unwrap(), 24).unwrap();
        let azs = choose_azs("ap-northeast-2", &region_azs(), 0, &["a".into(), "c".into()]).unwrap();
        let subnets = desired_subnets("ap-northeast-2", &layout, &azs, 1, 2).unwrap();
        let mut spec = NetworkSpec::bare("lab", "ap-northeast-2", "10.1.0.0/16".parse().unwrap(), subnets);
        assert!(spec.nat_placements().is_empty());
        spec.nat = NatMode::Single;
        let single: Vec<_> = spec.nat_placements().iter().map(|(az, s)| (az.to_string(), s.name.clone())).collect();
        assert_eq!(single, [("ap-northeast-2a".to_owned(), "public-subnet-a1".to_owned())]);
        spec.nat = NatMode::PerAz;
        assert_eq!(spec.nat_placements().len(), 2);
        assert_eq!(spec.private_azs(), ["ap-northeast-2a", "ap-northeast-2c"]);
        spec.nat_eips = vec!["eipalloc-1".into()];
        assert!(check(&spec).unwrap_err().to_string().contains("one allocation id per NAT"));
        spec.nat_eips = vec!["eipalloc-1".into(), "nope".into()];
        assert!(check(&spec).unwrap_err().to_string().contains("eipalloc-"));
        spec.subnets.retain(|s| s.tier == Tier::Private);
        spec.nat_eips.clear();
        assert!(check(&spec).unwrap_err().to_string().contains("needs a public subnet"));
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
            let spec = NetworkSpec::bare("s", region, "10.9.0.0/16".parse().unwrap(), after);
            prop_assert!(check(&spec).is_ok());
        }
    }

    #[test]
    fn explicit_subnets_have_distinct_names_within_tag_limits() {
        let a = parse_explicit_subnet("name=db,cidr=10.0.9.0/24,az=a,tier=private").unwrap();
        let b = parse_explicit_subnet("name=db,cidr=10.0.10.0/24,az=c,tier=private").unwrap();
        assert!(check_distinct_names(std::slice::from_ref(&a)).is_ok());
        assert!(check_distinct_names(&[a, b]).unwrap_err().to_string().contains("given twice"));
        let long = format!("name={},cidr=10.0.9.0/24,az=a,tier=private", "n".repeat(257));
        assert_eq!(parse_explicit_subnet(&long).unwrap_err().exit_code(), 2);
        assert!(parse_explicit_subnet(&format!("name={},cidr=10.0.9.0/24,az=a,tier=private", "n".repeat(256))).is_ok());
    }
}
