//! Host names resolved in Rust (hickory: `/etc/hosts`, then the name servers of
//! `/etc/resolv.conf`) instead of glibc's `getaddrinfo`. The release binaries link glibc
//! statically, and a static glibc that resolves a name loads the host's NSS modules
//! (`libnss_resolve.so`, …) built for another glibc: it may crash, or find nothing in a
//! container without them. Every AWS client gets this resolver through `http_client`, and
//! the commands' own connections (bastion hosts, the caller-IP lookup) use `lookup`.

use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use aws_smithy_http_client::{Builder, ConnectorBuilder};
use aws_smithy_runtime_api::client::dns::{DnsFuture, ResolveDns, ResolveDnsError};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use hickory_resolver::TokioResolver;
use hickory_resolver::config::{ResolveHosts, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use std::net::IpAddr;
use std::sync::OnceLock;

/// The SDK's own default HTTPS client, built as the SDK builds it (hyper, rustls with
/// aws-lc, the system's CA roots, the config's timeouts, `HTTPS_PROXY`/`NO_PROXY` from the
/// environment) except that host names are resolved by [`lookup`]; one per process, shared by
/// every client and region.
pub fn http_client() -> SharedHttpClient {
    static CLIENT: OnceLock<SharedHttpClient> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            Builder::new().build_with_connector_fn(|settings, components| {
                let mut connector = ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc));
                connector.set_connector_settings(settings.cloned());
                if let Some(components) = components {
                    connector.set_sleep_impl(components.sleep_impl());
                }
                connector.set_proxy_config(Some(ProxyConfig::from_env()));
                connector.build_with_resolver(RustResolver)
            })
        })
        .clone()
}

/// The addresses of `host` (an IP literal is its own answer), `/etc/hosts` first.
pub async fn lookup(host: &str) -> std::io::Result<Vec<IpAddr>> {
    lookup_with(system_resolver(), host).await
}

async fn lookup_with(resolver: &TokioResolver, host: &str) -> std::io::Result<Vec<IpAddr>> {
    if let Ok(ip) = host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
        return Ok(vec![ip]);
    }
    let answer = resolver.lookup_ip(host).await.map_err(|e| std::io::Error::other(format!("cannot resolve {host}: {e}")))?;
    let found: Vec<IpAddr> = answer.iter().collect();
    if found.is_empty() {
        return Err(std::io::Error::new(std::io::ErrorKind::NotFound, format!("{host} has no address")));
    }
    Ok(found)
}

/// The system's resolver configuration, or, where there is no `/etc/resolv.conf` (a
/// minimal container or chroot), no name servers at all: `/etc/hosts` only, never a
/// public resolver the user did not configure.
fn system_resolver() -> &'static TokioResolver {
    static RESOLVER: OnceLock<TokioResolver> = OnceLock::new();
    RESOLVER.get_or_init(|| {
        let system = TokioResolver::builder_tokio().ok().and_then(|mut builder| {
            builder.options_mut().use_hosts_file = ResolveHosts::Always;
            builder.build().ok()
        });
        system.unwrap_or_else(hosts_only)
    })
}

/// A resolver that asks no name server: `/etc/hosts` alone.
fn hosts_only() -> TokioResolver {
    let mut builder = TokioResolver::builder_with_config(ResolverConfig::from_parts(None, vec![], vec![]), TokioRuntimeProvider::default());
    builder.options_mut().use_hosts_file = ResolveHosts::Always;
    builder.build().expect("a resolver without name servers always builds")
}

#[derive(Debug, Clone, Copy)]
struct RustResolver;

impl ResolveDns for RustResolver {
    fn resolve_dns<'a>(&'a self, name: &'a str) -> DnsFuture<'a> {
        DnsFuture::new(async move { lookup(name).await.map_err(ResolveDnsError::new) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Only the hosts file and literals: a test never asks the machine's name servers.
    #[tokio::test]
    async fn literals_are_their_own_answer() {
        let resolver = hosts_only();
        assert_eq!(lookup_with(&resolver, "127.0.0.1").await.unwrap(), vec![IpAddr::from([127, 0, 0, 1])]);
        assert_eq!(lookup_with(&resolver, "[::1]").await.unwrap(), vec!["::1".parse::<IpAddr>().unwrap()]);
    }

    #[tokio::test]
    async fn localhost_comes_from_the_hosts_file() {
        let found = lookup_with(&hosts_only(), "localhost").await.unwrap();
        assert!(!found.is_empty() && found.iter().all(|ip| ip.is_loopback()), "{found:?}");
    }

    #[tokio::test]
    async fn an_unknown_name_is_an_error_naming_it() {
        // `.invalid` is reserved (RFC 2606), and this resolver has no name server to ask.
        let err = lookup_with(&hosts_only(), "no-such-host.invalid").await.unwrap_err();
        assert!(err.to_string().contains("no-such-host.invalid"), "{err}");
    }
}
