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

/// Writes all of `bytes`, waiting (poll) when `to` is non-blocking and full: a caller may
/// hand us a stdout in O_NONBLOCK mode (shared with whatever set it).
fn write_all(to: &mut (impl Write + AsFd), mut bytes: &[u8]) -> std::io::Result<()> {
    while !bytes.is_empty() {
        match to.write(bytes) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                let mut fds = [rustix::event::PollFd::new(&*to, rustix::event::PollFlags::OUT)];
                rustix::event::poll(&mut fds, None).map_err(std::io::Error::from)?;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Copies `from` to `to` until `from` ends; the first error ends it too.
fn copy(from: &mut impl Read, to: &mut (impl Write + AsFd)) -> std::io::Result<()> {
    let mut buf = vec![0u8; BLOCK];
    loop {
        match from.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => write_all(to, &buf[..n])?,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// A thread writing everything `from` yields to stdout (through a duplicate of fd 1, after
/// whatever std's `Stdout` still buffers). When stdout cannot be written (a reader that went
/// away, `| head`), `from` is shut both ways, so the pump's next write to it fails instead of
/// waiting for room that never comes; the thread returns that error.
pub fn to_stdout(mut from: UnixStream) -> JoinHandle<std::io::Result<()>> {
    std::thread::spawn(move || {
        let _ = std::io::stdout().flush();
        let result = std::io::stdout().as_fd().try_clone_to_owned().and_then(|fd| copy(&mut from, &mut File::from(fd)));
        if result.is_err() {
            let _ = from.shutdown(Shutdown::Both);
        }
        result
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
        let mut out = tempfile::tempfile().unwrap();
        copy(&mut std::io::Cursor::new(&data), &mut out).unwrap();
        let mut back = Vec::new();
        std::io::Seek::rewind(&mut out).unwrap();
        out.read_to_end(&mut back).unwrap();
        assert_eq!(back, data);
    }

    #[test]
    fn a_non_blocking_writer_that_fills_up_is_waited_for_not_dropped() {
        let (mut reader, mut writer) = UnixStream::pair().unwrap();
        writer.set_nonblocking(true).unwrap();
        let data: Vec<u8> = (0..(4 * BLOCK + 5)).map(|i| (i % 253) as u8).collect();
        let drain = std::thread::spawn(move || {
            let mut got = Vec::new();
            std::thread::sleep(std::time::Duration::from_millis(50));
            reader.read_to_end(&mut got).unwrap();
            got
        });
        copy(&mut std::io::Cursor::new(&data), &mut writer).unwrap();
        drop(writer);
        assert_eq!(drain.join().unwrap(), data);
    }

    #[test]
    fn a_closed_reader_ends_the_copy_with_its_error() {
        let (reader, mut writer) = UnixStream::pair().unwrap();
        drop(reader);
        let err = copy(&mut std::io::Cursor::new(vec![1u8; 10]), &mut writer).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BrokenPipe);
    }
}
