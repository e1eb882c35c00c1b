//! The connect guard: outbound SSH/TCP connections go only to networks on an allow-list
//! (the target VPC, the bastion, what the user names), so neither a test nor a mistyped
//! target can ever reach an address that belongs to someone else.

use crate::error::{Error, Result};
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectGuard {
    allowed: Vec<IpNet>,
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
    pub fn new(allowed: impl IntoIterator<Item = IpNet>) -> Self {
        ConnectGuard { allowed: allowed.into_iter().collect() }
    }

    pub fn allow(&mut self, net: IpNet) {
        if !self.allowed.contains(&net) {
            self.allowed.push(net);
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
    }

    pub fn check(&self, addr: SocketAddr) -> Result<()> {
        if self.permits(addr.ip()) {
            Ok(())
        } else {
            let list = self.allowed.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
            Err(Error::usage(format!(
                "refusing to connect to {addr}: not in the allowed networks [{list}]; add it with --allow CIDR if it is yours"
            )))
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
