//! The two hops: a TCP connection to the bastion (through the connect guard), an SSH
//! session on it with its host key checked and the user authenticated; a direct-tcpip
//! channel from the bastion to the target, bridged to a socket pair in a thread (libssh2
//! needs a socket), and a second SSH session over it, checked and authenticated the same.

use crate::known_hosts::{self, HostCheck};
use awsops_core::connect_guard::ConnectGuard;
use awsops_core::{Error, Result};
use ssh2::Session;
use std::net::{Shutdown, SocketAddr};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Ciphers in order of preference.
pub const CIPHERS: &str = "aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com,aes128-ctr,aes256-ctr";

/// EC2 Instance Connect's one-minute key: made in memory and handed to libssh2 from
/// memory, never written to a file.
pub struct MemoryKey {
    key: ssh_key::PrivateKey,
}

impl MemoryKey {
    pub fn generate() -> Result<MemoryKey> {
        let mut key = ssh_key::PrivateKey::random(&mut ssh_key::rand_core::OsRng, ssh_key::Algorithm::Ed25519)
            .map_err(|e| Error::failed(format!("cannot make a key: {e}")))?;
        key.set_comment("bastion-ssh instance connect");
        Ok(MemoryKey { key })
    }

    /// `ssh-ed25519 AAAA… comment`, as SendSSHPublicKey takes it.
    pub fn public_openssh(&self) -> Result<String> {
        self.key.public_key().to_openssh().map_err(|e| Error::failed(format!("cannot encode the key: {e}")))
    }
}

impl std::fmt::Debug for MemoryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MemoryKey({})", self.key.fingerprint(ssh_key::HashAlg::Sha256))
    }
}

/// How to check and authenticate every hop.
#[derive(Debug, Clone)]
pub struct Auth {
    pub identities: Vec<PathBuf>,
    /// Instance Connect's key, tried before the files.
    pub memory_key: Option<Arc<MemoryKey>>,
    pub known_hosts: PathBuf,
    pub accept_new: bool,
    pub timeout: Duration,
}

/// A host as the user and known_hosts know it, and where to connect for it.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The name recorded in known_hosts (the address AWS knows, or the host given).
    pub host: String,
    pub port: u16,
    pub user: String,
    /// Where the TCP connection goes (differs from host:port with --resolve).
    pub connect_to: SocketAddr,
}

/// A private key must not be readable by others (OpenSSH refuses such keys too).
pub fn check_key_file(path: &Path) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|e| Error::usage(format!("cannot read identity {}: {e}", path.display())))?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(Error::usage(format!(
            "identity {} is readable by others (permissions {mode:04o}); run chmod 600 on it, as OpenSSH requires",
            path.display()
        )));
    }
    std::fs::File::open(path).map_err(|e| Error::usage(format!("cannot read identity {}: {e}", path.display())))?;
    Ok(())
}

/// Default identities when none are given: the usual files that exist.
pub fn default_identities() -> Vec<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    ["id_ed25519", "id_ecdsa", "id_rsa"].iter().map(|f| home.join(".ssh").join(f)).filter(|p| p.exists()).collect()
}

fn ssh_error(what: &str, e: ssh2::Error) -> Error {
    Error::failed(format!("{what}: {}", e.message()))
}

/// The known_hosts text: empty when the file does not exist yet; a usage error when it
/// cannot be read, is not a regular file or is not UTF-8 (OpenSSH reads it line by line
/// as text; treating it as empty would let `--accept-new` trust anything).
pub fn read_known_hosts(path: &Path) -> Result<String> {
    let refuse = |why: String| Error::usage(format!("known_hosts {}: {why}", path.display()));
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => return Err(refuse("is a directory".into())),
        Ok(meta) if !meta.is_file() && path != Path::new("/dev/null") => return Err(refuse("is not a regular file".into())),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(String::new()),
        Err(e) => return Err(refuse(format!("cannot be read ({e})"))),
    }
    let bytes = std::fs::read(path).map_err(|e| refuse(format!("cannot be read ({e})")))?;
    String::from_utf8(bytes).map_err(|_| refuse("is not UTF-8 text".into()))
}

fn verdict_error(check: &HostCheck, ep: &Endpoint, auth: &Auth, blob: &[u8]) -> Error {
    let name = known_hosts::host_pattern(&ep.host, ep.port);
    let fp = known_hosts::fingerprint(blob);
    let kind = known_hosts::key_type(blob).unwrap_or_default();
    let file = auth.known_hosts.display();
    match check {
        HostCheck::Changed { line } => Error::failed(format!(
            "HOST KEY CHANGED for {name} ({kind} {fp}): it does not match {file}:{line}; refusing (if the host was rebuilt, remove that line)"
        )),
        HostCheck::Revoked { line } => {
            Error::failed(format!("REVOKED host key for {name} ({kind} {fp}): {file}:{line} revokes it; refusing"))
        }
        HostCheck::Unknown | HostCheck::Known => Error::failed(format!(
            "unknown host key for {name} ({kind} {fp}); refusing: check the fingerprint, then pass --accept-new to record it in {file}"
        )),
    }
}

