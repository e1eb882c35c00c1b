//! The connect guard: outbound SSH/TCP connections go only to networks on an allow-list,
//! so neither a test nor a mistyped target can ever reach an address that belongs to
//! someone else. The list has two tiers: what the user named (`--allow`, `--resolve`, an
//! address typed on the command line), which is always dialled; and what AWS data says
//! (a VPC's CIDRs, an instance's public address), which counts only when the data comes
//! from AWS itself, never from an emulator or any other `--endpoint-url`, and never opens
//! loopback, link-local, metadata or other special addresses: those only when named.

use crate::error::{Error, Result};
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectGuard {
    /// Named by the user: always allowed.
    allowed: Vec<IpNet>,
    /// From AWS data: allowed only for ordinary addresses, and only when `trust_aws`.
    from_aws: Vec<IpNet>,
    trust_aws: bool,
}

/// Whether the endpoint the AWS data comes from is AWS itself: no `--endpoint-url` (nor
/// the SDK's EC2-specific override), or one under AWS's own domains.
pub fn aws_endpoint(endpoint_url: Option<&str>) -> bool {
    let ec2_override = std::env::var("AWS_ENDPOINT_URL_EC2").ok().filter(|u| !u.is_empty());
    [endpoint_url, ec2_override.as_deref()].into_iter().flatten().all(|url| {
        let host = url.split_once("://").map_or(url, |(_, rest)| rest);
        let host = host.split(['/', '?', '#']).next().unwrap_or_default();
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        let host = host.split(':').next().unwrap_or_default().to_ascii_lowercase();
        [".amazonaws.com", ".amazonaws.com.cn", ".api.aws"].iter().any(|d| host.ends_with(d))
    })
}

/// Addresses no AWS answer may ever open: loopback, link-local (the instance metadata
/// service among them), unspecified, multicast, broadcast, and EC2's IPv6 metadata address.
pub fn is_special(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(v4) => v4.is_loopback() || v4.is_link_local() || v4.is_unspecified() || v4.is_multicast() || v4.is_broadcast(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_special(IpAddr::V4(v4)),
            None => {
                v6.is_loopback()
                    || v6.is_unspecified()
                    || v6.is_multicast()
                    || v6.is_unicast_link_local()
                    || v6 == std::net::Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254)
            }
        },
    }
}

/// Parses `10.0.0.0/16`, `192.0.2.7` (a single host) or `::1`.
pub fn parse_network(text: &str) -> Result<IpNet> {
    let text = text.trim();
    if let Ok(net) = IpNet::from_str(text) {
        if net.trunc() != net {
            return Err(Error::usage(format!("{text} has host bits set; did you mean {}?", net.trunc())));
        }
        return Ok(net);
    }
    IpAddr::from_str(text).map(IpNet::from).map_err(|_| Error::usage(format!("invalid network {text:?}: expected an address or CIDR")))
}

impl ConnectGuard {
    /// A guard over what the user named; `trust_aws` says whether AWS data may add to it
    /// (see [`aws_endpoint`]).
    pub fn new(allowed: impl IntoIterator<Item = IpNet>) -> Self {
        ConnectGuard { allowed: allowed.into_iter().collect(), from_aws: Vec::new(), trust_aws: false }
    }

    /// Lets AWS data (VPC CIDRs, instance addresses) widen the list: only for real AWS.
    pub fn trusting_aws(mut self, trust: bool) -> Self {
        self.trust_aws = trust;
        self
    }

    /// An address or network the user named.
    pub fn allow(&mut self, net: IpNet) {
        if !self.allowed.contains(&net) {
            self.allowed.push(net);
        }
    }

    /// An address or network AWS data names: dialled only when the guard trusts AWS, and
    /// never for a special address (see [`is_special`]).
    pub fn allow_from_aws(&mut self, net: IpNet) {
        if !self.from_aws.contains(&net) {
            self.from_aws.push(net);
        }
    }

    pub fn allowed(&self) -> &[IpNet] {
        &self.allowed
    }

    pub fn permits(&self, addr: IpAddr) -> bool {
        let addr = match addr {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(IpAddr::V6(v6)),
            v4 => v4,
        };
        self.allowed.iter().any(|net| net.contains(&addr))
            || (self.trust_aws && !is_special(addr) && self.from_aws.iter().any(|net| net.contains(&addr)))
    }

    pub fn check(&self, addr: SocketAddr) -> Result<()> {
        if self.permits(addr.ip()) {
            Ok(())
        } else {
            let list = self.allowed.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
            let why = if is_special(addr.ip()) {
                "a loopback, link-local or metadata address is dialled only when named with --allow or --resolve"
            } else if !self.trust_aws && !self.from_aws.is_empty() {
                "addresses from a non-AWS --endpoint-url are dialled only when mapped with --resolve or named with --allow"
            } else {
                "add it with --allow CIDR if it is yours"
            };
            Err(Error::usage(format!("refusing to connect to {addr}: not in the allowed networks [{list}]; {why}")))
        }
    }

