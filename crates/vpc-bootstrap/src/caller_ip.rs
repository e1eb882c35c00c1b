//! The caller's public IPv4 address, for the bastion group's SSH rule: asked of AWS's
//! checkip service over HTTPS. Tests and offline runs pass `--ssh-from` instead.

use awsops_core::{Error, Result};
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::dns::Name;
use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

pub const CHECKIP_URL: &str = "https://checkip.amazonaws.com/";

pub async fn detect() -> Result<Ipv4Addr> {
    let fail =
        |what: String| Error::failed(format!("cannot detect your public IP from {CHECKIP_URL} ({what}); pass --ssh-from YOUR.IP/32"));
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_native_roots()
        .map_err(|e| fail(format!("no CA roots: {e}")))?
        .https_only()
        .enable_http1()
        .wrap_connector(tcp_connector());
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build::<_, Empty<Bytes>>(https);
    let uri: hyper::Uri = CHECKIP_URL.parse().map_err(|e| fail(format!("{e}")))?;
    let response = tokio::time::timeout(Duration::from_secs(10), client.get(uri))
        .await
        .map_err(|_| fail("timed out".into()))?
        .map_err(|e| fail(e.to_string()))?;
    if !response.status().is_success() {
        return Err(fail(format!("HTTP {}", response.status())));
    }
    let body = tokio::time::timeout(Duration::from_secs(10), response.into_body().collect())
        .await
        .map_err(|_| fail("timed out".into()))?
        .map_err(|e| fail(e.to_string()))?
        .to_bytes();
    parse_checkip(&body).ok_or_else(|| fail("unexpected answer".into()))
}

/// hyper's TCP connector with host names resolved by core's `name_resolver` (Rust, not
/// glibc's NSS, which a static binary must not load).
fn tcp_connector() -> HttpConnector<RustResolver> {
    let mut http = HttpConnector::new_with_resolver(RustResolver);
    http.enforce_http(false);
    http.set_connect_timeout(Some(Duration::from_secs(5)));
    http
}

#[derive(Clone, Copy)]
struct RustResolver;

impl tower_service::Service<Name> for RustResolver {
    type Response = std::vec::IntoIter<SocketAddr>;
    type Error = std::io::Error;
    type Future = Pin<Box<dyn Future<Output = std::io::Result<Self::Response>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, name: Name) -> Self::Future {
        Box::pin(async move {
            let found = awsops_core::name_resolver::lookup(name.as_str()).await?;
            Ok(found.into_iter().map(|ip| SocketAddr::new(ip, 0)).collect::<Vec<_>>().into_iter())
        })
    }
}

pub fn parse_checkip(body: &[u8]) -> Option<Ipv4Addr> {
    std::str::from_utf8(body).ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_answer() {
        assert_eq!(parse_checkip(b"203.0.113.7\n"), Some(Ipv4Addr::new(203, 0, 113, 7)));
        assert_eq!(parse_checkip(b"<html>"), None);
    }
}
