//! Port forwards over the target session: local (`-L [bind:]port:host:port`) and dynamic
//! (`-D [bind:]port`, a SOCKS5 server as `ssh -D` runs), several at once; each accepted
//! connection gets its own direct-tcpip channel from the target, pumped in its own thread.

use crate::pump::{open_direct, pump, write_all};
use crate::socks;
use awsops_core::{Error, Result};
use ssh2::Session;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    pub bind: String,
    pub port: u16,
    pub host: String,
    pub host_port: u16,
}

/// A `-D [BIND:]PORT` SOCKS5 listener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dynamic {
    pub bind: String,
    pub port: u16,
}

/// Splits at the colons outside `[…]`, dropping the brackets: `[::1]:80:h:22` → `::1`, `80`, `h`, `22`.
fn fields(text: &str) -> Option<Vec<String>> {
    let (mut out, mut field, mut depth) = (Vec::new(), String::new(), false);
    for c in text.chars() {
        match c {
            '[' if !depth && field.is_empty() => depth = true,
            ']' if depth => depth = false,
            ':' if !depth => out.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    if depth {
        return None;
    }
    out.push(field);
    Some(out)
}

fn port(text: &str, flag: &str, spec: &str) -> Result<u16> {
    match text.parse::<u16>() {
        Ok(0) => Err(Error::usage(format!("{flag} {spec}: port 0 is not a port"))),
        Ok(p) => Ok(p),
        Err(_) => Err(Error::usage(format!("{flag} {spec}: {text:?} is not a port (1-65535)"))),
    }
}

fn bind_addr(text: &str, flag: &str, spec: &str) -> Result<String> {
    match text {
        "" | "localhost" => Ok("127.0.0.1".into()),
        "*" => Ok("0.0.0.0".into()),
        t if t.parse::<std::net::IpAddr>().is_ok() => Ok(t.to_owned()),
        t => Err(Error::usage(format!("{flag} {spec}: bind address {t:?} is not an IP address"))),
    }
}

impl Forward {
    /// `port:host:hostport` or `bind:port:host:hostport` (bind defaults to 127.0.0.1;
    /// IPv6 addresses in brackets).
    pub fn parse(text: &str) -> Result<Forward> {
        let bad = || Error::usage(format!("-L {text}: expected [BIND:]PORT:HOST:HOSTPORT"));
        let parts = fields(text).ok_or_else(bad)?;
        let (bind, rest) = match parts.len() {
            3 => ("", &parts[..]),
            4 => (parts[0].as_str(), &parts[1..]),
            _ => return Err(bad()),
        };
        if rest[1].is_empty() || !rest[1].chars().all(|c| c.is_ascii_alphanumeric() || "-._:%".contains(c)) {
            return Err(bad());
        }
        Ok(Forward {
            bind: bind_addr(bind, "-L", text)?,
            port: port(&rest[0], "-L", text)?,
            host: rest[1].clone(),
            host_port: port(&rest[2], "-L", text)?,
        })
    }
}

impl Dynamic {
    /// `port` or `bind:port`, as `ssh -D` takes it.
    pub fn parse(text: &str) -> Result<Dynamic> {
        let parts = fields(text).ok_or_else(|| Error::usage(format!("-D {text}: expected [BIND:]PORT")))?;
        match &parts[..] {
            [p] => Ok(Dynamic { bind: "127.0.0.1".into(), port: port(p, "-D", text)? }),
            [b, p] => Ok(Dynamic { bind: bind_addr(b, "-D", text)?, port: port(p, "-D", text)? }),
            _ => Err(Error::usage(format!("-D {text}: expected [BIND:]PORT"))),
        }
    }
}

/// What a listener serves.
#[derive(Debug, Clone)]
pub enum Listen {
    Local(Forward),
    Socks(Dynamic),
}

impl Listen {
    fn bind_port(&self) -> (&str, u16) {
        match self {
            Listen::Local(f) => (&f.bind, f.port),
            Listen::Socks(d) => (&d.bind, d.port),
        }
    }
}

/// Binds every listener first (so a taken port fails before anything runs); returns them
/// with what they serve.
pub fn bind(listens: &[Listen]) -> Result<Vec<(TcpListener, Listen)>> {
    listens
        .iter()
        .map(|l| {
            let (host, port) = l.bind_port();
            TcpListener::bind((host, port))
                .map(|t| (t, l.clone()))
                .map_err(|e| Error::usage(format!("cannot listen on {host}:{port}: {e}")))
        })
        .collect()
}

/// Bridges an accepted connection to its channel; `early` is what the client already sent.
fn bridge(session: &Session, mut conn: TcpStream, mut channel: ssh2::Channel, early: &[u8]) -> std::io::Result<()> {
    write_all(session, &mut channel, early)?;
    conn.set_nonblocking(true)?;
    conn.set_nodelay(true).ok();
    let shut = |s: &mut TcpStream| {
        s.shutdown(Shutdown::Write).ok();
    };
    let result = pump(session, &mut channel, &mut conn, &shut, None, None).map(|_| ());
    let _ = channel.close();
    result
}

/// Reads from a (blocking) client until `parse` decides.
fn read_until<T>(
    conn: &mut TcpStream,
    buf: &mut Vec<u8>,
    parse: impl Fn(&[u8]) -> socks::Parsed<T>,
) -> std::io::Result<Option<(T, usize)>> {
    let mut chunk = [0u8; 512];
    loop {
        match parse(buf) {
            socks::Parsed::Done(v, n) => return Ok(Some((v, n))),
            socks::Parsed::Refused(reply) => {
                if let Some(r) = reply {
                    conn.write_all(&r)?;
                }
                return Ok(None);
            }
            socks::Parsed::Incomplete if buf.len() > 600 => return Ok(None),
            socks::Parsed::Incomplete => {}
        }
        let n = conn.read(&mut chunk)?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// One SOCKS5 client: the handshake (blocking, bounded by a timeout), then a channel to
/// where it asked, from the target.
fn serve_socks(session: &Session, mut conn: TcpStream) -> std::io::Result<()> {
    conn.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    let mut buf = Vec::new();
    let Some(((), used)) = read_until(&mut conn, &mut buf, socks::greeting)? else { return Ok(()) };
    conn.write_all(&socks::method_reply())?;
    buf.drain(..used);
    let Some((dest, used)) = read_until(&mut conn, &mut buf, socks::request)? else { return Ok(()) };
    buf.drain(..used);
    conn.set_read_timeout(None)?;
    // Open before answering, so a refused destination is reported to the client.
    let channel = match open_direct(session, &dest.host, dest.port) {
        Ok(channel) => channel,
        Err(e) => {
            conn.write_all(&socks::reply(socks::Reply::GeneralFailure))?;
            return Err(e);
        }
    };
    conn.write_all(&socks::reply(socks::Reply::Succeeded))?;
    bridge(session, conn, channel, &buf)
}

/// Serves the listeners until the process is stopped.
pub fn run(session: &Session, listeners: Vec<(TcpListener, Listen)>) -> Result<()> {
    session.set_blocking(false);
    let mut handles = Vec::new();
    for (listener, what) in listeners {
        let session = session.clone();
        handles.push(std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (s, what) = (session.clone(), what.clone());
                std::thread::spawn(move || {
                    let result = match &what {
                        Listen::Local(f) => open_direct(&s, &f.host, f.host_port).and_then(|c| bridge(&s, conn, c, &[])),
                        Listen::Socks(_) => serve_socks(&s, conn),
                    };
                    if let Err(e) = result {
                        tracing::warn!("forward closed: {e}");
                    }
                });
            }
        }));
    }
    for h in handles {
        let _ = h.join();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_like_ssh() {
        assert_eq!(
            Forward::parse("8080:localhost:80").unwrap(),
            Forward { bind: "127.0.0.1".into(), port: 8080, host: "localhost".into(), host_port: 80 }
        );
        assert_eq!(Forward::parse("0.0.0.0:5432:db:5432").unwrap().bind, "0.0.0.0");
        assert_eq!(
            Forward::parse("[::1]:8080:[fd00::5]:22").unwrap(),
            Forward { bind: "::1".into(), port: 8080, host: "fd00::5".into(), host_port: 22 }
        );
        for bad in
            ["8080", "x:h:80", "1:2:3:4:5", "80::80", "8080:h:0", "0:h:80", "[::1:80:h:22", "8080:h:70000", "nope:80:h:22", "80:h h:22"]
        {
            let e = Forward::parse(bad).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{bad}");
            assert!(!e.to_string().contains('\n'));
        }
        assert!(Forward::parse("8080:h:0").unwrap_err().to_string().contains("port 0"));
        assert_eq!(Dynamic::parse("1080").unwrap(), Dynamic { bind: "127.0.0.1".into(), port: 1080 });
        assert_eq!(Dynamic::parse("[::1]:1080").unwrap(), Dynamic { bind: "::1".into(), port: 1080 });
        assert_eq!(Dynamic::parse("*:1080").unwrap().bind, "0.0.0.0");
        for bad in ["0", "x", "1:2:3", "h:1080", ""] {
            assert_eq!(Dynamic::parse(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }
}