/// Checks the session's host key against known_hosts; with --accept-new an unknown key is
/// appended under a lock (re-checked there, so concurrent hops record a host once).
fn check_host_key(session: &Session, ep: &Endpoint, auth: &Auth) -> Result<()> {
    let (blob, _) = session.host_key().ok_or_else(|| Error::failed(format!("{}: no host key", ep.host)))?;
    let text = read_known_hosts(&auth.known_hosts)?;
    match known_hosts::check(&text, &ep.host, ep.port, blob) {
        HostCheck::Known => Ok(()),
        HostCheck::Unknown if auth.accept_new => {
            if let Some(dir) = auth.known_hosts.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(dir)
                    .map_err(|e| Error::failed(format!("cannot create {}: {e}", dir.display())))?;
            }
            let added = awsops_core::atomic_file::append_locked(&auth.known_hosts, 0o600, |now| {
                match known_hosts::check(now, &ep.host, ep.port, blob) {
                    HostCheck::Known => Ok(None),
                    HostCheck::Unknown => Ok(Some(known_hosts::line(&ep.host, ep.port, blob))),
                    other => Err(verdict_error(&other, ep, auth, blob)),
                }
            })?;
            if added {
                tracing::info!(
                    "recorded {} ({}) in {}",
                    known_hosts::host_pattern(&ep.host, ep.port),
                    known_hosts::fingerprint(blob),
                    auth.known_hosts.display()
                );
            }
            Ok(())
        }
        other => Err(verdict_error(&other, ep, auth, blob)),
    }
}

fn authenticate(session: &Session, ep: &Endpoint, auth: &Auth) -> Result<()> {
    let mut tried = Vec::new();
    if let Some(memory) = &auth.memory_key {
        let pem = memory.key.to_openssh(ssh_key::LineEnding::LF).map_err(|e| Error::failed(format!("cannot encode the key: {e}")))?;
        match session.userauth_pubkey_memory(&ep.user, None, &pem, None) {
            Ok(()) if session.authenticated() => return Ok(()),
            Ok(()) => {}
            Err(e) => tried.push(format!("Instance Connect key: {}", e.message())),
        }
    }
    for key in &auth.identities {
        match session.userauth_pubkey_file(&ep.user, None, key, None) {
            Ok(()) if session.authenticated() => return Ok(()),
            Ok(()) => {}
            Err(e) => tried.push(format!("{}: {}", key.display(), e.message())),
        }
    }
    if (auth.identities.is_empty() && auth.memory_key.is_none()) || std::env::var_os("SSH_AUTH_SOCK").is_some() {
        match session.userauth_agent(&ep.user) {
            Ok(()) if session.authenticated() => return Ok(()),
            Ok(()) => {}
            Err(e) => tried.push(format!("ssh-agent: {}", e.message())),
        }
    }
    Err(Error::failed(format!("{}@{}: authentication failed ({})", ep.user, ep.host, tried.join("; "))))
}

/// An authenticated session over any socket.
fn open<S: 'static + std::os::fd::AsRawFd>(socket: S, ep: &Endpoint, auth: &Auth) -> Result<Session> {
    let mut session = Session::new().map_err(|e| ssh_error("cannot start an SSH session", e))?;
    session.set_tcp_stream(socket);
    session.set_timeout(u32::try_from(auth.timeout.as_millis()).unwrap_or(u32::MAX));
    // AES-GCM first (hardware-accelerated on most CPUs, so the faster AEAD for bulk data),
    // then ChaCha20-Poly1305 and the CTR modes; no CBC.
    for method in [ssh2::MethodType::CryptCs, ssh2::MethodType::CryptSc] {
        let _ = session.method_pref(method, CIPHERS);
    }
    // As OpenSSH does: the key types known_hosts has for this host first, so a server with
    // several host keys shows the one on record (any other key of a known host is a change).
    let known = read_known_hosts(&auth.known_hosts)?;
    session
        .method_pref(ssh2::MethodType::HostKey, &known_hosts::algorithm_preference(&known, &ep.host, ep.port))
        .map_err(|e| ssh_error("cannot set the host-key algorithms", e))?;
    session.handshake().map_err(|e| ssh_error(&format!("SSH handshake with {}", ep.host), e))?;
    tracing::debug!(
        "{}: kex {}, cipher {}, mac {}",
        ep.host,
        session.methods(ssh2::MethodType::Kex).unwrap_or("?"),
        session.methods(ssh2::MethodType::CryptCs).unwrap_or("?"),
        session.methods(ssh2::MethodType::MacCs).unwrap_or("?")
    );
    check_host_key(&session, ep, auth)?;
    authenticate(&session, ep, auth)?;
    Ok(session)
}

/// A direct connection (no bastion).
pub fn direct(guard: &ConnectGuard, ep: &Endpoint, auth: &Auth) -> Result<Session> {
    let tcp = guard.connect(ep.connect_to, auth.timeout)?;
    tcp.set_nodelay(true).ok();
    open(tcp, ep, auth)
}

/// The session to the target through the bastion; the bridge thread lives as long as the
/// returned session's socket is open.
pub fn through(bastion: &Session, target: &Endpoint, auth: &Auth) -> Result<Session> {
    // Non-blocking from here on: the session may carry other targets' bridges too.
    bastion.set_blocking(false);
    let channel = crate::pump::open_direct(bastion, &target.connect_to.ip().to_string(), target.connect_to.port())
        .map_err(|e| Error::failed(format!("the bastion cannot reach {}: {e}", target.connect_to)))?;
    let (near, far) = UnixStream::pair().map_err(|e| Error::failed(format!("socket pair: {e}")))?;
    far.set_nonblocking(true).map_err(|e| Error::failed(format!("socket pair: {e}")))?;
    let session = bastion.clone();
    std::thread::spawn(move || {
        let mut channel = channel;
        let mut far = far;
        let shut = |s: &mut UnixStream| {
            s.shutdown(Shutdown::Write).ok();
        };
        if let Err(e) = crate::pump::pump(&session, &mut channel, &mut far, &shut, None, None) {
            tracing::debug!("bridge closed: {e}");
        }
        let _ = channel.close();
    });
    open(near, target, auth)
}
