//! Moving bytes between an SSH channel and a local socket without a thread per direction:
//! the session is non-blocking and one loop moves whatever is ready, then sleeps in epoll
//! (through mio) on both file descriptors. It calls libssh2 only when that can make
//! progress: every libssh2 read or write first drains the session's socket (one failed
//! `recv` per call), so a blind "try everything" loop pays a wasted system call per step.
//! Instead it keeps readiness flags, set by epoll's edges and cleared by "would block",
//! and asks libssh2 (without a system call) whether data is already queued for the channel.

use mio::unix::SourceFd;
use mio::{Events, Interest, Poll, Token};
use ssh2::{Channel, Session};
use std::io::{ErrorKind, Read, Write};
use std::os::fd::AsRawFd;
use std::time::Duration;

/// Reads from the channel take everything queued, up to this (the default window is 2 MiB).
const BUF: usize = 256 * 1024;

/// How long a wait lasts at most: the session may be shared with other threads' channels
/// (whose reads can take the bytes that would have woken this one), and the shell's tick
/// needs to run now and then.
const WAIT: Duration = Duration::from_millis(20);

fn would_block(e: &std::io::Error) -> bool {
    e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::Interrupted
}

/// What the loop ended with.
pub struct Pumped {
    pub to_remote: u64,
    pub from_remote: u64,
}

/// A buffer drained from the front without moving the rest.
struct Pending {
    buf: Vec<u8>,
    at: usize,
}

impl Pending {
    fn new() -> Pending {
        Pending { buf: Vec::with_capacity(BUF), at: 0 }
    }
    fn is_empty(&self) -> bool {
        self.at == self.buf.len()
    }
    fn bytes(&self) -> &[u8] {
        &self.buf[self.at..]
    }
    fn consume(&mut self, n: usize) {
        self.at += n;
        if self.is_empty() {
            self.buf.clear();
            self.at = 0;
        }
    }
    fn fill(&mut self, data: &[u8]) {
        self.buf.extend_from_slice(data);
    }
}

/// Readiness as epoll last reported it, cleared when an operation would block.
struct Ready {
    session_in: bool,
    session_out: bool,
    local_in: bool,
    local_out: bool,
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
    let (mut to_remote, mut to_local) = (Pending::new(), Pending::new());
    let (mut local_eof, mut remote_eof, mut eof_sent, mut local_shut) = (false, false, false, false);
    let mut buf = vec![0u8; BUF];
    let mut totals = Pumped { to_remote: 0, from_remote: 0 };
    let mut ready = Ready { session_in: true, session_out: true, local_in: true, local_out: true };
    loop {
        let mut moved = false;
        if let Some(t) = tick.as_deref_mut() {
            t(channel);
        }
        // Channel → local: only when the socket had data or libssh2 already queued some.
        let queued = channel.read_window().available > 0;
        if to_local.is_empty() && !remote_eof && (ready.session_in || queued) {
            ready.session_in = false;
            match channel.read(&mut buf) {
                Ok(0) => {
                    if channel.eof() {
                        remote_eof = true;
                        moved = true;
                    }
                }
                Ok(n) => {
                    to_local.fill(&buf[..n]);
                    totals.from_remote += n as u64;
                    moved = true;
                }
                Err(e) if would_block(&e) => {}
                Err(e) => return Err(e),
            }
        }
        // Extended data (stderr): whatever is queued once stdout's is taken.
        while let Some(err) = stderr.as_deref_mut()
            && to_local.is_empty()
            && channel.read_window().available > 0
        {
            match channel.stderr().read(&mut buf) {
                Ok(n) if n > 0 => {
                    err.write_all(&buf[..n])?;
                    err.flush()?;
                    moved = true;
                }
                Ok(_) => break,
                Err(e) if would_block(&e) => break,
                Err(e) => return Err(e),
            }
        }
        if !to_local.is_empty() && ready.local_out {
            match local.write(to_local.bytes()) {
                Ok(n) => {
                    to_local.consume(n);
                    moved = true;
                }
                Err(e) if would_block(&e) => ready.local_out = false,
                Err(e) if e.kind() == ErrorKind::BrokenPipe => {
                    to_local.consume(to_local.bytes().len());
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
        if to_remote.is_empty() && !local_eof && ready.local_in {
            match local.read(&mut buf) {
                Ok(0) => {
                    local_eof = true;
                    moved = true;
                }
                Ok(n) => {
                    to_remote.fill(&buf[..n]);
                    moved = true;
                }
                Err(e) if would_block(&e) => ready.local_in = false,
                Err(e) if e.kind() == ErrorKind::ConnectionReset => local_eof = true,
                Err(e) => return Err(e),
            }
        }
        if !to_remote.is_empty() && (ready.session_out || ready.session_in) {
            match channel.write(to_remote.bytes()) {
                Ok(n) => {
                    to_remote.consume(n);
                    totals.to_remote += n as u64;
                    moved = true;
                }
                // Blocked on the socket or on the peer's window (a window adjust arrives
                // as readable data): wait for either.
                Err(e) if would_block(&e) => {
                    ready.session_out = false;
                    ready.session_in = false;
                }
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
            poll.poll(&mut events, Some(WAIT))?;
            if events.is_empty() {
                // Nothing reported: try everything once (a shared session's bytes may
                // have been taken by another thread, with no edge left for this one).
                ready = Ready { session_in: true, session_out: true, local_in: true, local_out: true };
            }
            for event in events.iter() {
                let (readable, writable) =
                    (event.is_readable() || event.is_read_closed() || event.is_error(), event.is_writable() || event.is_write_closed());
                if event.token() == Token(0) {
                    ready.session_in |= readable;
                    ready.session_out |= writable;
                } else {
                    ready.local_in |= readable;
                    ready.local_out |= writable;
                }
            }
        }
    }
}

/// libssh2's LIBSSH2_ERROR_EAGAIN (libssh2.h): "would block" on a non-blocking session.
const LIBSSH2_ERROR_EAGAIN: i32 = -37;

fn again(e: &ssh2::Error) -> bool {
    e.code() == ssh2::ErrorCode::Session(LIBSSH2_ERROR_EAGAIN)
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
