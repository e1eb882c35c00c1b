//! The SOCKS5 handshake `-D` speaks (RFC 1928, as `ssh -D` does): no authentication, the
//! CONNECT command, IPv4, IPv6 and domain-name destinations. Pure parsing and reply
//! building over byte buffers, so it is tested without a socket; forward.rs does the I/O.

/// Where a client asked to go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub host: String,
    pub port: u16,
}

/// SOCKS5 reply codes used here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    Succeeded = 0,
    GeneralFailure = 1,
    HostUnreachable = 4,
    CommandNotSupported = 7,
    AddressTypeNotSupported = 8,
}

/// What a parse of the bytes so far found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed<T> {
    /// More bytes are needed.
    Incomplete,
    /// The value, and how many bytes it took.
    Done(T, usize),
    /// The client spoke something else: close after sending `reply` (if any).
    Refused(Option<Vec<u8>>),
}

/// The method-selection message: `05 N methods…`. Done(()) means "no authentication" was
/// offered; the answer to send is [`method_reply`].
pub fn greeting(buf: &[u8]) -> Parsed<()> {
    let [version, count, ..] = buf else { return Parsed::Incomplete };
    if *version != 5 {
        return Parsed::Refused(None);
    }
    let end = 2 + usize::from(*count);
    let Some(methods) = buf.get(2..end) else { return Parsed::Incomplete };
    if methods.contains(&0) { Parsed::Done((), end) } else { Parsed::Refused(Some(vec![5, 0xff])) }
}

/// The server's choice: no authentication.
pub fn method_reply() -> [u8; 2] {
    [5, 0]
}

/// The request: `05 CMD 00 ATYP ADDR PORT`; only CONNECT is accepted.
pub fn request(buf: &[u8]) -> Parsed<Destination> {
    let [version, command, _reserved, atyp, rest @ ..] = buf else { return Parsed::Incomplete };
    if *version != 5 {
        return Parsed::Refused(None);
    }
    let (host, used) = match atyp {
        1 => match rest.get(..4) {
            Some(a) => (std::net::Ipv4Addr::new(a[0], a[1], a[2], a[3]).to_string(), 4),
            None => return Parsed::Incomplete,
        },
        4 => match rest.get(..16).and_then(|a| <[u8; 16]>::try_from(a).ok()) {
            Some(a) => (std::net::Ipv6Addr::from(a).to_string(), 16),
            None => return Parsed::Incomplete,
        },
        3 => {
            let Some(&len) = rest.first() else { return Parsed::Incomplete };
            let Some(name) = rest.get(1..1 + usize::from(len)) else { return Parsed::Incomplete };
            match std::str::from_utf8(name) {
                Ok(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_graphic()) => (n.to_owned(), 1 + usize::from(len)),
                _ => return Parsed::Refused(Some(reply(Reply::HostUnreachable))),
            }
        }
        _ => return Parsed::Refused(Some(reply(Reply::AddressTypeNotSupported))),
    };
    let Some(port) = rest.get(used..used + 2) else { return Parsed::Incomplete };
    if *command != 1 {
        return Parsed::Refused(Some(reply(Reply::CommandNotSupported)));
    }
    Parsed::Done(Destination { host, port: u16::from_be_bytes([port[0], port[1]]) }, 4 + used + 2)
}

/// A reply with the bound address left as 0.0.0.0:0 (clients ignore it for CONNECT).
pub fn reply(code: Reply) -> Vec<u8> {
    vec![5, code as u8, 0, 1, 0, 0, 0, 0, 0, 0]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn greetings() {
        assert_eq!(greeting(&[5]), Parsed::Incomplete);
        assert_eq!(greeting(&[5, 2, 2]), Parsed::Incomplete);
        assert_eq!(greeting(&[5, 2, 2, 0, 9]), Parsed::Done((), 4));
        assert_eq!(greeting(&[5, 1, 2]), Parsed::Refused(Some(vec![5, 0xff])), "only user/password offered");
        assert_eq!(greeting(&[4, 1, 0]), Parsed::Refused(None), "SOCKS4 is not spoken");
    }

    #[test]
    fn requests_of_each_address_type() {
        let v4 = [5, 1, 0, 1, 10, 1, 2, 3, 0x1f, 0x90];
        assert_eq!(request(&v4), Parsed::Done(Destination { host: "10.1.2.3".into(), port: 8080 }, 10));
        assert_eq!(request(&v4[..9]), Parsed::Incomplete);
        let mut v6 = vec![5, 1, 0, 4];
        v6.extend(std::net::Ipv6Addr::LOCALHOST.octets());
        v6.extend([0, 22]);
        assert_eq!(request(&v6), Parsed::Done(Destination { host: "::1".into(), port: 22 }, 22));
        let mut name = vec![5, 1, 0, 3, 9];
        name.extend(b"localhost");
        name.extend([0, 80, 0xAA]);
        assert_eq!(request(&name), Parsed::Done(Destination { host: "localhost".into(), port: 80 }, 16), "trailing data is not taken");
        assert_eq!(request(&[5, 2, 0, 1, 1, 2, 3, 4, 0, 80]), Parsed::Refused(Some(reply(Reply::CommandNotSupported))), "BIND");
        assert_eq!(request(&[5, 1, 0, 9, 0]), Parsed::Refused(Some(reply(Reply::AddressTypeNotSupported))));
        assert_eq!(request(&[5, 1, 0, 3, 2, b' ', b'x', 0, 80]), Parsed::Refused(Some(reply(Reply::HostUnreachable))));
        assert_eq!(request(&[5, 1, 0, 3, 0, 0, 80]), Parsed::Refused(Some(reply(Reply::HostUnreachable))), "an empty name");
        assert_eq!(reply(Reply::Succeeded)[..2], [5, 0]);
    }

    proptest! {
        /// Any bytes: a verdict without panicking, and a Done never claims more than it saw.
        #[test]
        fn any_bytes_are_judged(buf in prop::collection::vec(any::<u8>(), 0..300)) {
            if let Parsed::Done(_, n) = greeting(&buf) { prop_assert!(n <= buf.len()); }
            if let Parsed::Done(_, n) = request(&buf) { prop_assert!(n <= buf.len()); }
        }

        /// A complete request for a name parses back to it, whatever follows.
        #[test]
        fn names_round_trip(name in "[a-z0-9.-]{1,60}", port in any::<u16>(), tail in prop::collection::vec(any::<u8>(), 0..8)) {
            let mut buf = vec![5, 1, 0, 3, u8::try_from(name.len()).unwrap()];
            buf.extend(name.as_bytes());
            buf.extend(port.to_be_bytes());
            let used = buf.len();
            buf.extend(tail);
            prop_assert_eq!(request(&buf), Parsed::Done(Destination { host: name, port }, used));
        }
    }
}