    /// Connects only when the guard permits the address.
    pub fn connect(&self, addr: SocketAddr, timeout: Duration) -> Result<TcpStream> {
        self.check(addr)?;
        TcpStream::connect_timeout(&addr, timeout).map_err(|e| Error::failed(format!("cannot connect to {addr}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn guard(nets: &[&str]) -> ConnectGuard {
        ConnectGuard::new(nets.iter().map(|n| parse_network(n).unwrap()))
    }

    #[test]
    fn only_allowed_networks_pass() {
        let g = guard(&["127.0.0.0/8", "10.1.0.0/16"]);
        assert!(g.check("127.0.0.1:22".parse().unwrap()).is_ok());
        assert!(g.check("10.1.200.4:22".parse().unwrap()).is_ok());
        let err = g.check("10.2.0.1:22".parse().unwrap()).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("10.2.0.1:22") && err.to_string().contains("--allow"));
        assert!(g.check("[::ffff:127.0.0.1]:22".parse().unwrap()).is_ok(), "v4-mapped v6 is judged as v4");
        assert!(!guard(&[]).permits("127.0.0.1".parse().unwrap()), "an empty guard allows nothing");
    }

    #[test]
    fn hosts_and_networks_parse() {
        assert_eq!(parse_network("192.0.2.7").unwrap().to_string(), "192.0.2.7/32");
        assert_eq!(parse_network("::1").unwrap().to_string(), "::1/128");
        assert!(parse_network("10.0.0.1/16").unwrap_err().to_string().contains("10.0.0.0/16"));
        assert_eq!(parse_network("nonsense").unwrap_err().exit_code(), 2);
        assert_eq!(parse_network("10.0.0.0/33").unwrap_err().exit_code(), 2);
    }

    #[test]
    fn refused_connections_never_touch_the_network() {
        let g = guard(&["127.0.0.0/8"]);
        assert!(g.connect("192.0.2.1:9".parse().unwrap(), Duration::from_millis(1)).is_err());
    }

    #[test]
    fn aws_data_never_opens_special_addresses_nor_counts_from_an_emulator() {
        let mut g = ConnectGuard::new([]).trusting_aws(true);
        for net in ["10.1.0.0/16", "127.0.0.1", "169.254.169.254", "0.0.0.0/0", "::/0"] {
            g.allow_from_aws(parse_network(net).unwrap());
        }
        assert!(g.permits("10.1.2.3".parse().unwrap()));
        assert!(g.permits("203.0.113.9".parse().unwrap()), "a public bastion address from AWS");
        for special in ["127.0.0.1", "169.254.169.254", "::1", "fe80::1", "fd00:ec2::254", "::ffff:127.0.0.1", "0.0.0.0", "224.0.0.1"] {
            assert!(!g.permits(special.parse().unwrap()), "{special}");
        }
        let err = g.check("169.254.169.254:22".parse().unwrap()).unwrap_err().to_string();
        assert!(err.contains("only when named"), "{err}");
        g.allow(parse_network("127.0.0.1").unwrap());
        assert!(g.permits("127.0.0.1".parse().unwrap()), "named by the user");
        let mut emulated = ConnectGuard::new([]);
        emulated.allow_from_aws(parse_network("10.1.0.0/16").unwrap());
        let err = emulated.check("10.1.2.3:22".parse().unwrap()).unwrap_err().to_string();
        assert!(err.contains("non-AWS --endpoint-url"), "{err}");
    }

    #[test]
    fn only_aws_endpoints_are_aws() {
        assert!(aws_endpoint(None));
        assert!(aws_endpoint(Some("https://ec2.ap-northeast-2.amazonaws.com")));
        assert!(aws_endpoint(Some("https://vpce-1.ec2.us-east-1.vpce.amazonaws.com/")));
        assert!(aws_endpoint(Some("https://ec2.cn-north-1.amazonaws.com.cn")));
        assert!(!aws_endpoint(Some("http://127.0.0.1:5000")));
        assert!(!aws_endpoint(Some("http://amazonaws.com.evil.example/")));
        assert!(!aws_endpoint(Some("http://user@x.amazonaws.com.evil:80")), "the host, not the user part, counts");
    }

    proptest! {
        #[test]
        fn permits_exactly_the_members(a in any::<u32>(), b in any::<u32>(), prefix in 0u8..=32) {
            let net = IpNet::from(ipnet::Ipv4Net::new(std::net::Ipv4Addr::from(a), prefix).unwrap().trunc());
            let g = ConnectGuard::new([net]);
            let addr = IpAddr::V4(std::net::Ipv4Addr::from(b));
            prop_assert_eq!(g.permits(addr), net.contains(&addr));
        }
    }
}
