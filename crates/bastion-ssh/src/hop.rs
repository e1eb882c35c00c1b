//! The two hops: a TCP connection to the bastion (through the connect guard), an SSH
//! session on it with its host key checked and the user authenticated; a direct-tcpip
//! channel from the bastion to the target, bridged to a socket pair in a thread (libssh2
//! needs a socket), and a second SSH session over it, checked and authenticated the same.

use crate::known_hosts::{self, HostCheck};
use awsops_core::connect_guard::ConnectGuard;
use awsops_core::{Error, Result};
use ssh2::Session;
use std::net::{Shutdown, SocketAddr};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Ciphers in order of preference.
pub const CIPHERS: &str = "aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com,aes128-ctr,aes256-ctr";

/// How to check and authenticate every hop.
#[derive(Debug, Clone)]
pub struct Auth {
    pub identities: Vec<PathBuf>,
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

/// Checks the session's host key against known_hosts (appending it with --accept-new).
fn check_host_key(session: &Session, ep: &Endpoint, auth: &Auth) -> Result<()> {
    let (blob, _) = session.host_key().ok_or_else(|| Error::failed(format!("{}: no host key", ep.host)))?;
    let text = std::fs::read_to_string(&auth.known_hosts).unwrap_or_default();
    let fp = known_hosts::fingerprint(blob);
    match known_hosts::check(&text, &ep.host, ep.port, blob) {
        HostCheck::Known => Ok(()),
        HostCheck::Changed { line } => Err(Error::failed(format!(
            "HOST KEY CHANGED for {} ({fp}): it does not match {}:{line}; refusing (if the host was rebuilt, remove that line)",
            known_hosts::host_pattern(&ep.host, ep.port),
            auth.known_hosts.display()
        ))),
        HostCheck::Unknown if auth.accept_new => {
            let mut new = text;
            if !new.is_empty() && !new.ends_with('\n') {
                new.push('\n');
            }
            new.push_str(&known_hosts::line(&ep.host, ep.port, blob));
            new.push('\n');
            if let Some(dir) = auth.known_hosts.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| Error::failed(format!("cannot create {}: {e}", dir.display())))?;
            }
            std::fs::write(&auth.known_hosts, new)
                .map_err(|e| Error::failed(format!("cannot write {}: {e}", auth.known_hosts.display())))?;
            tracing::info!("recorded {} ({fp}) in {}", known_hosts::host_pattern(&ep.host, ep.port), auth.known_hosts.display());
            Ok(())
        }
        HostCheck::Unknown => Err(Error::failed(format!(
            "unknown host key for {} ({} {fp}); refusing: check the fingerprint, then pass --accept-new to record it in {}",
            known_hosts::host_pattern(&ep.host, ep.port),
            known_hosts::key_type(blob).unwrap_or_default(),
            auth.known_hosts.display()
        ))),
    }
}

fn authenticate(session: &Session, ep: &Endpoint, auth: &Auth) -> Result<()> {
    let mut tried = Vec::new();
    for key in &auth.identities {
        match session.userauth_pubkey_file(&ep.user, None, key, None) {
            Ok(()) if session.authenticated() => return Ok(()),
            Ok(()) => {}
            Err(e) => tried.push(format!("{}: {}", key.display(), e.message())),
        }
    }
    if auth.identities.is_empty() || std::env::var_os("SSH_AUTH_SOCK").is_some() {
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
    session.handshake().map_err(|e| ssh_error(&format!("SSH handshake with {}", ep.host), e))?;
    tracing::debug!(
        "{}: kex {}, cipher {}",
        ep.host,
        session.methods(ssh2::MethodType::Kex).unwrap_or("?"),
        session.methods(ssh2::MethodType::CryptCs).unwrap_or("?")
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
    let channel = bastion
        .channel_direct_tcpip(&target.connect_to.ip().to_string(), target.connect_to.port(), None)
        .map_err(|e| ssh_error(&format!("the bastion cannot reach {}", target.connect_to), e))?;
    let (near, far) = UnixStream::pair().map_err(|e| Error::failed(format!("socket pair: {e}")))?;
    far.set_nonblocking(true).map_err(|e| Error::failed(format!("socket pair: {e}")))?;
    let session = bastion.clone();
    std::thread::spawn(move || {
        let mut channel = channel;
        let mut far = far;
        session.set_blocking(false);
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
