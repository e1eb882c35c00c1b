//! The caller's public IPv4 address, for the bastion group's SSH rule: asked of AWS's
//! checkip service over HTTPS. Tests and offline runs pass `--ssh-from` instead.

use awsops_core::{Error, Result};
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use std::net::Ipv4Addr;
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
        .build();
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
