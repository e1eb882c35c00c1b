//! Progress for long waits (NAT gateways, images, certificates): one updating line on
//! stderr, shown only when stderr is a terminal and `--quiet` is off, so logs stay clean.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Called once by the runner.
pub fn configure(quiet: bool) {
    ENABLED.store(!quiet && std::io::stderr().is_terminal(), Ordering::Relaxed);
}

pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Replaces the progress line.
pub fn update(message: &str) {
    if enabled() {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{message}");
        let _ = err.flush();
    }
}

/// Clears the progress line.
pub fn clear() {
    if enabled() {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K");
        let _ = err.flush();
    }
}
