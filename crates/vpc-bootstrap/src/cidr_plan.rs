//! Subnet CIDRs carved in stable slots: a given (tier, AZ index, ordinal) always gets
//! the same CIDR in a given VPC, so adding an AZ or a subnet later never renumbers
//! what exists (the renumbering that makes growing a Terraform VPC recreate subnets).
//!
//! The subnet index inside the VPC has `k = subnet_prefix - vpc_prefix` bits, laid out
//! from the top as: 1 tier bit (public 0, private 1), ordinal bits, then up to 3 AZ bits
//! (the AZ's position among the region's AZs, so up to 8 AZs).

use awsops_core::{Error, Result};
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;
use std::str::FromStr;

pub use awsops_core::kinds::Tier;

/// The most AZ bits the layout uses (8 AZs; no region has more).
const MAX_AZ_BITS: u8 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotLayout {
    vpc: Ipv4Net,
    subnet_prefix: u8,
    az_bits: u8,
    ordinal_bits: u8,
}

/// Parses a VPC CIDR: well-formed, no host bits, /16 to /28, and inside the private
/// ranges (RFC 1918 or 100.64.0.0/10) unless `force` is set.
pub fn parse_vpc_cidr(text: &str, force: bool) -> Result<Ipv4Net> {
    let net = parse_cidr(text)?;
    if !(16..=28).contains(&net.prefix_len()) {
        return Err(Error::usage(format!("VPC CIDR {net} is /{}: AWS allows /16 to /28", net.prefix_len())));
    }
    if !force && !is_private(net) {
        return Err(Error::usage(format!(
            "VPC CIDR {net} is outside the private ranges (10/8, 172.16/12, 192.168/16, 100.64/10); pass --force-cidr if you mean it"
        )));
    }
    Ok(net)
}

/// Parses an IPv4 CIDR and rejects host bits, naming the network that was meant.
pub fn parse_cidr(text: &str) -> Result<Ipv4Net> {
    let net = Ipv4Net::from_str(text.trim()).map_err(|_| Error::usage(format!("malformed CIDR {text:?}: expected a.b.c.d/n")))?;
    if net.trunc() != net {
        return Err(Error::usage(format!("CIDR {net} has host bits set; did you mean {}?", net.trunc())));
    }
    Ok(net)
}

fn is_private(net: Ipv4Net) -> bool {
    ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"]
        .iter()
        .any(|r| Ipv4Net::from_str(r).is_ok_and(|range| range.contains(&net)))
}

/// The default subnet size: 256 addresses in a /16, never smaller than /28.
pub fn default_subnet_prefix(vpc: Ipv4Net) -> u8 {
    (vpc.prefix_len() + 8).min(28)
}

impl SlotLayout {
    pub fn new(vpc: Ipv4Net, subnet_prefix: u8) -> Result<Self> {
        if !(16..=28).contains(&subnet_prefix) {
            return Err(Error::usage(format!("subnet size /{subnet_prefix}: AWS allows /16 to /28")));
        }
        if subnet_prefix < vpc.prefix_len() + 2 {
            return Err(Error::usage(format!(
                "/{subnet_prefix} subnets leave no room for two tiers and two AZs in {vpc}; use a smaller subnet size (a larger prefix)"
            )));
        }
        let k = subnet_prefix - vpc.prefix_len();
        let az_bits = (k - 1).min(MAX_AZ_BITS);
        Ok(SlotLayout { vpc, subnet_prefix, az_bits, ordinal_bits: k - 1 - az_bits })
    }

    pub fn max_azs(&self) -> usize {
        1 << self.az_bits
    }

    pub fn max_per_az(&self) -> usize {
        1 << self.ordinal_bits
    }

    /// The CIDR of slot (tier, AZ index in the region, ordinal from 0).
    pub fn cidr(&self, tier: Tier, az_index: usize, ordinal: usize) -> Result<Ipv4Net> {
        if az_index >= self.max_azs() {
            return Err(Error::usage(format!(
                "/{} subnets in {} fit {} AZs per tier; this AZ is number {} of the region: use a smaller subnet size",
                self.subnet_prefix,
                self.vpc,
                self.max_azs(),
                az_index + 1
            )));
        }
        if ordinal >= self.max_per_az() {
            return Err(Error::usage(format!(
                "/{} subnets in {} fit {} per tier and AZ, {} asked: use a smaller subnet size",
                self.subnet_prefix,
                self.vpc,
                self.max_per_az(),
                ordinal + 1
            )));
        }
        let k = u32::from(self.subnet_prefix - self.vpc.prefix_len());
        let tier_bit = match tier {
            Tier::Public => 0u32,
            Tier::Private => 1u32,
        };
        let index = (tier_bit << (k - 1)) | ((ordinal as u32) << self.az_bits) | az_index as u32;
        let step = 1u32 << (32 - u32::from(self.subnet_prefix));
        let base = u32::from(self.vpc.network()) + index * step;
        Ipv4Net::new(Ipv4Addr::from(base), self.subnet_prefix).map_err(|e| Error::failed(format!("internal CIDR error: {e}")))
    }
}

/// Checks a set of named CIDRs: each inside the VPC, sized /16–/28, none overlapping.
pub fn check_layout(vpc: Ipv4Net, subnets: &[(String, Ipv4Net)]) -> Result<()> {
    for (name, net) in subnets {
        if !vpc.contains(net) {
            return Err(Error::usage(format!("subnet {name} ({net}) does not fit inside the VPC {vpc}")));
        }
        if !(16..=28).contains(&net.prefix_len()) {
            return Err(Error::usage(format!("subnet {name} ({net}): AWS allows /16 to /28")));
        }
    }
    for (i, (a_name, a)) in subnets.iter().enumerate() {
        for (b_name, b) in &subnets[i + 1..] {
            if a.contains(b) || b.contains(a) {
                return Err(Error::usage(format!("subnets {a_name} ({a}) and {b_name} ({b}) overlap")));
            }
        }
    }
    Ok(())
}

