//! Port forwards over the target session: local (`-L [bind:]port:host:port`), dynamic
//! (`-D [bind:]port`, a SOCKS5 server as `ssh -D` runs) and remote (`-R [bind:]port:host:port`,
//! the target listens and each connection comes back to be connected from here), several at
//! once; each connection gets its own channel, pumped in its own thread.

use crate::pump::{open_direct, pump, retry, write_all};
use crate::socks;
use awsops_core::{Error, Result};
use ssh2::Session;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    pub bind: String,
    pub port: u16,
    pub host: String,
    pub host_port: u16,
}

/// A `-R [BIND:]PORT:HOST:HOSTPORT` remote forward: the target listens on BIND:PORT (sshd's
/// GatewayPorts decides whether BIND may be other than its loopback; PORT 0 lets it choose),
/// and each connection to it is carried back and connected from here to HOST:HOSTPORT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    pub bind: String,
    pub port: u16,
    pub host: String,
    pub host_port: u16,
    /// The spec as given, for messages.
    pub spec: String,
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
        let [bind, listen, host, host_port] = four_fields(text, "-L")?;
        Ok(Forward {
            bind: bind_addr(&bind, "-L", text)?,
            port: port(&listen, "-L", text)?,
            host,
            host_port: port(&host_port, "-L", text)?,
        })
    }
}

/// `[BIND:]PORT:HOST:HOSTPORT` split into its four fields (BIND empty when absent); the
/// host checked for characters a host name or address can have.
fn four_fields(text: &str, flag: &str) -> Result<[String; 4]> {
    let bad = || Error::usage(format!("{flag} {text}: expected [BIND:]PORT:HOST:HOSTPORT"));
    let mut parts = fields(text).ok_or_else(bad)?;
    if parts.len() == 3 {
        parts.insert(0, String::new());
    }
    let parts: [String; 4] = parts.try_into().map_err(|_| bad())?;
    if parts[2].is_empty() || !parts[2].chars().all(|c| c.is_ascii_alphanumeric() || "-._:%".contains(c)) {
        return Err(bad());
    }
    Ok(parts)
}

impl Remote {
    /// `port:host:hostport` or `bind:port:host:hostport`, as `ssh -R` takes them (bind
    /// defaults to the target's loopback; port 0 is the target's choice, reported on stderr).
    pub fn parse(text: &str) -> Result<Remote> {
        let [bind, listen, host, host_port] = four_fields(text, "-R")?;
        let listen = match listen.parse::<u16>() {
            Ok(p) => p,
            Err(_) => return Err(Error::usage(format!("-R {text}: {listen:?} is not a port (0-65535)"))),
        };
        Ok(Remote {
            bind: bind_addr(&bind, "-R", text)?,
            port: listen,
            host,
            host_port: port(&host_port, "-R", text)?,
            spec: text.to_owned(),
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

/// A remote forward, listening on the target, with where its connections go from here
/// (resolved before connecting).
pub struct RemoteListen {
    pub remote: Remote,
    pub to: Vec<SocketAddr>,
}

/// Asks the target to listen for each remote forward (on a session still blocking); the
/// listeners, each with the port it got. A refusal (port taken, forwarding not allowed) is an
/// error before anything is served, as `ssh -o ExitOnForwardFailure=yes` has it.
fn listen_remote(session: &Session, remotes: Vec<RemoteListen>) -> Result<Vec<(ssh2::Listener, u16, RemoteListen)>> {
    remotes
        .into_iter()
        .map(|r| {
            let (listener, port) = session.channel_forward_listen(r.remote.port, Some(&r.remote.bind), None).map_err(|e| {
                Error::failed(format!(
                    "-R {}: the target refused to listen on {}:{} ({})",
                    r.remote.spec,
                    r.remote.bind,
                    r.remote.port,
                    e.message()
                ))
            })?;
            Ok((listener, port, r))
        })
        .collect()
}

/// Connects from here to the first of `to` that answers (10 s each).
fn connect_any(to: &[SocketAddr]) -> std::io::Result<TcpStream> {
    let mut last = std::io::Error::new(std::io::ErrorKind::NotFound, "no address");
    for addr in to {
        match TcpStream::connect_timeout(addr, std::time::Duration::from_secs(10)) {
            Ok(conn) => return Ok(conn),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Serves the listeners until the process is stopped.
pub fn run(session: &Session, listeners: Vec<(TcpListener, Listen)>, remotes: Vec<RemoteListen>) -> Result<()> {
    let remotes = listen_remote(session, remotes)?;
    session.set_blocking(false);
    let mut handles = Vec::new();
    for (mut listener, port, r) in remotes {
        if r.remote.port == 0 {
            // As ssh prints it: scripts read the port the target chose.
            eprintln!("bastion-ssh: allocated port {port} on the target for -R {}", r.remote.spec);
        }
        tracing::info!("forwarding {}:{port} on the target to {}:{}", r.remote.bind, r.remote.host, r.remote.host_port);
        let session = session.clone();
        handles.push(std::thread::spawn(move || {
            loop {
                let channel = match retry(&session, || listener.accept()) {
                    Ok(channel) => channel,
                    Err(e) => {
                        tracing::warn!("-R {}: stopped accepting: {e}", r.remote.spec);
                        return;
                    }
                };
                let (s, to) = (session.clone(), r.to.clone());
                std::thread::spawn(move || {
                    let result = match connect_any(&to) {
                        Ok(conn) => bridge(&s, conn, channel, &[]),
                        Err(e) => {
                            let mut channel = channel;
                            let _ = channel.close();
                            Err(e)
                        }
                    };
                    if let Err(e) = result {
                        tracing::warn!("remote forward closed: {e}");
                    }
                });
            }
        }));
    }
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
        assert_eq!(
            Remote::parse("9000:localhost:3000").unwrap(),
            Remote { bind: "127.0.0.1".into(), port: 9000, host: "localhost".into(), host_port: 3000, spec: "9000:localhost:3000".into() }
        );
        let any = Remote::parse("*:0:[::1]:22").unwrap();
        assert_eq!((any.bind.as_str(), any.port, any.host.as_str()), ("0.0.0.0", 0, "::1"), "port 0: the target chooses");
        for bad in ["9000", "9000:h:0", "x:9000:h:22", "70000:h:22", "9000:h h:22", "1:2:3:4:5", "9000::22"] {
            let e = Remote::parse(bad).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{bad}");
            assert!(e.to_string().starts_with("-R "), "{e}");
        }
    }
}
