//! Moving bytes between an SSH channel and a local socket without a thread per direction:
//! the session is non-blocking and one loop reads and writes whichever side is ready,
//! sleeping in epoll (through mio) on both file descriptors when neither side moved.

use mio::unix::SourceFd;
use mio::{Events, Interest, Poll, Token};
use ssh2::{Channel, Session};
use std::io::{ErrorKind, Read, Write};
use std::os::fd::AsRawFd;
use std::time::Duration;

const BUF: usize = 64 * 1024;

fn would_block(e: &std::io::Error) -> bool {
    e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::Interrupted
}

/// What the loop ended with.
pub struct Pumped {
    pub to_remote: u64,
    pub from_remote: u64,
}

/// Pumps until both directions are closed: the local side's EOF is sent as the channel's
/// EOF, the channel's EOF shuts the local side's write half. `stderr`, when given, gets the
/// channel's extended data. The session must be in non-blocking mode.
pub fn pump<L: Read + Write + AsRawFd>(
    session: &Session,
    channel: &mut Channel,
    local: &mut L,
    shutdown_local: &dyn Fn(&mut L),
    mut stderr: Option<&mut dyn Write>,
    mut tick: Option<&mut dyn FnMut(&mut Channel)>,
) -> std::io::Result<Pumped> {
    let mut poll = Poll::new()?;
    let session_fd = session.as_raw_fd();
    let local_fd = local.as_raw_fd();
    poll.registry().register(&mut SourceFd(&session_fd), Token(0), Interest::READABLE | Interest::WRITABLE)?;
    if local_fd != session_fd {
        poll.registry().register(&mut SourceFd(&local_fd), Token(1), Interest::READABLE | Interest::WRITABLE)?;
    }
    let mut events = Events::with_capacity(8);
    let (mut to_remote, mut to_local) = (Vec::with_capacity(BUF), Vec::with_capacity(BUF));
    let (mut local_eof, mut remote_eof, mut eof_sent, mut local_shut) = (false, false, false, false);
    let mut buf = vec![0u8; BUF];
    let mut totals = Pumped { to_remote: 0, from_remote: 0 };
    loop {
        let mut moved = false;
        if let Some(t) = tick.as_deref_mut() {
            t(channel);
        }
        // Channel → local.
        if to_local.is_empty() && !remote_eof {
            match channel.read(&mut buf) {
                Ok(0) => {
                    if channel.eof() {
                        remote_eof = true;
                        moved = true;
                    }
                }
                Ok(n) => {
                    to_local.extend_from_slice(&buf[..n]);
                    totals.from_remote += n as u64;
                    moved = true;
                }
                Err(e) if would_block(&e) => {}
                Err(e) => return Err(e),
            }
        }
        if let Some(err) = stderr.as_deref_mut() {
            match channel.stderr().read(&mut buf) {
                Ok(n) if n > 0 => {
                    err.write_all(&buf[..n])?;
                    err.flush()?;
                    moved = true;
                }
                Ok(_) => {}
                Err(e) if would_block(&e) => {}
                Err(e) => return Err(e),
            }
        }
        if !to_local.is_empty() {
            match local.write(&to_local) {
                Ok(n) => {
                    to_local.drain(..n);
                    moved = true;
                }
                Err(e) if would_block(&e) => {}
                Err(e) if e.kind() == ErrorKind::BrokenPipe => {
                    to_local.clear();
                    remote_eof = true;
                }
                Err(e) => return Err(e),
            }
        }
        if remote_eof && to_local.is_empty() && !local_shut {
            local.flush().ok();
            shutdown_local(local);
            local_shut = true;
        }
        // Local → channel.
        if to_remote.is_empty() && !local_eof {
            match local.read(&mut buf) {
                Ok(0) => {
                    local_eof = true;
                    moved = true;
                }
                Ok(n) => {
                    to_remote.extend_from_slice(&buf[..n]);
                    moved = true;
                }
                Err(e) if would_block(&e) => {}
                Err(e) if e.kind() == ErrorKind::ConnectionReset => local_eof = true,
                Err(e) => return Err(e),
            }
        }
        if !to_remote.is_empty() {
            match channel.write(&to_remote) {
                Ok(n) => {
                    to_remote.drain(..n);
                    totals.to_remote += n as u64;
                    moved = true;
                }
                Err(e) if would_block(&e) => {}
                Err(e) => return Err(e),
            }
        }
        if local_eof && to_remote.is_empty() && !eof_sent {
            match channel.send_eof() {
                Ok(()) => {
                    eof_sent = true;
                    moved = true;
                }
                Err(e) if again(&e) => {}
                Err(e) => return Err(e.into()),
            }
        }
        if remote_eof && local_shut && (eof_sent || local_eof) && to_remote.is_empty() {
            return Ok(totals);
        }
        if remote_eof && local_shut && !local_eof {
            // The remote side finished (a command exited): stop reading local input.
            return Ok(totals);
        }
        if !moved {
            poll.poll(&mut events, Some(Duration::from_millis(20)))?;
        }
    }
}

/// libssh2's "would block" (LIBSSH2_ERROR_EAGAIN) on a non-blocking session.
fn again(e: &ssh2::Error) -> bool {
    e.code() == ssh2::ErrorCode::Session(-37)
}

/// Calls `call` on a non-blocking session until it stops saying "would block", sleeping in
/// poll on the session's socket between tries. The wait is bounded (another thread sharing
/// the session may have taken the bytes that would have woken this one).
pub fn retry<T>(session: &Session, mut call: impl FnMut() -> Result<T, ssh2::Error>) -> std::io::Result<T> {
    let mut poll = Poll::new()?;
    let fd = session.as_raw_fd();
    poll.registry().register(&mut SourceFd(&fd), Token(0), Interest::READABLE)?;
    let mut events = Events::with_capacity(2);
    loop {
        match call() {
            Ok(v) => return Ok(v),
            Err(e) if again(&e) => poll.poll(&mut events, Some(Duration::from_millis(20)))?,
            Err(e) => return Err(e.into()),
        }
    }
}

/// Waits (non-blocking session) for the channel to close; its exit status.
pub fn close(session: &Session, channel: &mut Channel) -> std::io::Result<i32> {
    retry(session, || channel.wait_close())?;
    Ok(channel.exit_status()?)
}

/// Writes all of `bytes` to a channel of a non-blocking session, waiting for the socket
/// between partial writes.
pub fn write_all(session: &Session, channel: &mut Channel, mut bytes: &[u8]) -> std::io::Result<()> {
    let mut poll = Poll::new()?;
    let fd = session.as_raw_fd();
    poll.registry().register(&mut SourceFd(&fd), Token(0), Interest::READABLE | Interest::WRITABLE)?;
    let mut events = Events::with_capacity(2);
    while !bytes.is_empty() {
        match channel.write(bytes) {
            Ok(n) => bytes = &bytes[n..],
            Err(e) if would_block(&e) => poll.poll(&mut events, Some(Duration::from_millis(20)))?,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// A direct-tcpip channel from the session's host to `host:port`, on a session that may be
/// non-blocking and shared with other threads' channels.
pub fn open_direct(session: &Session, host: &str, port: u16) -> std::io::Result<Channel> {
    retry(session, || session.channel_direct_tcpip(host, port, None))
}