/// The widest set of SSH sources allowed without `--allow-ssh-from-anywhere`: a /8. Wider
/// is "the internet" in practice, whether written as 0.0.0.0/0 or as 0.0.0.0/1,128.0.0.0/1.
pub const SSH_SOURCES_MAX_ADDRESSES: u64 = 1 << 24;

/// How many addresses the networks cover together (overlaps counted once).
pub fn addresses_covered(nets: &[Ipv4Net]) -> u64 {
    Ipv4Net::aggregate(&nets.to_vec()).iter().map(|n| 1u64 << (32 - u32::from(n.prefix_len()))).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn net(s: &str) -> Ipv4Net {
        s.parse().unwrap()
    }

    #[test]
    fn the_lab_layout() {
        let l = SlotLayout::new(net("10.1.0.0/16"), 24).unwrap();
        assert_eq!(l.cidr(Tier::Public, 0, 0).unwrap(), net("10.1.0.0/24"));
        assert_eq!(l.cidr(Tier::Public, 2, 0).unwrap(), net("10.1.2.0/24"));
        assert_eq!(l.cidr(Tier::Private, 0, 0).unwrap(), net("10.1.128.0/24"));
        assert_eq!(l.cidr(Tier::Private, 2, 1).unwrap(), net("10.1.138.0/24"));
        assert_eq!((l.max_azs(), l.max_per_az()), (8, 16));
    }

    #[test]
    fn vpc_cidrs_are_validated() {
        assert!(parse_vpc_cidr("10.1.0.0/16", false).is_ok());
        for (bad, why) in [
            ("10.1.0.0/33", "malformed"),
            ("10.1.0/16", "malformed"),
            ("banana", "malformed"),
            ("10.1.0.1/16", "host bits"),
            ("10.0.0.0/8", "/16 to /28"),
            ("10.0.0.0/29", "/16 to /28"),
            ("8.8.0.0/16", "private ranges"),
        ] {
            let err = parse_vpc_cidr(bad, false).unwrap_err();
            assert_eq!(err.exit_code(), 2);
            assert!(err.to_string().contains(why), "{bad}: {err}");
        }
        assert!(parse_vpc_cidr("8.8.0.0/16", true).is_ok(), "forced");
    }

    #[test]
    fn small_vpcs_and_out_of_room() {
        assert!(SlotLayout::new(net("10.0.0.0/28"), 28).is_err());
        let l = SlotLayout::new(net("10.0.0.0/26"), 28).unwrap();
        assert_eq!((l.max_azs(), l.max_per_az()), (2, 1));
        assert_eq!(l.cidr(Tier::Public, 2, 0).unwrap_err().exit_code(), 2);
        assert_eq!(l.cidr(Tier::Private, 0, 1).unwrap_err().exit_code(), 2);
        assert_eq!(default_subnet_prefix(net("10.0.0.0/24")), 28);
    }

    #[test]
    fn overlaps_and_strays_are_caught() {
        let vpc = net("10.1.0.0/16");
        let ok = vec![("a".to_owned(), net("10.1.0.0/24")), ("b".to_owned(), net("10.1.1.0/24"))];
        assert!(check_layout(vpc, &ok).is_ok());
        let overlap = vec![("a".to_owned(), net("10.1.0.0/23")), ("b".to_owned(), net("10.1.1.0/24"))];
        assert!(check_layout(vpc, &overlap).unwrap_err().to_string().contains("overlap"));
        let outside = vec![("a".to_owned(), net("10.2.0.0/24"))];
        assert!(check_layout(vpc, &outside).unwrap_err().to_string().contains("does not fit"));
    }

    fn layout_strategy() -> impl Strategy<Value = (Ipv4Net, u8)> {
        (any::<u32>(), 16u8..=26).prop_flat_map(|(addr, vpc_prefix)| {
            let vpc = Ipv4Net::new(Ipv4Addr::from(addr), vpc_prefix).unwrap().trunc();
            (Just(vpc), (vpc_prefix + 2)..=28)
        })
    }

    proptest! {
        #[test]
        fn planned_subnets_never_overlap_and_stay_inside((vpc, prefix) in layout_strategy(), azs in 1usize..=8, per_az in 1usize..=4) {
            let l = SlotLayout::new(vpc, prefix).unwrap();
            let mut all = Vec::new();
            for tier in [Tier::Public, Tier::Private] {
                for az in 0..azs.min(l.max_azs()) {
                    for ord in 0..per_az.min(l.max_per_az()) {
                        all.push((format!("{tier:?}-{az}-{ord}"), l.cidr(tier, az, ord).unwrap()));
                    }
                }
            }
            prop_assert!(check_layout(vpc, &all).is_ok());
        }

    }

    #[test]
    fn ssh_sources_are_counted_together() {
        let nets = |list: &[&str]| list.iter().map(|n| parse_cidr(n).unwrap()).collect::<Vec<_>>();
        assert_eq!(addresses_covered(&nets(&["0.0.0.0/0"])), 1 << 32);
        assert_eq!(addresses_covered(&nets(&["0.0.0.0/1", "128.0.0.0/1"])), 1 << 32);
        assert_eq!(addresses_covered(&nets(&["10.0.0.0/8", "10.1.0.0/16"])), SSH_SOURCES_MAX_ADDRESSES, "overlaps once");
        assert_eq!(addresses_covered(&nets(&["203.0.113.7/32", "198.51.100.0/24"])), 257);
        assert_eq!(addresses_covered(&[]), 0);
    }
}
