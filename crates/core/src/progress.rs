//! Progress for long waits (NAT gateways, images, certificates): one updating line on
//! stderr, shown only when stderr is a terminal (not `TERM=dumb`) and `--quiet` is off,
//! so logs stay clean. A log line clears the progress line and redraws it after itself
//! (see [`LogWriter`]), so the two never interleave on one line.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

static ENABLED: AtomicBool = AtomicBool::new(false);
/// The progress line on screen now, if any.
static LINE: Mutex<Option<String>> = Mutex::new(None);

const CLEAR_LINE: &str = "\r\x1b[2K";

/// Called once by the runner.
pub fn configure(quiet: bool) {
    let term = std::env::var_os("TERM");
    ENABLED.store(wanted(quiet, std::io::stderr().is_terminal(), term.as_deref().and_then(|t| t.to_str())), Ordering::Relaxed);
}

/// Progress is drawn with terminal control sequences: only on a terminal that has them.
pub fn wanted(quiet: bool, stderr_is_terminal: bool, term: Option<&str>) -> bool {
    !quiet && stderr_is_terminal && term != Some("dumb")
}

pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

fn line() -> std::sync::MutexGuard<'static, Option<String>> {
    LINE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Replaces the progress line.
pub fn update(message: &str) {
    if enabled() {
        let mut line = line();
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "{CLEAR_LINE}{message}");
        let _ = err.flush();
        *line = Some(message.to_owned());
    }
}

/// Clears the progress line.
pub fn clear() {
    if enabled() {
        let mut line = line();
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "{CLEAR_LINE}");
        let _ = err.flush();
        *line = None;
    }
}

/// Writes `record` (whole log lines) to `out` around the progress line `shown`: cleared
/// before, redrawn after.
pub fn write_around(out: &mut impl Write, shown: Option<&str>, record: &[u8]) -> std::io::Result<()> {
    match shown {
        None => out.write_all(record)?,
        Some(progress) => {
            out.write_all(CLEAR_LINE.as_bytes())?;
            out.write_all(record)?;
            out.write_all(progress.as_bytes())?;
        }
    }
    out.flush()
}

/// The log subscriber's writer: stderr, with the progress line suspended around each record.
#[derive(Debug, Default, Clone, Copy)]
pub struct LogWriter;

impl Write for LogWriter {
    fn write(&mut self, record: &[u8]) -> std::io::Result<usize> {
        let line = line();
        write_around(&mut std::io::stderr().lock(), line.as_deref(), record)?;
        Ok(record.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_only_on_a_capable_terminal() {
        assert!(wanted(false, true, Some("xterm-256color")));
        assert!(!wanted(true, true, Some("xterm")), "--quiet");
        assert!(!wanted(false, false, Some("xterm")), "a pipe or a file");
        assert!(!wanted(false, true, Some("dumb")));
    }

    #[test]
    fn a_log_line_suspends_the_progress_line() {
        let mut out = Vec::new();
        write_around(&mut out, Some("waiting for nat-1 (12s)"), b" WARN slow\n").unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "\r\x1b[2K WARN slow\nwaiting for nat-1 (12s)");
        let mut out = Vec::new();
        write_around(&mut out, None, b" WARN slow\n").unwrap();
        assert_eq!(out, b" WARN slow\n");
    }
}
