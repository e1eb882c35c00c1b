//! The address arguments (`--bastion`, `--resolve`) parsed and checked up front, so a bad
//! one is a one-line usage error before any AWS call or connection. No network here.

use awsops_core::{Error, Result};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

/// What `--bastion` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BastionSpec {
    /// A host (name or address) and port, as typed.
    Address { host: String, port: u16 },
    /// An instance id or Name tag, looked up in EC2.
    Instance(String),
}

fn port(text: &str, what: &str) -> Result<u16> {
    match text.parse::<u16>() {
        Ok(0) => Err(Error::usage(format!("{what}: port 0 is not a port"))),
        Ok(p) => Ok(p),
        Err(_) => Err(Error::usage(format!("{what}: {text:?} is not a port (1-65535)"))),
    }
}

fn host(text: &str, what: &str) -> Result<String> {
    let ok = !text.is_empty() && text.len() <= 253 && text.chars().all(|c| c.is_ascii_alphanumeric() || "-._:%".contains(c));
    if ok && !text.starts_with('-') {
        Ok(text.to_owned())
    } else {
        Err(Error::usage(format!("{what}: {text:?} is not a host name or address")))
    }
}

impl BastionSpec {
    /// `HOST`, `HOST:PORT`, `[V6]:PORT`, a bare IPv6 address, or an instance id / Name tag.
    pub fn parse(text: &str) -> Result<BastionSpec> {
        let what = format!("--bastion {text}");
        if let Some(rest) = text.strip_prefix('[') {
            let (h, after) = rest.split_once(']').ok_or_else(|| Error::usage(format!("{what}: missing ]")))?;
            let port = match after {
                "" => 22,
                p => port(p.strip_prefix(':').ok_or_else(|| Error::usage(format!("{what}: expected [HOST]:PORT")))?, &what)?,
            };
            return Ok(BastionSpec::Address { host: host(h, &what)?, port });
        }
        if text.parse::<IpAddr>().is_ok() {
            return Ok(BastionSpec::Address { host: text.to_owned(), port: 22 });
        }
        match text.split_once(':') {
            Some((h, p)) if !p.contains(':') => Ok(BastionSpec::Address { host: host(h, &what)?, port: port(p, &what)? }),
            Some(_) => Err(Error::usage(format!("{what}: write an IPv6 address with a port as [ADDR]:PORT"))),
            None if text.contains('.') => Ok(BastionSpec::Address { host: host(text, &what)?, port: 22 }),
            None if text.trim().is_empty() => Err(Error::usage("--bastion is empty")),
            None => Ok(BastionSpec::Instance(text.to_owned())),
        }
    }
}

/// `--resolve NAME=ADDR:PORT` entries (`[V6]:PORT` for IPv6).
pub fn resolve_map(entries: &[String]) -> Result<HashMap<String, SocketAddr>> {
    entries
        .iter()
        .map(|e| {
            let (name, addr) = e.split_once('=').ok_or_else(|| Error::usage(format!("--resolve {e}: expected NAME=ADDR:PORT")))?;
            let name = host(name.trim_matches(['[', ']']), &format!("--resolve {e}"))?;
            let addr: SocketAddr = addr.parse().map_err(|_| Error::usage(format!("--resolve {e}: {addr} is not ADDR:PORT")))?;
            if addr.port() == 0 {
                return Err(Error::usage(format!("--resolve {e}: port 0 is not a port")));
            }
            Ok((name, addr))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn addr(host: &str, port: u16) -> BastionSpec {
        BastionSpec::Address { host: host.into(), port }
    }

    #[test]
    fn bastions_parse_like_ssh_hosts() {
        assert_eq!(BastionSpec::parse("[::1]:22").unwrap(), addr("::1", 22));
        assert_eq!(BastionSpec::parse("[::1]:2222").unwrap(), addr("::1", 2222));
        assert_eq!(BastionSpec::parse("[fe80::1%eth0]").unwrap(), addr("fe80::1%eth0", 22));
        assert_eq!(BastionSpec::parse("::1").unwrap(), addr("::1", 22));
        assert_eq!(BastionSpec::parse("203.0.113.9").unwrap(), addr("203.0.113.9", 22));
        assert_eq!(BastionSpec::parse("203.0.113.9:2200").unwrap(), addr("203.0.113.9", 2200));
        assert_eq!(BastionSpec::parse("jump.example.com").unwrap(), addr("jump.example.com", 22));
        assert_eq!(BastionSpec::parse("jump:2200").unwrap(), addr("jump", 2200));
        assert_eq!(BastionSpec::parse("bastion").unwrap(), BastionSpec::Instance("bastion".into()));
        assert_eq!(BastionSpec::parse("i-0123456789abcdef0").unwrap(), BastionSpec::Instance("i-0123456789abcdef0".into()));
        for bad in ["[::1]:0", "h:0", "h:x", "[::1", "[::1]22", "fe80::1:99999", "[]:22", "-oProxyCommand=x.y", "", "a b.c", "h:70000"] {
            let e = BastionSpec::parse(bad).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{bad}");
            assert!(!e.to_string().contains('\n'));
        }
    }

    #[test]
    fn resolve_entries() {
        let m = resolve_map(&["10.1.0.5=127.0.0.1:2222".into(), "web=[::1]:22".into()]).unwrap();
        assert_eq!(m["10.1.0.5"], "127.0.0.1:2222".parse().unwrap());
        assert_eq!(m["web"], "[::1]:22".parse().unwrap());
        for bad in ["x", "h=127.0.0.1", "h=127.0.0.1:0", "=127.0.0.1:22", "h=nowhere:22"] {
            assert_eq!(resolve_map(&[bad.into()]).unwrap_err().exit_code(), 2, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn any_text_parses_or_is_a_usage_error(text in ".{0,40}") {
            match BastionSpec::parse(&text) {
                Ok(BastionSpec::Address { port, .. }) => prop_assert!(port > 0),
                Ok(BastionSpec::Instance(_)) => {}
                Err(e) => prop_assert_eq!(e.exit_code(), 2),
            }
        }
    }
}
