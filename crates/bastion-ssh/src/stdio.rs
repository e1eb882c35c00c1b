//! Copies between this process's stdin/stdout and the pump's socket, on threads of their own
//! (stdio stays blocking, as the caller's shell left it), in 256 KiB blocks, and not through
//! std's `Stdout`: that one is line-buffered, so it scans every write of a binary stream for
//! a newline and splits it into small writes.

use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::net::Shutdown;
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::thread::JoinHandle;

const BLOCK: usize = 256 * 1024;

/// Copies `from` to `to` until `from` ends; the first error ends it too.
fn copy(from: &mut impl Read, to: &mut impl Write) -> std::io::Result<()> {
    let mut buf = vec![0u8; BLOCK];
    loop {
        match from.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => to.write_all(&buf[..n])?,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// A thread writing everything `from` yields to stdout (through a duplicate of fd 1, after
/// whatever std's `Stdout` still buffers).
pub fn to_stdout(mut from: UnixStream) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let _ = std::io::stdout().flush();
        let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() else {
            return;
        };
        let _ = copy(&mut from, &mut File::from(fd));
    })
}

/// A thread sending stdin (a duplicate of fd 0) to `to`, then shutting `to`'s write half.
pub fn from_stdin(mut to: UnixStream) -> JoinHandle<()> {
    std::thread::spawn(move || {
        if let Ok(fd) = std::io::stdin().as_fd().try_clone_to_owned() {
            let _ = copy(&mut File::from(fd), &mut to);
        }
        let _ = to.shutdown(Shutdown::Write);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_every_byte_across_block_boundaries() {
        let data: Vec<u8> = (0..(3 * BLOCK + 17)).map(|i| (i * 31 % 251) as u8).collect();
        let mut out = Vec::new();
        copy(&mut std::io::Cursor::new(&data), &mut out).unwrap();
        assert_eq!(out, data);
    }

    #[test]
    fn a_failed_write_ends_the_copy_with_its_error() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::new(ErrorKind::BrokenPipe, "closed"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let err = copy(&mut std::io::Cursor::new(vec![1u8; 10]), &mut Full).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BrokenPipe);
    }
}
