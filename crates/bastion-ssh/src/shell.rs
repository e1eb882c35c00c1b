//! The interactive shell: a PTY of the terminal's size, the local terminal in raw mode
//! (restored on exit, error or panic by a guard), and window-size changes passed on.

use crate::pump::{close, pump};
use awsops_core::{Error, Result};
use rustix::termios::{self, OptionalActions, Termios};
use ssh2::Session;
use std::net::Shutdown;
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Puts stdin in raw mode; restores the saved settings when dropped.
struct RawMode {
    saved: Termios,
}

impl RawMode {
    fn enter() -> Result<RawMode> {
        let stdin = std::io::stdin();
        let saved = termios::tcgetattr(&stdin).map_err(|e| Error::usage(format!("shell needs a terminal on stdin ({e})")))?;
        let mut raw = saved.clone();
        raw.make_raw();
        termios::tcsetattr(&stdin, OptionalActions::Flush, &raw).map_err(|e| Error::failed(format!("cannot set raw mode: {e}")))?;
        Ok(RawMode { saved })
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = termios::tcsetattr(std::io::stdin(), OptionalActions::Flush, &self.saved);
    }
}

fn size() -> (u32, u32) {
    termios::tcgetwinsize(std::io::stdout()).map(|w| (u32::from(w.ws_col), u32::from(w.ws_row))).unwrap_or((80, 24))
}

pub fn run(session: &Session) -> Result<i32> {
    let mut channel = session.channel_session().map_err(|e| Error::failed(format!("cannot open a channel: {}", e.message())))?;
    let term = std::env::var("TERM").unwrap_or_else(|_| "xterm-256color".into());
    let (cols, rows) = size();
    channel.request_pty(&term, None, Some((cols, rows, 0, 0))).map_err(|e| Error::failed(format!("no PTY: {}", e.message())))?;
    channel.shell().map_err(|e| Error::failed(format!("no shell: {}", e.message())))?;
    let raw = RawMode::enter()?;
    let resized = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(signal_hook::consts::SIGWINCH, Arc::clone(&resized)).map_err(|e| Error::failed(e.to_string()))?;
    let (mut near, far) = UnixStream::pair().map_err(|e| Error::failed(e.to_string()))?;
    near.set_nonblocking(true).map_err(|e| Error::failed(e.to_string()))?;
    crate::stdio::from_stdin(far.try_clone().map_err(|e| Error::failed(e.to_string()))?);
    let printer = crate::stdio::to_stdout(far);
    session.set_blocking(false);
    let shut = |s: &mut UnixStream| {
        s.shutdown(Shutdown::Write).ok();
    };
    let mut pending_resize = false;
    let mut tick = |ch: &mut ssh2::Channel| {
        if resized.swap(false, Ordering::Relaxed) {
            pending_resize = true;
        }
        if pending_resize {
            let (c, r) = size();
            pending_resize = ch.request_pty_size(c, r, None, None).is_err();
        }
    };
    let result = pump(session, &mut channel, &mut near, &shut, Some(&mut std::io::stderr()), Some(&mut tick));
    drop(raw);
    result.map_err(|e| Error::failed(format!("connection lost: {e}")))?;
    let _ = printer.join();
    close(session, &mut channel).map_err(|e| Error::failed(format!("connection lost: {e}")))
}
