//! Local port forwards over the target session (`-L [bind:]port:host:port`, several at
//! once): each accepted connection gets its own direct-tcpip channel from the target,
//! pumped in its own thread.

use crate::pump::pump;
use awsops_core::{Error, Result};
use ssh2::Session;
use std::net::{Shutdown, TcpListener, TcpStream};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forward {
    pub bind: String,
    pub port: u16,
    pub host: String,
    pub host_port: u16,
}

impl Forward {
    /// `port:host:hostport` or `bind:port:host:hostport` (bind defaults to 127.0.0.1).
    pub fn parse(text: &str) -> Result<Forward> {
        let bad = || Error::usage(format!("-L {text}: expected [BIND:]PORT:HOST:HOSTPORT"));
        let parts: Vec<&str> = text.split(':').collect();
        let (bind, rest) = match parts.len() {
            3 => ("127.0.0.1", &parts[..]),
            4 => (parts[0], &parts[1..]),
            _ => return Err(bad()),
        };
        let port = rest[0].parse().map_err(|_| bad())?;
        let host_port = rest[2].parse().map_err(|_| bad())?;
        if rest[1].is_empty() {
            return Err(bad());
        }
        Ok(Forward { bind: bind.to_owned(), port, host: rest[1].to_owned(), host_port })
    }
}

/// Binds every listener first (so a taken port fails before anything runs); returns them
/// with their bound addresses.
pub fn bind(forwards: &[Forward]) -> Result<Vec<(TcpListener, Forward)>> {
    forwards
        .iter()
        .map(|f| {
            TcpListener::bind((f.bind.as_str(), f.port))
                .map(|l| (l, f.clone()))
                .map_err(|e| Error::usage(format!("cannot listen on {}:{}: {e}", f.bind, f.port)))
        })
        .collect()
}

fn open_channel(session: &Session, f: &Forward) -> std::io::Result<ssh2::Channel> {
    loop {
        match session.channel_direct_tcpip(&f.host, f.host_port, None) {
            Ok(c) => return Ok(c),
            Err(e) if e.code() == ssh2::ErrorCode::Session(-37) => std::thread::sleep(std::time::Duration::from_millis(2)),
            Err(e) => return Err(e.into()),
        }
    }
}

fn serve(session: Session, mut conn: TcpStream, f: Forward) {
    let mut channel = match open_channel(&session, &f) {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!("forward to {}:{} refused: {e}", f.host, f.host_port);
            return;
        }
    };
    conn.set_nonblocking(true).ok();
    conn.set_nodelay(true).ok();
    let shut = |s: &mut TcpStream| {
        s.shutdown(Shutdown::Write).ok();
    };
    if let Err(e) = pump(&session, &mut channel, &mut conn, &shut, None, None) {
        tracing::debug!("forward closed: {e}");
    }
    let _ = channel.close();
}

/// Serves the listeners until the process is stopped.
pub fn run(session: &Session, listeners: Vec<(TcpListener, Forward)>) -> Result<()> {
    session.set_blocking(false);
    let mut handles = Vec::new();
    for (listener, f) in listeners {
        let session = session.clone();
        handles.push(std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (s, f) = (session.clone(), f.clone());
                std::thread::spawn(move || serve(s, conn, f));
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
        for bad in ["8080", "x:h:80", "1:2:3:4:5", "80::80"] {
            assert_eq!(Forward::parse(bad).unwrap_err().exit_code(), 2, "{bad}");
        }
    }
}
