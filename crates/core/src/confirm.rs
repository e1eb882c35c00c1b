//! Confirmation for destructive actions: asked on a terminal, required as `--yes`
//! anywhere else, so a script never hangs on a prompt and never destroys by accident.

use crate::error::{Error, Result};
use std::io::{BufRead, IsTerminal, Write};

/// True to go ahead. Off a terminal without `--yes`, a usage error (nothing changed).
pub fn confirm(question: &str, yes: bool) -> Result<bool> {
    if yes {
        return Ok(true);
    }
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(Error::usage(format!("{question}: pass --yes to confirm (not asking: stdin or stderr is not a terminal)")));
    }
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{question}? [y/N] ");
    let _ = err.flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).map_err(|e| Error::failed(format!("cannot read the answer: {e}")))?;
    Ok(is_yes(&answer))
}

pub fn is_yes(answer: &str) -> bool {
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers() {
        assert!(is_yes("y\n") && is_yes(" YES ") && !is_yes("") && !is_yes("n") && !is_yes("yess"));
        assert!(confirm("destroy", true).unwrap());
    }
}
