//! Running a command on the target: streamed (stdout and stderr as they come, stdin
//! forwarded, the remote exit status returned) or captured (for fan-out documents).

use crate::pump::{close, pump};
use awsops_core::{Error, Result};
use ssh2::Session;
use std::io::Read;
use std::net::Shutdown;
use std::os::unix::net::UnixStream;

/// Joins argv into one command line for the remote shell, quoting what needs it.
pub fn command_line(argv: &[String]) -> String {
    argv.iter()
        .map(|a| {
            if !a.is_empty() && a.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c)) {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn start(session: &Session, command: &str) -> Result<ssh2::Channel> {
    let mut channel = session.channel_session().map_err(|e| Error::failed(format!("cannot open a channel: {}", e.message())))?;
    channel.exec(command).map_err(|e| Error::failed(format!("cannot run the command: {}", e.message())))?;
    Ok(channel)
}

/// Streams the command's output to ours and our stdin to it; the remote exit status.
pub fn streamed(session: &Session, command: &str, forward_stdin: bool) -> Result<i32> {
    let mut channel = start(session, command)?;
    let (mut near, far) = UnixStream::pair().map_err(|e| Error::failed(e.to_string()))?;
    near.set_nonblocking(true).map_err(|e| Error::failed(e.to_string()))?;
    let far_in = far.try_clone().map_err(|e| Error::failed(e.to_string()))?;
    if forward_stdin {
        crate::stdio::from_stdin(far_in);
    } else {
        far_in.shutdown(Shutdown::Write).ok();
    }
    let printer = crate::stdio::to_stdout(far);
    session.set_blocking(false);
    let shut = |s: &mut UnixStream| {
        s.shutdown(Shutdown::Write).ok();
    };
    let mut err = std::io::stderr();
    pump(session, &mut channel, &mut near, &shut, Some(&mut err), None).map_err(|e| Error::failed(format!("connection lost: {e}")))?;
    match printer.join() {
        Ok(Err(e)) => Err(Error::failed(format!("stopped: cannot write to stdout ({e})"))),
        _ => close(session, &mut channel).map_err(|e| Error::failed(format!("connection lost: {e}"))),
    }
}

/// Runs the command with no input; its exit status, stdout and stderr.
pub fn captured(session: &Session, command: &str) -> Result<(i32, Vec<u8>, Vec<u8>)> {
    let mut channel = start(session, command)?;
    let (mut near, far) = UnixStream::pair().map_err(|e| Error::failed(e.to_string()))?;
    near.set_nonblocking(true).map_err(|e| Error::failed(e.to_string()))?;
    far.shutdown(Shutdown::Write).ok();
    let mut far_out = far;
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = far_out.read_to_end(&mut out);
        out
    });
    session.set_blocking(false);
    let shut = |s: &mut UnixStream| {
        s.shutdown(Shutdown::Write).ok();
    };
    let mut err = Vec::new();
    pump(session, &mut channel, &mut near, &shut, Some(&mut err), None).map_err(|e| Error::failed(format!("connection lost: {e}")))?;
    let out = reader.join().unwrap_or_default();
    let status = close(session, &mut channel).map_err(|e| Error::failed(format!("connection lost: {e}")))?;
    Ok((status, out, err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_quoted_for_the_remote_shell() {
        let argv: Vec<String> = ["echo", "a b", "it's", "$HOME", "plain-1"].iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(command_line(&argv), r#"echo 'a b' 'it'\''s' '$HOME' plain-1"#);
        assert_eq!(command_line(&[String::new()]), "''");
    }
}
